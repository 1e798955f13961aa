import type { NormalizedItem } from '../model/item';

/** What the user asked the trigger to drop before any execution starts. */
export interface DeliveryFilters {
	ignoreOwnMessages: boolean;
	ignoreGroups: boolean;
	/** status@broadcast (WhatsApp Status) and …@newsletter (channels). */
	ignoreBroadcasts: boolean;
	/** Phone numbers or JIDs; empty means every chat. */
	onlyChats: string[];
	/** Message kinds that may start the workflow; empty means every kind. Items without a message (itemKindOf null) pass. */
	messageKinds: MessageKind[];
}

export const NO_FILTERS: DeliveryFilters = { ignoreOwnMessages: false, ignoreGroups: false, ignoreBroadcasts: false, onlyChats: [], messageKinds: [] };

/** The kinds a user filters on: the message types, with voice notes apart from audio files. */
export const MESSAGE_KINDS = ['text', 'image', 'audio', 'voice', 'video', 'document', 'sticker', 'location', 'contact', 'reaction', 'poll', 'other'] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

/** How the editor names each kind (the "Only These Message Types" choices and the per-type outputs). */
export const MESSAGE_KIND_LABELS: Readonly<Record<MessageKind, string>> = {
	text: 'Text',
	image: 'Image',
	audio: 'Audio File',
	voice: 'Voice Note',
	video: 'Video',
	document: 'Document',
	sticker: 'Sticker',
	location: 'Location',
	contact: 'Contact',
	reaction: 'Reaction',
	poll: 'Poll',
	other: 'Other',
};

export function messageKindOf(message: NonNullable<NormalizedItem['message']>): MessageKind {
	if (message.type === 'audio' && message.media?.ptt === true) return 'voice';
	if (message.type === 'buttons' || message.type === 'list') return 'other';
	return message.type;
}

/**
 * Status updates and deletions carry a message object without content (type "other", the id and a
 * status): they are events about a message, not a message of a type, so the type options leave them be.
 */
const ABOUT_A_MESSAGE = new Set<NormalizedItem['event']>(['message.updated', 'message.deleted']);

/** The kind of the message an item carries, or null when it carries none (connection, tickets, status updates…). */
export function itemKindOf(item: NormalizedItem): MessageKind | null {
	return item.message && !ABOUT_A_MESSAGE.has(item.event) ? messageKindOf(item.message) : null;
}

/** The "Message Types" option's values, unknown ones dropped. */
export function parseMessageKinds(value: unknown): MessageKind[] {
	if (!Array.isArray(value)) return [];
	return MESSAGE_KINDS.filter((kind) => value.includes(kind));
}

/** Chat identifiers compared by digits for phone numbers, else by the lower-cased JID. */
function chatKey(value: string): string {
	const trimmed = value.trim().toLowerCase();
	const user = trimmed.split('@')[0];
	return /^\+?[\d\s().-]+$/.test(user) && (!trimmed.includes('@') || trimmed.endsWith('@s.whatsapp.net') || trimmed.endsWith('@c.us'))
		? user.replace(/\D/g, '')
		: trimmed;
}

/** Parses the "Only These Chats" text: numbers or JIDs separated by commas, semicolons or new lines (numbers may contain spaces). */
export function parseChatList(text: unknown): string[] {
	if (typeof text !== 'string') return [];
	return text
		.split(/[,;\n]+/)
		.map((part) => part.trim())
		.filter((part) => part.length > 0)
		.map(chatKey);
}

export function passesFilters(item: NormalizedItem, filters: DeliveryFilters): boolean {
	if (filters.ignoreOwnMessages && item.message?.fromMe === true) return false;
	const chat = item.chat;
	if (filters.ignoreGroups && chat?.isGroup) return false;
	if (filters.ignoreBroadcasts && chat?.id && /@(broadcast|newsletter)$/i.test(chat.id)) return false;
	if (filters.messageKinds.length > 0) {
		const kind = itemKindOf(item);
		if (kind !== null && !filters.messageKinds.includes(kind)) return false;
	}
	if (filters.onlyChats.length > 0) {
		const candidates = [chat?.id, chat?.phone, chat?.lid].filter((value): value is string => typeof value === 'string').map(chatKey);
		if (!candidates.some((candidate) => filters.onlyChats.includes(candidate))) return false;
	}
	return true;
}
