import type { MessageType, NormalizedMedia } from '../../model/item';
import { boolOf, isRecord, numberOf, textOf, type JsonObject } from '../read/scalars';
import { lookupOwn } from '../read/own';

/** Decoding a Baileys `message` object: what kind it is, its text, caption, media and quote. */

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

/** The message type a Baileys key (imageMessage, conversation…) or Evolution's `messageType` names. */
export function messageTypeOfName(name: string | null | undefined): MessageType {
	if (!name) return 'other';
	return lookupOwn(MEDIA_KINDS, name) ?? lookupOwn(OTHER_KINDS, name) ?? 'other';
}

export interface Content {
	type: MessageType;
	text: string | null;
	caption: string | null;
	media: NormalizedMedia | null;
	quotedId: string | null;
	/** The part's contextInfo, when it quotes a message (read by quoted.ts). */
	context: JsonObject | null;
	/** A reaction's key: the message it reacts to. */
	reacted: JsonObject | null;
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

export function quotedIdOf(part: unknown): string | null {
	if (!isRecord(part) || !isRecord(part.contextInfo)) return null;
	return textOf(part.contextInfo.stanzaId);
}

function contextOf(part: JsonObject): JsonObject | null {
	return isRecord(part.contextInfo) ? part.contextInfo : null;
}

/** Type, text, caption and media of a Baileys `message` object (outer: the object carrying base64/mediaUrl). */
export function contentOf(outer: JsonObject | null | undefined, messageType: string | null | undefined): Content {
	const content: Content = { type: 'other', text: null, caption: null, media: null, quotedId: null, context: null, reacted: null, details: null, protocol: null };
	if (!outer) {
		content.type = messageTypeOfName(messageType);
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
		content.context = contextOf(extended);
		return content;
	}
	for (const kind in MEDIA_KINDS) {
		const part = message[kind];
		if (!isRecord(part)) continue;
		const type = MEDIA_KINDS[kind];
		content.type = type;
		content.caption = textOf(part.caption);
		content.quotedId = quotedIdOf(part);
		content.context = contextOf(part);
		content.media = {
			type,
			mimetype: textOf(part.mimetype),
			fileName: textOf(part.fileName),
			// Only a URL that works without WhatsApp's media keys: S3/MinIO (v2). `part.url` is encrypted.
			url: textOf(outer.mediaUrl) ?? textOf(message.mediaUrl),
			hasBase64: typeof outer.base64 === 'string' && outer.base64.length > 0,
			// audioMessage.ptt: a voice note recorded in WhatsApp, not a file sent as audio.
			ptt: type === 'audio' ? boolOf(part.ptt) : null,
		};
		return content;
	}
	for (const kind in OTHER_KINDS) {
		const part = message[kind];
		if (!isRecord(part)) continue;
		content.type = OTHER_KINDS[kind];
		content.quotedId = quotedIdOf(part);
		content.context = contextOf(part);
		fillOther(content, part);
		return content;
	}
	if (isRecord(message.protocolMessage)) content.protocol = message.protocolMessage;
	else if (isRecord(message.editedMessage) && isRecord(message.editedMessage.message)) {
		const inner = message.editedMessage.message;
		if (isRecord(inner.protocolMessage)) content.protocol = inner.protocolMessage;
	}
	if (messageType) content.type = messageTypeOfName(messageType);
	return content;
}

function fillOther(content: Content, part: JsonObject): void {
	switch (content.type) {
		case 'location':
			content.text = textOf(part.name) ?? textOf(part.address);
			content.details = {
				location: {
					latitude: numberOf(part.degreesLatitude),
					longitude: numberOf(part.degreesLongitude),
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
			content.reacted = isRecord(part.key) ? part.key : null;
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
			return;
	}
}

export function isEditProtocol(protocol: JsonObject): boolean {
	return protocol.type === 'MESSAGE_EDIT' || protocol.type === 14 || isRecord(protocol.editedMessage);
}

export function isRevokeProtocol(protocol: JsonObject): boolean {
	return protocol.type === 'REVOKE' || protocol.type === 0;
}
