/**
 * The message and chat routes of the Evolution double: the bodies each version accepts, its
 * validation answers, its not-connected answers (run on 1.8.1, read in 2.0.10 / 2.2.3 / 2.3.6), and a
 * record of every body received. Hooked into EvolutionDouble.handle() with one call.
 */
import { randomBytes } from 'node:crypto';

import {
	Checks,
	checkV1Options,
	checkV2Extras,
	createJid,
	isEmojiV1,
	isSingleEmojiOrEmpty,
	isUrl,
	isUrlOrBase64,
	MEDIA_TYPES,
	PRESENCES,
} from './send-checks';
import { compareVersions, type ParsedVersion } from './version';

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

export interface SendAnswer {
	status: number;
	body: unknown;
}

/** A media message the server has in its store, for getBase64FromMediaMessage. */
export interface StoredMedia {
	mediaType: string;
	mimetype: string;
	fileName: string;
	base64: string;
	caption?: string;
}

export interface SendRoutesOptions {
	/** Digits (or JIDs) whose on-WhatsApp check answers exists:false. */
	notOnWhatsApp?: string[];
	/** Message ids in the server's store: a stored media message, or 'text' for a text message. */
	storedMessages?: Record<string, StoredMedia | 'text'>;
	/**
	 * The server's IsOnWhatsapp cache rows that pair a LID with a phone: LID JID → phone JID (2.3.6 saves
	 * them from messages carrying `remoteJidAlt`, with DATABASE_SAVE_IS_ON_WHATSAPP on).
	 */
	lidCache?: Record<string, string>;
}

export interface SendInstanceView {
	token: string;
	connectionStatus: 'open' | 'close' | 'connecting';
	id: string;
}

/** What the route handler needs from the double. */
export interface SendRouteHost {
	version: ParsedVersion;
	globalKey: string;
	instance(name: string): SendInstanceView | undefined;
}

export interface ReceivedSend {
	method: string;
	/** `message/sendText`, `chat/markMessageAsRead`… as the client spelled it. */
	route: string;
	instance: string;
	headers: Record<string, string | string[] | undefined>;
	body: unknown;
	status: number;
	answer: unknown;
}

const ROUTES: Record<string, { method: 'POST' | 'PUT'; route: string }> = {
	'message/sendtext': { method: 'POST', route: 'message/sendText' },
	'message/sendmedia': { method: 'POST', route: 'message/sendMedia' },
	'message/sendwhatsappaudio': { method: 'POST', route: 'message/sendWhatsAppAudio' },
	'message/sendsticker': { method: 'POST', route: 'message/sendSticker' },
	'message/sendreaction': { method: 'POST', route: 'message/sendReaction' },
	'chat/sendpresence': { method: 'POST', route: 'chat/sendPresence' },
	'chat/markmessageasread': { method: 'POST', route: 'chat/markMessageAsRead' },
	'chat/getbase64frommediamessage': { method: 'POST', route: 'chat/getBase64FromMediaMessage' },
	'chat/whatsappnumbers': { method: 'POST', route: 'chat/whatsappNumbers' },
};

const envelope = (status: number, error: string, message: unknown): SendAnswer => ({ status, body: { status, error, response: { message } } });
const bad = (message: unknown) => envelope(400, 'Bad Request', message);
const internal = (message: unknown) => envelope(500, 'Internal Server Error', message);

export class SendRoutes {
	readonly received: ReceivedSend[] = [];
	private readonly options: SendRoutesOptions;

	constructor(
		private readonly host: SendRouteHost,
		options: SendRoutesOptions = {},
	) {
		this.options = { notOnWhatsApp: [...(options.notOnWhatsApp ?? [])], storedMessages: { ...(options.storedMessages ?? {}) }, lidCache: { ...(options.lidCache ?? {}) } };
	}

	/** Adds an IsOnWhatsapp cache row pairing `lid` with `phoneJid` (what whatsappNumbers answers for the LID on 2.3.6+). */
	cacheLid(lid: string, phoneJid: string): void {
		this.options.lidCache![lid] = phoneJid;
	}

	/** Puts a message in the server's store (what getBase64FromMediaMessage and key-only quotes look up). */
	storeMessage(id: string, message: StoredMedia | 'text'): void {
		this.options.storedMessages![id] = message;
	}

	receivedOn(route: string): ReceivedSend[] {
		return this.received.filter((entry) => entry.route === route);
	}

	private get line() {
		const atLeast = (version: string) => compareVersions(this.host.version, version) >= 0;
		return {
			v1: this.host.version.major < 2,
			v20: this.host.version.major === 2 && this.host.version.minor === 0,
			knowsLid: atLeast('1.6.0'),
			hasPresence: atLeast('1.6.0'),
			stripsDevice: atLeast('2.2.0'),
			mediaOptional: atLeast('2.2.0'),
			sendsToLid: atLeast('2.3.0'),
			// 2.3.6 looks LIDs up in its IsOnWhatsapp cache too (2.3.0 – 2.3.5 answer a LID as itself).
			lidFromCache: atLeast('2.3.6'),
			prepareRecord: atLeast('2.1.0'),
		};
	}

	/** Answers a send/chat route, or null when the path is none of them (the double then goes on). */
	answer(method: string, path: string, body: unknown, headers: Record<string, string | string[] | undefined>): SendAnswer | null {
		const segments = path.split('?')[0].replace(/\/+$/, '').split('/').slice(1);
		if (segments.length !== 3) return null;
		const known = ROUTES[`${segments[0]}/${segments[1]}`.toLowerCase()];
		if (!known) return null;
		const route = known.route;
		const instanceName = decodeURIComponent(segments[2]);
		const record = (answer: SendAnswer): SendAnswer => {
			this.received.push({ method, route, instance: instanceName, headers: { ...headers }, body, status: answer.status, answer: answer.body });
			return answer;
		};
		const expectedMethod = route === 'chat/markMessageAsRead' && this.line.v1 ? 'PUT' : known.method;
		if (method !== expectedMethod || (route === 'chat/sendPresence' && !this.line.hasPresence)) {
			return record(envelope(404, 'Not Found', [`Cannot ${method} ${path}`]));
		}
		// Guard order: instance exists → auth (an unknown instance is 404 whatever the key).
		const instance = this.host.instance(instanceName);
		if (!instance) return record(envelope(404, 'Not Found', [`The "${instanceName}" instance does not exist`]));
		const apikey = Array.isArray(headers.apikey) ? headers.apikey.join(', ') : headers.apikey;
		if (!apikey || (apikey !== this.host.globalKey && apikey !== instance.token)) return record(envelope(401, 'Unauthorized', 'Unauthorized'));
		const data: Json = isObject(body) ? body : {};
		const checks = new Checks();
		this.validate(route, data, checks);
		if (checks.errors.length > 0) return record(bad([checks.errors]));
		return record(this.act(route, data, instance));
	}

	private validate(route: string, body: Json, checks: Checks): void {
		const { v1 } = this.line;
		switch (route) {
			case 'message/sendText':
				checks.numberField(body);
				if (v1) {
					checks.requires(body, 'instance', ['number', 'textMessage']);
					if (checks.object(body.textMessage, 'textMessage')) {
						checks.requires(body.textMessage, 'textMessage', ['text']);
						checks.nonEmpty((body.textMessage as Json).text, 'text');
					}
					checkV1Options(checks, body.options);
				} else {
					checks.requires(body, 'instance', ['number', 'text']);
					checkV2Extras(checks, body);
				}
				return;
			case 'message/sendMedia': {
				checks.numberField(body);
				const media = v1 ? body.mediaMessage : body;
				if (v1) checks.requires(body, 'instance', ['number', 'mediaMessage']);
				else checks.requires(body, 'instance', this.line.mediaOptional ? ['number', 'mediatype'] : ['number', 'mediatype', 'media']);
				const path = v1 ? 'mediaMessage' : 'instance';
				if (v1 && !checks.object(media, 'mediaMessage')) return;
				if (v1) checks.requires(media, path, ['mediatype', 'media']);
				checks.enumOf((media as Json).mediatype, v1 ? 'mediaMessage.mediatype' : 'mediatype', MEDIA_TYPES);
				checks.nonEmpty((media as Json).fileName, 'fileName');
				checks.nonEmpty((media as Json).caption, 'caption');
				if (v1) checkV1Options(checks, body.options);
				else checkV2Extras(checks, body);
				return;
			}
			case 'message/sendWhatsAppAudio':
				checks.numberField(body);
				if (v1) {
					checks.requires(body, 'instance', ['number', 'audioMessage']);
					if (checks.object(body.audioMessage, 'audioMessage')) {
						checks.requires(body.audioMessage, 'audioMessage', ['audio']);
						checks.nonEmpty((body.audioMessage as Json).audio, 'audio');
					}
					checkV1Options(checks, body.options);
				} else {
					checks.requires(body, 'instance', this.line.mediaOptional ? ['number'] : ['number', 'audio']);
					checks.delay(body.delay);
				}
				return;
			case 'message/sendSticker':
				checks.numberField(body);
				if (v1) {
					checks.requires(body, 'instance', ['number', 'stickerMessage']);
					if (checks.object(body.stickerMessage, 'stickerMessage')) checks.requires(body.stickerMessage, 'stickerMessage', ['image']);
					checkV1Options(checks, body.options);
				} else {
					checks.requires(body, 'instance', this.line.mediaOptional ? ['number'] : ['number', 'sticker']);
					checks.delay(body.delay);
				}
				return;
			case 'message/sendReaction': {
				const reaction = v1 ? body.reactionMessage : body;
				const path = v1 ? 'reactionMessage' : 'instance';
				if (v1) {
					checks.requires(body, 'instance', ['reactionMessage']);
					if (!checks.object(reaction, 'reactionMessage')) return;
				}
				checks.requires(reaction, path, ['key', 'reaction']);
				const keyPath = v1 ? 'reactionMessage.key' : 'key';
				if (checks.object((reaction as Json).key, keyPath)) checks.requires((reaction as Json).key, keyPath, ['id', 'remoteJid', 'fromMe']);
				return;
			}
			case 'chat/sendPresence':
				checks.numberField(body);
				if (v1) {
					checks.requires(body, 'instance', ['number', 'options']);
					if (checks.object(body.options, 'options')) {
						checks.requires(body.options, 'options', ['presence', 'delay']);
						checks.enumOf((body.options as Json).presence, 'options.presence', PRESENCES);
						checks.delay((body.options as Json).delay);
					}
				} else {
					checks.requires(body, 'instance', ['number', 'presence', 'delay']);
					checks.enumOf(body.presence, 'presence', PRESENCES);
					checks.delay(body.delay);
				}
				return;
			case 'chat/markMessageAsRead': {
				const field = v1 ? 'read_messages' : 'readMessages';
				checks.requires(body, 'instance', [field]);
				checks.keys(body[field], field);
				return;
			}
			case 'chat/whatsappNumbers':
				if (Array.isArray(body.numbers) && body.numbers.length === 0) checks.errors.push('numbers does not meet minimum length of 1');
				return;
		}
	}

	/** After validation: the controller checks, then the connection, then the on-WhatsApp check. */
	private act(route: string, body: Json, instance: SendInstanceView): SendAnswer {
		const { v1 } = this.line;
		const open = instance.connectionStatus === 'open';
		switch (route) {
			case 'message/sendText': {
				const text = v1 ? (body.textMessage as Json).text : body.text;
				if (!v1 && (typeof text !== 'string' || text.trim() === '')) return bad(['Text is required']);
				if (!open) return internal('Connection Closed');
				return this.sent(instance, String(body.number), { conversation: String(text) }, 'conversation');
			}
			case 'message/sendMedia': {
				const media = (v1 ? body.mediaMessage : body) as Json;
				if (!isUrlOrBase64(media.media)) return bad(['Owned media must be a url or base64']);
				if (media.mediatype === 'document' && !isUrl(media.media) && !media.fileName) return bad(['For base64 the file name must be informed.']);
				// Media is prepared (uploaded) before the number check: the failure is wrapped.
				if (!open) return internal(['Error: Connection Closed']);
				return this.sent(instance, String(body.number), { [`${String(media.mediatype)}Message`]: { caption: media.caption ?? null } }, `${String(media.mediatype)}Message`);
			}
			case 'message/sendWhatsAppAudio': {
				if (v1 && !isObject(body.options)) return internal("Cannot set properties of undefined (setting 'encoding')");
				const audio = v1 ? (body.audioMessage as Json).audio : body.audio;
				if (!isUrlOrBase64(audio)) return bad([this.line.mediaOptional ? 'Owned media must be a url, base64, or valid file with buffer' : 'Owned media must be a url or base64']);
				if (!open) return internal('Connection Closed');
				return this.sent(instance, String(body.number), { audioMessage: { ptt: true } }, 'audioMessage');
			}
			case 'message/sendSticker': {
				const sticker = v1 ? (body.stickerMessage as Json).image : body.sticker;
				if (!isUrlOrBase64(sticker)) return bad(['Owned media must be a url or base64']);
				if (!open) return internal('Connection Closed');
				return this.sent(instance, String(body.number), { stickerMessage: {} }, 'stickerMessage');
			}
			case 'message/sendReaction': {
				const reaction = (v1 ? body.reactionMessage : body) as Json;
				if (this.line.sendsToLid) {
					if (!isSingleEmojiOrEmpty(reaction.reaction)) return bad(['Reaction must be a single emoji or empty string']);
				} else if (!isEmojiV1(reaction.reaction)) return bad(['"reaction" must be an emoji']);
				if (!open) return internal('Connection Closed');
				const key = reaction.key as Json;
				return this.sent(instance, String(key.remoteJid), { reactionMessage: { key, text: reaction.reaction } }, 'reactionMessage');
			}
			case 'chat/sendPresence': {
				if (!open) return bad(['Error: Connection Closed']);
				const check = this.onWhatsApp(String(body.number));
				if (check) return check;
				// The real call blocks for `delay` ms, then sends "paused"; the double answers at once.
				return { status: 201, body: v1 ? undefined : { presence: body.presence } };
			}
			case 'chat/markMessageAsRead':
				if (!open) return internal(['Read messages fail', 'Error: Connection Closed']);
				return { status: 201, body: { message: 'Read messages', read: 'success' } };
			case 'chat/getBase64FromMediaMessage': {
				const message = body.message as Json | undefined;
				const key = message?.key as Json | undefined;
				if (!key) return bad(["TypeError: Cannot read properties of undefined (reading 'key')"]);
				if (!open) return bad(['Error: Connection Closed']);
				const stored = this.options.storedMessages![String(key.id)];
				if (stored === undefined && !isObject(message?.message)) return bad(['Message not found']);
				if (stored === 'text' || stored === undefined) return bad(['The message is not of the media type']);
				const answer: Json = { mediaType: stored.mediaType, fileName: stored.fileName, caption: stored.caption ?? null, size: { fileLength: String(Buffer.from(stored.base64, 'base64').length), height: 0, width: 0 }, mimetype: stored.mimetype, base64: stored.base64 };
				if (!v1) answer.buffer = null;
				return { status: 201, body: answer };
			}
			case 'chat/whatsappNumbers': {
				if (!Array.isArray(body.numbers)) return internal("Cannot read properties of undefined (reading 'forEach')");
				if (!open) return internal('Connection Closed');
				return {
					status: 200,
					body: body.numbers.map((number) => {
						const jid = createJid(String(number), this.line.knowsLid, this.line.stripsDevice);
						// 2.3.x: a LID is `{jid, exists: true, number, lid: "lid"}`; 2.3.6 answers a cached pair with the row's phone JID.
						if (this.line.sendsToLid && jid.endsWith('@lid')) {
							const cached = this.line.lidFromCache ? this.options.lidCache![jid] : undefined;
							return { jid: cached ?? jid, exists: true, number: String(number), lid: 'lid' };
						}
						return { exists: !this.isMissing(String(number), jid), jid, number: String(number) };
					}),
				};
			}
		}
		return internal(`double: no handler for ${route}`);
	}

	private isMissing(number: string, jid: string): boolean {
		if (jid.endsWith('@g.us')) return false;
		// onWhatsApp cannot confirm a LID before Baileys 7 (2.3.x accepts it as valid).
		if (jid.endsWith('@lid')) return !this.line.sendsToLid;
		const digits = jid.split('@')[0];
		return (this.options.notOnWhatsApp ?? []).some((entry) => entry === number || entry === jid || entry === digits);
	}

	private onWhatsApp(number: string): SendAnswer | null {
		const jid = createJid(number, this.line.knowsLid, this.line.stripsDevice);
		if (!this.isMissing(number, jid)) return null;
		return bad([{ exists: false, jid, number }]);
	}

	/** 201 with the version's success shape: WAMessage (v1 string timestamp, 2.0 number) or the 2.1+ record. */
	private sent(instance: SendInstanceView, number: string, message: Json, messageType: string): SendAnswer {
		const check = this.onWhatsApp(number);
		if (check) return check;
		const key = { remoteJid: createJid(number, this.line.knowsLid, this.line.stripsDevice), fromMe: true, id: `BAE5${randomBytes(6).toString('hex').toUpperCase()}` };
		const seconds = Math.floor(Date.now() / 1000);
		if (!this.line.prepareRecord) {
			const content = messageType === 'conversation' ? { extendedTextMessage: { text: message.conversation } } : message;
			return { status: 201, body: { key, message: content, messageTimestamp: this.line.v1 ? String(seconds) : seconds, status: 'PENDING' } };
		}
		return {
			status: 201,
			body: { key, pushName: 'Você', status: 'PENDING', message, contextInfo: null, messageType, messageTimestamp: seconds, instanceId: instance.id, source: 'unknown' },
		};
	}
}
