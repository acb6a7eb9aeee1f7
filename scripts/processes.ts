// Stopping a child process the scripts started (n8n, its workers, Redis, PostgreSQL, the benchmark's
// sandbox): one way for all of them, so that what a child leaves behind (n8n's task runner) goes too.

import { ChildProcess } from 'node:child_process';

export interface StopOptions {
	/** the signal asking it to end; default SIGTERM */
	signal?: NodeJS.Signals;
	/** how long it has to end before SIGKILL; default 10 s */
	graceMs?: number;
	/**
	 * whether the child leads a process group of its own (spawned `detached`); default true. Then the
	 * SIGKILL goes to the whole group, and once the child has exited, whatever it left in its group is
	 * killed too; otherwise the SIGKILL goes to the child alone.
	 */
	group?: boolean;
}

/** Stops a child: `signal` to its pid; after `graceMs` SIGKILL to its group (or to it); resolves once it has exited. */
export async function stopProcess(
	child: ChildProcess,
	{ signal = 'SIGTERM', graceMs = 10_000, group = true }: StopOptions = {},
): Promise<void> {
	const pid = child.pid;
	if (pid === undefined) return;
	if (child.exitCode === null && child.signalCode === null) {
		const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
		send(pid, signal);
		const timer = setTimeout(() => send(group ? -pid : pid, 'SIGKILL'), graceMs);
		await exited;
		clearTimeout(timer);
	}
	if (group) send(-pid, 'SIGKILL');
}

function send(pid: number, signal: NodeJS.Signals): void {
	try {
		process.kill(pid, signal);
	} catch {
		// already gone
	}
}
