// Product → Start Tracking, on both Inventory APIs: products named by UUID, SKU or barcode are started in one
// request (legacy: START_TRACKING on the bulk endpoint; V3: POST /v3/products with "enable"); Zettle restores their
// kept balances.

import { SEED } from '../../sandbox/seed';
import { APIS, LEGACY, runOn, trackingChange, UUID_V1, V3 } from '../support/apis';
import { bodies, BulkBody, PATH, writes } from '../support/requests';
import { NODE_NAME, OPERATION, useSandbox } from '../support/zettle';

const sandbox = useSandbox();
const org = () => sandbox().seedOrganization;

describe.each(APIS)('Start Tracking ($name API)', (api) => {
	it('given two barcodes of one untracked product, starts tracking it in one request and restores its kept balances', async () => {
		const { run, output } = await runOn(
			api,
			sandbox(),
			{ ...OPERATION.startTracking, identifyBy: 'barcode' },
			[{ barcode: '7350000000031' }, { barcode: 7350000000048 }],
		);
		expect(run.status).toBe('success');
		expect(api.writes(sandbox())).toHaveLength(1);
		const sent = api.trackingSent(sandbox());
		// legacy: the bulk request's v1 externalUuid; V3's tracking request has no correlation id
		expect(sent).toEqual([
			trackingChange(
				SEED.mug.productUuid,
				'START_TRACKING',
				api === LEGACY ? expect.stringMatching(UUID_V1) : null,
			),
		]);
		expect(org().tracked.has(SEED.mug.productUuid)).toBe(true);
		const started = trackingChange(SEED.mug.productUuid, 'START_TRACKING', sent[0].externalUuid);
		expect(output(NODE_NAME).map((i) => [i.json, i.pairedItem])).toEqual([
			[started, { item: 0 }],
			[started, { item: 1 }],
		]);
		expect(
			org()
				.balancesIn(SEED.locations.STORE, [SEED.mug.productUuid])
				.map((r) => r.balance),
		).toEqual([238, 12033]);
		// tracking names no location: the locations are not read
		expect(sandbox().log('GET', api.locationsPath)).toHaveLength(0);
	});

	it('is sent again after a 500: a tracking change is safe to repeat (issue 11)', async () => {
		sandbox().faults.set({ rules: [{ ...api.rules.startTracking, nth: [1], action: 'error500' }] });
		const { run } = await runOn(api, sandbox(), OPERATION.startTracking, [
			{ productUuid: SEED.mug.productUuid },
		]);
		expect(run.status).toBe('success');
		expect(api.trackingRequests(sandbox()).map((r) => r.status)).toEqual([
			500,
			api.trackingStatus.start,
		]);
		expect(org().tracked.has(SEED.mug.productUuid)).toBe(true);
		expect(
			org()
				.balancesIn(SEED.locations.STORE, [SEED.mug.productUuid])
				.map((r) => r.balance),
		).toEqual([238, 12033]);
	}, 30_000);

	it('starts several products in one request, each product once', async () => {
		org().tracked.delete(SEED.cap.productUuid);
		const { run, output } = await runOn(api, sandbox(), OPERATION.startTracking, [
			{ productUuid: SEED.mug.productUuid },
			{ productUuid: SEED.cap.productUuid },
			{ productUuid: SEED.mug.productUuid },
		]);
		expect(run.status).toBe('success');
		expect(api.trackingRequests(sandbox())).toHaveLength(1);
		expect(api.trackingSent(sandbox()).map((t) => t.productUuid)).toEqual([
			SEED.mug.productUuid,
			SEED.cap.productUuid,
		]);
		expect([
			org().tracked.has(SEED.mug.productUuid),
			org().tracked.has(SEED.cap.productUuid),
		]).toEqual([true, true]);
		expect(output(NODE_NAME).map((i) => i.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 2 },
			{ item: 1 },
		]);
	});

	it('dry run: outputs the request it would send and changes nothing', async () => {
		const { output } = await runOn(
			api,
			sandbox(),
			{ ...OPERATION.startTracking, options: { dryRun: true } },
			[{ productUuid: SEED.mug.productUuid }],
		);
		expect(api.writes(sandbox())).toHaveLength(0);
		expect(output(NODE_NAME).map((i) => i.json)).toEqual([
			{
				dryRun: true,
				request: 1,
				of: 1,
				method: 'POST',
				url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\//),
				body: expect.anything(),
				items: [0],
			},
		]);
		expect(org().tracked.has(SEED.mug.productUuid)).toBe(false);
	});
});

describe('Start Tracking (legacy API)', () => {
	it('sends START_TRACKING for the product on the bulk endpoint, with no movements and an externalUuid', async () => {
		const { output } = await runOn(
			LEGACY,
			sandbox(),
			{ ...OPERATION.startTracking, identifyBy: 'barcode' },
			[{ barcode: '7350000000031' }, { barcode: 7350000000048 }],
		);
		const [bulk] = writes(sandbox());
		expect(bulk.path).toBe(PATH.bulk);
		const [body] = bodies<BulkBody>(sandbox(), 'POST', PATH.bulk);
		expect(body).toEqual({
			productChanges: [
				{
					productUuid: SEED.mug.productUuid,
					trackingStatusChange: 'START_TRACKING',
					variantChanges: [],
				},
			],
			externalUuid: expect.any(String),
		});
		expect(output(NODE_NAME).map((i) => i.json.externalUuid)).toEqual([
			body.externalUuid,
			body.externalUuid,
		]);
	});
});

describe('Start Tracking (V3 API)', () => {
	it('sends POST /v3/products [{productUuid, tracking: "enable"}] (204), which has no correlation id: externalUuid null', async () => {
		const { output } = await runOn(
			V3,
			sandbox(),
			{ ...OPERATION.startTracking, identifyBy: 'barcode' },
			[{ barcode: '7350000000031' }, { barcode: 7350000000048 }],
		);
		expect(V3.writes(sandbox()).map((r) => [r.method, r.path, r.status, r.body])).toEqual([
			['POST', '/v3/products', 204, [{ productUuid: SEED.mug.productUuid, tracking: 'enable' }]],
		]);
		expect(output(NODE_NAME).map((i) => i.json.externalUuid)).toEqual([null, null]);
		expect(sandbox().log(undefined, '/organizations/self/inventory')).toHaveLength(0);
	});
});
