import type { NormalizedItem } from '../model/item';
import { contentOf } from './evolution/content';
import { decodeMessage } from './evolution/messages';
import { readRecord } from './evolution/schemas';
import { emptyItem } from './items';
import { isRecord, type JsonObject } from './read/scalars';

/**
 * A raw Baileys `WebMessageInfo` posted with no envelope: `{key: {remoteJid, fromMe, id, participant?},
 * message: {…}, messageTimestamp, pushName}`. Queue integrations of type webhook / n8n in open Whaticket
 * SaaS forks send this (see docs/protocol.md#helpdesk-payloads), so it is read as that family's message.
 */
export function isRawBaileysMessage(body: JsonObject): boolean {
	return isRecord(body.key) && typeof body.key.remoteJid === 'string' && isRecord(body.message);
}

export function rawBaileysItem(body: JsonObject): NormalizedItem {
	const record = readRecord(body);
	const content = contentOf(record.message, record.messageType);
	// No envelope names the connected number: a fromMe message's sender stays unknown.
	const decoded = decodeMessage(record, content, null);
	const item = emptyItem('whaticket', decoded.message.fromMe === true ? 'message.sent' : 'message.received', null, null);
	item.chat = decoded.chat;
	item.sender = decoded.sender;
	item.message = decoded.message;
	item.details = content.details;
	return item;
}
