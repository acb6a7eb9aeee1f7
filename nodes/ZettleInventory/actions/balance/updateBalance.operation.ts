import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { movementReader } from '../../engine/itemReaders';
import { runWrites } from '../../engine/writes';
import { movementFields, movementOptions } from '../common.descriptions';

const properties: INodeProperties[] = [...movementFields(true), movementOptions];

export const description = updateDisplayOptions(
	{ show: { resource: ['balance'], operation: ['updateBalance'] } },
	properties,
);

/** Each item is one movement; many movements go out per request (legacy: PUT /organizations/self/inventory). */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await runWrites(this, {
		needs: { locations: true },
		itemReader: movementReader,
		plan: (api, planned, options) => api.movementWrites(planned, options),
	});
}
