// Changes that do not come through the API: a sale at the till (Zettle's POS app) and product changes
// in the back office. The sandbox's admin endpoints and `npm run sandbox:sale` make them, so the demo
// and the tests can show a till sale flowing out through the webhooks.

import { randomUUID } from 'node:crypto';

import { type Pusher, zettleTime } from './pusher';
import type { Organization, Origin, Product } from './state';

/** The POS app as the API client behind a till sale (a fixed client ID: not any integration's). */
export const POS_ORIGIN: Origin = {
	clientUuid: '0f0e0d0c-5f0f-11ec-bf63-0242ac130002',
	userUuid: 'b1f0c3a2-5f0f-11ec-bf63-0242ac130002',
	externalUuid: null,
};

/** A till sale of `quantity` units of a variant: STORE → SOLD (InventoryBalanceChanged) and a purchase (PurchaseCreated). */
export function sellAtTill(
	org: Organization,
	pusher: Pusher | undefined,
	variantUuid: string,
	quantity = 1,
): { productUuid: string; purchaseUuid: string } {
	const productUuid = org.productOfVariant(variantUuid);
	if (!productUuid) throw new Error(`variant ${variantUuid} is not in the organization`);
	if (!Number.isInteger(quantity) || quantity < 1)
		throw new Error('quantity must be a whole number above 0');
	const store = org.store.uuid;
	const sold = org.locationOfType('SOLD').uuid;
	// an untracked product's stock is not kept: the sale moves nothing (as on Zettle)
	if (org.tracked.has(productUuid))
		org.applyMovements(
			[
				{
					productUuid,
					variantUuid,
					fromLocationUuid: store,
					toLocationUuid: sold,
					change: quantity,
				},
			],
			POS_ORIGIN,
		);
	const purchaseUuid = randomUUID();
	const variant = org.products.get(productUuid)!.variants.find((v) => v.uuid === variantUuid)!;
	pusher?.emit(org, 'PurchaseCreated', {
		purchaseUuid,
		source: 'POS',
		userUuid: POS_ORIGIN.userUuid,
		organizationUuid: org.uuid,
		created: zettleTime(new Date()),
		products: [
			{
				productUuid,
				variantUuid,
				name: org.products.get(productUuid)!.name,
				variantName: variant.name,
				sku: variant.sku,
				barcode: variant.barcode,
				quantity: String(quantity),
				fromLocationUuid: store,
				toLocationUuid: sold,
			},
		],
	});
	return { productUuid, purchaseUuid };
}

/** A product created, renamed or deleted in the back office: ProductCreated / ProductUpdated / ProductDeleted. */
export function changeProduct(
	org: Organization,
	pusher: Pusher | undefined,
	change:
		| { kind: 'create'; product: Product }
		| { kind: 'update'; productUuid: string; name: string }
		| { kind: 'delete'; productUuid: string },
): void {
	const dto = (p: Product) => ({
		uuid: p.uuid,
		organizationUuid: org.uuid,
		name: p.name,
		variants: p.variants.map((v) => ({
			uuid: v.uuid,
			name: v.name,
			sku: v.sku,
			barcode: v.barcode,
		})),
		updated: zettleTime(new Date()),
	});
	if (change.kind === 'create') {
		org.addProduct(change.product);
		return pusher?.emit(org, 'ProductCreated', dto(change.product));
	}
	const product = org.products.get(change.productUuid);
	if (!product) throw new Error(`product ${change.productUuid} is not in the organization`);
	if (change.kind === 'delete') {
		org.products.delete(product.uuid);
		return pusher?.emit(org, 'ProductDeleted', dto(product));
	}
	const oldEntity = dto(product);
	product.name = change.name;
	pusher?.emit(org, 'ProductUpdated', {
		organizationUuid: org.uuid,
		newEntity: dto(product),
		oldEntity,
	});
}
