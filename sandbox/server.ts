// The Zettle sandbox: one loopback HTTP server that answers for oauth.zettle.com, inventory.izettle.com
// (legacy and V3), products.izettle.com and pusher.izettle.com (their paths do not overlap), with
// fault injection, a request log and signed webhook deliveries.

import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';

import { FaultAction, FaultOptions, FaultRule, Faults } from './faults';
import { ApiRequest, ApiResponse, findRoute, Route, routes, ZettleError } from './inventory';
import { v3Routes } from './inventoryV3';
import {
	AccessToken,
	apiKeyClaims,
	JWT_BEARER_GRANT,
	OAuthError,
	OAuthService,
	PartnerApp,
} from './oauth';
import { changeProduct, sellAtTill } from './pos';
import { DeliveryFaults, Pusher } from './pusher';
import { CatalogueOptions, generateOrganization, SEED, seedOrganization } from './seed';
import { Organization } from './state';

export interface SandboxOptions {
	/** 0 (default) picks a free port */
	port?: number;
	host?: string;
	faults?: FaultOptions;
	/** access token lifetime; Zettle's is 7200 s */
	tokenTtlSeconds?: number;
	/** add a generated organization (e.g. 1,000 products × 10 variants) beside the seed one */
	catalogue?: Omit<CatalogueOptions, 'organizationUuid'>;
	partnerApp?: PartnerApp;
	/** what goes wrong with webhook deliveries (duplicates, delays, reordering, wrong signatures, a short retry schedule) */
	deliveryFaults?: DeliveryFaults;
}

export interface LoggedRequest {
	seq: number;
	/** when the request arrived (Date.now(), ms) */
	at: number;
	method: string;
	path: string;
	query: Record<string, string>;
	/** request headers; `authorization` is redacted */
	headers: Record<string, string>;
	/** parsed JSON or form body; secrets in token requests are redacted */
	body: unknown;
	/** HTTP status answered; 0 when the connection was dropped */
	status: number;
	/** whether a write changed state (false for refused and failed requests) */
	applied: boolean;
	fault?: FaultAction | 'rateLimit' | 'tokenExpired';
	organizationUuid?: string;
	response?: unknown;
}

const REDACTED = '[redacted]';
const SECRET_FORM_FIELDS = ['assertion', 'client_secret', 'refresh_token', 'code'];

export class Sandbox {
	readonly oauth: OAuthService;
	readonly organizations = new Map<string, Organization>();
	readonly faults: Faults;
	/** the Pusher API: webhook subscriptions and their deliveries */
	readonly pusher = new Pusher();
	readonly requests: LoggedRequest[] = [];
	/** an API key for the seed organization */
	readonly apiKey: string;
	/** an API key for the generated catalogue organization, when one was asked for */
	readonly catalogueApiKey?: string;
	url = '';
	private server?: Server;
	private seq = 0;

	constructor(private readonly options: SandboxOptions = {}) {
		const seedOrg = seedOrganization();
		this.setOrganization(seedOrg);
		this.pusher.faults = options.deliveryFaults ?? {};
		this.oauth = new OAuthService(
			options.partnerApp ?? {
				clientId: 'a1d4e5f0-5f0f-11ec-bf63-0242ac130002',
				clientSecret: 'sandbox-partner-secret',
			},
			seedOrg.uuid,
			options.tokenTtlSeconds,
			SEED.userUuid,
		);
		this.faults = new Faults(options.faults);
		this.apiKey = this.oauth.createApiKey(seedOrg.uuid);
		if (options.catalogue) {
			const org = generateOrganization({ ...options.catalogue, organizationUuid: randomUUID() });
			this.setOrganization(org);
			this.catalogueApiKey = this.oauth.createApiKey(org.uuid);
		}
	}

	/** Back to the starting state (seed balances and tracking, empty log, the faults it started with); keys stay valid. */
	reset(): void {
		const seedOrg = seedOrganization();
		this.setOrganization(seedOrg);
		for (const uuid of [...this.organizations.keys()]) {
			if (uuid !== seedOrg.uuid && this.options.catalogue)
				this.setOrganization(
					generateOrganization({ ...this.options.catalogue, organizationUuid: uuid }),
				);
		}
		this.requests.length = 0;
		this.faults.set(this.options.faults ?? {});
		this.pusher.reset();
		this.pusher.faults = this.options.deliveryFaults ?? {};
	}

	/** A till sale of a variant (STORE → SOLD), delivered to webhook subscriptions like Zettle's POS would. */
	sellAtTill(variantUuid: string, quantity = 1, org = this.seedOrganization) {
		return sellAtTill(org, this.pusher, variantUuid, quantity);
	}

	private setOrganization(org: Organization): void {
		this.organizations.set(org.uuid, org);
		this.pusher.attach(org);
	}

	get seedOrganization(): Organization {
		return this.organizations.get(SEED.organizationUuid)!;
	}

	/** The organization an API key belongs to. */
	organizationOf(apiKey: string): Organization {
		return this.organizations.get(apiKeyClaims(apiKey).user.orgUuid)!;
	}

	async start(): Promise<this> {
		this.server = createServer((req, res) => void this.handle(req, res));
		await new Promise<void>((resolve) =>
			this.server!.listen(this.options.port ?? 0, this.options.host ?? '127.0.0.1', resolve),
		);
		const { port } = this.server.address() as AddressInfo;
		this.url = `http://${this.options.host ?? '127.0.0.1'}:${port}`;
		return this;
	}

	async close(): Promise<void> {
		this.pusher.reset();
		if (!this.server) return;
		this.server.closeAllConnections();
		await new Promise<void>((resolve) => this.server!.close(() => resolve()));
	}

	/** Logged requests to the Zettle APIs (token requests included), optionally filtered by method/path prefix. */
	log(method?: string, pathPrefix?: string): LoggedRequest[] {
		return this.requests.filter(
			(r) => (!method || r.method === method) && (!pathPrefix || r.path.startsWith(pathPrefix)),
		);
	}

	/** One request: logged, delayed by the latency fault, then the OAuth endpoints, or an authenticated API call. */
	private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const at = Date.now();
		const url = new URL(req.url ?? '/', this.url);
		const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
		const raw = await readBody(req);

		if (path.startsWith('/__sandbox')) return this.admin(req.method ?? 'GET', path, raw, res);

		const entry: LoggedRequest = {
			seq: ++this.seq,
			at,
			method: req.method ?? 'GET',
			path,
			query: Object.fromEntries(url.searchParams),
			headers: redactHeaders(req.headers),
			body: undefined,
			status: 0,
			applied: false,
		};
		this.requests.push(entry);
		const answer = (r: ApiResponse) => {
			entry.status = r.status;
			send(res, r);
		};

		if (this.faults.options.latencyMs) await sleep(this.faults.options.latencyMs);

		if (path === '/token' || path === '/authorize') {
			// scripted faults reach the token endpoint too (a failing or redirecting token endpoint)
			if (this.answerScriptedFault(entry, path, req, answer)) return;
			return this.oauthEndpoint(entry, url, raw, req, res, answer);
		}
		const checked = this.authenticate(entry, req);
		if ('status' in checked) return answer(checked);
		if (path === '/users/self' && entry.method === 'GET') {
			if (this.answerScriptedFault(entry, path, req, answer)) return;
			return answer({
				status: 200,
				body: { uuid: checked.userUuid, organizationUuid: checked.organizationUuid },
			});
		}
		await this.apiCall(entry, { req, url, raw, token: checked }, answer);
	}

	/** The bearer token's record, or the 401 Zettle answers (expired, invalid, missing); counts the token's uses. */
	private authenticate(entry: LoggedRequest, req: IncomingMessage): AccessToken | ApiResponse {
		const token = bearer(req.headers.authorization);
		const checked = token ? this.oauth.check(token) : undefined;
		if (checked === 'expired' || checked === undefined) {
			if (checked === 'expired') entry.fault = 'tokenExpired';
			const description =
				checked === 'expired'
					? 'ACCESS_TOKEN_EXPIRED'
					: token
						? 'ACCESS_TOKEN_INVALID'
						: 'ACCESS_TOKEN_MISSING';
			return {
				status: 401,
				headers: {
					'WWW-Authenticate': `Bearer error="invalid_request", error_description="${description}"`,
				},
				body: {
					developerMessage: `Unauthorized: ${description}`,
					errorType: 'UNAUTHORIZED',
					violations: [],
				},
			};
		}
		entry.organizationUuid = checked.organizationUuid;
		const limit = this.faults.options.expireTokenAfterRequests;
		if (limit !== undefined && ++checked.uses >= limit) this.oauth.expire(token!);
		return checked;
	}

	/**
	 * An API call: route, scope, JSON body, rate limit, scripted or random fault, then the route's handler.
	 * Kept whole on purpose: the order of these gates is what Zettle's answers depend on (a 429 or a
	 * fault before the handler means nothing was applied), and it reads top to bottom here.
	 */
	private async apiCall(
		entry: LoggedRequest,
		call: { req: IncomingMessage; url: URL; raw: string; token: AccessToken },
		answer: (r: ApiResponse) => void,
	): Promise<void> {
		const { req, url, raw, token } = call;
		const org = this.organizations.get(token.organizationUuid)!;
		const found = this.routeOf(entry.method, entry.path, org);
		if ('error' in found) return answer(errorResponse(found.error));
		const scope = found.route.write ? 'WRITE:PRODUCT' : 'READ:PRODUCT';
		if (!token.scopes.includes(scope))
			return answer(
				errorResponse(
					new ZettleError(403, 'INSUFFICIENT_SCOPE', `This request needs the ${scope} scope`),
				),
			);
		try {
			entry.body = raw.length ? JSON.parse(raw) : undefined;
		} catch {
			return answer(
				errorResponse(new ZettleError(400, 'INVALID_JSON', 'Malformed JSON in request body')),
			);
		}
		if (this.faults.overRateLimit(org.uuid, Date.now())) {
			entry.fault = 'rateLimit';
			const headers: Record<string, string> =
				this.faults.options.rateLimitRetryAfter === false ? {} : { 'Retry-After': '1' };
			return answer({
				status: 429,
				headers,
				body: {
					developerMessage: 'Too many requests',
					errorType: 'TOO_MANY_REQUESTS',
					violations: [],
				},
			});
		}
		const rule = this.faults.pick(entry.method, entry.path, found.route.write);
		entry.fault = rule?.action;
		if (rule?.action === 'concurrentSale') sellConcurrently(org, rule);
		if (rule && this.answerFault(rule, entry, req, answer)) return;

		let response: ApiResponse;
		try {
			const origin = { clientUuid: token.clientId, userUuid: token.userUuid };
			const request: ApiRequest = {
				org,
				method: entry.method,
				path: found.path,
				query: url.searchParams,
				body: entry.body,
				baseUrl: this.url,
				origin,
				scopes: token.scopes,
				pusher: this.pusher,
				untrackedReads: this.faults.options.untrackedReads,
			};
			response = await found.route.handle(request, found.params);
			entry.applied = found.route.write;
		} catch (error) {
			if (!(error instanceof ZettleError)) throw error;
			response = errorResponse(error);
		}
		entry.response = response.body;
		if (rule?.action === 'applyThenDrop') return void req.socket.destroy();
		if (rule?.action === 'applyThenRespond' && entry.applied) return answer(ruleResponse(rule));
		answer(response);
	}

	/**
	 * The route of a request: V3's under `/v3/…` (no organization in the path), the others under
	 * `/organizations/{self|uuid}/…` (legacy inventory, Product Library, Pusher subscriptions).
	 */
	private routeOf(
		method: string,
		path: string,
		org: Organization,
	): { route: Route; params: string[]; path: string } | { error: ZettleError } {
		let table: Route[] = routes;
		let routePath: string;
		if (path.startsWith('/v3/')) {
			table = v3Routes;
			routePath = path.slice(3);
		} else {
			const orgPath = /^\/organizations\/([^/]+)(\/.*)$/.exec(path);
			if (!orgPath) return { error: new ZettleError(404, 'NOT_FOUND', `No resource at ${path}`) };
			if (orgPath[1] !== 'self' && orgPath[1] !== org.uuid)
				return {
					error: new ZettleError(
						403,
						'FORBIDDEN',
						'The token does not belong to this organization',
					),
				};
			routePath = orgPath[2];
		}
		const found = findRoute(method, routePath, table);
		if (found === undefined)
			return { error: new ZettleError(404, 'NOT_FOUND', `No resource at ${path}`) };
		if (found === 'method')
			return {
				error: new ZettleError(405, 'METHOD_NOT_ALLOWED', `${method} is not allowed on ${path}`),
			};
		return { ...found, path: routePath };
	}

	/** answerFault for a scripted rule only (no random faults): the token and /users/self endpoints. */
	private answerScriptedFault(
		entry: LoggedRequest,
		path: string,
		req: IncomingMessage,
		answer: (r: ApiResponse) => void,
	): boolean {
		const rule = this.faults.pick(entry.method, path, false, { rulesOnly: true });
		return rule !== undefined && this.answerFault(rule, entry, req, answer);
	}

	/** Answers a request in place of the normal handler when its fault says so; false when the request goes on. */
	private answerFault(
		rule: FaultRule,
		entry: LoggedRequest,
		req: IncomingMessage,
		answer: (r: ApiResponse) => void,
	): boolean {
		entry.fault = rule.action;
		switch (rule.action) {
			case 'error500':
				answer(errorResponse(new ZettleError(500, 'INTERNAL_ERROR', 'Internal server error')));
				return true;
			case 'unavailable503':
			case 'rateLimited429':
				answer({
					status: rule.action === 'unavailable503' ? 503 : 429,
					headers: { 'Retry-After': '1' },
					body: { developerMessage: 'Try again later', errorType: 'UNAVAILABLE', violations: [] },
				});
				return true;
			case 'dropBeforeApply':
				req.socket.destroy();
				return true;
			case 'respond':
				answer(ruleResponse(rule));
				return true;
			default:
				return false;
		}
	}

	private oauthEndpoint(
		entry: LoggedRequest,
		url: URL,
		raw: string,
		req: IncomingMessage,
		res: ServerResponse,
		answer: (r: ApiResponse) => void,
	) {
		try {
			if (entry.path === '/authorize' && entry.method === 'GET') {
				entry.status = 302;
				res.writeHead(302, { Location: this.oauth.authorize(url.searchParams) });
				return void res.end();
			}
			if (entry.path === '/token' && entry.method === 'POST') {
				const form = new URLSearchParams(raw);
				entry.body = Object.fromEntries(
					[...form].map(([k, v]) => [k, SECRET_FORM_FIELDS.includes(k) ? REDACTED : v]),
				);
				if (!String(req.headers['content-type']).startsWith('application/x-www-form-urlencoded')) {
					throw new OAuthError(
						'invalid_request',
						'the token request must be application/x-www-form-urlencoded',
					);
				}
				return answer({
					status: 200,
					body: this.oauth.token(form, basicAuth(req.headers.authorization)),
				});
			}
			return answer(
				errorResponse(
					new ZettleError(
						405,
						'METHOD_NOT_ALLOWED',
						`${entry.method} is not allowed on ${entry.path}`,
					),
				),
			);
		} catch (error) {
			if (!(error instanceof OAuthError)) throw error;
			answer({
				status: error.error === 'invalid_client' ? 401 : 400,
				body: { error: error.error, error_description: error.description },
			});
		}
	}

	/** Endpoints for people and scripts driving the sandbox from outside (the e2e, `npm run dev`). Not logged. */
	private admin(method: string, path: string, raw: string, res: ServerResponse) {
		if (method === 'GET' && path === '/__sandbox/requests')
			return send(res, { status: 200, body: this.requests });
		if (method === 'GET' && path === '/__sandbox/state') {
			const body = Object.fromEntries(
				[...this.organizations].map(([uuid, org]) => [uuid, org.snapshot()]),
			);
			return send(res, { status: 200, body });
		}
		if (method === 'POST' && path === '/__sandbox/reset') {
			this.reset();
			return send(res, { status: 204 });
		}
		if (method === 'PUT' && path === '/__sandbox/faults') {
			this.faults.set(JSON.parse(raw || '{}'));
			return send(res, { status: 204 });
		}
		if (method === 'PUT' && path === '/__sandbox/delivery-faults') {
			this.pusher.faults = JSON.parse(raw || '{}');
			return send(res, { status: 204 });
		}
		if (method === 'GET' && path === '/__sandbox/subscriptions')
			return send(res, { status: 200, body: [...this.pusher.subscriptions.values()] });
		if (method === 'GET' && path === '/__sandbox/deliveries')
			return send(res, { status: 200, body: this.pusher.deliveries });
		try {
			if (method === 'POST' && path === '/__sandbox/sale')
				return send(res, { status: 200, body: this.adminSale(JSON.parse(raw || '{}')) });
			if (path.startsWith('/__sandbox/products'))
				return send(res, this.adminProduct(method, path, JSON.parse(raw || '{}')));
		} catch (error) {
			return send(res, { status: 400, body: { developerMessage: (error as Error).message } });
		}
		send(res, { status: 404, body: { developerMessage: `No sandbox endpoint ${method} ${path}` } });
	}

	/** POST /__sandbox/sale `{sku | variantUuid, quantity?, organizationUuid?}`: a sale at the till. */
	private adminSale(body: {
		sku?: string;
		variantUuid?: string;
		quantity?: number;
		organizationUuid?: string;
	}) {
		const org = this.organizations.get(body.organizationUuid ?? SEED.organizationUuid);
		if (!org) throw new Error(`no organization ${body.organizationUuid}`);
		const variant = [...org.products.values()]
			.flatMap((p) => p.variants)
			.find((v) => v.uuid === body.variantUuid || (body.sku !== undefined && v.sku === body.sku));
		if (!variant)
			throw new Error(
				`no variant with ${body.sku ? `SKU ${body.sku}` : `UUID ${body.variantUuid}`}`,
			);
		const sale = sellAtTill(org, this.pusher, variant.uuid, body.quantity ?? 1);
		return {
			...sale,
			variantUuid: variant.uuid,
			storeBalance: org.balance(org.store.uuid, variant.uuid),
		};
	}

	/** POST /__sandbox/products `{name, variants}`, PUT /__sandbox/products/{uuid} `{name}`, DELETE /__sandbox/products/{uuid}: back-office product changes. */
	private adminProduct(
		method: string,
		path: string,
		body: { name?: string; variants?: Array<{ name?: string; sku?: string; barcode?: string }> },
	): ApiResponse {
		const org = this.seedOrganization;
		const uuid = path.split('/')[3];
		if (method === 'POST' && !uuid) {
			const product = {
				uuid: randomUUID(),
				name: body.name ?? 'New product',
				variants: (body.variants ?? [{}]).map((v) => ({
					uuid: randomUUID(),
					name: v.name ?? '',
					sku: v.sku,
					barcode: v.barcode,
				})),
			};
			changeProduct(org, this.pusher, { kind: 'create', product });
			return { status: 200, body: product };
		}
		if (method === 'PUT' && uuid)
			return (
				changeProduct(org, this.pusher, {
					kind: 'update',
					productUuid: uuid,
					name: body.name ?? '',
				}),
				{ status: 204 }
			);
		if (method === 'DELETE' && uuid)
			return (
				changeProduct(org, this.pusher, { kind: 'delete', productUuid: uuid }),
				{ status: 204 }
			);
		return { status: 404, body: { developerMessage: `No sandbox endpoint ${method} ${path}` } };
	}
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
	return await new Sandbox(options).start();
}

export { JWT_BEARER_GRANT, SEED };

/**
 * A point-of-sale sale (STORE → SOLD) of a tracked variant, as Zettle's POS would record it: a till sale
 * given no Pusher, so it sends no PurchaseCreated; its balance change is published as any other's.
 */
function sellConcurrently(org: Organization, rule: FaultRule) {
	try {
		sellAtTill(org, undefined, String(rule.variantUuid), rule.quantity ?? 1);
	} catch (error) {
		throw new Error(`concurrentSale: ${(error as Error).message}`);
	}
}

function errorResponse(error: ZettleError): ApiResponse {
	return { status: error.status, body: error.toBody() };
}

/** The answer a `respond` or `applyThenRespond` rule scripts: a JSON body, or raw text as it is. */
function ruleResponse(rule: FaultRule): ApiResponse {
	return {
		status: rule.status ?? 200,
		headers: rule.headers,
		body: rule.body,
		rawBody: rule.rawBody,
	};
}

function send(res: ServerResponse, r: ApiResponse) {
	const headers: Record<string, string> = { ...r.headers };
	let payload = '';
	if (r.rawBody !== undefined) {
		payload = r.rawBody;
		headers['Content-Type'] ??= 'application/json';
	} else if (r.body !== undefined) {
		payload = JSON.stringify(r.body);
		headers['Content-Type'] = 'application/json';
	}
	res.writeHead(r.status, headers);
	res.end(payload);
}

async function readBody(req: IncomingMessage): Promise<string> {
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks).toString('utf8');
}

function bearer(header: string | undefined): string | undefined {
	const match = /^Bearer (\S+)$/i.exec(header ?? '');
	return match?.[1];
}

function basicAuth(header: string | undefined): { id: string; secret: string } | undefined {
	const match = /^Basic (\S+)$/i.exec(header ?? '');
	if (!match) return undefined;
	const [id, ...rest] = Buffer.from(match[1], 'base64').toString('utf8').split(':');
	return { id: decodeURIComponent(id), secret: decodeURIComponent(rest.join(':')) };
}

function redactHeaders(headers: IncomingMessage['headers']): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [name, value] of Object.entries(headers)) {
		if (value === undefined) continue;
		out[name] =
			name === 'authorization' ? `${String(value).split(' ')[0]} ${REDACTED}` : String(value);
	}
	return out;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
