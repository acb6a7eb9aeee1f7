// The importable workflows in examples/, run through n8n's engine against the sandbox: what each one sends and outputs.

import { SEED } from '../sandbox/seed';
import { runWorkflow } from '../harness/engine';
import { TriggerHost } from '../harness/triggerHost';
import { loadExamples } from '../harness/examples';
import { bodies, PATH, PutBody } from './support/requests';
import { apiKeyCredentials, useSandbox } from './support/zettle';

const sandbox = useSandbox();
const examples = Object.fromEntries(loadExamples().map((e) => [e.file, e]));

async function run(file: string) {
	const example = examples[file];
	const result = await runWorkflow(example.workflow, apiKeyCredentials(sandbox()), {
		input: example.input,
		startAt: example.zettle,
	});
	return { ...result, items: result.output(example.zettle) };
}

describe('examples/ workflows', () => {
	it('update-balance.json: the seed example with zero configuration', async () => {
		const { run: r, items } = await run('update-balance.json');
		expect(r.status).toBe('success');
		expect(items.map((i) => i.json.balance)).toEqual([196, 10696]);
		expect(sandbox().log('PUT', '/organizations')).toHaveLength(1);
	});

	it('bulk-start-tracking-restock.json: starts tracking and restocks three products in one request', async () => {
		const { run: r, items } = await run('bulk-start-tracking-restock.json');
		expect(r.status).toBe('success');
		expect(sandbox().log('POST', PATH.bulk)).toHaveLength(1);
		expect(items.map((i) => [i.json.variantUuid, i.json.balance])).toEqual([
			[SEED.mug.white, 238 + 24],
			[SEED.mug.black, 12033 + 12],
			[SEED.cap.oneSize, 5 + 30],
		]);
	});

	it('sync-stock-from-webshop-csv.json: sets STORE levels by SKU from CSV rows, moving only the differences', async () => {
		const { run: r, items } = await run('sync-stock-from-webshop-csv.json');
		expect(r.status).toBe('success');
		expect(
			items.map((i) => [i.json.sku, i.json.before, i.json.target, i.json.moved, i.json.after]),
		).toEqual([
			['TSHIRT-S', 238, 250, 12, 250],
			['TSHIRT-M', 12033, 12000, -33, 12000],
			['CAP-1', 5, 5, 0, 5],
			['MUG-WHITE', 238, 240, 2, 240],
		]);
		// the mug is started first (one bulk request), then one PUT carries the three non-zero deltas
		expect(sandbox().log('POST', PATH.bulk)).toHaveLength(1);
		expect(bodies<PutBody>(sandbox(), 'PUT', PATH.inventory)[0].changes).toHaveLength(3);
	});

	it('sync-stock-from-webshop-csv-v3.json: the same sync on Inventory API V3 gives the same outputs', async () => {
		const { run: r, items } = await run('sync-stock-from-webshop-csv-v3.json');
		expect(r.status).toBe('success');
		expect(
			items.map((i) => [
				i.json.sku,
				i.json.before,
				i.json.target,
				i.json.moved,
				i.json.after,
				i.json.drift,
			]),
		).toEqual([
			['TSHIRT-S', 238, 250, 12, 250, 0],
			['TSHIRT-M', 12033, 12000, -33, 12000, 0],
			['CAP-1', 5, 5, 0, 5, 0],
			['MUG-WHITE', 238, 240, 2, 240, 0],
		]);
		// the mug is started on V3's tracking endpoint, then one movement request carries the three non-zero deltas
		expect(bodies<unknown[]>(sandbox(), 'POST', '/v3/products')).toEqual([
			[{ productUuid: SEED.mug.productUuid, tracking: 'enable' }],
		]);
		const [movements] = bodies<{ movements: Array<{ change: number }>; identifier: string }>(
			sandbox(),
			'POST',
			'/v3/movements',
		);
		expect(movements.movements.map((m) => m.change)).toEqual([12, 33, 2]);
		expect(items[0].json.externalUuid).toBe(movements.identifier);
		expect(sandbox().log(undefined, '/organizations/self/inventory')).toHaveLength(0);
	});

	it("till-sale-to-webshop.json: a till sale starts the workflow with the sale's new STORE level; the shop's own write does not", async () => {
		const example = examples['till-sale-to-webshop.json'];
		const host = await new TriggerHost(example.trigger!, apiKeyCredentials(sandbox())).start();
		try {
			await host.activate();
			await run('sync-stock-from-webshop-csv.json');
			sandbox().sellAtTill(SEED.tshirt.small, 3);
			await sandbox().pusher.idle();
			expect(host.executions).toHaveLength(1);
			expect(host.executions[0].map((i) => [i.json.sku, i.json.after, i.json.delta])).toEqual([
				['TSHIRT-S', 247, -3],
			]);
		} finally {
			await host.close();
		}
	});

	it('bad-input-fails.json: fails on item 1 and sends nothing', async () => {
		const { run: r, error } = await run('bad-input-fails.json');
		expect(r.status).toBe('error');
		expect(error?.message).toMatch(/^Item 1: change -3 is negative/);
		expect(sandbox().log('PUT')).toHaveLength(0);
	});
});
