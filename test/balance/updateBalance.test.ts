// Balance → Update Balance: items become PUT /organizations/self/inventory movements (chunked, paced, located, validated) and come back as balances.

import { SEED } from '../../sandbox/seed';
import { bodies, PATH, PutBody } from '../support/requests';
import { startSandbox } from '../../sandbox/server';
import { apiKeyCredentials, NODE_NAME, OPERATION, runZettle, SEED_CHANGES, storeBalance, useSandbox } from '../support/zettle';

const sandbox = useSandbox();
const UPDATE = OPERATION.updateBalance;
const puts = () => bodies<PutBody>(sandbox(), 'PUT', PATH.inventory);

describe('Update Balance', () => {
	it("given the seed's example items, sends the seed's example request and outputs the seed's response balances", async () => {
		const { run, output } = await runZettle(sandbox(), UPDATE, SEED_CHANGES);
		expect(run.status).toBe('success');

		expect(sandbox().log('PUT', PATH.inventory)).toHaveLength(1);
		const [body] = puts();
		// the seed's request body, plus the externalUuid the node generates for the request
		expect(body).toEqual({ changes: SEED_CHANGES, externalUuid: expect.stringMatching(/^[0-9a-f-]{36}$/) });

		expect(output(NODE_NAME)).toEqual([
			{
				json: {
					locationUuid: SEED.locations.STORE,
					locationType: 'STORE',
					productUuid: SEED.tshirt.productUuid,
					variantUuid: SEED.tshirt.small,
					balance: 196,
					externalUuid: body.externalUuid,
				},
				pairedItem: [{ item: 0 }],
			},
			{
				json: {
					locationUuid: SEED.locations.STORE,
					locationType: 'STORE',
					productUuid: SEED.tshirt.productUuid,
					variantUuid: SEED.tshirt.medium,
					balance: 10696,
					externalUuid: body.externalUuid,
				},
				pairedItem: [{ item: 1 }],
			},
		]);
	});

	it('given an item naming its variant by SKU, moves the variant the SKU names and outputs its SKU', async () => {
		const { output } = await runZettle(sandbox(), { ...UPDATE, movement: 'sale', identifyBy: 'sku' }, [{ sku: 'TSHIRT-S', change: 3 }]);
		expect(puts()[0].changes).toEqual([
			{ productUuid: SEED.tshirt.productUuid, variantUuid: SEED.tshirt.small, fromLocationUuid: SEED.locations.STORE, toLocationUuid: SEED.locations.SOLD, change: 3 },
		]);
		expect(output(NODE_NAME)[0].json).toMatchObject({ variantUuid: SEED.tshirt.small, balance: 235, sku: 'TSHIRT-S' });
	});
});

describe('Update Balance: aggregation', () => {
	it('given 1,000 items, sends ⌈1000/100⌉ = 10 requests, in order, and every balance lands', async () => {
		const { run, output } = await runZettle(
			sandbox(),
			{ ...UPDATE, movement: 'restock', options: { requestsPerSecond: 1000 } },
			Array.from({ length: 1000 }, (_, i) => ({
				productUuid: SEED.tshirt.productUuid,
				variantUuid: i % 2 ? SEED.tshirt.medium : SEED.tshirt.small,
				change: 1,
			})),
		);
		expect(run.status).toBe('success');
		expect(sandbox().log('PUT', PATH.inventory)).toHaveLength(10);
		expect(puts().map((p) => p.changes.length)).toEqual(Array(10).fill(100));
		expect(storeBalance(sandbox(), SEED.tshirt.small)).toBe(238 + 500);
		expect(storeBalance(sandbox(), SEED.tshirt.medium)).toBe(12033 + 500);
		// one output per returned variant balance and request; each links to the 50 items of its variant
		const items = output(NODE_NAME);
		expect(items).toHaveLength(20);
		expect(items[0].pairedItem).toHaveLength(50);
		expect(items[items.length - 1].json.balance).toBe(12033 + 500);
		// the locations are loaded once per execution, not per item or chunk
		expect(sandbox().log('GET', PATH.locations)).toHaveLength(1);
	});
});

describe('Update Balance: pacing', () => {
	// Zettle allows 3 requests per second here; the run is 1 locations read + 4 PUTs (one item per request)
	const LIMIT = 3;
	/**
	 * Runs with a credential that already holds its access token (as after any earlier run), so the
	 * token exchange does not hold back the first request; the sandbox is back at the seed, with an
	 * empty log, before the run.
	 */
	const runAt = async (requestsPerSecond: number) => {
		const credentials = apiKeyCredentials(sandbox());
		await runZettle(sandbox(), OPERATION.getLocations, [{}], { credentials });
		sandbox().reset();
		sandbox().faults.set({ rateLimitPerSecond: LIMIT });
		const result = await runZettle(sandbox(), { ...UPDATE, options: { itemsPerRequest: 1, requestsPerSecond } }, [...SEED_CHANGES, ...SEED_CHANGES], { credentials });
		expect(sandbox().log('POST', PATH.token)).toHaveLength(0);
		return result;
	};
	const statuses = () => sandbox().log(undefined, '/organizations').map((r) => r.status);

	it("paced at Zettle's limit, no request is refused: the sandbox answers no 429", async () => {
		const { run } = await runAt(LIMIT);
		expect(run.status).toBe('success');
		expect(statuses()).toEqual([200, 200, 200, 200, 200]);
		expect(sandbox().log('PUT')).toHaveLength(4);
	});

	it('with pacing effectively off, the same run meets the limit (429); the refused request is sent again and each movement lands once', async () => {
		const { run } = await runAt(1000);
		expect(run.status).toBe('success');
		expect(statuses()).toContain(429);
		expect(sandbox().log('PUT').filter((p) => p.status === 200)).toHaveLength(4);
		expect(storeBalance(sandbox(), SEED.tshirt.small)).toBe(238 - 2 * 42);
		expect(storeBalance(sandbox(), SEED.tshirt.medium)).toBe(12033 - 2 * 1337);
	});
});

describe('Update Balance: locations', () => {
	const moveOne = { productUuid: SEED.tshirt.productUuid, variantUuid: SEED.tshirt.small, change: 3 };

	it.each([
		['a type', { mode: 'id', value: 'STORE' }, { mode: 'id', value: 'BIN' }],
		['a name, in any case', { mode: 'id', value: 'store' }, { mode: 'id', value: 'bin' }],
		['a list value', { mode: 'list', value: SEED.locations.STORE }, { mode: 'list', value: SEED.locations.BIN }],
		['a UUID', { mode: 'id', value: SEED.locations.STORE }, { mode: 'id', value: SEED.locations.BIN }],
	])('takes from/to as %s', async (_, fromLocation, toLocation) => {
		const { run } = await runZettle(sandbox(), { ...UPDATE, fromLocation: { __rl: true, ...fromLocation }, toLocation: { __rl: true, ...toLocation } }, [moveOne]);
		expect(run.status).toBe('success');
		expect(puts()[0].changes).toEqual([{ ...moveOne, fromLocationUuid: SEED.locations.STORE, toLocationUuid: SEED.locations.BIN }]);
	});

	it.each([
		['restock', SEED.locations.SUPPLIER, SEED.locations.STORE],
		['sale', SEED.locations.STORE, SEED.locations.SOLD],
		['discard', SEED.locations.STORE, SEED.locations.BIN],
	])('offers the %s movement by name', async (movement, from, to) => {
		await runZettle(sandbox(), { ...UPDATE, movement }, [moveOne]);
		expect(puts()[0].changes).toEqual([{ ...moveOne, fromLocationUuid: from, toLocationUuid: to }]);
	});

	it('with two STORE locations (the first listed is not the default): "STORE" is the default one, and a name picks the other', async () => {
		const two = await startSandbox({ catalogue: { products: 1, variantsPerProduct: 1, extraStores: 1 } });
		try {
			const org = two.organizationOf(two.catalogueApiKey!);
			const credentials = apiKeyCredentials(two, two.catalogueApiKey!);
			const [variant] = [...org.products.values()][0].variants;
			const item = { productUuid: [...org.products.keys()][0], variantUuid: variant.uuid, change: 5 };
			// the legacy locations list names both STOREs, the extra one first
			const { output: listed } = await runZettle(two, OPERATION.getLocations, [{}], { credentials });
			expect(listed(NODE_NAME).map((i) => [i.json.type, i.json.name, i.json.default])).toEqual([
				['STORE', 'Store 2', false],
				['STORE', 'STORE', true],
				['BIN', 'BIN', false],
				['SUPPLIER', 'SUPPLIER', false],
				['SOLD', 'SOLD', false],
			]);
			const [extra, main] = org.locations;
			const to = (value: string) => ({ ...UPDATE, movement: 'custom', fromLocation: { __rl: true, mode: 'id', value: 'SUPPLIER' }, toLocation: { __rl: true, mode: 'id', value } });
			expect((await runZettle(two, to('STORE'), [item], { credentials })).run.status).toBe('success');
			expect((await runZettle(two, to('Store 2'), [item], { credentials })).run.status).toBe('success');
			expect(bodies<PutBody>(two, 'PUT', PATH.inventory).map((b) => b.changes[0].toLocationUuid)).toEqual([main.uuid, extra.uuid]);
			expect([org.balance(main.uuid, variant.uuid), org.balance(extra.uuid, variant.uuid)]).toEqual([105, 5]);
		} finally {
			await two.close();
		}
	});

	it('sends returnBalanceForLocationUuid when asked and outputs that location’s balances', async () => {
		const { output } = await runZettle(sandbox(), { ...UPDATE, movement: 'discard', options: { returnBalanceForLocation: 'BIN' } }, [moveOne]);
		expect(puts()[0].returnBalanceForLocationUuid).toBe(SEED.locations.BIN);
		expect(output(NODE_NAME)[0].json).toMatchObject({ locationUuid: SEED.locations.BIN, locationType: 'BIN', balance: 3 });
	});

	it('outputs the raw response per request when asked', async () => {
		const { output } = await runZettle(sandbox(), { ...UPDATE, options: { output: 'raw' } }, SEED_CHANGES);
		const items = output(NODE_NAME);
		expect(items).toHaveLength(1);
		expect(items[0].pairedItem).toEqual([{ item: 0 }, { item: 1 }]);
		expect(items[0].json.response).toEqual(sandbox().log('PUT')[0].response);
	});

	it('uses a given External UUID on every request', async () => {
		const externalUuid = '0f8b7a40-6a1e-11ec-90d6-0242ac120003';
		const { output } = await runZettle(sandbox(), { ...UPDATE, options: { externalUuid, itemsPerRequest: 1 } }, SEED_CHANGES);
		expect(puts().map((p) => p.externalUuid)).toEqual([externalUuid, externalUuid]);
		expect(output(NODE_NAME).map((i) => i.json.externalUuid)).toEqual([externalUuid, externalUuid]);
	});
});

describe('Update Balance: bad input is caught before anything is sent', () => {
	const good = SEED_CHANGES[0];
	const cases: Array<[string, Record<string, unknown>, RegExp]> = [
		['a malformed product UUID', { productUuid: 'not-a-uuid' }, /productUuid "not-a-uuid" is not a UUID/],
		['a missing variant', { variantUuid: undefined }, /variantUuid is missing/],
		['a change of zero', { change: 0 }, /change is 0/],
		['a negative change', { change: -5 }, /negative.*to decrease stock, move from STORE to BIN or SOLD/],
		['a fractional change', { change: 1.5 }, /not a whole number/],
		['a non-numeric change', { change: 'lots' }, /"lots" is not a number/],
		['from equal to to', { toLocationUuid: good.fromLocationUuid }, /same location/],
		['an unknown location type', { toLocationUuid: 'WAREHOUSE' }, /"WAREHOUSE" is neither a UUID nor a location type or name/],
		['a location UUID of no location', { toLocationUuid: '11111111-2222-1333-8444-555555555555' }, /is not a location of this Zettle organization/],
	];

	it.each(cases)('%s fails the node, names the item and sends nothing', async (_, patch, message) => {
		const input = [good, { ...good, ...patch }];
		const { run, error } = await runZettle(sandbox(), UPDATE, input);
		expect(run.status).toBe('error');
		expect(error?.message).toMatch(/^Item 1: /);
		expect(error?.message).toMatch(message);
		expect(error?.description).toMatch(/Nothing was sent to Zettle/);
		expect(sandbox().log('PUT')).toHaveLength(0);
	});

	it.each(cases)('%s with "Continue" becomes an error item; the valid item is still sent', async (_, patch, message) => {
		const input = [good, { ...good, ...patch }];
		const { run, output } = await runZettle(sandbox(), UPDATE, input, { node: { onError: 'continueRegularOutput' } });
		expect(run.status).toBe('success');
		expect(puts()[0].changes).toEqual([good]);
		const items = output(NODE_NAME);
		expect(items).toHaveLength(2);
		expect(items[0].json).toMatchObject({ variantUuid: good.variantUuid, balance: 196 });
		expect(items[1].json.error).toMatch(/^Invalid, not sent: /);
		expect(items[1].json.error).toMatch(message);
		expect(items[1].pairedItem).toEqual({ item: 1 });
	});

	it('accepts a numeric string change, as CSV files give it', async () => {
		const { run } = await runZettle(sandbox(), UPDATE, [{ ...good, change: ' 42 ' }]);
		expect(run.status).toBe('success');
		expect(puts()[0].changes[0].change).toBe(42);
	});

	it('with "Continue (using error output)" routes invalid items to the error output', async () => {
		const { run, output } = await runZettle(sandbox(), UPDATE, [good, { ...good, change: -1 }], { node: { onError: 'continueErrorOutput' } });
		expect(run.status).toBe('success');
		expect(output(NODE_NAME, 0).map((i) => i.json.variantUuid)).toEqual([good.variantUuid]);
		expect(output(NODE_NAME, 1)).toHaveLength(1);
		expect(output(NODE_NAME, 1)[0].json.error).toMatch(/negative/);
	});

	it('evaluates any other expression or constant through n8n, per item', async () => {
		const items = [{ qty: 2, v: SEED.tshirt.small }, { qty: 5, v: SEED.tshirt.medium }];
		const { run } = await runZettle(
			sandbox(),
			{ ...UPDATE, movement: 'restock', productUuid: SEED.tshirt.productUuid, variantUuid: '={{ $json.v }}', change: '={{ $json.qty * 10 }}' },
			items,
		);
		expect(run.status).toBe('success');
		expect(puts()[0].changes.map((c) => [c.variantUuid, c.change])).toEqual([
			[SEED.tshirt.small, 20],
			[SEED.tshirt.medium, 50],
		]);
	});
});
