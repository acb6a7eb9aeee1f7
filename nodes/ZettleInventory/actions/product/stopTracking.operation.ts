import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { changeTracking, trackingProperties } from './tracking';

export const description = updateDisplayOptions({ show: { resource: ['product'], operation: ['stopTracking'] } }, trackingProperties);

/** STOP_TRACKING: Zettle keeps the balances but no longer returns or changes them. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await changeTracking.call(this, 'STOP_TRACKING');
}
