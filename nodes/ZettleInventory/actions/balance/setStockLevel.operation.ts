import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { PlannedItem, ProductBalances, WritePlan } from '../../api/types';
import {
	dryRunItems,
	failedItems,
	failureError,
	invalidInputError,
	invalidItems,
	ItemError,
} from '../../engine/output';
import { identityOf, Run, startRun } from '../../engine/run';
import { balancesAfter, Sent, sendPlans, writeOptions } from '../../engine/writes';
import { errorsOf } from '../../helpers/result';
import { movedBy, planDeltas, StockDelta, StockTarget } from '../../helpers/stockLevels';
import type { ZettleLocation } from '../../helpers/types';
import { locationOfType, readStockLevel } from '../../helpers/validation';
import {
	dryRunOption,
	externalUuidOption,
	identifyFields,
	itemsPerRequestOption,
	maxRetryWaitOption,
	optionsCollection,
	requestsPerSecondOption,
} from '../common.descriptions';

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
		description:
			'How many units the variant should have in STORE: a whole number, 0 or more. By default the item\'s "quantity" field.',
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
			description:
				'Whether to start tracking products that are not tracked yet (one bulk request for all of them), then read their balances and set them. Off: such items are errors.',
		},
	]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['balance'], operation: ['setStockLevel'] } },
	properties,
);

/**
 * Set Stock Level: items say "this variant should have N in STORE". A pipeline of named steps:
 * read the targets → make sure their products are tracked → read the current STORE balances →
 * plan the deltas (helpers/stockLevels.ts) → send only the non-zero ones as movements → output one
 * item per target with before / target / moved / after / drift. Drift is stock that changed between
 * the read and the write (a sale at the till, say): Zettle has no compare-and-set.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const run = await startRun(this, { locations: true });
	const { targets, invalid } = readTargets(run);
	if (invalid.length && !run.continueOnFail) throw invalidInputError(this, invalid);
	const store = locationOfType(run.locations, 'STORE')!;
	const tracked = await ensureTracked(run, store, targets, invalid);
	const ready = targets.filter((t) => tracked.balances.tracked.has(t.productUuid));
	const deltas = planDeltas(
		ready,
		(variantUuid) => tracked.balances.rows.get(variantUuid)?.balance,
		{
			store: store.uuid,
			increaseFrom: locationOfType(run.locations, run.options.increaseFrom ?? 'SUPPLIER')!.uuid,
			decreaseTo: locationOfType(run.locations, run.options.decreaseTo ?? 'BIN')!.uuid,
		},
	);
	const moving: PlannedItem[] = deltas
		.filter((d) => d.movement)
		.map((d) => ({ item: d.item, productUuid: d.productUuid, movement: d.movement, ref: d.ref }));
	// the STORE balances come back with the write: they are the balances after the move
	const plans = run.api.movementWrites(moving, { ...writeOptions(run), returnLocation: store });
	if (run.options.dryRun)
		return dryRunOutput(
			run,
			store,
			targets,
			deltas,
			{ tracking: tracked.plans, movements: plans },
			invalid,
		);
	const sent = await sendPlans(run.client, plans);
	if (sent.failedAt >= 0 && !run.continueOnFail)
		throw failureError(this, plans, sent.outcomes, sent.failedAt);
	return [...(await stockLevelItems(run, store, deltas, sent)), ...invalidItems(this, invalid)];
}

/** Every item as a target: a variant, a whole number ≥ 0, one target per variant. */
function readTargets(run: Run): { targets: StockTarget[]; invalid: ItemError[] } {
	const targets: StockTarget[] = [];
	const invalid: ItemError[] = [];
	const seen = new Map<string, number>();
	run.items.forEach((_, item) => {
		const identity = identityOf(run, item, true);
		const target = readStockLevel(run.parameter('stockLevel', item, ''));
		const errors = [...('errors' in identity ? identity.errors : []), ...errorsOf(target)];
		if ('value' in identity && !errors.length) {
			const earlier = seen.get(identity.value.variantUuid!);
			if (earlier !== undefined)
				errors.push(
					`Variant ${identity.value.variantUuid} already has a target on item ${earlier}. Give each variant one target per run.`,
				);
			else seen.set(identity.value.variantUuid!, item);
		}
		if (errors.length || !('value' in identity) || !('value' in target))
			invalid.push({ item, message: errors.join(' ') });
		else
			targets.push({
				item,
				productUuid: identity.value.productUuid,
				variantUuid: identity.value.variantUuid!,
				target: target.value,
				ref: identity.value.ref,
			});
	});
	return { targets, invalid };
}

/**
 * The STORE balances of the targets' products. Untracked products are started first when asked (a
 * tracking change is safe to repeat), in requests of their own before the balances are read:
 * Zettle only shows a product's balances (possibly kept from an earlier tracking period) once it is
 * tracked, so a delta computed before would be wrong. Otherwise their items are invalid.
 */
async function ensureTracked(
	run: Run,
	store: ZettleLocation,
	targets: StockTarget[],
	invalid: ItemError[],
): Promise<{ balances: ProductBalances; plans: WritePlan[] }> {
	const products = [...new Set(targets.map((t) => t.productUuid))];
	const balances = await run.api.productBalances(store, products);
	const untracked = new Set(products.filter((p) => !balances.tracked.has(p)));
	if (!untracked.size) return { balances, plans: [] };
	const ofUntracked = targets.filter((t) => untracked.has(t.productUuid));
	if (!run.options.startTracking) {
		for (const t of ofUntracked) {
			invalid.push({
				item: t.item,
				message: `Product ${t.productUuid} is not tracked, so it has no stock level in Zettle. Turn on the option "Start Tracking Untracked Products", or run Product → Start Tracking first.`,
			});
		}
		if (!run.continueOnFail) throw invalidInputError(run.context, invalid);
		return { balances, plans: [] };
	}
	const firstOfProduct = new Map<string, StockTarget>();
	for (const t of ofUntracked)
		if (!firstOfProduct.has(t.productUuid)) firstOfProduct.set(t.productUuid, t);
	const plans = run.api.trackingWrites(
		[...firstOfProduct.values()].map((t) => ({ item: t.item, productUuid: t.productUuid })),
		'START_TRACKING',
		{ itemsPerRequest: run.options.itemsPerRequest, externalUuid: run.options.externalUuid },
	);
	if (run.options.dryRun) return { balances, plans };
	const sent = await sendPlans(run.client, plans);
	if (sent.failedAt >= 0) {
		const error = failureError(run.context, plans, sent.outcomes, sent.failedAt);
		error.message = `Start tracking failed, so no stock was moved: ${error.message}`;
		throw error;
	}
	const after = await run.api.productBalances(store, products);
	// Zettle accepted the tracking change, yet the read does not show the product tracked: say so, drop nothing
	for (const t of targets.filter((x) => !after.tracked.has(x.productUuid))) {
		invalid.push({
			item: t.item,
			message: `Product ${t.productUuid} is still not tracked after Start Tracking was accepted. Nothing was moved for it; check it in Zettle and run again.`,
		});
	}
	if (invalid.length && !run.continueOnFail)
		throw invalidInputError(
			run.context,
			invalid,
			'Tracking was started for the untracked products; no stock was moved.',
		);
	return { balances: after, plans };
}

/** One output item per target: where it stood, what was moved, where it ended. */
function targetItem(
	store: ZettleLocation,
	d: StockTarget | StockDelta,
	extra: IDataObject,
): INodeExecutionData {
	const before = 'before' in d ? d.before : null;
	return {
		json: {
			productUuid: d.productUuid,
			variantUuid: d.variantUuid,
			// by SKU or barcode: both keys on every row, null where the variant has none (n8n's table shows a missing key as "undefined")
			...(d.ref ? { sku: d.ref.sku ?? null, barcode: d.ref.barcode ?? null } : {}),
			locationUuid: store.uuid,
			before,
			target: d.target,
			moved: 'before' in d ? movedBy(d) : 0,
			...extra,
		},
		pairedItem: { item: d.item },
	};
}

/** Dry run: the deltas, then the requests that would be sent (tracking first), then the invalid items. */
function dryRunOutput(
	run: Run,
	store: ZettleLocation,
	targets: StockTarget[],
	deltas: StockDelta[],
	plans: { tracking: WritePlan[]; movements: WritePlan[] },
	invalid: ItemError[],
): INodeExecutionData[] {
	const requestOf = new Map(
		plans.movements.flatMap((p, i) => p.items.map((x) => [x.item, i + 1] as const)),
	);
	const deltaOf = new Map(deltas.map((d) => [d.item, d]));
	const skipped = new Set(invalid.map((e) => e.item));
	const output = targets
		.filter((t) => !skipped.has(t.item))
		.map((t) => {
			const d = deltaOf.get(t.item);
			if (!d)
				return targetItem(store, t, {
					dryRun: true,
					moved: null,
					note: 'not tracked yet: the delta is known once tracking has started',
				});
			return targetItem(store, d, {
				dryRun: true,
				after: d.target,
				request: requestOf.get(d.item) ?? null,
			});
		});
	return [
		...output,
		...dryRunItems(run.client, plans.tracking),
		...dryRunItems(run.client, plans.movements),
		...invalidItems(run.context, invalid),
	];
}

/** After sending: each target with the STORE balance Zettle returned; failed requests' items as error items. */
async function stockLevelItems(
	run: Run,
	store: ZettleLocation,
	deltas: StockDelta[],
	sent: Sent,
): Promise<INodeExecutionData[]> {
	const after = await balancesAfter(run, sent);
	const afterOf = new Map(after.flat().map((row) => [row.variantUuid.toLowerCase(), row.balance]));
	const planOf = new Map(sent.plans.flatMap((p, i) => p.items.map((x) => [x.item, i] as const)));
	const output: INodeExecutionData[] = [];
	const failed = new Set<number>();
	for (const d of deltas) {
		if (!d.movement) {
			output.push(targetItem(store, d, { after: d.before, drift: 0, externalUuid: null }));
			continue;
		}
		const p = planOf.get(d.item)!;
		if (sent.outcomes[p]?.status !== 'done') {
			failed.add(p);
			continue;
		}
		const balance = afterOf.get(d.variantUuid);
		const ok = balance !== undefined && Number.isSafeInteger(balance);
		output.push(
			targetItem(store, d, {
				after: ok ? balance : null,
				drift: ok ? balance - d.target : null,
				externalUuid: sent.plans[p].externalUuid ?? null,
			}),
		);
	}
	for (const p of [...failed].sort((a, b) => a - b))
		output.push(...failedItems(run.context, sent.plans[p], sent.outcomes[p]));
	return output;
}
