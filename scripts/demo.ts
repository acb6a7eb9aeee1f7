// npm run demo: the example workflows, through n8n's execution engine, against the embedded Zettle
// sandbox. No Zettle account needed; nothing leaves this machine.

import { SEED } from '../sandbox/seed';
import { startSandbox } from '../sandbox/server';
import { runWorkflow, stopEngineTimers } from '../harness/engine';
import { Example, loadExamples } from '../harness/examples';
import { TriggerHost } from '../harness/triggerHost';
import { apiKeyCredentials } from '../harness/zettle';

process.env.N8N_USER_FOLDER ??= `${__dirname}/../.n8n-test`;
process.env.N8N_LOG_LEVEL ??= 'silent';

const names: Record<string, string> = {
	[SEED.tshirt.small]: 'T-shirt / Small',
	[SEED.tshirt.medium]: 'T-shirt / Medium',
	[SEED.mug.white]: 'Mug / White',
	[SEED.mug.black]: 'Mug / Black',
	[SEED.cap.oneSize]: 'Cap / One size',
	[SEED.tshirt.productUuid]: 'T-shirt',
	[SEED.mug.productUuid]: 'Mug',
	[SEED.cap.productUuid]: 'Cap',
};
const locationNames = Object.fromEntries(
	Object.entries(SEED.locations).map(([type, uuid]) => [uuid, type]),
);

function table(rows: string[][]): string {
	const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
	return rows.map((r) => `  ${r.map((cell, c) => cell.padEnd(widths[c])).join('  ')}`).join('\n');
}

/** A trigger example: the Zettle Trigger activated against a fresh sandbox, the shop's own sync written, then a sale at the till. */
async function tillSale(example: Example): Promise<string[]> {
	const out = [`▶ ${example.workflow.name}  (examples/${example.file})`];
	const sandbox = await startSandbox();
	const host = await new TriggerHost(example.trigger!, apiKeyCredentials(sandbox)).start();
	try {
		await host.activate();
		const [subscription] = sandbox.pusher.subscriptions.values();
		out.push(
			`  activated: Zettle subscription ${subscription.uuid} (${subscription.eventNames.join(', ')}) → ${subscription.destination}`,
		);
		const sync = loadExamples().find((e) => e.file === 'sync-stock-from-webshop-csv.json')!;
		await runWorkflow(sync.workflow, apiKeyCredentials(sandbox), {
			input: sync.input,
			startAt: sync.zettle,
		});
		await sandbox.pusher.idle();
		out.push(
			`  the shop's own stock sync with the same credential: ${host.executions.length} executions (its writes are not echoed back)`,
		);
		sandbox.sellAtTill(SEED.tshirt.small, 2);
		await sandbox.pusher.idle();
		out.push('  a sale at the till (2 × T-shirt / Small) starts one execution:');
		out.push(
			table([
				['sku', 'variant', 'location', 'before', 'after', 'delta', 'why kept'],
				...host.executions
					.flat()
					.map((i) => [
						String(i.json.sku),
						names[String(i.json.variantUuid)],
						String(i.json.locationType),
						String(i.json.before),
						String(i.json.after),
						String(i.json.delta),
						String(i.json.keptBecause),
					]),
			]),
		);
		out.push(
			`  its next node sets the webshop's stock to "after" (${String(host.executions[0]?.[0]?.json.after)}), not old stock + delta`,
		);
		await host.deactivate();
		out.push(`  deactivated: ${sandbox.pusher.subscriptions.size} subscriptions left`);
	} finally {
		await host.close();
		await sandbox.close();
	}
	return out;
}

// One function on purpose: the demo's printout, example by example, top to bottom.
async function main() {
	const out: string[] = [
		`Zettle sandbox on 127.0.0.1, seed organization ${SEED.organizationUuid}, fresh for each example`,
		'',
	];
	let failures = 0;
	try {
		for (const example of loadExamples()) {
			if (example.trigger) {
				out.push(...(await tillSale(example)), '');
				continue;
			}
			const sandbox = await startSandbox();
			const credentials = apiKeyCredentials(sandbox);
			const before = sandbox.requests.length;
			const started = process.hrtime.bigint();
			const { run, output, error } = await runWorkflow(example.workflow, credentials, {
				input: example.input,
				startAt: example.zettle,
			});
			const ms = Number(process.hrtime.bigint() - started) / 1e6;
			const requests = sandbox.requests.slice(before);
			out.push(`▶ ${example.workflow.name}  (examples/${example.file})`);
			out.push(
				`  ${example.input.length} input items → ${requests.length} HTTP requests in ${ms.toFixed(0)} ms: ${requests.map((r) => `${r.method} ${r.path} ${r.status}`).join(', ')}`,
			);
			for (const w of requests.filter((r) => r.applied)) {
				const body = w.body as {
					changes?: Array<Record<string, unknown>>;
					productChanges?: Array<Record<string, unknown>>;
					movements?: Array<Record<string, unknown>>;
				};
				// legacy PUT changes[], legacy bulk productChanges[].variantChanges[], V3 movements[] (from / to)
				const moves: Array<Record<string, unknown>> =
					body.changes ??
					body.movements?.map((m) => ({ ...m, fromLocationUuid: m.from, toLocationUuid: m.to })) ??
					(body.productChanges ?? []).flatMap((p) =>
						((p.variantChanges as Array<Record<string, unknown>>) ?? []).map((v) => ({
							...v,
							tracking: p.trackingStatusChange,
						})),
					);
				const tracking = Array.isArray(w.body)
					? (w.body as Array<Record<string, unknown>>).map((t) => ({
							productUuid: t.productUuid,
							trackingStatusChange: t.tracking,
						}))
					: (body.productChanges ?? []).filter(
							(p) => !(p.variantChanges as unknown[] | undefined)?.length,
						);
				for (const t of tracking)
					out.push(
						`  tracking: ${String(t.trackingStatusChange)} ${names[String(t.productUuid)] ?? String(t.productUuid)}`,
					);
				if (!moves.length) continue;
				out.push('  movements sent:');
				out.push(
					table([
						['variant', 'from', 'to', 'change', 'tracking'],
						...moves.map((m) => [
							names[String(m.variantUuid)] ?? String(m.variantUuid),
							locationNames[String(m.fromLocationUuid)] ?? '?',
							locationNames[String(m.toLocationUuid)] ?? '?',
							String(m.change),
							String(m.tracking ?? ''),
						]),
					]),
				);
			}
			const items = output(example.zettle);
			if (run.status === 'success' && items.some((i) => 'target' in i.json)) {
				out.push('  stock levels set:');
				out.push(
					table([
						['sku', 'variant', 'before', 'target', 'moved', 'after', 'drift'],
						...items.map((i) => [
							String(i.json.sku ?? ''),
							names[String(i.json.variantUuid)] ?? String(i.json.variantUuid),
							...['before', 'target', 'moved', 'after', 'drift'].map((k) =>
								String(i.json[k] ?? ''),
							),
						]),
					]),
				);
			} else if (run.status === 'success') {
				out.push('  balances returned:');
				out.push(
					table([
						['variant', 'location', 'balance', 'paired input items'],
						...items.map((i) => [
							names[String(i.json.variantUuid)] ?? String(i.json.variantUuid ?? i.json.productUuid),
							String(i.json.locationType ?? ''),
							String(i.json.balance ?? i.json.trackingStatusChange),
							JSON.stringify(i.pairedItem),
						]),
					]),
				);
			} else {
				out.push(`  the node failed as this example intends: ${error?.message}`);
				out.push(`  ${error?.description ?? ''}`);
				if (!example.file.includes('fail')) failures++;
			}
			out.push('');
			await sandbox.close();
		}
	} finally {
		stopEngineTimers(); // n8n-core's SSH-tunnel sweeper would keep the process alive
	}
	out.push(
		failures
			? `${failures} example(s) failed unexpectedly`
			: 'All examples ran as expected. Rehearse your own workflows: `npm run sandbox`.',
	);
	process.stdout.write(`${out.join('\n')}\n`);
	process.exitCode = failures ? 1 : 0;
}

void main();
