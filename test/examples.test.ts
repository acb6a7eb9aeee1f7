import { SEED } from '../sandbox/seed';
import { runWorkflow } from './support/engine';
import { loadExamples } from './support/examples';
import { apiKeyCredentials, useSandbox } from './support/zettle';

const sandbox = useSandbox();
const examples = Object.fromEntries(loadExamples().map((e) => [e.file, e]));

async function run(file: string) {
	const example = examples[file];
	const result = await runWorkflow(example.workflow, apiKeyCredentials(sandbox()), { input: example.input, startAt: example.zettle });
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
		expect(sandbox().log('POST', '/organizations/self/v2/inventory/bulk')).toHaveLength(1);
		expect(items.map((i) => [i.json.variantUuid, i.json.balance])).toEqual([
			[SEED.mug.white, 238 + 24],
			[SEED.mug.black, 12033 + 12],
			[SEED.cap.oneSize, 5 + 30],
		]);
	});

	it('bad-input-fails.json: fails on item 1 and sends nothing', async () => {
		const { run: r, error } = await run('bad-input-fails.json');
		expect(r.status).toBe('error');
		expect(error?.message).toMatch(/^Item 1: change -3 is negative/);
		expect(sandbox().log('PUT')).toHaveLength(0);
	});
});
