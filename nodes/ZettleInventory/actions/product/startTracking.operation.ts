import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { productReader } from '../../engine/itemReaders';
import { runWrites } from '../../engine/writes';
import { trackingProperties } from './tracking.descriptions';

export const description = updateDisplayOptions(
	{ show: { resource: ['product'], operation: ['startTracking'] } },
	trackingProperties,
);

/**
 * Zettle keeps the products' balances from now on (and restores balances kept from an earlier
 * tracking period). A tracking change sets a state, so it is safe to send again.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await runWrites(this, {
		needs: { locations: false },
		itemReader: productReader,
		plan: (api, planned, options) => api.trackingWrites(planned, 'START_TRACKING', options),
	});
}
