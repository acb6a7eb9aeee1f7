import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { lowStockReader } from '../../engine/itemReaders';
import { runWrites } from '../../engine/writes';
import {
	dryRunOption,
	identifyFields,
	itemsPerRequestOption,
	locationLocator,
	maxRetryWaitOption,
	optionsCollection,
	requestsPerSecondOption,
} from '../common.descriptions';

const properties: INodeProperties[] = [
	...identifyFields('variant'),
	locationLocator(
		'Location',
		'location',
		'STORE',
		'The STORE inventory the level applies to (STORE: the default one).',
	),
	{
		displayName: 'Low-Stock Level',
		name: 'lowStockLevel',
		// a string field: the default is an expression over the item, and CSV values arrive as text
		type: 'string',
		default: '={{ $json.lowStockLevel }}',
		placeholder: 'e.g. 5',
		description:
			'At how many units Zettle reports the variant as low on stock: a whole number above 0. Empty or 0 removes the variant\'s custom level (Zettle cannot store a level of 0). By default the item\'s "lowStockLevel" field.',
	},
	{
		displayName: 'Low-Stock Alert',
		name: 'lowStockAlert',
		type: 'boolean',
		default: true,
		description: 'Whether Zettle alerts when the balance reaches the level',
	},
	optionsCollection([
		dryRunOption,
		{ ...itemsPerRequestOption, description: 'How many variants go into one request' },
		maxRetryWaitOption,
		requestsPerSecondOption,
	]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['balance'], operation: ['setLowStock'] } },
	properties,
);

/** Inventory API V3: sets (or removes) each variant's custom low-stock level; a level sets a state, so it is safe to send again. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await runWrites(this, {
		needs: { locations: true },
		itemReader: lowStockReader,
		plan: (api, planned, options) => api.lowStockWrites(planned, options),
	});
}
