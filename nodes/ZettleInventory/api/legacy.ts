// Zettle's legacy Inventory API (inventory.izettle.com, /organizations/self/...), as the seed
// document and Zettle's pages describe it:
// https://github.com/iZettle/api-documentation/tree/master/inventory-api (deprecated by Zettle in
// favour of Inventory V3, still answering).

import type { IDataObject } from 'n8n-workflow';

import { chunk, chunkGroups } from '../helpers/chunks';
import type { BalanceRow, ZettleLocation } from '../helpers/types';
import { locationOfType, readWholeNumber } from '../helpers/validation';
import { newExternalUuid } from '../helpers/uuid';
import type { ZettleClient, ZettleRequest } from '../transport';
import type {
	AppliedWrite,
	InventoryApi,
	LowStockRow,
	PlannedItem,
	ProductBalances,
	WriteOptions,
	WritePlan,
} from './types';

/** Product UUIDs per balance read. Zettle documents no maximum; this keeps request bodies small. */
const PRODUCTS_PER_READ = 100;

const INVENTORY = '/organizations/self/inventory';
const BULK = '/organizations/self/v2/inventory/bulk';

interface BalanceRead {
	locationUuid?: unknown;
	trackedProducts?: unknown;
	variants?: unknown;
}

export class LegacyInventoryApi implements InventoryApi {
	/** the locations once read: write answers name a location by UUID only */
	private known: ZettleLocation[] = [];

	constructor(private readonly client: ZettleClient) {}

	async locations(): Promise<ZettleLocation[]> {
		const path = '/organizations/self/locations';
		const body = await this.client.read({ service: 'inventory', method: 'GET', path });
		const problem = !Array.isArray(body)
			? 'it is not a list'
			: body.some((l) => typeof l?.uuid !== 'string' || typeof l?.type !== 'string')
				? 'an entry has no uuid or type'
				: undefined;
		if (problem)
			throw this.client.answerError(
				`Zettle's answer to GET ${path} is not a list of locations (${problem}). Nothing was sent.`,
			);
		this.known = (body as ZettleLocation[]).map((l) => ({
			...l,
			name: typeof l.name === 'string' ? l.name : l.type,
		}));
		return this.known;
	}

	/** POST /organizations/self/inventory/products, PRODUCTS_PER_READ products a request. */
	async productBalances(
		location: ZettleLocation,
		productUuids: string[],
	): Promise<ProductBalances> {
		const result: ProductBalances = { tracked: new Set(), rows: new Map() };
		for (const batch of chunk([...new Set(productUuids)], PRODUCTS_PER_READ))
			await this.readProducts(location, batch, result);
		return result;
	}

	/**
	 * One balance read of some products, into `result`. The read lists the tracked ones in
	 * `trackedProducts`; Zettle may instead refuse the whole read with 400 PRODUCT_NOT_TRACKED when
	 * one of them is untracked (its per-product read and V3's do; docs/reference/zettle-api.md §2.2 L6,
	 * §6.2). Then the batch is read in halves, down to single products, so that each untracked product
	 * is found (a product whose own read is refused is untracked) and the others are still read: about
	 * 2 × log2(batch) more reads per untracked product. A read that succeeds without a `trackedProducts`
	 * list refused none of its products: they count as tracked.
	 */
	private async readProducts(
		location: ZettleLocation,
		batch: string[],
		result: ProductBalances,
	): Promise<void> {
		const path = `${INVENTORY}/products`;
		const request: ZettleRequest = {
			service: 'inventory',
			method: 'POST',
			path,
			body: { locationType: location.type, productUuids: batch },
		};
		const answer = await this.client.readOrRefused(request, ['PRODUCT_NOT_TRACKED']);
		if ('refused' in answer) {
			if (batch.length === 1) return;
			const half = Math.ceil(batch.length / 2);
			await this.readProducts(location, batch.slice(0, half), result);
			await this.readProducts(location, batch.slice(half), result);
			return;
		}
		const read = this.rowsOf(answer.body, `POST ${path}`);
		for (const p of read.tracked ?? batch.map((uuid) => uuid.toLowerCase())) result.tracked.add(p);
		for (const row of read.rows) result.rows.set(row.variantUuid, row);
	}

	/** GET /organizations/self/inventory/locations/{locationUuid}. */
	async locationBalances(location: ZettleLocation) {
		const path = `${INVENTORY}/locations/${location.uuid}`;
		const read = this.rowsOf(
			await this.client.read({ service: 'inventory', method: 'GET', path }),
			`GET ${path}`,
		);
		return { rows: read.rows, trackedProducts: read.tracked };
	}

	/** The tracked products among these, from the balance read by product (which lists them). */
	async trackedAmong(productUuids: string[]): Promise<Set<string>> {
		return (await this.productBalances(this.store(), productUuids)).tracked;
	}

	/** The default STORE location (the one marked `default` where there are several). */
	private store(): ZettleLocation {
		const store = locationOfType(this.known, 'STORE');
		if (!store) throw this.client.answerError('The organization has no STORE location.');
		return store;
	}

	/** PUT /organizations/self/inventory: each item is one entry of `changes[]`. */
	movementWrites(items: PlannedItem[], options: WriteOptions): WritePlan[] {
		const request: ZettleRequest = { service: 'inventory', method: 'PUT', path: INVENTORY };
		return chunk(items, options.itemsPerRequest).map((part) =>
			plan('movements', request, part, { changes: part.map((p) => ({ ...p.movement })) }, options),
		);
	}

	/**
	 * POST /organizations/self/v2/inventory/bulk: items grouped by product, a product's items always in
	 * one request. Zettle documents only START_TRACKING there (and clients send NO_CHANGE); no public
	 * client sends STOP_TRACKING (docs/reference/zettle-api.md §2.2 L3). So a product to stop tracking
	 * has its movements sent with NO_CHANGE first (they need it tracked), then the documented DELETE.
	 */
	bulkWrites(items: PlannedItem[], options: WriteOptions): WritePlan[] {
		const request: ZettleRequest = { service: 'inventory', method: 'POST', path: BULK };
		const stopping = items.filter((p) => p.tracking === 'STOP_TRACKING');
		const viaBulk = items
			.filter((p) => p.tracking !== 'STOP_TRACKING' || p.movement)
			.map(
				(p): PlannedItem => (p.tracking === 'STOP_TRACKING' ? { ...p, tracking: 'NO_CHANGE' } : p),
			);
		const bulk = chunkGroups(viaBulk, (p) => p.productUuid, options.itemsPerRequest).map((part) => {
			if (part.every((p) => !p.movement)) {
				// tracking only: Zettle answers `variants: []` whatever location is named (enable-tracking.md), so
				// no return location is sent (and Start Tracking need not read the locations to name one)
				return plan('tracking', request, part, { productChanges: productChanges(part) }, options);
			}
			// Zettle documents the STORE fallback for the PUT only; Shopware and nopCommerce always send the
			// STORE on the bulk call, as the seed's bulk example does (docs/reference/zettle-api.md §2.2 L2, L3)
			return plan(
				'movements',
				request,
				part,
				{ productChanges: productChanges(part) },
				{ ...options, returnLocation: options.returnLocation ?? this.store() },
			);
		});
		return [...bulk, ...stopTrackingWrites(stopping)];
	}

	/** Start: tracking-only `productChanges[]` on the bulk endpoint, many products per request. Stop: one DELETE per product. */
	trackingWrites(
		items: PlannedItem[],
		change: 'START_TRACKING' | 'STOP_TRACKING',
		options: WriteOptions,
	): WritePlan[] {
		if (change === 'STOP_TRACKING') return stopTrackingWrites(items);
		return this.bulkWrites(
			items.map((p) => ({ ...p, tracking: change })),
			options,
		);
	}

	lowStockLevels(): Promise<LowStockRow[]> {
		throw needsV3(this.client);
	}

	lowStockWrites(): WritePlan[] {
		throw needsV3(this.client);
	}

	/** Legacy writes answer with the balances: `{locationUuid, variants: [{…, balance}]}`. */
	async balancesAfter(applied: AppliedWrite[]): Promise<BalanceRow[][]> {
		return applied.map(({ body }) => balancesOfAnswer(body, this.known));
	}

	/**
	 * The rows of a balance read, checked for the shape Zettle documents: a `variants` list whose
	 * balances are whole numbers (strings in GET answers, numbers elsewhere). A read that does not
	 * have it is an error before anything is sent: taking a missing list as "all 0" would move
	 * wrong stock.
	 */
	private rowsOf(body: unknown, what: string): { rows: BalanceRow[]; tracked?: string[] } {
		const fail = (problem: string) =>
			this.client.answerError(
				`Zettle's answer to ${what} ${problem}. Nothing was sent; run again, or report it if it repeats.`,
			);
		const read = (typeof body === 'object' && body !== null ? body : {}) as BalanceRead;
		if (!Array.isArray(read.variants)) throw fail('has no "variants" list');
		const rows = (read.variants as IDataObject[]).map((v) => {
			if (typeof v?.productUuid !== 'string' || typeof v?.variantUuid !== 'string')
				throw fail('lists a balance without productUuid or variantUuid');
			const balance = readWholeNumber(v.balance, 'balance', '');
			if ('error' in balance)
				throw fail(
					`has balance ${JSON.stringify(v.balance)} for variant ${v.variantUuid}, which is not a whole number`,
				);
			return {
				...(v as unknown as BalanceRow),
				productUuid: v.productUuid.toLowerCase(),
				variantUuid: v.variantUuid.toLowerCase(),
				balance: balance.value,
			};
		});
		// no list: undefined (not "none tracked"), for the caller to decide
		const tracked = Array.isArray(read.trackedProducts)
			? read.trackedProducts
					.filter((p): p is string => typeof p === 'string')
					.map((p) => p.toLowerCase())
			: undefined;
		return { rows, tracked };
	}
}

/** Low-stock levels are offered on V3 (its /custom-low-stock); the legacy API's own endpoints are not used. */
function needsV3(client: ZettleClient) {
	return client.answerError(
		"Low-stock levels need Zettle's Inventory API V3: set the node's Inventory API to V3. Nothing was sent.",
	);
}

/** A request body with the return location (when asked for) and the externalUuid, in the seed's order. */
function plan(
	kind: WritePlan['kind'],
	request: ZettleRequest,
	items: PlannedItem[],
	body: IDataObject,
	options: WriteOptions,
): WritePlan {
	const externalUuid = options.externalUuid || newExternalUuid();
	const full: IDataObject = { ...body };
	if (options.returnLocation) full.returnBalanceForLocationUuid = options.returnLocation.uuid;
	full.externalUuid = externalUuid;
	// a tracking change sets a state: sending it again after a 5xx does no harm
	return {
		kind,
		request: { ...request, body: full },
		items,
		externalUuid,
		repeatable: kind === 'tracking',
	};
}

/**
 * DELETE /organizations/self/inventory/products/{productUuid} (L5: 204, no body), one request per
 * product carrying all its items. It has no correlation id (the outputs show `externalUuid: null`);
 * a tracking change sets a state, so it is safe to send again.
 */
function stopTrackingWrites(items: PlannedItem[]): WritePlan[] {
	const byProduct = new Map<string, PlannedItem[]>();
	for (const p of items)
		byProduct.set(p.productUuid, [
			...(byProduct.get(p.productUuid) ?? []),
			{ ...p, tracking: 'STOP_TRACKING' },
		]);
	return [...byProduct].map(([productUuid, part]) => ({
		kind: 'tracking' as const,
		request: {
			service: 'inventory' as const,
			method: 'DELETE' as const,
			path: `${INVENTORY}/products/${productUuid}`,
		},
		items: part,
		repeatable: true,
	}));
}

/** Items grouped by product into `productChanges[]`, each with its tracking change and `variantChanges[]`. */
export function productChanges(items: PlannedItem[]): IDataObject[] {
	const byProduct = new Map<string, IDataObject & { variantChanges: IDataObject[] }>();
	for (const p of items) {
		let change = byProduct.get(p.productUuid);
		if (!change) {
			change = { productUuid: p.productUuid, trackingStatusChange: p.tracking, variantChanges: [] };
			byProduct.set(p.productUuid, change);
		}
		if (p.movement) {
			const { variantUuid, fromLocationUuid, toLocationUuid, change: quantity } = p.movement;
			change.variantChanges.push({
				variantUuid,
				fromLocationUuid,
				toLocationUuid,
				change: quantity,
			});
		}
	}
	return [...byProduct.values()];
}

/**
 * The balances a legacy write answered with. The documented bulk answer lacks `locationUuid` and
 * `locationType` per variant (and its example repeats a location UUID as a variant): the answer's
 * location and the organization's list fill them in.
 */
export function balancesOfAnswer(body: unknown, locations: ZettleLocation[]): BalanceRow[] {
	const answer = (typeof body === 'object' && body !== null ? body : {}) as BalanceRead;
	const variants = (Array.isArray(answer.variants) ? answer.variants : []).filter(
		(v): v is IDataObject => typeof v === 'object' && v !== null,
	);
	return variants.map((v) => {
		const uuid = v.locationUuid ?? answer.locationUuid;
		const locationUuid = typeof uuid === 'string' ? uuid : '';
		const locationType =
			(v.locationType as string | undefined) ??
			locations.find((l) => l.uuid === locationUuid)?.type;
		return {
			locationUuid,
			locationType,
			productUuid: String(v.productUuid),
			variantUuid: String(v.variantUuid),
			balance: Number(v.balance),
		};
	});
}
