// The machine while the benchmark runs: load average and other busy processes (jest, n8n) that
// would share its two cores, and an optional wait for a quiet moment before measuring.

import { execFileSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';

export function machineLine(nodeVersion: string): string {
	return `${cpus().length} CPUs (${cpus()[0]?.model.trim()}), ${Math.round(totalmem() / 2 ** 30)} GB RAM, Node ${nodeVersion}`;
}

export const loadLine = () =>
	loadavg()
		.map((l) => l.toFixed(2))
		.join(', ');

/** Other processes that compete for the CPUs (test runs, other n8n instances), not this benchmark's own. */
export function otherBusyProcesses(ownPids: number[]): string[] {
	let text = '';
	try {
		text = execFileSync('ps', ['-eo', 'pid=,ppid=,pcpu=,args='], { encoding: 'utf8' });
	} catch {
		return [];
	}
	const own = new Set([process.pid, process.ppid, ...ownPids]);
	return text
		.split('\n')
		.map((line) => /^\s*(\d+)\s+(\d+)\s+([\d.]+)\s+(.*)$/.exec(line))
		.filter((m): m is RegExpExecArray => !!m)
		.filter((m) => !own.has(Number(m[1])) && !own.has(Number(m[2])))
		.filter((m) => /\bjest\b|\bn8n\b|playwright|chromium/i.test(m[4]) && !/\bps -eo\b/.test(m[4]))
		.map((m) => `${m[1]} (${m[3]}% CPU): ${m[4].slice(0, 120)}`);
}

/**
 * Waits up to `maxMinutes` for a quiet machine: 1-minute load average under 0.5 per CPU and no other
 * jest or n8n processes. Returns what it saw when it stopped waiting.
 */
export async function waitForQuiet(
	maxMinutes: number,
	ownPids: () => number[],
	say: (line: string) => void,
): Promise<{ quiet: boolean; waitedS: number; others: string[] }> {
	const started = Date.now();
	for (;;) {
		const others = otherBusyProcesses(ownPids());
		const quiet = !others.length && loadavg()[0] < 0.5 * cpus().length;
		const waitedS = Math.round((Date.now() - started) / 1000);
		if (quiet || Date.now() - started >= maxMinutes * 60_000) return { quiet, waitedS, others };
		say(
			`  waiting for a quiet machine (load ${loadLine()}; ${others.length} other jest/n8n processes), ${waitedS} s so far`,
		);
		await new Promise((r) => setTimeout(r, 30_000));
	}
}
