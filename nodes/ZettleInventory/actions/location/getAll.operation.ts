import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { getLocations, ZettleClient } from '../../transport';

const properties: INodeProperties[] = [];

export const description = updateDisplayOptions({ show: { resource: ['location'], operation: ['getAll'] } }, properties);

/**
 * GET /organizations/self/locations, read once per execution (paced and retried like every read): one output item per location
 * (uuid, type, name, description, default) for each input item.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	if (!items.length) return [];
	const locations = await getLocations(await ZettleClient.connect(this));
	return items.flatMap((_, item) =>
		locations.map((l) => ({
			json: { uuid: l.uuid, type: l.type, name: l.name, description: l.description ?? '', default: l.default ?? false } as IDataObject,
			pairedItem: { item },
		})),
	);
}
