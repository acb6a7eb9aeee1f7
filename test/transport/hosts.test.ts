// Where a credential sends keys and tokens (transport/hosts.ts): production hosts, or a custom Base URL that is HTTPS or loopback and carries no password.

import { clientIdFromApiKey, zettleHosts } from '../../nodes/ZettleInventory/transport/hosts';
import { TestCredentialsHelper } from '../../harness/engine';
import { OPERATION, runZettle, units, useSandbox } from '../support/zettle';

describe('hosts and keys', () => {
	it('allows plain http only to loopback', () => {
		expect(zettleHosts({ environment: 'production' })).toMatchObject({
			oauth: 'https://oauth.zettle.com',
			inventory: 'https://inventory.izettle.com',
		});
		expect(zettleHosts({ environment: 'custom', baseUrl: 'http://127.0.0.1:8791/' })).toEqual({
			oauth: 'http://127.0.0.1:8791',
			inventory: 'http://127.0.0.1:8791',
			products: 'http://127.0.0.1:8791',
			pusher: 'http://127.0.0.1:8791',
		});
		expect(zettleHosts({ environment: 'custom', baseUrl: 'http://[::1]:9' })).not.toHaveProperty(
			'error',
		);
		expect(zettleHosts({ environment: 'custom', baseUrl: 'http://10.0.0.5' })).toHaveProperty(
			'error',
		);
		expect(
			zettleHosts({ environment: 'custom', baseUrl: 'https://zettle.internal' }),
		).not.toHaveProperty('error');
	});

	it('reads the client ID from an API key', () => {
		const key = `x.${Buffer.from(JSON.stringify({ clientId: 'abc' })).toString('base64url')}.y`;
		expect(clientIdFromApiKey(key)).toBe('abc');
		expect(clientIdFromApiKey('not a key')).toBeUndefined();
	});
});

describe('a Base URL with credentials in it (issue 11)', () => {
	const sandbox = useSandbox();

	it('a Base URL with a user name and password is refused before anything is sent, and the password is not echoed', async () => {
		const credentials = new TestCredentialsHelper({
			zettleApi: {
				apiKey: sandbox().apiKey,
				environment: 'custom',
				baseUrl: sandbox().url.replace('http://', 'http://admin:hunter2@'),
			},
		});
		const { run, error } = await runZettle(
			sandbox(),
			{ ...OPERATION.updateBalance, movement: 'restock' },
			units(1),
			{ credentials },
		);
		expect(run.status).toBe('error');
		expect(error?.message).toMatch(/must not contain a user name or password/);
		expect(JSON.stringify(run)).not.toContain('hunter2');
		expect(sandbox().requests).toHaveLength(0);
	});
});
