// npm run bench: the workload users run, a stock sync from a webshop's CSV export into Zettle, with
// this package (Set Stock Level on both Inventory APIs) against what a careful user builds with
// n8n's own nodes (HTTP Request with pagination, batching and Retry On Fail, Code, Loop Over Items,
// Wait), both in a real n8n (`n8n execute`, the pinned install of the end-to-end tests) against the
// sandbox in its own process with 80 ms latency per request and a 4 requests/s rate limit (429
// beyond). Then the node alone around n8n-core's engine in this process, at growing N (CPU per item,
// peak memory, a plot and a CPU profile), and the Update Balance comparison kept from before.
// Writes bench/RESULTS.md and bench/growth.svg; every process it starts is stopped by its pid.
//
//   BENCH_SIZES=100,1000,10000           the CSV sizes N (SKUs in the export)
//   BENCH_BASELINE_MAX=1000              the largest N the baseline really runs; larger N are extrapolated
//                                        (N = 1,000 takes ~7 min, 10,000 would take ~70 min)
//   BENCH_GROWTH_SIZES=1000,10000,100000 the node alone: items per run ('' skips)
//   BENCH_DRILL_N=50                     the 429 drill: each side at this N with 429s injected (0 skips)
//   BENCH_MOVEMENT_SIZES=100,1000,10000  Update Balance vs one HTTP Request PUT per item ('' skips)
//   BENCH_BULK=1                         also Bulk Update in that comparison
//   BENCH_PROFILE=0                      no CPU profile of the largest growth run
//   BENCH_CPU_PROFILE_DIR=/tmp/prof      keep the .cpuprofile files (the growth one, and one per `n8n execute`)
//   BENCH_QUIET_WAIT_MIN=20              wait up to 20 minutes for a quiet machine before measuring

import './bench/sourceMaps';

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

import type { FaultRule } from '../sandbox/faults';
import type { LoggedRequest } from '../sandbox/server';
import { stopEngineTimers } from '../harness/engine';
import { GrowthMeasure, measureGrowth, profileRun } from './bench/growth';
import { loadLine, machineLine, otherBusyProcesses, waitForQuiet } from './bench/machine';
import { executeMeasured, isWrite, N8nRun } from './bench/n8nRun';
import { chartSvg } from './bench/plot';
import { onSignalCleanup, runningPids, stopAll, stopOnSignals } from './bench/processes';
import { CpuProfile, summarise } from './bench/profile';
import { SandboxProcess } from './bench/sandbox';
import {
	baselineWorkflow,
	CREDENTIAL,
	emptyCsvWorkflow,
	LATENCY_MS,
	MovementSide,
	movementWorkflow,
	PACE_MS,
	RATE,
	setStockLevelWorkflow,
} from './bench/workflows';
import {
	catalogueOrganization,
	checkTargets,
	csvOf,
	restocks,
	restockTargets,
	targetsOf,
	webshopExport,
} from './bench/workload';
import { sandboxApiKeyCredential } from './fixtures';
import { ensureN8n, importCredentials, installPackage, n8n, n8nEnv, ROOT } from './n8n-host';

const list = (name: string, fallback: string) =>
	(process.env[name] ?? fallback)
		.split(',')
		.filter((s) => s.trim())
		.map(Number);
const SIZES = list('BENCH_SIZES', '100,1000,10000');
const BASELINE_MAX = Number(process.env.BENCH_BASELINE_MAX ?? 1000);
const GROWTH_SIZES = list('BENCH_GROWTH_SIZES', '1000,10000,100000');
const MOVEMENT_SIZES = list('BENCH_MOVEMENT_SIZES', '100,1000,10000');
const DRILL_N = Number(process.env.BENCH_DRILL_N ?? 50);
const PROFILE = process.env.BENCH_PROFILE !== '0';
const PROFILE_DIR = process.env.BENCH_CPU_PROFILE_DIR;
const CATALOGUE = { products: 1000, variantsPerProduct: 10 };
const CHUNK = 100;
/** the time one request costs at least: its latency, or its share of the rate limit */
const REQUEST_FLOOR_MS = Math.max(LATENCY_MS, 1000 / RATE);
const GROWTH_TARGET_US = 50;

type SyncSide = 'legacy' | 'v3' | 'baseline';
const SIDE_LABEL: Record<SyncSide, string> = {
	legacy: 'Set Stock Level, legacy API (typeVersion 1)',
	v3: 'Set Stock Level, V3 API (typeVersion 2)',
	baseline: "n8n's own nodes (careful baseline)",
};

interface SyncMeasure {
	side: SyncSide;
	n: number;
	changed: number;
	/** undefined when extrapolated */
	run?: N8nRun;
	requests: { reads: number; writes: number; rateLimited: number; ok: number };
	kinds: Record<Kind, number>;
	wallMs: number;
	/** CPU of the execution (n8n and its task runner), s */
	cpuS?: number;
	/** the same minus a run of the CSV nodes only */
	cpuAboveEmptyS: number;
	correct?: boolean;
	wrong: string[];
	extrapolatedFrom?: number[];
}

interface DrillMeasure {
	side: SyncSide;
	n: number;
	run: N8nRun;
	/** 429s the sandbox was told to answer, and those its rate limit answered */
	injected: number;
	rateLimited: number;
	correct: boolean;
	wrong: string[];
}

/**
 * The 429 drill: besides the rate limit, the sandbox answers 429 (`Retry-After: 1`, nothing applied)
 * to the second library page, one balance read before the writes, and the first and a middle
 * movement write, whichever of them a side sends.
 */
function drillRules(changed: number): FaultRule[] {
	const action = 'rateLimited429' as const;
	return [
		{ method: 'GET', path: '/organizations/self/library', nth: [2], action },
		{ method: 'POST', path: '/organizations/self/inventory/products', nth: [1], action },
		{ method: 'GET', path: '/v3/stock', nth: [3], action },
		{ method: 'PUT', path: '/organizations/self/inventory', nth: [1], action },
		{
			method: 'POST',
			path: '/v3/movements',
			nth: [...new Set([1, Math.ceil(changed / 2)])],
			action,
		},
	];
}

interface MovementMeasure {
	side: MovementSide;
	n: number;
	run: N8nRun;
	correct: boolean;
}

const say = (line = '') => process.stdout.write(`${line}\n`);
const fmt = (x: number, digits = 1) =>
	Number.isFinite(x)
		? x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
		: 'n/a';
const int = (x: number) => Math.round(x).toLocaleString('en-US');

type Kind =
	| 'locations'
	| 'library pages'
	| 'tracking-status reads'
	| 'balance reads'
	| 'writes'
	| 'read-back reads'
	| 'other';
const KINDS: Kind[] = [
	'locations',
	'library pages',
	'tracking-status reads',
	'balance reads',
	'writes',
	'read-back reads',
	'other',
];

/** What the requests of a run were, by kind (429s left out). */
function kindsOf(log: LoggedRequest[]): Record<Kind, number> {
	const ok = log.filter(
		(r) => (r.path.startsWith('/organizations') || r.path.startsWith('/v3/')) && r.status !== 429,
	);
	const firstWrite = ok.find(isWrite)?.seq ?? Infinity;
	const kindOf = (r: LoggedRequest): Kind => {
		if (isWrite(r)) return 'writes';
		if (r.path === '/organizations/self/locations' || r.path === '/v3/inventories')
			return 'locations';
		if (r.path === '/organizations/self/library') return 'library pages';
		if (r.path === '/v3/products/status') return 'tracking-status reads';
		if (r.path === '/organizations/self/inventory/products' || r.path.startsWith('/v3/stock'))
			return r.seq < firstWrite ? 'balance reads' : 'read-back reads';
		return 'other';
	};
	const counts = Object.fromEntries(KINDS.map((k) => [k, 0])) as Record<Kind, number>;
	for (const r of ok) counts[kindOf(r)]++;
	return counts;
}

/** "1 locations + 3 library pages + …" */
const describeKinds = (kinds: Record<Kind, number>) =>
	KINDS.filter((k) => kinds[k])
		.map((k) => `${int(kinds[k])} ${k}`)
		.join(' + ');

async function main() {
	stopOnSignals();
	process.env.N8N_USER_FOLDER ??= join(ROOT, '.n8n-test'); // n8n-core's instance settings in this process
	process.env.N8N_LOG_LEVEL ??= 'silent';
	const started = Date.now();
	const host = await ensureN8n(undefined, say);
	const nodeVersion = execFileSync(host.node, ['--version']).toString().trim();
	const quietWait = Number(process.env.BENCH_QUIET_WAIT_MIN ?? 0);
	const quiet =
		quietWait > 0
			? await waitForQuiet(quietWait, runningPids, say)
			: { quiet: true, waitedS: 0, others: otherBusyProcesses([]) };
	const load = {
		start: loadLine(),
		end: '',
		others: quiet.others,
		waitedS: quiet.waitedS,
		maxOneMinute: loadavg()[0],
		seen: new Set<string>(),
	};
	say(
		`n8n ${host.version} on Node ${nodeVersion}, ${machineLine(nodeVersion)}; load average ${load.start}${load.others.length ? `; other busy processes: ${load.others.length}` : ''}`,
	);
	const work = mkdtempSync(join(tmpdir(), 'zettle-bench-'));
	const dropCleanup = onSignalCleanup(() => rmSync(work, { recursive: true, force: true }));
	const sync: SyncMeasure[] = [];
	const empties = new Map<number, N8nRun>();
	const movement: MovementMeasure[] = [];
	const drill: DrillMeasure[] = [];
	let growth: GrowthMeasure[] = [];
	let profile: ReturnType<typeof summarise> | undefined;
	let sandbox: SandboxProcess | undefined;
	try {
		sandbox = await new SandboxProcess({ ...CATALOGUE, latencyMs: LATENCY_MS, rate: RATE }).start();
		const sb = sandbox;
		say(
			`sandbox ${sb.url} (pid ${sb.pid}): ${CATALOGUE.products} × ${CATALOGUE.variantsPerProduct} tracked variants, ${LATENCY_MS} ms per request, ${RATE} requests/s (429 beyond)`,
		);
		await installPackage(work);
		// n8n 2.8 reads and writes files only under N8N_RESTRICT_FILE_ACCESS_TO (default ~/.n8n-files), and
		// never inside its own folder (N8N_BLOCK_FILE_ACCESS_TO_N8N_FILES, default true): the CSVs go to a
		// folder of their own outside the user folder's .n8n, and that folder is the one allowed
		const csvDir = join(work, 'csv');
		mkdirSync(csvDir);
		const env = await n8nEnv(work, { N8N_RESTRICT_FILE_ACCESS_TO: csvDir });
		await importCredentials(host, env, [sandboxApiKeyCredential(sb, CREDENTIAL)]);
		const org = catalogueOrganization(CATALOGUE);
		const dir = join(work, 'workflows');
		mkdirSync(dir);
		const exports = new Map(SIZES.map((n) => [n, webshopExport(org, n)]));
		for (const n of SIZES) {
			const csv = join(csvDir, `webshop-stock-${n}.csv`);
			writeFileSync(csv, csvOf(exports.get(n)!));
			const flows = [
				emptyCsvWorkflow(`benchEmpty${n}`, csv),
				setStockLevelWorkflow(`benchLegacy${n}`, csv, 1),
				setStockLevelWorkflow(`benchV3${n}`, csv, 2),
				baselineWorkflow(`benchBaseline${n}`, csv, sb.url),
			];
			for (const f of flows) writeFileSync(join(dir, `${f.id}.json`), JSON.stringify(f));
		}
		const drillRows = DRILL_N > 0 ? webshopExport(org, DRILL_N) : [];
		if (DRILL_N > 0) {
			const csv = join(csvDir, `webshop-stock-drill-${DRILL_N}.csv`);
			writeFileSync(csv, csvOf(drillRows));
			const flows = [
				setStockLevelWorkflow('benchDrillLegacy', csv, 1),
				setStockLevelWorkflow('benchDrillV3', csv, 2),
				baselineWorkflow('benchDrillBaseline', csv, sb.url),
			];
			for (const f of flows) writeFileSync(join(dir, `${f.id}.json`), JSON.stringify(f));
		}
		for (const n of MOVEMENT_SIZES) {
			for (const side of movementSides(n)) {
				const f = movementWorkflow(`benchMove${side}${n}`, side, restocks(org, n), sb.url);
				writeFileSync(join(dir, `${f.id}.json`), JSON.stringify(f));
			}
		}
		await n8n(host, ['import:workflow', '--separate', `--input=${dir}`], env);
		const execute = async (id: string, rules?: FaultRule[]) => {
			// what else ran on the machine during the run: sampled before every execution
			load.maxOneMinute = Math.max(load.maxOneMinute, loadavg()[0]);
			for (const other of otherBusyProcesses(runningPids()))
				load.seen.add(other.replace(/^\d+ \([\d.]+% CPU\): /, ''));
			await sb.reset();
			if (rules) await sb.setRules(rules);
			return await executeMeasured(host, env, work, id, sb.requests, PROFILE_DIR);
		};
		// warm-up: the first execution exchanges the API key for a token (stored with the credential) and warms the disk cache
		if (SIZES.length) await execute(`benchLegacy${SIZES[0]}`);

		say('Stock sync from a CSV export, in a real n8n (n8n execute):');
		for (const n of SIZES) {
			const rows = exports.get(n)!;
			const changed = rows.filter((r) => r.changed).length;
			const empty = await execute(`benchEmpty${n}`);
			if (empty.status !== 'success') throw new Error(`the CSV read failed: ${empty.error}`);
			empties.set(n, empty);
			say(
				`  N=${n} CSV read only: execution CPU ${fmt(executionCpu(empty), 2)} s, peak RSS ${fmt(empty.execution.peakRssMb, 0)} MB; process ${fmt(empty.processMs / 1000, 1)} s, CPU ${fmt(empty.cpuS, 2)} s, peak RSS ${fmt(empty.peakRssMb, 0)} MB`,
			);
			for (const side of ['legacy', 'v3', 'baseline'] as const) {
				if (side === 'baseline' && n > BASELINE_MAX) continue;
				const id =
					side === 'legacy'
						? `benchLegacy${n}`
						: side === 'v3'
							? `benchV3${n}`
							: `benchBaseline${n}`;
				const run = await execute(id);
				const wrong = checkTargets(org, await sb.state(org.store.uuid), targetsOf(rows));
				if (run.requests.movementsApplied !== changed)
					wrong.push(
						`${run.requests.movementsApplied} movements applied for ${changed} changed SKUs`,
					);
				const m: SyncMeasure = {
					side,
					n,
					changed,
					run,
					requests: {
						reads: run.requests.reads,
						writes: run.requests.writes,
						rateLimited: run.requests.rateLimited,
						ok: run.requests.total - run.requests.rateLimited,
					},
					kinds: kindsOf(run.log),
					wallMs: run.wallMs,
					cpuS: executionCpu(run),
					cpuAboveEmptyS: executionCpu(run) - executionCpu(empty),
					correct: run.status === 'success' && !wrong.length,
					wrong,
				};
				sync.push(m);
				run.log = []; // the request log is large at N = 10,000; the counts are kept
				say(
					`  N=${n} ${side}: ${run.status}${run.error ? ` (${run.error.slice(0, 200)})` : ''}, ${m.requests.reads} reads + ${m.requests.writes} writes (${describeKinds(m.kinds)}), ${m.requests.rateLimited} × 429, wall ${fmt(m.wallMs / 1000, 2)} s = ${fmt(m.wallMs / floorMs(m), 2)} × floor, execution CPU ${fmt(m.cpuS!, 2)} s (${fmt(m.cpuAboveEmptyS, 2)} above the CSV read), peak RSS ${fmt(run.execution.peakRssMb, 0)} MB (+${fmt(run.execution.peakRssMb - run.execution.rssBeforeMb, 0)}), task runner ${fmt(run.execution.childPeakRssMb, 0)} MB; process CPU ${fmt(run.cpuS, 1)} s, balances ${m.correct ? 'correct' : `WRONG: ${wrong.slice(0, 3).join('; ')}`}`,
				);
			}
		}
		for (const n of SIZES)
			if (n > BASELINE_MAX)
				sync.push(
					...extrapolatedBaseline(n, exports.get(n)!.filter((r) => r.changed).length, sync),
				);

		if (DRILL_N > 0) {
			const changed = drillRows.filter((r) => r.changed).length;
			say(
				`429 drill: N=${DRILL_N}, 429s injected on the 2nd library page, a balance read and the 1st and a middle movement write:`,
			);
			for (const side of ['legacy', 'v3', 'baseline'] as const) {
				const run = await execute(
					side === 'legacy'
						? 'benchDrillLegacy'
						: side === 'v3'
							? 'benchDrillV3'
							: 'benchDrillBaseline',
					drillRules(changed),
				);
				const wrong = checkTargets(org, await sb.state(org.store.uuid), targetsOf(drillRows));
				if (run.requests.movementsApplied !== changed)
					wrong.push(
						`${run.requests.movementsApplied} movements applied for ${changed} changed SKUs`,
					);
				const injected = run.log.filter((r) => r.fault === 'rateLimited429').length;
				const m: DrillMeasure = {
					side,
					n: DRILL_N,
					run,
					injected,
					rateLimited: run.requests.rateLimited - injected,
					correct: run.status === 'success' && !wrong.length,
					wrong,
				};
				run.log = [];
				drill.push(m);
				say(
					`  ${side}: ${run.status}${run.error ? ` (${run.error.slice(0, 160)})` : ''}, ${injected} injected 429s + ${m.rateLimited} from the rate limit, ${run.requests.total} requests, wall ${fmt(run.wallMs / 1000, 1)} s, balances ${m.correct ? 'correct' : `WRONG: ${wrong.slice(0, 3).join('; ')}`}`,
				);
			}
		}

		if (MOVEMENT_SIZES.length) {
			say(
				'Update Balance vs one HTTP Request PUT per item (the comparison before issue 16), in a real n8n:',
			);
			for (const n of MOVEMENT_SIZES) {
				for (const side of movementSides(n)) {
					const run = await execute(`benchMove${side}${n}`);
					const wrong =
						side === 'empty'
							? []
							: checkTargets(org, await sb.state(org.store.uuid), restockTargets(restocks(org, n)));
					run.log = [];
					movement.push({ side, n, run, correct: run.status === 'success' && !wrong.length });
					say(
						`  N=${n} ${side}: ${run.status}, ${run.requests.total} requests (${run.requests.rateLimited} × 429), wall ${fmt(run.wallMs / 1000, 2)} s, execution CPU ${fmt(executionCpu(run), 2)} s, peak RSS ${fmt(run.execution.peakRssMb, 0)} MB${side === 'empty' ? '' : `, balances ${wrong.length ? 'WRONG' : 'correct'}`}`,
					);
				}
			}
		}
		await sb.stop();
		sandbox = undefined;

		if (GROWTH_SIZES.length) {
			say(
				"The node alone, around n8n-core's engine in this process (sandbox without latency or rate limit, catalogue of N variants):",
			);
			growth = await measureGrowth(GROWTH_SIZES, ['updateBalance', 'setStockLevel'], say);
			if (PROFILE) {
				const n = Math.max(...GROWTH_SIZES);
				const raw = (await profileRun('updateBalance', n)) as CpuProfile;
				if (PROFILE_DIR)
					writeFileSync(
						join(PROFILE_DIR, `growth-updateBalance-${n}.cpuprofile`),
						JSON.stringify(raw),
					);
				profile = summarise(raw);
				say(
					`  profile of Update Balance at N=${n}: ${profile.owners
						.slice(0, 5)
						.map((o) => `${o.name} ${fmt(o.ms, 0)} ms`)
						.join(', ')}`,
				);
			}
		}
	} finally {
		await sandbox?.stop();
		await stopAll();
		stopEngineTimers();
		rmSync(work, { recursive: true, force: true });
		dropCleanup();
	}
	load.end = loadLine();
	const leftover = runningPids();
	if (leftover.length)
		throw new Error(`processes still running after the benchmark: ${leftover.join(', ')}`);
	const minutes = (Date.now() - started) / 60_000;
	writeReport({
		sync,
		empties,
		drill,
		movement,
		growth,
		profile,
		n8nVersion: host.version,
		nodeVersion,
		load,
		minutes,
	});
}

function movementSides(n: number): MovementSide[] {
	return [
		'empty',
		'node',
		...(process.env.BENCH_BULK === '1' ? (['bulk'] as MovementSide[]) : []),
		...(n <= 100 ? (['http'] as MovementSide[]) : []),
	];
}

const floorMs = (m: Pick<SyncMeasure, 'requests'>) => m.requests.ok * REQUEST_FLOOR_MS;
const executionCpu = (run: N8nRun) => run.execution.cpuS + run.execution.childCpuS;

/** The baseline at an N it did not run: requests exactly as its workflow sends them; time and CPU linear in N through the two largest measured N. */
function extrapolatedBaseline(n: number, changed: number, measured: SyncMeasure[]): SyncMeasure[] {
	const runs = measured.filter((m) => m.side === 'baseline' && m.run).sort((a, b) => a.n - b.n);
	if (!runs.length) return [];
	const [a, b] = runs.length > 1 ? runs.slice(-2) : [runs[0], runs[0]];
	const line = (f: (m: SyncMeasure) => number) =>
		a.n === b.n ? (f(b) / b.n) * n : f(b) + ((f(b) - f(a)) / (b.n - a.n)) * (n - b.n);
	const pages = b.run!.requests.libraryPages;
	const reads = 1 + pages + n;
	return [
		{
			side: 'baseline',
			n,
			changed,
			requests: {
				reads,
				writes: changed,
				rateLimited: Math.round((b.requests.rateLimited / b.n) * n),
				ok: reads + changed,
			},
			kinds: {
				...Object.fromEntries(KINDS.map((k) => [k, 0])),
				locations: 1,
				'library pages': pages,
				'balance reads': n,
				writes: changed,
			} as Record<Kind, number>,
			wallMs: line((m) => m.wallMs),
			cpuAboveEmptyS: line((m) => m.cpuAboveEmptyS),
			wrong: [],
			extrapolatedFrom: [...new Set([a.n, b.n])],
		},
	];
}

interface Report {
	sync: SyncMeasure[];
	empties: Map<number, N8nRun>;
	drill: DrillMeasure[];
	movement: MovementMeasure[];
	growth: GrowthMeasure[];
	profile?: ReturnType<typeof summarise>;
	n8nVersion: string;
	nodeVersion: string;
	load: {
		start: string;
		end: string;
		others: string[];
		waitedS: number;
		maxOneMinute: number;
		seen: Set<string>;
	};
	minutes: number;
}

function writeReport(r: Report) {
	const lines: string[] = [];
	const push = (line = '') => lines.push(line);
	const at = (side: SyncSide, n: number) => r.sync.find((m) => m.side === side && m.n === n);
	push(
		'# Benchmark: a stock sync of up to 10,000 SKUs, this node vs. what a user builds without it',
	);
	push();
	push(
		`Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC by \`npm run bench\` in ${fmt(r.minutes, 1)} minutes: one run, one machine, every figure below from that run.`,
	);
	push();
	push(
		`- Machine: ${machineLine(r.nodeVersion)}. Load average (1, 5, 15 min) when the run started: ${r.load.start}; when it ended: ${r.load.end}.${r.load.waitedS ? ` The run waited ${r.load.waitedS} s for a quiet machine first.` : ''} ${
			r.load.others.length
				? `Other jest or n8n processes when it started: ${r.load.others.length} (${r.load.others
						.slice(0, 4)
						.map((o) => o.replace(/^(\d+) \(([\d.]+% CPU)\): (.{0,60}).*$/, '$3 ($2)'))
						.join('; ')}${r.load.others.length > 4 ? '; …' : ''}).`
				: 'No other jest or n8n processes were running when it started.'
		} Highest 1-minute load average seen before an n8n execution: ${fmt(r.load.maxOneMinute, 2)}; other jest or n8n processes seen during the run: ${
			r.load.seen.size
				? `${r.load.seen.size} (${[...r.load.seen]
						.slice(0, 3)
						.map((o) => o.slice(0, 60))
						.join('; ')}${r.load.seen.size > 3 ? '; …' : ''})`
				: 'none'
		}.`,
	);
	push(
		`- n8n ${r.n8nVersion} (real install, \`n8n execute --id\` per run), this package installed from \`npm pack\`.`,
	);
	push(
		`- Sandbox in its own process: ${LATENCY_MS} ms latency per request, ${RATE} requests/s per organization (sliding 1 s window, 429 with \`Retry-After: 1\` beyond); a catalogue of ${int(CATALOGUE.products)} tracked products × ${CATALOGUE.variantsPerProduct} variants (${int(CATALOGUE.products * CATALOGUE.variantsPerProduct)} SKUs \`SKU-<p>-<v>\`), STORE 100 each.`,
	);
	push(
		"- Input: a webshop export of N SKUs (`sku,quantity,title`, the first N/10 products with all their variants), 30% of them (drawn with a fixed seed) with a target 1–60 above or below STORE's 100, the rest equal; written to a CSV file and read by n8n's own nodes, **Read/Write Files from Disk** → **Extract From File** (CSV).",
	);
	push(
		'- n8n 2.8 file access: by default n8n reads files only under `~/.n8n-files` (`N8N_RESTRICT_FILE_ACCESS_TO`): the read fails with "Access to the file is not allowed. Allowed paths: /root/.n8n-files". The benchmark sets `N8N_RESTRICT_FILE_ACCESS_TO` to the folder it writes the CSVs to, outside n8n\'s own folder, which `N8N_BLOCK_FILE_ACCESS_TO_N8N_FILES` (default `true`, left so) keeps closed.',
	);
	push(
		`- This node: **Set Stock Level**, Identify By SKU, every other parameter at its default (${CHUNK} movements per request, ${RATE} requests/s paced ${PACE_MS} ms apart), on both Inventory APIs: node typeVersion 1 (legacy: \`POST …/inventory/products\` reads 100 products a request, \`PUT …/inventory\` answers with the balances) and typeVersion 2 (V3: \`POST /v3/products/status\`, \`GET /v3/stock/…\` per product up to 25 products, else the whole STORE inventory, 100 rows a page; \`POST /v3/movements\` answers 204, so the moved balances are read back the same way).`,
	);
	push(
		`- Baseline, what a careful user builds with n8n's own nodes and the Zettle credential (Inventory API V3, which Zettle now documents): HTTP Request \`GET /v3/inventories\` once; HTTP Request \`GET /organizations/self/library?limit=500\` once, with n8n's **pagination** following the \`Link\` header (${PACE_MS} ms between pages); a Code node indexing SKU → variant (ambiguous and unknown SKUs are errors); **Loop Over Items** in chunks of 100 → Wait ${1 / RATE} s → HTTP Request \`GET /v3/stock/{store}/products/{product}\` per item with **batching** (1 item per ${PACE_MS} ms, the node's own pacing); a Code node computing the deltas; **Loop Over Items** one changed item at a time → Wait ${1 / RATE} s → HTTP Request \`POST /v3/movements\` with one movement. Every HTTP Request node has **Retry On Fail** (5 tries, 1 s apart). Why the loops: n8n's Retry On Fail runs the failed node again with *all* its input items, so a movement node holding many items would resend the movements already applied after one 429 (Zettle has no idempotency: wrong balances), and a read node holding 10,000 items would re-read all of them.`,
	);
	push(
		`- Wall = from the first measured node's start to the last one's end (n8n's run data; the CSV nodes are left out). Network floor = the side's own successful requests × max(${LATENCY_MS} ms latency, 1/${RATE} s) = requests × ${REQUEST_FLOOR_MS} ms. Execution CPU and peak RSS are measured inside n8n by an external hook (\`scripts/bench/execution-hook.js\`, \`EXTERNAL_HOOK_FILES\`) from workflow.preExecute to workflow.postExecute: CPU of n8n's process plus its task runner (which runs Code nodes), so n8n's start-up (6–8 s of CPU that varies by ±1 s from run to run) is left out; "above CSV read" subtracts the same figure of a run of the workflow with only the CSV nodes. n8n's RSS is sampled every 100 ms during the execution (growth = above its RSS when the execution started); the task runner's is its peak (VmHWM). The whole \`n8n execute\` process tree from \`/usr/bin/time\` (start-up included; peak RSS of its largest process) is shown too. Balances correct = after the run, every SKU of the export at its target in STORE, every other variant still at 100, every product still tracked, and exactly one movement applied per changed SKU (none twice).`,
	);
	push();
	push('## Stock sync: CSV export → Zettle');
	push();
	push(
		'| N | side | requests: reads / writes | 429s | wall s | network floor s | wall ÷ floor | execution CPU s (above CSV read) | peak RSS MB: n8n (growth) / task runner | whole `n8n execute`: CPU s / peak RSS MB | balances correct |',
	);
	push('|---|---|---|---|---|---|---|---|---|---|---|');
	for (const n of SIZES) {
		for (const side of ['legacy', 'v3', 'baseline'] as const) {
			const m = at(side, n);
			if (!m) continue;
			const x = m.extrapolatedFrom ? '~' : '';
			const label = `${SIDE_LABEL[side]}${m.extrapolatedFrom ? ` — **extrapolated** from N = ${m.extrapolatedFrom.map(int).join(' and ')}` : ''}`;
			const e = m.run?.execution;
			const cpu = m.run
				? `${fmt(m.cpuS!, 2)} (${fmt(m.cpuAboveEmptyS, 2)})`
				: `~${fmt(m.cpuAboveEmptyS, 1)} (above CSV read)`;
			const rss = e
				? `${fmt(e.peakRssMb, 0)} (+${fmt(e.peakRssMb - e.rssBeforeMb, 0)}) / ${e.childPeakRssMb ? fmt(e.childPeakRssMb, 0) : '–'}`
				: 'n/a';
			const whole = m.run ? `${fmt(m.run.cpuS, 1)} / ${fmt(m.run.peakRssMb, 0)}` : 'n/a';
			const ok = m.extrapolatedFrom
				? 'not run'
				: m.correct
					? 'yes'
					: `**NO**: ${m.wrong.slice(0, 2).join('; ')}`;
			push(
				`| ${int(n)} | ${label} | ${x}${int(m.requests.reads)} / ${x}${int(m.requests.writes)} | ${x}${m.requests.rateLimited} | ${x}${fmt(m.wallMs / 1000, 1)} | ${fmt(floorMs(m) / 1000, 1)} | ${fmt(m.wallMs / floorMs(m), 2)} | ${cpu} | ${rss} | ${whole} | ${ok} |`,
			);
		}
	}
	push();
	push('What the requests were (429s left out):');
	push();
	for (const m of r.sync)
		push(
			`- N = ${int(m.n)}, ${SIDE_LABEL[m.side]}${m.extrapolatedFrom ? ' (extrapolated)' : ''}: ${describeKinds(m.kinds)}`,
		);
	push();
	push('Baseline ÷ node:');
	push();
	push('| N | API | requests | wall | |');
	push('|---|---|---|---|---|');
	for (const n of SIZES) {
		const base = at('baseline', n);
		if (!base) continue;
		for (const side of ['legacy', 'v3'] as const) {
			const node = at(side, n);
			if (!node) continue;
			push(
				`| ${int(n)} | ${side === 'legacy' ? 'legacy' : 'V3'} | ${fmt(base.requests.ok / node.requests.ok, 1)}× | ${fmt(base.wallMs / node.wallMs, 1)}× | ${base.extrapolatedFrom ? 'baseline extrapolated' : 'both measured'} |`,
			);
		}
	}
	push();
	const big = Math.max(...SIZES);
	const base = at('baseline', big);
	const check = (ok: boolean) => (ok ? 'met' : '**missed**');
	push(`### Targets for the node at N = ${int(big)}`);
	push();
	for (const side of ['legacy', 'v3'] as const) {
		const node = at(side, big);
		if (!node) continue;
		const ratio = base ? base.wallMs / node.wallMs : NaN;
		push(
			`- ${SIDE_LABEL[side]}: wall ${fmt(node.wallMs / 1000, 1)} s = ${fmt(node.wallMs / floorMs(node), 2)} × its floor (≤ 1.2: ${check(node.wallMs <= 1.2 * floorMs(node))}); ${fmt(ratio, 0)}× less wall than the baseline${base?.extrapolatedFrom ? ' (extrapolated)' : ''} (≥ 100×: ${check(ratio >= 100)}); final balances exact: ${node.correct ? 'yes' : '**no**'}.`,
		);
	}
	const v3 = at('v3', big);
	if (v3 && base && base.wallMs / v3.wallMs < 100) {
		const inventoryReads = v3.kinds['balance reads'] + v3.kinds['read-back reads'];
		push(
			`- Why V3 falls short of 100×: Inventory API V3 has no balance read of a list of products, and its movement writes answer 204 without balances, so the node reads the STORE inventory page by page (100 rows a page) before the writes and again after them to report the balances it left: ${int(inventoryReads)} of its ${int(v3.requests.ok)} requests. Both sides wait on the same rate limit, so wall time follows the request count: ${int(base.requests.ok)} / ${int(v3.requests.ok)} = ${fmt(base.requests.ok / v3.requests.ok, 0)}× fewer requests. 100× would need at most ${int(base.requests.ok / 100)} requests in all, fewer than those inventory reads alone; the legacy API reads 100 products and writes 100 movements per request and returns the balances with the write.`,
		);
	}
	const baseRuns = r.sync.filter((m) => m.side === 'baseline' && m.run);
	if (baseRuns.length) {
		push(
			`- The baseline's runs: ${baseRuns.map((m) => `N = ${int(m.n)}: ${m.requests.rateLimited} × 429${m.requests.rateLimited ? ' (each retried by Retry On Fail)' : ''}, balances ${m.correct ? 'correct' : `**wrong** (${m.wrong.slice(0, 3).join('; ')})`}`).join('; ')}.`,
		);
	}
	push();
	if (r.drill.length) drillSection(r, push);
	if (r.growth.length) growthSection(r, push);
	if (r.movement.length) movementSection(r, push);
	const text = `${lines.join('\n')}\n`;
	process.stdout.write(`\n${text}`);
	mkdirSync(join(ROOT, 'bench'), { recursive: true });
	writeFileSync(join(ROOT, 'bench', 'RESULTS.md'), text);
	say('\nwritten to bench/RESULTS.md');
}

function drillSection(r: Report, push: (line?: string) => void) {
	const n = r.drill[0].n;
	push(`## 429 drill: N = ${int(n)} with 429s injected`);
	push();
	push(
		`Each side once more on an export of ${int(n)} SKUs, with the sandbox told to answer 429 (\`Retry-After: 1\`, nothing applied) to the 2nd library page, one balance read before the writes (the 1st \`POST …/inventory/products\`, the 3rd \`GET /v3/stock/…\`) and the 1st and a middle movement write (\`PUT …/inventory\`, \`POST /v3/movements\`), whichever of them the side sends; the rate limit stays on. The node sends the one refused request again after the told wait (its requests go through n8n's \`httpRequestWithAuthentication\`, which renews the token only on a 401). n8n's HTTP Request node sends with the older \`requestWithAuthentication\`, which answers *any* failed request of a credential that has a token exchange (this package's Zettle API credential) with a new token exchange and one immediate resend: that resend lands in the same rate-limit window while batching keeps sending every ${PACE_MS} ms, so the next request meets the limit too, and so on until the chunk ends — hence the baseline's 429s from the rate limit and its token exchanges below. What is not resent that way fails the node, and Retry On Fail runs it again (the library, a chunk of reads, or the one movement of a loop iteration). The same resend happens after a 5xx or a dropped connection, where a movement may already have been applied: a risk of the baseline that this drill does not inject.`,
	);
	push();
	push(
		'| side | 429s: injected + rate limit | token exchanges | requests | wall s | run | balances correct |',
	);
	push('|---|---|---|---|---|---|---|');
	for (const m of r.drill) {
		push(
			`| ${SIDE_LABEL[m.side]} | ${m.injected} + ${m.rateLimited} | ${m.run.requests.tokenExchanges} | ${int(m.run.requests.total)} | ${fmt(m.run.wallMs / 1000, 1)} | ${m.run.status}${m.run.error ? `: ${m.run.error.slice(0, 120).replace(/\|/g, '\\|')}` : ''} | ${m.correct ? 'yes' : `**NO**: ${m.wrong.slice(0, 2).join('; ')}`} |`,
		);
	}
	push();
}

/** Least squares a + b·N. */
function linearFit(points: Array<{ x: number; y: number }>): { a: number; b: number } {
	const n = points.length;
	const mx = points.reduce((s, p) => s + p.x, 0) / n;
	const my = points.reduce((s, p) => s + p.y, 0) / n;
	const sxx = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
	const b = sxx ? points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0) / sxx : my / mx;
	return { a: my - b * mx, b };
}

function growthSection(r: Report, push: (line?: string) => void) {
	const label = {
		updateBalance: 'Update Balance',
		setStockLevel: 'Set Stock Level (by SKU)',
	} as const;
	push("## Growth: the node alone, n8n-core's engine in the benchmark's process");
	push();
	push(
		"The node as the only node of a workflow run by n8n-core's `WorkflowExecute` (2.8.1, the version inside n8n 2.8.4) in the benchmark's process, on items handed to it (no n8n start-up, no other node), against a sandbox process without latency or rate limit whose catalogue has as many variants as the run has items (N/10 products × 10): Update Balance moves one unit into each variant (by UUIDs), Set Stock Level sets the export's targets by SKU (30% changed, the library read and indexed every run). Legacy API (typeVersion 1); the node's defaults except *Max Requests per Second* = 100,000 (no pacing: the sandbox has no limit here). CPU = `process.cpuUsage()` around the run (all threads: V8's compiler and GC threads count); each size runs twice, the second run is what a long-running n8n sees once V8 has compiled the hot paths. Peak RSS sampled every 50 ms.",
	);
	push();
	push(
		'| operation | N | requests | CPU s (first / repeat) | µs per item (first / repeat) | peak RSS growth MB | KB per item | balances correct |',
	);
	push('|---|---|---|---|---|---|---|---|');
	for (const m of r.growth) {
		push(
			`| ${label[m.operation]} | ${int(m.n)} | ${int(m.requests)} | ${fmt(m.cpuS, 2)} / ${fmt(m.repeatCpuS, 2)} | ${fmt((m.cpuS / m.n) * 1e6, 1)} / ${fmt((m.repeatCpuS / m.n) * 1e6, 1)} | ${fmt(m.rssGrowthMb, 0)} | ${fmt((m.rssGrowthMb * 1024) / m.n, 2)} | ${m.correct ? 'yes' : '**NO**'} |`,
		);
	}
	push();
	for (const op of ['updateBalance', 'setStockLevel'] as const) {
		const ms = r.growth.filter((m) => m.operation === op);
		if (ms.length < 2) continue;
		const fit = linearFit(ms.map((m) => ({ x: m.n, y: m.repeatCpuS })));
		const mem = linearFit(ms.map((m) => ({ x: m.n, y: m.rssGrowthMb })));
		push(
			`- ${label[op]}: repeat CPU ≈ ${fmt(fit.a * 1000, 0)} ms + ${fmt(fit.b * 1e6, 1)} µs × N (least squares over ${ms.map((m) => int(m.n)).join(', ')}); peak RSS growth ≈ ${fmt(mem.b * 1024, 2)} KB × N. CPU per item (repeated) from ${int(ms[0].n)} to ${int(ms[ms.length - 1].n)} items: ${ms.map((m) => fmt((m.repeatCpuS / m.n) * 1e6, 1)).join(' → ')} µs.`,
		);
	}
	const top = r.growth.filter((m) => m.operation === 'updateBalance').sort((a, b) => b.n - a.n)[0];
	if (top) {
		const first = (top.cpuS / top.n) * 1e6;
		const repeat = (top.repeatCpuS / top.n) * 1e6;
		push(
			`- Target ≤ ${GROWTH_TARGET_US} µs of CPU per item for Update Balance at ${int(top.n)} items: ${fmt(first, 1)} µs on the first run, ${fmt(repeat, 1)} µs repeated: ${first <= GROWTH_TARGET_US && repeat <= GROWTH_TARGET_US ? 'met' : repeat <= GROWTH_TARGET_US ? 'met when repeated, **missed** on the first run' : '**missed**'}.`,
		);
	}
	push();
	push('![CPU per item and memory growth of the node alone](growth.svg)');
	push();
	writeGrowthSvg(r.growth);
	if (r.profile) {
		const p = r.profile;
		const n = Math.max(...r.growth.map((m) => m.n));
		push(`### Where the CPU goes: Update Balance at N = ${int(n)}`);
		push();
		push(
			`A V8 CPU profile (inspector, 100 µs sampling) of one more, repeated run: ${fmt(p.total, 0)} ms of samples (profiling makes the run slower). Self time by owner:`,
		);
		push();
		push('| owner | self ms | share |');
		push('|---|---|---|');
		for (const o of p.owners.filter((o) => o.ms >= 1))
			push(`| ${o.name} | ${fmt(o.ms, 0)} | ${fmt((o.ms / p.total) * 100, 0)}% |`);
		push();
		push(
			"The same samples charged to whose work they were: a Node.js or V8 frame is charged to its nearest caller of a package (the node's code, n8n-core, axios inside n8n-core, …); what stays \"V8 / native\" was reached from the event loop with no package frame above it, mostly the socket work of the HTTP requests (`writev`, `connect`, `close`: n8n's HTTP helper opens a connection per request). `rss` is the benchmark's own memory sampler.",
		);
		push();
		push('| charged to | ms | share |');
		push('|---|---|---|');
		for (const o of p.callers.filter((o) => o.ms >= 1))
			push(`| ${o.name} | ${fmt(o.ms, 0)} | ${fmt((o.ms / p.total) * 100, 0)}% |`);
		push();
		push('The top functions by self time:');
		push();
		push('| self ms | owner | function |');
		push('|---|---|---|');
		for (const f of p.functions.slice(0, 20))
			push(`| ${fmt(f.ms, 0)} | ${f.owner} | \`${f.name.replace(/\|/g, '\\|')}\` |`);
		push();
	}
}

function writeGrowthSvg(growth: GrowthMeasure[]) {
	const colors = { updateBalance: '#1f77b4', setStockLevel: '#ff7f0e' } as const;
	const label = { updateBalance: 'Update Balance', setStockLevel: 'Set Stock Level' } as const;
	const ops = (['updateBalance', 'setStockLevel'] as const).filter((op) =>
		growth.some((m) => m.operation === op),
	);
	const of = (op: (typeof ops)[number]) =>
		growth.filter((m) => m.operation === op).sort((a, b) => a.n - b.n);
	const svg = chartSvg('The node alone: CPU per item does not grow with N (cost linear in N)', [
		{
			title: 'CPU per item (µs)',
			yLabel: 'µs of CPU per item',
			line: { y: GROWTH_TARGET_US, label: `target ${GROWTH_TARGET_US} µs (Update Balance)` },
			series: ops.flatMap((op) => [
				{
					name: `${label[op]}, repeated`,
					color: colors[op],
					points: of(op).map((m) => ({ x: m.n, y: (m.repeatCpuS / m.n) * 1e6 })),
				},
				{
					name: `${label[op]}, first run`,
					color: colors[op],
					dashed: true,
					points: of(op).map((m) => ({ x: m.n, y: (m.cpuS / m.n) * 1e6 })),
				},
			]),
		},
		{
			title: 'Peak RSS growth (MB)',
			yLabel: 'MB above the RSS before the run',
			logY: true,
			series: ops.map((op) => ({
				name: label[op],
				color: colors[op],
				points: of(op).map((m) => ({ x: m.n, y: Math.max(m.rssGrowthMb, 1) })),
			})),
		},
	]);
	writeFileSync(join(ROOT, 'bench', 'growth.svg'), svg);
}

function movementSection(r: Report, push: (line?: string) => void) {
	const at = (side: MovementSide, n: number) =>
		r.movement.find((m) => m.side === side && m.n === n);
	push('## Update Balance vs. one HTTP Request per item (the comparison before issue 16)');
	push();
	push(
		`N restocks of one unit (SUPPLIER → STORE), one per variant, from a Code node, in the same n8n and sandbox. This node: Update Balance (legacy API, defaults). Baseline as before issue 16: n8n's HTTP Request node, \`PUT /organizations/self/inventory\` with one change per item, batching 1 item per ${1000 / RATE} ms, **no** Retry On Fail (a retry would resend the applied PUTs); run at N ≤ 100 only and extrapolated linearly from its largest run.${process.env.BENCH_BULK === '1' ? '' : ' The Bulk Update rows of that comparison are left out to keep the whole run near 15 minutes (the last run with them measured the same requests and wall time as Update Balance); \`BENCH_BULK=1\` adds them.'} Wall = the measured node's execution time; execution CPU and RSS as above, the CPU above a run with only the Code node (differences of a few tenths of a second, negative ones too, are run-to-run noise: each \`n8n execute\` is a new process whose code is not compiled yet).`,
	);
	push();
	push(
		"| N | side | requests | 429s | wall s | wall ÷ floor | execution CPU s above the Code node's run | n8n RSS growth MB during the execution | balances correct |",
	);
	push('|---|---|---|---|---|---|---|---|---|');
	const ratios: string[] = [];
	const httpRuns = r.movement.filter((m) => m.side === 'http').sort((a, b) => b.n - a.n);
	for (const n of MOVEMENT_SIZES) {
		const empty = at('empty', n);
		if (!empty) continue;
		for (const m of r.movement.filter((x) => x.n === n && x.side !== 'empty')) {
			const floor = m.run.requests.total * REQUEST_FLOOR_MS;
			push(
				`| ${int(n)} | ${m.side === 'node' ? 'Update Balance' : m.side === 'bulk' ? 'Bulk Update' : 'HTTP Request per item'} | ${int(m.run.requests.total)} | ${m.run.requests.rateLimited} | ${fmt(m.run.wallMs / 1000, 2)} | ${fmt(m.run.wallMs / floor, 2)} | ${fmt(executionCpu(m.run) - executionCpu(empty.run), 2)} | ${fmt(m.run.execution.peakRssMb - m.run.execution.rssBeforeMb, 0)} | ${m.correct ? 'yes' : '**NO**'} |`,
			);
		}
		const node = at('node', n);
		const http = at('http', n) ?? httpRuns[0];
		if (node && http) {
			const scale = n / http.n;
			const httpEmpty = at('empty', http.n)!;
			const httpWall = http.run.wallMs * scale;
			if (http.n !== n) {
				push(
					`| ${int(n)} | HTTP Request per item (**extrapolated** from N = ${int(http.n)}) | ~${int(http.run.requests.total * scale)} | ~${Math.round(http.run.requests.rateLimited * scale)} | ~${fmt(httpWall / 1000, 1)} | ${fmt(http.run.wallMs / (http.run.requests.total * REQUEST_FLOOR_MS), 2)} | ~${fmt((executionCpu(http.run) - executionCpu(httpEmpty.run)) * scale, 1)} | n/a | not run |`,
				);
			}
			ratios.push(
				`| ${int(n)} | ${fmt((http.run.requests.total * scale) / node.run.requests.total, 0)}× | ${fmt(httpWall / node.run.wallMs, 0)}× | ${http.n === n ? 'both measured' : 'baseline extrapolated'} |`,
			);
		}
	}
	push();
	push('| N | baseline ÷ Update Balance: requests | wall | |');
	push('|---|---|---|---|');
	lines(push, ratios);
	push();
}

function lines(push: (line?: string) => void, all: string[]) {
	for (const l of all) push(l);
}

main().catch(async (error) => {
	process.stderr.write(`${String(error?.stack ?? error)}\n`);
	await stopAll();
	process.exitCode = 1;
});
