// How an item names what a write does: a movement (Update Balance, Bulk Update: a named movement or
// from/to locations, a product and variant, a quantity, and for Bulk Update the product's tracking
// change), or a product (Start / Stop Tracking).

import type { PlannedItem } from '../api/types';
import { errorsOf } from '../helpers/result';
import { LocationType, MOVEMENT_PRESETS, Movement } from '../helpers/types';
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

type Preset = { from: LocationType; to: LocationType } | undefined;

/** The named movement of the node (Restock, Sale…), or undefined for Custom (from/to locations per item). */
const presetOf = (run: Run): Preset =>
	MOVEMENT_PRESETS[run.context.getNodeParameter('movement', 0, 'custom') as string];

/** Reads each item's movement (Update Balance). */
export function movementReader(run: Run): (item: number) => Read {
	const preset = presetOf(run);
	return (item) =>
		productAndMovement(run, item, preset, { rawChange: run.parameter('change', item, '') }, []);
}

/**
 * Reads each item's movement and its product's tracking change (Bulk Update); an item without a
 * `change` only changes its product's tracking. Every problem of the item is said at once.
 */
export function bulkReader(run: Run): (item: number) => Read {
	const preset = presetOf(run);
	return (item) => {
		const tracking = readTrackingStatusChange(
			run.parameter('trackingStatusChange', item, 'START_TRACKING'),
		);
		const rawChange = run.parameter('change', item, '');
		const read = productAndMovement(
			run,
			item,
			preset,
			isEmpty(rawChange) ? undefined : { rawChange },
			'error' in tracking ? [tracking.error] : [],
		);
		return 'value' in read && 'value' in tracking
			? { value: { ...read.value, tracking: tracking.value } }
			: read;
	};
}

/**
 * The item's product and, unless `change` is undefined (a tracking change only), its variant and
 * movement. `errors`: what is already wrong with the item; what else is wrong is added to it.
 */
function productAndMovement(
	run: Run,
	item: number,
	preset: Preset,
	change: { rawChange: unknown } | undefined,
	errors: string[],
): Read {
	const identity = identityOf(run, item, change !== undefined);
	if ('errors' in identity) errors.push(...identity.errors);
	const movement = change && itemMovement(run, item, preset, change.rawChange, identity, errors);
	if (errors.length || !('value' in identity)) return { errors };
	const { productUuid, ref } = identity.value;
	return { value: { item, productUuid, movement, ref } };
}

/**
 * The item's movement: its Change, its locations (or the named movement's) and its variant. Adds
 * what is wrong to `errors`; the movement itself is checked only when nothing else was wrong.
 */
function itemMovement(
	run: Run,
	item: number,
	preset: Preset,
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
