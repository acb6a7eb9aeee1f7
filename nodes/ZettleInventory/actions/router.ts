import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import * as balance from './balance/Balance.resource';
import * as location from './location/Location.resource';
import * as product from './product/Product.resource';

const operations: Record<
	string,
	Record<string, (this: IExecuteFunctions) => Promise<INodeExecutionData[]>>
> = {
	balance: {
		bulkUpdate: balance.bulkUpdate.execute,
		getAll: balance.getAll.execute,
		getLowStock: balance.getLowStock.execute,
		setLowStock: balance.setLowStock.execute,
		setStockLevel: balance.setStockLevel.execute,
		updateBalance: balance.updateBalance.execute,
	},
	location: { getAll: location.getAll.execute },
	product: {
		startTracking: product.startTracking.execute,
		stopTracking: product.stopTracking.execute,
	},
};

/**
 * Reads resource and operation once; every operation handles all input items together (without
 * input items there is nothing to do: nothing is read or sent). An
 * operation throws only before it has changed anything in Zettle (a bad option, a failed read);
 * after its first write it reports each item instead. So with "Continue", an error it throws is
 * every input item's error, on the error output.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const execute = operations[resource]?.[operation];
	if (!execute) {
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operation}" of "${resource}" is not supported`,
		);
	}
	if (!this.getInputData().length) return [[]];
	try {
		return [await execute.call(this)];
	} catch (error) {
		const failure =
			error instanceof NodeApiError || error instanceof NodeOperationError
				? error
				: new NodeOperationError(this.getNode(), error as Error);
		if (!this.continueOnFail()) throw failure;
		return [
			this.getInputData().map((_, item) => ({
				json: { error: failure.message },
				error: failure,
				pairedItem: { item },
			})),
		];
	}
}
