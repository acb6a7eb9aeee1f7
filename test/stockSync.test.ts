// The stock-sync operations against the sandbox through n8n's engine: Get Locations, Get Balances,
// Start / Stop Tracking, Set Stock Level (with a concurrent sale between read and write), SKU and
// barcode lookup, dry run.

import { SEED } from '../sandbox/seed';
import { NODE_NAME, runZettle, useSandbox } from './support/zettle';

const sandbox = useSandbox();
const org = () => sandbox().seedOrganization;
const store = (variantUuid: string) => org().balance(SEED.locations.STORE, variantUuid);
const writes = () => sandbox().requests.filter((r) => ['PUT', 'POST', 'DELETE'].includes(r.method) && r.path.startsWith('/organizations') && !r.path.endsWith('/inventory/products'));
const SET = { resource: 'balance', operation: 'setStockLevel' };
const SET_BY_SKU = { ...SET, identifyBy: 'sku' };

describe('Get Locations', () => {
	it('outputs the four locations for each input item, read once', async () => {
		const { run, output } = await runZettle(sandbox(), { resource: 'location', operation: 'getAll' }, [{}, {}]);
		expect(run.status).toBe('success');
		const items = output(NODE_NAME);
		expect(items).toHaveLength(8);
		expect(items.slice(0, 4).map((i) => i.json)).toEqual([
			{ uuid: SEED.locations.STORE, type: 'STORE', name: 'STORE', description: 'Available stock', default: true },
			{ uuid: SEED.locations.BIN, type: 'BIN', name: 'BIN', description: 'Discarded items', default: false },
			{ uuid: SEED.locations.SUPPLIER, type: 'SUPPLIER', name: 'SUPPLIER', description: 'Restocks come from here', default: false },
			{ uuid: SEED.locations.SOLD, type: 'SOLD', name: 'SOLD', description: 'Sold items', default: false },
		]);
		expect(items[4].pairedItem).toEqual({ item: 1 });
		expect(sandbox().log('GET', '/organizations/self/locations')).toHaveLength(1);
	});
});

describe('Get Balances', () => {
	const GET = { resource: 'balance', operation: 'getAll' };

	it('lists the STORE balances of tracked products, as numbers, with Return All', async () => {
		const { output } = await runZettle(sandbox(), { ...GET, source: 'location', returnAll: true }, [{}]);
		const rows = output(NODE_NAME).map((i) => i.json);
		expect(rows).toEqual(
			expect.arrayContaining([
				{ locationUuid: SEED.locations.STORE, locationType: 'STORE', productUuid: SEED.tshirt.productUuid, variantUuid: SEED.tshirt.small, balance: 238 },
				{ locationUuid: SEED.locations.STORE, locationType: 'STORE', productUuid: SEED.tshirt.productUuid, variantUuid: SEED.tshirt.medium, balance: 12033 },
				{ locationUuid: SEED.locations.STORE, locationType: 'STORE', productUuid: SEED.cap.productUuid, variantUuid: SEED.cap.oneSize, balance: 5 },
			]),
		);
		expect(rows).toHaveLength(3); // the untracked mug's kept balances are not listed
	});

	it('applies the limit, and adds product details and zero balances from the library when asked', async () => {
		org().setBalance(SEED.locations.STORE, SEED.cap.oneSize, 0);
		const limited = await runZettle(sandbox(), { ...GET, source: 'location', limit: 1 }, [{}]);
		expect(limited.output(NODE_NAME)).toHaveLength(1);

		const { output } = await runZettle(sandbox(), { ...GET, source: 'location', returnAll: true, options: { includeProductDetails: true, includeZero: true } }, [{}]);
		const rows = output(NODE_NAME).map((i) => i.json);
		expect(rows).toHaveLength(3);
		expect(rows).toContainEqual(expect.objectContaining({ variantUuid: SEED.tshirt.small, balance: 238, productName: 'T-shirt', variantName: 'Small', sku: 'TSHIRT-S', barcode: '7350000000017' }));
		expect(rows).toContainEqual(expect.objectContaining({ variantUuid: SEED.cap.oneSize, balance: 0, sku: 'CAP-1', barcode: null }));
	});

	it('reads the balances of products named by SKU in one request, and says which product is not tracked', async () => {
		const { run, output } = await runZettle(
			sandbox(),
			{ ...GET, source: 'products', identifyBy: 'sku', returnAll: true },
			[{ sku: 'TSHIRT-M' }, { sku: 'CAP-1' }, { sku: 'MUG-WHITE' }],
			{ node: { onError: 'continueRegularOutput' } },
		);
		expect(run.status).toBe('success');
		const reads = sandbox().log('POST', '/organizations/self/inventory/products');
		expect(reads).toHaveLength(1);
		expect(reads[0].body).toEqual({ locationType: 'STORE', productUuids: [SEED.tshirt.productUuid, SEED.cap.productUuid, SEED.mug.productUuid] });
		const items = output(NODE_NAME);
		// a SKU names a variant; the balances are those of its whole product
		expect(items.filter((i) => i.pairedItem && (i.pairedItem as { item: number }).item === 0).map((i) => i.json.variantUuid)).toEqual([SEED.tshirt.small, SEED.tshirt.medium]);
		expect(items.find((i) => i.json.variantUuid === SEED.cap.oneSize)?.pairedItem).toEqual({ item: 1 });
		expect(items.at(-1)?.json.error).toMatch(`Product ${SEED.mug.productUuid} is not tracked`);
	});
});

describe('Start and Stop Tracking', () => {
	it('starts tracking products named by barcode in one bulk request, and restores kept balances', async () => {
		const { run, output } = await runZettle(
			sandbox(),
			{ resource: 'product', operation: 'startTracking', identifyBy: 'barcode' },
			[{ barcode: '7350000000031' }, { barcode: 7350000000048 }],
		);
		expect(run.status).toBe('success');
		const [bulk] = writes();
		expect(bulk.path).toBe('/organizations/self/v2/inventory/bulk');
		expect(bulk.body).toEqual({
			productChanges: [{ productUuid: SEED.mug.productUuid, trackingStatusChange: 'START_TRACKING', variantChanges: [] }],
			externalUuid: expect.any(String),
		});
		expect(org().tracked.has(SEED.mug.productUuid)).toBe(true);
		expect(output(NODE_NAME).map((i) => i.json)).toEqual([
			{ productUuid: SEED.mug.productUuid, trackingStatusChange: 'START_TRACKING', externalUuid: (bulk.body as { externalUuid: string }).externalUuid },
			{ productUuid: SEED.mug.productUuid, trackingStatusChange: 'START_TRACKING', externalUuid: (bulk.body as { externalUuid: string }).externalUuid },
		]);
		expect(org().balancesIn(SEED.locations.STORE, [SEED.mug.productUuid]).map((r) => r.balance)).toEqual([238, 12033]);
	});

	it('dry run: outputs the tracking request and changes nothing', async () => {
		const { output } = await runZettle(sandbox(), { resource: 'product', operation: 'stopTracking', options: { dryRun: true } }, [{ productUuid: SEED.cap.productUuid }]);
		expect(sandbox().log(undefined, '/organizations')).toHaveLength(0);
		expect(output(NODE_NAME)[0].json).toMatchObject({
			dryRun: true,
			method: 'POST',
			body: { productChanges: [{ productUuid: SEED.cap.productUuid, trackingStatusChange: 'STOP_TRACKING', variantChanges: [] }] },
		});
		expect(org().tracked.has(SEED.cap.productUuid)).toBe(true);
	});

	it('stops tracking by product UUID', async () => {
		const { run } = await runZettle(sandbox(), { resource: 'product', operation: 'stopTracking' }, [{ productUuid: SEED.tshirt.productUuid }]);
		expect(run.status).toBe('success');
		expect((writes()[0].body as { productChanges: unknown[] }).productChanges).toEqual([
			{ productUuid: SEED.tshirt.productUuid, trackingStatusChange: 'STOP_TRACKING', variantChanges: [] },
		]);
		expect(org().tracked.has(SEED.tshirt.productUuid)).toBe(false);
		// one request in all: tracking names no location, so the locations are not read
		expect(sandbox().log(undefined, '/organizations').map((r) => `${r.method} ${r.path}`)).toEqual(['POST /organizations/self/v2/inventory/bulk']);
	});
});

describe('Set Stock Level', () => {
	it('reads once, moves only the differences in one request, and reports before / target / after / moved / drift', async () => {
		const { run, output } = await runZettle(sandbox(), SET_BY_SKU, [
			{ sku: 'TSHIRT-S', quantity: 250 },
			{ sku: 'TSHIRT-M', quantity: '12000' },
			{ sku: 'CAP-1', quantity: 5 },
		]);
		expect(run.status).toBe('success');
		expect(sandbox().log('POST', '/organizations/self/inventory/products')).toHaveLength(1);
		const puts = sandbox().log('PUT', '/organizations/self/inventory');
		expect(puts).toHaveLength(1);
		expect(puts[0].body).toEqual({
			changes: [
				{ productUuid: SEED.tshirt.productUuid, variantUuid: SEED.tshirt.small, fromLocationUuid: SEED.locations.SUPPLIER, toLocationUuid: SEED.locations.STORE, change: 12 },
				{ productUuid: SEED.tshirt.productUuid, variantUuid: SEED.tshirt.medium, fromLocationUuid: SEED.locations.STORE, toLocationUuid: SEED.locations.BIN, change: 33 },
			],
			returnBalanceForLocationUuid: SEED.locations.STORE,
			externalUuid: expect.any(String),
		});
		const externalUuid = (puts[0].body as { externalUuid: string }).externalUuid;
		expect(output(NODE_NAME)).toEqual([
			{
				json: { productUuid: SEED.tshirt.productUuid, variantUuid: SEED.tshirt.small, sku: 'TSHIRT-S', barcode: '7350000000017', locationUuid: SEED.locations.STORE, before: 238, target: 250, moved: 12, after: 250, drift: 0, externalUuid },
				pairedItem: { item: 0 },
			},
			{
				json: { productUuid: SEED.tshirt.productUuid, variantUuid: SEED.tshirt.medium, sku: 'TSHIRT-M', barcode: '7350000000024', locationUuid: SEED.locations.STORE, before: 12033, target: 12000, moved: -33, after: 12000, drift: 0, externalUuid },
				pairedItem: { item: 1 },
			},
			{
				json: { productUuid: SEED.cap.productUuid, variantUuid: SEED.cap.oneSize, sku: 'CAP-1', locationUuid: SEED.locations.STORE, before: 5, target: 5, moved: 0, after: 5, drift: 0 },
				pairedItem: { item: 2 },
			},
		]);
		expect([store(SEED.tshirt.small), store(SEED.tshirt.medium), store(SEED.cap.oneSize)]).toEqual([250, 12000, 5]);
		expect(org().balance(SEED.locations.BIN, SEED.tshirt.medium)).toBe(33);
	});

	it('reports drift when a sale lands between the read and the write, and moves nothing twice', async () => {
		sandbox().faults.set({ rules: [{ method: 'PUT', path: '/organizations/self/inventory', action: 'concurrentSale', variantUuid: SEED.tshirt.small, quantity: 2 }] });
		const { output } = await runZettle(sandbox(), SET, [{ productUuid: SEED.tshirt.productUuid, variantUuid: SEED.tshirt.small, quantity: 250 }]);
		expect(output(NODE_NAME)[0].json).toMatchObject({ before: 238, target: 250, moved: 12, after: 248, drift: -2 });
		expect(store(SEED.tshirt.small)).toBe(248);
		expect(sandbox().log('PUT')).toHaveLength(1);
	});

	it('sends nothing when every variant is at its target', async () => {
		const { output } = await runZettle(sandbox(), SET, [{ productUuid: SEED.cap.productUuid, variantUuid: SEED.cap.oneSize, quantity: 5 }]);
		expect(output(NODE_NAME)[0].json).toMatchObject({ before: 5, target: 5, moved: 0, after: 5 });
		expect(writes()).toHaveLength(0);
	});

	it('uses the chosen decrease and increase movements', async () => {
		await runZettle(sandbox(), { ...SET_BY_SKU, options: { decreaseTo: 'SOLD', increaseFrom: 'SOLD' } }, [
			{ sku: 'TSHIRT-S', quantity: 230 },
			{ sku: 'CAP-1', quantity: 6 },
		]);
		const changes = (sandbox().log('PUT')[0].body as { changes: Array<{ fromLocationUuid: string; toLocationUuid: string }> }).changes;
		expect(changes.map((c) => [c.fromLocationUuid, c.toLocationUuid])).toEqual([
			[SEED.locations.STORE, SEED.locations.SOLD],
			[SEED.locations.SOLD, SEED.locations.STORE],
		]);
	});

	it('refuses an untracked product, naming the option that starts tracking it', async () => {
		const { run, error } = await runZettle(sandbox(), SET_BY_SKU, [{ sku: 'MUG-WHITE', quantity: 240 }]);
		expect(run.status).toBe('error');
		expect(error?.message).toMatch(/^Item 0: Product 3cc3b9f6-623b-11ec-90d6-0242ac120003 is not tracked.*"Start Tracking Untracked Products"/);
		expect(writes()).toHaveLength(0);
	});

	it('starts tracking first when asked, then sets the level against the restored balance', async () => {
		const { run, output } = await runZettle(sandbox(), { ...SET_BY_SKU, options: { startTracking: true } }, [
			{ sku: 'MUG-WHITE', quantity: 240 },
			{ sku: 'MUG-BLACK', quantity: 0 },
		]);
		expect(run.status).toBe('success');
		expect(writes().map((w) => `${w.method} ${w.path}`)).toEqual(['POST /organizations/self/v2/inventory/bulk', 'PUT /organizations/self/inventory']);
		// kept balances 238 / 12033 come back with tracking: the deltas are +2 and -12033, not +240 and 0
		expect(output(NODE_NAME).map((i) => [i.json.before, i.json.moved, i.json.after])).toEqual([
			[238, 2, 240],
			[12033, -12033, 0],
		]);
		expect([store(SEED.mug.white), store(SEED.mug.black)]).toEqual([240, 0]);
	});

	it.each([
		[{ sku: 'NOPE', quantity: 1 }, /SKU "NOPE" matches no variant in the Zettle product library \(5 variants read\)/],
		[{ sku: 'TSHIRT-S', quantity: -1 }, /Stock level -1 is negative/],
		[{ sku: 'TSHIRT-S', quantity: 2.5 }, /Stock level 2.5 is not a whole number/],
		[{ sku: 'TSHIRT-S', quantity: 'ten' }, /Stock level "ten" is not a number/],
		[{ sku: 'TSHIRT-S' }, /Stock level is missing/],
		[{ quantity: 3 }, /SKU is missing/],
	])('refuses %j before sending anything', async (item, message) => {
		const { run, error } = await runZettle(sandbox(), SET_BY_SKU, [item]);
		expect(run.status).toBe('error');
		expect(error?.message).toMatch(message);
		expect(error?.description).toMatch(/^Nothing was sent to Zettle/);
		expect(writes()).toHaveLength(0);
	});

	it('makes an ambiguous SKU and a second target for one variant per-item errors, and sets the rest', async () => {
		org().addProduct({ uuid: 'd1e2f3a4-623b-11ec-90d6-0242ac120003', name: 'Poster', variants: [{ uuid: 'd5e6f7a8-623b-11ec-90d6-0242ac120003', name: 'A2', sku: 'TSHIRT-S' }] });
		const { run, output } = await runZettle(
			sandbox(),
			SET_BY_SKU,
			[{ sku: 'TSHIRT-M', quantity: 12030 }, { sku: 'TSHIRT-S', quantity: 1 }, { sku: ' TSHIRT-M ', quantity: 1 }],
			{ node: { onError: 'continueRegularOutput' } },
		);
		expect(run.status).toBe('success');
		const items = output(NODE_NAME);
		expect(items[0].json).toMatchObject({ variantUuid: SEED.tshirt.medium, after: 12030 });
		expect(items[1].json.error).toMatch(/SKU "TSHIRT-S" is ambiguous: 2 variants have it \(T-shirt \/ Small product .*; Poster \/ A2 product .*\)\. Give those variants distinct SKUs/);
		expect(items[2].json.error).toMatch(`Variant ${SEED.tshirt.medium} already has a target on item 0`);
		expect(store(SEED.tshirt.small)).toBe(238);
	});

	it('dry run: outputs the deltas and the exact request, and sends no write', async () => {
		const { run, output } = await runZettle(sandbox(), { ...SET_BY_SKU, options: { dryRun: true, externalUuid: '0f8b7a40-6a1e-11ec-90d6-0242ac120003' } }, [
			{ sku: 'TSHIRT-S', quantity: 240 },
			{ sku: 'CAP-1', quantity: 5 },
		]);
		expect(run.status).toBe('success');
		expect(writes()).toHaveLength(0);
		const items = output(NODE_NAME).map((i) => i.json);
		expect(items[0]).toMatchObject({ dryRun: true, before: 238, target: 240, moved: 2, after: 240, request: 1 });
		expect(items[1]).toMatchObject({ dryRun: true, before: 5, moved: 0, request: null });
		expect(items[2]).toEqual({
			dryRun: true,
			request: 1,
			of: 1,
			method: 'PUT',
			url: `${sandbox().url}/organizations/self/inventory`,
			body: {
				changes: [{ productUuid: SEED.tshirt.productUuid, variantUuid: SEED.tshirt.small, fromLocationUuid: SEED.locations.SUPPLIER, toLocationUuid: SEED.locations.STORE, change: 2 }],
				returnBalanceForLocationUuid: SEED.locations.STORE,
				externalUuid: '0f8b7a40-6a1e-11ec-90d6-0242ac120003',
			},
			items: [0],
		});
		expect(store(SEED.tshirt.small)).toBe(238);
	});

	it('with Continue, a write whose outcome is unknown makes its items error items; the rest are reported as set', async () => {
		sandbox().faults.set({ rules: [{ method: 'PUT', path: '/organizations/self/inventory', nth: [2], action: 'error500' }] });
		const { run, output } = await runZettle(
			sandbox(),
			{ ...SET_BY_SKU, options: { itemsPerRequest: 1 } },
			[{ sku: 'TSHIRT-S', quantity: 240 }, { sku: 'TSHIRT-M', quantity: 12000 }, { sku: 'CAP-1', quantity: 5 }, { sku: 'MUG-WHITE', quantity: 1 }],
			{ node: { onError: 'continueRegularOutput' } },
		);
		expect(run.status).toBe('success');
		const puts = sandbox().log('PUT');
		expect(puts.map((p) => p.status)).toEqual([200, 500]); // the second failed: nothing after it is sent, nothing resent
		const items = output(NODE_NAME);
		expect(items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 2 }, { item: 1 }, { item: 3 }]);
		expect(items[0].json).toMatchObject({ sku: 'TSHIRT-S', after: 240, drift: 0 });
		expect(items[1].json).toMatchObject({ sku: 'CAP-1', moved: 0, after: 5 });
		expect(items[2].json.error).toMatch(/^Outcome unknown \(externalUuid [0-9a-f-]{36}\): Zettle answered 500 after the request was sent: it may or may not have been applied/);
		expect(items[3].json.error).toMatch(/^Invalid, not sent: Product 3cc3b9f6-623b-11ec-90d6-0242ac120003 is not tracked/);
	});

	it('without Continue, a failed write stops the run with what was applied and what is in doubt', async () => {
		sandbox().faults.set({ rules: [{ method: 'PUT', path: '/organizations/self/inventory', nth: [2], action: 'applyThenDrop' }] });
		const { run, error } = await runZettle(sandbox(), { ...SET_BY_SKU, options: { itemsPerRequest: 1 } }, [
			{ sku: 'TSHIRT-S', quantity: 240 },
			{ sku: 'TSHIRT-M', quantity: 12000 },
			{ sku: 'CAP-1', quantity: 9 },
		]);
		expect(run.status).toBe('error');
		expect(error?.message).toMatch(/^Outcome unknown: request 2 of 3 \(item 1\)/);
		expect(error?.description).toMatch(/^Applied: item 0 .* Outcome unknown: item 1 .* Not attempted: item 2: not sent, because an earlier request failed/);
		expect([store(SEED.tshirt.small), store(SEED.tshirt.medium), store(SEED.cap.oneSize)]).toEqual([240, 12000, 5]); // applied once, never resent
	});

	it('batches the balance reads: 2,000 variants of 200 products take 1 library read, 2 balance reads and one write per 100 movements', async () => {
		const big = await (await import('../sandbox/server')).startSandbox({ catalogue: { products: 200, variantsPerProduct: 10, initialBalance: 100 } });
		try {
			const catalogue = big.organizationOf(big.catalogueApiKey!);
			const input = [...catalogue.products.values()].flatMap((p) => p.variants.map((v, i) => ({ sku: v.sku, quantity: 100 + (i % 3) - 1 })));
			const { run, output } = await runZettle(big, { ...SET_BY_SKU, options: { requestsPerSecond: 1000 } }, input, {
				credentials: new (await import('../harness/engine')).TestCredentialsHelper({ zettleApi: { apiKey: big.catalogueApiKey!, environment: 'custom', baseUrl: big.url } }),
			});
			expect(run.status).toBe('success');
			expect(big.log('GET', '/organizations/self/library')).toHaveLength(1);
			expect(big.log('POST', '/organizations/self/inventory/products')).toHaveLength(2);
			// a third of the variants is already at its target: 1,334 movements in ⌈1334/100⌉ = 14 requests
			const moving = input.filter((i) => i.quantity !== 100).length;
			expect(big.log('PUT', '/organizations/self/inventory')).toHaveLength(Math.ceil(moving / 100));
			expect(output(NODE_NAME).every((i) => i.json.after === i.json.target && i.json.drift === 0)).toBe(true);
			const sample = [...catalogue.products.values()][7].variants;
			expect(sample.map((v) => catalogue.balance(catalogue.store.uuid, v.uuid)).slice(0, 3)).toEqual([99, 100, 101]);
		} finally {
			await big.close();
		}
	});
});

describe('SKU lookup and dry run on the movement operations', () => {
	it('Update Balance by SKU moves the variant the SKU names and outputs its SKU', async () => {
		const { output } = await runZettle(sandbox(), { resource: 'balance', operation: 'updateBalance', movement: 'sale', identifyBy: 'sku' }, [{ sku: 'TSHIRT-S', change: 3 }]);
		expect((sandbox().log('PUT')[0].body as { changes: unknown[] }).changes).toEqual([
			{ productUuid: SEED.tshirt.productUuid, variantUuid: SEED.tshirt.small, fromLocationUuid: SEED.locations.STORE, toLocationUuid: SEED.locations.SOLD, change: 3 },
		]);
		expect(output(NODE_NAME)[0].json).toMatchObject({ variantUuid: SEED.tshirt.small, balance: 235, sku: 'TSHIRT-S' });
	});

	it('Bulk Update dry run outputs the bulk body and sends nothing', async () => {
		const { output } = await runZettle(sandbox(), { resource: 'balance', operation: 'bulkUpdate', movement: 'restock', identifyBy: 'barcode', options: { dryRun: true } }, [
			{ barcode: '7350000000031', change: 4 },
		]);
		expect(writes()).toHaveLength(0);
		expect(output(NODE_NAME)[0].json).toMatchObject({
			dryRun: true,
			method: 'POST',
			url: `${sandbox().url}/organizations/self/v2/inventory/bulk`,
			body: {
				productChanges: [
					{
						productUuid: SEED.mug.productUuid,
						trackingStatusChange: 'START_TRACKING',
						variantChanges: [{ variantUuid: SEED.mug.white, fromLocationUuid: SEED.locations.SUPPLIER, toLocationUuid: SEED.locations.STORE, change: 4 }],
					},
				],
			},
		});
		expect(org().tracked.has(SEED.mug.productUuid)).toBe(false);
	});
});
