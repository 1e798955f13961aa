/**
 * The packed package inside real n8n (2.40.7 on Node 24, 1.123.81 on Node 20), driven only through n8n's
 * public API, its REST API and HTTP deliveries, against Evolution doubles of every dialect on 127.0.0.1
 * (1.8.2, 2.0.10, 2.2.3, 2.3.6). One n8n per target; each scenario builds on the workflows before it.
 *
 * Expected set bodies are written by hand from docs/protocol.md#dialects (v1 flat snake_case, 2.0 flat
 * camelCase, 2.1+ nested; secret in a header from 2.1.1, else ?n8nSecret= in the URL).
 * N8N_E2E_TARGETS=2.x,1.x (default: both) picks the versions.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { TAKEN_SLOT_FIX, VERIFICATION_HEADER, VERIFICATION_QUERY_PARAM } from '../../nodes/lib/evolution/registration';
import { TOKEN_HEADER } from '../../nodes/WhaticketTrigger/description';
import { EvolutionDouble, type DoubleDialect, type V1WebhookAnswer, type WebhookRow } from '../support/evolution-double';
import { closedPort } from '../support/ports';
import { ExecutionWatch, errorOf, outputOf } from './harness/executions';
import { packThisPackageIsolated } from './harness/pack';
import { N8nHttpError, N8nInstance, type N8nTargetId, type StoredWorkflow, type WorkflowNode } from './harness/n8n';

const TARGETS = (process.env.N8N_E2E_TARGETS ?? '2.x,1.x').split(',').map((id) => id.trim()) as N8nTargetId[];
const DIALECTS: readonly DoubleDialect[] = ['v1', 'v2.0', 'v2.1', 'v2.3'];
/** 2.2.3 and 2.3.6 keep custom headers (2.1.1+): the secret travels in a header there, else in the query. */
const HEADER_DIALECTS: readonly DoubleDialect[] = ['v2.1', 'v2.3'];
const secretInHeader = (dialect: DoubleDialect) => HEADER_DIALECTS.includes(dialect);

const PACKAGE = 'n8n-nodes-whatsapp-webhooks';
const TRIGGER_TYPE = `${PACKAGE}.evolutionApiTrigger`;
const ACTION_TYPE = `${PACKAGE}.evolutionApiWebhook`;
const WHATICKET_TYPE = `${PACKAGE}.whaticketTrigger`;
const TRIGGER_NAME = 'Evolution API Trigger';
const TRIGGER_PATH = 'webhook';

/** Instances on every double, one per concern so scenarios do not disturb each other. */
const USER_INSTANCE = 'sales'; // holds the user's own webhook before activation (restored on deactivation)
const EMPTY_INSTANCE = 'support'; // no webhook before activation (disabled on deactivation)
const TAKEN_INSTANCE = 'taken'; // points at another n8n workflow
const ACTION_INSTANCE = 'ops'; // driven by the action node
const OWNER_JID = '5511911112222@s.whatsapp.net';
const CONTACT_PHONE = '5511988887777';

const TRIGGER_EVENTS = ['MESSAGES_UPSERT', 'CONNECTION_UPDATE'];
/** A user's own integration, with every field a dialect can keep. */
const USERS_WEBHOOK = {
	url: 'https://crm.example.com/hooks/whatsapp',
	events: ['MESSAGES_UPSERT', 'SEND_MESSAGE', 'CONNECTION_UPDATE'],
	byEvents: true,
	base64: true,
	headers: { 'x-crm-token': 'crm-secret-1' },
};

// ---------------------------------------------------------------- payloads

type Json = Record<string, any>;

function fixture(directory: string, file: string): Json {
	return JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', directory, file), 'utf8')) as Json;
}

/** The `data` of a recorded Evolution delivery (v1 or v2 generation), with a fresh message id: the trigger drops repeats. */
function evolutionData(name: string, dialect: DoubleDialect, messageId = newMessageId()): Json {
	const data = fixture('evolution', `${name}.${dialect === 'v1' ? 'v1' : 'v2'}.json`).data as Json;
	if (data.key) data.key.id = messageId;
	return data;
}

function newMessageId(): string {
	return `3EB0${randomBytes(8).toString('hex').toUpperCase()}`;
}

/** A text message from the contact, with its own text so its execution can be told apart. */
function textMessage(dialect: DoubleDialect, text: string, changes: { fromMe?: boolean; remoteJid?: string } = {}): Json {
	const data = evolutionData('messages.upsert', dialect);
	if (data.message.extendedTextMessage) data.message.extendedTextMessage.text = text;
	else data.message.conversation = text;
	if (changes.fromMe !== undefined) data.key.fromMe = changes.fromMe;
	if (changes.remoteJid !== undefined) data.key.remoteJid = changes.remoteJid;
	return data;
}

// ---------------------------------------------------------------- expectations from the protocol (docs/protocol.md)

function expectedSetBody(dialect: DoubleDialect, productionUrl: string, secret: string, events: string[], base64: boolean): unknown {
	switch (dialect) {
		case 'v1':
			return { enabled: true, url: `${productionUrl}?${VERIFICATION_QUERY_PARAM}=${secret}`, webhook_by_events: false, webhook_base64: base64, events };
		case 'v2.0':
			return { enabled: true, url: `${productionUrl}?${VERIFICATION_QUERY_PARAM}=${secret}`, webhookByEvents: false, webhookBase64: base64, events };
		default:
			return { webhook: { enabled: true, url: productionUrl, events, byEvents: false, base64, headers: { [VERIFICATION_HEADER]: secret } } };
	}
}

/** The secret a set request carried (query of the URL, or the header). */
function secretOfSetBody(dialect: DoubleDialect, body: Json): string {
	if (secretInHeader(dialect)) return body.webhook.headers[VERIFICATION_HEADER];
	return new URL(body.url).searchParams.get(VERIFICATION_QUERY_PARAM) ?? '';
}

/** The fields of a stored webhook that describe it, without row ids and timestamps. */
function webhookFields(found: V1WebhookAnswer | WebhookRow | null): Json | null {
	if (found === null) return null;
	const { id: _id, createdAt: _createdAt, updatedAt: _updatedAt, instanceId: _instanceId, ...fields } = found as Json;
	return fields;
}

// ---------------------------------------------------------------- the suite

let tarball: string;
beforeAll(() => {
	tarball = packThisPackageIsolated();
});

describe.each(TARGETS)('on n8n %s', (target) => {
	let n8n: N8nInstance;
	const doubles = new Map<DoubleDialect, EvolutionDouble>();
	const credentials = new Map<DoubleDialect, { id: string; name: string }>();

	const double = (dialect: DoubleDialect) => doubles.get(dialect)!;
	const setsTo = (dialect: DoubleDialect, instance: string) => double(dialect).requestsTo('POST', `/webhook/set/${instance}`);
	const findsOf = (dialect: DoubleDialect, instance: string) => double(dialect).requestsTo('GET', `/webhook/find/${instance}`);

	beforeAll(async () => {
		for (const dialect of DIALECTS) {
			const evolution = new EvolutionDouble({
				dialect,
				instances: [USER_INSTANCE, EMPTY_INSTANCE, TAKEN_INSTANCE, ACTION_INSTANCE].map((name) => ({
					name,
					token: `${name}-token`,
					ownerJid: OWNER_JID,
					profileName: 'Shop',
				})),
			});
			await evolution.start();
			doubles.set(dialect, evolution);
		}
		n8n = await N8nInstance.start({ target, packageTarball: tarball });
		console.log(`n8n ${n8n.n8n.n8nVersion} on Node ${n8n.n8n.nodeVersion}: ready in ${n8n.startupMs} ms, logs in ${n8n.logFile}`);
		await n8n.setupOwner();
		for (const dialect of DIALECTS) {
			const created = await n8n.createCredential('evolutionApi', `Evolution ${dialect}`, {
				baseUrl: double(dialect).baseUrl,
				apiKey: double(dialect).globalKey,
				// n8n 1.123 / 2.40 add "Allowed HTTP Request Domains" to every credential; the public API's schema wants
				// allowedDomains unless this says 'all' (its if/then passes vacuously when the field is missing).
				allowedHttpRequestDomains: 'all',
			});
			credentials.set(dialect, { id: created.id, name: created.name });
		}
	});

	afterAll(async () => {
		await n8n?.stop();
		for (const evolution of doubles.values()) await evolution.stop();
	});

	/** A workflow with one Evolution API Trigger; webhookId fixed here so its URLs are known up front. */
	async function createTriggerWorkflow(dialect: DoubleDialect, instance: string, options: Json = {}): Promise<{ workflow: StoredWorkflow; webhookId: string }> {
		const webhookId = randomUUID();
		const workflow = await n8n.createWorkflow({
			name: `Evolution ${dialect} ${instance}`,
			nodes: [
				{
					name: TRIGGER_NAME,
					type: TRIGGER_TYPE,
					typeVersion: 1,
					position: [0, 0],
					webhookId,
					parameters: { mode: 'register', instance, events: TRIGGER_EVENTS, options },
					credentials: { evolutionApi: credentials.get(dialect)! },
				},
			],
		});
		return { workflow, webhookId };
	}

	describe('0. the Evolution API credential test', () => {
		/** What n8n's "Test" button answers for these credential fields (the editor tests a saved credential by id). */
		async function credentialTest(label: string, data: Json): Promise<{ status: string; message: string }> {
			const fields = { ...data, allowedHttpRequestDomains: 'all' };
			const created = await n8n.createCredential('evolutionApi', `test ${label}`, fields);
			const answer = await n8n.rest<{ data: { status: string; message: string } }>('POST', '/credentials/test', {
				credentials: { id: created.id, name: `test ${label}`, type: 'evolutionApi', data: fields },
			});
			return answer.data;
		}

		it('tells a working key, a wrong key, a server that is not Evolution and an unreachable server apart', async () => {
			const evolution = double('v2.3');
			// The nodes run the test (testedBy), so both n8n versions show our sentences.
			expect(await credentialTest('ok', { baseUrl: `${evolution.baseUrl}/`, apiKey: evolution.globalKey })).toEqual({
				status: 'OK',
				message: `Connected to Evolution API 2.3.6 at ${evolution.baseUrl}.`,
			});
			expect(await credentialTest('instance token', { baseUrl: evolution.baseUrl, apiKey: `${USER_INSTANCE}-token` })).toMatchObject({ status: 'OK' });
			expect(await credentialTest('wrong key', { baseUrl: evolution.baseUrl, apiKey: 'wrong' })).toEqual({
				status: 'Error',
				message: expect.stringMatching(/^Wrong API key: Evolution API 2\.3\.6 at /),
			});
			expect(await credentialTest('wrong prefix', { baseUrl: `${evolution.baseUrl}/nothing`, apiKey: evolution.globalKey })).toEqual({
				status: 'Error',
				message: expect.stringMatching(/but it is not an Evolution API server/),
			});
			expect(await credentialTest('unreachable', { baseUrl: `http://127.0.0.1:${await closedPort()}`, apiKey: 'any' })).toEqual({
				status: 'Error',
				message: expect.stringMatching(/^Could not connect to .*: nothing listens at that address/),
			});
		});
	});

	describe('Evolution API Trigger', () => {
		/** The workflows of scenario 1, on USER_INSTANCE of each double; later scenarios reuse them. */
		const active = new Map<DoubleDialect, { workflow: StoredWorkflow; webhookId: string; watch: ExecutionWatch; registered: Json | null; seeded: Json | null }>();
		const productionUrlOf = (dialect: DoubleDialect) => n8n.productionUrl(active.get(dialect)!.webhookId, TRIGGER_PATH);

		/** Delivers like the server and expects n8n to answer 200. */
		async function deliver(dialect: DoubleDialect, event: string, data: unknown, instance = USER_INSTANCE) {
			const delivery = await double(dialect).deliver(instance, event, data);
			expect(delivery).not.toBeNull();
			expect(delivery!.error).toBeUndefined();
			expect(delivery!.status).toBe(200);
			return delivery!;
		}

		/** A text delivery that must start exactly one execution; answers its trigger item. */
		async function deliverTextAndRead(dialect: DoubleDialect, text: string) {
			await deliver(dialect, 'messages.upsert', textMessage(dialect, text));
			const [execution] = await active.get(dialect)!.watch.next(1, `the execution for "${text}"`);
			return { execution, item: outputOf(execution, TRIGGER_NAME)[0] };
		}

		/** POST exactly as the server would to what it has stored (URL with secret, custom headers), with any body. */
		async function postAsServer(dialect: DoubleDialect, body: unknown): Promise<Response> {
			const stored = double(dialect).webhookOf(USER_INSTANCE) as Json;
			const headers: Record<string, string> = { 'content-type': 'application/json', ...(stored.headers ?? {}) };
			return fetch(stored.url, { method: 'POST', headers, body: JSON.stringify(body) });
		}

		describe('1. activation through the public API registers the trigger on the instance', () => {
			it.each(DIALECTS)('%s: the double receives the dialect\'s set body with a fresh secret', async (dialect) => {
				double(dialect).seedWebhook(USER_INSTANCE, USERS_WEBHOOK);
				const seeded = webhookFields(double(dialect).webhookOf(USER_INSTANCE));
				const { workflow, webhookId } = await createTriggerWorkflow(dialect, USER_INSTANCE, { media: 'base64', ignoreOwnMessages: true });
				const watch = new ExecutionWatch(n8n, workflow.id);

				const activated = await n8n.activate(workflow.id);
				expect(activated.active).toBe(true);
				const [set] = await n8n.waitFor(() => setsTo(dialect, USER_INSTANCE).length > 0 && setsTo(dialect, USER_INSTANCE), {
					description: `the set request on the ${dialect} double`,
					intervalMs: 50,
				});
				const secret = secretOfSetBody(dialect, set.body as Json);
				expect(secret).toMatch(/^[0-9a-f]{64}$/);
				const productionUrl = n8n.productionUrl(webhookId, TRIGGER_PATH);
				expect(set.body).toEqual(expectedSetBody(dialect, productionUrl, secret, TRIGGER_EVENTS, true));
				expect(setsTo(dialect, USER_INSTANCE)).toHaveLength(1);
				// The server now points at this workflow's production URL.
				const registered = webhookFields(double(dialect).webhookOf(USER_INSTANCE));
				expect(registered).toMatchObject({ enabled: true, events: TRIGGER_EVENTS, url: secretInHeader(dialect) ? productionUrl : `${productionUrl}?${VERIFICATION_QUERY_PARAM}=${secret}` });
				await watch.settle();
				active.set(dialect, { workflow, webhookId, watch, registered, seeded });
			});
		});

		describe('2. deliveries from the server start executions with the normalized item', () => {
			it.each(DIALECTS)('%s: a text message → message.received with chat, sender and text', async (dialect) => {
				const text = `hello from ${dialect} ${randomBytes(3).toString('hex')}`;
				const { execution, item } = await deliverTextAndRead(dialect, text);
				expect(execution.mode).toBe('webhook');
				expect(execution.status ?? 'success').toBe('success');
				expect(item.json).toMatchObject({
					source: 'evolution',
					event: 'message.received',
					originalEvent: 'messages.upsert',
					instance: USER_INSTANCE,
					chat: { id: `${CONTACT_PHONE}@s.whatsapp.net`, phone: CONTACT_PHONE, isGroup: false },
					sender: { phone: CONTACT_PHONE, name: 'Maria' },
					message: { type: 'text', text, fromMe: false, media: null },
				});
				// Secrets never reach the workflow.
				expect(JSON.stringify(execution.data)).not.toContain(`${USER_INSTANCE}-token`);
			});

			it.each(DIALECTS)('%s: a by-events delivery to …/webhook/messages-upsert reaches this workflow (with four triggers active)', async (dialect) => {
				// What a server with "webhook by events" on sends; the secret goes where this registration keeps it.
				const secret = secretOfSetBody(dialect, setsTo(dialect, USER_INSTANCE)[0].body as Json);
				const text = `by events ${dialect}`;
				const body = { event: 'messages.upsert', instance: USER_INSTANCE, data: textMessage(dialect, text) };
				const url = `${productionUrlOf(dialect)}/messages-upsert${secretInHeader(dialect) ? '' : `?${VERIFICATION_QUERY_PARAM}=${secret}`}`;
				const headers = { 'content-type': 'application/json', ...(secretInHeader(dialect) ? { [VERIFICATION_HEADER]: secret } : {}) };
				const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
				expect(response.status).toBe(200);
				const [execution] = await active.get(dialect)!.watch.next(1, 'the by-events execution');
				expect(outputOf(execution, TRIGGER_NAME)[0].json).toMatchObject({ event: 'message.received', message: { text } });
			});

			it.each(DIALECTS)('%s: a group message → the group chat and the member who wrote', async (dialect) => {
				const data = evolutionData('messages.upsert-group', dialect);
				await deliver(dialect, 'messages.upsert', data);
				const [execution] = await active.get(dialect)!.watch.next(1, 'the group message execution');
				expect(outputOf(execution, TRIGGER_NAME)[0].json).toMatchObject({
					event: 'message.received',
					chat: { id: '120363041234567890@g.us', isGroup: true, phone: null },
					sender: { phone: '5511977776666' },
					message: { id: data.key.id, type: 'text', text: data.message.conversation ?? data.message.extendedTextMessage?.text },
				});
			});

			it.each(DIALECTS)('%s: an image with base64 (Media to Binary: From Base64) → binary "data" and the caption', async (dialect) => {
				const data = evolutionData('messages.upsert-image', dialect);
				await deliver(dialect, 'messages.upsert', data);
				const [execution] = await active.get(dialect)!.watch.next(1, 'the image execution');
				const [item] = outputOf(execution, TRIGGER_NAME);
				expect(item.json).toMatchObject({
					event: 'message.received',
					message: { type: 'image', caption: 'Look at this', media: { type: 'image', mimetype: 'image/jpeg', hasBase64: true } },
				});
				expect(item.binary?.data).toMatchObject({ mimeType: 'image/jpeg' });
			});

			it.each(DIALECTS)('%s: a selected non-message event (connection.update) → connection.updated', async (dialect) => {
				await deliver(dialect, 'connection.update', evolutionData('connection.update', dialect));
				const [execution] = await active.get(dialect)!.watch.next(1, 'the connection execution');
				expect(outputOf(execution, TRIGGER_NAME)[0].json).toMatchObject({ event: 'connection.updated', originalEvent: 'connection.update', instance: USER_INSTANCE });
			});

			it.each(DIALECTS)('%s: own messages (Ignore My Own Messages), Status posts and an unselected event start no execution', async (dialect) => {
				const own = await deliver(dialect, 'messages.upsert', textMessage(dialect, 'typed on the phone', { fromMe: true }));
				const status = await deliver(dialect, 'messages.upsert', textMessage(dialect, 'my status', { remoteJid: 'status@broadcast' }));
				// The server would not send an event the webhook does not select; a POST carrying its secret proves n8n ignores it anyway.
				const contacts = fixture('evolution', `contacts.upsert.${dialect === 'v1' ? 'v1' : 'v2'}.json`);
				const unselected = await postAsServer(dialect, { ...contacts, instance: USER_INSTANCE });
				expect(unselected.status).toBe(200);
				expect(own.status).toBe(200);
				expect(status.status).toBe(200);
				// Only the marker that follows starts an execution.
				const { item } = await deliverTextAndRead(dialect, `marker after ignored events ${dialect}`);
				expect(item.json).toMatchObject({ message: { text: `marker after ignored events ${dialect}` } });
			});
		});

		describe('3. forged deliveries are refused', () => {
			it.each(DIALECTS)('%s: without the secret or with a wrong one → 401 and no execution', async (dialect) => {
				const body = { event: 'messages.upsert', instance: USER_INSTANCE, data: textMessage(dialect, 'forged') };
				const productionUrl = productionUrlOf(dialect);
				const wrong = secretInHeader(dialect)
					? fetch(productionUrl, { method: 'POST', headers: { 'content-type': 'application/json', [VERIFICATION_HEADER]: 'f'.repeat(64) }, body: JSON.stringify(body) })
					: fetch(`${productionUrl}?${VERIFICATION_QUERY_PARAM}=${'f'.repeat(64)}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
				for (const response of [await fetch(productionUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }), await wrong]) {
					expect(response.status).toBe(401);
					expect(await response.json()).toEqual({
						message: `Unauthorized: missing or wrong delivery secret (${secretInHeader(dialect) ? `header ${VERIFICATION_HEADER}` : `query ${VERIFICATION_QUERY_PARAM}`})`,
					});
				}
				const { item } = await deliverTextAndRead(dialect, `marker after forgeries ${dialect}`);
				expect(item.json).toMatchObject({ message: { text: `marker after forgeries ${dialect}` } });
			});
		});

		describe('4. a test listen on the active workflow borrows the slot and gives it back', () => {
			it.each(DIALECTS)('%s: test URL registered, a test delivery ends the listen, the production registration is back and works', async (dialect) => {
				const { workflow, webhookId, watch, registered } = active.get(dialect)!;
				const testUrl = n8n.testUrl(webhookId, TRIGGER_PATH);
				const listen = await n8n.startTestListen(await n8n.getWorkflow(workflow.id), TRIGGER_NAME);
				expect(listen.waitingForWebhook).toBe(true);
				const borrowed = await n8n.waitFor(() => {
					const stored = double(dialect).webhookOf(USER_INSTANCE) as Json;
					return typeof stored.url === 'string' && stored.url.startsWith(testUrl) && stored;
				}, { description: 'the test URL on the double', intervalMs: 50 });
				expect(borrowed).toMatchObject({ enabled: true, events: TRIGGER_EVENTS });
				// A fresh secret for the test registration, not the production one.
				expect(JSON.stringify(borrowed)).not.toContain(secretOfSetBody(dialect, setsTo(dialect, USER_INSTANCE)[0].body as Json));

				const text = `test event ${dialect}`;
				await deliver(dialect, 'messages.upsert', textMessage(dialect, text));
				const [manual] = await watch.next(1, 'the manual execution');
				expect(manual.mode).toBe('manual');
				expect(outputOf(manual, TRIGGER_NAME)[0].json).toMatchObject({ event: 'message.received', message: { text } });

				await n8n.waitFor(() => JSON.stringify(webhookFields(double(dialect).webhookOf(USER_INSTANCE))) === JSON.stringify(registered), {
					description: 'the production registration back on the double',
					intervalMs: 50,
				});
				expect(webhookFields(double(dialect).webhookOf(USER_INSTANCE))).toEqual(registered);
				// The test URL is gone from n8n too.
				expect((await fetch(testUrl, { method: 'POST', body: '{}' })).status).toBe(404);

				const { execution } = await deliverTextAndRead(dialect, `production after test ${dialect}`);
				expect(execution.mode).toBe('webhook');
			});
		});

		describe('5. a restarted n8n keeps the registration', () => {
			it(`restart: no second set on any dialect (${target === '1.x' ? 'checkExists finds it intact' : 'webhooks are served from the database, no lifecycle call'})`, async () => {
				const setsBefore = new Map(DIALECTS.map((dialect) => [dialect, setsTo(dialect, USER_INSTANCE).length]));
				const findsBefore = new Map(DIALECTS.map((dialect) => [dialect, findsOf(dialect, USER_INSTANCE).length]));
				await n8n.restart();
				console.log(`n8n ${target} restarted in ${n8n.startupMs} ms`);
				if (target === '1.x') {
					// checkExists (activation 'init') asks each server once.
					await n8n.waitFor(() => DIALECTS.every((dialect) => findsOf(dialect, USER_INSTANCE).length > findsBefore.get(dialect)!), {
						description: 'checkExists on every double after the restart',
					});
				}
				for (const dialect of DIALECTS) {
					const { execution } = await deliverTextAndRead(dialect, `after restart ${dialect}`);
					expect(execution.mode).toBe('webhook');
				}
				for (const dialect of DIALECTS) {
					expect(setsTo(dialect, USER_INSTANCE)).toHaveLength(setsBefore.get(dialect)!);
					expect(webhookFields(double(dialect).webhookOf(USER_INSTANCE))).toEqual(active.get(dialect)!.registered);
					if (target === '2.x') expect(findsOf(dialect, USER_INSTANCE)).toHaveLength(findsBefore.get(dialect)!);
					else expect(findsOf(dialect, USER_INSTANCE)).toHaveLength(findsBefore.get(dialect)! + 1);
				}
			});
		});

		describe('6. deactivation puts back what was there', () => {
			it.each(DIALECTS)('%s: the webhook seeded before activation is back, field for field', async (dialect) => {
				const { workflow, seeded } = active.get(dialect)!;
				await n8n.deactivate(workflow.id);
				await n8n.waitFor(() => JSON.stringify(webhookFields(double(dialect).webhookOf(USER_INSTANCE))) === JSON.stringify(seeded), {
					description: 'the seeded webhook back on the double',
					intervalMs: 50,
				});
				expect(webhookFields(double(dialect).webhookOf(USER_INSTANCE))).toEqual(seeded);
				expect((await n8n.getWorkflow(workflow.id)).active).toBe(false);
			});

			it.each(DIALECTS)('%s: with nothing before, the webhook ends disabled with no secret left', async (dialect) => {
				const { workflow, webhookId } = await createTriggerWorkflow(dialect, EMPTY_INSTANCE);
				await n8n.activate(workflow.id);
				const [set] = await n8n.waitFor(() => setsTo(dialect, EMPTY_INSTANCE).length > 0 && setsTo(dialect, EMPTY_INSTANCE), { description: 'the set', intervalMs: 50 });
				const secret = secretOfSetBody(dialect, set.body as Json);
				await n8n.deactivate(workflow.id);
				const after = await n8n.waitFor(() => {
					const stored = double(dialect).webhookOf(EMPTY_INSTANCE) as Json;
					return stored.enabled === false && stored;
				}, { description: 'the disabled webhook', intervalMs: 50 });
				expect(after.events).toEqual([]);
				expect(JSON.stringify(after)).not.toContain(secret);
				if (secretInHeader(dialect)) {
					expect(after.headers).toEqual({});
					expect(after.url).toBe(n8n.productionUrl(webhookId, TRIGGER_PATH)); // 2.1+ keeps the URL of a disabled webhook
				} else {
					expect(after.url).toBe(''); // v1 and 2.0 blank it
				}
				expect(setsTo(dialect, EMPTY_INSTANCE)).toHaveLength(2);
			});
		});

		describe("7. another workflow's slot is not taken", () => {
			const refusal = (otherWorkflowUrl: string) =>
				`Instance "${TAKEN_INSTANCE}" already sends its events to another n8n workflow (${otherWorkflowUrl}): ${TAKEN_SLOT_FIX}`;
			type Attempt = { workflow: StoredWorkflow; otherWorkflowUrl: string; seeded: unknown; error: unknown };
			const attempts = new Map<DoubleDialect, Promise<Attempt>>();

			beforeAll(() => {
				// Started together: 2.x retries a failing trigger activation for ~15 s before it reports the failure.
				for (const dialect of DIALECTS) {
					const otherWorkflowUrl = `${n8n.baseUrl}/webhook/${randomUUID()}/webhook`;
					double(dialect).seedWebhook(TAKEN_INSTANCE, { url: otherWorkflowUrl, events: ['MESSAGES_UPSERT'] });
					const seeded = double(dialect).webhookOf(TAKEN_INSTANCE);
					const attempt = createTriggerWorkflow(dialect, TAKEN_INSTANCE).then(({ workflow }) =>
						n8n.activate(workflow.id).then(
							() => ({ workflow, otherWorkflowUrl, seeded, error: undefined }),
							(error: unknown) => ({ workflow, otherWorkflowUrl, seeded, error }),
						),
					);
					attempt.catch(() => undefined); // awaited in the test; never an unhandled rejection meanwhile
					attempts.set(dialect, attempt);
				}
			});

			it.each(DIALECTS)(
				target === '1.x'
					? '%s: the activate call fails (400) with the message naming the other workflow; the double is untouched'
					: '%s: publish answers 200, then the publication status is "failed" with the message naming the other workflow; the double is untouched',
				async (dialect) => {
					const { workflow, otherWorkflowUrl, seeded, error } = await attempts.get(dialect)!;
					if (target === '1.x') {
						// The error's message is what the editor shows in its activation error toast.
						expect(error).toBeInstanceOf(N8nHttpError);
						const { status, body } = error as N8nHttpError;
						expect(status).toBe(400);
						expect(JSON.parse(body)).toEqual({ message: refusal(otherWorkflowUrl) });
						expect((await n8n.getWorkflow(workflow.id)).active).toBe(false);
						// create() read the slot once; n8n's clean-up delete() read it again and left it alone.
						expect(findsOf(dialect, TAKEN_INSTANCE)).toHaveLength(2);
					} else {
						// 2.x queues the publication: the call succeeds, the trigger fails afterwards (n8n retries it with
						// back-off first), and the editor shows the failure from the publication status and a push message.
						expect(error).toBeUndefined();
						const publication = await n8n.waitFor(
							async () => {
								const current = await n8n.publicationStatus(workflow.id);
								return current.status !== 'in_progress' && current.status !== 'not_published' && current;
							},
							{ description: 'the publication outcome', intervalMs: 250, timeoutMs: 60_000 },
						);
						console.log(
							`n8n ${target} publication (${dialect}): ${JSON.stringify(publication)}; public API active: ${(await n8n.getWorkflow(workflow.id)).active}; create() attempts (finds): ${findsOf(dialect, TAKEN_INSTANCE).length}`,
						);
						expect(publication.status).toBe('failed');
						expect(publication.triggers).toEqual([expect.objectContaining({ status: 'failed', errorMessage: expect.stringContaining(refusal(otherWorkflowUrl)) })]);
					}
					// Nothing was written to the server: no set, the other workflow's webhook as it was.
					expect(setsTo(dialect, TAKEN_INSTANCE)).toEqual([]);
					expect(double(dialect).webhookOf(TAKEN_INSTANCE)).toEqual(seeded);
				},
			);
		});
	});

	describe('7a. the learned LID map', () => {
		const LID_INSTANCE = 'lidmap';
		const LID = '126409561346102@lid';

		it('v2.3: a contacts.upsert pairing a LID with a phone, then a LID-only message → chat.phone filled, phoneSource "learned"', async () => {
			const evolution = double('v2.3');
			evolution.addInstance({ name: LID_INSTANCE, token: `${LID_INSTANCE}-token`, ownerJid: OWNER_JID, profileName: 'Shop' });
			const workflow = await n8n.createWorkflow({
				name: 'Evolution v2.3 LID map',
				nodes: [
					{
						name: TRIGGER_NAME,
						type: TRIGGER_TYPE,
						typeVersion: 2,
						position: [0, 0],
						webhookId: randomUUID(),
						parameters: { mode: 'register', instance: LID_INSTANCE, events: ['MESSAGES_UPSERT', 'CONTACTS_UPSERT'], options: {} },
						credentials: { evolutionApi: credentials.get('v2.3')! },
					},
				],
			});
			const watch = new ExecutionWatch(n8n, workflow.id);
			await n8n.activate(workflow.id);
			await n8n.waitFor(() => setsTo('v2.3', LID_INSTANCE).length > 0, { description: 'the set request of the LID map trigger', intervalMs: 50 });
			await watch.settle();
			try {
				// Baileys 7 / Evolution 2.3.x: a contact carries its LID and its phone (docs/protocol.md#delivery-envelope).
				const pairing = await evolution.deliver(LID_INSTANCE, 'contacts.upsert', [{ remoteJid: LID, phoneNumber: `${CONTACT_PHONE}@s.whatsapp.net`, pushName: 'Maria', profilePicUrl: null }]);
				expect(pairing?.status).toBe(200);
				const [contact] = await watch.next(1, 'the contacts.upsert execution');
				expect(outputOf(contact, TRIGGER_NAME)[0].json).toMatchObject({ event: 'contact.updated', contact: { lid: LID, phone: CONTACT_PHONE } });
				// The pair is in the workflow's stored static data before the next delivery (n8n 2.40.7 lost it while
				// the trigger left the answer to n8n: nodes/lib/n8n/delivery.ts).
				expect((await n8n.getWorkflow(workflow.id)).staticData).toMatchObject({ [`node:${TRIGGER_NAME}`]: { lidMaps: { [LID_INSTANCE]: { [LID]: CONTACT_PHONE } } } });

				const messageId = newMessageId();
				const lidOnly = { key: { remoteJid: LID, addressingMode: 'lid', fromMe: false, id: messageId }, pushName: 'Maria', message: { conversation: 'Ainda está aberto?' }, messageType: 'conversation', messageTimestamp: 1748768640 };
				const delivery = await evolution.deliver(LID_INSTANCE, 'messages.upsert', lidOnly);
				expect(delivery?.status).toBe(200);
				const [execution] = await watch.next(1, 'the LID-only message execution');
				expect(outputOf(execution, TRIGGER_NAME)[0].json).toMatchObject({
					event: 'message.received',
					chat: { id: LID, lid: LID, phone: CONTACT_PHONE, phoneSource: 'learned', isGroup: false },
					sender: { phone: CONTACT_PHONE, phoneSource: 'learned' },
					message: { id: messageId, text: 'Ainda está aberto?' },
				});
			} finally {
				await n8n.deactivate(workflow.id);
			}
		});
	});

	describe('8. Whaticket Trigger', () => {
		const TOKEN = 'wz-token-7f3a';
		let workflow: StoredWorkflow;
		let url: string;
		let watch: ExecutionWatch;
		const post = (body: unknown, headers: Record<string, string> = {}) =>
			fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

		beforeAll(async () => {
			const webhookId = randomUUID();
			workflow = await n8n.createWorkflow({
				name: 'Whazing',
				nodes: [
					{
						name: 'Whaticket Trigger',
						type: WHATICKET_TYPE,
						typeVersion: 1,
						position: [0, 0],
						webhookId,
						parameters: { source: 'auto', token: TOKEN, events: [], output: 'normalized', options: {} },
					},
				],
			});
			url = n8n.productionUrl(webhookId, 'webhook');
			watch = new ExecutionWatch(n8n, workflow.id);
			await n8n.activate(workflow.id);
			// 2.x answers the publish before the webhook is served: wait until the URL stops answering 404.
			await n8n.waitFor(async () => (await post({})).status !== 404, { description: 'the Whaticket webhook to be served', intervalMs: 100 });
			await watch.settle();
		});

		it('a Whazing message with the token header → one execution with ticket.externalKey', async () => {
			const response = await post(fixture('whazing', 'message.received.v2.16.json'), { [TOKEN_HEADER]: TOKEN });
			expect(response.status).toBe(200);
			const [execution] = await watch.next(1, 'the Whazing execution');
			expect(outputOf(execution, 'Whaticket Trigger')[0].json).toMatchObject({
				source: 'whazing',
				event: 'message.received',
				chat: { phone: CONTACT_PHONE },
				message: { text: 'Oi, meu pedido ainda não chegou' },
				ticket: { id: '4821', externalKey: 'PEDIDO-99812' },
			});
		});

		it('a wrong or missing token → 401, and the test ping → acknowledged; neither starts an execution', async () => {
			const message = fixture('whazing', 'message.received.v2.16.json');
			const wrong = await post(message, { [TOKEN_HEADER]: 'not-the-token' });
			expect(wrong.status).toBe(401);
			expect(await wrong.json()).toEqual({ message: 'Unauthorized: the token does not match the one set in the Whaticket Trigger' });
			expect((await post(message)).status).toBe(401);
			const ping = await post(fixture('whazing', 'test-ping.v3.json'), { [TOKEN_HEADER]: TOKEN });
			expect(ping.status).toBe(200);
			expect(await ping.json()).toEqual({ ok: true, message: 'Test received' });
			// Only the marker that follows starts an execution.
			const marker = { ...message, messageId: 'MARKER-1', messageBody: 'marker' };
			expect((await post(marker, { [TOKEN_HEADER]: TOKEN })).status).toBe(200);
			const [execution] = await watch.next(1, 'the marker execution');
			expect(outputOf(execution, 'Whaticket Trigger')[0].json).toMatchObject({ message: { text: 'marker' } });
		});
	});

	describe('9. Evolution API Webhook node in a running workflow (Webhook → find → set → disable → find)', () => {
		/** A core Webhook node answering at /webhook/<path>, the start of the action workflows. */
		function coreWebhook(path: string): WorkflowNode {
			return {
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: randomUUID(),
				parameters: { httpMethod: 'POST', path, responseMode: 'onReceived', options: {} },
			};
		}

		function chain(names: string[]): Record<string, unknown> {
			const connections: Record<string, unknown> = {};
			for (let index = 0; index + 1 < names.length; index++) {
				connections[names[index]] = { main: [[{ node: names[index + 1], type: 'main', index: 0 }]] };
			}
			return connections;
		}

		/** Activates, then POSTs to the core webhook until it is served (2.x publishes asynchronously); answers the execution. */
		async function runThroughWebhook(workflow: StoredWorkflow, path: string, body: unknown) {
			const watch = new ExecutionWatch(n8n, workflow.id);
			await n8n.activate(workflow.id);
			await watch.settle();
			await n8n.waitFor(
				async () => {
					const response = await fetch(`${n8n.baseUrl}/webhook/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
					return response.status === 200;
				},
				{ description: `the Webhook at /webhook/${path}`, intervalMs: 100 },
			);
			const [execution] = await watch.next(1, 'the action workflow execution');
			await n8n.deactivate(workflow.id);
			return execution;
		}

		it.each(DIALECTS)('%s: find, set and disable act on the double and report what the server stored', async (dialect) => {
			const seed = { url: 'https://crm.example.com/hooks/before', events: ['MESSAGES_UPSERT'] };
			double(dialect).seedWebhook(ACTION_INSTANCE, seed);
			const newUrl = 'https://crm.example.com/hooks/from-n8n';
			const customHeaders = secretInHeader(dialect) ? { 'x-crm': 'crm-2' } : undefined;
			const action = (name: string, operation: string, extra: Json = {}): WorkflowNode => ({
				name,
				type: ACTION_TYPE,
				typeVersion: 1,
				position: [0, 0],
				parameters: { resource: 'webhook', operation, instance: ACTION_INSTANCE, ...extra },
				credentials: { evolutionApi: credentials.get(dialect)! },
			});
			const names = ['Webhook', 'Find Before', 'Set', 'Disable', 'Find After'];
			const path = `evolution-actions-${dialect.replace('.', '-')}`;
			const workflow = await n8n.createWorkflow({
				name: `Evolution actions ${dialect}`,
				nodes: [
					coreWebhook(path),
					action('Find Before', 'find'),
					action('Set', 'set', {
						url: "={{ $('Webhook').item.json.body.url }}",
						events: ['MESSAGES_UPSERT', 'SEND_MESSAGE'],
						enabled: true,
						byEvents: false,
						base64: true,
						...(customHeaders ? { headers: { header: [{ name: 'x-crm', value: 'crm-2' }] } } : {}),
					}),
					action('Disable', 'disable'),
					action('Find After', 'find'),
				],
				connections: chain(names),
			});

			const execution = await runThroughWebhook(workflow, path, { url: newUrl });
			expect(errorOf(execution)).toBeUndefined();
			expect(execution.status ?? 'success').toBe('success');

			expect(outputOf(execution, 'Find Before')[0].json).toEqual({
				instance: ACTION_INSTANCE,
				exists: true,
				url: seed.url,
				enabled: true,
				events: seed.events,
				byEvents: false,
				base64: false,
				headers: null,
			});
			const sets = setsTo(dialect, ACTION_INSTANCE);
			expect(sets).toHaveLength(2);
			const setBody = sets[0].body as Json;
			const sent = dialect === 'v1' ? setBody : dialect === 'v2.0' ? setBody : setBody.webhook;
			expect(sent).toMatchObject({ url: newUrl, enabled: true, events: ['MESSAGES_UPSERT', 'SEND_MESSAGE'] });
			expect(outputOf(execution, 'Set')[0].json).toEqual({
				instance: ACTION_INSTANCE,
				exists: true,
				url: newUrl,
				enabled: true,
				events: ['MESSAGES_UPSERT', 'SEND_MESSAGE'],
				byEvents: false,
				base64: true,
				headers: customHeaders ?? null,
			});
			// Disable keeps the URL where the server does (2.1+); v1 and 2.0 blank it, i.e. no webhook any more.
			const keepsUrl = secretInHeader(dialect);
			expect(outputOf(execution, 'Disable')[0].json).toMatchObject({ instance: ACTION_INSTANCE, changed: true, enabled: false, exists: keepsUrl, url: keepsUrl ? newUrl : null });
			expect(outputOf(execution, 'Find After')[0].json).toMatchObject({ exists: keepsUrl, enabled: false, url: keepsUrl ? newUrl : null });
			expect(double(dialect).webhookOf(ACTION_INSTANCE)).toMatchObject({ enabled: false, events: [], url: keepsUrl ? newUrl : '' });
		});

		it('Normalize Event turns the raw Evolution body a Webhook node received into the normalized item', async () => {
			const path = 'evolution-normalize';
			const workflow = await n8n.createWorkflow({
				name: 'Normalize',
				nodes: [
					coreWebhook(path),
					{
						name: 'Normalize',
						type: ACTION_TYPE,
						typeVersion: 1,
						position: [200, 0],
						parameters: { resource: 'webhook', operation: 'normalize', payload: 'auto', source: 'auto', normalizeOptions: {} },
					},
				],
				connections: chain(['Webhook', 'Normalize']),
			});
			const evolutionBody = fixture('evolution', 'messages.upsert-group.v2.json');
			const execution = await runThroughWebhook(workflow, path, evolutionBody);
			expect(errorOf(execution)).toBeUndefined();
			const items = outputOf(execution, 'Normalize');
			expect(items).toHaveLength(1);
			expect(items[0].json).toMatchObject({
				source: 'evolution',
				event: 'message.received',
				instance: 'inst1',
				chat: { id: '120363041234567890@g.us', isGroup: true },
				sender: { phone: '5511977776666', name: 'João' },
				message: { type: 'text', text: 'Bom dia, grupo' },
			});
		});
	});
});
