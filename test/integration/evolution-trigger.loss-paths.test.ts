/**
 * Loss paths of the user's webhook (issue 11) through n8n-core's real HookContext against the Evolution
 * double: what a person needs to put a webhook back by hand, and what the log says after a failed create.
 */
import { closeAll, failureOf, INSTANCE, startDouble, triggerHost } from './evolution-trigger-support';

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
	});
});
