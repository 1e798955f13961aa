import { z } from 'zod';

import { NORMALIZED_EVENT_NAMES } from './event-names';

/**
 * THE normalized item: one shape for Evolution (v1, v2), Whazing, Izing API hooks and Whaticket SaaS deliveries.
 * Every key is always present; a value a source does not carry is `null` (never absent, never ""),
 * so expressions like {{$json.ticket?.externalKey}} behave the same for every source.
 * Ids are strings everywhere (helpdesks send numbers). Times are ISO 8601 in UTC.
 */

export const SOURCES = ['evolution', 'whazing', 'izing', 'whaticket', 'unknown'] as const;
export type Source = (typeof SOURCES)[number];

export const MESSAGE_TYPES = [
	'text',
	'image',
	'video',
	'audio',
	'document',
	'sticker',
	'location',
	'contact',
	'reaction',
	'poll',
	'buttons',
	'list',
	'other',
] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

const nullableString = z.string().nullable();

export const mediaSchema = z.object({
	/** image, video, audio, document or sticker. */
	type: z.enum(['image', 'video', 'audio', 'document', 'sticker']),
	mimetype: nullableString,
	fileName: nullableString,
	/** A URL the media can be downloaded from without WhatsApp keys (S3/MinIO, helpdesk /public), or null. */
	url: nullableString,
	/** Whether the delivery carried the file itself as base64 (it becomes n8n binary data). */
	hasBase64: z.boolean(),
	/** For audio: true for a voice note (recorded in WhatsApp), false for an audio file; null when the payload does not say or it is not audio. */
	ptt: z.boolean().nullable(),
});

/** Where a phone number came from: the delivery itself, the trigger's learned LID map, or a server look-up. */
export const PHONE_SOURCES = ['payload', 'learned', 'server'] as const;
const phoneSource = z.enum(PHONE_SOURCES).nullable();

export const chatSchema = z.object({
	/** The chat's WhatsApp JID (…@s.whatsapp.net, …@g.us, …@lid) or the helpdesk's contact number. */
	id: nullableString,
	/** Digits only, when the chat is a person with a phone number. */
	phone: nullableString,
	/** The chat's …@lid identifier, when WhatsApp addresses it by LID. */
	lid: nullableString,
	isGroup: z.boolean(),
	name: nullableString,
	/** Where `phone` came from (payload, learned, server), null when there is no phone. */
	phoneSource,
});

export const senderSchema = z.object({
	id: nullableString,
	phone: nullableString,
	name: nullableString,
	/** Where `phone` came from (payload, learned, server), null when there is no phone. */
	phoneSource,
});

export const quotedSchema = z.object({
	/** Id of the quoted message (the same value as message.quotedId). */
	id: nullableString,
	/** Its type, when the payload carries the quoted message itself, else null. */
	type: z.enum(MESSAGE_TYPES).nullable(),
	text: nullableString,
	caption: nullableString,
	/** Who wrote the quoted message: a JID (phone or LID), its digits, its LID, and whether it was this number. */
	author: z.object({ id: nullableString, phone: nullableString, lid: nullableString, fromMe: z.boolean().nullable() }).nullable(),
});

export const messageSchema = z.object({
	id: nullableString,
	type: z.enum(MESSAGE_TYPES),
	/** The text of a text message (edited text for an edit), else null. */
	text: nullableString,
	/** The caption of a media message, else null. */
	caption: nullableString,
	media: mediaSchema.nullable(),
	fromMe: z.boolean().nullable(),
	/** ISO 8601 UTC from the message's own timestamp (never from Evolution's mislabelled date_time). */
	timestamp: nullableString,
	/** Id of the message this one replies to. */
	quotedId: nullableString,
	/** The message this one replies to, as far as the payload carries it, else null. */
	quoted: quotedSchema.nullable(),
	/** Delivery status: pending, sent, delivered, read, played, deleted, error, received. */
	status: nullableString,
});

export const ticketSchema = z.object({
	id: nullableString,
	/** open, pending or closed. */
	status: nullableString,
	protocol: nullableString,
	queue: z.object({ id: nullableString, name: nullableString }).nullable(),
	/** The key your system attached through the helpdesk API (`ticket.apiConfig.externalKey`). */
	externalKey: nullableString,
	tags: z.array(z.object({ id: nullableString, name: nullableString })),
	user: z.object({ id: nullableString, name: nullableString, email: nullableString }).nullable(),
});

export const contactSchema = z.object({
	id: nullableString,
	name: nullableString,
	phone: nullableString,
	lid: nullableString,
	email: nullableString,
	pictureUrl: nullableString,
});

export const normalizedItemSchema = z.object({
	source: z.enum(SOURCES),
	/** Our stable event name, see NORMALIZED_EVENTS. */
	event: z.enum(NORMALIZED_EVENT_NAMES),
	/** The name the source used (messages.upsert, NewTicket, tag-sync, start…), or null. */
	originalEvent: nullableString,
	/** Evolution instance name, or the helpdesk connection (channel) name or id. */
	instance: nullableString,
	chat: chatSchema.nullable(),
	sender: senderSchema.nullable(),
	message: messageSchema.nullable(),
	ticket: ticketSchema.nullable(),
	contact: contactSchema.nullable(),
	/**
	 * Event-specific facts that have no place above, e.g. connection state, QR code, presence,
	 * group participants and action, call status, label. Documented per event in the README.
	 */
	details: z.record(z.unknown()).nullable(),
	/** Why a body could not be read (source `unknown`), else null. */
	reason: nullableString,
	/** The original body (secrets stripped), only when the user asks for it. */
	raw: z.unknown().optional(),
});

export type NormalizedItem = z.infer<typeof normalizedItemSchema>;
export type NormalizedChat = z.infer<typeof chatSchema>;
export type NormalizedSender = z.infer<typeof senderSchema>;
export type NormalizedMessage = z.infer<typeof messageSchema>;
export type NormalizedQuoted = z.infer<typeof quotedSchema>;
export type NormalizedMedia = z.infer<typeof mediaSchema>;
export type NormalizedTicket = z.infer<typeof ticketSchema>;
export type NormalizedContact = z.infer<typeof contactSchema>;
