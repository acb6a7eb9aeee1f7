// Test helpers: a sandbox per test, a run of the Zettle node through n8n's engine against it, and the
// items and parameters the tests start from (built from the sandbox's SEED).

import type { IDataObject, INode, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { RunResult, runWorkflow, TestCredentialsHelper } from '../../harness/engine';
import { apiKeyCredentials, NODE_NAME, zettleNode } from '../../harness/zettle';
import { SEED } from '../../sandbox/seed';
import { Sandbox, SandboxOptions, startSandbox } from '../../sandbox/server';
import type { Organization } from '../../sandbox/state';

export { apiKeyCredentials, NODE_NAME, zettleNode };

export async function runZettle(
	sandbox: Sandbox,
	parameters: INodeParameters,
	input: IDataObject[],
	{ credentials = apiKeyCredentials(sandbox), node = {} as Partial<INode> } = {},
): Promise<RunResult & { credentials: TestCredentialsHelper }> {
	const wf = { nodes: [zettleNode(parameters, node)], connections: {} };
	const result = await runWorkflow(wf, credentials, { input, startAt: NODE_NAME });
	return { ...result, credentials };
}

/** An OAuth2 credential connected the way n8n's OAuth flow does it: authorize, then exchange the code. */
export async function oauth2Credentials(sandbox: Sandbox): Promise<TestCredentialsHelper> {
	const app = sandbox.oauth.partnerApp;
	const redirect = 'http://localhost:5678/rest/oauth2-credential/callback';
	const authorize = await fetch(
		`${sandbox.url}/authorize?response_type=code&client_id=${app.clientId}&redirect_uri=${encodeURIComponent(redirect)}&scope=READ:PRODUCT%20WRITE:PRODUCT&state=s1`,
		{
			redirect: 'manual',
		},
	);
	const code = new URL(authorize.headers.get('location')!).searchParams.get('code')!;
	const token = await fetch(`${sandbox.url}/token`, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({
			grant_type: 'authorization_code',
			code,
			client_id: app.clientId,
			client_secret: app.clientSecret,
			redirect_uri: redirect,
		}),
	});
	const data = (await token.json()) as { access_token: string; refresh_token: string };
	return new TestCredentialsHelper({
		zettleOAuth2Api: {
			environment: 'custom',
			baseUrl: sandbox.url,
			clientId: app.clientId,
			clientSecret: app.clientSecret,
			oauthTokenData: { ...data, token_type: 'Bearer' },
		},
	});
}

/** A sandbox of its own with a generated catalogue organization, as `withCatalogue` hands it to a test. */
export interface CatalogueSandbox {
	sandbox: Sandbox;
	/** the generated organization */
	org: Organization;
	/** its API key, and a credential with it for `runZettle` / `runOn` */
	apiKey: string;
	credentials: TestCredentialsHelper;
}

/**
 * Starts a sandbox with a generated catalogue (products, variants, extra STOREs…), runs `test` with it and closes
 * it, whatever the test does.
 */
export async function withCatalogue<T>(
	catalogue: NonNullable<SandboxOptions['catalogue']>,
	test: (c: CatalogueSandbox) => Promise<T>,
): Promise<T> {
	const sandbox = await startSandbox({ catalogue });
	try {
		const apiKey = sandbox.catalogueApiKey!;
		return await test({
			sandbox,
			org: sandbox.organizationOf(apiKey),
			apiKey,
			credentials: apiKeyCredentials(sandbox, apiKey),
		});
	} finally {
		await sandbox.close();
	}
}

/** Starts a sandbox before each test and closes it after; `current()` is this test's sandbox. */
export function useSandbox(options: SandboxOptions = {}) {
	let sandbox: Sandbox;
	beforeEach(async () => {
		sandbox = await startSandbox(options);
	});
	afterEach(async () => {
		await sandbox.close();
	});
	return () => sandbox;
}

/** The node's operations as parameters; a test spreads its options over one. */
export const OPERATION = {
	updateBalance: { resource: 'balance', operation: 'updateBalance' },
	bulkUpdate: { resource: 'balance', operation: 'bulkUpdate' },
	setStockLevel: { resource: 'balance', operation: 'setStockLevel' },
	getBalances: { resource: 'balance', operation: 'getAll' },
	getLowStock: { resource: 'balance', operation: 'getLowStock' },
	setLowStock: { resource: 'balance', operation: 'setLowStock' },
	getLocations: { resource: 'location', operation: 'getAll' },
	startTracking: { resource: 'product', operation: 'startTracking' },
	stopTracking: { resource: 'product', operation: 'stopTracking' },
} satisfies Record<string, INodeParameters>;

/** A movement of `change` units of one seed variant from STORE to BIN, as a workflow item or a PUT's change. */
export const seedMove = (productUuid: string, variantUuid: string, change: number) => ({
	productUuid,
	variantUuid,
	fromLocationUuid: SEED.locations.STORE as string,
	toLocationUuid: SEED.locations.BIN as string,
	change,
});

/** The seed's PUT example as workflow items (42 and 1337 T-shirts, STORE → BIN): the node's defaults read exactly these fields. */
export const SEED_CHANGES = [
	seedMove(SEED.tshirt.productUuid, SEED.tshirt.small, 42),
	seedMove(SEED.tshirt.productUuid, SEED.tshirt.medium, 1337),
];

/** The seed's bulk example as workflow items: the same moves for the (untracked) mug's two variants. */
export const SEED_BULK_ITEMS = [
	seedMove(SEED.mug.productUuid, SEED.mug.white, 42),
	seedMove(SEED.mug.productUuid, SEED.mug.black, 1337),
];

/** The seed's documented bulk request: start tracking the mug and move SEED_BULK_ITEMS, STORE balances asked back. */
export const SEED_BULK_BODY = {
	returnBalanceForLocationUuid: SEED.locations.STORE as string,
	productChanges: [
		{
			productUuid: SEED.mug.productUuid as string,
			trackingStatusChange: 'START_TRACKING',
			variantChanges: SEED_BULK_ITEMS.map(
				({ variantUuid, fromLocationUuid, toLocationUuid, change }) => ({
					variantUuid,
					fromLocationUuid,
					toLocationUuid,
					change,
				}),
			),
		},
	],
};

/** A balance row of the seed's STORE, as Zettle answers it (legacy: balance as given) and the node outputs it. */
export const storeRow = (productUuid: string, variantUuid: string, balance: number | string) => ({
	locationUuid: SEED.locations.STORE as string,
	locationType: 'STORE',
	productUuid,
	variantUuid,
	balance,
});

/** STORE's starting balance of the variants the seed's examples move (sandbox/seed.ts). */
const SEED_STORE_START: Record<string, number> = {
	[SEED.tshirt.small]: 238,
	[SEED.tshirt.medium]: 12033,
	[SEED.mug.white]: 238,
	[SEED.mug.black]: 12033,
};

/** The STORE rows of the variants these STORE → BIN moves leave (the seed's examples: 196 and 10696). */
export const seedRowsAfter = (moves: typeof SEED_CHANGES) =>
	moves.map((m) =>
		storeRow(m.productUuid, m.variantUuid, SEED_STORE_START[m.variantUuid] - m.change),
	);

/** The node's output for the seed's example moves: each STORE row with the request's correlation id, paired with its item. */
export const seedMovesOutput = (moves: typeof SEED_CHANGES, externalUuid: unknown) =>
	seedRowsAfter(moves).map((row, item) => ({
		json: { ...row, externalUuid },
		pairedItem: [{ item }],
	}));

/** A dry run's output item: the request it would send (`request` of `of`) and the input items it carries. */
export const dryRunRequest = (
	method: string,
	url: unknown,
	body: unknown,
	{ items = [0], request = 1, of = 1 }: { items?: number[]; request?: number; of?: number } = {},
) => ({ dryRun: true, request, of, method, url, body, items });

/** The seed's STORE, and its BIN under a name of its own (a location's name is not its type), as the node reads locations. */
export const STORE_AND_BIN = [
	{ uuid: SEED.locations.STORE, type: 'STORE' as const, name: 'STORE' },
	{ uuid: SEED.locations.BIN, type: 'BIN' as const, name: 'Broken goods' },
];

/** n items of 1 unit of the T-shirt (Small) each, no locations: restocked, each applied item adds exactly 1 to STORE. */
export const units = (n: number) =>
	Array.from({ length: n }, () => ({
		productUuid: SEED.tshirt.productUuid,
		variantUuid: SEED.tshirt.small,
		change: 1,
	}));

/** A variant's balance in the seed organization's STORE, as the sandbox holds it now. */
export const storeBalance = (sandbox: Sandbox, variantUuid: string): number =>
	sandbox.seedOrganization.balance(SEED.locations.STORE, variantUuid);

/** A resource locator parameter (a location) given by ID, name or type, as a saved workflow holds it. */
export const locator = (value: string) => ({ __rl: true, mode: 'id', value });

/** The first input item an output item is paired with (-1: none). */
export const firstItem = (i: INodeExecutionData) =>
	([i.pairedItem ?? []].flat() as Array<{ item: number }>)[0]?.item ?? -1;
