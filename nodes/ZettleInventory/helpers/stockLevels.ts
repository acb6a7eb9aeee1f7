// Set Stock Level's arithmetic: from targets and current balances to the movements that close the
// gap. Pure: no n8n context, no requests.

import type { VariantRef } from './libraryIndex';
import type { Movement } from './types';

/** "This variant should have `target` units in STORE", from one input item. */
export interface StockTarget {
	item: number;
	productUuid: string;
	variantUuid: string;
	target: number;
	/** the library's record, when the item named the variant by SKU or barcode */
	ref?: VariantRef;
}

/** A target with the balance it starts from, and the movement that reaches it (none when already there). */
export interface StockDelta extends StockTarget {
	before: number;
	movement?: Movement;
}

export interface DeltaLocations {
	store: string;
	/** where stock comes from when the target is above the balance (SUPPLIER by default) */
	increaseFrom: string;
	/** where stock goes when the target is below the balance (BIN by default) */
	decreaseTo: string;
}

/**
 * One delta per target: up from `increaseFrom` into STORE, down from STORE into `decreaseTo`. A
 * variant without a balance row has 0 (Zettle lists non-zero balances only).
 */
export function planDeltas(
	targets: StockTarget[],
	balanceOf: (variantUuid: string) => number | undefined,
	locations: DeltaLocations,
): StockDelta[] {
	return targets.map((t) => {
		const before = balanceOf(t.variantUuid) ?? 0;
		const delta = t.target - before;
		if (delta === 0) return { ...t, before };
		const [from, to] =
			delta > 0
				? [locations.increaseFrom, locations.store]
				: [locations.store, locations.decreaseTo];
		return {
			...t,
			before,
			movement: {
				productUuid: t.productUuid,
				variantUuid: t.variantUuid,
				fromLocationUuid: from,
				toLocationUuid: to,
				change: Math.abs(delta),
			},
		};
	});
}

/** The signed quantity a delta moves: +12 restocked, −33 removed, 0 for none. */
export const movedBy = (d: StockDelta): number =>
	d.movement ? Math.sign(d.target - d.before) * d.movement.change : 0;
