// Product → Stop Tracking: on the legacy API, the documented DELETE /organizations/self/inventory/products/{productUuid}
// (204), one request per product, paced, without reading the locations; never STOP_TRACKING on the bulk endpoint,
// which Zettle does not document there (docs/reference/zettle-api.md §2.2 L3, L5). A dry run only shows the requests.

import { SEED } from '../../sandbox/seed';
import { PATH, writes } from '../support/requests';
import { NODE_NAME, OPERATION, runZettle, useSandbox } from '../support/zettle';

const sandbox = useSandbox();
const org = () => sandbox().seedOrganization;
const deletePath = (productUuid: string) => `${PATH.inventory}/products/${productUuid}`;

describe('Stop Tracking', () => {
	it('given two products (one named twice), stops tracking each with one DELETE per product and nothing on the bulk endpoint', async () => {
		const { run, output } = await runZettle(sandbox(), OPERATION.stopTracking, [
			{ productUuid: SEED.tshirt.productUuid },
			{ productUuid: SEED.cap.productUuid },
			{ productUuid: SEED.tshirt.productUuid },
		]);
		expect(run.status).toBe('success');
		// tracking names no location, so the locations are not read
		expect(sandbox().log(undefined, '/organizations').map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
			`DELETE ${deletePath(SEED.tshirt.productUuid)} 204`,
			`DELETE ${deletePath(SEED.cap.productUuid)} 204`,
		]);
		expect(sandbox().log('POST', PATH.bulk)).toHaveLength(0);
		expect(org().tracked.has(SEED.tshirt.productUuid)).toBe(false);
		expect(org().tracked.has(SEED.cap.productUuid)).toBe(false);
		// a DELETE carries no correlation id
		expect(output(NODE_NAME).map((i) => [i.json, i.pairedItem])).toEqual([
			[{ productUuid: SEED.tshirt.productUuid, trackingStatusChange: 'STOP_TRACKING', externalUuid: null }, { item: 0 }],
			[{ productUuid: SEED.tshirt.productUuid, trackingStatusChange: 'STOP_TRACKING', externalUuid: null }, { item: 2 }],
			[{ productUuid: SEED.cap.productUuid, trackingStatusChange: 'STOP_TRACKING', externalUuid: null }, { item: 1 }],
		]);
	});

	it('paces the DELETEs like every other request', async () => {
		const { run } = await runZettle(sandbox(), { ...OPERATION.stopTracking, options: { requestsPerSecond: 5 } }, [
			{ productUuid: SEED.tshirt.productUuid },
			{ productUuid: SEED.cap.productUuid },
			{ productUuid: SEED.mug.productUuid },
		]);
		expect(run.status).toBe('success');
		const at = sandbox().log('DELETE').map((r) => r.at);
		expect(at).toHaveLength(3);
		// 5 per second with the 10% margin: 220 ms apart when sent (200 allowed for arrival jitter)
		for (let i = 1; i < at.length; i++) expect(at[i] - at[i - 1]).toBeGreaterThanOrEqual(200);
	});

	it('sends a DELETE again after a 500: a tracking change sets a state', async () => {
		sandbox().faults.set({ rules: [{ method: 'DELETE', nth: [1], action: 'error500' }] });
		const { run } = await runZettle(sandbox(), OPERATION.stopTracking, [{ productUuid: SEED.cap.productUuid }]);
		expect(run.status).toBe('success');
		expect(sandbox().log('DELETE').map((r) => r.status)).toEqual([500, 204]);
		expect(org().tracked.has(SEED.cap.productUuid)).toBe(false);
	}, 30_000);

	it('dry run: outputs the DELETE it would send and changes nothing', async () => {
		const { output } = await runZettle(sandbox(), { ...OPERATION.stopTracking, options: { dryRun: true } }, [{ productUuid: SEED.cap.productUuid }]);
		expect(sandbox().log(undefined, '/organizations')).toHaveLength(0);
		expect(output(NODE_NAME).map((i) => i.json)).toEqual([
			{ dryRun: true, request: 1, of: 1, method: 'DELETE', url: `${sandbox().url}${deletePath(SEED.cap.productUuid)}`, body: null, items: [0] },
		]);
		expect(org().tracked.has(SEED.cap.productUuid)).toBe(true);
		expect(writes(sandbox())).toHaveLength(0);
	});
});
