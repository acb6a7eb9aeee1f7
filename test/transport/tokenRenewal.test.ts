// A credential that fails mid-run or before sending (issue 11, defects 1, 3 and 5): a failed token renewal or refresh keeps the applied / not applied / not attempted accounting.

import { SEED } from '../../sandbox/seed';
import { PATH } from '../support/requests';
import {
	NODE_NAME,
	OPERATION,
	oauth2Credentials,
	runZettle,
	storeBalance,
	units,
	useSandbox,
} from '../support/zettle';

const sandbox = useSandbox();
const FAST = { itemsPerRequest: 1, requestsPerSecond: 100 };
const RESTOCK = { ...OPERATION.updateBalance, movement: 'restock' };
const CONTINUE_ERRORS = { node: { onError: 'continueErrorOutput' as const } };
const small = () => storeBalance(sandbox(), SEED.tshirt.small);
const puts = () => sandbox().log('PUT', PATH.inventory);

describe('a failed token renewal keeps the accounting (defect 1)', () => {
	// expiry after 3 API requests: the locations read and two PUTs pass, the third PUT gets 401
	const expiring = (rule: object) =>
		sandbox().faults.set({ expireTokenAfterRequests: 3, rules: [rule as never] });

	it.each([
		[
			'the token endpoint answers 500',
			{ method: 'POST', path: PATH.token, nth: [2], action: 'error500' },
		],
		[
			'the token endpoint drops the connection',
			{ method: 'POST', path: PATH.token, nth: [2], action: 'dropBeforeApply' },
		],
	])('%s: applied, not applied and not attempted are each reported', async (_, rule) => {
		expiring(rule);
		const { run, error } = await runZettle(sandbox(), { ...RESTOCK, options: FAST }, units(4));
		expect(run.status).toBe('error');
		expect(small()).toBe(238 + 2);
		expect(error?.message).toMatch(
			/^Refused: request 3 of 4 \(item 2\): the access token expired and could not be renewed/,
		);
		expect(error?.description).toMatch(
			/^Applied: items 0–1 \(2 request\(s\), externalUuid .*\)\. Not applied: item 2 \(externalUuid .*\)\. Not attempted: item 3: /,
		);
	});

	it('with Continue: the applied balances on the success output, the other items on the error output', async () => {
		expiring({ method: 'POST', path: PATH.token, nth: [2], action: 'error500' });
		const { run, output } = await runZettle(
			sandbox(),
			{ ...RESTOCK, options: FAST },
			units(4),
			CONTINUE_ERRORS,
		);
		expect(run.status).toBe('success');
		expect(output(NODE_NAME, 0).map((i) => [i.pairedItem, i.json.balance])).toEqual([
			[[{ item: 0 }], 239],
			[[{ item: 1 }], 240],
		]);
		const failed = output(NODE_NAME, 1);
		expect(failed.map((i) => i.pairedItem)).toEqual([{ item: 2 }, { item: 3 }]);
		expect(failed[0].json.error).toMatch(
			/^Not applied \(externalUuid [0-9a-f-]{36}\): the access token expired and could not be renewed/,
		);
		expect(failed[1].json.error).toMatch(/^Not attempted/);
	});

	it('a renewal whose check request answers 500 once is retried like any read, and the run completes', async () => {
		expiring({ method: 'GET', path: '/users/self', nth: [1], action: 'error500' });
		const { run } = await runZettle(sandbox(), { ...RESTOCK, options: FAST }, units(4));
		expect(run.status).toBe('success');
		expect(small()).toBe(238 + 4);
		expect(puts().filter((p) => p.applied)).toHaveLength(4);
	});
});

describe('an OAuth2 refresh that fails goes to the error output under "Continue" (defect 3)', () => {
	it('every item on the error output, none on the success output', async () => {
		const credentials = await oauth2Credentials(sandbox());
		sandbox().oauth.expire(
			(credentials.store.zettleOAuth2Api.oauthTokenData as { access_token: string }).access_token,
		);
		sandbox().faults.set({ rules: [{ method: 'POST', path: PATH.token, action: 'error500' }] });
		const { run, output } = await runZettle(
			sandbox(),
			{ ...RESTOCK, authentication: 'oAuth2' },
			units(2),
			{ credentials, ...CONTINUE_ERRORS },
		);
		expect(run.status).toBe('success');
		expect(output(NODE_NAME, 0)).toHaveLength(0);
		expect(output(NODE_NAME, 1).map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(puts()).toHaveLength(0);
	});
});

describe('a credential failure before sending is "not sent", not "outcome unknown" (defect 5)', () => {
	it.each([
		['a revoked key', () => sandbox().oauth.revokeApiKey(sandbox().apiKey)],
		[
			'a failing token endpoint',
			() =>
				sandbox().faults.set({ rules: [{ method: 'POST', path: PATH.token, action: 'error500' }] }),
		],
	])('Start Tracking with %s', async (_, breakIt) => {
		breakIt();
		const { run, error } = await runZettle(sandbox(), OPERATION.startTracking, [
			{ productUuid: SEED.mug.productUuid },
		]);
		expect(run.status).toBe('error');
		expect(error?.message).not.toMatch(/unknown|may have been applied|twice/i);
		expect(`${error?.message} ${error?.description}`).toMatch(/not sent/i);
		expect(sandbox().log('POST', PATH.bulk)).toHaveLength(0);
	});
});
