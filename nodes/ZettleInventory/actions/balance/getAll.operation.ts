import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { Catalogue, IdentifyBy, readIdentity } from '../../helpers/catalogue';
import { resolveLocation } from '../../helpers/movements';
import { ClientOptions, getLibrary, getLocations, ZettleClient } from '../../transport';
import { itemParameters } from '../itemParameters';
import { BalanceRow, readLocationBalances, readProductBalances } from './balances';
import { identifyFields, locationLocator, maxRetryWaitOption, optionsCollection, requestsPerSecondOption } from './common.descriptions';
import { invalidInputError, invalidItems, ItemError, readOptions } from './movements';

const onlyFor = (source: string) => (p: INodeProperties): INodeProperties => ({
	...p,
	displayOptions: { ...p.displayOptions, show: { ...p.displayOptions?.show, source: [source] } },
});

const properties: INodeProperties[] = [
	{
		displayName: 'Balances Of',
		name: 'source',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'A Location', value: 'location', description: 'Every variant with stock in the location' },
			{ name: 'Products', value: 'products', description: 'The variants of the product each item names' },
		],
		default: 'location',
	},
	locationLocator('Location', 'location', 'STORE', 'Whose balances to read. STORE is the stock the shop has.'),
	...identifyFields('product').map(onlyFor('products')),
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
	optionsCollection([
		{
			displayName: 'Include Product Details',
			name: 'includeProductDetails',
			type: 'boolean',
			default: false,
			description: 'Whether to add product and variant names, SKU and barcode from the product library (read once per execution)',
		},
		{
			displayName: 'Include Zero Balances',
			name: 'includeZero',
			type: 'boolean',
			default: false,
			description: 'Whether to list variants of tracked products that have no stock (Zettle lists non-zero balances only). Reads the product library.',
		},
		maxRetryWaitOption,
		requestsPerSecondOption,
	]),
];

export const description = updateDisplayOptions({ show: { resource: ['balance'], operation: ['getAll'] } }, properties);

interface GetBalancesOptions extends ClientOptions {
	includeProductDetails?: boolean;
	includeZero?: boolean;
}

/**
 * Balances of a location (GET …/inventory/locations/{uuid}) or of products (POST …/inventory/products,
 * 100 products a request), one output item per variant. Each distinct location or product is read
 * once per execution however many items ask for it.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	if (!items.length) return [];
	const source = this.getNodeParameter('source', 0) as 'location' | 'products';
	const options = readOptions<GetBalancesOptions>(this);
	const identifyBy = (source === 'products' ? this.getNodeParameter('identifyBy', 0, 'uuid') : 'uuid') as IdentifyBy;
	const client = await ZettleClient.connect(this, options);
	const locations = await getLocations(client);
	const needLibrary = options.includeProductDetails || options.includeZero || identifyBy !== 'uuid';
	const catalogue = needLibrary ? new Catalogue(await getLibrary(client)) : undefined;

	// 1. what each item asks for, checked before any balance is read
	const invalid: ItemError[] = [];
	const asked: Array<{ item: number; locationUuid: string; productUuid?: string }> = [];
	const parameter = itemParameters(this, items);
	items.forEach((_, item) => {
		const location = resolveLocation(parameter('location', item, '', { extractValue: true }), 'Location', locations);
		const errors = 'error' in location ? [location.error] : [];
		let productUuid: string | undefined;
		if (source === 'products') {
			const fields = identifyBy === 'uuid' ? { productUuid: parameter('productUuid', item, '') } : { key: parameter(identifyBy, item, '') };
			const identity = readIdentity(identifyBy, fields, false, catalogue);
			if ('errors' in identity) errors.push(...identity.errors);
			else productUuid = identity.value.productUuid;
		}
		if (errors.length || 'error' in location) invalid.push({ item, message: errors.join(' ') });
		else asked.push({ item, locationUuid: location.value, productUuid });
	});
	const continueOnFail = this.continueOnFail();
	if (invalid.length && !continueOnFail) throw invalidInputError(this, invalid, 'Nothing was read.');

	// 2. one read per distinct location, or per 100 distinct products of a location
	const rowsOf = new Map<string, BalanceRow[]>();
	const trackedIn = new Map<string, string[]>();
	const untracked = new Set<string>();
	const typeOf = (uuid: string) => locations.find((l) => l.uuid === uuid)!.type;
	for (const locationUuid of new Set(asked.map((a) => a.locationUuid))) {
		if (source === 'location') {
			const read = await readLocationBalances(client, locationUuid);
			rowsOf.set(locationUuid, read.rows);
			trackedIn.set(locationUuid, read.trackedProducts);
			continue;
		}
		const products = new Set(asked.filter((a) => a.locationUuid === locationUuid).map((a) => a.productUuid!));
		const read = await readProductBalances(client, typeOf(locationUuid), [...products]);
		for (const productUuid of products) {
			if (!read.tracked.has(productUuid)) untracked.add(productUuid);
			rowsOf.set(`${locationUuid}/${productUuid}`, []);
		}
		for (const row of read.rows.values()) rowsOf.get(`${locationUuid}/${row.productUuid}`)?.push(row);
	}

	// 3. one output item per variant, paired with the item that asked
	const returnAll = this.getNodeParameter('returnAll', 0, false) as boolean;
	const limit = returnAll ? Infinity : (this.getNodeParameter('limit', 0, 50) as number);
	const output: INodeExecutionData[] = [];
	for (const { item, locationUuid, productUuid } of asked) {
		if (productUuid && untracked.has(productUuid)) {
			const message = `Product ${productUuid} is not tracked, so Zettle keeps no balances for it. Start tracking it first (Product → Start Tracking).`;
			if (!continueOnFail) throw new NodeOperationError(this.getNode(), `Item ${item}: ${message}`, { itemIndex: item });
			invalid.push({ item, message });
			continue;
		}
		let rows = rowsOf.get(productUuid ? `${locationUuid}/${productUuid}` : locationUuid) ?? [];
		if (options.includeZero && catalogue) {
			rows = withZeroRows(rows, catalogue, locationUuid, typeOf(locationUuid), productUuid ? [productUuid] : (trackedIn.get(locationUuid) ?? []));
		}
		for (const row of rows.slice(0, limit)) {
			const json: IDataObject = { locationUuid: row.locationUuid, locationType: row.locationType ?? typeOf(locationUuid), productUuid: row.productUuid, variantUuid: row.variantUuid, balance: row.balance };
			const ref = options.includeProductDetails ? catalogue?.variant(row.variantUuid) : undefined;
			if (ref) Object.assign(json, { productName: ref.productName ?? null, variantName: ref.variantName ?? null, sku: ref.sku ?? null, barcode: ref.barcode ?? null });
			output.push({ json, pairedItem: { item } });
		}
	}
	return [...output, ...invalidItems(this, invalid, 'Not read')];
}

/** The listed rows plus a 0 row for every other variant of the given tracked products. */
function withZeroRows(rows: BalanceRow[], catalogue: Catalogue, locationUuid: string, locationType: string, products: string[]): BalanceRow[] {
	const listed = new Set(rows.map((r) => r.variantUuid));
	const zeros = products.flatMap((p) =>
		catalogue
			.variantsOf(p)
			.filter((v) => !listed.has(v.variantUuid))
			.map((v) => ({ locationUuid, locationType, productUuid: v.productUuid, variantUuid: v.variantUuid, balance: 0 })),
	);
	return [...rows, ...zeros];
}
