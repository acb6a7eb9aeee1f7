import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { Catalogue, IdentifyBy, Identity, readIdentity } from '../../helpers/catalogue';
import { LocationType, Movement, readStockLevel, ZettleLocation } from '../../helpers/movements';
import { getLibrary, getLocations, ZettleClient, ZettleRequest } from '../../transport';
import { itemParameters } from '../itemParameters';
import { readProductBalances } from './balances';
import { bulkChunks } from './bulkUpdate.operation';
import { changesChunks } from './updateBalance.operation';
import { dryRunOption, externalUuidOption, identifyFields, itemsPerRequestOption, maxRetryWaitOption, optionsCollection, requestsPerSecondOption } from './common.descriptions';
import {
	Chunk,
	dryRunItems,
	failedItems,
	failureError,
	invalidInputError,
	invalidItems,
	ItemError,
	MovementOptions,
	planChunks,
	PlannedItem,
	readOptions,
	sendChunks,
} from './movements';

const properties: INodeProperties[] = [
	...identifyFields('variant'),
	{
		displayName: 'Stock Level',
		name: 'stockLevel',
		// a string field: the default is an expression over the item, and CSV values arrive as text
		type: 'string',
		default: '={{ $json.quantity }}',
		placeholder: 'e.g. 25',
		required: true,
		description: "How many units the variant should have in STORE: a whole number, 0 or more. By default the item's \"quantity\" field.",
	},
	optionsCollection([
		{
			displayName: 'Decrease Movement',
			name: 'decreaseTo',
			type: 'options',
			options: [
				{ name: 'Discard (STORE → BIN)', value: 'BIN' },
				{ name: 'Sale (STORE → SOLD)', value: 'SOLD' },
				{ name: 'Return to Supplier (STORE → SUPPLIER)', value: 'SUPPLIER' },
			],
			default: 'BIN',
			description: 'Where stock goes when the target is below the current balance',
		},
		dryRunOption,
		externalUuidOption,
		{
			displayName: 'Increase Movement',
			name: 'increaseFrom',
			type: 'options',
			options: [
				{ name: 'Restock (SUPPLIER → STORE)', value: 'SUPPLIER' },
				{ name: 'Customer Return (SOLD → STORE)', value: 'SOLD' },
			],
			default: 'SUPPLIER',
			description: 'Where stock comes from when the target is above the current balance',
		},
		itemsPerRequestOption,
		maxRetryWaitOption,
		requestsPerSecondOption,
		{
			displayName: 'Start Tracking Untracked Products',
			name: 'startTracking',
			type: 'boolean',
			default: false,
			description: 'Whether to start tracking products that are not tracked yet (one bulk request for all of them), then read their balances and set them. Off: such items are errors.',
		},
	]),
];

export const description = updateDisplayOptions({ show: { resource: ['balance'], operation: ['setStockLevel'] } }, properties);

interface SetStockOptions extends MovementOptions {
	decreaseTo?: LocationType;
	increaseFrom?: LocationType;
	startTracking?: boolean;
}

interface Target {
	item: number;
	identity: Identity & { variantUuid: string };
	target: number;
	before?: number;
	movement?: Movement;
}

/**
 * Set Stock Level: read the STORE balances the items need (100 products a read), compute each delta,
 * and send only the non-zero ones as movements (PUT /organizations/self/inventory, returning the
 * STORE balances). The balance Zettle returns is compared with the target: a difference is drift,
 * stock that changed between the read and the write (a sale at the till, say).
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	if (!items.length) return [];
	const options = readOptions<SetStockOptions>(this);
	const identifyBy = this.getNodeParameter('identifyBy', 0, 'uuid') as IdentifyBy;
	const client = await ZettleClient.connect(this, options);
	const locations = await getLocations(client);
	const catalogue = identifyBy === 'uuid' ? undefined : new Catalogue(await getLibrary(client));
	const locationOf = (type: LocationType) => locations.find((l) => l.type === type) as ZettleLocation;
	const store = locationOf('STORE');
	const increaseFrom = locationOf(options.increaseFrom ?? 'SUPPLIER');
	const decreaseTo = locationOf(options.decreaseTo ?? 'BIN');

	// 1. check every item: a variant, a whole target ≥ 0, one target per variant
	const invalid: ItemError[] = [];
	const targets: Target[] = [];
	const seen = new Map<string, number>();
	const parameter = itemParameters(this, items);
	items.forEach((_, item) => {
		const fields =
			identifyBy === 'uuid'
				? { productUuid: parameter('productUuid', item, ''), variantUuid: parameter('variantUuid', item, '') }
				: { key: parameter(identifyBy, item, '') };
		const identity = readIdentity(identifyBy, fields, true, catalogue);
		const target = readStockLevel(parameter('stockLevel', item, ''));
		const errors = [...('errors' in identity ? identity.errors : []), ...('error' in target ? [target.error] : [])];
		if ('value' in identity && !errors.length) {
			const earlier = seen.get(identity.value.variantUuid!);
			if (earlier !== undefined) errors.push(`Variant ${identity.value.variantUuid} already has a target on item ${earlier}. Give each variant one target per run.`);
			else seen.set(identity.value.variantUuid!, item);
		}
		if (errors.length || !('value' in identity) || !('value' in target)) invalid.push({ item, message: errors.join(' ') });
		else targets.push({ item, identity: identity.value as Target['identity'], target: target.value });
	});
	const continueOnFail = this.continueOnFail();
	if (invalid.length && !continueOnFail) throw invalidInputError(this, invalid);

	// 2. current STORE balances; untracked products are started first when asked (a tracking change
	// is safe to repeat), because Zettle only shows their balances (possibly kept from before) once tracked
	const products = [...new Set(targets.map((t) => t.identity.productUuid))];
	let balances = await readProductBalances(client, 'STORE', products);
	const untracked = products.filter((p) => !balances.tracked.has(p));
	const output: INodeExecutionData[] = [];
	const trackingRequest: ZettleRequest = { service: 'inventory', method: 'POST', path: '/organizations/self/v2/inventory/bulk' };
	let trackingChunks: Chunk[] = [];
	if (untracked.length && options.startTracking) {
		const firstItem = new Map<string, number>();
		for (const t of targets) if (!firstItem.has(t.identity.productUuid)) firstItem.set(t.identity.productUuid, t.item);
		const planned: PlannedItem[] = untracked.map((productUuid) => ({ item: firstItem.get(productUuid)!, productUuid, tracking: 'START_TRACKING' }));
		trackingChunks = planChunks(bulkChunks(planned, options.itemsPerRequest), options);
		if (!options.dryRun) {
			const outcomes = await sendChunks(client, trackingRequest, trackingChunks, { repeatable: true });
			const failedAt = outcomes.findIndex((o) => o.status !== 'done');
			if (failedAt >= 0) {
				const error = failureError(this, trackingChunks, outcomes, failedAt);
				error.message = `Start tracking failed, so no stock was moved: ${error.message}`;
				throw error;
			}
			balances = await readProductBalances(client, 'STORE', products);
		}
	} else if (untracked.length) {
		const notTracked = new Set(untracked);
		for (const t of targets.filter((x) => notTracked.has(x.identity.productUuid))) {
			invalid.push({
				item: t.item,
				message: `Product ${t.identity.productUuid} is not tracked, so it has no stock level in Zettle. Turn on the option "Start Tracking Untracked Products", or run Product → Start Tracking first.`,
			});
		}
		if (!continueOnFail) throw invalidInputError(this, invalid);
	}
	const ready = targets.filter((t) => balances.tracked.has(t.identity.productUuid));
	if (options.startTracking && !options.dryRun) {
		// Zettle accepted the tracking change, yet the read does not show the product tracked: say so, drop nothing
		for (const t of targets.filter((x) => !balances.tracked.has(x.identity.productUuid))) {
			invalid.push({ item: t.item, message: `Product ${t.identity.productUuid} is still not tracked after Start Tracking was accepted. Nothing was moved for it; check it in Zettle and run again.` });
		}
		if (invalid.length && !continueOnFail) throw invalidInputError(this, invalid, 'Tracking was started for the untracked products; no stock was moved.');
	}

	// 3. deltas: up from the increase location, down into the decrease location; zero sends nothing
	for (const t of ready) {
		t.before = balances.rows.get(t.identity.variantUuid)?.balance ?? 0;
		const delta = t.target - t.before;
		if (delta === 0) continue;
		const [from, to] = delta > 0 ? [increaseFrom, store] : [store, decreaseTo];
		t.movement = {
			productUuid: t.identity.productUuid,
			variantUuid: t.identity.variantUuid,
			fromLocationUuid: from.uuid,
			toLocationUuid: to.uuid,
			change: Math.abs(delta),
		};
	}
	const moving = ready.filter((t) => t.movement);
	const planned: PlannedItem[] = moving.map((t) => ({ item: t.item, productUuid: t.identity.productUuid, movement: t.movement, ref: t.identity.ref }));
	const chunks = planChunks(changesChunks(planned, options.itemsPerRequest), options, store.uuid);
	const request: ZettleRequest = { service: 'inventory', method: 'PUT', path: '/organizations/self/inventory' };
	const result = (t: Target, extra: IDataObject): INodeExecutionData => ({
		json: {
			productUuid: t.identity.productUuid,
			variantUuid: t.identity.variantUuid,
			...(t.identity.ref?.sku ? { sku: t.identity.ref.sku } : {}),
			...(t.identity.ref?.barcode ? { barcode: t.identity.ref.barcode } : {}),
			locationUuid: store.uuid,
			before: t.before ?? null,
			target: t.target,
			moved: t.movement ? Math.sign(t.target - (t.before ?? 0)) * t.movement.change : 0,
			...extra,
		},
		pairedItem: { item: t.item },
	});

	if (options.dryRun) {
		const requestOf = new Map(chunks.flatMap((c, i) => c.items.map((p) => [p.item, i + 1] as const)));
		const skipped = new Set(invalid.map((e) => e.item));
		for (const t of targets.filter((x) => !skipped.has(x.item))) {
			if (!ready.includes(t)) {
				output.push(result(t, { dryRun: true, moved: null, note: 'not tracked yet: the delta is known once tracking has started' }));
			} else output.push(result(t, { dryRun: true, after: t.target, request: requestOf.get(t.item) ?? null }));
		}
		const trackingNumbered = dryRunItems(client, trackingRequest, trackingChunks);
		return [...output, ...trackingNumbered, ...dryRunItems(client, request, chunks), ...invalidItems(this, invalid)];
	}

	// 4. send; the returned STORE balance is the balance after the move
	const outcomes = await sendChunks(client, request, chunks);
	const failedAt = outcomes.findIndex((o) => o.status !== 'done');
	if (failedAt >= 0 && !continueOnFail) throw failureError(this, chunks, outcomes, failedAt);
	const chunkOf = new Map(chunks.flatMap((c, i) => c.items.map((p) => [p.item, i] as const)));
	const afterOf = new Map<string, number>();
	outcomes.forEach((o) => {
		if (o.status !== 'done') return;
		const variants = (o.body as { variants?: unknown } | undefined)?.variants;
		for (const v of Array.isArray(variants) ? (variants as Array<{ variantUuid?: unknown; balance?: unknown }>) : []) {
			const balance = Number(v?.balance);
			if (typeof v?.variantUuid === 'string' && Number.isSafeInteger(balance)) afterOf.set(v.variantUuid.toLowerCase(), balance);
		}
	});
	const failedChunks = new Set<number>();
	for (const t of ready) {
		if (!t.movement) {
			output.push(result(t, { after: t.before, drift: 0 }));
			continue;
		}
		const c = chunkOf.get(t.item)!;
		const outcome = outcomes[c];
		if (outcome?.status !== 'done') {
			failedChunks.add(c);
			continue;
		}
		const after = afterOf.get(t.identity.variantUuid);
		output.push(result(t, { after: after ?? null, drift: after === undefined ? null : after - t.target, externalUuid: chunks[c].externalUuid }));
	}
	for (const c of [...failedChunks].sort((a, b) => a - b)) output.push(...failedItems(this, chunks[c], outcomes[c]));
	return [...output, ...invalidItems(this, invalid)];
}
