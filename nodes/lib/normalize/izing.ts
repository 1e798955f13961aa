import type { NormalizedItem, NormalizedTicket } from '../model/item';
import { contentOf } from './evolution/content';
import { decodeMessage } from './evolution/messages';
import { emptyMessage } from './evolution/parties';
import { readRecord } from './evolution/schemas';
import { izingEventOf } from './helpdesk-events';
import { emptyItem } from './items';
import { phoneOf } from './read/jid';
import { getCaseless, idOf, isRecord, numberOf, textOf, type JsonObject } from './read/scalars';
import { isoFromEpoch } from './read/time';

/**
 * Izing's API hooks (see docs/protocol.md#helpdesk-payloads), posted to the URLs of an API configuration:
 * - `{type: "hookMessage", timestamp, message: <raw message>, messageId, ticketId, externalKey}`
 * - `{type: "hookMessageStatus", ack, messageId, externalKey}`
 * - `{type: "hookSessionStatus", name, number, status, qrcode, timestamp}`
 * `timestamp` is when the hook ran, not when the message was written: the message's own time is used.
 */

export const IZING_HOOK_TYPES = ['hookMessage', 'hookMessageStatus', 'hookSessionStatus'] as const;

/** The hook type of an Izing body, or undefined. */
export function izingHookOf(body: JsonObject): (typeof IZING_HOOK_TYPES)[number] | undefined {
	const type = getCaseless(body, 'type');
	return IZING_HOOK_TYPES.find((hook) => hook === type);
}

/** Izing's acks follow whatsapp-web.js: -1 error, 0 pending, 1 server, 2 device, 3 read, 4 played. */
const ACK_NAMES: Record<string, string> = { '-1': 'error', '0': 'pending', '1': 'sent', '2': 'delivered', '3': 'read', '4': 'played' };

export function normalizeIzing(body: unknown): NormalizedItem[] {
	const payload: JsonObject = isRecord(body) ? body : {};
	const hook = izingHookOf(payload) ?? 'hookMessage';
	const field = (key: string) => getCaseless(payload, key);
	if (hook === 'hookSessionStatus') return [sessionItem(field)];
	const externalKey = idOf(field('externalKey'));
	if (hook === 'hookMessageStatus') {
		const item = emptyItem('izing', izingEventOf(hook, false), hook, null);
		const ack = numberOf(field('ack'));
		item.message = emptyMessage(idOf(field('messageId')), null);
		item.message.status = ack === null ? null : (ACK_NAMES[String(ack)] ?? null);
		item.ticket = ticketOf(null, externalKey);
		item.details = { ack };
		return [item];
	}
	const raw = field('message');
	const record = readRecord(raw);
	const content = contentOf(record.message, record.messageType);
	const decoded = decodeMessage(record, content, null);
	const item = emptyItem('izing', izingEventOf(hook, decoded.message.fromMe === true), hook, null);
	item.chat = decoded.chat;
	item.sender = decoded.sender;
	item.message = decoded.message;
	// The hook names the message even when the raw message lacks its key.
	item.message.id ??= idOf(field('messageId'));
	item.ticket = ticketOf(idOf(field('ticketId')), externalKey);
	item.details = { ...content.details, hookTimestamp: isoFromEpoch(field('timestamp')) };
	return [item];
}

function ticketOf(id: string | null, externalKey: string | null): NormalizedTicket {
	return { id, status: null, protocol: null, queue: null, externalKey, tags: [], user: null };
}

/** A session's name, number and state; the QR code (a large data URL) only as "there is one". */
function sessionItem(field: (key: string) => unknown): NormalizedItem {
	const name = textOf(field('name'));
	const item = emptyItem('izing', izingEventOf('hookSessionStatus', false), 'hookSessionStatus', name);
	const number = idOf(field('number'));
	item.details = {
		state: textOf(field('status')),
		name,
		number,
		phone: phoneOf(number),
		hasQrCode: textOf(field('qrcode')) !== null,
		timestamp: isoFromEpoch(field('timestamp')),
	};
	return item;
}
