import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { bulkReader, conflictingTracking } from '../../engine/itemReaders';
import { runWrites } from '../../engine/writes';
import { movementFields, movementOptions } from '../common.descriptions';

const properties: INodeProperties[] = [
	{
		displayName: 'Tracking Change',
		name: 'trackingStatusChange',
		type: 'options',
		options: [
			{
				name: 'Start Tracking',
				value: 'START_TRACKING',
				description: 'Track the product’s stock from now on (as in Zettle’s example)',
			},
			{ name: 'No Change', value: 'NO_CHANGE', description: 'The product is tracked already' },
			{
				name: 'Stop Tracking',
				value: 'STOP_TRACKING',
				description:
					'Stop tracking the product’s stock, after its movements (legacy API: one request per product)',
			},
		],
		default: 'START_TRACKING',
		description:
			'Tracking change of the item’s product. Use an expression to set it per item; all items of one product need the same value.',
	},
	...movementFields(false),
	movementOptions,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['balance'], operation: ['bulkUpdate'] } },
	properties,
);

/**
 * Tracking changes and movements of many products at once (legacy: POST
 * /organizations/self/v2/inventory/bulk); an item without a change only changes its product's tracking.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await runWrites(this, {
		needs: { locations: true },
		itemReader: bulkReader,
		checkAll: conflictingTracking,
		plan: (api, planned, options) => api.bulkWrites(planned, options),
	});
}
