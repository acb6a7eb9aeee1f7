// npm run test:e2e: the packed package in a real n8n. Installs (or reuses) a pinned n8n in a cache
// folder, installs `npm pack`'s tarball the way n8n installs a community package, starts the
// sandbox, imports a credential pointed at it and the examples/ workflows, runs each with
// `n8n execute --id`, and checks the outputs n8n reports, the sandbox's request log and its balances.
//
//   N8N_VERSION=2.41.1 npm run test:e2e    the same against n8n 2.41.1 on Node 24 (fetched from npm)

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deepStrictEqual, match, ok, strictEqual } from 'node:assert/strict';

import { SEED } from '../sandbox/seed';
import { LoggedRequest, Sandbox, startSandbox } from '../sandbox/server';
import { loadExamples } from '../harness/examples';
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
import {
	ensureN8n,
	executionResult,
	importCredentials,
	installPackage,
	N8nHost,
	n8n,
	n8nEnv,
	ownerSession,
	ROOT,
	startN8nServer,
} from './n8n-host';

type Result = NonNullable<ReturnType<typeof executionResult>>;
interface Ran {
	code: number;
	result: Result;
	requests: LoggedRequest[];
	output: (node: string) => Array<Record<string, any>>;
}

const OAUTH_CREDENTIAL = 'zettleSandboxOAuth1';

const oauthWorkflow = oauthLocationsWorkflow('zettleOAuthE2e00001', {
	id: OAUTH_CREDENTIAL,
	name: 'Zettle sandbox (OAuth2)',
});
const S = SEED.locations.STORE;
/** The requests that changed something in the sandbox (writes it applied). */
const writes = (r: Ran) => r.requests.filter((q) => q.applied);
const store = (sandbox: Sandbox, variant: string) => sandbox.seedOrganization.balance(S, variant);

/** The webshop CSV sync's outputs and final balances: the same on both Inventory APIs. */
function checkCsvSync(r: Ran, sandbox: Sandbox) {
	strictEqual(r.result.status, 'success');
	deepStrictEqual(
		r
			.output('Set Zettle stock levels')
			.map((j) => [j.sku, j.before, j.target, j.moved, j.after, j.drift]),
		[
			['TSHIRT-S', 238, 250, 12, 250, 0],
			['TSHIRT-M', 12033, 12000, -33, 12000, 0],
			['CAP-1', 5, 5, 0, 5, 0],
			['MUG-WHITE', 238, 240, 2, 240, 0],
		],
	);
	deepStrictEqual(
		[
			store(sandbox, SEED.tshirt.small),
			store(sandbox, SEED.tshirt.medium),
			store(sandbox, SEED.mug.white),
		],
		[250, 12000, 240],
	);
}

/** What each example must do in a real n8n. */
const checks: Record<string, (r: Ran, sandbox: Sandbox) => void> = {
	'update-balance.json': (r, sandbox) => {
		strictEqual(r.code, 0);
		strictEqual(r.result.status, 'success');
		const [put, ...more] = writes(r);
		strictEqual(more.length, 0);
		assertSeedExample(r.output('Zettle Inventory'), put.body, sandbox);
	},
	'bulk-start-tracking-restock.json': (r, sandbox) => {
		strictEqual(r.result.status, 'success');
		deepStrictEqual(
			writes(r).map((w) => `${w.method} ${w.path}`),
			['POST /organizations/self/v2/inventory/bulk'],
		);
		deepStrictEqual(
			r.output('Zettle Inventory').map((j) => j.balance),
			[238 + 24, 12033 + 12, 5 + 30],
		);
		deepStrictEqual(
			[
				store(sandbox, SEED.mug.white),
				store(sandbox, SEED.mug.black),
				store(sandbox, SEED.cap.oneSize),
			],
			[262, 12045, 35],
		);
	},
	'bad-input-fails.json': (r) => {
		strictEqual(r.code, 1, 'n8n execute exits 1 when the workflow fails');
		strictEqual(r.result.status, 'error');
		const error = r.result.data.resultData.error;
		match(
			String(error?.message),
			/^Item 1: change -3 is negative\. Zettle moves positive quantities/,
		);
		match(String(error?.description), /^Nothing was sent to Zettle/);
		strictEqual(r.result.data.resultData.lastNodeExecuted, 'Zettle Inventory');
		strictEqual(writes(r).length, 0);
	},
	'sync-stock-from-webshop-csv-v3.json': (r, sandbox) => {
		strictEqual(r.result.status, 'success');
		checkCsvSync(r, sandbox);
		// Inventory API V3 only: tracking on /v3/products, the three deltas in one /v3/movements request
		deepStrictEqual(
			writes(r).map((w) => `${w.method} ${w.path}`),
			['POST /v3/products', 'POST /v3/movements'],
		);
		deepStrictEqual(
			(writes(r)[1].body as { movements: Array<{ change: number }> }).movements.map(
				(m) => m.change,
			),
			[12, 33, 2],
		);
		strictEqual(
			r.requests.filter((q) => q.path.startsWith('/organizations/self/inventory')).length,
			0,
		);
	},
	'sync-stock-from-webshop-csv.json': (r, sandbox) => {
		checkCsvSync(r, sandbox);
		deepStrictEqual(
			writes(r).map((w) => `${w.method} ${w.path}`),
			['POST /organizations/self/v2/inventory/bulk', 'PUT /organizations/self/inventory'],
		);
		strictEqual(r.requests.filter((q) => q.path === '/organizations/self/library').length, 1);
		deepStrictEqual(
			(writes(r)[1].body as { changes: Array<{ change: number }> }).changes.map((c) => c.change),
			[12, 33, 2],
		);
	},
};

/** One `n8n execute` of a stored workflow, with what the sandbox received during it. */
async function execute(
	host: N8nHost,
	env: NodeJS.ProcessEnv,
	sandbox: Sandbox,
	id: string,
): Promise<Ran & { stdout: string; stderr: string }> {
	const { code, stdout, stderr } = await n8n(
		host,
		['execute', `--id=${id}`, '--rawOutput'],
		env,
		true,
	);
	const result = executionResult(stdout);
	ok(
		result,
		`n8n printed no execution result (exit ${code}): ${stderr.slice(-1500)}${stdout.slice(-1500)}`,
	);
	const output = (node: string) =>
		(result.data.resultData.runData[node]?.[0]?.data?.main?.[0] ?? []).map(
			(i: { json: Record<string, any> }) => i.json,
		);
	return { code, result, requests: [...sandbox.requests], output, stdout, stderr };
}

/** The example with its Zettle Inventory node at version 2 (Inventory API V3 by default), as a node placed today. */
function onV3(workflow: {
	id: string;
	name: string;
	nodes: Array<{ type: string; typeVersion: number }>;
}) {
	const copy = JSON.parse(JSON.stringify(workflow)) as typeof workflow;
	copy.id = `${workflow.id.slice(0, 14)}V3`;
	copy.name = `${workflow.name} (Inventory API V3)`;
	for (const node of copy.nodes) if (node.type === ZETTLE_TYPE) node.typeVersion = 2;
	return copy;
}

/** What a run outputs and leaves, for comparing the two Inventory APIs: output items without their per-request ids, STORE balances. */
function outcomeOf(r: Ran, sandbox: Sandbox, node: string) {
	const items = r.output(node).map(({ externalUuid, ...rest }) => ({
		...rest,
		externalUuid: typeof externalUuid === 'string' ? 'an id' : externalUuid,
	}));
	return {
		status: r.result.status,
		items,
		error: r.result.data.resultData.error?.message ?? null,
		balances: sandbox.seedOrganization.snapshot(),
	};
}

/**
 * Every action example through `n8n execute`: its own checks on the API it was saved with, then the same
 * workflow as a node placed today (V3) must give the same outputs and leave the same balances. Returns
 * the failures and the token exchanges seen.
 *
 * Long on purpose: one check's steps in order (set up, act, assert what the sandbox and n8n saw), read top to bottom.
 */
async function runExamples(
	host: N8nHost,
	env: NodeJS.ProcessEnv,
	sandbox: Sandbox,
	work: string,
	say: (line: string) => void,
) {
	let failed = 0;
	let tokenRequests = 0;
	const examples = loadExamples().filter((e) => !e.trigger);
	deepStrictEqual(
		examples.map((e) => e.file),
		Object.keys(checks).sort(),
		'every example has its end-to-end check',
	);
	const copies = join(work, 'v3-examples');
	mkdirSync(copies);
	const legacy = examples.filter((e) =>
		e.workflow.nodes.some((n) => n.type === ZETTLE_TYPE && n.typeVersion === 1),
	);
	for (const e of legacy)
		writeFileSync(join(copies, e.file), JSON.stringify(onV3(e.workflow as never)));
	await n8n(host, ['import:workflow', '--separate', `--input=${copies}`], env);
	for (const example of examples) {
		const t = Date.now();
		try {
			sandbox.reset();
			const ran = await execute(
				host,
				env,
				sandbox,
				(example.workflow as unknown as { id: string }).id,
			);
			for (const secret of [sandbox.apiKey, ...sandbox.oauth.tokens.keys()])
				ok(
					!ran.stdout.includes(secret) && !ran.stderr.includes(secret),
					'no API key or access token in anything n8n printed',
				);
			tokenRequests += ran.requests.filter((q) => q.path === '/token').length;
			checks[example.file](ran, sandbox);
			say(
				`✓ ${example.file}: ${ran.result.status}, ${ran.requests.length} requests, ${((Date.now() - t) / 1000).toFixed(1)} s`,
			);
			if (!legacy.includes(example)) continue;
			const before = outcomeOf(ran, sandbox, example.zettle);
			sandbox.reset();
			const v3 = await execute(host, env, sandbox, onV3(example.workflow as never).id);
			tokenRequests += v3.requests.filter((q) => q.path === '/token').length;
			ok(
				v3.requests.every(
					(q) =>
						!q.path.startsWith('/organizations/self/inventory') &&
						!q.path.startsWith('/organizations/self/v2') &&
						!q.path.startsWith('/organizations/self/locations'),
				),
				'the V3 run used no legacy inventory endpoint',
			);
			deepStrictEqual(
				outcomeOf(v3, sandbox, example.zettle),
				before,
				'the same outputs and balances on Inventory API V3',
			);
			say(
				`✓ ${example.file} on Inventory API V3: the same outputs and balances, ${v3.requests.length} requests`,
			);
		} catch (error) {
			failed++;
			say(`✗ ${example.file}: ${(error as Error).message}`);
		}
	}
	return { failed, tokenRequests };
}

/** The editor's backend: the credential test button, the location list of the node, the OAuth2 credential's Connect button.
 * Long on purpose: one check's steps in order (set up, act, assert what the sandbox and n8n saw), read top to bottom.
 */
async function checkEditorBackend(
	api: Awaited<ReturnType<typeof ownerSession>>,
	sandbox: Sandbox,
	say: (line: string) => void,
): Promise<void> {
	const stored = await api('GET', '/rest/credentials/zettleSandboxCred1?includeData=true');
	const tested = await api('POST', '/rest/credentials/test', {
		credentials: { id: stored.id, name: stored.name, type: stored.type, data: stored.data },
	});
	deepStrictEqual(tested, { status: 'OK', message: 'Connection successful!' });
	say('✓ credential test: Connection successful!');
	const revokedKey = sandbox.oauth.createApiKey(SEED.organizationUuid);
	sandbox.oauth.revokeApiKey(revokedKey);
	// saved first: newer n8n versions only test a credential that has an id
	const revoked = await api('POST', '/rest/credentials', {
		name: 'Zettle revoked key',
		type: 'zettleApi',
		data: { apiKey: revokedKey, environment: 'custom', baseUrl: sandbox.url },
	});
	const revokedData = (await api('GET', `/rest/credentials/${revoked.id}?includeData=true`)).data;
	const refused = await api('POST', '/rest/credentials/test', {
		credentials: { id: revoked.id, name: revoked.name, type: 'zettleApi', data: revokedData },
	});
	strictEqual(refused.status, 'Error');
	match(
		refused.message,
		/^Zettle rejected the API key \(invalid_grant\): it was revoked or is not valid\. Create a new key at https:\/\/my\.zettle\.com/,
	);
	ok(!JSON.stringify(refused).includes(revokedKey), 'the refused key is not echoed');
	say('✓ credential test with a revoked key: the clear invalid_grant message');
	// a node of version 1 lists the legacy locations; one placed today (version 2) V3's inventories
	for (const [version, path] of [
		[1, '/organizations/self/locations'],
		[2, '/v3/inventories'],
	] as const) {
		sandbox.requests.length = 0;
		const found = await api('POST', '/rest/dynamic-node-parameters/resource-locator-results', {
			methodName: 'searchLocations',
			nodeTypeAndVersion: { name: ZETTLE_TYPE, version },
			currentNodeParameters: {
				authentication: 'apiKey',
				resource: 'balance',
				operation: 'updateBalance',
			},
			credentials: { zettleApi: { id: 'zettleSandboxCred1', name: 'Zettle sandbox' } },
			path: 'parameters.fromLocation',
			filter: 'sup',
		});
		deepStrictEqual(found.results, [{ name: 'SUPPLIER', value: SEED.locations.SUPPLIER }]);
		ok(
			sandbox.requests.some((r) => r.path === path),
			`version ${version} read ${path}`,
		);
	}
	say(
		'✓ list search of locations: "sup" finds SUPPLIER (legacy locations at version 1, V3 inventories at version 2)',
	);

	// the OAuth2 credential's Connect button: n8n's authorize URL, the sandbox approves, n8n's callback swaps the code
	const authorizeUrl = String(
		await api('GET', `/rest/oauth2-credential/auth?id=${OAUTH_CREDENTIAL}`),
	);
	ok(
		authorizeUrl.startsWith(`${sandbox.url}/authorize?`),
		`n8n sends the merchant to the sandbox: ${authorizeUrl}`,
	);
	const approved = await fetch(authorizeUrl, { redirect: 'manual' });
	const callback = new URL(approved.headers.get('location') ?? '');
	strictEqual(callback.pathname, '/rest/oauth2-credential/callback');
	const back = await api.raw('GET', `${callback.pathname}${callback.search}`);
	ok(back.ok, `the OAuth2 callback failed: ${back.status}`);
	const codeGrants = sandbox.requests.filter(
		(r) =>
			r.path === '/token' &&
			(r.body as { grant_type?: string }).grant_type === 'authorization_code',
	);
	strictEqual(codeGrants.length, 1, 'n8n exchanged the code once');
	say('✓ OAuth2 connect: authorize, callback, one authorization_code grant');
}

/**
 * The connected OAuth2 credential in executions: its token expires, n8n refreshes it (Zettle rotates the
 * refresh token) and stores the new pair; the second refresh only works with the rotated token.
 */
async function checkOAuthExecutions(
	host: N8nHost,
	env: NodeJS.ProcessEnv,
	sandbox: Sandbox,
	say: (line: string) => void,
): Promise<number> {
	let failed = 0;
	for (const round of [1, 2]) {
		for (const token of [...sandbox.oauth.tokens.keys()]) sandbox.oauth.expire(token);
		sandbox.reset();
		try {
			const ran = await execute(host, env, sandbox, oauthWorkflow.id);
			strictEqual(
				ran.result.status,
				'success',
				JSON.stringify(ran.result.data.resultData.error ?? null),
			);
			deepStrictEqual(
				ran.output('Zettle Inventory').map((j) => j.type),
				['STORE', 'BIN', 'SUPPLIER', 'SOLD'],
			);
			for (const secret of [
				sandbox.oauth.partnerApp.clientSecret,
				...sandbox.oauth.tokens.keys(),
			]) {
				ok(
					!ran.stdout.includes(secret) && !ran.stderr.includes(secret),
					'no client secret or access token in anything n8n printed',
				);
			}
			const grants = sandbox.requests
				.filter((r) => r.path === '/token')
				.map((r) => `${(r.body as { grant_type: string }).grant_type} ${r.status}`);
			deepStrictEqual(grants, ['refresh_token 200']);
			say(
				`✓ OAuth2 execution ${round}: the expired token was refreshed${round === 2 ? ' with the rotated refresh token n8n had stored' : ''}, locations read`,
			);
		} catch (error) {
			failed++;
			say(`✗ OAuth2 execution ${round}: ${(error as Error).message}`);
		}
	}
	return failed;
}

/** `n8n start` for the checks that need n8n's server: the editor's backend and the Zettle Trigger. */
async function withServer(
	host: N8nHost,
	env: NodeJS.ProcessEnv,
	sandbox: Sandbox,
	shop: Shop,
	say: (line: string) => void,
): Promise<number> {
	say(
		`n8n start (the editor's backend): credential test, list search, OAuth2 connect, the Zettle Trigger`,
	);
	const server = await startN8nServer(host, env);
	let failed = 0;
	try {
		const api = await ownerSession(server.url);
		await checkEditorBackend(api, sandbox, say).catch((error) => {
			failed++;
			say(`✗ editor backend: ${(error as Error).message}`);
		});
		failed += await checkTrigger(server, api, sandbox, shop, say).catch((error) => {
			say(`✗ Zettle Trigger: ${(error as Error).message}`);
			return 1;
		});
	} finally {
		await server.stop();
	}
	return failed;
}

/** A fresh n8n user folder with the packed package, the credentials and every workflow the checks run. */
async function prepare(
	host: N8nHost,
	work: string,
	sandbox: Sandbox,
	shop: Shop,
): Promise<NodeJS.ProcessEnv> {
	await installPackage(work);
	const env = await n8nEnv(work);
	await importCredentials(host, env, [
		sandboxApiKeyCredential(sandbox, { id: 'zettleSandboxCred1', name: 'Zettle sandbox' }),
		// a partner app's credential, connected through n8n's own OAuth2 flow
		sandboxOAuthCredential(sandbox, { id: OAUTH_CREDENTIAL, name: 'Zettle sandbox (OAuth2)' }),
	]);
	await n8n(host, ['import:workflow', '--separate', `--input=${join(ROOT, 'examples')}`], env);
	// the OAuth2 workflow, and the till-sale example with its webshop URL pointed at the loopback "webshop"
	for (const [name, workflow] of [
		['oauth-workflow.json', oauthWorkflow],
		['till-sale-workflow.json', tillSaleWorkflow(shop.url)],
	] as const) {
		writeFileSync(join(work, name), JSON.stringify(workflow));
		await n8n(host, ['import:workflow', `--input=${join(work, name)}`], env);
	}
	return env;
}

async function main() {
	const started = Date.now();
	const say = (line: string) => process.stdout.write(`${line}\n`);
	const host = await ensureN8n(undefined, say);
	say(`n8n ${host.version} on Node ${execFileSync(host.node, ['--version']).toString().trim()}`);
	const work = mkdtempSync(join(tmpdir(), 'zettle-e2e-'));
	const sandbox = await startSandbox();
	const shop = await startShop();
	let failed = 0;
	try {
		const env = await prepare(host, work, sandbox, shop);
		const examples = await runExamples(host, env, sandbox, work, say);
		failed += examples.failed;
		failed += await withServer(host, env, sandbox, shop, say);
		failed += await checkOAuthExecutions(host, env, sandbox, say);
		// n8n stores the token the credential's preAuthentication got, and every later execution
		// (each its own process) reuses it: one assertion grant for the whole run
		if (examples.tokenRequests === 1)
			say('✓ one token exchange for all executions: n8n kept the access token in the credential');
		else {
			failed++;
			say(`✗ expected one token exchange for all executions, saw ${examples.tokenRequests}`);
		}
	} finally {
		await sandbox.close();
		await shop.close();
		rmSync(work, { recursive: true, force: true });
	}
	say(
		`${failed ? `${failed} check(s) FAILED` : 'all examples passed'} in a real n8n ${host.version} (${((Date.now() - started) / 1000).toFixed(0)} s in all)`,
	);
	process.exitCode = failed ? 1 : 0;
}

const until = async (what: string, condition: () => boolean, timeoutMs = 30_000) => {
	for (
		const deadline = Date.now() + timeoutMs;
		Date.now() < deadline;
		await new Promise((r) => setTimeout(r, 200))
	)
		if (condition()) return;
	throw new Error(`timed out waiting for ${what}`);
};

/**
 * The Zettle Trigger in a real n8n: activation through the REST API creates the sandbox subscription with n8n's
 * webhook URL; a till sale starts exactly one execution, which sets the webshop's stock; a stock write made by
 * the Zettle Inventory node with the same credential starts none; a forged delivery starts none; deactivation
 * deletes the subscription. Returns the number of failed checks.
 *
 * Long on purpose: one check's steps in order (set up, act, assert what the sandbox and n8n saw), read top to bottom.
 */
async function checkTrigger(
	server: { url: string; output: () => string },
	api: Awaited<ReturnType<typeof ownerSession>>,
	sandbox: Sandbox,
	shop: Shop,
	say: (line: string) => void,
): Promise<number> {
	const id = 'zettleTillSaleToShop';
	sandbox.reset();
	const stored = await api('GET', `/rest/workflows/${id}`);
	await api('POST', `/rest/workflows/${id}/activate`, { versionId: stored.versionId });
	const [subscription] = sandbox.pusher.subscriptions.values();
	ok(subscription, 'activation created a Zettle subscription');
	strictEqual(
		subscription.destination,
		`${server.url}/webhook/${stored.nodes.find((n: { type: string }) => n.type === 'n8n-nodes-zettle.zettleTrigger').webhookId}/webhook`,
	);
	deepStrictEqual(subscription.eventNames, ['InventoryBalanceChanged']);
	say(
		`✓ Zettle Trigger activated through the REST API: subscription ${subscription.uuid} → ${subscription.destination}; the TestMessage answered ${sandbox.pusher.deliveries[0]?.status}`,
	);

	sandbox.sellAtTill(SEED.tshirt.small, 2);
	await sandbox.pusher.idle();
	await until('the webshop to receive the new stock level', () => shop.received.length >= 1);
	await new Promise((r) => setTimeout(r, 1000));
	deepStrictEqual(
		shop.received.map((r) => [r.method, r.url, r.body.sku, r.body.stock]),
		[['PUT', '/api/stock/TSHIRT-S', 'TSHIRT-S', 236]],
	);
	say(
		'✓ a till sale (2 × TSHIRT-S): one execution, the webshop got PUT /api/stock/TSHIRT-S {stock: 236}',
	);

	const run = await api('POST', '/rest/workflows/zettleUpdateBalance1/run', {
		workflowData: await api('GET', '/rest/workflows/zettleUpdateBalance1'),
		triggerToStartFrom: { name: 'When clicking ‘Execute workflow’' },
	});
	ok(run?.executionId, `the update-balance example did not start: ${JSON.stringify(run)}`);
	await until('the Zettle Inventory node to write', () =>
		sandbox.requests.some((r) => r.method === 'PUT' && r.applied),
	);
	await until(
		'the webhook of that write to be delivered',
		() =>
			sandbox.pusher.deliveries.filter((d) => d.eventName === 'InventoryBalanceChanged').length ===
			2,
	);
	await sandbox.pusher.idle();
	await new Promise((r) => setTimeout(r, 2000));
	strictEqual(
		sandbox.pusher.deliveries.filter((d) => d.eventName === 'InventoryBalanceChanged')[1].status,
		200,
		'n8n acknowledged the echo',
	);
	strictEqual(
		shop.received.length,
		1,
		'the write made with the same credential started no execution',
	);
	say(
		'✓ a stock write by the Zettle Inventory node with the same credential: delivered, acknowledged, no execution',
	);

	const forged = await fetch(subscription.destination, {
		method: 'POST',
		headers: { 'content-type': 'application/json', 'x-izettle-signature': '0'.repeat(64) },
		body: JSON.stringify({
			eventName: 'InventoryBalanceChanged',
			messageId: 'forged-1',
			timestamp: new Date().toISOString(),
			payload: '{}',
		}),
	});
	strictEqual(forged.status, 401);
	await new Promise((r) => setTimeout(r, 1000));
	strictEqual(shop.received.length, 1, 'a forged delivery started no execution');
	say('✓ a forged delivery: 401, no execution');

	await api('POST', `/rest/workflows/${id}/deactivate`, {});
	strictEqual(sandbox.pusher.subscriptions.size, 0, 'deactivation deleted the subscription');
	ok(
		!server.output().includes(subscription.signingKey),
		'the signing key is not in what n8n printed',
	);
	say('✓ deactivated through the REST API: the subscription is gone from the sandbox');
	return 0;
}

main().catch((error) => {
	process.stderr.write(`${String(error?.stack ?? error)}\n`);
	process.exitCode = 1;
});
