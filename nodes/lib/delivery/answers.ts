import type { StateUpdate } from './coalesce';

/**
 * What a delivery is answered when it starts nothing, and the acknowledgement of one that does: small
 * JSON bodies a server operator can read in their logs.
 */
export interface DeliveryAnswer {
	kind: 'answer';
	status: number;
	body: Record<string, unknown>;
	/** Extra response headers (e.g. `Retry-After` on a 503). */
	headers?: Record<string, string>;
	/** A coalesced state event still counts its repeat in this process's memory. */
	stateUpdates?: StateUpdate[];
}

export function refuse(status: 400 | 401 | 500 | 503, message: string): DeliveryAnswer {
	return { kind: 'answer', status, body: { message } };
}

/**
 * Not ready yet, come back shortly: a 503 is retried by Evolution 2.2.1+ (docs/protocol.md#retries), where
 * a 401 would be dropped for good by 2.3+. Starts nothing.
 */
export function retryLater(message: string, seconds = 5): DeliveryAnswer {
	return { kind: 'answer', status: 503, body: { message }, headers: { 'Retry-After': String(seconds) } };
}

/** Acknowledged with 200 so the server does not retry, and nothing starts. */
export function ignore(reason: string): DeliveryAnswer {
	return { kind: 'answer', status: 200, body: { ignored: reason } };
}

export const RECEIVED = { received: true } as const;

/** What a body that is not a JSON object is, in a few words. */
export function describeBody(value: unknown, notJson: symbol): string {
	if (value === notJson) return 'not JSON';
	if (Array.isArray(value)) return 'an array';
	if (value === null || value === undefined) return 'empty';
	return `a ${typeof value}`;
}
