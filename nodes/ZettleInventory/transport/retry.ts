// What a failed attempt means for stock, and whether the request may be sent again. Pure: no n8n context.
//
// Zettle documents no idempotency for movements (externalUuid is only a correlation id), so a write
// is only sent again when the answer proves it was not applied: 429, or 503 with Retry-After.
// Requests that are safe to repeat (reads, and tracking changes, which set a state) are also sent
// again after a 5xx or a dropped connection.

export type Decision =
	/** not applied, and it may be sent again after `waitMs` */
	| { kind: 'retry'; waitMs: number; reason: string }
	/** not applied: Zettle refused it, asked for a longer wait than allowed, or it never left this machine */
	| { kind: 'notApplied'; reason: string }
	/** sent, but no answer tells whether it was applied */
	| { kind: 'unknown'; reason: string };

export interface Attempt {
	/** HTTP status, when an answer came */
	status?: number;
	/** `Retry-After` header of that answer */
	retryAfter?: string;
	/** `Location` header of a redirect answer */
	location?: string;
	/** no answer: whether the request left this machine (false: refused connection, credential failure) */
	sent?: boolean;
	/** why it was not sent, when it was not */
	notSentReason?: string;
	/** the 0-based retry count so far */
	attempt: number;
	/** a number in [0, 1) for jitter */
	random: number;
	/** the longest wait allowed before sending again (Max Retry Wait) */
	maxWaitMs: number;
	/** whether sending it twice does no harm (reads, tracking changes) */
	repeatable: boolean;
}

export const MAX_RETRIES = 6;

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

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

/** The origin a redirect points at, for messages (never its path or query). */
function originOf(location: string | undefined): string {
	try {
		return new URL(location ?? '').origin;
	} catch {
		return 'another address';
	}
}

// no error codes in reasons: n8n replaces any message that contains one with a generic text
export function decide(a: Attempt): Decision {
	const again = (waitMs: number, reason: string): Decision => {
		if (a.attempt >= MAX_RETRIES)
			return {
				kind: a.status === 429 || a.status === 503 ? 'notApplied' : 'unknown',
				reason: `${reason}, still after ${MAX_RETRIES} retries`,
			};
		return { kind: 'retry', waitMs, reason };
	};
	if (a.status === undefined) {
		if (a.sent === false)
			return {
				kind: 'notApplied',
				reason: a.notSentReason ?? 'the request could not reach Zettle',
			};
		const reason = 'the connection failed after the request was sent, without an answer';
		return a.repeatable
			? again(Math.min(a.maxWaitMs, backoffMs(a.attempt, a.random)), reason)
			: { kind: 'unknown', reason };
	}
	if (a.status >= 300 && a.status < 400) {
		return {
			kind: 'unknown',
			reason: `Zettle answered ${a.status}, a redirect to ${originOf(a.location)}: not followed, so the token and the request never go to a host the credential does not name (Zettle does not redirect its API; check the credential's Environment and Base URL)`,
		};
	}
	const told = retryAfterMs(a.retryAfter);
	if (a.status === 429 || (a.status === 503 && told !== undefined)) {
		if (told !== undefined && told > a.maxWaitMs) {
			return {
				kind: 'notApplied',
				reason: `Zettle asked to wait ${seconds(told)} before sending again, more than Max Retry Wait (${seconds(a.maxWaitMs)})`,
			};
		}
		return again(
			told ?? Math.min(a.maxWaitMs, backoffMs(a.attempt, a.random)),
			`Zettle answered ${a.status}`,
		);
	}
	if (a.status >= 500) {
		const reason = `Zettle answered ${a.status} after the request was sent`;
		return a.repeatable
			? again(Math.min(a.maxWaitMs, backoffMs(a.attempt, a.random)), reason)
			: { kind: 'unknown', reason };
	}
	return { kind: 'notApplied', reason: `Zettle refused the request (${a.status})` };
}
