// The sandbox's Inventory API V3 (sandbox/inventoryV3.ts), called directly: inventories, movements (204, v1
// identifier, atomic), tracking and its status, stock reads with Link paging, low-stock levels, the same state as
// the legacy API, V3 error bodies and faults on V3 routes.

import { uuidV1 } from '../../nodes/ZettleInventory/helpers/uuid';
import { SEED } from '../../sandbox/seed';
import { Sandbox, startSandbox } from '../../sandbox/server';
import { PATH } from '../support/requests';
import { api as apiOf } from '../support/sandboxApi';
import { useSandbox } from '../support/zettle';

const sandbox = useSandbox();
const api = (method: string, path: string, body?: unknown) => apiOf(sandbox(), method, path, body);
const org = () => sandbox().seedOrganization;
const store = (variantUuid: string) => org().balance(SEED.locations.STORE, variantUuid);
const movement = (
	variantUuid: string,
	change: unknown,
	from: string = SEED.locations.STORE,
	to: string = SEED.locations.BIN,
) => ({
	productUuid: SEED.tshirt.productUuid,
	variantUuid,
	from,
	to,
	change,
});

describe('sandbox V3: inventories', () => {
	it('lists the inventories with V3 field names (no organization in the path)', async () => {
		const res = await api('GET', '/v3/inventories');
		expect(res.status).toBe(200);
		expect(res.body).toContainEqual({
			inventoryUuid: SEED.locations.STORE,
			inventoryType: 'STORE',
			name: 'STORE',
			description: 'Available stock',
			defaultInventory: true,
		});
		expect(res.body).toHaveLength(4);
		expect((await api('GET', `/v3/inventories/${SEED.locations.BIN}`)).body).toMatchObject({
			inventoryType: 'BIN',
			defaultInventory: false,
		});
	});
});

describe('sandbox V3: movements', () => {
	it('applies a request atomically and answers 204 without a body; the legacy API sees the same stock', async () => {
		const res = await api('POST', '/v3/movements', {
			identifier: uuidV1(),
			movements: [movement(SEED.tshirt.small, 42), movement(SEED.tshirt.medium, 1337)],
		});
		expect(res.status).toBe(204);
		expect(res.body).toBeUndefined();
		expect([store(SEED.tshirt.small), store(SEED.tshirt.medium)]).toEqual([196, 10696]);
		const legacy = await api('POST', `${PATH.inventory}/products`, {
			locationType: 'STORE',
			productUuids: [SEED.tshirt.productUuid],
		});
		expect(legacy.body.variants.map((v: { balance: string }) => v.balance)).toEqual([
			'196',
			'10696',
		]);
	});

	it('a legacy PUT shows in the V3 stock read', async () => {
		await api('PUT', PATH.inventory, {
			changes: [
				{
					...movement(SEED.tshirt.small, 8),
					fromLocationUuid: SEED.locations.SUPPLIER,
					toLocationUuid: SEED.locations.STORE,
					from: undefined,
					to: undefined,
				},
			],
		});
		const res = await api(
			'GET',
			`/v3/stock/${SEED.locations.STORE}/products/${SEED.tshirt.productUuid}`,
		);
		expect(
			res.body.find((r: { variantUuid: string }) => r.variantUuid === SEED.tshirt.small),
		).toMatchObject({
			inventoryUuid: SEED.locations.STORE,
			balance: 246,
			lowStockLevel: null,
			lowStockAlert: false,
		});
	});

	it.each([
		[
			'an identifier that is not a v1 UUID',
			{
				identifier: '6f0c2a3e-1b7d-4c3e-9f1a-2b3c4d5e6f70',
				movements: [movement(SEED.tshirt.small, 1)],
			},
			'identifier',
		],
		['a zero change', { movements: [movement(SEED.tshirt.small, 0)] }, 'movements[0].change'],
		['a change as text', { movements: [movement(SEED.tshirt.small, '3')] }, 'movements[0].change'],
		[
			'the same inventory as from and to',
			{ movements: [movement(SEED.tshirt.small, 1, SEED.locations.STORE, SEED.locations.STORE)] },
			'movements[0].to',
		],
		['no movements', { movements: [] }, 'movements'],
		[
			'a change above 99,999 (as Zettle’s plugin observed)',
			{ movements: [movement(SEED.tshirt.small, 1), movement(SEED.tshirt.medium, 100000)] },
			'movements[1].change',
		],
	])('refuses %s with a violation, changing nothing', async (_, body, property) => {
		const res = await api('POST', '/v3/movements', body);
		expect(res.status).toBe(400);
		expect(res.body).toMatchObject({
			errorType: 'INVALID_REQUEST',
			violations: [expect.objectContaining({ propertyName: property })],
		});
		expect(store(SEED.tshirt.small)).toBe(238);
	});

	it('refuses a movement of an untracked product (PRODUCT_NOT_TRACKED), and applies nothing of the request', async () => {
		const res = await api('POST', '/v3/movements', {
			movements: [
				movement(SEED.tshirt.small, 1),
				{ ...movement(SEED.mug.white, 1), productUuid: SEED.mug.productUuid },
			],
		});
		expect(res.status).toBe(400);
		expect(res.body.errorType).toBe('PRODUCT_NOT_TRACKED');
		expect(store(SEED.tshirt.small)).toBe(238);
	});
});

describe('sandbox V3: tracking', () => {
	it('enables and disables tracking (204), keeps the balances, and reports the status', async () => {
		expect(
			(
				await api('POST', '/v3/products', [
					{ productUuid: SEED.mug.productUuid, tracking: 'enable' },
				])
			).status,
		).toBe(204);
		expect(
			(await api('POST', '/v3/products/status', [SEED.mug.productUuid, SEED.tshirt.productUuid]))
				.body,
		).toEqual([
			{ productUuid: SEED.mug.productUuid, enabled: true },
			{ productUuid: SEED.tshirt.productUuid, enabled: true },
		]);
		// the mug's balances kept from an earlier tracking period come back
		expect(
			(
				await api('GET', `/v3/stock/${SEED.locations.STORE}/products/${SEED.mug.productUuid}`)
			).body.map((r: { balance: number }) => r.balance),
		).toEqual([238, 12033]);
		expect(
			(
				await api('POST', '/v3/products', [
					{ productUuid: SEED.mug.productUuid, tracking: 'disable' },
				])
			).status,
		).toBe(204);
		expect(org().tracked.has(SEED.mug.productUuid)).toBe(false);
	});

	it('reads of an untracked product answer PRODUCT_NOT_TRACKED', async () => {
		const res = await api(
			'GET',
			`/v3/stock/${SEED.locations.STORE}/products/${SEED.mug.productUuid}`,
		);
		expect(res.status).toBe(400);
		expect(res.body.errorType).toBe('PRODUCT_NOT_TRACKED');
	});

	it('refuses a tracking value other than enable or disable', async () => {
		const res = await api('POST', '/v3/products', [
			{ productUuid: SEED.mug.productUuid, tracking: 'START_TRACKING' },
		]);
		expect(res.status).toBe(400);
		expect(res.body.violations[0].propertyName).toBe('[0].tracking');
	});
});

describe('sandbox V3: stock reads and low-stock levels', () => {
	it('reads STORE inventories only', async () => {
		const res = await api('GET', `/v3/stock/${SEED.locations.BIN}`);
		expect(res.status).toBe(400);
		expect(res.body.errorType).toBe('INVALID_INVENTORY');
	});

	it('sets a low-stock level (204) that the stock rows then carry; a level of 0 removes it', async () => {
		const set = (level: number | null) =>
			api('POST', '/v3/custom-low-stock', [
				{
					inventoryUuid: SEED.locations.STORE,
					productUuid: SEED.tshirt.productUuid,
					variantUuid: SEED.tshirt.small,
					lowStockLevel: level,
					lowStockAlert: true,
				},
			]);
		expect((await set(10)).status).toBe(204);
		const rows = (await api('GET', `/v3/stock/${SEED.locations.STORE}`)).body;
		expect(
			rows.find((r: { variantUuid: string }) => r.variantUuid === SEED.tshirt.small),
		).toMatchObject({ lowStockLevel: 10, lowStockAlert: true });
		await set(0);
		expect(org().lowStockOf(SEED.locations.STORE, SEED.tshirt.small)).toEqual({
			lowStockLevel: null,
			lowStockAlert: false,
		});
	});
});

describe('sandbox V3: paging and faults', () => {
	let big: Sandbox;
	afterEach(async () => await big?.close());

	it('pages stock rows with a Link cursor (100 a page) that a client follows as given', async () => {
		big = await startSandbox({ catalogue: { products: 25, variantsPerProduct: 10 } });
		const catalogue = [...big.organizations.values()].find(
			(o) => o.uuid !== SEED.organizationUuid,
		)!;
		let next: string | undefined = `/v3/stock/${catalogue.store.uuid}`;
		const pages: number[] = [];
		while (next) {
			const res = await apiOf(big, 'GET', next, undefined, undefined, big.catalogueApiKey);
			pages.push(res.body.length);
			const link = res.headers.get('link');
			next = link
				? new URL(/<([^>]+)>/.exec(link)![1]).pathname + new URL(/<([^>]+)>/.exec(link)![1]).search
				: undefined;
		}
		expect(pages).toEqual([100, 100, 50]);
	});

	it('applies the same faults on V3 routes: 429 with Retry-After, and apply-then-drop', async () => {
		// a rule counts only the requests it is asked about: the second rule first sees the second request
		sandbox().faults.set({
			rules: [
				{ method: 'POST', path: '/v3/movements', nth: [1], action: 'rateLimited429' },
				{ method: 'POST', path: '/v3/movements', nth: [1], action: 'applyThenDrop' },
			],
		});
		const first = await api('POST', '/v3/movements', {
			movements: [movement(SEED.tshirt.small, 1)],
		});
		expect(first.status).toBe(429);
		expect(first.headers.get('retry-after')).toBe('1');
		await expect(
			api('POST', '/v3/movements', { movements: [movement(SEED.tshirt.small, 1)] }),
		).rejects.toThrow();
		expect(store(SEED.tshirt.small)).toBe(237);
	});
});
