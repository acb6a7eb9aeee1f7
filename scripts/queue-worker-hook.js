// An n8n external hook file (EXTERNAL_HOOK_FILES) that `npm run test:queue` loads into its workers:
// after a worker has saved an execution, it writes the worker's name (ZETTLE_QUEUE_WORKER) into the
// execution's custom data (n8n's execution_metadata table; the editor shows it in the executions
// list). So the execution record itself says which worker ran it. Test harness only, not the package.

const worker = process.env.ZETTLE_QUEUE_WORKER;

module.exports = {
	workflow: {
		postExecute: [
			async function recordWorker(_runData, _workflowData, executionId) {
				if (!worker || !executionId) return;
				const manager = this.dbCollections.Workflow.manager;
				const postgres = manager.connection.options.type === 'postgres';
				const sql = postgres
					? 'INSERT INTO execution_metadata ("executionId", "key", "value") VALUES ($1, $2, $3)'
					: 'INSERT INTO execution_metadata ("executionId", "key", "value") VALUES (?, ?, ?)';
				await manager.query(sql, [executionId, 'worker', worker]);
			},
		],
	},
};
