/**
 * The event catalog against the server's own names and enums (docs/protocol.md#event-catalog). Every
 * expected value below is written by hand from the servers' enums and emit calls, never from the catalog.
 */
import { EVOLUTION_EVENTS, findEvent, isSupportedBy, unsupportedEvents } from '../../../nodes/lib/evolution/events';

/** How names map: [emitted `event`, config name, by-events suffix (null: none)]. */
const SPEC_TABLE: Array<[string, string, string | null]> = [
	['application.startup', 'APPLICATION_STARTUP', '/application-startup'],
	['qrcode.updated', 'QRCODE_UPDATED', '/qrcode-updated'],
	['connection.update', 'CONNECTION_UPDATE', '/connection-update'],
	['messages.set', 'MESSAGES_SET', '/messages-set'],
	['messages.upsert', 'MESSAGES_UPSERT', '/messages-upsert'],
	['messages.edited', 'MESSAGES_EDITED', '/messages-edited'],
	['messages.update', 'MESSAGES_UPDATE', '/messages-update'],
	['messages.delete', 'MESSAGES_DELETE', '/messages-delete'],
	['send.message', 'SEND_MESSAGE', '/send-message'],
	['send.message.update', 'SEND_MESSAGE_UPDATE', '/send-message-update'],
	['contacts.set', 'CONTACTS_SET', '/contacts-set'],
	['contacts.upsert', 'CONTACTS_UPSERT', '/contacts-upsert'],
	['contacts.update', 'CONTACTS_UPDATE', '/contacts-update'],
	['presence.update', 'PRESENCE_UPDATE', '/presence-update'],
	['chats.set', 'CHATS_SET', '/chats-set'],
	['chats.upsert', 'CHATS_UPSERT', '/chats-upsert'],
	['chats.update', 'CHATS_UPDATE', '/chats-update'],
	['chats.delete', 'CHATS_DELETE', '/chats-delete'],
	['groups.upsert', 'GROUPS_UPSERT', '/groups-upsert'],
	// The config enum says GROUP_UPDATE while the server matches GROUPS_UPDATE (never delivered).
	['groups.update', 'GROUP_UPDATE', '/groups-update'],
	['group-participants.update', 'GROUP_PARTICIPANTS_UPDATE', '/group-participants-update'],
	['labels.edit', 'LABELS_EDIT', '/labels-edit'],
	['labels.association', 'LABELS_ASSOCIATION', '/labels-association'],
	['call', 'CALL', '/call'],
	['typebot.start', 'TYPEBOT_START', '/typebot-start'],
	['typebot.change-status', 'TYPEBOT_CHANGE_STATUS', '/typebot-change-status'],
	['chama-ai.action', 'CHAMA_AI_ACTION', '/chama-ai-action'],
	['new.jwt', 'NEW_JWT_TOKEN', null],
	['instance.create', 'INSTANCE_CREATE', '/instance-create'],
	['instance.delete', 'INSTANCE_DELETE', '/instance-delete'],
	['status.instance', 'STATUS_INSTANCE', '/status-instance'],
	['remove.instance', 'REMOVE_INSTANCE', '/remove-instance'],
	['logout.instance', 'LOGOUT_INSTANCE', '/logout-instance'],
];

/** The per-instance events enum, by server version. */
const ENUM_1_5_0 = [
	'APPLICATION_STARTUP', 'QRCODE_UPDATED', 'MESSAGES_SET', 'MESSAGES_UPSERT', 'MESSAGES_UPDATE', 'MESSAGES_DELETE',
	'SEND_MESSAGE', 'CONTACTS_SET', 'CONTACTS_UPSERT', 'CONTACTS_UPDATE', 'PRESENCE_UPDATE', 'CHATS_SET',
	'CHATS_UPSERT', 'CHATS_UPDATE', 'CHATS_DELETE', 'GROUPS_UPSERT', 'GROUP_UPDATE', 'GROUP_PARTICIPANTS_UPDATE',
	'CONNECTION_UPDATE', 'CALL', 'NEW_JWT_TOKEN',
];
const ENUM_1_5_1 = [...ENUM_1_5_0, 'TYPEBOT_START', 'TYPEBOT_CHANGE_STATUS', 'CHAMA_AI_ACTION'];
const ENUM_1_7_0 = [...ENUM_1_5_1, 'LABELS_EDIT', 'LABELS_ASSOCIATION'];
const ENUM_2_0 = [...ENUM_1_7_0.filter((name) => name !== 'NEW_JWT_TOKEN' && name !== 'CHAMA_AI_ACTION'), 'MESSAGES_EDITED'];
const ENUM_2_1 = [...ENUM_2_0, 'REMOVE_INSTANCE', 'LOGOUT_INSTANCE'];
const ENUM_2_3 = [...ENUM_2_1, 'SEND_MESSAGE_UPDATE', 'INSTANCE_CREATE', 'INSTANCE_DELETE', 'STATUS_INSTANCE'];

function acceptedBy(version: string): string[] {
	return EVOLUTION_EVENTS.filter((entry) => isSupportedBy(entry, version))
		.map((entry) => entry.config)
		.sort();
}

describe('event catalog (emitted name, config name, suffix)', () => {
	it.each(SPEC_TABLE)('%s is in the catalog as config %s with suffix %s', (emitted, config, suffix) => {
		const matches = EVOLUTION_EVENTS.filter((entry) => entry.config === config);
		expect(matches).toHaveLength(1);
		const [entry] = matches;
		expect(entry.emitted).toBe(emitted);
		expect(entry.suffix === null ? null : `/${entry.suffix}`).toBe(suffix);
	});

	it('holds exactly the table rows that have a config name (ERRORS is global only and rejected by set)', () => {
		expect(EVOLUTION_EVENTS.map((entry) => entry.config).sort()).toEqual(SPEC_TABLE.map(([, config]) => config).sort());
		expect(findEvent('ERRORS')).toBeUndefined();
		expect(findEvent('error')).toBeUndefined();
	});

	it('marks the events servers accept but never send as not delivered', () => {
		const neverSent = EVOLUTION_EVENTS.filter((entry) => !entry.delivered).map((entry) => entry.config).sort();
		expect(neverSent).toEqual(['APPLICATION_STARTUP', 'CONTACTS_SET', 'GROUP_UPDATE']);
	});
});

describe('findEvent spellings', () => {
	it.each(SPEC_TABLE)('finds %s by dotted, UPPER_SNAKE and suffix spellings', (emitted, config, suffix) => {
		expect(findEvent(emitted)?.config).toBe(config);
		expect(findEvent(config)?.config).toBe(config);
		// The server's own matching rule: WE = event.replace(/[.-]/g,'_').toUpperCase().
		expect(findEvent(emitted.replace(/[.-]/g, '_').toUpperCase())?.config).toBe(config);
		if (suffix !== null) {
			expect(findEvent(suffix)?.config).toBe(config);
			expect(findEvent(suffix.slice(1))?.config).toBe(config);
		}
	});

	it('maps GROUPS_UPDATE (what the server matches) onto the GROUP_UPDATE row', () => {
		expect(findEvent('GROUPS_UPDATE')?.config).toBe('GROUP_UPDATE');
		expect(findEvent('groups-update')?.config).toBe('GROUP_UPDATE');
		expect(findEvent('/groups-update')?.config).toBe('GROUP_UPDATE');
	});

	it('answers undefined for names it does not know and for non-strings', () => {
		expect(findEvent('messages.upserted')).toBeUndefined();
		expect(findEvent('')).toBeUndefined();
		expect(findEvent(undefined)).toBeUndefined();
		expect(findEvent(42)).toBeUndefined();
		expect(findEvent({ event: 'messages.upsert' })).toBeUndefined();
	});
});

describe('per-version enums (the per-instance events enum each version accepts)', () => {
	it.each([
		['1.5.0', ENUM_1_5_0, 21],
		['1.5.1', ENUM_1_5_1, 24],
		['1.7.0', ENUM_1_7_0, 26],
		['1.8.2', ENUM_1_7_0, 26],
		['2.0.10', ENUM_2_0, 25],
		['2.1.0', ENUM_2_1, 27],
		['2.2.3', ENUM_2_1, 27],
		['2.3.0', ENUM_2_3, 31],
		['2.3.6', ENUM_2_3, 31],
	])('%s accepts exactly its enum', (version, expected, count) => {
		expect(expected).toHaveLength(count);
		expect(acceptedBy(version)).toEqual([...expected].sort());
	});
});

describe('unsupportedEvents', () => {
	it('names an event that is too new and the version it needs', () => {
		expect(unsupportedEvents(['MESSAGES_UPSERT', 'MESSAGES_EDITED'], '1.8.2')).toEqual([
			{ config: 'MESSAGES_EDITED', needs: expect.stringContaining('2.0.0') },
		]);
		const [problem] = unsupportedEvents(['send.message.update'], '2.2.3');
		expect(problem.config).toBe('SEND_MESSAGE_UPDATE');
		expect(problem.needs).toMatch(/2\.3\.0 or newer/);
	});

	it('names an event that was dropped and the version that dropped it', () => {
		const [problem] = unsupportedEvents(['CHAMA_AI_ACTION'], '2.3.6');
		expect(problem.config).toBe('CHAMA_AI_ACTION');
		expect(problem.needs).toMatch(/older than 2\.0\.0/);
	});

	it('finds events by any spelling and reports them by config name', () => {
		expect(unsupportedEvents(['/labels-edit', 'labels.association'], '1.6.1').map((problem) => problem.config)).toEqual([
			'LABELS_EDIT',
			'LABELS_ASSOCIATION',
		]);
	});

	it('reports names that are no Evolution event at all', () => {
		const problems = unsupportedEvents(['ERRORS'], '2.3.6');
		expect(problems).toHaveLength(1);
		expect(problems[0].config).toBe('ERRORS');
	});

	it('is empty when every event is accepted', () => {
		expect(unsupportedEvents(ENUM_2_3, '2.3.6')).toEqual([]);
		expect(unsupportedEvents(ENUM_1_5_0, '1.5.0')).toEqual([]);
	});
});
