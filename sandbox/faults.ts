// Fault injection: what can go wrong between a client and Zettle, on purpose and repeatably.

import { seededRandom } from './random';

/** What the sandbox does to one request instead of (or after) answering it normally. */
export type FaultAction =
	/** 500, nothing applied */
	| 'error500'
	/** 503 with `Retry-After: 1`, nothing applied */
	| 'unavailable503'
	/** 429 with `Retry-After: 1`, nothing applied */
	| 'rateLimited429'
	/** the write is applied, then the connection is dropped without an answer (the ambiguous case) */
	| 'applyThenDrop'
	/** the connection is dropped before anything is applied (the client cannot tell it from applyThenDrop) */
	| 'dropBeforeApply'
	/**
	 * a point-of-sale sale of `quantity` units of `variantUuid` (STORE → SOLD) lands just before this
	 * request is handled: the race between a client's read and its write that no Zettle API prevents
	 */
	| 'concurrentSale'
	/** answer with the rule's `status`, `headers` and `body` (or `rawBody`) instead; nothing applied */
	| 'respond'
	/** apply the write, then answer with the rule's `status`, `headers` and `body` (or `rawBody`) */
	| 'applyThenRespond';

export interface FaultRule {
	/** HTTP method to match, e.g. 'PUT'; any when absent */
	method?: string;
	/** path prefix to match, e.g. '/organizations/self/inventory'; any when absent */
	path?: string;
	/** match `path` exactly, not as a prefix (e.g. '/v3/products' without '/v3/products/status') */
	exact?: boolean;
	/** 1-based positions among the requests this rule matches, e.g. [3] = only the third; all when absent */
	nth?: number[];
	action: FaultAction;
	/** concurrentSale: the variant sold, and how many units (default 1) */
	variantUuid?: string;
	quantity?: number;
	/** respond / applyThenRespond: the answer (e.g. 307 with a Location header, 200 with a body that is not JSON) */
	status?: number;
	headers?: Record<string, string>;
	/** a JSON body; `rawBody` sends text as it is instead */
	body?: unknown;
	rawBody?: string;
}

export interface FaultOptions {
	/** added to every API request before it is answered */
	latencyMs?: number;
	/** requests per second allowed per organization (sliding 1 s window); beyond it: 429 */
	rateLimitPerSecond?: number;
	/** whether a 429 from the rate limit carries `Retry-After` (seconds); default true */
	rateLimitRetryAfter?: boolean;
	/** share (0–1) of API requests answered with 500 before anything is applied */
	errorRate?: number;
	/** share (0–1) of write requests that are applied and then lose their connection */
	dropAfterApplyRate?: number;
	/** an access token stops working (401 ACCESS_TOKEN_EXPIRED) after this many API requests */
	expireTokenAfterRequests?: number;
	/**
	 * How the legacy balance read by product (POST …/inventory/products) treats an untracked product:
	 * 'list' (default) leaves it out and lists the tracked ones in `trackedProducts`; 'error' refuses
	 * the whole read with 400 PRODUCT_NOT_TRACKED and lists no `trackedProducts` in any answer, as V3's
	 * per-product read does. Zettle documents neither; a client must cope with both.
	 */
	untrackedReads?: 'list' | 'error';
	/** scripted faults, checked before the random ones */
	rules?: FaultRule[];
	/** seed for the random faults */
	seed?: number;
}

export class Faults {
	private random: () => number;
	private readonly ruleHits = new Map<FaultRule, number>();
	private readonly windows = new Map<string, number[]>();

	constructor(public options: FaultOptions = {}) {
		this.random = seededRandom(options.seed ?? 42);
	}

	set(options: FaultOptions): void {
		this.options = options;
		this.random = seededRandom(options.seed ?? 42);
		this.ruleHits.clear();
		this.windows.clear();
	}

	/** The scripted or random fault for this request, if any. Counts the request against the rules. */
	pick(
		method: string,
		path: string,
		isWrite: boolean,
		{ rulesOnly = false } = {},
	): FaultRule | undefined {
		for (const rule of this.options.rules ?? []) {
			if (rule.method && rule.method !== method) continue;
			if (rule.path && !(rule.exact ? path === rule.path : path.startsWith(rule.path))) continue;
			const hit = (this.ruleHits.get(rule) ?? 0) + 1;
			this.ruleHits.set(rule, hit);
			if (!rule.nth || rule.nth.includes(hit)) return rule;
		}
		if (rulesOnly) return undefined;
		if (this.options.errorRate && this.random() < this.options.errorRate)
			return { action: 'error500' };
		if (
			isWrite &&
			this.options.dropAfterApplyRate &&
			this.random() < this.options.dropAfterApplyRate
		) {
			return { action: 'applyThenDrop' };
		}
		return undefined;
	}

	/** Whether this request goes over the organization's rate limit (and is to be answered 429). */
	overRateLimit(organizationUuid: string, now: number): boolean {
		const limit = this.options.rateLimitPerSecond;
		if (!limit) return false;
		const window = (this.windows.get(organizationUuid) ?? []).filter((t) => now - t < 1000);
		this.windows.set(organizationUuid, window);
		if (window.length >= limit) return true;
		window.push(now);
		return false;
	}
}
