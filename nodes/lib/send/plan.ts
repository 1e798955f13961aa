import { COLUMN_LABELS, NEEDS_MESSAGE_ID, refusalFor, type EvolutionLine, type HelpdeskProduct, type ReplyFeature, type ReplyOperation, type SendColumn } from './capabilities';
import {
	buildDownloadMedia,
	buildMarkRead,
	buildPresence,
	buildReaction,
	buildSendMedia,
	buildSendSticker,
	buildSendText,
	buildSendVoice,
	type EvolutionRequest,
	type MessageKey,
	type Mentions,
	type Presence,
} from './evolution-requests';
import { buildHelpdeskMedia, buildHelpdeskText, IZING_MAX_FILE_BYTES, mediaNeedsFile, type HelpdeskMedia, type HelpdeskRequest } from './helpdesk-requests';
import { evolutionNumber, evolutionRemoteJid, helpdeskNumber, readReceiptJid } from './recipient';
import type { Read, ReplyTarget } from './target';

/**
 * From (operation, what the user asked, whom it answers, which server) to the one request to send, or
 * the sentence that says why nothing is sent. Everything is decided here, before any HTTP.
 */

export type MediaKind = 'image' | 'video' | 'document' | 'audio' | 'sticker';
export type MediaContent = { kind: 'url'; url: string } | { kind: 'file'; fileName: string; mimetype: string; data: Uint8Array };

export interface ReplyParameters {
	operation: ReplyOperation;
	text?: string;
	quote?: boolean;
	mentions?: Mentions | null;
	/** Typing shown before a send, in ms. */
	delayMs?: number;
	mediaType?: MediaKind;
	media?: MediaContent;
	caption?: string | null;
	fileName?: string | null;
	reaction?: string;
	presence?: Presence;
	durationMs?: number;
	/** Whazing / Izing ticket key; the adapter supplies the item's, the user's or a generated one. */
	externalKey?: string;
}

/** The features a request uses, in the order they are checked. */
export function featuresOf(parameters: ReplyParameters): ReplyFeature[] {
	const features: ReplyFeature[] = [parameters.operation];
	if ((parameters.operation === 'sendText' || parameters.operation === 'sendMedia') && parameters.quote) features.push('quote');
	if (parameters.operation === 'sendText' && parameters.mentions && (parameters.mentions.everyOne || parameters.mentions.numbers.length > 0)) features.push('mentions');
	if (parameters.operation === 'sendMedia' && parameters.mediaType === 'sticker') features.push('sticker');
	if (parameters.operation === 'react' && parameters.reaction === '') features.push('removeReaction');
	return features;
}

const MISSING_MESSAGE: Partial<Record<ReplyFeature, string>> = {
	quote: 'quote it',
	react: 'react to it',
	removeReaction: 'remove a reaction from it',
	markRead: 'mark it as read',
	downloadMedia: 'download its media',
};

/** The capability table, then what the target lacks (no message id to quote, no media to download). */
export function refusalOf(column: SendColumn, target: ReplyTarget, parameters: ReplyParameters): string | null {
	for (const feature of featuresOf(parameters)) {
		const refusal = refusalFor(feature, column);
		if (refusal) return refusal;
		if (NEEDS_MESSAGE_ID.has(feature) && target.messageId === null) {
			const why = target.source === 'whaticket' ? 'Whaticket SaaS deliveries carry no WhatsApp message id' : 'the item is not an incoming message (manual mode, or an event without a message id)';
			return `Cannot ${MISSING_MESSAGE[feature] ?? feature}: ${why}`;
		}
	}
	if (parameters.operation === 'downloadMedia' && target.media === null) {
		return 'The message has no media to download (it is a text or another kind of message): check "message.media" of the item';
	}
	if ((parameters.operation === 'sendText' && !parameters.text?.trim()) || (parameters.operation === 'react' && parameters.reaction === undefined)) {
		return parameters.operation === 'sendText' ? 'The text to send is empty: type the answer in "Text"' : 'No reaction given: type one emoji, e.g. 👍';
	}
	if (parameters.operation === 'react' && parameters.reaction && !isOneEmoji(parameters.reaction)) {
		return `"${parameters.reaction}" is not an emoji: WhatsApp reactions are one emoji, e.g. 👍 (leave it empty to remove a reaction on 2.3+)`;
	}
	return null;
}

/** One emoji, possibly with skin tone, variation selector or ZWJ sequence (what WhatsApp reacts with). */
export function isOneEmoji(value: string): boolean {
	return /^(?:\p{Regional_Indicator}{2}|[#*0-9]\uFE0F?\u20E3|\p{Extended_Pictographic}(?:\uFE0F|\p{Emoji_Modifier})?(?:\u200D\p{Extended_Pictographic}(?:\uFE0F|\p{Emoji_Modifier})?)*)$/u.test(value);
}

const raw = (content: MediaContent) => (content.kind === 'url' ? content.url : Buffer.from(content.data).toString('base64'));

function keyOf(target: ReplyTarget, remoteJid: string): MessageKey {
	const key: MessageKey = { id: target.messageId ?? '', remoteJid, fromMe: target.fromMe };
	if (target.isGroup && target.participant && !target.fromMe) key.participant = target.participant;
	return key;
}

function instanceOf(target: ReplyTarget): Read<string> {
	return target.instance
		? { ok: true, value: target.instance }
		: { ok: false, refusal: 'No Evolution instance known: the item has no "instance" (choose it in manual mode)' };
}

/** Evolution: the request for this operation on this release line. */
export function planEvolution(line: EvolutionLine, target: ReplyTarget, parameters: ReplyParameters): Read<EvolutionRequest> {
	const refusal = refusalOf(line, target, parameters);
	if (refusal) return { ok: false, refusal };
	const instance = instanceOf(target);
	if (!instance.ok) return instance;
	const common = { instance: instance.value, delayMs: parameters.delayMs };
	const needNumber = (): Read<string> => evolutionNumber(target, line);
	const quote = () => {
		if (!parameters.quote) return { ok: true as const, value: null };
		const jid = evolutionRemoteJid(target, line, 'quote a message in');
		return jid.ok ? { ok: true as const, value: { key: keyOf(target, jid.value), text: target.quotedText } } : jid;
	};
	switch (parameters.operation) {
		case 'sendText':
		case 'sendMedia':
		case 'sendVoice':
		case 'presence': {
			const number = needNumber();
			if (!number.ok) return number;
			if (parameters.operation === 'presence') {
				return { ok: true, value: buildPresence(line, { instance: instance.value, number: number.value, presence: parameters.presence ?? 'composing', delayMs: parameters.presence === 'paused' ? 0 : (parameters.durationMs ?? 3000) }) };
			}
			if (parameters.operation === 'sendVoice') {
				if (!parameters.media) return { ok: false, refusal: 'No audio given: choose the binary property or the URL of the voice note' };
				return { ok: true, value: buildSendVoice(line, { ...common, number: number.value, audio: raw(parameters.media) }) };
			}
			const quoted = quote();
			if (!quoted.ok) return quoted;
			if (parameters.operation === 'sendText') {
				return { ok: true, value: buildSendText(line, { ...common, number: number.value, text: parameters.text ?? '', quote: quoted.value, mentions: parameters.mentions }) };
			}
			const media = parameters.media;
			if (!media) return { ok: false, refusal: 'No media given: choose the binary property or the URL of the file' };
			if (parameters.mediaType === 'sticker') return { ok: true, value: buildSendSticker(line, { ...common, number: number.value, sticker: raw(media) }) };
			return {
				ok: true,
				value: buildSendMedia(line, {
					...common,
					number: number.value,
					mediatype: parameters.mediaType ?? 'document',
					media: raw(media),
					caption: parameters.caption,
					fileName: parameters.fileName ?? (media.kind === 'file' ? media.fileName : null),
					mimetype: media.kind === 'file' ? media.mimetype : null,
					quote: quoted.value,
				}),
			};
		}
		case 'react': {
			const jid = evolutionRemoteJid(target, line, 'react in');
			if (!jid.ok) return jid;
			return { ok: true, value: buildReaction(line, { instance: instance.value, key: keyOf(target, jid.value), reaction: parameters.reaction ?? '' }) };
		}
		case 'markRead': {
			const jid = readReceiptJid(target);
			if (!jid.ok) return jid;
			return { ok: true, value: buildMarkRead(line, { instance: instance.value, key: keyOf(target, jid.value) }) };
		}
		case 'downloadMedia':
			return { ok: true, value: buildDownloadMedia({ instance: instance.value, messageId: target.messageId ?? '', rawMessage: target.rawMessage }) };
	}
}

export type HelpdeskPlan = { kind: 'send'; request: HelpdeskRequest } | { kind: 'download'; url: string };

/** Which helpdesk product may answer an item of this source. */
export function productMismatch(target: ReplyTarget, product: HelpdeskProduct): string | null {
	const fits = target.source === 'whaticket' ? product === 'whaticket' : product !== 'whaticket';
	if (fits) return null;
	const needs = target.source === 'whaticket' ? 'Whaticket SaaS' : 'Whazing or Izing';
	return `This item comes from ${target.source === 'whaticket' ? 'Whaticket SaaS' : 'Whazing/Izing'}, but the Helpdesk API credential is set to ${COLUMN_LABELS[product]}: choose a credential of type ${needs}`;
}

/** Whazing / Izing / Whaticket SaaS: the request, or the URL to fetch for Download Media. */
export function planHelpdesk(product: HelpdeskProduct, apiId: string, target: ReplyTarget, parameters: ReplyParameters): Read<HelpdeskPlan> {
	const refusal = productMismatch(target, product) ?? refusalOf(product, target, parameters);
	if (refusal) return { ok: false, refusal };
	if (parameters.operation === 'downloadMedia') {
		const url = target.media?.url;
		if (!url) {
			return { ok: false, refusal: 'The delivery carried no media URL to download: when the helpdesk sends the file as base64, turn on "Media to Binary" in the Whaticket Trigger, which puts it in binary "data"' };
		}
		return { ok: true, value: { kind: 'download', url } };
	}
	if (product !== 'whaticket' && !apiId) return { ok: false, refusal: `The Helpdesk API credential has no API id: copy it from ${COLUMN_LABELS[product]} → Automação e Integrações → API` };
	const recipient = helpdeskNumber(target, product !== 'whaticket');
	if (!recipient.ok) return recipient;
	const externalKey = parameters.externalKey ?? '';
	if (parameters.operation === 'sendText') {
		return { ok: true, value: { kind: 'send', request: buildHelpdeskText(product, { apiId, recipient: recipient.value, text: parameters.text ?? '', externalKey }) } };
	}
	const media = parameters.media;
	if (!media) return { ok: false, refusal: 'No media given: choose the binary property or the URL of the file' };
	if (media.kind === 'url' && mediaNeedsFile(product, parameters.mediaType === 'sticker')) {
		return { ok: false, refusal: `${COLUMN_LABELS[product]} takes this file only as an upload: the URL has to be downloaded first` };
	}
	if (product === 'izing' && media.kind === 'file' && media.data.byteLength > IZING_MAX_FILE_BYTES) {
		return { ok: false, refusal: `Izing accepts files up to 5 MB; this one has ${(media.data.byteLength / 1024 / 1024).toFixed(1)} MB: send a link instead` };
	}
	const content: HelpdeskMedia = media.kind === 'url' ? media : { kind: 'file', fileName: parameters.fileName ?? media.fileName, mimetype: media.mimetype, data: media.data };
	return {
		ok: true,
		value: { kind: 'send', request: buildHelpdeskMedia(product, { apiId, recipient: recipient.value, media: content, caption: parameters.caption ?? null, externalKey, sticker: parameters.mediaType === 'sticker' }) },
	};
}
