// npm run bench: this node against the approach a user would otherwise build (n8n's own HTTP Request
// node, one PUT /organizations/self/inventory per item), both in a real n8n (`n8n execute`, the
// pinned install the end-to-end tests use) against the sandbox with 80 ms latency per request and
// a 4 requests/s rate limit (429 beyond it). Then the node's own CPU time and memory, measured
// around n8n-core's engine in this process (the sandbox runs in its own process throughout).
// Prints the figures and writes bench/RESULTS.md.
//
//   BENCH_SIZES=100,1000,10000        the N to run (default)
//   BENCH_BASELINE_MAX=100            the largest N the baseline really runs; larger N are extrapolated
//                                     from it (1,000 items take ~6 min, 10,000 ~55 min)
//   BENCH_CPU_PROF=/tmp/prof          write a V8 CPU profile of each measured `n8n execute` there

import { execFileSync, spawn } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';

import type { LoggedRequest } from '../sandbox/server';
import { generateOrganization } from '../sandbox/seed';
import { Organization } from '../sandbox/state';
import { runWorkflow, stopEngineTimers, TestCredentialsHelper } from '../harness/engine';
import { zettleNode } from '../harness/zettle';
import { ensureN8n, executionResult, importCredentials, installPackage, N8nHost, n8n, n8nEnv, ROOT } from './n8n-host';

const SIZES = (process.env.BENCH_SIZES ?? '100,1000,10000').split(',').map(Number);
const BASELINE_MAX = Number(process.env.BENCH_BASELINE_MAX ?? 100);
const LATENCY_MS = 80;
const RATE = 4;
const CHUNK = 100;
const CREDENTIAL = { id: 'zettleBenchCred001', name: 'Zettle sandbox (bench)' };

const CATALOGUE = { products: 1000, variantsPerProduct: 10, initialBalance: 100 };

/** The sandbox in its own process (so CPU measured here is n8n's and the node's only), driven by its admin API. */
class SandboxProcess {
	url = '';
	apiKey = '';
	/** the catalogue organization as the sandbox generates it (deterministic: the same UUIDs) */
	readonly org = generateOrganization({ ...CATALOGUE, organizationUuid: 'bench' });
	private child?: ReturnType<typeof spawn>;

	async start(work: string): Promise<this> {
		const info = join(work, 'sandbox.json');
		const args = ['sandbox/cli.ts', '--port', '0', '--latency', String(LATENCY_MS), '--rate-limit', String(RATE), '--catalogue', `${CATALOGUE.products}x${CATALOGUE.variantsPerProduct}`, '--info-file', info];
		this.child = spawn(join(ROOT, 'node_modules', '.bin', 'tsx'), args, { cwd: ROOT, stdio: 'ignore' });
		for (let i = 0; i < 200; i++) {
			try {
				const parsed = JSON.parse(readFileSync(info, 'utf8')) as { url: string; catalogueApiKey: string };
				this.url = parsed.url;
				this.apiKey = parsed.catalogueApiKey;
				return this;
			} catch {
				await new Promise((r) => setTimeout(r, 100));
			}
		}
		throw new Error('the sandbox did not start');
	}

	async admin<T>(method: string, path: string): Promise<T> {
		const response = await fetch(`${this.url}${path}`, { method });
		return (response.status === 204 ? undefined : await response.json()) as T;
	}

	reset = () => this.admin<void>('POST', '/__sandbox/reset');
	requests = () => this.admin<LoggedRequest[]>('GET', '/__sandbox/requests');

	/** Whether the first n variants have 101 in STORE and all others 100. */
	async correct(n: number): Promise<boolean> {
		const state = await this.admin<Record<string, { balances: Record<string, Record<string, number>> }>>('GET', '/__sandbox/state');
		const store = this.org.store.uuid;
		const org = Object.values(state).find((o) => o.balances[store]);
		if (!org) return false;
		const moved = new Set(movements(this.org, n).map((m) => m.variantUuid));
		return [...this.org.products.values()].every((p) => p.variants.every((v) => org.balances[store][v.uuid] === (moved.has(v.uuid) ? 101 : 100)));
	}

	stop() {
		this.child?.kill('SIGTERM');
	}
}

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

async function measure(host: N8nHost, env: NodeJS.ProcessEnv, sandbox: SandboxProcess, side: Side, n: number, work: string): Promise<Measure> {
	await sandbox.reset();
	const timeFile = join(work, 'time.txt');
	const outFile = join(work, 'execute.log');
	// n8n prints the whole run JSON (several MB at N = 10,000) and exits: into a pipe it would be cut
	// off at exit, into a file it is written synchronously
	const out = openSync(outFile, 'w');
	const started = Date.now();
	const code = await new Promise<number>((resolvePromise, reject) => {
		const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
		const child = spawn('/usr/bin/time', ['-f', '%e %U %S %M', '-o', timeFile, host.node, ...profile, host.bin, 'execute', `--id=bench${side}${n}`, '--rawOutput'], {
			env,
			cwd: env.N8N_USER_FOLDER,
			stdio: ['ignore', out, out],
		});
		child.on('error', reject);
		child.on('close', (c) => resolvePromise(c ?? 1));
	});
	closeSync(out);
	const stdout = readFileSync(outFile, 'utf8');
	const processMs = Date.now() - started;
	const [, user, sys, maxKb] = readFileSync(timeFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
	const result = executionResult(stdout);
	if (!result) throw new Error(`bench ${side} ${n}: no execution result (exit ${code}): ${stdout.slice(-3000)}`);
	const nodeRun = result.data.resultData.runData[NODE_NAME[side]]?.[0] as { executionTime?: number } | undefined;
	const api = (await sandbox.requests()).filter((r) => r.path.startsWith('/organizations'));
	const writes = api.filter((r) => r.method !== 'GET');
	const correct = side === 'empty' || (result.status === 'success' && (await sandbox.correct(n)));
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

/** The node alone: n8n-core's engine in this process runs it on the items (no n8n start-up, no Code node). */
async function measureInProcess(sandbox: SandboxProcess, side: 'node' | 'bulk', n: number): Promise<{ cpuS: number; rssGrowthMb: number; correct: boolean }> {
	await sandbox.reset();
	const input = movements(sandbox.org, n);
	const parameters = side === 'node' ? { resource: 'balance', operation: 'updateBalance' } : { resource: 'balance', operation: 'bulkUpdate', trackingStatusChange: 'NO_CHANGE' };
	const credentials = new TestCredentialsHelper({ zettleApi: { apiKey: sandbox.apiKey, environment: 'custom', baseUrl: sandbox.url } });
	const before = process.memoryUsage.rss();
	let peak = before;
	// rss() alone and every 25 ms: sampling costs CPU too, and would be counted as the node's
	const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 25);
	const cpu0 = process.cpuUsage();
	const { run: result } = await runWorkflow({ nodes: [zettleNode(parameters)], connections: {} }, credentials, { input, startAt: 'Zettle Inventory' });
	const cpu = process.cpuUsage(cpu0);
	clearInterval(sampler);
	peak = Math.max(peak, process.memoryUsage.rss());
	return { cpuS: (cpu.user + cpu.system) / 1e6, rssGrowthMb: (peak - before) / 2 ** 20, correct: result.status === 'success' && (await sandbox.correct(n)) };
}

async function main() {
	const say = (line = '') => process.stdout.write(`${line}\n`);
	process.env.N8N_USER_FOLDER ??= join(ROOT, '.n8n-test');
	process.env.N8N_LOG_LEVEL ??= 'silent';
	const host = await ensureN8n(undefined, say);
	const nodeVersion = execFileSync(host.node, ['--version']).toString().trim();
	const work = mkdtempSync(join(tmpdir(), 'zettle-bench-'));
	const sandbox = await new SandboxProcess().start(work);
	const results: Measure[] = [];
	const own: OwnMeasure[] = [];
	try {
		say(`n8n ${host.version} on Node ${nodeVersion}, ${cpus().length} CPUs (${cpus()[0]?.model.trim()}); sandbox ${sandbox.url}: ${LATENCY_MS} ms per request, ${RATE} requests/s (429 beyond)`);
		await installPackage(work);
		const env = await n8nEnv(work);
		await importCredentials(host, env, [{ ...CREDENTIAL, type: 'zettleApi', data: { apiKey: sandbox.apiKey, environment: 'custom', baseUrl: sandbox.url } }]);
		const dir = join(work, 'workflows');
		mkdirSync(dir);
		const sides = (n: number): Side[] => ['empty', 'node', 'bulk', ...(n <= BASELINE_MAX ? (['http'] as Side[]) : [])];
		for (const n of SIZES) for (const side of sides(n)) writeFileSync(join(dir, `${side}${n}.json`), JSON.stringify(workflow(side, n, movements(sandbox.org, n), sandbox.url)));
		await n8n(host, ['import:workflow', '--separate', `--input=${dir}`], env);
		// one warm-up run: the first execution exchanges the API key for a token and warms the disk cache
		await measure(host, env, sandbox, 'empty', SIZES[0], work);
		say('In a real n8n (n8n execute):');
		for (const n of SIZES) {
			for (const side of sides(n)) {
				const m = await measure(host, env, sandbox, side, n, work);
				results.push(m);
				say(`  N=${n} ${side}: ${m.status}, ${m.requests} requests (${m.rateLimited} × 429), node ${fmt(m.nodeMs / 1000, 2)} s, process ${fmt(m.processMs / 1000, 2)} s, CPU ${fmt(m.cpuS, 2)} s, peak RSS ${fmt(m.peakRssMb, 0)} MB, balances ${m.correct ? 'correct' : 'WRONG'}`);
			}
		}
		say("The node alone, around n8n-core's engine in this process:");
		await measureInProcess(sandbox, 'node', SIZES[0]); // warm-up: module loading, JIT, the token
		for (const n of SIZES) {
			for (const side of ['node', 'bulk'] as const) {
				// twice: the first run of a size pays for V8 compiling its hot paths (on background threads,
				// counted in the process's CPU time), the repeat is what a long-running n8n worker sees
				const first = await measureInProcess(sandbox, side, n);
				const repeat = await measureInProcess(sandbox, side, n);
				const m = { side, n, ...first, repeatCpuS: repeat.cpuS, correct: first.correct && repeat.correct };
				own.push(m);
				say(`  N=${n} ${side}: CPU ${fmt(m.cpuS, 2)} s (repeat ${fmt(m.repeatCpuS, 2)} s), peak RSS growth ${fmt(m.rssGrowthMb, 0)} MB, balances ${m.correct ? 'correct' : 'WRONG'}`);
			}
		}
	} finally {
		sandbox.stop();
		stopEngineTimers();
		rmSync(work, { recursive: true, force: true });
	}
	report(results, own, host.version, nodeVersion);
}

interface OwnMeasure {
	side: 'node' | 'bulk';
	n: number;
	cpuS: number;
	repeatCpuS: number;
	rssGrowthMb: number;
	correct: boolean;
}

function report(results: Measure[], own: OwnMeasure[], n8nVersion: string, nodeVersion: string) {
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
	push('- The sandbox runs in its own process. Wall = the measured node\'s own execution time from n8n\'s run data. CPU and peak RSS are of the whole `n8n execute` process tree (`/usr/bin/time`: main process and task runner); "above empty" subtracts a run of the same workflow without the measured node (n8n start-up, Code node). That difference also holds n8n\'s own work for the node: its idle timers over a longer run, and saving and printing 10,000 more output items.');
	push(
		"- The node alone: n8n-core's `WorkflowExecute` (2.8.1, the version inside n8n 2.8.4) in the benchmark's own process runs just the node on the items; `process.cpuUsage()` around the run (all threads: V8's compiler and garbage collector threads count too), peak RSS sampled every 25 ms above the RSS before it. Each size runs twice; the first run pays for compiling its hot paths.",
	);
	push(`- Network floor = ⌈N/${CHUNK}⌉ · max(${LATENCY_MS} ms, 1/${RATE} s)`);
	push();
	push('Peak RSS differences of some 10 MB either way (negative ones too) are the run-to-run noise of a 350 MB process.');
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
	push("The node alone (CPU of the process running n8n-core's engine and the node; the sandbox is another process):");
	push();
	push('| N | operation | CPU s, first run | CPU s, repeated | peak RSS growth MB | balances correct |');
	push('|---|---|---|---|---|---|');
	for (const m of own) {
		push(`| ${m.n.toLocaleString('en-US')} | ${m.side === 'node' ? 'Update Balance' : 'Bulk Update'} | ${fmt(m.cpuS, 2)} | ${fmt(m.repeatCpuS, 2)} | ${fmt(m.rssGrowthMb, 0)} | ${m.correct ? 'yes' : 'NO'} |`);
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
		push(
			`- requests = ⌈N/chunk⌉ = ${Math.ceil(big / CHUNK)}: ${node.writes} writes, plus the one read of the organization's locations that checks every item's locations before anything is sent: ${node.requests} requests in all: ${check(node.writes === Math.ceil(big / CHUNK))} for the writes`,
		);
		push(`- wall ≤ 1.5 × floor (${fmt(floor / 1000, 2)} s): ${fmt(node.nodeMs / 1000, 2)} s = ${fmt(node.nodeMs / floor, 2)} × floor: ${check(node.nodeMs <= 1.5 * floor)}`);
		push(
			`- ≥ 100× fewer requests than the baseline: ${fmt(base.requests / node.requests, 1)}× counting every request (${fmt(base.writes / node.writes, 0)}× counting writes): ${check(base.requests / node.requests >= 100)}${base.requests / node.requests < 100 ? ' by the one locations read, which the node keeps: without it an unknown location would only be found by Zettle, after earlier chunks were applied' : ''}`,
		);
		push(`- ≥ 50× less wall time than the baseline: ${fmt(base.nodeMs / node.nodeMs, 0)}×: ${check(base.nodeMs / node.nodeMs >= 50)}`);
		const alone = own.find((m) => m.side === 'node' && m.n === big);
		if (alone) {
			push(
				`- node CPU ≤ 1 s: ${fmt(alone.cpuS, 2)} s for the node alone on its first run (${fmt(alone.repeatCpuS, 2)} s repeated): ${check(alone.cpuS <= 1)}; the whole n8n process used ${fmt(node.cpuS - empty.cpuS, 2)} s more than the empty run (see above for what that holds)`,
			);
		}
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
