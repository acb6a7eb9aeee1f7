import type { INodeCredentialDescription, INodeProperties } from 'n8n-workflow';

/** The two Zettle credentials, chosen by the Authentication parameter (both nodes). */
export const zettleCredentials: INodeCredentialDescription[] = [
	{ name: 'zettleApi', required: true, displayOptions: { show: { authentication: ['apiKey'] } } },
	{
		name: 'zettleOAuth2Api',
		required: true,
		displayOptions: { show: { authentication: ['oAuth2'] } },
	},
];

export const authenticationProperty: INodeProperties = {
	displayName: 'Authentication',
	name: 'authentication',
	type: 'options',
	options: [
		{ name: 'API Key', value: 'apiKey' },
		{ name: 'OAuth2', value: 'oAuth2' },
	],
	default: 'apiKey',
};

const inventoryApi = (
	defaultValue: 'legacy' | 'v3',
	version: INodeProperties['displayOptions'],
): INodeProperties => ({
	displayName: 'Inventory API',
	name: 'inventoryApi',
	type: 'options',
	noDataExpression: true,
	options: [
		{
			name: 'V3 (Current)',
			value: 'v3',
			description: 'Zettle’s current Inventory API (inventory.izettle.com/v3)',
		},
		{
			name: 'Legacy (Deprecated by Zettle)',
			value: 'legacy',
			description: 'The /organizations/self/inventory endpoints of Zettle’s earlier Inventory API',
		},
	],
	default: defaultValue,
	description: 'Which Zettle Inventory API carries the requests. Both give the same outputs.',
	displayOptions: version,
});

/**
 * The Inventory API parameter: its default is the node version's (n8n stores only parameters that
 * differ from their default, so a node saved as version 1 keeps the legacy API; a new node is
 * version 2 and uses V3).
 */
export const inventoryApiProperties: INodeProperties[] = [
	inventoryApi('legacy', { show: { '@version': [1] } }),
	inventoryApi('v3', { show: { '@version': [{ _cnd: { gte: 2 } }] } }),
];

/** V3 only: read balances back after writes (V3 answers without them). */
export const readBackOption: INodeProperties = {
	displayName: 'Read Back Balances',
	name: 'readBack',
	type: 'boolean',
	default: true,
	description:
		'Whether to read the balances of the moved variants after the writes (Inventory API V3 answers without them), to output them as the legacy API does. Off: one output item per movement sent, without its balance.',
	displayOptions: { show: { '/inventoryApi': ['v3'] } },
};

/** A location: from the organization's list, or a UUID, type (STORE, SUPPLIER, SOLD, BIN) or name. */
export const locationLocator = (
	displayName: string,
	name: string,
	defaultValue: string,
	description: string,
): INodeProperties => ({
	displayName,
	name,
	type: 'resourceLocator',
	default: { mode: 'id', value: defaultValue },
	required: true,
	description,
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchLocations', searchable: true },
		},
		{
			displayName: 'By UUID, Type or Name',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. STORE or 89ac1e4a-5f0f-11ec-bf63-0242ac130002',
		},
	],
});

const movementLocation = (
	displayName: string,
	name: 'fromLocation' | 'toLocation',
	field: string,
): INodeProperties => ({
	...locationLocator(
		displayName,
		name,
		`={{ $json.${field} }}`,
		`Where the stock moves ${name === 'fromLocation' ? 'from' : 'to'}. By default the item's "${field}" field.`,
	),
	displayOptions: { show: { movement: ['custom'] } },
});

/** The "Options" collection of an operation. */
export const optionsCollection = (options: INodeProperties[]): INodeProperties => ({
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options,
});

/**
 * How items name what they are about: UUIDs (Zettle's own fields), or a SKU or barcode looked up
 * in the product library. `variant`: a product and one of its variants; `product`: a product only.
 * Description data, no logic: long because it lists the fields of all three ways.
 */
export const identifyFields = (
	target: 'variant' | 'product',
	variantRequired = true,
): INodeProperties[] => [
	{
		displayName: 'Identify By',
		name: 'identifyBy',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'UUIDs', value: 'uuid', description: 'Zettle product and variant UUIDs' },
			{
				name: 'SKU',
				value: 'sku',
				description: `The ${target === 'variant' ? "variant's" : "product's (any of its variants')"} SKU, looked up in the Zettle product library`,
			},
			{
				name: 'Barcode',
				value: 'barcode',
				description: 'Looked up in the Zettle product library, like a SKU',
			},
		],
		default: 'uuid',
		description:
			'SKU and barcode read the whole product library once per execution; a SKU that matches no variant or several is an error on its item',
	},
	{
		displayName: 'Product UUID',
		name: 'productUuid',
		type: 'string',
		default: '={{ $json.productUuid }}',
		required: true,
		description: 'The Zettle product. By default the item\'s "productUuid" field.',
		displayOptions: { show: { identifyBy: ['uuid'] } },
	},
	...(target === 'variant'
		? [
				{
					displayName: 'Variant UUID',
					name: 'variantUuid',
					type: 'string',
					default: '={{ $json.variantUuid }}',
					required: variantRequired,
					description: variantRequired
						? 'The product variant whose balance changes. By default the item\'s "variantUuid" field.'
						: 'The product variant whose balance changes. By default the item\'s "variantUuid" field. Not needed on items that only change tracking.',
					displayOptions: { show: { identifyBy: ['uuid'] } },
				} as INodeProperties,
			]
		: []),
	{
		displayName: 'SKU',
		name: 'sku',
		type: 'string',
		default: '={{ $json.sku }}',
		required: true,
		description:
			'The variant\'s SKU in the Zettle product library. By default the item\'s "sku" field.',
		displayOptions: { show: { identifyBy: ['sku'] } },
	},
	{
		displayName: 'Barcode',
		name: 'barcode',
		type: 'string',
		default: '={{ $json.barcode }}',
		required: true,
		description:
			'The variant\'s barcode in the Zettle product library. By default the item\'s "barcode" field.',
		displayOptions: { show: { identifyBy: ['barcode'] } },
	},
];

export const dryRunOption: INodeProperties = {
	displayName: 'Dry Run',
	name: 'dryRun',
	type: 'boolean',
	default: false,
	description:
		'Whether to only output the requests that would be sent, without sending any write. Reads (locations, product library, balances) still happen.',
};

export const itemsPerRequestOption: INodeProperties = {
	displayName: 'Items per Request',
	name: 'itemsPerRequest',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: 1000 },
	default: 100,
	description:
		'How many movements go into one request. Zettle documents no maximum; fewer per request means fewer items in doubt if a request fails.',
};

export const requestsPerSecondOption: INodeProperties = {
	displayName: 'Max Requests per Second',
	name: 'requestsPerSecond',
	type: 'number',
	typeOptions: { minValue: 0.1, numberPrecision: 1 },
	default: 4,
	description:
		"Pace of all requests of the execution, reads included, kept 10% under this to absorb network jitter. Zettle's soft rate limit is about 4 per second.",
};

export const maxRetryWaitOption: INodeProperties = {
	displayName: 'Max Retry Wait',
	name: 'maxRetryWait',
	type: 'number',
	typeOptions: { minValue: 0 },
	default: 60,
	description:
		'The longest wait, in seconds, before sending a request again when Zettle answers 429 (or 503 with Retry-After). A longer Retry-After stops the run and reports the items as not applied, rather than sending early.',
};

export const externalUuidOption: INodeProperties = {
	displayName: 'External UUID',
	name: 'externalUuid',
	type: 'string',
	default: '',
	placeholder: 'e.g. 0f8b7a40-6a1e-11ec-90d6-0242ac120003',
	description:
		'Correlation ID sent with every request and shown on every output item; Zettle passes it on in its InventoryBalanceChanged webhooks. Empty: a new UUID per request. It is not an idempotency key.',
};

/** The fields of one movement, read per item. Defaults read the fields of Zettle's own `changes[]` entries. */
export const movementFields = (changeRequired: boolean): INodeProperties[] => [
	{
		displayName: 'Movement',
		name: 'movement',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Custom (From / To Below)',
				value: 'custom',
				description: 'Any two locations, per item',
			},
			{
				name: 'Discard (STORE → BIN)',
				value: 'discard',
				description: 'Remove stock, e.g. broken or lost items',
			},
			{
				name: 'Restock (SUPPLIER → STORE)',
				value: 'restock',
				description: 'Add stock from a delivery',
			},
			{
				name: 'Sale (STORE → SOLD)',
				value: 'sale',
				description: 'Record items sold outside Zettle',
			},
		],
		default: 'custom',
		description:
			'Which locations the stock moves between. Zettle always moves a positive quantity; the locations give the direction.',
	},
	movementLocation('From Location', 'fromLocation', 'fromLocationUuid'),
	movementLocation('To Location', 'toLocation', 'toLocationUuid'),
	...identifyFields('variant', changeRequired),
	{
		displayName: 'Change',
		name: 'change',
		// a string field: the default is an expression over the item, and CSV values arrive as text
		type: 'string',
		default: '={{ $json.change }}',
		placeholder: 'e.g. 42',
		required: changeRequired,
		description: changeRequired
			? 'How many units to move: a whole number above zero. By default the item\'s "change" field.'
			: 'How many units to move: a whole number above zero. By default the item\'s "change" field. Leave it empty on an item to only change the product\'s tracking.',
	},
];

export const movementOptions: INodeProperties = optionsCollection([
	dryRunOption,
	externalUuidOption,
	itemsPerRequestOption,
	requestsPerSecondOption,
	maxRetryWaitOption,
	{
		displayName: 'Output',
		name: 'output',
		type: 'options',
		options: [
			{ name: 'Balances', value: 'balances', description: 'One item per returned variant balance' },
			{
				name: 'Raw Response',
				value: 'raw',
				description: "One item per request with Zettle's whole answer",
			},
		],
		default: 'balances',
	},
	readBackOption,
	{
		displayName: 'Return Balances For Location',
		name: 'returnBalanceForLocation',
		type: 'string',
		default: '',
		placeholder: 'e.g. STORE',
		description:
			'Location (UUID, type or name) whose balances Zettle returns. Empty: not sent, and Zettle returns the STORE balances.',
	},
]);
