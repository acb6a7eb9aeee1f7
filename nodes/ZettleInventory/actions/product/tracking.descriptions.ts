import type { INodeProperties } from 'n8n-workflow';

import {
	dryRunOption,
	externalUuidOption,
	identifyFields,
	itemsPerRequestOption,
	maxRetryWaitOption,
	optionsCollection,
	requestsPerSecondOption,
} from '../common.descriptions';

/** Start and Stop Tracking: the product of each item, many products per request (legacy Stop Tracking: one). */
export const trackingProperties: INodeProperties[] = [
	...identifyFields('product'),
	optionsCollection([
		dryRunOption,
		externalUuidOption,
		{
			...itemsPerRequestOption,
			displayName: 'Products per Request',
			description:
				'How many products go into one request (legacy API Stop Tracking: always one, Zettle’s request names one product)',
		},
		maxRetryWaitOption,
		requestsPerSecondOption,
	]),
];
