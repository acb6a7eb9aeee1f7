// System services for the queue-mode and browser tests: Debian packages installed with apt-get when
// missing (a fresh CI machine has none of them), and Redis, PostgreSQL and long-running n8n processes
// started on loopback, each stopped by its own process id (SIGTERM, then SIGKILL of its process group).

import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import {
	chownSync,
	createWriteStream,
	existsSync,
	mkdtempSync,
	readdirSync,
	rmSync,
	unlinkSync,
	writeFileSync,
	WriteStream,
} from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { freePort, run } from './n8n-host';
import { stopProcess } from './processes';

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;
const onPath = (binary: string) =>
	spawnSync('sh', ['-c', `command -v "${binary}"`], { stdio: 'ignore' }).status === 0;

/**
 * Makes sure Debian packages are installed: `binaries` (names on PATH or absolute paths) tell whether
 * they are. Installs the missing ones with apt-get as root (services are not started by the install:
 * policy-rc.d says no while it runs); otherwise throws a message that says what to install.
 */
export function ensureDebianPackages(
	packages: string[],
	binaries: string[] | { name: string; present: () => boolean },
	log: (line: string) => void,
): Promise<void> {
	// one apt-get at a time: dpkg has one lock, and services are started in parallel
	const next = aptQueue.then(() => installMissing(packages, binaries, log));
	aptQueue = next.catch(() => undefined);
	return next;
}

let aptQueue: Promise<unknown> = Promise.resolve();
let aptUpdated = false;

async function installMissing(
	packages: string[],
	binaries: string[] | { name: string; present: () => boolean },
	log: (line: string) => void,
): Promise<void> {
	const missing = () =>
		Array.isArray(binaries)
			? binaries.filter((b) => (b.startsWith('/') ? !existsSync(b) : !onPath(b)))
			: binaries.present()
				? []
				: [binaries.name];
	if (!missing().length) return;
	const command = `apt-get install -y --no-install-recommends ${packages.join(' ')}`;
	if (!isRoot() || !onPath('apt-get')) {
		throw new Error(
			`${missing().join(', ')} not found: install Debian's ${packages.join(', ')} (as root: apt-get update && ${command})`,
		);
	}
	log(
		`installing Debian's ${packages.join(', ')} (${missing().join(', ')} not found): apt-get update && ${command}`,
	);
	const policy = '/usr/sbin/policy-rc.d';
	const ownPolicy = !existsSync(policy);
	// a package's services (redis-server, postgresql) must not start system-wide: the tests start their own
	if (ownPolicy)
		writeFileSync(
			policy,
			'#!/bin/sh\n# written by n8n-nodes-zettle scripts/system.ts during apt-get install\nexit 101\n',
			{ mode: 0o755 },
		);
	try {
		const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
		// wait for a dpkg lock that another apt-get holds rather than fail at once
		const lock = ['-o', 'DPkg::Lock::Timeout=300'];
		if (!aptUpdated) await run('apt-get', [...lock, 'update'], { env });
		aptUpdated = true;
		await run('apt-get', [...lock, 'install', '-y', '--no-install-recommends', ...packages], {
			env,
		});
	} catch (error) {
		throw new Error(
			`could not install ${packages.join(', ')} with apt-get: ${(error as Error).message.slice(0, 2000)}`,
		);
	} finally {
		if (ownPolicy) unlinkSync(policy);
	}
	const still = missing();
	if (still.length)
		throw new Error(
			`apt-get installed ${packages.join(', ')}, but ${still.join(', ')} is still missing`,
		);
}

/** A process this run started: its output goes to a log file and is kept for checks; stop() ends it. */
export class Service {
	readonly child: ChildProcess;
	private text = '';
	private readonly log: WriteStream;
	private readonly closed: Promise<void>;
	private readonly listeners: Array<(chunk: string) => void> = [];

	constructor(
		readonly name: string,
		command: string,
		args: string[],
		options: { env?: NodeJS.ProcessEnv; cwd?: string; logFile: string },
	) {
		this.log = createWriteStream(options.logFile);
		// its own process group, so that what it starts (n8n's task runner) can be ended with it if it hangs
		this.child = spawn(command, args, {
			env: options.env,
			cwd: options.cwd,
			stdio: ['ignore', 'pipe', 'pipe'],
			detached: true,
		});
		const take = (data: Buffer) => {
			const chunk = data.toString();
			this.text += chunk;
			this.log.write(chunk);
			for (const listener of this.listeners) listener(chunk);
		};
		this.child.stdout!.on('data', take);
		this.child.stderr!.on('data', take);
		this.closed = new Promise((resolve) => this.child.on('close', () => resolve()));
	}

	get pid(): number {
		return this.child.pid!;
	}

	get running(): boolean {
		return this.child.exitCode === null && this.child.signalCode === null;
	}

	output(): string {
		return this.text;
	}

	/** Resolves when the output matches (or rejects after `timeoutMs`, or when the process ends first). */
	waitFor(pattern: RegExp, timeoutMs: number): Promise<void> {
		return new Promise((resolve, reject) => {
			if (pattern.test(this.text)) return resolve();
			const timer = setTimeout(
				() =>
					done(
						new Error(
							`${this.name}: no ${pattern} within ${timeoutMs / 1000} s; its output ends with:\n${this.text.slice(-3000)}`,
						),
					),
				timeoutMs,
			);
			const listener = () => {
				if (pattern.test(this.text)) done();
			};
			const exited = () =>
				done(
					new Error(
						`${this.name} exited (${this.child.exitCode ?? this.child.signalCode}) before ${pattern}:\n${this.text.slice(-3000)}`,
					),
				);
			const done = (error?: Error) => {
				clearTimeout(timer);
				this.listeners.splice(this.listeners.indexOf(listener), 1);
				this.child.off('close', exited);
				if (error) reject(error);
				else resolve();
			};
			this.listeners.push(listener);
			this.child.once('close', exited);
		});
	}

	/**
	 * SIGTERM (or `signal`) to its pid; after `graceMs` SIGKILL to its process group; then anything it
	 * started and left behind in its group (n8n's task runner after a crash) is killed too.
	 */
	async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 30_000): Promise<void> {
		const wasRunning = this.running;
		await stopProcess(this.child, { signal, graceMs });
		// its output until the end, before the log file closes
		if (wasRunning) await this.closed;
		await new Promise<void>((resolve) => this.log.end(resolve));
	}
}

/** Sends RESP commands to a Redis on loopback and returns the raw answer. */
export function redisCommand(port: number, ...args: string[]): Promise<string> {
	return new Promise((resolve, reject) => {
		const socket = connect(port, '127.0.0.1');
		let answer = '';
		socket.setTimeout(5000, () => socket.destroy(new Error('redis: no answer')));
		socket.on('connect', () =>
			socket.write(
				`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`,
			),
		);
		socket.on('data', (d) => {
			answer += d;
			if (answer.endsWith('\r\n')) socket.end();
		});
		socket.on('error', reject);
		socket.on('close', () => resolve(answer));
	});
}

/** Debian's redis-server (installed when missing) on a free loopback port, no persistence. */
export async function startRedis(
	workDir: string,
	log: (line: string) => void,
): Promise<{ port: number; service: Service; version: string }> {
	await ensureDebianPackages(['redis-server'], ['redis-server'], log);
	const port = await freePort();
	const service = new Service(
		'redis-server',
		'redis-server',
		[
			'--port',
			String(port),
			'--bind',
			'127.0.0.1',
			'--save',
			'',
			'--appendonly',
			'no',
			'--dir',
			workDir,
			'--daemonize',
			'no',
		],
		{
			logFile: join(workDir, 'redis.log'),
		},
	);
	try {
		await service.waitFor(/Ready to accept connections/, 30_000);
		const pong = await redisCommand(port, 'PING');
		if (!pong.startsWith('+PONG')) throw new Error(`redis-server did not answer PING: ${pong}`);
	} catch (error) {
		await service.stop();
		throw error;
	}
	const version = /version=([0-9.]+)/.exec(service.output())?.[1] ?? 'unknown';
	return { port, service, version };
}

function postgresBin(): string | undefined {
	const root = '/usr/lib/postgresql';
	if (!existsSync(root)) return undefined;
	const versions = readdirSync(root)
		.filter((v) => existsSync(join(root, v, 'bin', 'postgres')))
		.sort((a, b) => Number(b) - Number(a));
	return versions.length ? join(root, versions[0], 'bin') : undefined;
}

export interface Postgres {
	port: number;
	database: string;
	user: string;
	version: string;
	service: Service;
	/** stops the server and removes its data folder */
	stop: () => Promise<void>;
}

/**
 * Debian's PostgreSQL (installed when missing): a new cluster in a temporary folder, trust
 * authentication on loopback only, one database. PostgreSQL refuses to run as root, so as root the
 * cluster belongs to the `postgres` user the package creates and runs under setpriv (which execs, so
 * the pid is the server's own).
 *
 * Long on purpose: one check's steps in order (set up, act, assert what the sandbox and n8n saw), read top to bottom.
 */
export async function startPostgres(
	database: string,
	log: (line: string) => void,
): Promise<Postgres> {
	await ensureDebianPackages(
		['postgresql'],
		{
			name: 'PostgreSQL (/usr/lib/postgresql/*/bin/postgres)',
			present: () => postgresBin() !== undefined,
		},
		log,
	);
	const bin = postgresBin();
	if (!bin) throw new Error('PostgreSQL is not installed: apt-get install -y postgresql');
	const dataDir = mkdtempSync(join(tmpdir(), 'zettle-postgres-'));
	const asUser = (command: string, args: string[]): [string, string[]] =>
		isRoot()
			? ['setpriv', ['--reuid=postgres', '--regid=postgres', '--init-groups', command, ...args]]
			: [command, args];
	if (isRoot()) chownSync(dataDir, uid('postgres'), gid('postgres'));
	const user = 'n8n';
	const cleanup = () => rmSync(dataDir, { recursive: true, force: true });
	try {
		const [initCommand, initArgs] = asUser(join(bin, 'initdb'), [
			'-D',
			dataDir,
			'-U',
			user,
			'--auth=trust',
			'--no-sync',
			'-E',
			'UTF8',
			'--locale=C',
		]);
		await run(initCommand, initArgs, { cwd: '/' });
	} catch (error) {
		cleanup();
		throw error;
	}
	const port = await freePort();
	const [command, args] = asUser(join(bin, 'postgres'), [
		'-D',
		dataDir,
		'-p',
		String(port),
		'-h',
		'127.0.0.1',
		'-k',
		'',
		'-c',
		'fsync=off',
		'-c',
		'max_connections=100',
	]);
	const service = new Service('postgres', command, args, {
		cwd: '/',
		logFile: join(tmpdir(), `zettle-postgres-${port}.log`),
	});
	const stop = async () => {
		await service.stop('SIGINT'); // fast shutdown
		cleanup();
		rmSync(join(tmpdir(), `zettle-postgres-${port}.log`), { force: true });
	};
	try {
		await service.waitFor(/database system is ready to accept connections/, 60_000);
		await run(
			join(bin, 'createdb'),
			['-h', '127.0.0.1', '-p', String(port), '-U', user, database],
			{ cwd: '/' },
		);
	} catch (error) {
		await stop();
		throw error;
	}
	const version = (await run(join(bin, 'postgres'), ['--version'])).stdout
		.trim()
		.replace(/^postgres \(PostgreSQL\) /, '');
	return { port, database, user, version, service, stop };
}

function uid(name: string): number {
	return Number(spawnSync('id', ['-u', name]).stdout.toString().trim());
}

function gid(name: string): number {
	return Number(spawnSync('id', ['-g', name]).stdout.toString().trim());
}
