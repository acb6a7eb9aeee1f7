// The one place that talks HTTP to Zettle: credential choice, hosts, authentication (n8n's
// httpRequestWithAuthentication), pacing, the retry policy, token renewal, redirects and Zettle's
// error body. Every request of the node goes through `ZettleClient.send`; reads are `read`.

import type {
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IWebhookFunctions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import { ZettleHosts, zettleHosts } from './hosts';
import { decide } from './retry';

/** Every n8n context the package sends requests from: executions, list searches, a trigger's subscription and webhook calls. */
export type Context =
	| IExecuteFunctions
	| ILoadOptionsFunctions
	| IHookFunctions
	| IWebhookFunctions;
export type ZettleService = keyof ZettleHosts;

const REQUEST_TIMEOUT_MS = 60_000;
const DEFAULT_MAX_RETRY_WAIT_S = 60;
const RENEWAL_RETRIES = 2;
/** Pages of one paged read at most: a loop guard (10,000 pages is a million rows even at 100 a page). */
const MAX_PAGES = 10_000;

/** A request as an operation describes it: which service, what, where. */
export interface ZettleRequest {
	service: ZettleService;
	method: IHttpRequestMethods;
	/** a path on the service's host, e.g. `/organizations/self/locations` */
	path: string;
	body?: IDataObject | IDataObject[];
	qs?: IDataObject;
}

/**
 * What became of one request. `done`: Zettle answered 2xx (a write was applied). `notApplied`: it
 * was refused, not sent, or Zettle asked for a wait longer than allowed. `unknown`: it was sent and
 * no answer says whether it was applied.
 */
export type Outcome =
	| { status: 'done'; body: unknown; headers: Record<string, string>; attempts: number }
	| {
			status: 'notApplied' | 'unknown';
			reason: string;
			/** as n8n threw it, or the answer's status and body */ error: unknown;
			attempts: number;
	  };

export interface ClientOptions {
	/** pace of every request of the execution (Max Requests per Second) */
	requestsPerSecond?: number;
	/** the longest wait before sending again that the node accepts (Max Retry Wait), in seconds */
	maxRetryWait?: number;
}

interface FullResponse {
	statusCode: number;
	headers: Record<string, string>;
	body: unknown;
}

/** The credential type the node's Authentication parameter names (read raw: n8n stores only non-defaults, and the default is the API key). */
export function credentialType(context: Context): 'zettleApi' | 'zettleOAuth2Api' {
	return context.getNode().parameters.authentication === 'oAuth2' ? 'zettleOAuth2Api' : 'zettleApi';
}

/**
 * Spaces requests out to stay within Zettle's rate limit. One per execution: no state outlives it.
 * The spacing has a 10% margin: Zettle counts requests in a sliding window as they arrive, and
 * requests sent exactly 1/rate apart can arrive a few milliseconds closer (network jitter),
 * which a window of exactly `rate` per second answers with 429 and a one-second wait.
 */
class Pacer {
	private last = 0;
	private readonly intervalMs: number;

	constructor(requestsPerSecond: number) {
		this.intervalMs = requestsPerSecond > 0 ? (1000 / requestsPerSecond) * 1.1 : 0;
	}

	async wait(): Promise<void> {
		if (this.intervalMs <= 0) return;
		const gap = this.intervalMs - (Date.now() - this.last);
		if (gap > 0) await sleep(gap);
		this.last = Date.now();
	}

	/**
	 * Counts the spacing from now: after a request whose start n8n delayed by a token exchange (the
	 * execution's first request, a renewal), it reached Zettle later than `wait` returned.
	 */
	restart(): void {
		this.last = Date.now();
	}
}

/** What to do about the error types Zettle answers with (legacy and V3 use the same body). */
const HINTS: Record<string, string> = {
	PRODUCT_NOT_TRACKED:
		'Start tracking the product first (Product → Start Tracking), or turn on Set Stock Level\'s option "Start Tracking Untracked Products".',
	ENTITY_NOT_FOUND:
		'A product, variant or location of the request does not exist in this Zettle organization: check the UUIDs (or identify items by SKU).',
	INSUFFICIENT_SCOPE:
		'The credential lacks a scope: create the API key (or connect the app) with READ:PRODUCT and WRITE:PRODUCT.',
};

/** Zettle's error body `{developerMessage, errorType, violations}` as one readable message, when present. */
export function zettleErrorMessage(
	data: unknown,
): { message: string; description?: string } | undefined {
	if (typeof data !== 'object' || data === null) return undefined;
	const body = data as {
		developerMessage?: string;
		errorType?: string;
		violations?: Array<{ propertyName?: string; developerMessage?: string }>;
	};
	if (!body.developerMessage && !body.errorType) return undefined;
	const message = `Zettle: ${body.developerMessage ?? 'request refused'}${body.errorType ? ` [${body.errorType}]` : ''}`;
	const violations = (Array.isArray(body.violations) ? body.violations : []).map(
		(v) => `${v?.propertyName ?? '?'}: ${v?.developerMessage ?? ''}`,
	);
	const hint = body.errorType ? HINTS[body.errorType] : undefined;
	const description = [violations.join('; '), hint].filter(Boolean).join(' ');
	return { message, description: description || undefined };
}

/** Status and body of a failed request as n8n's NodeApiError keeps them (it drops headers and the cause). */
export function causeOf(error: unknown): { status?: number; data?: unknown } {
	const e = error as { httpCode?: string | null; context?: { data?: unknown } };
	const status = Number(e?.httpCode);
	return {
		status: Number.isInteger(status) && status >= 100 ? status : undefined,
		data: e?.context?.data,
	};
}

export function toNodeApiError(
	context: Context,
	error: unknown,
	extra: { message?: string; description?: string; itemIndex?: number } = {},
) {
	const cause = causeOf(error);
	const zettle = zettleErrorMessage(cause.data);
	const message = extra.message
		? `${extra.message}${zettle ? `. ${zettle.message}` : ''}`
		: (zettle?.message ?? (error as Error).message);
	const description =
		[extra.description, zettle?.description].filter(Boolean).join(' ') ||
		(error as NodeApiError).description ||
		undefined;
	const httpCode = cause.status !== undefined ? String(cause.status) : undefined;
	// a plain object, not the caught error: NodeApiError hands back an existing NodeApiError unchanged
	const response: JsonObject = {
		message,
		httpCode: httpCode ?? null,
		zettle: (cause.data ?? null) as JsonObject,
	};
	return new NodeApiError(context.getNode(), response, {
		message,
		description,
		httpCode,
		itemIndex: extra.itemIndex,
	});
}

/** Network error codes of a request that never reached Zettle (nothing was sent). */
const NOT_REACHED = [
	'ECONNREFUSED',
	'ENOTFOUND',
	'EAI_AGAIN',
	'EHOSTUNREACH',
	'EADDRNOTAVAIL',
	'ERR_INVALID_URL',
];

/**
 * Where a request that got no answer failed. n8n's NodeApiError keeps the network error's code as
 * `httpCode` (ECONNRESET, ETIMEDOUT, …) and drops the error itself; any other error (the API key's
 * token exchange, an OAuth2 refresh, a credential that cannot be used) failed before the request
 * left. The credential's token exchange reports its own network failures without a code, so they
 * count as "not sent" too.
 */
export function whereFailed(error: unknown): { sent: boolean; reason?: string } {
	const e = error as { httpCode?: unknown; message?: string };
	const code =
		typeof e?.httpCode === 'string' && /^E[A-Z_]+$/.test(e.httpCode) ? e.httpCode : undefined;
	if (!code)
		return {
			sent: false,
			reason: `the request was not sent: ${e?.message || 'the credential could not be used'}`,
		};
	if (NOT_REACHED.includes(code))
		return { sent: false, reason: 'the request could not reach Zettle' };
	return { sent: true };
}

/** Zettle's requests for one execution (or one list search): one credential, one pacer. */
export class ZettleClient {
	private readonly pacer: Pacer;
	private readonly maxWaitMs: number;
	/** whether no request has been sent yet */
	private first = true;

	private constructor(
		private readonly context: Context,
		private readonly type: string,
		readonly hosts: ZettleHosts,
		options: ClientOptions,
	) {
		this.pacer = new Pacer(options.requestsPerSecond ?? 4);
		this.maxWaitMs = (options.maxRetryWait ?? DEFAULT_MAX_RETRY_WAIT_S) * 1000;
	}

	static async connect(context: Context, options: ClientOptions = {}): Promise<ZettleClient> {
		const type = credentialType(context);
		const hosts = zettleHosts(await context.getCredentials(type));
		if ('error' in hosts) throw new NodeOperationError(context.getNode(), hosts.error);
		return new ZettleClient(context, type, hosts, options);
	}

	/** The URL a request goes to. */
	url(request: Pick<ZettleRequest, 'service' | 'path'>): string {
		return `${this.hosts[request.service]}${request.path}`;
	}

	/** The request as n8n sends it, auth aside: never follows a redirect, reads every answer whole. */
	private options(request: ZettleRequest): IHttpRequestOptions {
		const options: IHttpRequestOptions = {
			method: request.method,
			url: this.url(request),
			headers: { Accept: 'application/json' },
			json: true,
			timeout: REQUEST_TIMEOUT_MS,
			disableFollowRedirect: true,
		};
		if (request.body !== undefined) options.body = request.body as IDataObject;
		if (request.qs) options.qs = request.qs;
		return options;
	}

	/**
	 * Sends one request, paced, and says what became of it. Every answer is read whole (status,
	 * Retry-After, body), so a write is only sent again when the answer proves it was not applied:
	 * 429, 503 with Retry-After, or 401 (after the token was renewed). With `repeatable` (reads,
	 * tracking changes) a 5xx or a dropped connection is sent again too. Never throws.
	 */
	async send(request: ZettleRequest, { repeatable = false } = {}): Promise<Outcome> {
		const options = this.options(request);
		let renewed = false;
		for (let attempt = 0; ; attempt++) {
			const { answer, failure } = await this.attempt(options);
			if (answer && answer.statusCode >= 200 && answer.statusCode < 300) {
				return {
					status: 'done',
					body: answer.body,
					headers: answer.headers ?? {},
					attempts: attempt + 1,
				};
			}
			if (answer?.statusCode === 401 && !renewed) {
				// not applied; renew the token the way n8n does, then send again
				renewed = true;
				const renewal = await this.renewToken();
				if (renewal)
					return this.failed(
						renewal,
						`the access token expired and could not be renewed: ${renewal.message}`,
						'notApplied',
						attempt,
					);
				continue;
			}
			const where = failure === undefined ? undefined : whereFailed(failure);
			const decision = decide({
				status: answer?.statusCode,
				retryAfter: answer?.headers?.['retry-after'],
				location: answer?.headers?.location,
				sent: where?.sent,
				notSentReason: where?.reason,
				attempt,
				random: Math.random(),
				maxWaitMs: this.maxWaitMs,
				repeatable,
			});
			if (decision.kind === 'retry') {
				await sleep(decision.waitMs);
				continue;
			}
			const error = failure ?? this.httpError(answer!);
			return this.failed(error, decision.reason, decision.kind, attempt);
		}
	}

	/** Sends the request once, paced: Zettle's whole answer (any status), or why none came. */
	private async attempt(
		options: IHttpRequestOptions,
	): Promise<{ answer?: FullResponse; failure?: unknown }> {
		await this.pacer.wait();
		let sent: { answer?: FullResponse; failure?: unknown };
		try {
			const answer = (await this.context.helpers.httpRequestWithAuthentication.call(
				this.context,
				this.type,
				{ ...options, returnFullResponse: true, ignoreHttpStatusErrors: true },
			)) as FullResponse;
			sent = { answer };
		} catch (error) {
			sent = { failure: error };
		}
		if (this.first) {
			// the credential's token may have been fetched before this request went out
			this.first = false;
			this.pacer.restart();
		}
		return sent;
	}

	/** A paced read, retried on 429, 503, 5xx and dropped connections (reads change nothing). Throws Zettle's error. */
	async read<T = unknown>(request: ZettleRequest): Promise<T> {
		return (await this.readAnswer(request)).body as T;
	}

	/** A read with the answer's headers (for paging). */
	private async readAnswer(
		request: ZettleRequest,
	): Promise<{ body: unknown; headers: Record<string, string> }> {
		// no error type is accepted, so every refusal is thrown
		return (await this.readOrRefused(request, [])) as {
			body: unknown;
			headers: Record<string, string>;
		};
	}

	/**
	 * A read that Zettle may refuse with an error that is itself an answer (e.g. 400 PRODUCT_NOT_TRACKED:
	 * a product of the read is untracked): a 4xx whose `errorType` is one of `errorTypes` comes back as
	 * `refused`; any other failure is thrown as by `read`.
	 */
	async readOrRefused(
		request: ZettleRequest,
		errorTypes: string[],
	): Promise<
		{ body: unknown; headers: Record<string, string> } | { refused: string; status: number }
	> {
		const outcome = await this.send(request, { repeatable: true });
		if (outcome.status === 'done') return outcome;
		const { status, data } = causeOf(outcome.error);
		const errorType = (data as { errorType?: unknown } | undefined)?.errorType;
		if (
			status !== undefined &&
			status >= 400 &&
			status < 500 &&
			typeof errorType === 'string' &&
			errorTypes.includes(errorType)
		)
			return { refused: errorType, status };
		throw toNodeApiError(this.context, outcome.error, {
			message: `Reading ${request.path} failed: ${outcome.reason}`,
		});
	}

	/**
	 * Renews an expired token through n8n's credential logic: a plain read that n8n sees answered
	 * 401, so it runs the API key's token exchange or the OAuth2 refresh, stores the new token with
	 * the credential and sends the read again. The read (the user behind the token) changes nothing,
	 * so a 5xx or 429 on it is retried. Returns the error when the token could not be renewed.
	 */
	private async renewToken(): Promise<Error | undefined> {
		const options: IHttpRequestOptions = {
			...this.options({ service: 'oauth', method: 'GET', path: '/users/self' }),
		};
		for (let attempt = 0; ; attempt++) {
			await this.pacer.wait();
			try {
				await this.context.helpers.httpRequestWithAuthentication.call(
					this.context,
					this.type,
					options,
				);
				this.pacer.restart();
				return undefined;
			} catch (error) {
				// a busy or failing answer may be retried twice; a failed token exchange is final
				const status = causeOf(error).status;
				const transient =
					status === 429 || (status !== undefined && status >= 500) || whereFailed(error).sent;
				if (!transient || attempt >= RENEWAL_RETRIES) return error as Error;
				await sleep(Math.min(this.maxWaitMs, 1000 * 2 ** attempt));
			}
		}
	}

	/**
	 * The bodies of a paged read, page by page: each next page is the URL of the answer's
	 * `Link: <…>; rel="next"` header, taken as Zettle gives it (never computed), and the read ends on
	 * an answer without one. `what` names the read in the error of a read that does not end.
	 */
	async *pages(first: ZettleRequest, what: string): AsyncGenerator<unknown> {
		let request: ZettleRequest | undefined = first;
		for (let page = 0; request; page++) {
			if (page >= MAX_PAGES)
				throw this.answerError(
					`Zettle's ${what} did not end after ${MAX_PAGES} pages. Nothing was sent.`,
				);
			const answer = await this.readAnswer(request);
			yield answer.body;
			const next = this.nextPage(answer.headers, request.service);
			request = next === undefined ? undefined : { ...first, path: next, qs: undefined };
		}
	}

	/**
	 * The path of the next page from a `Link: <…>; rel="next"` header, or undefined on the last page.
	 * The URL is followed as Zettle gives it, but only on the service's own host: the token never goes
	 * to a host an answer names.
	 */
	private nextPage(headers: Record<string, string>, service: ZettleService): string | undefined {
		const link = headers.link ?? headers.Link;
		if (!link) return undefined;
		const next = /<([^>]*)>\s*;[^,]*rel="?next"?/i.exec(link)?.[1];
		if (!next) return undefined;
		const host = new URL(this.hosts[service]);
		let url: URL;
		try {
			url = new URL(next, host);
		} catch {
			throw this.answerError(`Zettle's next-page link is not a URL. Nothing was sent on it.`);
		}
		if (url.origin !== host.origin) {
			throw this.answerError(
				`Zettle's next-page link points at ${url.origin}, not at ${host.origin}: not followed, so the token stays with the credential's host.`,
			);
		}
		const base = host.pathname.replace(/\/+$/, '');
		return `${url.pathname.startsWith(base) ? url.pathname.slice(base.length) : url.pathname}${url.search}`;
	}

	/** An answer that is not what Zettle documents: said as such, before anything is sent on it. */
	answerError(message: string): NodeOperationError {
		return new NodeOperationError(this.context.getNode(), message);
	}

	private httpError(answer: FullResponse): NodeApiError {
		const error = new NodeApiError(
			this.context.getNode(),
			{ message: `HTTP ${answer.statusCode}` } as JsonObject,
			{ httpCode: String(answer.statusCode) },
		);
		if (typeof answer.body === 'object' && answer.body !== null)
			error.context.data = answer.body as IDataObject;
		return error;
	}

	private failed(
		error: unknown,
		reason: string,
		status: 'notApplied' | 'unknown',
		attempt: number,
	): Outcome {
		return { status, reason, error, attempts: attempt + 1 };
	}
}
