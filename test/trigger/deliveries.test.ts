// The pure side of a delivery: Zettle's envelope, the signature over `timestamp.payload`, and the pairing of
// balances before and after (docs/reference/zettle-pusher.md §4–§7).

import { createHmac } from 'node:crypto';

import {
	balanceChanges,
	changedByOf,
	firstDelivery,
	parseEnvelope,
	payloadOf,
	signatureMatches,
} from '../../nodes/ZettleTrigger/deliveries';

const KEY = 'zLzClQLQN8yfH8aEjONeXzgJRAHR0zpD7RonFCpizujCUCectBlln0vFArTbLPYa';
const hex = (message: string) => createHmac('sha256', KEY).update(message).digest('hex');

describe('the signature', () => {
	const envelope = {
		eventName: 'InventoryBalanceChanged',
		messageId: 'm',
		timestamp: '2021-04-19T13:18:11.999Z',
		payload: '{"a":"line\\nbreak"}',
	};

	it('is the hex HMAC-SHA256 of timestamp.payload with the signing key, the payload as delivered', () => {
		expect(signatureMatches(envelope, hex(`${envelope.timestamp}.${envelope.payload}`), KEY)).toBe(
			true,
		);
		expect(
			signatureMatches(
				envelope,
				hex(`${envelope.timestamp}.${envelope.payload}`).toUpperCase(),
				KEY,
			),
		).toBe(true);
	});

	it("also takes the stripslashes variant of Zettle's PHP example", () => {
		expect(signatureMatches(envelope, hex(`${envelope.timestamp}.{"a":"linenbreak"}`), KEY)).toBe(
			true,
		);
	});

	it('refuses another key, another payload, a missing timestamp, a missing or malformed header', () => {
		const good = hex(`${envelope.timestamp}.${envelope.payload}`);
		expect(signatureMatches(envelope, good, 'another key')).toBe(false);
		expect(signatureMatches({ ...envelope, payload: '{"a":1}' }, good, KEY)).toBe(false);
		expect(signatureMatches({ ...envelope, timestamp: undefined }, good, KEY)).toBe(false);
		expect(signatureMatches(envelope, undefined, KEY)).toBe(false);
		expect(signatureMatches(envelope, 'abc', KEY)).toBe(false);
	});
});

describe('the envelope and its payload', () => {
	it('parses the envelope, and the payload string a second time', () => {
		const parsed = parseEnvelope(
			JSON.stringify({ eventName: 'X', messageId: 'm', payload: '{"productUuid":"p"}' }),
		);
		expect('value' in parsed && payloadOf(parsed.value)).toEqual({ productUuid: 'p' });
		expect(parseEnvelope('not json')).toEqual({ error: 'the body is not JSON' });
		expect(parseEnvelope('{"payload":"{}"}')).toEqual({
			error: 'the body has no eventName or messageId',
		});
	});

	it('says who made the change, whatever the block is called', () => {
		expect(changedByOf({ updated: { uuid: 'u', userType: 'USER', clientUuid: 'C1' } })).toEqual({
			clientUuid: 'c1',
			userUuid: 'u',
			userType: 'USER',
		});
		expect(changedByOf({ changeInformation: { clientUuid: 'c2' } })).toMatchObject({
			clientUuid: 'c2',
		});
		expect(changedByOf({})).toBeUndefined();
	});
});

describe('balance changes', () => {
	const row = (locationUuid: string, variantUuid: string, balance: string) => ({
		locationUuid,
		productUuid: 'P',
		variantUuid,
		balance,
	});

	it('pairs before and after by location and variant (strings to numbers), leaves unchanged rows out, a new row was 0', () => {
		expect(
			balanceChanges({
				balanceBefore: [row('STORE', 'V1', '10'), row('STORE', 'V2', '7'), row('SOLD', 'V1', '3')],
				balanceAfter: [
					row('SOLD', 'V1', '5'),
					row('STORE', 'V1', '8'),
					row('STORE', 'V2', '7'),
					row('STORE', 'V3', '4'),
				],
			}).map((c) => [c.locationUuid, c.variantUuid, c.before, c.after, c.delta]),
		).toEqual([
			['sold', 'v1', 3, 5, 2],
			['store', 'v1', 10, 8, -2],
			['store', 'v3', 0, 4, 4],
		]);
	});

	it('skips rows whose balance is not a whole number', () => {
		expect(
			balanceChanges({ balanceBefore: [], balanceAfter: [row('STORE', 'V1', 'lots')] }),
		).toEqual([]);
	});
});

it('remembers message IDs in a bounded list, oldest out first', () => {
	const seen: string[] = [];
	expect([
		firstDelivery(seen, 'a', 2),
		firstDelivery(seen, 'a', 2),
		firstDelivery(seen, 'b', 2),
		firstDelivery(seen, 'c', 2),
	]).toEqual([true, false, true, true]);
	expect(seen).toEqual(['b', 'c']);
	expect(firstDelivery(seen, 'a', 2)).toBe(true);
});
