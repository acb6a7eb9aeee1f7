// The two Zettle Inventory APIs the node speaks, for tests that run on both (describe.each(APIS)): how to ask
// the node for each, and what the sandbox received from it in one shape, whichever API carried it.

import type { INode } from 'n8n-workflow';

import type { Sandbox } from '../../sandbox/server';
import { bodies, BulkBody, Change, PATH, PutBody } from './requests';

export interface ApiCase {
	name: 'legacy' | 'v3';
	/** the node as a workflow saved before (version 1: legacy) or placed today (version 2: V3) */
	node: Partial<INode>;
	/** the path movements go to */
	movementsPath: string;
	/** the movements the sandbox received (applied or not), in order, in the legacy `changes[]` shape */
	movementsSent(sandbox: Sandbox): Change[];
	/** the requests that carried movements, in order */
	movementRequests(sandbox: Sandbox): ReturnType<Sandbox['log']>;
	/** the correlation id of each movement request (legacy externalUuid, V3 identifier) */
	correlationIds(sandbox: Sandbox): string[];
}

interface V3Body {
	identifier: string;
	movements: Array<{ productUuid: string; variantUuid: string; from: string; to: string; change: number }>;
}

export const LEGACY: ApiCase = {
	name: 'legacy',
	node: { typeVersion: 1 },
	movementsPath: PATH.inventory,
	movementsSent: (sandbox) => [
		...bodies<PutBody>(sandbox, 'PUT', PATH.inventory).flatMap((b) => b.changes),
		...bodies<BulkBody>(sandbox, 'POST', PATH.bulk).flatMap((b) => b.productChanges.flatMap((p) => p.variantChanges.map((v) => ({ productUuid: p.productUuid, ...v })))),
	],
	movementRequests: (sandbox) => sandbox.requests.filter((r) => (r.method === 'PUT' && r.path === PATH.inventory) || (r.method === 'POST' && r.path === PATH.bulk)),
	correlationIds: (sandbox) => LEGACY.movementRequests(sandbox).map((r) => (r.body as { externalUuid: string }).externalUuid),
};

export const V3: ApiCase = {
	name: 'v3',
	node: { typeVersion: 2 },
	movementsPath: '/v3/movements',
	movementsSent: (sandbox) =>
		bodies<V3Body>(sandbox, 'POST', '/v3/movements').flatMap((b) => b.movements.map(({ from, to, ...m }) => ({ ...m, fromLocationUuid: from, toLocationUuid: to }))),
	movementRequests: (sandbox) => sandbox.log('POST', '/v3/movements'),
	correlationIds: (sandbox) => bodies<V3Body>(sandbox, 'POST', '/v3/movements').map((b) => b.identifier),
};

export const APIS: ApiCase[] = [LEGACY, V3];
