/**
 * Evolution API Trigger lifecycle over real HTTP: n8n-core's real HookContext (test/support/node-host.ts)
 * against a real Evolution double of every dialect (1.8.2, 2.0.10, 2.2.3, 2.3.6). Expected set bodies
 * are written by hand from docs/protocol.md#dialects (v1 flat snake_case, 2.0 flat camelCase, 2.1+
 * nested; secret header from 2.1.1, else ?n8nSecret= in the URL).
 */
import {
	authenticPost,
	closeAll,
	DIALECTS,
	failureOf,
	INSTANCE,
	productionSecret,
	proxyLosingNextSetAnswer,
	registrationIn,
	SECRET_HEADER,
	SECRET_QUERY,
	secretInHeader,
	startDouble,
	triggerHost,
	webhookFields,
} from './evolution-trigger-support';
import type { DoubleDialect, EvolutionDouble } from '../support/evolution-double';
import { closedPort } from '../support/ports';
import { TAKEN_SLOT_FIX } from '../../nodes/lib/evolution/registration';

afterEach(closeAll);

/** The set body each dialect must receive for a fresh registration (see docs/protocol.md#dialects). */
function expectedSetBody(dialect: DoubleDialect, productionUrl: string, secret: string, events: string[], base64 = false): unknown {
	switch (dialect) {
		case 'v1':
			return { enabled: true, url: `${productionUrl}?${SECRET_QUERY}=${secret}`, webhook_by_events: false, webhook_base64: base64, events };
		case 'v2.0':
			return { enabled: true, url: `${productionUrl}?${SECRET_QUERY}=${secret}`, webhookByEvents: false, webhookBase64: base64, events };
		default:
			return { webhook: { enabled: true, url: productionUrl, events, byEvents: false, base64, headers: { [SECRET_HEADER]: secret } } };
	}
}

/** A user's own integration on the instance, with every field the dialect can hold. */
const USERS_URL_WITHOUT_SECRET = 'https://crm.example.com/hooks/whatsapp';
const USERS_URL_SECRET = 'crm-url-secret-77';
const USERS_WEBHOOK = {
	url: `${USERS_URL_WITHOUT_SECRET}?token=${USERS_URL_SECRET}`,
	events: ['MESSAGES_UPSERT', 'SEND_MESSAGE', 'CONNECTION_UPDATE'],
	byEvents: true,
	base64: true,
	headers: { 'x-crm-token': 'crm-secret-1' },
};

const setRequests = (double: EvolutionDouble) => double.requestsTo('POST', '/webhook/set');

function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe.each(DIALECTS)('Evolution API Trigger lifecycle on %s', (dialect) => {
	it('activate sends exactly the dialect\'s set body with a fresh secret; a restart finds it intact and sends no second set', async () => {
		const double = await startDouble(dialect);
		const events = ['MESSAGES_UPSERT', 'CONNECTION_UPDATE', 'CONTACTS_UPSERT'];
		const host = await triggerHost(double, { events });
		await host.activate();

		const secret = productionSecret(host);
		expect(secret).toMatch(/^[0-9a-f]{64}$/);
		expect(setRequests(double).map((request) => request.body)).toEqual([expectedSetBody(dialect, host.productionUrl, secret, events)]);

		await host.restart();
		expect(setRequests(double)).toHaveLength(1);
		const restartCheck = host.calls.filter((call) => call.method === 'checkExists' && call.activation === 'init' && call.webhookName === 'default');
		expect(restartCheck).toHaveLength(1);
		expect(restartCheck[0].result).toBe(true);
		expect(host.calls.filter((call) => call.method === 'create' && call.webhookName === 'default')).toHaveLength(1);
		expect(host.logs).toContainEqual({
			level: 'info',
			message: `Evolution API Trigger: registered the production URL ${host.productionUrl} on instance "${INSTANCE}" for ${events.join(', ')} (secret in ${secretInHeader(dialect) ? 'header' : 'query'}); saved the previous webhook: none`,
		});
		expect(host.logs.filter((line) => line.message.includes(secret))).toEqual([]);
		expect(host.errors).toEqual([]);
	});

	it('a restart after the instance\'s webhook was reset registers again, with a new secret', async () => {
		const double = await startDouble(dialect);
		const host = await triggerHost(double);
		await host.activate();
		const firstSecret = productionSecret(host);
		// Someone reset the instance's webhook in the manager while n8n was down.
		double.seedWebhook(INSTANCE, { url: 'https://placeholder.example.com/x', enabled: false });

		await host.restart();
		expect(setRequests(double)).toHaveLength(2);
		const secondSecret = productionSecret(host);
		expect(secondSecret).not.toBe(firstSecret);
		expect(setRequests(double)[1].body).toEqual(expectedSetBody(dialect, host.productionUrl, secondSecret, ['MESSAGES_UPSERT']));
		const delivered = await double.deliver(INSTANCE, 'messages.upsert', {
			key: { remoteJid: '5511988887777@s.whatsapp.net', fromMe: false, id: `RESTART-${dialect}` },
			message: { conversation: 'hi' },
			messageTimestamp: 1717430400,
		});
		expect(delivered?.status).toBe(200);
		expect(host.executions).toHaveLength(1);
	});

	it('a restart after the events were edited registers the new events and still restores the user\'s webhook', async () => {
		const double = await startDouble(dialect);
		double.seedWebhook(INSTANCE, USERS_WEBHOOK);
		const before = double.webhookOf(INSTANCE);
		const host = await triggerHost(double);
		await host.activate();

		host.setParameters({ mode: 'register', instance: INSTANCE, events: ['MESSAGES_UPSERT', 'MESSAGES_UPDATE'], options: {} });
		await host.restart();
		expect(setRequests(double)).toHaveLength(2);
		expect(setRequests(double)[1].body).toEqual(expectedSetBody(dialect, host.productionUrl, productionSecret(host), ['MESSAGES_UPSERT', 'MESSAGES_UPDATE']));

		await host.deactivate();
		expect(webhookFields(double.webhookOf(INSTANCE))).toEqual(webhookFields(before));
	});

	it('asks the server for base64 media when "Media to Binary" is From Base64', async () => {
		const double = await startDouble(dialect);
		const host = await triggerHost(double, { options: { media: 'base64' } });
		await host.activate();
		expect(setRequests(double)[0].body).toEqual(expectedSetBody(dialect, host.productionUrl, productionSecret(host), ['MESSAGES_UPSERT'], true));
	});

	it('deactivate puts the user\'s previous webhook back field for field', async () => {
		const double = await startDouble(dialect);
		double.seedWebhook(INSTANCE, USERS_WEBHOOK);
		const before = double.webhookOf(INSTANCE);
		const host = await triggerHost(double);
		await host.activate();
		expect(webhookFields(double.webhookOf(INSTANCE))).not.toEqual(webhookFields(before));

		await host.deactivate();
		expect(webhookFields(double.webhookOf(INSTANCE))).toEqual(webhookFields(before));
		// What find answers, as the client reads it: the same on every field the dialect keeps.
		const found = await fetch(`${double.baseUrl}/webhook/find/${INSTANCE}`, { headers: { apikey: double.globalKey } });
		expect(webhookFields(await found.json())).toEqual(webhookFields(before));
		expect(registrationIn(host)).toBeUndefined();
		expect(host.logs).toContainEqual({
			level: 'info',
			message: expect.stringContaining(`restored the previous webhook of "${INSTANCE}": ${USERS_URL_WITHOUT_SECRET} (enabled, 3 events)`),
		});
		expect(host.logs).toContainEqual({ level: 'info', message: expect.stringContaining(`saved the previous webhook: ${USERS_URL_WITHOUT_SECRET}`) });
		// The user's own secret (in their URL) never reaches the n8n log.
		expect(host.logs.filter((line) => line.message.includes(USERS_URL_SECRET))).toEqual([]);
	});

	it('deactivate with no webhook before ends disabled, with no secret left on the server', async () => {
		const double = await startDouble(dialect);
		const host = await triggerHost(double);
		await host.activate();
		const secret = productionSecret(host);

		await host.deactivate();
		const after = double.webhookOf(INSTANCE) as Record<string, unknown>;
		expect(after.enabled).toBe(false);
		expect(after.events).toEqual([]);
		expect(JSON.stringify(after)).not.toContain(secret);
		if (secretInHeader(dialect)) {
			expect(after.headers).toEqual({});
			expect(after.url).toBe(host.productionUrl); // 2.1+ keeps the url when disabling
		} else {
			expect(after.url).toBe(''); // v1 and 2.0 blank it
		}
		expect(host.logs).toContainEqual({ level: 'info', message: expect.stringContaining(`disabled the webhook of "${INSTANCE}": no webhook was configured before`) });
	});

	it('leaves a webhook someone changed after activation untouched, and logs why', async () => {
		const double = await startDouble(dialect);
		const host = await triggerHost(double);
		await host.activate();
		const foreign = { url: 'https://chatwoot.example.com/webhooks/evolution', events: ['MESSAGES_UPSERT'], headers: { 'x-chatwoot': 'cw' } };
		double.seedWebhook(INSTANCE, foreign);
		const seeded = double.webhookOf(INSTANCE);
		const setsBefore = setRequests(double).length;

		await host.deactivate();
		expect(double.webhookOf(INSTANCE)).toEqual(seeded);
		expect(setRequests(double)).toHaveLength(setsBefore);
		expect(host.logs).toContainEqual({
			level: 'info',
			message: `Evolution API Trigger: left the webhook of "${INSTANCE}" as it is: someone changed the webhook since this trigger registered it (it now points at ${foreign.url})`,
		});
	});

	it('refuses to take another n8n workflow\'s webhook, naming it, and writes nothing', async () => {
		const double = await startDouble(dialect);
		const otherWorkflowUrl = 'http://n8n.example.com/webhook/6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f/webhook';
		double.seedWebhook(INSTANCE, { url: otherWorkflowUrl, events: ['MESSAGES_UPSERT'] });
		const seeded = double.webhookOf(INSTANCE);
		const host = await triggerHost(double);

		const error = await failureOf(() => host.activate());
		expect(error.message).toBe(`Instance "${INSTANCE}" already sends its events to another n8n workflow (${otherWorkflowUrl}): ${TAKEN_SLOT_FIX}`);
		expect(error.message).toContain('unpublish or deactivate that workflow');
		expect((error as Error & { description?: string }).description).toMatch(/Take Over Another Workflow's Webhook/);
		expect(setRequests(double)).toHaveLength(0);
		expect(double.webhookOf(INSTANCE)).toEqual(seeded);
		expect(host.logs).toContainEqual({
			level: 'warn',
			message: `Evolution API Trigger: refused to register on "${INSTANCE}": ${error.message}`,
		});
		// The production URL is not live after a failed activation.
		expect((await host.post({ event: 'messages.upsert' })).status).toBe(404);
	});

	it('a second workflow\'s trigger on the same instance is refused, naming the first one\'s URL', async () => {
		const double = await startDouble(dialect);
		const first = await triggerHost(double);
		await first.activate();
		const asActivated = double.webhookOf(INSTANCE);
		const second = await triggerHost(double);

		const error = await failureOf(() => second.activate());
		expect(error.message).toBe(`Instance "${INSTANCE}" already sends its events to another n8n workflow (${first.productionUrl}): ${TAKEN_SLOT_FIX}`);
		expect(error.message).not.toContain(productionSecret(first));
		expect(double.webhookOf(INSTANCE)).toEqual(asActivated);
		expect(setRequests(double)).toHaveLength(1);
	});

	it('"allowTakeover" takes another workflow\'s webhook and gives it back on deactivation while that workflow still receives', async () => {
		const double = await startDouble(dialect);
		// The other workflow: a second trigger, active, on the same instance.
		const other = await triggerHost(double, { events: ['MESSAGES_UPSERT', 'MESSAGES_UPDATE'] });
		await other.activate();
		const seeded = double.webhookOf(INSTANCE);
		const host = await triggerHost(double, { options: { allowTakeover: true } });

		await host.activate();
		expect(setRequests(double)).toHaveLength(2);
		expect(String((double.webhookOf(INSTANCE) as { url: string }).url).startsWith(host.productionUrl)).toBe(true);

		await host.deactivate();
		expect(webhookFields(double.webhookOf(INSTANCE))).toEqual(webhookFields(seeded));
	});

	it('"allowTakeover": a taken-over URL that cannot be checked is not restored; the webhook is disabled and the log says why', async () => {
		const double = await startDouble(dialect);
		const unreachable = `http://127.0.0.1:${await closedPort()}/webhook/6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f/webhook`;
		double.seedWebhook(INSTANCE, { url: unreachable, events: ['MESSAGES_UPSERT', 'MESSAGES_UPDATE'] });
		const host = await triggerHost(double, { options: { allowTakeover: true } });
		await host.activate();
		await host.deactivate();
		expect((webhookFields(double.webhookOf(INSTANCE)) as { enabled?: boolean } | null)?.enabled).toBe(false);
		expect(host.logs.map((line) => line.message)).toContainEqual(expect.stringContaining(`another n8n workflow (${unreachable}) that could not be checked`));
	});

	it('a test listen on an active workflow registers the test URL with another secret, then gives production back exactly', async () => {
		const double = await startDouble(dialect);
		const host = await triggerHost(double);
		await host.activate();
		const productionSecretValue = productionSecret(host);
		const asActivated = double.webhookOf(INSTANCE);

		await host.startTestListen();
		const testRegistration = registrationIn(host, 'test') as { secret: string } | undefined;
		expect(testRegistration).toBeDefined();
		const testSecret = testRegistration!.secret;
		expect(testSecret).toMatch(/^[0-9a-f]{64}$/);
		expect(testSecret).not.toBe(productionSecretValue);
		const duringTest = double.webhookOf(INSTANCE) as Record<string, unknown>;
		if (secretInHeader(dialect)) {
			expect(duringTest.url).toBe(host.testUrl);
			expect(duringTest.headers).toEqual({ [SECRET_HEADER]: testSecret });
		} else {
			expect(duringTest.url).toBe(`${host.testUrl}?${SECRET_QUERY}=${testSecret}`);
		}
		// Production static data is not touched by the test listen.
		expect(productionSecret(host)).toBe(productionSecretValue);

		// Neither secret opens the other endpoint.
		const body = { event: 'messages.upsert', instance: INSTANCE, data: { key: { remoteJid: '5511988887777@s.whatsapp.net', fromMe: false, id: 'CROSS-1' }, message: { conversation: 'x' } } };
		expect((await host.post(body, authenticPost(dialect, testSecret))).status).toBe(401);
		expect((await host.post(body, { ...authenticPost(dialect, productionSecretValue), test: true })).status).toBe(401);
		expect(host.executions).toHaveLength(0);
		expect(host.logs).toContainEqual({ level: 'info', message: expect.stringContaining(`registered the test URL ${host.testUrl} on instance "${INSTANCE}"`) });

		await host.endTestListen();
		expect(webhookFields(double.webhookOf(INSTANCE))).toEqual(webhookFields(asActivated));
		if (dialect === 'v1') expect(double.webhookOf(INSTANCE)).toEqual(asActivated);
		expect(host.logs).toContainEqual({ level: 'info', message: expect.stringContaining(`restored the previous webhook of "${INSTANCE}": ${host.productionUrl} (enabled, 1 events)`) });
		// Neither secret is ever written to the log (the URLs are logged without their query).
		expect(host.logs.filter((line) => line.message.includes(testSecret) || line.message.includes(productionSecretValue))).toEqual([]);

		const delivery = await double.deliver(INSTANCE, 'messages.upsert', {
			key: { remoteJid: '5511988887777@s.whatsapp.net', fromMe: false, id: `TESTLISTEN-${dialect}` },
			pushName: 'Maria',
			message: { conversation: 'after the test listen' },
			messageType: 'conversation',
			messageTimestamp: 1717430400,
		});
		expect(delivery?.status).toBe(200);
		expect(delivery?.url.startsWith(host.productionUrl)).toBe(true);
		expect(host.executions).toHaveLength(1);
		expect(host.executions[0].mode).toBe('webhook');
	});

	it('a test delivery during the listen starts a manual execution and ends the listen with production restored', async () => {
		const double = await startDouble(dialect);
		const host = await triggerHost(double);
		await host.activate();
		const asActivated = double.webhookOf(INSTANCE);
		await host.startTestListen();

		const delivery = await double.deliver(INSTANCE, 'messages.upsert', {
			key: { remoteJid: '5511988887777@s.whatsapp.net', fromMe: false, id: `TESTDELIVERY-${dialect}` },
			message: { conversation: 'test' },
			messageType: 'conversation',
			messageTimestamp: 1717430400,
		});
		expect(delivery?.url.startsWith(host.testUrl)).toBe(true);
		expect(delivery?.status).toBe(200);
		await host.settled();
		expect(host.executions.map((execution) => execution.mode)).toEqual(['manual']);
		expect(webhookFields(double.webhookOf(INSTANCE))).toEqual(webhookFields(asActivated));
		expect(host.errors).toEqual([]);
	});

	it('a test listen whose set fails leaves the production registration working', async () => {
		const double = await startDouble(dialect);
		const host = await triggerHost(double);
		await host.activate();
		const asActivated = double.webhookOf(INSTANCE);
		double.failNext('set', { status: 500, body: { status: 500, error: 'Internal Server Error', response: { message: 'database is locked' } } });

		const error = await failureOf(() => host.startTestListen());
		expect(error.message).toBe('The Evolution API server failed (500): database is locked');
		expect(double.webhookOf(INSTANCE)).toEqual(asActivated);
		expect(setRequests(double)).toHaveLength(2); // activation, then the failed test set; the clean-up wrote nothing

		const delivery = await double.deliver(INSTANCE, 'messages.upsert', {
			key: { remoteJid: '5511988887777@s.whatsapp.net', fromMe: false, id: `AFTERFAILEDTEST-${dialect}` },
			message: { conversation: 'still here' },
			messageTimestamp: 1717430400,
		});
		expect(delivery?.status).toBe(200);
		expect(host.executions.map((execution) => execution.mode)).toEqual(['webhook']);
	});

	it('deactivating during a test listen still ends with the user\'s webhook back', async () => {
		const double = await startDouble(dialect);
		double.seedWebhook(INSTANCE, USERS_WEBHOOK);
		const before = double.webhookOf(INSTANCE);
		const host = await triggerHost(double);
		await host.activate();
		await host.startTestListen();

		await host.deactivate();
		await host.endTestListen();
		expect(webhookFields(double.webhookOf(INSTANCE))).toEqual(webhookFields(before));
	});

	it('a test listen on an inactive workflow gives the user\'s webhook back when it ends', async () => {
		const double = await startDouble(dialect);
		double.seedWebhook(INSTANCE, USERS_WEBHOOK);
		const before = double.webhookOf(INSTANCE);
		const host = await triggerHost(double);

		await host.startTestListen();
		expect(String((double.webhookOf(INSTANCE) as { url: string }).url).startsWith(host.testUrl)).toBe(true);
		await host.endTestListen();
		expect(webhookFields(double.webhookOf(INSTANCE))).toEqual(webhookFields(before));
		expect(host.staticData.production).toEqual({});
		expect(host.errors).toEqual([]);
	});

	it('refuses an event this server version does not support, naming event and version, with no set', async () => {
		const double = await startDouble(dialect);
		const unsupported: Record<DoubleDialect, { event: string; message: string }> = {
			v1: { event: 'MESSAGES_EDITED', message: 'Evolution API 1.8.2 does not support: MESSAGES_EDITED (needs Evolution API 2.0.0 or newer)' },
			'v2.0': { event: 'REMOVE_INSTANCE', message: 'Evolution API 2.0.10 does not support: REMOVE_INSTANCE (needs Evolution API 2.1.0 or newer)' },
			'v2.1': { event: 'SEND_MESSAGE_UPDATE', message: 'Evolution API 2.2.3 does not support: SEND_MESSAGE_UPDATE (needs Evolution API 2.3.0 or newer)' },
			'v2.3': { event: 'CHAMA_AI_ACTION', message: 'Evolution API 2.3.6 does not support: CHAMA_AI_ACTION (needs an Evolution API older than 2.0.0)' },
		};
		const { event, message } = unsupported[dialect];
		double.seedWebhook(INSTANCE, USERS_WEBHOOK);
		const seeded = double.webhookOf(INSTANCE);
		const host = await triggerHost(double, { events: ['MESSAGES_UPSERT', event] });

		const error = await failureOf(() => host.activate());
		expect(error.message).toBe(`${message}. Remove these events or update the server.`);
		expect(setRequests(double)).toHaveLength(0);
		expect(double.webhookOf(INSTANCE)).toEqual(seeded);
	});

	it('a failing set (500) fails activation with a clear message and leaves the webhook as it was', async () => {
		const double = await startDouble(dialect);
		double.seedWebhook(INSTANCE, USERS_WEBHOOK);
		const seeded = double.webhookOf(INSTANCE);
		double.failNext('set', { status: 500, body: { status: 500, error: 'Internal Server Error', response: { message: 'database is locked' } } });
		const host = await triggerHost(double);

		const error = await failureOf(() => host.activate());
		expect(error.message).toBe('The Evolution API server failed (500): database is locked');
		expect(double.webhookOf(INSTANCE)).toEqual(seeded);
		// Only the failed set reached the server: the clean-up delete saw a foreign webhook and left it.
		expect(setRequests(double)).toHaveLength(1);
		expect((await host.post({ event: 'messages.upsert' })).status).toBe(404);
	});

	it('a set whose answer is lost after the server stored it still leaves the user\'s webhook in place', async () => {
		const double = await startDouble(dialect);
		double.seedWebhook(INSTANCE, USERS_WEBHOOK);
		const seeded = double.webhookOf(INSTANCE);
		const host = await triggerHost(double, {}, await proxyLosingNextSetAnswer(double));

		const error = await failureOf(() => host.activate());
		expect(error.message).toMatch(/^Could not reach the Evolution API server at .*\/webhook\/set\/inst1 \(ECONNRESET: /);
		// The server did store our registration before the answer was lost…
		expect(setRequests(double).length).toBeGreaterThanOrEqual(1);
		// …and the clean-up must not leave the instance without the user's webhook.
		expect(webhookFields(double.webhookOf(INSTANCE))).toEqual(webhookFields(seeded));
	});

	it('a find whose connection is reset fails activation naming the URL and the reason', async () => {
		const double = await startDouble(dialect);
		double.seedWebhook(INSTANCE, USERS_WEBHOOK);
		const seeded = double.webhookOf(INSTANCE);
		double.failNext('find', 'reset');
		const host = await triggerHost(double);

		const error = await failureOf(() => host.activate());
		expect(error.message).toBe(
			`Could not reach the Evolution API server at ${double.baseUrl}/webhook/find/${INSTANCE} (ECONNRESET: the connection was closed before an answer)`,
		);
		expect(setRequests(double)).toHaveLength(0);
		expect(double.webhookOf(INSTANCE)).toEqual(seeded);
	});

	it('a find that hangs until the server goes away fails activation naming the URL', async () => {
		const double = await startDouble(dialect);
		double.failNext('find', 'timeout');
		const host = await triggerHost(double);
		const findHeld = double.nextRequest('GET', '/webhook/find');
		const activation = failureOf(() => host.activate());
		// Wait until the find is held, then take the server down under it.
		await findHeld;
		await double.stop();

		const error = await activation;
		expect(error.message).toMatch(new RegExp(`^Could not reach the Evolution API server at ${escapeRegExp(double.baseUrl)}/webhook/find/${INSTANCE} \\(ECONNRESET: `));
		expect(setRequests(double)).toHaveLength(0);
	});

	it('names the instance when it does not exist, and the key when the server refuses it', async () => {
		const double = await startDouble(dialect);
		const missing = await triggerHost(double, { instance: 'no-such-instance' });
		expect((await failureOf(() => missing.activate())).message).toBe('The instance "no-such-instance" does not exist on the server');

		const wrongKey = await triggerHost(double, {}, double.baseUrl, 'not-the-key');
		expect((await failureOf(() => wrongKey.activate())).message).toBe(`The server refused the API key for instance "${INSTANCE}"`);
		expect(setRequests(double)).toHaveLength(0);
	});

	it('an instance the server has not loaded fails activation with a hint to reconnect it', async () => {
		const double = await startDouble(dialect);
		double.setInstanceLoaded(INSTANCE, false);
		const host = await triggerHost(double);
		const error = (await failureOf(() => host.activate())) as Error & { description?: string };
		expect(error.message).toMatch(/^The Evolution API server failed \(500\): Cannot read properties of undefined \(reading '(findWebhook|instanceId)'\)$/);
		if (secretInHeader(dialect)) expect(error.description).toMatch(/not loaded on the server: restart or reconnect it/);
	});

	it('a server that is down fails activation naming the URL, and nothing is written', async () => {
		const double = await startDouble(dialect);
		double.seedWebhook(INSTANCE, USERS_WEBHOOK);
		const seeded = double.webhookOf(INSTANCE);
		const host = await triggerHost(double);
		const baseUrl = double.baseUrl;
		await double.stop();

		const error = await failureOf(() => host.activate());
		expect(error.message).toBe(`Could not reach the Evolution API server at ${baseUrl}/ (ECONNREFUSED: nothing is listening there)`);
		expect(setRequests(double)).toHaveLength(0);
		expect(double.webhookOf(INSTANCE)).toEqual(seeded);
		// The clean-up delete could not reach the server either: logged, never thrown.
		expect(host.logs).toContainEqual({ level: 'error', message: expect.stringContaining(`could not restore the webhook of "${INSTANCE}"`) });
	});
});

describe('Evolution API Trigger lifecycle against a server that never answers', () => {
	it('a find that times out fails activation naming the URL, and nothing is written', async () => {
		const double = await startDouble('v2.3');
		double.seedWebhook(INSTANCE, USERS_WEBHOOK);
		const seeded = double.webhookOf(INSTANCE);
		double.failNext('find', 'timeout');
		// The host cuts the client's 10 s request timeout to 300 ms (n8n-core sends what the credentials
		// helper returns), so the node runs unchanged and the suite stays fast.
		const host = await triggerHost(double, {}, double.baseUrl, double.globalKey, { requestTimeoutMs: 300 });

		const error = await failureOf(() => host.activate());
		expect(error.message).toMatch(
			new RegExp(`^Could not reach the Evolution API server at ${escapeRegExp(double.baseUrl)}/webhook/find/${INSTANCE} \\((ECONNABORTED|ETIMEDOUT): the server did not answer in time\\)$`),
		);
		expect(host.requestedTimeouts.length).toBeGreaterThan(0);
		expect(new Set(host.requestedTimeouts)).toEqual(new Set([10_000]));
		expect(setRequests(double)).toHaveLength(0);
		expect(double.webhookOf(INSTANCE)).toEqual(seeded);
	});
});

describe('Evolution API Trigger lifecycle on 2.1.0 (nested body, but no custom headers yet)', () => {
	it('puts the secret in the query, and deactivation leaves no secret in the disabled webhook', async () => {
		const double = await startDouble('v2.1', '2.1.0');
		const host = await triggerHost(double);
		await host.activate();
		const secret = productionSecret(host);
		expect(setRequests(double).map((request) => request.body)).toEqual([
			{ webhook: { enabled: true, url: `${host.productionUrl}?${SECRET_QUERY}=${secret}`, events: ['MESSAGES_UPSERT'], byEvents: false, base64: false } },
		]);

		const delivery = await double.deliver(INSTANCE, 'messages.upsert', {
			key: { remoteJid: '5511988887777@s.whatsapp.net', fromMe: false, id: 'V210-1' },
			message: { conversation: 'hi' },
			messageTimestamp: 1717430400,
		});
		expect(delivery?.status).toBe(200);
		expect(host.executions).toHaveLength(1);

		await host.deactivate();
		const after = double.webhookOf(INSTANCE) as Record<string, unknown>;
		expect(after.enabled).toBe(false);
		expect(JSON.stringify(after)).not.toContain(secret);
	});
});
