import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { chunk } from '../../helpers/movements';
import { movementFields, movementOptions } from './common.descriptions';
import { runMovements } from './movements';

const properties: INodeProperties[] = [...movementFields(true), movementOptions];

export const description = updateDisplayOptions({ show: { resource: ['balance'], operation: ['updateBalance'] } }, properties);

/** PUT /organizations/self/inventory: each item is one entry of `changes[]`. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await runMovements.call(this, {
		withTracking: false,
		method: 'PUT',
		path: '/organizations/self/inventory',
		chunk: (planned, size) =>
			chunk(planned, size).map((items) => ({ items, body: { changes: items.map((p) => ({ ...p.movement })) } })),
	});
}
