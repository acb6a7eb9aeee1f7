// npm run dev: a real n8n editor on http://localhost:5678 with this package loaded (linked, so a
// rebuild and restart picks up changes), the Zettle sandbox running, a "Zettle sandbox" credential
// and the examples/ workflows imported. Ctrl+C stops both.
//
//   N8N_PORT=5679 SANDBOX_PORT=8792 npm run dev    other ports

import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { startSandbox } from '../sandbox/server';
import { CACHE, ensureN8n, importCredentials, installPackage, n8n, n8nEnv, ROOT } from './n8n-host';

async function main() {
	const say = (line: string) => process.stdout.write(`${line}\n`);
	const host = await ensureN8n(undefined, say);
	const userFolder = join(CACHE, `dev-user-folder-${host.version}`);
	mkdirSync(userFolder, { recursive: true });
	await installPackage(userFolder, { link: true });
	const sandbox = await startSandbox({ port: Number(process.env.SANDBOX_PORT ?? 8791) });
	const port = process.env.N8N_PORT ?? '5678';
	const env = await n8nEnv(userFolder, { N8N_PORT: port, N8N_LOG_FORMAT: 'text', N8N_LOG_LEVEL: 'warn' });

	await importCredentials(host, env, [{ id: 'zettleSandboxCred1', name: 'Zettle sandbox', type: 'zettleApi', data: { apiKey: sandbox.apiKey, environment: 'custom', baseUrl: sandbox.url } }]);
	await n8n(host, ['import:workflow', '--separate', `--input=${join(ROOT, 'examples')}`], env);

	say(`Zettle sandbox on ${sandbox.url} (request log: ${sandbox.url}/__sandbox/requests, reset: POST ${sandbox.url}/__sandbox/reset)`);
	say(`n8n ${host.version} starting on http://localhost:${port} with n8n-nodes-zettle linked from ${ROOT}`);
	say('The first visit asks for an owner account (stored only in the local user folder). Open a "Zettle: …" workflow and run it.');
	const child = spawn(host.node, [host.bin, 'start'], { env, cwd: userFolder, stdio: 'inherit' });
	const stop = () => child.kill('SIGTERM');
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
	await new Promise<void>((resolve) => child.on('close', () => resolve()));
	await sandbox.close();
}

main().catch((error) => {
	process.stderr.write(`${String(error?.stack ?? error)}\n`);
	process.exitCode = 1;
});
