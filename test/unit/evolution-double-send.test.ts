/** The double's message and chat routes answer like each Evolution version (bodies by hand from upstream). */
import { EvolutionDouble, type DoubleDialect } from '../support/evolution-double';

const doubles: EvolutionDouble[] = [];
afterEach(async () => {
	for (const double of doubles.splice(0)) await double.stop();
});

async function start(dialect: DoubleDialect, version?: string, status: 'open' | 'close' = 'open'): Promise<EvolutionDouble> {
	const double = new EvolutionDouble({ dialect, version, instances: [{ name: 'inst1', token: 'tok', connectionStatus: status }], send: { notOnWhatsApp: ['5511900000000'] } });
	doubles.push(double);
	await double.start();
	return double;
}

async function call(double: EvolutionDouble, method: string, route: string, body: unknown, apikey = double.globalKey) {
	const response = await fetch(`${double.baseUrl}/${route}/inst1`, { method, headers: { 'content-type': 'application/json', apikey }, body: JSON.stringify(body) });
	const text = await response.text();
	return { status: response.status, body: text === '' ? undefined : (JSON.parse(text) as Record<string, unknown>) };
}

const message = (answer: { body?: Record<string, unknown> }) => (answer.body?.response as Record<string, unknown> | undefined)?.message;

describe('v1 (1.8.2)', () => {
	it('accepts the nested text body and answers a WAMessage with a string timestamp', async () => {
		const double = await start('v1');
		const answer = await call(double, 'POST', 'message/sendText', { number: '5511988887777', textMessage: { text: 'Olá' } });
		expect(answer.status).toBe(201);
		expect(answer.body).toMatchObject({ key: { remoteJid: '5511988887777@s.whatsapp.net', fromMe: true }, message: { extendedTextMessage: { text: 'Olá' } }, status: 'PENDING' });
		expect(typeof answer.body?.messageTimestamp).toBe('string');
		expect(double.sendRoutes.receivedOn('message/sendText')).toHaveLength(1);
	});

	it.each([
		['message/sendText', { number: '5511988887777', text: 'Olá' }, 'instance requires property "textMessage"'],
		['message/sendMedia', { number: '5511988887777', mediatype: 'image', media: 'https://x.example/a.png' }, 'instance requires property "mediaMessage"'],
		['message/sendReaction', { key: { id: 'a', remoteJid: 'b', fromMe: false }, reaction: '👍' }, 'instance requires property "reactionMessage"'],
		['chat/sendPresence', { number: '5511988887777', presence: 'composing', delay: 1 }, 'instance requires property "options"'],
		['message/sendText', { number: 5511988887777, textMessage: { text: 'x' } }, 'Invalid format'],
		['message/sendText', { number: '55', textMessage: { text: '' } }, 'The "text" cannot be empty'],
		['message/sendText', { number: '55', textMessage: { text: 'x' }, options: { delay: '1200' } }, 'Enter a value in milliseconds'],
	])('%s refuses %j with [[%s]]', async (route, body, text) => {
		const answer = await call(await start('v1'), 'POST', route, body);
		expect(answer.status).toBe(400);
		expect(message(answer)).toEqual([[text]]);
	});

	it('voice note without options: the 1.8.1 bug', async () => {
		const answer = await call(await start('v1'), 'POST', 'message/sendWhatsAppAudio', { number: '5511988887777', audioMessage: { audio: 'https://x.example/a.ogg' } });
		expect(answer).toEqual({ status: 500, body: { status: 500, error: 'Internal Server Error', response: { message: "Cannot set properties of undefined (setting 'encoding')" } } });
	});

	it('reaction removal and words are refused; read is PUT only; presence 404 on 1.5', async () => {
		const double = await start('v1');
		const key = { id: 'a', remoteJid: '5511988887777@s.whatsapp.net', fromMe: false };
		expect(message(await call(double, 'POST', 'message/sendReaction', { reactionMessage: { key, reaction: '' } }))).toEqual(['"reaction" must be an emoji']);
		expect((await call(double, 'POST', 'chat/markMessageAsRead', { read_messages: [key] })).status).toBe(404);
		expect(await call(double, 'PUT', 'chat/markMessageAsRead', { read_messages: [key] })).toEqual({ status: 201, body: { message: 'Read messages', read: 'success' } });
		expect(await call(double, 'POST', 'chat/sendPresence', { number: '5511988887777', options: { presence: 'composing', delay: 10 } })).toEqual({ status: 201, body: undefined });
		const old = await start('v1', '1.5.4');
		expect(message(await call(old, 'POST', 'chat/sendPresence', { number: '55', options: { presence: 'composing', delay: 1 } }))).toEqual(['Cannot POST /chat/sendPresence/inst1']);
	});

	it('1.5 rewrites a LID into a wrong phone JID; 1.6+ cannot confirm it', async () => {
		const old = await call(await start('v1', '1.5.4'), 'POST', 'message/sendText', { number: '126409561346102@lid', textMessage: { text: 'x' } });
		expect(old.body).toMatchObject({ key: { remoteJid: '126409561346102@s.whatsapp.net' } });
		const newer = await call(await start('v1'), 'POST', 'message/sendText', { number: '126409561346102@lid', textMessage: { text: 'x' } });
		expect(newer).toMatchObject({ status: 400, body: { response: { message: [{ exists: false, jid: '126409561346102@lid', number: '126409561346102@lid' }] } } });
	});
});

describe('v2', () => {
	it.each([
		['v2.0', '2.0.10'],
		['v2.1', '2.2.3'],
	] as const)('%s: flat bodies, "Text is required", no reaction removal, LID not on WhatsApp', async (dialect, version) => {
		const double = await start(dialect, version);
		expect(message(await call(double, 'POST', 'message/sendText', { number: '55', textMessage: { text: 'x' } }))).toEqual([['instance requires property "text"']]);
		expect(message(await call(double, 'POST', 'message/sendText', { number: '5511988887777', text: '  ' }))).toEqual(['Text is required']);
		const key = { id: 'a', remoteJid: '5511988887777@s.whatsapp.net', fromMe: false };
		expect(message(await call(double, 'POST', 'message/sendReaction', { key, reaction: '' }))).toEqual(['"reaction" must be an emoji']);
		expect((await call(double, 'PUT', 'chat/markMessageAsRead', { readMessages: [key] })).status).toBe(404);
		expect((await call(double, 'POST', 'chat/markMessageAsRead', { readMessages: [key] })).status).toBe(201);
		expect((await call(double, 'POST', 'message/sendText', { number: '126409561346102@lid', text: 'x' })).status).toBe(400);
		expect(await call(double, 'POST', 'chat/sendPresence', { number: '5511988887777', presence: 'composing', delay: 5 })).toEqual({ status: 201, body: { presence: 'composing' } });
	});

	it('2.3: reaction "" removes, words are refused with the new sentence, LIDs are sent to', async () => {
		const double = await start('v2.3');
		const key = { id: 'a', remoteJid: '5511988887777@s.whatsapp.net', fromMe: false };
		expect((await call(double, 'POST', 'message/sendReaction', { key, reaction: '' })).status).toBe(201);
		expect(message(await call(double, 'POST', 'message/sendReaction', { key, reaction: 'ok' }))).toEqual(['Reaction must be a single emoji or empty string']);
		expect((await call(double, 'POST', 'message/sendText', { number: '126409561346102@lid', text: 'x' })).body).toMatchObject({ key: { remoteJid: '126409561346102@lid' }, messageType: 'conversation' });
	});

	it('a number not on WhatsApp answers exists:false', async () => {
		const answer = await call(await start('v2.1'), 'POST', 'message/sendText', { number: '5511900000000', text: 'x' });
		expect(message(answer)).toEqual([{ exists: false, jid: '5511900000000@s.whatsapp.net', number: '5511900000000' }]);
	});
});

describe('not connected, auth and guards', () => {
	it.each([
		['message/sendText', 'POST', { number: '55', textMessage: { text: 'x' } }, 500, 'Connection Closed'],
		['message/sendMedia', 'POST', { number: '55', mediaMessage: { mediatype: 'image', media: 'https://x.example/a.png' } }, 500, ['Error: Connection Closed']],
		['chat/sendPresence', 'POST', { number: '55', options: { presence: 'composing', delay: 1 } }, 400, ['Error: Connection Closed']],
		['chat/markMessageAsRead', 'PUT', { read_messages: [{ id: 'a', fromMe: false, remoteJid: 'b' }] }, 500, ['Read messages fail', 'Error: Connection Closed']],
	])('%s on a closed 1.8 instance', async (route, method, body, status, text) => {
		const answer = await call(await start('v1', '1.8.1', 'close'), method, route, body);
		expect(answer.status).toBe(status);
		expect(message(answer)).toEqual(text);
	});

	it('validation runs before the connection failure; 404 before 401; instance token accepted', async () => {
		const double = await start('v1', '1.8.1', 'close');
		expect(message(await call(double, 'POST', 'message/sendText', { number: '55' }))).toEqual([['instance requires property "textMessage"']]);
		const open = await start('v2.1');
		const unknown = await fetch(`${open.baseUrl}/message/sendText/nope`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
		expect(unknown.status).toBe(404);
		expect((await call(open, 'POST', 'message/sendText', { number: '5511988887777', text: 'x' }, 'wrong')).status).toBe(401);
		expect((await call(open, 'POST', 'message/sendText', { number: '5511988887777', text: 'x' }, 'tok')).status).toBe(201);
	});
});
