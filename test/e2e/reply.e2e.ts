/**
 * The bot loop inside real n8n (2.40.7 on Node 24, 1.123.81 on Node 20), packed package installed:
 * - Evolution API Trigger → WhatsApp Reply ×3 (Show Presence → Send Text quoting → Mark as Read), one
 *   workflow per Evolution dialect (1.8.2, 2.0.10, 2.2.3, 2.3.6): the double records the three calls
 *   with the body of its version;
 * - a Whazing delivery → Whaticket Trigger → WhatsApp Reply (Send Text) → the Whazing double;
 * - an AI Agent whose tool is the WhatsApp Reply node, with an OpenAI-compatible double on 127.0.0.1
 *   as the model: the tool schema the agent sends, and the message the tool call sends.
 * N8N_E2E_TARGETS=2.x,1.x (default: both) picks the versions.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { TOKEN_HEADER } from '../../nodes/WhaticketTrigger/description';
import { EvolutionDouble, type DoubleDialect } from '../support/evolution-double';
import { HelpdeskDouble } from '../support/helpdesk-double';
import { FakeOpenAi } from './fake-openai';
import { ExecutionWatch, errorOf, outputOf } from './harness/executions';
import { packThisPackageIsolated } from './harness/pack';
import { N8nInstance, type N8nTargetId, type WorkflowNode } from './harness/n8n';

type Json = Record<string, any>;

const TARGETS = (process.env.N8N_E2E_TARGETS ?? '2.x,1.x').split(',').map((id) => id.trim()) as N8nTargetId[];
const DIALECTS: readonly DoubleDialect[] = ['v1', 'v2.0', 'v2.1', 'v2.3'];
const PACKAGE = 'n8n-nodes-whatsapp-webhooks';
const REPLY_TYPE = `${PACKAGE}.whatsAppReply`;
const INSTANCE = 'loja';
const CONTACT = '5511988887777';
const WHAZING_TOKEN = 'wz-send-token';
const WEBHOOK_TOKEN = 'wz-webhook-token';

function fixture(directory: string, file: string): Json {
	return JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', directory, file), 'utf8')) as Json;
}

/** A text message from the contact with a fresh id (the trigger drops repeats) and its own text. */
function textMessage(dialect: DoubleDialect, text: string): Json {
	const data = fixture('evolution', `messages.upsert.${dialect === 'v1' ? 'v1' : 'v2'}.json`).data as Json;
	data.key.id = `3EB0${randomBytes(8).toString('hex').toUpperCase()}`;
	if (data.message.extendedTextMessage) data.message.extendedTextMessage.text = text;
	else data.message.conversation = text;
	return data;
}

function chain(names: string[]): Json {
	const connections: Json = {};
	for (let index = 0; index + 1 < names.length; index++) connections[names[index]] = { main: [[{ node: names[index + 1], type: 'main', index: 0 }]] };
	return connections;
}

const reply = (name: string, x: number, parameters: Json, credentials: Json): WorkflowNode => ({ name, type: REPLY_TYPE, typeVersion: 1, position: [x, 0], parameters, credentials });

let tarball: string;
beforeAll(() => {
	// The staging folder lives under .e2e/, which a fresh clone does not have until the first n8n start.
	mkdirSync(join(__dirname, '..', '..', '.e2e'), { recursive: true });
	tarball = packThisPackageIsolated();
});

describe.each(TARGETS)('on n8n %s', (target) => {
	let n8n: N8nInstance;
	const doubles = new Map<DoubleDialect, EvolutionDouble>();
	const evolutionCredentials = new Map<DoubleDialect, { id: string; name: string }>();
	let whazing: HelpdeskDouble;
	let helpdeskCredential: { id: string; name: string };

	beforeAll(async () => {
		for (const dialect of DIALECTS) {
			const double = new EvolutionDouble({ dialect, instances: [{ name: INSTANCE, token: `${INSTANCE}-token`, ownerJid: '5511911112222@s.whatsapp.net', profileName: 'Loja' }] });
			await double.start();
			doubles.set(dialect, double);
		}
		whazing = new HelpdeskDouble({ product: 'whazing', token: WHAZING_TOKEN, apiId: 'api-7' });
		await whazing.start();
		// Community nodes become AI tools only with this switch (n8n's own setting, off by default).
		n8n = await N8nInstance.start({ target, packageTarball: tarball, env: { N8N_COMMUNITY_PACKAGES_ALLOW_TOOL_USAGE: 'true' } });
		console.log(`n8n ${n8n.n8n.n8nVersion} on Node ${n8n.n8n.nodeVersion}: ready in ${n8n.startupMs} ms, logs in ${n8n.logFile}`);
		await n8n.setupOwner();
		for (const dialect of DIALECTS) {
			const double = doubles.get(dialect)!;
			const created = await n8n.createCredential('evolutionApi', `Evolution ${dialect}`, { baseUrl: double.baseUrl, apiKey: double.globalKey, allowedHttpRequestDomains: 'all' });
			evolutionCredentials.set(dialect, { id: created.id, name: created.name });
		}
		const created = await n8n.createCredential('helpdeskApi', 'Whazing', { product: 'whazing', baseUrl: whazing.baseUrl, token: WHAZING_TOKEN, apiId: 'api-7', allowedHttpRequestDomains: 'all' });
		helpdeskCredential = { id: created.id, name: created.name };
	});

	afterAll(async () => {
		await n8n?.stop();
		for (const double of doubles.values()) await double.stop();
		await whazing?.stop();
	});

	describe('Evolution API Trigger → Show Presence → Send Text quoting → Mark as Read', () => {
		it.each(DIALECTS)('%s: the double receives the three calls in the body of its version', async (dialect) => {
			const double = doubles.get(dialect)!;
			const credentials = { evolutionApi: evolutionCredentials.get(dialect)! };
			const workflow = await n8n.createWorkflow({
				name: `Bot ${dialect}`,
				nodes: [
					{
						name: 'Evolution API Trigger',
						type: `${PACKAGE}.evolutionApiTrigger`,
						typeVersion: 1,
						position: [0, 0],
						webhookId: randomUUID(),
						parameters: { mode: 'register', instance: INSTANCE, events: ['MESSAGES_UPSERT'], options: {} },
						credentials,
					},
					reply('Typing', 200, { operation: 'presence', presence: 'composing', duration: 300 }, credentials),
					reply('Answer', 400, { operation: 'sendText', text: '=Recebemos: {{ $json.message.text }}', quote: true }, credentials),
					reply('Read', 600, { operation: 'markRead' }, credentials),
				],
				connections: chain(['Evolution API Trigger', 'Typing', 'Answer', 'Read']),
			});
			const watch = new ExecutionWatch(n8n, workflow.id);
			await n8n.activate(workflow.id);
			await n8n.waitFor(() => double.requestsTo('POST', `/webhook/set/${INSTANCE}`).length > 0, { description: `the set on the ${dialect} double`, intervalMs: 50 });
			await watch.settle();

			const text = `Oi, vocês abrem sábado? ${randomBytes(2).toString('hex')}`;
			const data = textMessage(dialect, text);
			const delivery = await double.deliver(INSTANCE, 'messages.upsert', data);
			expect(delivery?.status).toBe(200);
			const [execution] = await watch.next(1, `the bot execution on ${dialect}`);
			expect({ status: execution.status ?? 'success', error: errorOf(execution) }).toEqual({ status: 'success', error: undefined });

			const key = { id: data.key.id, remoteJid: `${CONTACT}@s.whatsapp.net`, fromMe: false };
			const quoted = { key, message: { conversation: text } };
			const v1 = dialect === 'v1';
			expect(double.sendRoutes.received.map((entry) => ({ method: entry.method, route: entry.route, instance: entry.instance, body: entry.body, status: entry.status }))).toEqual([
				{ method: 'POST', route: 'chat/sendPresence', instance: INSTANCE, status: 201, body: v1 ? { number: CONTACT, options: { presence: 'composing', delay: 300 } } : { number: CONTACT, presence: 'composing', delay: 300 } },
				{ method: 'POST', route: 'message/sendText', instance: INSTANCE, status: 201, body: v1 ? { number: CONTACT, textMessage: { text: `Recebemos: ${text}` }, options: { quoted } } : { number: CONTACT, text: `Recebemos: ${text}`, quoted } },
				v1
					? { method: 'PUT', route: 'chat/markMessageAsRead', instance: INSTANCE, status: 201, body: { read_messages: [key] } }
					: { method: 'POST', route: 'chat/markMessageAsRead', instance: INSTANCE, status: 201, body: { readMessages: [key] } },
			]);
			expect(double.sendRoutes.received.every((entry) => entry.headers.apikey === double.globalKey)).toBe(true);
			const [answered] = outputOf(execution, 'Answer');
			expect(answered.json).toMatchObject({ source: 'evolution', message: { id: data.key.id }, reply: { operation: 'sendText', status: 'sent', messageId: expect.stringMatching(/^BAE5/) } });
			expect(outputOf(execution, 'Read')[0].json).toMatchObject({ reply: { operation: 'markRead', status: 'done' } });
		});
	});

	describe('Whaticket Trigger (a Whazing delivery) → WhatsApp Reply', () => {
		it('answers the ticket through Whazing\'s external API with the ticket\'s externalKey', async () => {
			const webhookId = randomUUID();
			const workflow = await n8n.createWorkflow({
				name: 'Whazing bot',
				nodes: [
					{ name: 'Whaticket Trigger', type: `${PACKAGE}.whaticketTrigger`, typeVersion: 1, position: [0, 0], webhookId, parameters: { source: 'auto', token: WEBHOOK_TOKEN, events: [], output: 'normalized', options: {} } },
					reply('Answer', 200, { operation: 'sendText', text: '=Olá {{ $json.contact.name }}, já estamos vendo o ticket {{ $json.ticket.protocol }}.' }, { helpdeskApi: helpdeskCredential }),
				],
				connections: chain(['Whaticket Trigger', 'Answer']),
			});
			const url = n8n.productionUrl(webhookId, 'webhook');
			const post = (body: unknown) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', [TOKEN_HEADER]: WEBHOOK_TOKEN }, body: JSON.stringify(body) });
			const watch = new ExecutionWatch(n8n, workflow.id);
			await n8n.activate(workflow.id);
			// Probe with the helpdesk's test ping: answered by the trigger, it starts no execution.
			const ping = fixture('whazing', 'test-ping.v3.json');
			await n8n.waitFor(async () => (await post(ping)).status !== 404, { description: 'the Whaticket webhook to be served', intervalMs: 100 });
			await watch.settle();

			expect((await post(fixture('whazing', 'message.received.v2.16.json'))).status).toBe(200);
			const [execution] = await watch.next(1, 'the Whazing bot execution');
			expect({ status: execution.status ?? 'success', error: errorOf(execution) }).toEqual({ status: 'success', error: undefined });
			expect(whazing.received.map((entry) => ({ method: entry.method, path: entry.path, auth: entry.headers.authorization, body: entry.body, status: entry.status }))).toEqual([
				{
					method: 'POST',
					path: '/v1/api/external/api-7',
					auth: `Bearer ${WHAZING_TOKEN}`,
					status: 200,
					body: { body: 'Olá Maria Souza, já estamos vendo o ticket 202601010001.', number: CONTACT, externalKey: 'PEDIDO-99812' },
				},
			]);
			expect(outputOf(execution, 'Answer')[0].json).toMatchObject({ source: 'whazing', reply: { status: 'queued', recipient: CONTACT } });
		});
	});

	describe('AI Agent with WhatsApp Reply as a tool', () => {
		let model: FakeOpenAi;
		beforeAll(async () => {
			model = new FakeOpenAi((properties) => Object.fromEntries(Object.keys(properties).map((name) => [name, name === 'Text' ? 'Olá Maria! Seu pedido saiu para entrega.' : 'x'])));
			await model.start();
		});
		afterAll(async () => {
			await model?.stop();
		});

		it('is accepted in the tool slot; the agent sees its $fromAI parameter and its call sends the message', async () => {
			const double = doubles.get('v2.3')!;
			double.sendRoutes.received.length = 0;
			// 1.123's openAiApi schema has no allowedHttpRequestDomains and wants headerName/headerValue unless header is false.
			const openAiData = target === '1.x' ? { apiKey: 'sk-test', url: model.baseUrl, header: false } : { apiKey: 'sk-test', url: model.baseUrl, allowedHttpRequestDomains: 'all' };
			const openAi = await n8n.createCredential('openAiApi', 'Fake OpenAI', openAiData);
			const webhookId = randomUUID();
			const workflow = await n8n.createWorkflow({
				name: 'Agent smoke',
				nodes: [
					{ name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], webhookId, parameters: { httpMethod: 'POST', path: `agent-${webhookId}`, responseMode: 'onReceived', options: {} } },
					{ name: 'AI Agent', type: '@n8n/n8n-nodes-langchain.agent', typeVersion: 2.2, position: [200, 0], parameters: { promptType: 'define', text: 'Avise a Maria que o pedido saiu para entrega.', options: {} } },
					{
						name: 'OpenAI Chat Model',
						type: '@n8n/n8n-nodes-langchain.lmChatOpenAi',
						typeVersion: 1.2,
						position: [200, 200],
						parameters: { model: { __rl: true, mode: 'list', value: 'gpt-4o-mini' }, options: {} },
						credentials: { openAiApi: { id: openAi.id, name: openAi.name } },
					},
					{
						name: 'WhatsApp Reply',
						type: `${REPLY_TYPE}Tool`,
						typeVersion: 1,
						position: [400, 200],
						parameters: {
							operation: 'sendText',
							replyTo: 'manual',
							channel: 'evolution',
							instance: INSTANCE,
							recipient: CONTACT,
							text: "={{ $fromAI('Text', 'The WhatsApp message to send to the customer', 'string') }}",
						},
						credentials: { evolutionApi: evolutionCredentials.get('v2.3')! },
					},
				],
				connections: {
					Webhook: { main: [[{ node: 'AI Agent', type: 'main', index: 0 }]] },
					'OpenAI Chat Model': { ai_languageModel: [[{ node: 'AI Agent', type: 'ai_languageModel', index: 0 }]] },
					'WhatsApp Reply': { ai_tool: [[{ node: 'AI Agent', type: 'ai_tool', index: 0 }]] },
				},
			});
			const watch = new ExecutionWatch(n8n, workflow.id);
			await n8n.activate(workflow.id);
			// A core Webhook with a path is served at /webhook/<path>; the first POST that is not a 404 starts the run.
			const url = `${n8n.baseUrl}/webhook/agent-${webhookId}`;
			await n8n.waitFor(async () => (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status !== 404, { description: 'the agent webhook', intervalMs: 100 });
			const [execution] = await watch.next(1, 'the agent execution');
			expect({ status: execution.status, error: errorOf(execution) }).toMatchObject({ status: 'success' });

			// What the agent sent the model: our tool, with the $fromAI parameter and its description.
			const tools = model.requests[0]?.tools as Json[];
			expect(tools).toHaveLength(1);
			expect(tools[0].function).toMatchObject({
				name: 'WhatsApp_Reply',
				parameters: { type: 'object', properties: { Text: { type: 'string', description: 'The WhatsApp message to send to the customer' } } },
			});
			expect(tools[0].function.description).toMatch(/WhatsApp/);
			// The tool call went out as a 2.3 send.
			expect(double.sendRoutes.received.map((entry) => ({ route: entry.route, body: entry.body }))).toEqual([
				{ route: 'message/sendText', body: { number: CONTACT, text: 'Olá Maria! Seu pedido saiu para entrega.' } },
			]);
			expect(outputOf(execution, 'AI Agent')[0].json).toMatchObject({ output: 'Mensagem enviada para a Maria.' });
		});
	});
});
