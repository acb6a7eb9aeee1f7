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

/** Who made a change: the API client (OAuth client ID) and user behind the token, or the POS. */
export interface Origin {
	clientUuid: string;
	userUuid: string;
	/** the legacy externalUuid or the V3 identifier sent with the request, passed through to webhooks */
	externalUuid?: string | null;
}

/** What changed, as Zettle's webhooks report it (docs/reference/zettle-pusher.md). */
export type ChangeEvent =
	| {
			kind: 'balance';
			origin: Origin;
			at: Date;
			/** every variant-location whose balance changed, before and after */
			rows: Array<{
				locationUuid: string;
				productUuid: string;
				variantUuid: string;
				before: number;
				after: number;
			}>;
	  }
	| { kind: 'trackingStarted' | 'trackingStopped'; origin: Origin; at: Date; productUuid: string };

export interface LowStock {
	lowStockLevel: number | null;
	lowStockAlert: boolean;
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
	/** inventory uuid -> variant uuid -> custom low-stock level (V3's /custom-low-stock) */
	private readonly lowStock = new Map<string, Map<string, LowStock>>();
	/** when each variant's balance last changed (V3's `updated`) */
	private readonly updated = new Map<string, Date>();
	private readonly variantProduct = new Map<string, string>();
	private readonly listeners: Array<(event: ChangeEvent) => void> = [];

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

	/** The location of a type: the default one where there are several (several STOREs in V3). */
	locationOfType(type: LocationType): Location {
		const ofType = this.locations.filter((l) => l.type === type);
		const location = ofType.find((l) => l.default) ?? ofType[0];
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

	/** Applies one already validated movement: `from` goes down by `change`, `to` goes up. No event. */
	move(m: Movement): void {
		this.setBalance(
			m.fromLocationUuid,
			m.variantUuid,
			this.balance(m.fromLocationUuid, m.variantUuid) - m.change,
		);
		this.setBalance(
			m.toLocationUuid,
			m.variantUuid,
			this.balance(m.toLocationUuid, m.variantUuid) + m.change,
		);
		const now = new Date();
		this.updated.set(m.variantUuid, now);
	}

	/**
	 * Applies validated movements as one change (one request, or one sale at the till) and tells the
	 * listeners (the Pusher emulation): one balance event with every variant-location it changed.
	 */
	applyMovements(movements: Movement[], origin: Origin): void {
		const before = new Map<string, number>();
		const key = (location: string, variant: string) => `${location}|${variant}`;
		for (const m of movements) {
			for (const location of [m.fromLocationUuid, m.toLocationUuid]) {
				if (!before.has(key(location, m.variantUuid)))
					before.set(key(location, m.variantUuid), this.balance(location, m.variantUuid));
			}
		}
		for (const m of movements) this.move(m);
		const rows = [...before].map(([k, was]) => {
			const [locationUuid, variantUuid] = k.split('|');
			return {
				locationUuid,
				productUuid: this.variantProduct.get(variantUuid)!,
				variantUuid,
				before: was,
				after: this.balance(locationUuid, variantUuid),
			};
		});
		if (rows.length) this.emit({ kind: 'balance', origin, at: new Date(), rows });
	}

	/** Starts or stops tracking a product (a no-op when it is already so); tells the listeners when it changed. */
	setTracking(productUuid: string, tracked: boolean, origin: Origin): void {
		if (this.tracked.has(productUuid) === tracked) return;
		if (tracked) this.tracked.add(productUuid);
		else this.tracked.delete(productUuid);
		this.emit({
			kind: tracked ? 'trackingStarted' : 'trackingStopped',
			origin,
			at: new Date(),
			productUuid,
		});
	}

	lowStockOf(inventoryUuid: string, variantUuid: string): LowStock {
		return (
			this.lowStock.get(inventoryUuid)?.get(variantUuid) ?? {
				lowStockLevel: null,
				lowStockAlert: false,
			}
		);
	}

	/** Sets a custom low-stock level; a level of null or 0 deletes it, as Zettle's V3 page documents. */
	setLowStock(inventoryUuid: string, variantUuid: string, value: LowStock): void {
		const rows = this.lowStock.get(inventoryUuid) ?? new Map<string, LowStock>();
		this.lowStock.set(inventoryUuid, rows);
		if (value.lowStockLevel === null || value.lowStockLevel === 0) rows.delete(variantUuid);
		else rows.set(variantUuid, value);
	}

	/** Whether a variant has a custom low-stock level in an inventory. */
	hasLowStock(inventoryUuid: string, variantUuid: string): boolean {
		return this.lowStock.get(inventoryUuid)?.has(variantUuid) ?? false;
	}

	lastUpdated(variantUuid: string): Date | undefined {
		return this.updated.get(variantUuid);
	}

	/** Listens to every change of this organization's stock and tracking; returns a function that stops listening. */
	onChange(listener: (event: ChangeEvent) => void): () => void {
		this.listeners.push(listener);
		return () => this.listeners.splice(this.listeners.indexOf(listener), 1);
	}

	private emit(event: ChangeEvent): void {
		for (const listener of [...this.listeners]) listener(event);
	}

	/** Non-zero balances of tracked products in one location, as Zettle lists them. */
	balancesIn(
		locationUuid: string,
		productUuids?: string[],
	): Array<{ productUuid: string; variantUuid: string; balance: number }> {
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
