// Data safety and credential safety under hostile answers (issue 11): a failed token renewal,
// redirects to another host, errors under "Continue", malformed answers, quantities that only look
// like numbers, huge Retry-After. Every case runs through n8n's engine against the sandbox; "another
// host" is a second loopback listener (another port).

import { SEED } from '../sandbox/seed';
import { TestCredentialsHelper } from '../harness/engine';
import { useTrap } from './support/trap';
import { NODE_NAME, oauth2Credentials, runZettle, useSandbox } from './support/zettle';

const sandbox = useSandbox();
const trap = useTrap();
const PUT_PATH = '/organizations/self/inventory';
const BULK_PATH = '/organizations/self/v2/inventory/bulk';
const FAST = { itemsPerRequest: 1, requestsPerSecond: 100 };
const RESTOCK = { resource: 'balance', operation: 'updateBalance', movement: 'restock' };
const SET = { resource: 'balance', operation: 'setStockLevel' };
const small = () => sandbox().seedOrganization.balance(SEED.locations.STORE, SEED.tshirt.small);
const medium = () => sandbox().seedOrganization.balance(SEED.locations.STORE, SEED.tshirt.medium);
/** n items of 1 unit of the T-shirt (Small) each: each applied item adds exactly 1 to STORE. */
const units = (n: number) => Array.from({ length: n }, () => ({ productUuid: SEED.tshirt.productUuid, variantUuid: SEED.tshirt.small, change: 1 }));
const puts = () => sandbox().log('PUT', PUT_PATH);
const CONTINUE_ERRORS = { node: { onError: 'continueErrorOutput' as const } };

describe('a failed token renewal keeps the accounting (defect 1)', () => {
	// expiry after 3 API requests: the locations read and two PUTs pass, the third PUT gets 401
	const expiring = (rule: object) => sandbox().faults.set({ expireTokenAfterRequests: 3, rules: [rule as never] });

	it.each([
		['the token endpoint answers 500', { method: 'POST', path: '/token', nth: [2], action: 'error500' }],
		['the token endpoint drops the connection', { method: 'POST', path: '/token', nth: [2], action: 'dropBeforeApply' }],
	])('%s: applied, not applied and not attempted are each reported', async (_, rule) => {
		expiring(rule);
		const { run, error } = await runZettle(sandbox(), { ...RESTOCK, options: FAST }, units(4));
		expect(run.status).toBe('error');
		expect(small()).toBe(238 + 2);
		expect(error?.message).toMatch(/^Refused: request 3 of 4 \(item 2\): the access token expired and could not be renewed/);
		expect(error?.description).toMatch(/^Applied: items 0–1 \(2 request\(s\), externalUuid .*\)\. Not applied: item 2 \(externalUuid .*\)\. Not attempted: item 3: /);
	});

	it('with Continue: the applied balances on the success output, the other items on the error output', async () => {
		expiring({ method: 'POST', path: '/token', nth: [2], action: 'error500' });
		const { run, output } = await runZettle(sandbox(), { ...RESTOCK, options: FAST }, units(4), CONTINUE_ERRORS);
		expect(run.status).toBe('success');
		expect(output(NODE_NAME, 0).map((i) => [i.pairedItem, i.json.balance])).toEqual([
			[[{ item: 0 }], 239],
			[[{ item: 1 }], 240],
		]);
		const failed = output(NODE_NAME, 1);
		expect(failed.map((i) => i.pairedItem)).toEqual([{ item: 2 }, { item: 3 }]);
		expect(failed[0].json.error).toMatch(/^Not applied \(externalUuid [0-9a-f-]{36}\): the access token expired and could not be renewed/);
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

describe('redirects are never followed: no token, key or movement reaches another host (defect 2)', () => {
	const redirectTo = (status: number, method: string, path: string) =>
		sandbox().faults.set({ rules: [{ method, path, action: 'respond', status, headers: { Location: `${trap().url}/stolen` } }] });

	it('a 307 answer to the movement PUT: nothing goes to the other host, and the items are not reported as applied', async () => {
		redirectTo(307, 'PUT', PUT_PATH);
		const { run, error } = await runZettle(sandbox(), RESTOCK, units(2));
		expect(run.status).toBe('error');
		expect(trap().received).toHaveLength(0);
		expect(small()).toBe(238);
		expect(error?.message).toMatch(/Zettle answered 307, a redirect to http:\/\/127\.0\.0\.1:\d+: not followed/);
		expect(error?.description).not.toMatch(/^Applied/);
	});

	it('a 302 answer to the locations read: the token is not forwarded and nothing is sent', async () => {
		redirectTo(302, 'GET', '/organizations/self/locations');
		const { run, error } = await runZettle(sandbox(), RESTOCK, units(1));
		expect(run.status).toBe('error');
		expect(trap().received).toHaveLength(0);
		expect(error?.message).toMatch(/Zettle answered 302, a redirect/);
		expect(puts()).toHaveLength(0);
	});

	it('a 307 answer to the token request: the API key is not posted again', async () => {
		redirectTo(307, 'POST', '/token');
		const { run, error } = await runZettle(sandbox(), RESTOCK, units(1));
		expect(run.status).toBe('error');
		expect(trap().received).toHaveLength(0);
		expect(error?.message).toMatch(/token endpoint answered a redirect \(307\)/);
	});
});

describe('every failure goes to the error output under "Continue" (defect 3)', () => {
	it('Set Stock Level whose balance read keeps failing: every item on the error output with the reason', async () => {
		sandbox().faults.set({ rules: [{ method: 'POST', path: '/organizations/self/inventory/products', action: 'error500' }] });
		const items = [
			{ productUuid: SEED.tshirt.productUuid, variantUuid: SEED.tshirt.small, quantity: 240 },
			{ productUuid: SEED.tshirt.productUuid, variantUuid: SEED.tshirt.medium, quantity: 1 },
		];
		const { run, output } = await runZettle(sandbox(), { ...SET, options: { requestsPerSecond: 100, maxRetryWait: 1 } }, items, CONTINUE_ERRORS);
		expect(run.status).toBe('success');
		expect(output(NODE_NAME, 0)).toHaveLength(0);
		const failed = output(NODE_NAME, 1);
		expect(failed.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		for (const item of failed) expect(item.json.error).toMatch(/Reading \/organizations\/self\/inventory\/products failed: Zettle answered 500/);
		expect(puts()).toHaveLength(0);
	}, 60_000);

	it('Set Stock Level whose Start Tracking keeps failing: every item on the error output', async () => {
		sandbox().faults.set({ rules: [{ method: 'POST', path: BULK_PATH, action: 'error500' }] });
		const items = [{ productUuid: SEED.mug.productUuid, variantUuid: SEED.mug.white, quantity: 240 }];
		const { output } = await runZettle(sandbox(), { ...SET, options: { startTracking: true, requestsPerSecond: 100 } }, items, CONTINUE_ERRORS);
		expect(output(NODE_NAME, 0)).toHaveLength(0);
		expect(output(NODE_NAME, 1).map((i) => i.pairedItem)).toEqual([{ item: 0 }]);
		expect(output(NODE_NAME, 1)[0].json.error).toMatch(/Start tracking/i);
		expect(puts()).toHaveLength(0);
	}, 60_000);

	it('an OAuth2 refresh that fails: every item on the error output, none on the success output', async () => {
		const credentials = await oauth2Credentials(sandbox());
		sandbox().oauth.expire((credentials.store.zettleOAuth2Api.oauthTokenData as { access_token: string }).access_token);
		sandbox().faults.set({ rules: [{ method: 'POST', path: '/token', action: 'error500' }] });
		const { run, output } = await runZettle(sandbox(), { ...RESTOCK, authentication: 'oAuth2' }, units(2), { credentials, ...CONTINUE_ERRORS });
		expect(run.status).toBe('success');
		expect(output(NODE_NAME, 0)).toHaveLength(0);
		expect(output(NODE_NAME, 1).map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(puts()).toHaveLength(0);
	});
});

describe('options are checked before anything is sent (defects 4, 13)', () => {
	it('Items per Request that is not a whole number from 1 to 1000 is an error naming the option', async () => {
		const { run, error } = await runZettle(sandbox(), { ...RESTOCK, options: { itemsPerRequest: '={{ Number("many") }}' } }, units(2));
		expect(run.status).toBe('error');
		expect(error?.message).toMatch(/^Items per Request .* is not a whole number from 1 to 1000/);
		expect(puts()).toHaveLength(0);
	});

	it('with Continue, the bad option makes every item an error item; nothing is sent', async () => {
		const { output } = await runZettle(sandbox(), { ...RESTOCK, options: { itemsPerRequest: 0 } }, units(2), CONTINUE_ERRORS);
		expect(output(NODE_NAME, 0)).toHaveLength(0);
		expect(output(NODE_NAME, 1)).toHaveLength(2);
		expect(puts()).toHaveLength(0);
	});

	it('an External UUID that is not a UUID is refused before sending', async () => {
		const { error } = await runZettle(sandbox(), { ...RESTOCK, options: { externalUuid: 'order-42' } }, units(1));
		expect(error?.message).toMatch(/^External UUID "order-42" is not a UUID/);
		expect(puts()).toHaveLength(0);
	});

	it('a Base URL with a user name and password is refused, and the password is not echoed', async () => {
		const credentials = new TestCredentialsHelper({ zettleApi: { apiKey: sandbox().apiKey, environment: 'custom', baseUrl: sandbox().url.replace('http://', 'http://admin:hunter2@') } });
		const { run, error } = await runZettle(sandbox(), RESTOCK, units(1), { credentials });
		expect(run.status).toBe('error');
		expect(error?.message).toMatch(/must not contain a user name or password/);
		expect(JSON.stringify(run)).not.toContain('hunter2');
		expect(sandbox().requests).toHaveLength(0);
	});
});

describe('a credential failure before sending is "not sent", not "outcome unknown" (defect 5)', () => {
	it.each([
		['a revoked key', () => sandbox().oauth.revokeApiKey(sandbox().apiKey)],
		['a failing token endpoint', () => sandbox().faults.set({ rules: [{ method: 'POST', path: '/token', action: 'error500' }] })],
	])('Start Tracking with %s', async (_, breakIt) => {
		breakIt();
		const { run, error } = await runZettle(sandbox(), { resource: 'product', operation: 'startTracking' }, [{ productUuid: SEED.mug.productUuid }]);
		expect(run.status).toBe('error');
		expect(error?.message).not.toMatch(/unknown|may have been applied|twice/i);
		expect(`${error?.message} ${error?.description}`).toMatch(/not sent/i);
		expect(sandbox().log('POST', BULK_PATH)).toHaveLength(0);
	});
});

describe('Set Stock Level refuses a balance read that does not have the documented shape (defect 6)', () => {
	const readAnswers = (body: unknown) =>
		sandbox().faults.set({ rules: [{ method: 'POST', path: '/organizations/self/inventory/products', action: 'respond', status: 200, body }] });
	const target = [{ productUuid: SEED.tshirt.productUuid, variantUuid: SEED.tshirt.small, quantity: 240 }];

	it('a read without "variants" is an error, not "all balances are 0"', async () => {
		readAnswers({ locationUuid: SEED.locations.STORE, trackedProducts: [SEED.tshirt.productUuid] });
		const { run, error } = await runZettle(sandbox(), SET, target);
		expect(run.status).toBe('error');
		expect(error?.message).toMatch(/answer .* has no "variants" list/);
		expect(puts()).toHaveLength(0);
		expect(small()).toBe(238);
	});

	it('a balance that is not a whole number is an error, not change: null', async () => {
		readAnswers({ locationUuid: SEED.locations.STORE, trackedProducts: [SEED.tshirt.productUuid], variants: [{ productUuid: SEED.tshirt.productUuid, variantUuid: SEED.tshirt.small, balance: 'lots' }] });
		const { error } = await runZettle(sandbox(), SET, target);
		expect(error?.message).toMatch(/balance "lots" .* is not a whole number/);
		expect(puts()).toHaveLength(0);
	});
});

describe('quantities are plain decimal integers (defect 7)', () => {
	it.each([['0x10'], ['0b11'], ['1e3'], [1e21], ['9007199254740993'], ['12.0'], ['+5']])('refuses the target %p before anything is sent', async (quantity) => {
		const { run, error } = await runZettle(sandbox(), SET, [{ productUuid: SEED.tshirt.productUuid, variantUuid: SEED.tshirt.small, quantity }]);
		expect(run.status).toBe('error');
		expect(error?.message).toMatch(/^Item 0: Stock level .* (is not a whole number written in digits|is too large)/);
		expect(puts()).toHaveLength(0);
		expect(small()).toBe(238);
	});

	it('accepts a number and digits with surrounding spaces', async () => {
		const { run } = await runZettle(sandbox(), { ...RESTOCK, options: FAST }, [
			{ productUuid: SEED.tshirt.productUuid, variantUuid: SEED.tshirt.small, change: ' 12 ' },
			{ productUuid: SEED.tshirt.productUuid, variantUuid: SEED.tshirt.medium, change: 3 },
		]);
		expect(run.status).toBe('success');
		expect([small(), medium()]).toEqual([250, 12036]);
	});
});

describe('Retry-After is honoured up to Max Retry Wait, never cut short (defect 8)', () => {
	const tooManyRequests = (seconds: string) => sandbox().faults.set({ rules: [{ method: 'PUT', path: PUT_PATH, nth: [1], action: 'respond', status: 429, headers: { 'Retry-After': seconds }, body: { developerMessage: 'Too many requests' } }] });

	it('a wait longer than Max Retry Wait stops at once: the items are not applied, nothing is resent early', async () => {
		tooManyRequests('3600');
		const { run, error } = await runZettle(sandbox(), RESTOCK, units(2));
		expect(run.status).toBe('error');
		expect(puts()).toHaveLength(1);
		expect(error?.message).toMatch(/Zettle asked to wait 3600 s before sending again, more than Max Retry Wait \(60 s\)/);
		expect(error?.description).toMatch(/^Not applied: items 0–1/);
		expect(small()).toBe(238);
	});

	it('a wait within Max Retry Wait is waited out, then the request is sent again once', async () => {
		tooManyRequests('1');
		const { run } = await runZettle(sandbox(), { ...RESTOCK, options: { maxRetryWait: 2 } }, units(2));
		expect(run.status).toBe('success');
		expect(puts().map((p) => p.status)).toEqual([429, 200]);
		expect(small()).toBe(240);
	});
});

describe('every applied item is in the output (defect 9)', () => {
	it('Bulk Update movements that do not touch the returned location are confirmed one by one', async () => {
		const items = [
			{ productUuid: SEED.tshirt.productUuid, variantUuid: SEED.tshirt.small, change: 2, trackingStatusChange: 'NO_CHANGE', fromLocationUuid: SEED.locations.SUPPLIER, toLocationUuid: SEED.locations.BIN },
			{ productUuid: SEED.tshirt.productUuid, variantUuid: SEED.tshirt.medium, change: 3, trackingStatusChange: 'NO_CHANGE', fromLocationUuid: SEED.locations.SUPPLIER, toLocationUuid: SEED.locations.STORE },
		];
		const { run, output } = await runZettle(sandbox(), { resource: 'balance', operation: 'bulkUpdate', trackingStatusChange: '={{ $json.trackingStatusChange }}' }, items);
		expect(run.status).toBe('success');
		const out = output(NODE_NAME);
		const paired = out.flatMap((i) => (Array.isArray(i.pairedItem) ? i.pairedItem : [i.pairedItem])).map((p) => (p as { item: number }).item);
		expect(new Set(paired)).toEqual(new Set([0, 1]));
		expect(out.find((i) => i.json.variantUuid === SEED.tshirt.small)?.json).toMatchObject({ applied: true, balance: null });
	});

	it.each([
		['200 with a body that is not JSON', { status: 200, rawBody: 'OK' }],
		['204 with no body', { status: 204 }],
	])('a write answered %s: every item is output as applied, with no balance', async (_, answer) => {
		sandbox().faults.set({ rules: [{ method: 'PUT', path: PUT_PATH, action: 'applyThenRespond', ...answer }] });
		const { run, output } = await runZettle(sandbox(), RESTOCK, units(2));
		expect(run.status).toBe('success');
		expect(small()).toBe(240);
		const out = output(NODE_NAME);
		expect(out.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		for (const item of out) expect(item.json).toMatchObject({ applied: true, balance: null, variantUuid: SEED.tshirt.small });
	});
});

describe('reads: paced, retried, and checked for shape (defects 10, 11, 12)', () => {
	it('Location → Get Many is retried after a 503 and a 500', async () => {
		sandbox().faults.set({
			rules: [
				{ method: 'GET', path: '/organizations/self/locations', nth: [1], action: 'unavailable503' },
				{ method: 'GET', path: '/organizations/self/locations', nth: [2], action: 'error500' },
			],
		});
		const { run, output } = await runZettle(sandbox(), { resource: 'location', operation: 'getAll' }, [{}]);
		expect(run.status).toBe('success');
		expect(output(NODE_NAME)).toHaveLength(4);
	}, 30_000);

	it('a locations answer that is not a list says what was wrong with it', async () => {
		sandbox().faults.set({ rules: [{ method: 'GET', path: '/organizations/self/locations', action: 'respond', status: 200, body: { locations: 'none' } }] });
		const { error } = await runZettle(sandbox(), RESTOCK, units(1));
		expect(error?.message).toMatch(/Zettle's answer to GET \/organizations\/self\/locations is not a list of locations/);
		expect(error?.message).not.toMatch(/is not a function/);
	});

	it('Start Tracking is sent again after a 500 (a tracking change is safe to repeat)', async () => {
		sandbox().faults.set({ rules: [{ method: 'POST', path: BULK_PATH, nth: [1], action: 'error500' }] });
		const { run } = await runZettle(sandbox(), { resource: 'product', operation: 'startTracking' }, [{ productUuid: SEED.mug.productUuid }]);
		expect(run.status).toBe('success');
		expect(sandbox().seedOrganization.tracked.has(SEED.mug.productUuid)).toBe(true);
	}, 30_000);
});
