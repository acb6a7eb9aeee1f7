// Balance → Get Many (Get Balances), on both Inventory APIs: the balances of a location, or of products named by SKU,
// as numbers, with library details when asked. Legacy: GET …/inventory/locations/{uuid} or POST …/inventory/products;
// V3: GET /v3/stock/{inventory} page by page, or POST /v3/products/status and a read per tracked product, of STORE
// inventories only.

import { SEED } from '../../sandbox/seed';
import { startSandbox } from '../../sandbox/server';
import { APIS, LEGACY, runOn, V3 } from '../support/apis';
import { BalanceReadBody, bodies, PATH } from '../support/requests';
import {
	apiKeyCredentials,
	locator,
	NODE_NAME,
	OPERATION,
	useSandbox,
	withCatalogue,
} from '../support/zettle';

const sandbox = useSandbox();
const GET = OPERATION.getBalances;
const BY_SKU = { ...GET, source: 'products', identifyBy: 'sku', returnAll: true };
const SKUS = [{ sku: 'TSHIRT-M' }, { sku: 'CAP-1' }, { sku: 'MUG-WHITE' }];
const CONTINUE = { node: { onError: 'continueRegularOutput' as const } };

describe.each(APIS)('Get Balances ($name API)', (api) => {
	it('lists the STORE balances of tracked products, as numbers, with Return All', async () => {
		const { output } = await runOn(
			api,
			sandbox(),
			{ ...GET, source: 'location', returnAll: true },
			[{}],
		);
		const rows = output(NODE_NAME).map((i) => i.json);
		expect(rows).toEqual(
			expect.arrayContaining([
				{
					locationUuid: SEED.locations.STORE,
					locationType: 'STORE',
					productUuid: SEED.tshirt.productUuid,
					variantUuid: SEED.tshirt.small,
					balance: 238,
				},
				{
					locationUuid: SEED.locations.STORE,
					locationType: 'STORE',
					productUuid: SEED.tshirt.productUuid,
					variantUuid: SEED.tshirt.medium,
					balance: 12033,
				},
				{
					locationUuid: SEED.locations.STORE,
					locationType: 'STORE',
					productUuid: SEED.cap.productUuid,
					variantUuid: SEED.cap.oneSize,
					balance: 5,
				},
			]),
		);
		expect(rows).toHaveLength(3); // the untracked mug's kept balances are not listed
		expect(api.balanceReads(sandbox())).toHaveLength(1);
		expect(api.writes(sandbox())).toHaveLength(0);
	});

	it('applies the limit, and adds product details and zero balances from the library when asked', async () => {
		sandbox().seedOrganization.setBalance(SEED.locations.STORE, SEED.cap.oneSize, 0);
		const limited = await runOn(api, sandbox(), { ...GET, source: 'location', limit: 1 }, [{}]);
		expect(limited.output(NODE_NAME)).toHaveLength(1);

		const { output } = await runOn(
			api,
			sandbox(),
			{
				...GET,
				source: 'location',
				returnAll: true,
				options: { includeProductDetails: true, includeZero: true },
			},
			[{}],
		);
		const rows = output(NODE_NAME).map((i) => i.json);
		expect(rows).toHaveLength(3);
		expect(rows).toContainEqual(
			expect.objectContaining({
				variantUuid: SEED.tshirt.small,
				balance: 238,
				productName: 'T-shirt',
				variantName: 'Small',
				sku: 'TSHIRT-S',
				barcode: '7350000000017',
			}),
		);
		expect(rows).toContainEqual(
			expect.objectContaining({
				variantUuid: SEED.cap.oneSize,
				balance: 0,
				sku: 'CAP-1',
				barcode: null,
			}),
		);
		// the untracked mug gets no zero rows
		expect(rows.some((r) => r.productUuid === SEED.mug.productUuid)).toBe(false);
	});

	it('reads the balances of products named by SKU, and says which product is not tracked', async () => {
		const { run, output } = await runOn(api, sandbox(), BY_SKU, SKUS, CONTINUE);
		expect(run.status).toBe('success');
		const items = output(NODE_NAME);
		// a SKU names a variant; the balances are those of its whole product
		expect(
			items
				.filter((i) => i.pairedItem && (i.pairedItem as { item: number }).item === 0)
				.map((i) => [i.json.variantUuid, i.json.balance]),
		).toEqual([
			[SEED.tshirt.small, 238],
			[SEED.tshirt.medium, 12033],
		]);
		expect(items.find((i) => i.json.variantUuid === SEED.cap.oneSize)?.pairedItem).toEqual({
			item: 1,
		});
		expect(items).toHaveLength(4);
		expect(items.at(-1)?.json.error).toMatch(`Product ${SEED.mug.productUuid} is not tracked`);
		expect(items.at(-1)?.pairedItem).toEqual({ item: 2 });
	});

	it('without Continue, an untracked product is an error that names the item', async () => {
		const { run, error } = await runOn(api, sandbox(), BY_SKU, SKUS);
		expect(run.status).toBe('error');
		expect(error?.message).toMatch(
			new RegExp(
				`^Item 2: Product ${SEED.mug.productUuid} is not tracked.*Start tracking it first`,
			),
		);
	});

	it('with two STORE locations (the first listed is not the default): "STORE" reads the default one, and a name the other', async () => {
		const two = await startSandbox({
			catalogue: { products: 2, variantsPerProduct: 1, extraStores: 1 },
		});
		try {
			const org = two.organizationOf(two.catalogueApiKey!);
			const [extra, main] = org.locations;
			const [first, second] = [...org.products.values()].map((p) => p.variants[0].uuid);
			org.setBalance(extra.uuid, second, 9);
			const credentials = apiKeyCredentials(two, two.catalogueApiKey!);
			const read = async (location: string) =>
				(
					await runOn(
						api,
						two,
						{ ...GET, source: 'location', location: locator(location), returnAll: true },
						[{}],
						{ credentials },
					)
				)
					.output(NODE_NAME)
					.map((i) => [i.json.locationUuid, i.json.variantUuid, i.json.balance]);
			expect(await read('STORE')).toEqual([
				[main.uuid, first, 100],
				[main.uuid, second, 100],
			]);
			expect(await read('Store 2')).toEqual([[extra.uuid, second, 9]]);
			expect(api.balanceReads(two).map((r) => r.path.includes(extra.uuid))).toEqual([false, true]);
		} finally {
			await two.close();
		}
	});
});

describe('Get Balances (legacy API)', () => {
	it('reads the balances of products named by SKU in one request', async () => {
		await runOn(LEGACY, sandbox(), BY_SKU, SKUS, CONTINUE);
		expect(sandbox().log('POST', PATH.balanceRead)).toHaveLength(1);
		expect(bodies<BalanceReadBody>(sandbox(), 'POST', PATH.balanceRead)).toEqual([
			{
				locationType: 'STORE',
				productUuids: [SEED.tshirt.productUuid, SEED.cap.productUuid, SEED.mug.productUuid],
			},
		]);
	});

	it('finds the untracked product when Zettle refuses a read naming it (400 PRODUCT_NOT_TRACKED), reading the others in smaller batches', async () => {
		sandbox().faults.set({ untrackedReads: 'error' });
		const { run, output } = await runOn(LEGACY, sandbox(), BY_SKU, SKUS, CONTINUE);
		expect(run.status).toBe('success');
		// [all three] refused → [T-shirt, cap] read → [mug] refused
		expect(
			sandbox()
				.log('POST', PATH.balanceRead)
				.map((r) => [(r.body as BalanceReadBody).productUuids.length, r.status]),
		).toEqual([
			[3, 400],
			[2, 200],
			[1, 400],
		]);
		const items = output(NODE_NAME);
		expect(
			items.filter((i) => !i.json.error).map((i) => [i.json.variantUuid, i.json.balance]),
		).toEqual([
			[SEED.tshirt.small, 238],
			[SEED.tshirt.medium, 12033],
			[SEED.cap.oneSize, 5],
		]);
		expect(items.at(-1)?.json.error).toMatch(`Product ${SEED.mug.productUuid} is not tracked`);
	});

	it('reads the balances of a location that is not a STORE (BIN)', async () => {
		sandbox().seedOrganization.setBalance(SEED.locations.BIN, SEED.tshirt.small, 4);
		const { run, output } = await runOn(
			LEGACY,
			sandbox(),
			{ ...GET, source: 'location', location: locator('BIN'), returnAll: true },
			[{}],
		);
		expect(run.status).toBe('success');
		expect(output(NODE_NAME).map((i) => i.json)).toEqual([
			{
				locationUuid: SEED.locations.BIN,
				locationType: 'BIN',
				productUuid: SEED.tshirt.productUuid,
				variantUuid: SEED.tshirt.small,
				balance: 4,
			},
		]);
		expect(sandbox().log('GET', `${PATH.inventory}/locations/${SEED.locations.BIN}`)).toHaveLength(
			1,
		);
	});
});

describe('Get Balances (V3 API)', () => {
	it('reads products named by SKU with one tracking-status read, then one stock read per tracked product; nothing of the untracked one', async () => {
		await runOn(V3, sandbox(), BY_SKU, SKUS, CONTINUE);
		expect(bodies(sandbox(), 'POST', '/v3/products/status')).toEqual([
			[SEED.tshirt.productUuid, SEED.cap.productUuid, SEED.mug.productUuid],
		]);
		expect(V3.balanceReads(sandbox()).map((r) => [r.path, r.status])).toEqual([
			[`/v3/stock/${SEED.locations.STORE}/products/${SEED.tshirt.productUuid}`, 200],
			[`/v3/stock/${SEED.locations.STORE}/products/${SEED.cap.productUuid}`, 200],
		]);
		expect(sandbox().log(undefined, '/organizations/self/inventory')).toHaveLength(0);
	});

	it('with zero balances, two STORE inventories asked for take one tracking-status read (tracking is the organization’s)', async () => {
		await withCatalogue(
			{ products: 2, variantsPerProduct: 1, extraStores: 1 },
			async ({ sandbox: two, org, credentials }) => {
				const [extra, main] = org.locations;
				const [first, second] = [...org.products.values()].map((p) => p.variants[0].uuid);
				org.setBalance(extra.uuid, second, 9);
				const { run, output } = await runOn(
					V3,
					two,
					{
						...GET,
						source: 'location',
						location: locator('={{ $json.store }}'),
						returnAll: true,
						options: { includeZero: true },
					},
					[{ store: 'STORE' }, { store: 'Store 2' }],
					{ credentials },
				);
				expect(run.status).toBe('success');
				expect(two.log('POST', '/v3/products/status')).toHaveLength(1);
				expect(
					output(NODE_NAME).map((i) => [i.json.locationUuid, i.json.variantUuid, i.json.balance]),
				).toEqual([
					[main.uuid, first, 100],
					[main.uuid, second, 100],
					[extra.uuid, second, 9],
					[extra.uuid, first, 0],
				]);
			},
		);
	});

	it('Get Balances of BIN is an error that says V3 reads STORE inventories only; nothing is read', async () => {
		const { run, error } = await runOn(
			V3,
			sandbox(),
			{ ...GET, source: 'location', location: locator('BIN'), returnAll: true },
			[{}],
		);
		expect(run.status).toBe('error');
		expect(error?.message).toBe(
			"Inventory API V3 reads balances of STORE inventories only; BIN is BIN. Read a STORE inventory, or switch the node's Inventory API to Legacy.",
		);
		expect(V3.balanceReads(sandbox())).toHaveLength(0);
	});

	it('Get Balances of the products in SUPPLIER is the same error', async () => {
		const { error } = await runOn(V3, sandbox(), { ...BY_SKU, location: locator('SUPPLIER') }, [
			{ sku: 'CAP-1' },
		]);
		expect(error?.message).toMatch(
			/^Inventory API V3 reads balances of STORE inventories only; SUPPLIER is SUPPLIER\./,
		);
		expect(V3.balanceReads(sandbox())).toHaveLength(0);
	});

	it('reads a STORE inventory page by page as its Link headers say (150 rows: 2 pages)', async () => {
		const big = await startSandbox({ catalogue: { products: 30, variantsPerProduct: 5 } });
		try {
			const org = big.organizationOf(big.catalogueApiKey!);
			const { run, output } = await runOn(
				V3,
				big,
				{ ...GET, source: 'location', returnAll: true },
				[{}],
				{ credentials: apiKeyCredentials(big, big.catalogueApiKey!) },
			);
			expect(run.status).toBe('success');
			expect(V3.balanceReads(big).map((r) => [r.path, r.query.cursor === undefined])).toEqual([
				[`/v3/stock/${org.store.uuid}`, true],
				[`/v3/stock/${org.store.uuid}`, false],
			]);
			expect(output(NODE_NAME)).toHaveLength(150);
			expect(new Set(output(NODE_NAME).map((i) => i.json.variantUuid)).size).toBe(150);
		} finally {
			await big.close();
		}
	});
});
