/**
 * Proves test/support/node-host.ts: tiny inline nodes run through n8n-core's real contexts, with
 * lifecycle modes, URLs, static-data persistence and webhook answers as n8n 2.x gives them, and
 * credentials applied to real HTTP requests on 127.0.0.1.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import {
	NodeOperationError,
	type ICredentialType,
	type IDataObject,
	type IExecuteFunctions,
	type IHookFunctions,
	type ILoadOptionsFunctions,
	type INodeExecutionData,
	type INodePropertyOptions,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { NodeHost } from '../support/node-host';

interface Seen {
	what: string;
	mode: string;
	activation?: string;
	url?: string;
	staticData: IDataObject;
	workflowActive?: boolean;
}

/** A trigger whose behaviour is chosen by its parameters, recording what n8n showed it. */
function makeTrigger(seen: Seen[], options: { path?: string; isFullPath?: boolean; typeVersion?: number } = {}): INodeType {
	const description: INodeTypeDescription = {
		displayName: 'Recording Trigger',
		name: 'recordingTrigger',
		group: ['trigger'],
		version: options.typeVersion ?? 1,
		description: 'Records lifecycle calls',
		defaults: { name: 'Recording Trigger' },
		inputs: [],
		outputs: ['main'],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				path: options.path ?? 'hook',
				isFullPath: options.isFullPath,
			},
		],
		properties: [
			{ displayName: 'Exists Remotely', name: 'existsRemotely', type: 'boolean', default: false },
			{ displayName: 'Fail', name: 'fail', type: 'string', default: '' },
			{ displayName: 'Answer', name: 'answer', type: 'string', default: 'items' },
		],
	};
	const snapshot = (ctx: IHookFunctions | IWebhookFunctions) =>
		JSON.parse(JSON.stringify(ctx.getWorkflowStaticData('node'))) as IDataObject;
	return {
		description,
		webhookMethods: {
			default: {
				async checkExists(this: IHookFunctions) {
					seen.push({
						what: 'checkExists',
						mode: this.getMode(),
						activation: this.getActivationMode(),
						url: this.getNodeWebhookUrl('default'),
						staticData: snapshot(this),
						workflowActive: this.getWorkflow().active,
					});
					if (this.getNodeParameter('fail') === 'checkExists') throw new Error('checkExists failed');
					const data = this.getWorkflowStaticData('node');
					return this.getNodeParameter('existsRemotely') === true || data.registeredUrl === this.getNodeWebhookUrl('default');
				},
				async create(this: IHookFunctions) {
					const data = this.getWorkflowStaticData('node');
					data.registeredUrl = this.getNodeWebhookUrl('default');
					seen.push({ what: 'create', mode: this.getMode(), activation: this.getActivationMode(), staticData: snapshot(this) });
					this.logger.info(`Registered webhook ${String(data.registeredUrl)}`);
					if (this.getNodeParameter('fail') === 'create') {
						throw new NodeOperationError(this.getNode(), 'create failed half-way');
					}
					return true;
				},
				async delete(this: IHookFunctions) {
					seen.push({
						what: 'delete',
						mode: this.getMode(),
						activation: this.getActivationMode(),
						url: this.getNodeWebhookUrl('default'),
						staticData: snapshot(this),
					});
					if (this.getNodeParameter('fail') === 'delete') throw new Error('remote refused delete');
					const data = this.getWorkflowStaticData('node');
					delete data.registeredUrl;
					return true;
				},
			},
		},
		async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
			const req = this.getRequestObject();
			const data = this.getWorkflowStaticData('node');
			data.deliveries = Number(data.deliveries ?? 0) + 1;
			seen.push({ what: 'webhook', mode: this.getMode(), url: this.getNodeWebhookUrl('default'), staticData: snapshot(this) });
			const answer = this.getNodeParameter('answer') as string;
			if (answer === 'throw') throw new Error('webhook exploded');
			if (answer === 'unauthorized') {
				this.getResponseObject().status(401).json({ error: 'bad token' });
				return { noWebhookResponse: true };
			}
			if (answer === 'silent') return { noWebhookResponse: true };
			if (answer === 'empty') return {};
			if (answer === 'text') return { webhookResponse: 'OK' };
			if (answer === 'self') this.getResponseObject().status(200).json({ received: true });
			return {
				...(answer === 'self' ? { noWebhookResponse: true } : {}),
				workflowData: [
					[
						{
							json: {
								body: this.getBodyData(),
								rawBody: Buffer.isBuffer(req.rawBody) ? req.rawBody.toString('utf8') : null,
								headers: this.getHeaderData() as IDataObject,
								query: this.getQueryData() as IDataObject,
								params: this.getParamsData() as IDataObject,
								method: req.method ?? null,
								path: req.path,
							},
						},
					],
				],
			};
		},
	};
}

class TokenApi implements ICredentialType {
	name = 'tokenApi';
	displayName = 'Token API';
	properties = [
		{ displayName: 'Base URL', name: 'baseUrl', type: 'string' as const, default: '' },
		{ displayName: 'Token', name: 'token', type: 'string' as const, default: '' },
	];
	authenticate = {
		type: 'generic' as const,
		properties: { headers: { apikey: '={{$credentials.token}}' }, qs: { tenant: '={{$credentials.token + "-tenant"}}' } },
	};
}

/** An action node calling GET <baseUrl>/items/<id> with whichever credential type it is given. */
function makeAction(credentialName: string): INodeType {
	return {
		description: {
			displayName: 'Fetch Item',
			name: 'fetchItem',
			group: ['transform'],
			version: 1,
			description: 'Fetches an item',
			defaults: { name: 'Fetch Item' },
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: credentialName, required: true }],
			properties: [{ displayName: 'Item ID', name: 'itemId', type: 'string', default: '' }],
		},
		methods: {
			loadOptions: {
				async getItems(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
					const { baseUrl } = await this.getCredentials(credentialName);
					const names = (await this.helpers.httpRequestWithAuthentication.call(this, credentialName, {
						url: `${String(baseUrl)}/items`,
						json: true,
					})) as string[];
					return names.map((name) => ({ name, value: name }));
				},
			},
		},
		async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
			const items = this.getInputData();
			const { baseUrl } = await this.getCredentials(credentialName);
			const output: INodeExecutionData[] = [];
			for (let i = 0; i < items.length; i++) {
				try {
					const itemId = this.getNodeParameter('itemId', i) as string;
					const response = (await this.helpers.httpRequestWithAuthentication.call(this, credentialName, {
						url: `${String(baseUrl)}/items/${itemId}`,
						json: true,
					})) as IDataObject;
					output.push({ json: response, pairedItem: i });
				} catch (error) {
					if (!this.continueOnFail()) throw error;
					output.push({ json: { error: (error as Error).message }, pairedItem: i });
				}
			}
			return [output];
		},
	};
}

interface ApiServer {
	url: string;
	requests: Array<{ url: string; headers: IncomingMessage['headers'] }>;
	close(): Promise<void>;
}

async function startApiServer(): Promise<ApiServer> {
	const requests: ApiServer['requests'] = [];
	const server: Server = createServer((req, res) => {
		requests.push({ url: req.url ?? '', headers: req.headers });
		res.setHeader('content-type', 'application/json');
		if (req.url?.startsWith('/items/missing')) {
			res.statusCode = 404;
			res.end(JSON.stringify({ message: 'no such item' }));
		} else if (req.url?.startsWith('/items/')) {
			res.end(JSON.stringify({ id: req.url.split('/')[2].split('?')[0], apikey: req.headers.apikey ?? null }));
		} else {
			res.end(JSON.stringify(['alpha', 'beta']));
		}
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		requests,
		close: async () => {
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}

describe('NodeHost lifecycle (HookContext)', () => {
	let host: NodeHost;
	let seen: Seen[];

	beforeEach(async () => {
		seen = [];
		host = await NodeHost.create({ nodeType: makeTrigger(seen), webhookId: 'hook-id-1' });
		await host.listen();
	});

	afterEach(async () => {
		await host.close();
	});

	it('activates with mode trigger/activate on the production URL and persists what create stored', async () => {
		await host.activate();

		expect(host.productionUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/webhook\/hook-id-1\/hook$/);
		expect(host.calls.map((c) => [c.method, c.mode, c.activation, c.url])).toEqual([
			['checkExists', 'trigger', 'activate', host.productionUrl],
			['create', 'trigger', 'activate', host.productionUrl],
		]);
		expect(seen[0].workflowActive).toBe(true);
		expect(host.staticData.production).toEqual({ 'node:Recording Trigger': { registeredUrl: host.productionUrl } });
		expect(host.logs).toContainEqual({ level: 'info', message: `Registered webhook ${host.productionUrl}` });
	});

	it('restart runs checkExists with activation init and skips create when the stored registration matches', async () => {
		await host.activate();
		await host.restart();

		expect(host.calls.slice(2).map((c) => [c.method, c.mode, c.activation, c.result])).toEqual([
			['checkExists', 'trigger', 'init', true],
		]);
	});

	it('deactivates with mode internal/update, showing delete the persisted data and saving its removal', async () => {
		await host.activate();
		await host.deactivate();

		const deleteCall = seen.find((s) => s.what === 'delete');
		expect(deleteCall).toEqual({
			what: 'delete',
			mode: 'internal',
			activation: 'update',
			url: host.productionUrl,
			staticData: { registeredUrl: host.productionUrl },
		});
		expect(host.staticData.production).toEqual({ 'node:Recording Trigger': {} });
	});

	it('on a failing create calls delete with the pre-activation static data, rethrows, and saves nothing', async () => {
		host.setParameters({ fail: 'create' });

		await expect(host.activate()).rejects.toThrow('create failed half-way');

		expect(host.calls.map((c) => [c.method, c.mode, c.activation])).toEqual([
			['checkExists', 'trigger', 'activate'],
			['create', 'trigger', 'activate'],
			['delete', 'internal', 'update'],
		]);
		// clearWebhooks rebuilds the workflow from the DB: create's half-written data is invisible.
		expect(seen.find((s) => s.what === 'delete')?.staticData).toEqual({});
		// clearWebhooks saves what delete left (its own `delete data.registeredUrl` marks a change).
		expect(host.staticData.production).toEqual({ 'node:Recording Trigger': {} });
		expect((await host.post({ a: 1 })).status).toBe(404);
	});

	it('a throwing delete is logged like n8n ("Could not remove webhooks") and not rethrown', async () => {
		await host.activate();
		host.setParameters({ fail: 'delete' });

		await expect(host.deactivate()).resolves.toBeUndefined();

		expect(host.logs).toContainEqual({
			level: 'error',
			message: 'Could not remove webhooks of workflow "node-host-workflow" because of error: "remote refused delete"',
		});
		expect((await host.post({})).status).toBe(404);
	});

	it('a test listen uses mode manual, the test URL and a fresh {} static data, and never touches production data', async () => {
		await host.activate();
		await host.startTestListen();

		const testCheck = seen.filter((s) => s.what === 'checkExists')[1];
		expect(testCheck).toEqual({
			what: 'checkExists',
			mode: 'manual',
			activation: 'manual',
			url: host.testUrl,
			staticData: {},
			workflowActive: false,
		});
		expect(host.testUrl).toMatch(/\/webhook-test\/hook-id-1\/hook$/);
		expect(host.staticData.test).toEqual({ 'node:Recording Trigger': { registeredUrl: host.testUrl } });

		await host.endTestListen();

		expect(host.calls.at(-1)).toMatchObject({ method: 'delete', mode: 'internal', activation: 'update', url: host.testUrl });
		expect(seen.at(-1)?.staticData).toEqual({ registeredUrl: host.testUrl });
		expect(host.staticData.production).toEqual({ 'node:Recording Trigger': { registeredUrl: host.productionUrl } });
	});

	it('a test listen whose create fails is cleaned up with delete seeing the half-written data, then rethrows', async () => {
		host.setParameters({ fail: 'create' });

		await expect(host.startTestListen()).rejects.toThrow('create failed half-way');

		expect(seen.at(-1)).toMatchObject({ what: 'delete', url: host.testUrl, staticData: { registeredUrl: host.testUrl } });
		expect((await host.post({}, { test: true })).status).toBe(404);
	});
});

describe('NodeHost deliveries (WebhookContext over real HTTP)', () => {
	let host: NodeHost;
	let seen: Seen[];

	beforeEach(async () => {
		seen = [];
		host = await NodeHost.create({ nodeType: makeTrigger(seen), webhookId: 'hook-id-2' });
		await host.listen();
	});

	afterEach(async () => {
		await host.close();
	});

	it('answers 404 with n8n\'s message while the workflow is not active', async () => {
		const response = await host.post({ hello: 'world' });

		expect(response.status).toBe(404);
		expect(response.json).toMatchObject({ code: 404, message: 'The requested webhook "POST hook-id-2/hook" is not registered.' });
		expect(seen).toEqual([]);
	});

	it('hands webhook() an express-like request and records an execution; the answer is firstEntryJson', async () => {
		await host.activate();

		const response = await host.post(undefined, {
			rawBody: '{"event":"messages.upsert","n":1}',
			headers: { 'Content-Type': 'application/json', 'X-Custom': 'Yes' },
			suffix: '?instance=main',
		});

		expect(response.status).toBe(200);
		expect(response.text).toBe('firstEntryJson');
		expect(host.errors).toEqual([]);
		expect(host.executions).toHaveLength(1);
		const [execution] = host.executions;
		expect(execution.mode).toBe('webhook');
		expect(execution.items[0][0].json).toMatchObject({
			body: { event: 'messages.upsert', n: 1 },
			rawBody: '{"event":"messages.upsert","n":1}',
			query: { instance: 'main' },
			params: {},
			method: 'POST',
			path: '/webhook/hook-id-2/hook',
		});
		expect((execution.items[0][0].json.headers as IDataObject)['x-custom']).toBe('Yes');
		expect(seen.at(-1)).toMatchObject({ what: 'webhook', mode: 'webhook', url: host.productionUrl });
	});

	it('persists static data written by production deliveries that answer themselves (noWebhookResponse) across deliveries', async () => {
		host.setParameters({ answer: 'self' });
		await host.activate();
		await host.post({});
		const response = await host.post({});

		expect(response.json).toEqual({ received: true });
		expect(host.executions).toHaveLength(2);
		expect(host.staticData.production['node:Recording Trigger']).toMatchObject({ deliveries: 2 });
	});

	it('loses static data written by a delivery that starts an execution and leaves the answer to n8n (2.40.7)', async () => {
		await host.activate();
		await host.post({});

		expect(host.executions).toHaveLength(1);
		expect(host.staticData.production['node:Recording Trigger']).not.toHaveProperty('deliveries');
	});

	it('answers {} with 200 "Webhook call received" and starts no execution', async () => {
		host.setParameters({ answer: 'empty' });
		await host.activate();

		const response = await host.post({ event: 'presence.update' });

		expect(response.status).toBe(200);
		expect(response.json).toEqual({ message: 'Webhook call received' });
		expect(host.executions).toEqual([]);
	});

	it('sends webhookResponse as the body', async () => {
		host.setParameters({ answer: 'text' });
		await host.activate();

		const response = await host.post({});

		expect(response.status).toBe(200);
		expect(response.text).toBe('OK');
	});

	it('leaves the answer to the node on noWebhookResponse (401 written by the node)', async () => {
		host.setParameters({ answer: 'unauthorized' });
		await host.activate();

		const response = await host.post({});

		expect(response.status).toBe(401);
		expect(response.json).toEqual({ error: 'bad token' });
		expect(host.executions).toEqual([]);
		expect(host.errors).toEqual([]);
	});

	it('reports noWebhookResponse without an answer as an error instead of hanging', async () => {
		host.setParameters({ answer: 'silent' });
		await host.activate();

		const response = await host.post({});

		expect(response.status).toBe(500);
		expect(host.errors[0].error.message).toMatch(/would leave the caller hanging/);
	});

	it('answers 422 to invalid JSON like n8n\'s body parser, without running webhook()', async () => {
		await host.activate();

		const response = await host.post(undefined, { rawBody: '{"broken":', headers: { 'content-type': 'application/json' } });

		expect(response.status).toBe(422);
		expect(response.json).toMatchObject({ code: 422, message: 'Failed to parse request body' });
		expect(seen.filter((s) => s.what === 'webhook')).toEqual([]);
	});

	it('answers 500 when webhook() throws, records it, and keeps the static data unsaved', async () => {
		host.setParameters({ answer: 'throw' });
		await host.activate();

		const response = await host.post({});

		expect(response.status).toBe(500);
		expect(response.json).toEqual({ code: 0, message: 'Workflow Webhook Error: Workflow could not be started!' });
		expect(host.errors.map((e) => e.error.message)).toEqual(['webhook exploded']);
		expect(host.staticData.production['node:Recording Trigger']).not.toHaveProperty('deliveries');
	});

	it('ends a test listen when webhook() throws, because n8n still runs an errored execution', async () => {
		host.setParameters({ answer: 'throw' });
		await host.startTestListen();

		const response = await host.post({}, { test: true });
		await host.settled();

		expect(response.status).toBe(500);
		expect(host.errors.map((e) => [e.where, e.mode])).toEqual([['webhook', 'manual']]);
		expect(host.calls.at(-1)).toMatchObject({ method: 'delete', url: host.testUrl });
		expect((await host.post({}, { test: true })).status).toBe(404);
	});

	it('answers 404 to an extra path segment on a static webhook path, as n8n does', async () => {
		await host.activate();

		const response = await host.post({}, { suffix: '/messages-upsert' });

		expect(response.status).toBe(404);
		expect(response.json).toMatchObject({ message: 'The requested webhook "POST hook-id-2/hook/messages-upsert" is not registered.' });
	});

	it('serves the test URL only during a test listen, in mode manual with the test static data', async () => {
		await host.activate();
		expect((await host.post({}, { test: true })).status).toBe(404);

		host.setParameters({ answer: 'empty' });
		await host.startTestListen();
		const ignored = await host.post({}, { test: true });

		expect(ignored.status).toBe(200);
		const delivery = seen.at(-1);
		// WebhookContext.getNodeWebhookUrl ignores isTest: the production URL, even in a test delivery.
		expect(delivery).toMatchObject({ what: 'webhook', mode: 'manual', url: host.productionUrl });
		expect(delivery?.staticData).toEqual({ registeredUrl: host.testUrl, deliveries: 1 });
		expect(host.staticData.production['node:Recording Trigger']).not.toHaveProperty('deliveries');

		// `{}` keeps the listen open; the first execution ends it (delete on the test URL).
		host.setParameters({ answer: 'items' });
		const executed = await host.post({ n: 2 }, { test: true });
		await host.settled();

		expect(executed.status).toBe(200);
		expect(host.executions.map((e) => e.mode)).toEqual(['manual']);
		expect(host.calls.at(-1)).toMatchObject({ method: 'delete', mode: 'internal', activation: 'update', url: host.testUrl });
		expect(seen.at(-1)?.staticData).toEqual({ registeredUrl: host.testUrl, deliveries: 2 });
		expect((await host.post({}, { test: true })).status).toBe(404);
	});

	it('routes dynamic :param paths like n8n (only with isFullPath) and fills req.params', async () => {
		const fullPathHost = await NodeHost.create({
			nodeType: makeTrigger([], { path: 'hook/:event', isFullPath: true }),
			webhookId: 'hook-id-3',
		});
		const prefixedHost = await NodeHost.create({
			nodeType: makeTrigger([], { path: 'hook/:event' }),
			webhookId: 'hook-id-4',
		});
		try {
			await fullPathHost.activate();
			await prefixedHost.activate();
			expect(fullPathHost.productionUrl).toMatch(/\/webhook\/hook-id-3\/hook\/:event$/);
			const post = async (url: string) =>
				await fetch(url.replace('/:event', '/messages-upsert'), {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: '{}',
				});

			expect((await post(fullPathHost.productionUrl)).status).toBe(200);
			expect(fullPathHost.executions[0].items[0][0].json.params).toEqual({ event: 'messages-upsert' });
			// Stored as `<id>/hook/:event`, the segment count after the id never matches in n8n.
			expect((await post(prefixedHost.productionUrl)).status).toBe(404);
		} finally {
			await fullPathHost.close();
			await prefixedHost.close();
		}
	});
});

describe('NodeHost action nodes (ExecuteContext, LoadOptionsContext) and credentials', () => {
	let api: ApiServer;

	beforeAll(async () => {
		api = await startApiServer();
	});

	afterAll(async () => {
		await api.close();
	});

	it('applies a generic-authenticate credential class to real HTTP requests from execute()', async () => {
		const host = await NodeHost.create({
			nodeType: makeAction('tokenApi'),
			credentialTypes: [new TokenApi()],
			credentials: { tokenApi: { baseUrl: api.url, token: 'secret-1' } },
			parameters: { itemId: '={{ $json.id }}' },
		});
		try {
			const output = await host.execute([{ json: { id: 'a1' } }, { json: { id: 'b2' } }]);

			expect(output?.[0].map((item) => item.json)).toEqual([
				{ id: 'a1', apikey: 'secret-1' },
				{ id: 'b2', apikey: 'secret-1' },
			]);
			expect(api.requests.at(-1)?.url).toBe('/items/b2?tenant=secret-1-tenant');
		} finally {
			await host.close();
		}
	});

	it('sends the apikey header from our real EvolutionApi credential class', async () => {
		const host = await NodeHost.create({
			nodeType: makeAction('evolutionApi'),
			credentials: { evolutionApi: { baseUrl: api.url, apiKey: 'global-key' } },
			parameters: { itemId: 'x9' },
		});
		try {
			const output = await host.execute([{ json: {} }]);

			expect(output?.[0][0].json).toEqual({ id: 'x9', apikey: 'global-key' });
			expect(api.requests.at(-1)?.headers.apikey).toBe('global-key');
		} finally {
			await host.close();
		}
	});

	it('honours onError continueRegularOutput through the real continueOnFail()', async () => {
		const failing = await NodeHost.create({
			nodeType: makeAction('evolutionApi'),
			credentials: { evolutionApi: { baseUrl: api.url, apiKey: 'k' } },
			parameters: { itemId: 'missing' },
		});
		const tolerant = await NodeHost.create({
			nodeType: makeAction('evolutionApi'),
			credentials: { evolutionApi: { baseUrl: api.url, apiKey: 'k' } },
			parameters: { itemId: 'missing' },
			nodeSettings: { onError: 'continueRegularOutput' },
		});
		try {
			await expect(failing.execute([{ json: {} }])).rejects.toThrow();
			const output = await tolerant.execute([{ json: {} }]);
			// NodeApiError's human sentence for a 404.
			expect(output?.[0][0]).toEqual({ pairedItem: 0, json: { error: 'The resource you are requesting could not be found' } });
		} finally {
			await failing.close();
			await tolerant.close();
		}
	});

	it('runs loadOptions methods through LoadOptionsContext with credentials', async () => {
		const host = await NodeHost.create({
			nodeType: makeAction('evolutionApi'),
			credentials: { evolutionApi: { baseUrl: api.url, apiKey: 'list-key' } },
		});
		try {
			const options = await host.loadOptions('getItems');

			expect(options).toEqual([
				{ name: 'alpha', value: 'alpha' },
				{ name: 'beta', value: 'beta' },
			]);
			expect(api.requests.at(-1)?.headers.apikey).toBe('list-key');
		} finally {
			await host.close();
		}
	});
});
