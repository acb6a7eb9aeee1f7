import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { productReader } from '../../engine/itemReaders';
import { runWrites } from '../../engine/writes';
import { trackingProperties } from './tracking.descriptions';

export const description = updateDisplayOptions(
	{ show: { resource: ['product'], operation: ['stopTracking'] } },
	trackingProperties,
);

/** Zettle keeps the balances but no longer changes them. A tracking change is safe to send again. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await runWrites(this, {
		needs: { locations: false },
		itemReader: productReader,
		plan: (api, planned, options) => api.trackingWrites(planned, 'STOP_TRACKING', options),
	});
}
