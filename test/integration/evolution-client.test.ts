/**
 * EvolutionClient over real HTTP on 127.0.0.1, inside a real n8n-core ExecuteContext (NodeHost), against
 * the Evolution test double of each dialect. Expected bodies and answers are written by hand from the
 * server's behaviour as docs/protocol.md#dialects and docs/protocol.md#event-catalog describe it (routes,
 * auth and error bodies, set/find per dialect, per-version event enums).
 */
import {
	NodeApiError,
	NodeConnectionTypes,
	NodeOperationError,
	type IExecuteFunctions,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { EvolutionClient, type ClientOptions } from '../../nodes/lib/evolution/client';
import type { WebhookConfig, WebhookSettings } from '../../nodes/lib/evolution/dialect';
import type { VersionSetting } from '../../nodes/lib/evolution/version';
import { EvolutionDouble, type DoubleDialect } from '../support/evolution-double';
import { failureOf } from '../support/failure';
import { NodeHost } from '../support/node-host';
import { closedPort } from '../support/ports';

// ---------------------------------------------------------------- a real ExecuteContext for the client

let scenario: (context: IExecuteFunctions) => Promise<void> = async () => {};

/** A bare action node: its execute() hands n8n-core's real ExecuteContext to the running test. */
class ClientProbe implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Evolution Client Probe',
		name: 'evolutionClientProbe',
		group: ['transform'],
		version: 1,
		description: 'Runs an EvolutionClient scenario inside a real n8n ExecuteContext',
		defaults: { name: 'Evolution Client Probe' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'evolutionApi', required: true }],
		properties: [],
	};

	async execute(this: IExecuteFunctions) {
		await scenario(this);
		return [[]];
	}
}

const hosts: NodeHost[] = [];
const doubles: EvolutionDouble[] = [];

async function hostFor(baseUrl: string, apiKey: string): Promise<NodeHost> {
	const host = await NodeHost.create({ nodeType: new ClientProbe(), credentials: { evolutionApi: { baseUrl, apiKey } } });
	hosts.push(host);
	return host;
}

/** One execution: one client made from the execution's context, used by `use`. */
async function withClient<T>(
	host: NodeHost,
	use: (client: EvolutionClient) => Promise<T>,
	versionSetting: VersionSetting = 'auto',
	clientOptions: ClientOptions = {},
): Promise<T> {
	let result: T | undefined;
	scenario = async (context) => {
		result = await use(await EvolutionClient.create(context, versionSetting, clientOptions));
	};
	await host.execute([{ json: {} }]);
	return result as T;
}

/** The error a client call throws (the test fails when it does not throw). */
async function clientFailure(
	host: NodeHost,
	use: (client: EvolutionClient) => Promise<unknown>,
	versionSetting: VersionSetting = 'auto',
	clientOptions: ClientOptions = {},
): Promise<Error> {
	return await failureOf(() => withClient(host, use, versionSetting, clientOptions), 'the client call to fail');
}

afterEach(async () => {
	for (const host of hosts.splice(0)) await host.close();
	for (const double of doubles.splice(0)) await double.stop();
	scenario = async () => {};
});

// ---------------------------------------------------------------- fixtures

const INSTANCE = 'inst1';
const INSTANCE_TOKEN = 'inst1-token';
const NODE_URL = 'https://n8n.example.com/webhook/2f1c3b4a-5d6e-4f70-8a9b-0c1d2e3f4a5b/evolution';
const SECRET_HEADERS = { 'x-n8n-evolution-secret': 's3cr3t' };

/** Settings as the trigger passes them; event names in mixed spellings on purpose (the client maps them). */
const SETTINGS: WebhookSettings = {
	url: NODE_URL,
	enabled: true,
	events: ['messages.upsert', '/connection-update'],
	byEvents: false,
	base64: false,
	headers: SECRET_HEADERS,
};
const CONFIG_EVENTS = ['MESSAGES_UPSERT', 'CONNECTION_UPDATE'];

interface DialectCase {
	dialect: DoubleDialect;
	version: string;
	/** What the client should detect (the package has one dialect for 2.1.0 and newer). */
	clientDialect: 'v1' | 'v2.0' | 'v2.1';
	/** The set body of each dialect (v1 flat snake_case, 2.0 flat camelCase, 2.1+ nested), written out by hand. */
	setBody: Record<string, unknown>;
	/** Custom headers exist from 2.1.1 (#869). */
	keepsHeaders: boolean;
	/** An event this version does not accept, and the version the refusal must name. */
	unsupported: { event: string; needs: RegExp };
}

const CASES: DialectCase[] = [
	{
		dialect: 'v1',
		version: '1.8.2',
		clientDialect: 'v1',
		setBody: { enabled: true, url: NODE_URL, webhook_by_events: false, webhook_base64: false, events: CONFIG_EVENTS },
		keepsHeaders: false,
		unsupported: { event: 'MESSAGES_EDITED', needs: /2\.0\.0 or newer/ },
	},
	{
		dialect: 'v2.0',
		version: '2.0.10',
		clientDialect: 'v2.0',
		setBody: { enabled: true, url: NODE_URL, webhookByEvents: false, webhookBase64: false, events: CONFIG_EVENTS },
		keepsHeaders: false,
		unsupported: { event: 'REMOVE_INSTANCE', needs: /2\.1\.0 or newer/ },
	},
	{
		dialect: 'v2.1',
		version: '2.2.3',
		clientDialect: 'v2.1',
		setBody: { webhook: { enabled: true, url: NODE_URL, events: CONFIG_EVENTS, byEvents: false, base64: false, headers: SECRET_HEADERS } },
		keepsHeaders: true,
		unsupported: { event: 'SEND_MESSAGE_UPDATE', needs: /2\.3\.0 or newer/ },
	},
	{
		dialect: 'v2.3',
		version: '2.3.6',
		clientDialect: 'v2.1',
		setBody: { webhook: { enabled: true, url: NODE_URL, events: CONFIG_EVENTS, byEvents: false, base64: false, headers: SECRET_HEADERS } },
		keepsHeaders: true,
		unsupported: { event: 'CHAMA_AI_ACTION', needs: /older than 2\.0\.0/ },
	},
];

async function startDouble(dialect: DoubleDialect, options: { hideVersion?: boolean; pathPrefix?: string } = {}): Promise<EvolutionDouble> {
	const double = new EvolutionDouble({
		dialect,
		instances: [
			{ name: INSTANCE, token: INSTANCE_TOKEN },
			{ name: 'inst2', token: 'inst2-token' },
		],
		...options,
	});
	doubles.push(double);
	await double.start();
	return double;
}

const rootCalls = (double: EvolutionDouble) => double.requests.filter((request) => request.method === 'GET' && request.path === '/');
const setCalls = (double: EvolutionDouble) => double.requestsTo('POST', '/webhook/set/');

// ---------------------------------------------------------------- per dialect

describe.each(CASES)('EvolutionClient against Evolution $version ($dialect)', (testCase) => {
	const expectedConfig: WebhookConfig = {
		url: NODE_URL,
		enabled: true,
		events: CONFIG_EVENTS,
		byEvents: false,
		base64: false,
		headers: testCase.keepsHeaders ? SECRET_HEADERS : null,
	};

	it('sends exactly the set body of its dialect, with the apikey header and JSON content type', async () => {
		const double = await startDouble(testCase.dialect);
		const host = await hostFor(double.baseUrl, double.globalKey);
		await withClient(host, (client) => client.setWebhook(INSTANCE, SETTINGS));
		const [set] = setCalls(double);
		expect(setCalls(double)).toHaveLength(1);
		expect(set.path).toBe(`/webhook/set/${INSTANCE}`);
		expect(set.body).toStrictEqual(testCase.setBody);
		expect(set.headers.apikey).toBe(double.globalKey);
		expect(String(set.headers['content-type'])).toMatch(/^application\/json/);
	});

	it('reads its set answer and its find answer into the same WebhookConfig', async () => {
		const double = await startDouble(testCase.dialect);
		const host = await hostFor(double.baseUrl, double.globalKey);
		const { stored, found } = await withClient(host, async (client) => ({
			stored: await client.setWebhook(INSTANCE, SETTINGS),
			found: await client.findWebhook(INSTANCE),
		}));
		expect(found).toEqual(expectedConfig);
		expect(stored).toEqual(expectedConfig);
	});

	it('reads "no webhook" as null', async () => {
		const double = await startDouble(testCase.dialect);
		const host = await hostFor(double.baseUrl, double.globalKey);
		expect(await withClient(host, (client) => client.findWebhook('inst2'))).toBeNull();
	});

	it("reads a user's own webhook the same way in every dialect", async () => {
		const double = await startDouble(testCase.dialect);
		double.seedWebhook(INSTANCE, { url: 'https://crm.example.com/hook', events: ['CALL'], byEvents: true, base64: true });
		const host = await hostFor(double.baseUrl, double.globalKey);
		expect(await withClient(host, (client) => client.findWebhook(INSTANCE))).toEqual({
			url: 'https://crm.example.com/hook',
			enabled: true,
			events: ['CALL'],
			byEvents: true,
			base64: true,
			headers: null,
		});
	});

	it('disabling: v1/2.0 blank the webhook (null), 2.1+ keep the URL with enabled false', async () => {
		const double = await startDouble(testCase.dialect);
		const host = await hostFor(double.baseUrl, double.globalKey);
		const found = await withClient(host, async (client) => {
			await client.setWebhook(INSTANCE, SETTINGS);
			await client.setWebhook(INSTANCE, { url: NODE_URL, enabled: false, events: [], byEvents: false, base64: false, headers: {} });
			return await client.findWebhook(INSTANCE);
		});
		if (testCase.clientDialect === 'v2.1') {
			expect(found).toEqual({ url: NODE_URL, enabled: false, events: [], byEvents: false, base64: false, headers: {} });
		} else {
			expect(found).toBeNull();
		}
	});

	it('asks GET / once per client, before the first set, however many calls follow', async () => {
		const double = await startDouble(testCase.dialect);
		const host = await hostFor(double.baseUrl, double.globalKey);
		const server = await withClient(host, async (client) => {
			await client.findWebhook(INSTANCE);
			await client.setWebhook(INSTANCE, SETTINGS);
			await client.setWebhook(INSTANCE, { ...SETTINGS, events: ['CALL'] });
			await client.findWebhook(INSTANCE);
			await client.server();
			return await client.server();
		});
		expect(server).toEqual({ dialect: testCase.clientDialect, version: testCase.version });
		expect(rootCalls(double)).toHaveLength(1);
		const firstSet = double.requests.findIndex((request) => request.method === 'POST');
		expect(double.requests.indexOf(rootCalls(double)[0])).toBeLessThan(firstSet);
		// A new execution makes a new client, which asks again, once, even for calls made at the same time.
		await withClient(host, (client) =>
			Promise.all([client.setWebhook(INSTANCE, SETTINGS), client.setWebhook('inst2', SETTINGS), client.server()]),
		);
		expect(rootCalls(double)).toHaveLength(2);
		expect(setCalls(double)).toHaveLength(4);
	});

	it('refuses an event the version lacks before anything is sent, naming the event and the version it needs', async () => {
		const double = await startDouble(testCase.dialect);
		const host = await hostFor(double.baseUrl, double.globalKey);
		const error = await clientFailure(host, (client) => client.setWebhook(INSTANCE, { ...SETTINGS, events: ['MESSAGES_UPSERT', testCase.unsupported.event] }));
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toContain(testCase.unsupported.event);
		expect(error.message).toMatch(testCase.unsupported.needs);
		expect(error.message).toContain(testCase.version);
		expect(error.message).not.toContain('MESSAGES_UPSERT');
		expect(setCalls(double)).toHaveLength(0);
	});

	it('a server that hides its version: refused on auto, works with the dialect chosen by the user', async () => {
		const double = await startDouble(testCase.dialect, { hideVersion: true });
		const host = await hostFor(double.baseUrl, double.globalKey);
		const refused = await clientFailure(host, (client) => client.setWebhook(INSTANCE, SETTINGS));
		expect(refused).toBeInstanceOf(NodeOperationError);
		expect(refused.message).toContain('did not report its Evolution API version');
		expect(refused.message).toContain(double.baseUrl);
		expect(setCalls(double)).toHaveLength(0);

		const { server, found } = await withClient(
			host,
			async (client) => {
				await client.setWebhook(INSTANCE, SETTINGS);
				return { server: await client.server(), found: await client.findWebhook(INSTANCE) };
			},
			testCase.clientDialect,
		);
		expect(server).toEqual({ dialect: testCase.clientDialect, version: null });
		expect(setCalls(double)[0].body).toStrictEqual(testCase.setBody);
		expect(found).toEqual(expectedConfig);
	});

	it('a chosen dialect keeps the version the server reports when they agree', async () => {
		const double = await startDouble(testCase.dialect);
		const host = await hostFor(double.baseUrl, double.globalKey);
		expect(await withClient(host, (client) => client.server(), testCase.clientDialect)).toEqual({
			dialect: testCase.clientDialect,
			version: testCase.version,
		});
	});

	it('a base URL with a path prefix and a trailing slash reaches the server', async () => {
		const double = await startDouble(testCase.dialect, { pathPrefix: '/whatsapp' });
		expect(double.baseUrl).toMatch(/\/whatsapp$/);
		const host = await hostFor(`${double.baseUrl}/`, double.globalKey);
		const { baseUrl, found } = await withClient(host, async (client) => {
			await client.setWebhook(INSTANCE, SETTINGS);
			return { baseUrl: client.baseUrl, found: await client.findWebhook(INSTANCE) };
		});
		expect(baseUrl).toBe(double.baseUrl);
		expect(found).toEqual(expectedConfig);
		expect(double.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
			'GET /',
			`POST /webhook/set/${INSTANCE}`,
			`GET /webhook/find/${INSTANCE}`,
		]);
	});

	it('an instance token works on the instance routes (the apikey header takes the global key or the instance token)', async () => {
		const double = await startDouble(testCase.dialect);
		const host = await hostFor(double.baseUrl, INSTANCE_TOKEN);
		expect(await withClient(host, async (client) => await client.setWebhook(INSTANCE, SETTINGS))).toEqual(expectedConfig);
		expect(setCalls(double)[0].headers.apikey).toBe(INSTANCE_TOKEN);
	});

	it('writes groups.update as GROUP_UPDATE, the only spelling the server enum knows', async () => {
		const double = await startDouble(testCase.dialect);
		const host = await hostFor(double.baseUrl, double.globalKey);
		const stored = await withClient(host, (client) =>
			client.setWebhook(INSTANCE, { ...SETTINGS, events: ['groups.update', 'group-participants.update'] }),
		);
		const body = setCalls(double)[0].body as Record<string, Record<string, unknown>>;
		const sentEvents = testCase.clientDialect === 'v2.1' ? body.webhook.events : body.events;
		expect(sentEvents).toEqual(['GROUP_UPDATE', 'GROUP_PARTICIPANTS_UPDATE']);
		expect(stored?.events).toEqual(['GROUP_UPDATE', 'GROUP_PARTICIPANTS_UPDATE']);
	});

	it('an instance name with spaces and accents travels URL-encoded and works', async () => {
		const double = await startDouble(testCase.dialect);
		double.addInstance({ name: 'Loja Água', token: 'loja-token' });
		const host = await hostFor(double.baseUrl, double.globalKey);
		const found = await withClient(host, async (client) => {
			await client.setWebhook('Loja Água', SETTINGS);
			return await client.findWebhook('Loja Água');
		});
		expect(found).toEqual(expectedConfig);
		expect(setCalls(double)[0].path).toBe('/webhook/set/Loja%20%C3%81gua');
	});

	it('lists instances with name, id, status, owner and profile name', async () => {
		const double = new EvolutionDouble({
			dialect: testCase.dialect,
			instances: [
				{ name: INSTANCE, token: INSTANCE_TOKEN, connectionStatus: 'open', ownerJid: '5511911112222@s.whatsapp.net', profileName: 'Loja' },
				{ name: 'inst2', token: 'inst2-token', connectionStatus: 'close' },
			],
		});
		doubles.push(double);
		await double.start();
		const all = await withClient(await hostFor(double.baseUrl, double.globalKey), (client) => client.listInstances());
		expect(all).toEqual([
			{ name: INSTANCE, id: double.instanceIdOf(INSTANCE), status: 'open', owner: '5511911112222@s.whatsapp.net', profileName: 'Loja' },
			{ name: 'inst2', id: double.instanceIdOf('inst2'), status: 'close', owner: null, profileName: null },
		]);
		const own = await withClient(await hostFor(double.baseUrl, 'inst2-token'), (client) => client.listInstances());
		expect(own.map((instance) => instance.name)).toEqual(['inst2']);
	});

	describe('errors become NodeApiError with a human sentence', () => {
		it('instance not found names the instance (even with a wrong key: the instance guard runs first)', async () => {
			const double = await startDouble(testCase.dialect);
			for (const apiKey of [double.globalKey, 'wrong-key']) {
				const host = await hostFor(double.baseUrl, apiKey);
				const error = await clientFailure(host, (client) => client.findWebhook('ghost'));
				expect(error).toBeInstanceOf(NodeApiError);
				expect(error.message).toBe('The instance "ghost" does not exist on the server');
				expect((error as NodeApiError).httpCode).toBe('404');
			}
			const host = await hostFor(double.baseUrl, double.globalKey);
			const onSet = await clientFailure(host, (client) => client.setWebhook('ghost', SETTINGS));
			expect(onSet.message).toContain('"ghost"');
		});

		it('a wrong API key is unauthorized, naming the instance', async () => {
			const double = await startDouble(testCase.dialect);
			const host = await hostFor(double.baseUrl, 'wrong-key');
			const error = await clientFailure(host, (client) => client.findWebhook(INSTANCE));
			expect(error).toBeInstanceOf(NodeApiError);
			expect(error.message).toMatch(/refused the API key/);
			expect(error.message).toContain(`"${INSTANCE}"`);
			expect((error as NodeApiError).httpCode).toBe('401');
			// Another instance's token is just as wrong for this instance.
			const otherToken = await hostFor(double.baseUrl, 'inst2-token');
			expect((await clientFailure(otherToken, (client) => client.findWebhook(INSTANCE))).message).toMatch(/refused the API key/);
		});

		it('a validation error names the field', async () => {
			const double = await startDouble(testCase.dialect);
			const host = await hostFor(double.baseUrl, double.globalKey);
			if (testCase.dialect === 'v2.3') {
				// 2.3+ no longer checks the URL at set time; a body in the wrong dialect is what it rejects.
				const error = await clientFailure(host, (client) => client.setWebhook(INSTANCE, SETTINGS), 'v2.0');
				expect(error).toBeInstanceOf(NodeApiError);
				expect(error.message).toMatch(/wrong format/);
				expect((error as NodeApiError).description).toContain('instance requires property "webhook"');
				expect((error as NodeApiError).httpCode).toBe('400');
				return;
			}
			const error = await clientFailure(host, (client) => client.setWebhook(INSTANCE, { ...SETTINGS, url: 'not a url' }));
			expect(error).toBeInstanceOf(NodeApiError);
			expect(error.message).toBe('The server rejected the request: Invalid "url" property');
			expect((error as NodeApiError).httpCode).toBe('400');
		});

		it('a server error carries the server text', async () => {
			const double = await startDouble(testCase.dialect);
			double.setInstanceLoaded(INSTANCE, false);
			const host = await hostFor(double.baseUrl, double.globalKey);
			const error = await clientFailure(host, (client) => client.setWebhook(INSTANCE, SETTINGS));
			expect(error).toBeInstanceOf(NodeApiError);
			expect((error as NodeApiError).httpCode).toBe('500');
			const reading = testCase.clientDialect === 'v2.1' ? 'instanceId' : 'setWebhook';
			expect(error.message).toBe(`The Evolution API server failed (500): Cannot read properties of undefined (reading '${reading}')`);
			if (testCase.clientDialect === 'v2.1') expect((error as NodeApiError).description).toMatch(/not loaded/);
		});

		it('a non-JSON error page from a proxy still gives the status and its text', async () => {
			const double = await startDouble(testCase.dialect);
			double.failNext('find', { status: 502, body: 'Bad Gateway' });
			const host = await hostFor(double.baseUrl, double.globalKey);
			const error = await clientFailure(host, (client) => client.findWebhook(INSTANCE));
			expect(error).toBeInstanceOf(NodeApiError);
			expect(error.message).toBe('The Evolution API server failed (502): Bad Gateway');
		});
	});
});

describe('EvolutionClient against a server that hides its version', () => {
	it('Evolution 2.2.3 with its version hidden: an event the client cannot rule out is rejected by the server, naming the field', async () => {
		const double = await startDouble('v2.1', { hideVersion: true });
		const host = await hostFor(double.baseUrl, double.globalKey);
		const error = await clientFailure(host, (client) => client.setWebhook(INSTANCE, { ...SETTINGS, events: ['SEND_MESSAGE_UPDATE'] }), 'v2.1');
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toContain('webhook.events[0]');
		expect((error as NodeApiError).description).toContain('is not one of enum values');
	});
});

describe('EvolutionClient when nothing listens', () => {
	it('names the URL and the reason (closed port on 127.0.0.1)', async () => {
		const port = await closedPort();
		const baseUrl = `http://127.0.0.1:${port}`;
		const host = await hostFor(baseUrl, 'any-key');
		const error = await clientFailure(host, (client) => client.findWebhook(INSTANCE));
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe(`Could not reach the Evolution API server at ${baseUrl}/webhook/find/${INSTANCE} (ECONNREFUSED: nothing is listening there)`);
		expect((error as NodeApiError).description).toMatch(/Base URL/);

		const onDetect = await clientFailure(host, (client) => client.setWebhook(INSTANCE, SETTINGS));
		expect(onDetect.message).toContain(`${baseUrl}/`);
		expect(onDetect.message).toContain('ECONNREFUSED');
	});

	it('a connection reset names the URL', async () => {
		const double = await startDouble('v2.3');
		double.failNext('find', 'reset');
		const host = await hostFor(double.baseUrl, double.globalKey);
		const error = await clientFailure(host, (client) => client.findWebhook(INSTANCE));
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe(
			`Could not reach the Evolution API server at ${double.baseUrl}/webhook/find/${INSTANCE} (ECONNRESET: the connection was closed before an answer)`,
		);
	});

	it('a server that never answers: the call gives up after the timeout it was given, naming the URL', async () => {
		const double = await startDouble('v2.3');
		double.failNext('find', 'timeout');
		const host = await hostFor(double.baseUrl, double.globalKey);
		const error = await clientFailure(host, (client) => client.findWebhook(INSTANCE), 'auto', { timeoutMs: 200 });
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toMatch(
			new RegExp(`^Could not reach the Evolution API server at ${double.baseUrl.replace(/[.]/g, '\\.')}/webhook/find/${INSTANCE} \\((ECONNABORTED|ETIMEDOUT): the server did not answer in time\\)$`),
		);
		// Without the option every request asks n8n for the 10 s default.
		expect(host.requestedTimeouts.length).toBeGreaterThan(0);
		expect(new Set(host.requestedTimeouts)).toEqual(new Set([200]));
		const before = host.requestedTimeouts.length;
		await withClient(host, (client) => client.findWebhook(INSTANCE));
		expect(host.requestedTimeouts.length).toBeGreaterThan(before);
		expect(new Set(host.requestedTimeouts.slice(before))).toEqual(new Set([10_000]));
	});

	it('refuses a credential without a usable base URL before any request', async () => {
		const host = await hostFor('ftp://127.0.0.1/', 'any-key');
		const error = await clientFailure(host, (client) => client.findWebhook(INSTANCE));
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toMatch(/no valid Base URL/);
	});
});
