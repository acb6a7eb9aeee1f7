// One delivery from Zettle's Pusher API: verified, deduplicated, turned into items, echoes dropped.
// The answer goes out at once (Zettle waits at most 10 s), and nothing here throws: n8n would answer
// 500 and record a failed execution.

import type {
	IDataObject,
	INodeExecutionData,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { clientIdFromApiKey } from '../ZettleInventory/transport/hosts';
import { credentialType, ZettleClient } from '../ZettleInventory/transport';
import {
	balanceChanges,
	ChangedBy,
	changedByOf,
	Envelope,
	firstDelivery,
	parseEnvelope,
	payloadOf,
	signatureMatches,
} from './deliveries';
import type { TriggerData } from './subscriptions';

/** Message IDs remembered for deduplication (Zettle retries for about three days; this covers a busy shop's recent ones). */
const SEEN_MAX = 1000;

export async function receiveDelivery(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const request = this.getRequestObject();
	const raw = request.rawBody
		? request.rawBody.toString('utf8')
		: JSON.stringify(request.body ?? null);
	const parsed = parseEnvelope(raw);
	if ('error' in parsed) return refuse(this, 400, `Not a Zettle delivery: ${parsed.error}`);
	const envelope = parsed.value;
	// sent while the subscription is being created, before its signing key is known: acknowledged, no execution
	if (envelope.eventName === 'TestMessage') return { webhookResponse: { received: 'TestMessage' } };
	const data = this.getWorkflowStaticData('node') as TriggerData;
	const signature = this.getHeaderData()['x-izettle-signature'];
	if (
		!signatureMatches(
			envelope,
			typeof signature === 'string' ? signature : undefined,
			data.signingKey ?? '',
		)
	) {
		return refuse(this, 401, 'Missing or wrong X-iZettle-Signature');
	}
	data.seen ??= [];
	if (!firstDelivery(data.seen, envelope.messageId, SEEN_MAX))
		return { webhookResponse: { received: 'duplicate', messageId: envelope.messageId } };
	const events = this.getNodeParameter('events', []) as string[];
	const payload = payloadOf(envelope);
	if (!events.includes(envelope.eventName) || !payload) {
		this.logger.warn(
			`Zettle Trigger: delivery ${envelope.messageId} (${envelope.eventName}) ${payload ? 'is not an event this node listens to' : 'has no readable payload'}; acknowledged, not run`,
		);
		return { webhookResponse: { received: envelope.eventName } };
	}
	const items = await itemsOf.call(this, envelope, payload, data);
	return items.length
		? { workflowData: [items] }
		: { webhookResponse: { received: envelope.eventName, items: 0 } };
}

/** Answers with a 4xx itself, so that n8n starts no execution. */
function refuse(context: IWebhookFunctions, status: number, message: string): IWebhookResponseData {
	context.getResponseObject().status(status).json({ message }).end();
	return { noWebhookResponse: true };
}

/** The items of one event, with the changes this credential made itself dropped when asked. */
async function itemsOf(
	this: IWebhookFunctions,
	envelope: Envelope,
	payload: Record<string, unknown>,
	data: TriggerData,
): Promise<INodeExecutionData[]> {
	const base: IDataObject = {
		eventName: envelope.eventName,
		messageId: envelope.messageId,
		timestamp: envelope.timestamp ?? null,
		organizationUuid: envelope.organizationUuid ?? null,
	};
	const changedBy = changedByOf(payload);
	const echo = await echoCheck.call(this, changedBy);
	if (echo.drop) {
		data.droppedEchoes = (data.droppedEchoes ?? 0) + 1;
		this.logger.info(
			`Zettle Trigger: dropped ${envelope.eventName} ${envelope.messageId}: made by this credential (client ${changedBy?.clientUuid}); ${data.droppedEchoes} dropped since activation`,
		);
		return [];
	}
	const who: IDataObject = changedBy ? { changedBy: { ...changedBy }, keptBecause: echo.why } : {};
	if (envelope.eventName === 'InventoryBalanceChanged')
		return await balanceItems.call(this, base, payload, data, who);
	if (envelope.eventName.startsWith('InventoryTracking'))
		return [{ json: { ...base, productUuid: payload.productUuid ?? null, ...who } }];
	// product and purchase events: the payload as Zettle sends it, parsed
	return [{ json: { ...base, ...(payload as IDataObject), ...who } }];
}

/** Whether an event is an echo of this credential's own writes (Ignore Changes Made by This Credential), and why it is kept if not. */
async function echoCheck(
	this: IWebhookFunctions,
	changedBy: ChangedBy | undefined,
): Promise<{ drop: boolean; why: string }> {
	if (!this.getNodeParameter('ignoreOwnChanges', true))
		return { drop: false, why: 'Ignore Changes Made by This Credential is off' };
	const own = await ownClientId.call(this);
	if (!changedBy?.clientUuid) return { drop: false, why: 'the event names no API client' };
	if (own && changedBy.clientUuid === own) return { drop: true, why: '' };
	return {
		drop: false,
		why: `made by another client (${changedBy.clientUuid}), not by this credential${own ? ` (${own})` : ''}`,
	};
}

/** The OAuth client ID of the node's credential: the API key's (or the Client ID given), or the OAuth2 app's. */
async function ownClientId(this: IWebhookFunctions): Promise<string | undefined> {
	const type = credentialType(this);
	const credentials = await this.getCredentials(type);
	const given = String(credentials.clientId ?? '').trim();
	const id =
		given ||
		(type === 'zettleApi' ? clientIdFromApiKey(String(credentials.apiKey ?? '')) : undefined);
	return id?.toLowerCase();
}

/** InventoryBalanceChanged: one item per changed variant and location (STORE unless All Locations is on). */
async function balanceItems(
	this: IWebhookFunctions,
	base: IDataObject,
	payload: Record<string, unknown>,
	data: TriggerData,
	who: IDataObject,
): Promise<INodeExecutionData[]> {
	const allLocations = this.getNodeParameter('options.allLocations', false) as boolean;
	const typeOf = (uuid: string) => data.locations?.[uuid] ?? null;
	const changes = balanceChanges(payload).filter(
		(c) => allLocations || typeOf(c.locationUuid) === 'STORE',
	);
	const refs = (this.getNodeParameter('options.includeSkuAndBarcode', false) as boolean)
		? await skusOf.call(this, [...new Set(changes.map((c) => c.productUuid))])
		: undefined;
	return changes.map((c) => {
		const json: IDataObject = {
			...base,
			productUuid: c.productUuid,
			variantUuid: c.variantUuid,
			locationUuid: c.locationUuid,
			locationType: typeOf(c.locationUuid),
			before: c.before,
			after: c.after,
			delta: c.delta,
			created: c.created,
		};
		if (refs)
			Object.assign(json, {
				sku: refs.get(c.variantUuid)?.sku ?? null,
				barcode: refs.get(c.variantUuid)?.barcode ?? null,
			});
		Object.assign(json, {
			externalUuid: typeof payload.externalUuid === 'string' ? payload.externalUuid : null,
			...who,
		});
		return { json };
	});
}

/** SKU and barcode of the variants of these products, one Product Library read per product; none on failure (logged). */
async function skusOf(
	this: IWebhookFunctions,
	products: string[],
): Promise<Map<string, { sku: string | null; barcode: string | null }>> {
	const refs = new Map<string, { sku: string | null; barcode: string | null }>();
	try {
		const client = await ZettleClient.connect(this, { maxRetryWait: 2 });
		for (const productUuid of products) {
			const outcome = await client.send(
				{ service: 'products', method: 'GET', path: `/organizations/self/products/${productUuid}` },
				{ repeatable: false },
			);
			if (outcome.status !== 'done') continue;
			const variants =
				(
					outcome.body as {
						variants?: Array<{ uuid?: string; sku?: string | null; barcode?: string | null }>;
					}
				)?.variants ?? [];
			for (const v of variants)
				if (v?.uuid)
					refs.set(v.uuid.toLowerCase(), { sku: v.sku ?? null, barcode: v.barcode ?? null });
		}
	} catch (error) {
		this.logger.warn(
			`Zettle Trigger: SKU and barcode could not be read (${(error as Error).message}); the items go out without them`,
		);
	}
	return refs;
}
