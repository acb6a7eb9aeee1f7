import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { invalidInputError, invalidItems, ItemError } from '../../engine/output';
import { identityOf, locationOf, Run, startRun } from '../../engine/run';
import type { IdentifyBy, LibraryIndex } from '../../helpers/libraryIndex';
import type { BalanceRow, ZettleLocation } from '../../helpers/types';
import {
	identifyFields,
	locationLocator,
	maxRetryWaitOption,
	optionsCollection,
	requestsPerSecondOption,
} from '../common.descriptions';

const onlyFor =
	(source: string) =>
	(p: INodeProperties): INodeProperties => ({
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
			{
				name: 'A Location',
				value: 'location',
				description: 'Every variant with stock in the location',
			},
			{
				name: 'Products',
				value: 'products',
				description: 'The variants of the product each item names',
			},
		],
		default: 'location',
	},
	locationLocator(
		'Location',
		'location',
		'STORE',
		'Whose balances to read. STORE is the stock the shop has.',
	),
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
			description:
				'Whether to add product and variant names, SKU and barcode from the product library (read once per execution)',
		},
		{
			displayName: 'Include Zero Balances',
			name: 'includeZero',
			type: 'boolean',
			default: false,
			description:
				'Whether to list variants of tracked products that have no stock (Zettle lists non-zero balances only). Reads the product library.',
		},
		maxRetryWaitOption,
		requestsPerSecondOption,
	]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['balance'], operation: ['getAll'] } },
	properties,
);

/** What one item asks for: the balances of a location, or of a product in a location. */
interface Asked {
	item: number;
	location: ZettleLocation;
	productUuid?: string;
}

/** The rows read, by location UUID or `location/product`, and the products found untracked. */
interface Read {
	rowsOf: Map<string, BalanceRow[]>;
	trackedIn: Map<string, string[]>;
	untracked: Set<string>;
}

const keyOf = (a: Pick<Asked, 'location' | 'productUuid'>) =>
	a.productUuid ? `${a.location.uuid}/${a.productUuid}` : a.location.uuid;

/**
 * Balances of a location, or of products (100 a request on the legacy API), one output item per
 * variant. Each distinct location or product is read once per execution however many items ask for it.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const source = this.getNodeParameter('source', 0) as 'location' | 'products';
	const identifyBy = (
		source === 'products' ? this.getNodeParameter('identifyBy', 0, 'uuid') : 'uuid'
	) as IdentifyBy;
	const run = await startRun(this, {
		locations: true,
		identifyBy,
		library: (o) => Boolean(o.includeProductDetails || o.includeZero),
	});
	const { asked, invalid } = readAsked(run, source);
	if (invalid.length && !run.continueOnFail)
		throw invalidInputError(this, invalid, 'Nothing was read.');
	const read = await readBalances(run, source, asked);
	const output = outputRows(run, asked, read, invalid);
	return [...output, ...invalidItems(this, invalid, 'Not read')];
}

/** What each item asks for, checked before any balance is read. */
function readAsked(
	run: Run,
	source: 'location' | 'products',
): { asked: Asked[]; invalid: ItemError[] } {
	const asked: Asked[] = [];
	const invalid: ItemError[] = [];
	run.items.forEach((_, item) => {
		const location = locationOf(
			run,
			run.parameter('location', item, '', { extractValue: true }),
			'Location',
		);
		const errors = 'error' in location ? [location.error] : [];
		let productUuid: string | undefined;
		if (source === 'products') {
			const identity = identityOf(run, item, false);
			if ('errors' in identity) errors.push(...identity.errors);
			else productUuid = identity.value.productUuid;
		}
		if (errors.length || 'error' in location) invalid.push({ item, message: errors.join(' ') });
		else
			asked.push({
				item,
				location: run.locations.find((l) => l.uuid === location.value)!,
				productUuid,
			});
	});
	return { asked, invalid };
}

/** One read per distinct location, or per distinct products of a location. */
async function readBalances(
	run: Run,
	source: 'location' | 'products',
	asked: Asked[],
): Promise<Read> {
	const read: Read = { rowsOf: new Map(), trackedIn: new Map(), untracked: new Set() };
	// tracking is the organization's, not a location's: read once, when a location read does not list it
	let trackedInOrganization: string[] | undefined;
	for (const location of new Map(asked.map((a) => [a.location.uuid, a.location])).values()) {
		if (source === 'location') {
			const balances = await run.api.locationBalances(location);
			read.rowsOf.set(location.uuid, balances.rows);
			// V3's stock read does not list tracked products: zero rows need them from the status read
			if (!balances.trackedProducts && run.options.includeZero && run.library)
				trackedInOrganization ??= [...(await run.api.trackedAmong(run.library.productUuids()))];
			read.trackedIn.set(location.uuid, balances.trackedProducts ?? trackedInOrganization ?? []);
			continue;
		}
		const products = new Set(
			asked.filter((a) => a.location.uuid === location.uuid).map((a) => a.productUuid!),
		);
		const balances = await run.api.productBalances(location, [...products]);
		for (const productUuid of products) {
			if (!balances.tracked.has(productUuid)) read.untracked.add(productUuid);
			read.rowsOf.set(keyOf({ location, productUuid }), []);
		}
		for (const row of balances.rows.values())
			read.rowsOf.get(keyOf({ location, productUuid: row.productUuid }))?.push(row);
	}
	return read;
}

/** One output item per variant, paired with the item that asked; untracked products are errors. */
function outputRows(
	run: Run,
	asked: Asked[],
	read: Read,
	invalid: ItemError[],
): INodeExecutionData[] {
	const returnAll = run.context.getNodeParameter('returnAll', 0, false) as boolean;
	const limit = returnAll ? Infinity : (run.context.getNodeParameter('limit', 0, 50) as number);
	const output: INodeExecutionData[] = [];
	for (const { item, location, productUuid } of asked) {
		if (productUuid && read.untracked.has(productUuid)) {
			const message = `Product ${productUuid} is not tracked, so Zettle keeps no balances for it. Start tracking it first (Product → Start Tracking).`;
			if (!run.continueOnFail)
				throw new NodeOperationError(run.context.getNode(), `Item ${item}: ${message}`, {
					itemIndex: item,
				});
			invalid.push({ item, message });
			continue;
		}
		let rows = read.rowsOf.get(keyOf({ location, productUuid })) ?? [];
		if (run.options.includeZero && run.library) {
			rows = withZeroRows(
				rows,
				run.library,
				location,
				productUuid ? [productUuid] : (read.trackedIn.get(location.uuid) ?? []),
			);
		}
		for (const row of rows.slice(0, limit)) {
			const json: IDataObject = {
				locationUuid: row.locationUuid,
				locationType: row.locationType ?? location.type,
				productUuid: row.productUuid,
				variantUuid: row.variantUuid,
				balance: row.balance,
			};
			const ref = run.options.includeProductDetails
				? run.library?.variant(row.variantUuid)
				: undefined;
			if (ref)
				Object.assign(json, {
					productName: ref.productName ?? null,
					variantName: ref.variantName ?? null,
					sku: ref.sku ?? null,
					barcode: ref.barcode ?? null,
				});
			output.push({ json, pairedItem: { item } });
		}
	}
	return output;
}

/** The listed rows plus a 0 row for every other variant of the given tracked products. */
function withZeroRows(
	rows: BalanceRow[],
	library: LibraryIndex,
	location: ZettleLocation,
	products: string[],
): BalanceRow[] {
	const listed = new Set(rows.map((r) => r.variantUuid));
	const zeros = products.flatMap((p) =>
		library
			.variantsOf(p)
			.filter((v) => !listed.has(v.variantUuid))
			.map((v) => ({
				locationUuid: location.uuid,
				locationType: location.type,
				productUuid: v.productUuid,
				variantUuid: v.variantUuid,
				balance: 0,
			})),
	);
	return [...rows, ...zeros];
}
