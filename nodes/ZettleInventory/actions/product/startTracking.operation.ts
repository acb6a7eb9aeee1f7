import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { changeTracking, trackingProperties } from './tracking';

export const description = updateDisplayOptions({ show: { resource: ['product'], operation: ['startTracking'] } }, trackingProperties);

/** START_TRACKING: Zettle keeps the products' balances from now on (and restores balances kept from before). */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await changeTracking.call(this, 'START_TRACKING');
}
