import type { INodeProperties } from 'n8n-workflow';

import * as bulkUpdate from './bulkUpdate.operation';
import * as updateBalance from './updateBalance.operation';

export { bulkUpdate, updateBalance };

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
				description: 'Start or stop tracking products and move their stock, many products per request',
				action: 'Bulk update balances',
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
];
