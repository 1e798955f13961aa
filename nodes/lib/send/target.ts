import type { NormalizedItem } from '../model/item';

/**
 * Who and what a reply answers, read once from a normalized item (or typed by hand) so every request
 * builder works from the same few facts. Pure: no n8n here.
 */

export type ReplySource = 'evolution' | 'whazing' | 'whaticket';

export interface ReplyMedia {
	type: 'image' | 'video' | 'audio' | 'document' | 'sticker';
	mimetype: string | null;
	fileName: string | null;
	/** A URL the helpdesk (or S3) serves the file from, when the delivery carried one. */
	url: string | null;
}

export interface ReplyTarget {
	source: ReplySource;
	/** Evolution instance name; for helpdesks the connection the delivery came through (informative). */
	instance: string | null;
	/** The chat's JID (…@s.whatsapp.net, …@g.us, …@lid) or the helpdesk contact number. */
	chatId: string | null;
	/** Digits only, when the chat is a person with a known phone number. */
	phone: string | null;
	lid: string | null;
	isGroup: boolean;
	/** In groups: the JID of the person who wrote the message being answered. */
	participant: string | null;
	/** The WhatsApp id of the message being answered; null in manual mode and on Whaticket SaaS. */
	messageId: string | null;
	fromMe: boolean;
	/** Text (or caption) of the message being answered, sent along with a quote. */
	quotedText: string | null;
	media: ReplyMedia | null;
	ticketId: string | null;
	externalKey: string | null;
	/** The raw webhook message, when the trigger kept the raw body (lets Evolution download without its store). */
	rawMessage: Record<string, unknown> | null;
	/** Typed by hand rather than read from an item (a manual helpdesk send takes its product from the credential). */
	manual: boolean;
}

export type Read<T> = { ok: true; value: T } | { ok: false; refusal: string };

const record = (value: unknown): Record<string, unknown> | null =>
	typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
const text = (value: unknown): string | null => {
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
};
const MEDIA_TYPES = new Set(['image', 'video', 'audio', 'document', 'sticker']);

/** The raw Evolution message with this id (messages.upsert keeps it under `data`), or null. */
function rawMessageOf(raw: unknown, id: string | null): Record<string, unknown> | null {
	const data = record(record(raw)?.data);
	const key = record(data?.key);
	if (!data || !key || id === null || key.id !== id || !record(data.message)) return null;
	return { key, message: data.message };
}

/**
 * Reads the reply target out of a normalized item (what our triggers emit). Tolerant of partial items
 * (a Set node may have dropped keys), strict about what cannot be guessed: the source and the chat.
 */
export function readReplyTarget(value: unknown): Read<ReplyTarget> {
	const item = record(value);
	if (!item) {
		return { ok: false, refusal: 'The "Reply To" item is empty: map the output of an Evolution API Trigger or Whaticket Trigger (e.g. {{ $json }}), or switch "Reply To" to "Manual"' };
	}
	const source = item.source;
	if (source !== 'evolution' && source !== 'whazing' && source !== 'whaticket') {
		return {
			ok: false,
			refusal:
				source === undefined
					? 'The "Reply To" item is not a normalized WhatsApp item (it has no "source"): map the output of an Evolution API Trigger or Whaticket Trigger, or switch "Reply To" to "Manual"'
					: `The "Reply To" item comes from source "${String(source)}", which cannot be answered: only Evolution, Whazing/Izing and Whaticket items can`,
		};
	}
	const normalized = item as Partial<NormalizedItem>;
	const chat = record(normalized.chat);
	const message = record(normalized.message);
	const sender = record(normalized.sender);
	const ticket = record(normalized.ticket);
	const media = record(message?.media);
	const isGroup = chat?.isGroup === true;
	const messageId = text(message?.id);
	const target: ReplyTarget = {
		source,
		instance: text(normalized.instance),
		chatId: text(chat?.id),
		phone: text(chat?.phone),
		lid: text(chat?.lid),
		isGroup,
		participant: isGroup ? text(sender?.id) : null,
		messageId,
		fromMe: message?.fromMe === true,
		quotedText: text(message?.text) ?? text(message?.caption),
		media:
			media && MEDIA_TYPES.has(String(media.type))
				? { type: media.type as ReplyMedia['type'], mimetype: text(media.mimetype), fileName: text(media.fileName), url: text(media.url) }
				: null,
		ticketId: text(ticket?.id),
		externalKey: text(ticket?.externalKey),
		rawMessage: source === 'evolution' ? rawMessageOf(normalized.raw, messageId) : null,
		manual: false,
	};
	if (target.chatId === null && target.phone === null && target.ticketId === null) {
		return { ok: false, refusal: 'The "Reply To" item has no chat (it is not a message or ticket event, e.g. a connection update): reply only to message items, or switch "Reply To" to "Manual"' };
	}
	return { ok: true, value: target };
}

const GROUP_DIGITS = 18;

/**
 * A recipient typed by hand: a phone number in any spelling (+55 (11) 99999-0000), a JID, a group id
 * (…@g.us or its 18+ digits) or a LID (…@lid). Only the shape is judged here; whether the server can
 * address it is the recipient rule's job.
 */
export function manualTarget(source: ReplySource, instance: string | null, recipient: string, extra: { ticketId?: string | null; externalKey?: string | null } = {}): Read<ReplyTarget> {
	const typed = recipient.trim();
	const base: ReplyTarget = {
		source,
		instance: text(instance),
		chatId: null,
		phone: null,
		lid: null,
		isGroup: false,
		participant: null,
		messageId: null,
		fromMe: false,
		quotedText: null,
		media: null,
		ticketId: text(extra.ticketId),
		externalKey: text(extra.externalKey),
		rawMessage: null,
		manual: true,
	};
	if (typed === '') {
		if (base.ticketId !== null) return { ok: true, value: base };
		return { ok: false, refusal: 'No recipient given: enter a phone number with country code (e.g. 5511999990000), a group id (…@g.us) or a JID' };
	}
	const lower = typed.toLowerCase();
	if (lower.endsWith('@lid')) return { ok: true, value: { ...base, chatId: lower, lid: lower } };
	if (lower.endsWith('@g.us')) return { ok: true, value: { ...base, chatId: lower, isGroup: true } };
	const digits = typed.split('@')[0].split(':')[0].replace(/\D/g, '');
	if (digits.length < 8) {
		return { ok: false, refusal: `"${typed}" is not a phone number, group id or JID: enter the number with country code and area code, digits only (e.g. 5511999990000)` };
	}
	if (digits.length >= GROUP_DIGITS || /^\d+-\d+$/.test(typed.split('@')[0])) {
		return { ok: true, value: { ...base, chatId: `${typed.split('@')[0]}@g.us`, isGroup: true } };
	}
	return { ok: true, value: { ...base, chatId: `${digits}@s.whatsapp.net`, phone: digits } };
}
