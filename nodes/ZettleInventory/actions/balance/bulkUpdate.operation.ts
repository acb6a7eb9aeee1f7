import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { chunkGroups } from '../../helpers/movements';
import { movementFields, movementOptions } from './common.descriptions';
import { PlannedItem, runMovements } from './movements';

const properties: INodeProperties[] = [
	{
		displayName: 'Tracking Change',
		name: 'trackingStatusChange',
		type: 'options',
		options: [
			{ name: 'Start Tracking', value: 'START_TRACKING', description: 'Track the product’s stock from now on (as in Zettle’s example)' },
			{ name: 'No Change', value: 'NO_CHANGE', description: 'The product is tracked already' },
			{ name: 'Stop Tracking', value: 'STOP_TRACKING', description: 'Stop tracking the product’s stock' },
		],
		default: 'START_TRACKING',
		description: 'Tracking change of the item’s product. Use an expression to set it per item; all items of one product need the same value.',
	},
	...movementFields(false),
	movementOptions,
];

export const description = updateDisplayOptions({ show: { resource: ['balance'], operation: ['bulkUpdate'] } }, properties);

/** Items grouped by product into `productChanges[]`, each with its tracking change and `variantChanges[]`. */
export function productChanges(items: PlannedItem[]): IDataObject[] {
	const byProduct = new Map<string, IDataObject & { variantChanges: IDataObject[] }>();
	for (const p of items) {
		let change = byProduct.get(p.productUuid);
		if (!change) {
			change = { productUuid: p.productUuid, trackingStatusChange: p.tracking, variantChanges: [] };
			byProduct.set(p.productUuid, change);
		}
		if (p.movement) {
			const { variantUuid, fromLocationUuid, toLocationUuid, change: quantity } = p.movement;
			change.variantChanges.push({ variantUuid, fromLocationUuid, toLocationUuid, change: quantity });
		}
	}
	return [...byProduct.values()];
}

/** Bulk requests of at most `size` items, a product's items always in one request. */
export function bulkChunks(planned: PlannedItem[], size: number) {
	return chunkGroups(planned, (p) => p.productUuid, size).map((items) => ({ items, body: { productChanges: productChanges(items) } }));
}

/** POST /organizations/self/v2/inventory/bulk: tracking changes and movements of many products at once. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await runMovements.call(this, {
		withTracking: true,
		method: 'POST',
		path: '/organizations/self/v2/inventory/bulk',
		chunk: bulkChunks,
	});
}
