import type { NormalizedItem } from '../model/item';

/** What the user asked the trigger to drop before any execution starts. */
export interface DeliveryFilters {
	ignoreOwnMessages: boolean;
	ignoreGroups: boolean;
	/** status@broadcast (WhatsApp Status) and …@newsletter (channels). */
	ignoreBroadcasts: boolean;
	/** Phone numbers or JIDs; empty means every chat. */
	onlyChats: string[];
	/** Message kinds that may start the workflow; empty means every kind. Items without a message pass. */
	messageKinds: MessageKind[];
}

export const NO_FILTERS: DeliveryFilters = { ignoreOwnMessages: false, ignoreGroups: false, ignoreBroadcasts: false, onlyChats: [], messageKinds: [] };

/** The kinds a user filters on: the message types, with voice notes apart from audio files. */
export const MESSAGE_KINDS = ['text', 'image', 'audio', 'voice', 'video', 'document', 'sticker', 'location', 'contact', 'reaction', 'poll', 'other'] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

export function messageKindOf(message: NonNullable<NormalizedItem['message']>): MessageKind {
	if (message.type === 'audio' && message.media?.ptt === true) return 'voice';
	if (message.type === 'buttons' || message.type === 'list') return 'other';
	return message.type;
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
	if (filters.messageKinds.length > 0 && item.message && !filters.messageKinds.includes(messageKindOf(item.message))) return false;
	if (filters.onlyChats.length > 0) {
		const candidates = [chat?.id, chat?.phone, chat?.lid].filter((value): value is string => typeof value === 'string').map(chatKey);
		if (!candidates.some((candidate) => filters.onlyChats.includes(candidate))) return false;
	}
	return true;
}
