// HTTP failures on writes and reads: what is retried (429, 503, dropped reads), what never is (500, dropped writes), and how every item is accounted for.

import { SEED } from '../../sandbox/seed';
import { bodies, PATH, PutBody } from '../support/requests';
import { NODE_NAME, OPERATION, runZettle, storeBalance, units, useSandbox } from '../support/zettle';

const sandbox = useSandbox();
const RESTOCK = { ...OPERATION.updateBalance, movement: 'restock' };
const storeSmall = () => storeBalance(sandbox(), SEED.tshirt.small);
const puts = () => sandbox().log('PUT', PATH.inventory);

describe('HTTP failures: nothing applied twice, nothing silently lost', () => {
	it('retries a 429 after the Retry-After it was told; the movement is applied once', async () => {
		sandbox().faults.set({ rules: [{ method: 'PUT', path: PATH.inventory, nth: [1], action: 'rateLimited429' }] });
		const { run } = await runZettle(sandbox(), RESTOCK, units(3));
		expect(run.status).toBe('success');
		const [refused, retry] = puts();
		expect(puts().map((p) => p.status)).toEqual([429, 200]);
		// the sandbox answered Retry-After: 1; the retry arrived no sooner
		expect(retry.at - refused.at).toBeGreaterThanOrEqual(1000);
		expect(storeSmall()).toBe(238 + 3);
	});

	it('backs off on a 429 without Retry-After and sends again', async () => {
		sandbox().faults.set({ rateLimitPerSecond: 1, rateLimitRetryAfter: false });
		const { run } = await runZettle(sandbox(), { ...RESTOCK, options: { itemsPerRequest: 1, requestsPerSecond: 100 } }, units(2));
		expect(run.status).toBe('success');
		const statuses = sandbox().log(undefined, '/organizations').map((p) => p.status);
		expect(statuses).toContain(429);
		expect(puts().filter((p) => p.status === 200)).toHaveLength(2);
		expect(storeSmall()).toBe(238 + 2);
	});

	it('retries a 503 with Retry-After', async () => {
		sandbox().faults.set({ rules: [{ method: 'PUT', path: PATH.inventory, nth: [1], action: 'unavailable503' }] });
		const { run } = await runZettle(sandbox(), RESTOCK, units(1));
		expect(run.status).toBe('success');
		expect(puts().map((p) => p.status)).toEqual([503, 200]);
		expect(storeSmall()).toBe(239);
	});

	it('does not resend after a 500: the items are reported as outcome unknown', async () => {
		sandbox().faults.set({ rules: [{ method: 'PUT', path: PATH.inventory, action: 'error500' }] });
		const { run, error } = await runZettle(sandbox(), RESTOCK, units(2));
		expect(run.status).toBe('error');
		expect(puts()).toHaveLength(1);
		expect(error?.message).toMatch(/^Outcome unknown: request 1 of 1 \(items 0–1\): Zettle answered 500 after the request was sent/);
		const [{ externalUuid }] = bodies<PutBody>(sandbox(), 'PUT', PATH.inventory);
		expect(error?.description).toContain(`Outcome unknown: items 0–1 (externalUuid ${externalUuid})`);
	});

	it('does not resend after the connection drops once the write was applied: applied exactly once, flagged unknown', async () => {
		sandbox().faults.set({ rules: [{ method: 'PUT', path: PATH.inventory, action: 'applyThenDrop' }] });
		const { run, output } = await runZettle(sandbox(), RESTOCK, units(2), { node: { onError: 'continueRegularOutput' } });
		expect(run.status).toBe('success');
		expect(puts()).toHaveLength(1);
		expect(puts()[0].applied).toBe(true);
		expect(storeSmall()).toBe(238 + 2); // not 238 + 4
		const items = output(NODE_NAME);
		expect(items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		for (const item of items) expect(item.json.error).toMatch(/^Outcome unknown \(externalUuid [0-9a-f-]{36}\): .*check the balances in Zettle before sending it again/);
	});

	it('multiple chunks where the third fails: applied, unknown and not attempted are each reported', async () => {
		sandbox().faults.set({ rules: [{ method: 'PUT', path: PATH.inventory, nth: [3], action: 'error500' }] });
		const parameters = { ...RESTOCK, options: { itemsPerRequest: 2, requestsPerSecond: 100 } };
		const { run, error } = await runZettle(sandbox(), parameters, units(10));
		expect(run.status).toBe('error');
		expect(puts()).toHaveLength(3);
		expect(storeSmall()).toBe(238 + 4);
		expect(error?.message).toMatch(/request 3 of 5 \(items 4–5\)/);
		expect(error?.description).toMatch(/^Applied: items 0–3 \(2 request\(s\), externalUuid .*\)\. Outcome unknown: items 4–5 .* Not attempted: items 6–9: not sent, because an earlier request failed; safe to send again\.$/);
	});

	it('with "Continue": applied balances, then one error item per unknown and not-attempted item', async () => {
		sandbox().faults.set({ rules: [{ method: 'PUT', path: PATH.inventory, nth: [3], action: 'error500' }] });
		const parameters = { ...RESTOCK, options: { itemsPerRequest: 2, requestsPerSecond: 100 } };
		const { run, output } = await runZettle(sandbox(), parameters, units(10), { node: { onError: 'continueErrorOutput' } });
		expect(run.status).toBe('success');
		const ok = output(NODE_NAME, 0);
		expect(ok.map((i) => i.json.balance)).toEqual([240, 242]);
		const failed = output(NODE_NAME, 1);
		expect(failed).toHaveLength(6);
		expect(failed.slice(0, 2).every((i) => /^Outcome unknown/.test(String(i.json.error)))).toBe(true);
		expect(failed.slice(2).every((i) => /^Not attempted/.test(String(i.json.error)))).toBe(true);
	});

	it("shows Zettle's error body for a refused request", async () => {
		const { error } = await runZettle(sandbox(), RESTOCK, [{ productUuid: SEED.mug.productUuid, variantUuid: SEED.mug.white, change: 1 }]);
		expect(error?.message).toMatch(/Refused: request 1 of 1 \(item 0\): Zettle refused the request \(400\)\. Zettle: Product .* is not tracked .* \[PRODUCT_NOT_TRACKED\]/);
		expect(error?.description).toMatch(/^Not applied: item 0/);
	});
});

describe('reads are safe to repeat', () => {
	it('retries a read whose connection dropped, and a 500 on a read, then moves the stock once', async () => {
		sandbox().faults.set({
			rules: [
				{ method: 'GET', path: PATH.locations, nth: [1], action: 'dropBeforeApply' },
				// rules count only the requests that reach them: this one's first is the second read
				{ method: 'GET', path: PATH.locations, nth: [1], action: 'error500' },
			],
		});
		const { run } = await runZettle(sandbox(), RESTOCK, units(2));
		expect(run.status).toBe('success');
		expect(sandbox().log('GET', PATH.locations).map((r) => r.status)).toEqual([0, 500, 200]);
		expect(puts()).toHaveLength(1);
		expect(storeSmall()).toBe(240);
	});
});
