import type { NormalizedItem } from '../model/item';
import { deliveryKey } from './dedupe';

/**
 * Brokers deliver at least once: a message whose execution did not finish (n8n stopped, crashed, a
 * worker died) comes again. The keys of what was already processed live in a plain object that the
 * caller keeps in the workflow's static data, so they outlive the execution and the process; keys are
 * the trigger's (`deliveryKey`), so both paths recognise the same event. Bounded in time and in count;
 * JSON keeps the insertion order of these string keys, so the first key is always the oldest.
 */
export const REDELIVERY_WINDOW_MS = 24 * 60 * 60 * 1000;
export const REDELIVERY_MAX_KEYS = 5_000;

export type SeenDeliveries = Record<string, number>;

function prune(seen: SeenDeliveries, now: number, windowMs: number, maxKeys: number): void {
	const keys = Object.keys(seen);
	let excess = keys.length - maxKeys;
	for (const key of keys) {
		const at = seen[key];
		if (excess > 0 || typeof at !== 'number' || now - at >= windowMs) {
			delete seen[key];
			excess--;
		} else {
			break;
		}
	}
}

/**
 * The items not processed before (inside the window), remembering them in `seen`. Items without a
 * message id have no key and always pass. Answers whether `seen` changed (so static data is saved).
 */
export function dropProcessedBefore(
	items: NormalizedItem[],
	seen: SeenDeliveries,
	scope: string,
	now: number,
	windowMs = REDELIVERY_WINDOW_MS,
	maxKeys = REDELIVERY_MAX_KEYS,
): { items: NormalizedItem[]; changed: boolean } {
	prune(seen, now, windowMs, maxKeys);
	let changed = false;
	const kept = items.filter((item) => {
		const key = deliveryKey(scope, item);
		if (key === null) return true;
		const at = seen[key];
		if (typeof at === 'number' && now - at < windowMs) return false;
		seen[key] = now;
		changed = true;
		return true;
	});
	if (Object.keys(seen).length > maxKeys) prune(seen, now, windowMs, maxKeys);
	return { items: kept, changed };
}
