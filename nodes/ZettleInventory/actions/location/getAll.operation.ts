import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { startRun } from '../../engine/run';

const properties: INodeProperties[] = [];

export const description = updateDisplayOptions(
	{ show: { resource: ['location'], operation: ['getAll'] } },
	properties,
);

/**
 * The organization's locations, read once per execution (paced and retried like every read): one
 * output item per location (uuid, type, name, description, default) for each input item.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const run = await startRun(this, { locations: true, identifyBy: 'uuid' });
	return run.items.flatMap((_, item) =>
		run.locations.map((l) => ({
			json: {
				uuid: l.uuid,
				type: l.type,
				name: l.name,
				description: l.description ?? '',
				default: l.default ?? false,
			} as IDataObject,
			pairedItem: { item },
		})),
	);
}
