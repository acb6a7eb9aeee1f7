// The workload of a stock sync: a webshop's export of N SKUs with target quantities, 30% of them
// different from Zettle's STORE balance, against the sandbox's generated catalogue (every variant
// tracked, STORE 100, SKUs `SKU-<product>-<variant>`), and the check that a run left exactly the
// targets and nothing else.

import { seededRandom } from '../../sandbox/random';
import { generateOrganization } from '../../sandbox/seed';
import type { Organization } from '../../sandbox/state';
import type { OrgState } from './sandbox';

/** The STORE balance every generated variant starts with (sandbox/seed.ts). */
export const INITIAL_BALANCE = 100;
export const CHANGED_SHARE = 0.3;

export interface Catalogue {
	products: number;
	variantsPerProduct: number;
}

/** The organization the sandbox generates for a catalogue (deterministic: the same UUIDs as in the sandbox process). */
export function catalogueOrganization(c: Catalogue): Organization {
	return generateOrganization({ ...c, initialBalance: INITIAL_BALANCE, organizationUuid: 'bench' });
}

export interface TargetRow {
	sku: string;
	quantity: number;
	productUuid: string;
	variantUuid: string;
	/** whether the target differs from the STORE balance */
	changed: boolean;
}

/**
 * The webshop's export: the first N variants in catalogue order (N/10 whole products: a shop sells a
 * product's sizes and colours together), 30% of them, picked at random with a fixed seed, with a
 * target that differs from STORE's 100 (up or down by 1 to 60, never below 0); the rest equal.
 */
export function webshopExport(org: Organization, n: number, seed = 16): TargetRow[] {
	const variants = [...org.products.values()].flatMap((p) =>
		p.variants.map((v) => ({ productUuid: p.uuid, variantUuid: v.uuid, sku: v.sku! })),
	);
	if (n > variants.length)
		throw new Error(`the catalogue has ${variants.length} variants, fewer than ${n}`);
	const random = seededRandom(seed);
	const picked = variants.slice(0, n);
	const order = picked.map((_, i) => i);
	for (let i = order.length - 1; i > 0; i--) {
		const j = Math.floor(random() * (i + 1));
		[order[i], order[j]] = [order[j], order[i]];
	}
	const changed = new Set(order.slice(0, Math.round(n * CHANGED_SHARE)));
	return picked.map((v, i) => {
		if (!changed.has(i)) return { ...v, quantity: INITIAL_BALANCE, changed: false };
		const by = 1 + Math.floor(random() * 60);
		return {
			...v,
			quantity: random() < 0.5 ? INITIAL_BALANCE + by : INITIAL_BALANCE - by,
			changed: true,
		};
	});
}

/** The export as a webshop writes it: `sku,quantity,title`, one line per SKU. */
export function csvOf(rows: TargetRow[]): string {
	return `sku,quantity,title\n${rows.map((r) => `${r.sku},${r.quantity},Item ${r.sku}`).join('\n')}\n`;
}

/** N restocks of one unit, one per variant in catalogue order (Update Balance's workload, as before issue 16). */
export function restocks(org: Organization, n: number) {
	const supplier = org.locationOfType('SUPPLIER').uuid;
	const store = org.store.uuid;
	const variants = [...org.products.values()].flatMap((p) =>
		p.variants.map((v) => ({ productUuid: p.uuid, variantUuid: v.uuid })),
	);
	if (n > variants.length)
		throw new Error(`the catalogue has ${variants.length} variants, fewer than ${n}`);
	return variants
		.slice(0, n)
		.map((v) => ({ ...v, fromLocationUuid: supplier, toLocationUuid: store, change: 1 }));
}

/**
 * Whether the state is exactly what the targets ask for: every listed variant at its target in
 * STORE, every other variant still at 100, every product still tracked. Returns what is wrong.
 */
export function checkTargets(
	org: Organization,
	state: OrgState,
	expected: Map<string, number>,
): string[] {
	const store = state.balances[org.store.uuid] ?? {};
	const tracked = new Set(state.tracked);
	const wrong: string[] = [];
	for (const product of org.products.values()) {
		if (!tracked.has(product.uuid)) wrong.push(`product ${product.uuid} is no longer tracked`);
		for (const v of product.variants) {
			const want = expected.get(v.uuid) ?? INITIAL_BALANCE;
			const have = store[v.uuid] ?? 0;
			if (have !== want) wrong.push(`${v.sku}: STORE ${have}, expected ${want}`);
		}
	}
	return wrong;
}

export const targetsOf = (rows: TargetRow[]) =>
	new Map(rows.map((r) => [r.variantUuid, r.quantity]));
export const restockTargets = (moves: Array<{ variantUuid: string; change: number }>) => {
	const m = new Map<string, number>();
	for (const move of moves)
		m.set(move.variantUuid, (m.get(move.variantUuid) ?? INITIAL_BALANCE) + move.change);
	return m;
};
