import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import * as balance from './balance/Balance.resource';

const operations: Record<string, Record<string, (this: IExecuteFunctions) => Promise<INodeExecutionData[]>>> = {
	balance: { updateBalance: balance.updateBalance.execute, bulkUpdate: balance.bulkUpdate.execute },
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
