// Runs workflows through n8n-core's real WorkflowExecute (no n8n app, no mocks of our code). Used by
// the tests, the demo and the benchmark.
// The credentials helper follows the rules of n8n's CLI CredentialsHelper: defaults filled in,
// expressions in credential data resolved with $self, preAuthentication for an empty or expired
// expirable field, generic `authenticate`, and token data written back to a store that outlives
// one execution, as n8n's database does.

import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import { SSHClientsManager } from 'n8n-core/dist/execution-engine/ssh-clients-manager';
import type {
	ICredentialDataDecryptedObject,
	ICredentialsExpressionResolveValues,
	ICredentialType,
	IDataObject,
	IExecuteData,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeExecutionData,
	INodeParameters,
	INodeProperties,
	INodeType,
	INodeTypes,
	IRun,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { createRunExecutionData, ICredentialsHelper, NodeHelpers, Workflow } from 'n8n-workflow';

import { ZettleApi } from '../credentials/ZettleApi.credentials';
import { ZettleOAuth2Api } from '../credentials/ZettleOAuth2Api.credentials';
import { ZettleInventory } from '../nodes/ZettleInventory/ZettleInventory.node.js';
import { ZettleTrigger } from '../nodes/ZettleTrigger/ZettleTrigger.node.js';

/** n8n's own oAuth2Api base type, reduced to the fields its extending types inherit here. */
const oAuth2Api: ICredentialType = {
	name: 'oAuth2Api',
	displayName: 'OAuth2 API',
	properties: [
		'grantType',
		'authUrl',
		'accessTokenUrl',
		'clientId',
		'clientSecret',
		'scope',
		'authQueryParameters',
		'authentication',
	].map((name) => ({ displayName: name, name, type: 'string' as const, default: '' })),
};

export const credentialTypes: Record<string, ICredentialType> = {
	zettleApi: new ZettleApi(),
	zettleOAuth2Api: new ZettleOAuth2Api(),
	oAuth2Api,
};

export const nodeTypes: Record<string, INodeType> = {
	'n8n-nodes-zettle.zettleInventory': new ZettleInventory(),
	'n8n-nodes-zettle.zettleTrigger': new ZettleTrigger(),
};

/** `nodeTypes` as n8n's Workflow looks node types up. */
export const workflowNodeTypes: INodeTypes = {
	getByName: (t) => nodeTypes[t],
	getByNameAndVersion: (t, v) => NodeHelpers.getVersionedNodeType(nodeTypes[t], v),
	getKnownTypes: () => ({}),
};

export class TestCredentialsHelper extends ICredentialsHelper {
	/** every write-back of credential data (token exchanges, OAuth refreshes), in order */
	readonly updates: Array<{ type: string; data: ICredentialDataDecryptedObject }> = [];

	constructor(readonly store: Record<string, ICredentialDataDecryptedObject> = {}) {
		super();
	}

	getParentTypes(name: string): string[] {
		const parents = credentialTypes[name]?.extends ?? [];
		return [...parents, ...parents.flatMap((p) => this.getParentTypes(p))];
	}

	isCredentialUsableByNode() {
		return true;
	}

	getCredentialsProperties(type: string): INodeProperties[] {
		const own = credentialTypes[type].properties;
		const inherited: INodeProperties[] = (credentialTypes[type].extends ?? []).flatMap((p) =>
			this.getCredentialsProperties(p),
		);
		return [...inherited.filter((p) => !own.some((o) => o.name === p.name)), ...own];
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
		mode: WorkflowExecuteMode,
		executeData?: IExecuteData,
		_raw?: boolean,
		resolve?: ICredentialsExpressionResolveValues,
	) {
		const data = NodeHelpers.getNodeParameters(
			this.getCredentialsProperties(type),
			{ ...this.store[type] } as INodeParameters,
			true,
			false,
			null,
			null,
		) as ICredentialDataDecryptedObject;
		// like the CLI: token data is not a declared property but travels with the credential
		if (this.store[type]?.oauthTokenData !== undefined)
			data.oauthTokenData = this.store[type].oauthTokenData;
		if (!resolve) return data;
		return resolve.workflow.expression.getParameterValue(
			data as INodeParameters,
			resolve.runExecutionData,
			resolve.runIndex,
			resolve.itemIndex,
			resolve.node.name,
			resolve.connectionInputData,
			mode,
			{},
			executeData,
			false,
			data,
		) as ICredentialDataDecryptedObject;
	}

	async getCredentials(): Promise<never> {
		throw new Error('not used by these tests');
	}

	async updateCredentials(
		_c: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	) {
		this.store[type] = { ...data };
		this.updates.push({ type, data: { ...data } });
	}

	async updateCredentialsOauthTokenData(
		c: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	) {
		await this.updateCredentials(c, type, {
			...this.store[type],
			oauthTokenData: data.oauthTokenData,
		});
	}

	async runPreAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
	) {
		const { preAuthentication } = credentialTypes[typeName];
		return preAuthentication
			? ((await preAuthentication.call(helpers, credentials)) as ICredentialDataDecryptedObject)
			: undefined;
	}

	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		node: INode,
		credentialsExpired: boolean,
	) {
		const type = credentialTypes[typeName];
		const expirable = type.properties.find(
			(p) => p.type === 'hidden' && p.typeOptions?.expirable === true,
		);
		if (!expirable || typeof type.preAuthentication !== 'function') return undefined;
		if (credentials[expirable.name] !== '' && !credentialsExpired) return undefined;
		const output = await type.preAuthentication.call(helpers, credentials);
		if (output[expirable.name] === undefined) return undefined;
		Object.assign(credentials, output);
		await this.updateCredentials(node.credentials![typeName], typeName, credentials);
		return credentials;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions,
		workflow?: Workflow,
		node?: INode,
	) {
		const { authenticate } = credentialTypes[typeName];
		if (typeof authenticate === 'function') return await authenticate(credentials, requestOptions);
		if (authenticate?.type === 'generic') {
			const resolve = (v: unknown): string =>
				typeof v === 'string' && v.startsWith('=')
					? String(
							workflow!.expression.getSimpleParameterValue(
								node!,
								v,
								'internal',
								{ $credentials: credentials } as IDataObject,
								undefined,
								'',
							) ?? '',
						)
					: String(v);
			const target = requestOptions as unknown as Record<string, IDataObject>;
			for (const [where, values] of Object.entries(authenticate.properties)) {
				target[where] = { ...(target[where] ?? {}) };
				for (const [k, v] of Object.entries(values as IDataObject))
					target[where][resolve(k)] = resolve(v);
			}
		}
		return requestOptions;
	}
}

export interface WorkflowFile {
	name?: string;
	nodes: INode[];
	connections: IWorkflowBase['connections'];
}

export interface RunResult {
	run: IRun;
	/** items of a node's output (default: first run, first output) */
	output: (nodeName: string, outputIndex?: number) => INodeExecutionData[];
	/** the error a node failed with, if it did */
	error: IRun['data']['resultData']['error'];
}

/**
 * Runs a workflow through n8n-core's WorkflowExecute, starting at node `startAt` with `input` items
 * (what the node before it would have output). Nodes before `startAt` do not run. One function on
 * purpose: n8n-core's setup of an execution, step by step in the order n8n needs it.
 */
export async function runWorkflow(
	wf: WorkflowFile,
	credentials: TestCredentialsHelper,
	{ input, startAt }: { input: IDataObject[]; startAt: string },
): Promise<RunResult> {
	const mode: WorkflowExecuteMode = 'manual';
	// nodes before `startAt` do not run; those of types not registered here (n8n-nodes-base's) are left out
	const nodes = wf.nodes.filter((n) => nodeTypes[n.type]);
	const names = new Set(nodes.map((n) => n.name));
	const connections = Object.fromEntries(
		Object.entries(wf.connections).filter(([from]) => names.has(from)),
	);
	const workflow = new Workflow({
		id: 'wf-test',
		name: wf.name,
		nodes,
		connections,
		active: false,
		nodeTypes: workflowNodeTypes,
		settings: { executionOrder: 'v1' },
	});
	const hooks = new ExecutionLifecycleHooks(mode, 'exec-test', {
		id: 'wf-test',
		name: wf.name ?? 'test',
		nodes: wf.nodes,
		connections: wf.connections,
		active: false,
	} as unknown as IWorkflowBase);
	const additionalData = {
		hooks,
		credentialsHelper: credentials,
		executionId: 'exec-test',
		currentNodeExecutionIndex: 0,
		variables: {},
		webhookWaitingBaseUrl: 'http://localhost:5678/webhook-waiting',
		formWaitingBaseUrl: 'http://localhost:5678/form-waiting',
	} as unknown as IWorkflowExecuteAdditionalData;
	const start = wf.nodes.find((n) => n.name === startAt)!;
	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [
				{ node: start, data: { main: [input.map((json) => ({ json }))] }, source: null },
			],
		},
	});
	const run = await new WorkflowExecute(
		additionalData,
		mode,
		runExecutionData,
	).processRunExecutionData(workflow);
	return {
		run,
		output: (nodeName, outputIndex = 0) =>
			run.data.resultData.runData[nodeName]?.[0]?.data?.main[outputIndex] ?? [],
		error: run.data.resultData.error,
	};
}

/** n8n-core 2.8 starts a 60 s interval per process that keeps jest alive; stop it after the tests. */
export function stopEngineTimers() {
	const { Container } = require(
		require.resolve('@n8n/di', { paths: [require.resolve('n8n-core')] }),
	) as {
		Container: { has(t: unknown): boolean; get<T>(t: new (...args: never[]) => T): T };
	};
	if (Container.has(SSHClientsManager)) Container.get(SSHClientsManager).onShutdown();
}
