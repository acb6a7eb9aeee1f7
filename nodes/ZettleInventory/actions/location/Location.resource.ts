import type { INodeProperties } from 'n8n-workflow';

import * as getAll from './getAll.operation';

export { getAll };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['location'] } },
		options: [
			{
				name: 'Get Many',
				value: 'getAll',
				description: "Get the organization's locations: STORE, SUPPLIER, SOLD and BIN",
				action: 'Get many locations',
			},
		],
		default: 'getAll',
	},
	...getAll.description,
];
