// What the real-n8n scripts (e2e, queue mode, dev, bench) share: the node's type, the API-key and
// OAuth2 credentials and the locations workflow, the check of the seed example, the till-sale example
// pointed at a loopback "webshop", and that webshop.

import { createServer } from 'node:http';
import { deepStrictEqual, match } from 'node:assert/strict';

import { loadExamples } from '../harness/examples';
import { SEED } from '../sandbox/seed';
import type { Sandbox } from '../sandbox/server';

/** The Zettle Inventory node's type, as workflows name it. */
export const ZETTLE_TYPE = 'n8n-nodes-zettle.zettleInventory';

/** A Zettle API-key credential pointed at a sandbox: its seed organization's key unless `apiKey` says another. */
export function sandboxApiKeyCredential(
	sandbox: { url: string; apiKey: string },
	credential: { id: string; name: string },
	apiKey = sandbox.apiKey,
) {
	return {
		...credential,
		type: 'zettleApi',
		data: { apiKey, environment: 'custom', baseUrl: sandbox.url },
	};
}

/** A Zettle OAuth2 credential of the sandbox's partner app, before n8n's own OAuth2 flow connects it. */
export function sandboxOAuthCredential(
	sandbox: { url: string; oauth: { partnerApp: { clientId: string; clientSecret: string } } },
	credential: { id: string; name: string },
) {
	return {
		...credential,
		type: 'zettleOAuth2Api',
		data: {
			clientId: sandbox.oauth.partnerApp.clientId,
			clientSecret: sandbox.oauth.partnerApp.clientSecret,
			environment: 'custom',
			baseUrl: sandbox.url,
		},
	};
}

/** Get Locations with the OAuth2 credential: the workflow that proves the connected credential works. */
export function oauthLocationsWorkflow(id: string, credential: { id: string; name: string }) {
	return {
		id,
		name: 'Zettle: locations with OAuth2',
		active: false,
		nodes: [
			{
				id: 'o1',
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: 'o2',
				name: 'Zettle Inventory',
				type: ZETTLE_TYPE,
				typeVersion: 1,
				position: [220, 0],
				parameters: { authentication: 'oAuth2', resource: 'location', operation: 'getAll' },
				credentials: { zettleOAuth2Api: credential },
			},
		],
		connections: { Start: { main: [[{ node: 'Zettle Inventory', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

/** A version 1 (time-based) UUID: what the node sends as a request's externalUuid when none is given. */
const UUID_V1 = /^[0-9a-f]{8}-[0-9a-f]{4}-1[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/**
 * examples/update-balance.json (the seed example) did what it must, in regular and in queue mode: the
 * PUT the sandbox received carries exactly the example's 2 changes and an externalUuid (a v1 UUID),
 * the Zettle node's outputs are the two STORE balances of that request (with its externalUuid), and the
 * sandbox's seed organization holds them.
 */
export function assertSeedExample(
	output: Array<Record<string, any>>,
	putBody: unknown,
	sandbox: Sandbox,
): void {
	const { externalUuid } = (putBody ?? {}) as { externalUuid?: unknown };
	match(String(externalUuid), UUID_V1, `the PUT's externalUuid is a v1 UUID: ${externalUuid}`);
	// the items the example's Code node returns, exactly, plus the externalUuid the node adds
	const changes = JSON.parse(
		JSON.stringify(loadExamples().find((e) => e.file === 'update-balance.json')!.input),
	); // out of the VM realm
	deepStrictEqual(putBody, { changes, externalUuid });
	deepStrictEqual(
		output.map((j) => [j.variantUuid, j.balance, j.locationType, j.externalUuid]),
		[
			[SEED.tshirt.small, 196, 'STORE', externalUuid],
			[SEED.tshirt.medium, 10696, 'STORE', externalUuid],
		],
	);
	deepStrictEqual(
		[
			sandbox.seedOrganization.balance(SEED.locations.STORE, SEED.tshirt.small),
			sandbox.seedOrganization.balance(SEED.locations.STORE, SEED.tshirt.medium),
		],
		[196, 10696],
	);
}

export interface Shop {
	url: string;
	received: Array<{ method: string; url: string; body: any }>;
	close: () => Promise<void>;
}

/** A loopback stand-in for a webshop's stock API: records every request. */
export async function startShop(): Promise<Shop> {
	const received: Shop['received'] = [];
	const server = createServer((req, res) => {
		let body = '';
		req.on('data', (d) => (body += d));
		req.on('end', () => {
			received.push({
				method: req.method ?? '',
				url: req.url ?? '',
				body: body ? JSON.parse(body) : null,
			});
			res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
		received,
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

/** examples/till-sale-to-webshop.json with its webshop URL pointed at the loopback shop. */
export function tillSaleWorkflow(shopUrl: string) {
	const workflow = JSON.parse(
		JSON.stringify(loadExamples().find((e) => e.file === 'till-sale-to-webshop.json')!.workflow),
	) as {
		id: string;
		nodes: Array<{ type: string; webhookId?: string; parameters: Record<string, unknown> }>;
	};
	workflow.nodes.find((n) => n.type === 'n8n-nodes-base.httpRequest')!.parameters.url =
		`=${shopUrl}/api/stock/{{ encodeURIComponent($json.sku) }}`;
	return workflow;
}
