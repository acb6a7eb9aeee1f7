// The product library as an index: variants by SKU and by barcode. Pure: no n8n context.
//
// Zettle has no lookup by SKU or barcode and documents neither as unique (the Product Library API:
// https://developer.zettle.com/docs/api/product-library/overview), so the whole library is read once
// per execution and every match is counted: none and several are both errors that name what was
// searched for.

import type { Result } from './result';
import { readUuid } from './validation';

export type IdentifyBy = 'uuid' | 'sku' | 'barcode';

export interface LibraryVariant {
	uuid: string;
	name?: string | null;
	sku?: string | null;
	barcode?: string | null;
}

export interface LibraryProduct {
	uuid: string;
	name?: string | null;
	variants?: LibraryVariant[];
}

/** One variant with its product, as the node reports it. */
export interface VariantRef {
	productUuid: string;
	variantUuid: string;
	productName?: string;
	variantName?: string;
	sku?: string;
	barcode?: string;
}

export class LibraryIndex {
	private readonly byKey: Record<'sku' | 'barcode', Map<string, VariantRef[]>> = {
		sku: new Map(),
		barcode: new Map(),
	};
	private readonly byVariant = new Map<string, VariantRef>();
	private readonly variantsOfProduct = new Map<string, VariantRef[]>();

	constructor(products: LibraryProduct[]) {
		for (const product of products) {
			const refs: VariantRef[] = [];
			for (const variant of product.variants ?? []) {
				const ref: VariantRef = {
					productUuid: product.uuid.toLowerCase(),
					variantUuid: variant.uuid.toLowerCase(),
				};
				if (product.name) ref.productName = product.name;
				if (variant.name) ref.variantName = variant.name;
				if (variant.sku) ref.sku = variant.sku;
				if (variant.barcode) ref.barcode = variant.barcode;
				refs.push(ref);
				this.byVariant.set(ref.variantUuid, ref);
				for (const key of ['sku', 'barcode'] as const) {
					const value = variant[key]?.trim();
					if (!value) continue;
					const list = this.byKey[key].get(value);
					if (list) list.push(ref);
					else this.byKey[key].set(value, [ref]);
				}
			}
			this.variantsOfProduct.set(product.uuid.toLowerCase(), refs);
		}
	}

	get size(): number {
		return this.byVariant.size;
	}

	variant(variantUuid: string): VariantRef | undefined {
		return this.byVariant.get(variantUuid.toLowerCase());
	}

	/** Every product of the library, in library order. */
	productUuids(): string[] {
		return [...this.variantsOfProduct.keys()];
	}

	/** The variants of a product, in library order (empty when the product is not in the library). */
	variantsOf(productUuid: string): VariantRef[] {
		return this.variantsOfProduct.get(productUuid.toLowerCase()) ?? [];
	}

	/** Exactly one variant with this SKU or barcode, or why not. */
	findVariant(by: 'sku' | 'barcode', value: unknown): Result<VariantRef> {
		const key = keyText(value);
		const label = by === 'sku' ? 'SKU' : 'Barcode';
		if (!key)
			return {
				error: `${label} is missing. Map it in the node, or give the item a "${by}" field.`,
			};
		const matches = this.byKey[by].get(key) ?? [];
		if (!matches.length)
			return {
				error: `${label} "${key}" matches no variant in the Zettle product library (${this.size} variants read).`,
			};
		if (matches.length > 1) {
			return {
				error: `${label} "${key}" is ambiguous: ${matches.length} variants have it (${matches.map(describeRef).join('; ')}). Give those variants distinct ${label}s in Zettle, or identify the item by UUID.`,
			};
		}
		return { value: matches[0] };
	}

	/** The product of the variants with this SKU or barcode: ambiguous only when they belong to several products. */
	findProduct(by: 'sku' | 'barcode', value: unknown): Result<string> {
		const found = this.findVariant(by, value);
		if ('value' in found) return { value: found.value.productUuid };
		const matches = this.byKey[by].get(keyText(value)) ?? [];
		const products = new Set(matches.map((m) => m.productUuid));
		if (products.size === 1) return { value: [...products][0] };
		return found;
	}
}

/** SKUs and barcodes as text: a CSV or spreadsheet may hand over a number. */
function keyText(value: unknown): string {
	if (value === undefined || value === null) return '';
	return String(value).trim();
}

function describeRef(ref: VariantRef): string {
	const name = [ref.productName, ref.variantName].filter(Boolean).join(' / ');
	return `${name ? `${name} ` : ''}product ${ref.productUuid} variant ${ref.variantUuid}`;
}

/** What an item names: a product, and a variant when the operation moves stock. */
export interface Identity {
	productUuid: string;
	variantUuid?: string;
	/** the library's record of the variant, when it was looked up by SKU or barcode */
	ref?: VariantRef;
}

/**
 * Reads which product (and variant) an item means: by UUIDs, or by SKU or barcode against the
 * library. `needVariant` false: only the product is needed (tracking, balances of a product).
 */
export function readIdentity(
	by: IdentifyBy,
	fields: { productUuid?: unknown; variantUuid?: unknown; key?: unknown },
	needVariant: boolean,
	library: LibraryIndex | undefined,
): { value: Identity } | { errors: string[] } {
	if (by === 'uuid') {
		const product = readUuid(fields.productUuid, 'productUuid');
		const variant = needVariant ? readUuid(fields.variantUuid, 'variantUuid') : undefined;
		const errors = [product, variant].flatMap((f) => (f && 'error' in f ? [f.error] : []));
		if (errors.length) return { errors };
		return {
			value: {
				productUuid: (product as { value: string }).value,
				variantUuid: variant && (variant as { value: string }).value,
			},
		};
	}
	if (!library) throw new Error('the product library was not loaded');
	if (!needVariant) {
		const product = library.findProduct(by, fields.key);
		return 'error' in product
			? { errors: [product.error] }
			: { value: { productUuid: product.value } };
	}
	const found = library.findVariant(by, fields.key);
	if ('error' in found) return { errors: [found.error] };
	return {
		value: {
			productUuid: found.value.productUuid,
			variantUuid: found.value.variantUuid,
			ref: found.value,
		},
	};
}
