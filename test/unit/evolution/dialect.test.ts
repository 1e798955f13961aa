/** Set bodies and find answers of every dialect, written by hand from docs/protocol.md#dialects. */
import { buildSetBody, parseFindAnswer, settingsFromConfig, disabledSettingsOf, type WebhookConfig } from '../../../nodes/lib/evolution/dialect';

const URL = 'https://n8n.example.com/webhook/abc';
const SETTINGS = {
	url: URL,
	enabled: true,
	events: ['MESSAGES_UPSERT', 'CONNECTION_UPDATE'],
	byEvents: false,
	base64: false,
};

describe('buildSetBody', () => {
	it('v1: flat snake_case', () => {
		expect(buildSetBody('v1', SETTINGS)).toStrictEqual({
			enabled: true,
			url: 'https://n8n.example.com/webhook/abc',
			webhook_by_events: false,
			webhook_base64: false,
			events: ['MESSAGES_UPSERT', 'CONNECTION_UPDATE'],
		});
	});

	it('v1 ignores headers: the server cannot send them (headers exist from 2.1.1)', () => {
		expect(buildSetBody('v1', { ...SETTINGS, headers: { 'x-evo-secret': 's3cr3t' } })).not.toHaveProperty('headers');
	});

	it('v2.0: flat camelCase', () => {
		expect(buildSetBody('v2.0', { ...SETTINGS, base64: true })).toStrictEqual({
			enabled: true,
			url: 'https://n8n.example.com/webhook/abc',
			webhookByEvents: false,
			webhookBase64: true,
			events: ['MESSAGES_UPSERT', 'CONNECTION_UPDATE'],
		});
	});

	it('v2.1+: nested under webhook with byEvents / base64 / headers', () => {
		expect(buildSetBody('v2.1', { ...SETTINGS, headers: { 'x-evo-secret': 's3cr3t' } })).toStrictEqual({
			webhook: {
				enabled: true,
				url: 'https://n8n.example.com/webhook/abc',
				headers: { 'x-evo-secret': 's3cr3t' },
				byEvents: false,
				base64: false,
				events: ['MESSAGES_UPSERT', 'CONNECTION_UPDATE'],
			},
		});
	});

	it('v2.1+ without headers leaves the key out; {} is sent as {} to clear them', () => {
		expect(buildSetBody('v2.1', SETTINGS)).toStrictEqual({
			webhook: { enabled: true, url: URL, byEvents: false, base64: false, events: ['MESSAGES_UPSERT', 'CONNECTION_UPDATE'] },
		});
		expect((buildSetBody('v2.1', { ...SETTINGS, headers: {} }).webhook as Record<string, unknown>).headers).toStrictEqual({});
	});

	it('never uses the keys v2.1+ silently drops (webhookByEvents / webhookBase64 inside webhook, issue #1629)', () => {
		const nested = buildSetBody('v2.1', { ...SETTINGS, byEvents: true, base64: true }).webhook as Record<string, unknown>;
		expect(nested.byEvents).toBe(true);
		expect(nested.base64).toBe(true);
		expect(nested).not.toHaveProperty('webhookByEvents');
		expect(nested).not.toHaveProperty('webhookBase64');
	});

	it.each(['v1', 'v2.0', 'v2.1'] as const)('%s always carries an explicit events array, even when disabling (omitting it is a 500)', (dialect) => {
		const body = buildSetBody(dialect, { ...SETTINGS, enabled: false, events: [] });
		const fields = (dialect === 'v2.1' ? body.webhook : body) as Record<string, unknown>;
		expect(fields.events).toEqual([]);
		expect(fields.enabled).toBe(false);
		expect(fields.url).toBe(URL);
	});

	it('copies the events array so later changes to the settings do not leak into the body', () => {
		const events = ['MESSAGES_UPSERT'];
		const body = buildSetBody('v1', { ...SETTINGS, events });
		events.push('CALL');
		expect(body.events).toEqual(['MESSAGES_UPSERT']);
	});
});

describe('parseFindAnswer', () => {
	const expected: WebhookConfig = {
		url: URL,
		enabled: true,
		events: ['MESSAGES_UPSERT'],
		byEvents: false,
		base64: false,
		headers: null,
	};

	it('v1 find answer', () => {
		expect(
			parseFindAnswer({ enabled: true, url: URL, events: ['MESSAGES_UPSERT'], webhook_by_events: false, webhook_base64: false }),
		).toEqual(expected);
	});

	it('v1 find answer with by-events and base64 on', () => {
		expect(
			parseFindAnswer({ enabled: true, url: URL, events: ['MESSAGES_UPSERT'], webhook_by_events: true, webhook_base64: true }),
		).toEqual({ ...expected, byEvents: true, base64: true });
	});

	it('v1 "no webhook" answer means no webhook', () => {
		expect(parseFindAnswer({ enabled: false, url: '', events: [], webhook_by_events: false, webhook_base64: false })).toBeNull();
	});

	it('v1.5.0–1.5.2 "no webhook" answer without webhook_base64 means no webhook', () => {
		expect(parseFindAnswer({ enabled: false, url: '', events: [], webhook_by_events: false })).toBeNull();
	});

	it('v2 null body means no webhook', () => {
		expect(parseFindAnswer(null)).toBeNull();
	});

	it('v2.1+ Prisma row with headers', () => {
		const row = {
			id: 'cm1x7r2a50001qz8k3h9d2f4e',
			url: URL,
			headers: { 'x-evo-secret': 's3cr3t' },
			enabled: true,
			events: ['MESSAGES_UPSERT', 'CONNECTION_UPDATE'],
			webhookByEvents: false,
			webhookBase64: true,
			createdAt: '2025-06-01T12:00:00.000Z',
			updatedAt: '2025-06-01T12:00:00.000Z',
			instanceId: '0b6f8e55-3a0c-4a4e-9d6e-2f7d1c9a8b11',
		};
		expect(parseFindAnswer(row)).toEqual({
			url: URL,
			enabled: true,
			events: ['MESSAGES_UPSERT', 'CONNECTION_UPDATE'],
			byEvents: false,
			base64: true,
			headers: { 'x-evo-secret': 's3cr3t' },
		});
	});

	it('Prisma row with headers null (2.0.x has no headers column; 2.1+ may hold null)', () => {
		const row = {
			id: 'x',
			url: URL,
			headers: null,
			enabled: true,
			events: ['MESSAGES_UPSERT'],
			webhookByEvents: true,
			webhookBase64: false,
			instanceId: 'i',
		};
		expect(parseFindAnswer(row)).toEqual({ ...expected, byEvents: true, headers: null });
		const { headers: _dropped, ...v20Row } = row;
		expect(parseFindAnswer(v20Row)).toEqual({ ...expected, byEvents: true, headers: null });
	});

	it('a disabled v2.1+ row keeps its url and reads as a disabled config, not as "no webhook"', () => {
		const row = { id: 'x', url: URL, headers: {}, enabled: false, events: [], webhookByEvents: false, webhookBase64: false, instanceId: 'i' };
		expect(parseFindAnswer(row)).toEqual({ url: URL, enabled: false, events: [], byEvents: false, base64: false, headers: {} });
	});

	it('v1 set answer nests the config as { webhook: { instanceName, webhook } }', () => {
		const answer = {
			webhook: {
				instanceName: 'inst1',
				webhook: { enabled: true, url: URL, events: ['MESSAGES_UPSERT'], webhook_by_events: false, webhook_base64: false },
			},
		};
		expect(parseFindAnswer(answer)).toEqual(expected);
	});

	it('v2.0 set answer nests the config the same way with camelCase keys', () => {
		const answer = {
			webhook: {
				instanceName: 'inst1',
				webhook: { enabled: true, url: URL, events: ['MESSAGES_UPSERT'], webhookByEvents: false, webhookBase64: true },
			},
		};
		expect(parseFindAnswer(answer)).toEqual({ ...expected, base64: true });
	});

	it('header values are kept as strings; non-string events are dropped', () => {
		expect(parseFindAnswer({ url: URL, enabled: true, events: ['CALL', 7, null], headers: { 'x-n': 5 } })).toEqual({
			url: URL,
			enabled: true,
			events: ['CALL'],
			byEvents: false,
			base64: false,
			headers: { 'x-n': '5' },
		});
	});

	it.each([[undefined], ['null'], [[]], [42], [{}]])('treats %p as no webhook', (answer) => {
		expect(parseFindAnswer(answer)).toBeNull();
	});
});

describe('settingsFromConfig', () => {
	const config: WebhookConfig = {
		url: 'https://crm.example.com/hook',
		enabled: true,
		events: ['CALL'],
		byEvents: true,
		base64: true,
		headers: { authorization: 'Bearer x' },
	};

	it('writes the config back exactly, headers included when the server keeps them', () => {
		const settings = settingsFromConfig(config, true);
		expect(settings).toEqual({ url: config.url, enabled: true, events: ['CALL'], byEvents: true, base64: true, headers: { authorization: 'Bearer x' } });
		expect(buildSetBody('v2.1', settings)).toStrictEqual({
			webhook: { enabled: true, url: config.url, events: ['CALL'], byEvents: true, base64: true, headers: { authorization: 'Bearer x' } },
		});
	});

	it('clears headers with {} when the snapshot had none, and omits them for servers without headers', () => {
		expect(settingsFromConfig({ ...config, headers: null }, true).headers).toEqual({});
		expect(settingsFromConfig(config, false)).not.toHaveProperty('headers');
	});
});

describe('disabledSettingsOf (the one disable recipe of the trigger and the action node)', () => {
	const current: WebhookConfig = {
		url: 'https://crm.example.com/hooks/evolution',
		enabled: true,
		events: ['MESSAGES_UPSERT', 'CALL'],
		byEvents: true,
		base64: true,
		headers: { 'x-tenant': 'acme' },
	};

	it('changes only the switch: URL, events, by-events, base64 and (2.1.1+) headers stay as they are', () => {
		expect(disabledSettingsOf(current, true)).toEqual({ ...current, enabled: false });
	});

	it('does not mention headers to servers before 2.1.1', () => {
		expect(disabledSettingsOf(current, false)).toEqual({
			url: current.url,
			enabled: false,
			events: current.events,
			byEvents: true,
			base64: true,
		});
	});

	it('gives each dialect a body that keeps the event list and the flags', () => {
		const settings = disabledSettingsOf(current, true);
		expect(buildSetBody('v1', settings)).toEqual({ enabled: false, url: current.url, webhook_by_events: true, webhook_base64: true, events: current.events });
		expect(buildSetBody('v2.0', settings)).toEqual({ enabled: false, url: current.url, webhookByEvents: true, webhookBase64: true, events: current.events });
		expect(buildSetBody('v2.1', settings)).toEqual({
			webhook: { enabled: false, url: current.url, events: current.events, byEvents: true, base64: true, headers: { 'x-tenant': 'acme' } },
		});
	});

	it('does not share arrays or objects with the config it came from', () => {
		const settings = disabledSettingsOf(current, true);
		expect(settings.events).not.toBe(current.events);
		expect(settings.headers).not.toBe(current.headers);
	});
});
