// Balance → Set Stock Level, on both Inventory APIs: targets by SKU or UUID become a read of the current STORE
// balances (legacy: one balance read by product; V3: the tracking status, then the stock rows) and movements of the
// differences only; before / target / after / moved / drift come back (V3: after read back).

import { SEED } from '../../sandbox/seed';
import type { Sandbox } from '../../sandbox/server';
import { ApiCase, APIS, LEGACY, runOn, UUID_V1, V3 } from '../support/apis';
import { bodies, PATH, PutBody, writes } from '../support/requests';
import {
	dryRunRequest,
	NODE_NAME,
	OPERATION,
	storeBalance,
	useSandbox,
	withCatalogue,
} from '../support/zettle';

const sandbox = useSandbox();
const org = () => sandbox().seedOrganization;
const store = (variantUuid: string) => storeBalance(sandbox(), variantUuid);
const stores = (...variantUuids: string[]) => variantUuids.map(store);
const puts = () => bodies<PutBody>(sandbox(), 'PUT', PATH.inventory);
const SET = OPERATION.setStockLevel;
const SET_BY_SKU = { ...SET, identifyBy: 'sku' };
const CONTINUE = { node: { onError: 'continueRegularOutput' as const } };
const DRY_RUN_EXTERNAL_UUID = '0f8b7a40-6a1e-11ec-90d6-0242ac120003';

/** The mug's two variants to 240 and 0, starting tracking the (untracked) mug first. */
const runStartingTracking = (api: ApiCase) =>
	runOn(api, sandbox(), { ...SET_BY_SKU, options: { startTracking: true } }, [
		{ sku: 'MUG-WHITE', quantity: 240 },
		{ sku: 'MUG-BLACK', quantity: 0 },
	]);

/** A dry run of the T-shirt (Small) to 240 and the cap to 5 (where it is), with a given External UUID. */
const runDryRun = (api: ApiCase) =>
	runOn(
		api,
		sandbox(),
		{ ...SET_BY_SKU, options: { dryRun: true, externalUuid: DRY_RUN_EXTERNAL_UUID } },
		[
			{ sku: 'TSHIRT-S', quantity: 240 },
			{ sku: 'CAP-1', quantity: 5 },
		],
	);

/**
 * Sets 2,000 variants of 200 products (100 each in STORE) to one below, at or one above their balance, with what
 * either API must do checked: the library read in 2 pages, every level reached without drift. `checkRequests` checks
 * the API's own reads and writes, given how many movements the levels need.
 */
const setTwoThousandLevels = (
	api: ApiCase,
	checkRequests: (big: Sandbox, movements: number, storeUuid: string) => void,
) =>
	withCatalogue(
		{ products: 200, variantsPerProduct: 10, initialBalance: 100 },
		async ({ sandbox: big, org: catalogue, credentials }) => {
			const input = [...catalogue.products.values()].flatMap((p) =>
				p.variants.map((v, i) => ({ sku: v.sku, quantity: 100 + (i % 3) - 1 })),
			);
			const { run, output } = await runOn(
				api,
				big,
				{ ...SET_BY_SKU, options: { requestsPerSecond: 1000 } },
				input,
				{ credentials },
			);
			expect(run.status).toBe('success');
			// the sandbox pages the library by 100, as the Link headers say
			expect(big.log('GET', PATH.library)).toHaveLength(2);
			// a third of the variants is already at its target: 1,334 movements
			checkRequests(big, input.filter((i) => i.quantity !== 100).length, catalogue.store.uuid);
			expect(output(NODE_NAME)).toHaveLength(input.length);
			expect(
				output(NODE_NAME).every((i) => i.json.after === i.json.target && i.json.drift === 0),
			).toBe(true);
			const sample = [...catalogue.products.values()][7].variants;
			expect(
				sample.map((v) => catalogue.balance(catalogue.store.uuid, v.uuid)).slice(0, 3),
			).toEqual([99, 100, 101]);
		},
	);
const THREE_TARGETS = [
	{ sku: 'TSHIRT-S', quantity: 250 },
	{ sku: 'TSHIRT-M', quantity: '12000' },
	{ sku: 'CAP-1', quantity: 5 },
];
/** the two movements THREE_TARGETS need: +12 restocked, 33 discarded */
const THREE_TARGETS_MOVES = [
	{
		productUuid: SEED.tshirt.productUuid,
		variantUuid: SEED.tshirt.small,
		fromLocationUuid: SEED.locations.SUPPLIER,
		toLocationUuid: SEED.locations.STORE,
		change: 12,
	},
	{
		productUuid: SEED.tshirt.productUuid,
		variantUuid: SEED.tshirt.medium,
		fromLocationUuid: SEED.locations.STORE,
		toLocationUuid: SEED.locations.BIN,
		change: 33,
	},
];

describe.each(APIS)('Set Stock Level ($name API)', (api) => {
	it('reads the current balances, moves only the differences in one request, and reports before / target / after / moved / drift', async () => {
		const { run, output } = await runOn(api, sandbox(), SET_BY_SKU, THREE_TARGETS);
		expect(run.status).toBe('success');
		expect(api.movementRequests(sandbox())).toHaveLength(1);
		expect(api.movementsSent(sandbox())).toEqual(THREE_TARGETS_MOVES);
		// the balances were read before the write
		const [write] = api.movementRequests(sandbox());
		expect(api.balanceReads(sandbox()).filter((r) => r.seq < write.seq).length).toBeGreaterThan(0);
		const [externalUuid] = api.correlationIds(sandbox());
		expect(output(NODE_NAME)).toEqual([
			{
				json: {
					productUuid: SEED.tshirt.productUuid,
					variantUuid: SEED.tshirt.small,
					sku: 'TSHIRT-S',
					barcode: '7350000000017',
					locationUuid: SEED.locations.STORE,
					before: 238,
					target: 250,
					moved: 12,
					after: 250,
					drift: 0,
					externalUuid,
				},
				pairedItem: { item: 0 },
			},
			{
				json: {
					productUuid: SEED.tshirt.productUuid,
					variantUuid: SEED.tshirt.medium,
					sku: 'TSHIRT-M',
					barcode: '7350000000024',
					locationUuid: SEED.locations.STORE,
					before: 12033,
					target: 12000,
					moved: -33,
					after: 12000,
					drift: 0,
					externalUuid,
				},
				pairedItem: { item: 1 },
			},
			{
				// every row has the same keys (null where there is nothing), so n8n's table shows no "undefined"
				json: {
					productUuid: SEED.cap.productUuid,
					variantUuid: SEED.cap.oneSize,
					sku: 'CAP-1',
					barcode: null,
					locationUuid: SEED.locations.STORE,
					before: 5,
					target: 5,
					moved: 0,
					after: 5,
					drift: 0,
					externalUuid: null,
				},
				pairedItem: { item: 2 },
			},
		]);
		expect(stores(SEED.tshirt.small, SEED.tshirt.medium, SEED.cap.oneSize)).toEqual([
			250, 12000, 5,
		]);
		expect(org().balance(SEED.locations.BIN, SEED.tshirt.medium)).toBe(33);
	});

	it('reports drift when a sale lands between the read and the write, and moves nothing twice', async () => {
		sandbox().faults.set({
			rules: [
				{
					...api.rules.movements,
					action: 'concurrentSale',
					variantUuid: SEED.tshirt.small,
					quantity: 2,
				},
			],
		});
		const { output } = await runOn(api, sandbox(), SET, [
			{ productUuid: SEED.tshirt.productUuid, variantUuid: SEED.tshirt.small, quantity: 250 },
		]);
		expect(output(NODE_NAME)[0].json).toMatchObject({
			before: 238,
			target: 250,
			moved: 12,
			after: 248,
			drift: -2,
		});
		expect(store(SEED.tshirt.small)).toBe(248);
		expect(api.movementRequests(sandbox())).toHaveLength(1);
		expect(api.writes(sandbox())).toHaveLength(1);
	});

	it('sends nothing when every variant is at its target', async () => {
		const { output } = await runOn(api, sandbox(), SET, [
			{ productUuid: SEED.cap.productUuid, variantUuid: SEED.cap.oneSize, quantity: 5 },
		]);
		expect(output(NODE_NAME)[0].json).toMatchObject({ before: 5, target: 5, moved: 0, after: 5 });
		expect(api.writes(sandbox())).toHaveLength(0);
		expect(store(SEED.cap.oneSize)).toBe(5);
	});

	it('uses the chosen decrease and increase movements', async () => {
		await runOn(
			api,
			sandbox(),
			{ ...SET_BY_SKU, options: { decreaseTo: 'SOLD', increaseFrom: 'SOLD' } },
			[
				{ sku: 'TSHIRT-S', quantity: 230 },
				{ sku: 'CAP-1', quantity: 6 },
			],
		);
		expect(api.movementsSent(sandbox()).map((c) => [c.fromLocationUuid, c.toLocationUuid])).toEqual(
			[
				[SEED.locations.STORE, SEED.locations.SOLD],
				[SEED.locations.SOLD, SEED.locations.STORE],
			],
		);
		expect(stores(SEED.tshirt.small, SEED.cap.oneSize)).toEqual([230, 6]);
		expect(org().balance(SEED.locations.SOLD, SEED.tshirt.small)).toBe(8);
	});

	it('refuses an untracked product, naming the option that starts tracking it', async () => {
		const { run, error } = await runOn(api, sandbox(), SET_BY_SKU, [
			{ sku: 'MUG-WHITE', quantity: 240 },
		]);
		expect(run.status).toBe('error');
		expect(error?.message).toMatch(
			new RegExp(
				`^Item 0: Product ${SEED.mug.productUuid} is not tracked.*"Start Tracking Untracked Products"`,
			),
		);
		expect(api.writes(sandbox())).toHaveLength(0);
		expect(org().tracked.has(SEED.mug.productUuid)).toBe(false);
	});

	it('starts tracking first when asked, then sets the level against the restored balance', async () => {
		const { run, output } = await runStartingTracking(api);
		expect(run.status).toBe('success');
		expect(api.trackingSent(sandbox()).map((t) => [t.productUuid, t.trackingStatusChange])).toEqual(
			[[SEED.mug.productUuid, 'START_TRACKING']],
		);
		// the tracking request, then the movement request, nothing else
		expect(api.writes(sandbox())).toEqual([
			...api.trackingRequests(sandbox()),
			...api.movementRequests(sandbox()),
		]);
		expect(api.writes(sandbox())).toHaveLength(2);
		// kept balances 238 / 12033 come back with tracking: the deltas are +2 and -12033, not +240 and 0
		expect(output(NODE_NAME).map((i) => [i.json.before, i.json.moved, i.json.after])).toEqual([
			[238, 2, 240],
			[12033, -12033, 0],
		]);
		expect(stores(SEED.mug.white, SEED.mug.black)).toEqual([240, 0]);
	});

	it.each([
		[
			{ sku: 'NOPE', quantity: 1 },
			/SKU "NOPE" matches no variant in the Zettle product library \(5 variants read\)/,
		],
		[{ sku: 'TSHIRT-S', quantity: -1 }, /Stock level -1 is negative/],
		[{ sku: 'TSHIRT-S', quantity: 2.5 }, /Stock level 2.5 is not a whole number/],
		[{ sku: 'TSHIRT-S', quantity: 'ten' }, /Stock level "ten" is not a number/],
		[{ sku: 'TSHIRT-S' }, /Stock level is missing/],
		[{ quantity: 3 }, /SKU is missing/],
	])('refuses %j before sending anything', async (item, message) => {
		const { run, error } = await runOn(api, sandbox(), SET_BY_SKU, [item]);
		expect(run.status).toBe('error');
		expect(error?.message).toMatch(message);
		expect(error?.description).toMatch(/^Nothing was sent to Zettle/);
		expect(api.writes(sandbox())).toHaveLength(0);
		expect(store(SEED.tshirt.small)).toBe(238);
	});

	it('makes an ambiguous SKU and a second target for one variant per-item errors, and sets the rest', async () => {
		org().addProduct({
			uuid: 'd1e2f3a4-623b-11ec-90d6-0242ac120003',
			name: 'Poster',
			variants: [{ uuid: 'd5e6f7a8-623b-11ec-90d6-0242ac120003', name: 'A2', sku: 'TSHIRT-S' }],
		});
		const { run, output } = await runOn(
			api,
			sandbox(),
			SET_BY_SKU,
			[
				{ sku: 'TSHIRT-M', quantity: 12030 },
				{ sku: 'TSHIRT-S', quantity: 1 },
				{ sku: ' TSHIRT-M ', quantity: 1 },
			],
			CONTINUE,
		);
		expect(run.status).toBe('success');
		const items = output(NODE_NAME);
		expect(items[0].json).toMatchObject({ variantUuid: SEED.tshirt.medium, after: 12030 });
		expect(items[1].json.error).toMatch(
			/SKU "TSHIRT-S" is ambiguous: 2 variants have it \(T-shirt \/ Small product .*; Poster \/ A2 product .*\)\. Give those variants distinct SKUs/,
		);
		expect(items[2].json.error).toMatch(
			`Variant ${SEED.tshirt.medium} already has a target on item 0`,
		);
		expect(store(SEED.tshirt.small)).toBe(238);
		expect(store(SEED.tshirt.medium)).toBe(12030);
	});

	it('dry run: outputs the deltas and the request it would send, and sends no write', async () => {
		const { run, output } = await runDryRun(api);
		expect(run.status).toBe('success');
		expect(api.writes(sandbox())).toHaveLength(0);
		const items = output(NODE_NAME).map((i) => i.json);
		expect(items).toHaveLength(3);
		expect(items[0]).toMatchObject({
			dryRun: true,
			before: 238,
			target: 240,
			moved: 2,
			after: 240,
			request: 1,
		});
		expect(items[1]).toMatchObject({ dryRun: true, before: 5, moved: 0, request: null });
		expect(items[2]).toMatchObject({
			dryRun: true,
			request: 1,
			of: 1,
			method: api.rules.movements.method,
			url: `${sandbox().url}${api.movementsPath}`,
			items: [0],
		});
		expect(store(SEED.tshirt.small)).toBe(238);
	});

	it('with Continue, a write whose outcome is unknown makes its items error items; the rest are reported as set', async () => {
		sandbox().faults.set({ rules: [{ ...api.rules.movements, nth: [2], action: 'error500' }] });
		const { run, output } = await runOn(
			api,
			sandbox(),
			{ ...SET_BY_SKU, options: { itemsPerRequest: 1 } },
			[
				{ sku: 'TSHIRT-S', quantity: 240 },
				{ sku: 'TSHIRT-M', quantity: 12000 },
				{ sku: 'CAP-1', quantity: 5 },
				{ sku: 'MUG-WHITE', quantity: 1 },
			],
			CONTINUE,
		);
		expect(run.status).toBe('success');
		// the second failed: nothing after it is sent, nothing resent
		expect(api.movementRequests(sandbox()).map((p) => p.status)).toEqual([api.movementStatus, 500]);
		const items = output(NODE_NAME);
		expect(items.map((i) => i.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 2 },
			{ item: 1 },
			{ item: 3 },
		]);
		expect(items[0].json).toMatchObject({ sku: 'TSHIRT-S', after: 240, drift: 0 });
		expect(items[1].json).toMatchObject({ sku: 'CAP-1', moved: 0, after: 5 });
		expect(items[2].json.error).toMatch(
			new RegExp(
				`^Outcome unknown \\(externalUuid ${api.correlationIds(sandbox())[1]}\\): Zettle answered 500 after the request was sent: it may or may not have been applied`,
			),
		);
		expect(items[3].json.error).toMatch(
			new RegExp(`^Invalid, not sent: Product ${SEED.mug.productUuid} is not tracked`),
		);
		expect(stores(SEED.tshirt.small, SEED.tshirt.medium, SEED.cap.oneSize, SEED.mug.white)).toEqual(
			[240, 12033, 5, 238],
		);
	});

	it('without Continue, a failed write stops the run with what was applied and what is in doubt', async () => {
		sandbox().faults.set({
			rules: [{ ...api.rules.movements, nth: [2], action: 'applyThenDrop' }],
		});
		const { run, error } = await runOn(
			api,
			sandbox(),
			{ ...SET_BY_SKU, options: { itemsPerRequest: 1 } },
			[
				{ sku: 'TSHIRT-S', quantity: 240 },
				{ sku: 'TSHIRT-M', quantity: 12000 },
				{ sku: 'CAP-1', quantity: 9 },
			],
		);
		expect(run.status).toBe('error');
		expect(error?.message).toMatch(/^Outcome unknown: request 2 of 3 \(item 1\)/);
		expect(error?.description).toMatch(
			/^Applied: item 0 .* Outcome unknown: item 1 .* Not attempted: item 2: not sent, because an earlier request failed/,
		);
		expect(stores(SEED.tshirt.small, SEED.tshirt.medium, SEED.cap.oneSize)).toEqual([
			240, 12000, 5,
		]); // applied once, never resent
		expect(api.movementRequests(sandbox())).toHaveLength(2);
	});

	it('with two STORE locations (the first listed is not the default): the stock level is the default STORE’s', async () => {
		await withCatalogue(
			{ products: 1, variantsPerProduct: 2, extraStores: 1 },
			async ({ sandbox: two, org: catalogue, credentials }) => {
				const [extra, main] = catalogue.locations;
				const [a, b] = [...catalogue.products.values()][0].variants;
				catalogue.setBalance(extra.uuid, a.uuid, 50);
				const { run, output } = await runOn(
					api,
					two,
					SET_BY_SKU,
					[
						{ sku: a.sku, quantity: 90 },
						{ sku: b.sku, quantity: 120 },
					],
					{ credentials },
				);
				expect(run.status).toBe('success');
				expect(
					output(NODE_NAME).map((i) => [
						i.json.locationUuid,
						i.json.before,
						i.json.moved,
						i.json.after,
					]),
				).toEqual([
					[main.uuid, 100, -10, 90],
					[main.uuid, 100, 20, 120],
				]);
				expect(
					[a, b].map((v) => [
						catalogue.balance(main.uuid, v.uuid),
						catalogue.balance(extra.uuid, v.uuid),
					]),
				).toEqual([
					[90, 50],
					[120, 0],
				]);
			},
		);
	});
});

describe('Set Stock Level (legacy API)', () => {
	it('reads once and sends the differences in one PUT that asks for the STORE balances', async () => {
		await runOn(LEGACY, sandbox(), SET_BY_SKU, THREE_TARGETS);
		expect(sandbox().log('POST', PATH.balanceRead)).toHaveLength(1);
		expect(sandbox().log('PUT', PATH.inventory)).toHaveLength(1);
		const [body] = puts();
		expect(body).toEqual({
			changes: THREE_TARGETS_MOVES,
			returnBalanceForLocationUuid: SEED.locations.STORE,
			externalUuid: expect.any(String),
		});
	});

	it('starts tracking on the bulk endpoint, then PUTs the movements', async () => {
		await runStartingTracking(LEGACY);
		expect(writes(sandbox()).map((w) => `${w.method} ${w.path}`)).toEqual([
			`POST ${PATH.bulk}`,
			`PUT ${PATH.inventory}`,
		]);
	});

	it('dry run: the exact PUT', async () => {
		const { output } = await runDryRun(LEGACY);
		expect(output(NODE_NAME)[2].json).toEqual(
			dryRunRequest('PUT', `${sandbox().url}${PATH.inventory}`, {
				changes: [
					{
						productUuid: SEED.tshirt.productUuid,
						variantUuid: SEED.tshirt.small,
						fromLocationUuid: SEED.locations.SUPPLIER,
						toLocationUuid: SEED.locations.STORE,
						change: 2,
					},
				],
				returnBalanceForLocationUuid: SEED.locations.STORE,
				externalUuid: DRY_RUN_EXTERNAL_UUID,
			}),
		);
	});

	describe('when Zettle refuses a balance read of an untracked product (400 PRODUCT_NOT_TRACKED) instead of listing the tracked ones', () => {
		const items = [
			{ sku: 'TSHIRT-S', quantity: 240 },
			{ sku: 'MUG-WHITE', quantity: 240 },
			{ sku: 'CAP-1', quantity: 7 },
			{ sku: 'MUG-BLACK', quantity: 0 },
		];
		beforeEach(() => sandbox().faults.set({ untrackedReads: 'error' }));

		it('still finds the untracked products: "Start Tracking Untracked Products" starts only them, then sets every level', async () => {
			const { run, output } = await runOn(
				LEGACY,
				sandbox(),
				{ ...SET_BY_SKU, options: { startTracking: true, requestsPerSecond: 100 } },
				items,
			);
			expect(run.status).toBe('success');
			// the first read was refused: smaller reads isolated the mug
			expect(
				sandbox()
					.log('POST', PATH.balanceRead)
					.map((r) => r.status),
			).toContain(400);
			const [tracking] = bodies<{
				productChanges: Array<{ productUuid: string; trackingStatusChange: string }>;
			}>(sandbox(), 'POST', PATH.bulk);
			expect(tracking.productChanges.map((p) => [p.productUuid, p.trackingStatusChange])).toEqual([
				[SEED.mug.productUuid, 'START_TRACKING'],
			]);
			expect(
				output(NODE_NAME).map((i) => [i.json.variantUuid, i.json.before, i.json.after]),
			).toEqual([
				[SEED.tshirt.small, 238, 240],
				[SEED.mug.white, 238, 240],
				[SEED.cap.oneSize, 5, 7],
				[SEED.mug.black, 12033, 0],
			]);
			expect(stores(SEED.tshirt.small, SEED.mug.white, SEED.cap.oneSize, SEED.mug.black)).toEqual([
				240, 240, 7, 0,
			]);
		});

		it('off: the untracked product’s items get the usual message, and the tracked ones are set (Continue)', async () => {
			const { run, output } = await runOn(
				LEGACY,
				sandbox(),
				{ ...SET_BY_SKU, options: { requestsPerSecond: 100 } },
				items,
				{ node: { onError: 'continueRegularOutput' } },
			);
			expect(run.status).toBe('success');
			const json = output(NODE_NAME).map((i) => i.json);
			expect(json.filter((j) => !j.error).map((j) => [j.variantUuid, j.after])).toEqual([
				[SEED.tshirt.small, 240],
				[SEED.cap.oneSize, 7],
			]);
			const errors = output(NODE_NAME).filter((i) => i.json.error);
			expect(errors.map((i) => i.pairedItem)).toEqual([{ item: 1 }, { item: 3 }]);
			for (const e of errors)
				expect(e.json.error).toMatch(
					new RegExp(
						`Product ${SEED.mug.productUuid} is not tracked.*"Start Tracking Untracked Products"`,
					),
				);
			expect(sandbox().log('POST', PATH.bulk)).toHaveLength(0);
			expect(org().tracked.has(SEED.mug.productUuid)).toBe(false);
		});
	});

	it('batches the balance reads: 2,000 variants of 200 products take 2 library pages, 2 balance reads and one write per 100 movements', () =>
		setTwoThousandLevels(LEGACY, (big, movements) => {
			expect(big.log('POST', PATH.balanceRead)).toHaveLength(2);
			// 1,334 movements in ⌈1334/100⌉ = 14 requests
			expect(big.log('PUT', PATH.inventory)).toHaveLength(Math.ceil(movements / 100));
		}));
});

describe('Set Stock Level (V3 API)', () => {
	it('reads tracking with POST /v3/products/status, the balances with one stock read per product, sends {movements, identifier} and reads back the moved product only', async () => {
		const { output } = await runOn(V3, sandbox(), SET_BY_SKU, THREE_TARGETS);
		expect(V3.requests(sandbox()).map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
			'GET /v3/inventories 200',
			'POST /v3/products/status 200',
			`GET /v3/stock/${SEED.locations.STORE}/products/${SEED.tshirt.productUuid} 200`,
			`GET /v3/stock/${SEED.locations.STORE}/products/${SEED.cap.productUuid} 200`,
			'POST /v3/movements 204',
			`GET /v3/stock/${SEED.locations.STORE}/products/${SEED.tshirt.productUuid} 200`,
		]);
		expect(bodies(sandbox(), 'POST', '/v3/products/status')).toEqual([
			[SEED.tshirt.productUuid, SEED.cap.productUuid],
		]);
		const [identifier] = V3.correlationIds(sandbox());
		expect(identifier).toMatch(UUID_V1);
		expect(V3.movementRequests(sandbox())[0].body).toEqual({
			movements: THREE_TARGETS_MOVES.map(({ fromLocationUuid, toLocationUuid, ...m }) => ({
				...m,
				from: fromLocationUuid,
				to: toLocationUuid,
			})),
			identifier,
		});
		expect(output(NODE_NAME).map((i) => i.json.externalUuid)).toEqual([
			identifier,
			identifier,
			null,
		]);
		expect(sandbox().log(undefined, '/organizations/self/inventory')).toHaveLength(0);
	});

	it('starts tracking with POST /v3/products (enable) only for the untracked product, then reads its restored balances', async () => {
		await runOn(V3, sandbox(), { ...SET_BY_SKU, options: { startTracking: true } }, [
			{ sku: 'MUG-WHITE', quantity: 240 },
			{ sku: 'CAP-1', quantity: 6 },
		]);
		expect(V3.requests(sandbox(), 'POST').map((r) => [r.path, r.body])).toEqual([
			['/v3/products/status', [SEED.mug.productUuid, SEED.cap.productUuid]],
			['/v3/products', [{ productUuid: SEED.mug.productUuid, tracking: 'enable' }]],
			['/v3/products/status', [SEED.mug.productUuid, SEED.cap.productUuid]],
			[
				'/v3/movements',
				expect.objectContaining({
					movements: [
						expect.objectContaining({ variantUuid: SEED.mug.white, change: 2 }),
						expect.objectContaining({ variantUuid: SEED.cap.oneSize, change: 1 }),
					],
				}),
			],
		]);
		expect(stores(SEED.mug.white, SEED.cap.oneSize)).toEqual([240, 6]);
	});

	it('dry run: the exact POST /v3/movements, with the given External UUID as identifier', async () => {
		const { output } = await runDryRun(V3);
		expect(output(NODE_NAME)[2].json).toEqual(
			dryRunRequest('POST', `${sandbox().url}/v3/movements`, {
				movements: [
					{
						productUuid: SEED.tshirt.productUuid,
						variantUuid: SEED.tshirt.small,
						from: SEED.locations.SUPPLIER,
						to: SEED.locations.STORE,
						change: 2,
					},
				],
				identifier: DRY_RUN_EXTERNAL_UUID,
			}),
		);
	});

	it('batches the reads: 2,000 variants of 200 products take 2 status reads, the STORE inventory in pages of 100 before and after, and one write per 100 movements', () =>
		setTwoThousandLevels(V3, (big, movements, storeUuid) => {
			expect(big.log('POST', '/v3/products/status')).toHaveLength(2);
			const writes = V3.movementRequests(big);
			expect(writes).toHaveLength(Math.ceil(movements / 100));
			// more than 25 products: the whole inventory (2,000 rows) in pages of 100, before the writes and after them
			const pages = V3.balanceReads(big);
			expect(pages.every((r) => r.path === `/v3/stock/${storeUuid}`)).toBe(true);
			expect(pages.filter((r) => r.seq < writes[0].seq)).toHaveLength(20);
			expect(pages.filter((r) => r.seq > writes[writes.length - 1].seq)).toHaveLength(20);
		}));
});
