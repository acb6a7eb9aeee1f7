// The legacy Inventory API and the Product Library reads, as docs/reference/zettle-api.md §2.2 and §4 document them.
// Each handler takes the parsed request and returns the answer; the server does auth, faults and logging.

import type { Pusher } from './pusher';
import { LOCATION_TYPES, LocationType, Movement, Organization, Origin, Product } from './state';

export interface ApiRequest {
	org: Organization;
	method: string;
	/** path with `/organizations/{self|uuid}` and a trailing slash normalised away, e.g. `/inventory` */
	path: string;
	query: URLSearchParams;
	body: unknown;
	/** the public base URL of the sandbox, for `Link` headers */
	baseUrl: string;
	/** the API client and user behind the token */
	origin?: Origin;
	/** the token's scopes (subscriptions to an event need its scope) */
	scopes?: string[];
	/** the Pusher API, for the subscription routes */
	pusher?: Pusher;
	/** how a balance read by product answers for an untracked product (FaultOptions.untrackedReads) */
	untrackedReads?: 'list' | 'error';
}

/** A change without a known client (the sandbox's own, before the server passes the token's). */
export const UNKNOWN_ORIGIN: Origin = {
	clientUuid: '00000000-0000-1000-8000-000000000000',
	userUuid: '00000000-0000-1000-8000-000000000000',
};

/** The origin of a write: the token's client and user, with the request's externalUuid or identifier. */
export const originOf = (r: ApiRequest, externalUuid: unknown): Origin => ({
	...(r.origin ?? UNKNOWN_ORIGIN),
	externalUuid: typeof externalUuid === 'string' ? externalUuid : null,
});

export interface ApiResponse {
	status: number;
	body?: unknown;
	headers?: Record<string, string>;
	/** text sent as it is instead of `body` as JSON (fault injection: malformed answers) */
	rawBody?: string;
}

export interface Violation {
	propertyName: string;
	developerMessage: string;
	constraintType: string;
}

/** Zettle's error body: `{developerMessage, errorType, violations[]}` (docs/reference/zettle-api.md §3.1). */
export class ZettleError extends Error {
	constructor(
		readonly status: number,
		readonly errorType: string,
		message: string,
		readonly violations: Violation[] = [],
	) {
		super(message);
	}

	toBody() {
		return {
			developerMessage: this.message,
			errorType: this.errorType,
			violations: this.violations,
		};
	}
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A version 1 (time-based) UUID: the version digit is 1 and the variant is RFC 4122's. */
export const isUuidV1 = (v: string): boolean =>
	UUID.test(v) && v[14] === '1' && '89abAB'.includes(v[19]);
export const isObject = (v: unknown): v is Record<string, unknown> =>
	typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The largest `change` of one movement. Zettle documents no maximum; its own plugin caps a movement at
 * 99,999 because "the API does not allow transactions larger than 100.000" (docs/reference/
 * zettle-inventory-v3.md §3.4): the strict reading, on the legacy and V3 APIs alike.
 */
export const MAX_CHANGE = 99_999;

/** One constraint violation of a 400 answer, as Zettle lists them. */
export const violation = (
	propertyName: string,
	developerMessage: string,
	constraintType: string,
): Violation => ({ propertyName, developerMessage, constraintType });

/** The violation of a `change` above MAX_CHANGE. */
export const tooLarge = (propertyName: string): Violation =>
	violation(propertyName, `must be at most ${MAX_CHANGE}`, 'MAX');

/** Asserts that the body is an object whose `field` is an array; else the 400 Zettle answers. */
export function requireArray<F extends string>(
	body: unknown,
	field: F,
): asserts body is Record<string, unknown> & { [K in F]: unknown[] } {
	if (!isObject(body) || !Array.isArray(body[field])) {
		throw invalid([violation(field, 'must be an array', 'NOT_NULL')]);
	}
}

export function invalid(violations: Violation[]): ZettleError {
	return new ZettleError(
		400,
		'INVALID_REQUEST',
		`Request has ${violations.length} constraint violation(s)`,
		violations,
	);
}

/** Checks the UUID fields and `change` of movement rows; collects every violation, like a bean validator. */
function checkMovementFields(
	row: unknown,
	at: string,
	fields: string[],
	violations: Violation[],
): void {
	if (!isObject(row)) {
		violations.push(violation(at, 'must be an object', 'NOT_NULL'));
		return;
	}
	for (const field of fields) {
		const value = row[field];
		if (value === undefined || value === null) {
			violations.push(violation(`${at}.${field}`, 'must not be null', 'NOT_NULL'));
		} else if (field === 'change') {
			// one of Zettle's own examples sends "1" as a string, so an integer string is accepted too
			const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
			if (typeof n !== 'number' || !Number.isInteger(n) || n <= 0) {
				violations.push(violation(`${at}.change`, 'must be a positive integer', 'POSITIVE'));
			} else if (n > MAX_CHANGE) {
				violations.push(tooLarge(`${at}.change`));
			}
		} else if (typeof value !== 'string' || !UUID.test(value)) {
			violations.push(violation(`${at}.${field}`, 'must be a valid UUID', 'UUID'));
		}
	}
	if (
		fields.includes('fromLocationUuid') &&
		row.fromLocationUuid &&
		row.fromLocationUuid === row.toLocationUuid
	) {
		violations.push(
			violation(`${at}.toLocationUuid`, 'must differ from fromLocationUuid', 'DIFFERENT'),
		);
	}
}

/** A product of the organization, else the 404 Zettle answers; `at` names where the request gave its UUID. */
export function requireProduct(org: Organization, productUuid: string, at?: string): Product {
	const product = org.products.get(productUuid);
	if (!product)
		throw new ZettleError(
			404,
			'ENTITY_NOT_FOUND',
			`Product ${productUuid} not found${at === undefined ? '' : ` (${at})`}`,
		);
	return product;
}

/** The 400 Zettle answers for stock asked of (or moved in) a product it does not track. */
export function notTracked(productUuid: string, at: string): ZettleError {
	return new ZettleError(
		400,
		'PRODUCT_NOT_TRACKED',
		`Product ${productUuid} is not tracked (${at}); start tracking it first`,
	);
}

/** A tracked product named in the request's path: 404 when unknown, then 400 when not tracked. */
export function requireTracked(org: Organization, productUuid: string): Product {
	const product = requireProduct(org, productUuid);
	if (!org.tracked.has(productUuid)) throw notTracked(productUuid, 'path');
	return product;
}

/** How an API names a movement's two locations: their fields, and its noun for a location in errors. */
export interface MovementFields {
	from: string;
	to: string;
	noun: 'Location' | 'Inventory';
}

const LEGACY_MOVEMENT: MovementFields = {
	from: 'fromLocationUuid',
	to: 'toLocationUuid',
	noun: 'Location',
};

/** Resolves one movement against the organization: known product, variant of that product, known locations. */
export function toMovement(
	org: Organization,
	productUuid: string,
	row: Record<string, unknown>,
	at: string,
	fields: MovementFields = LEGACY_MOVEMENT,
): Movement {
	const product = requireProduct(org, productUuid, at);
	const variantUuid = String(row.variantUuid);
	if (!product.variants.some((v) => v.uuid === variantUuid)) {
		throw new ZettleError(
			404,
			'ENTITY_NOT_FOUND',
			`Variant ${variantUuid} not found in product ${productUuid} (${at})`,
		);
	}
	for (const field of [fields.from, fields.to]) {
		if (!org.location(String(row[field]))) {
			throw new ZettleError(
				404,
				'ENTITY_NOT_FOUND',
				`${fields.noun} ${String(row[field])} not found (${at}.${field})`,
			);
		}
	}
	return {
		productUuid,
		variantUuid,
		fromLocationUuid: String(row[fields.from]),
		toLocationUuid: String(row[fields.to]),
		change: Number(row.change),
	};
}

function returnLocation(org: Organization, body: Record<string, unknown>) {
	const requested = body.returnBalanceForLocationUuid;
	if (requested === undefined || requested === null) return org.store;
	const location = typeof requested === 'string' ? org.location(requested) : undefined;
	if (!location)
		throw new ZettleError(
			404,
			'ENTITY_NOT_FOUND',
			`Location ${String(requested)} not found (returnBalanceForLocationUuid)`,
		);
	return location;
}

/**
 * `externalUuid` must be a v1 (time-based) UUID. Zettle's docs only say "a UUID"; it asks for v1
 * wherever else a client chooses an id (webhook subscriptions, categories) and its own clients send
 * v1 (docs/reference/zettle-api.md §6.2, zettle-inventory-v3.md §3.3): the strict reading.
 */
function checkExternalUuid(body: Record<string, unknown>, violations: Violation[]) {
	const ext = body.externalUuid;
	if (ext !== undefined && ext !== null && (typeof ext !== 'string' || !isUuidV1(ext))) {
		violations.push(violation('externalUuid', 'must be a version 1 (time-based) UUID', 'UUID'));
	}
}

/** PUT /organizations/self/inventory — all changes are checked first, then applied together. */
function updateBalance(r: ApiRequest): ApiResponse {
	const { org, body } = r;
	requireArray(body, 'changes');
	const violations: Violation[] = [];
	const fields = ['productUuid', 'variantUuid', 'fromLocationUuid', 'toLocationUuid', 'change'];
	body.changes.forEach((row, i) => checkMovementFields(row, `changes[${i}]`, fields, violations));
	checkExternalUuid(body, violations);
	if (body.changes.length === 0)
		violations.push(violation('changes', 'must not be empty', 'NOT_EMPTY'));
	if (violations.length) throw invalid(violations);

	const location = returnLocation(org, body);
	const movements = (body.changes as Array<Record<string, unknown>>).map((row, i) => {
		const m = toMovement(org, String(row.productUuid), row, `changes[${i}]`);
		if (!org.tracked.has(m.productUuid)) throw notTracked(m.productUuid, `changes[${i}]`);
		return m;
	});
	org.applyMovements(movements, originOf(r, body.externalUuid));
	return { status: 200, body: balancesOf(org, location.uuid, movements, true) };
}

/** POST /organizations/self/v2/inventory/bulk — START_TRACKING and movements per product, atomically. */
function bulkUpdate(r: ApiRequest): ApiResponse {
	const { org, body } = r;
	requireArray(body, 'productChanges');
	const violations: Violation[] = [];
	const productChanges = body.productChanges as unknown[];
	productChanges.forEach((pc, p) => checkProductChange(pc, `productChanges[${p}]`, violations));
	checkExternalUuid(body, violations);
	if (violations.length) throw invalid(violations);

	// Zettle documents the STORE fallback for the PUT only (update-inventory-balance.md:38); Shopware and
	// nopCommerce always send the field on the bulk call: without it, the strict reading returns no balances
	const asked =
		body.returnBalanceForLocationUuid !== undefined && body.returnBalanceForLocationUuid !== null;
	const location = returnLocation(org, body);
	// resolve everything against the state the products will have after their tracking changes
	const tracked = new Set(org.tracked);
	const plan = (productChanges as Array<Record<string, unknown>>).map((pc, p) => {
		const productUuid = String(pc.productUuid);
		requireProduct(org, productUuid, `productChanges[${p}]`);
		if (pc.trackingStatusChange === 'START_TRACKING') tracked.add(productUuid);
		const movements = ((pc.variantChanges as Array<Record<string, unknown>> | undefined) ?? []).map(
			(vc, v) => toMovement(org, productUuid, vc, `productChanges[${p}].variantChanges[${v}]`),
		);
		if (movements.length && !tracked.has(productUuid))
			throw notTracked(productUuid, `productChanges[${p}]`);
		return { productUuid, tracking: pc.trackingStatusChange, movements };
	});
	const origin = originOf(r, (body as Record<string, unknown>).externalUuid);
	for (const step of plan)
		if (step.tracking === 'START_TRACKING') org.setTracking(step.productUuid, true, origin);
	const moved = plan.flatMap((step) => step.movements);
	org.applyMovements(moved, origin);
	// only variants whose stock in the returned location was affected (enable-tracking.md)
	const affected = asked
		? moved.filter(
				(m) => m.fromLocationUuid === location.uuid || m.toLocationUuid === location.uuid,
			)
		: [];
	return { status: 200, body: balancesOf(org, location.uuid, affected, false) };
}

/** The shape of one `productChanges[]` entry: its product, its tracking change and its `variantChanges[]`. */
function checkProductChange(pc: unknown, at: string, violations: Violation[]): void {
	if (!isObject(pc)) {
		violations.push(violation(at, 'must be an object', 'NOT_NULL'));
		return;
	}
	if (typeof pc.productUuid !== 'string' || !UUID.test(pc.productUuid)) {
		violations.push(violation(`${at}.productUuid`, 'must be a valid UUID', 'UUID'));
	}
	// Zettle documents START_TRACKING here; Shopware and nopCommerce send NO_CHANGE. STOP_TRACKING is only
	// declared in Shopware's model and sent by no public client (docs/reference/zettle-api.md §2.2 L3): refused
	if (!['START_TRACKING', 'NO_CHANGE'].includes(String(pc.trackingStatusChange))) {
		violations.push(
			violation(
				`${at}.trackingStatusChange`,
				'must be START_TRACKING or NO_CHANGE (stop tracking with DELETE /organizations/self/inventory/products/{productUuid})',
				'ENUM',
			),
		);
	}
	if (pc.variantChanges !== undefined && !Array.isArray(pc.variantChanges)) {
		violations.push(violation(`${at}.variantChanges`, 'must be an array', 'ARRAY'));
	}
	const fields = ['variantUuid', 'fromLocationUuid', 'toLocationUuid', 'change'];
	((pc.variantChanges as unknown[] | undefined) ?? []).forEach((vc, v) =>
		checkMovementFields(vc, `${at}.variantChanges[${v}]`, fields, violations),
	);
}

/** `{locationUuid, variants[]}` with one row per distinct variant, in request order. */
function balancesOf(
	org: Organization,
	locationUuid: string,
	movements: Movement[],
	withLocation: boolean,
) {
	const location = org.location(locationUuid)!;
	const seen = new Set<string>();
	const variants = [];
	for (const m of movements) {
		if (seen.has(m.variantUuid)) continue;
		seen.add(m.variantUuid);
		const balance = org.balance(locationUuid, m.variantUuid);
		variants.push(
			withLocation
				? {
						locationUuid,
						locationType: location.type,
						productUuid: m.productUuid,
						variantUuid: m.variantUuid,
						balance,
					}
				: { productUuid: m.productUuid, variantUuid: m.variantUuid, balance },
		);
	}
	return { locationUuid, variants };
}

/** Location-level balance reads; `balance` is a string there, as in Zettle's GET examples. */
function locationBalances(org: Organization, locationUuid: string, productUuids?: string[]) {
	const location = org.location(locationUuid);
	if (!location)
		throw new ZettleError(404, 'ENTITY_NOT_FOUND', `Location ${locationUuid} not found`);
	const variants = org.balancesIn(location.uuid, productUuids).map((row) => ({
		locationUuid: location.uuid,
		locationType: location.type,
		productUuid: row.productUuid,
		variantUuid: row.variantUuid,
		balance: String(row.balance),
	}));
	const trackedProducts = [...org.tracked].filter((p) => !productUuids || productUuids.includes(p));
	return { locationUuid: location.uuid, trackedProducts, variants, latest: 0 };
}

function locationOfType(org: Organization, type: string | null) {
	if (!type || !LOCATION_TYPES.includes(type as LocationType)) {
		throw invalid([violation('type', 'must be one of STORE, SUPPLIER, SOLD, BIN', 'ENUM')]);
	}
	return org.locationOfType(type as LocationType);
}

function productDto(org: Organization, productUuid: string) {
	const p = org.products.get(productUuid)!;
	return {
		uuid: p.uuid,
		name: p.name,
		variants: p.variants.map((v) => ({
			uuid: v.uuid,
			name: v.name,
			sku: v.sku ?? null,
			barcode: v.barcode ?? null,
		})),
	};
}

/**
 * The page of `all` that a request's `cursor` and `limit` name, with a `Link: <…>; rel="next"` header
 * while more remain. `limit` is clamped to 1–`pageMax` (`pageMax` when absent or not a number); the
 * cursor is opaque to clients: base64url of `prefix` and the start index, carried only by the Link.
 */
export function cursorPage<T>(
	r: ApiRequest,
	all: T[],
	{ pageMax, prefix, linkPath }: { pageMax: number; prefix: string; linkPath: string },
): { rows: T[]; headers: Record<string, string> } {
	const limit = Math.min(Math.max(Number(r.query.get('limit') ?? pageMax) || pageMax, 1), pageMax);
	const cursor = r.query.get('cursor');
	const decoded =
		cursor === null ? `${prefix}0` : Buffer.from(cursor, 'base64url').toString('utf8');
	if (!decoded.startsWith(prefix) || !/^\d+$/.test(decoded.slice(prefix.length)))
		throw invalid([violation('cursor', 'is not a cursor of this list', 'CURSOR')]);
	const start = Number(decoded.slice(prefix.length));
	const headers: Record<string, string> = {};
	if (start + limit < all.length) {
		const next = Buffer.from(`${prefix}${start + limit}`, 'utf8').toString('base64url');
		headers.Link = `<${r.baseUrl}${linkPath}?cursor=${next}&limit=${limit}>; rel="next"`;
	}
	return { rows: all.slice(start, start + limit), headers };
}

/** Products per library page at most, whatever `limit` asks: the client follows the `Link` header, it does not choose this. */
export const LIBRARY_PAGE_MAX = 100;

/**
 * GET /organizations/self/library, paged with a `Link: <…>; rel="next"` header while more remain.
 * Zettle says to follow that URL as it is, and that `limit` (1–500) counts items (docs/reference/
 * zettle-api.md §4.1). Stricter than that: pages hold at most LIBRARY_PAGE_MAX products, the next
 * page is named by an opaque cursor only the Link carries, and an `offset` the client computes
 * itself is refused, so a client that builds its own page URLs fails here.
 */
function library(req: ApiRequest): ApiResponse {
	if (req.query.has('offset')) {
		throw invalid([
			violation(
				'offset',
				'is not taken by the sandbox: follow the Link header of the previous page',
				'PAGING',
			),
		]);
	}
	const { rows, headers } = cursorPage(req, [...req.org.products.keys()], {
		pageMax: LIBRARY_PAGE_MAX,
		prefix: 'library:',
		linkPath: '/organizations/self/library',
	});
	const page = rows.map((uuid) => productDto(req.org, uuid));
	return {
		status: 200,
		headers,
		body: { products: page, discounts: [], deletedProducts: [], deletedDiscounts: [] },
	};
}

export interface Route {
	method: string;
	pattern: RegExp;
	write: boolean;
	handle: (req: ApiRequest, params: string[]) => ApiResponse | Promise<ApiResponse>;
}

export const routes: Route[] = [
	{
		method: 'GET',
		pattern: /^\/locations$/,
		write: false,
		handle: (r) => ({ status: 200, body: r.org.locations }),
	},
	{ method: 'PUT', pattern: /^\/inventory$/, write: true, handle: updateBalance },
	{ method: 'POST', pattern: /^\/v2\/inventory\/bulk$/, write: true, handle: bulkUpdate },
	{
		method: 'POST',
		pattern: /^\/inventory$/,
		write: true,
		handle: (r) => {
			const productUuid = isObject(r.body) ? String(r.body.productUuid) : '';
			requireProduct(r.org, productUuid);
			r.org.setTracking(productUuid, true, originOf(r, null));
			const store = r.org.store.uuid;
			const variants = r.org
				.balancesIn(store, [productUuid])
				.map((row) => ({ locationUuid: store, locationType: 'STORE', ...row }));
			return { status: 200, body: { locationUuid: store, variants } };
		},
	},
	{
		method: 'DELETE',
		pattern: /^\/inventory\/products\/([^/]+)$/,
		write: true,
		handle: (r, [productUuid]) => {
			requireProduct(r.org, productUuid);
			r.org.setTracking(productUuid, false, originOf(r, null));
			return { status: 204 };
		},
	},
	{
		method: 'GET',
		pattern: /^\/inventory\/locations$/,
		write: false,
		handle: (r) => ({
			status: 200,
			body: locationBalances(r.org, locationOfType(r.org, r.query.get('type')).uuid),
		}),
	},
	{
		method: 'GET',
		pattern: /^\/inventory\/locations\/([^/]+)$/,
		write: false,
		handle: (r, [locationUuid]) => ({ status: 200, body: locationBalances(r.org, locationUuid) }),
	},
	{
		method: 'GET',
		pattern: /^\/inventory\/locations\/([^/]+)\/products\/([^/]+)$/,
		write: false,
		handle: (r, [locationUuid, productUuid]) => {
			requireTracked(r.org, productUuid);
			const { locationUuid: loc, variants } = locationBalances(r.org, locationUuid, [productUuid]);
			return { status: 200, body: { locationUuid: loc, variants } };
		},
	},
	{
		method: 'POST',
		pattern: /^\/inventory\/products$/,
		write: false,
		handle: (r) => {
			const body = isObject(r.body) ? r.body : {};
			requireArray(body, 'productUuids');
			const location = locationOfType(r.org, String(body.locationType ?? 'STORE'));
			const productUuids = body.productUuids.map(String);
			if (r.untrackedReads !== 'error')
				return { status: 200, body: locationBalances(r.org, location.uuid, productUuids) };
			const untracked = productUuids.find((p) => r.org.products.has(p) && !r.org.tracked.has(p));
			if (untracked) throw notTracked(untracked, 'productUuids');
			const { trackedProducts: _listed, ...read } = locationBalances(
				r.org,
				location.uuid,
				productUuids,
			);
			return { status: 200, body: read };
		},
	},
	{
		method: 'GET',
		pattern: /^\/products\/v2$/,
		write: false,
		handle: (r) => ({
			status: 200,
			body: [...r.org.products.keys()].map((uuid) => productDto(r.org, uuid)),
		}),
	},
	{ method: 'GET', pattern: /^\/library$/, write: false, handle: library },
	{
		method: 'GET',
		pattern: /^\/products\/([^/]+)$/,
		write: false,
		handle: (r, [uuid]) => {
			requireProduct(r.org, uuid);
			return { status: 200, body: productDto(r.org, uuid) };
		},
	},
	// the Pusher API (pusher.izettle.com): a subscription belongs to the API client that made it
	{
		method: 'POST',
		pattern: /^\/subscriptions$/,
		write: false,
		handle: async (r) => await r.pusher!.create(callerOf(r), r.body),
	},
	{
		method: 'GET',
		pattern: /^\/subscriptions$/,
		write: false,
		handle: (r) => r.pusher!.list(callerOf(r)),
	},
	{
		method: 'DELETE',
		pattern: /^\/subscriptions\/(?:uuid\/)?([^/]+)$/,
		write: false,
		handle: (r, [uuid]) => r.pusher!.delete(callerOf(r), uuid),
	},
];

const callerOf = (r: ApiRequest) => ({
	organizationUuid: r.org.uuid,
	clientId: (r.origin ?? UNKNOWN_ORIGIN).clientUuid,
	scopes: r.scopes ?? [],
});

export function findRoute(
	method: string,
	path: string,
	table: Route[] = routes,
): { route: Route; params: string[] } | 'method' | undefined {
	let pathMatched = false;
	for (const route of table) {
		const match = route.pattern.exec(path);
		if (!match) continue;
		pathMatched = true;
		if (route.method === method) return { route, params: match.slice(1).map(decodeURIComponent) };
	}
	return pathMatched ? 'method' : undefined;
}
