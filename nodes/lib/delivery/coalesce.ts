import type { NormalizedItem } from '../model/item';
import { hashKey } from './dedupe';

/**
 * Flood coalescing of state events. A real Evolution 1.8.1 instance that cannot reach WhatsApp re-posts
 * `connection.update` about 18 times a second, alternating `connecting` and `close`, for as long as it
 * runs; such events have no message id, so dedupe never applies. Within the window each distinct state of
 * an instance (per chat for presence) starts one execution; the repeats are counted and the next emitted
 * item of that state says how many it stood for (`details.coalesced`). `open` is a settled state: it
 * starts an execution at once and clears the instance's group, so a drop after it is reported at once too.
 */

/** The normalized events coalesced, and the states after which the group starts afresh. */
const COALESCED: Partial<Record<NormalizedItem['event'], { settled: string[] }>> = {
	'connection.updated': { settled: ['open'] },
	'qrcode.updated': { settled: [] },
	'presence.updated': { settled: [] },
};

export const DEFAULT_STATE_WINDOW_SECONDS = 60;

/** Per group: each state signature → when it last started an execution and how many repeats it dropped since. */
export type StateGroup = Record<string, { at: number; repeats: number }>;

export interface StateUpdate {
	group: string;
	value: StateGroup;
}

export interface CoalesceSettings {
	on: boolean;
	windowMs: number;
}

/** The group of a state event (scope, instance, event, chat), or null when the event is not coalesced. */
export function stateGroupOf(scope: string, item: NormalizedItem): string | null {
	if (!COALESCED[item.event]) return null;
	return hashKey(`${scope}|state|${item.instance ?? ''}|${item.event}|${item.chat?.id ?? ''}`);
}

function signatureOf(item: NormalizedItem): string {
	const details = item.details ?? {};
	// The QR code's image is derived from its code; the state is the code (or the limit message).
	const { base64: _image, ...state } = details as Record<string, unknown>;
	return hashKey(JSON.stringify(state));
}

/**
 * Decides, for the items of one delivery, which start an execution; returns them (with `details.coalesced`
 * when they stand for dropped repeats) and the groups to record. `lookup` reads this process's memory.
 */
export function coalesce(
	items: NormalizedItem[],
	scope: string,
	settings: CoalesceSettings,
	now: number,
	lookup: (group: string) => StateGroup | undefined,
): { kept: Array<NormalizedItem | null>; updates: StateUpdate[] } {
	const groups = new Map<string, StateGroup>();
	const kept = items.map((item) => {
		const group = settings.on ? stateGroupOf(scope, item) : null;
		if (group === null) return item;
		const current = groups.get(group) ?? { ...(lookup(group) ?? {}) };
		groups.set(group, current);
		const signature = signatureOf(item);
		const previous = current[signature];
		const settled = COALESCED[item.event]?.settled.includes(String(item.details?.state ?? '')) === true;
		if (previous && now - previous.at < settings.windowMs) {
			current[signature] = { ...previous, repeats: previous.repeats + 1 };
			return null;
		}
		if (settled) for (const key of Object.keys(current)) delete current[key];
		current[signature] = { at: now, repeats: 0 };
		if (!previous || previous.repeats === 0) return item;
		return { ...item, details: { ...(item.details ?? {}), coalesced: previous.repeats } };
	});
	return { kept, updates: [...groups].map(([group, value]) => ({ group, value })) };
}

/** This process's state groups, bounded in count (oldest first out). */
export class StateGroups {
	private readonly groups = new Map<string, StateGroup>();

	constructor(private readonly maxGroups = 10_000) {}

	get(group: string): StateGroup | undefined {
		return this.groups.get(group);
	}

	set(group: string, value: StateGroup): void {
		this.groups.delete(group);
		this.groups.set(group, value);
		if (this.groups.size > this.maxGroups) this.groups.delete(this.groups.keys().next().value as string);
	}
}

export const stateGroups = new StateGroups();
