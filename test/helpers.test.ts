import { jsonFieldOf } from '../nodes/ZettleInventory/engine/itemParameters';
import { LibraryIndex as Catalogue } from '../nodes/ZettleInventory/helpers/libraryIndex';
import { appliedItems, describeItems } from '../nodes/ZettleInventory/engine/output';
import { balancesOfAnswer, productChanges } from '../nodes/ZettleInventory/api/legacy';
import { chunk, chunkGroups } from '../nodes/ZettleInventory/helpers/chunks';
import { readChange, readStockLevel, readTrackingStatusChange, readUuid, resolveLocation } from '../nodes/ZettleInventory/helpers/validation';
import { clientIdFromApiKey, zettleHosts } from '../nodes/ZettleInventory/transport/hosts';
import { backoffMs, decide, MAX_RETRIES, retryAfterMs } from '../nodes/ZettleInventory/transport/retry';
import { SEED } from '../sandbox/seed';

const LOCATIONS = [
	{ uuid: SEED.locations.STORE, type: 'STORE' as const, name: 'STORE' },
	{ uuid: SEED.locations.BIN, type: 'BIN' as const, name: 'Broken goods' },
];

describe('readChange', () => {
	it.each([
		[42, 42],
		['7', 7],
		[' 12 ', 12],
	])('accepts %p as %p', (input, value) => expect(readChange(input)).toEqual({ value }));

	it.each([
		[0, /is 0/],
		[-2, /negative.*move from STORE to BIN or SOLD.*with change 2/],
		[2.5, /not a whole number/],
		['x', /not a number/],
		[undefined, /missing/],
		['', /missing/],
	])('refuses %p', (input, message) => expect((readChange(input) as { error: string }).error).toMatch(message));
});

describe('readUuid and resolveLocation', () => {
	it('normalises a UUID and explains a bad one', () => {
		expect(readUuid(' 65314D7E-5F0F-11EC-BF63-0242AC130002 ', 'productUuid')).toEqual({ value: SEED.tshirt.productUuid });
		expect(readUuid('65314d7e', 'productUuid')).toEqual({ error: expect.stringMatching(/"65314d7e" is not a UUID/) });
	});

	it('resolves a type, a name and a UUID against the locations', () => {
		expect(resolveLocation('bin', 'to', LOCATIONS)).toEqual({ value: SEED.locations.BIN });
		expect(resolveLocation('Broken goods', 'to', LOCATIONS)).toEqual({ value: SEED.locations.BIN });
		expect(resolveLocation(SEED.locations.STORE, 'to', LOCATIONS)).toEqual({ value: SEED.locations.STORE });
		expect(resolveLocation('SOLD', 'to', LOCATIONS)).toEqual({ error: expect.stringMatching(/one of: STORE \(STORE\), Broken goods \(BIN\)/) });
		expect(resolveLocation('11111111-2222-1333-8444-555555555555', 'to', LOCATIONS)).toEqual({ error: expect.stringMatching(/is not a location of this Zettle organization/) });
	});

	it('reads tracking changes leniently', () => {
		expect(readTrackingStatusChange('start tracking')).toEqual({ value: 'START_TRACKING' });
		expect(readTrackingStatusChange('no-change')).toEqual({ value: 'NO_CHANGE' });
		expect('error' in readTrackingStatusChange('pause')).toBe(true);
	});
});

describe('chunking', () => {
	it('chunks in order', () => expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]));

	it('keeps groups whole and packs them', () => {
		const values = ['a1', 'b1', 'a2', 'c1', 'b2', 'a3'];
		expect(chunkGroups(values, (v) => v[0], 4)).toEqual([['a1', 'a2', 'a3'], ['b1', 'b2', 'c1']]);
		expect(chunkGroups(['a1', 'a2', 'a3'], (v) => v[0], 2)).toEqual([['a1', 'a2', 'a3']]);
	});

	it('describes item ranges', () => expect(describeItems([5, 0, 1, 2, 7, 8])).toBe('items 0–2, 5, 7–8'));

	it('groups bulk items by product', () => {
		const m = (productUuid: string, variantUuid: string) => ({ productUuid, variantUuid, fromLocationUuid: 'f', toLocationUuid: 't', change: 1 });
		expect(
			productChanges([
				{ item: 0, productUuid: 'p1', tracking: 'START_TRACKING', movement: m('p1', 'v1') },
				{ item: 1, productUuid: 'p2', tracking: 'NO_CHANGE' },
				{ item: 2, productUuid: 'p1', tracking: 'START_TRACKING', movement: m('p1', 'v2') },
			]),
		).toEqual([
			{ productUuid: 'p1', trackingStatusChange: 'START_TRACKING', variantChanges: [{ variantUuid: 'v1', fromLocationUuid: 'f', toLocationUuid: 't', change: 1 }, { variantUuid: 'v2', fromLocationUuid: 'f', toLocationUuid: 't', change: 1 }] },
			{ productUuid: 'p2', trackingStatusChange: 'NO_CHANGE', variantChanges: [] },
		]);
	});
});

describe('the retry policy', () => {
	const base = { attempt: 0, random: 0.5, maxWaitMs: 60_000, repeatable: false };
	it('retries 429 as told, or with backoff, and 503 only with Retry-After', () => {
		expect(decide({ ...base, status: 429, retryAfter: '3' })).toEqual({ kind: 'retry', waitMs: 3000, reason: expect.any(String) });
		expect(decide({ ...base, status: 429 })).toMatchObject({ kind: 'retry', waitMs: 750 });
		expect(decide({ ...base, status: 503, retryAfter: '1' })).toMatchObject({ kind: 'retry' });
		expect(decide({ ...base, status: 503 })).toMatchObject({ kind: 'unknown' });
		expect(decide({ ...base, status: 429, attempt: MAX_RETRIES })).toMatchObject({ kind: 'notApplied' });
	});

	it('never cuts a told wait short: longer than Max Retry Wait means not applied, not sent early', () => {
		expect(decide({ ...base, status: 429, retryAfter: '3600' })).toEqual({ kind: 'notApplied', reason: 'Zettle asked to wait 3600 s before sending again, more than Max Retry Wait (60 s)' });
		expect(decide({ ...base, status: 429, retryAfter: '60' })).toMatchObject({ kind: 'retry', waitMs: 60_000 });
		expect(decide({ ...base, status: 429, maxWaitMs: 500 })).toMatchObject({ kind: 'retry', waitMs: 500 });
	});

	it('never retries a write whose outcome is unknown; retries a repeatable request', () => {
		expect(decide({ ...base, status: 500 })).toMatchObject({ kind: 'unknown' });
		expect(decide({ ...base, sent: true })).toMatchObject({ kind: 'unknown' });
		expect(decide({ ...base, status: 500, repeatable: true })).toMatchObject({ kind: 'retry' });
		expect(decide({ ...base, sent: true, repeatable: true })).toMatchObject({ kind: 'retry' });
		expect(decide({ ...base, sent: false, repeatable: true, notSentReason: 'the request was not sent: revoked' })).toEqual({ kind: 'notApplied', reason: 'the request was not sent: revoked' });
		expect(decide({ ...base, status: 400 })).toMatchObject({ kind: 'notApplied' });
	});

	it('does not follow a redirect, and says where it pointed (the origin only)', () => {
		expect(decide({ ...base, status: 307, location: 'http://127.0.0.1:9/steal?token=x', repeatable: true })).toMatchObject({
			kind: 'unknown',
			reason: expect.stringMatching(/^Zettle answered 307, a redirect to http:\/\/127\.0\.0\.1:9: not followed/),
		});
	});

	it('reads Retry-After as seconds or a date, and backs off exponentially with a cap', () => {
		expect(retryAfterMs('2')).toBe(2000);
		expect(retryAfterMs(new Date(Date.now() + 5000).toUTCString(), Date.now())).toBeGreaterThan(3000);
		expect(retryAfterMs('soon')).toBeUndefined();
		expect([0, 1, 2, 10].map((a) => backoffMs(a, 0.999))).toEqual([1000, 2000, 4000, 30000].map((ms) => Math.round(ms * 0.9995)));
	});
});

describe('hosts and keys', () => {
	it('allows plain http only to loopback', () => {
		expect(zettleHosts({ environment: 'production' })).toMatchObject({ oauth: 'https://oauth.zettle.com', inventory: 'https://inventory.izettle.com' });
		expect(zettleHosts({ environment: 'custom', baseUrl: 'http://127.0.0.1:8791/' })).toEqual({ oauth: 'http://127.0.0.1:8791', inventory: 'http://127.0.0.1:8791', products: 'http://127.0.0.1:8791' });
		expect(zettleHosts({ environment: 'custom', baseUrl: 'http://[::1]:9' })).not.toHaveProperty('error');
		expect(zettleHosts({ environment: 'custom', baseUrl: 'http://10.0.0.5' })).toHaveProperty('error');
		expect(zettleHosts({ environment: 'custom', baseUrl: 'https://zettle.internal' })).not.toHaveProperty('error');
	});

	it('reads the client ID from an API key', () => {
		const key = `x.${Buffer.from(JSON.stringify({ clientId: 'abc' })).toString('base64url')}.y`;
		expect(clientIdFromApiKey(key)).toBe('abc');
		expect(clientIdFromApiKey('not a key')).toBeUndefined();
	});
});

describe('output of an applied request', () => {
	it("does not depend on the answer echoing the request (the seed's bulk answer has a location UUID as a variant)", () => {
		const documented = {
			locationUuid: '89ac1e4a-5f0f-11ec-bf63-0242ac130002',
			variants: [
				{ productUuid: '3cc3b9f6-623b-11ec-90d6-0242ac120003', variantUuid: '89ac1e4a-5f0f-11ec-bf63-0242ac130002', balance: 196 },
				{ productUuid: '3cc3b9f6-623b-11ec-90d6-0242ac120003', variantUuid: '45900c4c-623b-11ec-90d6-0242ac120003', balance: '10696' },
			],
		};
		const mv = (variantUuid: string) => ({ productUuid: SEED.mug.productUuid, variantUuid, fromLocationUuid: SEED.locations.STORE, toLocationUuid: SEED.locations.BIN, change: 1 });
		const request = { service: 'inventory' as const, method: 'POST' as const, path: '/organizations/self/v2/inventory/bulk' };
		const plan = { request, items: [{ item: 0, productUuid: SEED.mug.productUuid, movement: mv(SEED.mug.white) }, { item: 1, productUuid: SEED.mug.productUuid, movement: mv(SEED.mug.black) }], externalUuid: 'e', repeatable: false };
		const items = appliedItems(plan, balancesOfAnswer(documented, LOCATIONS), documented, 'balances');
		expect(items.map((i) => [i.json.variantUuid, i.json.balance, i.json.locationType, i.pairedItem])).toEqual([
			['89ac1e4a-5f0f-11ec-bf63-0242ac130002', 196, 'STORE', [{ item: 0 }, { item: 1 }]],
			['45900c4c-623b-11ec-90d6-0242ac120003', 10696, 'STORE', [{ item: 1 }]],
		]);
	});
});

describe('the product library index', () => {
	const P1 = '11111111-623b-11ec-90d6-0242ac120003';
	const P2 = '22222222-623b-11ec-90d6-0242ac120003';
	const catalogue = new Catalogue([
		{ uuid: P1, name: 'Sock', variants: [{ uuid: 'AAAAAAAA-623b-11ec-90d6-0242ac120003', name: 'Red', sku: 'SOCK', barcode: '0012' }, { uuid: 'bbbbbbbb-623b-11ec-90d6-0242ac120003', name: 'Blue', sku: 'SOCK' }] },
		{ uuid: P2, name: 'Hat', variants: [{ uuid: 'cccccccc-623b-11ec-90d6-0242ac120003', sku: ' HAT ', barcode: null }] },
	]);

	it('finds a variant by trimmed SKU or barcode, with lower-cased UUIDs', () => {
		expect(catalogue.findVariant('sku', 'HAT')).toEqual({ value: { productUuid: P2, variantUuid: 'cccccccc-623b-11ec-90d6-0242ac120003', sku: ' HAT ', productName: 'Hat' } });
		expect(catalogue.findVariant('barcode', '0012')).toMatchObject({ value: { variantUuid: 'aaaaaaaa-623b-11ec-90d6-0242ac120003', productName: 'Sock', variantName: 'Red' } });
	});

	it('says none and ambiguous, and a SKU shared within one product still names that product', () => {
		expect(catalogue.findVariant('barcode', 12)).toEqual({ error: 'Barcode "12" matches no variant in the Zettle product library (3 variants read).' });
		expect(catalogue.findVariant('sku', 'SOCK')).toMatchObject({ error: expect.stringMatching(/^SKU "SOCK" is ambiguous: 2 variants have it \(Sock \/ Red product/) });
		expect(catalogue.findProduct('sku', 'SOCK')).toEqual({ value: P1 });
		expect(catalogue.variantsOf(P1.toUpperCase())).toHaveLength(2);
	});

	it('reads stock levels: whole numbers from 0, numeric strings too', () => {
		expect(readStockLevel('0')).toEqual({ value: 0 });
		expect(readStockLevel(' 25 ')).toEqual({ value: 25 });
		expect(readStockLevel(-2)).toEqual({ error: 'Stock level -2 is negative. Give a whole number, 0 or more.' });
		expect(readStockLevel(null)).toMatchObject({ error: expect.stringMatching(/^Stock level is missing/) });
	});
});

describe('per-item parameters', () => {
	it('recognises a parameter that is exactly one $json field, and nothing more', () => {
		expect(jsonFieldOf('={{ $json.change }}')).toBe('change');
		expect(jsonFieldOf('={{$json["unit count"]}}')).toBe('unit count');
		expect(jsonFieldOf({ __rl: true, mode: 'id', value: "={{ $json['fromLocationUuid'] }}" })).toBe('fromLocationUuid');
		expect(jsonFieldOf('={{ $json.change * 2 }}')).toBeUndefined();
		expect(jsonFieldOf('={{ $json.a.b }}')).toBeUndefined();
		expect(jsonFieldOf('={{ $("Other").item.json.change }}')).toBeUndefined();
		expect(jsonFieldOf('$json.change')).toBeUndefined(); // a constant, not an expression
		expect(jsonFieldOf(42)).toBeUndefined();
	});
});
