// The workflows the benchmark imports into n8n: each side of the comparison as a user would build it.

import { ZETTLE_TYPE } from '../fixtures';

export const RATE = 4;
export const LATENCY_MS = 80;
/** the pacing the node keeps by default: 1/rate with a 10% margin (transport/index.ts) */
export const PACE_MS = Math.round((1000 / RATE) * 1.1);
export const CREDENTIAL = { id: 'zettleBenchCred001', name: 'Zettle sandbox (bench)' };

type Node = Record<string, unknown> & { name: string };
type Connections = Record<
	string,
	{ main: Array<Array<{ node: string; type: 'main'; index: number }>> }
>;

const credentials = { zettleApi: CREDENTIAL };
/** n8n's node settings "Retry On Fail": up to 5 tries (n8n's maximum), 1 s apart (Zettle's Retry-After is 1 s) */
const retry = { retryOnFail: true, maxTries: 5, waitBetweenTries: 1000 };

/** The nodes that read the webshop's CSV export, as a user's workflow does: Read/Write Files from Disk, Extract From File. */
function csvNodes(csvPath: string): Node[] {
	return [
		{
			id: 's1',
			name: 'Start',
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
		{
			id: 's2',
			name: 'Read CSV',
			type: 'n8n-nodes-base.readWriteFile',
			typeVersion: 1.1,
			position: [200, 0],
			parameters: { operation: 'read', fileSelector: csvPath, options: {} },
		},
		{
			id: 's3',
			name: 'Extract CSV',
			type: 'n8n-nodes-base.extractFromFile',
			typeVersion: 1.1,
			position: [400, 0],
			parameters: { operation: 'csv', binaryPropertyName: 'data', options: {} },
		},
	];
}

/** The nodes before the measured ones: run in the empty workflow too, and left out of "wall". */
export const SETUP_NODES = ['Start', 'Read CSV', 'Extract CSV', 'Items'];

/** A chain of nodes, each connected to the next (first output). */
function chain(names: string[], connections: Connections = {}): Connections {
	for (let i = 0; i + 1 < names.length; i++) link(connections, names[i], 0, names[i + 1]);
	return connections;
}

function link(connections: Connections, from: string, output: number, to: string): void {
	const outputs = (connections[from] ??= { main: [] }).main;
	while (outputs.length <= output) outputs.push([]);
	outputs[output].push({ node: to, type: 'main', index: 0 });
}

function workflowOf(id: string, nodes: Node[], connections: Connections) {
	return { id, name: id, active: false, nodes, connections, settings: { executionOrder: 'v1' } };
}

/** The CSV read and nothing else: what every CSV workflow spends before its first Zettle request. */
export function emptyCsvWorkflow(id: string, csvPath: string) {
	const nodes = csvNodes(csvPath);
	return workflowOf(id, nodes, chain(nodes.map((n) => n.name)));
}

/** This package: Set Stock Level, Identify By SKU, every other parameter at its default. typeVersion 1: legacy API, 2: V3. */
export function setStockLevelWorkflow(id: string, csvPath: string, typeVersion: 1 | 2) {
	const nodes: Node[] = [
		...csvNodes(csvPath),
		{
			id: 's4',
			name: 'Set Stock Level',
			type: ZETTLE_TYPE,
			typeVersion,
			position: [600, 0],
			parameters: { resource: 'balance', operation: 'setStockLevel', identifyBy: 'sku' },
			credentials,
		},
	];
	return workflowOf(id, nodes, chain(nodes.map((n) => n.name)));
}

const MATCH_SKUS = `// The organization's inventories and the product library, then each CSV row as its variant and target.
const inventories = $('Inventories').all().map((i) => i.json);
const inventory = (type) => {
  const found = inventories.find((i) => i.inventoryType === type && i.defaultInventory) ?? inventories.find((i) => i.inventoryType === type);
  if (!found) throw new Error(\`No \${type} inventory\`);
  return found.inventoryUuid;
};
const store = inventory('STORE');
const supplier = inventory('SUPPLIER');
const bin = inventory('BIN');
const bySku = new Map();
for (const page of $('Library').all()) {
  for (const product of page.json.products ?? []) {
    for (const variant of product.variants ?? []) {
      const sku = (variant.sku ?? '').trim();
      if (!sku) continue;
      // Zettle does not promise unique SKUs: a SKU on two variants is ambiguous (null)
      bySku.set(sku, bySku.has(sku) ? null : { productUuid: product.uuid, variantUuid: variant.uuid });
    }
  }
}
return $('Extract CSV').all().map(({ json: row }) => {
  const sku = String(row.sku ?? '').trim();
  const variant = bySku.get(sku);
  if (!variant) throw new Error(\`SKU "\${sku}" \${variant === null ? 'is on several variants' : 'is not in the Zettle library'}\`);
  const target = Number(row.quantity);
  if (!Number.isInteger(target) || target < 0) throw new Error(\`SKU "\${sku}": quantity "\${row.quantity}" is not a whole number, 0 or more\`);
  return { json: { sku, target, ...variant, store, supplier, bin } };
});`;

const DELTAS = `// The STORE balances read (one product's rows per read; V3 lists non-zero balances only), then one movement per SKU whose balance differs.
const balance = new Map();
for (const { json: row } of $input.all()) if (row.variantUuid) balance.set(row.variantUuid, Number(row.balance));
return $('Match SKUs').all().flatMap(({ json: t }) => {
  const delta = t.target - (balance.get(t.variantUuid) ?? 0);
  if (delta === 0) return [];
  return [{ json: { sku: t.sku, productUuid: t.productUuid, variantUuid: t.variantUuid, from: delta > 0 ? t.supplier : t.store, to: delta > 0 ? t.store : t.bin, change: Math.abs(delta) } }];
});`;

/**
 * What a careful user builds with n8n's own nodes and the Zettle credential (Inventory API V3):
 * - Inventories (GET /v3/inventories) and the product library (GET /organizations/self/library,
 *   n8n's pagination following the `Link` header, paced; complete only on a 200 without a next
 *   link, so that a 429 page fails the node instead of ending the library early), each once;
 * - a Code node indexing SKU → variant;
 * - per item one balance read (GET /v3/stock/{store}/products/{product}), in chunks of 100 (Loop
 *   Over Items) so that a retry re-reads at most one chunk, paced by the HTTP Request node's
 *   batching (1 request per PACE_MS, the node's own pacing) and a Wait between chunks;
 * - a Code node computing the deltas, then per changed item one movement (POST /v3/movements), one
 *   item per loop iteration with a Wait of 1/rate: n8n's Retry On Fail runs a node again with all
 *   its input items, so a movement node with several items would send the applied ones again after
 *   a 429 (Zettle has no idempotency) — one item per run makes the retry resend only the refused one.
 * Every HTTP Request node has Retry On Fail (5 tries, 1 s apart).
 */
export function baselineWorkflow(id: string, csvPath: string, baseUrl: string) {
	const http = (
		name: string,
		position: number[],
		parameters: Record<string, unknown>,
		extra: Record<string, unknown> = {},
	): Node => ({
		id: name.replace(/\W/g, ''),
		name,
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		position,
		parameters: {
			authentication: 'predefinedCredentialType',
			nodeCredentialType: 'zettleApi',
			...parameters,
		},
		credentials,
		...retry,
		...extra,
	});
	const wait = (name: string, position: number[], seconds: number): Node => ({
		id: name.replace(/\W/g, ''),
		name,
		type: 'n8n-nodes-base.wait',
		typeVersion: 1.1,
		position,
		parameters: { resume: 'timeInterval', amount: seconds, unit: 'seconds' },
		webhookId: `bench-${name.replace(/\W/g, '').toLowerCase()}`,
	});
	const code = (name: string, position: number[], jsCode: string): Node => ({
		id: name.replace(/\W/g, ''),
		name,
		type: 'n8n-nodes-base.code',
		typeVersion: 2,
		position,
		parameters: { mode: 'runOnceForAllItems', jsCode },
	});
	const loop = (name: string, position: number[], batchSize: number): Node => ({
		id: name.replace(/\W/g, ''),
		name,
		type: 'n8n-nodes-base.splitInBatches',
		typeVersion: 3,
		position,
		parameters: { batchSize, options: {} },
	});
	const nodes: Node[] = [
		...csvNodes(csvPath),
		http(
			'Inventories',
			[600, 0],
			{ method: 'GET', url: `${baseUrl}/v3/inventories`, options: {} },
			{ executeOnce: true },
		),
		http(
			'Library',
			[800, 0],
			{
				method: 'GET',
				url: `${baseUrl}/organizations/self/library`,
				sendQuery: true,
				queryParameters: { parameters: [{ name: 'limit', value: '500' }] },
				options: {
					pagination: {
						pagination: {
							paginationMode: 'responseContainsNextURL',
							nextURL: '={{ $response.headers.link.match(/<([^>]+)>/)[1] }}',
							paginationCompleteWhen: 'other',
							// n8n checks a page's status only when the expression asks for another page: "no Link
							// header" alone would take a 429 (which has none) for the last page, silently
							// dropping the rest of the library. Not 200 → another page → n8n throws → Retry On Fail.
							completeExpression: '={{ $response.statusCode === 200 && !$response.headers.link }}',
							requestInterval: PACE_MS,
						},
					},
				},
			},
			{ executeOnce: true },
		),
		code('Match SKUs', [1000, 0], MATCH_SKUS),
		loop('Read In Chunks', [1200, 0], 100),
		wait('Pace Reads', [1400, 100], 1 / RATE),
		http('Read Balance', [1600, 100], {
			method: 'GET',
			url: `=${baseUrl}/v3/stock/{{ $json.store }}/products/{{ $json.productUuid }}`,
			options: { batching: { batch: { batchSize: 1, batchInterval: PACE_MS } } },
		}),
		code('Deltas', [1400, -100], DELTAS),
		loop('One Movement At A Time', [1600, -100], 1),
		wait('Pace Movements', [1800, 0], 1 / RATE),
		http('Move', [2000, 0], {
			method: 'POST',
			url: `${baseUrl}/v3/movements`,
			sendBody: true,
			specifyBody: 'json',
			jsonBody:
				'={{ JSON.stringify({ movements: [{ productUuid: $json.productUuid, variantUuid: $json.variantUuid, from: $json.from, to: $json.to, change: $json.change }] }) }}',
			options: {},
		}),
	];
	const connections = chain([
		'Start',
		'Read CSV',
		'Extract CSV',
		'Inventories',
		'Library',
		'Match SKUs',
		'Read In Chunks',
	]);
	// Loop Over Items: output 0 is "done", output 1 is "loop"
	link(connections, 'Read In Chunks', 1, 'Pace Reads');
	chain(['Pace Reads', 'Read Balance', 'Read In Chunks'], connections);
	link(connections, 'Read In Chunks', 0, 'Deltas');
	link(connections, 'Deltas', 0, 'One Movement At A Time');
	link(connections, 'One Movement At A Time', 1, 'Pace Movements');
	chain(['Pace Movements', 'Move', 'One Movement At A Time'], connections);
	return workflowOf(id, nodes, connections);
}

/** Items from a Code node (the Update Balance comparison: N restocks as Zettle's `changes[]` shape). */
function itemsNodes(items: object[]): Node[] {
	return [
		{
			id: 'b1',
			name: 'Start',
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
		{
			id: 'b2',
			name: 'Items',
			type: 'n8n-nodes-base.code',
			typeVersion: 2,
			position: [200, 0],
			parameters: { jsCode: `return ${JSON.stringify(items)}.map((json) => ({ json }));` },
		},
	];
}

export type MovementSide = 'empty' | 'node' | 'bulk' | 'http';

/** The Update Balance comparison as before issue 16: this node's Update Balance / Bulk Update, or one HTTP Request PUT per item. */
export function movementWorkflow(id: string, side: MovementSide, items: object[], baseUrl: string) {
	const nodes = itemsNodes(items);
	if (side === 'node' || side === 'bulk') {
		const parameters =
			side === 'node'
				? { resource: 'balance', operation: 'updateBalance' }
				: { resource: 'balance', operation: 'bulkUpdate', trackingStatusChange: 'NO_CHANGE' };
		nodes.push({
			id: 'b3',
			name: side === 'node' ? 'Update Balance' : 'Bulk Update',
			type: ZETTLE_TYPE,
			typeVersion: 1,
			position: [400, 0],
			parameters,
			credentials,
		});
	}
	if (side === 'http') {
		// one PUT per item with the seed's body, the Zettle credential as the predefined credential
		// type, and n8n's batching at the rate limit (as before issue 16: no retry)
		nodes.push({
			id: 'b3',
			name: 'HTTP Request',
			type: 'n8n-nodes-base.httpRequest',
			typeVersion: 4.2,
			position: [400, 0],
			parameters: {
				method: 'PUT',
				url: `${baseUrl}/organizations/self/inventory`,
				authentication: 'predefinedCredentialType',
				nodeCredentialType: 'zettleApi',
				sendBody: true,
				specifyBody: 'json',
				jsonBody:
					'={{ JSON.stringify({ changes: [{ productUuid: $json.productUuid, variantUuid: $json.variantUuid, fromLocationUuid: $json.fromLocationUuid, toLocationUuid: $json.toLocationUuid, change: $json.change }] }) }}',
				options: { batching: { batch: { batchSize: 1, batchInterval: Math.round(1000 / RATE) } } },
			},
			credentials,
		});
	}
	return workflowOf(id, nodes, chain(nodes.map((n) => n.name)));
}
