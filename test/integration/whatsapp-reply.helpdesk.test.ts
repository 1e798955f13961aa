/**
 * The WhatsApp Reply node answering Whazing, Izing and Whaticket SaaS items through n8n-core's real
 * ExecuteContext, over real HTTP against the helpdesk doubles: exact route, auth header and body,
 * refusals before sending, error sentences.
 */
import { CredentialTestContext } from 'n8n-core';
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { EvolutionApi } from '../../credentials/EvolutionApi.credentials';
import { HelpdeskApi } from '../../credentials/HelpdeskApi.credentials';
import type { NormalizedItem } from '../../nodes/lib/model/item';
import { WhatsAppReply } from '../../nodes/WhatsAppReply/WhatsAppReply.node';
import { HelpdeskDouble, type HelpdeskDoubleOptions, type HelpdeskProductName } from '../support/helpdesk-double';
import { NodeHost } from '../support/node-host';
import { installN8nRuntime } from '../support/node-host/n8n-runtime';
import { normalizedFixture, WHATICKET_TEXT, WHAZING_MEDIA, WHAZING_TEXT } from '../support/reply-fixtures';

const hosts: NodeHost[] = [];
const doubles: HelpdeskDouble[] = [];
afterEach(async () => {
	for (const host of hosts.splice(0)) await host.close();
	for (const double of doubles.splice(0)) await double.stop();
});

const PDF = Buffer.from('%PDF-1.4 boleto');
const TOKEN = 'send-token-123';

async function start(product: HelpdeskProductName, extra: Partial<HelpdeskDoubleOptions> = {}): Promise<HelpdeskDouble> {
	const double = new HelpdeskDouble({ product, token: TOKEN, apiId: 'a1b2', notOnWhatsApp: ['5511900000000'], publicFiles: { 'boleto.pdf': { mimetype: 'application/pdf', data: PDF } }, ...extra });
	doubles.push(double);
	await double.start();
	return double;
}

async function hostFor(double: HelpdeskDouble, parameters: INodeParameters, credential: Partial<{ product: string; token: string; apiId: string }> = {}): Promise<NodeHost> {
	const host = await NodeHost.create({
		nodeType: new WhatsAppReply(),
		parameters,
		credentials: { helpdeskApi: { product: double.options.product, baseUrl: `${double.baseUrl}/`, token: TOKEN, apiId: 'a1b2', ...credential } },
		credentialTypes: [new EvolutionApi(), new HelpdeskApi()],
	});
	hosts.push(host);
	return host;
}

const asInput = (item: NormalizedItem, binary?: INodeExecutionData['binary']): INodeExecutionData => ({ json: item as unknown as IDataObject, ...(binary ? { binary } : {}) });

async function run(double: HelpdeskDouble, parameters: INodeParameters, items: INodeExecutionData[], credential?: Partial<{ product: string; token: string; apiId: string }>): Promise<INodeExecutionData[]> {
	const output = await (await hostFor(double, parameters, credential)).execute(items);
	return output![0];
}

async function failure(double: HelpdeskDouble, parameters: INodeParameters, items: INodeExecutionData[], credential?: Partial<{ product: string; token: string; apiId: string }>): Promise<Error & { description?: string }> {
	try {
		await (await hostFor(double, parameters, credential)).execute(items);
	} catch (error) {
		return error as Error & { description?: string };
	}
	throw new Error('expected the execution to fail');
}

const sendsOf = (double: HelpdeskDouble) => double.received.filter((entry) => entry.method === 'POST');

describe.each(['whazing', 'izing'] as const)('%s external API', (product) => {
	it('Send Text: POST /v1/api/external/{apiId}, Bearer token, body + number + the ticket\'s externalKey', async () => {
		const double = await start(product);
		const [out] = await run(double, { operation: 'sendText', text: 'Oi Maria, seu pedido saiu hoje.' }, [asInput(normalizedFixture(WHAZING_TEXT))]);
		const [received] = sendsOf(double);
		expect(received.path).toBe('/v1/api/external/a1b2');
		expect(received.headers.authorization).toBe(`Bearer ${TOKEN}`);
		expect(received.body).toEqual({ body: 'Oi Maria, seu pedido saiu hoje.', number: '5511988887777', externalKey: 'PEDIDO-99812' });
		expect(out.json.reply).toMatchObject({ operation: 'sendText', status: 'queued', source: 'whazing', recipient: '5511988887777', response: { message: 'Message add queue' } });
	});

	it('Send Media: a URL as JSON mediaUrl, binary data as multipart "media"', async () => {
		const double = await start(product);
		await run(double, { operation: 'sendMedia', mediaType: 'document', mediaSource: 'url', mediaUrl: 'https://cdn.example.com/boleto.pdf', caption: 'Seu boleto' }, [asInput(normalizedFixture(WHAZING_TEXT))]);
		expect(sendsOf(double)[0].body).toEqual({ body: 'Seu boleto', number: '5511988887777', externalKey: 'PEDIDO-99812', mediaUrl: 'https://cdn.example.com/boleto.pdf' });
		const binary = { data: { data: PDF.toString('base64'), mimeType: 'application/pdf', fileName: 'boleto.pdf' } };
		await run(double, { operation: 'sendMedia', mediaType: 'document', mediaSource: 'binary' }, [asInput(normalizedFixture(WHAZING_TEXT), binary)]);
		const second = sendsOf(double)[1];
		expect(second.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
		expect(second.body).toEqual({ body: ' ', number: '5511988887777', externalKey: 'PEDIDO-99812' });
		expect(second.files.map((file) => ({ field: file.field, fileName: file.fileName, mimetype: file.mimetype, data: file.data.toString() }))).toEqual([
			{ field: 'media', fileName: 'boleto.pdf', mimetype: 'application/pdf', data: '%PDF-1.4 boleto' },
		]);
	});

	it('generates an externalKey when the ticket has none; an option overrides it', async () => {
		const double = await start(product);
		const item = normalizedFixture(WHAZING_MEDIA);
		await run(double, { operation: 'sendText', text: 'Oi' }, [asInput(item)]);
		expect(sendsOf(double)[0].body?.externalKey).toMatch(/^n8n-[0-9a-f-]{36}$/);
		await run(double, { operation: 'sendText', text: 'Oi', options: { externalKey: 'CRM-42' } }, [asInput(item)]);
		expect(sendsOf(double)[1].body?.externalKey).toBe('CRM-42');
	});

	it.each([
		[{ operation: 'react', reaction: '👍' }, /cannot react to messages/],
		[{ operation: 'presence', presence: 'composing', duration: 10 }, /cannot show "typing…"/],
		[{ operation: 'markRead' }, /has no read receipts/],
		[{ operation: 'sendVoice', mediaSource: 'url', mediaUrl: 'https://cdn.example.com/a.ogg' }, /has no voice notes.*Send Media with type Audio/],
		[{ operation: 'sendText', text: 'Oi', quote: true }, /cannot quote a message/],
		[{ operation: 'sendText', text: 'Oi', options: { mentionEveryone: true } }, /cannot mention people/],
	])('refuses %j before sending', async (parameters, refusal) => {
		const double = await start(product);
		const error = await failure(double, parameters as INodeParameters, [asInput(normalizedFixture(WHAZING_TEXT))]);
		expect(error.message).toMatch(new RegExp(`^${product === 'izing' ? 'Izing' : 'Whazing'} ${refusal.source}`));
		expect(double.received).toEqual([]);
	});

	it('Download Media GETs the URL the webhook carried', async () => {
		const double = await start(product);
		const item = normalizedFixture(WHAZING_MEDIA);
		const withUrl = { ...item, message: { ...item.message!, media: { ...item.message!.media!, url: `${double.baseUrl}/public/boleto.pdf`, mimetype: 'application/pdf', fileName: 'boleto.pdf' } } };
		// The helpdesk double is on this machine: a local media host has to be allow-listed, as a user would.
		const [out] = await run(double, { operation: 'downloadMedia', options: { mediaAllowedHosts: '127.0.0.1' } }, [asInput(withUrl)]);
		expect(double.received.map((entry) => `${entry.method} ${entry.path}`)).toEqual([]);
		expect(out.binary?.data).toMatchObject({ mimeType: 'application/pdf', fileName: 'boleto.pdf', data: PDF.toString('base64') });
		expect(out.json).toEqual(withUrl);
	});

	it('a refused token is a sentence that tells the send token from the trigger token', async () => {
		const double = await start(product);
		const error = await failure(double, { operation: 'sendText', text: 'Oi' }, [asInput(normalizedFixture(WHAZING_TEXT))], { token: 'trigger-token' });
		expect(error.message).toMatch(new RegExp(`^${product === 'izing' ? 'Izing' : 'Whazing'} refused the token \\((401|403)`));
		expect(error.description).toMatch(/not the send token/);
	});
});

describe('Whaticket SaaS', () => {
	it('Send Text: POST /api/messages/send {number, body} with the connection token', async () => {
		const double = await start('whaticket');
		const [out] = await run(double, { operation: 'sendText', text: 'Bom dia João, segue a segunda via.' }, [asInput(normalizedFixture(WHATICKET_TEXT))]);
		const [received] = sendsOf(double);
		expect({ path: received.path, auth: received.headers.authorization, body: received.body }).toEqual({
			path: '/api/messages/send',
			auth: `Bearer ${TOKEN}`,
			body: { number: '5521977776666', body: 'Bom dia João, segue a segunda via.' },
		});
		expect(out.json.reply).toMatchObject({ status: 'sent', source: 'whaticket', response: { mensagem: 'Mensagem enviada' } });
	});

	it('Send Media from a URL: fetched first, then uploaded as multipart "medias"', async () => {
		const double = await start('whaticket');
		await run(
			double,
			{ operation: 'sendMedia', mediaType: 'document', mediaSource: 'url', mediaUrl: `${double.baseUrl}/public/boleto.pdf`, caption: 'Segunda via', options: { mediaAllowedHosts: '127.0.0.1' } },
			[asInput(normalizedFixture(WHATICKET_TEXT))],
		);
		expect(double.received.map((entry) => `${entry.method} ${entry.path}`)).toEqual(['POST /api/messages/send']);
		const [received] = sendsOf(double);
		expect(received.body).toEqual({ number: '5521977776666', body: 'Segunda via' });
		expect(received.files.map((file) => [file.field, file.fileName, file.mimetype, file.data.toString()])).toEqual([['medias', 'boleto.pdf', 'application/pdf', '%PDF-1.4 boleto']]);
	});

	it.each([
		[{ operation: 'markRead' }, /^Whaticket SaaS marks the ticket as read by itself/],
		[{ operation: 'react', reaction: '👍' }, /^Whaticket SaaS cannot react through the API token/],
		[{ operation: 'sendText', text: 'x', quote: true }, /^Whaticket SaaS cannot quote/],
	])('refuses %j before sending', async (parameters, refusal) => {
		const double = await start('whaticket');
		const error = await failure(double, parameters as INodeParameters, [asInput(normalizedFixture(WHATICKET_TEXT))]);
		expect(error.message).toMatch(refusal);
		expect(double.received).toEqual([]);
	});

	it('errors: wrong token, number not on WhatsApp, disconnected connection', async () => {
		const double = await start('whaticket');
		expect((await failure(double, { operation: 'sendText', text: 'x' }, [asInput(normalizedFixture(WHATICKET_TEXT))], { token: 'nope' })).message).toBe(
			'Whaticket SaaS refused the token (401: Acesso não permitido)',
		);
		const manual = { operation: 'sendText', text: 'x', replyTo: 'manual', channel: 'helpdesk', recipient: '5511900000000' };
		expect((await failure(double, manual, [{ json: {} }])).message).toBe('Whaticket SaaS says the number is not on WhatsApp (ERR_CHECK_NUMBER)');
		const down = await start('whaticket', { disconnected: true });
		expect((await failure(down, { operation: 'sendText', text: 'x' }, [asInput(normalizedFixture(WHATICKET_TEXT))])).message).toBe(
			'Whaticket SaaS could not send: its WhatsApp connection is not ready (ERR_WAPP_NOT_INITIALIZED)',
		);
	});
});

describe('credentials', () => {
	it('a helpdesk item with an Evolution credential only names the credential to add', async () => {
		const host = await NodeHost.create({ nodeType: new WhatsAppReply(), parameters: { operation: 'sendText', text: 'Oi' }, credentials: { evolutionApi: { baseUrl: 'http://127.0.0.1:1', apiKey: 'k' } }, credentialTypes: [new EvolutionApi(), new HelpdeskApi()] });
		hosts.push(host);
		await expect(host.execute([asInput(normalizedFixture(WHAZING_TEXT))])).rejects.toThrow('This item comes from a helpdesk (Whazing, Izing or Whaticket SaaS), and no Helpdesk API credential is set');
	});

	it('a Whaticket credential refuses a Whazing item', async () => {
		const double = await start('whaticket');
		const error = await failure(double, { operation: 'sendText', text: 'Oi' }, [asInput(normalizedFixture(WHAZING_TEXT))]);
		expect(error.message).toMatch(/comes from Whazing\/Izing, but the Helpdesk API credential is set to Whaticket SaaS/);
	});

	it('the credential test accepts a good token and refuses a bad one', async () => {
		const double = await start('izing');
		const test = new WhatsAppReply().methods.credentialTest.helpdeskApiTest;
		installN8nRuntime();
		const request = new CredentialTestContext();
		const good = await test.call(request, { id: '1', name: 'x', type: 'helpdeskApi', data: { product: 'izing', baseUrl: double.baseUrl, token: TOKEN, apiId: 'a1b2' } });
		expect(good).toEqual({ status: 'OK', message: 'Connection successful: the token was accepted' });
		const bad = await test.call(request, { id: '1', name: 'x', type: 'helpdeskApi', data: { product: 'izing', baseUrl: double.baseUrl, token: 'bad', apiId: 'a1b2' } });
		expect(bad.status).toBe('Error');
		expect(bad.message).toMatch(/^Izing refused the token \(403: Invalid token\.\)/);
		expect(double.received.every((entry) => entry.status !== 200)).toBe(true);
	});
});

describe('media URLs go through the guarded fetch', () => {
	it('a media URL on this machine is refused unless its host is allow-listed, and nothing is sent', async () => {
		const double = await start('whaticket');
		const error = await failure(
			double,
			{ operation: 'sendMedia', mediaType: 'document', mediaSource: 'url', mediaUrl: `${double.baseUrl}/public/boleto.pdf` },
			[asInput(normalizedFixture(WHATICKET_TEXT))],
		);
		expect(error.message).toMatch(/loopback address.*Media Download Allowed Hosts/);
		expect(double.received).toEqual([]);
	});
});
