/** normalizeDelivery's contract around the normalizers: detection, options, raw, unknown bodies, media. */
import { readFileSync } from 'fs';
import { join } from 'path';

import { detectSource, isWhazingTestPing as isTestPing, normalizeDelivery, sanitize } from '../../../nodes/lib/normalize';
import { inlineMediaOf, mediaUrlOf } from '../../../nodes/lib/normalize/media';
import { normalizedItemSchema } from '../../../nodes/lib/model/item';
import { phoneOf } from '../../../nodes/lib/normalize/read/jid';
import { boolOf, numberOf } from '../../../nodes/lib/normalize/read/scalars';
import { isoFromEpoch } from '../../../nodes/lib/normalize/read/time';
import { whaticketMediaUrl } from '../../../nodes/lib/normalize/whaticket';

function fixture(path: string): Record<string, unknown> {
	return JSON.parse(readFileSync(join(__dirname, '..', '..', 'fixtures', path), 'utf8')) as Record<string, unknown>;
}

describe('detectSource', () => {
	it.each([
		['evolution/messages.upsert.v2.json', 'evolution'],
		['evolution/remove.instance.v2.json', 'evolution'],
		['evolution/error.v2.json', 'evolution'],
		['whazing/message.received.v2.16.json', 'whazing'],
		['whazing/ClosedTicket.v2.16.json', 'whazing'],
		['whazing/test-ping.v3.json', 'whazing'],
		['whazing/message.received.v2024-queue.json', 'whazing'],
		['whaticket/start.saas.json', 'whaticket'],
		['whaticket/tag-sync.saas.json', 'whaticket'],
		['whaticket/fila-data-lowercase.saas.json', 'whaticket'],
		['whaticket/status-closed.saas.json', 'whaticket'],
		// hookMessage carries messageId like a Whazing message: its type decides first.
		['izing/hookMessage.json', 'izing'],
		['whaticket/end.saas.json', 'whaticket'],
		['whaticket/start-older.saas.json', 'whaticket'],
		['whaticket/raw-baileys.saas.json', 'whaticket'],
		['izing/hookMessageStatus.json', 'izing'],
		['izing/hookSessionStatus.json', 'izing'],
	])('%s → %s', (path, source) => {
		expect(detectSource(fixture(path))).toBe(source);
	});

	it.each([[null], [[]], ['text'], [42], [{}], [{ hello: 'world' }], [{ event: 'messages.upsert' }]])('%j → unknown', (body) => {
		expect(detectSource(body)).toBe('unknown');
	});

	it('an Izing hook is read when the source is set to Whazing (its fork), not when set to Whaticket SaaS', () => {
		expect(normalizeDelivery(fixture('izing/hookMessageStatus.json'), { source: 'whazing' })[0]).toMatchObject({ source: 'izing', event: 'message.updated' });
		expect(normalizeDelivery(fixture('izing/hookMessageStatus.json'), { source: 'whaticket' })[0]).toMatchObject({ source: 'unknown', reason: 'The body looks like a delivery from Izing, not from Whaticket SaaS' });
		expect(detectSource({ type: 'hookSomethingElse', messageId: 'X' })).toBe('whazing');
	});

	it('reads Whaticket keys whatever their casing (ACAO, ChamadoID)', () => {
		expect(detectSource({ ACAO: 'start', ChamadoID: 1 })).toBe('whaticket');
		expect(detectSource({ Action: 'TAG-SYNC' })).toBe('whaticket');
		const [item] = normalizeDelivery({ ACAO: 'end', Mensagem: 'SAIR', SENDER: '5521977776666', chamadoid: 912, Chamado: { id: 912 } });
		expect(item).toMatchObject({ event: 'ticket.closed', message: { text: 'SAIR', fromMe: false }, ticket: { id: '912', status: 'closed' }, chat: { phone: '5521977776666' } });
	});
});

describe('normalizeDelivery', () => {
	it('answers one unknown item with a reason and the sanitized body for a body it cannot read', () => {
		const [item] = normalizeDelivery({ hello: 'world', apikey: 'SECRET-1' });
		expect(item).toMatchObject({ source: 'unknown', event: 'unknown', raw: { hello: 'world' } });
		expect(item.reason).toMatch(/does not look like a delivery/);
		expect(JSON.stringify(item)).not.toContain('SECRET-1');
	});

	it.each([[null], [[1, 2]], ['text'], [7], [undefined]])('never throws on %j and says what the body is', (body) => {
		const items = normalizeDelivery(body);
		expect(items).toHaveLength(1);
		expect(items[0].event).toBe('unknown');
		expect(items[0].reason).toMatch(/not a JSON object/);
	});

	it('yields nothing for the Whazing test ping', () => {
		const ping = fixture('whazing/test-ping.v3.json');
		expect(isTestPing(ping)).toBe(true);
		expect(normalizeDelivery(ping)).toEqual([]);
		expect(isTestPing(fixture('whazing/message.received.v2.16.json'))).toBe(false);
	});

	it('refuses a body of another source than the one configured, saying which it looks like', () => {
		const [item] = normalizeDelivery(fixture('evolution/messages.upsert.v2.json'), { source: 'whazing' });
		expect(item.event).toBe('unknown');
		expect(item.reason).toBe('The body looks like a delivery from Evolution API, not from Whazing');
	});

	it('folds array payloads into one item when splitArrays is false', () => {
		const body = fixture('evolution/messages.set.v2.json');
		const split = normalizeDelivery(body);
		const [folded, ...rest] = normalizeDelivery(body, { splitArrays: false });
		expect(rest).toEqual([]);
		expect(folded).toMatchObject({ source: 'evolution', event: 'message.history', originalEvent: 'messages.set', instance: 'inst1', message: null });
		expect(folded.details).toEqual({ count: 3, items: split });
		expect(normalizedItemSchema.safeParse(folded).success).toBe(true);
	});

	it('attaches the sanitized envelope with the matching element as raw, per item', () => {
		const body = fixture('evolution/messages.set.v2.json');
		const items = normalizeDelivery(body, { includeRaw: true });
		const data = body.data as unknown[];
		items.forEach((item, index) => {
			expect(item.raw).toEqual({ event: 'messages.set', instance: 'inst1', data: data[index], date_time: '2025-06-01T09:00:00.000Z', sender: '5511911112222@s.whatsapp.net', server_url: 'http://localhost:8080' });
		});
	});

	it('strips the secrets from raw: apikey, destination, apiConfig (all but externalKey), whatsapp.webhook', () => {
		const evolution = normalizeDelivery(fixture('evolution/messages.upsert-reply.v2.json'), { includeRaw: true })[0].raw as Record<string, unknown>;
		expect(evolution).not.toHaveProperty('apikey');
		expect(evolution).not.toHaveProperty('destination');
		const whazing = normalizeDelivery(fixture('whazing/message.received-base64.v2.16.json'), { includeRaw: true })[0].raw as { ticket: { apiConfig: unknown } };
		expect(whazing.ticket.apiConfig).toEqual({ externalKey: 'PEDIDO-99812' });
		const whaticket = normalizeDelivery(fixture('whaticket/start.saas.json'), { includeRaw: true })[0].raw as { ticketData: { whatsapp: unknown } };
		expect(whaticket.ticketData.whatsapp).toEqual({ name: 'Comercial', id: 3 });
	});

	it('maps a messages.upsert carrying a protocolMessage edit or revoke to message.edited / message.deleted', () => {
		const key = { remoteJid: '5511988887777@s.whatsapp.net', fromMe: false, id: 'ORIGINAL1' };
		const edit = normalizeDelivery({
			event: 'messages.upsert',
			instance: 'i',
			data: { key: { ...key, id: 'PROTO1' }, message: { protocolMessage: { key, type: 'MESSAGE_EDIT', editedMessage: { conversation: 'fixed' }, timestampMs: '1717430999000' } }, messageTimestamp: 1717430999 },
		});
		expect(edit[0]).toMatchObject({ event: 'message.edited', message: { id: 'ORIGINAL1', text: 'fixed', timestamp: '2024-06-03T16:09:59.000Z' } });
		const revoke = normalizeDelivery({ event: 'messages.upsert', instance: 'i', data: { key: { ...key, id: 'PROTO2' }, message: { protocolMessage: { key, type: 'REVOKE' } } } });
		expect(revoke[0]).toMatchObject({ event: 'message.deleted', message: { id: 'ORIGINAL1', status: 'deleted' } });
	});

	it('reads history wrapped as {messages:[…]} and drops nothing on an empty array', () => {
		const messages = [{ key: { remoteJid: 'x@s.whatsapp.net', id: 'A' } }, { key: { remoteJid: 'x@s.whatsapp.net', id: 'B' } }];
		expect(normalizeDelivery({ event: 'messages.set', instance: 'i', data: { messages, isLatest: true } }).map((item) => item.message?.id)).toEqual(['A', 'B']);
		expect(normalizeDelivery({ event: 'contacts.upsert', instance: 'i', data: [] })).toEqual([]);
	});

	it('names events the catalog does not know as unknown, keeping the source and original name', () => {
		const [item] = normalizeDelivery({ event: 'messages.reaction', instance: 'i', data: {} });
		expect(item).toMatchObject({ source: 'evolution', event: 'unknown', originalEvent: 'messages.reaction', instance: 'i' });
	});

	it('accepts the by-events spellings of an event name (MESSAGES_UPSERT)', () => {
		const body = { ...fixture('evolution/messages.upsert.v2.json'), event: 'MESSAGES_UPSERT' };
		expect(normalizeDelivery(body)[0]).toMatchObject({ event: 'message.received', originalEvent: 'messages.upsert' });
	});
});

describe('Whazing media classification', () => {
	const base = fixture('whazing/message.received.v2.16.json');
	it.each([
		['chat', 'https://api.x.com:443/public/1.pdf', 'document', 'application/pdf'],
		['', 'https://api.x.com:443/public/2.jpg', 'image', 'image/jpeg'],
		['conversation', 'https://api.x.com:443/public/3.ogg', 'audio', 'audio/ogg'],
		['video', null, 'video', null],
	])('mediaType %j with mediaUrl %j is a %s message', (mediaType, mediaUrl, type, mimetype) => {
		const [item] = normalizeDelivery({ ...base, mediaType, mediaUrl });
		expect(item.message?.type).toBe(type);
		expect(item.message?.media).toEqual({ type, mimetype, fileName: mediaUrl ? mediaUrl.slice(mediaUrl.lastIndexOf('/') + 1) : null, url: mediaUrl, hasBase64: false, ptt: null });
		expect(item.message?.caption).toBe('Oi, meu pedido ainda não chegou');
		expect(item.message?.text).toBeNull();
	});
});

describe('tolerant readers', () => {
	it.each([
		[1717430400, '2024-06-03T16:00:00.000Z'],
		[1717430400123, '2024-06-03T16:00:00.123Z'],
		['1717430400', '2024-06-03T16:00:00.000Z'],
		[{ low: 1717430400, high: 0, unsigned: false }, '2024-06-03T16:00:00.000Z'],
		[0, null],
		[-5, null],
		['soon', null],
		[Number.MAX_VALUE, null],
		[null, null],
	])('isoFromEpoch(%j) = %j', (value, expected) => {
		expect(isoFromEpoch(value)).toBe(expected);
	});

	it.each([
		['5511988887777@s.whatsapp.net', '5511988887777'],
		['5511988887777:12@s.whatsapp.net', '5511988887777'],
		['5511988887777@c.us', '5511988887777'],
		['5511988887777', '5511988887777'],
		['126409561346102@lid', null],
		['120363041234567890@g.us', null],
		['status@broadcast', null],
		['', null],
		[5511988887777, '5511988887777'],
		// Found by the property test: a count or an id in a phone field is not a phone.
		[28, null],
		[1.5, null],
	])('phoneOf(%j) = %j', (value, expected) => {
		expect(phoneOf(value)).toBe(expected);
	});

	it.each([
		[true, true],
		[false, false],
		['true', true],
		['FALSE', false],
		[' false ', false],
		['1', true],
		['0', false],
		[1, true],
		[0, false],
		['yes', null],
		['', null],
		[2, null],
		['truefalse', null],
		[{}, null],
		[null, null],
	])('boolOf(%j) = %j', (value, expected) => {
		expect(boolOf(value)).toBe(expected);
	});

	it.each([
		[12, 12],
		['12', 12],
		['-23.5505', -23.5505],
		[Number.NaN, null],
		[Number.POSITIVE_INFINITY, null],
		['12abc', null],
		['1e400', null],
		['0x1F', null],
		['', null],
		[true, null],
		[null, null],
	])('numberOf(%j) = %j', (value, expected) => {
		expect(numberOf(value)).toBe(expected);
	});

	it('a garbage fromMe stays null (never a guessed direction)', () => {
		const body = fixture('evolution/messages.upsert.v2.json') as { data: { key: Record<string, unknown> } };
		body.data.key.fromMe = 'maybe';
		expect(normalizeDelivery(body)[0].message?.fromMe).toBeNull();
	});
});

describe('media', () => {
	it('finds Evolution base64 beside imageMessage, with the mimetype and a file name from the message id', () => {
		const body = fixture('evolution/messages.upsert-image.v2.json');
		const [item] = normalizeDelivery(body);
		expect(inlineMediaOf(body, item)).toEqual({ base64: '/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAA==', mimetype: 'image/jpeg', fileName: '3EB0A1B2C3D4E5F6A7B8.jpg' });
		expect(mediaUrlOf(item)).toBe('https://s3.example.com/evolution/0b6f8e55/5511988887777@s.whatsapp.net/imageMessage/1717430400_abc.jpeg');
	});

	it('keeps the document file name and Whazing mediaBase64', () => {
		const documentBody = fixture('evolution/messages.upsert-document-caption.v2.json');
		expect(inlineMediaOf(documentBody, normalizeDelivery(documentBody)[0])).toEqual({ base64: 'JVBERi0xLjQKJcOkw7zDtsOfCg==', mimetype: 'application/pdf', fileName: 'boleto.pdf' });
		const whazing = fixture('whazing/message.received-base64.v2.16.json');
		expect(inlineMediaOf(whazing, normalizeDelivery(whazing)[0])).toEqual({ base64: 'T2dnUwACAAAAAAAAAAA=', mimetype: 'audio/ogg', fileName: '1767262900456.ogg' });
	});

	it('takes the mimetype from a data: URL prefix and strips it', () => {
		const body = { event: 'messages.upsert', instance: 'i', data: { key: { remoteJid: 'x@s.whatsapp.net', id: 'M1' }, message: { stickerMessage: {}, base64: 'data:image/webp;base64,UklGRg==' } } };
		expect(inlineMediaOf(body, normalizeDelivery(body)[0])).toEqual({ base64: 'UklGRg==', mimetype: 'image/webp', fileName: 'M1.webp' });
	});

	it('is null when the delivery carried no file', () => {
		const body = fixture('evolution/messages.upsert-ptv.v2.json');
		expect(inlineMediaOf(body, normalizeDelivery(body)[0])).toBeNull();
		const text = fixture('evolution/messages.upsert.v2.json');
		expect(inlineMediaOf(text, normalizeDelivery(text)[0])).toBeNull();
	});

	it.each([
		['https://api.x.com', 'public/company1', 'a.pdf', 'https://api.x.com/public/company1/a.pdf'],
		['https://api.x.com/', '/public/company1/', 'a b.pdf', 'https://api.x.com/public/company1/a%20b.pdf'],
		['https://api.x.com', 'company1', 'a.pdf', 'https://api.x.com/public/company1/a.pdf'],
		['https://api.x.com', null, 'a.pdf', 'https://api.x.com/public/a.pdf'],
		[null, 'public/company1', 'a.pdf', null],
		['https://api.x.com', 'public/company1', null, null],
		['javascript:alert(1)', 'public', 'a.pdf', null],
	])('whaticketMediaUrl(%j, %j, %j) = %j', (backendUrl, folder, name, expected) => {
		expect(whaticketMediaUrl(backendUrl, folder, name)).toBe(expected);
	});
});

describe('sanitize', () => {
	it('removes secret keys at any depth and shares untouched subtrees', () => {
		const untouched = { a: [1, 2, { b: 'c' }] };
		const body = { untouched, nested: { deeper: { Token: 'T', apiKey: 'K', keep: 1 } }, destination: 'https://x/?token=S', list: [{ password: 'P' }] };
		const clean = sanitize(body);
		expect(clean).toEqual({ untouched, nested: { deeper: { keep: 1 } }, list: [{}] });
		expect(clean.untouched).toBe(untouched);
		expect(body.nested.deeper.Token).toBe('T');
	});

	it('keeps a nested `destination` (only the Evolution envelope one is our URL)', () => {
		expect(sanitize({ data: { destination: 'Rua A' } })).toEqual({ data: { destination: 'Rua A' } });
	});

	it('drops subtrees nested deeper than any real payload', () => {
		let deep: Record<string, unknown> = { apikey: 'DEEP-SECRET' };
		for (let level = 0; level < 5000; level++) deep = { next: deep };
		expect(JSON.stringify(sanitize(deep))).not.toContain('DEEP-SECRET');
	});
});
