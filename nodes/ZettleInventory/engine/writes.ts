// The one write engine: read every item and check it before anything is sent → plan the requests →
// send them in order, paced → account for every item (applied / refused / outcome unknown / not
// attempted / invalid) → output items. Operations pass what differs as a `WriteOperation`.

import type { INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { InventoryApi, PlannedItem, WriteOptions, WritePlan } from '../api/types';
import type { BalanceRow } from '../helpers/types';
import type { Outcome, ZettleClient } from '../transport';
import {
	appliedItems,
	dryRunItems,
	failedItems,
	failureError,
	appliedMovements,
	invalidInputError,
	invalidItems,
	ItemError,
} from './output';
import { locationOf, Run, RunNeeds, startRun } from './run';

/** What an operation tells the engine: how to read one item, and which requests carry the items. */
export interface WriteOperation {
	needs: RunNeeds;
	/** reads one input item as what it asks Zettle to do, or everything that is wrong with it */
	itemReader(run: Run): (item: number) => { value: PlannedItem } | { errors: string[] };
	/** checks across items (e.g. one tracking change per product): the items it refuses */
	checkAll?(planned: PlannedItem[]): ItemError[];
	/** the requests that carry the valid items */
	plan(api: InventoryApi, planned: PlannedItem[], options: WriteOptions): WritePlan[];
}

/** What became of a sequence of writes: one outcome per request sent, in order; the first failure ends it. */
export interface Sent {
	plans: WritePlan[];
	outcomes: Outcome[];
	/** the index of the first request that was not applied, or -1 */
	failedAt: number;
}

export async function runWrites(
	context: Run['context'],
	operation: WriteOperation,
): Promise<INodeExecutionData[]> {
	const run = await startRun(context, operation.needs);
	const { planned, invalid } = readItems(run, operation);
	if (invalid.length && !run.continueOnFail) throw invalidInputError(context, invalid);
	const plans = operation.plan(run.api, planned, writeOptions(run));
	if (run.options.dryRun)
		return [...dryRunItems(run.client, plans), ...invalidItems(context, invalid)];
	const sent = await sendPlans(run.client, plans);
	if (sent.failedAt >= 0 && !run.continueOnFail)
		throw failureError(context, plans, sent.outcomes, sent.failedAt);
	return [
		...(await accountFor(run, sent)),
		...unsentItems(planned, plans),
		...invalidItems(context, invalid),
	];
}

/** Valid items no request needed to carry (V3 sends nothing for a tracking-only NO_CHANGE): done as they are. */
function unsentItems(planned: PlannedItem[], plans: WritePlan[]): INodeExecutionData[] {
	const carried = new Set(plans.flatMap((p) => p.items.map((i) => i.item)));
	return planned
		.filter((p) => !carried.has(p.item))
		.map((p) => ({
			json: {
				productUuid: p.productUuid,
				trackingStatusChange: p.tracking ?? null,
				externalUuid: null,
			},
			pairedItem: { item: p.item },
		}));
}

/** Every item read and checked before anything is sent. */
function readItems(
	run: Run,
	operation: WriteOperation,
): { planned: PlannedItem[]; invalid: ItemError[] } {
	const planned: PlannedItem[] = [];
	const invalid: ItemError[] = [];
	const readItem = operation.itemReader(run);
	run.items.forEach((_, item) => {
		const read = readItem(item);
		if ('errors' in read) invalid.push({ item, message: read.errors.join(' ') });
		else planned.push(read.value);
	});
	const refused = operation.checkAll?.(planned) ?? [];
	const refusedItems = new Set(refused.map((e) => e.item));
	invalid.push(...refused);
	invalid.sort((a, b) => a.item - b.item);
	return { planned: planned.filter((p) => !refusedItems.has(p.item)), invalid };
}

/** The write options every operation shares; Return Balances For Location is checked here, before sending. */
export function writeOptions(run: Run): WriteOptions {
	const { externalUuid, itemsPerRequest, returnBalanceForLocation, readBack } = run.options;
	const wanted = returnBalanceForLocation?.trim();
	if (!wanted) return { externalUuid, itemsPerRequest, readBack };
	const resolved = locationOf(run, wanted, 'Return Balances For Location');
	if ('error' in resolved) throw invalidOption(run, resolved.error);
	return {
		externalUuid,
		itemsPerRequest,
		readBack,
		returnLocation: run.locations.find((l) => l.uuid === resolved.value),
	};
}

function invalidOption(run: Run, message: string) {
	return new NodeOperationError(run.context.getNode(), message, {
		description: 'Fix the option; nothing was sent.',
	});
}

/** Sends the requests in order, paced; stops at the first that is not applied. Never throws. */
export async function sendPlans(client: ZettleClient, plans: WritePlan[]): Promise<Sent> {
	const outcomes: Outcome[] = [];
	for (const plan of plans) {
		const outcome = await client.send(plan.request, { repeatable: plan.repeatable });
		outcomes.push(outcome);
		if (outcome.status !== 'done') return { plans, outcomes, failedAt: outcomes.length - 1 };
	}
	return { plans, outcomes, failedAt: -1 };
}

/**
 * The balances each applied request left (from its answer, or read back), per request. A read-back
 * that fails does not lose the accounting: the applied items are output without balances.
 */
export async function balancesAfter(run: Run, sent: Sent): Promise<BalanceRow[][]> {
	const applied = sent.plans.flatMap((plan, p) => {
		const outcome = sent.outcomes[p];
		return outcome?.status === 'done' ? [{ plan, body: outcome.body }] : [];
	});
	try {
		const unsure = sent.plans.filter((_, p) => sent.outcomes[p]?.status === 'unknown');
		return await run.api.balancesAfter(applied, unsure);
	} catch (error) {
		run.context.logger.warn(
			`Zettle Inventory: the balances after the writes could not be read (${(error as Error).message}); the applied items are output without them`,
		);
		return applied.map(() => []);
	}
}

/** Output items for every request: the applied ones' balances, error items for the rest. */
async function accountFor(run: Run, sent: Sent): Promise<INodeExecutionData[]> {
	const after = await balancesAfter(run, sent);
	const output: INodeExecutionData[] = [];
	const failed = new Set<number>();
	const moved = appliedMovements(sent.plans, sent.outcomes);
	sent.plans.forEach((plan, p) => {
		const outcome = sent.outcomes[p];
		if (outcome?.status === 'done')
			return void output.push(...appliedItems(plan, after[p], outcome.body, run.options.output));
		// an item carried by two requests gets one error item: where it failed first
		const items = plan.items.filter((i) => !failed.has(i.item));
		for (const i of items) failed.add(i.item);
		if (items.length) output.push(...failedItems(run.context, { ...plan, items }, outcome, moved));
	});
	return output;
}
