// What Update Balance and Bulk Update share: read and check every item before anything is sent,
// pack the valid ones into chunks, send the chunks in order, and account for every item.

import { randomUUID } from 'crypto';
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import {
	checkMovement,
	describeItems,
	isUuid,
	Movement,
	MOVEMENT_PRESETS,
	readChange,
	readTrackingStatusChange,
	resolveLocation,
	TrackingStatusChange,
	ZettleLocation,
} from '../../helpers/movements';
import { Catalogue, IdentifyBy, readIdentity, VariantRef } from '../../helpers/catalogue';
import { itemParameters } from '../itemParameters';
import { ClientOptions, getLibrary, getLocations, Outcome, toNodeApiError, ZettleClient, ZettleRequest } from '../../transport';

export interface MovementOptions extends ClientOptions {
	dryRun?: boolean;
	externalUuid?: string;
	itemsPerRequest?: number;
	output?: 'balances' | 'raw';
	returnBalanceForLocation?: string;
}

/** One valid input item: a movement, and for Bulk Update the product's tracking change. */
export interface PlannedItem {
	item: number;
	productUuid: string;
	/** the library's record, when the item named its variant by SKU or barcode */
	ref?: VariantRef;
	movement?: Movement;
	tracking?: TrackingStatusChange;
}

/** One request to send and the items it carries. */
export interface Chunk {
	items: PlannedItem[];
	body: IDataObject;
	externalUuid: string;
}

interface Operation {
	/** Bulk Update: items may carry only a tracking change */
	withTracking: boolean;
	/** Start / Stop Tracking: every item is this tracking change of its product, and moves nothing */
	trackingOnly?: TrackingStatusChange;
	method: 'PUT' | 'POST';
	path: string;
	/** packs the valid items into requests; each body gets the externalUuid and return location after */
	chunk: (planned: PlannedItem[], size: number) => Array<{ items: PlannedItem[]; body: IDataObject }>;
}

type Field = { value: string } | { error: string };

export interface ItemError {
	item: number;
	message: string;
}

export async function runMovements(this: IExecuteFunctions, operation: Operation): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	if (!items.length) return [];
	const options = readOptions(this);
	const movement = operation.trackingOnly ? 'none' : (this.getNodeParameter('movement', 0, 'custom') as string);
	const preset = MOVEMENT_PRESETS[movement];
	const identifyBy = this.getNodeParameter('identifyBy', 0, 'uuid') as IdentifyBy;
	const client = await ZettleClient.connect(this, options);

	// 1. read every item, and the organization's locations once: names and types resolve against
	// them, and a UUID of no location is caught before anything is sent
	const parameter = itemParameters(this, items);
	const raw = items.map((_, i) => ({
		from: operation.trackingOnly ? undefined : preset ? preset.from : parameter('fromLocation', i, '', { extractValue: true }),
		to: operation.trackingOnly ? undefined : preset ? preset.to : parameter('toLocation', i, '', { extractValue: true }),
		productUuid: identifyBy === 'uuid' ? parameter('productUuid', i, '') : undefined,
		variantUuid: identifyBy === 'uuid' && !operation.trackingOnly ? parameter('variantUuid', i, '') : undefined,
		key: identifyBy === 'uuid' ? undefined : parameter(identifyBy, i, ''),
		change: operation.trackingOnly ? '' : parameter('change', i, ''),
		tracking: operation.trackingOnly ?? (operation.withTracking ? parameter('trackingStatusChange', i, 'START_TRACKING') : undefined),
	}));
	const returnLocation = options.returnBalanceForLocation?.trim() ? options.returnBalanceForLocation.trim() : undefined;
	// Start / Stop Tracking name no location: no read for them
	const locations = operation.trackingOnly ? [] : await getLocations(client);
	const location = (value: unknown, field: string): Field => resolveLocation(value, field, locations);
	const catalogue = identifyBy === 'uuid' ? undefined : new Catalogue(await getLibrary(client));

	// 2. check every item before anything is sent
	let returnLocationUuid: string | undefined;
	if (returnLocation) {
		const resolved = location(returnLocation, 'Return Balances For Location');
		if ('error' in resolved) throw new NodeOperationError(this.getNode(), resolved.error, { description: 'Fix the option; nothing was sent.' });
		returnLocationUuid = resolved.value;
	}
	const planned: PlannedItem[] = [];
	const invalid: ItemError[] = [];
	const trackingOf = new Map<string, { tracking: TrackingStatusChange; item: number }>();
	raw.forEach((r, item) => {
		const errors: string[] = [];
		let tracking: TrackingStatusChange | undefined;
		if (operation.withTracking) {
			const t = readTrackingStatusChange(r.tracking);
			if ('error' in t) errors.push(t.error);
			else tracking = t.value;
		}
		const trackingOnly = operation.withTracking && (r.change === '' || r.change === undefined || r.change === null);
		const identity = readIdentity(identifyBy, r, !trackingOnly, catalogue);
		if ('errors' in identity) errors.push(...identity.errors);
		let m: Movement | undefined;
		if (!trackingOnly) {
			const change = readChange(r.change);
			const from = location(r.from, 'fromLocationUuid');
			const to = location(r.to, 'toLocationUuid');
			for (const field of [change, from, to]) if ('error' in field) errors.push(field.error);
			if (!errors.length && 'value' in identity && 'value' in change && 'value' in from && 'value' in to) {
				const { productUuid, variantUuid } = identity.value;
				m = { productUuid, variantUuid: variantUuid!, fromLocationUuid: from.value, toLocationUuid: to.value, change: change.value };
				const problem = checkMovement(m);
				if (problem) errors.push(problem);
			}
		}
		if (!errors.length && tracking && 'value' in identity) {
			const productUuid = identity.value.productUuid;
			const earlier = trackingOf.get(productUuid);
			if (earlier && earlier.tracking !== tracking) {
				errors.push(
					`Tracking change ${tracking} conflicts with ${earlier.tracking} on item ${earlier.item} for the same product ${productUuid}. A product has one tracking change per run.`,
				);
			} else if (!earlier) trackingOf.set(productUuid, { tracking, item });
		}
		if (errors.length || !('value' in identity)) invalid.push({ item, message: errors.join(' ') });
		else planned.push({ item, productUuid: identity.value.productUuid, movement: m, tracking, ref: identity.value.ref });
	});

	const continueOnFail = this.continueOnFail();
	if (invalid.length && !continueOnFail) throw invalidInputError(this, invalid);

	// 3. send the chunks in order; after the first failure the rest are not attempted
	const chunks = planChunks(operation.chunk(planned, options.itemsPerRequest), options, returnLocationUuid);
	const request: ZettleRequest = { service: 'inventory', method: operation.method, path: operation.path };
	if (options.dryRun) return [...dryRunItems(client, request, chunks), ...invalidItems(this, invalid)];
	// a tracking change sets a state: sending it again after a 5xx does no harm
	const outcomes = await sendChunks(client, request, chunks, { repeatable: operation.trackingOnly !== undefined });

	// 4. account for every item: applied (balances), refused, unknown, not attempted, invalid
	const failedAt = outcomes.findIndex((o) => o.status !== 'done');
	if (failedAt >= 0 && !continueOnFail) throw failureError(this, chunks, outcomes, failedAt);

	const output: INodeExecutionData[] = [];
	chunks.forEach((chunk, c) => {
		const outcome = outcomes[c];
		if (outcome?.status === 'done') output.push(...appliedItems(chunk, outcome.body, options.output, locations));
		else output.push(...failedItems(this, chunk, outcome));
	});
	output.push(...invalidItems(this, invalid));
	return output;
}

/**
 * The node's options, checked before anything is sent: an option is the same for every item, so a
 * bad one is an error of the run (with Continue: of every item).
 */
export function readOptions<T extends MovementOptions>(context: IExecuteFunctions): T & { itemsPerRequest: number } {
	const options = context.getNodeParameter('options', 0, {}) as unknown as T;
	const fail = (message: string) => new NodeOperationError(context.getNode(), message, { description: 'Fix the option; nothing was sent.' });
	const itemsPerRequest = options.itemsPerRequest ?? 100;
	if (typeof itemsPerRequest !== 'number' || !Number.isInteger(itemsPerRequest) || itemsPerRequest < 1 || itemsPerRequest > 1000) {
		throw fail(`Items per Request ${JSON.stringify(itemsPerRequest) ?? String(itemsPerRequest)} is not a whole number from 1 to 1000.`);
	}
	const rate = options.requestsPerSecond;
	if (rate !== undefined && (typeof rate !== 'number' || !(rate > 0))) throw fail(`Max Requests per Second ${String(rate)} is not a number above 0.`);
	const wait = options.maxRetryWait;
	if (wait !== undefined && (typeof wait !== 'number' || !(wait >= 0))) throw fail(`Max Retry Wait ${String(wait)} is not a number of seconds, 0 or more.`);
	const externalUuid = options.externalUuid?.trim();
	if (externalUuid && !isUuid(externalUuid)) {
		throw fail(`External UUID "${externalUuid}" is not a UUID (e.g. 0f8b7a40-6a1e-11ec-90d6-0242ac120003). Leave it empty to get a new one per request.`);
	}
	return { ...options, itemsPerRequest };
}

/** Each packed body gets the return location (when asked for) and its externalUuid. */
export function planChunks(packed: Array<{ items: PlannedItem[]; body: IDataObject }>, options: MovementOptions, returnLocationUuid?: string): Chunk[] {
	return packed.map(({ items, body }) => {
		const externalUuid = options.externalUuid?.trim() || randomUUID();
		const full: IDataObject = { ...body };
		if (returnLocationUuid) full.returnBalanceForLocationUuid = returnLocationUuid;
		full.externalUuid = externalUuid;
		return { items, body: full, externalUuid };
	});
}

/** Sends the chunks in order and stops at the first that is not applied. */
export async function sendChunks(client: ZettleClient, request: ZettleRequest, chunks: Chunk[], { repeatable = false } = {}): Promise<Outcome[]> {
	const outcomes: Outcome[] = [];
	for (const chunk of chunks) {
		const outcome = await client.send({ ...request, body: chunk.body }, { repeatable });
		outcomes.push(outcome);
		if (outcome.status !== 'done') break;
	}
	return outcomes;
}

/** Dry run: one item per request that would be sent, exactly as it would go out (auth aside). */
export function dryRunItems(client: ZettleClient, request: ZettleRequest, chunks: Chunk[]): INodeExecutionData[] {
	return chunks.map((chunk, c) => ({
		json: {
			dryRun: true,
			request: c + 1,
			of: chunks.length,
			method: request.method,
			url: client.url(request),
			body: chunk.body,
			items: chunk.items.map((p) => p.item),
		},
		pairedItem: chunk.items.map((p) => ({ item: p.item })),
	}));
}

/** With "Continue": an item that failed its checks is an error item, sent nowhere. */
export function invalidItems(context: IExecuteFunctions, invalid: ItemError[], prefix = 'Invalid, not sent'): INodeExecutionData[] {
	return invalid.map(({ item, message }) => {
		const error = new NodeOperationError(context.getNode(), `${prefix}: ${message}`, { itemIndex: item });
		return { json: { error: error.message }, error, pairedItem: { item } };
	});
}

/** Without "Continue": the first invalid item is the error, the others are listed in its description. */
export function invalidInputError(context: IExecuteFunctions, invalid: ItemError[], nothing = 'Nothing was sent to Zettle.'): NodeOperationError {
	const [first, ...rest] = invalid;
	return new NodeOperationError(context.getNode(), `Item ${first.item}: ${first.message}`, {
		itemIndex: first.item,
		description: `${nothing}${rest.length ? ` Also invalid: ${rest.map((e) => `item ${e.item}: ${e.message}`).join(' | ')}` : ''} Set "On Error" to "Continue" to go on with the valid items and get the invalid ones as error items.`,
	});
}

function movementJson(p: PlannedItem): IDataObject {
	return p.movement ? { ...p.movement } : { productUuid: p.productUuid, trackingStatusChange: p.tracking };
}

/**
 * One output item per returned variant balance, linked to the input items that moved that variant,
 * then one item for every applied input item that no returned balance covers (a movement that did
 * not touch the returned location, a tracking-only change, an answer without balances): every
 * applied item is accounted for in the output.
 */
export function appliedItems(chunk: Chunk, response: unknown, output: MovementOptions['output'], locations?: ZettleLocation[]): INodeExecutionData[] {
	const pairedAll = chunk.items.map((p) => ({ item: p.item }));
	if (output === 'raw') {
		return [{ json: { externalUuid: chunk.externalUuid, request: chunk.body, response: (response ?? null) as IDataObject }, pairedItem: pairedAll }];
	}
	const body = (typeof response === 'object' && response !== null ? response : {}) as { locationUuid?: string; variants?: unknown };
	const variants = (Array.isArray(body.variants) ? body.variants : []).filter((v): v is IDataObject => typeof v === 'object' && v !== null);
	const byVariant = new Map<string, Array<{ item: number }>>();
	const byProduct = new Map<string, Array<{ item: number }>>();
	for (const p of chunk.items) {
		if (p.movement) byVariant.set(p.movement.variantUuid, [...(byVariant.get(p.movement.variantUuid) ?? []), { item: p.item }]);
		byProduct.set(p.productUuid, [...(byProduct.get(p.productUuid) ?? []), { item: p.item }]);
	}
	const covered = new Set<number>();
	const result: INodeExecutionData[] = variants.map((v) => {
		const locationUuid = (v.locationUuid as string | undefined) ?? body.locationUuid;
		const locationType = (v.locationType as string | undefined) ?? locations?.find((l) => l.uuid === locationUuid)?.type;
		const json: IDataObject = { locationUuid };
		if (locationType) json.locationType = locationType;
		Object.assign(json, {
			productUuid: v.productUuid,
			variantUuid: v.variantUuid,
			balance: Number(v.balance),
			externalUuid: chunk.externalUuid,
		});
		const ref = chunk.items.find((p) => p.ref && p.ref.variantUuid === v.variantUuid)?.ref;
		if (ref?.sku) json.sku = ref.sku;
		if (ref?.barcode) json.barcode = ref.barcode;
		// Zettle's documented bulk answer does not always echo the request: fall back to the product, then the chunk
		const paired = byVariant.get(String(v.variantUuid)) ?? byProduct.get(String(v.productUuid)) ?? pairedAll;
		for (const p of paired) covered.add(p.item);
		return { json, pairedItem: paired };
	});
	for (const p of chunk.items) {
		if (covered.has(p.item)) continue;
		const json: IDataObject = { ...movementJson(p), externalUuid: chunk.externalUuid };
		if (p.movement) {
			Object.assign(json, { applied: true, balance: null, note: 'Applied. Zettle returned no balance for this variant (see Return Balances For Location).' });
		}
		result.push({ json, pairedItem: { item: p.item } });
	}
	return result;
}

const OUTCOME_TEXT = {
	notApplied: 'Zettle did not apply it',
	unknown: 'it may or may not have been applied: check the balances in Zettle before sending it again (Zettle has no idempotency, a resend could apply it twice)',
	notAttempted: 'not sent, because an earlier request failed; safe to send again',
};

/**
 * Error items for a request that failed or was never sent. n8n keeps only an error item's message
 * (and routes it to the error output), so the message carries the outcome and the externalUuid.
 */
export function failedItems(context: IExecuteFunctions, chunk: Chunk, outcome: Outcome | undefined): INodeExecutionData[] {
	return chunk.items.map((p) => {
		const error =
			outcome && outcome.status !== 'done'
				? toNodeApiError(context, outcome.error, {
						itemIndex: p.item,
						message: `${outcome.status === 'unknown' ? 'Outcome unknown' : 'Not applied'} (externalUuid ${chunk.externalUuid}): ${outcome.reason}: ${OUTCOME_TEXT[outcome.status]}`,
					})
				: new NodeOperationError(context.getNode(), `Not attempted (externalUuid ${chunk.externalUuid}): ${OUTCOME_TEXT.notAttempted}`, { itemIndex: p.item });
		return { json: { error: error.message }, error, pairedItem: { item: p.item } };
	});
}

/** Without "Continue": one error that says exactly which items were applied, failed and not attempted. */
export function failureError(context: IExecuteFunctions, chunks: Chunk[], outcomes: Outcome[], failedAt: number) {
	const failed = outcomes[failedAt] as Exclude<Outcome, { status: 'done' }>;
	const itemsOf = (cs: Chunk[]) => cs.flatMap((c) => c.items.map((p) => p.item));
	const failedItemsList = itemsOf([chunks[failedAt]]);
	const applied = chunks.slice(0, failedAt);
	const later = chunks.slice(failedAt + 1);
	const lines: string[] = [];
	if (applied.length) {
		lines.push(`Applied: ${describeItems(itemsOf(applied))} (${applied.length} request(s), externalUuid ${applied.map((c) => c.externalUuid).join(', ')}).`);
	}
	lines.push(
		failed.status === 'unknown'
			? `Outcome unknown: ${describeItems(failedItemsList)} (externalUuid ${chunks[failedAt].externalUuid}): ${OUTCOME_TEXT.unknown}.`
			: `Not applied: ${describeItems(failedItemsList)} (externalUuid ${chunks[failedAt].externalUuid}).`,
	);
	if (later.length) lines.push(`Not attempted: ${describeItems(itemsOf(later))}: ${OUTCOME_TEXT.notAttempted}.`);
	const what = failed.status === 'unknown' ? 'Outcome unknown' : 'Refused';
	return toNodeApiError(context, failed.error, {
		message: `${what}: request ${failedAt + 1} of ${chunks.length} (${describeItems(failedItemsList)}): ${failed.reason}`,
		description: lines.join(' '),
		itemIndex: failedItemsList[0],
	});
}
