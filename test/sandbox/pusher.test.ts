// The sandbox's Pusher API (sandbox/pusher.ts), called directly: subscription rules (v1 UUID, WEBHOOK, events and
// their scopes, https or loopback destination, e-mail), the TestMessage on create, signed deliveries of every change,
// retries of a failing destination and the removal of a subscription that keeps failing.

import { createHmac } from 'node:crypto';

import { uuidV1 } from '../../nodes/ZettleInventory/helpers/uuid';
import { SEED } from '../../sandbox/seed';
import { PATH } from '../support/requests';
import { api as apiOf } from '../support/sandboxApi';
import { useTrap } from '../support/trap';
import { seedMove, useSandbox } from '../support/zettle';

const sandbox = useSandbox();
const trap = useTrap();
const api = (method: string, path: string, body?: unknown, apiKey?: string) =>
	apiOf(sandbox(), method, path, body, undefined, apiKey);
const SUBSCRIPTIONS = '/organizations/self/subscriptions';
const subscribe = (extra: object = {}) =>
	api('POST', SUBSCRIPTIONS, {
		uuid: uuidV1(),
		transportName: 'WEBHOOK',
		eventNames: ['InventoryBalanceChanged'],
		destination: `${trap().url}/hook`,
		contactEmail: 'shop@example.com',
		...extra,
	});

describe('sandbox Pusher: subscriptions', () => {
	it('creates a subscription after its destination answered the TestMessage, with a 64-character signing key', async () => {
		const res = await subscribe();
		expect(res.status).toBe(200);
		expect(res.body).toMatchObject({
			transportName: 'WEBHOOK',
			eventNames: ['InventoryBalanceChanged'],
			status: 'ACTIVE',
			signingKey: expect.stringMatching(/^[A-Za-z0-9]{64}$/),
		});
		const [test] = trap().received;
		expect(JSON.parse(test.body)).toMatchObject({
			eventName: 'TestMessage',
			organizationUuid: SEED.organizationUuid,
			payload: '{"data":"payload"}',
		});
	});

	it.each([
		['a UUID that is not version 1', { uuid: '6f0c2a3e-1b7d-4c3e-9f1a-2b3c4d5e6f70' }, 400],
		['a transport other than WEBHOOK', { transportName: 'SQS' }, 400],
		['an unknown event', { eventNames: ['CardPaymentInvalid'] }, 400],
		[
			'plain http to a host that is not loopback',
			{ destination: 'http://shop.example.com/hook' },
			422,
		],
		['a contact that is not an e-mail address', { contactEmail: 'shop' }, 422],
		["an event the token's scopes do not cover", { eventNames: ['PurchaseCreated'] }, 403],
	])('refuses %s', async (_, extra, status) => {
		expect((await subscribe(extra)).status).toBe(status);
		expect(sandbox().pusher.subscriptions.size).toBe(0);
	});

	it('refuses a UUID used before, and a destination that does not answer 2xx to the TestMessage', async () => {
		const uuid = uuidV1();
		expect((await subscribe({ uuid })).status).toBe(200);
		expect((await subscribe({ uuid })).body.errorType).toBe('SUBSCRIPTION_ALREADY_EXIST');
		const failing = await subscribe({ destination: `${sandbox().url}/no-such-webhook` });
		expect(failing.status).toBe(500);
		expect(failing.body.errorType).toBe('DESTINATION_RESPONDED_WITH_ERROR_CODE');
	});

	it("lists and deletes only the caller's own subscriptions (by either documented path)", async () => {
		const mine = (await subscribe()).body.uuid;
		const otherKey = sandbox().oauth.createApiKey(SEED.organizationUuid);
		expect((await api('GET', SUBSCRIPTIONS, undefined, otherKey)).body).toEqual([]);
		expect((await api('DELETE', `${SUBSCRIPTIONS}/${mine}`, undefined, otherKey)).status).toBe(404);
		expect((await api('GET', SUBSCRIPTIONS)).body.map((s: { uuid: string }) => s.uuid)).toEqual([
			mine,
		]);
		expect((await api('DELETE', `${SUBSCRIPTIONS}/uuid/${mine}`)).status).toBe(204);
		expect(sandbox().pusher.subscriptions.size).toBe(0);
	});
});

describe('sandbox Pusher: deliveries', () => {
	it('delivers a signed InventoryBalanceChanged for an API write: payload as a JSON string, balances as strings, the client and externalUuid', async () => {
		const { signingKey } = (await subscribe()).body;
		const externalUuid = uuidV1();
		await api('PUT', PATH.inventory, {
			changes: [seedMove(SEED.tshirt.productUuid, SEED.tshirt.small, 2)],
			externalUuid,
		});
		await sandbox().pusher.idle();
		const delivery = trap().received[1];
		const envelope = JSON.parse(delivery.body);
		expect(delivery.headers['x-izettle-signature']).toBe(
			createHmac('sha256', signingKey)
				.update(`${envelope.timestamp}.${envelope.payload}`)
				.digest('hex'),
		);
		expect(typeof envelope.payload).toBe('string');
		const payload = JSON.parse(envelope.payload);
		expect(payload).toMatchObject({
			organizationUuid: SEED.organizationUuid,
			externalUuid,
			updated: { userType: 'USER', clientUuid: expect.any(String) },
		});
		expect(payload.balanceBefore).toContainEqual(
			expect.objectContaining({
				locationUuid: SEED.locations.STORE,
				variantUuid: SEED.tshirt.small,
				balance: '238',
			}),
		);
		expect(payload.balanceAfter).toContainEqual(
			expect.objectContaining({
				locationUuid: SEED.locations.STORE,
				variantUuid: SEED.tshirt.small,
				balance: '236',
			}),
		);
	});

	it('delivers tracking changes and till sales to the subscriptions that asked for them only', async () => {
		await subscribe({ eventNames: ['InventoryTrackingStarted'] });
		await api('POST', '/v3/products', [{ productUuid: SEED.mug.productUuid, tracking: 'enable' }]);
		sandbox().sellAtTill(SEED.tshirt.small, 1);
		await sandbox().pusher.idle();
		const events = trap()
			.received.slice(1)
			.map((r) => JSON.parse(r.body));
		expect(events.map((e) => e.eventName)).toEqual(['InventoryTrackingStarted']);
		expect(JSON.parse(events[0].payload)).toMatchObject({
			productUuid: SEED.mug.productUuid,
			created: { clientUuid: expect.any(String) },
		});
	});

	it('retries a failing destination on its schedule, then deletes the subscription', async () => {
		sandbox().pusher.faults = { retryScheduleMs: [5, 5, 5] };
		await subscribe();
		await trap().close(); // the destination goes away after the TestMessage
		sandbox().sellAtTill(SEED.tshirt.small, 1);
		await sandbox().pusher.idle();
		const attempts = sandbox().pusher.deliveries.filter(
			(d) => d.eventName === 'InventoryBalanceChanged',
		);
		expect(attempts.map((a) => [a.attempt, a.status])).toEqual([
			[1, 0],
			[2, 0],
			[3, 0],
			[4, 0],
		]);
		expect(sandbox().pusher.subscriptions.size).toBe(0);
	});
});
