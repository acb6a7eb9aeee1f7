// npm run dev: a real n8n editor on http://localhost:5678 with this package loaded (linked, so a
// rebuild and restart picks up changes), the Zettle sandbox running, a "Zettle sandbox" credential
// and the examples/ workflows imported. Ctrl+C stops both.
//
//   N8N_PORT=5679 SANDBOX_PORT=8792 npm run dev    other ports
//
// startDev() is the same setup as a function: `npm run test:ui` runs the editor it starts in a browser.

import { ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';

import { Sandbox, startSandbox } from '../sandbox/server';
import { sandboxApiKeyCredential } from './fixtures';
import { stopProcess } from './processes';
import {
	CACHE,
	ensureN8n,
	importCredentials,
	installPackage,
	N8nHost,
	n8n,
	n8nEnv,
	ROOT,
	waitForRestApi,
} from './n8n-host';

export interface DevOptions {
	/** n8n's user folder; default: one kept in the cache folder (the owner account stays between runs) */
	userFolder?: string;
	/** n8n's port; default N8N_PORT or 5678 */
	port?: number;
	/** the sandbox's port (0: a free one); default SANDBOX_PORT or 8791 */
	sandboxPort?: number;
	/** more environment for n8n */
	env?: Record<string, string>;
	/** n8n's output goes to this file, and n8n runs in its own process group (default: this terminal) */
	logFile?: string;
	log?: (line: string) => void;
}

export interface Dev {
	host: N8nHost;
	/** the editor's address */
	url: string;
	sandbox: Sandbox;
	n8n: ChildProcess;
	/** resolves when n8n has exited */
	exited: Promise<void>;
	/** resolves when the editor's REST API answers; rejects if n8n exits first or after `timeoutMs` */
	ready: (timeoutMs?: number) => Promise<void>;
	/** stops n8n (by its pid; its process group after 30 s) and the sandbox */
	stop: () => Promise<void>;
}

/** Long on purpose: one check's steps in order, read top to bottom. */
export async function startDev(options: DevOptions = {}): Promise<Dev> {
	const say = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
	const host = await ensureN8n(undefined, say);
	const userFolder = options.userFolder ?? join(CACHE, `dev-user-folder-${host.version}`);
	mkdirSync(userFolder, { recursive: true });
	await installPackage(userFolder, { link: true });
	const sandbox = await startSandbox({
		port: options.sandboxPort ?? Number(process.env.SANDBOX_PORT ?? 8791),
	});
	const port = String(options.port ?? process.env.N8N_PORT ?? '5678');
	const env = await n8nEnv(userFolder, {
		N8N_PORT: port,
		N8N_LOG_FORMAT: 'text',
		N8N_LOG_LEVEL: 'warn',
		...options.env,
	});

	try {
		await importCredentials(host, env, [
			sandboxApiKeyCredential(sandbox, { id: 'zettleSandboxCred1', name: 'Zettle sandbox' }),
		]);
		await n8n(host, ['import:workflow', '--separate', `--input=${join(ROOT, 'examples')}`], env);
	} catch (error) {
		await sandbox.close();
		throw error;
	}

	say(
		`Zettle sandbox on ${sandbox.url} (request log: ${sandbox.url}/__sandbox/requests, reset: POST ${sandbox.url}/__sandbox/reset)`,
	);
	say(
		`n8n ${host.version} starting on http://localhost:${port} with n8n-nodes-zettle linked from ${ROOT}`,
	);
	const logFd = options.logFile ? openSync(options.logFile, 'a') : undefined;
	const child = spawn(host.node, [host.bin, 'start'], {
		env,
		cwd: userFolder,
		stdio: logFd === undefined ? 'inherit' : ['ignore', logFd, logFd],
		detached: logFd !== undefined,
	});
	if (logFd !== undefined) closeSync(logFd);
	const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
	const url = `http://localhost:${port}`;
	const running = () => child.exitCode === null && child.signalCode === null;

	const ready = (timeoutMs = 180_000) =>
		waitForRestApi(`http://127.0.0.1:${port}`, running, timeoutMs).catch((error: Error) => {
			throw new Error(
				`${error.message}${running() ? '' : ` (exit ${child.exitCode ?? child.signalCode})`}${options.logFile ? `; its log: ${options.logFile}` : ''}`,
			);
		});

	const stop = async () => {
		// with a log file n8n has a process group of its own: what it left behind there (its task runner) goes too
		await stopProcess(child, { graceMs: 30_000, group: logFd !== undefined });
		await sandbox.close();
	};
	return { host, url, sandbox, n8n: child, exited, ready, stop };
}

async function main() {
	const say = (line: string) => process.stdout.write(`${line}\n`);
	const dev = await startDev({ log: say });
	say(
		'The first visit asks for an owner account (stored only in the local user folder). Open a "Zettle: …" workflow and run it.',
	);
	const stop = () => dev.n8n.kill('SIGTERM');
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
	await dev.exited;
	await dev.sandbox.close();
}

if (require.main === module) {
	main().catch((error) => {
		process.stderr.write(`${String(error?.stack ?? error)}\n`);
		process.exitCode = 1;
	});
}
