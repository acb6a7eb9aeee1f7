// Correlation ids the node chooses itself: version 1 (time-based) UUIDs, as Zettle's examples and its
// own clients use (docs/reference/zettle-inventory-v3.md §3.3; Zettle requires v1 for ids a client
// chooses elsewhere, e.g. webhook subscriptions). Built here from RFC 4122 §4.2, with no dependency.

import { randomBytes } from 'crypto';

/** 100-ns intervals between the Gregorian reform (1582-10-15) and the Unix epoch. */
const GREGORIAN_OFFSET = BigInt('122192928000000000');

/**
 * A v1 UUID for `now`. The clock sequence and node are random (the node with its multicast bit set,
 * as RFC 4122 §4.5 asks of a node that is not a MAC address), and so are the sub-millisecond ticks:
 * no state is kept between calls, and two ids of one millisecond still differ.
 */
export function uuidV1(now = Date.now()): string {
	const random = randomBytes(10);
	const ticks =
		BigInt(now) * BigInt(10000) + BigInt(random.readUInt16BE(0) % 10000) + GREGORIAN_OFFSET;
	const hex = ticks.toString(16).padStart(15, '0');
	const timeLow = hex.slice(7, 15);
	const timeMid = hex.slice(3, 7);
	const timeHigh = `1${hex.slice(0, 3)}`;
	const clockSeq = ((random.readUInt16BE(2) & 0x3fff) | 0x8000).toString(16).padStart(4, '0');
	random[4] |= 0x01;
	const node = random.subarray(4, 10).toString('hex');
	return `${timeLow}-${timeMid}-${timeHigh}-${clockSeq}-${node}`;
}

/** Whether a UUID is a version 1 (time-based) UUID. */
export const isUuidV1 = (value: string): boolean =>
	/^[0-9a-f]{8}-[0-9a-f]{4}-1[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i.test(value.trim());

/** A new correlation id for one request (legacy `externalUuid`, V3 `identifier`). */
export const newExternalUuid = (): string => uuidV1();
