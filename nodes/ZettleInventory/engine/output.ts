// Every input item accounted for in the output: applied (the balances it left), refused, outcome
// unknown, not attempted, or invalid. n8n keeps only an error item's message (and routes it to the
// error output), so each message carries the outcome and the request's externalUuid.

import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { PlannedItem, WritePlan } from '../api/types';
import { groupBy } from '../helpers/chunks';
import type { BalanceRow } from '../helpers/types';
import { causeOf, Outcome, toNodeApiError, ZettleClient } from '../transport';

/** An input item that failed its checks, and why. */
export interface ItemError {
	item: number;
	message: string;
}

const OUTCOME_TEXT = {
	notApplied: 'Zettle did not apply it',
	unknown:
		'it may or may not have been applied: check the balances in Zettle before sending it again (Zettle has no idempotency, a resend could apply it twice)',
	notAttempted: 'not sent, because an earlier request failed; safe to send again',
};

/** "items 0–2, 5" for messages: item numbers as n8n shows them (0-based). */
export function describeItems(indexes: number[]): string {
	const sorted = [...new Set(indexes)].sort((a, b) => a - b);
	const parts: string[] = [];
	for (let i = 0; i < sorted.length; i++) {
		let j = i;
		while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
		parts.push(j > i ? `${sorted[i]}–${sorted[j]}` : `${sorted[i]}`);
		i = j;
	}
	return `${sorted.length === 1 ? 'item' : 'items'} ${parts.join(', ')}`;
}

/** With "Continue": an item that failed its checks is an error item, sent nowhere. */
export function invalidItems(
	context: IExecuteFunctions,
	invalid: ItemError[],
	prefix = 'Invalid, not sent',
): INodeExecutionData[] {
	return invalid.map(({ item, message }) => {
		const error = new NodeOperationError(context.getNode(), `${prefix}: ${message}`, {
			itemIndex: item,
		});
		return { json: { error: error.message }, error, pairedItem: { item } };
	});
}

/** Without "Continue": the first invalid item is the error, the others are listed in its description. */
export function invalidInputError(
	context: IExecuteFunctions,
	invalid: ItemError[],
	nothing = 'Nothing was sent to Zettle.',
): NodeOperationError {
	const [first, ...rest] = invalid;
	return new NodeOperationError(context.getNode(), `Item ${first.item}: ${first.message}`, {
		itemIndex: first.item,
		description: `${nothing}${rest.length ? ` Also invalid: ${rest.map((e) => `item ${e.item}: ${e.message}`).join(' | ')}` : ''} Set "On Error" to "Continue" to go on with the valid items and get the invalid ones as error items.`,
	});
}

/** Dry run: one item per request that would be sent, exactly as it would go out (auth aside). */
export function dryRunItems(client: ZettleClient, plans: WritePlan[]): INodeExecutionData[] {
	return plans.map((plan, p) => ({
		json: {
			dryRun: true,
			request: p + 1,
			of: plans.length,
			method: plan.request.method,
			url: client.url(plan.request),
			body: (plan.request.body ?? null) as IDataObject,
			items: plan.items.map((i) => i.item),
		},
		pairedItem: plan.items.map((i) => ({ item: i.item })),
	}));
}

/** " (externalUuid …)" for messages, when the request carries one. */
const idOf = (plan: WritePlan) => (plan.externalUuid ? ` (externalUuid ${plan.externalUuid})` : '');

function movementJson(p: PlannedItem): IDataObject {
	if (p.lowStock) {
		const { locationUuid, variantUuid, lowStockLevel, lowStockAlert } = p.lowStock;
		return { locationUuid, productUuid: p.productUuid, variantUuid, lowStockLevel, lowStockAlert };
	}
	return p.movement
		? { ...p.movement }
		: { productUuid: p.productUuid, trackingStatusChange: p.tracking };
}

/** The input items of a request grouped by a key (items without one left out), for `pairedItem`. */
function itemsBy(
	items: PlannedItem[],
	key: (p: PlannedItem) => string | undefined,
): Map<string, Array<{ item: number }>> {
	return new Map(
		[...groupBy(items, key)].map(([k, group]) => [k, group.map((p) => ({ item: p.item }))]),
	);
}

/**
 * One output item per balance the write left, linked to the input items that moved that variant,
 * then one item for every applied input item that no balance covers (a movement that did not touch
 * the returned location, a tracking-only change, an answer without balances).
 */
export function appliedItems(
	plan: WritePlan,
	rows: BalanceRow[],
	body: unknown,
	output: 'balances' | 'raw' | undefined,
): INodeExecutionData[] {
	const pairedAll = plan.items.map((p) => ({ item: p.item }));
	if (output === 'raw') {
		const response = body === undefined || body === '' ? null : body;
		return [
			{
				json: {
					externalUuid: plan.externalUuid ?? null,
					request: (plan.request.body ?? null) as IDataObject,
					response: response as IDataObject,
				},
				pairedItem: pairedAll,
			},
		];
	}
	const byVariant = itemsBy(plan.items, (p) => p.movement?.variantUuid);
	const byProduct = itemsBy(plan.items, (p) => p.productUuid);
	const covered = new Set<number>();
	const result: INodeExecutionData[] = rows.map((row) => {
		const json: IDataObject = { locationUuid: row.locationUuid || null };
		if (row.locationType) json.locationType = row.locationType;
		Object.assign(json, {
			productUuid: row.productUuid,
			variantUuid: row.variantUuid,
			balance: row.balance,
			externalUuid: plan.externalUuid ?? null,
		});
		const ref = plan.items.find((p) => p.ref && p.ref.variantUuid === row.variantUuid)?.ref;
		if (ref) Object.assign(json, { sku: ref.sku ?? null, barcode: ref.barcode ?? null });
		// Zettle's documented bulk answer does not always echo the request: fall back to the product, then the request
		const paired = byVariant.get(row.variantUuid) ?? byProduct.get(row.productUuid) ?? pairedAll;
		for (const p of paired) covered.add(p.item);
		return { json, pairedItem: paired };
	});
	// a tracking request that also carries moving items (V3's bulk) leaves their balances to the movement request
	for (const p of plan.items.filter(
		(i) => !covered.has(i.item) && !(plan.kind === 'tracking' && i.movement),
	)) {
		const json: IDataObject = { ...movementJson(p) };
		if (!p.lowStock) json.externalUuid = plan.externalUuid ?? null;
		if (p.ref) Object.assign(json, { sku: p.ref.sku ?? null, barcode: p.ref.barcode ?? null });
		if (p.movement)
			Object.assign(json, {
				applied: true,
				balance: null,
				note:
					p.tracking === 'STOP_TRACKING'
						? 'Applied. Its balance was not read back: the run stops tracking its product, and Zettle keeps no readable stock of an untracked product.'
						: 'Applied. No balance of this variant came back with the write or was read back (see Return Balances For Location).',
			});
		result.push({ json, pairedItem: { item: p.item } });
	}
	return result;
}

/** A violation in Zettle's refusal, said against the input items whose values it names. */
export interface ItemViolation {
	items: number[];
	/** e.g. "item 7: change 150000 refused by Zettle: must be at most 99999" */
	text: string;
}

/**
 * The `violations` of Zettle's 4xx answer to a request, each said against the input items it points
 * at. A violation's `propertyName` is a path into the request body (`changes[3].change`,
 * `productChanges[0].variantChanges[1].change`, V3 `movements[2].change`); violations that point at no
 * item are left out (Zettle's own text still shows them).
 */
export function violationsOf(plan: WritePlan, outcome: Outcome | undefined): ItemViolation[] {
	if (!outcome || outcome.status === 'done') return [];
	const { status, data } = causeOf(outcome.error);
	const violations = (data as { violations?: unknown } | undefined)?.violations;
	if (status === undefined || status < 400 || status >= 500 || !Array.isArray(violations))
		return [];
	return violations.flatMap((v: { propertyName?: unknown; developerMessage?: unknown } | null) => {
		const at = typeof v?.propertyName === 'string' ? itemsAt(plan, v.propertyName) : undefined;
		if (!at) return [];
		const value = ['string', 'number', 'boolean'].includes(typeof at.value)
			? ` ${JSON.stringify(at.value)}`
			: '';
		const why =
			typeof v?.developerMessage === 'string' && v.developerMessage
				? v.developerMessage
				: 'invalid';
		return [
			{
				items: at.items,
				text: `${describeItems(at.items)}: ${at.field}${value} refused by Zettle: ${why}`,
			},
		];
	});
}

/**
 * The input items a path into a request body points at, the value there and its field name. Every
 * API builds its bodies from the plan's items in order: a list with one row per item (PUT `changes`,
 * V3 `movements`, low-stock rows), one row per moving item (bulk `variantChanges` of one product), or
 * rows grouped by product (bulk `productChanges`, V3 tracking). A step into a list narrows the items
 * accordingly; a row that names a variant must match the item's movement, or nothing is said.
 */
export function itemsAt(
	plan: WritePlan,
	propertyName: string,
): { items: number[]; value: unknown; field: string } | undefined {
	const steps = [...propertyName.matchAll(/\[(\d+)\]|([^.[\]]+)/g)].map((m) =>
		m[1] !== undefined ? Number(m[1]) : m[2],
	);
	let node: unknown = plan.request.body;
	let items: PlannedItem[] = plan.items;
	let narrowed = false;
	for (const step of steps) {
		if (typeof step === 'number') {
			if (!Array.isArray(node) || step >= node.length) return undefined;
			items = narrow(items, node, step);
			narrowed = true;
			node = node[step];
		} else {
			if (typeof node !== 'object' || node === null || Array.isArray(node)) return undefined;
			node = (node as IDataObject)[step];
		}
	}
	const field =
		[...steps].reverse().find((s): s is string => typeof s === 'string') ?? propertyName;
	return narrowed && items.length
		? { items: items.map((p) => p.item), value: node, field }
		: undefined;
}

/** The items row `index` of `list` was built from, among `items` (see itemsAt). */
function narrow(items: PlannedItem[], list: unknown[], index: number): PlannedItem[] {
	const row = (
		typeof list[index] === 'object' && list[index] !== null ? list[index] : {}
	) as IDataObject;
	const moving = items.filter((p) => p.movement);
	let picked: PlannedItem[] = [];
	if (typeof row.variantUuid === 'string' && moving.length === list.length)
		picked = [moving[index]];
	else if (items.length === list.length) picked = [items[index]];
	else if (typeof row.productUuid === 'string')
		picked = items.filter((p) => p.productUuid === String(row.productUuid).toLowerCase());
	// a row that names a variant must be that item's: otherwise the body was not built as assumed
	const variant = typeof row.variantUuid === 'string' ? row.variantUuid.toLowerCase() : undefined;
	if (
		variant &&
		picked.some((p) => (p.movement?.variantUuid ?? p.lowStock?.variantUuid) !== variant)
	)
		return [];
	return picked;
}

/**
 * The items whose stock movement an applied request carried, with that request's externalUuid. A later
 * request of such an item carries only its tracking change (Stop Tracking goes after the movements, on
 * both APIs): if that one fails, the item's stock has moved all the same, and sending the item again
 * would move it twice.
 */
export function appliedMovements(plans: WritePlan[], outcomes: Array<Outcome | undefined>) {
	const moved = new Map<number, string | undefined>();
	plans.forEach((plan, p) => {
		if (plan.kind !== 'movements' || outcomes[p]?.status !== 'done') return;
		for (const i of plan.items) moved.set(i.item, plan.externalUuid);
	});
	return moved;
}

// only Stop Tracking goes out after a product's movements (Start Tracking goes before them, or with them)
const TRACKING_ONLY_FIX =
	'stop its tracking with Product → Stop Tracking (safe to repeat), not by sending the item again';

/**
 * Error items for a request that failed or was never sent (`outcome` undefined: not attempted).
 * `moved`: items whose movement an earlier request applied (see `appliedMovements`); for them only the
 * tracking change of this request is in question.
 */
export function failedItems(
	context: IExecuteFunctions,
	plan: WritePlan,
	outcome: Outcome | undefined,
	moved: Map<number, string | undefined> = new Map(),
): INodeExecutionData[] {
	const said = violationsOf(plan, outcome)
		.map((v) => v.text)
		.join('; ');
	return plan.items.map((p) => {
		const trackingOnly = plan.kind === 'tracking' && moved.has(p.item);
		const movementId = moved.get(p.item);
		const applied = trackingOnly
			? `its movement was applied${movementId ? ` (externalUuid ${movementId})` : ''}: ${TRACKING_ONLY_FIX}`
			: undefined;
		const error =
			outcome && outcome.status !== 'done'
				? toNodeApiError(context, outcome.error, {
						itemIndex: p.item,
						message: applied
							? `Tracking change ${outcome.status === 'unknown' ? 'outcome unknown' : 'not applied'}: ${outcome.reason}: ${said ? `${said}; ` : ''}${applied}`
							: `${outcome.status === 'unknown' ? 'Outcome unknown' : 'Not applied'}${idOf(plan)}: ${outcome.reason}: ${said ? `${said}. ` : ''}${OUTCOME_TEXT[outcome.status]}`,
					})
				: new NodeOperationError(
						context.getNode(),
						applied
							? `Tracking change not attempted, because an earlier request failed; ${applied}`
							: `Not attempted${idOf(plan)}: ${OUTCOME_TEXT.notAttempted}`,
						{ itemIndex: p.item },
					);
		return { json: { error: error.message }, error, pairedItem: { item: p.item } };
	});
}

/** Without "Continue": one error that says exactly which items were applied, failed and not attempted. */
export function failureError(
	context: IExecuteFunctions,
	plans: WritePlan[],
	outcomes: Outcome[],
	failedAt: number,
) {
	const failed = outcomes[failedAt] as Exclude<Outcome, { status: 'done' }>;
	// Zettle's violations, said against the input items they name (the first such item is the error's)
	const violations = violationsOf(plans[failedAt], failed);
	const said = violations.map((v) => v.text).join('; ');
	const itemsOf = (ps: WritePlan[]) => ps.flatMap((p) => p.items.map((i) => i.item));
	const applied = plans.slice(0, failedAt);
	// an item whose movement was applied is applied, whatever became of its tracking change after it
	const moved = appliedMovements(applied, outcomes);
	const failedList = itemsOf([plans[failedAt]]);
	const failedMoves = failedList.filter((i) => !moved.has(i));
	const failedTracking = failedList.filter((i) => moved.has(i));
	// an item carried by two requests is listed where it failed first
	const laterItems = itemsOf(plans.slice(failedAt + 1)).filter((i) => !failedList.includes(i));
	const laterTracking = laterItems.filter((i) => moved.has(i));
	const laterRest = laterItems.filter((i) => !moved.has(i));
	const lines: string[] = [];
	// an item whose tracking change went out but whose movement failed, or was not attempted, is not applied
	const appliedItemsList = itemsOf(applied).filter(
		(i) => !failedMoves.includes(i) && !laterRest.includes(i),
	);
	if (appliedItemsList.length) {
		const ids = applied.flatMap((p) => (p.externalUuid ? [p.externalUuid] : []));
		lines.push(
			`Applied: ${describeItems(appliedItemsList)} (${applied.length} request(s)${ids.length ? `, externalUuid ${ids.join(', ')}` : ''}).`,
		);
	}
	const outcomeWord = failed.status === 'unknown' ? 'Outcome unknown' : 'Not applied';
	if (failedMoves.length)
		lines.push(
			failed.status === 'unknown'
				? `Outcome unknown: ${describeItems(failedMoves)}${idOf(plans[failedAt])}: ${OUTCOME_TEXT.unknown}.`
				: `Not applied: ${describeItems(failedMoves)}${idOf(plans[failedAt])}${said ? `: ${said}` : ''}.`,
		);
	if (failedTracking.length)
		lines.push(
			`${outcomeWord}: the tracking change of ${describeItems(failedTracking)}, whose movement was applied${said ? ` (${said})` : ''}: ${TRACKING_ONLY_FIX}.`,
		);
	if (laterRest.length)
		lines.push(`Not attempted: ${describeItems(laterRest)}: ${OUTCOME_TEXT.notAttempted}.`);
	if (laterTracking.length)
		lines.push(
			`Not attempted: the tracking change of ${describeItems(laterTracking)}, whose movement was applied: ${TRACKING_ONLY_FIX}.`,
		);
	const what = failedMoves.length
		? describeItems(failedList)
		: `the tracking change of ${describeItems(failedList)}`;
	return toNodeApiError(context, failed.error, {
		message: `${failed.status === 'unknown' ? 'Outcome unknown' : 'Refused'}: request ${failedAt + 1} of ${plans.length} (${what}): ${failed.reason}${said ? `: ${said}` : ''}`,
		description: lines.join(' '),
		itemIndex: violations[0]?.items[0] ?? failedList[0],
	});
}
