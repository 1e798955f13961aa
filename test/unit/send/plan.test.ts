/**
 * From a normalized item to the exact request, per Evolution line and helpdesk. Bodies written by hand
 * from the upstream DTOs/schemas (v1 nested with `options`, v2 flat) and the helpdesks' send routes.
 */
import type { EvolutionLine } from '../../../nodes/lib/send/capabilities';
import { encodeMultipart } from '../../../nodes/lib/send/helpdesk-requests';
import { isOneEmoji, planEvolution, planHelpdesk, type ReplyParameters } from '../../../nodes/lib/send/plan';
import { readReplyTarget, type ReplyTarget } from '../../../nodes/lib/send/target';
import { GROUP, IMAGE, normalizedFixture, PERSON, WHATICKET_TEXT, WHAZING_MEDIA, WHAZING_TEXT } from '../../support/reply-fixtures';

function targetOf(path: string): ReplyTarget {
	const read = readReplyTarget(normalizedFixture(path));
	if (!read.ok) throw new Error(read.refusal);
	return read.value;
}

function evolution(line: EvolutionLine, path: string, parameters: ReplyParameters) {
	const plan = planEvolution(line, targetOf(path), parameters);
	if (!plan.ok) throw new Error(plan.refusal);
	return plan.value;
}

const KEY = { id: '3EB0C431C2A8F5D2E1B7', remoteJid: '5511988887777@s.whatsapp.net', fromMe: false };
const QUOTED = { key: KEY, message: { conversation: 'Hello there' } };
const V1: EvolutionLine[] = ['v1.5', 'v1.6'];
const V2: EvolutionLine[] = ['v2.0', 'v2.1', 'v2.3'];
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47]);

describe('Evolution v1 bodies', () => {
	it.each(V1)('%s send text with quote, typing delay and mentions', (line) => {
		expect(evolution(line, PERSON, { operation: 'sendText', text: 'Olá!', quote: true, delayMs: 1200, mentions: { everyOne: false, numbers: ['5511977776666'] } })).toEqual({
			method: 'POST',
			route: 'message/sendText',
			instance: 'inst1',
			body: {
				number: '5511988887777',
				textMessage: { text: 'Olá!' },
				options: { delay: 1200, presence: 'composing', quoted: QUOTED, mentions: { everyOne: false, mentioned: ['5511977776666'] } },
			},
		});
	});

	it.each(V1)('%s plain text has no options', (line) => {
		expect(evolution(line, PERSON, { operation: 'sendText', text: 'Olá!' }).body).toEqual({ number: '5511988887777', textMessage: { text: 'Olá!' } });
	});

	it.each(V1)('%s media from a file: raw base64, file name and mimetype', (line) => {
		const request = evolution(line, PERSON, { operation: 'sendMedia', mediaType: 'image', media: { kind: 'file', fileName: 'a.png', mimetype: 'image/png', data: PNG }, caption: 'Veja' });
		expect(request).toEqual({
			method: 'POST',
			route: 'message/sendMedia',
			instance: 'inst1',
			body: { number: '5511988887777', mediaMessage: { mediatype: 'image', media: 'iVBORw==', caption: 'Veja', fileName: 'a.png', mimetype: 'image/png' } },
		});
	});

	it.each(V1)('%s voice note always carries options (1.8.1 answers 500 without)', (line) => {
		expect(evolution(line, PERSON, { operation: 'sendVoice', media: { kind: 'url', url: 'https://cdn.example.com/a.ogg' } }).body).toEqual({
			number: '5511988887777',
			options: { encoding: true },
			audioMessage: { audio: 'https://cdn.example.com/a.ogg' },
		});
	});

	it.each(V1)('%s reaction, sticker, read (PUT read_messages), download', (line) => {
		expect(evolution(line, PERSON, { operation: 'react', reaction: '👍' })).toMatchObject({ route: 'message/sendReaction', body: { reactionMessage: { key: KEY, reaction: '👍' } } });
		expect(evolution(line, PERSON, { operation: 'sendMedia', mediaType: 'sticker', media: { kind: 'url', url: 'https://x.example/s.webp' } })).toMatchObject({
			route: 'message/sendSticker',
			body: { number: '5511988887777', stickerMessage: { image: 'https://x.example/s.webp' } },
		});
		expect(evolution(line, PERSON, { operation: 'markRead' })).toEqual({ method: 'PUT', route: 'chat/markMessageAsRead', instance: 'inst1', body: { read_messages: [KEY] } });
		expect(evolution(line, IMAGE, { operation: 'downloadMedia' }).body).toEqual({ message: { key: { id: '3EB0A1B2C3D4E5F6A7B8' } }, convertToMp4: false });
	});

	it('1.6+ presence nests presence and delay in options', () => {
		expect(evolution('v1.6', PERSON, { operation: 'presence', presence: 'composing', durationMs: 2000 })).toEqual({
			method: 'POST',
			route: 'chat/sendPresence',
			instance: 'inst1',
			body: { number: '5511988887777', options: { presence: 'composing', delay: 2000 } },
		});
	});
});

describe('Evolution v2 bodies', () => {
	it.each(V2)('%s send text flat, with mentionsEveryOne', (line) => {
		expect(evolution(line, PERSON, { operation: 'sendText', text: 'Olá!', quote: true, delayMs: 800, mentions: { everyOne: true, numbers: [] } }).body).toEqual({
			number: '5511988887777',
			text: 'Olá!',
			delay: 800,
			quoted: QUOTED,
			mentionsEveryOne: true,
		});
	});

	it.each(V2)('%s media, voice, sticker, reaction, presence, read (POST readMessages)', (line) => {
		expect(evolution(line, PERSON, { operation: 'sendMedia', mediaType: 'document', media: { kind: 'url', url: 'https://x.example/a.pdf' }, fileName: 'boleto.pdf' }).body).toEqual({
			number: '5511988887777',
			mediatype: 'document',
			media: 'https://x.example/a.pdf',
			fileName: 'boleto.pdf',
		});
		expect(evolution(line, PERSON, { operation: 'sendVoice', media: { kind: 'file', fileName: 'a.ogg', mimetype: 'audio/ogg', data: PNG } }).body).toEqual({
			number: '5511988887777',
			audio: 'iVBORw==',
			encoding: true,
		});
		expect(evolution(line, PERSON, { operation: 'sendMedia', mediaType: 'sticker', media: { kind: 'url', url: 'https://x.example/s.webp' } }).body).toEqual({ number: '5511988887777', sticker: 'https://x.example/s.webp' });
		expect(evolution(line, PERSON, { operation: 'react', reaction: '❤️' }).body).toEqual({ key: KEY, reaction: '❤️' });
		expect(evolution(line, PERSON, { operation: 'presence', presence: 'recording', durationMs: 1500 }).body).toEqual({ number: '5511988887777', presence: 'recording', delay: 1500 });
		expect(evolution(line, PERSON, { operation: 'markRead' })).toEqual({ method: 'POST', route: 'chat/markMessageAsRead', instance: 'inst1', body: { readMessages: [KEY] } });
	});

	it('group quotes and reactions name the participant', () => {
		const key = { id: '3A5F0C9B1E2D4F6A8B7C', remoteJid: '120363041234567890@g.us', fromMe: false, participant: '5511977776666@s.whatsapp.net' };
		expect(evolution('v2.1', GROUP, { operation: 'sendText', text: 'Bom dia', quote: true }).body).toEqual({
			number: '120363041234567890@g.us',
			text: 'Bom dia',
			quoted: { key, message: { conversation: 'Bom dia, grupo' } },
		});
		expect(evolution('v1.6', GROUP, { operation: 'react', reaction: '👍' }).body).toEqual({ reactionMessage: { key, reaction: '👍' } });
	});

	it('2.3 removes a reaction with ""; older lines refuse before sending', () => {
		expect(evolution('v2.3', PERSON, { operation: 'react', reaction: '' }).body).toEqual({ key: KEY, reaction: '' });
		for (const line of ['v1.5', 'v1.6', 'v2.0', 'v2.1'] as const) {
			expect(planEvolution(line, targetOf(PERSON), { operation: 'react', reaction: '' })).toMatchObject({ ok: false, refusal: expect.stringMatching(/cannot remove a reaction/) });
		}
	});
});

describe('refusals before sending', () => {
	it.each([
		['v1.5', PERSON, { operation: 'presence' }, /no presence route/],
		['v2.3', WHATICKET_TEXT, { operation: 'markRead' }, /carry no WhatsApp message id/],
		['v2.3', PERSON, { operation: 'downloadMedia' }, /no media to download/],
		['v2.3', PERSON, { operation: 'sendText', text: '  ' }, /text to send is empty/],
		['v2.3', PERSON, { operation: 'react', reaction: 'ok' }, /"ok" is not an emoji/],
	] as Array<[EvolutionLine, string, ReplyParameters, RegExp]>)('%s %s %p', (line, path, parameters, refusal) => {
		const plan = planEvolution(line, targetOf(path), parameters);
		expect(plan.ok).toBe(false);
		if (!plan.ok) expect(plan.refusal).toMatch(refusal);
	});

	it('recognises single emojis', () => {
		for (const emoji of ['👍', '❤️', '👍🏽', '👨‍👩‍👧', '🇧🇷', '1️⃣']) expect(isOneEmoji(emoji)).toBe(true);
		for (const text of ['ok', '👍👍', 'a👍', '']) expect(isOneEmoji(text)).toBe(false);
	});
});

describe('helpdesk requests', () => {
	it('Whazing text by number with the ticket key', () => {
		expect(planHelpdesk('whazing', 'api-1', targetOf(WHAZING_TEXT), { operation: 'sendText', text: 'Oi Maria', externalKey: 'PEDIDO-99812' })).toEqual({
			ok: true,
			value: { kind: 'send', request: { method: 'POST', path: '/v1/api/external/api-1', json: { body: 'Oi Maria', number: '5511988887777', externalKey: 'PEDIDO-99812' } } },
		});
	});

	it('Izing media by URL (JSON mediaUrl, body " " without caption); Whazing file as multipart "media"', () => {
		expect(planHelpdesk('izing', 'api-2', targetOf(WHAZING_TEXT), { operation: 'sendMedia', mediaType: 'image', media: { kind: 'url', url: 'https://x.example/a.png' }, externalKey: 'k' })).toMatchObject({
			ok: true,
			value: { request: { path: '/v1/api/external/api-2', json: { body: ' ', number: '5511988887777', externalKey: 'k', mediaUrl: 'https://x.example/a.png' } } },
		});
		const plan = planHelpdesk('whazing', 'api-1', targetOf(WHAZING_TEXT), { operation: 'sendMedia', mediaType: 'sticker', media: { kind: 'file', fileName: 's.webp', mimetype: 'image/webp', data: PNG }, externalKey: 'k' });
		expect(plan).toMatchObject({
			ok: true,
			value: { request: { form: { fields: [['body', ' '], ['number', '5511988887777'], ['externalKey', 'k'], ['sticker', 'true']], files: [{ field: 'media', fileName: 's.webp', mimetype: 'image/webp' }] } } },
		});
	});

	it('Whaticket text and multipart "medias"; no URL form', () => {
		expect(planHelpdesk('whaticket', '', targetOf(WHATICKET_TEXT), { operation: 'sendText', text: 'Segue o boleto' })).toMatchObject({
			ok: true,
			value: { request: { path: '/api/messages/send', json: { number: '5521977776666', body: 'Segue o boleto' } } },
		});
		expect(planHelpdesk('whaticket', '', targetOf(WHATICKET_TEXT), { operation: 'sendMedia', mediaType: 'document', media: { kind: 'file', fileName: 'b.pdf', mimetype: 'application/pdf', data: PNG }, caption: 'Boleto' })).toMatchObject({
			ok: true,
			value: { request: { form: { fields: [['number', '5521977776666'], ['body', 'Boleto']], files: [{ field: 'medias', fileName: 'b.pdf' }] } } },
		});
		expect(planHelpdesk('whaticket', '', targetOf(WHATICKET_TEXT), { operation: 'sendMedia', mediaType: 'document', media: { kind: 'url', url: 'https://x.example/b.pdf' } }).ok).toBe(false);
	});

	it('downloads by the URL the delivery carried; refuses the wrong product and missing api id', () => {
		expect(planHelpdesk('whazing', 'api-1', targetOf(WHAZING_MEDIA), { operation: 'downloadMedia' })).toEqual({ ok: true, value: { kind: 'download', url: 'https://api.empresa.com.br:443/public/1767262850123.jpeg' } });
		expect(planHelpdesk('whaticket', '', targetOf(WHAZING_TEXT), { operation: 'sendText', text: 'x' })).toMatchObject({ ok: false, refusal: expect.stringMatching(/credential is set to Whaticket SaaS/) });
		expect(planHelpdesk('izing', '', targetOf(WHAZING_TEXT), { operation: 'sendText', text: 'x' })).toMatchObject({ ok: false, refusal: expect.stringMatching(/no API id/) });
		expect(planHelpdesk('whazing', 'api-1', targetOf(WHAZING_TEXT), { operation: 'react', reaction: '👍' })).toMatchObject({ ok: false, refusal: expect.stringMatching(/^Whazing cannot react/) });
	});

	it('encodes multipart by RFC 7578', () => {
		const { contentType, body } = encodeMultipart({ fields: [['number', '55']], files: [{ field: 'medias', fileName: 'a "b".txt', mimetype: 'text/plain', data: new TextEncoder().encode('hi') }] }, 'XyZ');
		expect(contentType).toBe('multipart/form-data; boundary=XyZ');
		expect(body.toString('utf8')).toBe(
			'--XyZ\r\nContent-Disposition: form-data; name="number"\r\n\r\n55\r\n' +
				'--XyZ\r\nContent-Disposition: form-data; name="medias"; filename="a %22b%22.txt"\r\nContent-Type: text/plain\r\n\r\nhi\r\n--XyZ--\r\n',
		);
	});
});
