// Balance → Set Low-Stock Level (Inventory API V3 only): each variant's custom low-stock level and alert in a STORE
// inventory, set (or, with an empty level, removed) with POST /v3/custom-low-stock; on the legacy API a clear error.

import { SEED } from '../../sandbox/seed';
import { startSandbox } from '../../sandbox/server';
import { LEGACY, runOn, V3 } from '../support/apis';
import { bodies } from '../support/requests';
import { apiKeyCredentials, locator, NODE_NAME, OPERATION, useSandbox } from '../support/zettle';

const sandbox = useSandbox();
const org = () => sandbox().seedOrganization;
const SET_LOW = { ...OPERATION.setLowStock, identifyBy: 'sku' };
const levelOf = (variantUuid: string, inventoryUuid: string = SEED.locations.STORE) =>
	org().lowStockOf(inventoryUuid, variantUuid);
const sent = () => bodies<unknown[]>(sandbox(), 'POST', '/v3/custom-low-stock');

describe('Set Low-Stock Level (V3 API)', () => {
	it('sets a level by SKU in the default STORE with POST /v3/custom-low-stock (204) and outputs what was set; Get Low-Stock Levels then lists it', async () => {
		const { run, output } = await runOn(V3, sandbox(), SET_LOW, [
			{ sku: 'TSHIRT-S', lowStockLevel: 5 },
		]);
		expect(run.status).toBe('success');
		expect(sent()).toEqual([
			[
				{
					inventoryUuid: SEED.locations.STORE,
					productUuid: SEED.tshirt.productUuid,
					variantUuid: SEED.tshirt.small,
					lowStockLevel: 5,
					lowStockAlert: true,
				},
			],
		]);
		expect(
			sandbox()
				.log('POST', '/v3/custom-low-stock')
				.map((r) => r.status),
		).toEqual([204]);
		expect(levelOf(SEED.tshirt.small)).toEqual({ lowStockLevel: 5, lowStockAlert: true });
		expect(output(NODE_NAME)).toEqual([
			{
				json: {
					locationUuid: SEED.locations.STORE,
					productUuid: SEED.tshirt.productUuid,
					variantUuid: SEED.tshirt.small,
					lowStockLevel: 5,
					lowStockAlert: true,
					sku: 'TSHIRT-S',
					barcode: '7350000000017',
				},
				pairedItem: { item: 0 },
			},
		]);
		// a level is not stock: nothing moved, nothing of the legacy inventory API used
		expect(V3.movementRequests(sandbox())).toHaveLength(0);
		expect(org().balance(SEED.locations.STORE, SEED.tshirt.small)).toBe(238);
		expect(sandbox().log(undefined, '/organizations/self/inventory')).toHaveLength(0);

		const listed = await runOn(V3, sandbox(), OPERATION.getLowStock, [{}]);
		expect(
			listed
				.output(NODE_NAME)
				.map((i) => [
					i.json.variantUuid,
					i.json.balance,
					i.json.lowStockLevel,
					i.json.lowStockAlert,
				]),
		).toEqual([[SEED.tshirt.small, 238, 5, true]]);
	});

	it('removes a level given an empty level (sent as null), and takes a level of 0 as a removal too', async () => {
		org().setLowStock(SEED.locations.STORE, SEED.tshirt.small, {
			lowStockLevel: 10,
			lowStockAlert: true,
		});
		org().setLowStock(SEED.locations.STORE, SEED.cap.oneSize, {
			lowStockLevel: 2,
			lowStockAlert: true,
		});
		const { run, output } = await runOn(V3, sandbox(), SET_LOW, [
			{ sku: 'TSHIRT-S', lowStockLevel: '' },
			{ sku: 'CAP-1', lowStockLevel: 0 },
		]);
		expect(run.status).toBe('success');
		expect((sent()[0] as Array<{ lowStockLevel: unknown }>).map((r) => r.lowStockLevel)).toEqual([
			null,
			null,
		]);
		expect([levelOf(SEED.tshirt.small), levelOf(SEED.cap.oneSize)]).toEqual([
			{ lowStockLevel: null, lowStockAlert: false },
			{ lowStockLevel: null, lowStockAlert: false },
		]);
		expect(output(NODE_NAME).map((i) => [i.json.variantUuid, i.json.lowStockLevel])).toEqual([
			[SEED.tshirt.small, null],
			[SEED.cap.oneSize, null],
		]);
		expect(
			(await runOn(V3, sandbox(), OPERATION.getLowStock, [{}])).output(NODE_NAME),
		).toHaveLength(0);
	});

	it('takes the alert from its parameter, and several variants in one request', async () => {
		const { run } = await runOn(V3, sandbox(), { ...SET_LOW, lowStockAlert: false }, [
			{ sku: 'TSHIRT-S', lowStockLevel: '4' },
			{ sku: 'TSHIRT-M', lowStockLevel: 40 },
		]);
		expect(run.status).toBe('success');
		expect(sent()).toHaveLength(1);
		expect([levelOf(SEED.tshirt.small), levelOf(SEED.tshirt.medium)]).toEqual([
			{ lowStockLevel: 4, lowStockAlert: false },
			{ lowStockLevel: 40, lowStockAlert: false },
		]);
	});

	it.each([
		['a negative level', { sku: 'TSHIRT-S', lowStockLevel: -1 }, /Low-stock level -1 is negative/],
		[
			'a fractional level',
			{ sku: 'TSHIRT-S', lowStockLevel: 2.5 },
			/Low-stock level 2\.5 is not a whole number/,
		],
		[
			'a level that is not a number',
			{ sku: 'TSHIRT-S', lowStockLevel: 'few' },
			/Low-stock level "few" is not a number/,
		],
		['an unknown SKU', { sku: 'NOPE', lowStockLevel: 1 }, /SKU "NOPE" matches no variant/],
	])(
		'refuses %s before sending anything; with Continue the other items are set',
		async (_, bad, message) => {
			const items = [bad, { sku: 'CAP-1', lowStockLevel: 2 }];
			const failed = await runOn(V3, sandbox(), SET_LOW, items);
			expect(failed.run.status).toBe('error');
			expect(failed.error?.message).toMatch(/^Item 0: /);
			expect(failed.error?.message).toMatch(message);
			expect(failed.error?.description).toMatch(/^Nothing was sent to Zettle/);
			expect(sent()).toHaveLength(0);

			const { run, output } = await runOn(V3, sandbox(), SET_LOW, items, {
				node: { onError: 'continueRegularOutput' },
			});
			expect(run.status).toBe('success');
			expect(sent()).toEqual([
				[expect.objectContaining({ variantUuid: SEED.cap.oneSize, lowStockLevel: 2 })],
			]);
			expect(output(NODE_NAME).map((i) => [i.json.variantUuid ?? null, i.pairedItem])).toEqual([
				[SEED.cap.oneSize, { item: 1 }],
				[null, { item: 0 }],
			]);
			expect(output(NODE_NAME)[1].json.error).toMatch(message);
			expect([levelOf(SEED.tshirt.small), levelOf(SEED.cap.oneSize)]).toEqual([
				{ lowStockLevel: null, lowStockAlert: false },
				{ lowStockLevel: 2, lowStockAlert: true },
			]);
		},
	);

	it('dry run: outputs the request it would send and changes nothing', async () => {
		const { run, output } = await runOn(V3, sandbox(), { ...SET_LOW, options: { dryRun: true } }, [
			{ sku: 'TSHIRT-S', lowStockLevel: 5 },
			{ sku: 'CAP-1', lowStockLevel: '' },
		]);
		expect(run.status).toBe('success');
		expect(V3.writes(sandbox())).toHaveLength(0);
		expect(output(NODE_NAME).map((i) => i.json)).toEqual([
			{
				dryRun: true,
				request: 1,
				of: 1,
				method: 'POST',
				url: `${sandbox().url}/v3/custom-low-stock`,
				body: [
					{
						inventoryUuid: SEED.locations.STORE,
						productUuid: SEED.tshirt.productUuid,
						variantUuid: SEED.tshirt.small,
						lowStockLevel: 5,
						lowStockAlert: true,
					},
					{
						inventoryUuid: SEED.locations.STORE,
						productUuid: SEED.cap.productUuid,
						variantUuid: SEED.cap.oneSize,
						lowStockLevel: null,
						lowStockAlert: true,
					},
				],
				items: [0, 1],
			},
		]);
		expect(levelOf(SEED.tshirt.small)).toEqual({ lowStockLevel: null, lowStockAlert: false });
	});

	it('is sent again after a 500: a level sets a state', async () => {
		sandbox().faults.set({
			rules: [{ method: 'POST', path: '/v3/custom-low-stock', nth: [1], action: 'error500' }],
		});
		const { run } = await runOn(V3, sandbox(), SET_LOW, [{ sku: 'TSHIRT-S', lowStockLevel: 5 }]);
		expect(run.status).toBe('success');
		expect(
			sandbox()
				.log('POST', '/v3/custom-low-stock')
				.map((r) => r.status),
		).toEqual([500, 204]);
		expect(levelOf(SEED.tshirt.small)).toEqual({ lowStockLevel: 5, lowStockAlert: true });
	}, 30_000);

	it('a location that is not a STORE (BIN) is an error on its item, before anything is sent', async () => {
		const items = [
			{ sku: 'TSHIRT-S', lowStockLevel: 5, location: 'BIN' },
			{ sku: 'CAP-1', lowStockLevel: 2, location: 'STORE' },
		];
		const params = { ...SET_LOW, location: '={{ $json.location }}' };
		const failed = await runOn(V3, sandbox(), params, items);
		expect(failed.run.status).toBe('error');
		expect(failed.error?.message).toMatch(/^Item 0: .*BIN.*STORE/);
		expect(sent()).toHaveLength(0);

		const { run, output } = await runOn(V3, sandbox(), params, items, {
			node: { onError: 'continueRegularOutput' },
		});
		expect(run.status).toBe('success');
		expect(sent()).toEqual([
			[
				expect.objectContaining({
					inventoryUuid: SEED.locations.STORE,
					variantUuid: SEED.cap.oneSize,
				}),
			],
		]);
		expect(output(NODE_NAME).find((i) => i.json.error)?.pairedItem).toEqual({ item: 0 });
		expect(levelOf(SEED.cap.oneSize)).toEqual({ lowStockLevel: 2, lowStockAlert: true });
	});

	it('with two STORE inventories (the first listed is not the default): "STORE" sets the default one, a name the other', async () => {
		const two = await startSandbox({
			catalogue: { products: 1, variantsPerProduct: 1, extraStores: 1 },
		});
		try {
			const catalogue = two.organizationOf(two.catalogueApiKey!);
			const [extra, main] = catalogue.locations;
			const [variant] = [...catalogue.products.values()][0].variants;
			const credentials = apiKeyCredentials(two, two.catalogueApiKey!);
			await runOn(
				V3,
				two,
				{ ...SET_LOW, location: locator('STORE') },
				[{ sku: variant.sku, lowStockLevel: 6 }],
				{ credentials },
			);
			await runOn(
				V3,
				two,
				{ ...SET_LOW, location: locator('Store 2') },
				[{ sku: variant.sku, lowStockLevel: 8 }],
				{ credentials },
			);
			expect([
				catalogue.lowStockOf(main.uuid, variant.uuid).lowStockLevel,
				catalogue.lowStockOf(extra.uuid, variant.uuid).lowStockLevel,
			]).toEqual([6, 8]);
		} finally {
			await two.close();
		}
	});
});

describe('Set Low-Stock Level (legacy API)', () => {
	it('is refused with an error that says to switch to Inventory API V3; nothing is sent', async () => {
		const { run, error } = await runOn(LEGACY, sandbox(), SET_LOW, [
			{ sku: 'TSHIRT-S', lowStockLevel: 5 },
		]);
		expect(run.status).toBe('error');
		expect(error?.message).toBe(
			"Low-stock levels need Zettle's Inventory API V3: set the node's Inventory API to V3. Nothing was sent.",
		);
		expect(sandbox().log(undefined, '/v3/')).toHaveLength(0);
		expect(LEGACY.writes(sandbox())).toHaveLength(0);
		expect(levelOf(SEED.tshirt.small)).toEqual({ lowStockLevel: null, lowStockAlert: false });
	});

	it('is refused in a dry run too (it shows no request the legacy API could not carry)', async () => {
		const { run, error } = await runOn(
			LEGACY,
			sandbox(),
			{ ...SET_LOW, options: { dryRun: true } },
			[{ sku: 'TSHIRT-S', lowStockLevel: 5 }],
		);
		expect(run.status).toBe('error');
		expect(error?.message).toMatch(/^Low-stock levels need Zettle's Inventory API V3/);
	});
});
