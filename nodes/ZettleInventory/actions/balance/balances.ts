// Balance reads shared by Get Balances and Set Stock Level.

import { chunk, LocationType } from '../../helpers/movements';
import { ZettleClient } from '../../transport';

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

/**
 * The rows of a balance read, checked for the shape Zettle documents: a `variants` list whose
 * balances are whole numbers (strings in GET answers, numbers elsewhere). A read that does not have
 * it is an error before anything is sent: taking a missing list as "all 0" would move wrong stock.
 */
function rowsOf(client: ZettleClient, body: unknown, what: string): { rows: BalanceRow[]; tracked: string[] } {
	const fail = (problem: string) => client.answerError(`Zettle's answer to ${what} ${problem}. Nothing was sent; run again, or report it if it repeats.`);
	const read = (typeof body === 'object' && body !== null ? body : {}) as LocationBalances;
	if (!Array.isArray(read.variants)) throw fail('has no "variants" list');
	const rows = read.variants.map((v) => {
		const balance = typeof v?.balance === 'string' && /^-?\d+$/.test(v.balance.trim()) ? Number(v.balance) : v?.balance;
		if (typeof v?.productUuid !== 'string' || typeof v?.variantUuid !== 'string') throw fail('lists a balance without productUuid or variantUuid');
		if (typeof balance !== 'number' || !Number.isSafeInteger(balance)) {
			throw fail(`has balance ${JSON.stringify(v.balance)} for variant ${v.variantUuid}, which is not a whole number`);
		}
		return { ...v, productUuid: v.productUuid.toLowerCase(), variantUuid: v.variantUuid.toLowerCase(), balance };
	});
	const tracked = Array.isArray(read.trackedProducts) ? read.trackedProducts.filter((p): p is string => typeof p === 'string').map((p) => p.toLowerCase()) : [];
	return { rows, tracked };
}

/** POST /organizations/self/inventory/products, PRODUCTS_PER_READ products a request. */
export async function readProductBalances(client: ZettleClient, locationType: LocationType, productUuids: string[]): Promise<ProductBalances> {
	const result: ProductBalances = { tracked: new Set(), rows: new Map() };
	const path = '/organizations/self/inventory/products';
	for (const batch of chunk([...new Set(productUuids)], PRODUCTS_PER_READ)) {
		const body = await client.read({ service: 'inventory', method: 'POST', path, body: { locationType, productUuids: batch } });
		const read = rowsOf(client, body, `POST ${path}`);
		for (const p of read.tracked) result.tracked.add(p);
		for (const row of read.rows) result.rows.set(row.variantUuid, row);
	}
	return result;
}

/** GET /organizations/self/inventory/locations/{locationUuid}: every non-zero balance in one location. */
export async function readLocationBalances(client: ZettleClient, locationUuid: string): Promise<{ rows: BalanceRow[]; trackedProducts: string[] }> {
	const path = `/organizations/self/inventory/locations/${locationUuid}`;
	const read = rowsOf(client, await client.read({ service: 'inventory', method: 'GET', path }), `GET ${path}`);
	return { rows: read.rows, trackedProducts: read.tracked };
}
