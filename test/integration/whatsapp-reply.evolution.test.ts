/**
 * The WhatsApp Reply node through n8n-core's real ExecuteContext (NodeHost), answering normalized
 * fixture items over real HTTP against the Evolution double of each version. Expected bodies are
 * written by hand from the upstream DTOs (v1 nested + options, v2 flat) and the 1.8.1 runs.
 */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { EvolutionApi } from '../../credentials/EvolutionApi.credentials';
import { HelpdeskApi } from '../../credentials/HelpdeskApi.credentials';
import type { NormalizedItem } from '../../nodes/lib/model/item';
import { WhatsAppReply } from '../../nodes/WhatsAppReply/WhatsAppReply.node';
import { EvolutionDouble, type DoubleDialect } from '../support/evolution-double';
import { NodeHost, type NodeSettings } from '../support/node-host';
import { GROUP, IMAGE, LID_WITH_PHONE, lidOnly, normalizedFixture, PERSON } from '../support/reply-fixtures';

const hosts: NodeHost[] = [];
const doubles: EvolutionDouble[] = [];
afterEach(async () => {
	for (const host of hosts.splice(0)) await host.close();
	for (const double of doubles.splice(0)) await double.stop();
});

const PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

async function start(dialect: DoubleDialect, version: string, status: 'open' | 'close' = 'open'): Promise<EvolutionDouble> {
	const double = new EvolutionDouble({
		dialect,
		version,
		instances: [{ name: 'inst1', token: 'inst1-token', connectionStatus: status }],
		send: { notOnWhatsApp: ['5511900000000'], storedMessages: { '3EB0A1B2C3D4E5F6A7B8': { mediaType: 'imageMessage', mimetype: 'image/png', fileName: 'foto.png', base64: PNG_BASE64 } } },
	});
	doubles.push(double);
	await double.start();
	return double;
}

async function hostFor(double: EvolutionDouble, parameters: INodeParameters, apiKey = double.globalKey, nodeSettings?: NodeSettings): Promise<NodeHost> {
	const host = await NodeHost.create({
		nodeType: new WhatsAppReply(),
		parameters,
		credentials: { evolutionApi: { baseUrl: double.baseUrl, apiKey } },
		credentialTypes: [new EvolutionApi(), new HelpdeskApi()],
		nodeSettings,
	});
	hosts.push(host);
	return host;
}

const asInput = (item: NormalizedItem, binary?: INodeExecutionData['binary']): INodeExecutionData => ({ json: item as unknown as IDataObject, ...(binary ? { binary } : {}) });

async function run(double: EvolutionDouble, parameters: INodeParameters, items: INodeExecutionData[], nodeSettings?: NodeSettings): Promise<INodeExecutionData[]> {
	const host = await hostFor(double, parameters, double.globalKey, nodeSettings);
	const output = await host.execute(items);
	return output![0];
}

async function failure(double: EvolutionDouble, parameters: INodeParameters, items: INodeExecutionData[], apiKey?: string): Promise<Error & { description?: string }> {
	const host = await hostFor(double, parameters, apiKey);
	try {
		await host.execute(items);
	} catch (error) {
		return error as Error & { description?: string };
	}
	throw new Error('expected the execution to fail');
}

const sends = (double: EvolutionDouble) => double.sendRoutes.received.map((entry) => ({ method: entry.method, route: entry.route, body: entry.body }));

interface VersionCase {
	dialect: DoubleDialect;
	version: string;
	v1: boolean;
	presence: boolean;
	removesReaction: boolean;
	sendsToLid: boolean;
}

const VERSIONS: VersionCase[] = [
	{ dialect: 'v1', version: '1.5.4', v1: true, presence: false, removesReaction: false, sendsToLid: false },
	{ dialect: 'v1', version: '1.8.1', v1: true, presence: true, removesReaction: false, sendsToLid: false },
	{ dialect: 'v2.0', version: '2.0.10', v1: false, presence: true, removesReaction: false, sendsToLid: false },
	{ dialect: 'v2.1', version: '2.2.3', v1: false, presence: true, removesReaction: false, sendsToLid: false },
	{ dialect: 'v2.3', version: '2.3.6', v1: false, presence: true, removesReaction: true, sendsToLid: true },
];

const KEY = { id: '3EB0C431C2A8F5D2E1B7', remoteJid: '5511988887777@s.whatsapp.net', fromMe: false };

describe.each(VERSIONS)('Evolution $version', (version) => {
	it('Send Text quoting the message, with typing delay: the exact body, the sent id in the output', async () => {
		const double = await start(version.dialect, version.version);
		const [out] = await run(double, { operation: 'sendText', text: 'Olá, Maria!', quote: true, options: { delay: 1200 } }, [asInput(normalizedFixture(PERSON))]);
		const quoted = { key: KEY, message: { conversation: 'Hello there' } };
		const body = version.v1
			? { number: '5511988887777', textMessage: { text: 'Olá, Maria!' }, options: { delay: 1200, presence: 'composing', quoted } }
			: { number: '5511988887777', text: 'Olá, Maria!', delay: 1200, quoted };
		expect(sends(double)).toEqual([{ method: 'POST', route: 'message/sendText', body }]);
		expect(double.sendRoutes.received[0].headers.apikey).toBe(double.globalKey);
		expect(out.json.reply).toMatchObject({ operation: 'sendText', status: 'sent', source: 'evolution', instance: 'inst1', recipient: '5511988887777', messageId: expect.stringMatching(/^BAE5/) });
		expect(out.pairedItem).toEqual({ item: 0 });
	});

	it('Send Media from binary data (raw base64, file name, mimetype, caption)', async () => {
		const double = await start(version.dialect, version.version);
		const binary = { data: { data: PNG_BASE64, mimeType: 'image/png', fileName: 'catalogo.png', fileExtension: 'png' } };
		await run(double, { operation: 'sendMedia', mediaType: 'image', mediaSource: 'binary', binaryProperty: 'data', caption: 'Nosso catálogo' }, [asInput(normalizedFixture(PERSON), binary)]);
		const media = { mediatype: 'image', media: PNG_BASE64, caption: 'Nosso catálogo', fileName: 'catalogo.png', mimetype: 'image/png' };
		expect(sends(double)).toEqual([{ method: 'POST', route: 'message/sendMedia', body: version.v1 ? { number: '5511988887777', mediaMessage: media } : { number: '5511988887777', ...media } }]);
	});

	it('Send Voice Note from a URL (v1 always with options, the 1.8.1 trap)', async () => {
		const double = await start(version.dialect, version.version);
		await run(double, { operation: 'sendVoice', mediaSource: 'url', mediaUrl: 'https://cdn.example.com/resposta.ogg' }, [asInput(normalizedFixture(PERSON))]);
		const body = version.v1
			? { number: '5511988887777', options: { encoding: true }, audioMessage: { audio: 'https://cdn.example.com/resposta.ogg' } }
			: { number: '5511988887777', audio: 'https://cdn.example.com/resposta.ogg', encoding: true };
		expect(sends(double)).toEqual([{ method: 'POST', route: 'message/sendWhatsAppAudio', body }]);
	});

	it('React in a group names the participant; removing is refused before 2.3', async () => {
		const double = await start(version.dialect, version.version);
		await run(double, { operation: 'react', reaction: '👍' }, [asInput(normalizedFixture(GROUP))]);
		const key = { id: '3A5F0C9B1E2D4F6A8B7C', remoteJid: '120363041234567890@g.us', fromMe: false, participant: '5511977776666@s.whatsapp.net' };
		expect(sends(double)).toEqual([{ method: 'POST', route: 'message/sendReaction', body: version.v1 ? { reactionMessage: { key, reaction: '👍' } } : { key, reaction: '👍' } }]);
		double.sendRoutes.received.length = 0;
		if (version.removesReaction) {
			await run(double, { operation: 'react', reaction: '' }, [asInput(normalizedFixture(PERSON))]);
			expect(sends(double)).toEqual([{ method: 'POST', route: 'message/sendReaction', body: { key: KEY, reaction: '' } }]);
		} else {
			const error = await failure(double, { operation: 'react', reaction: '' }, [asInput(normalizedFixture(PERSON))]);
			expect(error.message).toMatch(/cannot remove a reaction \(only 2\.3\.0 and newer/);
			expect(double.sendRoutes.received).toEqual([]);
		}
	});

	it('Show Presence (1.6+), refused on 1.5 before sending', async () => {
		const double = await start(version.dialect, version.version);
		const parameters = { operation: 'presence', presence: 'composing', duration: 50 };
		if (!version.presence) {
			const error = await failure(double, parameters, [asInput(normalizedFixture(PERSON))]);
			expect(error.message).toMatch(/^Evolution API 1\.5\.x has no presence route.*Typing Delay/);
			expect(double.sendRoutes.received).toEqual([]);
			return;
		}
		const [out] = await run(double, parameters, [asInput(normalizedFixture(PERSON))]);
		const body = version.v1 ? { number: '5511988887777', options: { presence: 'composing', delay: 50 } } : { number: '5511988887777', presence: 'composing', delay: 50 };
		expect(sends(double)).toEqual([{ method: 'POST', route: 'chat/sendPresence', body }]);
		expect(out.json.reply).toMatchObject({ operation: 'presence', status: 'done' });
	});

	it('Mark as Read: PUT read_messages on v1, POST readMessages on v2', async () => {
		const double = await start(version.dialect, version.version);
		await run(double, { operation: 'markRead' }, [asInput(normalizedFixture(PERSON))]);
		expect(sends(double)).toEqual([
			version.v1 ? { method: 'PUT', route: 'chat/markMessageAsRead', body: { read_messages: [KEY] } } : { method: 'POST', route: 'chat/markMessageAsRead', body: { readMessages: [KEY] } },
		]);
	});

	it('Download Media: the file as binary, the item JSON kept for a later reply', async () => {
		const double = await start(version.dialect, version.version);
		const item = normalizedFixture(IMAGE);
		const [out] = await run(double, { operation: 'downloadMedia', outputBinary: 'foto' }, [asInput(item)]);
		expect(sends(double)).toEqual([{ method: 'POST', route: 'chat/getBase64FromMediaMessage', body: { message: { key: { id: '3EB0A1B2C3D4E5F6A7B8' } }, convertToMp4: false } }]);
		expect(out.json).toEqual(item);
		expect(out.binary?.foto).toMatchObject({ mimeType: 'image/png', fileName: 'foto.png', data: PNG_BASE64 });
	});

	it('LID chats: the phone when known; a LID-only chat only on 2.3', async () => {
		const double = await start(version.dialect, version.version);
		await run(double, { operation: 'sendText', text: 'Oi' }, [asInput(normalizedFixture(LID_WITH_PHONE))]);
		expect((double.sendRoutes.received[0].body as IDataObject).number).toBe('5511988887777');
		double.sendRoutes.received.length = 0;
		const lid = asInput(lidOnly(normalizedFixture(LID_WITH_PHONE)));
		if (version.sendsToLid) {
			await run(double, { operation: 'sendText', text: 'Oi' }, [lid]);
			expect((double.sendRoutes.received[0].body as IDataObject).number).toBe('126409561346102@lid');
		} else {
			const error = await failure(double, { operation: 'sendText', text: 'Oi' }, [lid]);
			expect(error.message).toMatch(/known only by its LID/);
			expect(double.sendRoutes.received).toEqual([]);
		}
		const read = await failure(double, { operation: 'markRead' }, [lid]);
		expect(read.message).toMatch(/drops read receipts for LID chats/);
	});

	it('each error class becomes its sentence, with the server text in the description', async () => {
		const closed = await start(version.dialect, version.version, 'close');
		const notConnected = await failure(closed, { operation: 'sendText', text: 'Oi' }, [asInput(normalizedFixture(PERSON))]);
		expect(notConnected.message).toBe('The instance "inst1" is not connected to WhatsApp');
		expect(notConnected.description).toMatch(/Connection Closed/);

		const double = await start(version.dialect, version.version);
		const notOnWhatsApp = await failure(double, { operation: 'sendText', text: 'Oi', replyTo: 'manual', channel: 'evolution', instance: 'inst1', recipient: '+55 11 90000-0000' }, [{ json: {} }]);
		expect(notOnWhatsApp.message).toBe('The number 5511900000000 is not on WhatsApp');

		const missing = await failure(double, { operation: 'sendText', text: 'Oi' }, [asInput(normalizedFixture(PERSON, { instance: 'ghost' }))]);
		expect(missing.message).toBe('The instance "ghost" does not exist on the server');

		const wrongKey = await failure(double, { operation: 'sendText', text: 'Oi' }, [asInput(normalizedFixture(PERSON))], 'wrong-key');
		expect(wrongKey.message).toBe('The server refused the API key for instance "inst1"');

		// A dialect forced wrong by hand: the server's validation answer, explained.
		const forced = version.v1 ? 'v2.1' : 'v1';
		const validation = await failure(double, { operation: 'sendText', text: 'Oi', options: { serverVersion: forced } }, [asInput(normalizedFixture(PERSON))]);
		expect(validation.message).toMatch(/^The server rejected the request: the body is in the wrong format for this server version/);
		expect(validation.description).toMatch(/instance requires property/);
	});
});

describe('items, manual mode and continueOnFail', () => {
	it('passes the item on with the outcome under "reply": typing → answer → read needs no expressions', async () => {
		const double = await start('v1', '1.8.1');
		const item = normalizedFixture(PERSON);
		let items = [asInput(item)];
		for (const parameters of [{ operation: 'presence', duration: 20 }, { operation: 'sendText', text: 'Já vou ver!', quote: true }, { operation: 'markRead' }]) {
			items = await run(double, parameters, items);
			expect(items[0].json).toMatchObject({ ...item, reply: { operation: parameters.operation } });
		}
		expect(sends(double).map((entry) => `${entry.method} ${entry.route}`)).toEqual(['POST chat/sendPresence', 'POST message/sendText', 'PUT chat/markMessageAsRead']);
	});

	it('answers every item with pairedItem; a failing item becomes an error item under continueOnFail', async () => {
		const double = await start('v2.1', '2.2.3');
		const output = await run(
			double,
			{ operation: 'sendText', text: '={{ "Oi " + $json.chat.name }}' },
			[asInput(normalizedFixture(PERSON)), { json: { source: 'unknown' } }, asInput(normalizedFixture(GROUP))],
			{ continueOnFail: true },
		);
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(output[1].json.error).toMatch(/source "unknown"/);
		expect(sends(double).map((entry) => (entry.body as IDataObject).text)).toEqual(['Oi Maria', 'Oi null']);
	});

	it('manual mode sends to a typed group id with mentions', async () => {
		const double = await start('v1', '1.8.1');
		await run(double, { operation: 'sendText', text: 'Aviso @5511977776666', replyTo: 'manual', channel: 'evolution', instance: 'inst1', recipient: '120363041234567890@g.us', options: { mentioned: '5511977776666' } }, [{ json: {} }]);
		expect(sends(double)).toEqual([
			{ method: 'POST', route: 'message/sendText', body: { number: '120363041234567890@g.us', textMessage: { text: 'Aviso @5511977776666' }, options: { mentions: { everyOne: false, mentioned: ['5511977776666'] } } } },
		]);
	});

	it('refuses items that cannot be answered before asking the server anything', async () => {
		const double = await start('v2.3', '2.3.6');
		const error = await failure(double, { operation: 'markRead', replyTo: 'manual', channel: 'evolution', instance: 'inst1', recipient: '5511988887777' }, [{ json: {} }]);
		expect(error.message).toMatch(/Cannot mark it as read: the item is not an incoming message/);
		expect(double.sendRoutes.received).toEqual([]);
	});

	it('an Evolution item without the Evolution credential names the credential to add', async () => {
		const host = await NodeHost.create({ nodeType: new WhatsAppReply(), parameters: { operation: 'sendText', text: 'Oi' }, credentialTypes: [new EvolutionApi(), new HelpdeskApi()] });
		hosts.push(host);
		await expect(host.execute([asInput(normalizedFixture(PERSON))])).rejects.toThrow('This item comes from Evolution API, and no Evolution API credential is set');
	});
});
