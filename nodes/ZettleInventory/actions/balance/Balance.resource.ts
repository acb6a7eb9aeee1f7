import type { INodeProperties } from 'n8n-workflow';

import * as bulkUpdate from './bulkUpdate.operation';
import * as getAll from './getAll.operation';
import * as getLowStock from './getLowStock.operation';
import * as setLowStock from './setLowStock.operation';
import * as setStockLevel from './setStockLevel.operation';
import * as updateBalance from './updateBalance.operation';

export { bulkUpdate, getAll, getLowStock, setLowStock, setStockLevel, updateBalance };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['balance'] } },
		options: [
			{
				name: 'Bulk Update',
				value: 'bulkUpdate',
				description:
					'Start or stop tracking products and move their stock, many products per request',
				action: 'Bulk update balances',
			},
			{
				name: 'Get Low-Stock Levels',
				value: 'getLowStock',
				description:
					'Get the variants with a custom low-stock level in a STORE inventory (Inventory API V3)',
				action: 'Get low stock levels',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'Get the balances of a location, or of products: one item per variant',
				action: 'Get many balances',
			},
			{
				name: 'Set Low-Stock Level',
				value: 'setLowStock',
				description: 'Set or remove the low-stock level of variants (Inventory API V3)',
				action: 'Set low stock levels',
			},
			{
				name: 'Set Stock Level',
				value: 'setStockLevel',
				description:
					'Bring variants to a target STORE stock: reads the balances, moves only the difference',
				action: 'Set stock levels',
			},
			{
				name: 'Update Balance',
				value: 'updateBalance',
				description: 'Move stock of variants between locations, many items per request',
				action: 'Update balances',
			},
		],
		default: 'updateBalance',
	},
	...updateBalance.description,
	...bulkUpdate.description,
	...getAll.description,
	...getLowStock.description,
	...setLowStock.description,
	...setStockLevel.description,
];
