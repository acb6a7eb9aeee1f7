// The sandbox's inventory API (sandbox/inventory.ts), called directly: the seed's documented examples, movement rules and refusals, reads and tracking, the product library.

import { SEED } from '../../sandbox/seed';
import { api as apiOf } from '../support/sandboxApi';
import { PATH } from '../support/requests';
import { startSandbox } from '../../sandbox/server';
import { seedMove, useSandbox } from '../support/zettle';

const sandbox = useSandbox();
const api = (method: string, path: string, body?: unknown, raw?: string) =>
	apiOf(sandbox(), method, path, body, raw);
const org = () => sandbox().seedOrganization;

/** A T-shirt movement STORE → BIN, with any field replaced. */
const move = (variantUuid: string, change: unknown, extra: object = {}) => ({
	...seedMove(SEED.tshirt.productUuid, variantUuid, 0),
	change,
	...extra,
});

describe('sandbox: the seed examples', () => {
	it('answers the documented PUT request with the documented response', async () => {
		const res = await api('PUT', PATH.inventory, {
			changes: [move(SEED.tshirt.small, 42), move(SEED.tshirt.medium, 1337)],
		});
		expect(res.status).toBe(200);
		expect(res.body).toEqual({
			locationUuid: SEED.locations.STORE,
			variants: [
				{
					locationUuid: SEED.locations.STORE,
					locationType: 'STORE',
					productUuid: SEED.tshirt.productUuid,
					variantUuid: SEED.tshirt.small,
					balance: 196,
				},
				{
					locationUuid: SEED.locations.STORE,
					locationType: 'STORE',
					productUuid: SEED.tshirt.productUuid,
					variantUuid: SEED.tshirt.medium,
					balance: 10696,
				},
			],
		});
	});

	it('accepts the documented bulk request: starts tracking and moves stock', async () => {
		const res = await api('POST', PATH.bulk, {
			returnBalanceForLocationUuid: SEED.locations.STORE,
			productChanges: [
				{
					productUuid: SEED.mug.productUuid,
					trackingStatusChange: 'START_TRACKING',
					variantChanges: [
						{
							variantUuid: SEED.mug.white,
							fromLocationUuid: SEED.locations.STORE,
							toLocationUuid: SEED.locations.BIN,
							change: 42,
						},
						{
							variantUuid: SEED.mug.black,
							fromLocationUuid: SEED.locations.STORE,
							toLocationUuid: SEED.locations.BIN,
							change: 1337,
						},
					],
				},
			],
		});
		expect(res.status).toBe(200);
		expect(res.body).toEqual({
			locationUuid: SEED.locations.STORE,
			variants: [
				{ productUuid: SEED.mug.productUuid, variantUuid: SEED.mug.white, balance: 196 },
				{ productUuid: SEED.mug.productUuid, variantUuid: SEED.mug.black, balance: 10696 },
			],
		});
		expect(org().tracked.has(SEED.mug.productUuid)).toBe(true);
	});

	it('refuses STOP_TRACKING on the bulk endpoint (Zettle documents only START_TRACKING there; stopping is the DELETE), applying nothing', async () => {
		const before = org().snapshot();
		const res = await api('POST', PATH.bulk, {
			productChanges: [
				{ productUuid: SEED.mug.productUuid, trackingStatusChange: 'START_TRACKING' },
				{ productUuid: SEED.cap.productUuid, trackingStatusChange: 'STOP_TRACKING' },
			],
		});
		expect(res.status).toBe(400);
		expect(res.body.violations).toEqual([
			{
				propertyName: 'productChanges[1].trackingStatusChange',
				developerMessage: expect.stringMatching(/^must be START_TRACKING or NO_CHANGE/),
				constraintType: 'ENUM',
			},
		]);
		expect(org().snapshot()).toEqual(before);
	});

	it('returns no balances for a bulk request without returnBalanceForLocationUuid (Zettle documents the STORE fallback for the PUT only), yet applies it', async () => {
		const res = await api('POST', PATH.bulk, {
			productChanges: [
				{
					productUuid: SEED.cap.productUuid,
					trackingStatusChange: 'NO_CHANGE',
					variantChanges: [
						{
							variantUuid: SEED.cap.oneSize,
							fromLocationUuid: SEED.locations.SUPPLIER,
							toLocationUuid: SEED.locations.STORE,
							change: 2,
						},
					],
				},
			],
		});
		expect(res.status).toBe(200);
		expect(res.body.variants).toEqual([]);
		expect(org().balance(SEED.locations.STORE, SEED.cap.oneSize)).toBe(7);
	});

	it('returns variants: [] for a tracking-only bulk request', async () => {
		const res = await api('POST', PATH.bulk, {
			productChanges: [
				{ productUuid: SEED.mug.productUuid, trackingStatusChange: 'START_TRACKING' },
			],
		});
		expect(res.body).toEqual({ locationUuid: SEED.locations.STORE, variants: [] });
	});
});

describe('sandbox: movement rules', () => {
	it('moves stock: from goes down, to goes up; SUPPLIER is an infinite source; STORE may go below zero', async () => {
		await api('PUT', PATH.inventory, { changes: [{ ...move(SEED.tshirt.small, 1000) }] });
		await api('PUT', PATH.inventory, {
			changes: [
				move(SEED.tshirt.small, 5, {
					fromLocationUuid: SEED.locations.SUPPLIER,
					toLocationUuid: SEED.locations.STORE,
				}),
			],
		});
		expect(org().balance(SEED.locations.STORE, SEED.tshirt.small)).toBe(238 - 1000 + 5);
		expect(org().balance(SEED.locations.BIN, SEED.tshirt.small)).toBe(1000);
	});

	it.each([
		['zero', 0],
		['negative', -3],
		['fractional', 1.5],
		['non-numeric', 'many'],
	])('refuses a %s change with a violation, applying nothing', async (_, change) => {
		const before = org().snapshot();
		const res = await api('PUT', PATH.inventory, {
			changes: [move(SEED.tshirt.small, 1), move(SEED.tshirt.medium, change)],
		});
		expect(res.status).toBe(400);
		expect(res.body).toEqual({
			developerMessage: expect.any(String),
			errorType: 'INVALID_REQUEST',
			violations: [
				{
					propertyName: 'changes[1].change',
					developerMessage: 'must be a positive integer',
					constraintType: 'POSITIVE',
				},
			],
		});
		expect(org().snapshot()).toEqual(before);
	});

	it('refuses a change above 99,999 (as Zettle’s own plugin observed) with a violation naming it, on the PUT and the bulk request; 99,999 is accepted', async () => {
		const before = org().snapshot();
		const put = await api('PUT', PATH.inventory, {
			changes: [move(SEED.tshirt.small, 1), move(SEED.tshirt.medium, 100000)],
		});
		expect(put.status).toBe(400);
		expect(put.body.violations).toEqual([
			{
				propertyName: 'changes[1].change',
				developerMessage: 'must be at most 99999',
				constraintType: 'MAX',
			},
		]);
		const variantChanges = [
			{
				variantUuid: SEED.tshirt.small,
				fromLocationUuid: SEED.locations.SUPPLIER,
				toLocationUuid: SEED.locations.STORE,
				change: 1,
			},
			{
				variantUuid: SEED.tshirt.medium,
				fromLocationUuid: SEED.locations.SUPPLIER,
				toLocationUuid: SEED.locations.STORE,
				change: '150000',
			},
		];
		const bulk = await api('POST', PATH.bulk, {
			productChanges: [
				{ productUuid: SEED.tshirt.productUuid, trackingStatusChange: 'NO_CHANGE', variantChanges },
			],
		});
		expect(bulk.status).toBe(400);
		expect(bulk.body.violations).toEqual([
			{
				propertyName: 'productChanges[0].variantChanges[1].change',
				developerMessage: 'must be at most 99999',
				constraintType: 'MAX',
			},
		]);
		expect(org().snapshot()).toEqual(before);
		expect(
			(await api('PUT', PATH.inventory, { changes: [move(SEED.tshirt.small, 99999)] })).status,
		).toBe(200);
	});

	it('refuses an untracked product with PRODUCT_NOT_TRACKED, applying nothing of the request', async () => {
		const res = await api('PUT', PATH.inventory, {
			changes: [
				move(SEED.tshirt.small, 1),
				{ ...move(SEED.mug.white, 1), productUuid: SEED.mug.productUuid },
			],
		});
		expect(res.status).toBe(400);
		expect(res.body.errorType).toBe('PRODUCT_NOT_TRACKED');
		expect(org().balance(SEED.locations.STORE, SEED.tshirt.small)).toBe(238);
	});

	it.each([
		['an unknown location', { toLocationUuid: '11111111-2222-1333-8444-555555555555' }],
		['an unknown product', { productUuid: '11111111-2222-1333-8444-555555555555' }],
		['a variant of another product', { variantUuid: SEED.mug.white }],
	])('refuses %s with ENTITY_NOT_FOUND', async (_, patch) => {
		const res = await api('PUT', PATH.inventory, { changes: [move(SEED.tshirt.small, 1, patch)] });
		expect(res.status).toBe(404);
		expect(res.body.errorType).toBe('ENTITY_NOT_FOUND');
	});

	it('refuses malformed JSON', async () => {
		const res = await api('PUT', PATH.inventory, undefined, '{"changes": [');
		expect(res.status).toBe(400);
		expect(res.body.errorType).toBe('INVALID_JSON');
	});

	it('does not treat externalUuid as an idempotency key: a repeated request is applied again', async () => {
		const body = {
			changes: [move(SEED.tshirt.small, 10)],
			externalUuid: '0f8b7a40-6a1e-11ec-90d6-0242ac120003',
		};
		await api('PUT', PATH.inventory, body);
		await api('PUT', PATH.inventory, body);
		expect(org().balance(SEED.locations.STORE, SEED.tshirt.small)).toBe(218);
	});

	it.each([
		['PUT', PATH.inventory, { changes: [move(SEED.tshirt.small, 1)] }],
		[
			'POST',
			PATH.bulk,
			{
				returnBalanceForLocationUuid: SEED.locations.STORE,
				productChanges: [{ productUuid: SEED.cap.productUuid, trackingStatusChange: 'NO_CHANGE' }],
			},
		],
	])(
		'refuses a non-v1 externalUuid on %s (the strict reading: Zettle uses v1 for ids a client chooses), applying nothing',
		async (method, path, body) => {
			const before = org().snapshot();
			const res = await api(method, path, {
				...body,
				externalUuid: '0f8b7a40-6a1e-41ec-90d6-0242ac120003',
			});
			expect(res.status).toBe(400);
			expect(res.body.violations).toEqual([
				{
					propertyName: 'externalUuid',
					developerMessage: 'must be a version 1 (time-based) UUID',
					constraintType: 'UUID',
				},
			]);
			expect(org().snapshot()).toEqual(before);
		},
	);
});

describe('sandbox: reads and tracking', () => {
	it('lists the four locations with the STORE as default', async () => {
		const res = await api('GET', PATH.locations);
		expect(res.body.map((l: { type: string; default: boolean }) => [l.type, l.default])).toEqual([
			['STORE', true],
			['BIN', false],
			['SUPPLIER', false],
			['SOLD', false],
		]);
	});

	it('reads balances by location, by type and by product, with string balances of tracked products only', async () => {
		const byUuid = await api(
			'GET',
			`/organizations/self/inventory/locations/${SEED.locations.STORE}`,
		);
		const byType = await api('GET', '/organizations/self/inventory/locations?type=STORE');
		expect(byType.body).toEqual(byUuid.body);
		expect(byUuid.body.variants).toContainEqual({
			locationUuid: SEED.locations.STORE,
			locationType: 'STORE',
			productUuid: SEED.tshirt.productUuid,
			variantUuid: SEED.tshirt.small,
			balance: '238',
		});
		expect(
			byUuid.body.variants.some(
				(v: { productUuid: string }) => v.productUuid === SEED.mug.productUuid,
			),
		).toBe(false);
		const one = await api(
			'GET',
			`/organizations/self/inventory/locations/${SEED.locations.STORE}/products/${SEED.tshirt.productUuid}`,
		);
		expect(one.body.variants).toHaveLength(2);
		const list = await api('POST', PATH.balanceRead, {
			locationType: 'STORE',
			productUuids: [SEED.cap.productUuid],
		});
		expect(list.body.variants).toEqual([
			{
				locationUuid: SEED.locations.STORE,
				locationType: 'STORE',
				productUuid: SEED.cap.productUuid,
				variantUuid: SEED.cap.oneSize,
				balance: '5',
			},
		]);
	});

	it('starts tracking (restoring kept balances) and stops it', async () => {
		const start = await api('POST', PATH.inventory, { productUuid: SEED.mug.productUuid });
		expect(start.body.variants.map((v: { balance: number }) => v.balance)).toEqual([238, 12033]);
		const stop = await api(
			'DELETE',
			`/organizations/self/inventory/products/${SEED.mug.productUuid}`,
		);
		expect(stop.status).toBe(204);
		expect(org().tracked.has(SEED.mug.productUuid)).toBe(false);
	});

	it('pages the product library by its own size (at most 100, whatever limit asks) with a cursor only its Link carries; refuses an offset', async () => {
		const big = await startSandbox({ catalogue: { products: 250, variantsPerProduct: 1 } });
		try {
			const get = (path: string) =>
				apiOf(big, 'GET', path, undefined, undefined, big.catalogueApiKey);
			const seen: string[] = [];
			let path: string | undefined = `${PATH.library}?limit=500`;
			const sizes: number[] = [];
			while (path) {
				const page = await get(path);
				expect(page.status).toBe(200);
				sizes.push(page.body.products.length);
				seen.push(...page.body.products.map((p: { uuid: string }) => p.uuid));
				const next = /<([^>]+)>; rel="next"/.exec(page.headers.get('link') ?? '')?.[1];
				path = next ? new URL(next).pathname + new URL(next).search : undefined;
			}
			expect(sizes).toEqual([100, 100, 50]);
			expect(new Set(seen).size).toBe(250);
			const offset = await get(`${PATH.library}?limit=100&offset=100`);
			expect(offset.status).toBe(400);
			expect(offset.body.violations[0].propertyName).toBe('offset');
		} finally {
			await big.close();
		}
	});

	it('serves the product library with Link-header pagination', async () => {
		const all = await api('GET', '/organizations/self/products/v2');
		expect(all.body.map((p: { uuid: string }) => p.uuid)).toEqual([
			SEED.tshirt.productUuid,
			SEED.mug.productUuid,
			SEED.cap.productUuid,
		]);
		expect(all.body[0].variants[0]).toEqual({
			uuid: SEED.tshirt.small,
			name: 'Small',
			sku: 'TSHIRT-S',
			barcode: '7350000000017',
		});
		const page1 = await api('GET', `${PATH.library}?limit=2`);
		expect(page1.body.products).toHaveLength(2);
		const next = /<([^>]+)>; rel="next"/.exec(page1.headers.get('link') ?? '')![1];
		const page2 = await api('GET', new URL(next).pathname + new URL(next).search);
		expect(page2.body.products.map((p: { uuid: string }) => p.uuid)).toEqual([
			SEED.cap.productUuid,
		]);
		expect(page2.headers.get('link')).toBeNull();
	});
});
