// The two Zettle Inventory APIs the node speaks, for tests that run on both (describe.each(APIS)): how to ask
// the node for each, what the sandbox received from it in one shape whichever API carried it, and where a fault
// rule goes to hit a given kind of request.

import type { IDataObject, INode, INodeParameters } from 'n8n-workflow';

import type { FaultRule } from '../../sandbox/faults';
import type { LoggedRequest, Sandbox } from '../../sandbox/server';
import { bodies, BulkBody, Change, PATH, PutBody, received } from './requests';
import { runZettle } from './zettle';

/** The part of a sandbox fault rule that says which requests it matches (`path` is a prefix unless `exact`). */
export type RuleTarget = Pick<FaultRule, 'method' | 'path' | 'exact'>;

/** One tracking change as sent, in one shape for both APIs. */
export interface TrackingSent {
	productUuid: string;
	trackingStatusChange: 'START_TRACKING' | 'STOP_TRACKING';
	/** the request's correlation id (legacy bulk externalUuid); null where the request has none (legacy DELETE, V3) */
	externalUuid: string | null;
}

export interface ApiCase {
	name: 'legacy' | 'v3';
	/** the node as a workflow saved before (version 1: legacy) or placed today (version 2: V3) */
	node: Partial<INode>;
	/** the path movements go to */
	movementsPath: string;
	/** the status an applied movement request is answered with (legacy: 200 with balances; V3: 204 without) */
	movementStatus: number;
	/** the status an applied tracking change is answered with (legacy: 200 on the bulk endpoint, 204 for its DELETE; V3: 204) */
	trackingStatus: { start: number; stop: number };
	/**
	 * whether the outputs' balances are read back once after all the writes (V3) rather than answered by each
	 * write (legacy): with several requests, V3 shows every request's variants at their final balance
	 */
	readsBack: boolean;
	/** the locations read: its path, and what its error calls the list */
	locationsPath: string;
	locationsNoun: 'locations' | 'inventories';
	/** where a fault rule goes to hit each kind of request */
	rules: {
		/** Update Balance's and Set Stock Level's movement requests */
		movements: RuleTarget;
		/** Bulk Update's requests that move stock */
		bulkMovements: RuleTarget;
		/** Start Tracking's requests (legacy: the bulk endpoint; V3: POST /v3/products) */
		startTracking: RuleTarget;
		/** Stop Tracking's requests (legacy: DELETE per product; V3: POST /v3/products) */
		stopTracking: RuleTarget;
		/** balance reads of products (legacy: POST …/inventory/products; V3: GET /v3/stock/…) */
		balanceRead: RuleTarget;
		/** the locations read */
		locations: RuleTarget;
	};
	/** every request to the Inventory API (not the token or the product library), in order; `method` filters */
	requests(sandbox: Sandbox, method?: string): LoggedRequest[];
	/** the requests that changed or would change something (movements, tracking, low-stock levels), in order */
	writes(sandbox: Sandbox): LoggedRequest[];
	/** the movements the sandbox received (applied or not), in order, in the legacy `changes[]` shape */
	movementsSent(sandbox: Sandbox): Change[];
	/** the requests that carried movements, in order */
	movementRequests(sandbox: Sandbox): LoggedRequest[];
	/** per movement request, its products and how many movements each had, in order: [[productUuid, n], …] */
	movementsByProduct(sandbox: Sandbox): Array<Array<[string, number]>>;
	/** the correlation id of each movement request (legacy externalUuid, V3 identifier) whose body the sandbox read (not a 401) */
	correlationIds(sandbox: Sandbox): string[];
	/** the tracking changes the sandbox received, in order (legacy NO_CHANGE is no change) */
	trackingSent(sandbox: Sandbox): TrackingSent[];
	/** the requests that carried tracking changes, in order */
	trackingRequests(sandbox: Sandbox): LoggedRequest[];
	/** the balance reads (by location or by product), in order; V3's tracking-status reads are not among them */
	balanceReads(sandbox: Sandbox): LoggedRequest[];
}

/** A tracking change as `trackingSent` gives it, and as the node outputs a tracking-only item. */
export const trackingChange = (
	productUuid: string,
	trackingStatusChange: TrackingSent['trackingStatusChange'],
	externalUuid: string | null = null,
): TrackingSent => ({ productUuid, trackingStatusChange, externalUuid });

interface V3Body {
	identifier: string;
	movements: Array<{
		productUuid: string;
		variantUuid: string;
		from: string;
		to: string;
		change: number;
	}>;
}

type V3Tracking = Array<{ productUuid: string; tracking: 'enable' | 'disable' }>;

/** The bodies received as `method path`, leaving out requests refused before their body was read (e.g. 401). */
const sent = <T>(sandbox: Sandbox, method: string, path: string): T[] =>
	bodies<T>(sandbox, method, path).filter((b) => b !== undefined);

/** [[productUuid, n], …] in the order the products first appear. */
function countByProduct(changes: Array<{ productUuid: string }>): Array<[string, number]> {
	const counts = new Map<string, number>();
	for (const c of changes) counts.set(c.productUuid, (counts.get(c.productUuid) ?? 0) + 1);
	return [...counts];
}

const STOP_PATH = `${PATH.inventory}/products/`;
const isLegacyStop = (r: LoggedRequest) => r.method === 'DELETE' && r.path.startsWith(STOP_PATH);
const isBulk = (r: LoggedRequest) => r.method === 'POST' && r.path === PATH.bulk;
const bulkChanges = (r: LoggedRequest) =>
	(r.body as BulkBody).productChanges.filter((p) => p.trackingStatusChange !== 'NO_CHANGE');

export const LEGACY: ApiCase = {
	name: 'legacy',
	node: { typeVersion: 1 },
	movementsPath: PATH.inventory,
	movementStatus: 200,
	trackingStatus: { start: 200, stop: 204 },
	readsBack: false,
	locationsPath: PATH.locations,
	locationsNoun: 'locations',
	rules: {
		movements: { method: 'PUT', path: PATH.inventory },
		bulkMovements: { method: 'POST', path: PATH.bulk },
		startTracking: { method: 'POST', path: PATH.bulk },
		stopTracking: { method: 'DELETE', path: STOP_PATH },
		balanceRead: { method: 'POST', path: PATH.balanceRead },
		locations: { method: 'GET', path: PATH.locations },
	},
	requests: (sandbox, method) =>
		sandbox.log(method, '/organizations').filter((r) => r.path !== PATH.library),
	writes: (sandbox) =>
		sandbox.requests.filter(
			(r) =>
				['PUT', 'POST', 'DELETE'].includes(r.method) &&
				r.path.startsWith('/organizations') &&
				!r.path.endsWith('/inventory/products'),
		),
	movementsSent: (sandbox) => [
		...sent<PutBody>(sandbox, 'PUT', PATH.inventory).flatMap((b) => b.changes),
		...sent<BulkBody>(sandbox, 'POST', PATH.bulk).flatMap((b) =>
			b.productChanges.flatMap((p) =>
				p.variantChanges.map((v) => ({ productUuid: p.productUuid, ...v })),
			),
		),
	],
	movementRequests: (sandbox) =>
		sandbox.requests.filter(
			(r) =>
				(r.method === 'PUT' && r.path === PATH.inventory) ||
				(isBulk(r) &&
					(r.body === undefined ||
						(r.body as BulkBody).productChanges.some((p) => p.variantChanges.length))),
		),
	movementsByProduct: (sandbox) =>
		LEGACY.movementRequests(sandbox)
			.filter((r) => r.body !== undefined)
			.map((r) =>
				r.method === 'PUT'
					? countByProduct((r.body as PutBody).changes)
					: (r.body as BulkBody).productChanges
							.filter((p) => p.variantChanges.length)
							.map((p): [string, number] => [p.productUuid, p.variantChanges.length]),
			),
	correlationIds: (sandbox) =>
		LEGACY.movementRequests(sandbox).flatMap((r) =>
			r.body === undefined ? [] : [(r.body as { externalUuid: string }).externalUuid],
		),
	trackingSent: (sandbox) =>
		LEGACY.trackingRequests(sandbox).flatMap((r): TrackingSent[] =>
			isLegacyStop(r)
				? [
						{
							productUuid: r.path.slice(STOP_PATH.length),
							trackingStatusChange: 'STOP_TRACKING',
							externalUuid: null,
						},
					]
				: bulkChanges(r).map((p) => ({
						productUuid: p.productUuid,
						trackingStatusChange: p.trackingStatusChange as TrackingSent['trackingStatusChange'],
						externalUuid: (r.body as BulkBody).externalUuid,
					})),
		),
	trackingRequests: (sandbox) =>
		sandbox.requests.filter(
			(r) => isLegacyStop(r) || (isBulk(r) && r.body !== undefined && bulkChanges(r).length > 0),
		),
	balanceReads: (sandbox) =>
		sandbox.requests.filter(
			(r) =>
				(r.method === 'POST' && r.path === PATH.balanceRead) ||
				(r.method === 'GET' && r.path.startsWith(`${PATH.inventory}/locations/`)),
		),
};

export const V3: ApiCase = {
	name: 'v3',
	node: { typeVersion: 2 },
	movementsPath: '/v3/movements',
	movementStatus: 204,
	trackingStatus: { start: 204, stop: 204 },
	readsBack: true,
	locationsPath: '/v3/inventories',
	locationsNoun: 'inventories',
	rules: {
		movements: { method: 'POST', path: '/v3/movements' },
		bulkMovements: { method: 'POST', path: '/v3/movements' },
		// exact: not the tracking-status reads (POST /v3/products/status)
		startTracking: { method: 'POST', path: '/v3/products', exact: true },
		stopTracking: { method: 'POST', path: '/v3/products', exact: true },
		balanceRead: { method: 'GET', path: '/v3/stock' },
		locations: { method: 'GET', path: '/v3/inventories' },
	},
	requests: (sandbox, method) => sandbox.log(method, '/v3/'),
	writes: (sandbox) => sandbox.log('POST', '/v3/').filter((r) => r.path !== '/v3/products/status'),
	movementsSent: (sandbox) =>
		sent<V3Body>(sandbox, 'POST', '/v3/movements').flatMap((b) =>
			b.movements.map(({ from, to, ...m }) => ({
				...m,
				fromLocationUuid: from,
				toLocationUuid: to,
			})),
		),
	movementRequests: (sandbox) => sandbox.log('POST', '/v3/movements'),
	movementsByProduct: (sandbox) =>
		sent<V3Body>(sandbox, 'POST', '/v3/movements').map((b) => countByProduct(b.movements)),
	correlationIds: (sandbox) =>
		sent<V3Body>(sandbox, 'POST', '/v3/movements').map((b) => b.identifier),
	trackingSent: (sandbox) =>
		sent<V3Tracking>(sandbox, 'POST', '/v3/products').flatMap((b) =>
			b.map(
				(t): TrackingSent => ({
					productUuid: t.productUuid,
					trackingStatusChange: t.tracking === 'enable' ? 'START_TRACKING' : 'STOP_TRACKING',
					externalUuid: null,
				}),
			),
		),
	trackingRequests: (sandbox) => received(sandbox, 'POST', '/v3/products'),
	balanceReads: (sandbox) => sandbox.log('GET', '/v3/stock'),
};

export const APIS: ApiCase[] = [LEGACY, V3];

/** A v1 (time-based) UUID, as V3's `identifier` is. */
export const UUID_V1 = /^[0-9a-f]{8}-[0-9a-f]{4}-1[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Text as a regular expression that matches it literally. */
export const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `runZettle` on this API: the run's `node` settings (e.g. `onError`) go over the API's node version. */
export function runOn(
	api: ApiCase,
	sandbox: Sandbox,
	parameters: INodeParameters,
	input: IDataObject[],
	options: Parameters<typeof runZettle>[3] = {},
) {
	return runZettle(sandbox, parameters, input, {
		...options,
		node: { ...api.node, ...options.node },
	});
}
