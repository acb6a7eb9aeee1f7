import { SEED } from '../sandbox/seed';
import { JWT_BEARER_GRANT, Sandbox } from '../sandbox/server';
import { useSandbox } from './support/zettle';

const sandbox = useSandbox();
// the sandbox's answers, loosely typed
const json = async (res: Response): Promise<any> => await res.json();

async function token(sb: Sandbox, apiKey = sb.apiKey): Promise<string> {
	const clientId = JSON.parse(Buffer.from(apiKey.split('.')[1], 'base64url').toString()).clientId;
	const res = await fetch(`${sb.url}/token`, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ grant_type: JWT_BEARER_GRANT, client_id: clientId, assertion: apiKey }),
	});
	return ((await json(res)) as { access_token: string }).access_token;
}

async function api(method: string, path: string, body?: unknown, raw?: string) {
	const sb = sandbox();
	const res = await fetch(`${sb.url}${path}`, {
		method,
		headers: { authorization: `Bearer ${await token(sb)}`, 'content-type': 'application/json' },
		body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
	});
	const text = await res.text();
	return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

const move = (variantUuid: string, change: unknown, extra: object = {}) => ({
	productUuid: SEED.tshirt.productUuid,
	variantUuid,
	fromLocationUuid: SEED.locations.STORE,
	toLocationUuid: SEED.locations.BIN,
	change,
	...extra,
});

describe('sandbox: the seed examples', () => {
	it('answers the documented PUT request with the documented response', async () => {
		const res = await api('PUT', '/organizations/self/inventory', { changes: [move(SEED.tshirt.small, 42), move(SEED.tshirt.medium, 1337)] });
		expect(res.status).toBe(200);
		expect(res.body).toEqual({
			locationUuid: '89ac1e4a-5f0f-11ec-bf63-0242ac130002',
			variants: [
				{ locationUuid: '89ac1e4a-5f0f-11ec-bf63-0242ac130002', locationType: 'STORE', productUuid: '65314d7e-5f0f-11ec-bf63-0242ac130002', variantUuid: '78194842-5f0f-11ec-bf63-0242ac130002', balance: 196 },
				{ locationUuid: '89ac1e4a-5f0f-11ec-bf63-0242ac130002', locationType: 'STORE', productUuid: '65314d7e-5f0f-11ec-bf63-0242ac130002', variantUuid: '7c6be742-5f0f-11ec-bf63-0242ac130002', balance: 10696 },
			],
		});
	});

	it('accepts the documented bulk request: starts tracking and moves stock', async () => {
		const res = await api('POST', '/organizations/self/v2/inventory/bulk', {
			returnBalanceForLocationUuid: SEED.locations.STORE,
			productChanges: [
				{
					productUuid: SEED.mug.productUuid,
					trackingStatusChange: 'START_TRACKING',
					variantChanges: [
						{ variantUuid: SEED.mug.white, fromLocationUuid: SEED.locations.STORE, toLocationUuid: SEED.locations.BIN, change: 42 },
						{ variantUuid: SEED.mug.black, fromLocationUuid: SEED.locations.STORE, toLocationUuid: SEED.locations.BIN, change: 1337 },
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
		expect(sandbox().seedOrganization.tracked.has(SEED.mug.productUuid)).toBe(true);
	});

	it('returns variants: [] for a tracking-only bulk request', async () => {
		const res = await api('POST', '/organizations/self/v2/inventory/bulk', { productChanges: [{ productUuid: SEED.mug.productUuid, trackingStatusChange: 'START_TRACKING' }] });
		expect(res.body).toEqual({ locationUuid: SEED.locations.STORE, variants: [] });
	});
});

describe('sandbox: movement rules', () => {
	it('moves stock: from goes down, to goes up; SUPPLIER is an infinite source; STORE may go below zero', async () => {
		await api('PUT', '/organizations/self/inventory', { changes: [{ ...move(SEED.tshirt.small, 1000) }] });
		await api('PUT', '/organizations/self/inventory', { changes: [move(SEED.tshirt.small, 5, { fromLocationUuid: SEED.locations.SUPPLIER, toLocationUuid: SEED.locations.STORE })] });
		const org = sandbox().seedOrganization;
		expect(org.balance(SEED.locations.STORE, SEED.tshirt.small)).toBe(238 - 1000 + 5);
		expect(org.balance(SEED.locations.BIN, SEED.tshirt.small)).toBe(1000);
	});

	it.each([
		['zero', 0],
		['negative', -3],
		['fractional', 1.5],
		['non-numeric', 'many'],
	])('refuses a %s change with a violation, applying nothing', async (_, change) => {
		const before = sandbox().seedOrganization.snapshot();
		const res = await api('PUT', '/organizations/self/inventory', { changes: [move(SEED.tshirt.small, 1), move(SEED.tshirt.medium, change)] });
		expect(res.status).toBe(400);
		expect(res.body).toEqual({
			developerMessage: expect.any(String),
			errorType: 'INVALID_REQUEST',
			violations: [{ propertyName: 'changes[1].change', developerMessage: 'must be a positive integer', constraintType: 'POSITIVE' }],
		});
		expect(sandbox().seedOrganization.snapshot()).toEqual(before);
	});

	it('refuses an untracked product with PRODUCT_NOT_TRACKED, applying nothing of the request', async () => {
		const res = await api('PUT', '/organizations/self/inventory', {
			changes: [move(SEED.tshirt.small, 1), { ...move(SEED.mug.white, 1), productUuid: SEED.mug.productUuid }],
		});
		expect(res.status).toBe(400);
		expect(res.body.errorType).toBe('PRODUCT_NOT_TRACKED');
		expect(sandbox().seedOrganization.balance(SEED.locations.STORE, SEED.tshirt.small)).toBe(238);
	});

	it.each([
		['an unknown location', { toLocationUuid: '11111111-2222-1333-8444-555555555555' }],
		['an unknown product', { productUuid: '11111111-2222-1333-8444-555555555555' }],
		['a variant of another product', { variantUuid: SEED.mug.white }],
	])('refuses %s with ENTITY_NOT_FOUND', async (_, patch) => {
		const res = await api('PUT', '/organizations/self/inventory', { changes: [move(SEED.tshirt.small, 1, patch)] });
		expect(res.status).toBe(404);
		expect(res.body.errorType).toBe('ENTITY_NOT_FOUND');
	});

	it('refuses malformed JSON', async () => {
		const res = await api('PUT', '/organizations/self/inventory', undefined, '{"changes": [');
		expect(res.status).toBe(400);
		expect(res.body.errorType).toBe('INVALID_JSON');
	});

	it('does not treat externalUuid as an idempotency key: a repeated request is applied again', async () => {
		const body = { changes: [move(SEED.tshirt.small, 10)], externalUuid: '0f8b7a40-6a1e-11ec-90d6-0242ac120003' };
		await api('PUT', '/organizations/self/inventory', body);
		await api('PUT', '/organizations/self/inventory', body);
		expect(sandbox().seedOrganization.balance(SEED.locations.STORE, SEED.tshirt.small)).toBe(218);
	});
});

describe('sandbox: reads and tracking', () => {
	it('lists the four locations with the STORE as default', async () => {
		const res = await api('GET', '/organizations/self/locations');
		expect(res.body.map((l: { type: string; default: boolean }) => [l.type, l.default])).toEqual([
			['STORE', true],
			['BIN', false],
			['SUPPLIER', false],
			['SOLD', false],
		]);
	});

	it('reads balances by location, by type and by product, with string balances of tracked products only', async () => {
		const byUuid = await api('GET', `/organizations/self/inventory/locations/${SEED.locations.STORE}`);
		const byType = await api('GET', '/organizations/self/inventory/locations?type=STORE');
		expect(byType.body).toEqual(byUuid.body);
		expect(byUuid.body.variants).toContainEqual({ locationUuid: SEED.locations.STORE, locationType: 'STORE', productUuid: SEED.tshirt.productUuid, variantUuid: SEED.tshirt.small, balance: '238' });
		expect(byUuid.body.variants.some((v: { productUuid: string }) => v.productUuid === SEED.mug.productUuid)).toBe(false);
		const one = await api('GET', `/organizations/self/inventory/locations/${SEED.locations.STORE}/products/${SEED.tshirt.productUuid}`);
		expect(one.body.variants).toHaveLength(2);
		const list = await api('POST', '/organizations/self/inventory/products', { locationType: 'STORE', productUuids: [SEED.cap.productUuid] });
		expect(list.body.variants).toEqual([{ locationUuid: SEED.locations.STORE, locationType: 'STORE', productUuid: SEED.cap.productUuid, variantUuid: SEED.cap.oneSize, balance: '5' }]);
	});

	it('starts tracking (restoring kept balances) and stops it', async () => {
		const start = await api('POST', '/organizations/self/inventory', { productUuid: SEED.mug.productUuid });
		expect(start.body.variants.map((v: { balance: number }) => v.balance)).toEqual([238, 12033]);
		const stop = await api('DELETE', `/organizations/self/inventory/products/${SEED.mug.productUuid}`);
		expect(stop.status).toBe(204);
		expect(sandbox().seedOrganization.tracked.has(SEED.mug.productUuid)).toBe(false);
	});

	it('serves the product library with Link-header pagination', async () => {
		const all = await api('GET', '/organizations/self/products/v2');
		expect(all.body.map((p: { uuid: string }) => p.uuid)).toEqual([SEED.tshirt.productUuid, SEED.mug.productUuid, SEED.cap.productUuid]);
		expect(all.body[0].variants[0]).toEqual({ uuid: SEED.tshirt.small, name: 'Small', sku: 'TSHIRT-S', barcode: '7350000000017' });
		const page1 = await api('GET', '/organizations/self/library?limit=2');
		expect(page1.body.products).toHaveLength(2);
		const next = /<([^>]+)>; rel="next"/.exec(page1.headers.get('link') ?? '')![1];
		const page2 = await api('GET', new URL(next).pathname + new URL(next).search);
		expect(page2.body.products.map((p: { uuid: string }) => p.uuid)).toEqual([SEED.cap.productUuid]);
		expect(page2.headers.get('link')).toBeNull();
	});
});

describe('sandbox: OAuth', () => {
	const form = (fields: Record<string, string>) => ({
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams(fields),
	});

	it('answers a malformed or revoked key with invalid_grant, a wrong client with invalid_client', async () => {
		const sb = sandbox();
		const clientId = JSON.parse(Buffer.from(sb.apiKey.split('.')[1], 'base64url').toString()).clientId;
		const forged = sb.apiKey.slice(0, -4) + 'AAAA';
		const bad = await fetch(`${sb.url}/token`, form({ grant_type: JWT_BEARER_GRANT, client_id: clientId, assertion: forged }));
		expect([bad.status, await json(bad)]).toEqual([400, { error: 'invalid_grant', error_description: expect.any(String) }]);
		const wrong = await fetch(`${sb.url}/token`, form({ grant_type: JWT_BEARER_GRANT, client_id: 'someone-else', assertion: sb.apiKey }));
		expect((await json(wrong)).error).toBe('invalid_client');
		sb.oauth.revokeApiKey(sb.apiKey);
		const revoked = await fetch(`${sb.url}/token`, form({ grant_type: JWT_BEARER_GRANT, client_id: clientId, assertion: sb.apiKey }));
		expect((await json(revoked)).error).toBe('invalid_grant');
	});

	it('gives 7200 s tokens and answers an expired one with 401 ACCESS_TOKEN_EXPIRED', async () => {
		const sb = sandbox();
		const access = await token(sb);
		expect(sb.oauth.tokens.get(access)!.expiresAt - Date.now()).toBeGreaterThan(7190 * 1000);
		sb.oauth.expire(access);
		const res = await fetch(`${sb.url}/users/self`, { headers: { authorization: `Bearer ${access}` } });
		expect(res.status).toBe(401);
		expect(res.headers.get('www-authenticate')).toBe('Bearer error="invalid_request", error_description="ACCESS_TOKEN_EXPIRED"');
	});

	it('runs the code flow and rotates refresh tokens', async () => {
		const sb = sandbox();
		const app = sb.oauth.partnerApp;
		const redirect = 'http://localhost:5678/rest/oauth2-credential/callback';
		const auth = await fetch(`${sb.url}/authorize?response_type=code&client_id=${app.clientId}&redirect_uri=${encodeURIComponent(redirect)}&state=xyz`, { redirect: 'manual' });
		const location = new URL(auth.headers.get('location')!);
		expect(location.searchParams.get('state')).toBe('xyz');
		const code = location.searchParams.get('code')!;
		const first = await json(await fetch(`${sb.url}/token`, form({ grant_type: 'authorization_code', code, client_id: app.clientId, client_secret: app.clientSecret, redirect_uri: redirect })));
		expect(first).toEqual({ access_token: expect.any(String), expires_in: 7200, refresh_token: expect.stringMatching(/^IZSEC/) });
		const reused = await fetch(`${sb.url}/token`, form({ grant_type: 'authorization_code', code, client_id: app.clientId, client_secret: app.clientSecret, redirect_uri: redirect }));
		expect((await json(reused)).error).toBe('invalid_grant');
		const second = await json(await fetch(`${sb.url}/token`, form({ grant_type: 'refresh_token', refresh_token: first.refresh_token, client_id: app.clientId, client_secret: app.clientSecret })));
		expect(second.refresh_token).not.toBe(first.refresh_token);
		const old = await fetch(`${sb.url}/token`, form({ grant_type: 'refresh_token', refresh_token: first.refresh_token, client_id: app.clientId, client_secret: app.clientSecret }));
		expect((await json(old)).error).toBe('invalid_grant');
		const me = await fetch(`${sb.url}/users/self`, { headers: { authorization: `Bearer ${second.access_token}` } });
		expect(await json(me)).toEqual({ uuid: SEED.userUuid, organizationUuid: SEED.organizationUuid });
	});
});

describe('sandbox: faults and the request log', () => {
	it('rate-limits per second with 429 and Retry-After, and logs requests with secrets redacted', async () => {
		const sb = sandbox();
		sb.faults.set({ rateLimitPerSecond: 2 });
		const statuses = [];
		for (let i = 0; i < 3; i++) statuses.push((await api('GET', '/organizations/self/locations')).status);
		expect(statuses).toEqual([200, 200, 429]);
		const limited = sb.log('GET', '/organizations').find((r) => r.status === 429)!;
		expect(limited.fault).toBe('rateLimit');
		const logged = JSON.stringify(sb.requests);
		expect(logged).not.toContain(sb.apiKey);
		expect(logged).toContain('"assertion":"[redacted]"');
	});

	it('applies a write and then drops the connection, when told to', async () => {
		sandbox().faults.set({ rules: [{ method: 'PUT', action: 'applyThenDrop' }] });
		await expect(api('PUT', '/organizations/self/inventory', { changes: [move(SEED.tshirt.small, 8)] })).rejects.toThrow();
		expect(sandbox().seedOrganization.balance(SEED.locations.STORE, SEED.tshirt.small)).toBe(230);
	});

	it('generates a large tracked catalogue', async () => {
		const { Sandbox: SandboxClass } = await import('../sandbox/server');
		const big = new SandboxClass({ catalogue: { products: 1000, variantsPerProduct: 10 } });
		const org = big.organizationOf(big.catalogueApiKey!);
		expect(org.products.size).toBe(1000);
		expect(org.balancesIn(org.store.uuid)).toHaveLength(10000);
	});
});

describe('sandbox: concurrent sales and reset', () => {
	it('lands a point-of-sale sale just before the matched request, then answers it normally', async () => {
		sandbox().faults.set({ rules: [{ method: 'PUT', path: '/organizations/self/inventory', nth: [1], action: 'concurrentSale', variantUuid: SEED.tshirt.small, quantity: 3 }] });
		const res = await api('PUT', '/organizations/self/inventory', { changes: [{ ...move(SEED.tshirt.small, 10), fromLocationUuid: SEED.locations.SUPPLIER, toLocationUuid: SEED.locations.STORE }] });
		expect(res.status).toBe(200);
		expect(res.body.variants[0].balance).toBe(238 - 3 + 10);
		expect(sandbox().seedOrganization.balance(SEED.locations.SOLD, SEED.tshirt.small)).toBe(3);
	});

	it('goes back to the seed on reset, with keys still valid and an empty log', async () => {
		await api('PUT', '/organizations/self/inventory', { changes: [move(SEED.tshirt.small, 8)] });
		expect(sandbox().seedOrganization.balance(SEED.locations.STORE, SEED.tshirt.small)).toBe(230);
		expect((await fetch(`${sandbox().url}/__sandbox/reset`, { method: 'POST' })).status).toBe(204);
		expect(sandbox().requests).toHaveLength(0);
		expect(sandbox().seedOrganization.balance(SEED.locations.STORE, SEED.tshirt.small)).toBe(238);
		expect((await api('GET', '/organizations/self/locations')).status).toBe(200);
	});
});
