// The product library index (helpers/libraryIndex.ts): a variant or product by SKU or barcode, with "none" and "ambiguous" said plainly.

import { LibraryIndex } from '../../nodes/ZettleInventory/helpers/libraryIndex';

describe('the product library index', () => {
	const P1 = '11111111-623b-11ec-90d6-0242ac120003';
	const P2 = '22222222-623b-11ec-90d6-0242ac120003';
	const library = new LibraryIndex([
		{
			uuid: P1,
			name: 'Sock',
			variants: [
				{ uuid: 'AAAAAAAA-623b-11ec-90d6-0242ac120003', name: 'Red', sku: 'SOCK', barcode: '0012' },
				{ uuid: 'bbbbbbbb-623b-11ec-90d6-0242ac120003', name: 'Blue', sku: 'SOCK' },
			],
		},
		{
			uuid: P2,
			name: 'Hat',
			variants: [{ uuid: 'cccccccc-623b-11ec-90d6-0242ac120003', sku: ' HAT ', barcode: null }],
		},
	]);

	it('finds a variant by trimmed SKU or barcode, with lower-cased UUIDs', () => {
		expect(library.findVariant('sku', 'HAT')).toEqual({
			value: {
				productUuid: P2,
				variantUuid: 'cccccccc-623b-11ec-90d6-0242ac120003',
				sku: ' HAT ',
				productName: 'Hat',
			},
		});
		expect(library.findVariant('barcode', '0012')).toMatchObject({
			value: {
				variantUuid: 'aaaaaaaa-623b-11ec-90d6-0242ac120003',
				productName: 'Sock',
				variantName: 'Red',
			},
		});
	});

	it('says none and ambiguous, and a SKU shared within one product still names that product', () => {
		expect(library.findVariant('barcode', 12)).toEqual({
			error: 'Barcode "12" matches no variant in the Zettle product library (3 variants read).',
		});
		expect(library.findVariant('sku', 'SOCK')).toMatchObject({
			error: expect.stringMatching(
				/^SKU "SOCK" is ambiguous: 2 variants have it \(Sock \/ Red product/,
			),
		});
		expect(library.findProduct('sku', 'SOCK')).toEqual({ value: P1 });
		expect(library.variantsOf(P1.toUpperCase())).toHaveLength(2);
	});
});
