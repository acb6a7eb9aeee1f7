// The Zettle Trigger as n8n hosts it (n8n-core's HookContext and WebhookContext behind a loopback listener)
// against the sandbox's Pusher API: the subscription's lifecycle, signed deliveries, duplicates, and the
// echo suppression that keeps a workflow from applying its own stock writes a second time.

import type { INode, INodeParameters } from 'n8n-workflow';

import { TriggerHost } from '../../harness/triggerHost';
import { sign } from '../../sandbox/pusher';
import { SEED } from '../../sandbox/seed';
import { Sandbox, SandboxOptions, startSandbox } from '../../sandbox/server';
import { UUID_V1 } from '../support/apis';
import { apiKeyCredentials, runZettle } from '../support/zettle';

function triggerNode(parameters: INodeParameters = {}): INode {
	return {
		id: 'zettle-trigger',
		name: 'Zettle Trigger',
		type: 'n8n-nodes-zettle.zettleTrigger',
		typeVersion: 1,
		position: [0, 0],
		webhookId: 'c0ffee00-0000-4000-8000-000000000001',
		parameters: { contactEmail: 'shop@example.com', ...parameters },
		credentials: { zettleApi: { id: 'cred-api', name: 'Zettle sandbox' } },
	};
}

/** The deliveries of InventoryBalanceChanged the sandbox's Pusher attempted, in order. */
const balanceDeliveries = (sandbox: Sandbox) =>
	sandbox.pusher.deliveries.filter((d) => d.eventName === 'InventoryBalanceChanged');

/** A sandbox and a trigger host per test; `start` activates the trigger with these parameters. */
function useTrigger(options: SandboxOptions = {}) {
	let sandbox: Sandbox;
	let host: TriggerHost | undefined;
	beforeEach(async () => {
		sandbox = await startSandbox(options);
	});
	afterEach(async () => {
		await host?.close();
		host = undefined;
		await sandbox.close();
	});
	return {
		sandbox: () => sandbox,
		host: () => host!,
		async start(parameters: INodeParameters = {}) {
			host = await new TriggerHost(triggerNode(parameters), apiKeyCredentials(sandbox)).start();
			await host.activate();
			return host;
		},
	};
}

describe('Zettle Trigger: the subscription', () => {
	const t = useTrigger();

	it('activation creates one subscription: a v1 UUID, WEBHOOK, the events, the node URL, the contact e-mail; the TestMessage starts nothing', async () => {
		const host = await t.start({ events: ['InventoryBalanceChanged', 'InventoryTrackingStarted'] });
		const [subscription] = t.sandbox().pusher.subscriptions.values();
		expect(subscription).toMatchObject({
			uuid: expect.stringMatching(UUID_V1),
			transportName: 'WEBHOOK',
			eventNames: ['InventoryBalanceChanged', 'InventoryTrackingStarted'],
			destination: host.webhookUrl,
			contactEmail: 'shop@example.com',
			status: 'ACTIVE',
		});
		// kept by n8n with the workflow: the UUID and the signing key
		expect(host.staticData['node:Zettle Trigger']).toMatchObject({
			subscriptionUuid: subscription.uuid,
			signingKey: subscription.signingKey,
		});
		expect(t.sandbox().pusher.deliveries.map((d) => [d.eventName, d.status])).toEqual([
			['TestMessage', 200],
		]);
		expect(host.executions).toHaveLength(0);
	});

	it('checks that the subscription still exists, and creates it again after Zettle deleted it for failing deliveries', async () => {
		const host = await t.start();
		expect(await host.checkExists()).toBe(true);
		const [first] = t.sandbox().pusher.subscriptions.keys();
		t.sandbox().pusher.subscriptions.clear(); // what Zettle does after ~3 days of failed deliveries
		expect(await host.checkExists()).toBe(false);
		expect(await host.activate()).toBe('created');
		const [second] = t.sandbox().pusher.subscriptions.keys();
		expect(second).not.toBe(first);
	});

	it('activation replaces a subscription to the same URL whose key was lost (a re-imported workflow)', async () => {
		const host = await t.start();
		const [first] = t.sandbox().pusher.subscriptions.keys();
		host.staticData = {}; // what n8n holds after the workflow was imported again
		expect(await host.activate()).toBe('created');
		expect([...t.sandbox().pusher.subscriptions.keys()]).toEqual([
			expect.not.stringMatching(first),
		]);
		t.sandbox().sellAtTill(SEED.tshirt.small, 1);
		await t.sandbox().pusher.idle();
		expect(host.executions).toHaveLength(1);
		expect(host.requests.filter((r) => r.status === 401)).toHaveLength(0);
	});

	it('deactivation deletes the subscription and forgets its key', async () => {
		const host = await t.start();
		await host.deactivate();
		expect(t.sandbox().pusher.subscriptions.size).toBe(0);
		expect(host.staticData['node:Zettle Trigger']).toEqual({});
		expect(t.sandbox().log('DELETE', '/organizations/self/subscriptions')).toHaveLength(1);
	});

	it('a subscription already gone counts as deleted', async () => {
		const host = await t.start();
		t.sandbox().pusher.subscriptions.clear();
		await host.deactivate();
		expect(
			t
				.sandbox()
				.log('DELETE', '/organizations/self/subscriptions')
				.map((r) => r.status),
		).toEqual([404, 404]);
	});

	it('an event whose scope the credential lacks fails activation with what to do', async () => {
		await expect(t.start({ events: ['PurchaseCreated'] })).rejects.toThrow(
			/Zettle did not create the webhook subscription: Zettle refused the request \(403\)/,
		);
		expect(t.sandbox().pusher.subscriptions.size).toBe(0);
	});

	it.each([
		[
			'a contact e-mail that is not one',
			{ contactEmail: 'shop' },
			/Contact Email "shop" is not an e-mail address/,
		],
		['no event', { events: [] }, /Choose at least one event/],
	])('%s fails activation before anything is sent to Zettle', async (_, parameters, message) => {
		await expect(t.start(parameters)).rejects.toThrow(message);
		expect(t.sandbox().log(undefined, '/organizations/self/subscriptions')).toHaveLength(0);
		expect(t.sandbox().log('POST', '/token')).toHaveLength(0);
	});
});

describe('Zettle Trigger: deliveries', () => {
	const t = useTrigger();
	const small = () => t.sandbox().seedOrganization.balance(SEED.locations.STORE, SEED.tshirt.small);

	it('a sale at the till starts exactly one execution: one item per changed STORE variant, with before, after and delta', async () => {
		const host = await t.start();
		t.sandbox().sellAtTill(SEED.tshirt.small, 2);
		await t.sandbox().pusher.idle();
		expect(host.executions).toHaveLength(1);
		expect(host.executions[0].map((i) => i.json)).toEqual([
			expect.objectContaining({
				eventName: 'InventoryBalanceChanged',
				productUuid: SEED.tshirt.productUuid,
				variantUuid: SEED.tshirt.small,
				locationUuid: SEED.locations.STORE,
				locationType: 'STORE',
				before: 238,
				after: 236,
				delta: -2,
				externalUuid: null,
				keptBecause: expect.stringMatching(/^made by another client/),
			}),
		]);
		expect(small()).toBe(236);
	});

	it('with All Locations, the SOLD row of the sale comes out too', async () => {
		const host = await t.start({ options: { allLocations: true } });
		t.sandbox().sellAtTill(SEED.tshirt.small, 1);
		await t.sandbox().pusher.idle();
		expect(host.executions[0].map((i) => [i.json.locationType, i.json.delta])).toEqual(
			expect.arrayContaining([
				['STORE', -1],
				['SOLD', 1],
			]),
		);
	});

	it('adds SKU and barcode from the product library when asked', async () => {
		const host = await t.start({ options: { includeSkuAndBarcode: true } });
		t.sandbox().sellAtTill(SEED.cap.oneSize, 1);
		await t.sandbox().pusher.idle();
		expect(host.executions[0][0].json).toMatchObject({
			variantUuid: SEED.cap.oneSize,
			sku: 'CAP-1',
			barcode: null,
		});
	});

	it('a stock write made with the same credential starts no execution (no double counting)', async () => {
		const host = await t.start();
		const { run } = await runZettle(
			t.sandbox(),
			{ resource: 'balance', operation: 'updateBalance', movement: 'restock' },
			[{ productUuid: SEED.tshirt.productUuid, variantUuid: SEED.tshirt.small, change: 5 }],
		);
		expect(run.status).toBe('success');
		await t.sandbox().pusher.idle();
		expect(balanceDeliveries(t.sandbox()).map((d) => d.status)).toEqual([200]);
		expect(host.executions).toHaveLength(0);
		expect(host.staticData['node:Zettle Trigger']).toMatchObject({ droppedEchoes: 1 });
	});

	it('the same write with Ignore Changes Made by This Credential off starts one, and says why it was kept', async () => {
		const host = await t.start({ ignoreOwnChanges: false });
		await runZettle(
			t.sandbox(),
			{ resource: 'balance', operation: 'updateBalance', movement: 'restock' },
			[{ productUuid: SEED.tshirt.productUuid, variantUuid: SEED.tshirt.small, change: 5 }],
		);
		await t.sandbox().pusher.idle();
		expect(host.executions).toHaveLength(1);
		expect(host.executions[0][0].json).toMatchObject({
			delta: 5,
			after: 243,
			keptBecause: 'Ignore Changes Made by This Credential is off',
			externalUuid: expect.stringMatching(UUID_V1),
		});
	});

	it('a write by another API client (another API key) starts one', async () => {
		const host = await t.start();
		const otherKey = t.sandbox().oauth.createApiKey(SEED.organizationUuid);
		await runZettle(
			t.sandbox(),
			{ resource: 'balance', operation: 'updateBalance', movement: 'restock' },
			[{ productUuid: SEED.tshirt.productUuid, variantUuid: SEED.tshirt.small, change: 1 }],
			{
				credentials: apiKeyCredentials(t.sandbox(), otherKey),
			},
		);
		await t.sandbox().pusher.idle();
		expect(host.executions).toHaveLength(1);
	});

	it('a product created in the back office arrives as ProductCreated with the product', async () => {
		const host = await t.start({ events: ['ProductCreated'] });
		const created = await fetch(`${t.sandbox().url}/__sandbox/products`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ name: 'Scarf', variants: [{ name: 'Wool', sku: 'SCARF-1' }] }),
		});
		const product = (await created.json()) as { uuid: string };
		await t.sandbox().pusher.idle();
		expect(host.executions.map((e) => e[0].json)).toEqual([
			expect.objectContaining({ eventName: 'ProductCreated', uuid: product.uuid, name: 'Scarf' }),
		]);
	});

	it('tracking changes arrive as their events, with the product', async () => {
		const host = await t.start({
			events: ['InventoryTrackingStarted', 'InventoryTrackingStopped'],
			ignoreOwnChanges: false,
		});
		await runZettle(t.sandbox(), { resource: 'product', operation: 'startTracking' }, [
			{ productUuid: SEED.mug.productUuid },
		]);
		await t.sandbox().pusher.idle();
		expect(host.executions.map((e) => [e[0].json.eventName, e[0].json.productUuid])).toEqual([
			['InventoryTrackingStarted', SEED.mug.productUuid],
		]);
	});
});

describe('Zettle Trigger: only genuine, new deliveries start an execution', () => {
	it('a delivery signed with another key gets 401 and starts nothing', async () => {
		const sandbox = await startSandbox({ deliveryFaults: { retryScheduleMs: [] } });
		const host = await new TriggerHost(triggerNode(), apiKeyCredentials(sandbox)).start();
		try {
			await host.activate();
			sandbox.pusher.faults = { wrongSignature: true, retryScheduleMs: [] };
			sandbox.sellAtTill(SEED.tshirt.small, 1);
			await sandbox.pusher.idle();
			expect(balanceDeliveries(sandbox).map((d) => d.status)).toEqual([401]);
			expect(host.executions).toHaveLength(0);
		} finally {
			await host.close();
			await sandbox.close();
		}
	});

	const t = useTrigger();

	it('a request without a signature gets 401; a forged one too', async () => {
		const host = await t.start();
		const envelope = {
			organizationUuid: SEED.organizationUuid,
			eventName: 'InventoryBalanceChanged',
			messageId: 'm-1',
			payload: '{"balanceBefore":[],"balanceAfter":[]}',
			timestamp: new Date().toISOString(),
		};
		const post = (headers: Record<string, string>) =>
			fetch(host.webhookUrl, {
				method: 'POST',
				headers: { 'content-type': 'application/json', ...headers },
				body: JSON.stringify(envelope),
			});
		expect((await post({})).status).toBe(401);
		expect(
			(
				await post({
					'x-izettle-signature': sign('not the key', envelope.timestamp, envelope.payload),
				})
			).status,
		).toBe(401);
		expect(host.executions).toHaveLength(0);
	});

	it('a message delivered twice starts one execution', async () => {
		const host = await t.start();
		t.sandbox().pusher.faults = { duplicate: true };
		t.sandbox().sellAtTill(SEED.tshirt.small, 1);
		await t.sandbox().pusher.idle();
		const deliveries = balanceDeliveries(t.sandbox());
		expect(deliveries).toHaveLength(2);
		expect(deliveries[0].messageId).toBe(deliveries[1].messageId);
		expect(host.executions).toHaveLength(1);
	});

	it('two sales delivered out of order start two executions, each with its own absolute after', async () => {
		const host = await t.start();
		t.sandbox().pusher.faults = { reorder: true };
		t.sandbox().sellAtTill(SEED.tshirt.small, 1);
		t.sandbox().sellAtTill(SEED.tshirt.small, 3);
		await t.sandbox().pusher.idle();
		expect(host.executions.map((e) => [e[0].json.delta, e[0].json.after])).toEqual([
			[-3, 234],
			[-1, 237],
		]);
	});

	it('a failing destination is retried; the execution starts once it answers', async () => {
		const sandbox = t.sandbox();
		const host = await t.start();
		sandbox.pusher.faults = { retryScheduleMs: [50, 50] };
		await host.close(); // the destination is down
		sandbox.sellAtTill(SEED.tshirt.small, 1);
		await new Promise((resolve) => setTimeout(resolve, 20));
		await host.restart();
		await sandbox.pusher.idle();
		const attempts = balanceDeliveries(sandbox);
		expect(attempts[0].status).toBe(0);
		expect(attempts[attempts.length - 1].status).toBe(200);
		expect(host.executions).toHaveLength(1);
		expect([...sandbox.pusher.subscriptions.values()][0].status).toBe('ACTIVE');
	});

	it('a destination that keeps failing loses its subscription, and the next check says so', async () => {
		const sandbox = t.sandbox();
		const host = await t.start();
		sandbox.pusher.faults = { retryScheduleMs: [10, 10] };
		await host.close();
		sandbox.sellAtTill(SEED.tshirt.small, 1);
		await sandbox.pusher.idle();
		expect(balanceDeliveries(sandbox).map((d) => d.status)).toEqual([0, 0, 0]);
		expect(sandbox.pusher.subscriptions.size).toBe(0);
		await host.restart();
		expect(await host.checkExists()).toBe(false);
	});
});

describe('the Zettle Inventory node and the Trigger share one credential', () => {
	const t = useTrigger();
	it('the stock sync loop: the node writes, the trigger ignores the echo, a till sale comes out once', async () => {
		const host = await t.start();
		await runZettle(t.sandbox(), { resource: 'balance', operation: 'setStockLevel' }, [
			{ productUuid: SEED.tshirt.productUuid, variantUuid: SEED.tshirt.small, quantity: 250 },
		]);
		t.sandbox().sellAtTill(SEED.tshirt.small, 4);
		await t.sandbox().pusher.idle();
		expect(host.executions).toHaveLength(1);
		expect(host.executions[0][0].json).toMatchObject({ before: 250, after: 246, delta: -4 });
	});
});
