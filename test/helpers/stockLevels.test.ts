// Set Stock Level's arithmetic (helpers/stockLevels.ts): from targets and balances to the movements that close the gap, and the signed quantity each moves.

import {
	DeltaLocations,
	movedBy,
	planDeltas,
	StockTarget,
} from '../../nodes/ZettleInventory/helpers/stockLevels';
import { SEED } from '../../sandbox/seed';

const { STORE, SUPPLIER, BIN, SOLD } = SEED.locations;
const DEFAULT: DeltaLocations = { store: STORE, increaseFrom: SUPPLIER, decreaseTo: BIN };
/** The seed's STORE balances: 238 Small, 12033 Medium; the cap's variant has no row. */
const BALANCES: Record<string, number> = { [SEED.tshirt.small]: 238, [SEED.tshirt.medium]: 12033 };
const balanceOf = (variantUuid: string) => BALANCES[variantUuid];
const target = (
	item: number,
	variantUuid: string,
	level: number,
	productUuid: string = SEED.tshirt.productUuid,
): StockTarget => ({ item, productUuid, variantUuid, target: level });

describe('planDeltas', () => {
	it('up: a target above the balance moves the difference from SUPPLIER into STORE', () => {
		expect(planDeltas([target(0, SEED.tshirt.small, 250)], balanceOf, DEFAULT)).toEqual([
			{
				...target(0, SEED.tshirt.small, 250),
				before: 238,
				movement: {
					productUuid: SEED.tshirt.productUuid,
					variantUuid: SEED.tshirt.small,
					fromLocationUuid: SUPPLIER,
					toLocationUuid: STORE,
					change: 12,
				},
			},
		]);
	});

	it('down: a target below the balance moves the difference from STORE to BIN, as a positive change', () => {
		expect(planDeltas([target(0, SEED.tshirt.medium, 12000)], balanceOf, DEFAULT)).toEqual([
			{
				...target(0, SEED.tshirt.medium, 12000),
				before: 12033,
				movement: {
					productUuid: SEED.tshirt.productUuid,
					variantUuid: SEED.tshirt.medium,
					fromLocationUuid: STORE,
					toLocationUuid: BIN,
					change: 33,
				},
			},
		]);
	});

	it('zero delta: a target equal to the balance moves nothing', () => {
		const [delta] = planDeltas([target(0, SEED.tshirt.small, 238)], balanceOf, DEFAULT);
		expect(delta).toEqual({ ...target(0, SEED.tshirt.small, 238), before: 238 });
		expect(delta).not.toHaveProperty('movement');
	});

	it('a variant without a balance row has 0: a target of 5 restocks 5, a target of 0 moves nothing', () => {
		const cap = (item: number, level: number) =>
			target(item, SEED.cap.oneSize, level, SEED.cap.productUuid);
		expect(planDeltas([cap(0, 5), cap(1, 0)], balanceOf, DEFAULT)).toEqual([
			{
				...cap(0, 5),
				before: 0,
				movement: {
					productUuid: SEED.cap.productUuid,
					variantUuid: SEED.cap.oneSize,
					fromLocationUuid: SUPPLIER,
					toLocationUuid: STORE,
					change: 5,
				},
			},
			{ ...cap(1, 0), before: 0 },
		]);
	});

	it('uses the chosen increase and decrease locations', () => {
		const deltas = planDeltas(
			[target(0, SEED.tshirt.small, 240), target(1, SEED.tshirt.medium, 12030)],
			balanceOf,
			{ store: STORE, increaseFrom: SOLD, decreaseTo: SOLD },
		);
		expect(
			deltas.map((d) => [
				d.movement?.fromLocationUuid,
				d.movement?.toLocationUuid,
				d.movement?.change,
			]),
		).toEqual([
			[SOLD, STORE, 2],
			[STORE, SOLD, 3],
		]);
	});

	it('keeps one delta per target, in order, with its item and library record', () => {
		const ref = {
			productUuid: SEED.tshirt.productUuid,
			variantUuid: SEED.tshirt.small,
			sku: 'TSHIRT-S',
			productName: 'T-shirt',
		};
		const targets = [
			target(3, SEED.tshirt.medium, 1),
			{ ...target(1, SEED.tshirt.small, 238), ref },
		];
		expect(
			planDeltas(targets, balanceOf, DEFAULT).map((d) => [d.item, d.variantUuid, d.ref]),
		).toEqual([
			[3, SEED.tshirt.medium, undefined],
			[1, SEED.tshirt.small, ref],
		]);
	});
});

describe('movedBy', () => {
	it.each([
		['a restock', 250, 12],
		['a removal', 200, -38],
		['no movement', 238, 0],
	])('%s: target %p from 238 moves %p', (_, level, moved) => {
		const [delta] = planDeltas([target(0, SEED.tshirt.small, level)], balanceOf, DEFAULT);
		expect(movedBy(delta)).toBe(moved);
	});

	it('has the sign of target − before whichever locations the stock moves between', () => {
		const custom = { store: STORE, increaseFrom: BIN, decreaseTo: SUPPLIER };
		const [up, down] = planDeltas(
			[target(0, SEED.tshirt.small, 300), target(1, SEED.tshirt.medium, 1)],
			balanceOf,
			custom,
		);
		expect([movedBy(up), movedBy(down)]).toEqual([62, -12032]);
		expect([up.movement?.change, down.movement?.change]).toEqual([62, 12032]);
	});
});
