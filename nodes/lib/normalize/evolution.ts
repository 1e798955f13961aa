import { z } from 'zod';

import { findEvent, type EvolutionEvent } from '../evolution/events';
import type { NormalizedEventName } from './event-names';
import type { MessageType, NormalizedChat, NormalizedItem, NormalizedMedia, NormalizedMessage, NormalizedSender } from './model';
import {
	boolOf,
	emptyItem,
	idOf,
	isGroupJid,
	isoFromDateText,
	isoFromEpoch,
	isRecord,
	lidOf,
	looseReader,
	phoneOf,
	textOf,
	tolerant,
	jsonObject,
	type JsonObject,
} from './read';
import { sanitize } from './sanitize';

/**
 * Evolution API deliveries (v1 1.5–1.8, v2.0–2.3) → normalized items. Event names come from THE
 * catalog (`findEvent`); payload shapes from spec evolution-api-webhooks.md §5. Loose schemas: every
 * field optional, a field of the wrong type reads as absent, unknown fields pass through.
 */

export const evolutionEnvelopeSchema = z
	.object({
		event: tolerant(z.string()),
		instance: tolerant(z.union([z.string(), jsonObject])),
		data: z.unknown(),
		/** The connected number's JID; missing before the first connection. */
		sender: tolerant(z.string()),
	})
	.passthrough();

export const messageKeySchema = z
	.object({
		remoteJid: tolerant(z.string()),
		fromMe: tolerant(z.boolean()),
		id: tolerant(z.string()),
		participant: tolerant(z.string()),
		// Baileys 7 (Evolution 2.3.3+) LID addressing; senderPn/senderLid/participantPn are the 6.7 spellings.
		remoteJidAlt: tolerant(z.string()),
		participantAlt: tolerant(z.string()),
		addressingMode: tolerant(z.string()),
		senderPn: tolerant(z.string()),
		senderLid: tolerant(z.string()),
		participantPn: tolerant(z.string()),
		participantLid: tolerant(z.string()),
	})
	.passthrough();
type MessageKey = z.infer<typeof messageKeySchema>;

export const messageRecordSchema = z
	.object({
		key: tolerant(messageKeySchema),
		pushName: tolerant(z.string()),
		status: tolerant(z.union([z.string(), z.number()])),
		message: tolerant(jsonObject),
		messageType: tolerant(z.string()),
		messageTimestamp: z.unknown(),
		contextInfo: z.unknown(),
		participant: tolerant(z.string()),
	})
	.passthrough();
type MessageRecord = z.infer<typeof messageRecordSchema>;

const EMPTY_RECORD: MessageRecord = {};
const EMPTY_KEY: MessageKey = {};

const readEnvelope = looseReader(evolutionEnvelopeSchema);
const readMessageRecord = looseReader(messageRecordSchema);
const readMessageKey = looseReader(messageKeySchema);

function readRecord(value: unknown): MessageRecord {
	return readMessageRecord(value) ?? EMPTY_RECORD;
}

function readKey(value: unknown): MessageKey {
	return readMessageKey(value) ?? EMPTY_KEY;
}

interface Context {
	entry: EvolutionEvent;
	instance: string | null;
	/** The connected number's JID (envelope `sender`). */
	ownJid: string | null;
}

/** Normalizes an Evolution delivery. Array `data` yields one item per element. */
export function normalizeEvolution(body: unknown): NormalizedItem[] {
	const env = readEnvelope(body) ?? {};
	const instance = typeof env.instance === 'string' ? textOf(env.instance) : isRecord(env.instance) ? textOf(env.instance.instanceName) : null;
	const entry = findEvent(env.event);
	if (!entry) {
		const item = emptyItem('evolution', 'unknown', textOf(env.event), instance);
		item.reason =
			env.event === 'error'
				? 'An Evolution API error report (ERRORS event), not a WhatsApp event'
				: `The Evolution event "${String(env.event).slice(0, 64)}" is not one this package knows`;
		return [item];
	}
	const context: Context = { entry, instance, ownJid: textOf(env.sender) };
	const data = env.data;
	const elements = elementsOf(data, entry.emitted);
	const items: NormalizedItem[] = [];
	for (const element of elements) items.push(normalizeElement(context, element, data));
	return items;
}

/** The elements of `data` that each become an item (data may be an object, an array or null). */
function elementsOf(data: unknown, emitted: string): unknown[] {
	if (Array.isArray(data)) return data;
	// Some builds wrap history as {messages:[…], isLatest}.
	if (emitted === 'messages.set' && isRecord(data) && Array.isArray(data.messages)) return data.messages;
	return [data];
}

function normalizeElement(context: Context, element: unknown, data: unknown): NormalizedItem {
	switch (context.entry.emitted) {
		case 'messages.upsert':
		case 'send.message':
		case 'messages.set':
			return messageItem(context, element);
		case 'messages.update':
			return updateItem(context, element);
		case 'messages.delete':
			return deleteItem(context, element);
		case 'messages.edited':
		case 'send.message.update':
			return editItem(context, element, 'message.edited');
		case 'contacts.upsert':
		case 'contacts.update':
		case 'contacts.set':
			return contactItem(context, element);
		case 'chats.upsert':
		case 'chats.update':
		case 'chats.set':
		case 'chats.delete':
			return chatItem(context, element);
		case 'presence.update':
			return presenceItem(context, element);
		case 'groups.upsert':
		case 'groups.update':
			return groupItem(context, element);
		case 'group-participants.update':
			return participantsItem(context, element);
		case 'call':
			return callItem(context, element);
		case 'labels.edit':
			return labelItem(context, element);
		case 'labels.association':
			return labelAssociationItem(context, element);
		case 'typebot.start':
		case 'typebot.change-status':
		case 'chama-ai.action':
			return botItem(context, element);
		default:
			return instanceItem(context, data);
	}
}

function baseItem(context: Context, event: NormalizedEventName = context.entry.normalized): NormalizedItem {
	return emptyItem('evolution', event, context.entry.emitted, context.instance);
}

function chatOf(jid: unknown, alt: unknown, name: string | null): NormalizedChat | null {
	const id = textOf(jid);
	if (id === null && textOf(alt) === null) return null;
	const isGroup = isGroupJid(id);
	return {
		id,
		phone: isGroup ? null : (phoneOf(id) ?? phoneOf(alt)),
		lid: lidOf(id) ?? lidOf(alt),
		isGroup,
		name,
	};
}

function chatAltOf(key: MessageKey): string | null | undefined {
	return key.remoteJidAlt ?? key.senderPn ?? key.senderLid;
}

/** Who wrote a message: this number when fromMe, the participant in a group, else the chat itself. */
function senderOf(context: Context, key: MessageKey, pushName: string | null, participant?: string | null): NormalizedSender | null {
	if (key.fromMe === true) return { id: context.ownJid, phone: phoneOf(context.ownJid), name: pushName };
	if (isGroupJid(key.remoteJid)) return personOf(key.participant ?? participant, key.participantAlt ?? key.participantPn ?? key.participantLid, pushName);
	return personOf(key.remoteJid, chatAltOf(key), pushName);
}

function personOf(jid: unknown, alt: unknown, name: string | null): NormalizedSender | null {
	const id = textOf(jid);
	if (id === null && textOf(alt) === null && name === null) return null;
	return { id: id ?? textOf(alt), phone: phoneOf(id) ?? phoneOf(alt), name };
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
	if (typeof value === 'number') return STATUS_BY_NUMBER[value] ?? null;
	if (typeof value !== 'string' || value.length === 0 || value.length > 32) return null;
	return STATUS_NAMES[value.toUpperCase()] ?? value.toLowerCase();
}

// ---- message content ------------------------------------------------------------------------------

/** Containers whose `.message` holds the real content. */
const WRAPPERS = ['ephemeralMessage', 'viewOnceMessage', 'viewOnceMessageV2', 'viewOnceMessageV2Extension', 'documentWithCaptionMessage'];

const MEDIA_KINDS: Record<string, NormalizedMedia['type']> = {
	imageMessage: 'image',
	videoMessage: 'video',
	ptvMessage: 'video',
	audioMessage: 'audio',
	documentMessage: 'document',
	stickerMessage: 'sticker',
};

const OTHER_KINDS: Record<string, MessageType> = {
	conversation: 'text',
	extendedTextMessage: 'text',
	locationMessage: 'location',
	liveLocationMessage: 'location',
	contactMessage: 'contact',
	contactsArrayMessage: 'contact',
	reactionMessage: 'reaction',
	pollCreationMessage: 'poll',
	pollCreationMessageV2: 'poll',
	pollCreationMessageV3: 'poll',
	buttonsMessage: 'buttons',
	buttonsResponseMessage: 'buttons',
	templateButtonReplyMessage: 'buttons',
	listMessage: 'list',
	listResponseMessage: 'list',
};

interface Content {
	type: MessageType;
	text: string | null;
	caption: string | null;
	media: NormalizedMedia | null;
	quotedId: string | null;
	details: Record<string, unknown> | null;
	/** The protocolMessage, when the "message" is really an edit or a revoke. */
	protocol: JsonObject | null;
}

function unwrap(message: JsonObject): JsonObject {
	let current = message;
	for (let depth = 0; depth < 4; depth++) {
		let inner: JsonObject | undefined;
		for (const wrapper of WRAPPERS) {
			const candidate = current[wrapper];
			if (isRecord(candidate) && isRecord(candidate.message)) {
				inner = candidate.message;
				break;
			}
		}
		if (!inner) return current;
		current = inner;
	}
	return current;
}

function quotedIdOf(part: unknown): string | null {
	if (!isRecord(part) || !isRecord(part.contextInfo)) return null;
	return textOf(part.contextInfo.stanzaId);
}

/** Type, text, caption and media of a Baileys `message` object (outer: the object carrying base64/mediaUrl). */
export function contentOf(outer: JsonObject | null | undefined, messageType: string | null | undefined): Content {
	const content: Content = { type: 'other', text: null, caption: null, media: null, quotedId: null, details: null, protocol: null };
	if (!outer) {
		if (messageType) content.type = MEDIA_KINDS[messageType] ?? OTHER_KINDS[messageType] ?? 'other';
		return content;
	}
	const message = unwrap(outer);
	if (typeof message.conversation === 'string') {
		content.type = 'text';
		content.text = textOf(message.conversation);
		return content;
	}
	const extended = message.extendedTextMessage;
	if (isRecord(extended)) {
		content.type = 'text';
		content.text = textOf(extended.text);
		content.quotedId = quotedIdOf(extended);
		return content;
	}
	for (const kind in MEDIA_KINDS) {
		const part = message[kind];
		if (!isRecord(part)) continue;
		const type = MEDIA_KINDS[kind];
		content.type = type;
		content.caption = textOf(part.caption);
		content.quotedId = quotedIdOf(part);
		content.media = {
			type,
			mimetype: textOf(part.mimetype),
			fileName: textOf(part.fileName),
			// Only a URL that works without WhatsApp's media keys: S3/MinIO (v2). `part.url` is encrypted.
			url: textOf(outer.mediaUrl) ?? textOf(message.mediaUrl),
			hasBase64: typeof outer.base64 === 'string' && outer.base64.length > 0,
		};
		return content;
	}
	for (const kind in OTHER_KINDS) {
		const part = message[kind];
		if (!isRecord(part)) continue;
		content.type = OTHER_KINDS[kind];
		content.quotedId = quotedIdOf(part);
		fillOther(content, kind, part);
		return content;
	}
	if (isRecord(message.protocolMessage)) content.protocol = message.protocolMessage;
	else if (isRecord(message.editedMessage) && isRecord(message.editedMessage.message)) {
		const inner = message.editedMessage.message;
		if (isRecord(inner.protocolMessage)) content.protocol = inner.protocolMessage;
	}
	if (messageType) content.type = MEDIA_KINDS[messageType] ?? OTHER_KINDS[messageType] ?? 'other';
	return content;
}

function fillOther(content: Content, kind: string, part: JsonObject): void {
	switch (content.type) {
		case 'location':
			content.text = textOf(part.name) ?? textOf(part.address);
			content.details = {
				location: {
					latitude: typeof part.degreesLatitude === 'number' ? part.degreesLatitude : null,
					longitude: typeof part.degreesLongitude === 'number' ? part.degreesLongitude : null,
					name: textOf(part.name),
					address: textOf(part.address),
				},
			};
			return;
		case 'contact':
			content.text = textOf(part.displayName);
			return;
		case 'reaction':
			content.text = textOf(part.text);
			content.quotedId = isRecord(part.key) ? textOf(part.key.id) : null;
			return;
		case 'poll': {
			content.text = textOf(part.name);
			const options = Array.isArray(part.options) ? part.options : [];
			content.details = { poll: { options: options.map((option) => (isRecord(option) ? textOf(option.optionName) : null)) } };
			return;
		}
		case 'buttons':
			content.text = textOf(part.selectedDisplayText) ?? textOf(part.contentText) ?? textOf(part.selectedButtonId);
			return;
		case 'list':
			content.text =
				textOf(part.title) ??
				(isRecord(part.singleSelectReply) ? textOf(part.singleSelectReply.selectedRowId) : null) ??
				textOf(part.description);
			return;
		default:
			void kind;
	}
}

function isEditProtocol(protocol: JsonObject): boolean {
	return protocol.type === 'MESSAGE_EDIT' || protocol.type === 14 || isRecord(protocol.editedMessage);
}

function isRevokeProtocol(protocol: JsonObject): boolean {
	return protocol.type === 'REVOKE' || protocol.type === 0;
}

// ---- per-event items ------------------------------------------------------------------------------

function messageItem(context: Context, element: unknown): NormalizedItem {
	const record = readRecord(element);
	const key = record.key ?? EMPTY_KEY;
	const content = contentOf(record.message, record.messageType);
	if (content.protocol && context.entry.emitted !== 'messages.set') {
		if (isEditProtocol(content.protocol)) return editItem(context, { ...content.protocol, key: content.protocol.key ?? key }, 'message.edited');
		if (isRevokeProtocol(content.protocol)) return deleteItem(context, isRecord(content.protocol.key) ? content.protocol.key : key);
	}
	const fromMe = boolOf(key.fromMe);
	let event = context.entry.normalized;
	if (context.entry.emitted === 'messages.upsert' && fromMe === true) event = 'message.sent';
	const item = baseItem(context, event);
	const isGroup = isGroupJid(key.remoteJid);
	const pushName = textOf(record.pushName);
	item.chat = chatOf(key.remoteJid, chatAltOf(key), !isGroup && fromMe !== true ? pushName : null);
	item.sender = senderOf(context, key, pushName, record.participant);
	item.message = {
		id: textOf(key.id),
		type: content.type,
		text: content.text,
		caption: content.caption,
		media: content.media,
		fromMe,
		timestamp: isoFromEpoch(record.messageTimestamp),
		quotedId: content.quotedId ?? quotedIdOf(record),
		status: statusOf(record.status),
	};
	item.details = content.details;
	return item;
}

/** messages.update: v1 spreads the key flat ({id, remoteJid, fromMe, status, datetime}); v2 has keyId. */
function updateItem(context: Context, element: unknown): NormalizedItem {
	const item = baseItem(context);
	const record: JsonObject = isRecord(element) ? element : {};
	const key = readKey(record.key);
	const update = isRecord(record.update) ? record.update : {};
	const remoteJid = textOf(record.remoteJid) ?? textOf(key.remoteJid);
	const fromMe = boolOf(record.fromMe) ?? boolOf(key.fromMe);
	item.chat = chatOf(remoteJid, key.remoteJidAlt, null);
	const participant = textOf(record.participant) ?? textOf(key.participant);
	// 2.1.0 – 2.3.4 wrongly put the chat JID into `participant` (spec §5.4).
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
function deleteItem(context: Context, element: unknown): NormalizedItem {
	const item = baseItem(context, 'message.deleted');
	const record: JsonObject = isRecord(element) ? element : {};
	const isRow = isRecord(record.key);
	const key = readKey(isRow ? record.key : record);
	item.chat = chatOf(key.remoteJid, chatAltOf(key), null);
	item.sender = senderOf(context, key, null);
	item.message = emptyMessage(textOf(key.id), boolOf(key.fromMe));
	item.message.status = 'deleted';
	if (isRow) {
		const type = typeof record.messageType === 'string' ? record.messageType : '';
		item.message.type = MEDIA_KINDS[type] ?? OTHER_KINDS[type] ?? 'other';
		item.message.timestamp = isoFromEpoch(record.messageTimestamp);
		const databaseId = idOf(record.id);
		item.details = databaseId ? { databaseId } : null;
	}
	return item;
}

/** messages.edited / send.message.update: a Baileys protocolMessage {key, type, editedMessage, timestampMs}. */
function editItem(context: Context, element: unknown, event: NormalizedEventName): NormalizedItem {
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
	item.sender = senderOf(context, key, null);
	item.message = emptyMessage(textOf(key.id), boolOf(key.fromMe));
	item.message.type = edited ? content.type : 'other';
	item.message.text = content.text;
	item.message.caption = content.caption;
	const recordTimestamp = isRecord(element) ? element.messageTimestamp : undefined;
	item.message.timestamp = isoFromEpoch(protocol.timestampMs) ?? isoFromEpoch(recordTimestamp);
	return item;
}

function emptyMessage(id: string | null, fromMe: boolean | null): NormalizedMessage {
	return { id, type: 'other', text: null, caption: null, media: null, fromMe, timestamp: null, quotedId: null, status: null };
}

/** contacts.*: v1 {id, pushName, profilePictureUrl}, v2 {remoteJid, pushName, profilePicUrl}. */
function contactItem(context: Context, element: unknown): NormalizedItem {
	const item = baseItem(context);
	const record: JsonObject = isRecord(element) ? element : {};
	const id = textOf(record.remoteJid) ?? textOf(record.id);
	item.contact = {
		id,
		name: textOf(record.pushName) ?? textOf(record.name) ?? textOf(record.notify) ?? textOf(record.verifiedName),
		phone: phoneOf(id) ?? phoneOf(record.phoneNumber),
		lid: lidOf(id) ?? lidOf(record.lid),
		email: null,
		pictureUrl: textOf(record.profilePicUrl) ?? textOf(record.profilePictureUrl) ?? textOf(record.imgUrl),
	};
	return item;
}

/** chats.*: v1 {id: jid}, v2 {remoteJid, name, unreadMessages} or {id: <db id>, name}; chats.delete: JIDs. */
function chatItem(context: Context, element: unknown): NormalizedItem {
	const item = baseItem(context);
	if (typeof element === 'string') {
		item.chat = chatOf(element, null, null);
		return item;
	}
	const record: JsonObject = isRecord(element) ? element : {};
	const rawId = textOf(record.id);
	const jid = textOf(record.remoteJid) ?? (rawId?.includes('@') ? rawId : null);
	item.chat = chatOf(jid, null, textOf(record.name)) ?? { id: null, phone: null, lid: null, isGroup: false, name: textOf(record.name) };
	const details: JsonObject = {};
	if (typeof record.unreadMessages === 'number') details.unreadMessages = record.unreadMessages;
	if (rawId && !rawId.includes('@')) details.databaseId = rawId;
	item.details = Object.keys(details).length > 0 ? details : null;
	return item;
}

/** presence.update: {id, presences: {<jid>: {lastKnownPresence, lastSeen?}}}. */
function presenceItem(context: Context, element: unknown): NormalizedItem {
	const item = baseItem(context);
	const record: JsonObject = isRecord(element) ? element : {};
	const presences = isRecord(record.presences) ? Object.entries(record.presences) : [];
	const list = presences.map(([jid, value]) => ({
		id: jid,
		presence: isRecord(value) ? textOf(value.lastKnownPresence) : null,
		lastSeen: isRecord(value) ? isoFromEpoch(value.lastSeen) : null,
	}));
	item.chat = chatOf(record.id, null, null);
	if (list.length === 1) item.sender = { id: list[0].id, phone: phoneOf(list[0].id), name: null };
	item.details = { presence: list[0]?.presence ?? null, lastSeen: list[0]?.lastSeen ?? null, presences: list };
	return item;
}

interface Participant {
	id: string | null;
	phone: string | null;
	lid: string | null;
	name: string | null;
	admin: string | null;
}

/** Participants as JID strings (Baileys 6) or objects {id, phoneNumber, admin} (Baileys 7), enriched by participantsData. */
function participantsOf(value: unknown, enrichment: unknown): Participant[] {
	if (!Array.isArray(value)) return [];
	const extra = new Map<string, JsonObject>();
	if (Array.isArray(enrichment)) {
		for (const entry of enrichment) if (isRecord(entry) && typeof entry.jid === 'string') extra.set(entry.jid, entry);
	}
	return value.map((participant): Participant => {
		const record: JsonObject = isRecord(participant) ? participant : {};
		const id = typeof participant === 'string' ? textOf(participant) : (textOf(record.id) ?? textOf(record.jid));
		const more = id ? extra.get(id) : undefined;
		return {
			id,
			phone: phoneOf(record.phoneNumber) ?? phoneOf(more?.phoneNumber) ?? phoneOf(id),
			lid: lidOf(id) ?? lidOf(record.lid),
			name: textOf(record.name) ?? textOf(more?.name),
			admin: textOf(record.admin),
		};
	});
}

/** groups.upsert / groups.update: Baileys GroupMetadata (or a partial update). */
function groupItem(context: Context, element: unknown): NormalizedItem {
	const item = baseItem(context);
	const record: JsonObject = isRecord(element) ? element : {};
	item.chat = { id: textOf(record.id), phone: null, lid: null, isGroup: true, name: textOf(record.subject) };
	item.details = {
		subject: textOf(record.subject),
		description: textOf(record.desc),
		owner: textOf(record.owner),
		size: typeof record.size === 'number' ? record.size : null,
		announce: boolOf(record.announce),
		restrict: boolOf(record.restrict),
		createdAt: isoFromEpoch(record.creation),
		participants: participantsOf(record.participants, undefined),
	};
	return item;
}

/** group-participants.update: {id, author, participants, action, participantsData?}. */
function participantsItem(context: Context, element: unknown): NormalizedItem {
	const item = baseItem(context);
	const record: JsonObject = isRecord(element) ? element : {};
	item.chat = { id: textOf(record.id), phone: null, lid: null, isGroup: true, name: null };
	item.sender = personOf(record.author, record.authorPn, null);
	item.details = { action: textOf(record.action), participants: participantsOf(record.participants, record.participantsData) };
	return item;
}

/** call: {chatId, from, id, date, isVideo, isGroup, groupJid?, status, offline}. */
function callItem(context: Context, element: unknown): NormalizedItem {
	const item = baseItem(context);
	const record: JsonObject = isRecord(element) ? element : {};
	const chatJid = record.isGroup === true && textOf(record.groupJid) ? record.groupJid : (textOf(record.chatId) ?? record.from);
	item.chat = chatOf(chatJid, null, null);
	item.sender = personOf(record.from, null, null);
	item.details = {
		callId: idOf(record.id),
		status: textOf(record.status),
		isVideo: boolOf(record.isVideo),
		isGroup: boolOf(record.isGroup),
		offline: boolOf(record.offline),
		date: isoFromDateText(record.date) ?? isoFromEpoch(record.date),
	};
	return item;
}

/** labels.edit: {id, name, color, deleted, predefinedId}. */
function labelItem(context: Context, element: unknown): NormalizedItem {
	const item = baseItem(context);
	const record: JsonObject = isRecord(element) ? element : {};
	item.details = {
		label: {
			id: idOf(record.id),
			name: textOf(record.name),
			color: idOf(record.color),
			deleted: boolOf(record.deleted),
			predefinedId: idOf(record.predefinedId),
		},
	};
	return item;
}

/** labels.association: {type: add|remove, chatId, labelId} (some builds nest it under `association`). */
function labelAssociationItem(context: Context, element: unknown): NormalizedItem {
	const item = baseItem(context);
	const outer: JsonObject = isRecord(element) ? element : {};
	const record: JsonObject = isRecord(outer.association) ? outer.association : outer;
	item.chat = chatOf(record.chatId, null, null);
	item.details = { action: textOf(outer.type) ?? textOf(record.type), labelId: idOf(record.labelId) };
	return item;
}

/** typebot.* / chama-ai.action: the session facts go to details (secrets stripped). */
function botItem(context: Context, element: unknown): NormalizedItem {
	const item = baseItem(context);
	const record: JsonObject = isRecord(element) ? element : {};
	item.chat = chatOf(record.remoteJid, null, null);
	const rest: JsonObject = {};
	for (const key of Object.keys(record)) if (key !== 'remoteJid') rest[key] = record[key];
	item.details = Object.keys(rest).length > 0 ? sanitize(rest) : null;
	return item;
}

/** connection.update, qrcode.updated and the instance events: facts about the instance, in details. */
function instanceItem(context: Context, data: unknown): NormalizedItem {
	const item = baseItem(context);
	const record: JsonObject = isRecord(data) ? data : {};
	switch (context.entry.emitted) {
		case 'connection.update':
			item.details = {
				state: textOf(record.state),
				statusReason: typeof record.statusReason === 'number' ? record.statusReason : null,
				wuid: textOf(record.wuid),
				profileName: textOf(record.profileName),
				profilePictureUrl: textOf(record.profilePictureUrl),
			};
			break;
		case 'qrcode.updated': {
			const qrcode = isRecord(record.qrcode) ? record.qrcode : null;
			item.details = qrcode
				? { code: textOf(qrcode.code), base64: textOf(qrcode.base64), pairingCode: textOf(qrcode.pairingCode) }
				: { message: textOf(record.message), statusCode: typeof record.statusCode === 'number' ? record.statusCode : null };
			break;
		}
		case 'instance.create':
		case 'instance.delete':
			item.instance = textOf(record.instanceName) ?? item.instance;
			item.details = { instanceId: idOf(record.instanceId) };
			break;
		case 'status.instance':
			item.details = {
				status: textOf(record.status),
				disconnectedAt: isoFromDateText(record.disconnectionAt) ?? isoFromEpoch(record.disconnectionAt),
				reasonCode: typeof record.disconnectionReasonCode === 'number' ? record.disconnectionReasonCode : null,
			};
			break;
		case 'new.jwt':
			// The JWT itself is a credential: it never reaches the workflow.
			item.instance = textOf(record.instanceName) ?? item.instance;
			break;
		default:
			// remove.instance, logout.instance, application.startup: data is null.
			break;
	}
	return item;
}
