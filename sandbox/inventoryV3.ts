// Zettle's Inventory API V3 (https://inventory.izettle.com/v3/…), over the same state as the legacy API
// so that stock moved through one shows through the other, as on real Zettle. What each endpoint
// takes and returns, and where the docs are silent, is in docs/reference/zettle-inventory-v3.md;
// the sandbox's choices where they are silent are listed in the README's sandbox section.

import type { ApiRequest, ApiResponse, MovementFields, Route, Violation } from './inventory';
import {
	cursorPage,
	invalid,
	isObject,
	isUuidV1,
	MAX_CHANGE,
	notTracked,
	originOf,
	requireArray,
	requireProduct,
	requireTracked,
	toMovement,
	tooLarge,
	UUID,
	violation,
	ZettleError,
} from './inventory';
import type { Location, Movement, Organization } from './state';

/** V3 names a movement's locations `from` and `to`, and a location an inventory. */
const V3_MOVEMENT: MovementFields = { from: 'from', to: 'to', noun: 'Inventory' };

/** Rows per page of a stock read; the client follows the `Link` header, it does not choose this. */
export const V3_PAGE_SIZE = 100;

const inventoryDto = (l: Location) => ({
	inventoryUuid: l.uuid,
	inventoryType: l.type,
	name: l.name,
	description: l.description,
	defaultInventory: l.default,
});

function storeInventory(org: Organization, inventoryUuid: string): Location {
	const inventory = org.location(inventoryUuid);
	if (!inventory)
		throw new ZettleError(404, 'ENTITY_NOT_FOUND', `Inventory ${inventoryUuid} not found`);
	if (inventory.type !== 'STORE')
		throw new ZettleError(
			400,
			'INVALID_INVENTORY',
			`Inventory ${inventoryUuid} is a ${inventory.type} inventory; stock is read from STORE inventories only`,
		);
	return inventory;
}

/** One stock row: a variant's balance in a STORE inventory, with its low-stock settings. */
function stockRow(
	org: Organization,
	inventoryUuid: string,
	productUuid: string,
	variantUuid: string,
) {
	const lowStock = org.lowStockOf(inventoryUuid, variantUuid);
	const balance = org.balance(inventoryUuid, variantUuid);
	return {
		organizationUuid: org.uuid,
		inventoryUuid,
		productUuid,
		variantUuid,
		balance,
		lowStockLevel: lowStock.lowStockLevel,
		lowStockAlert: lowStock.lowStockAlert,
		updated: (org.lastUpdated(variantUuid) ?? new Date(0)).toISOString(),
		checksum: String((balance * 2654435761) >>> 0),
	};
}

/** The rows of tracked products in STORE inventories: a non-zero balance or a custom low-stock level (a missing row is 0). */
function stockRows(org: Organization, inventories: Location[], productUuids?: string[]) {
	const variants = (productUuids ?? [...org.products.keys()])
		.filter((p) => org.tracked.has(p))
		.flatMap((p) => org.products.get(p)!.variants.map((v) => ({ p, v: v.uuid })));
	return inventories.flatMap((inventory) =>
		variants
			.filter(({ v }) => org.balance(inventory.uuid, v) !== 0 || org.hasLowStock(inventory.uuid, v))
			.map(({ p, v }) => stockRow(org, inventory.uuid, p, v)),
	);
}

/** A page of rows and a `Link: <…?cursor=…&limit=…>; rel="next"` header while more remain. */
function paged(r: ApiRequest, all: unknown[]): ApiResponse {
	const { rows, headers } = cursorPage(r, all, {
		pageMax: V3_PAGE_SIZE,
		prefix: '',
		linkPath: `/v3${r.path}`,
	});
	return { status: 200, headers, body: rows };
}

/** POST /v3/movements — `{identifier?, movements: [{productUuid, variantUuid, from, to, change}]}`, atomic, 204. */
function movements(r: ApiRequest): ApiResponse {
	const { org, body } = r;
	requireArray(body, 'movements');
	const violations: Violation[] = [];
	if (
		body.identifier !== undefined &&
		(typeof body.identifier !== 'string' || !isUuidV1(body.identifier))
	) {
		violations.push(violation('identifier', 'must be a version 1 (time-based) UUID', 'UUID'));
	}
	if (!body.movements.length)
		violations.push(violation('movements', 'must not be empty', 'NOT_EMPTY'));
	body.movements.forEach((row, i) => checkV3Movement(row, `movements[${i}]`, violations));
	if (violations.length) throw invalid(violations);
	const moves: Movement[] = (body.movements as Array<Record<string, unknown>>).map((row, i) => {
		const m = toMovement(org, String(row.productUuid), row, `movements[${i}]`, V3_MOVEMENT);
		if (!org.tracked.has(m.productUuid)) throw notTracked(m.productUuid, `movements[${i}]`);
		return m;
	});
	org.applyMovements(moves, originOf(r, body.identifier));
	return { status: 204 };
}

function checkV3Movement(row: unknown, at: string, violations: Violation[]): void {
	if (!isObject(row)) {
		violations.push(violation(at, 'must be an object', 'NOT_NULL'));
		return;
	}
	for (const field of ['productUuid', 'variantUuid', 'from', 'to']) {
		if (typeof row[field] !== 'string' || !UUID.test(row[field] as string)) {
			violations.push(violation(`${at}.${field}`, 'must be a valid UUID', 'UUID'));
		}
	}
	if (typeof row.change !== 'number' || !Number.isInteger(row.change) || row.change <= 0) {
		violations.push(violation(`${at}.change`, 'must be a positive integer', 'POSITIVE'));
	} else if (row.change > MAX_CHANGE) {
		violations.push(tooLarge(`${at}.change`));
	}
	if (row.from && row.from === row.to)
		violations.push(violation(`${at}.to`, 'must differ from from', 'DIFFERENT'));
}

/** Asserts that a V3 write's body is a non-empty array of rows; else the 400 Zettle answers. */
function requireRows(body: unknown): asserts body is unknown[] {
	if (!Array.isArray(body) || !body.length)
		throw invalid([violation('body', 'must be a non-empty array', 'NOT_EMPTY')]);
}

/** POST /v3/products — `[{productUuid, tracking: "enable" | "disable"}]`, 204. Setting a state: repeating it changes nothing. */
function tracking(r: ApiRequest): ApiResponse {
	const { org, body } = r;
	requireRows(body);
	const violations: Violation[] = [];
	body.forEach((row, i) => {
		if (!isObject(row) || typeof row.productUuid !== 'string' || !UUID.test(row.productUuid)) {
			violations.push(violation(`[${i}].productUuid`, 'must be a valid UUID', 'UUID'));
		} else if (row.tracking !== 'enable' && row.tracking !== 'disable') {
			violations.push(violation(`[${i}].tracking`, 'must be enable or disable', 'ENUM'));
		}
	});
	if (violations.length) throw invalid(violations);
	for (const row of body as Array<{ productUuid: string }>) requireProduct(org, row.productUuid);
	for (const row of body as Array<{ productUuid: string; tracking: string }>)
		org.setTracking(row.productUuid, row.tracking === 'enable', originOf(r, null));
	return { status: 204 };
}

/** POST /v3/products/status — `[productUuid, …]` → `[{productUuid, enabled}]`. */
function trackingStatus(r: ApiRequest): ApiResponse {
	if (!Array.isArray(r.body) || r.body.some((p) => typeof p !== 'string' || !UUID.test(p))) {
		throw invalid([violation('body', 'must be an array of product UUIDs', 'UUID')]);
	}
	return {
		status: 200,
		body: (r.body as string[]).map((productUuid) => ({
			productUuid,
			enabled: r.org.tracked.has(productUuid),
		})),
	};
}

/** POST /v3/custom-low-stock — `[{inventoryUuid, productUuid, variantUuid, lowStockLevel, lowStockAlert}]`, 204; a level of null or 0 deletes. */
function customLowStock(r: ApiRequest): ApiResponse {
	const { org, body } = r;
	requireRows(body);
	const violations: Violation[] = [];
	body.forEach((row, i) => {
		if (!isObject(row))
			return void violations.push(violation(`[${i}]`, 'must be an object', 'NOT_NULL'));
		for (const field of ['inventoryUuid', 'productUuid', 'variantUuid']) {
			if (typeof row[field] !== 'string' || !UUID.test(row[field] as string))
				violations.push(violation(`[${i}].${field}`, 'must be a valid UUID', 'UUID'));
		}
		const level = row.lowStockLevel;
		if (level !== null && (typeof level !== 'number' || !Number.isInteger(level) || level < 0)) {
			violations.push(
				violation(
					`[${i}].lowStockLevel`,
					'must be a whole number, 0 or more, or null',
					'POSITIVE_OR_ZERO',
				),
			);
		}
		if (typeof row.lowStockAlert !== 'boolean')
			violations.push(violation(`[${i}].lowStockAlert`, 'must be a boolean', 'NOT_NULL'));
	});
	if (violations.length) throw invalid(violations);
	const rows = body as Array<{
		inventoryUuid: string;
		productUuid: string;
		variantUuid: string;
		lowStockLevel: number | null;
		lowStockAlert: boolean;
	}>;
	for (const row of rows) {
		storeInventory(org, row.inventoryUuid);
		if (org.productOfVariant(row.variantUuid) !== row.productUuid)
			throw new ZettleError(
				404,
				'ENTITY_NOT_FOUND',
				`Variant ${row.variantUuid} not found in product ${row.productUuid}`,
			);
	}
	for (const row of rows)
		org.setLowStock(row.inventoryUuid, row.variantUuid, {
			lowStockLevel: row.lowStockLevel,
			lowStockAlert: row.lowStockAlert,
		});
	return { status: 204 };
}

/** Routes relative to `/v3` (no organization in the path: it comes from the token). */
export const v3Routes: Route[] = [
	{
		method: 'GET',
		pattern: /^\/inventories$/,
		write: false,
		handle: (r) => ({ status: 200, body: r.org.locations.map(inventoryDto) }),
	},
	{
		method: 'GET',
		pattern: /^\/inventories\/([^/]+)$/,
		write: false,
		handle: (r, [uuid]) => {
			const inventory = r.org.location(uuid);
			if (!inventory) throw new ZettleError(404, 'ENTITY_NOT_FOUND', `Inventory ${uuid} not found`);
			return { status: 200, body: inventoryDto(inventory) };
		},
	},
	{ method: 'POST', pattern: /^\/movements$/, write: true, handle: movements },
	{ method: 'POST', pattern: /^\/products$/, write: true, handle: tracking },
	{ method: 'POST', pattern: /^\/products\/status$/, write: false, handle: trackingStatus },
	{
		method: 'GET',
		pattern: /^\/stock$/,
		write: false,
		handle: (r) =>
			paged(
				r,
				stockRows(
					r.org,
					r.org.locations.filter((l) => l.type === 'STORE'),
				),
			),
	},
	{
		method: 'GET',
		pattern: /^\/stock\/([^/]+)$/,
		write: false,
		handle: (r, [uuid]) => paged(r, stockRows(r.org, [storeInventory(r.org, uuid)])),
	},
	{
		method: 'GET',
		pattern: /^\/stock\/([^/]+)\/products\/([^/]+)$/,
		write: false,
		handle: (r, [uuid, productUuid]) => {
			const inventory = storeInventory(r.org, uuid);
			requireTracked(r.org, productUuid);
			return { status: 200, body: stockRows(r.org, [inventory], [productUuid]) };
		},
	},
	{ method: 'POST', pattern: /^\/custom-low-stock$/, write: true, handle: customLowStock },
];
