// npm run bench: this node against the approach a user would otherwise build (n8n's own HTTP Request
// node, one PUT /organizations/self/inventory per item), both in a real n8n (`n8n execute`, the
// pinned install the end-to-end tests use) against the sandbox with 80 ms latency per request and
// a 4 requests/s rate limit (429 beyond it). Prints the figures and writes bench/RESULTS.md.
//
//   BENCH_SIZES=100,1000,10000        the N to run (default)
//   BENCH_BASELINE_MAX=100            the largest N the baseline really runs; larger N are extrapolated
//                                     from it (1,000 items take ~6 min, 10,000 ~55 min)

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';

import { Sandbox, startSandbox } from '../sandbox/server';
import { Organization } from '../sandbox/state';
import { ensureN8n, executionResult, installPackage, N8nHost, n8n, n8nEnv, ROOT, run } from './n8n-host';

const SIZES = (process.env.BENCH_SIZES ?? '100,1000,10000').split(',').map(Number);
const BASELINE_MAX = Number(process.env.BENCH_BASELINE_MAX ?? 100);
const LATENCY_MS = 80;
const RATE = 4;
const CHUNK = 100;
const CREDENTIAL = { id: 'zettleBenchCred001', name: 'Zettle sandbox (bench)' };

type Side = 'empty' | 'node' | 'bulk' | 'http';
const NODE_NAME: Record<Side, string> = { empty: 'Items', node: 'Zettle Update Balance', bulk: 'Zettle Bulk Update', http: 'HTTP Request' };

interface Measure {
	side: Side;
	n: number;
	requests: number;
	writes: number;
	rateLimited: number;
	/** the measured node's own execution time, from n8n's run data */
	nodeMs: number;
	/** the whole `n8n execute` process */
	processMs: number;
	cpuS: number;
	peakRssMb: number;
	correct: boolean;
	status: string;
	extrapolatedFrom?: number;
}

function workflow(side: Side, n: number, items: object[], baseUrl: string) {
	const nodes: object[] = [
		{ id: 'b1', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
		{ id: 'b2', name: 'Items', type: 'n8n-nodes-base.code', typeVersion: 2, position: [200, 0], parameters: { jsCode: `return ${JSON.stringify(items)}.map((json) => ({ json }));` } },
	];
	const credentials = { zettleApi: CREDENTIAL };
	if (side === 'node' || side === 'bulk') {
		const parameters = side === 'node' ? { resource: 'balance', operation: 'updateBalance' } : { resource: 'balance', operation: 'bulkUpdate', trackingStatusChange: 'NO_CHANGE' };
		nodes.push({ id: 'b3', name: NODE_NAME[side], type: 'n8n-nodes-zettle.zettleInventory', typeVersion: 1, position: [400, 0], parameters, credentials });
	}
	if (side === 'http') {
		// what a user builds without this node: one PUT per item with the seed's body, the Zettle
		// credential as the predefined credential type, and n8n's batching to stay at 4 requests/s
		nodes.push({
			id: 'b3',
			name: NODE_NAME.http,
			type: 'n8n-nodes-base.httpRequest',
			typeVersion: 4.2,
			position: [400, 0],
			parameters: {
				method: 'PUT',
				url: `${baseUrl}/organizations/self/inventory`,
				authentication: 'predefinedCredentialType',
				nodeCredentialType: 'zettleApi',
				sendBody: true,
				specifyBody: 'json',
				jsonBody:
					'={{ JSON.stringify({ changes: [{ productUuid: $json.productUuid, variantUuid: $json.variantUuid, fromLocationUuid: $json.fromLocationUuid, toLocationUuid: $json.toLocationUuid, change: $json.change }] }) }}',
				options: { batching: { batch: { batchSize: 1, batchInterval: Math.round(1000 / RATE) } } },
			},
			credentials,
		});
	}
	const connections: Record<string, object> = { Start: { main: [[{ node: 'Items', type: 'main', index: 0 }]] } };
	if (side !== 'empty') connections.Items = { main: [[{ node: NODE_NAME[side], type: 'main', index: 0 }]] };
	return { id: `bench${side}${n}`, name: `bench ${side} ${n}`, active: false, nodes, connections, settings: { executionOrder: 'v1' } };
}

/** N restocks of one unit, one per variant, in catalogue order. */
function movements(org: Organization, n: number) {
	const supplier = org.locationOfType('SUPPLIER').uuid;
	const store = org.store.uuid;
	const variants = [...org.products.values()].flatMap((p) => p.variants.map((v) => ({ productUuid: p.uuid, variantUuid: v.uuid })));
	if (n > variants.length) throw new Error(`the catalogue has ${variants.length} variants, fewer than ${n}`);
	return variants.slice(0, n).map((v) => ({ ...v, fromLocationUuid: supplier, toLocationUuid: store, change: 1 }));
}

async function measure(host: N8nHost, env: NodeJS.ProcessEnv, sandbox: Sandbox, apiKey: string, side: Side, n: number, work: string): Promise<Measure> {
	sandbox.reset();
	const org = sandbox.organizationOf(apiKey);
	const timeFile = join(work, 'time.txt');
	const started = Date.now();
	const { stdout, stderr, code } = await run('/usr/bin/time', ['-f', '%e %U %S %M', '-o', timeFile, host.node, host.bin, 'execute', `--id=bench${side}${n}`, '--rawOutput'], {
		env,
		cwd: env.N8N_USER_FOLDER,
		allowFailure: true,
	});
	const processMs = Date.now() - started;
	const [, user, sys, maxKb] = readFileSync(timeFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
	const result = executionResult(stdout);
	if (!result) throw new Error(`bench ${side} ${n}: no execution result (exit ${code}) ${stderr.slice(-2000)}`);
	const nodeRun = result.data.resultData.runData[NODE_NAME[side]]?.[0] as { executionTime?: number } | undefined;
	const api = sandbox.requests.filter((r) => r.path.startsWith('/organizations'));
	const writes = api.filter((r) => r.method !== 'GET');
	const store = org.store.uuid;
	const expected = new Set(movements(org, n).map((m) => m.variantUuid));
	let correct = side === 'empty' || result.status === 'success';
	if (side !== 'empty') {
		for (const p of org.products.values()) for (const v of p.variants) if (org.balance(store, v.uuid) !== (expected.has(v.uuid) ? 101 : 100)) correct = false;
	}
	return {
		side,
		n,
		requests: api.length,
		writes: writes.length,
		rateLimited: api.filter((r) => r.status === 429).length,
		nodeMs: nodeRun?.executionTime ?? 0,
		processMs,
		cpuS: user + sys,
		peakRssMb: maxKb / 1024,
		correct,
		status: result.status,
	};
}

const fmt = (x: number, digits = 1) => (Number.isFinite(x) ? x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : 'n/a');
const floorMs = (n: number) => Math.ceil(n / CHUNK) * Math.max(LATENCY_MS, 1000 / RATE);

async function main() {
	const say = (line = '') => process.stdout.write(`${line}\n`);
	const host = await ensureN8n(undefined, say);
	const nodeVersion = execFileSync(host.node, ['--version']).toString().trim();
	const work = mkdtempSync(join(tmpdir(), 'zettle-bench-'));
	const catalogue = { products: 1000, variantsPerProduct: 10, initialBalance: 100 };
	const sandbox = await startSandbox({ catalogue, faults: { latencyMs: LATENCY_MS, rateLimitPerSecond: RATE } });
	const apiKey = sandbox.catalogueApiKey!;
	const results: Measure[] = [];
	try {
		say(`n8n ${host.version} on Node ${nodeVersion}, ${cpus().length} CPUs (${cpus()[0]?.model.trim()}); sandbox ${sandbox.url}: ${LATENCY_MS} ms per request, ${RATE} requests/s (429 beyond)`);
		await installPackage(work);
		const env = await n8nEnv(work);
		const credentialsFile = join(work, 'credentials.json');
		writeFileSync(credentialsFile, JSON.stringify([{ ...CREDENTIAL, type: 'zettleApi', data: { apiKey, environment: 'custom', baseUrl: sandbox.url } }]), { mode: 0o600 });
		await n8n(host, ['import:credentials', `--input=${credentialsFile}`], env);
		rmSync(credentialsFile);
		const dir = join(work, 'workflows');
		mkdirSync(dir);
		const org = sandbox.organizationOf(apiKey);
		const sides = (n: number): Side[] => ['empty', 'node', 'bulk', ...(n <= BASELINE_MAX ? (['http'] as Side[]) : [])];
		for (const n of SIZES) for (const side of sides(n)) writeFileSync(join(dir, `${side}${n}.json`), JSON.stringify(workflow(side, n, movements(org, n), sandbox.url)));
		await n8n(host, ['import:workflow', '--separate', `--input=${dir}`], env);
		// one warm-up run: the first execution exchanges the API key for a token and warms the disk cache
		await measure(host, env, sandbox, apiKey, 'empty', SIZES[0], work);
		for (const n of SIZES) {
			for (const side of sides(n)) {
				const m = await measure(host, env, sandbox, apiKey, side, n, work);
				results.push(m);
				say(`  N=${n} ${side}: ${m.status}, ${m.requests} requests (${m.rateLimited} × 429), node ${fmt(m.nodeMs / 1000, 2)} s, process ${fmt(m.processMs / 1000, 2)} s, CPU ${fmt(m.cpuS, 2)} s, peak RSS ${fmt(m.peakRssMb, 0)} MB, balances ${m.correct ? 'correct' : 'WRONG'}`);
			}
		}
	} finally {
		await sandbox.close();
		rmSync(work, { recursive: true, force: true });
	}
	report(results, host.version, nodeVersion);
}

function report(results: Measure[], n8nVersion: string, nodeVersion: string) {
	const at = (side: Side, n: number) => results.find((r) => r.side === side && r.n === n);
	const measuredHttp = results.filter((r) => r.side === 'http').sort((a, b) => b.n - a.n)[0];
	const baselineFor = (n: number, empty: Measure): Measure | undefined => {
		const real = at('http', n);
		if (real || !measuredHttp) return real;
		// linear in N: the baseline's time is one paced request per item; its CPU above the empty run too
		const scale = n / measuredHttp.n;
		const emptySmall = at('empty', measuredHttp.n)!;
		return {
			...measuredHttp,
			n,
			requests: Math.round(measuredHttp.requests * scale),
			writes: Math.round(measuredHttp.writes * scale),
			rateLimited: Math.round(measuredHttp.rateLimited * scale),
			nodeMs: measuredHttp.nodeMs * scale,
			processMs: measuredHttp.processMs - measuredHttp.nodeMs + measuredHttp.nodeMs * scale,
			cpuS: empty.cpuS + (measuredHttp.cpuS - emptySmall.cpuS) * scale,
			peakRssMb: NaN,
			extrapolatedFrom: measuredHttp.n,
		};
	};
	const lines: string[] = [];
	const push = (line = '') => lines.push(line);
	push('# Benchmark: Zettle Inventory node vs. one HTTP Request per item');
	push();
	push(`Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC by \`npm run bench\` (one run, one process tree).`);
	push();
	push(`- Machine: ${cpus().length} CPUs (${cpus()[0]?.model.trim()}), ${Math.round(totalmem() / 2 ** 30)} GB RAM, Node ${nodeVersion}`);
	push(`- n8n ${n8nVersion} (real install, \`n8n execute --id\` per run), this package installed from \`npm pack\``);
	push(`- Sandbox: ${LATENCY_MS} ms latency per request, rate limit ${RATE} requests/s per organization (429 with Retry-After beyond); catalogue of 1,000 tracked products × 10 variants, STORE 100 each`);
	push('- Workload: N restocks of 1 unit (SUPPLIER → STORE), one per variant, from a Code node');
	push(`- Node: Update Balance and Bulk Update with their defaults (${CHUNK} movements per request, ${RATE} requests/s)`);
	push('- Baseline: n8n\'s HTTP Request node (n8n-nodes-base, v4.2), `PUT /organizations/self/inventory` with one change per item, the Zettle credential as predefined credential type, batching 1 item per 250 ms (n8n\'s way to respect a rate limit)');
	push('- Wall = the measured node\'s own execution time from n8n\'s run data. CPU and peak RSS are of the whole `n8n execute` process (`/usr/bin/time`); "above empty" subtracts a run of the same workflow without the measured node (n8n start-up, Code node).');
	push(`- Network floor = ⌈N/${CHUNK}⌉ · max(${LATENCY_MS} ms, 1/${RATE} s)`);
	push();
	push('| N | side | requests | 429s | wall s | wall ÷ floor | CPU s above empty | peak RSS MB above empty | balances correct |');
	push('|---|---|---|---|---|---|---|---|---|');
	const ratios: string[] = [];
	for (const n of SIZES) {
		const empty = at('empty', n)!;
		const floor = floorMs(n);
		const rows: Array<Measure | undefined> = [at('node', n), at('bulk', n), baselineFor(n, empty)];
		for (const m of rows) {
			if (!m) continue;
			const label = m.side === 'node' ? 'Update Balance' : m.side === 'bulk' ? 'Bulk Update' : `HTTP Request per item${m.extrapolatedFrom ? ` (extrapolated from N=${m.extrapolatedFrom})` : ''}`;
			const approx = m.extrapolatedFrom ? '~' : '';
			push(
				`| ${n.toLocaleString('en-US')} | ${label} | ${approx}${m.requests.toLocaleString('en-US')} | ${approx}${m.rateLimited} | ${approx}${fmt(m.nodeMs / 1000, 2)} | ${fmt(m.nodeMs / floor, 2)} | ${approx}${fmt(m.cpuS - empty.cpuS, 2)} | ${fmt(m.peakRssMb - empty.peakRssMb, 0)} | ${m.extrapolatedFrom ? 'not run' : m.correct ? 'yes' : 'NO'} |`,
			);
		}
		const node = at('node', n);
		const base = baselineFor(n, empty);
		if (node && base) {
			ratios.push(
				`| ${n.toLocaleString('en-US')} | ${fmt(base.requests / node.requests, 0)}× | ${fmt(base.nodeMs / node.nodeMs, 0)}× | ${fmt((base.cpuS - empty.cpuS) / Math.max(node.cpuS - empty.cpuS, 0.01), 1)}× | ${base.extrapolatedFrom ? 'baseline extrapolated' : 'both measured'} |`,
			);
		}
	}
	push();
	push('Baseline ÷ node (Update Balance):');
	push();
	push('| N | requests | wall | CPU above empty | |');
	push('|---|---|---|---|---|');
	lines.push(...ratios);
	push();
	const big = Math.max(...SIZES);
	const node = at('node', big);
	const empty = at('empty', big);
	const base = empty && baselineFor(big, empty);
	if (node && empty && base) {
		const floor = floorMs(big);
		const check = (ok: boolean) => (ok ? 'met' : '**missed**');
		push(`Targets for N = ${big.toLocaleString('en-US')} (Update Balance):`);
		push();
		push(`- requests = ⌈N/chunk⌉ + 1 locations read: ${node.writes} writes of ${Math.ceil(big / CHUNK)} expected, ${node.requests} requests in all: ${check(node.writes === Math.ceil(big / CHUNK))}`);
		push(`- wall ≤ 1.5 × floor (${fmt(floor / 1000, 2)} s): ${fmt(node.nodeMs / 1000, 2)} s = ${fmt(node.nodeMs / floor, 2)} × floor: ${check(node.nodeMs <= 1.5 * floor)}`);
		push(`- ≥ 100× fewer requests than the baseline: ${fmt(base.requests / node.requests, 0)}×: ${check(base.requests / node.requests >= 100)}`);
		push(`- ≥ 50× less wall time than the baseline: ${fmt(base.nodeMs / node.nodeMs, 0)}×: ${check(base.nodeMs / node.nodeMs >= 50)}`);
		push(`- node CPU ≤ 1 s (above the empty run): ${fmt(node.cpuS - empty.cpuS, 2)} s: ${check(node.cpuS - empty.cpuS <= 1)}`);
		push(`- peak memory ≤ 150 MB above an empty workflow run: ${fmt(node.peakRssMb - empty.peakRssMb, 0)} MB: ${check(node.peakRssMb - empty.peakRssMb <= 150)}`);
		push(`- final balances correct: ${node.correct ? 'yes' : 'NO'}`);
	}
	const text = `${lines.join('\n')}\n`;
	process.stdout.write(`\n${text}`);
	mkdirSync(join(ROOT, 'bench'), { recursive: true });
	writeFileSync(join(ROOT, 'bench', 'RESULTS.md'), text);
	process.stdout.write('\nwritten to bench/RESULTS.md\n');
}

main().catch((error) => {
	process.stderr.write(`${String(error?.stack ?? error)}\n`);
	process.exitCode = 1;
});
