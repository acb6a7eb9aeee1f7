// Pure mapping and validation of workflow items into Zettle movements. No n8n context here.

export type LocationType = 'STORE' | 'SUPPLIER' | 'SOLD' | 'BIN';
export const LOCATION_TYPES: LocationType[] = ['STORE', 'SUPPLIER', 'SOLD', 'BIN'];

export type TrackingStatusChange = 'START_TRACKING' | 'NO_CHANGE' | 'STOP_TRACKING';
export const TRACKING_STATUS_CHANGES: TrackingStatusChange[] = ['START_TRACKING', 'NO_CHANGE', 'STOP_TRACKING'];

export interface ZettleLocation {
	uuid: string;
	type: LocationType;
	name: string;
	description?: string;
	default?: boolean;
}

/** One change of Zettle's `changes[]`: move `change` units of a variant from one location to another. */
export interface Movement {
	productUuid: string;
	variantUuid: string;
	fromLocationUuid: string;
	toLocationUuid: string;
	change: number;
}

/** The common movements by name (zettle-api.md §2.1), beside a custom from/to. */
export const MOVEMENT_PRESETS: Record<string, { from: LocationType; to: LocationType }> = {
	restock: { from: 'SUPPLIER', to: 'STORE' },
	sale: { from: 'STORE', to: 'SOLD' },
	discard: { from: 'STORE', to: 'BIN' },
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: unknown): boolean => typeof value === 'string' && UUID.test(value.trim());

const isBlank = (value: unknown) => value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

const show = (value: unknown) => (typeof value === 'string' ? `"${value}"` : JSON.stringify(value));

/** A UUID field of an item: the value, or why it cannot be used. */
export function readUuid(value: unknown, field: string): { value: string } | { error: string } {
	if (isBlank(value)) {
		return { error: `${field} is missing. Map it in the node, or give the item a "${field}" field.` };
	}
	if (!isUuid(value)) return { error: `${field} ${show(value)} is not a UUID (e.g. 65314d7e-5f0f-11ec-bf63-0242ac130002).` };
	return { value: String(value).trim().toLowerCase() };
}

/**
 * A whole number as a person writes it: a number, or a string of decimal digits with optional
 * spaces around (CSV values arrive as text), with an optional minus sign so that a negative value
 * gets its own message. Nothing else: `Number()` would also take "0x10", "0b11", "1e3" and "",
 * and numbers beyond 2^53 lose their last digits. `hint` says what to give instead.
 */
export function readWholeNumber(value: unknown, label: string, hint: string): { value: number } | { error: string } {
	const text = typeof value === 'string' ? value.trim() : undefined;
	const n = text !== undefined ? Number(text) : value;
	if (typeof n !== 'number' || Number.isNaN(n) || text === '') return { error: `${label} ${show(value)} is not a number. ${hint}` };
	if (text !== undefined && !/^-?\d+$/.test(text)) return { error: `${label} ${show(value)} is not a whole number written in digits. ${hint}` };
	if (!Number.isInteger(n)) return { error: `${label} ${show(value)} is not a whole number. Zettle counts whole units only.` };
	if (!Number.isSafeInteger(n)) return { error: `${label} ${show(value)} is too large: Zettle cannot hold it exactly.` };
	return { value: n };
}

/**
 * The quantity to move: a whole number above zero. Direction is expressed by the locations, never
 * by the sign.
 */
export function readChange(value: unknown): { value: number } | { error: string } {
	if (isBlank(value)) return { error: 'change is missing. Map it in the node, or give the item a "change" field.' };
	const read = readWholeNumber(value, 'change', 'Give a whole number above zero, e.g. 42.');
	if ('error' in read) return read;
	const n = read.value;
	if (n === 0) return { error: 'change is 0, which moves nothing. Give a whole number above zero, or leave the item out.' };
	if (n < 0) {
		return {
			error: `change ${show(value)} is negative. Zettle moves positive quantities; the direction comes from the locations: to decrease stock, move from STORE to BIN or SOLD (e.g. the Discard or Sale movement) with change ${-n}.`,
		};
	}
	return { value: n };
}

/** Resolves a location given as a UUID, a type (STORE, SUPPLIER, SOLD, BIN) or a name, against the organization's list. */
export function resolveLocation(value: unknown, field: string, locations: ZettleLocation[]): { value: string } | { error: string } {
	if (isBlank(value)) {
		return { error: `${field} is missing. Choose a location in the node, or give the item a "${field}" field (a UUID or STORE, SUPPLIER, SOLD, BIN).` };
	}
	const text = String(value).trim();
	if (isUuid(text)) {
		if (!locations.some((l) => l.uuid.toLowerCase() === text.toLowerCase())) {
			return { error: `${field} ${text} is not a location of this Zettle organization. Pick one from the list.` };
		}
		return { value: text.toLowerCase() };
	}
	const byType = locations.find((l) => l.type === text.toUpperCase());
	if (byType) return { value: byType.uuid };
	const byName = locations.filter((l) => l.name.toLowerCase() === text.toLowerCase());
	if (byName.length === 1) return { value: byName[0].uuid };
	const known = locations.map((l) => `${l.name} (${l.type})`).join(', ');
	return { error: `${field} ${show(value)} is neither a UUID nor a location type or name of this organization. Use STORE, SUPPLIER, SOLD or BIN, or one of: ${known}.` };
}

export function readTrackingStatusChange(value: unknown): { value: TrackingStatusChange } | { error: string } {
	const text = String(value ?? '').trim().toUpperCase().replace(/[\s-]+/g, '_');
	if (TRACKING_STATUS_CHANGES.includes(text as TrackingStatusChange)) return { value: text as TrackingStatusChange };
	return { error: `Tracking change ${show(value)} is not one of START_TRACKING, NO_CHANGE, STOP_TRACKING.` };
}

/** The last check of a movement whose fields are all valid. */
export function checkMovement(m: Movement): string | undefined {
	if (m.fromLocationUuid === m.toLocationUuid) {
		return `From and to are the same location (${m.fromLocationUuid}), which moves nothing. Choose two different locations.`;
	}
	return undefined;
}

export function chunk<T>(values: T[], size: number): T[][] {
	const chunks: T[][] = [];
	for (let i = 0; i < values.length; i += size) chunks.push(values.slice(i, i + size));
	return chunks;
}

/**
 * Groups by key, then packs whole groups into chunks of at most `size` entries (a group larger
 * than `size` goes alone): a product's variants always stay in one bulk request.
 */
export function chunkGroups<T>(values: T[], keyOf: (value: T) => string, size: number): T[][] {
	const groups = new Map<string, T[]>();
	for (const value of values) {
		const key = keyOf(value);
		const group = groups.get(key);
		if (group) group.push(value);
		else groups.set(key, [value]);
	}
	const chunks: T[][] = [];
	let current: T[] = [];
	for (const group of groups.values()) {
		if (current.length && current.length + group.length > size) {
			chunks.push(current);
			current = [];
		}
		current.push(...group);
	}
	if (current.length) chunks.push(current);
	return chunks;
}

/** "items 0–2, 5" for messages: item numbers as n8n shows them (0-based). */
export function describeItems(indexes: number[]): string {
	const sorted = [...new Set(indexes)].sort((a, b) => a - b);
	const parts: string[] = [];
	for (let i = 0; i < sorted.length; i++) {
		let j = i;
		while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
		parts.push(j > i ? `${sorted[i]}–${sorted[j]}` : `${sorted[i]}`);
		i = j;
	}
	return `${sorted.length === 1 ? 'item' : 'items'} ${parts.join(', ')}`;
}

/** A target stock level: a whole number, 0 or more. */
export function readStockLevel(value: unknown): { value: number } | { error: string } {
	if (isBlank(value)) return { error: 'Stock level is missing. Map it in the node, or give the item a "quantity" field.' };
	const read = readWholeNumber(value, 'Stock level', 'Give a whole number, 0 or more, e.g. 25.');
	if ('error' in read) return read;
	if (read.value < 0) return { error: `Stock level ${show(value)} is negative. Give a whole number, 0 or more.` };
	return read;
}
