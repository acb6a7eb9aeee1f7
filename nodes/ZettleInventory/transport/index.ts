// The one place that talks HTTP to Zettle: credential choice, hosts, authentication (n8n's
// httpRequestWithAuthentication), Zettle's error body, pacing and the retry policy for writes.

import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import type { LibraryProduct } from '../helpers/catalogue';
import type { ZettleLocation } from '../helpers/movements';
import { backoffMs, classifyFailure, Failure, MAX_RETRIES } from './retry';
import { ZettleHosts, zettleHosts } from './hosts';

type Context = IExecuteFunctions | ILoadOptionsFunctions;
export type ZettleService = keyof ZettleHosts;

const REQUEST_TIMEOUT_MS = 60_000;

export function credentialType(context: Context): 'zettleApi' | 'zettleOAuth2Api' {
	const authentication = context.getNodeParameter('authentication', 0, 'apiKey') as string;
	return authentication === 'oAuth2' ? 'zettleOAuth2Api' : 'zettleApi';
}

async function hostsOf(context: Context, type: string): Promise<ZettleHosts> {
	const hosts = zettleHosts(await context.getCredentials(type));
	if ('error' in hosts) throw new NodeOperationError(context.getNode(), hosts.error);
	return hosts;
}

/**
 * The organization's locations (STORE, SUPPLIER, SOLD, BIN): read once per execution. With the
 * execution's pacer the read counts against the rate limit like every other request (and is retried).
 */
export async function getLocations(this: Context, pacer?: Pacer): Promise<ZettleLocation[]> {
	const path = '/organizations/self/locations';
	if (pacer) return (await zettleRead.call(this as IExecuteFunctions, pacer, 'inventory', 'GET', path)) as ZettleLocation[];
	return (await zettleApiRequest.call(this, 'inventory', 'GET', path)) as ZettleLocation[];
}

/** Zettle's error body `{developerMessage, errorType, violations}` as one readable message, when present. */
export function zettleErrorMessage(data: unknown): { message: string; description?: string } | undefined {
	if (typeof data !== 'object' || data === null) return undefined;
	const body = data as { developerMessage?: string; errorType?: string; violations?: Array<{ propertyName?: string; developerMessage?: string }> };
	if (!body.developerMessage && !body.errorType) return undefined;
	const message = `Zettle: ${body.developerMessage ?? 'request refused'}${body.errorType ? ` [${body.errorType}]` : ''}`;
	const violations = (body.violations ?? []).map((v) => `${v.propertyName ?? '?'}: ${v.developerMessage ?? ''}`);
	return { message, description: violations.length ? violations.join('; ') : undefined };
}

/** A request as it goes out: everything but auth. */
export async function buildRequest(
	context: Context,
	service: ZettleService,
	method: IHttpRequestMethods,
	path: string,
	body?: IDataObject,
	qs?: IDataObject,
): Promise<{ type: string; options: IHttpRequestOptions }> {
	const type = credentialType(context);
	const hosts = await hostsOf(context, type);
	const options: IHttpRequestOptions = {
		method,
		url: `${hosts[service]}${path}`,
		headers: { Accept: 'application/json' },
		json: true,
		timeout: REQUEST_TIMEOUT_MS,
	};
	if (body) options.body = body;
	if (qs) options.qs = qs;
	return { type, options };
}

/** A read (or a write whose failure needs no outcome tracking). Throws a NodeApiError with Zettle's message. */
export async function zettleApiRequest<T = unknown>(
	this: Context,
	service: ZettleService,
	method: IHttpRequestMethods,
	path: string,
	body?: IDataObject,
	qs?: IDataObject,
): Promise<T> {
	const { type, options } = await buildRequest(this, service, method, path, body, qs);
	try {
		return (await this.helpers.httpRequestWithAuthentication.call(this, type, options)) as T;
	} catch (error) {
		throw toNodeApiError(this, error);
	}
}

export function toNodeApiError(context: Context, error: unknown, extra: { message?: string; description?: string; itemIndex?: number } = {}) {
	const cause = causeOf(error);
	const zettle = zettleErrorMessage(cause.data);
	const message = extra.message
		? `${extra.message}${zettle ? `. ${zettle.message}` : ''}`
		: (zettle?.message ?? (error as Error).message);
	const description = [extra.description, zettle?.description].filter(Boolean).join(' ') || (error as NodeApiError).description || undefined;
	const httpCode = cause.status !== undefined ? String(cause.status) : undefined;
	// a plain object, not the caught error: NodeApiError hands back an existing NodeApiError unchanged
	const response: JsonObject = { message, httpCode: httpCode ?? null, zettle: (cause.data ?? null) as JsonObject };
	return new NodeApiError(context.getNode(), response, { message, description, httpCode, itemIndex: extra.itemIndex });
}

/** Status and body of a failed request as n8n's NodeApiError keeps them (it drops headers and the cause). */
export function causeOf(error: unknown): { status?: number; data?: unknown } {
	const e = error as { httpCode?: string | null; context?: { data?: unknown } };
	const status = Number(e?.httpCode);
	return { status: Number.isInteger(status) && status >= 100 ? status : undefined, data: e?.context?.data };
}

/** Whether a request that failed without an answer never left this machine (so was not applied). */
function neverSent(error: unknown): boolean {
	const e = error as { message?: string; messages?: string[]; description?: string };
	const text = [e?.message, e?.description, ...(e?.messages ?? [])].join(' ');
	return /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|refused the connection|cannot be established/i.test(text);
}

/** Whether a request failed in the network (no answer), as opposed to before sending (e.g. the credential). */
function networkFailure(error: unknown): boolean {
	const e = error as { message?: string; messages?: string[]; description?: string; code?: string };
	const text = [e?.code, e?.message, e?.description, ...(e?.messages ?? [])].join(' ');
	return /ECONNRESET|ETIMEDOUT|ECONNABORTED|EPIPE|ECONNREFUSED|EAI_AGAIN|socket hang up|closed unexpectedly|timed? ?out|refused the connection/i.test(text);
}

/**
 * Spaces requests out to stay within Zettle's rate limit. One per execution: no state outlives it.
 * The spacing has a 10% margin: Zettle counts requests in a sliding window as they arrive, and
 * requests sent exactly 1/rate apart can arrive a few milliseconds closer (network jitter),
 * which a window of exactly `rate` per second answers with 429 and a one-second wait.
 */
export class Pacer {
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
}

export type WriteOutcome =
	| { status: 'applied'; response: unknown; attempts: number }
	| { status: 'rejected' | 'unknown'; error: unknown; failure: Failure; attempts: number };

interface FullResponse {
	statusCode: number;
	headers: Record<string, string>;
	body: unknown;
}

/**
 * Sends one request, a write or a read, and says what became of it. Every answer is read whole
 * (status, Retry-After, body), so a write is only sent again when the answer proves it was not
 * applied: 429, 503 with Retry-After, or 401 (the token expired: a read renews it through n8n's
 * credential logic first). A failure without an answer is "unknown": the write may have been applied.
 *
 * With `safeToRepeat` (reads, and writes that set a state rather than add to it) an unknown outcome
 * is sent again too, with backoff, up to the same retry limit.
 */
export async function sendRequest(
	this: IExecuteFunctions,
	pacer: Pacer,
	request: { type: string; options: IHttpRequestOptions },
	body: IDataObject | undefined,
	{ safeToRepeat = false } = {},
): Promise<WriteOutcome> {
	const { type } = request;
	const options = body === undefined ? request.options : { ...request.options, body };
	let renewedAuth = false;
	for (let attempt = 0; ; attempt++) {
		await pacer.wait();
		let answer: FullResponse;
		try {
			answer = (await this.helpers.httpRequestWithAuthentication.call(this, type, {
				...options,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
			})) as FullResponse;
		} catch (error) {
			// a read that failed before going out (the credential's token request, say) is that error
			if (safeToRepeat && !networkFailure(error)) throw toNodeApiError(this, error);
			const failure = classifyFailure({ code: neverSent(error) ? 'ECONNREFUSED' : 'ECONNRESET', attempt, random: Math.random() });
			if (safeToRepeat && attempt < MAX_RETRIES) {
				await sleep(backoffMs(attempt, Math.random()));
				continue;
			}
			return { status: failure.kind === 'rejected' ? 'rejected' : 'unknown', error, failure, attempts: attempt + 1 };
		}
		if (answer.statusCode < 300) return { status: 'applied', response: answer.body, attempts: attempt + 1 };
		const error = new NodeApiError(this.getNode(), { message: `HTTP ${answer.statusCode}` } as JsonObject, { httpCode: String(answer.statusCode) });
		error.context.data = answer.body as IDataObject;
		if (answer.statusCode === 401 && !renewedAuth) {
			// not applied; renew the token the way n8n does (a 401 on a normal request), then send again
			renewedAuth = true;
			await getLocations.call(this);
			continue;
		}
		const failure = classifyFailure({
			status: answer.statusCode,
			retryAfter: answer.headers?.['retry-after'],
			attempt,
			random: Math.random(),
		});
		if (failure.kind === 'retry' || (failure.kind === 'unknown' && safeToRepeat && attempt < MAX_RETRIES)) {
			await sleep(failure.kind === 'retry' ? failure.waitMs : backoffMs(attempt, Math.random()));
			continue;
		}
		return { status: failure.kind, error, failure, attempts: attempt + 1 };
	}
}

/** A paced read, retried on 429, 503, 5xx and dropped connections (reads change nothing). Throws Zettle's error. */
export async function zettleRead<T = unknown>(
	this: IExecuteFunctions,
	pacer: Pacer,
	service: ZettleService,
	method: IHttpRequestMethods,
	path: string,
	body?: IDataObject,
	qs?: IDataObject,
): Promise<T> {
	const request = await buildRequest(this, service, method, path, undefined, qs);
	const outcome = await sendRequest.call(this, pacer, request, body, { safeToRepeat: true });
	if (outcome.status === 'applied') return outcome.response as T;
	throw toNodeApiError(this, outcome.error, { message: `Reading ${path} failed: ${outcome.failure.reason}` });
}

const LIBRARY_PAGE = 500;

/**
 * The whole product library (GET /organizations/self/library, 500 products a page, Zettle's
 * maximum), page by page until a page comes back short. Pages are asked for by offset on the
 * credential's own products host rather than by the `Link` URL, so the token never goes to a
 * host an answer names.
 */
export async function getLibrary(this: IExecuteFunctions, pacer: Pacer): Promise<LibraryProduct[]> {
	const products: LibraryProduct[] = [];
	for (let offset = 0; ; offset += LIBRARY_PAGE) {
		const body = await zettleRead.call(this, pacer, 'products', 'GET', '/organizations/self/library', undefined, { limit: LIBRARY_PAGE, offset });
		const page = ((body as { products?: LibraryProduct[] } | undefined)?.products ?? []) as LibraryProduct[];
		products.push(...page);
		if (page.length < LIBRARY_PAGE) return products;
	}
}
