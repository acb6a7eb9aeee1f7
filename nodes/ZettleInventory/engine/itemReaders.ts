// How an item names what a write does: a movement (Update Balance, Bulk Update: a named movement or
// from/to locations, a product and variant, a quantity, and for Bulk Update the product's tracking
// change), or a product (Start / Stop Tracking).

import type { PlannedItem } from '../api/types';
import { errorsOf } from '../helpers/result';
import { LocationType, MOVEMENT_PRESETS, Movement, TrackingStatusChange } from '../helpers/types';
import {
	checkMovement,
	readChange,
	readTrackingStatusChange,
	readWholeNumber,
} from '../helpers/validation';
import type { ItemError } from './output';
import { identityOf, locationOf, Run } from './run';

type Read = { value: PlannedItem } | { errors: string[] };

const isEmpty = (value: unknown) => value === '' || value === undefined || value === null;

/**
 * Reads each item's movement. With `withTracking` (Bulk Update) the item also carries its product's
 * tracking change, and an item without a `change` only changes tracking.
 */
export function movementReader(
	run: Run,
	{ withTracking }: { withTracking: boolean },
): (item: number) => Read {
	const preset = MOVEMENT_PRESETS[run.context.getNodeParameter('movement', 0, 'custom') as string];
	return (item) => {
		const errors: string[] = [];
		let tracking: TrackingStatusChange | undefined;
		if (withTracking) {
			const read = readTrackingStatusChange(
				run.parameter('trackingStatusChange', item, 'START_TRACKING'),
			);
			if ('error' in read) errors.push(read.error);
			else tracking = read.value;
		}
		const rawChange = run.parameter('change', item, '');
		const trackingOnly = withTracking && isEmpty(rawChange);
		const identity = identityOf(run, item, !trackingOnly);
		if ('errors' in identity) errors.push(...identity.errors);
		const movement = trackingOnly
			? undefined
			: itemMovement(run, item, preset, rawChange, identity, errors);
		if (errors.length || !('value' in identity)) return { errors };
		return {
			value: {
				item,
				productUuid: identity.value.productUuid,
				movement,
				tracking,
				ref: identity.value.ref,
			},
		};
	};
}

/**
 * The item's movement: its Change, its locations (or the named movement's) and its variant. Adds
 * what is wrong to `errors`; the movement itself is checked only when nothing else was wrong.
 */
function itemMovement(
	run: Run,
	item: number,
	preset: { from: LocationType; to: LocationType } | undefined,
	rawChange: unknown,
	identity: ReturnType<typeof identityOf>,
	errors: string[],
): Movement | undefined {
	const location = (name: 'fromLocation' | 'toLocation', named?: LocationType) =>
		locationOf(run, named ?? run.parameter(name, item, '', { extractValue: true }), `${name}Uuid`);
	const change = readChange(rawChange);
	const from = location('fromLocation', preset?.from);
	const to = location('toLocation', preset?.to);
	errors.push(...errorsOf(change, from, to));
	if (errors.length || !('value' in identity) || !('value' in change)) return undefined;
	if (!('value' in from) || !('value' in to)) return undefined;
	const movement: Movement = {
		productUuid: identity.value.productUuid,
		variantUuid: identity.value.variantUuid!,
		fromLocationUuid: from.value,
		toLocationUuid: to.value,
		change: change.value,
	};
	const problem = checkMovement(movement);
	if (problem) errors.push(problem);
	return movement;
}

/** Reads each item's product (Start / Stop Tracking). */
export function productReader(run: Run): (item: number) => Read {
	return (item) => {
		const identity = identityOf(run, item, false);
		return 'errors' in identity
			? identity
			: { value: { item, productUuid: identity.value.productUuid } };
	};
}

/** Reads each item's variant, STORE inventory and low-stock level (Set Low-Stock Level). */
export function lowStockReader(run: Run): (item: number) => Read {
	return (item) => {
		const identity = identityOf(run, item, true);
		const location = locationOf(
			run,
			run.parameter('location', item, '', { extractValue: true }),
			'Location',
		);
		const raw = run.parameter('lowStockLevel', item, '');
		const level = isEmpty(raw)
			? { value: 0 }
			: readWholeNumber(
					raw,
					'Low-stock level',
					'Give a whole number above 0, or leave it empty to remove the level.',
				);
		const alert = run.parameter('lowStockAlert', item, true);
		const errors = [...('errors' in identity ? identity.errors : []), ...errorsOf(location, level)];
		// Zettle keeps low-stock levels for STORE inventories only, and refuses a whole request that names another
		const inventory =
			'value' in location ? run.locations.find((l) => l.uuid === location.value) : undefined;
		if (inventory && inventory.type !== 'STORE')
			errors.push(
				`Location ${inventory.name} is a ${inventory.type} location: low-stock levels are kept for STORE inventories only. Use STORE, or the name of another STORE.`,
			);
		if ('value' in level && level.value < 0)
			errors.push(
				`Low-stock level ${level.value} is negative. Give a whole number above 0, or leave it empty to remove the level.`,
			);
		if (typeof alert !== 'boolean')
			errors.push(`Low-stock alert ${JSON.stringify(alert)} is not true or false.`);
		if (errors.length || !('value' in identity) || !('value' in location) || !('value' in level))
			return { errors };
		const { productUuid, variantUuid, ref } = identity.value;
		const lowStock = {
			locationUuid: location.value,
			variantUuid: variantUuid!,
			lowStockLevel: level.value === 0 ? null : level.value,
			lowStockAlert: alert as boolean,
		};
		return { value: { item, productUuid, ref, lowStock } };
	};
}

/** A product has one tracking change per run: a later item that asks for another is refused. */
export function conflictingTracking(planned: PlannedItem[]): ItemError[] {
	const first = new Map<string, PlannedItem>();
	const refused: ItemError[] = [];
	for (const p of planned) {
		if (!p.tracking) continue;
		const earlier = first.get(p.productUuid);
		if (!earlier) first.set(p.productUuid, p);
		else if (earlier.tracking !== p.tracking) {
			refused.push({
				item: p.item,
				message: `Tracking change ${p.tracking} conflicts with ${earlier.tracking} on item ${earlier.item} for the same product ${p.productUuid}. A product has one tracking change per run.`,
			});
		}
	}
	return refused;
}
