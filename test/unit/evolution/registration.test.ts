/**
 * The trigger's lifecycle decisions. An instance holds exactly one webhook (v1 replaces its document, 2.x
 * upserts on a unique instanceId; docs/protocol.md#registration-lifecycle), so the trigger snapshots, takes
 * the slot and gives it back only while it is still its own (compared by URL).
 */
import type { WebhookConfig } from '../../../nodes/lib/evolution/dialect';
import {
	isRegistrationIntact,
	planCreate,
	planDelete,
	registrationTarget,
	slotHolder,
	VERIFICATION_HEADER,
	VERIFICATION_QUERY_PARAM,
	type Registration,
	type SelfIdentity,
} from '../../../nodes/lib/evolution/registration';

const WEBHOOK_ID = '2f1c3b4a-5d6e-4f70-8a9b-0c1d2e3f4a5b';
const PRODUCTION_URL = `https://n8n.example.com/webhook/${WEBHOOK_ID}/evolution`;
const TEST_URL = `https://n8n.example.com/webhook-test/${WEBHOOK_ID}/evolution`;
const OTHER_WORKFLOW_URL = 'https://n8n.example.com/webhook/9a8b7c6d-1111-4222-8333-444455556666/evolution';
const USER_URL = 'https://crm.example.com/evolution/hook';
const SECRET = 'a'.repeat(64);
const EVENTS = ['MESSAGES_UPSERT', 'CONNECTION_UPDATE'];

const PRODUCTION: SelfIdentity = { nodeUrl: PRODUCTION_URL, webhookId: WEBHOOK_ID };
const TEST_LISTEN: SelfIdentity = { nodeUrl: TEST_URL, webhookId: WEBHOOK_ID };

function config(overrides: Partial<WebhookConfig> = {}): WebhookConfig {
	return { url: USER_URL, enabled: true, events: ['MESSAGES_UPSERT'], byEvents: false, base64: false, headers: null, ...overrides };
}

/** A registration as the trigger stores it after taking the slot on a 2.1.1+ server (secret in a header). */
function headerRegistration(previous: WebhookConfig | null, overrides: Partial<Registration> = {}): Registration {
	return {
		instance: 'inst1',
		nodeUrl: PRODUCTION_URL,
		registeredUrl: PRODUCTION_URL,
		secret: SECRET,
		secretIn: 'header',
		events: EVENTS,
		previous,
		registeredAt: '2026-11-21T20:00:00.000Z',
		...overrides,
	};
}

/** What find answers while our header registration holds the slot. */
const OURS_WITH_HEADER = config({ url: PRODUCTION_URL, events: EVENTS, headers: { [VERIFICATION_HEADER]: SECRET } });

describe('registrationTarget', () => {
	it('puts the secret in a header on servers that send headers, leaving the URL as is', () => {
		expect(registrationTarget(PRODUCTION_URL, SECRET, true)).toEqual({
			registeredUrl: PRODUCTION_URL,
			secretIn: 'header',
			headers: { [VERIFICATION_HEADER]: SECRET },
		});
	});

	it('puts the secret in the URL on servers that cannot send headers (v1, 2.0.x, 2.1.0)', () => {
		expect(registrationTarget(PRODUCTION_URL, SECRET, false)).toEqual({
			registeredUrl: `${PRODUCTION_URL}?${VERIFICATION_QUERY_PARAM}=${SECRET}`,
			secretIn: 'query',
		});
		expect(registrationTarget(`${PRODUCTION_URL}?a=1`, SECRET, false).registeredUrl).toBe(`${PRODUCTION_URL}?a=1&${VERIFICATION_QUERY_PARAM}=${SECRET}`);
	});
});

describe('slotHolder', () => {
	it('nobody: no webhook, an empty URL, or a disabled foreign webhook', () => {
		expect(slotHolder(null, PRODUCTION)).toBe('nobody');
		expect(slotHolder(config({ url: '', enabled: true }), PRODUCTION)).toBe('nobody');
		expect(slotHolder(config({ enabled: false }), PRODUCTION)).toBe('nobody');
		expect(slotHolder(config({ url: OTHER_WORKFLOW_URL, enabled: false }), PRODUCTION)).toBe('nobody');
	});

	it('this-endpoint: our URL, with or without the secret in the query, with or without a trailing slash', () => {
		expect(slotHolder(config({ url: PRODUCTION_URL }), PRODUCTION)).toBe('this-endpoint');
		expect(slotHolder(config({ url: `${PRODUCTION_URL}?${VERIFICATION_QUERY_PARAM}=${SECRET}` }), PRODUCTION)).toBe('this-endpoint');
		expect(slotHolder(config({ url: `${PRODUCTION_URL}/` }), PRODUCTION)).toBe('this-endpoint');
	});

	it('this-node-other-endpoint: the production URL seen from a test listen, and the reverse', () => {
		expect(slotHolder(config({ url: PRODUCTION_URL }), TEST_LISTEN)).toBe('this-node-other-endpoint');
		expect(slotHolder(config({ url: TEST_URL }), PRODUCTION)).toBe('this-node-other-endpoint');
	});

	it('other-n8n-workflow: another production or test webhook URL of n8n', () => {
		expect(slotHolder(config({ url: OTHER_WORKFLOW_URL }), PRODUCTION)).toBe('other-n8n-workflow');
		expect(slotHolder(config({ url: OTHER_WORKFLOW_URL.replace('/webhook/', '/webhook-test/') }), PRODUCTION)).toBe('other-n8n-workflow');
	});

	it('other: a receiver that is not n8n', () => {
		expect(slotHolder(config({ url: USER_URL }), PRODUCTION)).toBe('other');
		expect(slotHolder(config({ url: 'http://chatwoot:3000/webhooks/whatsapp/+5511911112222' }), PRODUCTION)).toBe('other');
	});
});

const CREATE_DEFAULTS = { events: EVENTS, base64: false, serverSendsHeaders: true, secret: SECRET, now: new Date('2026-12-01T12:00:00Z') };

/** planCreate with fixed secret and time, seen as the snapshot decision (kind, previous, warning). */
function planOf(input: Omit<Parameters<typeof planCreate>[0], keyof typeof CREATE_DEFAULTS>) {
	const plan = planCreate({ ...CREATE_DEFAULTS, ...input });
	return plan.kind === 'register' ? { kind: plan.kind, previous: plan.registration.previous, warning: plan.warning } : plan;
}

describe('planCreate', () => {
	it('first activation, no webhook: register, nothing to restore later', () => {
		expect(planOf({ current: null, self: PRODUCTION, instance: 'inst1', stored: undefined, allowTakeover: false, testListen: false })).toEqual({
			kind: 'register',
			previous: null,
		});
	});

	it("a user's own webhook: register and keep it as the snapshot to put back", () => {
		const users = config({ url: USER_URL, events: ['CALL'], byEvents: true, headers: { authorization: 'Bearer t' } });
		expect(planOf({ current: users, self: PRODUCTION, instance: 'inst1', stored: undefined, allowTakeover: false, testListen: false })).toEqual({
			kind: 'register',
			previous: users,
		});
	});

	it("another n8n workflow's webhook: refuse, naming the instance and the other URL", () => {
		const plan = planOf({ current: config({ url: OTHER_WORKFLOW_URL }), self: PRODUCTION, instance: 'inst1', stored: undefined, allowTakeover: false, testListen: false });
		expect(plan.kind).toBe('refuse');
		if (plan.kind !== 'refuse') return;
		expect(plan.message).toContain('"inst1"');
		expect(plan.message).toContain(OTHER_WORKFLOW_URL);
		// The fix travels in the message: n8n's activation toast shows nothing else.
		expect(plan.message).toMatch(/unpublish or deactivate that workflow, or turn on "Take Over Another Workflow's Webhook"/);
		expect(plan.description).toMatch(/unpublish it \(n8n 2\.x\) or set it inactive \(n8n 1\.x\)/);
	});

	it("another n8n workflow's webhook with takeover allowed: register and snapshot it", () => {
		const other = config({ url: OTHER_WORKFLOW_URL });
		expect(planOf({ current: other, self: PRODUCTION, instance: 'inst1', stored: undefined, allowTakeover: true, testListen: false })).toEqual({
			kind: 'register',
			previous: other,
		});
	});

	it('our own stale registration: register again, never snapshot ourselves, keep the old snapshot', () => {
		const users = config({ url: USER_URL });
		expect(
			planOf({ current: OURS_WITH_HEADER, self: PRODUCTION, instance: 'inst1', stored: headerRegistration(users), allowTakeover: false, testListen: false }),
		).toEqual({ kind: 'register', previous: users });
		// Static data lost: the slot still points at us, but there is nothing of ours to restore.
		expect(planOf({ current: OURS_WITH_HEADER, self: PRODUCTION, instance: 'inst1', stored: undefined, allowTakeover: false, testListen: false })).toEqual({
			kind: 'register',
			previous: null,
		});
	});

	it('a test listen while production is registered: take the slot, snapshot production so it comes back', () => {
		const production = config({ url: `${PRODUCTION_URL}?${VERIFICATION_QUERY_PARAM}=${SECRET}`, events: EVENTS });
		expect(planOf({ current: production, self: TEST_LISTEN, instance: 'inst1', stored: undefined, allowTakeover: false, testListen: true })).toEqual({
			kind: 'register',
			previous: production,
		});
	});

	it("activation while this node's test listen holds the slot: register, but snapshot nothing (the test URL is not the user's webhook)", () => {
		const testListen = config({ url: `${TEST_URL}?${VERIFICATION_QUERY_PARAM}=${SECRET}`, events: EVENTS });
		const plan = planOf({ current: testListen, self: PRODUCTION, instance: 'inst1', stored: undefined, allowTakeover: false, testListen: false });
		expect(plan).toMatchObject({ kind: 'register', previous: null });
		expect(plan.kind === 'register' && plan.warning).toMatch(/test URL/);
	});

	it("a disabled webhook of another n8n workflow is not a conflict", () => {
		const disabled = config({ url: OTHER_WORKFLOW_URL, enabled: false, events: [] });
		expect(planOf({ current: disabled, self: PRODUCTION, instance: 'inst1', stored: undefined, allowTakeover: false, testListen: false })).toEqual({
			kind: 'register',
			previous: disabled,
		});
	});
	it('the complete registration and the settings to send: the secret in a header on 2.1.1+', () => {
		const users = config({ url: USER_URL });
		const plan = planCreate({ ...CREATE_DEFAULTS, current: users, self: PRODUCTION, instance: 'inst1', stored: undefined, allowTakeover: false, testListen: false });
		expect(plan).toEqual({
			kind: 'register',
			registration: {
				instance: 'inst1',
				nodeUrl: PRODUCTION_URL,
				registeredUrl: PRODUCTION_URL,
				secret: SECRET,
				secretIn: 'header',
				events: EVENTS,
				previous: users,
				registeredAt: '2026-12-01T12:00:00.000Z',
				endpoint: 'production',
			},
			settings: { url: PRODUCTION_URL, enabled: true, events: EVENTS, byEvents: false, base64: false, headers: { [VERIFICATION_HEADER]: SECRET } },
			warning: undefined,
		});
	});

	it('the secret in the query before 2.1.1, and a test listen is marked as such', () => {
		const plan = planCreate({ ...CREATE_DEFAULTS, serverSendsHeaders: false, base64: true, current: null, self: TEST_LISTEN, instance: 'inst1', stored: undefined, allowTakeover: false, testListen: true });
		if (plan.kind !== 'register') throw new Error('expected a registration');
		expect(plan.registration).toMatchObject({ registeredUrl: `${TEST_URL}?${VERIFICATION_QUERY_PARAM}=${SECRET}`, secretIn: 'query', endpoint: 'test' });
		expect(plan.settings).toEqual({ url: `${TEST_URL}?${VERIFICATION_QUERY_PARAM}=${SECRET}`, enabled: true, events: EVENTS, byEvents: false, base64: true });
	});
});

describe('isRegistrationIntact (checkExists)', () => {
	const wanted = { nodeUrl: PRODUCTION_URL, instance: 'inst1', events: EVENTS };

	it('intact: same URL, enabled, same events in any order, our secret header', () => {
		expect(isRegistrationIntact(OURS_WITH_HEADER, headerRegistration(null), wanted)).toBe(true);
		expect(isRegistrationIntact({ ...OURS_WITH_HEADER, events: [...EVENTS].reverse() }, headerRegistration(null), wanted)).toBe(true);
	});

	it('header names are compared case-insensitively', () => {
		const upper = { ...OURS_WITH_HEADER, headers: { [VERIFICATION_HEADER.toUpperCase()]: SECRET } };
		expect(isRegistrationIntact(upper, headerRegistration(null), wanted)).toBe(true);
	});

	it('intact with the secret in the query', () => {
		const registeredUrl = `${PRODUCTION_URL}?${VERIFICATION_QUERY_PARAM}=${SECRET}`;
		const stored = headerRegistration(null, { registeredUrl, secretIn: 'query' });
		expect(isRegistrationIntact(config({ url: registeredUrl, events: EVENTS }), stored, wanted)).toBe(true);
	});

	it('not intact when nothing is stored or the server has no webhook', () => {
		expect(isRegistrationIntact(OURS_WITH_HEADER, undefined, wanted)).toBe(false);
		expect(isRegistrationIntact(null, headerRegistration(null), wanted)).toBe(false);
	});

	it('not intact when the secret header changed or vanished', () => {
		expect(isRegistrationIntact({ ...OURS_WITH_HEADER, headers: { [VERIFICATION_HEADER]: 'b'.repeat(64) } }, headerRegistration(null), wanted)).toBe(false);
		expect(isRegistrationIntact({ ...OURS_WITH_HEADER, headers: null }, headerRegistration(null), wanted)).toBe(false);
	});

	it('not intact when the secret in the URL changed', () => {
		const stored = headerRegistration(null, { registeredUrl: `${PRODUCTION_URL}?${VERIFICATION_QUERY_PARAM}=${SECRET}`, secretIn: 'query' });
		expect(isRegistrationIntact(config({ url: `${PRODUCTION_URL}?${VERIFICATION_QUERY_PARAM}=other`, events: EVENTS }), stored, wanted)).toBe(false);
	});

	it('not intact when the events differ from what the node wants now', () => {
		expect(isRegistrationIntact({ ...OURS_WITH_HEADER, events: ['MESSAGES_UPSERT'] }, headerRegistration(null), wanted)).toBe(false);
		expect(isRegistrationIntact(OURS_WITH_HEADER, headerRegistration(null), { ...wanted, events: [...EVENTS, 'CALL'] })).toBe(false);
	});

	it('not intact when disabled or when by-events was turned on (deliveries would go to /<suffix>)', () => {
		expect(isRegistrationIntact({ ...OURS_WITH_HEADER, enabled: false }, headerRegistration(null), wanted)).toBe(false);
		expect(isRegistrationIntact({ ...OURS_WITH_HEADER, byEvents: true }, headerRegistration(null), wanted)).toBe(false);
	});

	it('not intact when the slot points elsewhere, or the node moved to another URL or instance', () => {
		expect(isRegistrationIntact({ ...OURS_WITH_HEADER, url: USER_URL }, headerRegistration(null), wanted)).toBe(false);
		expect(isRegistrationIntact(OURS_WITH_HEADER, headerRegistration(null), { ...wanted, nodeUrl: TEST_URL })).toBe(false);
		expect(isRegistrationIntact(OURS_WITH_HEADER, headerRegistration(null), { ...wanted, instance: 'inst2' })).toBe(false);
	});
});

describe('planDelete', () => {
	it('restores the snapshot exactly, headers included on servers that keep headers', () => {
		const users = config({ url: USER_URL, events: ['CALL'], byEvents: true, base64: true, headers: { authorization: 'Bearer t' } });
		const plan = planDelete({ current: OURS_WITH_HEADER, stored: headerRegistration(users), self: PRODUCTION, serverSendsHeaders: true });
		expect(plan.kind).toBe('restore');
		if (plan.kind !== 'restore') return;
		expect(plan.settings).toEqual({ url: USER_URL, enabled: true, events: ['CALL'], byEvents: true, base64: true, headers: { authorization: 'Bearer t' } });
		expect(plan.summary).toContain(USER_URL);
	});

	it('restoring a snapshot without headers clears our secret header ({} on 2.1.1+, where omitted keys are kept)', () => {
		const plan = planDelete({ current: OURS_WITH_HEADER, stored: headerRegistration(config()), self: PRODUCTION, serverSendsHeaders: true });
		expect(plan.kind === 'restore' && plan.settings.headers).toEqual({});
	});

	it('restores on servers without headers without mentioning headers', () => {
		const registeredUrl = `${PRODUCTION_URL}?${VERIFICATION_QUERY_PARAM}=${SECRET}`;
		const stored = headerRegistration(config(), { registeredUrl, secretIn: 'query' });
		const plan = planDelete({ current: config({ url: registeredUrl, events: EVENTS }), stored, self: PRODUCTION, serverSendsHeaders: false });
		expect(plan).toEqual({ kind: 'restore', settings: { url: USER_URL, enabled: true, events: ['MESSAGES_UPSERT'], byEvents: false, base64: false }, summary: expect.any(String) });
	});

	it('restores a production registration that a test listen had snapshotted', () => {
		const production = config({ url: `${PRODUCTION_URL}?${VERIFICATION_QUERY_PARAM}=${SECRET}`, events: EVENTS });
		const testRegistered = `${TEST_URL}?${VERIFICATION_QUERY_PARAM}=${'c'.repeat(64)}`;
		const stored = headerRegistration(production, { nodeUrl: TEST_URL, registeredUrl: testRegistered, secretIn: 'query' });
		const plan = planDelete({ current: config({ url: testRegistered, events: EVENTS }), stored, self: TEST_LISTEN, serverSendsHeaders: false });
		expect(plan.kind).toBe('restore');
		expect(plan.kind === 'restore' && plan.settings.url).toBe(production.url);
	});

	it("deactivation while this node's test listen holds the slot takes it back and restores the user's webhook", () => {
		const users = config({ url: USER_URL, events: ['CALL'] });
		const heldByTestListen = config({ url: `${TEST_URL}?${VERIFICATION_QUERY_PARAM}=${'c'.repeat(64)}`, events: EVENTS });
		const plan = planDelete({ current: heldByTestListen, stored: headerRegistration(users, { endpoint: 'production' }), self: PRODUCTION, serverSendsHeaders: true });
		expect(plan.kind).toBe('restore');
		expect(plan.kind === 'restore' && plan.settings.url).toBe(USER_URL);
	});

	it("a test listen ending while the active workflow holds the slot leaves it to the active workflow", () => {
		const production = config({ url: PRODUCTION_URL, events: EVENTS });
		const stored = headerRegistration(config({ url: USER_URL }), { nodeUrl: TEST_URL, registeredUrl: TEST_URL, endpoint: 'test' });
		expect(planDelete({ current: production, stored, self: TEST_LISTEN, serverSendsHeaders: true }).kind).toBe('leave');
	});

	it('disables when there was nothing before: only the switch and our secret header change (v1 requires a valid URL even when disabling)', () => {
		const ours = { ...OURS_WITH_HEADER, base64: true, headers: { [VERIFICATION_HEADER]: SECRET, 'x-kept': 'yes' } };
		const plan = planDelete({ current: ours, stored: headerRegistration(null), self: PRODUCTION, serverSendsHeaders: true });
		expect(plan).toEqual({
			kind: 'disable',
			settings: { url: PRODUCTION_URL, enabled: false, events: EVENTS, byEvents: false, base64: true, headers: { 'x-kept': 'yes' } },
			summary: expect.any(String),
		});
	});

	it('disables a query-secret registration without the secret in the URL it leaves behind', () => {
		const registered = `${PRODUCTION_URL}?${VERIFICATION_QUERY_PARAM}=${SECRET}`;
		const stored = headerRegistration(null, { registeredUrl: registered, secretIn: 'query' });
		const plan = planDelete({ current: config({ url: registered, events: EVENTS }), stored, self: PRODUCTION, serverSendsHeaders: false });
		expect(plan.kind === 'disable' && plan.settings).toEqual({ url: PRODUCTION_URL, enabled: false, events: EVENTS, byEvents: false, base64: false });
	});

	it('disables without stored data when the slot is still exactly ours', () => {
		const plan = planDelete({ current: config({ url: PRODUCTION_URL }), stored: undefined, self: PRODUCTION, serverSendsHeaders: false });
		expect(plan.kind).toBe('disable');
		expect(plan.kind === 'disable' && plan.settings).toEqual({ url: PRODUCTION_URL, enabled: false, events: ['MESSAGES_UPSERT'], byEvents: false, base64: false });
	});

	it('leaves the slot alone when someone changed it since, naming where it points now', () => {
		const plan = planDelete({ current: config({ url: USER_URL }), stored: headerRegistration(null), self: PRODUCTION, serverSendsHeaders: true });
		expect(plan.kind).toBe('leave');
		expect(plan.kind === 'leave' && plan.why).toContain(USER_URL);
	});

	it('leaves the slot alone when the secret in the URL is no longer ours (someone re-registered)', () => {
		const stored = headerRegistration(null, { registeredUrl: `${PRODUCTION_URL}?${VERIFICATION_QUERY_PARAM}=${SECRET}`, secretIn: 'query' });
		const plan = planDelete({ current: config({ url: `${PRODUCTION_URL}?${VERIFICATION_QUERY_PARAM}=newer` }), stored, self: PRODUCTION, serverSendsHeaders: false });
		expect(plan.kind).toBe('leave');
	});

	it('leaves alone when the instance has no webhook any more, or (without stored data) it is already disabled', () => {
		expect(planDelete({ current: null, stored: headerRegistration(config()), self: PRODUCTION, serverSendsHeaders: true }).kind).toBe('leave');
		expect(planDelete({ current: config({ url: PRODUCTION_URL, enabled: false }), stored: undefined, self: PRODUCTION, serverSendsHeaders: true }).kind).toBe('leave');
	});

	it('a test listen ending never touches a slot production holds', () => {
		const plan = planDelete({ current: config({ url: PRODUCTION_URL }), stored: undefined, self: TEST_LISTEN, serverSendsHeaders: true });
		expect(plan.kind).toBe('leave');
	});
});
