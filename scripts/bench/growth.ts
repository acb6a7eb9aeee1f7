// Growth: the node alone, n8n-core's engine in this process (no n8n start-up, no other node), on
// 1,000 / 10,000 / 100,000 items against a sandbox without latency or rate limit whose catalogue
// has as many variants as there are items (a shop of N SKUs syncs N SKUs). CPU per item and peak
// memory, to show the cost grows linearly in N; optionally a V8 CPU profile of the largest run.

import { Session } from 'node:inspector';

import type { INodeParameters } from 'n8n-workflow';

import { runWorkflow, TestCredentialsHelper } from '../../harness/engine';
import { zettleNode } from '../../harness/zettle';
import { SandboxProcess } from './sandbox';
import {
	catalogueOrganization,
	checkTargets,
	restocks,
	restockTargets,
	targetsOf,
	webshopExport,
} from './workload';

export type GrowthOperation = 'updateBalance' | 'setStockLevel';

export interface GrowthMeasure {
	operation: GrowthOperation;
	n: number;
	/** CPU of this process during the run (all threads), seconds: the first run of the size, and a repeat */
	cpuS: number;
	repeatCpuS: number;
	/** peak RSS during the run above the RSS before it, MB (the larger of the two runs) */
	rssGrowthMb: number;
	/** peak RSS of this process during the run, MB */
	peakRssMb: number;
	/** wall time of the repeated run, s */
	wallS: number;
	requests: number;
	correct: boolean;
}

/** The node's parameters for a growth run: defaults, but no pacing (the sandbox has no rate limit here). */
export function growthParameters(operation: GrowthOperation): INodeParameters {
	const options = { requestsPerSecond: 100_000 };
	return operation === 'updateBalance'
		? { resource: 'balance', operation: 'updateBalance', options }
		: { resource: 'balance', operation: 'setStockLevel', identifyBy: 'sku', options };
}

function inputOf(operation: GrowthOperation, n: number) {
	const org = catalogueOrganization({ products: n / 10, variantsPerProduct: 10 });
	if (operation === 'updateBalance') {
		const moves = restocks(org, n);
		return { org, input: moves as object[], expected: restockTargets(moves) };
	}
	const rows = webshopExport(org, n);
	// as Extract From File gives them: every value a string
	return {
		org,
		input: rows.map((r) => ({ sku: r.sku, quantity: String(r.quantity), title: `Item ${r.sku}` })),
		expected: targetsOf(rows),
	};
}

export interface RunOnce {
	cpuS: number;
	wallS: number;
	rssGrowthMb: number;
	peakRssMb: number;
	ok: boolean;
}

/** One run of the node through n8n-core's engine; CPU of this process around it, RSS sampled every 50 ms. */
export async function runOnce(
	sandbox: SandboxProcess,
	parameters: INodeParameters,
	input: object[],
	typeVersion = 1,
): Promise<RunOnce> {
	const credentials = new TestCredentialsHelper({
		zettleApi: { apiKey: sandbox.apiKey, environment: 'custom', baseUrl: sandbox.url },
	});
	(global as { gc?: () => void }).gc?.();
	const before = process.memoryUsage.rss();
	let peak = before;
	// rss() alone and every 50 ms: each sample reads /proc (about 0.1 ms) and counts as the node's CPU
	const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 50);
	const started = Date.now();
	const cpu0 = process.cpuUsage();
	const { run } = await runWorkflow(
		{ nodes: [zettleNode(parameters, { typeVersion })], connections: {} },
		credentials,
		{ input: input as never, startAt: 'Zettle Inventory' },
	);
	const cpu = process.cpuUsage(cpu0);
	const wallS = (Date.now() - started) / 1000;
	clearInterval(sampler);
	peak = Math.max(peak, process.memoryUsage.rss());
	return {
		cpuS: (cpu.user + cpu.system) / 1e6,
		wallS,
		rssGrowthMb: (peak - before) / 2 ** 20,
		peakRssMb: peak / 2 ** 20,
		ok: run.status === 'success',
	};
}

/**
 * Each operation at each size, twice (the first run of a size pays for compiling its hot paths),
 * after one warm-up run of each at the smallest size (module loading, the engine's first run).
 */
export async function measureGrowth(
	sizes: number[],
	operations: GrowthOperation[],
	say: (line: string) => void,
): Promise<GrowthMeasure[]> {
	const results: GrowthMeasure[] = [];
	for (const [index, n] of sizes.entries()) {
		const sandbox = await new SandboxProcess({ products: n / 10, variantsPerProduct: 10 }).start();
		try {
			if (index === 0) {
				for (const operation of operations) {
					await sandbox.reset();
					await runOnce(sandbox, growthParameters(operation), inputOf(operation, n).input);
				}
			}
			for (const operation of operations) {
				const { org, input, expected } = inputOf(operation, n);
				const parameters = growthParameters(operation);
				const runs: RunOnce[] = [];
				let correct = true;
				let requests = 0;
				for (let i = 0; i < 2; i++) {
					await sandbox.reset();
					runs.push(await runOnce(sandbox, parameters, input));
					const wrong = checkTargets(org, await sandbox.state(org.store.uuid), expected);
					correct &&= runs[i].ok && !wrong.length;
					requests = (await sandbox.requests()).filter((r) => r.path !== '/token').length;
				}
				const m: GrowthMeasure = {
					operation,
					n,
					cpuS: runs[0].cpuS,
					repeatCpuS: runs[1].cpuS,
					rssGrowthMb: Math.max(runs[0].rssGrowthMb, runs[1].rssGrowthMb),
					peakRssMb: Math.max(runs[0].peakRssMb, runs[1].peakRssMb),
					wallS: runs[1].wallS,
					requests,
					correct,
				};
				results.push(m);
				say(
					`  ${operation} N=${n}: CPU ${m.cpuS.toFixed(2)} s (repeat ${m.repeatCpuS.toFixed(2)} s) = ${((m.repeatCpuS / n) * 1e6).toFixed(1)} µs/item, RSS +${m.rssGrowthMb.toFixed(0)} MB (peak ${m.peakRssMb.toFixed(0)} MB), ${requests} requests, ${correct ? 'correct' : 'WRONG'}`,
				);
			}
		} finally {
			await sandbox.stop();
		}
	}
	return results;
}

/** A V8 CPU profile (sampling, 100 µs) of one more run of `operation` at N, through the inspector of this process. */
export async function profileRun(operation: GrowthOperation, n: number): Promise<object> {
	const sandbox = await new SandboxProcess({ products: n / 10, variantsPerProduct: 10 }).start();
	const session = new Session();
	session.connect();
	const post = <T>(method: string, params?: object) =>
		new Promise<T>((resolve, reject) =>
			session.post(method, params, (error, result) =>
				error ? reject(error) : resolve(result as T),
			),
		);
	try {
		const { input } = inputOf(operation, n);
		await sandbox.reset();
		await runOnce(sandbox, growthParameters(operation), input); // warm: the profile is of a repeated run
		await sandbox.reset();
		await post('Profiler.enable');
		await post('Profiler.setSamplingInterval', { interval: 100 });
		await post('Profiler.start');
		await runOnce(sandbox, growthParameters(operation), input);
		const { profile } = await post<{ profile: object }>('Profiler.stop');
		return profile;
	} finally {
		session.disconnect();
		await sandbox.stop();
	}
}
