// Packing items into requests (helpers/chunks.ts, and api/legacy.ts's productChanges): in order, groups kept whole, bulk items grouped by product.

import { productChanges } from '../../nodes/ZettleInventory/api/legacy';
import { chunk, chunkGroups } from '../../nodes/ZettleInventory/helpers/chunks';

describe('chunking', () => {
	it('chunks in order', () => expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]));

	it('keeps groups whole and packs them', () => {
		const values = ['a1', 'b1', 'a2', 'c1', 'b2', 'a3'];
		expect(chunkGroups(values, (v) => v[0], 4)).toEqual([
			['a1', 'a2', 'a3'],
			['b1', 'b2', 'c1'],
		]);
		expect(chunkGroups(['a1', 'a2', 'a3'], (v) => v[0], 2)).toEqual([['a1', 'a2', 'a3']]);
	});

	it('groups bulk items by product', () => {
		const m = (productUuid: string, variantUuid: string) => ({
			productUuid,
			variantUuid,
			fromLocationUuid: 'f',
			toLocationUuid: 't',
			change: 1,
		});
		expect(
			productChanges([
				{ item: 0, productUuid: 'p1', tracking: 'START_TRACKING', movement: m('p1', 'v1') },
				{ item: 1, productUuid: 'p2', tracking: 'NO_CHANGE' },
				{ item: 2, productUuid: 'p1', tracking: 'START_TRACKING', movement: m('p1', 'v2') },
			]),
		).toEqual([
			{
				productUuid: 'p1',
				trackingStatusChange: 'START_TRACKING',
				variantChanges: [
					{ variantUuid: 'v1', fromLocationUuid: 'f', toLocationUuid: 't', change: 1 },
					{ variantUuid: 'v2', fromLocationUuid: 'f', toLocationUuid: 't', change: 1 },
				],
			},
			{ productUuid: 'p2', trackingStatusChange: 'NO_CHANGE', variantChanges: [] },
		]);
	});
});
