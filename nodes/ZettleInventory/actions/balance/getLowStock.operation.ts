import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { invalidInputError, invalidItems, ItemError } from '../../engine/output';
import { locationOf, startRun } from '../../engine/run';
import type { LowStockRow } from '../../api/types';
import {
	locationLocator,
	maxRetryWaitOption,
	optionsCollection,
	requestsPerSecondOption,
} from '../common.descriptions';

const properties: INodeProperties[] = [
	locationLocator(
		'Location',
		'location',
		'STORE',
		'The STORE inventory whose low-stock levels to read (STORE: the default one).',
	),
	optionsCollection([maxRetryWaitOption, requestsPerSecondOption]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['balance'], operation: ['getLowStock'] } },
	properties,
);

/**
 * Inventory API V3: the variants with a custom low-stock level (or alert) in a STORE inventory, one
 * output item each with its balance. Each distinct inventory is read once per execution.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const run = await startRun(this, { locations: true, identifyBy: 'uuid' });
	const invalid: ItemError[] = [];
	const asked: Array<{ item: number; locationUuid: string }> = [];
	run.items.forEach((_, item) => {
		const location = locationOf(
			run,
			run.parameter('location', item, '', { extractValue: true }),
			'Location',
		);
		if ('error' in location) invalid.push({ item, message: location.error });
		else asked.push({ item, locationUuid: location.value });
	});
	if (invalid.length && !run.continueOnFail)
		throw invalidInputError(this, invalid, 'Nothing was read.');
	const read = new Map<string, LowStockRow[]>();
	for (const uuid of new Set(asked.map((a) => a.locationUuid)))
		read.set(uuid, await run.api.lowStockLevels(run.locations.find((l) => l.uuid === uuid)!));
	const output = asked.flatMap(({ item, locationUuid }) =>
		(read.get(locationUuid) ?? []).map((row) => ({ json: { ...row }, pairedItem: { item } })),
	);
	return [...output, ...invalidItems(this, invalid, 'Not read')];
}
