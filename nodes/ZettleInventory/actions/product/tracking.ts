import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { TrackingStatusChange } from '../../helpers/movements';
import { bulkChunks } from '../balance/bulkUpdate.operation';
import { dryRunOption, externalUuidOption, identifyFields, itemsPerRequestOption, maxRetryWaitOption, optionsCollection, requestsPerSecondOption } from '../balance/common.descriptions';
import { runMovements } from '../balance/movements';

/** Start and Stop Tracking: the product of each item, many products per bulk request. */
export const trackingProperties: INodeProperties[] = [
	...identifyFields('product'),
	optionsCollection([
		dryRunOption,
		externalUuidOption,
		{ ...itemsPerRequestOption, displayName: 'Products per Request', description: 'How many products go into one request' },
		maxRetryWaitOption,
		requestsPerSecondOption,
	]),
];

/**
 * POST /organizations/self/v2/inventory/bulk with tracking-only `productChanges[]`. A tracking change
 * sets a state, so sending it twice does no harm; items of the same product share one entry.
 */
export async function changeTracking(this: IExecuteFunctions, tracking: TrackingStatusChange): Promise<INodeExecutionData[]> {
	return await runMovements.call(this, {
		withTracking: true,
		trackingOnly: tracking,
		method: 'POST',
		path: '/organizations/self/v2/inventory/bulk',
		chunk: bulkChunks,
	});
}
