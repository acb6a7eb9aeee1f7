// Balance → Get Low-Stock Levels (Inventory API V3 only): the variants of a STORE inventory with a custom low-stock
// level or alert, with their balance, read through GET /v3/stock/{inventory}; on the legacy API a clear error.

import { SEED } from '../../sandbox/seed';
import { startSandbox } from '../../sandbox/server';
import { LEGACY, runOn, V3 } from '../support/apis';
import { apiKeyCredentials, locator, NODE_NAME, OPERATION, useSandbox } from '../support/zettle';

const sandbox = useSandbox();
const org = () => sandbox().seedOrganization;
const GET_LOW = OPERATION.getLowStock;
const row = (
	productUuid: string,
	variantUuid: string,
	balance: number,
	lowStockLevel: number | null,
	lowStockAlert: boolean,
) => ({
	locationUuid: SEED.locations.STORE,
	locationType: 'STORE',
	productUuid,
	variantUuid,
	balance,
	lowStockLevel,
	lowStockAlert,
});

describe('Get Low-Stock Levels (V3 API)', () => {
	beforeEach(() => {
		org().setLowStock(SEED.locations.STORE, SEED.tshirt.small, {
			lowStockLevel: 10,
			lowStockAlert: true,
		});
		org().setLowStock(SEED.locations.STORE, SEED.cap.oneSize, {
			lowStockLevel: 3,
			lowStockAlert: false,
		});
	});

	it('outputs the variants of the default STORE that have a custom level, with their balance, from one stock read', async () => {
		const { run, output } = await runOn(V3, sandbox(), GET_LOW, [{}]);
		expect(run.status).toBe('success');
		expect(output(NODE_NAME)).toEqual([
			{
				json: row(SEED.tshirt.productUuid, SEED.tshirt.small, 238, 10, true),
				pairedItem: { item: 0 },
			},
			{ json: row(SEED.cap.productUuid, SEED.cap.oneSize, 5, 3, false), pairedItem: { item: 0 } },
		]);
		expect(V3.balanceReads(sandbox()).map((r) => r.path)).toEqual([
			`/v3/stock/${SEED.locations.STORE}`,
		]);
		expect(V3.writes(sandbox())).toHaveLength(0);
		expect(sandbox().log(undefined, '/organizations')).toHaveLength(0);
	});

	it('lists a variant with a level and no stock (balance 0), and none without a level', async () => {
		org().setBalance(SEED.locations.STORE, SEED.cap.oneSize, 0);
		const { output } = await runOn(V3, sandbox(), GET_LOW, [{}]);
		expect(
			output(NODE_NAME).map((i) => [i.json.variantUuid, i.json.balance, i.json.lowStockLevel]),
		).toEqual([
			[SEED.tshirt.small, 238, 10],
			[SEED.cap.oneSize, 0, 3],
		]);
	});

	it('reads each inventory once however many items ask for it, and outputs its rows for each item', async () => {
		const { output } = await runOn(
			V3,
			sandbox(),
			{ ...GET_LOW, location: '={{ $json.location }}' },
			[{ location: 'STORE' }, { location: SEED.locations.STORE }],
		);
		expect(output(NODE_NAME).map((i) => [i.json.variantUuid, i.pairedItem])).toEqual([
			[SEED.tshirt.small, { item: 0 }],
			[SEED.cap.oneSize, { item: 0 }],
			[SEED.tshirt.small, { item: 1 }],
			[SEED.cap.oneSize, { item: 1 }],
		]);
		expect(V3.balanceReads(sandbox())).toHaveLength(1);
	});

	it('outputs nothing when no variant has a level', async () => {
		org().setLowStock(SEED.locations.STORE, SEED.tshirt.small, {
			lowStockLevel: null,
			lowStockAlert: false,
		});
		org().setLowStock(SEED.locations.STORE, SEED.cap.oneSize, {
			lowStockLevel: null,
			lowStockAlert: false,
		});
		const { run, output } = await runOn(V3, sandbox(), GET_LOW, [{}]);
		expect(run.status).toBe('success');
		expect(output(NODE_NAME)).toHaveLength(0);
	});

	it('a location that is not a STORE (BIN) is an error that says so; nothing is read', async () => {
		const { run, error } = await runOn(V3, sandbox(), { ...GET_LOW, location: locator('BIN') }, [
			{},
		]);
		expect(run.status).toBe('error');
		expect(error?.message).toMatch(
			/^Inventory API V3 reads balances of STORE inventories only; BIN is BIN\./,
		);
		expect(V3.balanceReads(sandbox())).toHaveLength(0);
	});

	it('an unknown location is an error on its item; with Continue the other items are read', async () => {
		const params = { ...GET_LOW, location: '={{ $json.location }}' };
		const items = [{ location: 'WAREHOUSE' }, { location: 'STORE' }];
		const failed = await runOn(V3, sandbox(), params, items);
		expect(failed.run.status).toBe('error');
		expect(failed.error?.message).toMatch(
			/^Item 0: Location "WAREHOUSE" is neither a UUID nor a location type or name/,
		);
		expect(failed.error?.description).toMatch(/^Nothing was read\./);
		expect(V3.balanceReads(sandbox())).toHaveLength(0);

		const { run, output } = await runOn(V3, sandbox(), params, items, {
			node: { onError: 'continueRegularOutput' },
		});
		expect(run.status).toBe('success');
		const out = output(NODE_NAME);
		expect(out.filter((i) => !i.json.error).map((i) => [i.json.variantUuid, i.pairedItem])).toEqual(
			[
				[SEED.tshirt.small, { item: 1 }],
				[SEED.cap.oneSize, { item: 1 }],
			],
		);
		expect(out.at(-1)?.json.error).toMatch(/^Not read: Location "WAREHOUSE"/);
		expect(out.at(-1)?.pairedItem).toEqual({ item: 0 });
	});

	it('with two STORE inventories (the first listed is not the default): "STORE" reads the default one, a name the other', async () => {
		const two = await startSandbox({
			catalogue: { products: 1, variantsPerProduct: 2, extraStores: 1 },
		});
		try {
			const catalogue = two.organizationOf(two.catalogueApiKey!);
			const [extra, main] = catalogue.locations;
			const [a, b] = [...catalogue.products.values()][0].variants;
			catalogue.setLowStock(main.uuid, a.uuid, { lowStockLevel: 20, lowStockAlert: true });
			catalogue.setLowStock(extra.uuid, b.uuid, { lowStockLevel: 4, lowStockAlert: true });
			const credentials = apiKeyCredentials(two, two.catalogueApiKey!);
			const read = async (location: string) =>
				(await runOn(V3, two, { ...GET_LOW, location: locator(location) }, [{}], { credentials }))
					.output(NODE_NAME)
					.map((i) => [
						i.json.locationUuid,
						i.json.variantUuid,
						i.json.balance,
						i.json.lowStockLevel,
					]);
			expect(await read('STORE')).toEqual([[main.uuid, a.uuid, 100, 20]]);
			expect(await read('Store 2')).toEqual([[extra.uuid, b.uuid, 0, 4]]);
		} finally {
			await two.close();
		}
	});

	it('finds levels on every page of a large inventory (150 rows: 2 pages)', async () => {
		const big = await startSandbox({ catalogue: { products: 30, variantsPerProduct: 5 } });
		try {
			const catalogue = big.organizationOf(big.catalogueApiKey!);
			const variants = [...catalogue.products.values()].flatMap((p) => p.variants);
			catalogue.setLowStock(catalogue.store.uuid, variants[3].uuid, {
				lowStockLevel: 7,
				lowStockAlert: true,
			});
			catalogue.setLowStock(catalogue.store.uuid, variants[140].uuid, {
				lowStockLevel: 9,
				lowStockAlert: false,
			});
			const { output } = await runOn(V3, big, GET_LOW, [{}], {
				credentials: apiKeyCredentials(big, big.catalogueApiKey!),
			});
			expect(output(NODE_NAME).map((i) => [i.json.variantUuid, i.json.lowStockLevel])).toEqual([
				[variants[3].uuid, 7],
				[variants[140].uuid, 9],
			]);
			expect(V3.balanceReads(big)).toHaveLength(2);
		} finally {
			await big.close();
		}
	});
});

describe('Get Low-Stock Levels (legacy API)', () => {
	it('is refused with an error that says to switch to Inventory API V3; nothing is read but the locations', async () => {
		org().setLowStock(SEED.locations.STORE, SEED.tshirt.small, {
			lowStockLevel: 10,
			lowStockAlert: true,
		});
		const { run, error } = await runOn(LEGACY, sandbox(), GET_LOW, [{}]);
		expect(run.status).toBe('error');
		expect(error?.message).toBe(
			"Low-stock levels need Zettle's Inventory API V3: set the node's Inventory API to V3. Nothing was sent.",
		);
		expect(sandbox().log(undefined, '/v3/')).toHaveLength(0);
		expect(LEGACY.requests(sandbox()).map((r) => `${r.method} ${r.path}`)).toEqual([
			`GET ${LEGACY.locationsPath}`,
		]);
	});
});
