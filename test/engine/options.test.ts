// The node's options are checked before anything is sent (engine/options.ts, issue 11): a bad one fails the run, or with Continue every item.

import { PATH } from '../support/requests';
import { NODE_NAME, OPERATION, runZettle, units, useSandbox } from '../support/zettle';

const sandbox = useSandbox();
const RESTOCK = { ...OPERATION.updateBalance, movement: 'restock' };
const puts = () => sandbox().log('PUT', PATH.inventory);

describe('options are checked before anything is sent', () => {
	it('Items per Request that is not a whole number from 1 to 1000 is an error naming the option', async () => {
		const { run, error } = await runZettle(
			sandbox(),
			{ ...RESTOCK, options: { itemsPerRequest: '={{ Number("many") }}' } },
			units(2),
		);
		expect(run.status).toBe('error');
		expect(error?.message).toMatch(/^Items per Request .* is not a whole number from 1 to 1000/);
		expect(puts()).toHaveLength(0);
	});

	it('with Continue, the bad option makes every item an error item; nothing is sent', async () => {
		const { output } = await runZettle(
			sandbox(),
			{ ...RESTOCK, options: { itemsPerRequest: 0 } },
			units(2),
			{ node: { onError: 'continueErrorOutput' } },
		);
		expect(output(NODE_NAME, 0)).toHaveLength(0);
		expect(output(NODE_NAME, 1)).toHaveLength(2);
		expect(puts()).toHaveLength(0);
	});

	it('an External UUID that is not a UUID is refused before sending', async () => {
		const { error } = await runZettle(
			sandbox(),
			{ ...RESTOCK, options: { externalUuid: 'order-42' } },
			units(1),
		);
		expect(error?.message).toMatch(/^External UUID "order-42" is not a UUID/);
		expect(puts()).toHaveLength(0);
	});
});
