import type { INodeProperties } from 'n8n-workflow';

import * as startTracking from './startTracking.operation';
import * as stopTracking from './stopTracking.operation';

export { startTracking, stopTracking };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['product'] } },
		options: [
			{
				name: 'Start Tracking',
				value: 'startTracking',
				description:
					'Have Zettle keep stock balances of products (needed before their stock can move)',
				action: 'Start tracking products',
			},
			{
				name: 'Stop Tracking',
				value: 'stopTracking',
				description:
					'Stop keeping stock balances of products; Zettle keeps the last balances for a later restart',
				action: 'Stop tracking products',
			},
		],
		default: 'startTracking',
	},
	...startTracking.description,
	...stopTracking.description,
];
