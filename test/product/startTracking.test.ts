// Product → Start Tracking: products named by UUID, SKU or barcode get START_TRACKING in one bulk request; Zettle restores their kept balances.

import { SEED } from '../../sandbox/seed';
import { bodies, BulkBody, PATH, writes } from '../support/requests';
import { NODE_NAME, OPERATION, runZettle, useSandbox } from '../support/zettle';

const sandbox = useSandbox();
const org = () => sandbox().seedOrganization;

describe('Start Tracking', () => {
	it('given two barcodes of one untracked product, starts tracking it in one bulk request and restores its kept balances', async () => {
		const { run, output } = await runZettle(sandbox(), { ...OPERATION.startTracking, identifyBy: 'barcode' }, [{ barcode: '7350000000031' }, { barcode: 7350000000048 }]);
		expect(run.status).toBe('success');
		const [bulk] = writes(sandbox());
		expect(bulk.path).toBe(PATH.bulk);
		const [body] = bodies<BulkBody>(sandbox(), 'POST', PATH.bulk);
		expect(body).toEqual({
			productChanges: [{ productUuid: SEED.mug.productUuid, trackingStatusChange: 'START_TRACKING', variantChanges: [] }],
			externalUuid: expect.any(String),
		});
		expect(org().tracked.has(SEED.mug.productUuid)).toBe(true);
		expect(output(NODE_NAME).map((i) => i.json)).toEqual([
			{ productUuid: SEED.mug.productUuid, trackingStatusChange: 'START_TRACKING', externalUuid: body.externalUuid },
			{ productUuid: SEED.mug.productUuid, trackingStatusChange: 'START_TRACKING', externalUuid: body.externalUuid },
		]);
		expect(org().balancesIn(SEED.locations.STORE, [SEED.mug.productUuid]).map((r) => r.balance)).toEqual([238, 12033]);
	});

	it('is sent again after a 500: a tracking change is safe to repeat (issue 11)', async () => {
		sandbox().faults.set({ rules: [{ method: 'POST', path: PATH.bulk, nth: [1], action: 'error500' }] });
		const { run } = await runZettle(sandbox(), OPERATION.startTracking, [{ productUuid: SEED.mug.productUuid }]);
		expect(run.status).toBe('success');
		expect(org().tracked.has(SEED.mug.productUuid)).toBe(true);
	}, 30_000);
});
