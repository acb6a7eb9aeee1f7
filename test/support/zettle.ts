// Test helpers: a sandbox per test, the Zettle node as a workflow node, credentials pointed at the sandbox.

import type { IDataObject, INode, INodeParameters } from 'n8n-workflow';

import { Sandbox, SandboxOptions, startSandbox } from '../../sandbox/server';
import { RunResult, runWorkflow, TestCredentialsHelper } from './engine';

export const NODE_NAME = 'Zettle Inventory';

export function zettleNode(parameters: INodeParameters, extra: Partial<INode> = {}): INode {
	return {
		id: 'zettle-node',
		name: NODE_NAME,
		type: 'n8n-nodes-zettle.zettleInventory',
		typeVersion: 1,
		position: [0, 0],
		parameters,
		credentials: { zettleApi: { id: 'cred-api', name: 'Zettle sandbox' }, zettleOAuth2Api: { id: 'cred-oauth', name: 'Zettle OAuth2' } },
		...extra,
	};
}

/** The credential store (n8n's database, for these tests) with an API-key credential for the sandbox. */
export function apiKeyCredentials(sandbox: Sandbox, apiKey = sandbox.apiKey): TestCredentialsHelper {
	return new TestCredentialsHelper({ zettleApi: { apiKey, environment: 'custom', baseUrl: sandbox.url } });
}

export async function runZettle(
	sandbox: Sandbox,
	parameters: INodeParameters,
	input: IDataObject[],
	{ credentials = apiKeyCredentials(sandbox), node = {} as Partial<INode> } = {},
): Promise<RunResult & { credentials: TestCredentialsHelper }> {
	const wf = { nodes: [zettleNode(parameters, node)], connections: {} };
	const result = await runWorkflow(wf, credentials, { input, startAt: NODE_NAME });
	return { ...result, credentials };
}

/** Starts a sandbox before each test and closes it after; `current()` is this test's sandbox. */
export function useSandbox(options: SandboxOptions = {}) {
	let sandbox: Sandbox;
	beforeEach(async () => {
		sandbox = await startSandbox(options);
	});
	afterEach(async () => {
		await sandbox.close();
	});
	return () => sandbox;
}

/** The seed's PUT example as workflow items: the node's defaults read exactly these fields. */
export const SEED_CHANGES = [
	{
		productUuid: '65314d7e-5f0f-11ec-bf63-0242ac130002',
		variantUuid: '78194842-5f0f-11ec-bf63-0242ac130002',
		fromLocationUuid: '89ac1e4a-5f0f-11ec-bf63-0242ac130002',
		toLocationUuid: '92646e02-5f0f-11ec-bf63-0242ac130002',
		change: 42,
	},
	{
		productUuid: '65314d7e-5f0f-11ec-bf63-0242ac130002',
		variantUuid: '7c6be742-5f0f-11ec-bf63-0242ac130002',
		fromLocationUuid: '89ac1e4a-5f0f-11ec-bf63-0242ac130002',
		toLocationUuid: '92646e02-5f0f-11ec-bf63-0242ac130002',
		change: 1337,
	},
];
