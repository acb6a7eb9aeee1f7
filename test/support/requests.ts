// What the sandbox received: the request bodies of one endpoint, typed by what the node sends there.

import type { LoggedRequest, Sandbox } from '../../sandbox/server';

/** The endpoints the node calls, as the sandbox logs their paths. */
export const PATH = {
	token: '/token',
	locations: '/organizations/self/locations',
	/** PUT: movements; POST: start tracking one product */
	inventory: '/organizations/self/inventory',
	/** POST: the balances of some products at one location */
	balanceRead: '/organizations/self/inventory/products',
	bulk: '/organizations/self/v2/inventory/bulk',
	library: '/organizations/self/library',
} as const;

/** One movement of stock, as PUT /organizations/self/inventory carries it in `changes`. */
export interface Change {
	productUuid: string;
	variantUuid: string;
	fromLocationUuid: string;
	toLocationUuid: string;
	change: number;
}

/** The body of PUT /organizations/self/inventory. */
export interface PutBody {
	changes: Change[];
	returnBalanceForLocationUuid?: string;
	externalUuid: string;
}

/** One product's part of a bulk request. */
export interface ProductChange {
	productUuid: string;
	trackingStatusChange: string;
	variantChanges: Array<Omit<Change, 'productUuid'>>;
}

/** The body of POST /organizations/self/v2/inventory/bulk. */
export interface BulkBody {
	productChanges: ProductChange[];
	returnBalanceForLocationUuid?: string;
	externalUuid: string;
}

/** The body of POST /organizations/self/inventory/products (a balance read). */
export interface BalanceReadBody {
	locationType: string;
	productUuids: string[];
}

/** The form of POST /token, as the sandbox logs it: `assertion`, `client_secret`, `refresh_token` and `code` redacted. */
export interface TokenForm {
	grant_type: string;
	client_id?: string;
	assertion?: string;
	client_secret?: string;
	refresh_token?: string;
	code?: string;
	redirect_uri?: string;
}

/** A logged request whose body is known to be a `T`. */
export type Received<T> = LoggedRequest & { body: T };

/** The requests the sandbox received as `method path` (exactly that path), in order, with their bodies typed. */
export function received<T>(sandbox: Sandbox, method: string, path: string): Array<Received<T>> {
	return sandbox.requests.filter((r): r is Received<T> => r.method === method && r.path === path);
}

/** The bodies the sandbox received as `method path` (exactly that path), in order. */
export function bodies<T>(sandbox: Sandbox, method: string, path: string): T[] {
	return received<T>(sandbox, method, path).map((r) => r.body);
}

/** The writes the sandbox received, in order: every PUT, POST and DELETE to the API but the balance reads (POST …/inventory/products). */
export function writes(sandbox: Sandbox) {
	return sandbox.requests.filter(
		(r) =>
			['PUT', 'POST', 'DELETE'].includes(r.method) &&
			r.path.startsWith('/organizations') &&
			!r.path.endsWith('/inventory/products'),
	);
}
