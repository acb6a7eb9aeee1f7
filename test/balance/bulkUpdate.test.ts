// Balance → Bulk Update: items become POST /organizations/self/v2/inventory/bulk productChanges (grouped by product, with tracking changes) and come back as balances.

import { SEED } from '../../sandbox/seed';
import { bodies, BulkBody, PATH, writes } from '../support/requests';
import { NODE_NAME, OPERATION, runZettle, SEED_BULK_ITEMS, useSandbox } from '../support/zettle';

const sandbox = useSandbox();
const BULK = OPERATION.bulkUpdate;
const posts = () => bodies<BulkBody>(sandbox(), 'POST', PATH.bulk);
const org = () => sandbox().seedOrganization;

describe('Bulk Update', () => {
	it("given the seed's bulk example items, sends the seed's documented bulk request and outputs its balances", async () => {
		const { run, output } = await runZettle(
			sandbox(),
			{ ...BULK, trackingStatusChange: 'START_TRACKING', options: { returnBalanceForLocation: SEED.locations.STORE } },
			SEED_BULK_ITEMS,
		);
		expect(run.status).toBe('success');
		expect(sandbox().log('POST', PATH.bulk)).toHaveLength(1);
		const [body] = posts();
		expect(body).toEqual({
			returnBalanceForLocationUuid: SEED.locations.STORE,
			productChanges: [
				{
					productUuid: SEED.mug.productUuid,
					trackingStatusChange: 'START_TRACKING',
					variantChanges: [
						{ variantUuid: SEED.mug.white, fromLocationUuid: SEED.locations.STORE, toLocationUuid: SEED.locations.BIN, change: 42 },
						{ variantUuid: SEED.mug.black, fromLocationUuid: SEED.locations.STORE, toLocationUuid: SEED.locations.BIN, change: 1337 },
					],
				},
			],
			externalUuid: expect.stringMatching(/^[0-9a-f-]{36}$/),
		});
		expect(org().tracked.has(SEED.mug.productUuid)).toBe(true);
		// the bulk answer has no location per variant: the node fills it from the top level
		expect(output(NODE_NAME)).toEqual([
			{
				json: { locationUuid: SEED.locations.STORE, locationType: 'STORE', productUuid: SEED.mug.productUuid, variantUuid: SEED.mug.white, balance: 196, externalUuid: body.externalUuid },
				pairedItem: [{ item: 0 }],
			},
			{
				json: { locationUuid: SEED.locations.STORE, locationType: 'STORE', productUuid: SEED.mug.productUuid, variantUuid: SEED.mug.black, balance: 10696, externalUuid: body.externalUuid },
				pairedItem: [{ item: 1 }],
			},
		]);
	});

	it("without Return Balances For Location, sends the default STORE's UUID on every request that moves stock (Zettle documents the STORE fallback for the PUT only) and outputs STORE balances", async () => {
		const { run, output } = await runZettle(sandbox(), { ...BULK, movement: 'restock', trackingStatusChange: '={{ $json.tracking }}', options: { itemsPerRequest: 2 } }, [
			{ productUuid: SEED.tshirt.productUuid, variantUuid: SEED.tshirt.small, change: 1, tracking: 'NO_CHANGE' },
			{ productUuid: SEED.cap.productUuid, variantUuid: SEED.cap.oneSize, change: 2, tracking: 'NO_CHANGE' },
			{ productUuid: SEED.mug.productUuid, tracking: 'START_TRACKING' },
		]);
		expect(run.status).toBe('success');
		// a tracking-only request returns `variants: []` whatever it names (enable-tracking.md): it goes without
		expect(posts().map((b) => [b.productChanges.length, b.returnBalanceForLocationUuid])).toEqual([
			[2, SEED.locations.STORE],
			[1, undefined],
		]);
		expect(output(NODE_NAME).map((i) => [i.json.variantUuid ?? i.json.productUuid, i.json.locationUuid, i.json.balance])).toEqual([
			[SEED.tshirt.small, SEED.locations.STORE, 239],
			[SEED.cap.oneSize, SEED.locations.STORE, 7],
			[SEED.mug.productUuid, undefined, undefined],
		]);
	});

	it('keeps a product’s variants in one request and groups items by product', async () => {
		const items = [
			{ productUuid: SEED.tshirt.productUuid, variantUuid: SEED.tshirt.small, change: 1 },
			{ productUuid: SEED.mug.productUuid, variantUuid: SEED.mug.white, change: 2 },
			{ productUuid: SEED.tshirt.productUuid, variantUuid: SEED.tshirt.medium, change: 3 },
			{ productUuid: SEED.mug.productUuid, variantUuid: SEED.mug.black, change: 4 },
			{ productUuid: SEED.cap.productUuid, variantUuid: SEED.cap.oneSize, change: 5 },
		];
		const { run } = await runZettle(sandbox(), { ...BULK, movement: 'restock', options: { itemsPerRequest: 3 } }, items);
		expect(run.status).toBe('success');
		// 2 + 2 variants do not fit in 3: the T-shirt goes alone, then the mug and the cap
		expect(posts().map((b) => b.productChanges.map((pc) => [pc.productUuid, pc.variantChanges.length]))).toEqual([
			[[SEED.tshirt.productUuid, 2]],
			[
				[SEED.mug.productUuid, 2],
				[SEED.cap.productUuid, 1],
			],
		]);
		expect(org().balance(SEED.locations.STORE, SEED.mug.black)).toBe(12033 + 4);
	});

	it('takes the tracking change per item, and items with only a tracking change (Stop Tracking: the documented DELETE)', async () => {
		const { run, output } = await runZettle(sandbox(), { ...BULK, trackingStatusChange: '={{ $json.tracking }}' }, [
			{ productUuid: SEED.cap.productUuid, tracking: 'STOP_TRACKING' },
			{ productUuid: SEED.mug.productUuid, tracking: 'START_TRACKING' },
		]);
		expect(run.status).toBe('success');
		expect(posts()).toHaveLength(1);
		expect(posts()[0].productChanges).toEqual([{ productUuid: SEED.mug.productUuid, trackingStatusChange: 'START_TRACKING', variantChanges: [] }]);
		expect(sandbox().log('DELETE').map((r) => r.path)).toEqual([`${PATH.inventory}/products/${SEED.cap.productUuid}`]);
		expect(org().tracked.has(SEED.cap.productUuid)).toBe(false);
		expect(org().tracked.has(SEED.mug.productUuid)).toBe(true);
		expect(output(NODE_NAME).map((i) => [i.json.productUuid, i.json.trackingStatusChange, i.pairedItem])).toEqual([
			[SEED.mug.productUuid, 'START_TRACKING', { item: 1 }],
			[SEED.cap.productUuid, 'STOP_TRACKING', { item: 0 }],
		]);
	});

	it('Stop Tracking with movements: the movements go in the bulk request with NO_CHANGE, then one DELETE per product', async () => {
		const { run, output } = await runZettle(sandbox(), { ...BULK, movement: 'restock', trackingStatusChange: 'STOP_TRACKING', options: { returnBalanceForLocation: 'STORE' } }, [
			{ productUuid: SEED.tshirt.productUuid, variantUuid: SEED.tshirt.small, change: 2 },
			{ productUuid: SEED.cap.productUuid, variantUuid: SEED.cap.oneSize, change: 3 },
			{ productUuid: SEED.tshirt.productUuid, variantUuid: SEED.tshirt.medium, change: 4 },
			{ productUuid: SEED.tshirt.productUuid },
		]);
		expect(run.status).toBe('success');
		// STOP_TRACKING never goes to the bulk endpoint: a product's movements need it tracked, so they go first
		expect(sandbox().log(undefined, '/organizations/self/v2').concat(sandbox().log('DELETE')).map((r) => `${r.method} ${r.path}`)).toEqual([
			`POST ${PATH.bulk}`,
			`DELETE ${PATH.inventory}/products/${SEED.tshirt.productUuid}`,
			`DELETE ${PATH.inventory}/products/${SEED.cap.productUuid}`,
		]);
		const [body] = posts();
		expect(body.productChanges.map((pc) => [pc.productUuid, pc.trackingStatusChange, pc.variantChanges.map((v) => v.change)])).toEqual([
			[SEED.tshirt.productUuid, 'NO_CHANGE', [2, 4]],
			[SEED.cap.productUuid, 'NO_CHANGE', [3]],
		]);
		expect(org().tracked.has(SEED.tshirt.productUuid)).toBe(false);
		expect(org().tracked.has(SEED.cap.productUuid)).toBe(false);
		// stock moved while the products were still tracked; Zettle keeps the balances after tracking stops
		expect(org().balance(SEED.locations.STORE, SEED.tshirt.small)).toBe(240);
		expect(org().balance(SEED.locations.STORE, SEED.cap.oneSize)).toBe(8);
		const json = output(NODE_NAME).map((i) => i.json);
		expect(json.filter((j) => 'balance' in j).map((j) => [j.variantUuid, j.balance, j.externalUuid])).toEqual([
			[SEED.tshirt.small, 240, body.externalUuid],
			[SEED.tshirt.medium, 12037, body.externalUuid],
			[SEED.cap.oneSize, 8, body.externalUuid],
		]);
		// the tracking-only item comes from its DELETE, which carries no correlation id
		expect(json.filter((j) => !('balance' in j))).toEqual([{ productUuid: SEED.tshirt.productUuid, trackingStatusChange: 'STOP_TRACKING', externalUuid: null }]);
	});

	it('Stop Tracking with movements: when the bulk request is refused, no DELETE is sent', async () => {
		sandbox().faults.set({ rules: [{ method: 'POST', path: PATH.bulk, action: 'respond', status: 400, body: { developerMessage: 'refused', errorType: 'INVALID_REQUEST', violations: [] } }] });
		const { run, error } = await runZettle(sandbox(), { ...BULK, movement: 'restock', trackingStatusChange: 'STOP_TRACKING' }, [
			{ productUuid: SEED.cap.productUuid, variantUuid: SEED.cap.oneSize, change: 3 },
		]);
		expect(run.status).toBe('error');
		expect(error?.message).toMatch(/^Refused: request 1 of 2 \(item 0\)/);
		expect(sandbox().log('DELETE')).toHaveLength(0);
		expect(org().tracked.has(SEED.cap.productUuid)).toBe(true);
	});

	it('refuses conflicting tracking changes for one product before sending', async () => {
		const { run, error } = await runZettle(sandbox(), { ...BULK, trackingStatusChange: '={{ $json.tracking }}' }, [
			{ productUuid: SEED.cap.productUuid, tracking: 'STOP_TRACKING' },
			{ productUuid: SEED.cap.productUuid, tracking: 'START_TRACKING' },
		]);
		expect(run.status).toBe('error');
		expect(error?.message).toMatch(/^Item 1: Tracking change START_TRACKING conflicts with STOP_TRACKING on item 0/);
		expect(sandbox().log('POST', '/organizations')).toHaveLength(0);
	});

	it('refuses an unknown tracking change before sending', async () => {
		const { error } = await runZettle(sandbox(), { ...BULK, trackingStatusChange: '={{ "PAUSE" }}' }, SEED_BULK_ITEMS);
		expect(error?.message).toMatch(/^Item 0: Tracking change "PAUSE" is not one of START_TRACKING, NO_CHANGE, STOP_TRACKING/);
		expect(sandbox().log('POST', '/organizations')).toHaveLength(0);
	});

	it("reports Zettle's refusal (PRODUCT_NOT_TRACKED) with its message, naming the items", async () => {
		const { run, error } = await runZettle(sandbox(), { ...BULK, trackingStatusChange: 'NO_CHANGE' }, SEED_BULK_ITEMS);
		expect(run.status).toBe('error');
		expect(error?.message).toMatch(/Refused: request 1 of 1 \(items 0–1\): Zettle refused the request \(400\)\. Zettle: Product .* is not tracked .*\[PRODUCT_NOT_TRACKED\]/);
		expect(error?.description).toMatch(/Not applied: items 0–1/);
	});

	it('dry run: given an item named by barcode, outputs the bulk body it would send and sends nothing', async () => {
		const { output } = await runZettle(sandbox(), { ...BULK, movement: 'restock', identifyBy: 'barcode', options: { dryRun: true } }, [{ barcode: '7350000000031', change: 4 }]);
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
						variantChanges: [{ variantUuid: SEED.mug.white, fromLocationUuid: SEED.locations.SUPPLIER, toLocationUuid: SEED.locations.STORE, change: 4 }],
					},
				],
			},
		});
		expect(org().tracked.has(SEED.mug.productUuid)).toBe(false);
	});
});
