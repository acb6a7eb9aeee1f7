// Product → Stop Tracking, on both Inventory APIs. Legacy: the documented DELETE
// /organizations/self/inventory/products/{productUuid} (204), one request per product, paced, without reading the
// locations; never STOP_TRACKING on the bulk endpoint, which Zettle does not document there
// (docs/reference/zettle-api.md §2.2 L3, L5). V3: POST /v3/products with "disable", many products a request. A dry
// run only shows the requests.

import { SEED } from '../../sandbox/seed';
import { APIS, LEGACY, runOn, trackingChange, V3 } from '../support/apis';
import { PATH, writes } from '../support/requests';
import { NODE_NAME, OPERATION, storeBalance, useSandbox } from '../support/zettle';

const sandbox = useSandbox();
const org = () => sandbox().seedOrganization;
const deletePath = (productUuid: string) => `${PATH.inventory}/products/${productUuid}`;
const TWO_PRODUCTS = [
	{ productUuid: SEED.tshirt.productUuid },
	{ productUuid: SEED.cap.productUuid },
	{ productUuid: SEED.tshirt.productUuid },
];

describe.each(APIS)('Stop Tracking ($name API)', (api) => {
	it('given two products (one named twice), stops tracking each once, keeps their balances, and outputs every item without a correlation id', async () => {
		const { run, output } = await runOn(api, sandbox(), OPERATION.stopTracking, TWO_PRODUCTS);
		expect(run.status).toBe('success');
		const tshirtStopped = trackingChange(SEED.tshirt.productUuid, 'STOP_TRACKING');
		const capStopped = trackingChange(SEED.cap.productUuid, 'STOP_TRACKING');
		expect(api.trackingSent(sandbox())).toEqual([tshirtStopped, capStopped]);
		// tracking names no location, so the locations are not read: the tracking requests are all there is
		expect(api.requests(sandbox())).toEqual(api.trackingRequests(sandbox()));
		expect(api.trackingRequests(sandbox()).every((r) => r.status === api.trackingStatus.stop)).toBe(
			true,
		);
		expect(org().tracked.has(SEED.tshirt.productUuid)).toBe(false);
		expect(org().tracked.has(SEED.cap.productUuid)).toBe(false);
		expect([
			storeBalance(sandbox(), SEED.tshirt.small),
			storeBalance(sandbox(), SEED.cap.oneSize),
		]).toEqual([238, 5]);
		expect(output(NODE_NAME).map((i) => [i.json, i.pairedItem])).toEqual([
			[tshirtStopped, { item: 0 }],
			[tshirtStopped, { item: 2 }],
			[capStopped, { item: 1 }],
		]);
	});

	it('paces its requests like every other request (one product a request)', async () => {
		const { run } = await runOn(
			api,
			sandbox(),
			{ ...OPERATION.stopTracking, options: { requestsPerSecond: 5, itemsPerRequest: 1 } },
			[
				{ productUuid: SEED.tshirt.productUuid },
				{ productUuid: SEED.cap.productUuid },
				{ productUuid: SEED.mug.productUuid },
			],
		);
		expect(run.status).toBe('success');
		const at = api.trackingRequests(sandbox()).map((r) => r.at);
		expect(at).toHaveLength(3);
		// 5 per second with the 10% margin: 220 ms apart when sent (200 allowed for arrival jitter)
		for (let i = 1; i < at.length; i++) expect(at[i] - at[i - 1]).toBeGreaterThanOrEqual(200);
	});

	it('is sent again after a 500: a tracking change sets a state', async () => {
		sandbox().faults.set({ rules: [{ ...api.rules.stopTracking, nth: [1], action: 'error500' }] });
		const { run } = await runOn(api, sandbox(), OPERATION.stopTracking, [
			{ productUuid: SEED.cap.productUuid },
		]);
		expect(run.status).toBe('success');
		expect(api.trackingRequests(sandbox()).map((r) => r.status)).toEqual([
			500,
			api.trackingStatus.stop,
		]);
		expect(org().tracked.has(SEED.cap.productUuid)).toBe(false);
		expect(storeBalance(sandbox(), SEED.cap.oneSize)).toBe(5);
	}, 30_000);

	it('dry run: outputs the request it would send and changes nothing', async () => {
		const { output } = await runOn(
			api,
			sandbox(),
			{ ...OPERATION.stopTracking, options: { dryRun: true } },
			[{ productUuid: SEED.cap.productUuid }],
		);
		expect(api.requests(sandbox())).toHaveLength(0);
		expect(output(NODE_NAME).map((i) => i.json)).toEqual([
			expect.objectContaining({ dryRun: true, request: 1, of: 1, items: [0] }),
		]);
		expect(org().tracked.has(SEED.cap.productUuid)).toBe(true);
		expect(api.writes(sandbox())).toHaveLength(0);
	});
});

describe('Stop Tracking (legacy API)', () => {
	it('sends one DELETE per product and nothing on the bulk endpoint', async () => {
		const { run } = await runOn(LEGACY, sandbox(), OPERATION.stopTracking, TWO_PRODUCTS);
		expect(run.status).toBe('success');
		expect(
			sandbox()
				.log(undefined, '/organizations')
				.map((r) => `${r.method} ${r.path} ${r.status}`),
		).toEqual([
			`DELETE ${deletePath(SEED.tshirt.productUuid)} 204`,
			`DELETE ${deletePath(SEED.cap.productUuid)} 204`,
		]);
		expect(sandbox().log('POST', PATH.bulk)).toHaveLength(0);
	});

	it('paces the DELETEs like every other request', async () => {
		const { run } = await runOn(
			LEGACY,
			sandbox(),
			{ ...OPERATION.stopTracking, options: { requestsPerSecond: 5 } },
			[
				{ productUuid: SEED.tshirt.productUuid },
				{ productUuid: SEED.cap.productUuid },
				{ productUuid: SEED.mug.productUuid },
			],
		);
		expect(run.status).toBe('success');
		const at = sandbox()
			.log('DELETE')
			.map((r) => r.at);
		expect(at).toHaveLength(3);
		for (let i = 1; i < at.length; i++) expect(at[i] - at[i - 1]).toBeGreaterThanOrEqual(200);
	});

	it('dry run: outputs the DELETE it would send', async () => {
		const { output } = await runOn(
			LEGACY,
			sandbox(),
			{ ...OPERATION.stopTracking, options: { dryRun: true } },
			[{ productUuid: SEED.cap.productUuid }],
		);
		expect(sandbox().log(undefined, '/organizations')).toHaveLength(0);
		expect(output(NODE_NAME).map((i) => i.json)).toEqual([
			{
				dryRun: true,
				request: 1,
				of: 1,
				method: 'DELETE',
				url: `${sandbox().url}${deletePath(SEED.cap.productUuid)}`,
				body: null,
				items: [0],
			},
		]);
		expect(writes(sandbox())).toHaveLength(0);
	});
});

describe('Stop Tracking (V3 API)', () => {
	it('sends one POST /v3/products with "disable" for every product (204)', async () => {
		await runOn(V3, sandbox(), OPERATION.stopTracking, TWO_PRODUCTS);
		expect(V3.requests(sandbox()).map((r) => [r.method, r.path, r.status, r.body])).toEqual([
			[
				'POST',
				'/v3/products',
				204,
				[
					{ productUuid: SEED.tshirt.productUuid, tracking: 'disable' },
					{ productUuid: SEED.cap.productUuid, tracking: 'disable' },
				],
			],
		]);
		expect(sandbox().log(undefined, '/organizations')).toHaveLength(0);
	});

	it('dry run: outputs the POST /v3/products it would send', async () => {
		const { output } = await runOn(
			V3,
			sandbox(),
			{ ...OPERATION.stopTracking, options: { dryRun: true } },
			[{ productUuid: SEED.cap.productUuid }],
		);
		expect(output(NODE_NAME).map((i) => i.json)).toEqual([
			{
				dryRun: true,
				request: 1,
				of: 1,
				method: 'POST',
				url: `${sandbox().url}/v3/products`,
				body: [{ productUuid: SEED.cap.productUuid, tracking: 'disable' }],
				items: [0],
			},
		]);
	});
});
