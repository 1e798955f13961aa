/**
 * The "Evolution API Webhook" action node run through n8n-core's real ExecuteContext and
 * LoadOptionsContext (NodeHost), talking real HTTP on 127.0.0.1 to the Evolution test double of each
 * dialect. Expected bodies, stored configs and answers are written by hand from the server's behaviour
 * (docs/protocol.md#dialects for routes, errors and set/find, docs/protocol.md#event-catalog for enums).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { NodeApiError, NodeOperationError, type IDataObject, type INodeExecutionData, type INodeParameters } from 'n8n-workflow';

import { EvolutionApiWebhook } from '../../nodes/EvolutionApiWebhook/EvolutionApiWebhook.node';
import { EVOLUTION_EVENTS } from '../../nodes/lib/evolution/events';
import { normalizedItemSchema } from '../../nodes/lib/model/item';
import { EvolutionDouble, type DoubleDialect } from '../support/evolution-double';
import { failureOf } from '../support/failure';
import { NodeHost, type NodeSettings } from '../support/node-host';

// ---------------------------------------------------------------- fixtures and helpers

const NODE_URL = 'https://n8n.example.com/webhook/7d1c2b3a-4e5f-4a6b-9c8d-0e1f2a3b4c5d';
const USER_URL = 'https://crm.example.com/hooks/evolution';
const SECRET_HEADERS = { 'x-evo-secret': 's3cr3t', 'x-tenant': 'acme' };
/** In every version's enum, but no server ever sends them (docs/protocol.md#event-catalog). */
const NEVER_DELIVERED = ['APPLICATION_STARTUP', 'CONTACTS_SET', 'GROUP_UPDATE'];

const INSTANCES = [
	{ name: 'inst1', token: 'inst1-token', connectionStatus: 'open' as const, ownerJid: '5511911112222@s.whatsapp.net', profileName: 'Loja Centro' },
	{ name: 'inst2', token: 'inst2-token', connectionStatus: 'close' as const },
	{ name: 'inst3', token: 'inst3-token', connectionStatus: 'connecting' as const },
];

const hosts: NodeHost[] = [];
const doubles: EvolutionDouble[] = [];

afterEach(async () => {
	for (const host of hosts.splice(0)) await host.close();
	for (const double of doubles.splice(0)) await double.stop();
});

async function startDouble(dialect: DoubleDialect): Promise<EvolutionDouble> {
	const double = new EvolutionDouble({ dialect, instances: INSTANCES });
	doubles.push(double);
	await double.start();
	return double;
}

async function nodeFor(double: EvolutionDouble | null, parameters: INodeParameters = {}, nodeSettings?: NodeSettings): Promise<NodeHost> {
	const host = await NodeHost.create({
		nodeType: new EvolutionApiWebhook(),
		parameters,
		credentials: double ? { evolutionApi: { baseUrl: double.baseUrl, apiKey: double.globalKey } } : undefined,
		nodeSettings,
	});
	hosts.push(host);
	return host;
}

/** Runs the node once; answers its single main output. */
async function run(host: NodeHost, items: INodeExecutionData[], parameters?: INodeParameters): Promise<INodeExecutionData[]> {
	const output = await host.execute(items, parameters);
	expect(output).toHaveLength(1);
	return output![0];
}

/** The error the execution throws (fails the test when it does not throw). */
async function executionFailure(host: NodeHost, items: INodeExecutionData[], parameters?: INodeParameters): Promise<Error> {
	return await failureOf(() => host.execute(items, parameters), 'the execution to fail');
}

const one: INodeExecutionData[] = [{ json: {} }];
const rootCalls = (double: EvolutionDouble) => double.requests.filter((request) => request.method === 'GET' && request.path === '/');
const setCalls = (double: EvolutionDouble) => double.requestsTo('POST', '/webhook/set/');
const findCalls = (double: EvolutionDouble) => double.requestsTo('GET', '/webhook/find/');
const sorted = (names: readonly string[]) => [...names].sort();

function expectPairedToInput(output: INodeExecutionData[], inputIndexes: number[]): void {
	expect(output.map((item) => item.pairedItem)).toEqual(inputIndexes.map((item) => ({ item })));
}

const find = (instance: string): INodeParameters => ({ resource: 'webhook', operation: 'find', instance });
const disable = (instance: string): INodeParameters => ({ resource: 'webhook', operation: 'disable', instance });
function set(instance: string, fields: Partial<{ url: string; events: string[]; enabled: boolean; byEvents: boolean; base64: boolean; headers: Record<string, string> }> = {}): INodeParameters {
	const { headers, ...rest } = fields;
	return {
		resource: 'webhook',
		operation: 'set',
		instance,
		url: NODE_URL,
		events: ['MESSAGES_UPSERT', 'CONNECTION_UPDATE'],
		...rest,
		...(headers ? { headers: { header: Object.entries(headers).map(([name, value]) => ({ name, value })) } } : {}),
	};
}

// ---------------------------------------------------------------- per dialect

interface DialectCase {
	dialect: DoubleDialect;
	version: string;
	/** The set body per dialect for url NODE_URL, events MESSAGES_UPSERT + CONNECTION_UPDATE, base64 on. */
	setBody: Record<string, unknown>;
	/** Custom delivery headers exist from 2.1.1 (#869). */
	keepsHeaders: boolean;
	/** v1 and 2.0 store url '' when disabled; 2.1+ keep the url. */
	disableKeepsUrl: boolean;
	/** An event the version does not accept and what the refusal must say it needs. */
	unsupported: { event: string; needs: RegExp };
}

const TWO_EVENTS = ['MESSAGES_UPSERT', 'CONNECTION_UPDATE'];

const CASES: DialectCase[] = [
	{
		dialect: 'v1',
		version: '1.8.2',
		setBody: { enabled: true, url: NODE_URL, webhook_by_events: false, webhook_base64: true, events: TWO_EVENTS },
		keepsHeaders: false,
		disableKeepsUrl: false,
		unsupported: { event: 'MESSAGES_EDITED', needs: /MESSAGES_EDITED \(needs Evolution API 2\.0\.0 or newer\)/ },
	},
	{
		dialect: 'v2.0',
		version: '2.0.10',
		setBody: { enabled: true, url: NODE_URL, webhookByEvents: false, webhookBase64: true, events: TWO_EVENTS },
		keepsHeaders: false,
		disableKeepsUrl: false,
		unsupported: { event: 'REMOVE_INSTANCE', needs: /REMOVE_INSTANCE \(needs Evolution API 2\.1\.0 or newer\)/ },
	},
	{
		dialect: 'v2.1',
		version: '2.2.3',
		setBody: { webhook: { enabled: true, url: NODE_URL, events: TWO_EVENTS, byEvents: false, base64: true, headers: {} } },
		keepsHeaders: true,
		disableKeepsUrl: true,
		unsupported: { event: 'SEND_MESSAGE_UPDATE', needs: /SEND_MESSAGE_UPDATE \(needs Evolution API 2\.3\.0 or newer\)/ },
	},
	{
		dialect: 'v2.3',
		version: '2.3.6',
		setBody: { webhook: { enabled: true, url: NODE_URL, events: TWO_EVENTS, byEvents: false, base64: true, headers: {} } },
		keepsHeaders: true,
		disableKeepsUrl: true,
		unsupported: { event: 'CHAMA_AI_ACTION', needs: /CHAMA_AI_ACTION \(needs an Evolution API older than 2\.0\.0\)/ },
	},
];

describe.each(CASES)('Evolution API Webhook node against Evolution $version ($dialect)', (testCase) => {
	const noWebhook = (instance: string) => ({
		instance,
		exists: false,
		url: null,
		enabled: false,
		events: [],
		byEvents: false,
		base64: false,
		headers: null,
	});

	describe('Find', () => {
		it('says exists:false when the instance has no webhook', async () => {
			const double = await startDouble(testCase.dialect);
			const output = await run(await nodeFor(double, find('inst1')), one);
			expect(output).toEqual([{ json: noWebhook('inst1'), pairedItem: { item: 0 } }]);
			expect(findCalls(double).map((request) => request.path)).toEqual(['/webhook/find/inst1']);
			expect(findCalls(double)[0].headers.apikey).toBe(double.globalKey);
		});

		it("reads a user's own webhook: url, enabled, events, byEvents, base64 and (2.1.1+) headers", async () => {
			const double = await startDouble(testCase.dialect);
			double.seedWebhook('inst1', { url: USER_URL, events: ['CALL', 'MESSAGES_UPSERT'], byEvents: true, base64: true, headers: SECRET_HEADERS });
			const output = await run(await nodeFor(double, find('inst1')), one);
			expect(output).toEqual([
				{
					json: {
						instance: 'inst1',
						exists: true,
						url: USER_URL,
						enabled: true,
						events: ['CALL', 'MESSAGES_UPSERT'],
						byEvents: true,
						base64: true,
						headers: testCase.keepsHeaders ? SECRET_HEADERS : null,
					},
					pairedItem: { item: 0 },
				},
			]);
		});

		it('reads a disabled webhook that still has a URL as existing but disabled', async () => {
			const double = await startDouble(testCase.dialect);
			double.seedWebhook('inst1', { url: USER_URL, enabled: false, events: [] });
			const [item] = await run(await nodeFor(double, find('inst1')), one);
			expect(item.json).toMatchObject({ exists: true, url: USER_URL, enabled: false, events: [] });
		});
	});

	describe('Set', () => {
		it('sends exactly the body of its dialect and reports what the server stored', async () => {
			const double = await startDouble(testCase.dialect);
			const output = await run(await nodeFor(double, set('inst1', { base64: true })), one);

			expect(setCalls(double)).toHaveLength(1);
			const [request] = setCalls(double);
			expect(request.path).toBe('/webhook/set/inst1');
			expect(request.body).toStrictEqual(testCase.setBody);
			expect(request.headers.apikey).toBe(double.globalKey);
			expect(String(request.headers['content-type'])).toMatch(/^application\/json/);

			expect(output).toEqual([
				{
					json: {
						instance: 'inst1',
						exists: true,
						url: NODE_URL,
						enabled: true,
						events: TWO_EVENTS,
						byEvents: false,
						base64: true,
						headers: testCase.keepsHeaders ? {} : null,
					},
					pairedItem: { item: 0 },
				},
			]);
			// A Find right after reads back the same webhook.
			const [found] = await run(await nodeFor(double, find('inst1')), one);
			expect(found.json).toEqual(output[0].json);
		});

		it(`with Enabled off ${testCase.disableKeepsUrl ? 'stores the URL disabled' : 'leaves no webhook (the server blanks the URL)'}, and says so`, async () => {
			const double = await startDouble(testCase.dialect);
			const output = await run(await nodeFor(double, set('inst1', { enabled: false })), one);

			const stored = double.webhookOf('inst1') as { url: string; enabled: boolean; events: string[] };
			expect(stored).toMatchObject({ url: testCase.disableKeepsUrl ? NODE_URL : '', enabled: false, events: [] });
			expect(output[0].json).toMatchObject(
				testCase.disableKeepsUrl ? { exists: true, url: NODE_URL, enabled: false, events: [] } : { exists: false, url: null, enabled: false, events: [] },
			);
			const [found] = await run(await nodeFor(double, find('inst1')), one);
			expect(found.json).toEqual(output[0].json);
		});

		it('with no events chosen, selects every event this version supports that servers actually send', async () => {
			const double = await startDouble(testCase.dialect);
			const expected = double.eventsEnum.filter((name) => !NEVER_DELIVERED.includes(name));
			const [item] = await run(await nodeFor(double, set('inst1', { events: [] })), one);

			const body = setCalls(double)[0].body as Record<string, unknown>;
			const sentEvents = (testCase.keepsHeaders ? (body.webhook as Record<string, unknown>).events : body.events) as string[];
			expect(sorted(sentEvents)).toEqual(sorted(expected));
			expect(sentEvents).toHaveLength(new Set(sentEvents).size);
			expect(sorted(item.json.events as string[])).toEqual(sorted(expected));
			const stored = double.webhookOf('inst1') as { events: string[] };
			expect(sorted(stored.events)).toEqual(sorted(expected));
		});

		it('the never-delivered events of the catalog are exactly GROUP_UPDATE, CONTACTS_SET and APPLICATION_STARTUP', () => {
			expect(sorted(EVOLUTION_EVENTS.filter((entry) => !entry.delivered).map((entry) => entry.config))).toEqual(sorted(NEVER_DELIVERED));
		});

		if (testCase.keepsHeaders) {
			it('stores custom delivery headers (2.1.1+)', async () => {
				const double = await startDouble(testCase.dialect);
				const [item] = await run(await nodeFor(double, set('inst1', { headers: SECRET_HEADERS })), one);
				expect((setCalls(double)[0].body as { webhook: { headers: unknown } }).webhook.headers).toStrictEqual(SECRET_HEADERS);
				expect((double.webhookOf('inst1') as { headers: unknown }).headers).toEqual(SECRET_HEADERS);
				expect(item.json.headers).toEqual(SECRET_HEADERS);
			});

			it('a set without headers clears headers an earlier set stored (an omitted key would keep them)', async () => {
				const double = await startDouble(testCase.dialect);
				double.seedWebhook('inst1', { url: USER_URL, events: ['CALL'], headers: SECRET_HEADERS });
				await run(await nodeFor(double, set('inst1')), one);
				expect((double.webhookOf('inst1') as { headers: unknown }).headers).toEqual({});
			});
		} else {
			it('refuses custom headers, naming 2.1.1, and sends no set', async () => {
				const double = await startDouble(testCase.dialect);
				const error = await executionFailure(await nodeFor(double, set('inst1', { headers: SECRET_HEADERS })), one);
				expect(error).toBeInstanceOf(NodeOperationError);
				expect(error.message).toMatch(/2\.1\.1/);
				expect(error.message).toContain(testCase.version);
				expect(setCalls(double)).toHaveLength(0);
			});
		}

		it('refuses an event this version lacks, naming the event and the version, and sends no set', async () => {
			const double = await startDouble(testCase.dialect);
			const error = await executionFailure(await nodeFor(double, set('inst1', { events: ['MESSAGES_UPSERT', testCase.unsupported.event] })), one);
			expect(error).toBeInstanceOf(NodeOperationError);
			expect(error.message).toContain(`Evolution API ${testCase.version}`);
			expect(error.message).toMatch(testCase.unsupported.needs);
			expect(error.message).not.toContain('MESSAGES_UPSERT');
			expect(setCalls(double)).toHaveLength(0);
		});
	});

	describe('Disable', () => {
		const seeded = { url: USER_URL, events: ['CALL', 'MESSAGES_UPSERT'], byEvents: true, base64: true, headers: SECRET_HEADERS };

		it('sends the webhook as it is with only enabled:false (events, URL, flags and 2.1.1+ headers included)', async () => {
			const double = await startDouble(testCase.dialect);
			double.seedWebhook('inst1', seeded);
			await run(await nodeFor(double, disable('inst1')), one);

			const [call] = setCalls(double);
			const sent = (testCase.dialect === 'v1' || testCase.dialect === 'v2.0' ? call.body : (call.body as { webhook: unknown }).webhook) as Record<string, unknown>;
			expect(sent.enabled).toBe(false);
			expect(sent.url).toBe(USER_URL);
			expect(sent.events).toEqual(['CALL', 'MESSAGES_UPSERT']);
			if (testCase.dialect === 'v1') expect(sent).toMatchObject({ webhook_by_events: true, webhook_base64: true });
			else if (testCase.dialect === 'v2.0') expect(sent).toMatchObject({ webhookByEvents: true, webhookBase64: true });
			else expect(sent).toMatchObject({ byEvents: true, base64: true, headers: SECRET_HEADERS });
		});

		it(`turns the webhook off and ${testCase.disableKeepsUrl ? 'keeps its URL, flags and headers' : 'loses its URL (the server blanks it)'}; the server forgets the events, the output keeps them in "before"`, async () => {
			const double = await startDouble(testCase.dialect);
			double.seedWebhook('inst1', seeded);
			const output = await run(await nodeFor(double, disable('inst1')), one);

			expect(setCalls(double)).toHaveLength(1);
			const stored = double.webhookOf('inst1') as { url: string; enabled: boolean; events: string[] };
			expect(stored.enabled).toBe(false);
			// Every version's set controller stores events: [] for a disabled webhook (docs/protocol.md#dialects).
			expect(stored.events).toEqual([]);
			expect(stored.url).toBe(testCase.disableKeepsUrl ? USER_URL : '');

			const expectedJson = testCase.disableKeepsUrl
				? { instance: 'inst1', exists: true, url: USER_URL, enabled: false, events: [], byEvents: true, base64: true, headers: testCase.keepsHeaders ? SECRET_HEADERS : null }
				: noWebhook('inst1');
			const before = {
				instance: 'inst1',
				exists: true,
				url: USER_URL,
				enabled: true,
				events: ['CALL', 'MESSAGES_UPSERT'],
				byEvents: true,
				base64: true,
				headers: testCase.keepsHeaders ? SECRET_HEADERS : null,
			};
			expect(output).toEqual([{ json: { ...expectedJson, changed: true, before }, pairedItem: { item: 0 } }]);
			// What Disable reports is what a Find reads afterwards.
			const [found] = await run(await nodeFor(double, find('inst1')), one);
			expect({ ...found.json, changed: true, before }).toEqual(output[0].json);
		});

		it('"before" turned back on with Set restores the webhook as it was', async () => {
			const double = await startDouble(testCase.dialect);
			double.seedWebhook('inst1', seeded);
			const [disabled] = await run(await nodeFor(double, disable('inst1')), one);
			const before = disabled.json.before as { url: string; events: string[]; byEvents: boolean; base64: boolean };
			await run(await nodeFor(double, set('inst1', { url: before.url, events: before.events, byEvents: before.byEvents, base64: before.base64, ...(testCase.keepsHeaders ? { headers: SECRET_HEADERS } : {}) })), one);
			const [found] = await run(await nodeFor(double, find('inst1')), one);
			expect(found.json).toEqual(before);
		});

		it('on an instance without a webhook: changed:false and no set sent', async () => {
			const double = await startDouble(testCase.dialect);
			const output = await run(await nodeFor(double, disable('inst2')), one);
			expect(output).toEqual([{ json: { ...noWebhook('inst2'), changed: false }, pairedItem: { item: 0 } }]);
			expect(setCalls(double)).toHaveLength(0);
		});

		if (testCase.disableKeepsUrl) {
			it('on a webhook that is already off: changed:false, no set sent, the URL stays', async () => {
				const double = await startDouble(testCase.dialect);
				double.seedWebhook('inst1', { ...seeded, enabled: false, events: [] });
				const [output] = await run(await nodeFor(double, disable('inst1')), one);
				expect(output.json).toMatchObject({ exists: true, url: USER_URL, enabled: false, changed: false });
				expect(setCalls(double)).toHaveLength(0);
			});
		}
	});

	describe('Instance → List and the instance dropdown', () => {
		it('gives one item per instance with name and status', async () => {
			const double = await startDouble(testCase.dialect);
			const output = await run(await nodeFor(double, { resource: 'instance', operation: 'list' }), one);
			expect(output.map((item) => ({ name: item.json.name, status: item.json.status }))).toEqual([
				{ name: 'inst1', status: 'open' },
				{ name: 'inst2', status: 'close' },
				{ name: 'inst3', status: 'connecting' },
			]);
			expect(output[0].json).toMatchObject({ owner: '5511911112222@s.whatsapp.net', profileName: 'Loja Centro', id: double.instanceIdOf('inst1') });
			expectPairedToInput(output, [0, 0, 0]);
			expect(double.requestsTo('GET', '/instance/fetchInstances')).toHaveLength(1);
		});

		it('loadOptions getInstances labels each instance with its status and where its webhook points', async () => {
			const double = await startDouble(testCase.dialect);
			double.seedWebhook('inst1', { url: USER_URL, events: ['MESSAGES_UPSERT'] });
			const options = await (await nodeFor(double, find(''))).loadOptions('getInstances');
			expect(options).toEqual([
				{ name: 'inst1 (open) — webhook: crm.example.com', value: 'inst1', description: `Loja Centro · ${USER_URL}` },
				{ name: 'inst2 (close) — no webhook', value: 'inst2', description: undefined },
				{ name: 'inst3 (connecting) — no webhook', value: 'inst3', description: undefined },
			]);
			expect(double.requestsTo('GET', '/instance/fetchInstances')[0].headers.apikey).toBe(double.globalKey);
		});
	});

	describe('several items in one execution', () => {
		const threeItems: INodeExecutionData[] = [{ json: { instance: 'inst1' } }, { json: { instance: 'ghost' } }, { json: { instance: 'inst3' } }];

		it('processes every item with its own instance; continueOnFail turns the unknown instance into an error item', async () => {
			const double = await startDouble(testCase.dialect);
			double.seedWebhook('inst3', { url: USER_URL, events: ['CALL'] });
			const host = await nodeFor(double, find('={{ $json.instance }}'), { onError: 'continueRegularOutput' });
			const output = await run(host, threeItems);

			expect(findCalls(double).map((request) => request.path)).toEqual(['/webhook/find/inst1', '/webhook/find/ghost', '/webhook/find/inst3']);
			expect(output).toHaveLength(3);
			expectPairedToInput(output, [0, 1, 2]);
			expect(output[0].json).toMatchObject({ instance: 'inst1', exists: false });
			expect(output[1].json).toEqual({ error: 'The instance "ghost" does not exist on the server' });
			expect(output[2].json).toMatchObject({ instance: 'inst3', exists: true, url: USER_URL, events: ['CALL'] });
		});

		it('without continueOnFail stops at the unknown instance with a NodeApiError in plain words', async () => {
			const double = await startDouble(testCase.dialect);
			const host = await nodeFor(double, find('={{ $json.instance }}'));
			const error = await executionFailure(host, threeItems);

			expect(error).toBeInstanceOf(NodeApiError);
			expect(error.message).toBe('The instance "ghost" does not exist on the server');
			expect((error as NodeApiError).description).toMatch(/instance name exactly as the Evolution manager shows it/);
			expect((error as NodeApiError).httpCode).toBe('404');
			expect((error as NodeApiError).context.itemIndex).toBe(1);
			// The third item is never tried.
			expect(findCalls(double).map((request) => request.path)).toEqual(['/webhook/find/inst1', '/webhook/find/ghost']);
		});

		it('asks the server version (GET /) once per execution, not once per item', async () => {
			const double = await startDouble(testCase.dialect);
			const host = await nodeFor(double, set('={{ $json.instance }}'));
			const items: INodeExecutionData[] = [{ json: { instance: 'inst1' } }, { json: { instance: 'inst2' } }, { json: { instance: 'inst3' } }];
			const output = await run(host, items);

			expect(rootCalls(double)).toHaveLength(1);
			expect(double.requests.indexOf(rootCalls(double)[0])).toBe(0);
			expect(setCalls(double).map((request) => request.path)).toEqual(['/webhook/set/inst1', '/webhook/set/inst2', '/webhook/set/inst3']);
			expect(output.map((item) => item.json.instance)).toEqual(['inst1', 'inst2', 'inst3']);
			expectPairedToInput(output, [0, 1, 2]);

			// A new execution asks again (the server may have been upgraded in between).
			await run(host, items.slice(0, 1));
			expect(rootCalls(double)).toHaveLength(2);
		});
	});
});

// ---------------------------------------------------------------- Normalize Event (no server involved)

const FIXTURES = join(__dirname, '..', 'fixtures');
function fixture(path: string): IDataObject {
	return JSON.parse(readFileSync(join(FIXTURES, path), 'utf8')) as IDataObject;
}

/** What n8n's Webhook node (v2) emits for a JSON POST. */
function webhookNodeItem(body: IDataObject, query: IDataObject = {}): INodeExecutionData {
	return {
		json: {
			headers: { host: 'n8n.example.com', 'content-type': 'application/json', 'user-agent': 'axios/1.7.9' },
			params: {},
			query,
			body,
			webhookUrl: 'https://n8n.example.com/webhook/abc',
			executionMode: 'production',
		},
	};
}

const normalize = (extra: INodeParameters = {}): INodeParameters => ({ resource: 'webhook', operation: 'normalize', ...extra });

describe('Evolution API Webhook node: Normalize Event', () => {
	const evolutionBody = fixture('evolution/messages.upsert.v2.json');
	const whazingBody = fixture('whazing/NewTicket.v2.16.json');
	const whaticketBody = fixture('whaticket/start.saas.json');

	it('needs no credential: the host has none and the operation still runs', async () => {
		const host = await nodeFor(null, normalize());
		const output = await run(host, [webhookNodeItem(evolutionBody)]);
		expect(output).toHaveLength(1);
		expect(output[0].json).toMatchObject({ source: 'evolution', event: 'message.received' });
	});

	it('turns Webhook-node items from Evolution, Whazing and Whaticket into normalized items paired to their input', async () => {
		const host = await nodeFor(null, normalize());
		const output = await run(host, [webhookNodeItem(evolutionBody), webhookNodeItem(whazingBody), webhookNodeItem(whaticketBody, { token: 'abc' })]);

		expect(output).toHaveLength(3);
		expectPairedToInput(output, [0, 1, 2]);
		for (const item of output) normalizedItemSchema.parse(item.json);

		expect(output[0].json).toMatchObject({
			source: 'evolution',
			event: 'message.received',
			originalEvent: 'messages.upsert',
			instance: 'inst1',
			chat: { id: '5511988887777@s.whatsapp.net', phone: '5511988887777', isGroup: false, name: 'Maria' },
			sender: { id: '5511988887777@s.whatsapp.net', phone: '5511988887777', name: 'Maria' },
			message: { id: '3EB0C431C2A8F5D2E1B7', type: 'text', text: 'Hello there', fromMe: false, timestamp: '2024-06-03T16:00:00.000Z' },
		});
		expect(output[1].json).toMatchObject({
			source: 'whazing',
			event: 'ticket.created',
			originalEvent: 'NewTicket',
			instance: 'Atendimento',
			ticket: { id: '4821', status: 'pending', protocol: '202601010001' },
			contact: { id: '1207', name: 'Maria Souza', phone: '5511988887777' },
		});
		expect(output[2].json).toMatchObject({
			source: 'whaticket',
			event: 'message.received',
			originalEvent: 'start',
			instance: 'Comercial',
			message: { text: 'Bom dia, preciso da segunda via do boleto', fromMe: false },
			ticket: { id: '912', status: 'pending', queue: { id: '4', name: 'Financeiro' } },
		});
		// Without "Include Raw Payload" nothing of the delivery (apikey, URL secrets) is copied out.
		expect(JSON.stringify(output)).not.toContain('WHATICKET-URL-SECRET');
		expect(JSON.stringify(output)).not.toContain('URL-SECRET-V2');
	});

	it('an array payload becomes one item per element, all paired to the one input; "One Item per Array Element" off folds them', async () => {
		const host = await nodeFor(null, normalize());
		const contacts = fixture('evolution/contacts.upsert.v2.json');
		const split = await run(host, [webhookNodeItem(evolutionBody), webhookNodeItem(contacts)]);
		expect(split.map((item) => item.json.event)).toEqual(['message.received', 'contact.updated', 'contact.updated']);
		expect(split.map((item) => (item.json.contact as IDataObject | null)?.name ?? null)).toEqual([null, 'Maria', 'Ana']);
		expectPairedToInput(split, [0, 1, 1]);

		const folded = await run(host, [webhookNodeItem(contacts)], normalize({ normalizeOptions: { splitArrays: false } }));
		expect(folded).toHaveLength(1);
		expect(folded[0].json).toMatchObject({ event: 'contact.updated', details: { count: 2 } });
		expectPairedToInput(folded, [0]);
	});

	it('"Include Raw Payload" keeps the delivery without its secrets', async () => {
		const host = await nodeFor(null, normalize({ normalizeOptions: { includeRaw: true } }));
		const [item] = await run(host, [webhookNodeItem(whaticketBody)]);
		const raw = item.json.raw as IDataObject;
		expect(raw).toMatchObject({ acao: 'start', mensagem: 'Bom dia, preciso da segunda via do boleto' });
		expect(JSON.stringify(raw)).not.toContain('WHATICKET-URL-SECRET');
	});

	it('"Whole Item" treats the item itself as the payload (e.g. after a Code node)', async () => {
		const host = await nodeFor(null, normalize({ payload: 'item' }));
		const output = await run(host, [{ json: whazingBody }, { json: evolutionBody }]);
		expect(output.map((item) => [item.json.source, item.json.event])).toEqual([
			['whazing', 'ticket.created'],
			['evolution', 'message.received'],
		]);
		expectPairedToInput(output, [0, 1]);

		// A Webhook-node item as a whole is not a delivery: one "unknown" item that says why.
		const [wrapped] = await run(host, [webhookNodeItem(evolutionBody)]);
		expect(wrapped.json).toMatchObject({ source: 'unknown', event: 'unknown' });
		expect(String(wrapped.json.reason)).toMatch(/does not look like a delivery/);
	});

	it('"Auto" reads the body of a Webhook-node item, and the whole item when there is no body', async () => {
		const host = await nodeFor(null, normalize({ payload: 'auto' }));
		const output = await run(host, [webhookNodeItem(whaticketBody), { json: evolutionBody }]);
		expect(output.map((item) => item.json.source)).toEqual(['whaticket', 'evolution']);
	});

	it('"Custom Value" normalizes what the expression picks', async () => {
		const host = await nodeFor(null, normalize({ payload: 'custom', customPayload: '={{ $json.stored.delivery }}' }));
		const output = await run(host, [{ json: { stored: { delivery: evolutionBody } } }, { json: { stored: { delivery: whazingBody } } }]);
		expect(output.map((item) => [item.json.source, item.json.event])).toEqual([
			['evolution', 'message.received'],
			['whazing', 'ticket.created'],
		]);
		expectPairedToInput(output, [0, 1]);
	});

	it('"Custom Value" with its default expression reads $json.body', async () => {
		const host = await nodeFor(null, normalize({ payload: 'custom' }));
		const [item] = await run(host, [webhookNodeItem(whazingBody)]);
		expect(item.json).toMatchObject({ source: 'whazing', event: 'ticket.created' });
	});

	it('"Custom Value" given as pasted JSON text (no expression) is read as JSON', async () => {
		const host = await nodeFor(null, normalize({ payload: 'custom', customPayload: JSON.stringify(whaticketBody) }));
		const [item] = await run(host, [{ json: {} }]);
		expect(item.json).toMatchObject({ source: 'whaticket', event: 'message.received', originalEvent: 'start' });
	});

	it('a forced source that does not match gives an "unknown" item that says so, not a crash', async () => {
		const host = await nodeFor(null, normalize({ source: 'whazing' }));
		const [item] = await run(host, [webhookNodeItem(evolutionBody)]);
		expect(item.json).toMatchObject({ source: 'unknown', event: 'unknown' });
		expect(String(item.json.reason)).toMatch(/Evolution API, not from Whazing/);
		expect(item.pairedItem).toEqual({ item: 0 });
	});

	it('without a credential, the server operations fail with a clear error instead', async () => {
		const host = await nodeFor(null, find('inst1'));
		const error = await executionFailure(host, one);
		// n8n-core's getCredentials refuses before any request is made.
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe('Node does not have any credentials set for "evolutionApi"');
	});
});
