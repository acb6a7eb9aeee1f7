// Data safety under hostile answers and input (issue 11), on both Inventory APIs: failed reads under "Continue",
// answers without the documented shape, quantities that only look like numbers.

import { SEED } from '../../sandbox/seed';
import { APIS, LEGACY, literal, runOn, V3 } from '../support/apis';
import { PATH } from '../support/requests';
import { NODE_NAME, OPERATION, storeBalance, units, useSandbox } from '../support/zettle';

const sandbox = useSandbox();
const FAST = { itemsPerRequest: 1, requestsPerSecond: 100 };
const RESTOCK = { ...OPERATION.updateBalance, movement: 'restock' };
const SET = OPERATION.setStockLevel;
const CONTINUE_ERRORS = { node: { onError: 'continueErrorOutput' as const } };
const small = () => storeBalance(sandbox(), SEED.tshirt.small);
const medium = () => storeBalance(sandbox(), SEED.tshirt.medium);
const target = [
	{ productUuid: SEED.tshirt.productUuid, variantUuid: SEED.tshirt.small, quantity: 240 },
];

describe.each(APIS)(
	'every failure goes to the error output under "Continue" (defect 3) ($name API)',
	(api) => {
		it('Set Stock Level whose balance read keeps failing: every item on the error output with the reason', async () => {
			sandbox().faults.set({ rules: [{ ...api.rules.balanceRead, action: 'error500' }] });
			const items = [
				{ productUuid: SEED.tshirt.productUuid, variantUuid: SEED.tshirt.small, quantity: 240 },
				{ productUuid: SEED.tshirt.productUuid, variantUuid: SEED.tshirt.medium, quantity: 1 },
			];
			const { run, output } = await runOn(
				api,
				sandbox(),
				{ ...SET, options: { requestsPerSecond: 100, maxRetryWait: 1 } },
				items,
				CONTINUE_ERRORS,
			);
			expect(run.status).toBe('success');
			expect(output(NODE_NAME, 0)).toHaveLength(0);
			const failed = output(NODE_NAME, 1);
			expect(failed.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
			for (const item of failed)
				expect(item.json.error).toMatch(
					new RegExp(
						`Reading ${literal(api.rules.balanceRead.path!)}\\S* failed: Zettle answered 500`,
					),
				);
			// the read was sent again, as every read is, then given up
			expect(api.balanceReads(sandbox()).length).toBeGreaterThan(1);
			expect(api.movementRequests(sandbox())).toHaveLength(0);
			expect(api.writes(sandbox())).toHaveLength(0);
			expect([small(), medium()]).toEqual([238, 12033]);
		}, 60_000);

		it('Set Stock Level whose Start Tracking keeps failing: every item on the error output', async () => {
			sandbox().faults.set({ rules: [{ ...api.rules.startTracking, action: 'error500' }] });
			const items = [
				{ productUuid: SEED.mug.productUuid, variantUuid: SEED.mug.white, quantity: 240 },
			];
			const { output } = await runOn(
				api,
				sandbox(),
				{ ...SET, options: { startTracking: true, requestsPerSecond: 100, maxRetryWait: 1 } },
				items,
				CONTINUE_ERRORS,
			);
			expect(output(NODE_NAME, 0)).toHaveLength(0);
			expect(output(NODE_NAME, 1).map((i) => i.pairedItem)).toEqual([{ item: 0 }]);
			expect(output(NODE_NAME, 1)[0].json.error).toMatch(/Start tracking/i);
			// a tracking change is sent again after a 500, then given up
			expect(api.trackingRequests(sandbox()).length).toBeGreaterThan(1);
			expect(api.trackingRequests(sandbox()).every((r) => r.status === 500)).toBe(true);
			expect(api.movementRequests(sandbox())).toHaveLength(0);
			expect(sandbox().seedOrganization.tracked.has(SEED.mug.productUuid)).toBe(false);
			expect(storeBalance(sandbox(), SEED.mug.white)).toBe(238);
		}, 60_000);
	},
);

describe.each(APIS)(
	'answers without the documented shape are refused, not read as empty (defect 6) ($name API)',
	(api) => {
		it('a locations answer that is not a list says what was wrong with it', async () => {
			sandbox().faults.set({
				rules: [
					{ ...api.rules.locations, action: 'respond', status: 200, body: { locations: 'none' } },
				],
			});
			const { error } = await runOn(api, sandbox(), RESTOCK, units(1));
			expect(error?.message).toMatch(
				new RegExp(
					`Zettle's answer to GET ${literal(api.locationsPath)} is not a list of ${api.locationsNoun}`,
				),
			);
			expect(error?.message).not.toMatch(/is not a function/);
			expect(api.writes(sandbox())).toHaveLength(0);
			expect(small()).toBe(238);
		});
	},
);

describe('answers without the documented shape are refused, not read as empty (defect 6) (legacy API)', () => {
	/** The balance read is answered 200 with this body. */
	const readAnswers = (body: unknown) =>
		sandbox().faults.set({
			rules: [{ method: 'POST', path: PATH.balanceRead, action: 'respond', status: 200, body }],
		});

	it('Set Stock Level: a read without "variants" is an error, not "all balances are 0"', async () => {
		readAnswers({ locationUuid: SEED.locations.STORE, trackedProducts: [SEED.tshirt.productUuid] });
		const { run, error } = await runOn(LEGACY, sandbox(), SET, target);
		expect(run.status).toBe('error');
		expect(error?.message).toMatch(/answer .* has no "variants" list/);
		expect(LEGACY.movementRequests(sandbox())).toHaveLength(0);
		expect(small()).toBe(238);
	});

	it('Set Stock Level: a balance that is not a whole number is an error, not change: null', async () => {
		readAnswers({
			locationUuid: SEED.locations.STORE,
			trackedProducts: [SEED.tshirt.productUuid],
			variants: [
				{ productUuid: SEED.tshirt.productUuid, variantUuid: SEED.tshirt.small, balance: 'lots' },
			],
		});
		const { error } = await runOn(LEGACY, sandbox(), SET, target);
		expect(error?.message).toMatch(/balance "lots" .* is not a whole number/);
		expect(LEGACY.movementRequests(sandbox())).toHaveLength(0);
		expect(small()).toBe(238);
	});
});

describe('answers without the documented shape are refused, not read as empty (defect 6) (V3 API)', () => {
	/** The stock read is answered 200 with this body. */
	const readAnswers = (body: unknown) =>
		sandbox().faults.set({
			rules: [{ method: 'GET', path: '/v3/stock', action: 'respond', status: 200, body }],
		});

	it('Set Stock Level: a stock read that is not a list of rows is an error, not "all balances are 0"', async () => {
		readAnswers({ variants: [] });
		const { run, error } = await runOn(V3, sandbox(), SET, target);
		expect(run.status).toBe('error');
		expect(error?.message).toMatch(
			/Zettle's answer to GET \/v3\/stock\/\S+ is not a list of stock rows/,
		);
		expect(V3.movementRequests(sandbox())).toHaveLength(0);
		expect(small()).toBe(238);
	});

	it('Set Stock Level: a balance that is not a whole number is an error, not change: null', async () => {
		readAnswers([
			{
				inventoryUuid: SEED.locations.STORE,
				productUuid: SEED.tshirt.productUuid,
				variantUuid: SEED.tshirt.small,
				balance: 'lots',
			},
		]);
		const { error } = await runOn(V3, sandbox(), SET, target);
		expect(error?.message).toMatch(/balance "lots" .* is not a whole number/);
		expect(V3.movementRequests(sandbox())).toHaveLength(0);
		expect(small()).toBe(238);
	});

	it('Set Stock Level: a tracking-status answer that is not a list is an error, not "nothing is tracked"', async () => {
		sandbox().faults.set({
			rules: [
				{
					method: 'POST',
					path: '/v3/products/status',
					action: 'respond',
					status: 200,
					body: { enabled: true },
				},
			],
		});
		const { error } = await runOn(
			V3,
			sandbox(),
			{ ...SET, options: { startTracking: true } },
			target,
		);
		expect(error?.message).toMatch(/Zettle's answer to POST \/v3\/products\/status is not a list/);
		expect(V3.writes(sandbox())).toHaveLength(0);
		expect(small()).toBe(238);
	});
});

describe.each(APIS)('quantities are plain decimal integers (defect 7) ($name API)', (api) => {
	it.each([['0x10'], ['0b11'], ['1e3'], [1e21], ['9007199254740993'], ['12.0'], ['+5']])(
		'refuses the target %p before anything is sent',
		async (quantity) => {
			const { run, error } = await runOn(api, sandbox(), SET, [
				{ productUuid: SEED.tshirt.productUuid, variantUuid: SEED.tshirt.small, quantity },
			]);
			expect(run.status).toBe('error');
			expect(error?.message).toMatch(
				/^Item 0: Stock level .* (is not a whole number written in digits|is too large)/,
			);
			expect(api.movementRequests(sandbox())).toHaveLength(0);
			expect(api.writes(sandbox())).toHaveLength(0);
			expect(small()).toBe(238);
		},
	);

	it('accepts a number and digits with surrounding spaces', async () => {
		const { run } = await runOn(api, sandbox(), { ...RESTOCK, options: FAST }, [
			{ productUuid: SEED.tshirt.productUuid, variantUuid: SEED.tshirt.small, change: ' 12 ' },
			{ productUuid: SEED.tshirt.productUuid, variantUuid: SEED.tshirt.medium, change: 3 },
		]);
		expect(run.status).toBe('success');
		expect([small(), medium()]).toEqual([250, 12036]);
	});
});
