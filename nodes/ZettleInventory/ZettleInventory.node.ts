import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as balance from './actions/balance/Balance.resource';
import * as location from './actions/location/Location.resource';
import * as product from './actions/product/Product.resource';
import {
	authenticationProperty,
	inventoryApiProperties,
	zettleCredentials,
} from './actions/common.descriptions';
import { router } from './actions/router';
import { searchLocations } from './methods/listSearch';

export class ZettleInventory implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Zettle Inventory',
		name: 'zettleInventory',
		icon: { light: 'file:zettle.svg', dark: 'file:zettle.dark.svg' },
		group: ['transform'],
		// 2: new nodes use Zettle's Inventory API V3; nodes saved as version 1 keep the legacy API
		version: [1, 2],
		defaultVersion: 2,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			'Sync PayPal Zettle stock: set stock levels, move balances in bulk, read balances and locations, track products',
		defaults: { name: 'Zettle Inventory' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: zettleCredentials,
		properties: [
			authenticationProperty,
			...inventoryApiProperties,
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Balance', value: 'balance' },
					{ name: 'Location', value: 'location' },
					{ name: 'Product', value: 'product' },
				],
				default: 'balance',
			},
			...balance.description,
			...location.description,
			...product.description,
		],
	};

	methods = { listSearch: { searchLocations } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
