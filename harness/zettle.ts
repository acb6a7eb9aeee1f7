// The Zettle node as a workflow node, and a credential store pointed at a sandbox: what the tests,
// the demo and the benchmark put into n8n's engine.

import type { INode, INodeParameters } from 'n8n-workflow';

import type { Sandbox } from '../sandbox/server';
import { TestCredentialsHelper } from './engine';

export const NODE_NAME = 'Zettle Inventory';

export function zettleNode(parameters: INodeParameters, extra: Partial<INode> = {}): INode {
	return {
		id: 'zettle-node',
		name: NODE_NAME,
		type: 'n8n-nodes-zettle.zettleInventory',
		typeVersion: 1,
		position: [0, 0],
		parameters,
		credentials: {
			zettleApi: { id: 'cred-api', name: 'Zettle sandbox' },
			zettleOAuth2Api: { id: 'cred-oauth', name: 'Zettle OAuth2' },
		},
		...extra,
	};
}

/** The credential store (n8n's database, for these tests) with an API-key credential for the sandbox. */
export function apiKeyCredentials(
	sandbox: Sandbox,
	apiKey = sandbox.apiKey,
): TestCredentialsHelper {
	return new TestCredentialsHelper({
		zettleApi: { apiKey, environment: 'custom', baseUrl: sandbox.url },
	});
}
