// Zettle's violations name the input items (issue 17.7): a 4xx whose `violations[].propertyName` points into the
// request (`changes[3].change`, `productChanges[0].variantChanges[1].change`, V3 `movements[2].change`) is said
// against the input item that carried that value, on both Inventory APIs. The node does not refuse large quantities
// itself (Zettle documents no maximum); the sandbox refuses a change above 99,999, as Zettle's own plugin observed
// (docs/reference/zettle-inventory-v3.md §3.4).

import { SEED } from '../../sandbox/seed';
import { APIS } from '../support/apis';
import { PATH } from '../support/requests';
import { NODE_NAME, OPERATION, runZettle, storeBalance, useSandbox } from '../support/zettle';

const sandbox = useSandbox();
const RESTOCK = { ...OPERATION.updateBalance, movement: 'restock' };
/** ten movements of one unit each; item 7 moves `big` */
const tenWithBig = (big: number) =>
	Array.from({ length: 10 }, (_, i) => ({
		productUuid: SEED.tshirt.productUuid,
		variantUuid: i % 2 ? SEED.tshirt.medium : SEED.tshirt.small,
		change: i === 7 ? big : 1,
	}));
const VIOLATION = /item 7: change 150000 refused by Zettle: must be at most 99999/;

describe.each(APIS)('a change Zettle refuses names its input item ($name API)', (api) => {
	it('without Continue: the error names item 7 and the violation; nothing is applied', async () => {
		const { run, error } = await runZettle(sandbox(), RESTOCK, tenWithBig(150000), {
			node: api.node,
		});
		expect(run.status).toBe('error');
		expect(error?.message).toMatch(
			/^Refused: request 1 of 1 \(items 0–9\): Zettle refused the request \(400\): item 7: change 150000 refused by Zettle: must be at most 99999/,
		);
		expect(error?.description).toMatch(
			/Not applied: items 0–9 .*: item 7: change 150000 refused by Zettle: must be at most 99999\./,
		);
		expect((error as { context?: { itemIndex?: number } })?.context?.itemIndex).toBe(7);
		expect(api.movementRequests(sandbox())).toHaveLength(1);
		expect(storeBalance(sandbox(), SEED.tshirt.small)).toBe(238);
	});

	it('with Continue: every item of the refused request is an error item that names item 7 and the violation; the other requests are applied', async () => {
		const { run, output } = await runZettle(
			sandbox(),
			{ ...RESTOCK, options: { itemsPerRequest: 5 } },
			tenWithBig(150000),
			{ node: { ...api.node, onError: 'continueErrorOutput' } },
		);
		expect(run.status).toBe('success');
		// items 0–4 in request 1 (applied); 5–9 in request 2 (refused because of item 7)
		const failed = output(NODE_NAME, 1);
		expect(failed.map((i) => i.pairedItem)).toEqual([5, 6, 7, 8, 9].map((item) => ({ item })));
		for (const f of failed) expect(f.json.error).toMatch(VIOLATION);
		expect(storeBalance(sandbox(), SEED.tshirt.small)).toBe(238 + 3);
	});

	it('99,999 is accepted: the node sets no limit of its own', async () => {
		const { run } = await runZettle(
			sandbox(),
			RESTOCK,
			[{ productUuid: SEED.tshirt.productUuid, variantUuid: SEED.tshirt.small, change: 99999 }],
			{ node: api.node },
		);
		expect(run.status).toBe('success');
		expect(storeBalance(sandbox(), SEED.tshirt.small)).toBe(238 + 99999);
	});
});

describe('legacy: violations deep in a bulk request, and in the movements of Set Stock Level', () => {
	it('productChanges[0].variantChanges[1].change is the second movement of the first product', async () => {
		const { run, error } = await runZettle(
			sandbox(),
			{ ...OPERATION.bulkUpdate, movement: 'restock', trackingStatusChange: 'NO_CHANGE' },
			[
				{ productUuid: SEED.tshirt.productUuid, variantUuid: SEED.tshirt.small, change: 1 },
				{ productUuid: SEED.cap.productUuid, variantUuid: SEED.cap.oneSize, change: 2 },
				{ productUuid: SEED.tshirt.productUuid, variantUuid: SEED.tshirt.medium, change: 250000 },
			],
		);
		expect(run.status).toBe('error');
		expect(sandbox().log('POST', PATH.bulk)[0].response).toMatchObject({
			violations: [{ propertyName: 'productChanges[0].variantChanges[1].change' }],
		});
		expect(error?.message).toMatch(
			/: item 2: change 250000 refused by Zettle: must be at most 99999/,
		);
		expect((error as { context?: { itemIndex?: number } })?.context?.itemIndex).toBe(2);
	});

	it('Set Stock Level: a target far above the balance names the item whose movement Zettle refused', async () => {
		const { run, error } = await runZettle(sandbox(), OPERATION.setStockLevel, [
			{ productUuid: SEED.tshirt.productUuid, variantUuid: SEED.tshirt.small, quantity: 240 },
			{ productUuid: SEED.tshirt.productUuid, variantUuid: SEED.tshirt.medium, quantity: 200000 },
		]);
		expect(run.status).toBe('error');
		expect(error?.message).toMatch(
			/: item 1: change 187967 refused by Zettle: must be at most 99999/,
		);
		expect(storeBalance(sandbox(), SEED.tshirt.small)).toBe(238);
	});
});
