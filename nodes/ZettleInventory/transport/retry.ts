// What a failed request means for stock, and whether it may be sent again. Pure: no n8n context.
//
// Zettle documents no idempotency for movements (externalUuid is only a correlation id), so a write
// is only sent again when the answer proves it was not applied: 429, or 503 with Retry-After.

export type Failure =
	/** not applied, and Zettle asked us to come back: wait `waitMs` and send again */
	| { kind: 'retry'; waitMs: number; reason: string }
	/** not applied: Zettle refused it, or it never left this machine */
	| { kind: 'rejected'; reason: string }
	/** sent, but no answer tells whether it was applied */
	| { kind: 'unknown'; reason: string };

export interface FailedAttempt {
	/** HTTP status, when an answer came */
	status?: number;
	/** `Retry-After` header of that answer */
	retryAfter?: string;
	/** network error code (ECONNRESET, ECONNREFUSED, ETIMEDOUT, …), when no answer came */
	code?: string;
	/** the 0-based retry count so far */
	attempt: number;
	/** a number in [0, 1) for jitter */
	random: number;
}

export const MAX_RETRIES = 6;
const MAX_WAIT_MS = 60_000;
const NEVER_SENT = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ERR_INVALID_URL', 'ERR_BAD_OPTION_VALUE'];

/** Seconds (or an HTTP date) from `Retry-After`, in ms; undefined when absent or unreadable. */
export function retryAfterMs(header: string | undefined, now = Date.now()): number | undefined {
	if (header === undefined || header === '') return undefined;
	const seconds = Number(header);
	if (!Number.isNaN(seconds)) return Math.max(0, seconds * 1000);
	const date = Date.parse(header);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Exponential backoff with full jitter: 1 s, 2 s, 4 s … capped at 30 s, times a random factor in [0.5, 1). */
export function backoffMs(attempt: number, random: number): number {
	return Math.round(Math.min(30_000, 1000 * 2 ** attempt) * (0.5 + random / 2));
}

export function classifyFailure(f: FailedAttempt): Failure {
	if (f.status === undefined) {
		// no error codes in reasons: n8n replaces any message that contains one with a generic text
		if (f.code && NEVER_SENT.includes(f.code)) return { kind: 'rejected', reason: 'the request could not reach Zettle' };
		return { kind: 'unknown', reason: 'the connection failed after the request was sent, without an answer' };
	}
	const told = retryAfterMs(f.retryAfter);
	if (f.status === 429 || (f.status === 503 && told !== undefined)) {
		if (f.attempt >= MAX_RETRIES) {
			return { kind: 'rejected', reason: `Zettle still answered ${f.status} after ${MAX_RETRIES} retries` };
		}
		const waitMs = Math.min(MAX_WAIT_MS, told ?? backoffMs(f.attempt, f.random));
		return { kind: 'retry', waitMs, reason: `Zettle answered ${f.status}` };
	}
	if (f.status >= 500) return { kind: 'unknown', reason: `Zettle answered ${f.status} after the request was sent` };
	return { kind: 'rejected', reason: `Zettle refused the request (${f.status})` };
}
