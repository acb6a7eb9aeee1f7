// The Product Library API (products.izettle.com): the whole library, for lookups by SKU or barcode.
// https://developer.zettle.com/docs/api/product-library/overview

import type { LibraryProduct } from '../helpers/libraryIndex';
import type { ZettleClient, ZettleRequest } from '../transport';

/** Products asked for on the first page: Zettle's maximum `limit` (it counts items; Zettle may send fewer). */
const LIBRARY_LIMIT = 500;
/** Pages of one library read at most: a loop guard (10,000 pages is a million products even at 100 a page). */
const MAX_PAGES = 10_000;

/**
 * The whole product library (GET /organizations/self/library), page by page. Zettle pages it with a
 * `Link: <…>; rel="next"` header and says to follow that URL as it is (docs/reference/zettle-api.md
 * §4.1): the next page is taken from the Link, never computed, and the read ends when an answer has
 * none. The Link is followed only on the credential's own products host (`nextPage` throws
 * otherwise), so the token never goes to a host an answer names.
 */
export async function readLibrary(client: ZettleClient): Promise<LibraryProduct[]> {
	const products: LibraryProduct[] = [];
	let request: ZettleRequest | undefined = {
		service: 'products',
		method: 'GET',
		path: '/organizations/self/library',
		qs: { limit: LIBRARY_LIMIT },
	};
	for (let page = 0; request; page++) {
		if (page >= MAX_PAGES)
			throw client.answerError(
				`Zettle's product library did not end after ${MAX_PAGES} pages. Nothing was sent.`,
			);
		const answer: { body: unknown; headers: Record<string, string> } =
			await client.readAnswer(request);
		const list = (answer.body as { products?: unknown } | undefined)?.products;
		if (!Array.isArray(list))
			throw client.answerError(
				'Zettle\'s product library answer has no "products" list. Nothing was sent.',
			);
		products.push(...(list as LibraryProduct[]));
		const next = client.nextPage(answer.headers, 'products');
		request = next === undefined ? undefined : { service: 'products', method: 'GET', path: next };
	}
	return products;
}
