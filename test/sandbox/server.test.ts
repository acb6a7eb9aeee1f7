// The sandbox as a whole (sandbox/server.ts): the request log with arrival times, reset to the seed, a generated catalogue beside it.

import { Sandbox } from '../../sandbox/server';
import { SEED } from '../../sandbox/seed';
import { api as apiOf } from '../support/sandboxApi';
import { PATH } from '../support/requests';
import { seedMove, useSandbox } from '../support/zettle';

const sandbox = useSandbox();
const api = (method: string, path: string, body?: unknown) => apiOf(sandbox(), method, path, body);
const small = () => sandbox().seedOrganization.balance(SEED.locations.STORE, SEED.tshirt.small);

describe('sandbox: the request log, reset and catalogue', () => {
	it('logs each request in order with the time it arrived', async () => {
		const before = Date.now();
		await api('GET', PATH.locations);
		await api('GET', PATH.locations);
		const log = sandbox().requests;
		expect(log.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
			'POST /token 200',
			`GET ${PATH.locations} 200`,
			'POST /token 200',
			`GET ${PATH.locations} 200`,
		]);
		expect(log.map((r) => r.seq)).toEqual([1, 2, 3, 4]);
		expect(log[0].at).toBeGreaterThanOrEqual(before);
		for (let i = 1; i < log.length; i++) expect(log[i].at).toBeGreaterThanOrEqual(log[i - 1].at);
	});

	it('goes back to the seed on reset, with keys still valid and an empty log', async () => {
		await api('PUT', PATH.inventory, {
			changes: [seedMove(SEED.tshirt.productUuid, SEED.tshirt.small, 8)],
		});
		expect(small()).toBe(230);
		expect((await fetch(`${sandbox().url}/__sandbox/reset`, { method: 'POST' })).status).toBe(204);
		expect(sandbox().requests).toHaveLength(0);
		expect(small()).toBe(238);
		expect((await api('GET', PATH.locations)).status).toBe(200);
	});

	it('generates a large tracked catalogue', () => {
		const big = new Sandbox({ catalogue: { products: 1000, variantsPerProduct: 10 } });
		const org = big.organizationOf(big.catalogueApiKey!);
		expect(org.products.size).toBe(1000);
		expect(org.balancesIn(org.store.uuid)).toHaveLength(10000);
	});
});
