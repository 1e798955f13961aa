/**
 * The Evolution API test double answers like each server version answers (docs/protocol.md). Real HTTP on 127.0.0.1 with global fetch.
 */
import * as http from 'node:http';
import { createHmac } from 'node:crypto';
import type { AddressInfo } from 'node:net';

import { EvolutionDouble, type DoubleOptions, type DoubleDialect } from '../support/evolution-double';

const GLOBAL = 'global-secret';
const TOKEN = 'token-inst1';
const OTHER_TOKEN = 'token-inst2';
const HOOK = 'http://127.0.0.1:5678/webhook/abc';

const running: EvolutionDouble[] = [];
afterEach(async () => {
	await Promise.all(running.splice(0).map((d) => d.stop()));
});

async function startDouble(options: Partial<DoubleOptions> & { dialect: DoubleDialect }): Promise<EvolutionDouble> {
	const double = new EvolutionDouble({
		globalKey: GLOBAL,
		instances: [
			{ name: 'inst1', token: TOKEN, ownerJid: '5511911112222@s.whatsapp.net', profileName: 'My Shop' },
			{ name: 'inst2', token: OTHER_TOKEN, connectionStatus: 'close' },
		],
		...options,
	});
	running.push(double);
	await double.start();
	return double;
}

interface CallResult {
	status: number;
	body: unknown;
	text: string;
}

async function call(
	double: EvolutionDouble,
	method: string,
	path: string,
	options: { body?: unknown; apikey?: string | null; signal?: AbortSignal } = {},
): Promise<CallResult> {
	const headers: Record<string, string> = {};
	const apikey = options.apikey === undefined ? GLOBAL : options.apikey;
	if (apikey !== null) headers.apikey = apikey;
	if (options.body !== undefined) headers['content-type'] = 'application/json';
	const response = await fetch(`${double.baseUrl}${path}`, {
		method,
		headers,
		body: options.body === undefined ? undefined : JSON.stringify(options.body),
		signal: options.signal,
	});
	const text = await response.text();
	const isJson = (response.headers.get('content-type') ?? '').startsWith('application/json');
	return { status: response.status, body: isJson && text ? JSON.parse(text) : undefined, text };
}

const setWebhook = (double: EvolutionDouble, body: unknown, instance = 'inst1', apikey: string | null = GLOBAL) =>
	call(double, 'POST', `/webhook/set/${instance}`, { body, apikey });
const findWebhook = (double: EvolutionDouble, instance = 'inst1') => call(double, 'GET', `/webhook/find/${instance}`);

const ISO = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

/** The set body each dialect understands. */
function bodyFor(dialect: DoubleDialect, hook: { url: string; enabled?: boolean; events?: string[] }): unknown {
	const enabled = hook.enabled ?? true;
	if (dialect === 'v1') return { enabled, url: hook.url, webhook_by_events: false, webhook_base64: false, events: hook.events };
	if (dialect === 'v2.0') return { enabled, url: hook.url, webhookByEvents: false, webhookBase64: false, events: hook.events };
	return { webhook: { enabled, url: hook.url, byEvents: false, base64: false, events: hook.events } };
}

/** A tiny receiver standing in for n8n. */
interface Received {
	method: string;
	url: string;
	headers: http.IncomingHttpHeaders;
	body: Record<string, unknown>;
}
async function startReceiver(status = 200): Promise<{ url: string; received: Received[]; close: () => Promise<void> }> {
	const received: Received[] = [];
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			received.push({
				method: req.method ?? '',
				url: req.url ?? '',
				headers: req.headers,
				body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
			});
			res.writeHead(status).end();
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		received,
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

describe('GET / (no auth)', () => {
	it.each([
		['v1', '1.8.2'],
		['v2.0', '2.0.10'],
		['v2.1', '2.2.3'],
		['v2.3', '2.3.6'],
	] as const)('%s reports the default version %s', async (dialect, version) => {
		const double = await startDouble({ dialect });
		const root = await call(double, 'GET', '/', { apikey: null });
		expect(root.status).toBe(200);
		expect(root.body).toMatchObject({ status: 200, message: 'Welcome to the Evolution API, it is working!', version });
		const v2Fields = ['clientName', 'manager', 'whatsappWebVersion'].filter((k) => k in (root.body as object));
		expect(v2Fields).toEqual(dialect === 'v1' ? [] : ['clientName', 'manager', 'whatsappWebVersion']);
	});

	it('hides the version when asked and honours an explicit version', async () => {
		const hidden = await startDouble({ dialect: 'v2.3', hideVersion: true });
		expect((await call(hidden, 'GET', '/')).body).not.toHaveProperty('version');
		const explicit = await startDouble({ dialect: 'v2.1', version: '2.1.0' });
		expect((await call(explicit, 'GET', '/')).body).toMatchObject({ version: '2.1.0' });
	});

	it('rejects a version outside its dialect', () => {
		expect(() => new EvolutionDouble({ dialect: 'v2.1', version: '2.3.0' })).toThrow(/does not belong/);
	});
});

describe('guards and routing (every dialect)', () => {
	describe.each(['v1', 'v2.0', 'v2.1', 'v2.3'] as const)('%s', (dialect) => {
		it('answers 404 for an unknown instance before checking the key', async () => {
			const double = await startDouble({ dialect });
			const notFound = {
				status: 404,
				error: 'Not Found',
				response: { message: ['The "ghost" instance does not exist'] },
			};
			for (const apikey of [null, 'wrong', GLOBAL]) {
				const answer = await call(double, 'GET', '/webhook/find/ghost', { apikey });
				expect([answer.status, answer.body]).toEqual([404, notFound]);
			}
			const set = await setWebhook(double, bodyFor(dialect, { url: HOOK, events: [] }), 'ghost', null);
			expect([set.status, set.body]).toEqual([404, notFound]);
		});

		it('answers 401 with a string message for a missing or wrong key; the instance token only opens its own instance', async () => {
			const double = await startDouble({ dialect });
			const unauthorized = { status: 401, error: 'Unauthorized', response: { message: 'Unauthorized' } };
			for (const apikey of [null, '', 'wrong', OTHER_TOKEN]) {
				const answer = await call(double, 'GET', '/webhook/find/inst1', { apikey });
				expect([answer.status, answer.body]).toEqual([401, unauthorized]);
			}
			expect((await call(double, 'GET', '/webhook/find/inst1', { apikey: TOKEN })).status).toBe(200);
			expect((await setWebhook(double, bodyFor(dialect, { url: HOOK, events: [] }), 'inst1', TOKEN)).status).toBe(201);
		});

		it('reads the apikey header whatever its case', async () => {
			const double = await startDouble({ dialect });
			const status = await new Promise<number>((resolve, reject) => {
				const req = http.request(`${double.baseUrl}/webhook/find/inst1`, { headers: { APIKEY: GLOBAL } }, (res) => {
					res.resume();
					resolve(res.statusCode ?? 0);
				});
				req.on('error', reject);
				req.end();
			});
			expect(status).toBe(200);
		});

		it('answers an unknown route with Express-style 404', async () => {
			const double = await startDouble({ dialect });
			const answer = await call(double, 'POST', '/webhook/sett/x', { body: {} });
			expect([answer.status, answer.body]).toEqual([
				404,
				{ status: 404, error: 'Not Found', response: { message: ['Cannot POST /webhook/sett/x'] } },
			]);
			expect((await call(double, 'GET', '/webhook/set/inst1')).status).toBe(404);
		});

		it('answers 500 when enabled and events is missing', async () => {
			const double = await startDouble({ dialect });
			const answer = await setWebhook(double, bodyFor(dialect, { url: HOOK }));
			expect([answer.status, answer.body]).toEqual([
				500,
				{
					status: 500,
					error: 'Internal Server Error',
					response: { message: "Cannot read properties of undefined (reading 'length')" },
				},
			]);
			expect(double.webhookOf('inst1')).toEqual(
				dialect === 'v1' ? { enabled: false, url: '', events: [], webhook_by_events: false, webhook_base64: false } : null,
			);
		});

		it('overwrites: one webhook per instance, the last set wins, other instances untouched', async () => {
			const double = await startDouble({ dialect });
			await setWebhook(double, bodyFor(dialect, { url: 'http://127.0.0.1:1/first', events: ['MESSAGES_UPSERT'] }));
			await setWebhook(double, bodyFor(dialect, { url: 'http://127.0.0.1:1/second', events: ['CONNECTION_UPDATE'] }));
			const found = (await findWebhook(double)).body as Record<string, unknown>;
			expect([found.url, found.events]).toEqual(['http://127.0.0.1:1/second', ['CONNECTION_UPDATE']]);
			expect((await findWebhook(double, 'inst2')).body).toEqual(double.webhookOf('inst2'));
		});

		it('records every request, failed ones included, without the prefix', async () => {
			const double = await startDouble({ dialect, pathPrefix: '/whatsapp/' });
			expect(double.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/whatsapp$/);
			await call(double, 'GET', '/webhook/find/ghost?x=1', { apikey: null });
			await setWebhook(double, { nonsense: true });
			expect(double.requests.map((r) => [r.method, r.path])).toEqual([
				['GET', '/webhook/find/ghost?x=1'],
				['POST', '/webhook/set/inst1'],
			]);
			expect(double.requestsTo('post', '/webhook/set/')).toHaveLength(1);
			expect(double.requests[1]).toMatchObject({ body: { nonsense: true }, rawBody: '{"nonsense":true}' });
			expect(double.requests[1].headers.apikey).toBe(GLOBAL);
			// Without the prefix nothing matches.
			const origin = double.baseUrl.replace('/whatsapp', '');
			expect((await fetch(`${origin}/webhook/find/inst1`, { headers: { apikey: GLOBAL } })).status).toBe(404);
			expect((await call(double, 'GET', '/', { apikey: null })).status).toBe(200);
		});
	});
});

describe('v1 (1.8.2): flat snake_case', () => {
	it('stores and finds the flat object; set answers the merged params', async () => {
		const double = await startDouble({ dialect: 'v1' });
		expect((await findWebhook(double)).body).toEqual({
			enabled: false,
			url: '',
			events: [],
			webhook_by_events: false,
			webhook_base64: false,
		});
		const body = {
			enabled: true,
			url: HOOK,
			webhook_by_events: false,
			webhook_base64: false,
			events: ['MESSAGES_UPSERT'],
		};
		const set = await setWebhook(double, body);
		expect([set.status, set.body]).toEqual([201, { webhook: { instanceName: 'inst1', webhook: body } }]);
		const find = await findWebhook(double);
		expect([find.status, find.body]).toEqual([200, body]);
		expect(double.webhookOf('inst1')).toEqual(body);
	});

	it('replaces wholesale: keys not sent again disappear from find', async () => {
		const double = await startDouble({ dialect: 'v1' });
		await setWebhook(double, { url: HOOK, webhook_by_events: true, webhook_base64: true, events: ['CALL'] });
		await setWebhook(double, { url: HOOK, events: ['CALL'] });
		expect((await findWebhook(double)).body).toEqual({ enabled: true, url: HOOK, events: ['CALL'] });
	});

	it('disabling blanks url and events but still needs a valid url', async () => {
		const double = await startDouble({ dialect: 'v1' });
		await setWebhook(double, { url: HOOK, events: ['CALL'] });
		const bad = await setWebhook(double, { enabled: false, url: 'not a url', events: [] });
		expect([bad.status, bad.body]).toEqual([
			400,
			{ status: 400, error: 'Bad Request', response: { message: ['Invalid "url" property'] } },
		]);
		const off = await setWebhook(double, { enabled: false, url: HOOK });
		expect(off.body).toEqual({ webhook: { instanceName: 'inst1', webhook: { enabled: false, url: '', events: [] } } });
		expect((await findWebhook(double)).body).toEqual({ enabled: false, url: '', events: [] });
	});

	it('accepts single-label hosts (require_tld false) and stores the full v1 list for events []', async () => {
		const double = await startDouble({ dialect: 'v1' });
		const set = await setWebhook(double, { url: 'http://n8n:5678/webhook/x', events: [] });
		expect(set.status).toBe(201);
		const events = ((await findWebhook(double)).body as { events: string[] }).events;
		expect(events).toHaveLength(26);
		expect(events).toEqual(expect.arrayContaining(['NEW_JWT_TOKEN', 'CHAMA_AI_ACTION', 'LABELS_EDIT', 'GROUP_UPDATE']));
		expect(events).not.toContain('MESSAGES_EDITED');
	});

	it('validates with nested-array messages', async () => {
		const double = await startDouble({ dialect: 'v1' });
		const nested = await setWebhook(double, { webhook: { enabled: true, url: HOOK, events: [] } });
		expect([nested.status, nested.body]).toEqual([
			400,
			{ status: 400, error: 'Bad Request', response: { message: [['instance requires property "url"']] } },
		]);
		const onlyUrl = await setWebhook(double, { url: '' });
		expect(onlyUrl.body).toMatchObject({ response: { message: [['The "url" cannot be empty']] } });
		const wrongCase = await setWebhook(double, { url: HOOK, events: ['messages.upsert', 'MESSAGES_EDITED'] });
		const [messages] = (wrongCase.body as { response: { message: string[][] } }).response.message;
		expect(messages).toHaveLength(2);
		expect(messages[0]).toMatch(/^events\[0\] is not one of enum values: APPLICATION_STARTUP,QRCODE_UPDATED,/);
		expect(messages[0]).toMatch(/,CHAMA_AI_ACTION$/);
		expect(messages[1]).toMatch(/^events\[1\] is not one of enum values: /);
		expect(messages[0].split(': ')[1].split(',')).toHaveLength(26);
	});

	it('older v1 versions: 1.5.0 has no webhook_base64 and 21 events', async () => {
		const double = await startDouble({ dialect: 'v1', version: '1.5.0' });
		expect((await findWebhook(double)).body).toEqual({ enabled: false, url: '', events: [], webhook_by_events: false });
		await setWebhook(double, { url: HOOK, events: [], webhook_base64: true });
		const found = (await findWebhook(double)).body as Record<string, unknown>;
		expect(found).not.toHaveProperty('webhook_base64');
		expect(found.events).toHaveLength(21);
	});

	it('lists instances in the v1 shape; the instance token sees only its instance', async () => {
		const double = await startDouble({ dialect: 'v1' });
		const all = await call(double, 'GET', '/instance/fetchInstances');
		expect(all.body).toEqual([
			{
				instance: {
					instanceName: 'inst1',
					instanceId: double.instanceIdOf('inst1'),
					owner: '5511911112222@s.whatsapp.net',
					profileName: 'My Shop',
					profilePictureUrl: null,
					profileStatus: '',
					status: 'open',
					serverUrl: double.baseUrl,
					apikey: TOKEN,
				},
			},
			{
				instance: {
					instanceName: 'inst2',
					instanceId: double.instanceIdOf('inst2'),
					status: 'close',
					serverUrl: double.baseUrl,
					apikey: OTHER_TOKEN,
				},
			},
		]);
		const own = await call(double, 'GET', '/instance/fetchInstances', { apikey: OTHER_TOKEN });
		expect((own.body as { instance: { instanceName: string } }[]).map((i) => i.instance.instanceName)).toEqual(['inst2']);
		expect((await call(double, 'GET', '/instance/fetchInstances', { apikey: 'nope' })).status).toBe(401);
		expect((await call(double, 'GET', '/instance/connectionState/inst2')).body).toEqual({
			instance: { instanceName: 'inst2', state: 'close' },
		});
	});
});

describe('v2.0 (2.0.10): flat camelCase', () => {
	it('answers set with the echoed DTO and find with the Prisma row or null', async () => {
		const double = await startDouble({ dialect: 'v2.0' });
		const none = await findWebhook(double);
		expect([none.status, none.text]).toEqual([200, 'null']);
		const body = { enabled: true, url: HOOK, webhookByEvents: false, webhookBase64: true, events: ['MESSAGES_UPSERT'] };
		const set = await setWebhook(double, body);
		expect([set.status, set.body]).toEqual([201, { webhook: { instanceName: 'inst1', webhook: body } }]);
		const row = (await findWebhook(double)).body as Record<string, unknown>;
		expect(Object.keys(row)).toEqual([
			'id',
			'url',
			'enabled',
			'events',
			'webhookByEvents',
			'webhookBase64',
			'createdAt',
			'updatedAt',
			'instanceId',
		]);
		expect(row).toEqual({
			id: expect.any(String),
			url: HOOK,
			enabled: true,
			events: ['MESSAGES_UPSERT'],
			webhookByEvents: false,
			webhookBase64: true,
			createdAt: ISO,
			updatedAt: ISO,
			instanceId: double.instanceIdOf('inst1'),
		});
	});

	it('requires enabled and url; a nested 2.1 body fails with both messages', async () => {
		const double = await startDouble({ dialect: 'v2.0' });
		const nested = await setWebhook(double, { webhook: { enabled: true, url: HOOK, events: [] } });
		expect(nested.body).toEqual({
			status: 400,
			error: 'Bad Request',
			response: { message: [['instance requires property "enabled"', 'instance requires property "url"']] },
		});
		const stringly = await setWebhook(double, { enabled: 'true', url: HOOK, events: [] });
		expect(stringly.body).toMatchObject({ response: { message: [['enabled is not of a type(s) boolean']] } });
	});

	it('disabling blanks url and events like v1; events [] stores the 25 v2.0 events', async () => {
		const double = await startDouble({ dialect: 'v2.0' });
		await setWebhook(double, { enabled: true, url: HOOK, events: [] });
		const all = (double.webhookOf('inst1') as { events: string[] }).events;
		expect(all).toHaveLength(25);
		expect(all).toContain('MESSAGES_EDITED');
		expect(all).not.toContain('NEW_JWT_TOKEN');
		await setWebhook(double, { enabled: false, url: HOOK });
		expect(double.webhookOf('inst1')).toMatchObject({ enabled: false, url: '', events: [] });
	});

	it('lists instances in the v2 shape', async () => {
		const double = await startDouble({ dialect: 'v2.0' });
		const own = await call(double, 'GET', '/instance/fetchInstances', { apikey: TOKEN });
		expect(own.body).toEqual([
			expect.objectContaining({
				id: double.instanceIdOf('inst1'),
				name: 'inst1',
				connectionStatus: 'open',
				ownerJid: '5511911112222@s.whatsapp.net',
				profileName: 'My Shop',
				profilePicUrl: null,
				integration: 'WHATSAPP-BAILEYS',
				token: TOKEN,
			}),
		]);
		const all = (await call(double, 'GET', '/instance/fetchInstances')).body as { name: string }[];
		expect(all.map((i) => i.name)).toEqual(['inst1', 'inst2']);
	});
});

describe('v2.1+ nested body, Prisma row answers', () => {
	it('2.2.3: set answers the row; find returns it; headers kept', async () => {
		const double = await startDouble({ dialect: 'v2.1' });
		const set = await setWebhook(double, {
			webhook: {
				enabled: true,
				url: HOOK,
				headers: { 'x-evo-secret': 's3cr3t' },
				byEvents: false,
				base64: false,
				events: ['MESSAGES_UPSERT', 'CONNECTION_UPDATE'],
			},
		});
		expect(set.status).toBe(201);
		expect(Object.keys(set.body as object)).toEqual([
			'id',
			'url',
			'headers',
			'enabled',
			'events',
			'webhookByEvents',
			'webhookBase64',
			'createdAt',
			'updatedAt',
			'instanceId',
		]);
		expect(set.body).toEqual({
			id: expect.any(String),
			url: HOOK,
			headers: { 'x-evo-secret': 's3cr3t' },
			enabled: true,
			events: ['MESSAGES_UPSERT', 'CONNECTION_UPDATE'],
			webhookByEvents: false,
			webhookBase64: false,
			createdAt: ISO,
			updatedAt: ISO,
			instanceId: double.instanceIdOf('inst1'),
		});
		expect((await findWebhook(double)).body).toEqual(set.body);
	});

	it('keeps omitted keys on re-set; headers {} clears; the row id stays', async () => {
		const double = await startDouble({ dialect: 'v2.3' });
		const first = (
			await setWebhook(double, {
				webhook: { enabled: true, url: HOOK, headers: { a: '1' }, byEvents: true, base64: true, events: ['CALL'] },
			})
		).body as Record<string, unknown>;
		const second = (await setWebhook(double, { webhook: { enabled: true, url: `${HOOK}2`, events: ['CALL'] } }))
			.body as Record<string, unknown>;
		expect(second).toMatchObject({ id: first.id, url: `${HOOK}2`, headers: { a: '1' }, webhookByEvents: true, webhookBase64: true });
		await setWebhook(double, { webhook: { enabled: true, url: HOOK, headers: {}, byEvents: false, events: ['CALL'] } });
		expect(double.webhookOf('inst1')).toMatchObject({ headers: {}, webhookByEvents: false, webhookBase64: true });
	});

	it('drops the community node keys webhookByEvents / webhookBase64 inside webhook', async () => {
		const double = await startDouble({ dialect: 'v2.1' });
		await setWebhook(double, {
			webhook: { enabled: true, url: HOOK, webhookByEvents: true, webhookBase64: true, events: ['CALL'] },
		});
		expect(double.webhookOf('inst1')).toMatchObject({ webhookByEvents: false, webhookBase64: false });
	});

	it('disabling keeps the url and empties events', async () => {
		const double = await startDouble({ dialect: 'v2.3' });
		await setWebhook(double, { webhook: { enabled: true, url: HOOK, events: ['CALL'] } });
		await setWebhook(double, { webhook: { enabled: false, url: HOOK } });
		expect(double.webhookOf('inst1')).toMatchObject({ enabled: false, url: HOOK, events: [] });
	});

	it('events [] stores every event of the version: 27 on 2.2.3, 31 on 2.3.6', async () => {
		const old = await startDouble({ dialect: 'v2.1' });
		await setWebhook(old, { webhook: { enabled: true, url: HOOK, events: [] } });
		const oldEvents = (old.webhookOf('inst1') as { events: string[] }).events;
		expect(oldEvents).toHaveLength(27);
		expect(oldEvents).toEqual(expect.arrayContaining(['REMOVE_INSTANCE', 'LOGOUT_INSTANCE']));
		expect(oldEvents).not.toContain('SEND_MESSAGE_UPDATE');
		const current = await startDouble({ dialect: 'v2.3' });
		await setWebhook(current, { webhook: { enabled: true, url: HOOK, events: [] } });
		const currentEvents = (current.webhookOf('inst1') as { events: string[] }).events;
		expect(currentEvents).toHaveLength(31);
		expect(currentEvents).toEqual(
			expect.arrayContaining(['SEND_MESSAGE_UPDATE', 'INSTANCE_CREATE', 'INSTANCE_DELETE', 'STATUS_INSTANCE']),
		);
	});

	it('validation messages as jsonschema 1.4.1 words them for the 2.1+ schema', async () => {
		const double = await startDouble({ dialect: 'v2.3' });
		const cases: [unknown, string][] = [
			[{ enabled: true, url: HOOK, webhook_by_events: false, events: [] }, 'instance requires property "webhook"'],
			[{ webhook: { enabled: true } }, 'webhook requires property "url"'],
			[{ webhook: { enabled: true, url: '' } }, 'The "url" cannot be empty'],
			[{ webhook: { enabled: 'true', url: HOOK } }, 'webhook.enabled is not of a type(s) boolean'],
		];
		for (const [body, message] of cases) {
			const answer = await setWebhook(double, body);
			expect([answer.status, answer.body]).toEqual([
				400,
				{ status: 400, error: 'Bad Request', response: { message: [[message]] } },
			]);
		}
		const wrongCase = await setWebhook(double, { webhook: { enabled: true, url: HOOK, events: ['messages.upsert'] } });
		const [[message]] = (wrongCase.body as { response: { message: string[][] } }).response.message;
		expect(message).toMatch(/^webhook\.events\[0\] is not one of enum values: APPLICATION_STARTUP,.*,STATUS_INSTANCE$/);
		expect(message.split(': ')[1].split(',')).toHaveLength(31);
		expect(double.webhookOf('inst1')).toBeNull();
	});

	it('URL check: 2.2.3 rejects a non-URL, 2.3.6 stores it', async () => {
		const old = await startDouble({ dialect: 'v2.1' });
		const rejected = await setWebhook(old, { webhook: { enabled: true, url: 'not a url', events: [] } });
		expect(rejected.body).toEqual({ status: 400, error: 'Bad Request', response: { message: ['Invalid "url" property'] } });
		const current = await startDouble({ dialect: 'v2.3' });
		const stored = await setWebhook(current, { webhook: { enabled: true, url: 'not a url', events: [] } });
		expect(stored.status).toBe(201);
		expect(current.webhookOf('inst1')).toMatchObject({ url: 'not a url' });
	});

	it('2.1.0 has no headers: ignored on set and absent from the row', async () => {
		const double = await startDouble({ dialect: 'v2.1', version: '2.1.0' });
		const set = await setWebhook(double, { webhook: { enabled: true, url: HOOK, headers: 'not even an object', events: [] } });
		expect(set.status).toBe(201);
		expect(set.body).not.toHaveProperty('headers');
	});

	it('an instance not loaded in memory: set 500, find null, connection state unknown', async () => {
		const double = await startDouble({ dialect: 'v2.3' });
		double.seedWebhook('inst2', { url: HOOK, events: ['CALL'] });
		double.setInstanceLoaded('inst2', false);
		const set = await setWebhook(double, { webhook: { enabled: true, url: HOOK, events: [] } }, 'inst2');
		expect([set.status, set.body]).toEqual([
			500,
			{
				status: 500,
				error: 'Internal Server Error',
				response: { message: "Cannot read properties of undefined (reading 'instanceId')" },
			},
		]);
		expect((await findWebhook(double, 'inst2')).text).toBe('null');
		expect((await call(double, 'GET', '/instance/connectionState/inst2')).body).toEqual({ instance: { instanceName: 'inst2' } });
		expect(double.webhookOf('inst2')).toMatchObject({ url: HOOK });
	});

	it('seedWebhook stores a row find returns', async () => {
		const double = await startDouble({ dialect: 'v2.3' });
		double.seedWebhook('inst1', { url: 'http://127.0.0.1:9/theirs', events: ['MESSAGES_UPSERT'], headers: { k: 'v' } });
		expect((await findWebhook(double)).body).toMatchObject({
			url: 'http://127.0.0.1:9/theirs',
			enabled: true,
			events: ['MESSAGES_UPSERT'],
			headers: { k: 'v' },
			webhookByEvents: false,
		});
	});
});

describe('failNext', () => {
	it('answers one faulty status, then behaves again', async () => {
		const double = await startDouble({ dialect: 'v2.3' });
		double.failNext('find', { status: 502, body: '<html>Bad gateway</html>' });
		double.failNext('find', { status: 503 });
		const first = await findWebhook(double);
		expect([first.status, first.text]).toEqual([502, '<html>Bad gateway</html>']);
		const second = await findWebhook(double);
		expect([second.status, second.body]).toEqual([
			503,
			{ status: 503, error: 'Service Unavailable', response: { message: 'Service Unavailable' } },
		]);
		expect((await findWebhook(double)).status).toBe(200);
		expect(double.requestsTo('GET', '/webhook/find')).toHaveLength(3);
	});

	it('reset destroys the socket; timeout never answers', async () => {
		const double = await startDouble({ dialect: 'v1' });
		double.failNext('set', 'reset');
		await expect(setWebhook(double, { url: HOOK, events: [] })).rejects.toThrow();
		expect(double.webhookOf('inst1')).toMatchObject({ url: '' });
		double.failNext('root', 'timeout');
		await expect(call(double, 'GET', '/', { signal: AbortSignal.timeout(150) })).rejects.toThrow();
		expect((await call(double, 'GET', '/')).status).toBe(200);
		double.failNext('fetchInstances', { status: 500, body: { boom: true } });
		expect((await call(double, 'GET', '/instance/fetchInstances')).body).toEqual({ boom: true });
	});

	it('stop() ends a request held by a timeout fault', async () => {
		const double = await startDouble({ dialect: 'v2.1' });
		double.failNext('set', 'timeout');
		const held = double.nextRequest('POST', '/webhook/set');
		const pending = setWebhook(double, { webhook: { enabled: true, url: HOOK, events: [] } });
		expect((await held).body).toEqual({ webhook: { enabled: true, url: HOOK, events: [] } });
		await double.stop();
		await expect(pending).rejects.toThrow();
	});

	it('nextRequest() resolves with the next matching request only, already recorded', async () => {
		const double = await startDouble({ dialect: 'v2.1' });
		const find = double.nextRequest('get', '/webhook/find');
		await call(double, 'GET', '/');
		await setWebhook(double, { webhook: { enabled: true, url: HOOK, events: [] } });
		await findWebhook(double);
		const request = await find;
		expect([request.method, request.path]).toEqual(['GET', '/webhook/find/inst1']);
		expect(double.requests.map((r) => r.method + ' ' + r.path)).toEqual(['GET /', 'POST /webhook/set/inst1', 'GET /webhook/find/inst1']);
	});
});

describe('deliver()', () => {
	let receiver: Awaited<ReturnType<typeof startReceiver>>;
	beforeEach(async () => {
		receiver = await startReceiver();
	});
	afterEach(async () => {
		await receiver.close();
	});

	const message = { key: { remoteJid: '5511988887777@s.whatsapp.net', fromMe: false, id: '3EB0' } };

	it('whenDelivered() resolves with the next finished delivery, answered or refused', async () => {
		const double = await startDouble({ dialect: 'v2.3' });
		await setWebhook(double, { webhook: { enabled: true, url: `${receiver.url}/hook`, events: ['MESSAGES_UPSERT'] } });
		const delivered = double.whenDelivered();
		void double.deliver('inst1', 'messages.upsert', message);
		const delivery = await delivered;
		expect(delivery).toMatchObject({ url: `${receiver.url}/hook`, status: 200 });
		expect(receiver.received).toHaveLength(1);

		await setWebhook(double, { webhook: { enabled: true, url: 'http://192.0.2.1/hook', events: ['MESSAGES_UPSERT'] } });
		const refused = double.whenDelivered();
		void double.deliver('inst1', 'messages.upsert', message);
		expect((await refused).error).toMatch(/^refused: /);
	});

	it('2.3.6: envelope, by-events suffix, custom headers and jwt_key as a Bearer HS256 JWT', async () => {
		const double = await startDouble({ dialect: 'v2.3' });
		const url = `${receiver.url}/webhook/abc`;
		await setWebhook(double, {
			webhook: {
				enabled: true,
				url,
				byEvents: true,
				headers: { 'x-evo-secret': 's3cr3t', jwt_key: 'jwt-secret' },
				events: ['MESSAGES_UPSERT'],
			},
		});
		const delivery = await double.deliver('inst1', 'messages.upsert', message);
		expect(delivery).toMatchObject({ url: `${url}/messages-upsert`, status: 200 });
		expect(double.deliveries).toEqual([delivery]);
		const [got] = receiver.received;
		expect([got.method, got.url]).toEqual(['POST', '/webhook/abc/messages-upsert']);
		expect(Object.keys(got.body)).toEqual([
			'event',
			'instance',
			'data',
			'destination',
			'date_time',
			'sender',
			'server_url',
			'apikey',
		]);
		expect(got.body).toEqual({
			event: 'messages.upsert',
			instance: 'inst1',
			data: message,
			destination: url,
			date_time: ISO,
			sender: '5511911112222@s.whatsapp.net',
			server_url: double.baseUrl,
			apikey: TOKEN,
		});
		// Local wall-clock time (UTC-3) labelled Z.
		const skew = Date.parse(got.body.date_time as string) - (Date.now() - 3 * 3600_000);
		expect(Math.abs(skew)).toBeLessThan(5_000);

		expect(got.headers['x-evo-secret']).toBe('s3cr3t');
		expect(got.headers).not.toHaveProperty('jwt_key');
		expect(got.headers['content-type']).toBe('application/json');
		const token = /^Bearer (.+)\.(.+)\.(.+)$/.exec(got.headers.authorization ?? '');
		expect(token).not.toBeNull();
		const [, header, payload, signature] = token!;
		expect(createHmac('sha256', 'jwt-secret').update(`${header}.${payload}`).digest('base64url')).toBe(signature);
		expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toEqual({ alg: 'HS256', typ: 'JWT' });
		const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
		expect(claims).toMatchObject({ app: 'evolution', action: 'webhook' });
		expect(claims.exp - claims.iat).toBe(600);
	});

	it('does not send when disabled, when the event is not selected, or for groups.update (GROUP_UPDATE mismatch)', async () => {
		const double = await startDouble({ dialect: 'v2.3' });
		expect(await double.deliver('inst1', 'messages.upsert', message)).toBeNull();
		await setWebhook(double, { webhook: { enabled: true, url: receiver.url, events: [] } });
		expect(await double.deliver('inst1', 'groups.update', [{ id: 'g' }])).toBeNull();
		expect(await double.deliver('inst1', 'group-participants.update', { id: 'g' })).toMatchObject({ status: 200 });
		await setWebhook(double, { webhook: { enabled: true, url: receiver.url, events: ['CONNECTION_UPDATE'] } });
		expect(await double.deliver('inst1', 'messages.upsert', message)).toBeNull();
		await setWebhook(double, { webhook: { enabled: false, url: receiver.url } });
		expect(await double.deliver('inst1', 'connection.update', { state: 'open' })).toBeNull();
		expect(receiver.received.map((r) => r.body.event)).toEqual(['group-participants.update']);
	});

	it('does not normalise the URL: trailing slash and query string', async () => {
		const double = await startDouble({ dialect: 'v2.1' });
		await setWebhook(double, { webhook: { enabled: true, url: `${receiver.url}/hook/`, byEvents: true, events: ['CALL'] } });
		await double.deliver('inst1', 'call', { id: 'c1' });
		await setWebhook(double, { webhook: { enabled: true, url: `${receiver.url}/hook?k=v`, events: ['CALL'] } });
		await double.deliver('inst1', 'call', { id: 'c2' });
		expect(receiver.received.map((r) => r.url)).toEqual(['/hook//call', '/hook?k=v/call']);
	});

	it('2.3.6 only sends to http(s) URLs; 2.2.3 sends jwt_key as a plain header', async () => {
		const current = await startDouble({ dialect: 'v2.3' });
		await setWebhook(current, { webhook: { enabled: true, url: 'not a url', events: [] } });
		expect(await current.deliver('inst1', 'call', {})).toBeNull();

		const old = await startDouble({ dialect: 'v2.1' });
		await setWebhook(old, { webhook: { enabled: true, url: receiver.url, headers: { jwt_key: 'k', 'x-a': 'b' }, events: [] } });
		await old.deliver('inst1', 'call', {});
		expect(receiver.received[0].headers).toMatchObject({ jwt_key: 'k', 'x-a': 'b' });
		expect(receiver.received[0].headers).not.toHaveProperty('authorization');
	});

	it('2.1.0 sends no custom headers; apikey is null when not exposed; sender absent before connection', async () => {
		const double = await startDouble({ dialect: 'v2.1', version: '2.1.0', exposeApikey: false });
		double.seedWebhook('inst2', { url: receiver.url, events: ['QRCODE_UPDATED'], headers: { 'x-a': 'b' } });
		await double.deliver('inst2', 'qrcode.updated', { qrcode: { instance: 'inst2' } });
		const [got] = receiver.received;
		expect(got.headers).not.toHaveProperty('x-a');
		expect(got.body).not.toHaveProperty('sender');
		expect(got.body).toHaveProperty('apikey', null);
	});

	it('v1 and 2.0 leave apikey out unless exposed', async () => {
		for (const dialect of ['v1', 'v2.0'] as const) {
			const exposed = await startDouble({ dialect });
			const hidden = await startDouble({ dialect, exposeApikey: false });
			for (const double of [exposed, hidden]) {
				await setWebhook(double, bodyFor(dialect, { url: receiver.url, events: ['CONNECTION_UPDATE'] }));
				await double.deliver('inst1', 'connection.update', { instance: 'inst1', state: 'open', statusReason: 200 });
			}
		}
		expect(receiver.received.map((r) => r.body.apikey)).toEqual([TOKEN, undefined, TOKEN, undefined]);
		expect(receiver.received.map((r) => 'apikey' in r.body)).toEqual([true, false, true, false]);
	});

	it('v1 delivers from its merged in-memory config while find shows the last document', async () => {
		const double = await startDouble({ dialect: 'v1' });
		await setWebhook(double, { url: receiver.url, webhook_by_events: true, events: ['CALL'] });
		await setWebhook(double, { url: receiver.url, events: ['CALL'] });
		expect((await findWebhook(double)).body).not.toHaveProperty('webhook_by_events');
		await double.deliver('inst1', 'call', {});
		expect(receiver.received[0].url).toBe('/call');
	});

	it('reports the receiver status and refuses non-loopback targets', async () => {
		const failing = await startReceiver(404);
		try {
			const double = await startDouble({ dialect: 'v2.3' });
			await setWebhook(double, { webhook: { enabled: true, url: failing.url, events: [] } });
			expect(await double.deliver('inst1', 'call', {})).toMatchObject({ status: 404 });
			await setWebhook(double, { webhook: { enabled: true, url: 'https://n8n.example.com/webhook/x', events: [] } });
			const refused = await double.deliver('inst1', 'call', {});
			expect(refused).toMatchObject({ url: 'https://n8n.example.com/webhook/x' });
			expect(refused?.error).toMatch(/loopback/);
			expect(refused?.status).toBeUndefined();
		} finally {
			await failing.close();
		}
	});
});
