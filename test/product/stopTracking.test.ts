// Product → Stop Tracking: STOP_TRACKING in one bulk request, without reading the locations; a dry run only shows that request.

import { SEED } from '../../sandbox/seed';
import { bodies, BulkBody, PATH, writes } from '../support/requests';
import { NODE_NAME, OPERATION, runZettle, useSandbox } from '../support/zettle';

const sandbox = useSandbox();
const org = () => sandbox().seedOrganization;

describe('Stop Tracking', () => {
	it('given a product UUID, stops tracking it with one request in all', async () => {
		const { run } = await runZettle(sandbox(), OPERATION.stopTracking, [{ productUuid: SEED.tshirt.productUuid }]);
		expect(run.status).toBe('success');
		expect(writes(sandbox())).toHaveLength(1);
		expect(bodies<BulkBody>(sandbox(), 'POST', PATH.bulk)[0].productChanges).toEqual([
			{ productUuid: SEED.tshirt.productUuid, trackingStatusChange: 'STOP_TRACKING', variantChanges: [] },
		]);
		expect(org().tracked.has(SEED.tshirt.productUuid)).toBe(false);
		// one request in all: tracking names no location, so the locations are not read
		expect(sandbox().log(undefined, '/organizations').map((r) => `${r.method} ${r.path}`)).toEqual([`POST ${PATH.bulk}`]);
	});

	it('dry run: outputs the tracking request and changes nothing', async () => {
		const { output } = await runZettle(sandbox(), { ...OPERATION.stopTracking, options: { dryRun: true } }, [{ productUuid: SEED.cap.productUuid }]);
		expect(sandbox().log(undefined, '/organizations')).toHaveLength(0);
		expect(output(NODE_NAME)[0].json).toMatchObject({
			dryRun: true,
			method: 'POST',
			body: { productChanges: [{ productUuid: SEED.cap.productUuid, trackingStatusChange: 'STOP_TRACKING', variantChanges: [] }] },
		});
		expect(org().tracked.has(SEED.cap.productUuid)).toBe(true);
	});
});
