// In-memory state of one Zettle organization: locations, product library, tracking and balances.
// Semantics follow docs/reference/zettle-api.md §2.1 and §2.2; choices where Zettle's docs are
// silent are listed in the README's "Zettle sandbox" section.

export type LocationType = 'STORE' | 'SUPPLIER' | 'SOLD' | 'BIN';
export const LOCATION_TYPES: LocationType[] = ['STORE', 'SUPPLIER', 'SOLD', 'BIN'];

export interface Location {
	uuid: string;
	type: LocationType;
	name: string;
	description: string;
	default: boolean;
}

export interface Variant {
	uuid: string;
	name: string;
	sku?: string;
	barcode?: string;
}

export interface Product {
	uuid: string;
	name: string;
	variants: Variant[];
}

/** One row of a movement request, after its JSON was checked for shape. */
export interface Movement {
	productUuid: string;
	variantUuid: string;
	fromLocationUuid: string;
	toLocationUuid: string;
	change: number;
}

export class Organization {
	readonly locations: Location[];
	readonly products = new Map<string, Product>();
	readonly tracked = new Set<string>();
	/** location uuid -> variant uuid -> balance. Kept when tracking stops, restored when it starts again. */
	private readonly balances = new Map<string, Map<string, number>>();
	private readonly variantProduct = new Map<string, string>();

	constructor(
		readonly uuid: string,
		locations: Location[],
	) {
		this.locations = locations;
		for (const location of locations) this.balances.set(location.uuid, new Map());
	}

	addProduct(product: Product): void {
		this.products.set(product.uuid, product);
		for (const variant of product.variants) this.variantProduct.set(variant.uuid, product.uuid);
	}

	location(uuid: string): Location | undefined {
		return this.locations.find((l) => l.uuid === uuid);
	}

	locationOfType(type: LocationType): Location {
		const location = this.locations.find((l) => l.type === type);
		if (!location) throw new Error(`organization ${this.uuid} has no ${type} location`);
		return location;
	}

	get store(): Location {
		return this.locationOfType('STORE');
	}

	productOfVariant(variantUuid: string): string | undefined {
		return this.variantProduct.get(variantUuid);
	}

	balance(locationUuid: string, variantUuid: string): number {
		return this.balances.get(locationUuid)?.get(variantUuid) ?? 0;
	}

	setBalance(locationUuid: string, variantUuid: string, balance: number): void {
		this.balances.get(locationUuid)!.set(variantUuid, balance);
	}

	/** Applies one already validated movement: `from` goes down by `change`, `to` goes up. */
	move(m: Movement): void {
		this.setBalance(m.fromLocationUuid, m.variantUuid, this.balance(m.fromLocationUuid, m.variantUuid) - m.change);
		this.setBalance(m.toLocationUuid, m.variantUuid, this.balance(m.toLocationUuid, m.variantUuid) + m.change);
	}

	/** Non-zero balances of tracked products in one location, as Zettle lists them. */
	balancesIn(locationUuid: string, productUuids?: string[]): Array<{ productUuid: string; variantUuid: string; balance: number }> {
		const rows: Array<{ productUuid: string; variantUuid: string; balance: number }> = [];
		const wanted = productUuids ? new Set(productUuids) : undefined;
		for (const [variantUuid, balance] of this.balances.get(locationUuid) ?? []) {
			const productUuid = this.variantProduct.get(variantUuid)!;
			if (balance === 0 || !this.tracked.has(productUuid)) continue;
			if (wanted && !wanted.has(productUuid)) continue;
			rows.push({ productUuid, variantUuid, balance });
		}
		return rows;
	}

	/** A deep copy of everything that can change, for tests that compare before and after. */
	snapshot(): { tracked: string[]; balances: Record<string, Record<string, number>> } {
		const balances: Record<string, Record<string, number>> = {};
		for (const [loc, rows] of this.balances) balances[loc] = Object.fromEntries(rows);
		return { tracked: [...this.tracked].sort(), balances };
	}
}
