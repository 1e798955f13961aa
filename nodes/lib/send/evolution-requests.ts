import type { EvolutionLine } from './capabilities';

/**
 * One builder per Evolution send/chat route: route, method and the exact body per release line.
 * v1 (1.5 – 1.8) nests every payload (`textMessage`, `mediaMessage`, …) and puts delay, presence,
 * quote and mentions in `options`; v2 (2.0+) flattens them all. Facts from the upstream DTOs and JSON
 * schemas at 1.5.0 – 1.8.2, 2.0.10 (commit 9ae5255d), 2.2.3 and 2.3.6, and runs against a stock 1.8.1.
 */

export interface EvolutionRequest {
	method: 'POST' | 'PUT';
	/** `message/sendText`, `chat/sendPresence`, … (without the instance). */
	route: string;
	instance: string;
	body: Record<string, unknown>;
}

/** The path the client appends to the base URL. */
export function evolutionPath(request: EvolutionRequest): string {
	return `/${request.route}/${encodeURIComponent(request.instance)}`;
}

/** The key of a message as WhatsApp knows it; `participant` is the author in groups. */
export interface MessageKey {
	id: string;
	remoteJid: string;
	fromMe: boolean;
	participant?: string;
}

export interface Quote {
	key: MessageKey;
	/** The quoted text, so the quote does not depend on the server's message store. */
	text: string | null;
}

export interface Mentions {
	everyOne: boolean;
	/** Digits, e.g. 5511999990000. */
	numbers: string[];
}

const isV1 = (line: EvolutionLine) => line === 'v1.5' || line === 'v1.6';

function quotedOf(quote: Quote): Record<string, unknown> {
	const quoted: Record<string, unknown> = { key: { ...quote.key } };
	if (quote.text !== null) quoted.message = { conversation: quote.text };
	return quoted;
}

interface Common {
	instance: string;
	number: string;
	/** Typing (or recording) is shown this long before the message goes out. */
	delayMs?: number;
}

/**
 * v1 `options` of text and media: delay with its presence, quote, mentions. Undefined when empty,
 * except where the server needs it (voice notes).
 */
function v1Options(delayMs: number | undefined, presence: string, quote?: Quote | null, mentions?: Mentions | null): Record<string, unknown> | undefined {
	const options: Record<string, unknown> = {};
	if (delayMs !== undefined) {
		options.delay = delayMs;
		options.presence = presence;
	}
	if (quote) options.quoted = quotedOf(quote);
	if (mentions && (mentions.everyOne || mentions.numbers.length > 0)) {
		options.mentions = mentions.numbers.length > 0 ? { everyOne: mentions.everyOne, mentioned: mentions.numbers } : { everyOne: mentions.everyOne };
	}
	return Object.keys(options).length > 0 ? options : undefined;
}

/** v2 puts the same facts at the top level; the schema says `everyOne`, the service reads `mentionsEveryOne`. */
function v2Extras(body: Record<string, unknown>, delayMs: number | undefined, quote?: Quote | null, mentions?: Mentions | null): Record<string, unknown> {
	if (delayMs !== undefined) body.delay = delayMs;
	if (quote) body.quoted = quotedOf(quote);
	if (mentions?.everyOne) body.mentionsEveryOne = true;
	if (mentions && mentions.numbers.length > 0) body.mentioned = mentions.numbers;
	return body;
}

function withOptions(body: Record<string, unknown>, options: Record<string, unknown> | undefined): Record<string, unknown> {
	return options ? { ...body, options } : body;
}

export interface TextInput extends Common {
	text: string;
	quote?: Quote | null;
	mentions?: Mentions | null;
}

export function buildSendText(line: EvolutionLine, input: TextInput): EvolutionRequest {
	const body = isV1(line)
		? withOptions({ number: input.number, textMessage: { text: input.text } }, v1Options(input.delayMs, 'composing', input.quote, input.mentions))
		: v2Extras({ number: input.number, text: input.text }, input.delayMs, input.quote, input.mentions);
	return { method: 'POST', route: 'message/sendText', instance: input.instance, body };
}

export interface MediaInput extends Common {
	mediatype: 'image' | 'video' | 'document' | 'audio';
	/** An http(s) URL or raw base64 (no `data:` prefix: the server refuses it). */
	media: string;
	caption?: string | null;
	fileName?: string | null;
	mimetype?: string | null;
	quote?: Quote | null;
}

export function buildSendMedia(line: EvolutionLine, input: MediaInput): EvolutionRequest {
	// Empty caption or file name fail v1's isNotEmpty rule: leave them out.
	const media: Record<string, unknown> = { mediatype: input.mediatype, media: input.media };
	if (input.caption) media.caption = input.caption;
	if (input.fileName) media.fileName = input.fileName;
	if (input.mimetype) media.mimetype = input.mimetype;
	const body = isV1(line)
		? withOptions({ number: input.number, mediaMessage: media }, v1Options(input.delayMs, 'composing', input.quote))
		: v2Extras({ number: input.number, ...media }, input.delayMs, input.quote);
	return { method: 'POST', route: 'message/sendMedia', instance: input.instance, body };
}

export interface StickerInput extends Common {
	/** An http(s) URL or raw base64 of the image. */
	sticker: string;
}

/** v1 `stickerMessage.image`, v2 flat `sticker` (upstream sendMessage.dto, 1.x and 2.x). */
export function buildSendSticker(line: EvolutionLine, input: StickerInput): EvolutionRequest {
	const body = isV1(line)
		? withOptions({ number: input.number, stickerMessage: { image: input.sticker } }, v1Options(input.delayMs, 'composing'))
		: v2Extras({ number: input.number, sticker: input.sticker }, input.delayMs);
	return { method: 'POST', route: 'message/sendSticker', instance: input.instance, body };
}

export interface VoiceInput extends Common {
	/** An http(s) URL or raw base64 of the audio, in any format: `encoding` lets the server convert it. */
	audio: string;
}

/**
 * Voice notes never quote (the service passes only presence and delay on). v1 needs `options`: without
 * it 1.8.1 answers 500 "Cannot set properties of undefined (setting 'encoding')".
 */
export function buildSendVoice(line: EvolutionLine, input: VoiceInput): EvolutionRequest {
	const body = isV1(line)
		? { number: input.number, options: { ...(input.delayMs !== undefined ? { delay: input.delayMs, presence: 'recording' } : {}), encoding: true }, audioMessage: { audio: input.audio } }
		: v2Extras({ number: input.number, audio: input.audio, encoding: true }, input.delayMs);
	return { method: 'POST', route: 'message/sendWhatsAppAudio', instance: input.instance, body };
}

export interface ReactionInput {
	instance: string;
	key: MessageKey;
	/** One emoji; "" removes the reaction (2.3.0+ only). */
	reaction: string;
}

export function buildReaction(line: EvolutionLine, input: ReactionInput): EvolutionRequest {
	const payload = { key: { ...input.key }, reaction: input.reaction };
	return { method: 'POST', route: 'message/sendReaction', instance: input.instance, body: isV1(line) ? { reactionMessage: payload } : payload };
}

export type Presence = 'composing' | 'recording' | 'paused';

export interface PresenceInput {
	instance: string;
	number: string;
	presence: Presence;
	/** The call blocks this long, then the server sends "paused". Required by every version. */
	delayMs: number;
}

/** `chat/sendPresence` exists from 1.6.0; v1 nests presence and delay in `options` (both required). */
export function buildPresence(line: EvolutionLine, input: PresenceInput): EvolutionRequest {
	const body = isV1(line)
		? { number: input.number, options: { presence: input.presence, delay: input.delayMs } }
		: { number: input.number, presence: input.presence, delay: input.delayMs };
	return { method: 'POST', route: 'chat/sendPresence', instance: input.instance, body };
}

/** v1: PUT with `read_messages`; v2: POST with `readMessages`. */
export function buildMarkRead(line: EvolutionLine, input: { instance: string; key: MessageKey }): EvolutionRequest {
	const keys = [{ ...input.key }];
	return isV1(line)
		? { method: 'PUT', route: 'chat/markMessageAsRead', instance: input.instance, body: { read_messages: keys } }
		: { method: 'POST', route: 'chat/markMessageAsRead', instance: input.instance, body: { readMessages: keys } };
}

export interface DownloadInput {
	instance: string;
	messageId: string;
	/** The full webhook message ({key, message}): the server then downloads from WhatsApp without its store. */
	rawMessage?: Record<string, unknown> | null;
}

/**
 * Same body on every version. `convertToMp4` stays false: on 2.0.10 `true` makes `base64` a serialized
 * Node Buffer, and a voice note is more useful in its own format.
 */
export function buildDownloadMedia(input: DownloadInput): EvolutionRequest {
	const message = input.rawMessage ?? { key: { id: input.messageId } };
	return { method: 'POST', route: 'chat/getBase64FromMediaMessage', instance: input.instance, body: { message, convertToMp4: false } };
}

/** The sent message's id out of any version's success answer (`key.id` in WAMessage and prepareMessage records). */
export function sentMessageId(answer: unknown): string | null {
	if (typeof answer !== 'object' || answer === null) return null;
	const key = (answer as Record<string, unknown>).key;
	const id = typeof key === 'object' && key !== null ? (key as Record<string, unknown>).id : undefined;
	return typeof id === 'string' ? id : null;
}

export interface DownloadedMedia {
	base64: string;
	mimetype: string | null;
	fileName: string | null;
	mediaType: string | null;
}

/**
 * The getBase64FromMediaMessage answer: `base64` is a string, or on 2.0.10 with convertToMp4 a
 * serialized Buffer `{type:"Buffer",data:[…]}`; both are read.
 */
export function readDownloadAnswer(answer: unknown): DownloadedMedia | null {
	if (typeof answer !== 'object' || answer === null) return null;
	const record = answer as Record<string, unknown>;
	let base64: string | null = typeof record.base64 === 'string' && record.base64 !== '' ? record.base64 : null;
	const buffer = record.base64 as { type?: unknown; data?: unknown } | null;
	if (base64 === null && buffer && buffer.type === 'Buffer' && Array.isArray(buffer.data)) {
		base64 = Buffer.from(buffer.data as number[]).toString('base64');
	}
	if (base64 === null) return null;
	const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null);
	return { base64, mimetype: text(record.mimetype), fileName: text(record.fileName), mediaType: text(record.mediaType) };
}

/**
 * `POST /chat/whatsappNumbers/{instance}`, the same body on every version: `{numbers: [...]}` (at least
 * one string; digits, phone JIDs, group JIDs or, from 1.6.0, …@lid). Answers 200 with
 * `[{exists, jid, number, name?, lid?}]`, one entry per number (`lid` from 2.3.x).
 */
export function buildNumberCheck(input: { instance: string; numbers: string[] }): EvolutionRequest {
	return { method: 'POST', route: 'chat/whatsappNumbers', instance: input.instance, body: { numbers: [...input.numbers] } };
}
