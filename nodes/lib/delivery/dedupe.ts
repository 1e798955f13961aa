import { createHash } from 'crypto';

import type { NormalizedItem } from '../model/item';

/**
 * Servers retry after timeouts and failures (Evolution 2.2.1+, see docs/protocol.md#retries) and
 * sometimes send the same event twice (Evolution issue #1325), so recently seen deliveries are dropped.
 * Keys are remembered twice: in this process (fast, lost on restart) and in the trigger's workflow static
 * data (survives restarts and is shared by the webhook processes of queue mode). Both are bounded per node
 * (count, bytes, time) so one workflow's flood cannot evict another's keys.
 */

export const DEFAULT_DEDUPE_WINDOW_MINUTES = 10;

/** Keys are hashed to a fixed size: 16 hex characters of sha256 (64 bits; collisions are negligible at these counts). */
export function hashKey(key: string): string {
	return createHash('sha256').update(key, 'utf8').digest('hex').slice(0, 16);
}

/**
 * Same event, message id and status = same delivery; an edit also by its new text, so a second edit of
 * the same message is not taken for a retry. Items without a message id are never deduplicated one by one.
 */
export function deliveryKey(scope: string, item: NormalizedItem): string | null {
	const id = item.message?.id;
	if (!id) return null;
	const edit = item.event === 'message.edited' ? `|${item.message?.text ?? ''}` : '';
	return `${scope}|${item.originalEvent ?? item.event}|${id}|${item.message?.status ?? ''}${edit}`;
}

/**
 * An array delivery (a `messages.set`, `contacts.upsert`… batch) as a whole: a retry sends the same bytes,
 * so the same event, instance and data mean the same batch, even when its elements carry no message id.
 */
export function batchKey(scope: string, body: Record<string, unknown>): string | null {
	if (!Array.isArray(body.data) || body.data.length < 2) return null;
	return `${scope}|batch|${JSON.stringify([body.event ?? null, body.instance ?? null, body.data])}`;
}

/** Static data key of the persisted keys (in the trigger node's own static data). */
export const PERSISTED_DEDUPE_KEY = 'recentDeliveries';

/** The persisted keys: hashed key → when it was recorded, in seconds since the epoch (compact JSON). */
export interface PersistedDeliveries {
	v: 1;
	keys: Record<string, number>;
}

/** Per node: 500 keys of ~30 JSON bytes each; the byte bound guards against any future change of the entry size. */
export const PERSISTED_MAX_KEYS = 500;
export const PERSISTED_MAX_BYTES = 16 * 1024;

/** What the static data holds, read tolerantly (anything unreadable counts as nothing remembered). */
export function readPersisted(value: unknown): Record<string, number> {
	if (typeof value !== 'object' || value === null) return {};
	const keys = (value as { keys?: unknown }).keys;
	if (typeof keys !== 'object' || keys === null || Array.isArray(keys)) return {};
	const result: Record<string, number> = {};
	for (const [key, at] of Object.entries(keys)) if (typeof at === 'number' && Number.isFinite(at)) result[key] = at;
	return result;
}

export function persistedHas(persisted: Record<string, number>, key: string, now: number, windowMs: number): boolean {
	const at = persisted[key];
	return at !== undefined && now - at * 1000 < windowMs;
}

/**
 * The next persisted value: the keys still inside the window plus the new ones, newest kept when a bound
 * is reached (count first, then bytes of the JSON written).
 */
export function nextPersisted(persisted: Record<string, number>, added: string[], now: number, windowMs: number): PersistedDeliveries {
	const nowSeconds = Math.floor(now / 1000);
	const entries = Object.entries(persisted).filter(([key, at]) => now - at * 1000 < windowMs && !added.includes(key));
	for (const key of added) entries.push([key, nowSeconds]);
	entries.sort((a, b) => a[1] - b[1]);
	let kept = entries.slice(Math.max(0, entries.length - PERSISTED_MAX_KEYS));
	const value = (list: Array<[string, number]>): PersistedDeliveries => ({ v: 1, keys: Object.fromEntries(list) });
	while (kept.length > 0 && JSON.stringify(value(kept)).length > PERSISTED_MAX_BYTES) kept = kept.slice(Math.ceil(kept.length / 10));
	return value(kept);
}

/**
 * This process's memory, one bounded map per node scope (insertion order = oldest first for eviction),
 * and a bound on the number of scopes, so neither a flood nor many workflows grow it without limit.
 */
export class RecentDeliveries {
	private readonly scopes = new Map<string, Map<string, number>>();

	constructor(
		private readonly maxEntriesPerScope = 5_000,
		private readonly maxScopes = 1_000,
	) {}

	/** Whether the key was recorded for this scope inside the window. */
	has(scope: string, key: string, now: number, windowMs: number): boolean {
		const previous = this.scopes.get(scope)?.get(key);
		return previous !== undefined && now - previous < windowMs;
	}

	/** Records the key (once a delivery's output is built, so a failed one is processed on retry). */
	remember(scope: string, key: string, now: number): void {
		let seenAt = this.scopes.get(scope);
		if (!seenAt) {
			seenAt = new Map();
			this.scopes.set(scope, seenAt);
			if (this.scopes.size > this.maxScopes) this.scopes.delete(this.scopes.keys().next().value as string);
		}
		seenAt.delete(key);
		seenAt.set(key, now);
		if (seenAt.size > this.maxEntriesPerScope) seenAt.delete(seenAt.keys().next().value as string);
	}

	size(scope: string): number {
		return this.scopes.get(scope)?.size ?? 0;
	}
}

/** Shared by every trigger of this process; each node has its own scope. */
export const recentDeliveries = new RecentDeliveries();
