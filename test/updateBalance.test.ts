import { SEED } from '../sandbox/seed';
import { NODE_NAME, runZettle, SEED_CHANGES, useSandbox } from './support/zettle';

const sandbox = useSandbox();
const UPDATE = { resource: 'balance', operation: 'updateBalance' };

describe('Update Balance', () => {
	it("sends the seed's example request and outputs the seed's response balances", async () => {
		const { run, output } = await runZettle(sandbox(), UPDATE, SEED_CHANGES);
		expect(run.status).toBe('success');

		const puts = sandbox().log('PUT', '/organizations/self/inventory');
		expect(puts).toHaveLength(1);
		const body = puts[0].body as { externalUuid: string };
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
});

describe('Update Balance: aggregation', () => {
	it('sends 1,000 items as ⌈1000/100⌉ = 10 requests, in order, and every balance lands', async () => {
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
		const puts = sandbox().log('PUT', '/organizations/self/inventory');
		expect(puts).toHaveLength(10);
		expect(puts.map((p) => (p.body as { changes: unknown[] }).changes.length)).toEqual(Array(10).fill(100));
		const org = sandbox().seedOrganization;
		expect(org.balance(SEED.locations.STORE, SEED.tshirt.small)).toBe(238 + 500);
		expect(org.balance(SEED.locations.STORE, SEED.tshirt.medium)).toBe(12033 + 500);
		// one output per returned variant balance and request; each links to the 50 items of its variant
		const items = output(NODE_NAME);
		expect(items).toHaveLength(20);
		expect(items[0].pairedItem).toHaveLength(50);
		expect(items[items.length - 1].json.balance).toBe(12033 + 500);
		// the locations are loaded once per execution, not per item or chunk
		expect(sandbox().log('GET', '/organizations/self/locations')).toHaveLength(1);
	});

	it('paces requests to the configured rate', async () => {
		const started = Date.now();
		await runZettle(sandbox(), { ...UPDATE, options: { itemsPerRequest: 1, requestsPerSecond: 10 } }, [
			...SEED_CHANGES,
			...SEED_CHANGES,
		]);
		// 4 requests at 10/s: at least 3 gaps of 100 ms
		expect(Date.now() - started).toBeGreaterThanOrEqual(290);
		expect(sandbox().log('PUT')).toHaveLength(4);
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
		const [put] = sandbox().log('PUT', '/organizations/self/inventory');
		expect((put.body as { changes: unknown[] }).changes).toEqual([{ ...moveOne, fromLocationUuid: SEED.locations.STORE, toLocationUuid: SEED.locations.BIN }]);
	});

	it.each([
		['restock', SEED.locations.SUPPLIER, SEED.locations.STORE],
		['sale', SEED.locations.STORE, SEED.locations.SOLD],
		['discard', SEED.locations.STORE, SEED.locations.BIN],
	])('offers the %s movement by name', async (movement, from, to) => {
		await runZettle(sandbox(), { ...UPDATE, movement }, [moveOne]);
		const [put] = sandbox().log('PUT', '/organizations/self/inventory');
		expect((put.body as { changes: unknown[] }).changes).toEqual([{ ...moveOne, fromLocationUuid: from, toLocationUuid: to }]);
	});

	it('sends returnBalanceForLocationUuid when asked and outputs that location’s balances', async () => {
		const { output } = await runZettle(sandbox(), { ...UPDATE, movement: 'discard', options: { returnBalanceForLocation: 'BIN' } }, [moveOne]);
		const [put] = sandbox().log('PUT', '/organizations/self/inventory');
		expect((put.body as { returnBalanceForLocationUuid: string }).returnBalanceForLocationUuid).toBe(SEED.locations.BIN);
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
		expect(sandbox().log('PUT').map((p) => (p.body as { externalUuid: string }).externalUuid)).toEqual([externalUuid, externalUuid]);
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
		const [put] = sandbox().log('PUT');
		expect((put.body as { changes: unknown[] }).changes).toEqual([good]);
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
		expect((sandbox().log('PUT')[0].body as { changes: Array<{ change: unknown }> }).changes[0].change).toBe(42);
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
		const changes = (sandbox().log('PUT')[0].body as { changes: Array<{ variantUuid: string; change: number }> }).changes;
		expect(changes.map((c) => [c.variantUuid, c.change])).toEqual([
			[SEED.tshirt.small, 20],
			[SEED.tshirt.medium, 50],
		]);
	});
});
