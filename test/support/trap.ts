// "Another host" for tests: a second loopback listener (another port is another origin) that records
// every request it receives and answers 200. A test points a redirect at it and asserts that nothing
// (no token, no key, no movement) ever arrives.

import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';

export interface TrappedRequest {
	method: string;
	url: string;
	headers: IncomingMessage['headers'];
	body: string;
}

export class Trap {
	readonly received: TrappedRequest[] = [];
	url = '';
	private server?: Server;

	async start(): Promise<this> {
		this.server = createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (c: Buffer) => chunks.push(c));
			req.on('end', () => {
				this.received.push({
					method: req.method ?? 'GET',
					url: req.url ?? '/',
					headers: req.headers,
					body: Buffer.concat(chunks).toString('utf8'),
				});
				res.writeHead(200, { 'Content-Type': 'application/json' });
				res.end(
					JSON.stringify({
						access_token: 'trap-token',
						expires_in: 7200,
						locationUuid: 'trap',
						variants: [],
					}),
				);
			});
		});
		await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
		this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
		return this;
	}

	async close(): Promise<void> {
		this.server?.closeAllConnections();
		await new Promise<void>((resolve) =>
			this.server ? this.server.close(() => resolve()) : resolve(),
		);
	}
}

/** A trap per test, started before and closed after. */
export function useTrap() {
	let trap: Trap;
	beforeEach(async () => {
		trap = await new Trap().start();
	});
	afterEach(async () => {
		await trap.close();
	});
	return () => trap;
}
