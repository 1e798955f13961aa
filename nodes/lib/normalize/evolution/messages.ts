import { normalizedNameOfShape } from '../../evolution/events';
import type { NormalizedEventName } from '../../model/event-names';
import type { NormalizedItem, NormalizedMessage } from '../../model/item';
import { sanitize } from '../sanitize';
import { isGroupJid } from '../read/jid';
import { boolOf, idOf, isRecord, textOf, type JsonObject } from '../read/scalars';
import { isoFromEpoch } from '../read/time';
import { contentOf, type Content, isEditProtocol, isRevokeProtocol, messageTypeOfName, quotedIdOf } from './content';
import { quotedOf, reactedOf } from './quoted';
import { baseItem, chatAltOf, chatOf, emptyMessage, personOf, senderOf, statusOf, type EvolutionContext } from './parties';
import { EMPTY_KEY, readKey, readRecord, type MessageRecord } from './schemas';

/** Builders for the message shapes of the catalog: a message, a status update, a delete, an edit. */

/** messages.upsert / send.message / messages.set: a Baileys WebMessageInfo as Evolution stores it. */
export function messageItem(context: EvolutionContext, element: unknown): NormalizedItem {
	const record = readRecord(element);
	const key = record.key ?? EMPTY_KEY;
	const content = contentOf(record.message, record.messageType);
	// A live upsert may really be an edit or a revoke; history (messages.set) keeps them as they were.
	if (content.protocol && context.entry.shape === 'message') {
		if (isEditProtocol(content.protocol)) {
			return editItem(context, { ...content.protocol, key: content.protocol.key ?? key }, normalizedNameOfShape('message-edit'));
		}
		if (isRevokeProtocol(content.protocol)) {
			return deleteItem(context, isRecord(content.protocol.key) ? content.protocol.key : key, normalizedNameOfShape('message-delete'));
		}
	}
	const decoded = decodeMessage(record, content, context.ownJid);
	const event = decoded.message.fromMe === true ? (context.entry.normalizedFromMe ?? context.entry.normalized) : context.entry.normalized;
	const item = baseItem(context, event);
	item.chat = decoded.chat;
	item.sender = decoded.sender;
	item.message = decoded.message;
	item.details = content.details;
	return item;
}

/** A Baileys WebMessageInfo's chat, sender and message, wherever it comes from (Evolution, Izing hooks, raw relays). */
export function decodeMessage(record: MessageRecord, content: Content, ownJid: string | null): Pick<NormalizedItem, 'chat' | 'sender'> & { message: NormalizedMessage } {
	const key = record.key ?? EMPTY_KEY;
	const fromMe = boolOf(key.fromMe);
	const isGroup = isGroupJid(key.remoteJid);
	const pushName = textOf(record.pushName);
	return {
		chat: chatOf(key.remoteJid, chatAltOf(key), !isGroup && fromMe !== true ? pushName : null),
		sender: senderOf(ownJid, key, pushName, record.participant),
		message: {
			id: textOf(key.id),
			type: content.type,
			text: content.text,
			caption: content.caption,
			media: content.media,
			fromMe,
			timestamp: isoFromEpoch(record.messageTimestamp),
			quotedId: content.quotedId ?? quotedIdOf(record),
			quoted: quotedOf(content.context, ownJid) ?? quotedOf(record.contextInfo, ownJid) ?? reactedOf(content.reacted, ownJid),
			status: statusOf(record.status),
		},
	};
}

/** messages.update: v1 spreads the key flat ({id, remoteJid, fromMe, status, datetime}); v2 has keyId. */
export function updateItem(context: EvolutionContext, element: unknown): NormalizedItem {
	const item = baseItem(context);
	const record: JsonObject = isRecord(element) ? element : {};
	const key = readKey(record.key);
	const update = isRecord(record.update) ? record.update : {};
	const remoteJid = textOf(record.remoteJid) ?? textOf(key.remoteJid);
	const fromMe = boolOf(record.fromMe) ?? boolOf(key.fromMe);
	item.chat = chatOf(remoteJid, key.remoteJidAlt, null);
	const participant = textOf(record.participant) ?? textOf(key.participant);
	// 2.1.0 – 2.3.4 wrongly put the chat JID into `participant`.
	if (participant && participant !== remoteJid) item.sender = personOf(participant, key.participantAlt, null);
	item.message = emptyMessage(textOf(record.keyId) ?? textOf(key.id) ?? textOf(record.id), fromMe);
	item.message.status = statusOf(record.status ?? update.status);
	item.message.timestamp = isoFromEpoch(record.datetime);
	const details: JsonObject = {};
	if (textOf(record.keyId) && idOf(record.messageId)) details.databaseId = idOf(record.messageId);
	const pollUpdates = record.pollUpdates ?? update.pollUpdates;
	if (pollUpdates !== undefined && pollUpdates !== null) details.pollUpdates = sanitize(pollUpdates);
	item.details = Object.keys(details).length > 0 ? details : null;
	return item;
}

/** messages.delete: the key, or (API deletes, 2.3.x) the stored row {id, key, messageType, status}. */
export function deleteItem(context: EvolutionContext, element: unknown, event?: NormalizedEventName): NormalizedItem {
	const item = baseItem(context, event);
	const record: JsonObject = isRecord(element) ? element : {};
	const isRow = isRecord(record.key);
	const key = readKey(isRow ? record.key : record);
	item.chat = chatOf(key.remoteJid, chatAltOf(key), null);
	item.sender = senderOf(context.ownJid, key, null);
	item.message = emptyMessage(textOf(key.id), boolOf(key.fromMe));
	item.message.status = 'deleted';
	if (isRow) {
		item.message.type = messageTypeOfName(typeof record.messageType === 'string' ? record.messageType : null);
		item.message.timestamp = isoFromEpoch(record.messageTimestamp);
		const databaseId = idOf(record.id);
		item.details = databaseId ? { databaseId } : null;
	}
	return item;
}

/** messages.edited / send.message.update: a Baileys protocolMessage {key, type, editedMessage, timestampMs}. */
export function editItem(context: EvolutionContext, element: unknown, event?: NormalizedEventName): NormalizedItem {
	const item = baseItem(context, event);
	const record: JsonObject = isRecord(element) ? element : {};
	let protocol = record;
	if (isRecord(record.protocolMessage)) protocol = record.protocolMessage;
	else if (isRecord(record.message) && isRecord(record.message.protocolMessage)) protocol = record.message.protocolMessage;
	else if (isRecord(record.message)) {
		// A whole message record wrapping the edit (editedMessage.message.protocolMessage).
		const nested = contentOf(record.message, undefined).protocol;
		if (nested) protocol = nested;
	}
	const key = readKey(protocol.key ?? record.key);
	const edited = isRecord(protocol.editedMessage) ? protocol.editedMessage : undefined;
	const content = contentOf(edited, undefined);
	item.chat = chatOf(key.remoteJid, chatAltOf(key), null);
	item.sender = senderOf(context.ownJid, key, null);
	item.message = emptyMessage(textOf(key.id), boolOf(key.fromMe));
	item.message.type = edited ? content.type : 'other';
	item.message.text = content.text;
	item.message.caption = content.caption;
	item.message.timestamp = isoFromEpoch(protocol.timestampMs) ?? isoFromEpoch(record.messageTimestamp);
	return item;
}
