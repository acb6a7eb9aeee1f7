// The node's options, checked before anything is sent. An option is the same for every item, so a
// bad one is an error of the whole run (with Continue: of every item).

import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { LocationType } from '../helpers/types';
import { isUuidV1 } from '../helpers/uuid';
import { isUuid } from '../helpers/validation';
import type { ClientOptions } from '../transport';

/** Every option of every operation; each operation shows the ones that apply to it. */
export interface RunOptions extends ClientOptions {
	dryRun?: boolean;
	externalUuid?: string;
	itemsPerRequest: number;
	output?: 'balances' | 'raw';
	returnBalanceForLocation?: string;
	/** V3: read balances back after writes */
	readBack?: boolean;
	/** Set Stock Level */
	decreaseTo?: LocationType;
	increaseFrom?: LocationType;
	startTracking?: boolean;
	/** Get Balances */
	includeProductDetails?: boolean;
	includeZero?: boolean;
}

export function readOptions(context: IExecuteFunctions): RunOptions {
	const options = context.getNodeParameter('options', 0, {}) as Partial<RunOptions>;
	const fail = (message: string) =>
		new NodeOperationError(context.getNode(), message, {
			description: 'Fix the option; nothing was sent.',
		});
	const itemsPerRequest = options.itemsPerRequest ?? 100;
	if (
		typeof itemsPerRequest !== 'number' ||
		!Number.isInteger(itemsPerRequest) ||
		itemsPerRequest < 1 ||
		itemsPerRequest > 1000
	) {
		throw fail(
			`Items per Request ${JSON.stringify(itemsPerRequest) ?? String(itemsPerRequest)} is not a whole number from 1 to 1000.`,
		);
	}
	const rate = options.requestsPerSecond;
	if (rate !== undefined && (typeof rate !== 'number' || !(rate > 0)))
		throw fail(`Max Requests per Second ${String(rate)} is not a number above 0.`);
	const wait = options.maxRetryWait;
	if (wait !== undefined && (typeof wait !== 'number' || !(wait >= 0)))
		throw fail(`Max Retry Wait ${String(wait)} is not a number of seconds, 0 or more.`);
	const externalUuid = options.externalUuid?.trim();
	if (externalUuid && !isUuid(externalUuid)) {
		throw fail(
			`External UUID "${externalUuid}" is not a UUID (e.g. 0f8b7a40-6a1e-11ec-90d6-0242ac120003). Leave it empty to get a new one per request.`,
		);
	}
	if (externalUuid && !isUuidV1(externalUuid)) {
		throw fail(
			`External UUID "${externalUuid}" is not a version 1 (time-based) UUID. Zettle's examples and its own clients use v1 UUIDs for the ids a client chooses; leave it empty to get a new v1 UUID per request.`,
		);
	}
	return { ...options, itemsPerRequest, externalUuid: externalUuid || undefined };
}
