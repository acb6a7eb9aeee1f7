// The sandbox's OAuth service (sandbox/oauth.ts), called directly: API keys and their claims, the assertion grant's refusals, token expiry, the code flow with rotating refresh tokens.

import { apiKeyClaims, JWT_BEARER_GRANT } from '../../sandbox/oauth';
import { SEED } from '../../sandbox/seed';
import { accessToken, form, json } from '../support/sandboxApi';
import { useSandbox } from '../support/zettle';

const sandbox = useSandbox();

describe('sandbox: OAuth', () => {
	it("decodes an API key's claims: the organization it belongs to, its scopes and a client ID", () => {
		const claims = apiKeyClaims(sandbox().apiKey);
		expect(claims).toMatchObject({
			iss: 'https://oauth.zettle.com',
			type: 'user-assertion',
			scope: ['READ:PRODUCT', 'WRITE:PRODUCT'],
			user: { orgUuid: SEED.organizationUuid },
		});
		expect(claims.clientId).toMatch(/^[0-9a-f-]{36}$/);
		expect(sandbox().organizationOf(sandbox().apiKey)).toBe(sandbox().seedOrganization);
	});

	it('answers a malformed or revoked key with invalid_grant, a wrong client with invalid_client', async () => {
		const sb = sandbox();
		const { clientId } = apiKeyClaims(sb.apiKey);
		const forged = sb.apiKey.slice(0, -4) + 'AAAA';
		const bad = await fetch(
			`${sb.url}/token`,
			form({ grant_type: JWT_BEARER_GRANT, client_id: clientId, assertion: forged }),
		);
		expect([bad.status, await json(bad)]).toEqual([
			400,
			{ error: 'invalid_grant', error_description: expect.any(String) },
		]);
		const wrong = await fetch(
			`${sb.url}/token`,
			form({ grant_type: JWT_BEARER_GRANT, client_id: 'someone-else', assertion: sb.apiKey }),
		);
		expect((await json(wrong)).error).toBe('invalid_client');
		sb.oauth.revokeApiKey(sb.apiKey);
		const revoked = await fetch(
			`${sb.url}/token`,
			form({ grant_type: JWT_BEARER_GRANT, client_id: clientId, assertion: sb.apiKey }),
		);
		expect((await json(revoked)).error).toBe('invalid_grant');
	});

	it('gives 7200 s tokens and answers an expired one with 401 ACCESS_TOKEN_EXPIRED', async () => {
		const sb = sandbox();
		const access = await accessToken(sb);
		expect(sb.oauth.tokens.get(access)!.expiresAt - Date.now()).toBeGreaterThan(7190 * 1000);
		sb.oauth.expire(access);
		const res = await fetch(`${sb.url}/users/self`, {
			headers: { authorization: `Bearer ${access}` },
		});
		expect(res.status).toBe(401);
		expect(res.headers.get('www-authenticate')).toBe(
			'Bearer error="invalid_request", error_description="ACCESS_TOKEN_EXPIRED"',
		);
	});

	it('runs the code flow and rotates refresh tokens', async () => {
		const sb = sandbox();
		const app = sb.oauth.partnerApp;
		const redirect = 'http://localhost:5678/rest/oauth2-credential/callback';
		const auth = await fetch(
			`${sb.url}/authorize?response_type=code&client_id=${app.clientId}&redirect_uri=${encodeURIComponent(redirect)}&state=xyz`,
			{ redirect: 'manual' },
		);
		const location = new URL(auth.headers.get('location')!);
		expect(location.searchParams.get('state')).toBe('xyz');
		const code = location.searchParams.get('code')!;
		// the partner app's own requests to the token endpoint
		const token = (grant: Record<string, string>) =>
			fetch(
				`${sb.url}/token`,
				form({ ...grant, client_id: app.clientId, client_secret: app.clientSecret }),
			);
		const codeGrant = { grant_type: 'authorization_code', code, redirect_uri: redirect };
		const first = await json(await token(codeGrant));
		expect(first).toEqual({
			access_token: expect.any(String),
			expires_in: 7200,
			refresh_token: expect.stringMatching(/^IZSEC/),
		});
		const reused = await token(codeGrant);
		expect((await json(reused)).error).toBe('invalid_grant');
		const refreshGrant = { grant_type: 'refresh_token', refresh_token: first.refresh_token };
		const second = await json(await token(refreshGrant));
		expect(second.refresh_token).not.toBe(first.refresh_token);
		const old = await token(refreshGrant);
		expect((await json(old)).error).toBe('invalid_grant');
		const me = await fetch(`${sb.url}/users/self`, {
			headers: { authorization: `Bearer ${second.access_token}` },
		});
		expect(await json(me)).toEqual({
			uuid: SEED.userUuid,
			organizationUuid: SEED.organizationUuid,
		});
	});
});
