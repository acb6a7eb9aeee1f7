// The sandbox's fault injection (sandbox/faults.ts), called directly: the per-second rate limit, a write applied then dropped, a point-of-sale sale racing a request, balance reads that refuse untracked products.

import { SEED } from '../../sandbox/seed';
import { api as apiOf } from '../support/sandboxApi';
import { PATH } from '../support/requests';
import { seedMove, useSandbox } from '../support/zettle';

const sandbox = useSandbox();
const api = (method: string, path: string, body?: unknown) => apiOf(sandbox(), method, path, body);
const small = () => sandbox().seedOrganization.balance(SEED.locations.STORE, SEED.tshirt.small);
/** A T-shirt (Small) movement STORE → BIN. */
const move = (change: number) => seedMove(SEED.tshirt.productUuid, SEED.tshirt.small, change);

describe('sandbox: faults', () => {
	it('rate-limits per second with 429 and Retry-After, and logs requests with secrets redacted', async () => {
		const sb = sandbox();
		sb.faults.set({ rateLimitPerSecond: 2 });
		const statuses = [];
		for (let i = 0; i < 3; i++) statuses.push((await api('GET', PATH.locations)).status);
		expect(statuses).toEqual([200, 200, 429]);
		const limited = sb.log('GET', '/organizations').find((r) => r.status === 429)!;
		expect(limited.fault).toBe('rateLimit');
		const logged = JSON.stringify(sb.requests);
		expect(logged).not.toContain(sb.apiKey);
		expect(logged).toContain('"assertion":"[redacted]"');
	});

	it('applies a write and then drops the connection, when told to', async () => {
		sandbox().faults.set({ rules: [{ method: 'PUT', action: 'applyThenDrop' }] });
		await expect(api('PUT', PATH.inventory, { changes: [move(8)] })).rejects.toThrow();
		expect(small()).toBe(230);
	});

	it('lands a point-of-sale sale just before the matched request, then answers it normally', async () => {
		sandbox().faults.set({
			rules: [
				{
					method: 'PUT',
					path: PATH.inventory,
					nth: [1],
					action: 'concurrentSale',
					variantUuid: SEED.tshirt.small,
					quantity: 3,
				},
			],
		});
		const res = await api('PUT', PATH.inventory, {
			changes: [
				{
					...move(10),
					fromLocationUuid: SEED.locations.SUPPLIER,
					toLocationUuid: SEED.locations.STORE,
				},
			],
		});
		expect(res.status).toBe(200);
		expect(res.body.variants[0].balance).toBe(238 - 3 + 10);
		expect(sandbox().seedOrganization.balance(SEED.locations.SOLD, SEED.tshirt.small)).toBe(3);
	});

	it("untrackedReads 'error': a balance read by product naming an untracked one is refused with 400 PRODUCT_NOT_TRACKED; no answer lists trackedProducts", async () => {
		sandbox().faults.set({ untrackedReads: 'error' });
		const mixed = await api('POST', PATH.balanceRead, {
			locationType: 'STORE',
			productUuids: [SEED.tshirt.productUuid, SEED.mug.productUuid],
		});
		expect(mixed.status).toBe(400);
		expect(mixed.body.errorType).toBe('PRODUCT_NOT_TRACKED');
		const tracked = await api('POST', PATH.balanceRead, {
			locationType: 'STORE',
			productUuids: [SEED.cap.productUuid],
		});
		expect(tracked.status).toBe(200);
		expect(tracked.body).not.toHaveProperty('trackedProducts');
		expect(tracked.body.variants).toHaveLength(1);
	});

	it('a rule with exact: true matches its path only, not the paths it is a prefix of', async () => {
		sandbox().faults.set({
			rules: [{ method: 'POST', path: '/v3/products', exact: true, action: 'error500' }],
		});
		expect((await api('POST', '/v3/products/status', [SEED.mug.productUuid])).status).toBe(200);
		expect(
			(
				await api('POST', '/v3/products', [
					{ productUuid: SEED.mug.productUuid, tracking: 'enable' },
				])
			).status,
		).toBe(500);
		expect(sandbox().seedOrganization.tracked.has(SEED.mug.productUuid)).toBe(false);
	});
});
