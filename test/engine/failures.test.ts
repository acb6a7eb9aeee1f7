// HTTP failures on writes and reads, on both Inventory APIs: what is retried (429, 503, dropped reads, an expired
// token), what never is (500 before or after the write was applied, dropped writes), and how every item is
// accounted for, with the exact balances the sandbox ends with.

import { SEED } from '../../sandbox/seed';
import { APIS, literal, runOn, V3 } from '../support/apis';
import { PATH } from '../support/requests';
import {
	firstItem,
	NODE_NAME,
	OPERATION,
	storeBalance,
	units,
	useSandbox,
} from '../support/zettle';

const sandbox = useSandbox();
const RESTOCK = { ...OPERATION.updateBalance, movement: 'restock' };
const FAST = { itemsPerRequest: 1, requestsPerSecond: 100 };
const storeSmall = () => storeBalance(sandbox(), SEED.tshirt.small);

describe.each(APIS)(
	'HTTP failures: nothing applied twice, nothing silently lost ($name API)',
	(api) => {
		const movements = () => api.movementRequests(sandbox());

		it('retries a 429 after the Retry-After it was told; the movement is applied once', async () => {
			sandbox().faults.set({
				rules: [{ ...api.rules.movements, nth: [1], action: 'rateLimited429' }],
			});
			const { run } = await runOn(api, sandbox(), RESTOCK, units(3));
			expect(run.status).toBe('success');
			const [refused, retry] = movements();
			expect(movements().map((p) => p.status)).toEqual([429, api.movementStatus]);
			// the sandbox answered Retry-After: 1; the retry arrived no sooner
			expect(retry.at - refused.at).toBeGreaterThanOrEqual(1000);
			expect(storeSmall()).toBe(238 + 3);
		});

		it('backs off on a 429 without Retry-After and sends again', async () => {
			sandbox().faults.set({ rateLimitPerSecond: 1, rateLimitRetryAfter: false });
			const { run } = await runOn(
				api,
				sandbox(),
				{ ...RESTOCK, options: { itemsPerRequest: 1, requestsPerSecond: 100 } },
				units(2),
			);
			expect(run.status).toBe('success');
			expect(api.requests(sandbox()).map((p) => p.status)).toContain(429);
			expect(movements().filter((p) => p.status === api.movementStatus)).toHaveLength(2);
			expect(storeSmall()).toBe(238 + 2);
		});

		it('retries a 503 with Retry-After', async () => {
			sandbox().faults.set({
				rules: [{ ...api.rules.movements, nth: [1], action: 'unavailable503' }],
			});
			const { run } = await runOn(api, sandbox(), RESTOCK, units(1));
			expect(run.status).toBe('success');
			expect(movements().map((p) => p.status)).toEqual([503, api.movementStatus]);
			expect(storeSmall()).toBe(239);
		});

		it('does not resend after a 500: the items are reported as outcome unknown', async () => {
			sandbox().faults.set({ rules: [{ ...api.rules.movements, action: 'error500' }] });
			const { run, error } = await runOn(api, sandbox(), RESTOCK, units(2));
			expect(run.status).toBe('error');
			expect(movements()).toHaveLength(1);
			expect(error?.message).toMatch(
				/^Outcome unknown: request 1 of 1 \(items 0–1\): Zettle answered 500 after the request was sent/,
			);
			const [externalUuid] = api.correlationIds(sandbox());
			expect(error?.description).toContain(
				`Outcome unknown: items 0–1 (externalUuid ${externalUuid})`,
			);
			// this 500 came before anything was applied
			expect(storeSmall()).toBe(238);
		});

		it('does not resend after a 500 that came once the write was applied: applied exactly once, reported as outcome unknown', async () => {
			sandbox().faults.set({
				rules: [
					{
						...api.rules.movements,
						action: 'applyThenRespond',
						status: 500,
						body: { developerMessage: 'oops', errorType: 'INTERNAL_ERROR', violations: [] },
					},
				],
			});
			const { run, error } = await runOn(api, sandbox(), RESTOCK, units(2));
			expect(run.status).toBe('error');
			expect(movements().map((r) => [r.status, r.applied])).toEqual([[500, true]]);
			expect(error?.message).toMatch(
				/^Outcome unknown: request 1 of 1 \(items 0–1\): Zettle answered 500 after the request was sent/,
			);
			expect(error?.description).toContain(`(externalUuid ${api.correlationIds(sandbox())[0]})`);
			expect(storeSmall()).toBe(238 + 2); // not 238 + 4
		});

		it('does not resend after the connection drops once the write was applied: applied exactly once, flagged unknown', async () => {
			sandbox().faults.set({ rules: [{ ...api.rules.movements, action: 'applyThenDrop' }] });
			const { run, output } = await runOn(api, sandbox(), RESTOCK, units(2), {
				node: { onError: 'continueRegularOutput' },
			});
			expect(run.status).toBe('success');
			expect(movements()).toHaveLength(1);
			expect(movements()[0].applied).toBe(true);
			expect(storeSmall()).toBe(238 + 2); // not 238 + 4
			const items = output(NODE_NAME);
			expect(items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
			const [externalUuid] = api.correlationIds(sandbox());
			for (const item of items)
				expect(item.json.error).toMatch(
					new RegExp(
						`^Outcome unknown \\(externalUuid ${externalUuid}\\): .*check the balances in Zettle before sending it again`,
					),
				);
		});

		it('does not resend after the connection drops before the write was applied: nothing applied, flagged unknown (the node cannot tell)', async () => {
			sandbox().faults.set({ rules: [{ ...api.rules.movements, action: 'dropBeforeApply' }] });
			const { run, error } = await runOn(api, sandbox(), RESTOCK, units(2));
			expect(run.status).toBe('error');
			expect(movements().map((r) => [r.status, r.applied])).toEqual([[0, false]]);
			expect(error?.message).toMatch(/^Outcome unknown: request 1 of 1 \(items 0–1\)/);
			expect(storeSmall()).toBe(238);
		});

		it('multiple chunks where the third fails: applied, unknown and not attempted are each reported', async () => {
			sandbox().faults.set({ rules: [{ ...api.rules.movements, nth: [3], action: 'error500' }] });
			const parameters = { ...RESTOCK, options: { itemsPerRequest: 2, requestsPerSecond: 100 } };
			const { run, error } = await runOn(api, sandbox(), parameters, units(10));
			expect(run.status).toBe('error');
			expect(movements()).toHaveLength(3);
			expect(storeSmall()).toBe(238 + 4);
			expect(error?.message).toMatch(/request 3 of 5 \(items 4–5\)/);
			const [first, second, third] = api.correlationIds(sandbox());
			expect(error?.description).toMatch(
				/^Applied: items 0–3 \(2 request\(s\), externalUuid .*\)\. Outcome unknown: items 4–5 .* Not attempted: items 6–9: not sent, because an earlier request failed; safe to send again\.$/,
			);
			expect(error?.description).toContain(
				`Applied: items 0–3 (2 request(s), externalUuid ${first}, ${second}).`,
			);
			expect(error?.description).toContain(`Outcome unknown: items 4–5 (externalUuid ${third})`);
		});

		it('with "Continue": applied balances, then one error item per unknown and not-attempted item', async () => {
			sandbox().faults.set({ rules: [{ ...api.rules.movements, nth: [3], action: 'error500' }] });
			const parameters = { ...RESTOCK, options: { itemsPerRequest: 2, requestsPerSecond: 100 } };
			const { run, output } = await runOn(api, sandbox(), parameters, units(10), {
				node: { onError: 'continueErrorOutput' },
			});
			expect(run.status).toBe('success');
			const ok = output(NODE_NAME, 0);
			// legacy: the balance each request answered with; V3: read back once, after the writes
			expect(ok.map((i) => i.json.balance)).toEqual(api.readsBack ? [242, 242] : [240, 242]);
			expect(ok.map((i) => i.pairedItem)).toEqual([
				[{ item: 0 }, { item: 1 }],
				[{ item: 2 }, { item: 3 }],
			]);
			const failed = output(NODE_NAME, 1);
			expect(failed).toHaveLength(6);
			expect(failed.map((i) => i.pairedItem)).toEqual([4, 5, 6, 7, 8, 9].map((item) => ({ item })));
			expect(failed.slice(0, 2).every((i) => /^Outcome unknown/.test(String(i.json.error)))).toBe(
				true,
			);
			expect(failed.slice(2).every((i) => /^Not attempted/.test(String(i.json.error)))).toBe(true);
			expect(storeSmall()).toBe(242);
		});

		it("shows Zettle's error body for a refused request", async () => {
			const { error } = await runOn(api, sandbox(), RESTOCK, [
				{ productUuid: SEED.mug.productUuid, variantUuid: SEED.mug.white, change: 1 },
			]);
			expect(error?.message).toMatch(
				/Refused: request 1 of 1 \(item 0\): Zettle refused the request \(400\)\. Zettle: Product .* is not tracked .* \[PRODUCT_NOT_TRACKED\]/,
			);
			expect(error?.description).toMatch(/^Not applied: item 0/);
			expect(storeBalance(sandbox(), SEED.mug.white)).toBe(238);
		});
	},
);

describe.each(APIS)('reads are safe to repeat ($name API)', (api) => {
	it('retries a read whose connection dropped, and a 500 on a read, then moves the stock once', async () => {
		sandbox().faults.set({
			rules: [
				{ ...api.rules.locations, nth: [1], action: 'dropBeforeApply' },
				// rules count only the requests that reach them: this one's first is the second read
				{ ...api.rules.locations, nth: [1], action: 'error500' },
			],
		});
		const { run } = await runOn(api, sandbox(), RESTOCK, units(2));
		expect(run.status).toBe('success');
		expect(
			sandbox()
				.log('GET', api.locationsPath)
				.map((r) => r.status),
		).toEqual([0, 500, 200]);
		expect(api.movementRequests(sandbox())).toHaveLength(1);
		expect(storeSmall()).toBe(240);
	});
});

describe('reads are safe to repeat (V3 API): the read-back', () => {
	it('a read-back answered 500, then dropped, is sent again: the outputs carry the balances and the stock moved once', async () => {
		sandbox().faults.set({
			rules: [
				{ ...V3.rules.balanceRead, nth: [1], action: 'error500' },
				{ ...V3.rules.balanceRead, nth: [1], action: 'dropBeforeApply' },
			],
		});
		const { run, output } = await runOn(V3, sandbox(), RESTOCK, units(2));
		expect(run.status).toBe('success');
		expect(V3.balanceReads(sandbox()).map((r) => r.status)).toEqual([500, 0, 200]);
		expect(V3.movementRequests(sandbox())).toHaveLength(1);
		expect(output(NODE_NAME).map((i) => [i.json.variantUuid, i.json.balance])).toEqual([
			[SEED.tshirt.small, 240],
		]);
		expect(storeSmall()).toBe(240);
	}, 30_000);
});

describe.each(APIS)('an access token that expires mid-run ($name API)', (api) => {
	// expiry after 3 API requests: the locations read and two movement requests pass, the third gets 401
	const expiring = (rules: object[] = []) =>
		sandbox().faults.set({ expireTokenAfterRequests: 3, rules: rules as never });

	it('is renewed and the request sent again: every movement applied exactly once', async () => {
		expiring();
		const { run, output } = await runOn(api, sandbox(), { ...RESTOCK, options: FAST }, units(4));
		expect(run.status).toBe('success');
		expect(api.movementRequests(sandbox()).map((r) => r.status)).toEqual([
			api.movementStatus,
			api.movementStatus,
			401,
			api.movementStatus,
			api.movementStatus,
		]);
		expect(api.movementRequests(sandbox()).filter((r) => r.applied)).toHaveLength(4);
		// the first token, then one renewal per 401 (V3's read-back meets the renewed token's expiry too), each request sent again
		const expired = api.requests(sandbox()).filter((r) => r.status === 401);
		expect(expired.length).toBe(api.readsBack ? 2 : 1);
		expect(sandbox().log('POST', PATH.token)).toHaveLength(1 + expired.length);
		expect(storeSmall()).toBe(238 + 4);
		expect(output(NODE_NAME).map(firstItem)).toEqual([0, 1, 2, 3]);
	});

	it.each([
		[
			'the token endpoint answers 500',
			{ method: 'POST', path: PATH.token, nth: [2], action: 'error500' },
		],
		[
			'the token endpoint drops the connection',
			{ method: 'POST', path: PATH.token, nth: [2], action: 'dropBeforeApply' },
		],
	])(
		'whose renewal fails (%s): applied, not applied and not attempted are each reported',
		async (_, rule) => {
			expiring([rule]);
			const { run, error } = await runOn(api, sandbox(), { ...RESTOCK, options: FAST }, units(4));
			expect(run.status).toBe('error');
			expect(storeSmall()).toBe(238 + 2);
			expect(error?.message).toMatch(
				/^Refused: request 3 of 4 \(item 2\): the access token expired and could not be renewed/,
			);
			// the 401 came before the sandbox read the third request's body
			const [first, second, ...others] = api.correlationIds(sandbox());
			expect(others).toHaveLength(0);
			expect(error?.description).toMatch(
				new RegExp(
					`^Applied: items 0–1 \\(2 request\\(s\\), externalUuid ${literal(`${first}, ${second}`)}\\)\\. Not applied: item 2 \\(externalUuid [0-9a-f-]{36}\\)\\. Not attempted: item 3: `,
				),
			);
		},
	);

	it('whose renewal fails, with Continue: the applied items on the success output, the other items on the error output', async () => {
		expiring([{ method: 'POST', path: PATH.token, nth: [2], action: 'error500' }]);
		const { run, output } = await runOn(api, sandbox(), { ...RESTOCK, options: FAST }, units(4), {
			node: { onError: 'continueErrorOutput' },
		});
		expect(run.status).toBe('success');
		expect(output(NODE_NAME, 0).map(firstItem)).toEqual([0, 1]);
		const failed = output(NODE_NAME, 1);
		expect(failed.map((i) => i.pairedItem)).toEqual([{ item: 2 }, { item: 3 }]);
		expect(failed[0].json.error).toMatch(
			/^Not applied \(externalUuid [0-9a-f-]{36}\): the access token expired and could not be renewed/,
		);
		expect(failed[1].json.error).toMatch(/^Not attempted/);
		expect(storeSmall()).toBe(238 + 2);
	});
});

describe('an access token that expires mid-run (V3 API): the read-back', () => {
	it('a renewal that fails before the read-back loses no item: the applied movements are output without balances', async () => {
		// the locations read and the movement request pass; the read-back gets 401 and the renewal fails
		sandbox().faults.set({
			expireTokenAfterRequests: 2,
			rules: [{ method: 'POST', path: PATH.token, nth: [2], action: 'error500' }],
		});
		const { run, output } = await runOn(
			V3,
			sandbox(),
			{ ...RESTOCK, options: { requestsPerSecond: 100, maxRetryWait: 1 } },
			units(2).map((u, i) => ({ ...u, variantUuid: i ? SEED.tshirt.medium : SEED.tshirt.small })),
			{
				node: { onError: 'continueErrorOutput' },
			},
		);
		expect(run.status).toBe('success');
		expect(V3.movementRequests(sandbox()).map((r) => r.status)).toEqual([204]);
		expect(V3.balanceReads(sandbox()).map((r) => r.status)).toContain(401);
		expect(
			output(NODE_NAME, 0).map((i) => [i.json.variantUuid, i.json.applied, i.json.balance]),
		).toEqual([
			[SEED.tshirt.small, true, null],
			[SEED.tshirt.medium, true, null],
		]);
		expect(output(NODE_NAME, 1)).toHaveLength(0);
		expect([storeSmall(), storeBalance(sandbox(), SEED.tshirt.medium)]).toEqual([239, 12034]);
	}, 30_000);
});
