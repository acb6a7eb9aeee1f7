// The seam between what an operation means and which HTTP calls carry it out. The engine and the
// operations speak in these terms; each Zettle API (the legacy Inventory API today) implements
// `InventoryApi` with its own requests.

import type { VariantRef } from '../helpers/libraryIndex';
import type { BalanceRow, Movement, TrackingStatusChange, ZettleLocation } from '../helpers/types';
import type { ZettleRequest } from '../transport';

/** One valid input item, as a write carries it: a movement, a tracking change of its product, or both. */
export interface PlannedItem {
	item: number;
	productUuid: string;
	/** the library's record, when the item named its variant by SKU or barcode */
	ref?: VariantRef;
	movement?: Movement;
	tracking?: TrackingStatusChange;
	/** Set Low-Stock Level: the variant's custom level in a STORE inventory (null: remove it) */
	lowStock?: LowStockSetting;
}

export interface LowStockSetting {
	locationUuid: string;
	variantUuid: string;
	lowStockLevel: number | null;
	lowStockAlert: boolean;
}

/** A variant's balance and custom low-stock setting in a STORE inventory. */
export interface LowStockRow extends BalanceRow {
	lowStockLevel: number | null;
	lowStockAlert: boolean;
}

/** One request to send and the items it carries. */
export interface WritePlan {
	/** what it changes: stock (movements, maybe with tracking, as legacy bulk), only tracking, or low-stock levels */
	kind: 'movements' | 'tracking' | 'lowStock';
	request: ZettleRequest;
	items: PlannedItem[];
	/** the correlation id sent with it, shown on every output and error of its items (none on V3 tracking requests) */
	externalUuid?: string;
	/** whether sending it twice does no harm (a tracking change sets a state; a movement adds) */
	repeatable: boolean;
}

export interface WriteOptions {
	itemsPerRequest: number;
	/** a user-given correlation id for every request; empty: a new one per request */
	externalUuid?: string;
	/** the location whose balances come back (Return Balances For Location) */
	returnLocation?: ZettleLocation;
	/** V3: read the balances back after the writes (V3 answers 204 without them) */
	readBack?: boolean;
}

/** Balances of products in one location, read in as few requests as the API allows. */
export interface ProductBalances {
	/** tracked products among those asked for */
	tracked: Set<string>;
	/** variant UUID → its row; a tracked variant without a row has 0 (Zettle lists non-zero balances only) */
	rows: Map<string, BalanceRow>;
}

/** What became of an applied write, for the output: the balances it returned (or that were read back). */
export interface AppliedWrite {
	plan: WritePlan;
	/** Zettle's answer, as it came */
	body: unknown;
}

export interface InventoryApi {
	/** The organization's locations, checked for the documented shape. */
	locations(): Promise<ZettleLocation[]>;
	/** Balances of these products in this location. */
	productBalances(location: ZettleLocation, productUuids: string[]): Promise<ProductBalances>;
	/** Every non-zero balance in this location, and the tracked products when the read says them. */
	locationBalances(
		location: ZettleLocation,
	): Promise<{ rows: BalanceRow[]; trackedProducts?: string[] }>;
	/** Which of these products are tracked. */
	trackedAmong(productUuids: string[]): Promise<Set<string>>;
	/** Requests that move stock: each item carries one movement. */
	movementWrites(items: PlannedItem[], options: WriteOptions): WritePlan[];
	/** Requests that change tracking and move stock together (Bulk Update). */
	bulkWrites(items: PlannedItem[], options: WriteOptions): WritePlan[];
	/** Requests that only change tracking: each item names one product. */
	trackingWrites(
		items: PlannedItem[],
		change: 'START_TRACKING' | 'STOP_TRACKING',
		options: WriteOptions,
	): WritePlan[];
	/**
	 * The balances each applied write left, in the order given (from its answer, or read back).
	 * `unsure`: the writes whose outcome is unknown (they may have been applied).
	 */
	balancesAfter(applied: AppliedWrite[], unsure?: WritePlan[]): Promise<BalanceRow[][]>;
	/** Variants with a custom low-stock level in a STORE inventory (V3 only). */
	lowStockLevels(location: ZettleLocation): Promise<LowStockRow[]>;
	/** Requests that set (or remove) custom low-stock levels (V3 only). */
	lowStockWrites(items: PlannedItem[], options: WriteOptions): WritePlan[];
}
