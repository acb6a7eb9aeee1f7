// Balance reads shared by Get Balances and Set Stock Level.

import type { IExecuteFunctions } from 'n8n-workflow';

import { chunk, LocationType } from '../../helpers/movements';
import { Pacer, zettleRead } from '../../transport';

/** Product UUIDs per balance read. Zettle documents no maximum; this keeps request bodies small. */
export const PRODUCTS_PER_READ = 100;

export interface BalanceRow {
	locationUuid: string;
	locationType?: string;
	productUuid: string;
	variantUuid: string;
	balance: number;
}

interface LocationBalances {
	locationUuid: string;
	trackedProducts?: string[];
	variants?: Array<Omit<BalanceRow, 'balance'> & { balance: string | number }>;
}

export interface ProductBalances {
	/** tracked products among those asked for */
	tracked: Set<string>;
	/** variant UUID → its row; a tracked variant without a row has 0 (Zettle lists non-zero balances only) */
	rows: Map<string, BalanceRow>;
}

const toRow = (v: LocationBalances['variants'] extends Array<infer R> | undefined ? R : never): BalanceRow => ({
	...v,
	productUuid: v.productUuid.toLowerCase(),
	variantUuid: v.variantUuid.toLowerCase(),
	balance: Number(v.balance),
});

/** POST /organizations/self/inventory/products, PRODUCTS_PER_READ products a request. */
export async function readProductBalances(
	this: IExecuteFunctions,
	pacer: Pacer,
	locationType: LocationType,
	productUuids: string[],
): Promise<ProductBalances> {
	const result: ProductBalances = { tracked: new Set(), rows: new Map() };
	for (const batch of chunk([...new Set(productUuids)], PRODUCTS_PER_READ)) {
		const body = (await zettleRead.call(this, pacer, 'inventory', 'POST', '/organizations/self/inventory/products', {
			locationType,
			productUuids: batch,
		})) as LocationBalances;
		for (const p of body.trackedProducts ?? []) result.tracked.add(p.toLowerCase());
		for (const v of body.variants ?? []) {
			const row = toRow(v);
			result.rows.set(row.variantUuid, row);
		}
	}
	return result;
}

/** GET /organizations/self/inventory/locations/{locationUuid}: every non-zero balance in one location. */
export async function readLocationBalances(
	this: IExecuteFunctions,
	pacer: Pacer,
	locationUuid: string,
): Promise<{ rows: BalanceRow[]; trackedProducts: string[] }> {
	const body = (await zettleRead.call(this, pacer, 'inventory', 'GET', `/organizations/self/inventory/locations/${locationUuid}`)) as LocationBalances;
	return { rows: (body.variants ?? []).map(toRow), trackedProducts: (body.trackedProducts ?? []).map((p) => p.toLowerCase()) };
}
