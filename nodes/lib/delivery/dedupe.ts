import type { NormalizedItem } from '../model/item';

/**
 * Servers retry after timeouts and sometimes send the same event twice (Evolution issue #1325), so
 * recently seen deliveries are dropped. The memory is bounded in time and in size. It lives in the
 * process: in queue mode each webhook process remembers its own deliveries only.
 */
export class RecentDeliveries {
	private readonly seenAt = new Map<string, number>();

	constructor(
		private readonly windowMs = 10 * 60 * 1000,
		private readonly maxEntries = 20_000,
	) {}

	/** Whether the key was recorded inside the window. */
	has(key: string, now: number): boolean {
		const previous = this.seenAt.get(key);
		return previous !== undefined && now - previous < this.windowMs;
	}

	/** Records the key (once a delivery's output is built, so a failed one is processed on retry). */
	remember(key: string, now: number): void {
		// Re-insert so the Map's insertion order stays oldest-first for eviction.
		this.seenAt.delete(key);
		this.seenAt.set(key, now);
		if (this.seenAt.size > this.maxEntries) {
			const oldest = this.seenAt.keys().next().value;
			if (oldest !== undefined) this.seenAt.delete(oldest);
		}
	}

	get size(): number {
		return this.seenAt.size;
	}
}

/**
 * Same event, message id and status = same delivery; an edit also by its new text, so a second edit of
 * the same message is not taken for a retry. Items without a message id are never deduplicated.
 */
export function deliveryKey(scope: string, item: NormalizedItem): string | null {
	const id = item.message?.id;
	if (!id) return null;
	const edit = item.event === 'message.edited' ? `|${item.message?.text ?? ''}` : '';
	return `${scope}|${item.originalEvent ?? item.event}|${id}|${item.message?.status ?? ''}${edit}`;
}

/** Shared by every trigger of this process; keys carry each node's scope. */
export const recentDeliveries = new RecentDeliveries();
