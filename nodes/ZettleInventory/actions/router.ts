import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import * as balance from './balance/Balance.resource';
import * as location from './location/Location.resource';
import * as product from './product/Product.resource';

const operations: Record<string, Record<string, (this: IExecuteFunctions) => Promise<INodeExecutionData[]>>> = {
	balance: {
		bulkUpdate: balance.bulkUpdate.execute,
		getAll: balance.getAll.execute,
		setStockLevel: balance.setStockLevel.execute,
		updateBalance: balance.updateBalance.execute,
	},
	location: { getAll: location.getAll.execute },
	product: { startTracking: product.startTracking.execute, stopTracking: product.stopTracking.execute },
};

/** Reads resource and operation once; every operation handles all input items together. */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const execute = operations[resource]?.[operation];
	if (!execute) {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" of "${resource}" is not supported`);
	}
	return [await execute.call(this)];
}
