// Zettle's Inventory API V3 (https://inventory.izettle.com/v3/…), which replaces the legacy API:
// https://developer.zettle.com/docs/api/inventory/overview and the migration guide
// https://developer.zettle.com/docs/api/inventory/inventory-api-migration-guide. What each endpoint
// takes and returns, and what this file chooses where the docs are silent, is in
// docs/reference/zettle-inventory-v3.md (sections cited below as §n).

import type { IDataObject } from 'n8n-workflow';

import { chunk, chunkGroups } from '../helpers/chunks';
import type {
	BalanceRow,
	LocationType,
	TrackingStatusChange,
	ZettleLocation,
} from '../helpers/types';
import { newExternalUuid } from '../helpers/uuid';
import { locationOfType, readWholeNumber } from '../helpers/validation';
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

/**
 * Up to this many products, balances are read one product per request (GET /v3/stock/{inventory}/products/{product});
 * beyond it, the whole STORE inventory is read page by page (100 rows a page) and filtered. The
 * docs offer no read of a list of products (§4.5): this keeps a read-back of a few products to a few
 * requests, and a large sync to ⌈rows / 100⌉ requests instead of one per product.
 */
const PER_PRODUCT_READS_MAX = 25;
/** Product UUIDs per tracking-status read (POST /v3/products/status); the docs give no maximum. */
const PRODUCTS_PER_STATUS_READ = 100;
const TRACKING: Record<string, 'enable' | 'disable' | undefined> = {
	START_TRACKING: 'enable',
	STOP_TRACKING: 'disable',
};

interface StockRow {
	inventoryUuid?: unknown;
	productUuid?: unknown;
	variantUuid?: unknown;
	balance?: unknown;
	lowStockLevel?: unknown;
	lowStockAlert?: unknown;
}

export class V3InventoryApi implements InventoryApi {
	private known: ZettleLocation[] = [];
	/** where each movement request's balances are read back from */
	private readonly readBackFrom = new Map<WritePlan, ZettleLocation | undefined>();

	constructor(private readonly client: ZettleClient) {}

	/** GET /v3/inventories (§2.1): inventories in the legacy shape the node speaks (uuid, type, name, description, default). */
	async locations(): Promise<ZettleLocation[]> {
		const path = '/v3/inventories';
		const body = await this.client.read({ service: 'inventory', method: 'GET', path });
		const problem = !Array.isArray(body)
			? 'it is not a list'
			: body.some(
						(i) => typeof i?.inventoryUuid !== 'string' || typeof i?.inventoryType !== 'string',
				  )
				? 'an entry has no inventoryUuid or inventoryType'
				: undefined;
		if (problem)
			throw this.client.answerError(
				`Zettle's answer to GET ${path} is not a list of inventories (${problem}). Nothing was sent.`,
			);
		this.known = (body as IDataObject[]).map((i) => ({
			uuid: String(i.inventoryUuid).toLowerCase(),
			type: String(i.inventoryType) as LocationType,
			name: typeof i.name === 'string' && i.name ? i.name : String(i.inventoryType),
			description: typeof i.description === 'string' ? i.description : '',
			default: i.defaultInventory === true,
		}));
		return this.known;
	}

	/** POST /v3/products/status (§5.2): `[productUuid…]` → `[{productUuid, enabled}]`. */
	async trackedAmong(productUuids: string[]): Promise<Set<string>> {
		const tracked = new Set<string>();
		const path = '/v3/products/status';
		for (const batch of chunk([...new Set(productUuids)], PRODUCTS_PER_STATUS_READ)) {
			const body = await this.client.read({
				service: 'inventory',
				method: 'POST',
				path,
				body: batch as unknown as IDataObject[],
			});
			if (!Array.isArray(body))
				throw this.client.answerError(
					`Zettle's answer to POST ${path} is not a list. Nothing was sent.`,
				);
			for (const row of body as IDataObject[])
				if (row?.enabled === true && typeof row.productUuid === 'string')
					tracked.add(row.productUuid.toLowerCase());
		}
		return tracked;
	}

	/** Tracking from the status read; balances one product a request, or the whole inventory paged (see PER_PRODUCT_READS_MAX). */
	async productBalances(
		location: ZettleLocation,
		productUuids: string[],
	): Promise<ProductBalances> {
		this.storeOnly(location);
		const tracked = await this.trackedAmong(productUuids);
		return { tracked, rows: await this.rowsOfProducts(location, [...tracked]) };
	}

	/** The stock rows of tracked products: one read per product, or the whole inventory paged (PER_PRODUCT_READS_MAX). */
	private async rowsOfProducts(
		location: ZettleLocation,
		products: string[],
	): Promise<Map<string, BalanceRow>> {
		const rows = new Map<string, BalanceRow>();
		if (products.length <= PER_PRODUCT_READS_MAX) {
			for (const productUuid of products) {
				const path = `/v3/stock/${location.uuid}/products/${productUuid}`;
				for (const row of this.rowsOf(
					await this.client.read({ service: 'inventory', method: 'GET', path }),
					`GET ${path}`,
					location,
				))
					rows.set(row.variantUuid, row);
			}
			return rows;
		}
		const wanted = new Set(products);
		for (const row of await this.inventoryRows(location))
			if (wanted.has(row.productUuid)) rows.set(row.variantUuid, row);
		return rows;
	}

	/** GET /v3/stock/{inventoryUuid} page by page (§4.1, §4.3). V3 lists no tracked products: see trackedAmong. */
	async locationBalances(location: ZettleLocation): Promise<{ rows: BalanceRow[] }> {
		this.storeOnly(location);
		return { rows: await this.inventoryRows(location) };
	}

	/** POST /v3/movements (§3): `{movements: [{productUuid, variantUuid, from, to, change}], identifier}`, 204 without balances. */
	movementWrites(items: PlannedItem[], options: WriteOptions): WritePlan[] {
		return this.movementPlans(chunk(items, options.itemsPerRequest), options);
	}

	/** One movement request per part. */
	private movementPlans(parts: PlannedItem[][], options: WriteOptions): WritePlan[] {
		const request: ZettleRequest = { service: 'inventory', method: 'POST', path: '/v3/movements' };
		return parts.map((part) => {
			const identifier = options.externalUuid || newExternalUuid();
			const movements = part.map(({ movement: m }) => ({
				productUuid: m!.productUuid,
				variantUuid: m!.variantUuid,
				from: m!.fromLocationUuid,
				to: m!.toLocationUuid,
				change: m!.change,
			}));
			const plan: WritePlan = {
				kind: 'movements',
				request: { ...request, body: { movements, identifier } },
				items: part,
				externalUuid: identifier,
				repeatable: false,
			};
			this.readBackFrom.set(
				plan,
				options.readBack === false
					? undefined
					: (options.returnLocation ?? locationOfType(this.known, 'STORE')),
			);
			return plan;
		});
	}

	/**
	 * Bulk Update on V3: no combined call exists (§11), and a movement needs its product tracked, so
	 * Start Tracking goes before the movements and Stop Tracking after them (POST /v3/products;
	 * NO_CHANGE sends nothing), as the legacy API sends a stopping product's movements before its
	 * DELETE. A product's items stay together.
	 */
	bulkWrites(items: PlannedItem[], options: WriteOptions): WritePlan[] {
		const tracking = (change: TrackingStatusChange) =>
			chunkGroups(
				items.filter((p) => p.tracking === change),
				(p) => p.productUuid,
				options.itemsPerRequest,
			).map((part) => this.trackingPlan(part));
		// a product's movements stay in one request, as on the legacy bulk endpoint
		const moving = chunkGroups(
			items.filter((p) => p.movement),
			(p) => p.productUuid,
			options.itemsPerRequest,
		);
		return [
			...tracking('START_TRACKING'),
			...this.movementPlans(moving, options),
			...tracking('STOP_TRACKING'),
		];
	}

	/** POST /v3/products (§5.1): `[{productUuid, tracking: "enable" | "disable"}]`, one entry per product. */
	trackingWrites(
		items: PlannedItem[],
		change: 'START_TRACKING' | 'STOP_TRACKING',
		options: WriteOptions,
	): WritePlan[] {
		return chunkGroups(items, (p) => p.productUuid, options.itemsPerRequest).map((part) =>
			this.trackingPlan(part.map((p) => ({ ...p, tracking: change }))),
		);
	}

	/** The rows of a STORE inventory that carry a custom low-stock level or alert (§6: read through /v3/stock). */
	async lowStockLevels(location: ZettleLocation): Promise<LowStockRow[]> {
		this.storeOnly(location);
		return (await this.inventoryRows(location)).filter(
			(r) => r.lowStockLevel !== null || r.lowStockAlert,
		);
	}

	/** POST /v3/custom-low-stock (§6): `[{inventoryUuid, productUuid, variantUuid, lowStockLevel, lowStockAlert}]`, 204; sets a state. */
	lowStockWrites(items: PlannedItem[], options: WriteOptions): WritePlan[] {
		return chunk(items, options.itemsPerRequest).map((part) => ({
			kind: 'lowStock' as const,
			request: {
				service: 'inventory' as const,
				method: 'POST' as const,
				path: '/v3/custom-low-stock',
				body: part.map((p) => ({
					inventoryUuid: p.lowStock!.locationUuid,
					productUuid: p.productUuid,
					variantUuid: p.lowStock!.variantUuid,
					lowStockLevel: p.lowStock!.lowStockLevel,
					lowStockAlert: p.lowStock!.lowStockAlert,
				})),
			},
			items: part,
			repeatable: true,
		}));
	}

	/** V3 writes answer 204: the balances of moved variants are read back, in as few reads as possible. */
	async balancesAfter(applied: AppliedWrite[], unsure: WritePlan[] = []): Promise<BalanceRow[][]> {
		// a product whose movement was applied is tracked (no status read is needed), unless the run stopped its
		// tracking after the movement (Bulk Update), or may have (a stop whose outcome is unknown): V3 reads no
		// stock of an untracked product, and a paged read leaves its rows out, which would read as 0. Its
		// variants are output without a balance. A refused stop left the product tracked: it is read.
		const stopped = new Set(
			[...applied.map(({ plan }) => plan), ...unsure].flatMap((plan) =>
				plan.kind === 'tracking'
					? plan.items.filter((p) => p.tracking === 'STOP_TRACKING').map((p) => p.productUuid)
					: [],
			),
		);
		const byLocation = new Map<ZettleLocation, Set<string>>();
		for (const { plan } of applied) {
			const location = this.readBackFrom.get(plan);
			if (plan.kind !== 'movements' || !location || location.type !== 'STORE') continue;
			const products = byLocation.get(location) ?? new Set<string>();
			for (const p of plan.items) if (!stopped.has(p.productUuid)) products.add(p.productUuid);
			byLocation.set(location, products);
		}
		const read = new Map<ZettleLocation, Map<string, BalanceRow>>();
		for (const [location, products] of byLocation)
			read.set(location, await this.rowsOfProducts(location, [...products]));
		return applied.map(({ plan }) => {
			const location = this.readBackFrom.get(plan);
			const rows = location && read.get(location);
			if (!location || !rows) return [];
			const moved = [
				...new Map(plan.items.map((p) => [p.movement!.variantUuid, p.productUuid])).entries(),
			].filter(([, productUuid]) => !stopped.has(productUuid));
			// a variant without a row has 0 (Zettle lists non-zero balances)
			return moved.map(
				([variantUuid, productUuid]) =>
					rows.get(variantUuid) ?? {
						locationUuid: location.uuid,
						locationType: location.type,
						productUuid,
						variantUuid,
						balance: 0,
					},
			);
		});
	}

	/** Every row of a STORE inventory, following the `Link` header (only to the credential's host). */
	async inventoryRows(location: ZettleLocation): Promise<LowStockRow[]> {
		const rows: LowStockRow[] = [];
		const path = `/v3/stock/${location.uuid}`;
		for await (const body of this.client.pages(
			{ service: 'inventory', method: 'GET', path },
			`stock read of inventory ${location.uuid}`,
		))
			rows.push(...this.rowsOf(body, `GET ${path}`, location));
		return rows;
	}

	private trackingPlan(items: PlannedItem[]): WritePlan {
		const body = [
			...new Map(
				items.map((p) => [
					p.productUuid,
					{ productUuid: p.productUuid, tracking: TRACKING[p.tracking!] },
				]),
			).values(),
		];
		// V3's tracking request has no correlation id: no externalUuid to report
		return {
			kind: 'tracking',
			request: {
				service: 'inventory',
				method: 'POST',
				path: '/v3/products',
				body: body as unknown as IDataObject[],
			},
			items,
			repeatable: true,
		};
	}

	private storeOnly(location: ZettleLocation): void {
		if (location.type !== 'STORE') {
			throw this.client.answerError(
				`Inventory API V3 reads balances of STORE inventories only; ${location.name} is ${location.type}. Read a STORE inventory, or switch the node's Inventory API to Legacy.`,
			);
		}
	}

	/** Stock rows checked for the documented shape (§4.2): whole-number balances (numbers; strings tolerated). */
	private rowsOf(body: unknown, what: string, location: ZettleLocation): LowStockRow[] {
		const fail = (problem: string) =>
			this.client.answerError(
				`Zettle's answer to ${what} ${problem}. Nothing was sent; run again, or report it if it repeats.`,
			);
		if (!Array.isArray(body)) throw fail('is not a list of stock rows');
		return (body as StockRow[]).map((r) => {
			if (typeof r?.productUuid !== 'string' || typeof r?.variantUuid !== 'string')
				throw fail('lists a row without productUuid or variantUuid');
			const balance = readWholeNumber(r.balance, 'balance', '');
			if ('error' in balance)
				throw fail(
					`has balance ${JSON.stringify(r.balance)} for variant ${r.variantUuid}, which is not a whole number`,
				);
			const level =
				typeof r.lowStockLevel === 'number' && Number.isSafeInteger(r.lowStockLevel)
					? r.lowStockLevel
					: null;
			return {
				locationUuid:
					typeof r.inventoryUuid === 'string' ? r.inventoryUuid.toLowerCase() : location.uuid,
				locationType: location.type,
				productUuid: r.productUuid.toLowerCase(),
				variantUuid: r.variantUuid.toLowerCase(),
				balance: balance.value,
				lowStockLevel: level,
				lowStockAlert: r.lowStockAlert === true,
			};
		});
	}
}
