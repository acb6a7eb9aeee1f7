import { SEED } from '../sandbox/seed';
import { NODE_NAME, runZettle, SEED_CHANGES, useSandbox } from './support/zettle';

const sandbox = useSandbox();
const UPDATE = { resource: 'balance', operation: 'updateBalance' };

describe('Update Balance', () => {
	it("sends the seed's example request and outputs the seed's response balances", async () => {
		const { run, output } = await runZettle(sandbox(), UPDATE, SEED_CHANGES);
		expect(run.status).toBe('success');

		const puts = sandbox().log('PUT', '/organizations/self/inventory');
		expect(puts).toHaveLength(1);
		const body = puts[0].body as { externalUuid: string };
		// the seed's request body, plus the externalUuid the node generates for the request
		expect(body).toEqual({ changes: SEED_CHANGES, externalUuid: expect.stringMatching(/^[0-9a-f-]{36}$/) });

		expect(output(NODE_NAME)).toEqual([
			{
				json: {
					locationUuid: SEED.locations.STORE,
					locationType: 'STORE',
					productUuid: SEED.tshirt.productUuid,
					variantUuid: SEED.tshirt.small,
					balance: 196,
					externalUuid: body.externalUuid,
				},
				pairedItem: [{ item: 0 }],
			},
			{
				json: {
					locationUuid: SEED.locations.STORE,
					locationType: 'STORE',
					productUuid: SEED.tshirt.productUuid,
					variantUuid: SEED.tshirt.medium,
					balance: 10696,
					externalUuid: body.externalUuid,
				},
				pairedItem: [{ item: 1 }],
			},
		]);
	});
});
