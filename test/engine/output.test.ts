// The node's output for applied requests (engine/output.ts): item ranges in messages, balances paired to their items, and every applied item output even without a balance (issue 11, defect 9).

import { balancesOfAnswer, LegacyInventoryApi } from '../../nodes/ZettleInventory/api/legacy';
import type { PlannedItem } from '../../nodes/ZettleInventory/api/types';
import { V3InventoryApi } from '../../nodes/ZettleInventory/api/v3';
import { appliedItems, describeItems, itemsAt } from '../../nodes/ZettleInventory/engine/output';
import type { ZettleClient } from '../../nodes/ZettleInventory/transport';
import { SEED } from '../../sandbox/seed';
import { PATH } from '../support/requests';
import {
	NODE_NAME,
	OPERATION,
	runZettle,
	STORE_AND_BIN,
	storeBalance,
	units,
	useSandbox,
} from '../support/zettle';

describe('output of an applied request', () => {
	it('describes item ranges', () =>
		expect(describeItems([5, 0, 1, 2, 7, 8])).toBe('items 0–2, 5, 7–8'));

	it("does not depend on the answer echoing the request (the seed's bulk answer has a location UUID as a variant)", () => {
		// the documented bulk answer: its first variant UUID is the STORE location's, its second balance a string
		const documented = {
			locationUuid: SEED.locations.STORE,
			variants: [
				{ productUuid: SEED.mug.productUuid, variantUuid: SEED.locations.STORE, balance: 196 },
				{ productUuid: SEED.mug.productUuid, variantUuid: SEED.mug.black, balance: '10696' },
			],
		};
		const mv = (variantUuid: string) => ({
			productUuid: SEED.mug.productUuid,
			variantUuid,
			fromLocationUuid: SEED.locations.STORE,
			toLocationUuid: SEED.locations.BIN,
			change: 1,
		});
		const request = { service: 'inventory' as const, method: 'POST' as const, path: PATH.bulk };
		const plan = {
			kind: 'movements' as const,
			request,
			items: [
				{ item: 0, productUuid: SEED.mug.productUuid, movement: mv(SEED.mug.white) },
				{ item: 1, productUuid: SEED.mug.productUuid, movement: mv(SEED.mug.black) },
			],
			externalUuid: 'e',
			repeatable: false,
		};
		const items = appliedItems(
			plan,
			balancesOfAnswer(documented, STORE_AND_BIN),
			documented,
			'balances',
		);
		expect(
			items.map((i) => [i.json.variantUuid, i.json.balance, i.json.locationType, i.pairedItem]),
		).toEqual([
			[SEED.locations.STORE, 196, 'STORE', [{ item: 0 }, { item: 1 }]],
			[SEED.mug.black, 10696, 'STORE', [{ item: 1 }]],
		]);
	});
});

describe("Zettle's violations said against the input items (issue 17.7)", () => {
	const legacy = new LegacyInventoryApi({} as ZettleClient);
	const v3 = new V3InventoryApi({} as ZettleClient);
	const store = {
		uuid: SEED.locations.STORE,
		type: 'STORE' as const,
		name: 'STORE',
		default: true,
	};
	const options = { itemsPerRequest: 100, returnLocation: store };
	const move = (
		item: number,
		productUuid: string,
		variantUuid: string,
		change = 1,
	): PlannedItem => ({
		item,
		productUuid,
		movement: {
			productUuid,
			variantUuid,
			fromLocationUuid: SEED.locations.SUPPLIER,
			toLocationUuid: SEED.locations.STORE,
			change,
		},
		tracking: 'NO_CHANGE',
	});
	// one variant twice (two items), and a product whose items are not next to each other
	const items = [
		move(0, SEED.tshirt.productUuid, SEED.tshirt.small),
		move(1, SEED.cap.productUuid, SEED.cap.oneSize),
		move(4, SEED.tshirt.productUuid, SEED.tshirt.small, 7),
		{ item: 6, productUuid: SEED.tshirt.productUuid, tracking: 'NO_CHANGE' as const },
		move(9, SEED.tshirt.productUuid, SEED.tshirt.medium),
	];

	it.each([
		[
			'PUT changes[i]',
			() =>
				legacy.movementWrites(
					items.filter((p) => p.movement),
					options,
				)[0],
			'changes[2].change',
			{ items: [4], value: 7, field: 'change' },
		],
		[
			'bulk variantChanges of one product',
			() => legacy.bulkWrites(items, options)[0],
			'productChanges[0].variantChanges[2].change',
			{ items: [9], value: 1, field: 'change' },
		],
		[
			'bulk productChanges[p]: every item of that product',
			() => legacy.bulkWrites(items, options)[0],
			'productChanges[0].trackingStatusChange',
			{ items: [0, 4, 6, 9], value: 'NO_CHANGE', field: 'trackingStatusChange' },
		],
		[
			'V3 movements[i]',
			() =>
				v3.movementWrites(
					items.filter((p) => p.movement),
					options,
				)[0],
			'movements[3].change',
			{ items: [9], value: 1, field: 'change' },
		],
		[
			'V3 tracking rows by product',
			() => v3.trackingWrites(items, 'STOP_TRACKING', options)[0],
			'[1].tracking',
			{ items: [1], value: 'disable', field: 'tracking' },
		],
	])('%s', (_, plan, propertyName, expected) =>
		expect(itemsAt(plan(), propertyName)).toEqual(expected),
	);

	it.each([
		['the body as a whole', 'changes'],
		['a path past the end', 'changes[9].change'],
		['a field the body does not have', 'returnBalanceForLocationUuid'],
	])('says nothing of %s', (_, propertyName) =>
		expect(
			itemsAt(
				legacy.movementWrites(
					items.filter((p) => p.movement),
					options,
				)[0],
				propertyName,
			),
		).toBeUndefined(),
	);

	it('says nothing when the row at the path is not the item it would be (a body not built as assumed)', () => {
		const plan = legacy.movementWrites(
			items.filter((p) => p.movement),
			options,
		)[0];
		const changes = (plan.request.body as { changes: Array<{ variantUuid: string }> }).changes;
		changes.reverse();
		expect(itemsAt(plan, 'changes[0].change')).toBeUndefined();
	});
});

describe('every applied item is in the output (defect 9)', () => {
	const sandbox = useSandbox();

	it('Bulk Update movements that do not touch the returned location are confirmed one by one', async () => {
		const items = [
			{
				productUuid: SEED.tshirt.productUuid,
				variantUuid: SEED.tshirt.small,
				change: 2,
				trackingStatusChange: 'NO_CHANGE',
				fromLocationUuid: SEED.locations.SUPPLIER,
				toLocationUuid: SEED.locations.BIN,
			},
			{
				productUuid: SEED.tshirt.productUuid,
				variantUuid: SEED.tshirt.medium,
				change: 3,
				trackingStatusChange: 'NO_CHANGE',
				fromLocationUuid: SEED.locations.SUPPLIER,
				toLocationUuid: SEED.locations.STORE,
			},
		];
		const { run, output } = await runZettle(
			sandbox(),
			{ ...OPERATION.bulkUpdate, trackingStatusChange: '={{ $json.trackingStatusChange }}' },
			items,
		);
		expect(run.status).toBe('success');
		const out = output(NODE_NAME);
		const paired = out
			.flatMap((i) => (Array.isArray(i.pairedItem) ? i.pairedItem : [i.pairedItem]))
			.map((p) => (p as { item: number }).item);
		expect(new Set(paired)).toEqual(new Set([0, 1]));
		expect(out.find((i) => i.json.variantUuid === SEED.tshirt.small)?.json).toMatchObject({
			applied: true,
			balance: null,
		});
	});

	it.each([
		['200 with a body that is not JSON', { status: 200, rawBody: 'OK' }],
		['204 with no body', { status: 204 }],
	])('a write answered %s: every item is output as applied, with no balance', async (_, answer) => {
		sandbox().faults.set({
			rules: [{ method: 'PUT', path: PATH.inventory, action: 'applyThenRespond', ...answer }],
		});
		const { run, output } = await runZettle(
			sandbox(),
			{ ...OPERATION.updateBalance, movement: 'restock' },
			units(2),
		);
		expect(run.status).toBe('success');
		expect(storeBalance(sandbox(), SEED.tshirt.small)).toBe(240);
		const out = output(NODE_NAME);
		expect(out.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		for (const item of out)
			expect(item.json).toMatchObject({
				applied: true,
				balance: null,
				variantUuid: SEED.tshirt.small,
			});
	});
});
