// The organizations the sandbox starts with.
//
// The seed organization is the one of Zettle's "Update inventory balance" page
// (https://github.com/iZettle/api-documentation/blob/master/inventory-api/user-guides/manage-inventory-balances/update-inventory-balance.md): its
// PUT example (move 42 and 1337 from STORE to the BIN location) returns exactly the documented
// balances 196 and 10696, because STORE starts at 238 and 12033. The bulk example's product
// (3cc3b9f6-…) starts untracked with stored balances 238 and 12033 from an earlier tracking period:
// Zettle keeps balances when tracking stops and restores them when it starts again, so the
// documented bulk request (START_TRACKING + the same moves) also ends at 196 and 10696.

import { seededRandom, uuidV1Like } from './random';
import { Location, Organization, Product } from './state';

export const SEED = {
	organizationUuid: 'ab3c1f4e-5f0f-11ec-bf63-0242ac130002',
	userUuid: 'b1f0c3a2-5f0f-11ec-bf63-0242ac130002',
	locations: {
		STORE: '89ac1e4a-5f0f-11ec-bf63-0242ac130002',
		BIN: '92646e02-5f0f-11ec-bf63-0242ac130002',
		SUPPLIER: '9c3a0d6e-5f0f-11ec-bf63-0242ac130002',
		SOLD: 'a0e6b5b8-5f0f-11ec-bf63-0242ac130002',
	},
	tshirt: {
		productUuid: '65314d7e-5f0f-11ec-bf63-0242ac130002',
		small: '78194842-5f0f-11ec-bf63-0242ac130002',
		medium: '7c6be742-5f0f-11ec-bf63-0242ac130002',
	},
	mug: {
		productUuid: '3cc3b9f6-623b-11ec-90d6-0242ac120003',
		white: '4066f6cc-623b-11ec-90d6-0242ac120003',
		black: '45900c4c-623b-11ec-90d6-0242ac120003',
	},
	cap: {
		productUuid: 'c7d2e8a4-623b-11ec-90d6-0242ac120003',
		oneSize: 'c9a4f1b2-623b-11ec-90d6-0242ac120003',
	},
} as const;

export function seedLocations(
	ids: Record<'STORE' | 'BIN' | 'SUPPLIER' | 'SOLD', string>,
): Location[] {
	return [
		{
			uuid: ids.STORE,
			type: 'STORE',
			name: 'STORE',
			description: 'Available stock',
			default: true,
		},
		{ uuid: ids.BIN, type: 'BIN', name: 'BIN', description: 'Discarded items', default: false },
		{
			uuid: ids.SUPPLIER,
			type: 'SUPPLIER',
			name: 'SUPPLIER',
			description: 'Restocks come from here',
			default: false,
		},
		{ uuid: ids.SOLD, type: 'SOLD', name: 'SOLD', description: 'Sold items', default: false },
	];
}

export function seedOrganization(): Organization {
	const org = new Organization(SEED.organizationUuid, seedLocations(SEED.locations));
	const store = SEED.locations.STORE;
	const products: Product[] = [
		{
			uuid: SEED.tshirt.productUuid,
			name: 'T-shirt',
			variants: [
				{ uuid: SEED.tshirt.small, name: 'Small', sku: 'TSHIRT-S', barcode: '7350000000017' },
				{ uuid: SEED.tshirt.medium, name: 'Medium', sku: 'TSHIRT-M', barcode: '7350000000024' },
			],
		},
		{
			uuid: SEED.mug.productUuid,
			name: 'Mug',
			variants: [
				{ uuid: SEED.mug.white, name: 'White', sku: 'MUG-WHITE', barcode: '7350000000031' },
				{ uuid: SEED.mug.black, name: 'Black', sku: 'MUG-BLACK', barcode: '7350000000048' },
			],
		},
		{
			uuid: SEED.cap.productUuid,
			name: 'Cap',
			variants: [{ uuid: SEED.cap.oneSize, name: 'One size', sku: 'CAP-1' }],
		},
	];
	for (const product of products) org.addProduct(product);

	org.tracked.add(SEED.tshirt.productUuid);
	org.setBalance(store, SEED.tshirt.small, 238);
	org.setBalance(store, SEED.tshirt.medium, 12033);
	// untracked now, balances kept from an earlier tracking period (see the file comment)
	org.setBalance(store, SEED.mug.white, 238);
	org.setBalance(store, SEED.mug.black, 12033);
	org.tracked.add(SEED.cap.productUuid);
	org.setBalance(store, SEED.cap.oneSize, 5);
	return org;
}

export interface CatalogueOptions {
	organizationUuid: string;
	products: number;
	variantsPerProduct: number;
	/** STORE balance every variant starts with */
	initialBalance?: number;
	/**
	 * STORE locations beyond the default one ("Store 2", …), listed before it and not marked default:
	 * Zettle's legacy docs say one STORE, V3 allows more (docs/reference/zettle-api.md §6.1 item 16)
	 */
	extraStores?: number;
	seed?: number;
}

/** A large tracked catalogue (e.g. 1,000 products × 10 variants) for benchmarks and load tests. */
export function generateOrganization(o: CatalogueOptions): Organization {
	const random = seededRandom(o.seed ?? 1);
	const locations = seedLocations({
		STORE: uuidV1Like(random),
		BIN: uuidV1Like(random),
		SUPPLIER: uuidV1Like(random),
		SOLD: uuidV1Like(random),
	});
	// drawn from their own sequence, so that the rest of a catalogue does not depend on them
	const extraRandom = seededRandom((o.seed ?? 1) + 1);
	const extra = Array.from(
		{ length: o.extraStores ?? 0 },
		(_, i): Location => ({
			uuid: uuidV1Like(extraRandom),
			type: 'STORE',
			name: `Store ${i + 2}`,
			description: 'Another STORE, not the default',
			default: false,
		}),
	);
	const org = new Organization(o.organizationUuid, [...extra, ...locations]);
	for (let p = 0; p < o.products; p++) {
		const product: Product = { uuid: uuidV1Like(random), name: `Product ${p + 1}`, variants: [] };
		for (let v = 0; v < o.variantsPerProduct; v++) {
			product.variants.push({
				uuid: uuidV1Like(random),
				name: `Variant ${v + 1}`,
				sku: `SKU-${p + 1}-${v + 1}`,
				barcode: String(2000000000000 + p * 100 + v),
			});
		}
		org.addProduct(product);
		org.tracked.add(product.uuid);
		for (const variant of product.variants)
			org.setBalance(org.store.uuid, variant.uuid, o.initialBalance ?? 100);
	}
	return org;
}
