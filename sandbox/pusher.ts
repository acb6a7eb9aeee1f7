// Zettle's Pusher API (webhook subscriptions) and its deliveries, as docs/reference/zettle-pusher.md
// describes them: subscriptions per organization and API client (a v1 UUID, transport WEBHOOK, event
// names, an https destination — loopback http allowed here —, a contact e-mail, a 64-character
// signing key), a TestMessage on create, and signed deliveries of every balance, tracking and
// product change, retried while the destination fails and removed when it keeps failing.

import { createHmac, randomBytes, randomUUID } from 'node:crypto';

import type { ApiResponse, Violation } from './inventory';
import { invalid, isObject, isUuidV1, violation, ZettleError } from './inventory';
import { uuidV1Like } from './random';
import type { ChangeEvent, Organization, Origin } from './state';

/** Event names and the scope a subscription to each needs (§3). */
export const EVENT_SCOPES: Record<string, string> = {
	InventoryBalanceChanged: 'READ:PRODUCT',
	InventoryTrackingStarted: 'READ:PRODUCT',
	InventoryTrackingStopped: 'READ:PRODUCT',
	ProductCreated: 'READ:PRODUCT',
	ProductUpdated: 'READ:PRODUCT',
	ProductDeleted: 'READ:PRODUCT',
	PurchaseCreated: 'READ:PURCHASE',
};

/** Zettle's retry schedule for a failing destination (§8): every 60 s ×10, every 600 s ×9, then hourly ×70. */
export const ZETTLE_RETRY_SCHEDULE_MS = [
	...Array(10).fill(60_000),
	...Array(9).fill(600_000),
	...Array(70).fill(3_600_000),
];

/** What can go wrong with deliveries, on purpose. */
export interface DeliveryFaults {
	/** deliver every message twice (at-least-once delivery) */
	duplicate?: boolean;
	/** wait this long before each delivery */
	delayMs?: number;
	/** hold each delivery back until the next one has gone out (out of order) */
	reorder?: boolean;
	/** sign with another key */
	wrongSignature?: boolean;
	/** waits between attempts while a destination fails; after the last the subscription is deleted (default: Zettle's) */
	retryScheduleMs?: number[];
	/** how long a destination has to answer (Zettle: 10 s) */
	timeoutMs?: number;
}

export interface Subscription {
	uuid: string;
	organizationUuid: string;
	/** the API client that created it: only that client lists, updates and deletes it */
	clientId: string;
	transportName: 'WEBHOOK';
	eventNames: string[];
	destination: string;
	contactEmail: string;
	status: 'ACTIVE' | 'FAILING';
	signingKey: string;
	updated: string;
}

/** One attempt to deliver one message, for the request log of deliveries. */
export interface DeliveryAttempt {
	subscriptionUuid: string;
	eventName: string;
	messageId: string;
	attempt: number;
	/** HTTP status the destination answered; 0: no answer (refused, timed out) */
	status: number;
	at: number;
	body: string;
}

export interface Caller {
	organizationUuid: string;
	clientId: string;
	scopes: string[];
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A 64-character signing key like Zettle's examples. */
const signingKey = () =>
	[...randomBytes(64)].map((b) => ALPHANUMERIC[b % ALPHANUMERIC.length]).join('');

/** A v1-shaped UUID for a message (Zettle's messageUuid is "UUID v1 based on timestamp and messageId"). */
const messageUuid = () => uuidV1Like(Math.random);

/** A time as Zettle writes it in webhook payloads: ISO 8601 with `+0000` for `Z`. */
export const zettleTime = (d: Date): string => d.toISOString().replace('Z', '+0000');

/** The hex HMAC-SHA256 of `timestamp.payload` with the subscription's key (§6). */
export const sign = (key: string, timestamp: string, payload: string) =>
	createHmac('sha256', key).update(`${timestamp}.${payload}`).digest('hex');

export class Pusher {
	readonly subscriptions = new Map<string, Subscription>();
	readonly deliveries: DeliveryAttempt[] = [];
	faults: DeliveryFaults = {};
	private readonly pending = new Set<Promise<void>>();
	private readonly timers = new Set<NodeJS.Timeout>();
	private held?: () => void;

	/** Delivers this organization's changes to its subscriptions from now on. */
	attach(org: Organization): void {
		org.onChange((event) => this.publish(org, event));
	}

	/** POST /organizations/self/subscriptions: checked, then the TestMessage goes to the destination (§2.1, §5). */
	async create(caller: Caller, body: unknown): Promise<ApiResponse> {
		const subscription = this.checked(caller, body);
		const test = await this.attempt(
			subscription,
			this.envelope(subscription, 'TestMessage', '{"data":"payload"}'),
			1,
		);
		if (test === 0)
			throw new ZettleError(
				400,
				'DESTINATION_NOT_ACCESSIBLE',
				`The destination ${subscription.destination} could not be reached`,
			);
		if (test < 200 || test >= 300)
			throw new ZettleError(
				500,
				'DESTINATION_RESPONDED_WITH_ERROR_CODE',
				`The destination answered the test message with ${test}`,
			);
		this.subscriptions.set(subscription.uuid, subscription);
		return { status: 200, body: this.dto(subscription) };
	}

	/** A new subscription from a create request, checked field by field as §2.1 describes (uuid, transport, events and scopes, destination, e-mail). */
	private checked(caller: Caller, body: unknown): Subscription {
		if (!isObject(body)) throw invalid([violation('body', 'must be an object', 'NOT_NULL')]);
		const violations: Violation[] = [];
		if (typeof body.uuid !== 'string' || !isUuidV1(body.uuid))
			violations.push(violation('uuid', 'must be a version 1 UUID', 'UUID'));
		if (body.transportName !== 'WEBHOOK')
			violations.push(violation('transportName', 'must be WEBHOOK', 'ENUM'));
		if (!Array.isArray(body.eventNames) || body.eventNames.some((e) => !EVENT_SCOPES[String(e)])) {
			violations.push(
				violation(
					'eventNames',
					`must be a list of ${Object.keys(EVENT_SCOPES).join(', ')}`,
					'ENUM',
				),
			);
		}
		if (violations.length) throw invalid(violations);
		const destination = this.destinationOf(body.destination);
		if (
			typeof body.contactEmail !== 'string' ||
			!EMAIL.test(body.contactEmail) ||
			body.contactEmail.length > 512
		) {
			throw new ZettleError(
				422,
				'INVALID_CONTACT_EMAIL',
				'contactEmail must be a valid e-mail address of at most 512 characters',
			);
		}
		if (this.subscriptions.has(body.uuid as string))
			throw new ZettleError(
				400,
				'SUBSCRIPTION_ALREADY_EXIST',
				`A subscription with uuid ${String(body.uuid)} already exists`,
			);
		// an empty list means every event, and needs every scope
		const eventNames = (body.eventNames as string[]).length
			? (body.eventNames as string[])
			: Object.keys(EVENT_SCOPES);
		const missing = eventNames.find((e) => !caller.scopes.includes(EVENT_SCOPES[e]));
		if (missing)
			throw new ZettleError(
				403,
				'INSUFFICIENT_SCOPE',
				`A subscription to ${missing} needs the ${EVENT_SCOPES[missing]} scope`,
			);
		return {
			uuid: body.uuid as string,
			organizationUuid: caller.organizationUuid,
			clientId: caller.clientId,
			transportName: 'WEBHOOK',
			eventNames: body.eventNames as string[],
			destination,
			contactEmail: body.contactEmail,
			status: 'ACTIVE',
			signingKey: signingKey(),
			updated: new Date().toISOString(),
		};
	}

	/** GET …/subscriptions: the caller's own, with their signing keys (§2.2). */
	list(caller: Caller): ApiResponse {
		return { status: 200, body: this.own(caller).map((s) => this.dto(s)) };
	}

	/** DELETE …/subscriptions/{uuid} (or …/subscriptions/uuid/{uuid}): 204, or 404 when it is not the caller's (§2.4). */
	delete(caller: Caller, uuid: string): ApiResponse {
		const subscription = this.own(caller).find((s) => s.uuid === uuid);
		if (!subscription)
			throw new ZettleError(404, 'SUBSCRIPTION_NOT_FOUND', `No subscription ${uuid}`);
		this.subscriptions.delete(uuid);
		return { status: 204 };
	}

	/** Emits an event of the organization to every subscription to it: product changes and purchases come from here. */
	emit(org: Organization, eventName: string, payload: object): void {
		for (const subscription of [...this.subscriptions.values()]) {
			if (
				subscription.organizationUuid !== org.uuid ||
				!subscription.eventNames.includes(eventName)
			)
				continue;
			this.deliver(subscription, this.envelope(subscription, eventName, JSON.stringify(payload)));
		}
	}

	/** Resolves when every delivery under way (retries included) has ended; a message held back for reordering goes out. */
	async idle(): Promise<void> {
		this.release();
		while (this.pending.size) await Promise.all([...this.pending]);
	}

	private release(): void {
		const held = this.held;
		this.held = undefined;
		held?.();
	}

	/** Stops retrying and forgets everything (the sandbox's reset and close). */
	reset(): void {
		for (const timer of this.timers) clearTimeout(timer);
		this.timers.clear();
		this.release();
		this.subscriptions.clear();
		this.deliveries.length = 0;
	}

	private publish(org: Organization, event: ChangeEvent): void {
		if (event.kind === 'balance')
			this.emit(org, 'InventoryBalanceChanged', balancePayload(org, event));
		else {
			const block = event.kind === 'trackingStarted' ? 'created' : 'changeInformation';
			this.emit(
				org,
				event.kind === 'trackingStarted' ? 'InventoryTrackingStarted' : 'InventoryTrackingStopped',
				{
					organizationUuid: org.uuid,
					productUuid: event.productUuid,
					[block]: changedBy(event.origin, event.at),
				},
			);
		}
	}

	private envelope(subscription: Subscription, eventName: string, payload: string) {
		return {
			organizationUuid: subscription.organizationUuid,
			messageUuid: messageUuid(),
			eventName,
			messageId: randomUUID(),
			payload,
			timestamp: new Date().toISOString(),
		};
	}

	/** One message to one subscription: delayed, doubled or held back as the faults say, retried while it fails. */
	private deliver(subscription: Subscription, envelope: ReturnType<Pusher['envelope']>): void {
		const run = async () => {
			if (this.faults.delayMs)
				await new Promise((resolve) => this.timer(resolve, this.faults.delayMs!));
			let release: (() => void) | undefined;
			if (this.faults.reorder) {
				// the first message waits for the next one, which goes out first
				if (!this.held) await new Promise<void>((resolve) => (this.held = resolve));
				else [release, this.held] = [this.held, undefined];
			}
			await this.deliverWithRetries(subscription, envelope);
			release?.();
			if (this.faults.duplicate) await this.attempt(subscription, envelope, 1);
		};
		const promise = run().finally(() => this.pending.delete(promise));
		this.pending.add(promise);
	}

	private async deliverWithRetries(
		subscription: Subscription,
		envelope: ReturnType<Pusher['envelope']>,
	): Promise<void> {
		const schedule = this.faults.retryScheduleMs ?? ZETTLE_RETRY_SCHEDULE_MS;
		for (let attempt = 1; ; attempt++) {
			if (!this.subscriptions.has(subscription.uuid)) return;
			const status = await this.attempt(subscription, envelope, attempt);
			if (status >= 200 && status < 300) {
				subscription.status = 'ACTIVE';
				return;
			}
			subscription.status = 'FAILING';
			if (attempt > schedule.length) {
				// still failing at the end of the schedule: Zettle deletes the subscription (§8)
				this.subscriptions.delete(subscription.uuid);
				return;
			}
			await new Promise((resolve) => this.timer(resolve, schedule[attempt - 1]));
		}
	}

	/** One POST to the destination; the status it answered, 0 when none came in time. */
	private async attempt(
		subscription: Subscription,
		envelope: ReturnType<Pusher['envelope']>,
		attempt: number,
	): Promise<number> {
		const body = JSON.stringify(envelope, null, 2); // Zettle's deliveries are pretty-printed (§4)
		const key = this.faults.wrongSignature ? signingKey() : subscription.signingKey;
		let status = 0;
		try {
			const response = await fetch(subscription.destination, {
				method: 'POST',
				headers: {
					'content-type': 'application/json',
					accept: 'application/json',
					'user-agent': 'PusherApplication (WebHookPushClient)',
					'x-izettle-signature': sign(key, envelope.timestamp, envelope.payload),
				},
				body,
				redirect: 'manual',
				signal: AbortSignal.timeout(this.faults.timeoutMs ?? 10_000),
			});
			status = response.status;
			await response.arrayBuffer();
		} catch {
			status = 0;
		}
		this.deliveries.push({
			subscriptionUuid: subscription.uuid,
			eventName: envelope.eventName,
			messageId: envelope.messageId,
			attempt,
			status,
			at: Date.now(),
			body,
		});
		return status;
	}

	private timer(resolve: (value: unknown) => void, ms: number) {
		const timer = setTimeout(() => {
			this.timers.delete(timer);
			resolve(undefined);
		}, ms);
		timer.unref();
		this.timers.add(timer);
	}

	private own(caller: Caller): Subscription[] {
		return [...this.subscriptions.values()].filter(
			(s) => s.organizationUuid === caller.organizationUuid && s.clientId === caller.clientId,
		);
	}

	private destinationOf(value: unknown): string {
		let url: URL;
		try {
			url = new URL(String(value));
		} catch {
			throw new ZettleError(422, 'INVALID_DESTINATION', 'destination must be a URL');
		}
		// real Zettle wants a public https URL; the sandbox also takes loopback http, so n8n on localhost can receive
		if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.test(url.hostname))) {
			throw new ZettleError(422, 'INVALID_DESTINATION', 'destination is not a valid HTTPS URL');
		}
		return url.toString();
	}

	/** A subscription as Zettle's API shows it: without the organization and the client that own it. */
	private dto(s: Subscription) {
		const { organizationUuid, clientId, ...shown } = s;
		return shown;
	}
}

function changedBy(origin: Origin, at: Date) {
	return {
		uuid: origin.userUuid,
		timestamp: zettleTime(at),
		userType: 'USER',
		clientUuid: origin.clientUuid,
	};
}

/** The InventoryBalanceChanged payload (§7.1): balances as strings, every changed location, the externalUuid passed through. */
function balancePayload(org: Organization, event: Extract<ChangeEvent, { kind: 'balance' }>) {
	const row = (r: (typeof event.rows)[number], balance: number) => ({
		organizationUuid: org.uuid,
		locationUuid: r.locationUuid,
		productUuid: r.productUuid,
		variantUuid: r.variantUuid,
		balance: String(balance),
	});
	return {
		organizationUuid: org.uuid,
		updated: changedBy(event.origin, event.at),
		balanceBefore: event.rows.map((r) => row(r, r.before)),
		balanceAfter: event.rows.map((r) => ({
			...row(r, r.after),
			created: zettleTime(event.at),
		})),
		externalUuid: event.origin.externalUuid ?? null,
	};
}
