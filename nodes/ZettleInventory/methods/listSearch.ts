import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { inventoryApiOf } from '../engine/run';
import { ZettleClient } from '../transport';

/** The organization's locations (V3: inventories), shown with their type (STORE, SUPPLIER, SOLD, BIN). */
export async function searchLocations(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const locations = await inventoryApiOf(this, await ZettleClient.connect(this)).locations();
	const wanted = filter?.trim().toLowerCase();
	return {
		results: locations
			.filter((l) => !wanted || `${l.name} ${l.type}`.toLowerCase().includes(wanted))
			.map((l) => ({ name: l.name === l.type ? l.type : `${l.name} (${l.type})`, value: l.uuid })),
	};
}
