// A V8 CPU profile (`.cpuprofile`, as `node --cpu-prof` or the inspector writes it) summarised:
// self time per function and per owner (this package, n8n-core, n8n-workflow, the benchmark's
// harness, Node.js, V8's garbage collector).

import { findSourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';

interface CallFrame {
	functionName: string;
	url: string;
	lineNumber: number;
	columnNumber: number;
}

interface ProfileNode {
	id: number;
	callFrame: CallFrame;
	children?: number[];
}

export interface CpuProfile {
	nodes: ProfileNode[];
	samples: number[];
	timeDeltas: number[];
}

export interface SelfTime {
	name: string;
	owner: string;
	ms: number;
}

/** Who a function belongs to, from its script URL. */
export function ownerOf(frame: CallFrame): string {
	const url = frame.url;
	if (!url) {
		if (frame.functionName === '(garbage collector)') return 'V8 garbage collector';
		if (frame.functionName === '(idle)') return 'idle';
		if (frame.functionName === '(program)') return 'V8 (program)';
		return 'V8 / native';
	}
	if (url.startsWith('node:')) return 'Node.js';
	const pkgs = [...url.matchAll(/node_modules\/((?:@[^/]+\/)?[^/]+)\//g)].map((m) => m[1]);
	if (pkgs.length) return pkgs.length > 1 ? `${pkgs[pkgs.length - 1]} (in ${pkgs[0]})` : pkgs[0];
	if (/\/nodes\/|\/credentials\//.test(url)) return 'this package (nodes/)';
	if (/\/harness\//.test(url)) return 'bench harness (harness/)';
	if (/\/scripts\//.test(url)) return 'bench (scripts/)';
	if (/\/sandbox\//.test(url)) return 'sandbox';
	return url;
}

/** The 1-based line in the original source: through the source map tsx keeps for compiled TypeScript (scripts/bench/sourceMaps.ts). */
function lineOf(frame: CallFrame): number {
	try {
		const map = frame.url.endsWith('.ts')
			? findSourceMap(frame.url.startsWith('file:') ? fileURLToPath(frame.url) : frame.url)
			: undefined;
		const entry = map?.findEntry(frame.lineNumber, frame.columnNumber) as
			| { originalLine?: number }
			| undefined;
		if (entry?.originalLine !== undefined) return entry.originalLine + 1;
	} catch {
		// no map: the compiled line
	}
	return frame.lineNumber + 1;
}

function shortUrl(url: string): string {
	const m =
		/node_modules\/(.*)$/.exec(url) ??
		/\/((?:nodes|credentials|harness|scripts|sandbox)\/.*)$/.exec(url);
	return m ? m[1] : url.replace(/^file:\/\//, '');
}

/** Owners that only carry out what a caller asked for: their time is charged to that caller in `callers`. */
const RUNTIME = new Set(['Node.js', 'V8 / native', 'V8 (program)']);

export interface Summary {
	/** ms of samples, idle and the profiler's own left out */
	total: number;
	/** self time per function (name and place) */
	functions: SelfTime[];
	/** self time per owner */
	owners: SelfTime[];
	/** each sample charged to its nearest caller that is not Node.js or V8 (GC stays GC): whose work it was */
	callers: SelfTime[];
}

/** Self time per function and per owner, and time by calling owner, in ms, largest first. */
export function summarise(profile: CpuProfile): Summary {
	const byId = new Map(profile.nodes.map((n) => [n.id, n]));
	const parentOf = new Map<number, number>();
	for (const n of profile.nodes) for (const c of n.children ?? []) parentOf.set(c, n.id);
	const self = new Map<number, number>();
	profile.samples.forEach((id, i) =>
		self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000),
	);
	const functions = new Map<string, SelfTime>();
	const owners = new Map<string, SelfTime>();
	const callers = new Map<string, SelfTime>();
	const add = (m: Map<string, SelfTime>, name: string, owner: string, ms: number) => {
		const e = m.get(name) ?? { name, owner, ms: 0 };
		e.ms += ms;
		m.set(name, e);
	};
	let total = 0;
	for (const [id, ms] of self) {
		const frame = byId.get(id)!.callFrame;
		const owner = ownerOf(frame);
		if (owner === 'idle') continue;
		let caller = owner;
		let profiler = false;
		for (let p: number | undefined = id; p !== undefined; p = parentOf.get(p)) {
			const f = byId.get(p)!.callFrame;
			if (f.url === 'node:inspector') profiler = true;
			const o = ownerOf(f);
			if (caller === owner && RUNTIME.has(caller) && !RUNTIME.has(o)) caller = o;
		}
		// the profiler's own work (serialising the profile when it stops) is not the run's
		if (profiler) continue;
		total += ms;
		const name = frame.url
			? `${frame.functionName || '(anonymous)'} (${shortUrl(frame.url)}:${lineOf(frame)})`
			: frame.functionName;
		add(functions, name, owner, ms);
		add(owners, owner, owner, ms);
		add(callers, caller, caller, ms);
	}
	const sorted = (m: Map<string, SelfTime>) => [...m.values()].sort((a, b) => b.ms - a.ms);
	return { total, functions: sorted(functions), owners: sorted(owners), callers: sorted(callers) };
}
