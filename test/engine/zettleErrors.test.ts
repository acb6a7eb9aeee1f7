// Zettle's refusals, on both Inventory APIs: its error body (developerMessage, errorType, violations) surfaced
// with what to do about it.

import { SEED } from '../../sandbox/seed';
import { APIS } from '../support/apis';
import { OPERATION, runZettle, useSandbox } from '../support/zettle';

const sandbox = useSandbox();

describe.each(APIS)('Zettle refuses a request ($name API)', (api) => {
	it('a movement of an untracked product: PRODUCT_NOT_TRACKED, with how to start tracking', async () => {
		const { run, error } = await runZettle(
			sandbox(),
			{ ...OPERATION.updateBalance, movement: 'restock' },
			[{ productUuid: SEED.mug.productUuid, variantUuid: SEED.mug.white, change: 1 }],
			{ node: api.node },
		);
		expect(run.status).toBe('error');
		expect(error?.message).toMatch(
			/^Refused: request 1 of 1 \(item 0\): Zettle refused the request \(400\)\. Zettle: .*not tracked.* \[PRODUCT_NOT_TRACKED\]$/,
		);
		expect(error?.description).toMatch(
			/Start tracking the product first \(Product → Start Tracking\)/,
		);
		expect(api.movementRequests(sandbox())).toHaveLength(1);
		expect(sandbox().seedOrganization.balance(SEED.locations.STORE, SEED.mug.white)).toBe(238);
	});
});
