// The sandbox in its own process (so that CPU measured in the benchmark is n8n's and the node's
// only), started with `sandbox/cli.ts` and driven by its admin API.

import { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { FaultRule } from '../../sandbox/faults';
import type { LoggedRequest } from '../../sandbox/server';
import { ROOT } from '../n8n-host';
import { stopProcess } from '../processes';
import { onSignalCleanup, startProcess } from './processes';

export interface SandboxOptions {
	products: number;
	variantsPerProduct: number;
	/** ms per request; none when undefined */
	latencyMs?: number;
	/** requests per second per organization, 429 beyond; none when undefined */
	rate?: number;
}

/** What the sandbox holds for one organization: locations → variant → balance, and the tracked products. */
export interface OrgState {
	tracked: string[];
	balances: Record<string, Record<string, number>>;
}

export class SandboxProcess {
	url = '';
	apiKey = '';
	pid = 0;
	private child?: ChildProcess;
	private readonly dir = mkdtempSync(join(tmpdir(), 'zettle-bench-sandbox-'));
	private readonly dropCleanup = onSignalCleanup(() =>
		rmSync(this.dir, { recursive: true, force: true }),
	);

	constructor(readonly options: SandboxOptions) {}

	async start(): Promise<this> {
		const info = join(this.dir, 'sandbox.json');
		const { products, variantsPerProduct, latencyMs, rate } = this.options;
		const args = [
			'--import',
			'tsx',
			'sandbox/cli.ts',
			'--port',
			'0',
			'--catalogue',
			`${products}x${variantsPerProduct}`,
			'--info-file',
			info,
		];
		if (latencyMs) args.push('--latency', String(latencyMs));
		if (rate) args.push('--rate-limit', String(rate));
		// `node --import tsx`: one process, whose pid is the sandbox's own
		this.child = startProcess(process.execPath, args, { cwd: ROOT, stdio: 'ignore' });
		for (let i = 0; i < 600; i++) {
			if (this.child.exitCode !== null) break;
			try {
				const parsed = JSON.parse(readFileSync(info, 'utf8')) as {
					url: string;
					catalogueApiKey: string;
					pid: number;
				};
				Object.assign(this, { url: parsed.url, apiKey: parsed.catalogueApiKey, pid: parsed.pid });
				return this;
			} catch {
				await new Promise((r) => setTimeout(r, 100));
			}
		}
		await this.stop();
		throw new Error(`the sandbox (${products}×${variantsPerProduct}) did not start`);
	}

	/**
	 * One admin request on a connection of its own: a kept-alive connection that the server closes
	 * after its 5 s idle timeout, just as the next request goes out, fails that request.
	 */
	admin<T>(method: string, path: string, body?: unknown): Promise<T> {
		return new Promise((resolve, reject) => {
			const headers = body === undefined ? {} : { 'content-type': 'application/json' };
			const req = request(`${this.url}${path}`, { method, agent: false, headers }, (res) => {
				const chunks: Buffer[] = [];
				res.on('data', (c: Buffer) => chunks.push(c));
				res.on('error', reject);
				res.on('end', () => {
					if ((res.statusCode ?? 500) >= 300)
						return reject(new Error(`sandbox ${method} ${path}: ${res.statusCode}`));
					const text = Buffer.concat(chunks).toString('utf8');
					resolve((text ? JSON.parse(text) : undefined) as T);
				});
			});
			req.on('error', reject);
			req.end(body === undefined ? undefined : JSON.stringify(body));
		});
	}

	/** Back to the generated catalogue, every STORE balance at its start; the request log emptied. */
	reset = () => this.admin<void>('POST', '/__sandbox/reset');
	requests = () => this.admin<LoggedRequest[]>('GET', '/__sandbox/requests');

	/** Scripted faults on top of the latency and rate limit it was started with (until the next reset). */
	setRules = (rules: FaultRule[]) =>
		this.admin<void>('PUT', '/__sandbox/faults', {
			latencyMs: this.options.latencyMs,
			rateLimitPerSecond: this.options.rate,
			rules,
		});

	/** The catalogue organization's state (the one whose STORE is `storeUuid`). */
	async state(storeUuid: string): Promise<OrgState> {
		const all = await this.admin<Record<string, OrgState>>('GET', '/__sandbox/state');
		const org = Object.values(all).find((o) => o.balances[storeUuid]);
		if (!org) throw new Error('the sandbox has no catalogue organization');
		return org;
	}

	async stop(): Promise<void> {
		if (this.child) await stopProcess(this.child);
		rmSync(this.dir, { recursive: true, force: true });
		this.dropCleanup();
	}
}
