// The Product Library API (products.izettle.com): the whole library, for lookups by SKU or barcode.
// https://developer.zettle.com/docs/api/product-library/overview

import type { LibraryProduct } from '../helpers/libraryIndex';
import type { ZettleClient, ZettleRequest } from '../transport';

/** Products asked for on the first page: Zettle's maximum `limit` (it counts items; Zettle may send fewer). */
const LIBRARY_LIMIT = 500;

/**
 * The whole product library (GET /organizations/self/library), page by page. Zettle pages it with a
 * `Link: <…>; rel="next"` header and says to follow that URL as it is (docs/reference/zettle-api.md
 * §4.1): the next page is taken from the Link, never computed, and the read ends when an answer has
 * none. The Link is followed only on the credential's own products host (`pages` throws
 * otherwise), so the token never goes to a host an answer names.
 */
export async function readLibrary(client: ZettleClient): Promise<LibraryProduct[]> {
	const products: LibraryProduct[] = [];
	const first: ZettleRequest = {
		service: 'products',
		method: 'GET',
		path: '/organizations/self/library',
		qs: { limit: LIBRARY_LIMIT },
	};
	for await (const body of client.pages(first, 'product library')) {
		const list = (body as { products?: unknown } | undefined)?.products;
		if (!Array.isArray(list))
			throw client.answerError(
				'Zettle\'s product library answer has no "products" list. Nothing was sent.',
			);
		products.push(...(list as LibraryProduct[]));
	}
	return products;
}
