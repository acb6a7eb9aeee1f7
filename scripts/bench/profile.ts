// A V8 CPU profile (`.cpuprofile`, as `node --cpu-prof` or the inspector writes it) summarised:
// self time per function and per owner (this package, n8n-core, n8n-workflow, the benchmark's
// harness, Node.js, V8's garbage collector).

interface CallFrame {
	functionName: string;
	url: string;
	lineNumber: number;
}

interface ProfileNode {
	id: number;
	callFrame: CallFrame;
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
	const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1];
	if (pkg) return pkg;
	if (/\/nodes\/|\/credentials\//.test(url)) return 'this package (nodes/)';
	if (/\/harness\//.test(url)) return 'bench harness (harness/)';
	if (/\/scripts\//.test(url)) return 'bench (scripts/)';
	if (/\/sandbox\//.test(url)) return 'sandbox';
	return url;
}

function shortUrl(url: string): string {
	const m = /node_modules\/(.*)$/.exec(url) ?? /\/((?:nodes|credentials|harness|scripts|sandbox)\/.*)$/.exec(url);
	return m ? m[1] : url.replace(/^file:\/\//, '');
}

/** Self time per function (name + place) and per owner, in ms, largest first; idle left out. */
export function summarise(profile: CpuProfile): { total: number; functions: SelfTime[]; owners: SelfTime[] } {
	const byId = new Map(profile.nodes.map((n) => [n.id, n]));
	const self = new Map<number, number>();
	profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
	const functions = new Map<string, SelfTime>();
	const owners = new Map<string, SelfTime>();
	let total = 0;
	for (const [id, ms] of self) {
		const frame = byId.get(id)!.callFrame;
		const owner = ownerOf(frame);
		if (owner === 'idle') continue;
		total += ms;
		const name = frame.url ? `${frame.functionName || '(anonymous)'} (${shortUrl(frame.url)}:${frame.lineNumber + 1})` : frame.functionName;
		const f = functions.get(name) ?? { name, owner, ms: 0 };
		f.ms += ms;
		functions.set(name, f);
		const o = owners.get(owner) ?? { name: owner, owner, ms: 0 };
		o.ms += ms;
		owners.set(owner, o);
	}
	const sorted = (m: Map<string, SelfTime>) => [...m.values()].sort((a, b) => b.ms - a.ms);
	return { total, functions: sorted(functions), owners: sorted(owners) };
}
