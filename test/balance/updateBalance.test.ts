// Balance → Update Balance, on both Inventory APIs: items become movements (legacy PUT /organizations/self/inventory,
// V3 POST /v3/movements), chunked, paced, located, validated, and come back as balances (V3: read back after the writes).

import { SEED } from '../../sandbox/seed';
import { ApiCase, APIS, LEGACY, runOn, UUID_V1, V3 } from '../support/apis';
import { bodies, PATH, PutBody } from '../support/requests';
import {
	apiKeyCredentials,
	NODE_NAME,
	OPERATION,
	SEED_CHANGES,
	seedMovesOutput,
	storeBalance,
	useSandbox,
	withCatalogue,
} from '../support/zettle';

const sandbox = useSandbox();
const UPDATE = OPERATION.updateBalance;
const puts = () => bodies<PutBody>(sandbox(), 'PUT', PATH.inventory);
const store = (variantUuid: string) => storeBalance(sandbox(), variantUuid);
const stores = (...variantUuids: string[]) => variantUuids.map(store);
const moveOne = { productUuid: SEED.tshirt.productUuid, variantUuid: SEED.tshirt.small, change: 3 };
/**
 * Update Balance of SEED_CHANGES with the raw output, which is one item per request: checks that the one request
 * is one item, paired with both input items, and gives it.
 */
const rawOutputItem = async (api: ApiCase) => {
	const { output } = await runOn(
		api,
		sandbox(),
		{ ...UPDATE, options: { output: 'raw' } },
		SEED_CHANGES,
	);
	const items = output(NODE_NAME);
	expect(items).toHaveLength(1);
	expect(items[0].pairedItem).toEqual([{ item: 0 }, { item: 1 }]);
	return items[0];
};
/** A movement from SUPPLIER to the location named `to` (a type or a name). */
const supplierTo = (to: string) => ({
	...UPDATE,
	movement: 'custom',
	fromLocation: { __rl: true, mode: 'id', value: 'SUPPLIER' },
	toLocation: { __rl: true, mode: 'id', value: to },
});

describe.each(APIS)('Update Balance ($name API)', (api) => {
	it("given the seed's example items, moves exactly them in one request and outputs the seed's response balances", async () => {
		const { run, output } = await runOn(api, sandbox(), UPDATE, SEED_CHANGES);
		expect(run.status).toBe('success');
		expect(api.movementRequests(sandbox())).toHaveLength(1);
		expect(api.movementsSent(sandbox())).toEqual(SEED_CHANGES);
		const [externalUuid] = api.correlationIds(sandbox());
		expect(output(NODE_NAME)).toEqual(seedMovesOutput(SEED_CHANGES, externalUuid));
		expect(stores(SEED.tshirt.small, SEED.tshirt.medium)).toEqual([196, 10696]);
		expect(sandbox().seedOrganization.balance(SEED.locations.BIN, SEED.tshirt.medium)).toBe(1337);
	});

	it('given an item naming its variant by SKU, moves the variant the SKU names and outputs its SKU', async () => {
		const { output } = await runOn(
			api,
			sandbox(),
			{ ...UPDATE, movement: 'sale', identifyBy: 'sku' },
			[{ sku: 'TSHIRT-S', change: 3 }],
		);
		expect(api.movementsSent(sandbox())).toEqual([
			{
				productUuid: SEED.tshirt.productUuid,
				variantUuid: SEED.tshirt.small,
				fromLocationUuid: SEED.locations.STORE,
				toLocationUuid: SEED.locations.SOLD,
				change: 3,
			},
		]);
		expect(output(NODE_NAME)[0].json).toMatchObject({
			variantUuid: SEED.tshirt.small,
			balance: 235,
			sku: 'TSHIRT-S',
		});
		expect(store(SEED.tshirt.small)).toBe(235);
	});
});

describe('Update Balance (legacy API)', () => {
	it("given the seed's example items, sends the seed's example request and outputs the seed's response balances", async () => {
		const { run, output } = await runOn(LEGACY, sandbox(), UPDATE, SEED_CHANGES);
		expect(run.status).toBe('success');

		expect(sandbox().log('PUT', PATH.inventory)).toHaveLength(1);
		const [body] = puts();
		// the seed's request body, plus the externalUuid the node generates for the request
		expect(body).toEqual({
			changes: SEED_CHANGES,
			externalUuid: expect.stringMatching(/^[0-9a-f-]{36}$/),
		});

		expect(output(NODE_NAME)).toEqual(seedMovesOutput(SEED_CHANGES, body.externalUuid));
	});
});

describe('Update Balance (V3 API)', () => {
	it('sends {movements: [{…, from, to, change}], identifier} with a v1 UUID as identifier; Zettle answers 204; the balances are read back per product and the identifier is the outputs’ externalUuid', async () => {
		const { run, output } = await runOn(V3, sandbox(), UPDATE, SEED_CHANGES);
		expect(run.status).toBe('success');
		const [request] = V3.movementRequests(sandbox());
		expect(request.status).toBe(204);
		expect(request.response).toBeUndefined();
		const { identifier } = request.body as { identifier: string };
		expect(request.body).toEqual({
			movements: SEED_CHANGES.map(({ fromLocationUuid, toLocationUuid, ...m }) => ({
				...m,
				from: fromLocationUuid,
				to: toLocationUuid,
			})),
			identifier,
		});
		expect(identifier).toMatch(UUID_V1);
		// one read of the moved product's rows in the default STORE, after the write
		expect(
			sandbox()
				.log('GET', '/v3/stock')
				.map((r) => [r.path, r.seq > request.seq]),
		).toEqual([[`/v3/stock/${SEED.locations.STORE}/products/${SEED.tshirt.productUuid}`, true]]);
		expect(output(NODE_NAME).map((i) => [i.json.balance, i.json.externalUuid])).toEqual([
			[196, identifier],
			[10696, identifier],
		]);
		// no legacy endpoint is used
		expect(sandbox().log(undefined, '/organizations')).toHaveLength(0);
	});

	it('sends a new v1 identifier with each request', async () => {
		await runOn(V3, sandbox(), { ...UPDATE, options: { itemsPerRequest: 1 } }, SEED_CHANGES);
		const ids = V3.correlationIds(sandbox());
		expect(ids).toHaveLength(2);
		for (const id of ids) expect(id).toMatch(UUID_V1);
		expect(new Set(ids).size).toBe(2);
	});

	it('Read Back Balances off: outputs each movement sent, with balance null, and reads nothing back', async () => {
		const { run, output } = await runOn(
			V3,
			sandbox(),
			{ ...UPDATE, options: { readBack: false } },
			SEED_CHANGES,
		);
		expect(run.status).toBe('success');
		expect(sandbox().log('GET', '/v3/stock')).toHaveLength(0);
		const [identifier] = V3.correlationIds(sandbox());
		expect(output(NODE_NAME)).toEqual(
			SEED_CHANGES.map((change, item) => ({
				json: {
					...change,
					externalUuid: identifier,
					applied: true,
					balance: null,
					note: expect.stringMatching(/^Applied\. No balance of this variant came back/),
				},
				pairedItem: { item },
			})),
		);
		expect(stores(SEED.tshirt.small, SEED.tshirt.medium)).toEqual([196, 10696]);
	});

	it('Return Balances For Location = BIN: V3 reads STORE inventories only, so the movements are output with balance null and nothing is read back', async () => {
		const { run, output } = await runOn(
			V3,
			sandbox(),
			{ ...UPDATE, movement: 'discard', options: { returnBalanceForLocation: 'BIN' } },
			[moveOne],
		);
		expect(run.status).toBe('success');
		expect(sandbox().log('GET', '/v3/stock')).toHaveLength(0);
		expect(output(NODE_NAME).map((i) => i.json)).toEqual([
			{
				...moveOne,
				fromLocationUuid: SEED.locations.STORE,
				toLocationUuid: SEED.locations.BIN,
				externalUuid: V3.correlationIds(sandbox())[0],
				applied: true,
				balance: null,
				note: expect.any(String),
			},
		]);
		expect(sandbox().seedOrganization.balance(SEED.locations.BIN, SEED.tshirt.small)).toBe(3);
	});

	it('a read-back that fails loses nothing: the applied movements are output without balances', async () => {
		sandbox().faults.set({
			rules: [
				{
					method: 'GET',
					path: '/v3/stock',
					action: 'respond',
					status: 404,
					body: { developerMessage: 'gone', errorType: 'ENTITY_NOT_FOUND', violations: [] },
				},
			],
		});
		const { run, output } = await runOn(V3, sandbox(), UPDATE, SEED_CHANGES);
		expect(run.status).toBe('success');
		expect(
			output(NODE_NAME).map((i) => [
				i.json.variantUuid,
				i.json.applied,
				i.json.balance,
				i.pairedItem,
			]),
		).toEqual([
			[SEED.tshirt.small, true, null, { item: 0 }],
			[SEED.tshirt.medium, true, null, { item: 1 }],
		]);
		expect(stores(SEED.tshirt.small, SEED.tshirt.medium)).toEqual([196, 10696]);
	});

	it('raw output: the request as sent, and no balances (Zettle answers 204 without a body)', async () => {
		const item = await rawOutputItem(V3);
		expect(item.json.request).toEqual(V3.movementRequests(sandbox())[0].body);
		expect(item.json.response).toBeNull();
		expect(sandbox().log('GET', '/v3/stock')).toHaveLength(1);
	});

	it('reads back up to 25 products one request each, and more by paging the whole STORE inventory', async () => {
		await withCatalogue(
			{ products: 30, variantsPerProduct: 1, initialBalance: 10 },
			async ({ sandbox: big, org, credentials }) => {
				const items = [...org.products.values()].map((p) => ({
					productUuid: p.uuid,
					variantUuid: p.variants[0].uuid,
					change: 1,
				}));
				const reads = () => big.log('GET', '/v3/stock').map((r) => r.path);
				/** restocks the first n products by 1 */
				const restockFirst = (n: number) =>
					runOn(
						V3,
						big,
						{ ...UPDATE, movement: 'restock', options: { requestsPerSecond: 1000 } },
						items.slice(0, n),
						{ credentials },
					);
				const first = await restockFirst(25);
				expect(first.run.status).toBe('success');
				expect(reads()).toEqual(
					items.slice(0, 25).map((i) => `/v3/stock/${org.store.uuid}/products/${i.productUuid}`),
				);
				expect(first.output(NODE_NAME).map((i) => i.json.balance)).toEqual(Array(25).fill(11));
				const second = await restockFirst(26);
				expect(second.run.status).toBe('success');
				expect(reads().slice(25)).toEqual([`/v3/stock/${org.store.uuid}`]);
				expect(second.output(NODE_NAME).map((i) => i.json.balance)).toEqual([
					...Array(25).fill(12),
					11,
				]);
			},
		);
	});
});

describe.each(APIS)('Update Balance: aggregation ($name API)', (api) => {
	it('given 1,000 items, sends ⌈1000/100⌉ = 10 requests, in order, and every balance lands', async () => {
		const { run, output } = await runOn(
			api,
			sandbox(),
			{ ...UPDATE, movement: 'restock', options: { requestsPerSecond: 1000 } },
			Array.from({ length: 1000 }, (_, i) => ({
				productUuid: SEED.tshirt.productUuid,
				variantUuid: i % 2 ? SEED.tshirt.medium : SEED.tshirt.small,
				change: 1,
			})),
		);
		expect(run.status).toBe('success');
		expect(api.movementRequests(sandbox())).toHaveLength(10);
		expect(api.movementsByProduct(sandbox())).toEqual(
			Array(10).fill([[SEED.tshirt.productUuid, 100]]),
		);
		expect(store(SEED.tshirt.small)).toBe(238 + 500);
		expect(store(SEED.tshirt.medium)).toBe(12033 + 500);
		// one output per returned variant balance and request; each links to the 50 items of its variant
		const items = output(NODE_NAME);
		expect(items).toHaveLength(20);
		expect(items[0].pairedItem).toHaveLength(50);
		expect(items[items.length - 1].json.balance).toBe(12033 + 500);
		// legacy: each answer has the balances after its own request; V3: one read-back after the last request
		expect(items[0].json.balance).toBe(api.readsBack ? 238 + 500 : 238 + 50);
		expect(api.balanceReads(sandbox())).toHaveLength(api.readsBack ? 1 : 0);
		// the locations are loaded once per execution, not per item or chunk
		expect(sandbox().log('GET', api.locationsPath)).toHaveLength(1);
	});
});

describe.each(APIS)('Update Balance: pacing ($name API)', (api) => {
	// Zettle allows 3 requests per second here; the run is 1 locations read + 4 movement requests (one item per
	// request), and on V3 one read-back
	const LIMIT = 3;
	/**
	 * Runs with a credential that already holds its access token (as after any earlier run), so the
	 * token exchange does not hold back the first request; the sandbox is back at the seed, with an
	 * empty log, before the run.
	 */
	const runAt = async (requestsPerSecond: number) => {
		const credentials = apiKeyCredentials(sandbox());
		await runOn(api, sandbox(), OPERATION.getLocations, [{}], { credentials });
		sandbox().reset();
		sandbox().faults.set({ rateLimitPerSecond: LIMIT });
		const result = await runOn(
			api,
			sandbox(),
			{ ...UPDATE, options: { itemsPerRequest: 1, requestsPerSecond } },
			[...SEED_CHANGES, ...SEED_CHANGES],
			{ credentials },
		);
		expect(sandbox().log('POST', PATH.token)).toHaveLength(0);
		return result;
	};
	const statuses = () => api.requests(sandbox()).map((r) => r.status);

	it("paced at Zettle's limit, no request is refused: the sandbox answers no 429", async () => {
		const { run } = await runAt(LIMIT);
		expect(run.status).toBe('success');
		expect(statuses()).toEqual([
			200,
			...Array(4).fill(api.movementStatus),
			...(api.readsBack ? [200] : []),
		]);
		expect(api.movementRequests(sandbox())).toHaveLength(4);
		expect(store(SEED.tshirt.small)).toBe(238 - 2 * 42);
	});

	it('the token exchange before the first request does not eat into the pacing of the next ones: no 429', async () => {
		// a new credential: n8n exchanges its token inside the first request's turn (150 ms a request), so the
		// pacer counts the next turns from that request's answer
		sandbox().faults.set({ rateLimitPerSecond: LIMIT, latencyMs: 150 });
		const { run } = await runOn(
			api,
			sandbox(),
			{ ...UPDATE, options: { itemsPerRequest: 1, requestsPerSecond: LIMIT } },
			[...SEED_CHANGES, ...SEED_CHANGES],
		);
		expect(run.status).toBe('success');
		expect(sandbox().log('POST', PATH.token)).toHaveLength(1);
		expect(statuses()).not.toContain(429);
		expect(api.movementRequests(sandbox())).toHaveLength(4);
	});

	it('with pacing effectively off, the same run meets the limit (429); the refused request is sent again and each movement lands once', async () => {
		const { run } = await runAt(1000);
		expect(run.status).toBe('success');
		expect(statuses()).toContain(429);
		expect(
			api.movementRequests(sandbox()).filter((p) => p.status === api.movementStatus),
		).toHaveLength(4);
		expect(store(SEED.tshirt.small)).toBe(238 - 2 * 42);
		expect(store(SEED.tshirt.medium)).toBe(12033 - 2 * 1337);
	});
});

describe.each(APIS)('Update Balance: locations ($name API)', (api) => {
	it.each([
		['a type', { mode: 'id', value: 'STORE' }, { mode: 'id', value: 'BIN' }],
		['a name, in any case', { mode: 'id', value: 'store' }, { mode: 'id', value: 'bin' }],
		[
			'a list value',
			{ mode: 'list', value: SEED.locations.STORE },
			{ mode: 'list', value: SEED.locations.BIN },
		],
		[
			'a UUID',
			{ mode: 'id', value: SEED.locations.STORE },
			{ mode: 'id', value: SEED.locations.BIN },
		],
	])('takes from/to as %s', async (_, fromLocation, toLocation) => {
		const { run } = await runOn(
			api,
			sandbox(),
			{
				...UPDATE,
				fromLocation: { __rl: true, ...fromLocation },
				toLocation: { __rl: true, ...toLocation },
			},
			[moveOne],
		);
		expect(run.status).toBe('success');
		expect(api.movementsSent(sandbox())).toEqual([
			{ ...moveOne, fromLocationUuid: SEED.locations.STORE, toLocationUuid: SEED.locations.BIN },
		]);
		expect(store(SEED.tshirt.small)).toBe(235);
	});

	it.each([
		['restock', SEED.locations.SUPPLIER, SEED.locations.STORE],
		['sale', SEED.locations.STORE, SEED.locations.SOLD],
		['discard', SEED.locations.STORE, SEED.locations.BIN],
	])('offers the %s movement by name', async (movement, from, to) => {
		await runOn(api, sandbox(), { ...UPDATE, movement }, [moveOne]);
		expect(api.movementsSent(sandbox())).toEqual([
			{ ...moveOne, fromLocationUuid: from, toLocationUuid: to },
		]);
		expect(store(SEED.tshirt.small)).toBe(movement === 'restock' ? 241 : 235);
	});

	it('with two STORE locations (the first listed is not the default): "STORE" is the default one, and a name picks the other', async () => {
		await withCatalogue(
			{ products: 1, variantsPerProduct: 1, extraStores: 1 },
			async ({ sandbox: two, org, credentials }) => {
				const [variant] = [...org.products.values()][0].variants;
				const item = {
					productUuid: [...org.products.keys()][0],
					variantUuid: variant.uuid,
					change: 5,
				};
				// the locations list names both STOREs, the extra one first
				const { output: listed } = await runOn(api, two, OPERATION.getLocations, [{}], {
					credentials,
				});
				expect(listed(NODE_NAME).map((i) => [i.json.type, i.json.name, i.json.default])).toEqual([
					['STORE', 'Store 2', false],
					['STORE', 'STORE', true],
					['BIN', 'BIN', false],
					['SUPPLIER', 'SUPPLIER', false],
					['SOLD', 'SOLD', false],
				]);
				const [extra, main] = org.locations;
				const toMain = await runOn(api, two, supplierTo('STORE'), [item], { credentials });
				expect(toMain.run.status).toBe('success');
				expect(
					(await runOn(api, two, supplierTo('Store 2'), [item], { credentials })).run.status,
				).toBe('success');
				expect(api.movementsSent(two).map((m) => m.toLocationUuid)).toEqual([
					main.uuid,
					extra.uuid,
				]);
				expect([
					org.balance(main.uuid, variant.uuid),
					org.balance(extra.uuid, variant.uuid),
				]).toEqual([105, 5]);
				// without Return Balances For Location, the balance output is the default STORE's
				expect(toMain.output(NODE_NAME).map((i) => [i.json.locationUuid, i.json.balance])).toEqual([
					[main.uuid, 105],
				]);
			},
		);
	});

	it('Return Balances For Location = STORE outputs the STORE balances', async () => {
		const { output } = await runOn(
			api,
			sandbox(),
			{ ...UPDATE, movement: 'restock', options: { returnBalanceForLocation: 'STORE' } },
			[moveOne],
		);
		expect(output(NODE_NAME).map((i) => i.json)).toEqual([
			{
				locationUuid: SEED.locations.STORE,
				locationType: 'STORE',
				productUuid: SEED.tshirt.productUuid,
				variantUuid: SEED.tshirt.small,
				balance: 241,
				externalUuid: api.correlationIds(sandbox())[0],
			},
		]);
	});

	it('outputs the raw response per request when asked', async () => {
		const item = await rawOutputItem(api);
		const [request] = api.movementRequests(sandbox());
		expect(item.json).toMatchObject({
			externalUuid: api.correlationIds(sandbox())[0],
			request: request.body,
		});
	});

	it('uses a given External UUID on every request', async () => {
		const externalUuid = '0f8b7a40-6a1e-11ec-90d6-0242ac120003';
		const { output } = await runOn(
			api,
			sandbox(),
			{ ...UPDATE, options: { externalUuid, itemsPerRequest: 1 } },
			SEED_CHANGES,
		);
		expect(api.correlationIds(sandbox())).toEqual([externalUuid, externalUuid]);
		expect(output(NODE_NAME).map((i) => i.json.externalUuid)).toEqual([externalUuid, externalUuid]);
	});
});

describe('Update Balance (legacy API): locations', () => {
	it('sends returnBalanceForLocationUuid when asked and outputs that location’s balances', async () => {
		const { output } = await runOn(
			LEGACY,
			sandbox(),
			{ ...UPDATE, movement: 'discard', options: { returnBalanceForLocation: 'BIN' } },
			[moveOne],
		);
		expect(puts()[0].returnBalanceForLocationUuid).toBe(SEED.locations.BIN);
		expect(output(NODE_NAME)[0].json).toMatchObject({
			locationUuid: SEED.locations.BIN,
			locationType: 'BIN',
			balance: 3,
		});
	});

	it('outputs the raw response per request when asked', async () => {
		const item = await rawOutputItem(LEGACY);
		expect(item.json.response).toEqual(sandbox().log('PUT')[0].response);
	});
});

describe('Update Balance (V3 API): several STORE inventories', () => {
	it('Return Balances For Location names a STORE that is not the default: its balances are read back', async () => {
		await withCatalogue(
			{ products: 1, variantsPerProduct: 1, extraStores: 1 },
			async ({ sandbox: two, org, credentials }) => {
				const [extra] = org.locations;
				const [product] = [...org.products.values()];
				const { run, output } = await runOn(
					V3,
					two,
					{ ...supplierTo('Store 2'), options: { returnBalanceForLocation: 'Store 2' } },
					[{ productUuid: product.uuid, variantUuid: product.variants[0].uuid, change: 7 }],
					{ credentials },
				);
				expect(run.status).toBe('success');
				expect(two.log('GET', '/v3/stock').map((r) => r.path)).toEqual([
					`/v3/stock/${extra.uuid}/products/${product.uuid}`,
				]);
				expect(
					output(NODE_NAME).map((i) => [i.json.locationUuid, i.json.locationType, i.json.balance]),
				).toEqual([[extra.uuid, 'STORE', 7]]);
				expect([
					org.balance(org.store.uuid, product.variants[0].uuid),
					org.balance(extra.uuid, product.variants[0].uuid),
				]).toEqual([100, 7]);
			},
		);
	});
});

describe.each(APIS)(
	'Update Balance: bad input is caught before anything is sent ($name API)',
	(api) => {
		const good = SEED_CHANGES[0];
		const cases: Array<[string, Record<string, unknown>, RegExp]> = [
			[
				'a malformed product UUID',
				{ productUuid: 'not-a-uuid' },
				/productUuid "not-a-uuid" is not a UUID/,
			],
			['a missing variant', { variantUuid: undefined }, /variantUuid is missing/],
			['a missing change', { change: undefined }, /change is missing/],
			['an empty change', { change: '' }, /change is missing/],
			['a change of zero', { change: 0 }, /change is 0/],
			[
				'a negative change',
				{ change: -5 },
				/negative.*to decrease stock, move from STORE to BIN or SOLD/,
			],
			['a fractional change', { change: 1.5 }, /not a whole number/],
			['a non-numeric change', { change: 'lots' }, /"lots" is not a number/],
			['from equal to to', { toLocationUuid: good.fromLocationUuid }, /same location/],
			[
				'an unknown location type',
				{ toLocationUuid: 'WAREHOUSE' },
				/"WAREHOUSE" is neither a UUID nor a location type or name/,
			],
			[
				'a location UUID of no location',
				{ toLocationUuid: '11111111-2222-1333-8444-555555555555' },
				/is not a location of this Zettle organization/,
			],
		];

		it.each(cases)(
			'%s fails the node, names the item and sends nothing',
			async (_, patch, message) => {
				const input = [good, { ...good, ...patch }];
				const { run, error } = await runOn(api, sandbox(), UPDATE, input);
				expect(run.status).toBe('error');
				expect(error?.message).toMatch(/^Item 1: /);
				expect(error?.message).toMatch(message);
				expect(error?.description).toMatch(/Nothing was sent to Zettle/);
				expect(api.writes(sandbox())).toHaveLength(0);
				expect(store(SEED.tshirt.small)).toBe(238);
			},
		);

		it.each(cases)(
			'%s with "Continue" becomes an error item; the valid item is still sent',
			async (_, patch, message) => {
				const input = [good, { ...good, ...patch }];
				const { run, output } = await runOn(api, sandbox(), UPDATE, input, {
					node: { onError: 'continueRegularOutput' },
				});
				expect(run.status).toBe('success');
				expect(api.movementsSent(sandbox())).toEqual([good]);
				const items = output(NODE_NAME);
				expect(items).toHaveLength(2);
				expect(items[0].json).toMatchObject({ variantUuid: good.variantUuid, balance: 196 });
				expect(items[1].json.error).toMatch(/^Invalid, not sent: /);
				expect(items[1].json.error).toMatch(message);
				expect(items[1].pairedItem).toEqual({ item: 1 });
				expect(store(SEED.tshirt.small)).toBe(196);
			},
		);

		it('accepts a numeric string change, as CSV files give it', async () => {
			const { run } = await runOn(api, sandbox(), UPDATE, [{ ...good, change: ' 42 ' }]);
			expect(run.status).toBe('success');
			expect(api.movementsSent(sandbox())[0].change).toBe(42);
			expect(store(SEED.tshirt.small)).toBe(196);
		});

		it('with "Continue (using error output)" routes invalid items to the error output', async () => {
			const { run, output } = await runOn(api, sandbox(), UPDATE, [good, { ...good, change: -1 }], {
				node: { onError: 'continueErrorOutput' },
			});
			expect(run.status).toBe('success');
			expect(output(NODE_NAME, 0).map((i) => i.json.variantUuid)).toEqual([good.variantUuid]);
			expect(output(NODE_NAME, 1)).toHaveLength(1);
			expect(output(NODE_NAME, 1)[0].json.error).toMatch(/negative/);
			expect(store(SEED.tshirt.small)).toBe(196);
		});

		it('evaluates any other expression or constant through n8n, per item', async () => {
			const items = [
				{ qty: 2, v: SEED.tshirt.small },
				{ qty: 5, v: SEED.tshirt.medium },
			];
			const { run } = await runOn(
				api,
				sandbox(),
				{
					...UPDATE,
					movement: 'restock',
					productUuid: SEED.tshirt.productUuid,
					variantUuid: '={{ $json.v }}',
					change: '={{ $json.qty * 10 }}',
				},
				items,
			);
			expect(run.status).toBe('success');
			expect(api.movementsSent(sandbox()).map((c) => [c.variantUuid, c.change])).toEqual([
				[SEED.tshirt.small, 20],
				[SEED.tshirt.medium, 50],
			]);
			expect(stores(SEED.tshirt.small, SEED.tshirt.medium)).toEqual([258, 12083]);
		});
	},
);
