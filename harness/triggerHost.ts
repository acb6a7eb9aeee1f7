// A webhook trigger the way n8n hosts one, for the tests and the demo: n8n-core's real HookContext
// runs its webhookMethods (checkExists → create on activation, delete on deactivation) and its real
// WebhookContext runs webhook() for each request that reaches a loopback listener at the node's
// webhook URL. Like n8n, static data is kept as saved JSON between calls (n8n rebuilds the workflow
// from its database row each time) and saved after create, delete and every request; a request whose
// webhook() returns workflowData is an execution. What n8n does with each return value is in
// docs/reference/n8n-webhook-triggers.md §1.4.

import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HookContext, WebhookContext } from 'n8n-core';
import type {
	IDataObject,
	INode,
	INodeExecutionData,
	INodeType,
	IWebhookData,
	IWorkflowExecuteAdditionalData,
	IWebhookResponseData,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { nodeTypes, TestCredentialsHelper, workflowNodeTypes } from './engine';

export interface HostedRequest {
	status: number;
	body: string;
	/** what webhook() returned: started an execution, answered itself (noWebhookResponse), or answered without one */
	result: 'execution' | 'noWebhookResponse' | 'answered' | 'threw';
}

export class TriggerHost {
	url = '';
	/** the workflow's static data as n8n's database would hold it */
	staticData: IDataObject = {};
	/** the items of every execution started, in order */
	readonly executions: INodeExecutionData[][] = [];
	readonly requests: HostedRequest[] = [];
	private server?: Server;
	private readonly type: INodeType;

	constructor(
		private readonly node: INode,
		private readonly credentials: TestCredentialsHelper,
	) {
		this.type = nodeTypes[node.type];
	}

	get webhookUrl(): string {
		return `${this.url}/webhook/${this.node.webhookId}/webhook`;
	}

	async start(port = 0): Promise<this> {
		this.server = createServer((req, res) => void this.receive(req, res));
		await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
		this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
		return this;
	}

	/** Listens again on the same port after `close()` (a destination that was down comes back). */
	async restart(): Promise<this> {
		return await this.start(Number(new URL(this.url).port));
	}

	async close(): Promise<void> {
		this.server?.closeAllConnections();
		await new Promise<void>((resolve) =>
			this.server ? this.server.close(() => resolve()) : resolve(),
		);
	}

	/** Activation: checkExists, then create when it says no (n8n ignores create's result; a throw fails activation). */
	async activate(): Promise<'existed' | 'created'> {
		if (await this.hook('checkExists', 'activate')) return 'existed';
		await this.hook('create', 'activate');
		return 'created';
	}

	async checkExists(): Promise<boolean> {
		return await this.hook('checkExists', 'init');
	}

	async deactivate(): Promise<void> {
		await this.hook('delete', 'update');
	}

	private workflow(): Workflow {
		return new Workflow({
			id: 'wf-trigger',
			name: 'trigger test',
			nodes: [this.node],
			connections: {},
			active: true,
			nodeTypes: workflowNodeTypes,
			staticData: JSON.parse(JSON.stringify(this.staticData)) as IDataObject,
			settings: { executionOrder: 'v1' },
		});
	}

	private additionalData(extra: IDataObject = {}): IWorkflowExecuteAdditionalData {
		return {
			credentialsHelper: this.credentials,
			webhookBaseUrl: `${this.url}/webhook`,
			webhookTestBaseUrl: `${this.url}/webhook-test`,
			variables: {},
			...extra,
		} as unknown as IWorkflowExecuteAdditionalData;
	}

	private webhookData(additionalData: IWorkflowExecuteAdditionalData): IWebhookData {
		return {
			httpMethod: 'POST',
			node: this.node.name,
			path: 'webhook',
			webhookDescription: this.type.description.webhooks![0],
			workflowId: 'wf-trigger',
			workflowExecuteAdditionalData: additionalData,
			webhookId: this.node.webhookId,
		};
	}

	private save(workflow: Workflow): void {
		this.staticData = JSON.parse(JSON.stringify(workflow.staticData)) as IDataObject;
	}

	private async hook(
		method: 'checkExists' | 'create' | 'delete',
		activation: 'activate' | 'update' | 'init',
	): Promise<boolean> {
		const workflow = this.workflow();
		const additionalData = this.additionalData();
		const context = new HookContext(
			workflow,
			workflow.getNode(this.node.name)!,
			additionalData,
			'trigger',
			activation,
			this.webhookData(additionalData),
		);
		const result = await this.type.webhookMethods!.default![method].call(context);
		this.save(workflow);
		return result;
	}

	private async receive(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		const rawBody = Buffer.concat(chunks);
		let body: unknown = {};
		try {
			body = JSON.parse(rawBody.toString('utf8') || '{}');
		} catch {
			body = {};
		}
		const request = Object.assign(req, { rawBody, body, params: {}, query: {} });
		const response = expressLike(res);
		const workflow = this.workflow();
		const additionalData = this.additionalData({
			httpRequest: request,
			httpResponse: response,
		} as IDataObject);
		const context = new WebhookContext(
			workflow,
			workflow.getNode(this.node.name)!,
			additionalData,
			'webhook',
			this.webhookData(additionalData),
			[],
			null,
		);
		let result: IWebhookResponseData;
		try {
			result = await this.type.webhook!.call(context);
		} catch (error) {
			this.requests.push({ status: 500, body: String(error), result: 'threw' });
			return void response.status(500).json({ message: (error as Error).message });
		}
		this.save(workflow);
		if (result.noWebhookResponse) {
			this.requests.push({
				status: res.statusCode,
				body: response.sent,
				result: 'noWebhookResponse',
			});
			return;
		}
		if (result.workflowData) this.executions.push(result.workflowData[0]);
		const answer = result.webhookResponse ?? {
			message: result.workflowData ? 'Workflow was started' : 'Webhook call received',
		};
		response.status(200).json(answer);
		this.requests.push({
			status: 200,
			body: JSON.stringify(answer),
			result: result.workflowData ? 'execution' : 'answered',
		});
	}
}

/** The few Express response methods triggers use (status, json, send, end), on Node's response. */
function expressLike(res: ServerResponse) {
	const api = Object.assign(res, {
		sent: '',
		status(code: number) {
			res.statusCode = code;
			return api;
		},
		json(value: unknown) {
			return api.send(JSON.stringify(value), 'application/json');
		},
		send(value: string, type = 'text/plain') {
			if (res.writableEnded) return api;
			api.sent = value;
			res.setHeader('content-type', type);
			res.end(value);
			return api;
		},
	});
	const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
	(api as { end: unknown }).end = (...args: unknown[]) => (res.writableEnded ? api : end(...args));
	return api;
}
