import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { chunk } from '../../helpers/movements';
import { movementFields, movementOptions } from './common.descriptions';
import { PlannedItem, runMovements } from './movements';

const properties: INodeProperties[] = [...movementFields(true), movementOptions];

export const description = updateDisplayOptions({ show: { resource: ['balance'], operation: ['updateBalance'] } }, properties);

/** PUT requests of at most `size` movements, each one entry of `changes[]`. */
export function changesChunks(planned: PlannedItem[], size: number) {
	return chunk(planned, size).map((items) => ({ items, body: { changes: items.map((p) => ({ ...p.movement })) } }));
}

/** PUT /organizations/self/inventory: each item is one entry of `changes[]`. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await runMovements.call(this, {
		withTracking: false,
		method: 'PUT',
		path: '/organizations/self/inventory',
		chunk: changesChunks,
	});
}
