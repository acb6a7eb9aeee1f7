// One workflow run in the real n8n (`n8n execute --id`), measured: the process tree's CPU time and
// peak RSS from /usr/bin/time, the measured nodes' wall time from n8n's run data, and the requests
// the sandbox saw.

import { closeSync, existsSync, openSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import type { LoggedRequest } from '../../sandbox/server';
import { executionResult, N8nHost } from '../n8n-host';
import { stopProcess } from '../processes';
import { startProcess } from './processes';
import { SETUP_NODES } from './workflows';

export interface RequestCounts {
	/** requests to the Zettle APIs (token and user requests left out), 429s included */
	total: number;
	reads: number;
	writes: number;
	rateLimited: number;
	/** of the reads: product library pages */
	libraryPages: number;
	/** movements in writes that Zettle applied */
	movementsApplied: number;
	/** token exchanges (POST /token): the API key's, by n8n */
	tokenExchanges: number;
}

/** The execution itself, as scripts/bench/execution-hook.js measures it inside n8n (start-up left out). */
export interface ExecutionFigures {
	wallMs: number;
	/** CPU of n8n's process during the execution, s */
	cpuS: number;
	/** CPU of its child processes (the task runner) during the execution, s */
	childCpuS: number;
	rssBeforeMb: number;
	/** n8n's RSS at its highest during the execution, sampled every 100 ms */
	peakRssMb: number;
	/** the largest child process's peak RSS (VmHWM, over its life) */
	childPeakRssMb: number;
}

export const HOOK_FILE = join(__dirname, 'execution-hook.js');

export interface N8nRun {
	status: string;
	error?: string;
	/** from the first measured node's start to the last one's end (n8n's run data), ms */
	wallMs: number;
	/** the whole `n8n execute` process, ms */
	processMs: number;
	/** user + system CPU of the process tree (n8n and its task runner), s */
	cpuS: number;
	/** peak RSS of the largest process of the tree, MB */
	peakRssMb: number;
	execution: ExecutionFigures;
	requests: RequestCounts;
	log: LoggedRequest[];
}

const WRITES = [
	{ method: 'PUT', path: /^\/organizations\/self\/inventory$/ },
	{ method: 'POST', path: /^\/organizations\/self\/inventory$/ },
	{ method: 'POST', path: /^\/organizations\/self\/v2\/inventory\/bulk$/ },
	{ method: 'POST', path: /^\/v3\/movements$/ },
	{ method: 'POST', path: /^\/v3\/products$/ },
];

export const isWrite = (r: Pick<LoggedRequest, 'method' | 'path'>) =>
	WRITES.some((w) => w.method === r.method && w.path.test(r.path));

/** How many movements an applied write carried (legacy `changes[]` / bulk `variantChanges[]`, V3 `movements[]`). */
function movementsOf(r: LoggedRequest): number {
	if (!r.applied) return 0;
	const body = (r.body ?? {}) as {
		changes?: unknown[];
		movements?: unknown[];
		productChanges?: Array<{ variantChanges?: unknown[] }>;
	};
	if (Array.isArray(body.changes)) return body.changes.length;
	if (Array.isArray(body.movements)) return body.movements.length;
	if (Array.isArray(body.productChanges))
		return body.productChanges.reduce((n, p) => n + (p.variantChanges?.length ?? 0), 0);
	return 0;
}

export function countRequests(log: LoggedRequest[]): RequestCounts {
	const api = log.filter((r) => r.path.startsWith('/organizations') || r.path.startsWith('/v3/'));
	const writes = api.filter(isWrite);
	return {
		total: api.length,
		reads: api.length - writes.length,
		writes: writes.length,
		rateLimited: api.filter((r) => r.status === 429).length,
		libraryPages: api.filter((r) => r.path === '/organizations/self/library' && r.status !== 429)
			.length,
		movementsApplied: writes.reduce((n, r) => n + movementsOf(r), 0),
		tokenExchanges: log.filter((r) => r.method === 'POST' && r.path === '/token').length,
	};
}

/** Runs a workflow with `n8n execute --id` under /usr/bin/time; the sandbox's request log is read after. */
export async function executeMeasured(
	host: N8nHost,
	env: NodeJS.ProcessEnv,
	work: string,
	workflowId: string,
	requestLog: () => Promise<LoggedRequest[]>,
	cpuProfileDir?: string,
): Promise<N8nRun> {
	const timeFile = join(work, 'time.txt');
	const outFile = join(work, 'execute.log');
	const executionFile = join(work, 'execution.json');
	rmSync(executionFile, { force: true });
	// n8n prints the whole run JSON (several MB for 10,000 items) and exits: into a pipe it would be
	// cut off at exit, into a file it is written synchronously
	const out = openSync(outFile, 'w');
	const started = Date.now();
	const profile = cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfileDir}`] : [];
	const child = startProcess(
		'/usr/bin/time',
		[
			'-f',
			'%e %U %S %M',
			'-o',
			timeFile,
			host.node,
			...profile,
			host.bin,
			'execute',
			`--id=${workflowId}`,
			'--rawOutput',
		],
		{
			env: { ...env, EXTERNAL_HOOK_FILES: HOOK_FILE, BENCH_EXECUTION_FILE: executionFile },
			cwd: env.N8N_USER_FOLDER,
			stdio: ['ignore', out, out],
		},
	);
	try {
		await new Promise<void>((resolve, reject) => {
			child.on('error', reject);
			child.on('exit', () => resolve());
		});
	} finally {
		closeSync(out);
		await stopProcess(child); // its group: a task runner left behind
	}
	const processMs = Date.now() - started;
	const stdout = readFileSync(outFile, 'utf8');
	const [, user, sys, maxKb] = readFileSync(timeFile, 'utf8')
		.trim()
		.split('\n')
		.pop()!
		.split(' ')
		.map(Number);
	const result = executionResult(stdout);
	if (!result)
		throw new Error(
			`${workflowId}: no execution result (exit ${child.exitCode}): ${stdout.slice(-3000)}`,
		);
	if (!existsSync(executionFile))
		throw new Error(
			`${workflowId}: the execution hook (${HOOK_FILE}) wrote nothing: ${stdout.slice(-2000)}`,
		);
	const execution = JSON.parse(readFileSync(executionFile, 'utf8')) as ExecutionFigures;
	const log = await requestLog();
	const runData = result.data.resultData.runData as Record<
		string,
		Array<{ startTime: number; executionTime: number }>
	>;
	let first = Infinity;
	let last = 0;
	for (const [name, runs] of Object.entries(runData)) {
		if (SETUP_NODES.includes(name)) continue;
		for (const r of runs) {
			first = Math.min(first, r.startTime);
			last = Math.max(last, r.startTime + r.executionTime);
		}
	}
	const error = result.data.resultData.error as
		| { message?: string; description?: string }
		| undefined;
	return {
		status: result.status,
		error: error ? `${error.message ?? ''} ${error.description ?? ''}`.trim() : undefined,
		wallMs: Number.isFinite(first) ? last - first : 0,
		processMs,
		cpuS: user + sys,
		peakRssMb: maxKb / 1024,
		execution,
		requests: countRequests(log),
		log,
	};
}
