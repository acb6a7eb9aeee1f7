// Packing values into requests. Pure.

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
	const chunks: T[][] = [];
	let current: T[] = [];
	for (const group of groupBy(values, keyOf).values()) {
		if (current.length && current.length + group.length > size) {
			chunks.push(current);
			current = [];
		}
		current.push(...group);
	}
	if (current.length) chunks.push(current);
	return chunks;
}

/** Values grouped by key, in the order keys first appear; values without a key (undefined) are left out. */
export function groupBy<T>(values: T[], keyOf: (value: T) => string | undefined): Map<string, T[]> {
	const groups = new Map<string, T[]>();
	for (const value of values) {
		const key = keyOf(value);
		if (key === undefined) continue;
		const group = groups.get(key);
		if (group) group.push(value);
		else groups.set(key, [value]);
	}
	return groups;
}
