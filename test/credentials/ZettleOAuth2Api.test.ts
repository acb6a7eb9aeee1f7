// The Zettle OAuth2 credential (authorization code): an expired access token is refreshed with the newest, rotated refresh token.

import { PATH, received, TokenForm } from '../support/requests';
import {
	NODE_NAME,
	OPERATION,
	oauth2Credentials,
	runZettle,
	SEED_CHANGES,
	useSandbox,
} from '../support/zettle';

const sandbox = useSandbox();

describe('Zettle OAuth2 credential (authorization code)', () => {
	it('refreshes an expired access token with the rotated refresh token, twice in a row', async () => {
		const credentials = await oauth2Credentials(sandbox());
		const first = credentials.store.zettleOAuth2Api.oauthTokenData as {
			access_token: string;
			refresh_token: string;
		};
		const parameters = { ...OPERATION.updateBalance, authentication: 'oAuth2' };

		sandbox().oauth.expire(first.access_token);
		const run1 = await runZettle(sandbox(), parameters, SEED_CHANGES, { credentials });
		expect(run1.error?.message).toBeUndefined();
		expect(run1.run.status).toBe('success');
		const second = credentials.store.zettleOAuth2Api.oauthTokenData as {
			access_token: string;
			refresh_token: string;
		};
		expect(second.refresh_token).not.toBe(first.refresh_token);

		sandbox().oauth.expire(second.access_token);
		const run2 = await runZettle(sandbox(), parameters, SEED_CHANGES, { credentials });
		expect(run2.run.status).toBe('success');
		expect(run2.output(NODE_NAME).map((i) => i.json.balance)).toEqual([238 - 84, 12033 - 2674]);
		// the refreshes used the newest refresh token each time (a reused one would be refused)
		const refreshes = received<TokenForm>(sandbox(), 'POST', PATH.token).filter(
			(t) => t.body.grant_type === 'refresh_token',
		);
		expect(refreshes.map((r) => r.status)).toEqual([200, 200]);
		expect(refreshes.every((r) => r.body.client_id === sandbox().oauth.partnerApp.clientId)).toBe(
			true,
		);
	});
});
