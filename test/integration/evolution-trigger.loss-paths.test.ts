/**
 * Loss paths of the user's webhook (issue 11) through n8n-core's real HookContext against the Evolution
 * double: what a person needs to put a webhook back by hand, and what the log says after a failed create.
 */
import type { EvolutionDouble } from '../support/evolution-double';
import { closeAll, failureOf, INSTANCE, proxyAfterNextSet, proxyLosingNextSetAnswer, startDouble, triggerHost, webhookFields } from './evolution-trigger-support';

afterEach(closeAll);

const USERS_WEBHOOK = {
	url: 'https://crm.example.com/hooks/whatsapp?token=crm-url-secret-77',
	events: ['MESSAGES_UPSERT', 'SEND_MESSAGE'],
	byEvents: true,
	base64: true,
	headers: { 'x-crm-token': 'crm-secret-1' },
};

describe('loss paths on 2.3', () => {
	it('a restore that fails at deactivation logs the full previous config, secrets masked', async () => {
		const double = await startDouble('v2.3');
		double.seedWebhook(INSTANCE, USERS_WEBHOOK);
		const host = await triggerHost(double);
		await host.activate();
		double.failNext('set', { status: 500, body: { status: 500, error: 'Internal Server Error', response: { message: 'database is locked' } } });
		await host.deactivate();
		const line = host.logs.find((entry) => entry.level === 'error' && entry.message.includes('could not restore'));
		expect(line?.message).toContain('https://crm.example.com/hooks/whatsapp?token=***');
		expect(line?.message).toContain('"x-crm-token":"***"');
		expect(line?.message).toContain('"events":["MESSAGES_UPSERT","SEND_MESSAGE"]');
		expect(line?.message).toContain('"byEvents":true');
		expect(host.logs.filter((entry) => entry.message.includes('crm-secret-1') || entry.message.includes('crm-url-secret-77'))).toEqual([]);
	});

	it('delete after a failed create says "nothing to undo", never "someone changed the webhook"', async () => {
		const double = await startDouble('v2.3');
		double.seedWebhook(INSTANCE, USERS_WEBHOOK);
		double.failNext('set', { status: 500, body: { status: 500, error: 'Internal Server Error', response: { message: 'database is locked' } } });
		const host = await triggerHost(double);
		await failureOf(() => host.activate());
		expect(host.logs.filter((entry) => entry.message.includes('someone changed the webhook'))).toEqual([]);
		expect(host.logs.map((entry) => entry.message)).toContainEqual(expect.stringContaining('nothing to undo: this trigger had not registered'));
		// One unmistakable line for n8n 2.x, where the workflow still looks active outside the editor.
		expect(host.logs).toContainEqual({
			level: 'error',
			message: expect.stringMatching(/^Evolution API Trigger: ACTIVATION FAILED for "Evolution API Trigger" in workflow ".+": The Evolution API server failed \(500\): database is locked\. /),
		});
	});
});

/**
 * A proxy in front of the double that, right after the server stored our next set, lets another workflow's
 * set land (two workflows activating at the same moment on one instance: read-then-write on both sides).
 */
function proxyWithCompetingSet(double: EvolutionDouble, competitor: { url: string }): Promise<string> {
	return proxyAfterNextSet(double, () => {
		double.seedWebhook(INSTANCE, { url: competitor.url, enabled: true, events: ['MESSAGES_UPSERT'] });
		return 'answer';
	});
}

describe('loss path 5: two workflows activating at the same moment', () => {
	it('the one whose set was overwritten re-reads the slot and fails instead of silently receiving nothing', async () => {
		const double = await startDouble('v2.3');
		const competitor = { url: 'https://n8n.example.com/webhook/9a8b7c6d-1111-4222-8333-444455556666/webhook' };
		const host = await triggerHost(double, {}, await proxyWithCompetingSet(double, competitor));
		const error = await failureOf(() => host.activate());
		expect(error.message).toBe(`Instance "${INSTANCE}" was taken by another webhook while this trigger registered (${competitor.url})`);
		// The competitor keeps the slot: this trigger's clean-up does not touch it.
		expect((double.webhookOf(INSTANCE) as { url?: string } | null)?.url).toBe(competitor.url);
	});
});

describe('loss path 4: a snapshot pointing at another n8n workflow', () => {
	it('is not restored once that workflow no longer receives it (take-over chain A → B, A deactivated first)', async () => {
		const double = await startDouble('v2.3');
		double.seedWebhook(INSTANCE, USERS_WEBHOOK);
		const first = await triggerHost(double, { options: { allowTakeover: true } });
		await first.activate();
		const second = await triggerHost(double, { options: { allowTakeover: true } });
		await second.activate();
		await first.deactivate();
		await second.deactivate();
		const left = double.webhookOf(INSTANCE) as { url?: string; enabled?: boolean } | null;
		// Not the first workflow's dead URL: disabled, and the log says why.
		expect(left?.enabled).toBe(false);
		expect(second.logs.map((entry) => entry.message)).toContainEqual(expect.stringContaining('no longer receives it'));
	});

	it('is restored while that workflow still receives it', async () => {
		const double = await startDouble('v2.3');
		const first = await triggerHost(double, { options: { allowTakeover: true } });
		await first.activate();
		const firstUrl = first.productionUrl;
		const second = await triggerHost(double, { options: { allowTakeover: true } });
		await second.activate();
		await second.deactivate();
		const left = double.webhookOf(INSTANCE) as { url?: string; enabled?: boolean } | null;
		expect(left?.url).toBe(firstUrl);
		expect(left?.enabled).toBe(true);
	});
});

describe('loss paths 1 and 2: the snapshot of a failed activation is kept where the next one finds it', () => {
	it('1: set answer lost, undo check failing too: the clean-up still puts the user\'s webhook back', async () => {
		const double = await startDouble('v2.3');
		double.seedWebhook(INSTANCE, USERS_WEBHOOK);
		const seeded = webhookFields(double.webhookOf(INSTANCE));
		const host = await triggerHost(double, {}, await proxyLosingNextSetAnswer(double));
		// Once the set arrived, the undo check's find fails; the clean-up delete's find then works.
		void double.nextRequest('POST', '/webhook/set').then(() => double.failNext('find', { status: 500, body: { status: 500, error: 'Internal Server Error', response: { message: 'database is locked' } } }));
		await failureOf(() => host.activate());
		expect(webhookFields(double.webhookOf(INSTANCE))).toEqual(seeded);
	});

	it('2: set stored by the server after the client gave up: the next activation still knows the user\'s webhook', async () => {
		const double = await startDouble('v2.3');
		double.seedWebhook(INSTANCE, USERS_WEBHOOK);
		const seeded = webhookFields(double.webhookOf(INSTANCE));
		const host = await triggerHost(double, {}, double.baseUrl, double.globalKey, { requestTimeoutMs: 300 });
		double.failNext('set', 'timeout');
		await failureOf(() => host.activate());
		// The slow server stores the set later (this trigger's URL with the secret nobody kept).
		double.seedWebhook(INSTANCE, { url: host.productionUrl, enabled: true, events: ['MESSAGES_UPSERT'], headers: { 'x-n8n-evolution-secret': 'lost' } });
		await host.activate();
		await host.deactivate();
		const restored = webhookFields(double.webhookOf(INSTANCE)) as { url?: string; headers?: unknown } | null;
		expect(restored?.url).toBe(USERS_WEBHOOK.url);
		expect(restored?.headers).toEqual(USERS_WEBHOOK.headers);
		expect(seeded).not.toBeNull();
	});
});

describe('loss path 7: a failed restore is retried at the next opportunity', () => {
	it('deactivation whose restore failed: the registration (and its snapshot) stays; the next activation and deactivation put the user\'s webhook back', async () => {
		const double = await startDouble('v2.3');
		double.seedWebhook(INSTANCE, USERS_WEBHOOK);
		const seeded = webhookFields(double.webhookOf(INSTANCE));
		const host = await triggerHost(double);
		await host.activate();
		double.failNext('set', { status: 500, body: { status: 500, error: 'Internal Server Error', response: { message: 'database is locked' } } });
		await host.deactivate();
		expect(host.logs.map((entry) => entry.message)).toContainEqual(expect.stringContaining('could not restore the webhook'));
		await host.activate();
		await host.deactivate();
		const restored = webhookFields(double.webhookOf(INSTANCE)) as { url?: string; headers?: unknown } | null;
		expect(restored?.url).toBe(USERS_WEBHOOK.url);
		expect(restored?.headers).toEqual(USERS_WEBHOOK.headers);
		expect(seeded).not.toBeNull();
	});

	it('a failed restore after a failed create is retried by the next activation\'s clean-up or kept for it', async () => {
		const double = await startDouble('v2.3');
		double.seedWebhook(INSTANCE, USERS_WEBHOOK);
		const host = await triggerHost(double, {}, await proxyLosingNextSetAnswer(double));
		// The set lands but its answer is lost; the undo and the clean-up both fail to put the webhook back.
		void double.nextRequest('POST', '/webhook/set').then(() => {
			for (let index = 0; index < 2; index++) double.failNext('find', { status: 500, body: { status: 500, error: 'Internal Server Error', response: { message: 'database is locked' } } });
		});
		await failureOf(() => host.activate());
		// The next activation finds this trigger's URL and keeps the user's webhook as its snapshot.
		await host.activate();
		await host.deactivate();
		expect((webhookFields(double.webhookOf(INSTANCE)) as { url?: string } | null)?.url).toBe(USERS_WEBHOOK.url);
	});
});
