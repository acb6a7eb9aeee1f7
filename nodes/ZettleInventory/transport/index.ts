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

import { classifyFailure, Failure } from './retry';
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
	const base = (error instanceof NodeApiError ? (error.cause ?? error) : error) as unknown as JsonObject;
	return new NodeApiError(context.getNode(), base ?? {}, {
		message: extra.message
			? `${extra.message}${zettle ? `. ${zettle.message}` : ''}`
			: (zettle?.message ?? (error as Error).message),
		description: [extra.description, zettle?.description].filter(Boolean).join(' ') || (error as NodeApiError).description || undefined,
		httpCode: cause.status !== undefined ? String(cause.status) : undefined,
		itemIndex: extra.itemIndex,
	});
}

/** Status, headers, body and code of a failed request, wherever n8n put them. */
export function causeOf(error: unknown): { status?: number; retryAfter?: string; data?: unknown; code?: string; url?: string } {
	const outer = error as { cause?: unknown; context?: { data?: unknown } };
	const axios = (outer?.cause ?? error) as {
		response?: { status?: number; headers?: Record<string, string>; data?: unknown };
		code?: string;
		config?: { url?: string };
	};
	return {
		status: axios?.response?.status,
		retryAfter: axios?.response?.headers?.['retry-after'],
		data: axios?.response?.data ?? outer?.context?.data,
		code: axios?.code,
		url: axios?.config?.url,
	};
}

/** Spaces requests out to stay within Zettle's rate limit. One per execution: no state outlives it. */
export class Pacer {
	private last = 0;

	constructor(private readonly requestsPerSecond: number) {}

	async wait(): Promise<void> {
		if (this.requestsPerSecond <= 0) return;
		const gap = 1000 / this.requestsPerSecond - (Date.now() - this.last);
		if (gap > 0) await sleep(gap);
		this.last = Date.now();
	}
}

export type WriteOutcome =
	| { status: 'applied'; response: unknown; attempts: number }
	| { status: 'rejected' | 'unknown'; error: unknown; failure: Failure; attempts: number };

/**
 * Sends one write. Retries only when Zettle's answer proves it was not applied (429, 503 with
 * Retry-After); any other failure is reported as rejected (not applied) or unknown (maybe applied).
 */
export async function sendWrite(
	this: IExecuteFunctions,
	pacer: Pacer,
	method: IHttpRequestMethods,
	path: string,
	body: IDataObject,
): Promise<WriteOutcome> {
	const { type, options } = await buildRequest(this, 'inventory', method, path, body);
	for (let attempt = 0; ; attempt++) {
		await pacer.wait();
		try {
			const response = await this.helpers.httpRequestWithAuthentication.call(this, type, { ...options });
			return { status: 'applied', response, attempts: attempt + 1 };
		} catch (error) {
			const cause = causeOf(error);
			const failure = classifyFailure({
				status: cause.status,
				retryAfter: cause.retryAfter,
				code: cause.code,
				wasTheWrite: cause.url === options.url,
				attempt,
				random: Math.random(),
			});
			if (failure.kind === 'retry') {
				await sleep(failure.waitMs);
				continue;
			}
			return { status: failure.kind, error, failure, attempts: attempt + 1 };
		}
	}
}
