import { z } from 'zod';

import type { NormalizedEventName } from '../model/event-names';
import type { MessageType, NormalizedContact, NormalizedItem, NormalizedMedia, NormalizedQuoted, NormalizedTicket } from '../model/item';
import { whazingEventOf } from './helpdesk-events';
import { chatParty, emptyItem, senderParty } from './items';
import { lidOf, phoneOf } from './read/jid';
import { jsonObject, looseBoolean, looseReader, scalarId, tolerant } from './read/loose';
import { fileNameOfUrl, mimetypeOfName } from './read/mime';
import { boolOf, idOf, isRecord, textOf, type JsonObject } from './read/scalars';
import { lookupOwn } from './read/own';
import { isoFromEpoch } from './read/time';

/**
 * Whazing (an Izing fork) deliveries → normalized items (see docs/protocol.md#helpdesk-payloads). Two
 * families: message events (no event field) and lifecycle events (capital `Type`). Every field added
 * after 2.8 is optional; the Nov-2024 queue payload lacks them all.
 */

export const whazingContactSchema = z
	.object({
		id: tolerant(scalarId),
		name: tolerant(z.string()),
		phoneNumber: tolerant(scalarId),
		profilePicUrl: tolerant(z.string()),
		email: tolerant(z.string()),
		isGroup: tolerant(looseBoolean),
		pushname: tolerant(z.string()),
		lid: tolerant(z.string()),
	})
	.passthrough();
type WhazingContact = z.infer<typeof whazingContactSchema>;

export const whazingTicketSchema = z
	.object({
		id: tolerant(scalarId),
		status: tolerant(z.string()),
		protocol: tolerant(scalarId),
		queueId: tolerant(scalarId),
		userId: tolerant(scalarId),
		apiConfig: tolerant(jsonObject),
		isGroup: tolerant(looseBoolean),
		closingReasonId: tolerant(scalarId),
	})
	.passthrough();

export const whazingPayloadSchema = z
	.object({
		Type: tolerant(z.string()),
		messageId: tolerant(z.string()),
		messageBody: tolerant(z.string()),
		timestamp: z.unknown(),
		status: tolerant(z.string()),
		fromMe: tolerant(looseBoolean),
		mediaType: tolerant(z.string()),
		mediaUrl: tolerant(z.string()),
		mediaBase64: tolerant(z.string()),
		isDeleted: tolerant(looseBoolean),
		sendType: tolerant(z.string()),
		/** The edited text (a TEXT column), not a boolean; null when never edited. */
		edited: z.unknown(),
		reactions: tolerant(z.array(z.unknown())),
		/** The quoted message row (Izing's Message model: messageId, body, mediaType, fromMe, contact). */
		quotedMsg: tolerant(jsonObject),
		ticket: tolerant(whazingTicketSchema),
		contact: tolerant(whazingContactSchema),
		contactmessage: tolerant(whazingContactSchema),
		user: tolerant(jsonObject),
		whatsapp: tolerant(jsonObject),
	})
	.passthrough();
type WhazingPayload = z.infer<typeof whazingPayloadSchema>;
const readPayload = looseReader(whazingPayloadSchema);

/** `mediaType` is a classification that is always present, not a sign of media; text kinds first. */
const MEDIA_TYPES: Record<string, MessageType> = {
	chat: 'text',
	conversation: 'text',
	extendedTextMessage: 'text',
	text: 'text',
	image: 'image',
	video: 'video',
	audio: 'audio',
	ptt: 'audio',
	voice: 'audio',
	document: 'document',
	application: 'document',
	file: 'document',
	sticker: 'sticker',
	location: 'location',
	locationMessage: 'location',
	vcard: 'contact',
	contactMessage: 'contact',
	reactionMessage: 'reaction',
	pollCreationMessageV3: 'poll',
	buttonsResponseMessage: 'buttons',
	listResponseMessage: 'list',
};

const MEDIA_KINDS = new Set<MessageType>(['image', 'video', 'audio', 'document', 'sticker']);

const STATUS_NAMES: Record<string, string> = { pending: 'pending', sended: 'sent', received: 'received' };

export function normalizeWhazing(body: unknown): NormalizedItem[] {
	const payload: WhazingPayload = readPayload(body) ?? {};
	return [typeof payload.Type === 'string' ? lifecycleItem(payload) : messageItem(payload)];
}

function instanceOf(payload: WhazingPayload): string | null {
	const whatsapp = payload.whatsapp;
	return whatsapp ? (textOf(whatsapp.name) ?? idOf(whatsapp.id)) : null;
}

function contactOf(contact: WhazingContact | null | undefined): NormalizedContact | null {
	if (!contact) return null;
	return {
		id: idOf(contact.id),
		name: textOf(contact.name) ?? textOf(contact.pushname),
		// A group's "phoneNumber" is its group id, not a phone.
		phone: boolOf(contact.isGroup) === true ? null : phoneOf(contact.phoneNumber),
		lid: lidOf(contact.lid),
		email: textOf(contact.email),
		pictureUrl: textOf(contact.profilePicUrl),
	};
}

function ticketOf(payload: WhazingPayload): NormalizedTicket | null {
	const ticket = payload.ticket;
	if (!ticket) return null;
	const queueId = idOf(ticket.queueId);
	const user = payload.user;
	const userId = user ? idOf(user.id) : idOf(ticket.userId);
	return {
		id: idOf(ticket.id),
		status: textOf(ticket.status),
		protocol: idOf(ticket.protocol),
		queue: queueId ? { id: queueId, name: null } : null,
		externalKey: ticket.apiConfig ? idOf(ticket.apiConfig.externalKey) : null,
		tags: [],
		user: userId ? { id: userId, name: user ? textOf(user.name) : null, email: user ? textOf(user.email) : null } : null,
	};
}

function isGroupOf(payload: WhazingPayload): boolean {
	return boolOf(payload.ticket?.isGroup) === true || boolOf(payload.contact?.isGroup) === true;
}

function chatOf(payload: WhazingPayload): NormalizedItem['chat'] {
	const contact = payload.contact;
	if (!contact) return null;
	const isGroup = isGroupOf(payload);
	return chatParty({
		id: idOf(contact.phoneNumber),
		phone: isGroup ? null : phoneOf(contact.phoneNumber),
		lid: isGroup ? null : lidOf(contact.lid),
		isGroup,
		name: textOf(contact.name) ?? textOf(contact.pushname),
	});
}

/** NewTicket / NewTicketUserCreate / TransferTicket / ClosedTicket. */
function lifecycleItem(payload: WhazingPayload): NormalizedItem {
	const type = payload.Type ?? '';
	const item = emptyItem('whazing', whazingEventOf(type) ?? 'ticket.status', textOf(type), instanceOf(payload));
	item.chat = chatOf(payload);
	item.contact = contactOf(payload.contact);
	item.ticket = ticketOf(payload);
	item.details = {
		connectionId: payload.whatsapp ? idOf(payload.whatsapp.id) : null,
		lastMessage: textOf(payload.messageBody),
		closingReasonId: payload.ticket ? idOf(payload.ticket.closingReasonId) : null,
	};
	return item;
}

function messageItem(payload: WhazingPayload): NormalizedItem {
	const fromMe = boolOf(payload.fromMe);
	const editedText = textOf(payload.edited);
	let event: NormalizedEventName = fromMe === true ? 'message.sent' : 'message.received';
	const isDeleted = boolOf(payload.isDeleted) === true;
	if (isDeleted) event = 'message.deleted';
	else if (editedText !== null) event = 'message.edited';
	const item = emptyItem('whazing', event, null, instanceOf(payload));
	const isGroup = isGroupOf(payload);
	item.chat = chatOf(payload);
	item.contact = contactOf(payload.contact);
	item.ticket = ticketOf(payload);
	if (fromMe === true) {
		const user = payload.user;
		item.sender = user ? senderParty(idOf(user.id), null, textOf(user.name)) : null;
	} else {
		// In groups `contact` is the group; `contactmessage` (2.16+) is the person who wrote.
		const person = isGroup ? (payload.contactmessage ?? payload.contact) : payload.contact;
		item.sender = person ? senderParty(idOf(person.id), phoneOf(person.phoneNumber), textOf(person.name) ?? textOf(person.pushname)) : null;
	}
	const mediaTypeName = payload.mediaType ?? '';
	const url = textOf(payload.mediaUrl);
	const hasBase64 = textOf(payload.mediaBase64) !== null;
	let type: MessageType = lookupOwn(MEDIA_TYPES, mediaTypeName) ?? lookupOwn(MEDIA_TYPES, mediaTypeName.toLowerCase()) ?? 'text';
	// mediaType is a classification, not "has media": a file (URL or base64) decides.
	if (!MEDIA_KINDS.has(type) && (url || hasBase64)) type = mediaKindOfName(fileNameOfUrl(url));
	const body = editedText ?? textOf(payload.messageBody);
	const mediaKind = MEDIA_KINDS.has(type) ? (type as NormalizedMedia['type']) : null;
	const isMedia = mediaKind !== null;
	let media: NormalizedMedia | null = null;
	if (mediaKind) {
		const fileName = fileNameOfUrl(url);
		media = { type: mediaKind, mimetype: mimetypeOfName(fileName), fileName, url, hasBase64, ptt: mediaKind === 'audio' ? pttOf(mediaTypeName) : null };
	}
	const quoted = quotedOf(payload.quotedMsg);
	item.message = {
		id: textOf(payload.messageId),
		type,
		text: isMedia ? null : body,
		caption: isMedia ? body : null,
		media,
		fromMe,
		timestamp: isoFromEpoch(payload.timestamp),
		quotedId: quoted?.id ?? null,
		quoted,
		status: isDeleted ? 'deleted' : payload.status ? (lookupOwn(STATUS_NAMES, payload.status) ?? payload.status.toLowerCase()) : null,
	};
	item.details = {
		connectionId: payload.whatsapp ? idOf(payload.whatsapp.id) : null,
		sendType: textOf(payload.sendType),
		reactions: Array.isArray(payload.reactions) ? payload.reactions.filter(isRecord).map(reactionOf) : [],
	};
	return item;
}

/** The quoted message row; its author is the contact who wrote it, or this number when fromMe. */
function quotedOf(row: JsonObject | null | undefined): NormalizedQuoted | null {
	if (!row) return null;
	const id = textOf(row.messageId) ?? idOf(row.id);
	if (id === null) return null;
	const mediaTypeName = textOf(row.mediaType) ?? '';
	const type = lookupOwn(MEDIA_TYPES, mediaTypeName) ?? lookupOwn(MEDIA_TYPES, mediaTypeName.toLowerCase()) ?? null;
	const body = textOf(row.body);
	const isMedia = type !== null && MEDIA_KINDS.has(type);
	const fromMe = boolOf(row.fromMe);
	const contact = isRecord(row.contact) ? row.contact : null;
	const phone = fromMe === true || !contact ? null : phoneOf(contact.phoneNumber ?? contact.number);
	return {
		id,
		type,
		text: isMedia ? null : body,
		caption: isMedia ? body : null,
		author: fromMe === null && phone === null ? null : { id: phone, phone, lid: contact ? lidOf(contact.lid) : null, fromMe },
	};
}

/** Only "ptt" / "voice" say voice note; "audio" may be either (Baileys builds classify both as audio). */
function pttOf(mediaTypeName: string): boolean | null {
	const name = mediaTypeName.toLowerCase();
	return name === 'ptt' || name === 'voice' ? true : null;
}

function mediaKindOfName(fileName: string | null): NormalizedMedia['type'] {
	const mimetype = mimetypeOfName(fileName) ?? '';
	if (mimetype.startsWith('image/')) return 'image';
	if (mimetype.startsWith('video/')) return 'video';
	if (mimetype.startsWith('audio/')) return 'audio';
	return 'document';
}

function reactionOf(reaction: JsonObject): { emoji: string | null; userId: string | null } {
	return { emoji: textOf(reaction.type), userId: idOf(reaction.userId) };
}
