import type { NormalizedEventName } from '../model/event-names';
import { compareVersions } from './version';

/**
 * THE catalog of Evolution API webhook events. Every event list, option, check, lookup and the
 * normalizer's dispatch derive from this one table (see docs/protocol.md#event-catalog).
 */

/**
 * What `data` carries for an event; the normalizer has one builder per shape. Per-element shapes turn
 * each element of an array `data` into an item; the instance shapes describe the instance as a whole.
 */
export type EvolutionDataShape =
	| 'message'
	| 'message-history'
	| 'message-update'
	| 'message-delete'
	| 'message-edit'
	| 'contact'
	| 'chat'
	| 'presence'
	| 'group'
	| 'group-participants'
	| 'call'
	| 'label'
	| 'label-association'
	| 'bot'
	| 'connection'
	| 'qrcode'
	| 'instance-lifecycle'
	| 'instance-status'
	| 'instance-token'
	| 'no-data';

export interface EvolutionEvent {
	/** UPPER_SNAKE name used in the webhook config's `events` array, e.g. MESSAGES_UPSERT. */
	readonly config: string;
	/** Dotted name the server puts in a delivery's `event` field, e.g. messages.upsert. */
	readonly emitted: string;
	/** Path the server appends to the URL when "by events" is on (null: none). */
	readonly suffix: string | null;
	/** First server version whose per-instance webhook accepts the event. */
	readonly since: string;
	/** First server version that no longer accepts it (absent: still accepted). */
	readonly removedIn?: string;
	/** False when servers accept the event in the config but never send it (a known server bug). */
	readonly delivered: boolean;
	/** What `data` carries: picks the normalizer's builder. */
	readonly shape: EvolutionDataShape;
	/** Our stable event name for the normalized item model. */
	readonly normalized: NormalizedEventName;
	/** The stable name when the message was written by this number (messages.upsert carries both). */
	readonly normalizedFromMe?: NormalizedEventName;
	readonly label: string;
	readonly description: string;
}

const OLDEST = '1.0.0';
const NEVER_SENT = ' Servers accept it but never send it (known Evolution bug).';

/** Suffix rule of the server: lower-case, `_` → `-`. */
function suffixOf(config: string): string {
	return config.toLowerCase().replace(/_/g, '-');
}

function event(
	config: string,
	emitted: string,
	shape: EvolutionDataShape,
	normalized: NormalizedEventName,
	label: string,
	description: string,
	extra: Partial<Pick<EvolutionEvent, 'since' | 'removedIn' | 'delivered' | 'suffix' | 'normalizedFromMe'>> = {},
): EvolutionEvent {
	return {
		config,
		emitted,
		suffix: suffixOf(emitted.replace(/[.-]/g, '_')),
		since: OLDEST,
		delivered: true,
		shape,
		normalized,
		label,
		description,
		...extra,
	};
}

export const EVOLUTION_EVENTS: readonly EvolutionEvent[] = [
	event('MESSAGES_UPSERT', 'messages.upsert', 'message', 'message.received', 'New Message', 'A message arrives, or one is typed on the phone (own messages included)', { normalizedFromMe: 'message.sent' }),
	event('SEND_MESSAGE', 'send.message', 'message', 'message.sent', 'Message Sent via API', 'A message was sent through the server API'),
	event('MESSAGES_UPDATE', 'messages.update', 'message-update', 'message.updated', 'Message Status Changed', 'A sent message was delivered, read or played'),
	event('MESSAGES_EDITED', 'messages.edited', 'message-edit', 'message.edited', 'Message Edited', 'A message was edited', { since: '2.0.0' }),
	event('MESSAGES_DELETE', 'messages.delete', 'message-delete', 'message.deleted', 'Message Deleted', 'A message was deleted for everyone'),
	event('MESSAGES_SET', 'messages.set', 'message-history', 'message.history', 'Message History Synced', 'Old messages loaded after the phone connects (can be thousands)'),
	event('SEND_MESSAGE_UPDATE', 'send.message.update', 'message-edit', 'message.edited', 'Sent Message Edited', 'A message sent through the API was edited', { since: '2.3.0' }),
	event('CONNECTION_UPDATE', 'connection.update', 'connection', 'connection.updated', 'Connection Changed', 'The WhatsApp connection opened, closed or is connecting'),
	event('QRCODE_UPDATED', 'qrcode.updated', 'qrcode', 'qrcode.updated', 'QR Code Updated', 'A new QR code must be scanned to connect the phone'),
	event('CONTACTS_UPSERT', 'contacts.upsert', 'contact', 'contact.updated', 'Contact Created', 'A contact was added or first seen'),
	event('CONTACTS_UPDATE', 'contacts.update', 'contact', 'contact.updated', 'Contact Changed', 'A contact changed name or picture'),
	event('CONTACTS_SET', 'contacts.set', 'contact', 'contact.updated', 'Contacts Synced', 'The contact list was loaded.' + NEVER_SENT, { delivered: false }),
	event('CHATS_UPSERT', 'chats.upsert', 'chat', 'chat.updated', 'Chat Created', 'A chat was created or got a new message'),
	event('CHATS_UPDATE', 'chats.update', 'chat', 'chat.updated', 'Chat Changed', 'A chat changed (read, archived, muted…)'),
	event('CHATS_SET', 'chats.set', 'chat', 'chat.updated', 'Chats Synced', 'The chat list was loaded after the phone connected'),
	event('CHATS_DELETE', 'chats.delete', 'chat', 'chat.deleted', 'Chat Deleted', 'A chat was deleted'),
	event('PRESENCE_UPDATE', 'presence.update', 'presence', 'presence.updated', 'Presence Changed', 'A contact is typing, recording, online or offline'),
	event('GROUPS_UPSERT', 'groups.upsert', 'group', 'group.updated', 'Group Joined or Created', 'This number joined or created a group'),
	event('GROUP_UPDATE', 'groups.update', 'group', 'group.updated', 'Group Changed', 'A group changed its name, picture or settings.' + NEVER_SENT, { delivered: false }),
	event('GROUP_PARTICIPANTS_UPDATE', 'group-participants.update', 'group-participants', 'group.participants', 'Group Members Changed', 'People joined, left, were promoted or demoted in a group'),
	event('CALL', 'call', 'call', 'call', 'Call', 'Someone called this number (voice or video)'),
	event('LABELS_EDIT', 'labels.edit', 'label', 'label.updated', 'Label Changed', 'A WhatsApp Business label was created, changed or deleted', { since: '1.7.0' }),
	event('LABELS_ASSOCIATION', 'labels.association', 'label-association', 'label.associated', 'Label Added to Chat', 'A label was added to or removed from a chat', { since: '1.7.0' }),
	event('TYPEBOT_START', 'typebot.start', 'bot', 'bot.updated', 'Typebot Started', 'A Typebot session started in a chat', { since: '1.5.1' }),
	event('TYPEBOT_CHANGE_STATUS', 'typebot.change-status', 'bot', 'bot.updated', 'Typebot Status Changed', 'A Typebot session was paused, closed or reopened', { since: '1.5.1' }),
	event('CHAMA_AI_ACTION', 'chama-ai.action', 'bot', 'bot.updated', 'Chama AI Action', 'The Chama AI integration acted (v1 servers only)', { since: '1.5.1', removedIn: '2.0.0' }),
	event('INSTANCE_CREATE', 'instance.create', 'instance-lifecycle', 'instance.created', 'Instance Created', 'An instance was created on the server', { since: '2.3.0' }),
	event('INSTANCE_DELETE', 'instance.delete', 'instance-lifecycle', 'instance.deleted', 'Instance Deleted', 'An instance was deleted from the server', { since: '2.3.0' }),
	event('STATUS_INSTANCE', 'status.instance', 'instance-status', 'instance.status', 'Instance Status Changed', 'The instance was created or closed', { since: '2.3.0' }),
	event('REMOVE_INSTANCE', 'remove.instance', 'no-data', 'instance.removed', 'Instance Removed', 'The instance was removed', { since: '2.1.0' }),
	event('LOGOUT_INSTANCE', 'logout.instance', 'no-data', 'instance.logged-out', 'Instance Logged Out', 'The phone was logged out of this instance', { since: '2.1.0' }),
	event('NEW_JWT_TOKEN', 'new.jwt', 'instance-token', 'instance.token', 'New JWT Token', 'A new JWT was issued (v1 servers in JWT mode only)', { removedIn: '2.0.0', suffix: null }),
	event('APPLICATION_STARTUP', 'application.startup', 'no-data', 'application.startup', 'Server Started', 'The server started.' + NEVER_SENT, { delivered: false }),
];

/** Folds any spelling (messages.upsert, MESSAGES_UPSERT, messages-upsert, /messages-upsert) to one key. */
function foldName(name: string): string {
	return name.replace(/^\/+|\/+$/g, '').replace(/[.\-_]/g, '_').toUpperCase();
}

const BY_FOLDED_NAME = new Map<string, EvolutionEvent>();
for (const entry of EVOLUTION_EVENTS) {
	// The emitted name folds to what the server matches against the config (GROUPS_UPDATE for GROUP_UPDATE).
	BY_FOLDED_NAME.set(foldName(entry.emitted), entry);
	BY_FOLDED_NAME.set(entry.config, entry);
}

/**
 * Finds an event by any of its spellings: dotted (delivery field), UPPER_SNAKE (config) or the
 * by-events URL suffix. Returns undefined for names the catalog does not know.
 */
export function findEvent(name: unknown): EvolutionEvent | undefined {
	if (typeof name !== 'string' || name.length === 0 || name.length > 64) return undefined;
	return BY_FOLDED_NAME.get(foldName(name));
}

/** The stable name of the first catalog event whose data has `shape` (an upsert may carry an edit or a revoke). */
export function normalizedNameOfShape(shape: EvolutionDataShape): NormalizedEventName | undefined {
	return EVOLUTION_EVENTS.find((entry) => entry.shape === shape)?.normalized;
}

/** Whether a server of `version` accepts the event in its per-instance webhook config. */
export function isSupportedBy(entry: EvolutionEvent, version: string): boolean {
	if (compareVersions(version, entry.since) < 0) return false;
	return entry.removedIn === undefined || compareVersions(version, entry.removedIn) < 0;
}

/** Config names of `requested` that a server of `version` does not accept, with the version each needs. */
export function unsupportedEvents(
	requested: readonly string[],
	version: string,
): Array<{ config: string; needs: string }> {
	const problems: Array<{ config: string; needs: string }> = [];
	for (const name of requested) {
		const entry = findEvent(name);
		if (!entry) {
			problems.push({ config: name, needs: 'a server that knows this event (the name is not an Evolution event)' });
		} else if (!isSupportedBy(entry, version)) {
			const needs = compareVersions(version, entry.since) < 0 ? `Evolution API ${entry.since} or newer` : `an Evolution API older than ${entry.removedIn}`;
			problems.push({ config: entry.config, needs });
		}
	}
	return problems;
}

/** Options for n8n multi-select parameters: every event, labelled for people who do not code. */
export function eventOptions(): Array<{ name: string; value: string; description: string }> {
	return [...EVOLUTION_EVENTS]
		.sort((a, b) => a.label.localeCompare(b.label))
		.map((entry) => ({
			name: entry.label,
			value: entry.config,
			description: `${entry.description} (${entry.config}${entry.since !== OLDEST ? `, server ${entry.since}+` : ''}${entry.removedIn ? `, before ${entry.removedIn}` : ''})`,
		}));
}
