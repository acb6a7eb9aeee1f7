// The Zettle API credential (API key, assertion grant): the token exchange, its reuse and renewal, a revoked key, and keys and tokens kept out of sight.

import { TestCredentialsHelper } from '../../harness/engine';
import { apiKeyClaims, JWT_BEARER_GRANT } from '../../sandbox/oauth';
import { SEED } from '../../sandbox/seed';
import { PATH, received, TokenForm } from '../support/requests';
import {
	apiKeyCredentials,
	OPERATION,
	runZettle,
	SEED_CHANGES,
	storeBalance,
	units,
	useSandbox,
} from '../support/zettle';

const sandbox = useSandbox();
const UPDATE = OPERATION.updateBalance;
const tokenRequests = () => received<TokenForm>(sandbox(), 'POST', PATH.token);

describe('Zettle API credential (API key, assertion grant)', () => {
	it('exchanges the key with the assertion grant: form body, client ID from the key', async () => {
		const { run } = await runZettle(sandbox(), UPDATE, SEED_CHANGES);
		expect(run.status).toBe('success');
		const [token] = tokenRequests();
		expect(token.headers['content-type']).toBe('application/x-www-form-urlencoded');
		// the sandbox logs the assertion redacted; it verified the key's signature to answer 200
		expect(token.body).toEqual({
			grant_type: JWT_BEARER_GRANT,
			client_id: apiKeyClaims(sandbox().apiKey).clientId,
			assertion: '[redacted]',
		});
		expect(token.status).toBe(200);
		const api = sandbox().log(undefined, '/organizations');
		expect(api.every((r) => r.headers.authorization === 'Bearer [redacted]')).toBe(true);
	});

	it('uses a given Client ID instead of the one in the key', async () => {
		const partner = sandbox().oauth.partnerApp.clientId;
		const credentials = new TestCredentialsHelper({
			zettleApi: {
				apiKey: sandbox().apiKey,
				clientId: partner,
				environment: 'custom',
				baseUrl: sandbox().url,
			},
		});
		await runZettle(sandbox(), UPDATE, SEED_CHANGES, { credentials });
		expect(tokenRequests()[0].body.client_id).toBe(partner);
	});

	it('reuses one token across many requests and across two executions', async () => {
		const credentials = apiKeyCredentials(sandbox());
		const parameters = { ...UPDATE, options: { itemsPerRequest: 1, requestsPerSecond: 100 } };
		await runZettle(sandbox(), parameters, SEED_CHANGES, { credentials });
		await runZettle(sandbox(), parameters, SEED_CHANGES, { credentials });
		expect(sandbox().log('PUT')).toHaveLength(4);
		expect(tokenRequests()).toHaveLength(1);
		// n8n stores the token with the credential (its database here)
		expect(credentials.updates).toHaveLength(1);
		expect(credentials.store.zettleApi.accessToken).toEqual(expect.any(String));
	});

	it('renews an expired token once, mid-run, and the run completes without applying anything twice', async () => {
		sandbox().faults.set({ expireTokenAfterRequests: 3 });
		const parameters = {
			...UPDATE,
			movement: 'restock',
			options: { itemsPerRequest: 1, requestsPerSecond: 100 },
		};
		const { run } = await runZettle(sandbox(), parameters, units(4));
		expect(run.status).toBe('success');
		expect(tokenRequests()).toHaveLength(2);
		expect(
			sandbox()
				.log('PUT')
				.filter((p) => p.status === 401),
		).toHaveLength(1);
		expect(storeBalance(sandbox(), SEED.tshirt.small)).toBe(238 + 4);
	});

	it('a revoked key fails with a clear message, once, and sends no movement', async () => {
		sandbox().oauth.revokeApiKey(sandbox().apiKey);
		const { run, error } = await runZettle(sandbox(), UPDATE, SEED_CHANGES);
		expect(run.status).toBe('error');
		expect(error?.message).toMatch(
			/Zettle rejected the API key \(invalid_grant\): it was revoked or is not valid\. Create a new key at https:\/\/my\.zettle\.com\/apps\/api-keys/,
		);
		expect(tokenRequests()).toHaveLength(1);
		expect(sandbox().log('PUT')).toHaveLength(0);
	});

	it('refuses to send the key over plain http:// to a host that is not loopback', async () => {
		const credentials = new TestCredentialsHelper({
			zettleApi: {
				apiKey: sandbox().apiKey,
				environment: 'custom',
				baseUrl: 'http://zettle.example.com',
			},
		});
		const { error } = await runZettle(sandbox(), UPDATE, SEED_CHANGES, { credentials });
		expect(error?.message).toMatch(
			/is not HTTPS\. Keys and tokens are only sent over plain http:\/\/ to a loopback host/,
		);
		expect(sandbox().requests).toHaveLength(0);
	});

	it('never shows the key or the token in outputs or errors', async () => {
		const credentials = apiKeyCredentials(sandbox());
		const ok = await runZettle(sandbox(), UPDATE, SEED_CHANGES, { credentials });
		sandbox().faults.set({ rules: [{ method: 'PUT', action: 'error500' }] });
		const failed = await runZettle(sandbox(), UPDATE, SEED_CHANGES, { credentials });
		const withContinue = await runZettle(sandbox(), UPDATE, SEED_CHANGES, {
			credentials,
			node: { onError: 'continueRegularOutput' },
		});
		sandbox().oauth.revokeApiKey(sandbox().apiKey);
		const revoked = await runZettle(sandbox(), UPDATE, SEED_CHANGES);
		const token = credentials.store.zettleApi.accessToken as string;
		expect(token.length).toBeGreaterThan(10);
		for (const { run } of [ok, failed, withContinue, revoked]) {
			const text =
				JSON.stringify(run) + JSON.stringify(run.data.resultData.error?.description ?? '');
			expect(text).not.toContain(sandbox().apiKey);
			expect(text).not.toContain(sandbox().apiKey.split('.')[2]);
			expect(text).not.toContain(token);
		}
		expect(JSON.stringify(sandbox().requests)).not.toContain(token);
	});
});
