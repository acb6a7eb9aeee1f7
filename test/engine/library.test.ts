// The product library read (api/library.ts), as every run that names variants by SKU or barcode starts it: Zettle
// pages GET /organizations/self/library with a `Link: <…>; rel="next"` header to follow as it is, and `limit`
// counts items (docs/reference/zettle-api.md §4.1). The sandbox pages with its own page size (at most 100) and a
// cursor only its Link carries; a Link to another origin is never followed.

import { startSandbox } from '../../sandbox/server';
import { useTrap } from '../support/trap';
import { PATH } from '../support/requests';
import { apiKeyCredentials, OPERATION, runZettle, useSandbox } from '../support/zettle';

const sandbox = useSandbox();
const trap = useTrap();
const RESTOCK_BY_SKU = {
	...OPERATION.updateBalance,
	movement: 'restock',
	identifyBy: 'sku',
	options: { requestsPerSecond: 100 },
};

describe('product library paging', () => {
	it('reads a library of 250 products completely in 3 requests, each following the previous answer’s Link', async () => {
		const big = await startSandbox({
			catalogue: { products: 250, variantsPerProduct: 1, initialBalance: 10 },
		});
		try {
			const org = big.organizationOf(big.catalogueApiKey!);
			const skus = ['SKU-1-1', 'SKU-150-1', 'SKU-250-1'];
			const { run } = await runZettle(
				big,
				RESTOCK_BY_SKU,
				skus.map((sku) => ({ sku, change: 1 })),
				{ credentials: apiKeyCredentials(big, big.catalogueApiKey!) },
			);
			expect(run.status).toBe('success');
			const reads = big.log('GET', PATH.library);
			expect(reads).toHaveLength(3);
			// the first asks for Zettle's maximum; the others are exactly the URLs the Links named (the sandbox's cursor, its page size)
			expect(reads[0].query).toEqual({ limit: '500' });
			for (const read of reads.slice(1))
				expect(Object.keys(read.query).sort()).toEqual(['cursor', 'limit']);
			expect(new Set(reads.map((r) => r.query.cursor)).size).toBe(3);
			const variants = [...org.products.values()].flatMap((p) => p.variants);
			const moved = skus.map((sku) => variants.find((v) => v.sku === sku)!);
			expect(moved.map((v) => org.balance(org.store.uuid, v.uuid))).toEqual([11, 11, 11]);
		} finally {
			await big.close();
		}
	});

	it('refuses a Link to another origin with a clear error, and nothing (no token, no request) goes there', async () => {
		sandbox().faults.set({
			rules: [
				{
					method: 'GET',
					path: PATH.library,
					nth: [1],
					action: 'respond',
					status: 200,
					headers: {
						Link: `<${trap().url}/organizations/self/library?cursor=abc&limit=100>; rel="next"`,
					},
					body: { products: [], discounts: [], deletedProducts: [], deletedDiscounts: [] },
				},
			],
		});
		const { run, error } = await runZettle(sandbox(), RESTOCK_BY_SKU, [
			{ sku: 'TSHIRT-S', change: 1 },
		]);
		expect(run.status).toBe('error');
		expect(error?.message).toMatch(
			/^Zettle's next-page link points at http:\/\/127\.0\.0\.1:\d+, not at http:\/\/127\.0\.0\.1:\d+: not followed/,
		);
		expect(trap().received).toHaveLength(0);
		expect(sandbox().log('GET', PATH.library)).toHaveLength(1);
		expect(sandbox().log('PUT')).toHaveLength(0);
	});
});
