// Test helpers: a sandbox per test, a run of the Zettle node through n8n's engine against it.

import type { IDataObject, INode, INodeParameters } from 'n8n-workflow';

import { RunResult, runWorkflow, TestCredentialsHelper } from '../../harness/engine';
import { apiKeyCredentials, NODE_NAME, zettleNode } from '../../harness/zettle';
import { Sandbox, SandboxOptions, startSandbox } from '../../sandbox/server';

export { apiKeyCredentials, NODE_NAME, zettleNode };

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

/** An OAuth2 credential connected the way n8n's OAuth flow does it: authorize, then exchange the code. */
export async function oauth2Credentials(sandbox: Sandbox): Promise<TestCredentialsHelper> {
	const app = sandbox.oauth.partnerApp;
	const redirect = 'http://localhost:5678/rest/oauth2-credential/callback';
	const authorize = await fetch(`${sandbox.url}/authorize?response_type=code&client_id=${app.clientId}&redirect_uri=${encodeURIComponent(redirect)}&scope=READ:PRODUCT%20WRITE:PRODUCT&state=s1`, {
		redirect: 'manual',
	});
	const code = new URL(authorize.headers.get('location')!).searchParams.get('code')!;
	const token = await fetch(`${sandbox.url}/token`, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ grant_type: 'authorization_code', code, client_id: app.clientId, client_secret: app.clientSecret, redirect_uri: redirect }),
	});
	const data = (await token.json()) as { access_token: string; refresh_token: string };
	return new TestCredentialsHelper({
		zettleOAuth2Api: { environment: 'custom', baseUrl: sandbox.url, clientId: app.clientId, clientSecret: app.clientSecret, oauthTokenData: { ...data, token_type: 'Bearer' } },
	});
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
