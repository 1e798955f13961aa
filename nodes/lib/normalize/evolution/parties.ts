import type { EvolutionEvent } from '../../evolution/events';
import type { NormalizedEventName } from '../../model/event-names';
import type { NormalizedChat, NormalizedItem, NormalizedMessage, NormalizedSender } from '../../model/item';
import { chatParty, emptyItem, senderParty } from '../items';
import { isGroupJid, lidOf, phoneOf } from '../read/jid';
import { boolOf, numberOf, textOf } from '../read/scalars';
import { lookupOwn } from '../read/own';
import type { MessageKey } from './schemas';

/** What every builder knows about the delivery it is reading. */
export interface EvolutionContext {
	entry: EvolutionEvent;
	instance: string | null;
	/** The connected number's JID (envelope `sender`). */
	ownJid: string | null;
}

export function baseItem(context: EvolutionContext, event: NormalizedEventName = context.entry.normalized): NormalizedItem {
	return emptyItem('evolution', event, context.entry.emitted, context.instance);
}

export function emptyMessage(id: string | null, fromMe: boolean | null): NormalizedMessage {
	return { id, type: 'other', text: null, caption: null, media: null, fromMe, timestamp: null, quotedId: null, quoted: null, status: null };
}

export function chatOf(jid: unknown, alt: unknown, name: string | null): NormalizedChat | null {
	const id = textOf(jid);
	if (id === null && textOf(alt) === null) return null;
	const isGroup = isGroupJid(id);
	return chatParty({
		id,
		phone: isGroup ? null : (phoneOf(id) ?? phoneOf(alt)),
		lid: lidOf(id) ?? lidOf(alt),
		isGroup,
		name,
	});
}

export function chatAltOf(key: MessageKey): string | null | undefined {
	return key.remoteJidAlt ?? key.senderPn ?? key.senderLid;
}

/** Who wrote a message: this number when fromMe, the participant in a group, else the chat itself. */
export function senderOf(ownJid: string | null, key: MessageKey, pushName: string | null, participant?: string | null): NormalizedSender | null {
	if (boolOf(key.fromMe) === true) return senderParty(ownJid, phoneOf(ownJid), pushName);
	if (isGroupJid(key.remoteJid)) return personOf(key.participant ?? participant, key.participantAlt ?? key.participantPn ?? key.participantLid, pushName);
	return personOf(key.remoteJid, chatAltOf(key), pushName);
}

export function personOf(jid: unknown, alt: unknown, name: string | null): NormalizedSender | null {
	const id = textOf(jid);
	if (id === null && textOf(alt) === null && name === null) return null;
	return senderParty(id ?? textOf(alt), phoneOf(id) ?? phoneOf(alt), name);
}

const STATUS_NAMES: Record<string, string> = {
	ERROR: 'error',
	PENDING: 'pending',
	SERVER_ACK: 'sent',
	DELIVERY_ACK: 'delivered',
	READ: 'read',
	PLAYED: 'played',
	DELETED: 'deleted',
};
/** Baileys' numeric WebMessageInfo.Status. */
const STATUS_BY_NUMBER = ['error', 'pending', 'sent', 'delivered', 'read', 'played'];

export function statusOf(value: unknown): string | null {
	const number = numberOf(value);
	if (number !== null) return Number.isInteger(number) ? (STATUS_BY_NUMBER[number] ?? null) : null;
	if (typeof value !== 'string' || value.length === 0 || value.length > 32) return null;
	return lookupOwn(STATUS_NAMES, value.toUpperCase()) ?? value.toLowerCase();
}
