// The subscription behind an active Zettle Trigger, through Zettle's Pusher API
// (https://pusher.izettle.com/organizations/self/subscriptions; docs/reference/zettle-pusher.md §2).
// Kept in the node's static data: the subscription's UUID and signing key, and what it was made for.

import type { IDataObject, IHookFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { V3InventoryApi } from '../ZettleInventory/api/v3';
import { uuidV1 } from '../ZettleInventory/helpers/uuid';
import { causeOf, toNodeApiError, ZettleClient } from '../ZettleInventory/transport';

const PATH = '/organizations/self/subscriptions';

/** A subscription as the Pusher API returns it (§2.1). */
export interface Subscription {
	uuid: string;
	transportName?: string;
	eventNames?: string[];
	destination?: string;
	contactEmail?: string;
	status?: string;
	signingKey?: string;
}

/** What the trigger keeps between activation, deliveries and deactivation (n8n stores it with the workflow). */
export interface TriggerData extends IDataObject {
	subscriptionUuid?: string;
	signingKey?: string;
	destination?: string;
	events?: string[];
	/** location (inventory) UUID → type, to keep STORE rows and name each row's type */
	locations?: Record<string, string>;
	/** message IDs seen lately, oldest first: at-least-once deliveries start one execution */
	seen?: string[];
	/** events dropped because this credential made the change, since activation */
	droppedEchoes?: number;
}

const sameSet = (a: string[] = [], b: string[] = []) =>
	a.length === b.length && a.every((e) => b.includes(e));

/** The organization's subscriptions (§2.2); an answer that is not a list counts as none. */
async function subscriptionsOf(client: ZettleClient): Promise<Subscription[]> {
	const list = await client.read<unknown>({ service: 'pusher', method: 'GET', path: PATH });
	return Array.isArray(list) ? (list as Subscription[]) : [];
}

/**
 * Whether our subscription still exists for this URL and these events. Zettle deletes a
 * subscription whose deliveries keep failing (§8): then n8n calls `create` again. The signing key
 * is refreshed from the list, which returns it.
 */
export async function subscriptionExists(this: IHookFunctions): Promise<boolean> {
	const data = this.getWorkflowStaticData('node') as TriggerData;
	if (!data.subscriptionUuid) return false;
	const client = await ZettleClient.connect(this);
	const ours = (await subscriptionsOf(client)).find((s) => s?.uuid === data.subscriptionUuid);
	const wanted = {
		destination: this.getNodeWebhookUrl('default'),
		events: this.getNodeParameter('events', []) as string[],
	};
	if (!ours || ours.destination !== wanted.destination || !sameSet(ours.eventNames, wanted.events))
		return false;
	if (ours.signingKey) data.signingKey = ours.signingKey;
	return true;
}

/** Creates the subscription (a new v1 UUID, transport WEBHOOK) and keeps its UUID and signing key. Throws to fail activation. */
export async function createSubscription(this: IHookFunctions): Promise<boolean> {
	const data = this.getWorkflowStaticData('node') as TriggerData;
	// the parameters are checked before anything is sent
	const events = this.getNodeParameter('events', []) as string[];
	if (!events.length)
		throw new NodeOperationError(this.getNode(), 'Choose at least one event to listen to.');
	const contactEmail = String(this.getNodeParameter('contactEmail', '')).trim();
	if (!/^[^\s@]+@[^\s@]+$/.test(contactEmail))
		throw new NodeOperationError(
			this.getNode(),
			`Contact Email "${contactEmail}" is not an e-mail address. Zettle mails delivery failures there.`,
		);
	const client = await ZettleClient.connect(this);
	const destination = this.getNodeWebhookUrl('default')!;
	// an earlier subscription of this node (another URL or other events), or one to this URL whose key was lost
	// (a re-imported workflow), is replaced: it would keep delivering with a key that no longer verifies
	const stale = (await subscriptionsOf(client))
		.filter((s) => s?.uuid === data.subscriptionUuid || s?.destination === destination)
		.map((s) => s.uuid);
	if (data.subscriptionUuid && !stale.includes(data.subscriptionUuid))
		stale.push(data.subscriptionUuid);
	for (const uuid of stale) await removeSubscription.call(this, client, uuid);
	const uuid = uuidV1();
	const body = { uuid, transportName: 'WEBHOOK', eventNames: events, destination, contactEmail };
	const outcome = await client.send({ service: 'pusher', method: 'POST', path: PATH, body });
	if (outcome.status !== 'done') {
		throw toNodeApiError(this, outcome.error, {
			message: `Zettle did not create the webhook subscription: ${outcome.reason}`,
			description: `Zettle sends a test message to ${destination} while it creates the subscription; it must be reachable from the internet over HTTPS (e.g. WEBHOOK_URL set to a tunnel in development).`,
		});
	}
	const created = outcome.body as Subscription;
	if (typeof created?.signingKey !== 'string')
		throw new NodeOperationError(
			this.getNode(),
			"Zettle's answer to the new subscription has no signing key; deliveries could not be verified.",
		);
	// the inventories, to keep STORE rows and name each row's location type (V3, Zettle's current API)
	const locations = await new V3InventoryApi(client).locations();
	Object.assign(data, {
		subscriptionUuid: uuid,
		signingKey: created.signingKey,
		destination,
		events,
		locations: Object.fromEntries(locations.map((l) => [l.uuid, l.type])),
		seen: [],
		droppedEchoes: 0,
	});
	return true;
}

/** Deletes the subscription on deactivation; one already gone counts as deleted. */
export async function deleteSubscription(this: IHookFunctions): Promise<boolean> {
	const data = this.getWorkflowStaticData('node') as TriggerData;
	if (data.subscriptionUuid) {
		const client = await ZettleClient.connect(this);
		await removeSubscription.call(this, client, data.subscriptionUuid);
	}
	for (const key of [
		'subscriptionUuid',
		'signingKey',
		'destination',
		'events',
		'locations',
		'seen',
		'droppedEchoes',
	])
		delete data[key];
	return true;
}

/**
 * DELETE …/subscriptions/{uuid}, and the `/subscriptions/uuid/{uuid}` form that Zettle's own example
 * and two production clients use (§2.4) when the first is not found. Not found at all: already gone
 * (Zettle deletes failing subscriptions itself). Other failures are logged: deactivation goes on.
 */
async function removeSubscription(
	this: IHookFunctions,
	client: ZettleClient,
	uuid: string,
): Promise<void> {
	for (const path of [`${PATH}/${uuid}`, `${PATH}/uuid/${uuid}`]) {
		const outcome = await client.send(
			{ service: 'pusher', method: 'DELETE', path },
			{ repeatable: true },
		);
		if (outcome.status === 'done') return;
		const status = causeOf(outcome.error).status;
		if (status === 404 || status === 405) continue;
		this.logger.warn(
			`Zettle Trigger: the webhook subscription ${uuid} could not be deleted (${outcome.reason}); delete it in Zettle if it keeps delivering`,
		);
		return;
	}
	this.logger.info(`Zettle Trigger: the webhook subscription ${uuid} was already gone`);
}
