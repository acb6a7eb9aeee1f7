// The Product Library API (products.izettle.com): the whole library, for lookups by SKU or barcode.
// https://developer.zettle.com/docs/api/product-library/overview

import type { LibraryProduct } from '../helpers/libraryIndex';
import type { ZettleClient } from '../transport';

const LIBRARY_PAGE = 500;

/**
 * The whole product library (GET /organizations/self/library, 500 products a page, Zettle's
 * maximum), page by page until a page comes back short. Pages are asked for by offset on the
 * credential's own products host rather than by the `Link` URL, so the token never goes to a
 * host an answer names.
 */
export async function readLibrary(client: ZettleClient): Promise<LibraryProduct[]> {
	const products: LibraryProduct[] = [];
	for (let offset = 0; ; offset += LIBRARY_PAGE) {
		const body = await client.read({ service: 'products', method: 'GET', path: '/organizations/self/library', qs: { limit: LIBRARY_PAGE, offset } });
		const page = (body as { products?: unknown } | undefined)?.products;
		if (!Array.isArray(page)) throw client.answerError('Zettle\'s product library answer has no "products" list. Nothing was sent.');
		products.push(...(page as LibraryProduct[]));
		if (page.length < LIBRARY_PAGE) return products;
	}
}
