/**
 * The Whaticket Trigger over real HTTP on 127.0.0.1: the node runs inside n8n-core's real
 * WebhookContext (test/support/node-host.ts), deliveries are POSTed to its production URL.
 */
import { readFileSync } from 'fs';
import { createServer, type Server } from 'http';
import type { AddressInfo } from 'net';
import { join } from 'path';

import type { IBinaryData, INodeParameters } from 'n8n-workflow';

import { normalizedItemSchema, type NormalizedItem } from '../../nodes/lib/model/item';
import { WhaticketTrigger } from '../../nodes/WhaticketTrigger/WhaticketTrigger.node';
import { NodeHost } from '../support/node-host';

function fixture(path: string): Record<string, unknown> {
	return JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', path), 'utf8')) as Record<string, unknown>;
}

const TOKEN = 'tk-5e8f1c2a9b7d';
const hosts: NodeHost[] = [];

/** Node v1 unless told otherwise: these tests pin what existing workflows keep doing. */
async function hostWith(parameters: INodeParameters, typeVersion = 1): Promise<NodeHost> {
	const host = await NodeHost.create({ nodeType: new WhaticketTrigger(), parameters, typeVersion });
	hosts.push(host);
	await host.activate();
	return host;
}

afterEach(async () => {
	await Promise.all(hosts.splice(0).map((host) => host.close()));
});

function itemsOf(host: NodeHost, index = 0): NormalizedItem[] {
	const execution = host.executions[index];
	expect(execution).toBeDefined();
	return execution.items[0].map((entry) => entry.json as unknown as NormalizedItem);
}

describe('Whaticket Trigger: payload families', () => {
	it.each([
		['whazing/message.received.v2.16.json', 'whazing', 'message.received'],
		['whazing/message.sent-media.v2.16.json', 'whazing', 'message.sent'],
		['whazing/message.edited.v2.16.json', 'whazing', 'message.edited'],
		['whazing/message.deleted.v2.16.json', 'whazing', 'message.deleted'],
		['whazing/message.received.v2024-queue.json', 'whazing', 'message.received'],
		['whazing/NewTicket.v2.16.json', 'whazing', 'ticket.created'],
		['whazing/NewTicketUserCreate.v2.16.json', 'whazing', 'ticket.created'],
		['whazing/TransferTicket.v2.16.json', 'whazing', 'ticket.transferred'],
		['whazing/ClosedTicket.v2.16.json', 'whazing', 'ticket.closed'],
		['whaticket/start.saas.json', 'whaticket', 'message.received'],
		['whaticket/start-fromme.saas.json', 'whaticket', 'message.sent'],
		['whaticket/tag-sync.saas.json', 'whaticket', 'tags.synced'],
		['whaticket/fila-data.saas.json', 'whaticket', 'message.received'],
		['whaticket/status-open.saas.json', 'whaticket', 'ticket.status'],
		['whaticket/status-closed.saas.json', 'whaticket', 'ticket.closed'],
	])('%s → one %s item with event %s', async (path, source, event) => {
		const host = await hostWith({});
		const response = await host.post(fixture(path));
		expect(response.status).toBe(200);
		const items = itemsOf(host);
		expect(items).toHaveLength(1);
		expect(items[0]).toMatchObject({ source, event });
		expect(normalizedItemSchema.safeParse(items[0]).success).toBe(true);
		expect(items[0]).not.toHaveProperty('raw');
	});

	it('carries the normalized ticket facts a workflow branches on (ticket id, externalKey, phone)', async () => {
		const host = await hostWith({});
		await host.post(fixture('whazing/message.received.v2.16.json'));
		const [item] = itemsOf(host);
		expect(item.ticket).toMatchObject({ id: '4821', externalKey: 'PEDIDO-99812', status: 'pending' });
		expect(item.chat?.phone).toBe('5511988887777');
		expect(item.message?.text).toBe('Oi, meu pedido ainda não chegou');
	});

	it('passes a body of no known shape on as one "unknown" item with a reason', async () => {
		const host = await hostWith({});
		expect((await host.post({ hello: 'world' })).status).toBe(200);
		const [item] = itemsOf(host);
		expect(item).toMatchObject({ source: 'unknown', event: 'unknown', raw: { hello: 'world' } });
		expect(item.reason).toMatch(/does not look like/);
	});

	it('with Source = Whazing, turns a Whaticket SaaS body into an "unknown" item saying what it looks like', async () => {
		const host = await hostWith({ source: 'whazing' });
		await host.post(fixture('whaticket/start.saas.json'));
		expect(itemsOf(host)[0]).toMatchObject({ event: 'unknown', reason: 'The body looks like a delivery from Whaticket SaaS, not from Whazing' });
	});
});

describe('Whaticket Trigger: token', () => {
	it('accepts the Whazing header X-N8N-API-KEY', async () => {
		const host = await hostWith({ token: TOKEN });
		const response = await host.post(fixture('whazing/message.received.v2.16.json'), { headers: { 'X-N8N-API-KEY': TOKEN } });
		expect(response.status).toBe(200);
		expect(host.executions).toHaveLength(1);
	});

	it("accepts Izing's Authorization header and reads its hooks (v2)", async () => {
		const host = await hostWith({ token: TOKEN }, 2);
		const response = await host.post(fixture('izing/hookMessage.json'), { headers: { Authorization: TOKEN } });
		expect(response.status).toBe(200);
		const [item] = itemsOf(host);
		expect(item).toMatchObject({ source: 'izing', event: 'message.received', ticket: { id: '5120', externalKey: 'PEDIDO-99812' }, message: { text: 'Quero falar sobre o pedido 99812' } });
		expect((await host.post(fixture('izing/hookMessageStatus.json'), { headers: { Authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
		expect(itemsOf(host, 1)[0]).toMatchObject({ event: 'message.updated', message: { status: 'read' } });
		expect((await host.post(fixture('izing/hookSessionStatus.json'), { headers: { Authorization: 'wrong' } })).status).toBe(401);
		expect(host.executions).toHaveLength(2);
	});

	it('reads a body relayed from another n8n Webhook node (v2)', async () => {
		const host = await hostWith({ token: TOKEN }, 2);
		const relayed = { headers: { host: 'n8n.example.com' }, params: {}, query: {}, body: fixture('whaticket/end.saas.json'), webhookUrl: 'https://n8n.example.com/webhook/x', executionMode: 'production' };
		expect((await host.post(relayed, { suffix: `?token=${TOKEN}` })).status).toBe(200);
		expect(itemsOf(host)[0]).toMatchObject({ source: 'whaticket', event: 'ticket.closed', message: { text: 'SAIR', fromMe: false } });
	});

	it('accepts ?token= in the URL (Whaticket SaaS cannot send headers)', async () => {
		const host = await hostWith({ token: TOKEN });
		const response = await host.post(fixture('whaticket/start.saas.json'), { suffix: `?token=${TOKEN}` });
		expect(response.status).toBe(200);
		expect(itemsOf(host)[0].event).toBe('message.received');
	});

	it('refuses a wrong token with 401 and starts nothing', async () => {
		const host = await hostWith({ token: TOKEN });
		const response = await host.post(fixture('whazing/message.received.v2.16.json'), { headers: { 'X-N8N-API-KEY': `${TOKEN}x` } });
		expect(response.status).toBe(401);
		expect(response.json).toEqual({ message: 'Unauthorized: the token does not match the one set in the Whaticket Trigger' });
		expect(host.executions).toHaveLength(0);
	});

	it('refuses a missing token (and the empty header older Whazing sends) with 401', async () => {
		const host = await hostWith({ token: TOKEN });
		for (const headers of [{}, { 'X-N8N-API-KEY': '' }] as Array<Record<string, string>>) {
			const response = await host.post(fixture('whaticket/start.saas.json'), { headers });
			expect(response.status).toBe(401);
			expect(response.json).toEqual({ message: 'Unauthorized: send the token in the X-N8N-API-KEY header, the Authorization header (Izing) or as ?token= in the URL' });
		}
		expect(host.executions).toHaveLength(0);
	});

	it('checks the token before answering the test ping', async () => {
		const host = await hostWith({ token: TOKEN });
		expect((await host.post(fixture('whazing/test-ping.v3.json'))).status).toBe(401);
		const ok = await host.post(fixture('whazing/test-ping.v3.json'), { headers: { 'x-n8n-api-key': TOKEN } });
		expect(ok.status).toBe(200);
	});
});

describe('Whaticket Trigger: what starts no execution', () => {
	it('answers the Whazing test ping and starts nothing', async () => {
		const host = await hostWith({});
		const response = await host.post(fixture('whazing/test-ping.v3.json'));
		expect(response.status).toBe(200);
		expect(response.json).toEqual({ ok: true, message: 'Test received' });
		expect(host.executions).toHaveLength(0);
	});

	it.each([
		['an array', JSON.stringify([fixture('whazing/message.received.v2.16.json')]), 'application/json', 'Bad request: the body must be a JSON object (it is an array)'],
		['plain text', 'hello', 'text/plain', 'Bad request: the body must be a JSON object (it is not JSON)'],
		['a JSON string', '"just a string"', 'application/json', 'Bad request: the body must be a JSON object (it is a string)'],
		['a JSON number', '42', 'application/json', 'Bad request: the body must be a JSON object (it is a number)'],
		['nothing', '', 'application/json', 'Bad request: the body must be a JSON object (it is empty)'],
	])('answers 400 for %s and starts nothing', async (_what, rawBody, contentType, message) => {
		const host = await hostWith({});
		const response = await host.post(undefined, { rawBody, headers: { 'content-type': contentType } });
		expect(response.status).toBe(400);
		expect(response.json).toEqual({ message });
		expect(host.executions).toHaveLength(0);
	});

	it('reads a JSON object sent with a non-JSON content type', async () => {
		const host = await hostWith({});
		const response = await host.post(undefined, { rawBody: JSON.stringify(fixture('whaticket/tag-sync.saas.json')), headers: { 'content-type': 'text/plain' } });
		expect(response.status).toBe(200);
		expect(itemsOf(host)[0].event).toBe('tags.synced');
	});

	it('acknowledges events outside the Events filter with 200 and starts nothing', async () => {
		const host = await hostWith({ events: ['ticket.closed', 'ticket.created'] });
		const ignored = await host.post(fixture('whazing/message.received.v2.16.json'));
		expect(ignored.status).toBe(200);
		expect(ignored.json).toEqual({ ignored: 'event "message.received" is not selected in this trigger' });
		expect(host.executions).toHaveLength(0);
		await host.post(fixture('whazing/ClosedTicket.v2.16.json'));
		expect(itemsOf(host).map((item) => item.event)).toEqual(['ticket.closed']);
	});
});

describe('Whaticket Trigger: repeated deliveries', () => {
	it('drops a retried delivery (Whazing retries up to 3 times) but delivers each different edit of the message', async () => {
		const host = await hostWith({});
		const received = fixture('whazing/message.received.v2.16.json');
		const edited = fixture('whazing/message.edited.v2.16.json');
		expect(edited.messageId).toBe(received.messageId);
		for (const body of [received, received, edited, edited, { ...edited, edited: 'Oi, o pedido chegou, obrigado' }]) {
			expect((await host.post(body)).status).toBe(200);
		}
		expect(host.executions.map((_, index) => [itemsOf(host, index)[0].event, itemsOf(host, index)[0].message?.text])).toEqual([
			['message.received', received.messageBody],
			['message.edited', edited.edited],
			['message.edited', 'Oi, o pedido chegou, obrigado'],
		]);
	});

	it('a retry reaching another process or the same after a restart (fresh memory, same static data) starts nothing', async () => {
		const identity = { nodeId: 'wt-node', webhookId: 'c0ffee00-0000-4000-8000-000000000002', workflowId: 'wt-wf' };
		const first = await NodeHost.create({ nodeType: new WhaticketTrigger(), parameters: {}, typeVersion: 1, ...identity });
		hosts.push(first);
		await first.activate();
		const received = fixture('whazing/message.received.v2.16.json');
		expect((await first.post(received)).json).toEqual({ received: true });
		let nodeType: WhaticketTrigger | undefined;
		jest.isolateModules(() => {
			nodeType = new (require('../../nodes/WhaticketTrigger/WhaticketTrigger.node') as { WhaticketTrigger: new () => WhaticketTrigger }).WhaticketTrigger();
		});
		const second = await NodeHost.create({ nodeType: nodeType!, parameters: {}, typeVersion: 1, staticData: first.staticData.production, ...identity });
		hosts.push(second);
		await second.activate();
		expect((await second.post(received)).json).toEqual({ ignored: 'a repeated delivery' });
		expect(second.executions).toHaveLength(0);
	});

	it('delivers repeats when "Drop Duplicate Deliveries" is off', async () => {
		const host = await hostWith({ options: { dropDuplicates: false } });
		const received = fixture('whazing/message.received.v2.16.json');
		await host.post(received);
		await host.post(received);
		expect(host.executions).toHaveLength(2);
	});
});

describe('Whaticket Trigger: raw output and secrets', () => {
	it('Raw output is the body without apiConfig secrets and without the webhook URL', async () => {
		const host = await hostWith({ output: 'raw' });
		const whazing = fixture('whazing/message.received-base64.v2.16.json');
		await host.post(whazing);
		const rawWhazing = host.executions[0].items[0][0].json as { ticket: Record<string, unknown>; messageId: string };
		expect(rawWhazing.messageId).toBe('3EB0B64B64B64B64B640');
		expect(rawWhazing.ticket.apiConfig).toEqual({ externalKey: 'PEDIDO-99812' });
		expect(JSON.stringify(rawWhazing)).not.toMatch(/IZING-JWT-SECRET|AUTH-TOKEN-SECRET/);

		await host.post(fixture('whaticket/start.saas.json'));
		const rawWhaticket = host.executions[1].items[0][0].json as { ticketData: { whatsapp: Record<string, unknown> } };
		expect(rawWhaticket.ticketData.whatsapp).toEqual({ name: 'Comercial', id: 3 });
		expect(JSON.stringify(rawWhaticket)).not.toContain('WHATICKET-URL-SECRET');
	});

	it('Include Raw Body adds the sanitized body to normalized items', async () => {
		const host = await hostWith({ options: { includeRaw: true } });
		await host.post(fixture('whaticket/status-open.saas.json'));
		const [item] = itemsOf(host);
		expect(item.event).toBe('ticket.status');
		expect((item.raw as { ticketData: { whatsapp: unknown } }).ticketData.whatsapp).toEqual({ name: 'Comercial', id: 3 });
		expect(JSON.stringify(item)).not.toContain('WHATICKET-URL-SECRET');
	});
});

describe('Whaticket Trigger: media to binary', () => {
	let fileServer: Server;
	let fileBase: string;
	const PDF = Buffer.from('%PDF-1.4 comprovante');

	beforeAll(async () => {
		fileServer = createServer((req, res) => {
			if (req.url === '/public/company1/comprovante.pdf') {
				res.writeHead(200, { 'content-type': 'application/pdf' });
				res.end(PDF);
			} else {
				res.writeHead(404);
				res.end();
			}
		});
		await new Promise<void>((resolve) => fileServer.listen(0, '127.0.0.1', resolve));
		fileBase = `http://127.0.0.1:${(fileServer.address() as AddressInfo).port}`;
	});

	afterAll(async () => {
		await new Promise<void>((resolve) => fileServer.close(() => resolve()));
	});

	it('turns Whazing mediaBase64 into binary "data" with the mimetype and file name', async () => {
		const host = await hostWith({ options: { mediaToBinary: true } });
		await host.post(fixture('whazing/message.received-base64.v2.16.json'));
		const entry = host.executions[0].items[0][0];
		const binary = entry.binary?.data as IBinaryData;
		expect(binary).toMatchObject({ mimeType: 'audio/ogg', fileName: '1767262900456.ogg', fileExtension: 'ogg' });
		expect(Buffer.from(binary.data, 'base64')).toEqual(Buffer.from('T2dnUwACAAAAAAAAAAA=', 'base64'));
		expect((entry.json as unknown as NormalizedItem).message?.media?.hasBase64).toBe(true);
	});

	it('leaves binary out unless the option is on', async () => {
		const host = await hostWith({});
		await host.post(fixture('whazing/message.received-base64.v2.16.json'));
		expect(host.executions[0].items[0][0].binary).toBeUndefined();
	});

	it('downloads the Whaticket SaaS file URL when asked (a local media host must be allow-listed)', async () => {
		const host = await hostWith({ options: { mediaToBinary: true, downloadMedia: true, mediaAllowedHosts: '127.0.0.1' } });
		await host.post({ ...fixture('whaticket/fila-data.saas.json'), backendUrl: fileBase, mediaName: 'comprovante.pdf' });
		const entry = host.executions[0].items[0][0];
		const binary = entry.binary?.data as IBinaryData;
		expect(binary).toMatchObject({ mimeType: 'application/pdf', fileName: 'comprovante.pdf' });
		expect(Buffer.from(binary.data, 'base64')).toEqual(PDF);
	});

	it('refuses a media URL on this machine unless its host is allow-listed, and starts the execution without the file', async () => {
		const host = await hostWith({ options: { mediaToBinary: true, downloadMedia: true } });
		await host.post({ ...fixture('whaticket/fila-data.saas.json'), backendUrl: fileBase, mediaName: 'comprovante.pdf' });
		const entry = host.executions[0].items[0][0];
		expect(entry.binary).toBeUndefined();
		expect(String((entry.json as unknown as NormalizedItem).details?.mediaError)).toMatch(/Media Download Allowed Hosts/);
	});

	it('keeps the item, without binary and with a note, when the download fails', async () => {
		const host = await hostWith({ options: { mediaToBinary: true, downloadMedia: true, mediaAllowedHosts: '127.0.0.1' } });
		const response = await host.post({ ...fixture('whaticket/fila-data.saas.json'), backendUrl: fileBase, mediaName: 'missing.pdf' });
		expect(response.status).toBe(200);
		const entry = host.executions[0].items[0][0];
		expect(entry.binary).toBeUndefined();
		const item = entry.json as unknown as NormalizedItem;
		expect(item.event).toBe('message.received');
		expect(String(item.details?.mediaError)).toBe(`The media server answered 404 for ${fileBase}/public/company1/missing.pdf; check that the file still exists and is readable without a login.`);
	});

	it('attaches the media binary to the single Raw item too', async () => {
		const host = await hostWith({ output: 'raw', options: { mediaToBinary: true } });
		await host.post(fixture('whazing/message.received-base64.v2.16.json'));
		const entry = host.executions[0].items[0][0];
		expect((entry.binary?.data as IBinaryData).fileName).toBe('1767262900456.ogg');
		expect((entry.json as { mediaBase64: string }).mediaBase64).toBe('T2dnUwACAAAAAAAAAAA=');
	});
});

describe('Whaticket Trigger: lifecycle', () => {
	it('registers nothing remote: checkExists is true, so activation calls neither create nor fails', async () => {
		const host = await hostWith({});
		expect(host.calls.map((call) => [call.method, call.result])).toEqual([['checkExists', true]]);
		await host.deactivate();
		expect(host.calls.map((call) => [call.method, call.result])).toEqual([
			['checkExists', true],
			['delete', true],
		]);
	});
});
