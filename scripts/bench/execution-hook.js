// An n8n external hook file (EXTERNAL_HOOK_FILES) that `npm run bench` loads into `n8n execute`: the
// CPU time and peak memory of the execution itself, without n8n's start-up (6–8 s of CPU that varies
// by a second from run to run, more than a 1,000-item run costs). At workflow.preExecute and
// workflow.postExecute it reads the CPU time of n8n's process (process.cpuUsage) and of its child
// processes (the task runner that runs Code nodes: /proc/<pid>/stat), samples n8n's RSS every 100 ms
// in between (each sample reads /proc: about 0.1 ms of CPU, counted in the execution's), reads the
// children's peak RSS (VmHWM) at the end, and writes the figures as JSON to BENCH_EXECUTION_FILE.
// Benchmark only, not the package.

const { readdirSync, readFileSync, writeFileSync } = require('node:fs');

const file = process.env.BENCH_EXECUTION_FILE;
const TICK_S = 0.01; // USER_HZ on Linux

/** utime + stime of the child processes (and theirs), in seconds, and the largest one's peak RSS (VmHWM) in MB. */
function children() {
	const parentOf = new Map();
	const stat = new Map();
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const text = readFileSync(`/proc/${entry}/stat`, 'utf8');
			// the command is in parentheses and may hold spaces: fields start after its closing one
			const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
			parentOf.set(Number(entry), Number(fields[1]));
			stat.set(Number(entry), { cpuS: (Number(fields[11]) + Number(fields[12])) * TICK_S });
		} catch {
			// gone in between
		}
	}
	const isDescendant = (pid) => {
		for (let p = parentOf.get(pid); p !== undefined && p > 1; p = parentOf.get(p))
			if (p === process.pid) return true;
		return false;
	};
	let cpuS = 0;
	let peakRssMb = 0;
	for (const [pid, s] of stat) {
		if (!isDescendant(pid)) continue;
		cpuS += s.cpuS;
		try {
			const hwm = /VmHWM:\s*(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
			if (hwm) peakRssMb = Math.max(peakRssMb, Number(hwm[1]) / 1024);
		} catch {
			// gone in between
		}
	}
	return { cpuS, peakRssMb };
}

const ownCpuS = () => {
	const u = process.cpuUsage();
	return (u.user + u.system) / 1e6;
};

let start;
let sampler;
let peakRssMb = 0;

module.exports = {
	workflow: {
		preExecute: [
			async function benchExecutionStart() {
				if (!file) return;
				const c = children();
				start = {
					at: Date.now(),
					cpuS: ownCpuS(),
					childCpuS: c.cpuS,
					rssMb: process.memoryUsage.rss() / 2 ** 20,
				};
				peakRssMb = start.rssMb;
				sampler = setInterval(
					() => (peakRssMb = Math.max(peakRssMb, process.memoryUsage.rss() / 2 ** 20)),
					100,
				);
			},
		],
		postExecute: [
			async function benchExecutionEnd() {
				if (!file || !start) return;
				clearInterval(sampler);
				const c = children();
				peakRssMb = Math.max(peakRssMb, process.memoryUsage.rss() / 2 ** 20);
				const result = {
					wallMs: Date.now() - start.at,
					cpuS: ownCpuS() - start.cpuS,
					childCpuS: c.cpuS - start.childCpuS,
					rssBeforeMb: start.rssMb,
					peakRssMb,
					childPeakRssMb: c.peakRssMb,
				};
				writeFileSync(file, JSON.stringify(result));
			},
		],
	},
};
