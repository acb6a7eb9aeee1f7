// Reading item fields (helpers/validation.ts): changes, stock levels, UUIDs, locations by type / name / UUID, tracking changes.

import {
	readChange,
	readStockLevel,
	readTrackingStatusChange,
	readUuid,
	resolveLocation,
} from '../../nodes/ZettleInventory/helpers/validation';
import { SEED } from '../../sandbox/seed';
import { STORE_AND_BIN } from '../support/zettle';

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
	])('refuses %p', (input, message) =>
		expect((readChange(input) as { error: string }).error).toMatch(message),
	);
});

describe('readStockLevel', () => {
	it('reads stock levels: whole numbers from 0, numeric strings too', () => {
		expect(readStockLevel('0')).toEqual({ value: 0 });
		expect(readStockLevel(' 25 ')).toEqual({ value: 25 });
		expect(readStockLevel(-2)).toEqual({
			error: 'Stock level -2 is negative. Give a whole number, 0 or more.',
		});
		expect(readStockLevel(null)).toMatchObject({
			error: expect.stringMatching(/^Stock level is missing/),
		});
	});
});

describe('readUuid and resolveLocation', () => {
	it('normalises a UUID and explains a bad one', () => {
		expect(readUuid(` ${SEED.tshirt.productUuid.toUpperCase()} `, 'productUuid')).toEqual({
			value: SEED.tshirt.productUuid,
		});
		expect(readUuid('65314d7e', 'productUuid')).toEqual({
			error: expect.stringMatching(/"65314d7e" is not a UUID/),
		});
	});

	it('resolves a type, a name and a UUID against the locations', () => {
		expect(resolveLocation('bin', 'to', STORE_AND_BIN)).toEqual({ value: SEED.locations.BIN });
		expect(resolveLocation('Broken goods', 'to', STORE_AND_BIN)).toEqual({
			value: SEED.locations.BIN,
		});
		expect(resolveLocation(SEED.locations.STORE, 'to', STORE_AND_BIN)).toEqual({
			value: SEED.locations.STORE,
		});
		expect(resolveLocation('SOLD', 'to', STORE_AND_BIN)).toEqual({
			error: expect.stringMatching(/one of: STORE \(STORE\), Broken goods \(BIN\)/),
		});
		expect(resolveLocation('11111111-2222-1333-8444-555555555555', 'to', STORE_AND_BIN)).toEqual({
			error: expect.stringMatching(/is not a location of this Zettle organization/),
		});
	});

	it('reads tracking changes leniently', () => {
		expect(readTrackingStatusChange('start tracking')).toEqual({ value: 'START_TRACKING' });
		expect(readTrackingStatusChange('no-change')).toEqual({ value: 'NO_CHANGE' });
		expect('error' in readTrackingStatusChange('pause')).toBe(true);
	});
});
