import type { NormalizedEventName } from '../model/event-names';
import type { NormalizedChat, NormalizedItem, NormalizedSender, Source } from '../model/item';

/** An item with every key present and null, for a normalizer to fill in. */
export function emptyItem(source: Source, event: NormalizedEventName, originalEvent: string | null, instance: string | null): NormalizedItem {
	return {
		source,
		event,
		originalEvent,
		instance,
		chat: null,
		sender: null,
		message: null,
		ticket: null,
		contact: null,
		details: null,
		reason: null,
	};
}

/** The item for a body nobody could read. */
export function unknownItem(reason: string, raw?: unknown): NormalizedItem {
	const item = emptyItem('unknown', 'unknown', null, null);
	item.reason = reason;
	if (raw !== undefined) item.raw = raw;
	return item;
}

/** A chat whose phone (if any) the payload carried. */
export function chatParty(fields: Omit<NormalizedChat, 'phoneSource'>): NormalizedChat {
	return { id: fields.id, phone: fields.phone, lid: fields.lid, isGroup: fields.isGroup, name: fields.name, phoneSource: fields.phone === null ? null : 'payload' };
}

/** A sender whose phone (if any) the payload carried. */
export function senderParty(id: string | null, phone: string | null, name: string | null): NormalizedSender {
	return { id, phone, name, phoneSource: phone === null ? null : 'payload' };
}
