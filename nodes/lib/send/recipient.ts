import { COLUMN_LABELS, type EvolutionLine } from './capabilities';
import type { Read, ReplyTarget } from './target';

/**
 * How the chat of a reply becomes Evolution's `number` (sends, presence) or a key's `remoteJid`
 * (reaction, read receipt), per release line. Facts (upstream `createJid` / `whatsappNumber`):
 * - every version keeps `…@g.us` and `…@s.whatsapp.net`, and turns bare digits into a user JID;
 * - 1.5.x does not know `@lid`: it rewrites `123@lid` into `123@s.whatsapp.net`, the wrong person;
 * - 1.6 – 2.2.x keep `@lid`, but the on-WhatsApp check cannot confirm it: 400 `exists:false`;
 * - 2.3.x (Baileys 7) accepts a `@lid` and sends to it.
 * So: a group → its JID; a person with a known phone → the digits; a LID-only chat → the LID on 2.3+,
 * else a refusal that says why.
 */

const lidOnlyRefusal = (line: EvolutionLine, what: string) =>
	`This chat is known only by its LID (a WhatsApp privacy id, no phone number), and ${COLUMN_LABELS[line]} cannot ${what} a LID (only 2.3.0 and newer can): answer through the phone number in manual mode, or update the server`;

/** The `number` field of sends and presence. */
export function evolutionNumber(target: ReplyTarget, line: EvolutionLine): Read<string> {
	const chatId = target.chatId;
	if (target.isGroup && chatId) return { ok: true, value: chatId };
	if (target.phone) return { ok: true, value: target.phone };
	const lid = chatId?.endsWith('@lid') ? chatId : target.lid;
	if (lid) {
		return line === 'v2.3' ? { ok: true, value: lid } : { ok: false, refusal: lidOnlyRefusal(line, 'send to') };
	}
	if (chatId) return { ok: true, value: chatId };
	return { ok: false, refusal: 'The item names no chat to answer: it has neither a phone number nor a chat id' };
}

/**
 * The `remoteJid` of the key of the message being answered (quote, reaction, read receipt, download):
 * the chat id as WhatsApp sent it. A LID chat with a known phone is keyed by the phone JID, which the
 * on-WhatsApp check of older servers accepts.
 */
export function evolutionRemoteJid(target: ReplyTarget, line: EvolutionLine, what: string): Read<string> {
	const chatId = target.chatId;
	if (chatId && (chatId.endsWith('@g.us') || chatId.endsWith('@s.whatsapp.net'))) return { ok: true, value: chatId };
	if (target.phone) return { ok: true, value: `${target.phone}@s.whatsapp.net` };
	if (chatId?.endsWith('@lid')) return line === 'v2.3' ? { ok: true, value: chatId } : { ok: false, refusal: lidOnlyRefusal(line, what) };
	if (chatId) return { ok: true, value: chatId };
	return { ok: false, refusal: 'The item names no chat: it has neither a chat id nor a phone number' };
}

/**
 * Read receipts: every version keeps only group and phone-number JIDs and drops a `@lid` key silently
 * (2.3.6 filters with `isJidGroup || isPnUser`), so a LID-only chat is refused rather than "marked"
 * with no effect.
 */
export function readReceiptJid(target: ReplyTarget): Read<string> {
	const chatId = target.chatId;
	if (chatId && (chatId.endsWith('@g.us') || chatId.endsWith('@s.whatsapp.net'))) return { ok: true, value: chatId };
	if (target.phone) return { ok: true, value: `${target.phone}@s.whatsapp.net` };
	return {
		ok: false,
		refusal: 'This chat is known only by its LID (no phone number), and Evolution API drops read receipts for LID chats without a word (every version up to 2.3.x): there is nothing to send',
	};
}

/** Helpdesks take digits (`number`); Whazing also takes its ticket id for channels without phone numbers. */
export function helpdeskNumber(target: ReplyTarget, allowTicketId: boolean): Read<{ number?: string; ticketId?: string }> {
	if (target.isGroup) {
		if (!allowTicketId) return { ok: false, refusal: 'Whaticket SaaS cannot send to groups through its API: answer a person' };
		const id = target.chatId ?? '';
		return { ok: true, value: { number: id.includes('@') ? id : `${id}@g.us` } };
	}
	const digits = (target.phone ?? target.chatId ?? '').split('@')[0].replace(/\D/g, '');
	if (digits.length >= 8) return { ok: true, value: { number: digits } };
	if (allowTicketId && target.ticketId) return { ok: true, value: { ticketId: target.ticketId } };
	return { ok: false, refusal: 'The item has no phone number to answer (and no ticket id): reply to a message or ticket item, or give the number in manual mode' };
}
