// npm run test:queue: the packed package in n8n's queue mode (its distributed engine). Redis and
// PostgreSQL from Debian's packages (installed with apt-get when missing), n8n main with
// EXECUTIONS_MODE=queue and two `n8n worker` processes, all from the pinned n8n install, each with
// its own user folder into which the packed package is installed by hand (n8n's advice for queue
// mode), one N8N_ENCRYPTION_KEY and one database. Executions are started through the editor's REST
// API (`POST /rest/workflows/:id/run`; main offloads them to the workers with
// OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS=true), since `n8n execute` does not run in queue mode.
//
// Checks:
// 1. the seed example runs on a worker with the same requests and outputs as in regular mode;
// 2. two Set Stock Level executions for one organization at the same time, one on each worker, over
//    the sandbox's 4 requests/s limit: every 429 retried, nothing applied twice or lost, balances exact;
// 3. the OAuth2 credential's token refreshed on one worker is stored and reused by the other;
// 4. a Zettle webhook delivery received by main (the Zettle Trigger) runs on a worker.
// Writes the figures of check 2 to bench/QUEUE-RESULTS.md.
//
// Why PostgreSQL and not one shared SQLite file: n8n 2.8.4 accepts SQLite in queue mode but logs
// "Scaling mode is not officially supported with sqlite. Please use PostgreSQL instead."; three
// processes writing executions into one SQLite file is what n8n does not support, so the test runs
// what a queue-mode user runs. QUEUE_DB=sqlite tries the shared SQLite file instead.
//
//   QUEUE_VARIANTS=2000      variants per Set Stock Level execution (the catalogue has twice as many)
//   QUEUE_KEEP=1             keep the run folder (logs of main, workers, Redis) also when all passed

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { deepStrictEqual, ok, strictEqual } from 'node:assert/strict';

import { LoggedRequest, Sandbox, SEED, startSandbox } from '../sandbox/server';
import { Organization } from '../sandbox/state';
import { loadExamples } from '../harness/examples';
import {
	CACHE,
	ensureN8n,
	freePort,
	importCredentials,
	installPackage,
	N8nHost,
	n8n,
	n8nEnv,
	ownerSession,
	ROOT,
	waitForRestApi,
} from './n8n-host';
import {
	assertSeedExample,
	oauthLocationsWorkflow,
	sandboxApiKeyCredential,
	sandboxOAuthCredential,
	Shop,
	startShop,
	tillSaleWorkflow,
	ZETTLE_TYPE,
} from './fixtures';
import { Postgres, Service, startPostgres, startRedis } from './system';

const VARIANTS = Number(process.env.QUEUE_VARIANTS ?? 2000);
const VARIANTS_PER_PRODUCT = 10;
const PRODUCTS = (2 * VARIANTS) / VARIANTS_PER_PRODUCT;
const RATE = 4;
const LATENCY_MS = 80;
const INITIAL = 100;
const USE_SQLITE = process.env.QUEUE_DB === 'sqlite';
const WORKERS = ['worker-1', 'worker-2'];

const CREDENTIALS = {
	seed: { id: 'zettleSandboxCred1', name: 'Zettle sandbox' },
	catalogue: { id: 'zettleCatalogueCred1', name: 'Zettle sandbox (catalogue organization)' },
	oauth: { id: 'zettleSandboxOAuth1', name: 'Zettle sandbox (OAuth2)' },
};

/** The target of the catalogue's variant `v` (1-based) of product `p`: 94, 97, 100, 103 or 106 (a fifth unchanged). */
const target = (p: number, v: number) => INITIAL - 6 + ((p * VARIANTS_PER_PRODUCT + v) % 5) * 3;

/** A webshop export by SKU for products first..last of the catalogue, computed in n8n's Code node. */
function setStockWorkflow(id: string, first: number, last: number) {
	const jsCode = [
		`// ${(last - first + 1) * VARIANTS_PER_PRODUCT} rows {sku, quantity} for products ${first}–${last} of the sandbox's generated catalogue`,
		'const rows = [];',
		`for (let p = ${first}; p <= ${last}; p++) {`,
		`  for (let v = 1; v <= ${VARIANTS_PER_PRODUCT}; v++) rows.push({ json: { sku: \`SKU-\${p}-\${v}\`, quantity: ${INITIAL - 6} + ((p * ${VARIANTS_PER_PRODUCT} + v) % 5) * 3 } });`,
		'}',
		'return rows;',
	].join('\n');
	return {
		id,
		name: `Zettle queue test: Set Stock Level, products ${first}–${last}`,
		active: false,
		nodes: [
			{
				id: 'q1',
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: 'q2',
				name: 'Webshop stock',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [220, 0],
				parameters: { jsCode },
			},
			{
				id: 'q3',
				name: 'Set Zettle stock levels',
				type: ZETTLE_TYPE,
				typeVersion: 1,
				position: [440, 0],
				parameters: { resource: 'balance', operation: 'setStockLevel', identifyBy: 'sku' },
				credentials: { zettleApi: CREDENTIALS.catalogue },
			},
		],
		connections: {
			Start: { main: [[{ node: 'Webshop stock', type: 'main', index: 0 }]] },
			'Webshop stock': { main: [[{ node: 'Set Zettle stock levels', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

const oauthWorkflow = oauthLocationsWorkflow('zettleQueueOAuth001', CREDENTIALS.oauth);

type Api = Awaited<ReturnType<typeof ownerSession>>;

interface Finished {
	id: string;
	status: string;
	mode: string;
	startedAt: number;
	stoppedAt: number;
	worker?: string;
	runData: Record<string, any[]>;
	error?: { message?: string; description?: string };
	output: (node: string) => Array<Record<string, any>>;
}

/** The queue-mode stack: main, workers, Redis, the database. */
interface Stack {
	/** the n8n version all of them run */
	n8nVersion: string;
	url: string;
	main: Service;
	workers: Service[];
	api: Api;
	parse: (text: string) => any;
}

/** Starts a manual execution of a stored workflow through the editor's REST API (as its Execute button does). */
async function startExecution(api: Api, workflowId: string): Promise<string> {
	const workflowData = await api('GET', `/rest/workflows/${workflowId}`);
	const trigger = workflowData.nodes.find(
		(n: { type: string }) => n.type === 'n8n-nodes-base.manualTrigger',
	);
	const started = await api('POST', `/rest/workflows/${workflowId}/run`, {
		workflowData,
		triggerToStartFrom: { name: trigger.name },
	});
	ok(started?.executionId, `n8n started no execution: ${JSON.stringify(started)}`);
	return String(started.executionId);
}

/** Polls an execution until it has finished and its record names the worker that ran it. */
async function waitForExecution(stack: Stack, id: string, timeoutMs = 240_000): Promise<Finished> {
	const deadline = Date.now() + timeoutMs;
	let finishedAt: number | undefined;
	for (;;) {
		const execution = await stack.api('GET', `/rest/executions/${id}`);
		const done =
			execution && execution.stoppedAt && !['new', 'running', 'waiting'].includes(execution.status);
		if (done) finishedAt ??= Date.now();
		const worker = (execution?.customData as Record<string, string> | undefined)?.worker;
		// the worker's hook writes its name right after the worker saved the execution
		if (done && (worker || Date.now() - finishedAt! > 15_000)) {
			const data = stack.parse(execution.data);
			const runData = data?.resultData?.runData ?? {};
			return {
				id,
				status: execution.status,
				mode: execution.mode,
				startedAt: Date.parse(execution.startedAt),
				stoppedAt: Date.parse(execution.stoppedAt),
				worker,
				runData,
				error: data?.resultData?.error,
				output: (node) =>
					(runData[node]?.[0]?.data?.main?.[0] ?? []).map(
						(i: { json: Record<string, any> }) => i.json,
					),
			};
		}
		if (Date.now() > deadline)
			throw new Error(
				`execution ${id} did not finish in ${timeoutMs / 1000} s (status ${execution?.status})`,
			);
		await new Promise((r) => setTimeout(r, 250));
	}
}

/** Which worker ran an execution, by the worker's own log ("Worker started execution N"). */
function workerLogOf(stack: Stack, id: string): string[] {
	return WORKERS.filter((_, i) =>
		new RegExp(`Worker started execution ${id} \\(`).test(stack.workers[i].output()),
	);
}

const signature = (r: LoggedRequest) => `${r.method} ${r.path} ${JSON.stringify(r.body ?? null)}`;

// One function on purpose: set-up, the checks in order, and the stopping of every process in one finally.
async function main() {
	const started = Date.now();
	const say = (line: string) => process.stdout.write(`${line}\n`);
	let passed = 0;
	let failed = 0;
	const check = async (name: string, body: () => Promise<string | void>) => {
		const t = Date.now();
		try {
			const detail = await body();
			passed++;
			say(`✓ ${name}${detail ? `: ${detail}` : ''} (${((Date.now() - t) / 1000).toFixed(1)} s)`);
		} catch (error) {
			failed++;
			say(`✗ ${name}: ${(error as Error).stack ?? error}`);
		}
	};

	const host = await ensureN8n(undefined, say);
	say(
		`n8n ${host.version} on Node ${execFileSync(host.node, ['--version']).toString().trim()}, ${cpus().length} CPUs`,
	);
	const work = mkdtempSync(join(tmpdir(), 'zettle-queue-'));
	const logs = join(work, 'logs');
	mkdirSync(logs);
	const stopping: Array<() => Promise<void>> = [];
	const stopAll = async () => {
		for (const stop of stopping.splice(0).reverse()) {
			try {
				await stop();
			} catch (error) {
				say(`(stopping: ${(error as Error).message})`);
			}
		}
	};
	// Ctrl+C or a CI timeout: stop what was started (each by its pid), then leave
	const onSignal = () => void stopAll().finally(() => process.exit(1));
	process.once('SIGINT', onSignal);
	process.once('SIGTERM', onSignal);
	let keep = process.env.QUEUE_KEEP === '1';
	try {
		const sandbox = await startSandbox({
			catalogue: {
				products: PRODUCTS,
				variantsPerProduct: VARIANTS_PER_PRODUCT,
				initialBalance: INITIAL,
			},
			faults: { rateLimitPerSecond: RATE, latencyMs: LATENCY_MS },
		});
		stopping.push(() => sandbox.close());
		say(
			`Zettle sandbox on ${sandbox.url}: ${RATE} requests/s per organization, ${LATENCY_MS} ms latency, a generated organization of ${PRODUCTS} products × ${VARIANTS_PER_PRODUCT} variants`,
		);

		// services, in parallel with installing the package into the three user folders
		const [redis, database] = await Promise.all([
			startRedis(work, say).then((r) => {
				stopping.push(() => r.service.stop());
				return r;
			}),
			USE_SQLITE
				? Promise.resolve(undefined)
				: startPostgres('n8n', say).then((p) => {
						stopping.push(() => p.stop());
						return p;
					}),
			(async () => {
				await installPackage(join(work, 'main'));
				for (const worker of WORKERS) await installPackage(join(work, worker), { build: false });
			})(),
		]);
		say(
			`Redis ${redis.version} on 127.0.0.1:${redis.port}; ${database ? `PostgreSQL ${database.version} on 127.0.0.1:${database.port}` : `one SQLite file shared by all (QUEUE_DB=sqlite)`}`,
		);
		say(
			`package installed by hand into ${['main', ...WORKERS].map((f) => `${f}/.n8n/nodes/node_modules/n8n-nodes-zettle`).join(', ')}`,
		);

		const shop = await startShop();
		stopping.push(() => shop.close());
		const stack = await startStack(
			host,
			work,
			logs,
			redis.port,
			database,
			sandbox,
			shop,
			say,
			stopping,
		);
		const catalogue = [...sandbox.organizations.values()].find(
			(o) => o.uuid !== SEED.organizationUuid,
		)!;

		await check(
			'the seed example (examples/update-balance.json) runs on a worker, as in regular mode',
			() => seedExample(stack, sandbox),
		);
		await check(
			`two Set Stock Level executions for one organization at the same time, one per worker (2 × ${VARIANTS} variants, ${RATE} requests/s limit)`,
			() => concurrentSetStock(stack, sandbox, catalogue),
		);
		await check('the OAuth2 token refreshed on one worker is stored and reused by the other', () =>
			oauthAcrossWorkers(stack, sandbox),
		);
		await check(
			'a Zettle webhook delivery received by main runs on a worker (examples/till-sale-to-webshop.json)',
			() => webhookOnWorker(stack, sandbox, shop),
		);

		await check(
			'no API key, access token or client secret in anything main or the workers logged',
			async () => {
				const secrets = [
					sandbox.apiKey,
					sandbox.catalogueApiKey!,
					sandbox.oauth.partnerApp.clientSecret,
					...sandbox.oauth.tokens.keys(),
				];
				for (const service of [stack.main, ...stack.workers]) {
					for (const secret of secrets)
						ok(!service.output().includes(secret), `${service.name} logged a secret`);
				}
				return `${secrets.length} secrets, ${[stack.main, ...stack.workers].map((s) => `${s.name} ${Math.round(s.output().length / 1024)} KB`).join(', ')} of logs`;
			},
		);
	} catch (error) {
		failed++;
		say(`✗ ${(error as Error).stack ?? error}`);
	} finally {
		await stopAll();
		process.off('SIGINT', onSignal);
		process.off('SIGTERM', onSignal);
		if (failed) keep = true;
		if (keep) say(`logs of main, the workers and Redis: ${logs}`);
		else rmSync(work, { recursive: true, force: true });
	}
	say(`queue mode, n8n ${host.version}, ${((Date.now() - started) / 1000).toFixed(0)} s in all`);
	say(`${passed} passed, ${failed} failed`);
	process.exitCode = failed ? 1 : 0;
}

/**
 * n8n main (queue mode, offloading manual executions to the workers) and the workers, each in its own
 * user folder with the package, sharing the encryption key, Redis and the database. The credentials and
 * workflows are imported before any of them starts.
 *
 * Long on purpose: one check's steps in order (set up, act, assert what the sandbox and n8n saw), read top to bottom.
 */
async function startStack(
	host: N8nHost,
	work: string,
	logs: string,
	redisPort: number,
	database: Postgres | undefined,
	sandbox: Sandbox,
	shop: Shop,
	say: (line: string) => void,
	stopping: Array<() => Promise<void>>,
): Promise<Stack> {
	const encryptionKey = (await n8nEnv(join(work, 'main'))).N8N_ENCRYPTION_KEY!;
	const shared: Record<string, string> = {
		N8N_ENCRYPTION_KEY: encryptionKey,
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(redisPort),
		...(database
			? {
					DB_TYPE: 'postgresdb',
					DB_POSTGRESDB_HOST: '127.0.0.1',
					DB_POSTGRESDB_PORT: String(database.port),
					DB_POSTGRESDB_DATABASE: database.database,
					DB_POSTGRESDB_USER: database.user,
					DB_POSTGRESDB_PASSWORD: '',
				}
			: { DB_TYPE: 'sqlite', DB_SQLITE_DATABASE: join(work, 'shared-database.sqlite') }),
	};
	const port = await freePort();
	// WEBHOOK_URL: main receives production webhooks (the Zettle Trigger registers this URL with the sandbox)
	const mainEnv = await n8nEnv(join(work, 'main'), {
		...shared,
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		WEBHOOK_URL: `http://127.0.0.1:${port}/`,
		OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
	});

	// into the shared database (the first command runs n8n's migrations)
	await importCredentials(host, mainEnv, [
		sandboxApiKeyCredential(sandbox, CREDENTIALS.seed),
		sandboxApiKeyCredential(sandbox, CREDENTIALS.catalogue, sandbox.catalogueApiKey!),
		sandboxOAuthCredential(sandbox, CREDENTIALS.oauth),
	]);
	const own = join(work, 'workflows');
	mkdirSync(own);
	const half = PRODUCTS / 2;
	for (const workflow of [
		setStockWorkflow('zettleQueueSetStockA', 1, half),
		setStockWorkflow('zettleQueueSetStockB', half + 1, PRODUCTS),
		oauthWorkflow,
		tillSaleWorkflow(shop.url),
	]) {
		writeFileSync(join(own, `${workflow.id}.json`), JSON.stringify(workflow));
	}
	await n8n(host, ['import:workflow', '--separate', `--input=${join(ROOT, 'examples')}`], mainEnv);
	await n8n(host, ['import:workflow', '--separate', `--input=${own}`], mainEnv);

	const url = `http://127.0.0.1:${port}`;
	const t = Date.now();
	const main = new Service('n8n main', host.node, [host.bin, 'start'], {
		env: mainEnv,
		cwd: join(work, 'main'),
		logFile: join(logs, 'main.log'),
	});
	stopping.push(() => main.stop());
	const workers: Service[] = [];
	for (const name of WORKERS) {
		const env = await n8nEnv(join(work, name), {
			...shared,
			ZETTLE_QUEUE_WORKER: name,
			EXTERNAL_HOOK_FILES: join(ROOT, 'scripts', 'queue-worker-hook.js'),
		});
		const worker = new Service(`n8n ${name}`, host.node, [host.bin, 'worker'], {
			env,
			cwd: join(work, name),
			logFile: join(logs, `${name}.log`),
		});
		stopping.push(() => worker.stop());
		workers.push(worker);
	}
	await Promise.all([
		...workers.map((w) => w.waitFor(/n8n worker is now ready/, 180_000)),
		waitForRestApi(url, () => main.running, 180_000).catch((error: Error) => {
			throw new Error(`n8n main: ${error.message}:\n${main.output().slice(-3000)}`);
		}),
	]);
	say(
		`n8n main (queue mode) on ${url} and ${WORKERS.join(', ')} ready in ${((Date.now() - t) / 1000).toFixed(0)} s (pids ${[main, ...workers].map((s) => s.pid).join(', ')})`,
	);
	const api = await ownerSession(url);
	const { parse } = createRequire(
		join(CACHE, `n8n-${host.version}`, 'node_modules', 'n8n', 'package.json'),
	)('flatted') as { parse: (text: string) => any };
	return { n8nVersion: host.version, url, main, workers, api, parse };
}

/**
 * Check 4: the Zettle Trigger activated on main; a till sale's delivery reaches main, whose webhook()
 * verifies it and enqueues the execution; a worker runs it (the record says which), and the webshop gets
 * the new stock level once.
 */
async function webhookOnWorker(stack: Stack, sandbox: Sandbox, shop: Shop): Promise<string> {
	sandbox.reset();
	const id = 'zettleTillSaleToShop';
	const stored = await stack.api('GET', `/rest/workflows/${id}`);
	await stack.api('POST', `/rest/workflows/${id}/activate`, { versionId: stored.versionId });
	try {
		const [subscription] = sandbox.pusher.subscriptions.values();
		ok(
			subscription?.destination.startsWith(stack.url),
			`the subscription points at main: ${subscription?.destination}`,
		);
		sandbox.sellAtTill(SEED.tshirt.small, 1);
		await sandbox.pusher.idle();
		const delivery = sandbox.pusher.deliveries.find(
			(d) => d.eventName === 'InventoryBalanceChanged',
		);
		strictEqual(delivery?.status, 200, 'main acknowledged the delivery');
		let executionId: string | undefined;
		for (
			const deadline = Date.now() + 60_000;
			!executionId && Date.now() < deadline;
			await new Promise((r) => setTimeout(r, 500))
		) {
			const list = await stack.api(
				'GET',
				`/rest/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId: id }))}`,
			);
			const results = (Array.isArray(list) ? list : (list?.results ?? [])) as Array<{ id: string }>;
			executionId = results[0]?.id;
		}
		ok(executionId, 'the delivery started an execution');
		const finished = await waitForExecution(stack, executionId!);
		strictEqual(finished.mode, 'webhook');
		strictEqual(finished.status, 'success');
		ok(finished.worker && WORKERS.includes(finished.worker), `ran on a worker: ${finished.worker}`);
		deepStrictEqual(
			shop.received.map((r) => [r.method, r.url, r.body.stock]),
			[['PUT', '/api/stock/TSHIRT-S', 237]],
		);
		return `execution ${executionId} (mode webhook) ran on ${finished.worker}; the webshop got PUT /api/stock/TSHIRT-S {stock: 237}`;
	} finally {
		await stack.api('POST', `/rest/workflows/${id}/deactivate`, {});
	}
}

/** Check 1: examples/update-balance.json on a worker: the PUT and the outputs of `npm run test:e2e`'s regular mode. */
async function seedExample(stack: Stack, sandbox: Sandbox): Promise<string> {
	sandbox.reset();
	const example = loadExamples().find((e) => e.file === 'update-balance.json')!;
	const run = await waitForExecution(
		stack,
		await startExecution(stack.api, (example.workflow as unknown as { id: string }).id),
	);
	strictEqual(run.status, 'success', JSON.stringify(run.error ?? null));
	ok(
		run.worker && WORKERS.includes(run.worker),
		`the execution record names no worker: ${run.worker}`,
	);
	deepStrictEqual(workerLogOf(stack, run.id), [run.worker], "the worker's own log agrees");
	const api = sandbox.requests.filter((r) => r.path !== '/token');
	deepStrictEqual(
		api.map((r) => `${r.method} ${r.path} ${r.status}`),
		['GET /organizations/self/locations 200', 'PUT /organizations/self/inventory 200'],
	);
	assertSeedExample(run.output(example.zettle), api[1].body, sandbox);
	return `execution ${run.id} (mode ${run.mode}) on ${run.worker}, PUT = the example's 2 changes + externalUuid (a v1 UUID, in the outputs too), balances 196 and 10696`;
}

interface ConcurrentFigures {
	variants: number;
	requests: number;
	rateLimited: number;
	writes: number;
	wallS: number;
	executions: Array<{ id: string; worker: string; seconds: number }>;
	overlapS: number;
	tokenExchanges: number;
	retriesMax: number;
	/** the first of the two executions again, on its own */
	alone: { seconds: number; requests: number; rateLimited: number; worker: string };
}

/** Check 2: two Set Stock Level executions for the catalogue organization, submitted at once.
 * Long on purpose: one check's steps in order (set up, act, assert what the sandbox and n8n saw), read top to bottom.
 */
async function concurrentSetStock(
	stack: Stack,
	sandbox: Sandbox,
	catalogue: Organization,
): Promise<string> {
	sandbox.reset();
	const org = sandbox.organizations.get(catalogue.uuid)!;
	const store = org.store.uuid;
	const products = [...org.products.values()];
	const t = Date.now();
	const ids = await Promise.all(
		['zettleQueueSetStockA', 'zettleQueueSetStockB'].map((id) => startExecution(stack.api, id)),
	);
	const runs = await Promise.all(ids.map((id) => waitForExecution(stack, id, 600_000)));
	const wallS = (Date.now() - t) / 1000;

	for (const run of runs)
		strictEqual(run.status, 'success', `execution ${run.id}: ${JSON.stringify(run.error ?? null)}`);
	const workers = runs.map((r) => r.worker);
	deepStrictEqual(
		[...workers].sort(),
		[...WORKERS].sort(),
		`one execution per worker (records say ${workers.join(', ')})`,
	);
	for (const run of runs)
		deepStrictEqual(workerLogOf(stack, run.id), [run.worker], "the worker's own log agrees");
	const overlapS =
		(Math.min(runs[0].stoppedAt, runs[1].stoppedAt) -
			Math.max(runs[0].startedAt, runs[1].startedAt)) /
		1000;
	ok(overlapS > 0, `the two executions did not run at the same time (overlap ${overlapS} s)`);

	// outputs: every row reached its target, nothing drifted
	const half = PRODUCTS / 2;
	runs.forEach((run, index) => {
		const out = run.output('Set Zettle stock levels');
		strictEqual(out.length, VARIANTS, `execution ${run.id} output ${out.length} items`);
		const first = index * half;
		const expected = products
			.slice(first, first + half)
			.flatMap((p, i) =>
				p.variants.map((v, j) => ({ sku: v.sku, target: target(first + i + 1, j + 1) })),
			);
		deepStrictEqual(
			out.map((j) => [j.sku, j.target, j.after, j.drift, j.moved, j.before]),
			expected.map((e) => [e.sku, e.target, e.target, 0, e.target - INITIAL, INITIAL]),
		);
	});

	// the sandbox: final balances exact, every change applied exactly once, every 429 answered by a later success
	products.forEach((p, i) =>
		p.variants.forEach((v, j) =>
			strictEqual(org.balance(store, v.uuid), target(i + 1, j + 1), `${v.sku} in STORE`),
		),
	);
	const log = sandbox.requests.filter((r) => r.organizationUuid === org.uuid);
	const puts = log.filter((r) => r.method === 'PUT');
	const applied = new Map<string, number>();
	for (const put of puts.filter((r) => r.applied)) {
		for (const change of (put.body as { changes: Array<{ variantUuid: string }> }).changes)
			applied.set(change.variantUuid, (applied.get(change.variantUuid) ?? 0) + 1);
	}
	const movedVariants = products.flatMap((p, i) =>
		p.variants.filter((_, j) => target(i + 1, j + 1) !== INITIAL).map((v) => v.uuid),
	);
	strictEqual(
		applied.size,
		movedVariants.length,
		'every variant off its target moved, and no other',
	);
	ok(
		[...applied.values()].every((n) => n === 1),
		'no change applied twice',
	);
	ok(
		movedVariants.every((v) => applied.get(v) === 1),
		'no change lost',
	);
	const byExternalUuid = new Map<string, LoggedRequest[]>();
	for (const put of puts) {
		const key = (put.body as { externalUuid: string }).externalUuid;
		byExternalUuid.set(key, [...(byExternalUuid.get(key) ?? []), put]);
	}
	let retriesMax = 0;
	for (const [externalUuid, sends] of byExternalUuid) {
		deepStrictEqual(
			sends.map((s) => s.status),
			[...sends.slice(0, -1).map(() => 429), 200],
			`PUT ${externalUuid}: sent again after each 429 only, applied once`,
		);
		ok(
			new Set(sends.map(signature)).size === 1,
			`PUT ${externalUuid}: every send has the same body`,
		);
		retriesMax = Math.max(retriesMax, sends.length - 1);
	}
	const rateLimited = log.filter((r) => r.status === 429);
	ok(
		rateLimited.length > 0,
		'two executions at 4 requests/s each went over the limit at least once',
	);
	for (const r of rateLimited) {
		ok(
			log.some(
				(later) => later.seq > r.seq && later.status === 200 && signature(later) === signature(r),
			),
			`the 429 of ${r.method} ${r.path} (#${r.seq}) was sent again and answered 200`,
		);
	}
	ok(
		log.every((r) => r.status === 200 || r.status === 429),
		`only 200 and 429 answers: ${[...new Set(log.map((r) => r.status))].join(', ')}`,
	);

	// for comparison: the first execution on its own, the organization's limit all its own
	const tokenExchanges = sandbox.requests.filter((r) => r.path === '/token').length;
	sandbox.reset();
	const solo = await waitForExecution(
		stack,
		await startExecution(stack.api, 'zettleQueueSetStockA'),
		600_000,
	);
	strictEqual(solo.status, 'success', JSON.stringify(solo.error ?? null));
	const soloLog = sandbox.requests.filter((r) => r.organizationUuid === org.uuid);
	const alone = {
		seconds: (solo.stoppedAt - solo.startedAt) / 1000,
		requests: soloLog.length,
		rateLimited: soloLog.filter((r) => r.status === 429).length,
		worker: solo.worker!,
	};

	const figures: ConcurrentFigures = {
		variants: 2 * VARIANTS,
		requests: log.length,
		rateLimited: rateLimited.length,
		writes: puts.filter((r) => r.applied).length,
		wallS,
		executions: runs.map((r) => ({
			id: r.id,
			worker: r.worker!,
			seconds: (r.stoppedAt - r.startedAt) / 1000,
		})),
		overlapS,
		tokenExchanges,
		retriesMax,
		alone,
	};
	writeResults(figures, log, stack.n8nVersion);
	return (
		`${figures.requests} requests (${figures.writes} PUTs applied once each), ${figures.rateLimited} answered 429 and all sent again (one PUT at most ${times(retriesMax)}), ` +
		`${applied.size} variants moved, all ${2 * VARIANTS} balances exact; wall time ${wallS.toFixed(1)} s ` +
		`(${figures.executions.map((e) => `${e.worker} ${e.seconds.toFixed(1)} s`).join(', ')}, overlapping ${overlapS.toFixed(1)} s); ` +
		`the first alone: ${alone.seconds.toFixed(1)} s, ${alone.requests} requests, ${alone.rateLimited} answered 429`
	);
}

const times = (n: number) => (n === 1 ? 'once' : n === 2 ? 'twice' : `${n} times`);

/** bench/QUEUE-RESULTS.md: the figures of the concurrent run. */
function writeResults(f: ConcurrentFigures, log: LoggedRequest[], n8nVersion: string) {
	const kinds = new Map<string, { sent: number; rateLimited: number }>();
	for (const r of log) {
		const kind = `${r.method} ${r.path}`;
		const k = kinds.get(kind) ?? { sent: 0, rateLimited: 0 };
		k.sent++;
		if (r.status === 429) k.rateLimited++;
		kinds.set(kind, k);
	}
	const lines = [
		'# Queue mode: two Set Stock Level executions for one organization at the same time',
		'',
		`Written by \`npm run test:queue\` (${new Date().toISOString().slice(0, 10)}; n8n ${n8nVersion} queue mode, ${USE_SQLITE ? 'one shared SQLite file' : 'PostgreSQL'}, Redis, two workers; Node ${process.version}, ${cpus().length} CPUs).`,
		`The sandbox answers 429 beyond ${RATE} requests/s per organization (sliding one-second window, \`Retry-After: 1\`) and adds ${LATENCY_MS} ms to every request.`,
		`Each execution sets ${VARIANTS} variants (${VARIANTS / VARIANTS_PER_PRODUCT} products) by SKU to a target (a fifth already at it); the two executions share the organization, not variants.`,
		'',
		'| | |',
		'| --- | --- |',
		`| variants set | ${f.variants} (${f.executions.length} × ${VARIANTS}) |`,
		`| executions | ${f.executions.map((e) => `#${e.id} on ${e.worker}: ${e.seconds.toFixed(1)} s`).join('; ')} |`,
		`| running at the same time | ${f.overlapS.toFixed(1)} s |`,
		`| wall time (both submitted → both finished) | ${f.wallS.toFixed(1)} s |`,
		`| requests to the organization | ${f.requests} (${(f.requests / f.wallS).toFixed(1)} per second attempted on average) |`,
		`| answered 429 | ${f.rateLimited}, each sent again until answered 200 (one PUT at most ${times(f.retriesMax)}) |`,
		`| PUTs applied | ${f.writes}, each exactly once (by externalUuid); every moved variant in exactly one applied PUT |`,
		`| token exchanges (API key) | ${f.tokenExchanges} |`,
		`| balances correct | yes: all ${f.variants} STORE balances equal their targets |`,
		`| for comparison: the first execution alone | ${f.alone.seconds.toFixed(1)} s on ${f.alone.worker}, ${f.alone.requests} requests, ${f.alone.rateLimited} answered 429 (one after the other, the two would take about ${(2 * f.alone.seconds).toFixed(0)} s) |`,
		'',
		'| request | sent | answered 429 |',
		'| --- | --- | --- |',
		...[...kinds].map(([kind, k]) => `| \`${kind}\` | ${k.sent} | ${k.rateLimited} |`),
		'',
	];
	writeFileSync(join(ROOT, 'bench', 'QUEUE-RESULTS.md'), lines.join('\n'));
}

/** Check 3: OAuth2 connected through main; an expired token is refreshed on one worker; the other worker uses the stored token.
 * Long on purpose: one check's steps in order (set up, act, assert what the sandbox and n8n saw), read top to bottom.
 */
async function oauthAcrossWorkers(stack: Stack, sandbox: Sandbox): Promise<string> {
	sandbox.reset();
	const { api } = stack;
	// the credential's Connect button, through main: n8n's authorize URL, the sandbox approves, main's callback swaps the code
	const authorizeUrl = String(
		await api('GET', `/rest/oauth2-credential/auth?id=${CREDENTIALS.oauth.id}`),
	);
	ok(
		authorizeUrl.startsWith(`${sandbox.url}/authorize?`),
		`n8n sends the merchant to the sandbox: ${authorizeUrl}`,
	);
	const approved = await fetch(authorizeUrl, { redirect: 'manual' });
	const callback = new URL(approved.headers.get('location') ?? '');
	const back = await api.raw('GET', `${callback.pathname}${callback.search}`);
	ok(back.ok, `the OAuth2 callback failed: ${back.status}`);
	const grants = () =>
		sandbox.requests
			.filter((r) => r.path === '/token')
			.map((r) => `${(r.body as { grant_type: string }).grant_type} ${r.status}`);
	deepStrictEqual(grants(), ['authorization_code 200']);

	const locations = async () => {
		const run = await waitForExecution(stack, await startExecution(api, oauthWorkflow.id));
		strictEqual(run.status, 'success', JSON.stringify(run.error ?? null));
		deepStrictEqual(
			run.output('Zettle Inventory').map((j) => j.type),
			['STORE', 'BIN', 'SUPPLIER', 'SOLD'],
		);
		return run;
	};
	// 1. every token expired: the worker that runs it refreshes (Zettle rotates the refresh token) and n8n stores the pair
	for (const token of [...sandbox.oauth.tokens.keys()]) sandbox.oauth.expire(token);
	sandbox.requests.length = 0;
	const refreshed = await locations();
	deepStrictEqual(grants(), ['refresh_token 200'], `the refresh on ${refreshed.worker}`);
	// 2. on the other worker: the stored access token works as it is (every other token is expired, so any other would be a 401 and a refresh)
	let reused: Finished | undefined;
	const tries: string[] = [];
	for (let i = 0; i < 8 && !reused; i++) {
		sandbox.requests.length = 0;
		const run = await locations();
		tries.push(run.worker!);
		deepStrictEqual(grants(), [], `execution ${run.id} on ${run.worker} asked for no token`);
		ok(
			sandbox.requests.every((r) => r.status === 200),
			'no 401: the stored token was used',
		);
		if (run.worker !== refreshed.worker) reused = run;
	}
	ok(
		reused,
		`no execution landed on the other worker in ${tries.length} tries (${tries.join(', ')})`,
	);
	// 3. expired again: the refresh works only with the rotated refresh token that the first worker stored
	for (const token of [...sandbox.oauth.tokens.keys()]) sandbox.oauth.expire(token);
	sandbox.requests.length = 0;
	const again = await locations();
	deepStrictEqual(
		grants(),
		['refresh_token 200'],
		`the second refresh on ${again.worker}, with the rotated refresh token`,
	);
	return `refreshed on ${refreshed.worker} (execution ${refreshed.id}); ${reused!.worker} used the stored token without a token request (execution ${reused!.id}); refreshed again on ${again.worker} with the rotated refresh token`;
}

main().catch((error) => {
	process.stderr.write(`${String(error?.stack ?? error)}\n`);
	process.exitCode = 1;
});
