// Every process the benchmark starts, so that each is stopped by its own process id at the end, on
// failure and on Ctrl+C too. Children are started in their own process group (detached): what they
// start in turn (n8n's task runner) is stopped with them (scripts/processes.ts).

import { ChildProcess, spawn, SpawnOptions } from 'node:child_process';

import { stopProcess } from '../processes';

const running = new Set<ChildProcess>();
/** temporary folders and the like, removed on a signal too (a `finally` does not run on process.exit) */
const cleanups = new Set<() => void>();

/** Registers a clean-up to run on Ctrl+C or SIGTERM; call the returned function to drop it once done. */
export function onSignalCleanup(cleanup: () => void): () => void {
	cleanups.add(cleanup);
	return () => cleanups.delete(cleanup);
}

/** Spawns a child in its own process group and remembers it until it exits. */
export function startProcess(command: string, args: string[], options: SpawnOptions): ChildProcess {
	const child = spawn(command, args, { ...options, detached: true });
	running.add(child);
	child.on('exit', () => running.delete(child));
	return child;
}

/** Stops every child still running (at the end, on failure, on a signal). */
export async function stopAll(): Promise<void> {
	await Promise.all([...running].map((child) => stopProcess(child, { graceMs: 5_000 })));
}

/** The pids of the children still running (for the end-of-run check). */
export function runningPids(): number[] {
	return [...running].flatMap((c) => (c.pid === undefined ? [] : [c.pid]));
}

/** On Ctrl+C or SIGTERM: stop the children, then exit. */
export function stopOnSignals(): void {
	for (const name of ['SIGINT', 'SIGTERM'] as const) {
		process.once(name, () => {
			process.stderr.write(
				`\n${name}: stopping the benchmark's processes (${runningPids().join(', ') || 'none'})\n`,
			);
			void stopAll().finally(() => {
				for (const cleanup of cleanups) {
					try {
						cleanup();
					} catch {
						// best effort
					}
				}
				process.exit(130);
			});
		});
	}
}
