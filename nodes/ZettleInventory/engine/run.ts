// What every operation starts from, read once per execution: the items, the options, the Zettle
// client and API, the organization's locations and (for SKU and barcode) the product library.

import type { IExecuteFunctions, ILoadOptionsFunctions, INodeExecutionData } from 'n8n-workflow';

import { readLibrary } from '../api/library';
import { LegacyInventoryApi } from '../api/legacy';
import { V3InventoryApi } from '../api/v3';
import type { InventoryApi } from '../api/types';
import { IdentifyBy, Identity, LibraryIndex, readIdentity } from '../helpers/libraryIndex';
import type { Result } from '../helpers/result';
import type { ZettleLocation } from '../helpers/types';
import { resolveLocation } from '../helpers/validation';
import { ZettleClient } from '../transport';
import { ItemParameter, itemParameters } from './itemParameters';
import { readOptions, RunOptions } from './options';

export interface Run {
	context: IExecuteFunctions;
	items: INodeExecutionData[];
	options: RunOptions;
	client: ZettleClient;
	api: InventoryApi;
	identifyBy: IdentifyBy;
	/** the organization's locations (empty when the operation names none) */
	locations: ZettleLocation[];
	/** the product library, when items name variants by SKU or barcode (or the operation asks for it) */
	library?: LibraryIndex;
	continueOnFail: boolean;
	/** a per-item parameter, read without the expression engine where that gives the same value */
	parameter: ItemParameter;
}

export interface RunNeeds {
	/** whether the items or options name locations: they resolve against the organization's list */
	locations: boolean;
	/** how items name products and variants (default: the node's Identify By) */
	identifyBy?: IdentifyBy;
	/** whether to read the product library even when items use UUIDs (product details, zero balances) */
	library?: (options: RunOptions) => boolean;
}

export async function startRun(context: IExecuteFunctions, needs: RunNeeds): Promise<Run> {
	const items = context.getInputData();
	const options = readOptions(context);
	const identifyBy =
		needs.identifyBy ?? (context.getNodeParameter('identifyBy', 0, 'uuid') as IdentifyBy);
	const client = await ZettleClient.connect(context, options);
	const api = inventoryApiOf(context, client);
	const locations = needs.locations ? await api.locations() : [];
	const library =
		identifyBy !== 'uuid' || needs.library?.(options)
			? new LibraryIndex(await readLibrary(client))
			: undefined;
	return {
		context,
		items,
		options,
		client,
		api,
		identifyBy,
		locations,
		library,
		continueOnFail: context.continueOnFail(),
		parameter: itemParameters(context, items),
	};
}

/** The Zettle Inventory API the node is set to (V3 for new nodes, legacy for nodes saved as version 1). */
export function inventoryApiOf(
	context: IExecuteFunctions | ILoadOptionsFunctions,
	client: ZettleClient,
): InventoryApi {
	const version = context.getNode().typeVersion;
	const which = context.getNodeParameter(
		'inventoryApi',
		0,
		version >= 2 ? 'v3' : 'legacy',
	) as string;
	return which === 'v3' ? new V3InventoryApi(client) : new LegacyInventoryApi(client);
}

/** A location named by an item or option, resolved against the organization's list. */
export const locationOf = (run: Run, value: unknown, field: string): Result<string> =>
	resolveLocation(value, field, run.locations);

/** The product (and variant, when `needVariant`) an item names: by UUIDs, or by SKU or barcode in the library. */
export function identityOf(
	run: Run,
	item: number,
	needVariant: boolean,
): { value: Identity } | { errors: string[] } {
	const fields =
		run.identifyBy === 'uuid'
			? {
					productUuid: run.parameter('productUuid', item, ''),
					variantUuid: needVariant ? run.parameter('variantUuid', item, '') : undefined,
				}
			: { key: run.parameter(run.identifyBy, item, '') };
	return readIdentity(run.identifyBy, fields, needVariant, run.library);
}
