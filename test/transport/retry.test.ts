// The retry policy (transport/retry.ts): which answers are sent again and after how long; and, through the engine, Retry-After honoured up to Max Retry Wait.

import {
	backoffMs,
	decide,
	MAX_RETRIES,
	retryAfterMs,
} from '../../nodes/ZettleInventory/transport/retry';
import { SEED } from '../../sandbox/seed';
import { PATH } from '../support/requests';
import { OPERATION, runZettle, storeBalance, units, useSandbox } from '../support/zettle';

describe('the retry policy', () => {
	const base = { attempt: 0, random: 0.5, maxWaitMs: 60_000, repeatable: false };
	it('retries 429 as told, or with backoff, and 503 only with Retry-After', () => {
		expect(decide({ ...base, status: 429, retryAfter: '3' })).toEqual({
			kind: 'retry',
			waitMs: 3000,
			reason: expect.any(String),
		});
		expect(decide({ ...base, status: 429 })).toMatchObject({ kind: 'retry', waitMs: 750 });
		expect(decide({ ...base, status: 503, retryAfter: '1' })).toMatchObject({ kind: 'retry' });
		expect(decide({ ...base, status: 503 })).toMatchObject({ kind: 'unknown' });
		expect(decide({ ...base, status: 429, attempt: MAX_RETRIES })).toMatchObject({
			kind: 'notApplied',
		});
	});

	it('never cuts a told wait short: longer than Max Retry Wait means not applied, not sent early', () => {
		expect(decide({ ...base, status: 429, retryAfter: '3600' })).toEqual({
			kind: 'notApplied',
			reason: 'Zettle asked to wait 3600 s before sending again, more than Max Retry Wait (60 s)',
		});
		expect(decide({ ...base, status: 429, retryAfter: '60' })).toMatchObject({
			kind: 'retry',
			waitMs: 60_000,
		});
		expect(decide({ ...base, status: 429, maxWaitMs: 500 })).toMatchObject({
			kind: 'retry',
			waitMs: 500,
		});
	});

	it('never retries a write whose outcome is unknown; retries a repeatable request', () => {
		expect(decide({ ...base, status: 500 })).toMatchObject({ kind: 'unknown' });
		expect(decide({ ...base, sent: true })).toMatchObject({ kind: 'unknown' });
		expect(decide({ ...base, status: 500, repeatable: true })).toMatchObject({ kind: 'retry' });
		expect(decide({ ...base, sent: true, repeatable: true })).toMatchObject({ kind: 'retry' });
		expect(
			decide({
				...base,
				sent: false,
				repeatable: true,
				notSentReason: 'the request was not sent: revoked',
			}),
		).toEqual({ kind: 'notApplied', reason: 'the request was not sent: revoked' });
		expect(decide({ ...base, status: 400 })).toMatchObject({ kind: 'notApplied' });
	});

	it('does not follow a redirect, and says where it pointed (the origin only)', () => {
		expect(
			decide({
				...base,
				status: 307,
				location: 'http://127.0.0.1:9/steal?token=x',
				repeatable: true,
			}),
		).toMatchObject({
			kind: 'unknown',
			reason: expect.stringMatching(
				/^Zettle answered 307, a redirect to http:\/\/127\.0\.0\.1:9: not followed/,
			),
		});
	});

	it('reads Retry-After as seconds or a date, and backs off exponentially with a cap', () => {
		expect(retryAfterMs('2')).toBe(2000);
		expect(retryAfterMs(new Date(Date.now() + 5000).toUTCString(), Date.now())).toBeGreaterThan(
			3000,
		);
		expect(retryAfterMs('soon')).toBeUndefined();
		expect([0, 1, 2, 10].map((a) => backoffMs(a, 0.999))).toEqual(
			[1000, 2000, 4000, 30000].map((ms) => Math.round(ms * 0.9995)),
		);
	});
});

describe('Retry-After is honoured up to Max Retry Wait, never cut short (issue 11, defect 8)', () => {
	const sandbox = useSandbox();
	const RESTOCK = { ...OPERATION.updateBalance, movement: 'restock' };
	const puts = () => sandbox().log('PUT', PATH.inventory);
	const small = () => storeBalance(sandbox(), SEED.tshirt.small);
	/** The first PUT is answered 429 with this Retry-After. */
	const tooManyRequests = (seconds: string) =>
		sandbox().faults.set({
			rules: [
				{
					method: 'PUT',
					path: PATH.inventory,
					nth: [1],
					action: 'respond',
					status: 429,
					headers: { 'Retry-After': seconds },
					body: { developerMessage: 'Too many requests' },
				},
			],
		});

	it('a wait longer than Max Retry Wait stops at once: the items are not applied, nothing is resent early', async () => {
		tooManyRequests('3600');
		const { run, error } = await runZettle(sandbox(), RESTOCK, units(2));
		expect(run.status).toBe('error');
		expect(puts()).toHaveLength(1);
		expect(error?.message).toMatch(
			/Zettle asked to wait 3600 s before sending again, more than Max Retry Wait \(60 s\)/,
		);
		expect(error?.description).toMatch(/^Not applied: items 0–1/);
		expect(small()).toBe(238);
	});

	it('a wait within Max Retry Wait is waited out, then the request is sent again once', async () => {
		tooManyRequests('1');
		const { run } = await runZettle(
			sandbox(),
			{ ...RESTOCK, options: { maxRetryWait: 2 } },
			units(2),
		);
		expect(run.status).toBe('success');
		expect(puts().map((p) => p.status)).toEqual([429, 200]);
		expect(puts()[1].at - puts()[0].at).toBeGreaterThanOrEqual(1000);
		expect(small()).toBe(240);
	});
});
