/**
 * The per-instance `events` enum that POST /webhook/set accepts, per server version, in the server's own
 * order (the order shows up verbatim in the "is not one of enum values" error); see docs/protocol.md#event-catalog.
 * Deliberately not imported from the package: the double must not share the code it tests.
 */
import { compareVersions, type ParsedVersion } from './version';

/** v1 1.4.8 – 1.5.0 (21). */
const V1_1_5_0 = [
	'APPLICATION_STARTUP',
	'QRCODE_UPDATED',
	'MESSAGES_SET',
	'MESSAGES_UPSERT',
	'MESSAGES_UPDATE',
	'MESSAGES_DELETE',
	'SEND_MESSAGE',
	'CONTACTS_SET',
	'CONTACTS_UPSERT',
	'CONTACTS_UPDATE',
	'PRESENCE_UPDATE',
	'CHATS_SET',
	'CHATS_UPSERT',
	'CHATS_UPDATE',
	'CHATS_DELETE',
	'GROUPS_UPSERT',
	'GROUP_UPDATE',
	'GROUP_PARTICIPANTS_UPDATE',
	'CONNECTION_UPDATE',
	'CALL',
	'NEW_JWT_TOKEN',
] as const;

/** v1 1.5.1 – 1.6.x (24): adds the Typebot and Chama AI events. */
const V1_1_5_1 = [...V1_1_5_0, 'TYPEBOT_START', 'TYPEBOT_CHANGE_STATUS', 'CHAMA_AI_ACTION'] as const;

/** v1 1.7.0 – 1.8.2 (26): adds the label events after CONNECTION_UPDATE. */
const V1_1_7_0 = [
	'APPLICATION_STARTUP',
	'QRCODE_UPDATED',
	'MESSAGES_SET',
	'MESSAGES_UPSERT',
	'MESSAGES_UPDATE',
	'MESSAGES_DELETE',
	'SEND_MESSAGE',
	'CONTACTS_SET',
	'CONTACTS_UPSERT',
	'CONTACTS_UPDATE',
	'PRESENCE_UPDATE',
	'CHATS_SET',
	'CHATS_UPSERT',
	'CHATS_UPDATE',
	'CHATS_DELETE',
	'GROUPS_UPSERT',
	'GROUP_UPDATE',
	'GROUP_PARTICIPANTS_UPDATE',
	'CONNECTION_UPDATE',
	'LABELS_EDIT',
	'LABELS_ASSOCIATION',
	'CALL',
	'NEW_JWT_TOKEN',
	'TYPEBOT_START',
	'TYPEBOT_CHANGE_STATUS',
	'CHAMA_AI_ACTION',
] as const;

/** v2.0.x (25): v1 minus NEW_JWT_TOKEN and CHAMA_AI_ACTION, plus MESSAGES_EDITED. */
const V2_0 = [
	'APPLICATION_STARTUP',
	'QRCODE_UPDATED',
	'MESSAGES_SET',
	'MESSAGES_UPSERT',
	'MESSAGES_EDITED',
	'MESSAGES_UPDATE',
	'MESSAGES_DELETE',
	'SEND_MESSAGE',
	'CONTACTS_SET',
	'CONTACTS_UPSERT',
	'CONTACTS_UPDATE',
	'PRESENCE_UPDATE',
	'CHATS_SET',
	'CHATS_UPSERT',
	'CHATS_UPDATE',
	'CHATS_DELETE',
	'GROUPS_UPSERT',
	'GROUP_UPDATE',
	'GROUP_PARTICIPANTS_UPDATE',
	'CONNECTION_UPDATE',
	'LABELS_EDIT',
	'LABELS_ASSOCIATION',
	'CALL',
	'TYPEBOT_START',
	'TYPEBOT_CHANGE_STATUS',
] as const;

/** v2.1.0 – 2.2.3 (27): adds REMOVE_INSTANCE and LOGOUT_INSTANCE. */
const V2_1 = [...V2_0, 'REMOVE_INSTANCE', 'LOGOUT_INSTANCE'] as const;

/** v2.3.0 – 2.3.6 (31): SEND_MESSAGE_UPDATE after SEND_MESSAGE, plus the instance lifecycle events. */
const V2_3 = [
	'APPLICATION_STARTUP',
	'QRCODE_UPDATED',
	'MESSAGES_SET',
	'MESSAGES_UPSERT',
	'MESSAGES_EDITED',
	'MESSAGES_UPDATE',
	'MESSAGES_DELETE',
	'SEND_MESSAGE',
	'SEND_MESSAGE_UPDATE',
	'CONTACTS_SET',
	'CONTACTS_UPSERT',
	'CONTACTS_UPDATE',
	'PRESENCE_UPDATE',
	'CHATS_SET',
	'CHATS_UPSERT',
	'CHATS_UPDATE',
	'CHATS_DELETE',
	'GROUPS_UPSERT',
	'GROUP_UPDATE',
	'GROUP_PARTICIPANTS_UPDATE',
	'CONNECTION_UPDATE',
	'LABELS_EDIT',
	'LABELS_ASSOCIATION',
	'CALL',
	'TYPEBOT_START',
	'TYPEBOT_CHANGE_STATUS',
	'REMOVE_INSTANCE',
	'LOGOUT_INSTANCE',
	'INSTANCE_CREATE',
	'INSTANCE_DELETE',
	'STATUS_INSTANCE',
] as const;

/** What set accepts on this version; `events: []` with enabled stores exactly this list. */
export function eventsEnumOf(version: ParsedVersion): readonly string[] {
	if (version.major < 2) {
		if (compareVersions(version, '1.7.0') >= 0) return V1_1_7_0;
		if (compareVersions(version, '1.5.1') >= 0) return V1_1_5_1;
		return V1_1_5_0;
	}
	if (compareVersions(version, '2.1.0') < 0) return V2_0;
	if (compareVersions(version, '2.3.0') < 0) return V2_1;
	return V2_3;
}

/** Config name (WE) of an emitted dotted event, as the server computes it before matching. */
export function configNameOfEvent(event: string): string {
	return event.replace(/[.-]/g, '_').toUpperCase();
}

/** By-events URL suffix: derived from WE, not from the dotted name. */
export function byEventsSuffixOf(event: string): string {
	return configNameOfEvent(event).replace(/_/g, '-').toLowerCase();
}
