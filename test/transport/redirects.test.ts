// Redirects are never followed (issue 11, defect 2): a 3xx to another host gets no token, no key and no movement.

import { SEED } from '../../sandbox/seed';
import { useTrap } from '../support/trap';
import { PATH } from '../support/requests';
import { OPERATION, runZettle, storeBalance, units, useSandbox } from '../support/zettle';

const sandbox = useSandbox();
const trap = useTrap();
const RESTOCK = { ...OPERATION.updateBalance, movement: 'restock' };
/** The sandbox answers `method path` with a redirect to the trap, "another host". */
const redirectTo = (status: number, method: string, path: string) =>
	sandbox().faults.set({
		rules: [
			{ method, path, action: 'respond', status, headers: { Location: `${trap().url}/stolen` } },
		],
	});

describe('redirects are never followed: no token, key or movement reaches another host (defect 2)', () => {
	it('a 307 answer to the movement PUT: nothing goes to the other host, and the items are not reported as applied', async () => {
		redirectTo(307, 'PUT', PATH.inventory);
		const { run, error } = await runZettle(sandbox(), RESTOCK, units(2));
		expect(run.status).toBe('error');
		expect(trap().received).toHaveLength(0);
		expect(storeBalance(sandbox(), SEED.tshirt.small)).toBe(238);
		expect(error?.message).toMatch(
			/Zettle answered 307, a redirect to http:\/\/127\.0\.0\.1:\d+: not followed/,
		);
		expect(error?.description).not.toMatch(/^Applied/);
	});

	it('a 302 answer to the locations read: the token is not forwarded and nothing is sent', async () => {
		redirectTo(302, 'GET', PATH.locations);
		const { run, error } = await runZettle(sandbox(), RESTOCK, units(1));
		expect(run.status).toBe('error');
		expect(trap().received).toHaveLength(0);
		expect(error?.message).toMatch(/Zettle answered 302, a redirect/);
		expect(sandbox().log('PUT', PATH.inventory)).toHaveLength(0);
	});

	it('a 307 answer to the token request: the API key is not posted again', async () => {
		redirectTo(307, 'POST', PATH.token);
		const { run, error } = await runZettle(sandbox(), RESTOCK, units(1));
		expect(run.status).toBe('error');
		expect(trap().received).toHaveLength(0);
		expect(error?.message).toMatch(/token endpoint answered a redirect \(307\)/);
	});
});
