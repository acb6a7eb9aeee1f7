// Data safety under hostile answers and input (issue 11): failed reads under "Continue", answers without the documented shape, quantities that only look like numbers.

import { SEED } from '../../sandbox/seed';
import { PATH } from '../support/requests';
import { NODE_NAME, OPERATION, runZettle, storeBalance, units, useSandbox } from '../support/zettle';

const sandbox = useSandbox();
const FAST = { itemsPerRequest: 1, requestsPerSecond: 100 };
const RESTOCK = { ...OPERATION.updateBalance, movement: 'restock' };
const SET = OPERATION.setStockLevel;
const CONTINUE_ERRORS = { node: { onError: 'continueErrorOutput' as const } };
const small = () => storeBalance(sandbox(), SEED.tshirt.small);
const medium = () => storeBalance(sandbox(), SEED.tshirt.medium);
const puts = () => sandbox().log('PUT', PATH.inventory);

describe('every failure goes to the error output under "Continue" (defect 3)', () => {
	it('Set Stock Level whose balance read keeps failing: every item on the error output with the reason', async () => {
		sandbox().faults.set({ rules: [{ method: 'POST', path: PATH.balanceRead, action: 'error500' }] });
		const items = [
			{ productUuid: SEED.tshirt.productUuid, variantUuid: SEED.tshirt.small, quantity: 240 },
			{ productUuid: SEED.tshirt.productUuid, variantUuid: SEED.tshirt.medium, quantity: 1 },
		];
		const { run, output } = await runZettle(sandbox(), { ...SET, options: { requestsPerSecond: 100, maxRetryWait: 1 } }, items, CONTINUE_ERRORS);
		expect(run.status).toBe('success');
		expect(output(NODE_NAME, 0)).toHaveLength(0);
		const failed = output(NODE_NAME, 1);
		expect(failed.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		for (const item of failed) expect(item.json.error).toMatch(/Reading \/organizations\/self\/inventory\/products failed: Zettle answered 500/);
		expect(puts()).toHaveLength(0);
	}, 60_000);

	it('Set Stock Level whose Start Tracking keeps failing: every item on the error output', async () => {
		sandbox().faults.set({ rules: [{ method: 'POST', path: PATH.bulk, action: 'error500' }] });
		const items = [{ productUuid: SEED.mug.productUuid, variantUuid: SEED.mug.white, quantity: 240 }];
		const { output } = await runZettle(sandbox(), { ...SET, options: { startTracking: true, requestsPerSecond: 100 } }, items, CONTINUE_ERRORS);
		expect(output(NODE_NAME, 0)).toHaveLength(0);
		expect(output(NODE_NAME, 1).map((i) => i.pairedItem)).toEqual([{ item: 0 }]);
		expect(output(NODE_NAME, 1)[0].json.error).toMatch(/Start tracking/i);
		expect(puts()).toHaveLength(0);
	}, 60_000);
});

describe('answers without the documented shape are refused, not read as empty (defect 6)', () => {
	/** The balance read is answered 200 with this body. */
	const readAnswers = (body: unknown) => sandbox().faults.set({ rules: [{ method: 'POST', path: PATH.balanceRead, action: 'respond', status: 200, body }] });
	const target = [{ productUuid: SEED.tshirt.productUuid, variantUuid: SEED.tshirt.small, quantity: 240 }];

	it('Set Stock Level: a read without "variants" is an error, not "all balances are 0"', async () => {
		readAnswers({ locationUuid: SEED.locations.STORE, trackedProducts: [SEED.tshirt.productUuid] });
		const { run, error } = await runZettle(sandbox(), SET, target);
		expect(run.status).toBe('error');
		expect(error?.message).toMatch(/answer .* has no "variants" list/);
		expect(puts()).toHaveLength(0);
		expect(small()).toBe(238);
	});

	it('Set Stock Level: a balance that is not a whole number is an error, not change: null', async () => {
		readAnswers({ locationUuid: SEED.locations.STORE, trackedProducts: [SEED.tshirt.productUuid], variants: [{ productUuid: SEED.tshirt.productUuid, variantUuid: SEED.tshirt.small, balance: 'lots' }] });
		const { error } = await runZettle(sandbox(), SET, target);
		expect(error?.message).toMatch(/balance "lots" .* is not a whole number/);
		expect(puts()).toHaveLength(0);
	});

	it('a locations answer that is not a list says what was wrong with it', async () => {
		sandbox().faults.set({ rules: [{ method: 'GET', path: PATH.locations, action: 'respond', status: 200, body: { locations: 'none' } }] });
		const { error } = await runZettle(sandbox(), RESTOCK, units(1));
		expect(error?.message).toMatch(/Zettle's answer to GET \/organizations\/self\/locations is not a list of locations/);
		expect(error?.message).not.toMatch(/is not a function/);
	});
});

describe('quantities are plain decimal integers (defect 7)', () => {
	it.each([['0x10'], ['0b11'], ['1e3'], [1e21], ['9007199254740993'], ['12.0'], ['+5']])('refuses the target %p before anything is sent', async (quantity) => {
		const { run, error } = await runZettle(sandbox(), SET, [{ productUuid: SEED.tshirt.productUuid, variantUuid: SEED.tshirt.small, quantity }]);
		expect(run.status).toBe('error');
		expect(error?.message).toMatch(/^Item 0: Stock level .* (is not a whole number written in digits|is too large)/);
		expect(puts()).toHaveLength(0);
		expect(small()).toBe(238);
	});

	it('accepts a number and digits with surrounding spaces', async () => {
		const { run } = await runZettle(sandbox(), { ...RESTOCK, options: FAST }, [
			{ productUuid: SEED.tshirt.productUuid, variantUuid: SEED.tshirt.small, change: ' 12 ' },
			{ productUuid: SEED.tshirt.productUuid, variantUuid: SEED.tshirt.medium, change: 3 },
		]);
		expect(run.status).toBe('success');
		expect([small(), medium()]).toEqual([250, 12036]);
	});
});
