// Reading and checking the fields of one workflow item. Pure: no n8n context. Every reader returns
// the value or an error that says what is wrong and how to fix it.

import type { Result } from './result';
import {
	LocationType,
	Movement,
	TRACKING_STATUS_CHANGES,
	TrackingStatusChange,
	ZettleLocation,
} from './types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: unknown): boolean =>
	typeof value === 'string' && UUID.test(value.trim());

const isBlank = (value: unknown) =>
	value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

const show = (value: unknown) => (typeof value === 'string' ? `"${value}"` : JSON.stringify(value));

/** A UUID field of an item. */
export function readUuid(value: unknown, field: string): Result<string> {
	if (isBlank(value))
		return {
			error: `${field} is missing. Map it in the node, or give the item a "${field}" field.`,
		};
	if (!isUuid(value))
		return {
			error: `${field} ${show(value)} is not a UUID (e.g. 65314d7e-5f0f-11ec-bf63-0242ac130002).`,
		};
	return { value: String(value).trim().toLowerCase() };
}

/**
 * A whole number as a person writes it: a number, or a string of decimal digits with optional
 * spaces around (CSV values arrive as text), with an optional minus sign so that a negative value
 * gets its own message. Nothing else: `Number()` would also take "0x10", "0b11", "1e3" and "",
 * and numbers beyond 2^53 lose their last digits. `hint` says what to give instead.
 */
export function readWholeNumber(value: unknown, label: string, hint: string): Result<number> {
	const text = typeof value === 'string' ? value.trim() : undefined;
	const n = text !== undefined ? Number(text) : value;
	if (typeof n !== 'number' || Number.isNaN(n) || text === '')
		return { error: `${label} ${show(value)} is not a number. ${hint}` };
	if (text !== undefined && !/^-?\d+$/.test(text))
		return { error: `${label} ${show(value)} is not a whole number written in digits. ${hint}` };
	if (!Number.isInteger(n))
		return {
			error: `${label} ${show(value)} is not a whole number. Zettle counts whole units only.`,
		};
	if (!Number.isSafeInteger(n))
		return { error: `${label} ${show(value)} is too large: Zettle cannot hold it exactly.` };
	return { value: n };
}

/** The quantity to move: a whole number above zero. Direction comes from the locations, never the sign. */
export function readChange(value: unknown): Result<number> {
	if (isBlank(value))
		return { error: 'change is missing. Map it in the node, or give the item a "change" field.' };
	const read = readWholeNumber(value, 'change', 'Give a whole number above zero, e.g. 42.');
	if ('error' in read) return read;
	const n = read.value;
	if (n === 0)
		return {
			error:
				'change is 0, which moves nothing. Give a whole number above zero, or leave the item out.',
		};
	if (n < 0) {
		return {
			error: `change ${show(value)} is negative. Zettle moves positive quantities; the direction comes from the locations: to decrease stock, move from STORE to BIN or SOLD (e.g. the Discard or Sale movement) with change ${-n}.`,
		};
	}
	return { value: n };
}

/** A target stock level: a whole number, 0 or more. */
export function readStockLevel(value: unknown): Result<number> {
	if (isBlank(value))
		return {
			error: 'Stock level is missing. Map it in the node, or give the item a "quantity" field.',
		};
	const read = readWholeNumber(value, 'Stock level', 'Give a whole number, 0 or more, e.g. 25.');
	if ('error' in read) return read;
	if (read.value < 0)
		return { error: `Stock level ${show(value)} is negative. Give a whole number, 0 or more.` };
	return read;
}

/**
 * A location given as a UUID, a type (STORE, SUPPLIER, SOLD, BIN) or a name, against the
 * organization's list. A type means the default location of that type where there are several.
 */
export function resolveLocation(
	value: unknown,
	field: string,
	locations: ZettleLocation[],
): Result<string> {
	if (isBlank(value)) {
		return {
			error: `${field} is missing. Choose a location in the node, or give the item a "${field}" field (a UUID or STORE, SUPPLIER, SOLD, BIN).`,
		};
	}
	const text = String(value).trim();
	if (isUuid(text)) {
		if (!locations.some((l) => l.uuid.toLowerCase() === text.toLowerCase())) {
			return {
				error: `${field} ${text} is not a location of this Zettle organization. Pick one from the list.`,
			};
		}
		return { value: text.toLowerCase() };
	}
	const byType = locationOfType(locations, text.toUpperCase());
	if (byType) return { value: byType.uuid };
	const byName = locations.filter((l) => l.name.toLowerCase() === text.toLowerCase());
	if (byName.length === 1) return { value: byName[0].uuid };
	const known = locations.map((l) => `${l.name} (${l.type})`).join(', ');
	const why =
		byName.length > 1
			? `is the name of ${byName.length} locations; use the UUID of one`
			: 'is neither a UUID nor a location type or name of this organization';
	return {
		error: `${field} ${show(value)} ${why}. Use STORE, SUPPLIER, SOLD or BIN, or one of: ${known}.`,
	};
}

/** The location of a type: the one marked default where there are several, else the first listed. */
export function locationOfType(
	locations: ZettleLocation[],
	type: LocationType | string,
): ZettleLocation | undefined {
	const ofType = locations.filter((l) => l.type === type);
	return ofType.find((l) => l.default) ?? ofType[0];
}

export function readTrackingStatusChange(value: unknown): Result<TrackingStatusChange> {
	const text = String(value ?? '')
		.trim()
		.toUpperCase()
		.replace(/[\s-]+/g, '_');
	if (TRACKING_STATUS_CHANGES.includes(text as TrackingStatusChange))
		return { value: text as TrackingStatusChange };
	return {
		error: `Tracking change ${show(value)} is not one of START_TRACKING, NO_CHANGE, STOP_TRACKING.`,
	};
}

/** The last check of a movement whose fields are all valid. */
export function checkMovement(m: Movement): string | undefined {
	if (m.fromLocationUuid === m.toLocationUuid) {
		return `From and to are the same location (${m.fromLocationUuid}), which moves nothing. Choose two different locations.`;
	}
	return undefined;
}
