// Balance → Get Many (Get Balances): the balances of a location, or of products named by SKU, as numbers, with library details when asked.

import { SEED } from '../../sandbox/seed';
import { BalanceReadBody, bodies, PATH } from '../support/requests';
import { NODE_NAME, OPERATION, runZettle, useSandbox } from '../support/zettle';

const sandbox = useSandbox();
const GET = OPERATION.getBalances;

describe('Get Balances', () => {
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
		sandbox().seedOrganization.setBalance(SEED.locations.STORE, SEED.cap.oneSize, 0);
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
		expect(sandbox().log('POST', PATH.balanceRead)).toHaveLength(1);
		expect(bodies<BalanceReadBody>(sandbox(), 'POST', PATH.balanceRead)).toEqual([
			{ locationType: 'STORE', productUuids: [SEED.tshirt.productUuid, SEED.cap.productUuid, SEED.mug.productUuid] },
		]);
		const items = output(NODE_NAME);
		// a SKU names a variant; the balances are those of its whole product
		expect(items.filter((i) => i.pairedItem && (i.pairedItem as { item: number }).item === 0).map((i) => i.json.variantUuid)).toEqual([SEED.tshirt.small, SEED.tshirt.medium]);
		expect(items.find((i) => i.json.variantUuid === SEED.cap.oneSize)?.pairedItem).toEqual({ item: 1 });
		expect(items.at(-1)?.json.error).toMatch(`Product ${SEED.mug.productUuid} is not tracked`);
	});

	it('finds the untracked product when Zettle refuses a read naming it (400 PRODUCT_NOT_TRACKED), reading the others in smaller batches', async () => {
		sandbox().faults.set({ untrackedReads: 'error' });
		const { run, output } = await runZettle(
			sandbox(),
			{ ...GET, source: 'products', identifyBy: 'sku', returnAll: true },
			[{ sku: 'TSHIRT-M' }, { sku: 'CAP-1' }, { sku: 'MUG-WHITE' }],
			{ node: { onError: 'continueRegularOutput' } },
		);
		expect(run.status).toBe('success');
		// [all three] refused → [T-shirt, cap] read → [mug] refused
		expect(sandbox().log('POST', PATH.balanceRead).map((r) => [(r.body as BalanceReadBody).productUuids.length, r.status])).toEqual([
			[3, 400],
			[2, 200],
			[1, 400],
		]);
		const items = output(NODE_NAME);
		expect(items.filter((i) => !i.json.error).map((i) => [i.json.variantUuid, i.json.balance])).toEqual([
			[SEED.tshirt.small, 238],
			[SEED.tshirt.medium, 12033],
			[SEED.cap.oneSize, 5],
		]);
		expect(items.at(-1)?.json.error).toMatch(`Product ${SEED.mug.productUuid} is not tracked`);
	});
});
