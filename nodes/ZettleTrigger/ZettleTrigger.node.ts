import type {
	IHookFunctions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import {
	authenticationProperty,
	zettleCredentials,
} from '../ZettleInventory/actions/common.descriptions';
import { createSubscription, deleteSubscription, subscriptionExists } from './subscriptions';
import { receiveDelivery } from './webhook';

/**
 * Starts a workflow when stock, tracking or products change in Zettle: a sale at the till, a
 * delivery booked in the back office, another integration's write. Webhook-based (Zettle's Pusher
 * API); changes made with this node's own credential are dropped by default, so that a workflow that
 * writes stock to Zettle and one that reads Zettle's changes do not feed each other.
 */
export class ZettleTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Zettle Trigger',
		name: 'zettleTrigger',
		icon: { light: 'file:zettle.svg', dark: 'file:zettle.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["events"].join(", ")}}',
		description:
			'Starts the workflow when stock, tracking or products change in PayPal Zettle (a till sale, a delivery, another integration)',
		defaults: { name: 'Zettle Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: zettleCredentials,
		webhooks: [
			{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' },
		],
		properties: [
			authenticationProperty,
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				options: [
					{
						name: 'Inventory Balance Changed',
						value: 'InventoryBalanceChanged',
						description:
							'Stock of a variant changed: a sale at the till, or a movement through the API',
					},
					{
						name: 'Inventory Tracking Started',
						value: 'InventoryTrackingStarted',
						description: 'Zettle started keeping the stock of a product',
					},
					{
						name: 'Inventory Tracking Stopped',
						value: 'InventoryTrackingStopped',
						description: 'Zettle stopped keeping the stock of a product',
					},
					{
						name: 'Product Created',
						value: 'ProductCreated',
						description: 'A product was added to the product library',
					},
					{
						name: 'Product Deleted',
						value: 'ProductDeleted',
						description: 'A product was deleted from the product library',
					},
					{
						name: 'Product Updated',
						value: 'ProductUpdated',
						description: 'A product of the library changed (old and new versions)',
					},
					{
						name: 'Purchase Created',
						value: 'PurchaseCreated',
						description:
							'A purchase was completed. Needs the READ:PURCHASE scope, which an API key made with the link in the credential does not have.',
					},
				],
				default: ['InventoryBalanceChanged'],
				description: 'The Zettle events that start the workflow',
			},
			{
				displayName: 'Contact Email',
				name: 'contactEmail',
				type: 'string',
				placeholder: 'name@email.com',
				required: true,
				default: '',
				description:
					'Where Zettle mails when deliveries to this workflow keep failing (it deletes the subscription after about three days)',
			},
			{
				displayName: 'Ignore Changes Made by This Credential',
				name: 'ignoreOwnChanges',
				type: 'boolean',
				default: true,
				description:
					"Whether to drop events whose change was made with this node's credential (the same API client). On, a workflow that writes stock to Zettle does not get its own writes back as changes to apply a second time.",
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'All Locations',
						name: 'allLocations',
						type: 'boolean',
						default: false,
						description:
							'Whether to output balance changes in every location (SOLD, BIN …), not only in STORE',
					},
					{
						displayName: 'Include SKU and Barcode',
						name: 'includeSkuAndBarcode',
						type: 'boolean',
						default: false,
						description:
							'Whether to add the variant’s SKU and barcode from the product library (one read per product in the event)',
					},
				],
			},
		],
	};

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return await subscriptionExists.call(this);
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return await createSubscription.call(this);
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return await deleteSubscription.call(this);
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await receiveDelivery.call(this);
	}
}
