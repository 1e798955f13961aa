/**
 * Loss paths of the user's webhook found against the lifecycle (issue 11), as plain decisions: another
 * workflow's URL under a custom webhook path, and what delete says after a create that never registered.
 */
import type { WebhookConfig } from '../../../nodes/lib/evolution/dialect';
import { describeForManualRestore } from '../../../nodes/lib/evolution/manual-restore';
import { planCreate, planDelete, previousIsAnotherWorkflow, slotHolder, type SelfIdentity } from '../../../nodes/lib/evolution/registration';

const WEBHOOK_ID = '2f1c3b4a-5d6e-4f70-8a9b-0c1d2e3f4a5b';
const OTHER_ID = '9a8b7c6d-1111-4222-8333-444455556666';

function config(url: string, enabled = true): WebhookConfig {
	return { url, enabled, events: ['MESSAGES_UPSERT'], byEvents: false, base64: false, headers: null };
}

describe('loss path 6: another workflow of this n8n is recognised from the shape of the node\'s own URL', () => {
	// N8N_ENDPOINT_WEBHOOK=hooks: every production URL of this n8n starts with https://n8n.example.com/hooks/.
	const custom: SelfIdentity = { nodeUrl: `https://n8n.example.com/hooks/${WEBHOOK_ID}/webhook`, webhookId: WEBHOOK_ID };

	it('another trigger under a custom endpoint path', () => {
		expect(slotHolder(config(`https://n8n.example.com/hooks/${OTHER_ID}/webhook`), custom)).toBe('other-n8n-workflow');
	});

	it("an n8n Webhook node with its own path (no uuid) under this n8n's endpoint", () => {
		expect(slotHolder(config('https://n8n.example.com/hooks/crm-intake'), custom)).toBe('other-n8n-workflow');
	});

	it('a URL on another host or outside the endpoint is still the user\'s own receiver', () => {
		expect(slotHolder(config(`https://crm.example.com/hooks/${OTHER_ID}/webhook`), custom)).toBe('other');
		expect(slotHolder(config('https://n8n.example.com/api/evolution'), custom)).toBe('other');
	});
});

describe("delete after a create that never registered (n8n's clean-up)", () => {
	const self: SelfIdentity = { nodeUrl: `https://n8n.example.com/webhook/${WEBHOOK_ID}/webhook`, webhookId: WEBHOOK_ID };

	it('says there was nothing to undo, not that someone changed the webhook', () => {
		const plan = planDelete({ current: config('https://crm.example.com/evolution/hook'), stored: undefined, self, serverSendsHeaders: true });
		expect(plan).toEqual({ kind: 'leave', why: 'nothing to undo: this trigger had not registered' });
	});
});

describe('loss path 4: a snapshot pointing at another n8n workflow', () => {
	const self: SelfIdentity = { nodeUrl: `https://n8n.example.com/webhook/${WEBHOOK_ID}/webhook`, webhookId: WEBHOOK_ID };
	const otherWorkflow = config(`https://n8n.example.com/webhook/${OTHER_ID}/webhook`);
	const stored = {
		instance: 'inst1',
		nodeUrl: self.nodeUrl,
		registeredUrl: self.nodeUrl,
		secret: 's',
		secretIn: 'query' as const,
		events: ['MESSAGES_UPSERT'],
		previous: otherWorkflow,
		registeredAt: '2026-12-01T00:00:00.000Z',
	};
	const ours = config(self.nodeUrl);

	it('is recognised as such (only then is it checked)', () => {
		expect(previousIsAnotherWorkflow(stored, self)).toBe(true);
		expect(previousIsAnotherWorkflow({ ...stored, previous: config('https://crm.example.com/hook') }, self)).toBe(false);
		expect(previousIsAnotherWorkflow({ ...stored, previous: null }, self)).toBe(false);
	});

	it('is restored while it still receives, disabled (saying why) when it does not or cannot be checked', () => {
		expect(planDelete({ current: ours, stored, self, serverSendsHeaders: false, previousStillReceives: true }).kind).toBe('restore');
		const dead = planDelete({ current: ours, stored, self, serverSendsHeaders: false, previousStillReceives: false });
		expect(dead.kind).toBe('disable');
		expect(dead.kind === 'disable' && dead.summary).toBe(`the previous webhook pointed at another n8n workflow (${otherWorkflow.url}) that no longer receives it, so it was not restored`);
		const unknown = planDelete({ current: ours, stored, self, serverSendsHeaders: false, previousStillReceives: null });
		expect(unknown.kind === 'disable' && unknown.summary).toMatch(/could not be checked/);
	});
});

describe('describeForManualRestore', () => {
	it('keeps every field a person needs, masks query values and header values', () => {
		const text = describeForManualRestore({
			url: 'https://crm.example.com/h?token=abc&x=1',
			enabled: true,
			events: ['MESSAGES_UPSERT'],
			byEvents: true,
			base64: false,
			headers: { authorization: 'Bearer zzz' },
		});
		expect(JSON.parse(text)).toEqual({
			url: 'https://crm.example.com/h?token=***&x=***',
			enabled: true,
			events: ['MESSAGES_UPSERT'],
			byEvents: true,
			base64: false,
			headers: { authorization: '***' },
		});
	});
});

describe('loss path 3: n8n restarted while a test listen held the slot', () => {
	const production: SelfIdentity = { nodeUrl: `https://n8n.example.com/webhook/${WEBHOOK_ID}/webhook`, webhookId: WEBHOOK_ID };
	const users = config('https://crm.example.com/evolution/hook');
	const stored = {
		instance: 'inst1',
		nodeUrl: production.nodeUrl,
		registeredUrl: production.nodeUrl,
		secret: 's',
		secretIn: 'header' as const,
		events: ['MESSAGES_UPSERT'],
		previous: users,
		registeredAt: '2026-12-01T00:00:00.000Z',
		endpoint: 'production' as const,
	};

	it('the production activation keeps the snapshot its registration still holds', () => {
		const plan = planCreate({
			current: config(`https://n8n.example.com/webhook-test/${WEBHOOK_ID}/webhook`),
			self: production,
			instance: 'inst1',
			events: ['MESSAGES_UPSERT'],
			base64: false,
			stored,
			allowTakeover: false,
			testListen: false,
			serverSendsHeaders: true,
			secret: 'n',
			now: new Date(0),
		});
		expect(plan.kind === 'register' && plan.registration.previous).toEqual(users);
		expect(plan.kind === 'register' && plan.warning).toBeUndefined();
	});
});
