import type { NormalizedQuoted } from '../../model/item';
import { lidOf, phoneOf } from '../read/jid';
import { boolOf, isRecord, textOf, type JsonObject } from '../read/scalars';
import { contentOf } from './content';

/**
 * The message a reply quotes, from a Baileys `contextInfo` {stanzaId, participant, quotedMessage}. It sits
 * inside the content part (extendedTextMessage, imageMessage…: Evolution 1.x and 2.0) or at the top of
 * `data` (2.2+), see docs/protocol.md#delivery-envelope.
 */
export function quotedOf(contextInfo: unknown, ownJid: string | null): NormalizedQuoted | null {
	if (!isRecord(contextInfo)) return null;
	const id = textOf(contextInfo.stanzaId);
	const quotedMessage = isRecord(contextInfo.quotedMessage) ? contextInfo.quotedMessage : null;
	if (id === null && quotedMessage === null) return null;
	const content = quotedMessage ? contentOf(quotedMessage, undefined) : null;
	return {
		id,
		type: content ? content.type : null,
		text: content ? content.text : null,
		caption: content ? content.caption : null,
		author: authorOf(contextInfo.participant, ownJid),
	};
}

/** The quoted message's author; fromMe only when both numbers are known (a LID cannot be compared to a phone). */
export function authorOf(jid: unknown, ownJid: string | null): NormalizedQuoted['author'] {
	const id = textOf(jid);
	if (id === null) return null;
	const phone = phoneOf(id);
	const ownPhone = phoneOf(ownJid);
	return { id, phone, lid: lidOf(id), fromMe: phone !== null && ownPhone !== null ? phone === ownPhone : null };
}

/** The message a reaction reacts to, from the reaction's key {id, remoteJid, fromMe, participant?}. */
export function reactedOf(key: JsonObject | null, ownJid: string | null): NormalizedQuoted | null {
	if (!key) return null;
	const id = textOf(key.id);
	if (id === null) return null;
	const fromMe = boolOf(key.fromMe);
	const authorJid = textOf(key.participant) ?? (fromMe === true ? ownJid : textOf(key.remoteJid));
	const author = authorOf(authorJid, ownJid);
	return { id, type: null, text: null, caption: null, author: author ? { ...author, fromMe: fromMe ?? author.fromMe } : null };
}
