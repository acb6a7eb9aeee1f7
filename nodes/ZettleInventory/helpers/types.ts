// The inventory's own words: locations, movements, tracking changes. Types only, and the named movements.

export type LocationType = 'STORE' | 'SUPPLIER' | 'SOLD' | 'BIN';

export type TrackingStatusChange = 'START_TRACKING' | 'NO_CHANGE' | 'STOP_TRACKING';
export const TRACKING_STATUS_CHANGES: TrackingStatusChange[] = [
	'START_TRACKING',
	'NO_CHANGE',
	'STOP_TRACKING',
];

/** A place stock is kept in (a legacy location, a V3 inventory). */
export interface ZettleLocation {
	uuid: string;
	type: LocationType;
	name: string;
	description?: string;
	default?: boolean;
}

/** Move `change` units of a variant from one location to another: Zettle's "movement". */
export interface Movement {
	productUuid: string;
	variantUuid: string;
	fromLocationUuid: string;
	toLocationUuid: string;
	change: number;
}

/**
 * The common movements by name, beside a custom from/to (Zettle's "How inventories work":
 * https://developer.zettle.com/docs/api/inventory/concepts/how-inventories-work).
 */
export const MOVEMENT_PRESETS: Record<string, { from: LocationType; to: LocationType }> = {
	restock: { from: 'SUPPLIER', to: 'STORE' },
	sale: { from: 'STORE', to: 'SOLD' },
	discard: { from: 'STORE', to: 'BIN' },
};

/** One row of a balance read: a variant's stock in one location. */
export interface BalanceRow {
	locationUuid: string;
	locationType?: string;
	productUuid: string;
	variantUuid: string;
	balance: number;
}
