// Location → Get Many: the organization's four locations, read once per execution (and retried like every read), output per input item.

import { SEED } from '../../sandbox/seed';
import { PATH } from '../support/requests';
import { NODE_NAME, OPERATION, runZettle, useSandbox } from '../support/zettle';

const sandbox = useSandbox();

describe('Get Locations', () => {
	it('given two input items, outputs the four locations for each, read once', async () => {
		const { run, output } = await runZettle(sandbox(), OPERATION.getLocations, [{}, {}]);
		expect(run.status).toBe('success');
		const items = output(NODE_NAME);
		expect(items).toHaveLength(8);
		expect(items.slice(0, 4).map((i) => i.json)).toEqual([
			{ uuid: SEED.locations.STORE, type: 'STORE', name: 'STORE', description: 'Available stock', default: true },
			{ uuid: SEED.locations.BIN, type: 'BIN', name: 'BIN', description: 'Discarded items', default: false },
			{ uuid: SEED.locations.SUPPLIER, type: 'SUPPLIER', name: 'SUPPLIER', description: 'Restocks come from here', default: false },
			{ uuid: SEED.locations.SOLD, type: 'SOLD', name: 'SOLD', description: 'Sold items', default: false },
		]);
		expect(items[4].pairedItem).toEqual({ item: 1 });
		expect(sandbox().log('GET', PATH.locations)).toHaveLength(1);
	});

	it('is retried after a 503 and a 500, like every read (issue 11)', async () => {
		sandbox().faults.set({
			rules: [
				{ method: 'GET', path: PATH.locations, nth: [1], action: 'unavailable503' },
				{ method: 'GET', path: PATH.locations, nth: [2], action: 'error500' },
			],
		});
		const { run, output } = await runZettle(sandbox(), OPERATION.getLocations, [{}]);
		expect(run.status).toBe('success');
		expect(output(NODE_NAME)).toHaveLength(4);
	}, 30_000);
});
