// Balance → Bulk Update, on both Inventory APIs: items grouped by product, with tracking changes, and come back as
// balances. Legacy: POST /organizations/self/v2/inventory/bulk productChanges (Stop Tracking: the movements with
// NO_CHANGE, then the documented DELETE). V3: POST /v3/products (enable) before the movements, POST /v3/movements,
// POST /v3/products (disable) after them, and the balances read back.

import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { SEED } from '../../sandbox/seed';
import {
	ApiCase,
	APIS,
	LEGACY,
	RuleTarget,
	runOn,
	trackingChange,
	UUID_V1,
	V3,
} from '../support/apis';
import { bodies, BulkBody, PATH, writes } from '../support/requests';
import {
	dryRunRequest,
	firstItem,
	NODE_NAME,
	OPERATION,
	SEED_BULK_BODY,
	SEED_BULK_ITEMS,
	seedMovesOutput,
	storeBalance,
	useSandbox,
	withCatalogue,
} from '../support/zettle';

const sandbox = useSandbox();
const BULK = OPERATION.bulkUpdate;
const posts = () => bodies<BulkBody>(sandbox(), 'POST', PATH.bulk);
const org = () => sandbox().seedOrganization;
const store = (variantUuid: string) => storeBalance(sandbox(), variantUuid);
const stores = (...variantUuids: string[]) => variantUuids.map(store);
/** output items in input order (the two APIs send tracking changes and movements in different requests) */
const byItem = (items: INodeExecutionData[]) =>
	[...items].sort((a, b) => firstItem(a) - firstItem(b));

const MIXED = [
	{ productUuid: SEED.tshirt.productUuid, variantUuid: SEED.tshirt.small, change: 1 },
	{ productUuid: SEED.mug.productUuid, variantUuid: SEED.mug.white, change: 2 },
	{ productUuid: SEED.tshirt.productUuid, variantUuid: SEED.tshirt.medium, change: 3 },
	{ productUuid: SEED.mug.productUuid, variantUuid: SEED.mug.black, change: 4 },
	{ productUuid: SEED.cap.productUuid, variantUuid: SEED.cap.oneSize, change: 5 },
];
const STOP_WITH_MOVEMENTS = [
	{ productUuid: SEED.tshirt.productUuid, variantUuid: SEED.tshirt.small, change: 2 },
	{ productUuid: SEED.cap.productUuid, variantUuid: SEED.cap.oneSize, change: 3 },
	{ productUuid: SEED.tshirt.productUuid, variantUuid: SEED.tshirt.medium, change: 4 },
	{ productUuid: SEED.tshirt.productUuid },
];
const STOP_PARAMS = {
	...BULK,
	movement: 'restock',
	trackingStatusChange: 'STOP_TRACKING',
	options: { returnBalanceForLocation: 'STORE' },
};
/** Restocks with the tracking change each item names in `tracking`. */
const RESTOCK_PER_ITEM = {
	...BULK,
	movement: 'restock',
	trackingStatusChange: '={{ $json.tracking }}',
};
/** An item that restocks `change` units of a variant, with a tracking change for its product. */
const restock = (productUuid: string, variantUuid: string, change: number, tracking: string) => ({
	productUuid,
	variantUuid,
	change,
	tracking,
});
/** the tracking changes sent, as [productUuid, change] */
const trackingSent = (api: ApiCase) =>
	api.trackingSent(sandbox()).map((t) => [t.productUuid, t.trackingStatusChange]);

/** Has Zettle refuse (400, nothing applied) the requests of `target`, or only the `nth` of them. */
const refuse = (target: RuleTarget, nth?: number[]) =>
	sandbox().faults.set({
		rules: [
			{
				...target,
				nth,
				action: 'respond',
				status: 400,
				body: { developerMessage: 'refused', errorType: 'INVALID_REQUEST', violations: [] },
			},
		],
	});

// The runs that both the tests of both APIs and the tests of one API's requests look at.

/** The seed's bulk example: start tracking the mug and move its two variants, STORE balances asked back. */
const runSeedExample = (api: ApiCase) =>
	runOn(
		api,
		sandbox(),
		{
			...BULK,
			trackingStatusChange: 'START_TRACKING',
			options: { returnBalanceForLocation: SEED.locations.STORE },
		},
		SEED_BULK_ITEMS,
	);

/** Two restocks with No Change, then an item that only starts tracking the mug; two items a request at most. */
const runRestocksThenStart = (api: ApiCase) =>
	runOn(api, sandbox(), { ...RESTOCK_PER_ITEM, options: { itemsPerRequest: 2 } }, [
		restock(SEED.tshirt.productUuid, SEED.tshirt.small, 1, 'NO_CHANGE'),
		restock(SEED.cap.productUuid, SEED.cap.oneSize, 2, 'NO_CHANGE'),
		{ productUuid: SEED.mug.productUuid, tracking: 'START_TRACKING' },
	]);

/** MIXED restocked, three variants a request at most. */
const runMixed = (api: ApiCase) =>
	runOn(api, sandbox(), { ...BULK, movement: 'restock', options: { itemsPerRequest: 3 } }, MIXED);

/** Two tracking-only items, with their change per item: stop the cap (item 0), start the mug (item 1). */
const runTrackingOnly = (api: ApiCase) =>
	runOn(api, sandbox(), { ...BULK, trackingStatusChange: '={{ $json.tracking }}' }, [
		{ productUuid: SEED.cap.productUuid, tracking: 'STOP_TRACKING' },
		{ productUuid: SEED.mug.productUuid, tracking: 'START_TRACKING' },
	]);

/** Stop Tracking with a restock of the cap, whose movement request Zettle refuses (400). */
const runStopWithRefusedMovement = (api: ApiCase) => {
	refuse(api.rules.bulkMovements);
	return runOn(
		api,
		sandbox(),
		{ ...BULK, movement: 'restock', trackingStatusChange: 'STOP_TRACKING' },
		[{ productUuid: SEED.cap.productUuid, variantUuid: SEED.cap.oneSize, change: 3 }],
	);
};

/** A dry run of a restock of 4 white mugs (untracked), named by barcode. */
const runDryRunByBarcode = (api: ApiCase, options: object = {}) =>
	runOn(
		api,
		sandbox(),
		{ ...BULK, movement: 'restock', identifyBy: 'barcode', options: { dryRun: true, ...options } },
		[{ barcode: '7350000000031', change: 4 }],
	);

describe.each(APIS)('Bulk Update ($name API)', (api) => {
	it("given the seed's bulk example items, starts tracking the mug, moves its stock and outputs the seed's balances", async () => {
		const { run, output } = await runSeedExample(api);
		expect(run.status).toBe('success');
		expect(trackingSent(api)).toEqual([[SEED.mug.productUuid, 'START_TRACKING']]);
		expect(api.movementRequests(sandbox())).toHaveLength(1);
		expect(api.movementsSent(sandbox())).toEqual(SEED_BULK_ITEMS);
		expect(org().tracked.has(SEED.mug.productUuid)).toBe(true);
		const [externalUuid] = api.correlationIds(sandbox());
		expect(output(NODE_NAME)).toEqual(seedMovesOutput(SEED_BULK_ITEMS, externalUuid));
		expect(stores(SEED.mug.white, SEED.mug.black)).toEqual([196, 10696]);
	});

	it('without Return Balances For Location, outputs the STORE balances of the moved variants, and the tracking-only item as it is', async () => {
		const { run, output } = await runRestocksThenStart(api);
		expect(run.status).toBe('success');
		expect(trackingSent(api)).toEqual([[SEED.mug.productUuid, 'START_TRACKING']]);
		expect(
			byItem(output(NODE_NAME)).map((i) => [
				i.json.variantUuid ?? i.json.productUuid,
				i.json.locationUuid,
				i.json.balance,
				i.json.trackingStatusChange,
			]),
		).toEqual([
			[SEED.tshirt.small, SEED.locations.STORE, 239, undefined],
			[SEED.cap.oneSize, SEED.locations.STORE, 7, undefined],
			[SEED.mug.productUuid, undefined, undefined, 'START_TRACKING'],
		]);
		expect(stores(SEED.tshirt.small, SEED.cap.oneSize)).toEqual([239, 7]);
		expect(org().tracked.has(SEED.mug.productUuid)).toBe(true);
	});

	it('takes the tracking change per item, and items with only a tracking change', async () => {
		const { run, output } = await runTrackingOnly(api);
		expect(run.status).toBe('success');
		expect(api.movementRequests(sandbox())).toHaveLength(0);
		expect(trackingSent(api).sort()).toEqual(
			[
				[SEED.mug.productUuid, 'START_TRACKING'],
				[SEED.cap.productUuid, 'STOP_TRACKING'],
			].sort(),
		);
		expect(org().tracked.has(SEED.cap.productUuid)).toBe(false);
		expect(org().tracked.has(SEED.mug.productUuid)).toBe(true);
		expect(
			byItem(output(NODE_NAME)).map((i) => [
				i.json.productUuid,
				i.json.trackingStatusChange,
				i.pairedItem,
			]),
		).toEqual([
			[SEED.cap.productUuid, 'STOP_TRACKING', { item: 0 }],
			[SEED.mug.productUuid, 'START_TRACKING', { item: 1 }],
		]);
		expect(stores(SEED.cap.oneSize, SEED.mug.white)).toEqual([5, 238]);
	});

	it('keeps a product’s variants in one request and groups items by product', async () => {
		const { run } = await runMixed(api);
		expect(run.status).toBe('success');
		// 2 + 2 variants do not fit in 3: the T-shirt goes alone, then the mug and the cap
		expect(api.movementsByProduct(sandbox())).toEqual([
			[[SEED.tshirt.productUuid, 2]],
			[
				[SEED.mug.productUuid, 2],
				[SEED.cap.productUuid, 1],
			],
		]);
		expect(MIXED.map((m) => store(m.variantUuid))).toEqual([239, 238 + 2, 12036, 12033 + 4, 10]);
	});

	it('Stop Tracking with movements: the movements are applied while the products are still tracked, then tracking stops', async () => {
		const { run, output } = await runOn(api, sandbox(), STOP_PARAMS, STOP_WITH_MOVEMENTS);
		expect(run.status).toBe('success');
		expect(api.movementsSent(sandbox()).map((m) => [m.variantUuid, m.change])).toEqual([
			[SEED.tshirt.small, 2],
			[SEED.tshirt.medium, 4],
			[SEED.cap.oneSize, 3],
		]);
		expect(api.movementRequests(sandbox()).every((r) => r.status === api.movementStatus)).toBe(
			true,
		);
		expect(api.trackingSent(sandbox())).toEqual([
			trackingChange(SEED.tshirt.productUuid, 'STOP_TRACKING'),
			trackingChange(SEED.cap.productUuid, 'STOP_TRACKING'),
		]);
		// every tracking change goes after the last movement
		const lastMovement = Math.max(...api.movementRequests(sandbox()).map((r) => r.seq));
		expect(api.trackingRequests(sandbox()).every((r) => r.seq > lastMovement)).toBe(true);
		expect(org().tracked.has(SEED.tshirt.productUuid)).toBe(false);
		expect(org().tracked.has(SEED.cap.productUuid)).toBe(false);
		// stock moved while the products were still tracked; Zettle keeps the balances after tracking stops
		expect(stores(SEED.tshirt.small, SEED.tshirt.medium, SEED.cap.oneSize)).toEqual([
			240, 12037, 8,
		]);
		// every item is in the output: the three movements, applied, and the tracking-only item
		const [externalUuid] = api.correlationIds(sandbox());
		expect(
			output(NODE_NAME).map((i) => [
				i.json.variantUuid ?? i.json.productUuid,
				i.json.externalUuid,
				firstItem(i),
			]),
		).toEqual([
			[SEED.tshirt.small, externalUuid, 0],
			[SEED.tshirt.medium, externalUuid, 2],
			[SEED.cap.oneSize, externalUuid, 1],
			[SEED.tshirt.productUuid, null, 3],
		]);
	});

	it('Stop Tracking with movements: when the movement request is refused, tracking is not stopped', async () => {
		const { run, error } = await runStopWithRefusedMovement(api);
		expect(run.status).toBe('error');
		expect(error?.message).toMatch(/^Refused: request 1 of 2 \(item 0\)/);
		expect(error?.description).toMatch(/^Not applied: item 0/);
		expect(api.trackingRequests(sandbox())).toHaveLength(0);
		expect(org().tracked.has(SEED.cap.productUuid)).toBe(true);
		expect(store(SEED.cap.oneSize)).toBe(5);
	});

	it('Stop Tracking with movements: when a stop is refused after the movements were applied, says they were applied and only the tracking changes failed or were not attempted', async () => {
		refuse(api.rules.stopTracking, [1]);
		// one product a request: the cap's movement, the T-shirt's, then the cap's stop, the T-shirt's
		const { run, error } = await runOn(
			api,
			sandbox(),
			{
				...BULK,
				movement: 'restock',
				trackingStatusChange: 'STOP_TRACKING',
				options: { itemsPerRequest: 1 },
			},
			[
				{ productUuid: SEED.cap.productUuid, variantUuid: SEED.cap.oneSize, change: 3 },
				{ productUuid: SEED.tshirt.productUuid, variantUuid: SEED.tshirt.small, change: 1 },
			],
		);
		expect(run.status).toBe('error');
		const ids = api.correlationIds(sandbox());
		expect(ids).toHaveLength(2);
		expect(error?.message).toMatch(
			/^Refused: request 3 of 4 \(the tracking change of item 0\): Zettle refused the request \(400\)/,
		);
		// the movements are not to be sent again: a re-run of the items would restock twice
		expect(error?.description).toBe(
			`Applied: items 0–1 (2 request(s), externalUuid ${ids.join(', ')}). ` +
				'Not applied: the tracking change of item 0, whose movement was applied: stop its tracking with Product → Stop Tracking (safe to repeat), not by sending the item again. ' +
				'Not attempted: the tracking change of item 1, whose movement was applied: stop its tracking with Product → Stop Tracking (safe to repeat), not by sending the item again.',
		);
		expect(stores(SEED.cap.oneSize, SEED.tshirt.small)).toEqual([8, 239]);
		expect(org().tracked.has(SEED.cap.productUuid)).toBe(true);
		expect(org().tracked.has(SEED.tshirt.productUuid)).toBe(true);
	});

	it('Stop Tracking with movements, Continue: the applied movement is output with its balance, and an error item for its tracking change only', async () => {
		refuse(api.rules.stopTracking);
		const { run, output } = await runOn(
			api,
			sandbox(),
			{ ...BULK, movement: 'restock', trackingStatusChange: 'STOP_TRACKING' },
			[{ productUuid: SEED.cap.productUuid, variantUuid: SEED.cap.oneSize, change: 3 }],
			{ node: { onError: 'continueRegularOutput' } },
		);
		expect(run.status).toBe('success');
		const [applied, failed, ...more] = output(NODE_NAME);
		expect(more).toHaveLength(0);
		expect(applied.json).toMatchObject({ variantUuid: SEED.cap.oneSize, balance: 8 });
		expect(applied.pairedItem).toEqual([{ item: 0 }]);
		expect(failed.json.error).toMatch(
			/^Tracking change not applied: Zettle refused the request \(400\).*its movement was applied \(externalUuid [0-9a-f-]{36}\): stop its tracking with Product → Stop Tracking \(safe to repeat\), not by sending the item again/,
		);
		expect(failed.pairedItem).toEqual({ item: 0 });
		expect(store(SEED.cap.oneSize)).toBe(8);
	});

	it('refuses conflicting tracking changes for one product before sending', async () => {
		const { run, error } = await runOn(
			api,
			sandbox(),
			{ ...BULK, trackingStatusChange: '={{ $json.tracking }}' },
			[
				{ productUuid: SEED.cap.productUuid, tracking: 'STOP_TRACKING' },
				{ productUuid: SEED.cap.productUuid, tracking: 'START_TRACKING' },
			],
		);
		expect(run.status).toBe('error');
		expect(error?.message).toMatch(
			/^Item 1: Tracking change START_TRACKING conflicts with STOP_TRACKING on item 0/,
		);
		expect(api.requests(sandbox(), 'POST')).toHaveLength(0);
		expect(api.writes(sandbox())).toHaveLength(0);
		expect(org().tracked.has(SEED.cap.productUuid)).toBe(true);
	});

	it('refuses an unknown tracking change before sending', async () => {
		const { error } = await runOn(
			api,
			sandbox(),
			{ ...BULK, trackingStatusChange: '={{ "PAUSE" }}' },
			SEED_BULK_ITEMS,
		);
		expect(error?.message).toMatch(
			/^Item 0: Tracking change "PAUSE" is not one of START_TRACKING, NO_CHANGE, STOP_TRACKING/,
		);
		expect(api.requests(sandbox(), 'POST')).toHaveLength(0);
		expect(api.writes(sandbox())).toHaveLength(0);
	});

	it("reports Zettle's refusal (PRODUCT_NOT_TRACKED) with its message, naming the items", async () => {
		const { run, error } = await runOn(
			api,
			sandbox(),
			{ ...BULK, trackingStatusChange: 'NO_CHANGE' },
			SEED_BULK_ITEMS,
		);
		expect(run.status).toBe('error');
		expect(error?.message).toMatch(
			/Refused: request 1 of 1 \(items 0–1\): Zettle refused the request \(400\)\. Zettle: Product .* is not tracked .*\[PRODUCT_NOT_TRACKED\]/,
		);
		expect(error?.description).toMatch(/Not applied: items 0–1/);
		expect(api.trackingSent(sandbox())).toHaveLength(0);
		expect(stores(SEED.mug.white, SEED.mug.black)).toEqual([238, 12033]);
		expect(org().tracked.has(SEED.mug.productUuid)).toBe(false);
	});

	it('dry run: given an item named by barcode, outputs the requests it would send and sends nothing', async () => {
		const { run, output } = await runDryRunByBarcode(api);
		expect(run.status).toBe('success');
		expect(api.writes(sandbox())).toHaveLength(0);
		const items = output(NODE_NAME).map((i) => i.json);
		expect(items.every((j) => j.dryRun === true && JSON.stringify(j.items) === '[0]')).toBe(true);
		expect(items.map((j) => j.url)).toContain(`${sandbox().url}${api.rules.bulkMovements.path}`);
		expect(org().tracked.has(SEED.mug.productUuid)).toBe(false);
		expect(store(SEED.mug.white)).toBe(238);
	});
});

describe('Bulk Update (legacy API)', () => {
	it("given the seed's bulk example items, sends the seed's documented bulk request and outputs its balances", async () => {
		const { run, output } = await runSeedExample(LEGACY);
		expect(run.status).toBe('success');
		expect(sandbox().log('POST', PATH.bulk)).toHaveLength(1);
		const [body] = posts();
		expect(body).toEqual({
			...SEED_BULK_BODY,
			externalUuid: expect.stringMatching(/^[0-9a-f-]{36}$/),
		});
		expect(org().tracked.has(SEED.mug.productUuid)).toBe(true);
		// the bulk answer has no location per variant: the node fills it from the top level
		expect(output(NODE_NAME)).toEqual(seedMovesOutput(SEED_BULK_ITEMS, body.externalUuid));
	});

	it("without Return Balances For Location, sends the default STORE's UUID on every request that moves stock (Zettle documents the STORE fallback for the PUT only) and outputs STORE balances", async () => {
		const { run, output } = await runRestocksThenStart(LEGACY);
		expect(run.status).toBe('success');
		// a tracking-only request returns `variants: []` whatever it names (enable-tracking.md): it goes without
		expect(posts().map((b) => [b.productChanges.length, b.returnBalanceForLocationUuid])).toEqual([
			[2, SEED.locations.STORE],
			[1, undefined],
		]);
		expect(
			output(NODE_NAME).map((i) => [
				i.json.variantUuid ?? i.json.productUuid,
				i.json.locationUuid,
				i.json.balance,
			]),
		).toEqual([
			[SEED.tshirt.small, SEED.locations.STORE, 239],
			[SEED.cap.oneSize, SEED.locations.STORE, 7],
			[SEED.mug.productUuid, undefined, undefined],
		]);
	});

	it('keeps a product’s variants in one request and groups items by product', async () => {
		const { run } = await runMixed(LEGACY);
		expect(run.status).toBe('success');
		// 2 + 2 variants do not fit in 3: the T-shirt goes alone, then the mug and the cap
		expect(
			posts().map((b) => b.productChanges.map((pc) => [pc.productUuid, pc.variantChanges.length])),
		).toEqual([
			[[SEED.tshirt.productUuid, 2]],
			[
				[SEED.mug.productUuid, 2],
				[SEED.cap.productUuid, 1],
			],
		]);
		expect(org().balance(SEED.locations.STORE, SEED.mug.black)).toBe(12033 + 4);
	});

	it('takes the tracking change per item, and items with only a tracking change (Stop Tracking: the documented DELETE)', async () => {
		const { run, output } = await runTrackingOnly(LEGACY);
		expect(run.status).toBe('success');
		expect(posts()).toHaveLength(1);
		expect(posts()[0].productChanges).toEqual([
			{
				productUuid: SEED.mug.productUuid,
				trackingStatusChange: 'START_TRACKING',
				variantChanges: [],
			},
		]);
		expect(
			sandbox()
				.log('DELETE')
				.map((r) => r.path),
		).toEqual([`${PATH.inventory}/products/${SEED.cap.productUuid}`]);
		expect(org().tracked.has(SEED.cap.productUuid)).toBe(false);
		expect(org().tracked.has(SEED.mug.productUuid)).toBe(true);
		expect(
			output(NODE_NAME).map((i) => [i.json.productUuid, i.json.trackingStatusChange, i.pairedItem]),
		).toEqual([
			[SEED.mug.productUuid, 'START_TRACKING', { item: 1 }],
			[SEED.cap.productUuid, 'STOP_TRACKING', { item: 0 }],
		]);
	});

	it('Stop Tracking with movements: the movements go in the bulk request with NO_CHANGE, then one DELETE per product', async () => {
		const { run, output } = await runOn(LEGACY, sandbox(), STOP_PARAMS, STOP_WITH_MOVEMENTS);
		expect(run.status).toBe('success');
		// STOP_TRACKING never goes to the bulk endpoint: a product's movements need it tracked, so they go first
		expect(
			sandbox()
				.log(undefined, '/organizations/self/v2')
				.concat(sandbox().log('DELETE'))
				.map((r) => `${r.method} ${r.path}`),
		).toEqual([
			`POST ${PATH.bulk}`,
			`DELETE ${PATH.inventory}/products/${SEED.tshirt.productUuid}`,
			`DELETE ${PATH.inventory}/products/${SEED.cap.productUuid}`,
		]);
		const [body] = posts();
		expect(
			body.productChanges.map((pc) => [
				pc.productUuid,
				pc.trackingStatusChange,
				pc.variantChanges.map((v) => v.change),
			]),
		).toEqual([
			[SEED.tshirt.productUuid, 'NO_CHANGE', [2, 4]],
			[SEED.cap.productUuid, 'NO_CHANGE', [3]],
		]);
		expect(org().tracked.has(SEED.tshirt.productUuid)).toBe(false);
		expect(org().tracked.has(SEED.cap.productUuid)).toBe(false);
		// stock moved while the products were still tracked; Zettle keeps the balances after tracking stops
		expect(org().balance(SEED.locations.STORE, SEED.tshirt.small)).toBe(240);
		expect(org().balance(SEED.locations.STORE, SEED.cap.oneSize)).toBe(8);
		const json = output(NODE_NAME).map((i) => i.json);
		expect(
			json.filter((j) => 'balance' in j).map((j) => [j.variantUuid, j.balance, j.externalUuid]),
		).toEqual([
			[SEED.tshirt.small, 240, body.externalUuid],
			[SEED.tshirt.medium, 12037, body.externalUuid],
			[SEED.cap.oneSize, 8, body.externalUuid],
		]);
		// the tracking-only item comes from its DELETE, which carries no correlation id
		expect(json.filter((j) => !('balance' in j))).toEqual([
			trackingChange(SEED.tshirt.productUuid, 'STOP_TRACKING'),
		]);
	});

	it('Stop Tracking with movements: when the bulk request is refused, no DELETE is sent', async () => {
		// LEGACY.rules.bulkMovements: POST PATH.bulk
		const { run, error } = await runStopWithRefusedMovement(LEGACY);
		expect(run.status).toBe('error');
		expect(error?.message).toMatch(/^Refused: request 1 of 2 \(item 0\)/);
		expect(sandbox().log('DELETE')).toHaveLength(0);
		expect(org().tracked.has(SEED.cap.productUuid)).toBe(true);
	});

	it('dry run: given an item named by barcode, outputs the bulk body it would send and sends nothing', async () => {
		const { output } = await runDryRunByBarcode(LEGACY);
		expect(writes(sandbox())).toHaveLength(0);
		expect(output(NODE_NAME)[0].json).toMatchObject({
			dryRun: true,
			method: 'POST',
			url: `${sandbox().url}${PATH.bulk}`,
			body: {
				productChanges: [
					{
						productUuid: SEED.mug.productUuid,
						trackingStatusChange: 'START_TRACKING',
						variantChanges: [
							{
								variantUuid: SEED.mug.white,
								fromLocationUuid: SEED.locations.SUPPLIER,
								toLocationUuid: SEED.locations.STORE,
								change: 4,
							},
						],
					},
				],
			},
		});
		expect(org().tracked.has(SEED.mug.productUuid)).toBe(false);
	});
});

describe('Bulk Update (V3 API)', () => {
	/** Restocks 1 T-shirt (Small) with No Change and 2 caps with Stop Tracking. */
	const runRestockThenStopCap = (
		options: INodeParameters = {},
		settings: Parameters<typeof runOn>[4] = {},
	) =>
		runOn(
			V3,
			sandbox(),
			{ ...RESTOCK_PER_ITEM, options },
			[
				restock(SEED.tshirt.productUuid, SEED.tshirt.small, 1, 'NO_CHANGE'),
				restock(SEED.cap.productUuid, SEED.cap.oneSize, 2, 'STOP_TRACKING'),
			],
			settings,
		);
	/** the stock reads the run sent, and how Zettle answered */
	const stockReads = () =>
		sandbox()
			.log('GET', '/v3/stock')
			.map((r) => [r.path, r.status]);
	const tshirtRead = [`/v3/stock/${SEED.locations.STORE}/products/${SEED.tshirt.productUuid}`, 200];

	it('starts tracking with POST /v3/products (enable), then sends the movements with a v1 identifier, then reads the balances back', async () => {
		const { output } = await runOn(
			V3,
			sandbox(),
			{ ...BULK, trackingStatusChange: 'START_TRACKING' },
			SEED_BULK_ITEMS,
		);
		expect(V3.requests(sandbox()).map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
			'GET /v3/inventories 200',
			'POST /v3/products 204',
			'POST /v3/movements 204',
			`GET /v3/stock/${SEED.locations.STORE}/products/${SEED.mug.productUuid} 200`,
		]);
		expect(bodies(sandbox(), 'POST', '/v3/products')).toEqual([
			[{ productUuid: SEED.mug.productUuid, tracking: 'enable' }],
		]);
		const [identifier] = V3.correlationIds(sandbox());
		expect(identifier).toMatch(UUID_V1);
		expect(
			output(NODE_NAME).map((i) => [i.json.variantUuid, i.json.balance, i.json.externalUuid]),
		).toEqual([
			[SEED.mug.white, 196, identifier],
			[SEED.mug.black, 10696, identifier],
		]);
		expect(sandbox().log(undefined, '/organizations')).toHaveLength(0);
	});

	it('No Change sends no tracking request; a tracking-only item has no correlation id', async () => {
		const { output } = await runOn(V3, sandbox(), RESTOCK_PER_ITEM, [
			restock(SEED.tshirt.productUuid, SEED.tshirt.small, 1, 'NO_CHANGE'),
			{ productUuid: SEED.mug.productUuid, tracking: 'START_TRACKING' },
			{ productUuid: SEED.cap.productUuid, tracking: 'NO_CHANGE' },
		]);
		expect(bodies(sandbox(), 'POST', '/v3/products')).toEqual([
			[{ productUuid: SEED.mug.productUuid, tracking: 'enable' }],
		]);
		expect(
			byItem(output(NODE_NAME)).map((i) => [
				i.json.productUuid,
				i.json.trackingStatusChange ?? null,
				i.json.externalUuid,
			]),
		).toEqual([
			[SEED.tshirt.productUuid, null, V3.correlationIds(sandbox())[0]],
			[SEED.mug.productUuid, 'START_TRACKING', null],
			[SEED.cap.productUuid, 'NO_CHANGE', null],
		]);
	});

	it('Stop Tracking with movements: tracking is disabled after the movements; a product no longer tracked cannot be read back, so its movements are output as applied without a balance', async () => {
		const { output } = await runOn(V3, sandbox(), STOP_PARAMS, STOP_WITH_MOVEMENTS);
		expect(V3.requests(sandbox(), 'POST').map((r) => `${r.path} ${r.status}`)).toEqual([
			'/v3/movements 204',
			'/v3/products 204',
		]);
		expect(bodies(sandbox(), 'POST', '/v3/products')).toEqual([
			[
				{ productUuid: SEED.tshirt.productUuid, tracking: 'disable' },
				{ productUuid: SEED.cap.productUuid, tracking: 'disable' },
			],
		]);
		expect(
			output(NODE_NAME).map((i) => [
				i.json.variantUuid ?? i.json.productUuid,
				i.json.applied,
				i.json.balance,
			]),
		).toEqual([
			[SEED.tshirt.small, true, null],
			[SEED.tshirt.medium, true, null],
			[SEED.cap.oneSize, true, null],
			[SEED.tshirt.productUuid, undefined, undefined],
		]);
	});

	it('a product whose tracking the run stopped is not read back: the other products keep their balances', async () => {
		const { run, output } = await runRestockThenStopCap();
		expect(run.status).toBe('success');
		expect(stockReads()).toEqual([tshirtRead]);
		expect(
			output(NODE_NAME).map((i) => [i.json.variantUuid ?? i.json.productUuid, i.json.balance]),
		).toEqual([
			[SEED.tshirt.small, 239],
			[SEED.cap.oneSize, null],
		]);
		expect(output(NODE_NAME)[1].json.note).toMatch(
			/^Applied\. Its balance was not read back: the run stops tracking its product/,
		);
		expect(stores(SEED.tshirt.small, SEED.cap.oneSize)).toEqual([239, 7]);
		expect(org().tracked.has(SEED.cap.productUuid)).toBe(false);
	});

	it('a product whose tracking the run stopped is not taken for 0 when the whole STORE inventory is read back (more than 25 products)', async () => {
		await withCatalogue(
			{ products: 30, variantsPerProduct: 1, initialBalance: 100 },
			async ({ sandbox: big, org: catalogue, credentials }) => {
				const products = [...catalogue.products.values()].slice(0, 27);
				const items = products.map((p, i) =>
					restock(p.uuid, p.variants[0].uuid, 1, i === 0 ? 'STOP_TRACKING' : 'NO_CHANGE'),
				);
				const { run, output } = await runOn(
					V3,
					big,
					{ ...RESTOCK_PER_ITEM, options: { requestsPerSecond: 1000 } },
					items,
					{ credentials },
				);
				expect(run.status).toBe('success');
				expect(big.log('GET', '/v3/stock').map((r) => r.path)).toEqual([
					`/v3/stock/${catalogue.store.uuid}`,
				]);
				const balanceOf = new Map(
					output(NODE_NAME).map((i) => [i.json.variantUuid, i.json.balance]),
				);
				expect(products.map((p) => balanceOf.get(p.variants[0].uuid))).toEqual([
					null,
					...Array(26).fill(101),
				]);
				expect(catalogue.balance(catalogue.store.uuid, products[0].variants[0].uuid)).toBe(101);
				expect(catalogue.tracked.has(products[0].uuid)).toBe(false);
			},
		);
	});

	it('Start Tracking, one product a request: when the first movement request is refused, the items whose tracking was enabled are not applied, the later one safe to send again', async () => {
		refuse(V3.rules.bulkMovements, [1]);
		// enable the mug, enable the cap, then the mug's movement (refused), then the cap's (not attempted)
		const { run, error } = await runOn(
			V3,
			sandbox(),
			{ ...RESTOCK_PER_ITEM, options: { itemsPerRequest: 1 } },
			[
				restock(SEED.mug.productUuid, SEED.mug.white, 4, 'START_TRACKING'),
				restock(SEED.cap.productUuid, SEED.cap.oneSize, 2, 'START_TRACKING'),
			],
		);
		expect(run.status).toBe('error');
		expect(V3.trackingRequests(sandbox())).toHaveLength(2);
		expect(error?.message).toMatch(/^Refused: request 3 of 4 \(item 0\)/);
		expect(error?.description).toMatch(
			/^Not applied: item 0 \(externalUuid [0-9a-f-]{36}\)\. Not attempted: item 1: not sent, because an earlier request failed; safe to send again\.$/,
		);
		expect(stores(SEED.mug.white, SEED.cap.oneSize)).toEqual([238, 5]);
	});

	it('a stop whose outcome is unknown (applied, then the connection dropped on every try) is not read back; the other products keep their balances', async () => {
		sandbox().faults.set({ rules: [{ ...V3.rules.stopTracking, action: 'applyThenDrop' }] });
		// the stop is sent again (it sets a state) after waits of at most 0.1 s
		const { run, output } = await runRestockThenStopCap(
			{ maxRetryWait: 0.1 },
			{ node: { onError: 'continueRegularOutput' } },
		);
		expect(run.status).toBe('success');
		expect(stockReads()).toEqual([tshirtRead]);
		expect(
			output(NODE_NAME).map((i) => [
				i.json.variantUuid ?? i.json.productUuid,
				i.json.balance,
				i.json.error,
			]),
		).toEqual([
			[SEED.tshirt.small, 239, undefined],
			[SEED.cap.oneSize, null, undefined],
			[
				undefined,
				undefined,
				expect.stringMatching(
					/^Tracking change outcome unknown: .*its movement was applied \(externalUuid [0-9a-f-]{36}\)/,
				),
			],
		]);
		expect(stores(SEED.tshirt.small, SEED.cap.oneSize)).toEqual([239, 7]);
		expect(org().tracked.has(SEED.cap.productUuid)).toBe(false);
	});

	it('dry run: outputs the tracking request, then the movement request, exactly as they would go out', async () => {
		const externalUuid = '0f8b7a40-6a1e-11ec-90d6-0242ac120003';
		const { output } = await runDryRunByBarcode(V3, { externalUuid });
		expect(V3.writes(sandbox())).toHaveLength(0);
		expect(output(NODE_NAME).map((i) => i.json)).toEqual([
			dryRunRequest(
				'POST',
				`${sandbox().url}/v3/products`,
				[{ productUuid: SEED.mug.productUuid, tracking: 'enable' }],
				{ request: 1, of: 2 },
			),
			dryRunRequest(
				'POST',
				`${sandbox().url}/v3/movements`,
				{
					movements: [
						{
							productUuid: SEED.mug.productUuid,
							variantUuid: SEED.mug.white,
							from: SEED.locations.SUPPLIER,
							to: SEED.locations.STORE,
							change: 4,
						},
					],
					identifier: externalUuid,
				},
				{ request: 2, of: 2 },
			),
		]);
	});
});
