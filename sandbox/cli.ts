// `npm run sandbox -- [flags]`: runs the Zettle sandbox until Ctrl+C and prints how to connect n8n to it.

import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

import { FaultOptions } from './faults';
import { SEED, startSandbox } from './server';

const HELP = `Zettle sandbox: a local emulator of Zettle's OAuth, Inventory and Product Library APIs.

Usage: npm run sandbox -- [options]

  --port N                  listen on this port (default 8791; 0 = any free port)
  --host H                  listen address (default 127.0.0.1)
  --latency MS              delay every API answer by MS milliseconds
  --rate-limit N            allow N requests per second per organization, 429 beyond
  --no-retry-after          answer the rate limit's 429 without a Retry-After header
  --error-rate P            answer a share P (0-1) of API requests with 500, nothing applied
  --drop-after-apply-rate P apply a share P (0-1) of writes, then drop the connection unanswered
  --expire-token-after N    an access token expires after N API requests
  --untracked-reads-error   refuse a balance read by product naming an untracked one (400 PRODUCT_NOT_TRACKED)
  --catalogue PxV           also create an organization with P tracked products of V variants
  --seed N                  seed for the random faults (default 42)
  --info-file PATH          write {url, apiKey, catalogueApiKey} as JSON to PATH once listening (for scripts)
  --help                    this text
`;

/** The command line: its option table and the sandbox it starts (long because the table is). */
async function main() {
	const { values } = parseArgs({
		options: {
			port: { type: 'string', default: '8791' },
			host: { type: 'string', default: '127.0.0.1' },
			latency: { type: 'string' },
			'rate-limit': { type: 'string' },
			'no-retry-after': { type: 'boolean' },
			'error-rate': { type: 'string' },
			'drop-after-apply-rate': { type: 'string' },
			'expire-token-after': { type: 'string' },
			'untracked-reads-error': { type: 'boolean' },
			catalogue: { type: 'string' },
			seed: { type: 'string' },
			'info-file': { type: 'string' },
			help: { type: 'boolean' },
		},
	});
	if (values.help) {
		process.stdout.write(HELP);
		return;
	}
	const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
	const faults: FaultOptions = {
		latencyMs: num(values.latency),
		rateLimitPerSecond: num(values['rate-limit']),
		rateLimitRetryAfter: !values['no-retry-after'],
		errorRate: num(values['error-rate']),
		dropAfterApplyRate: num(values['drop-after-apply-rate']),
		expireTokenAfterRequests: num(values['expire-token-after']),
		untrackedReads: values['untracked-reads-error'] ? 'error' : 'list',
		seed: num(values.seed),
	};
	let catalogue;
	if (values.catalogue) {
		const [products, variantsPerProduct] = values.catalogue.split('x').map(Number);
		catalogue = { products, variantsPerProduct };
	}
	const sandbox = await startSandbox({
		port: Number(values.port),
		host: values.host,
		faults,
		catalogue,
	});
	const lines = [
		`Zettle sandbox listening on ${sandbox.url}`,
		'',
		'In n8n, create a "Zettle API" credential with',
		'  Environment: Custom (e.g. the sandbox)',
		`  Base URL:    ${sandbox.url}`,
		`  API Key:     ${sandbox.apiKey}`,
		'',
		`Seed organization ${SEED.organizationUuid}: STORE ${SEED.locations.STORE}, BIN ${SEED.locations.BIN}`,
		`  T-shirt ${SEED.tshirt.productUuid}: Small ${SEED.tshirt.small}, Medium ${SEED.tshirt.medium} (tracked)`,
		`  Mug     ${SEED.mug.productUuid}: White ${SEED.mug.white}, Black ${SEED.mug.black} (not tracked)`,
		'',
		`OAuth2 partner app: Client ID ${sandbox.oauth.partnerApp.clientId}, Client Secret ${sandbox.oauth.partnerApp.clientSecret}`,
		`  Authorization URL ${sandbox.url}/authorize, Access Token URL ${sandbox.url}/token`,
		'',
		`Request log: ${sandbox.url}/__sandbox/requests   Balances: ${sandbox.url}/__sandbox/state   Reset: POST ${sandbox.url}/__sandbox/reset`,
	];
	if (sandbox.catalogueApiKey)
		lines.push('', `Catalogue organization API key: ${sandbox.catalogueApiKey}`);
	if (values['info-file']) {
		const info = {
			url: sandbox.url,
			apiKey: sandbox.apiKey,
			catalogueApiKey: sandbox.catalogueApiKey ?? null,
			pid: process.pid,
		};
		writeFileSync(values['info-file'], JSON.stringify(info), { mode: 0o600 });
	}
	process.stdout.write(`${lines.join('\n')}\n`);
	const stop = () => void sandbox.close().then(() => process.exit(0));
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

main().catch((error) => {
	process.stderr.write(`${String(error?.stack ?? error)}\n`);
	process.exit(1);
});
