// What Zettle's Pusher API delivers, and what the trigger makes of it. Pure: no n8n context. The
// envelope, the payloads and the signature are described in docs/reference/zettle-pusher.md (§4–§7).

import { createHmac, timingSafeEqual } from 'crypto';

import type { Result } from '../ZettleInventory/helpers/result';

/** The delivery every event comes in (§4). `payload` is a string holding JSON (an object in old examples). */
export interface Envelope {
	organizationUuid?: string;
	messageUuid?: string;
	eventName: string;
	messageId: string;
	payload: unknown;
	timestamp?: string;
}

/** Who made a change, as the payload says it (`updated`, `created` or `changeInformation`). */
export interface ChangedBy {
	clientUuid: string | null;
	userUuid: string | null;
	userType: string | null;
}

/** One changed variant in one location, from an InventoryBalanceChanged payload. */
export interface BalanceChange {
	productUuid: string;
	variantUuid: string;
	locationUuid: string;
	before: number;
	after: number;
	delta: number;
	/** when Zettle recorded the balance after (`balanceAfter[].created`) */
	created: string | null;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
	typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** The envelope of a delivery's raw body, or why it is not one. */
export function parseEnvelope(raw: string): Result<Envelope> {
	let body: unknown;
	try {
		body = JSON.parse(raw);
	} catch {
		return { error: 'the body is not JSON' };
	}
	if (!isObject(body) || typeof body.eventName !== 'string' || typeof body.messageId !== 'string') {
		return { error: 'the body has no eventName or messageId' };
	}
	return { value: body as unknown as Envelope };
}

/** The payload as an object: parsed once more when it is the string Zettle sends. */
export function payloadOf(envelope: Envelope): Record<string, unknown> | undefined {
	if (isObject(envelope.payload)) return envelope.payload;
	if (typeof envelope.payload !== 'string') return undefined;
	try {
		const parsed = JSON.parse(envelope.payload) as unknown;
		return isObject(parsed) ? parsed : undefined;
	} catch {
		return undefined;
	}
}

const hmac = (key: string, message: string) =>
	createHmac('sha256', Buffer.from(key, 'utf8')).update(message, 'utf8').digest();

/** PHP's stripslashes: a backslash escapes the character after it (Zettle's PHP example and Shopware sign this way). */
const stripSlashes = (value: string) => value.replace(/\\(.?)/g, '$1');

/**
 * Whether `X-iZettle-Signature` is the hex HMAC-SHA256 of `timestamp + "." + payload` with the
 * subscription's signing key (§6). The payload is the string as delivered (never re-serialised);
 * the stripslashes variant of Zettle's PHP example is accepted too. Compared in constant time.
 */
export function signatureMatches(
	envelope: Envelope,
	signature: string | undefined,
	signingKey: string,
): boolean {
	if (
		!signature ||
		!signingKey ||
		typeof envelope.timestamp !== 'string' ||
		typeof envelope.payload !== 'string'
	)
		return false;
	const given = /^[0-9a-f]{64}$/i.test(signature.trim())
		? Buffer.from(signature.trim(), 'hex')
		: undefined;
	if (!given) return false;
	const message = `${envelope.timestamp}.${envelope.payload}`;
	return [message, stripSlashes(message)].some((m) => timingSafeEqual(hmac(signingKey, m), given));
}

/** Who made the change an event reports, when the payload says it. */
export function changedByOf(payload: Record<string, unknown>): ChangedBy | undefined {
	const block = [payload.updated, payload.created, payload.changeInformation].find(isObject);
	if (!block) return undefined;
	return {
		clientUuid: text(block.clientUuid)?.toLowerCase() ?? null,
		userUuid: text(block.uuid),
		userType: text(block.userType),
	};
}

/** A balance as Zettle's webhooks give it (a string of digits, or a number). */
function balanceOf(value: unknown): number | undefined {
	const n = typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
	return typeof n === 'number' && Number.isSafeInteger(n) ? n : undefined;
}

/**
 * The changed variant-locations of an InventoryBalanceChanged payload: before and after paired by
 * variant and location (a row only in `balanceAfter` was 0 before), unchanged ones left out.
 */
export function balanceChanges(payload: Record<string, unknown>): BalanceChange[] {
	const rows = (list: unknown) => (Array.isArray(list) ? list.filter(isObject) : []);
	const key = (r: Record<string, unknown>) =>
		`${String(r.locationUuid).toLowerCase()}|${String(r.variantUuid).toLowerCase()}`;
	const before = new Map(rows(payload.balanceBefore).map((r) => [key(r), balanceOf(r.balance)]));
	const changes: BalanceChange[] = [];
	for (const r of rows(payload.balanceAfter)) {
		const after = balanceOf(r.balance);
		if (
			after === undefined ||
			typeof r.variantUuid !== 'string' ||
			typeof r.locationUuid !== 'string' ||
			typeof r.productUuid !== 'string'
		)
			continue;
		const was = before.get(key(r)) ?? 0;
		if (was === after) continue;
		changes.push({
			productUuid: r.productUuid.toLowerCase(),
			variantUuid: r.variantUuid.toLowerCase(),
			locationUuid: r.locationUuid.toLowerCase(),
			before: was,
			after,
			delta: after - was,
			created: text(r.created),
		});
	}
	return changes;
}

/**
 * Remembers a message ID in a bounded list (oldest first); false when it was seen already. Zettle
 * delivers at least once (§9): a repeat starts no second execution.
 */
export function firstDelivery(seen: string[], messageId: string, max: number): boolean {
	if (seen.includes(messageId)) return false;
	seen.push(messageId);
	if (seen.length > max) seen.splice(0, seen.length - max);
	return true;
}
