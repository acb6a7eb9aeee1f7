// Location → Get Many, on both Inventory APIs: the organization's four locations (V3: its inventories, in the same
// shape), read once per execution (and retried like every read), output per input item.

import { SEED } from '../../sandbox/seed';
import { APIS, runOn, V3 } from '../support/apis';
import { PATH } from '../support/requests';
import { NODE_NAME, OPERATION, useSandbox } from '../support/zettle';

const sandbox = useSandbox();

describe.each(APIS)('Get Locations ($name API)', (api) => {
	it('given two input items, outputs the four locations for each, read once', async () => {
		const { run, output } = await runOn(api, sandbox(), OPERATION.getLocations, [{}, {}]);
		expect(run.status).toBe('success');
		const items = output(NODE_NAME);
		expect(items).toHaveLength(8);
		expect(items.slice(0, 4).map((i) => i.json)).toEqual([
			{
				uuid: SEED.locations.STORE,
				type: 'STORE',
				name: 'STORE',
				description: 'Available stock',
				default: true,
			},
			{
				uuid: SEED.locations.BIN,
				type: 'BIN',
				name: 'BIN',
				description: 'Discarded items',
				default: false,
			},
			{
				uuid: SEED.locations.SUPPLIER,
				type: 'SUPPLIER',
				name: 'SUPPLIER',
				description: 'Restocks come from here',
				default: false,
			},
			{
				uuid: SEED.locations.SOLD,
				type: 'SOLD',
				name: 'SOLD',
				description: 'Sold items',
				default: false,
			},
		]);
		expect(items.slice(4).map((i) => i.json)).toEqual(items.slice(0, 4).map((i) => i.json));
		expect(items[4].pairedItem).toEqual({ item: 1 });
		expect(sandbox().log('GET', api.locationsPath)).toHaveLength(1);
		expect(api.requests(sandbox())).toHaveLength(1);
	});

	it('is retried after a 503 and a 500, like every read (issue 11)', async () => {
		sandbox().faults.set({
			rules: [
				{ ...api.rules.locations, nth: [1], action: 'unavailable503' },
				// a rule counts only the requests that reach it: this one's first is the second read
				{ ...api.rules.locations, nth: [1], action: 'error500' },
			],
		});
		const { run, output } = await runOn(api, sandbox(), OPERATION.getLocations, [{}]);
		expect(run.status).toBe('success');
		expect(output(NODE_NAME)).toHaveLength(4);
		expect(
			sandbox()
				.log('GET', api.locationsPath)
				.map((r) => r.status),
		).toEqual([503, 500, 200]);
	}, 30_000);
});

describe('Get Locations (V3 API)', () => {
	it('reads GET /v3/inventories and nothing of the legacy API', async () => {
		await runOn(V3, sandbox(), OPERATION.getLocations, [{}]);
		expect(sandbox().log('GET', '/v3/inventories')).toHaveLength(1);
		expect(sandbox().log(undefined, '/organizations')).toHaveLength(0);
		expect(sandbox().log('GET', PATH.locations)).toHaveLength(0);
	});
});
