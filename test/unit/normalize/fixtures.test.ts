/**
 * Every fixture (test/fixtures/<source>/<event>.<version>.json, shaped like the payloads described in
 * docs/protocol.md#delivery-envelope and docs/protocol.md#helpdesk-payloads) against the normalized items
 * expected for it, written out by hand: every field of every item.
 */
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';

import { normalizeDelivery } from '../../../nodes/lib/normalize';
import {
	normalizedItemSchema,
	type NormalizedChat,
	type NormalizedContact,
	type NormalizedItem,
	type NormalizedMessage,
	type NormalizedSender,
	type NormalizedTicket,
} from '../../../nodes/lib/model/item';

const FIXTURES = join(__dirname, '..', '..', 'fixtures');

function load(path: string): unknown {
	return JSON.parse(readFileSync(join(FIXTURES, path), 'utf8'));
}

// ---- small builders: they only fill the nulls, every value below is written by hand -----------------

function item(fields: Partial<NormalizedItem> & Pick<NormalizedItem, 'source' | 'event'>): NormalizedItem {
	return {
		originalEvent: null,
		instance: null,
		chat: null,
		sender: null,
		message: null,
		ticket: null,
		contact: null,
		details: null,
		reason: null,
		...fields,
	};
}

function evo(event: NormalizedItem['event'], originalEvent: string, fields: Partial<NormalizedItem> = {}): NormalizedItem {
	return item({ source: 'evolution', event, originalEvent, instance: 'inst1', ...fields });
}

function message(fields: Partial<NormalizedMessage> & Pick<NormalizedMessage, 'id' | 'type'>): NormalizedMessage {
	return { text: null, caption: null, media: null, fromMe: null, timestamp: null, quotedId: null, quoted: null, status: null, ...fields };
}

/** phoneSource: every phone below comes from the payload itself (no LID map is involved in normalizing). */
function chat(id: string | null, phone: string | null, lid: string | null, isGroup: boolean, name: string | null): NormalizedChat {
	return { id, phone, lid, isGroup, name, phoneSource: phone === null ? null : 'payload' };
}

function sender(id: string | null, phone: string | null, name: string | null): NormalizedSender {
	return { id, phone, name, phoneSource: phone === null ? null : 'payload' };
}

function contact(fields: Partial<NormalizedContact>): NormalizedContact {
	return { id: null, name: null, phone: null, lid: null, email: null, pictureUrl: null, ...fields };
}

function ticket(fields: Partial<NormalizedTicket>): NormalizedTicket {
	return { id: null, status: null, protocol: null, queue: null, externalKey: null, tags: [], user: null, ...fields };
}

const MARIA_JID = '5511988887777@s.whatsapp.net';
const OWN_JID = '5511911112222@s.whatsapp.net';
const GROUP_JID = '120363041234567890@g.us';
const JOAO_JID = '5511977776666@s.whatsapp.net';
const mariaChat = chat(MARIA_JID, '5511988887777', null, false, 'Maria');
const mariaChatUnnamed = chat(MARIA_JID, '5511988887777', null, false, null);
const mariaSender = sender(MARIA_JID, '5511988887777', 'Maria');
const groupChat = chat(GROUP_JID, null, null, true, null);
const ownSender = (name: string | null) => sender(OWN_JID, '5511911112222', name);

const EXPECTED: Record<string, NormalizedItem[]> = {
	// ---------------- Evolution: messages ----------------
	'evolution/messages.upsert.v1.json': [
		evo('message.received', 'messages.upsert', {
			chat: mariaChat,
			sender: mariaSender,
			message: message({ id: '3EB0C431C2A8F5D2E1B7', type: 'text', text: 'Hello there', fromMe: false, timestamp: '2024-06-03T16:00:00.000Z' }),
		}),
	],
	'evolution/messages.upsert.v2.json': [
		evo('message.received', 'messages.upsert', {
			chat: mariaChat,
			sender: mariaSender,
			message: message({ id: '3EB0C431C2A8F5D2E1B7', type: 'text', text: 'Hello there', fromMe: false, timestamp: '2024-06-03T16:00:00.000Z', status: 'delivered' }),
		}),
	],
	'evolution/messages.upsert-reply.v2.json': [
		evo('message.received', 'messages.upsert', {
			chat: mariaChat,
			sender: mariaSender,
			message: message({
				id: '3EB0D1E2F3A4B5C6D7E8',
				type: 'text',
				text: 'Yes, that one',
				fromMe: false,
				timestamp: '2024-06-03T16:01:00.000Z',
				quotedId: 'BAE5F1C2D3E4A5B6',
				// contextInfo inside extendedTextMessage (2.0 form); participant is this number.
				quoted: { id: 'BAE5F1C2D3E4A5B6', type: 'text', text: 'Order confirmed', caption: null, author: { id: OWN_JID, phone: '5511911112222', lid: null, fromMe: true } },
				status: 'delivered',
			}),
		}),
	],
	'evolution/messages.upsert-reply-toplevel.v2.json': [
		evo('message.received', 'messages.upsert', {
			chat: mariaChat,
			sender: mariaSender,
			message: message({
				id: '3EB0F00DCAFE00112233',
				type: 'text',
				text: 'yes',
				fromMe: false,
				timestamp: '2025-06-01T09:00:00.000Z',
				quotedId: 'BAE5AA00BB11CC22DD33',
				// 2.2+: contextInfo at the top of data.
				quoted: { id: 'BAE5AA00BB11CC22DD33', type: 'text', text: 'Shall I book 14h?', caption: null, author: { id: OWN_JID, phone: '5511911112222', lid: null, fromMe: true } },
				status: 'delivered',
			}),
		}),
	],
	'evolution/messages.upsert-reply-image.v2.json': [
		evo('message.received', 'messages.upsert', {
			chat: mariaChat,
			sender: mariaSender,
			message: message({
				id: '3EB0ABCDEF0123456789',
				type: 'image',
				caption: 'This is the broken one',
				media: { type: 'image', mimetype: 'image/jpeg', fileName: null, url: null, hasBase64: false, ptt: null },
				fromMe: false,
				timestamp: '2025-06-01T09:01:00.000Z',
				quotedId: '3EB011223344556677AA',
				// A LID author cannot be compared with this number's phone: fromMe unknown.
				quoted: {
					id: '3EB011223344556677AA',
					type: 'image',
					text: null,
					caption: 'Catalogue page 3',
					author: { id: '126409561346102@lid', phone: null, lid: '126409561346102@lid', fromMe: null },
				},
			}),
		}),
	],
	'evolution/messages.upsert-audio-file.v2.json': [
		evo('message.received', 'messages.upsert', {
			chat: mariaChat,
			sender: mariaSender,
			message: message({
				id: '3EB0AUD0000000000002',
				type: 'audio',
				// ptt: false, an audio file (not recorded in WhatsApp); the S3 URL beside the part.
				media: { type: 'audio', mimetype: 'audio/mpeg', fileName: null, url: 'https://s3.example.com/evolution/inst1/3EB0AUD0000000000002.mp3', hasBase64: false, ptt: false },
				fromMe: false,
				timestamp: '2025-06-01T09:02:00.000Z',
				status: 'delivered',
			}),
		}),
	],
	'evolution/messages.upsert-loose-scalars.v2.json': [
		evo('message.received', 'messages.upsert', {
			chat: mariaChat,
			sender: mariaSender,
			message: message({
				id: '3EB0L00SE5CA1A000001',
				type: 'location',
				text: 'Loja Centro',
				// fromMe "false", status "3", messageTimestamp as text: read as false, delivered, a time.
				fromMe: false,
				timestamp: '2025-06-01T09:03:00.000Z',
				status: 'delivered',
			}),
			// Coordinates sent as strings become numbers.
			details: { location: { latitude: -23.5505, longitude: -46.6333, name: 'Loja Centro', address: 'Praça da Sé, São Paulo' } },
		}),
	],
	'evolution/messages.upsert-null-data.v2.json': [
		evo('unknown', 'messages.upsert', { reason: 'The "messages.upsert" delivery carries no data where an object was expected' }),
	],
	'evolution/messages.upsert-lid-only.v2.json': [
		evo('message.received', 'messages.upsert', {
			// Only the LID: normalizing alone cannot know the phone (the trigger's learned map can).
			chat: chat('126409561346102@lid', null, '126409561346102@lid', false, 'Maria'),
			sender: sender('126409561346102@lid', null, 'Maria'),
			message: message({ id: '3EB0L1D0N1Y000000001', type: 'text', text: 'Ainda está aberto?', fromMe: false, timestamp: '2025-06-01T09:04:00.000Z', status: 'delivered' }),
		}),
	],
	'evolution/messages.upsert-reaction.v2.json': [
		evo('message.received', 'messages.upsert', {
			chat: mariaChat,
			sender: mariaSender,
			message: message({
				id: '3EB0REACT0000000001',
				type: 'reaction',
				text: '👍',
				fromMe: false,
				timestamp: '2025-06-01T09:01:40.000Z',
				quotedId: 'BAE5AA00BB11CC22DD33',
				// The reacted message is this number's (key.fromMe); its text is not in the payload.
				quoted: { id: 'BAE5AA00BB11CC22DD33', type: null, text: null, caption: null, author: { id: OWN_JID, phone: '5511911112222', lid: null, fromMe: true } },
			}),
		}),
	],
	'evolution/messages.upsert-fromme.v2.json': [
		evo('message.sent', 'messages.upsert', {
			chat: mariaChatUnnamed,
			sender: ownSender('Você'),
			message: message({ id: '3EB0AA11BB22CC33DD44', type: 'text', text: 'On my way', fromMe: true, timestamp: '2024-06-03T16:01:40.000Z', status: 'sent' }),
		}),
	],
	'evolution/messages.upsert-lid.v2.json': [
		evo('message.received', 'messages.upsert', {
			chat: chat('126409561346102@lid', '5511988887777', '126409561346102@lid', false, 'Maria'),
			sender: sender('126409561346102@lid', '5511988887777', 'Maria'),
			message: message({ id: '3EB0F00D1234ABCD5678', type: 'text', text: 'Oi', fromMe: false, timestamp: '2024-06-03T16:00:00.000Z', status: 'delivered' }),
		}),
	],
	'evolution/messages.upsert-image.v2.json': [
		evo('message.received', 'messages.upsert', {
			chat: mariaChat,
			sender: mariaSender,
			message: message({
				id: '3EB0A1B2C3D4E5F6A7B8',
				type: 'image',
				caption: 'Look at this',
				media: {
					type: 'image',
					mimetype: 'image/jpeg',
					fileName: null,
					url: 'https://s3.example.com/evolution/0b6f8e55/5511988887777@s.whatsapp.net/imageMessage/1717430400_abc.jpeg',
					hasBase64: true,
					ptt: null,
				},
				fromMe: false,
				timestamp: '2024-06-03T16:00:00.000Z',
				status: 'delivered',
			}),
		}),
	],
	'evolution/messages.upsert-image.v1.json': [
		evo('message.received', 'messages.upsert', {
			chat: mariaChat,
			sender: mariaSender,
			message: message({
				id: '3EB0A1B2C3D4E5F6A7B9',
				type: 'image',
				caption: 'Look at this',
				media: { type: 'image', mimetype: 'image/jpeg', fileName: null, url: null, hasBase64: true, ptt: null },
				fromMe: false,
				// messageTimestamp as a protobuf Long {low, high}.
				timestamp: '2024-06-03T16:00:00.000Z',
			}),
		}),
	],
	'evolution/messages.upsert-document-caption.v2.json': [
		evo('message.received', 'messages.upsert', {
			chat: mariaChat,
			sender: mariaSender,
			message: message({
				id: '3EB0DOC0000000000001',
				type: 'document',
				caption: 'Segue o boleto',
				media: { type: 'document', mimetype: 'application/pdf', fileName: 'boleto.pdf', url: null, hasBase64: true, ptt: null },
				fromMe: false,
				timestamp: '2024-06-03T16:05:00.000Z',
				status: 'delivered',
			}),
		}),
	],
	'evolution/messages.upsert-ptv.v2.json': [
		evo('message.received', 'messages.upsert', {
			chat: mariaChat,
			sender: mariaSender,
			message: message({
				id: '3EB0PTV0000000000001',
				type: 'video',
				media: { type: 'video', mimetype: 'video/mp4', fileName: null, url: null, hasBase64: false, ptt: null },
				fromMe: false,
				timestamp: '2024-06-03T16:06:40.000Z',
				status: 'delivered',
			}),
		}),
	],
	'evolution/messages.upsert-audio.v1.json': [
		evo('message.received', 'messages.upsert', {
			chat: mariaChat,
			sender: mariaSender,
			message: message({
				id: '3EB0AUD0000000000001',
				type: 'audio',
				// audioMessage.ptt: true, a voice note.
				media: { type: 'audio', mimetype: 'audio/ogg; codecs=opus', fileName: null, url: null, hasBase64: false, ptt: true },
				fromMe: false,
				// messageTimestamp as a string.
				timestamp: '2024-06-03T16:08:20.000Z',
			}),
		}),
	],
	'evolution/messages.upsert-group.v2.json': [
		evo('message.received', 'messages.upsert', {
			chat: groupChat,
			sender: sender(JOAO_JID, '5511977776666', 'João'),
			message: message({ id: '3A5F0C9B1E2D4F6A8B7C', type: 'text', text: 'Bom dia, grupo', fromMe: false, timestamp: '2024-06-03T16:00:00.000Z', status: 'delivered' }),
		}),
	],
	'evolution/messages.upsert-group-lid.v2.json': [
		evo('message.received', 'messages.upsert', {
			chat: groupChat,
			sender: sender('123456789012345@lid', '5511977776666', 'João'),
			message: message({ id: '3A5F0C9B1E2D4F6A8B7D', type: 'text', text: 'Bom dia de novo', fromMe: false, timestamp: '2024-06-03T16:01:00.000Z', status: 'delivered' }),
		}),
	],
	'evolution/messages.upsert-group.v1.json': [
		evo('message.received', 'messages.upsert', {
			chat: groupChat,
			sender: sender(JOAO_JID, '5511977776666', 'João'),
			message: message({ id: '3A5F0C9B1E2D4F6A8B7E', type: 'text', text: 'Bom dia, grupo', fromMe: false, timestamp: '2024-06-03T16:00:00.000Z' }),
		}),
	],
	'evolution/send.message.v2.json': [
		evo('message.sent', 'send.message', {
			chat: mariaChatUnnamed,
			sender: ownSender('Você'),
			message: message({ id: 'BAE5F1C2D3E4A5B6', type: 'text', text: 'Order confirmed', fromMe: true, timestamp: '2024-06-03T16:03:20.000Z', status: 'pending' }),
		}),
	],
	'evolution/send.message.v1.json': [
		evo('message.sent', 'send.message', {
			chat: mariaChatUnnamed,
			sender: ownSender(null),
			message: message({ id: 'BAE5F1C2D3E4A5B7', type: 'text', text: 'Order confirmed', fromMe: true, timestamp: '2024-06-03T16:03:20.000Z' }),
		}),
	],
	'evolution/messages.update.v1.json': [
		evo('message.updated', 'messages.update', {
			chat: mariaChatUnnamed,
			message: message({ id: '3EB0C431C2A8F5D2E1B7', type: 'other', fromMe: true, timestamp: '2024-06-03T16:01:40.123Z', status: 'read' }),
		}),
	],
	'evolution/messages.update.v2.json': [
		evo('message.updated', 'messages.update', {
			chat: mariaChatUnnamed,
			message: message({ id: '3EB0C431C2A8F5D2E1B7', type: 'other', fromMe: true, status: 'delivered' }),
			details: { databaseId: 'cm1x7r2a50002qz8k1a2b3c4d' },
		}),
	],
	'evolution/messages.delete.v1.json': [
		evo('message.deleted', 'messages.delete', {
			chat: mariaChatUnnamed,
			sender: sender(MARIA_JID, '5511988887777', null),
			message: message({ id: '3EB0C431C2A8F5D2E1B7', type: 'other', fromMe: false, status: 'deleted' }),
		}),
	],
	'evolution/messages.delete.v2.json': [
		evo('message.deleted', 'messages.delete', {
			chat: groupChat,
			sender: sender(JOAO_JID, '5511977776666', null),
			message: message({ id: '3A5F0C9B1E2D4F6A8B7C', type: 'text', fromMe: false, timestamp: '2024-06-03T16:00:00.000Z', status: 'deleted' }),
			details: { databaseId: 'cm1x7r2a50002qz8k1a2b3c4d' },
		}),
	],
	'evolution/messages.edited.v2.json': [
		evo('message.edited', 'messages.edited', {
			chat: mariaChatUnnamed,
			sender: sender(MARIA_JID, '5511988887777', null),
			message: message({ id: '3EB0C431C2A8F5D2E1B7', type: 'text', text: 'Hello there (edited)', fromMe: false, timestamp: '2024-06-03T16:09:59.000Z' }),
		}),
	],
	'evolution/send.message.update.v2.json': [
		evo('message.edited', 'send.message.update', {
			chat: mariaChatUnnamed,
			sender: ownSender(null),
			message: message({ id: 'BAE5F1C2D3E4A5B6', type: 'text', text: 'Order confirmed for tomorrow', fromMe: true, timestamp: '2024-06-03T16:10:00.000Z' }),
		}),
	],
	'evolution/messages.set.v1.json': [
		evo('message.history', 'messages.set', {
			chat: mariaChat,
			sender: mariaSender,
			message: message({ id: 'HIST000000000000001', type: 'text', text: 'old message 1', fromMe: false, timestamp: '2024-05-29T16:26:40.000Z' }),
		}),
		evo('message.history', 'messages.set', {
			chat: mariaChatUnnamed,
			sender: ownSender(null),
			message: message({ id: 'HIST000000000000002', type: 'text', text: 'old reply', fromMe: true, timestamp: '2024-05-29T16:27:40.000Z' }),
		}),
	],
	'evolution/messages.set.v2.json': [
		evo('message.history', 'messages.set', {
			chat: mariaChat,
			sender: mariaSender,
			message: message({ id: 'HIST000000000000011', type: 'text', text: 'old message', fromMe: false, timestamp: '2024-05-29T16:26:40.000Z' }),
		}),
		evo('message.history', 'messages.set', {
			chat: groupChat,
			sender: sender(JOAO_JID, '5511977776666', 'João'),
			message: message({
				id: 'HIST000000000000012',
				type: 'image',
				caption: 'old photo',
				media: { type: 'image', mimetype: 'image/jpeg', fileName: null, url: null, hasBase64: false, ptt: null },
				fromMe: false,
				timestamp: '2024-05-29T16:28:40.000Z',
			}),
		}),
		evo('message.history', 'messages.set', {
			chat: mariaChatUnnamed,
			sender: ownSender(null),
			message: message({ id: 'HIST000000000000013', type: 'text', text: 'old reply', fromMe: true, timestamp: '2024-05-29T16:29:40.000Z' }),
		}),
	],
	// ---------------- Evolution: contacts, chats, presence ----------------
	'evolution/contacts.upsert.v1.json': [
		evo('contact.updated', 'contacts.upsert', { contact: contact({ id: MARIA_JID, name: 'Maria', phone: '5511988887777' }) }),
	],
	'evolution/contacts.upsert.v2.json': [
		evo('contact.updated', 'contacts.upsert', {
			contact: contact({ id: MARIA_JID, name: 'Maria', phone: '5511988887777', pictureUrl: 'https://pps.whatsapp.net/v/t61.24694-24/abc.jpg' }),
		}),
		evo('contact.updated', 'contacts.upsert', { contact: contact({ id: '126409561346102@lid', name: 'Ana', lid: '126409561346102@lid' }) }),
	],
	'evolution/contacts.upsert-lid.v2.json': [
		evo('contact.updated', 'contacts.upsert', {
			contact: contact({ id: '126409561346102@lid', name: 'Maria', phone: '5511988887777', lid: '126409561346102@lid' }),
		}),
	],
	'evolution/contacts.update.v1.json': [
		evo('contact.updated', 'contacts.update', {
			contact: contact({ id: MARIA_JID, name: 'Maria S.', phone: '5511988887777', pictureUrl: 'https://pps.whatsapp.net/v/t61.24694-24/new.jpg' }),
		}),
	],
	'evolution/contacts.update.v2.json': [
		evo('contact.updated', 'contacts.update', { contact: contact({ id: MARIA_JID, name: 'Maria S.', phone: '5511988887777' }) }),
	],
	'evolution/chats.upsert.v1.json': [evo('chat.updated', 'chats.upsert', { chat: mariaChatUnnamed })],
	'evolution/chats.upsert.v2.json': [evo('chat.updated', 'chats.upsert', { chat: mariaChat, details: { unreadMessages: 0 } })],
	'evolution/chats.update.v2.json': [
		evo('chat.updated', 'chats.update', { chat: groupChat }),
		evo('chat.updated', 'chats.update', { chat: chat(null, null, null, false, 'Maria'), details: { databaseId: 'cm1chat0000000000000001' } }),
	],
	'evolution/chats.delete.v2.json': [evo('chat.deleted', 'chats.delete', { chat: mariaChatUnnamed })],
	'evolution/presence.update.v1.json': [
		evo('presence.updated', 'presence.update', {
			chat: mariaChatUnnamed,
			sender: sender(MARIA_JID, '5511988887777', null),
			details: { presence: 'composing', lastSeen: null, presences: [{ id: MARIA_JID, presence: 'composing', lastSeen: null }] },
		}),
	],
	'evolution/presence.update.v2.json': [
		evo('presence.updated', 'presence.update', {
			chat: groupChat,
			details: {
				presence: 'available',
				lastSeen: '2024-06-03T16:00:00.000Z',
				presences: [
					{ id: JOAO_JID, presence: 'available', lastSeen: '2024-06-03T16:00:00.000Z' },
					{ id: '5511966665555@s.whatsapp.net', presence: 'recording', lastSeen: null },
				],
			},
		}),
	],
	// ---------------- Evolution: groups, calls, labels, bots ----------------
	'evolution/groups.upsert.v1.json': [
		evo('group.updated', 'groups.upsert', {
			chat: chat(GROUP_JID, null, null, true, 'Team'),
			details: {
				subject: 'Team',
				description: 'Team chat',
				owner: OWN_JID,
				size: 2,
				announce: false,
				restrict: false,
				createdAt: '2024-06-03T07:33:20.000Z',
				participants: [
					{ id: OWN_JID, phone: '5511911112222', lid: null, name: null, admin: 'superadmin' },
					{ id: JOAO_JID, phone: '5511977776666', lid: null, name: null, admin: null },
				],
			},
		}),
	],
	'evolution/groups.upsert.v2.json': [
		evo('group.updated', 'groups.upsert', {
			chat: chat(GROUP_JID, null, null, true, 'Team'),
			details: {
				subject: 'Team',
				description: 'Team chat',
				owner: OWN_JID,
				size: 2,
				announce: false,
				restrict: false,
				createdAt: '2024-06-03T07:33:20.000Z',
				participants: [
					{ id: '111111111111111@lid', phone: '5511911112222', lid: '111111111111111@lid', name: null, admin: 'superadmin' },
					{ id: '222222222222222@lid', phone: '5511977776666', lid: '222222222222222@lid', name: null, admin: null },
				],
			},
		}),
	],
	'evolution/group-participants.update.v1.json': [
		evo('group.participants', 'group-participants.update', {
			chat: groupChat,
			sender: sender(OWN_JID, '5511911112222', null),
			details: { action: 'add', participants: [{ id: JOAO_JID, phone: '5511977776666', lid: null, name: null, admin: null }] },
		}),
	],
	'evolution/group-participants.update.v2.json': [
		evo('group.participants', 'group-participants.update', {
			chat: groupChat,
			sender: sender(OWN_JID, '5511911112222', null),
			details: { action: 'promote', participants: [{ id: JOAO_JID, phone: '5511977776666', lid: null, name: 'João', admin: null }] },
		}),
	],
	'evolution/group-participants.update-objects.v2.json': [
		evo('group.participants', 'group-participants.update', {
			chat: groupChat,
			sender: sender('111111111111111@lid', null, null),
			details: {
				action: 'remove',
				participants: [{ id: '222222222222222@lid', phone: '5511977776666', lid: '222222222222222@lid', name: null, admin: null }],
			},
		}),
	],
	'evolution/call.v1.json': [
		evo('call', 'call', {
			chat: mariaChatUnnamed,
			sender: sender(MARIA_JID, '5511988887777', null),
			details: { callId: 'CALL0A1B2C3D4E5F', status: 'offer', isVideo: false, isGroup: false, offline: false, date: '2024-06-03T10:00:00.000Z' },
		}),
	],
	'evolution/call.v2.json': [
		evo('call', 'call', {
			chat: groupChat,
			sender: sender(MARIA_JID, '5511988887777', null),
			details: { callId: 'CALL0A1B2C3D4E60', status: 'reject', isVideo: true, isGroup: true, offline: false, date: '2025-06-01T12:00:00.000Z' },
		}),
	],
	'evolution/labels.edit.v1.json': [
		evo('label.updated', 'labels.edit', { details: { label: { id: '3', name: 'New customer', color: '1', deleted: false, predefinedId: '1' } } }),
	],
	'evolution/labels.edit.v2.json': [
		evo('label.updated', 'labels.edit', { details: { label: { id: '7', name: 'Paid', color: '4', deleted: true, predefinedId: null } } }),
	],
	'evolution/labels.association.v1.json': [
		evo('label.associated', 'labels.association', { chat: mariaChatUnnamed, details: { action: 'add', labelId: '3' } }),
	],
	'evolution/labels.association.v2.json': [
		evo('label.associated', 'labels.association', { chat: groupChat, details: { action: 'remove', labelId: '7' } }),
	],
	'evolution/typebot.start.v1.json': [
		evo('bot.updated', 'typebot.start', {
			chat: mariaChatUnnamed,
			details: { url: 'https://typebot.example.com', typebot: 'support-flow', variables: [{ name: 'pushName', value: 'Maria' }], sessionId: 'sess-01' },
		}),
	],
	'evolution/typebot.start.v2.json': [
		evo('bot.updated', 'typebot.start', {
			chat: mariaChatUnnamed,
			details: {
				url: 'https://typebot.example.com',
				typebot: 'support-flow',
				prefilledVariables: { remoteJid: MARIA_JID, pushName: 'Maria' },
				sessionId: 'sess-02',
			},
		}),
	],
	'evolution/typebot.change-status.v2.json': [
		evo('bot.updated', 'typebot.change-status', {
			chat: mariaChatUnnamed,
			details: { status: 'paused', session: { id: 'cm1sess', sessionId: 'sess-02', status: 'paused' } },
		}),
	],
	'evolution/chama-ai.action.v1.json': [
		evo('bot.updated', 'chama-ai.action', {
			chat: mariaChatUnnamed,
			details: { message: 'Transferring to an agent', jsonStatement: { action: 'transfer' } },
		}),
	],
	// ---------------- Evolution: connection and instance ----------------
	'evolution/connection.update.v1.json': [
		evo('connection.updated', 'connection.update', { details: { state: 'open', statusReason: 200, wuid: null, profileName: null, profilePictureUrl: null } }),
	],
	'evolution/connection.update.v2.json': [
		evo('connection.updated', 'connection.update', {
			details: {
				state: 'open',
				statusReason: 200,
				wuid: OWN_JID,
				profileName: 'My Shop',
				profilePictureUrl: 'https://pps.whatsapp.net/v/t61.24694-24/shop.jpg',
			},
		}),
	],
	'evolution/connection.update-close.v2.json': [
		evo('connection.updated', 'connection.update', { details: { state: 'close', statusReason: 401, wuid: null, profileName: null, profilePictureUrl: null } }),
	],
	'evolution/qrcode.updated.v1.json': [
		evo('qrcode.updated', 'qrcode.updated', { details: { code: '2@AbCdEf,GhIjKl,MnOpQr', base64: 'data:image/png;base64,iVBORw0KGgo=', pairingCode: null } }),
	],
	'evolution/qrcode.updated.v2.json': [
		evo('qrcode.updated', 'qrcode.updated', { details: { code: '2@XyZ,123,456', base64: 'data:image/png;base64,iVBORw0KGgoAAA=', pairingCode: 'WZYEH1YY' } }),
	],
	'evolution/qrcode.updated-limit.v2.json': [
		evo('qrcode.updated', 'qrcode.updated', { details: { message: 'QR code limit reached, please login again', statusCode: 500 } }),
	],
	'evolution/instance.create.v2.json': [
		evo('instance.created', 'instance.create', { instance: 'inst2', details: { instanceId: '7c1d2e3f-4a5b-4c6d-8e9f-a0b1c2d3e4f5' } }),
	],
	'evolution/instance.delete.v2.json': [
		evo('instance.deleted', 'instance.delete', { instance: 'inst2', details: { instanceId: '7c1d2e3f-4a5b-4c6d-8e9f-a0b1c2d3e4f5' } }),
	],
	'evolution/status.instance.v1.json': [evo('instance.status', 'status.instance', { details: { status: 'closed', disconnectedAt: null, reasonCode: null } })],
	'evolution/status.instance.v2.json': [
		evo('instance.status', 'status.instance', { details: { status: 'closed', disconnectedAt: '2025-06-01T12:30:00.000Z', reasonCode: 401 } }),
	],
	'evolution/remove.instance.v2.json': [evo('instance.removed', 'remove.instance')],
	'evolution/logout.instance.v2.json': [evo('instance.logged-out', 'logout.instance')],
	// The JWT is a credential: the item says a token was issued, without it.
	'evolution/new.jwt.v1.json': [evo('instance.token', 'new.jwt')],
	'evolution/error.v2.json': [
		item({
			source: 'evolution',
			event: 'unknown',
			originalEvent: 'error',
			reason: 'An Evolution API error report (ERRORS event), not a WhatsApp event',
		}),
	],

	// ---------------- Whazing ----------------
	'whazing/message.received.v2.16.json': [
		item({
			source: 'whazing',
			event: 'message.received',
			instance: 'Atendimento',
			chat: chat('5511988887777', '5511988887777', '126409561346102@lid', false, 'Maria Souza'),
			sender: sender('1207', '5511988887777', 'Maria Souza'),
			message: message({
				id: '3EB0C5A17F2B9D44E1A0',
				type: 'text',
				text: 'Oi, meu pedido ainda não chegou',
				fromMe: false,
				// 1767262800000 is milliseconds (text messages).
				timestamp: '2026-01-01T10:20:00.000Z',
				status: 'received',
			}),
			ticket: ticket({ id: '4821', status: 'pending', protocol: '202601010001', queue: { id: '3', name: null }, externalKey: 'PEDIDO-99812' }),
			contact: contact({
				id: '1207',
				name: 'Maria Souza',
				phone: '5511988887777',
				lid: '126409561346102@lid',
				pictureUrl: 'https://pps.whatsapp.net/v/t61.24694-24/abc.jpg',
			}),
			details: { connectionId: '2', sendType: null, reactions: [] },
		}),
	],
	'whazing/message.received-reply.v2.16.json': [
		item({
			source: 'whazing',
			event: 'message.received',
			instance: 'Atendimento',
			chat: chat('5511988887777', '5511988887777', '126409561346102@lid', false, 'Maria Souza'),
			sender: sender('1207', '5511988887777', 'Maria Souza'),
			message: message({
				id: '3EB0C5A17F2B9D44E1B1',
				type: 'text',
				text: 'Pode ser amanhã',
				fromMe: false,
				timestamp: '2026-01-01T10:23:20.000Z',
				quotedId: 'BAE5F1D2C3B4A5960001',
				// quotedMsg written by an agent (fromMe): no contact, so no phone.
				quoted: { id: 'BAE5F1D2C3B4A5960001', type: 'text', text: 'Podemos entregar hoje ou amanhã?', caption: null, author: { id: null, phone: null, lid: null, fromMe: true } },
				status: 'received',
			}),
			ticket: ticket({ id: '4821', status: 'pending', protocol: '202601010001', queue: { id: '3', name: null }, externalKey: 'PEDIDO-99812' }),
			contact: contact({
				id: '1207',
				name: 'Maria Souza',
				phone: '5511988887777',
				lid: '126409561346102@lid',
				pictureUrl: 'https://pps.whatsapp.net/v/t61.24694-24/abc.jpg',
			}),
			details: { connectionId: '2', sendType: null, reactions: [] },
		}),
	],
	'whazing/message.received-ptt.v2.16.json': [
		item({
			source: 'whazing',
			event: 'message.received',
			instance: 'Atendimento',
			chat: chat('5511988887777', '5511988887777', '126409561346102@lid', false, 'Maria Souza'),
			sender: sender('1207', '5511988887777', 'Maria Souza'),
			message: message({
				id: '3EB0B64B64B64B64B650',
				type: 'audio',
				// mediaType "ptt": a voice note.
				media: { type: 'audio', mimetype: 'audio/ogg', fileName: '1767262960789.ogg', url: 'https://api.empresa.com.br:443/public/1767262960789.ogg', hasBase64: false, ptt: true },
				fromMe: false,
				timestamp: '2026-01-01T10:22:40.000Z',
				status: 'received',
			}),
			ticket: ticket({ id: '4821', status: 'open', protocol: '202601010001', queue: { id: '3', name: null }, externalKey: 'PEDIDO-99812' }),
			contact: contact({
				id: '1207',
				name: 'Maria Souza',
				phone: '5511988887777',
				lid: '126409561346102@lid',
				pictureUrl: 'https://pps.whatsapp.net/v/t61.24694-24/abc.jpg',
			}),
			details: { connectionId: '2', sendType: null, reactions: [] },
		}),
	],
	'whazing/message.received-loose-scalars.v2.16.json': [
		item({
			source: 'whazing',
			// fromMe "0", isDeleted "false", isGroup "false"/"0", timestamp as text.
			event: 'message.received',
			instance: 'Atendimento',
			chat: chat('5511988887777', '5511988887777', '126409561346102@lid', false, 'Maria Souza'),
			sender: sender('1207', '5511988887777', 'Maria Souza'),
			message: message({ id: '3EB0C5A17F2B9D44E1C2', type: 'text', text: 'Ok, obrigado', fromMe: false, timestamp: '2026-01-01T10:25:00.000Z', status: 'received' }),
			ticket: ticket({ id: '4821', status: 'pending', protocol: '202601010001', queue: { id: '3', name: null }, externalKey: 'PEDIDO-99812' }),
			contact: contact({
				id: '1207',
				name: 'Maria Souza',
				phone: '5511988887777',
				lid: '126409561346102@lid',
				pictureUrl: 'https://pps.whatsapp.net/v/t61.24694-24/abc.jpg',
			}),
			details: { connectionId: '2', sendType: null, reactions: [] },
		}),
	],
	'whazing/message.sent-media.v2.16.json': [
		item({
			source: 'whazing',
			event: 'message.sent',
			instance: 'Atendimento',
			chat: chat('5511988887777', '5511988887777', null, false, 'Maria Souza'),
			sender: sender('7', null, 'Carlos'),
			message: message({
				id: 'BAE5F1D2C3B4A5968778',
				type: 'image',
				caption: 'Segue o comprovante',
				media: {
					type: 'image',
					mimetype: 'image/jpeg',
					fileName: '1767262850123.jpeg',
					url: 'https://api.empresa.com.br:443/public/1767262850123.jpeg',
					hasBase64: false,
					ptt: null,
				},
				fromMe: true,
				// 1767262850 is seconds (media messages).
				timestamp: '2026-01-01T10:20:50.000Z',
				status: 'sent',
			}),
			ticket: ticket({
				id: '4821',
				status: 'open',
				protocol: '202601010001',
				queue: { id: '3', name: null },
				user: { id: '7', name: 'Carlos', email: 'carlos@empresa.com.br' },
			}),
			contact: contact({ id: '1207', name: 'Maria Souza', phone: '5511988887777' }),
			details: { connectionId: '2', sendType: 'chat', reactions: [] },
		}),
	],
	'whazing/message.received-base64.v2.16.json': [
		item({
			source: 'whazing',
			event: 'message.received',
			instance: 'Atendimento',
			chat: chat('5511988887777', '5511988887777', '126409561346102@lid', false, 'Maria Souza'),
			sender: sender('1207', '5511988887777', 'Maria Souza'),
			message: message({
				id: '3EB0B64B64B64B64B640',
				type: 'audio',
				media: {
					type: 'audio',
					mimetype: 'audio/ogg',
					fileName: '1767262900456.ogg',
					url: 'https://api.empresa.com.br:443/public/1767262900456.ogg',
					hasBase64: true,
					ptt: null,
				},
				fromMe: false,
				timestamp: '2026-01-01T10:21:40.000Z',
				status: 'received',
			}),
			// Only externalKey survives from the Izing-style apiConfig (token, authToken… dropped).
			ticket: ticket({ id: '4821', status: 'open', protocol: '202601010001', queue: { id: '3', name: null }, externalKey: 'PEDIDO-99812' }),
			contact: contact({
				id: '1207',
				name: 'Maria Souza',
				phone: '5511988887777',
				lid: '126409561346102@lid',
				pictureUrl: 'https://pps.whatsapp.net/v/t61.24694-24/abc.jpg',
			}),
			details: { connectionId: '2', sendType: null, reactions: [] },
		}),
	],
	'whazing/message.edited.v2.16.json': [
		item({
			source: 'whazing',
			event: 'message.edited',
			instance: 'Atendimento',
			chat: chat('5511988887777', '5511988887777', '126409561346102@lid', false, 'Maria Souza'),
			sender: sender('1207', '5511988887777', 'Maria Souza'),
			message: message({
				id: '3EB0C5A17F2B9D44E1A0',
				type: 'text',
				text: 'Oi, meu pedido 99812 ainda não chegou',
				fromMe: false,
				timestamp: '2026-01-01T10:20:00.000Z',
				status: 'received',
			}),
			ticket: ticket({ id: '4821', status: 'open', protocol: '202601010001', queue: { id: '3', name: null }, externalKey: 'PEDIDO-99812' }),
			contact: contact({
				id: '1207',
				name: 'Maria Souza',
				phone: '5511988887777',
				lid: '126409561346102@lid',
				pictureUrl: 'https://pps.whatsapp.net/v/t61.24694-24/abc.jpg',
			}),
			details: { connectionId: '2', sendType: null, reactions: [{ emoji: '👍', userId: '7' }] },
		}),
	],
	'whazing/message.deleted.v2.16.json': [
		item({
			source: 'whazing',
			event: 'message.deleted',
			instance: 'Atendimento',
			chat: chat('5511988887777', '5511988887777', '126409561346102@lid', false, 'Maria Souza'),
			sender: sender('1207', '5511988887777', 'Maria Souza'),
			message: message({
				id: '3EB0C5A17F2B9D44E1A0',
				type: 'text',
				text: 'Oi, meu pedido ainda não chegou',
				fromMe: false,
				timestamp: '2026-01-01T10:20:00.000Z',
				status: 'deleted',
			}),
			ticket: ticket({ id: '4821', status: 'open', protocol: '202601010001', queue: { id: '3', name: null } }),
			contact: contact({
				id: '1207',
				name: 'Maria Souza',
				phone: '5511988887777',
				lid: '126409561346102@lid',
				pictureUrl: 'https://pps.whatsapp.net/v/t61.24694-24/abc.jpg',
			}),
			details: { connectionId: '2', sendType: null, reactions: [] },
		}),
	],
	'whazing/message.received-group.v2.16.json': [
		item({
			source: 'whazing',
			event: 'message.received',
			instance: 'Atendimento',
			chat: chat('120363041234567890', null, null, true, 'Equipe Vendas'),
			// contactmessage: the member who wrote, not the group.
			sender: sender('1301', '5511977776666', 'João Lima'),
			message: message({ id: '3A5F0C9B1E2D4F6A8B70', type: 'text', text: 'Bom dia, grupo', fromMe: false, timestamp: '2026-01-01T10:23:20.000Z', status: 'received' }),
			ticket: ticket({ id: '4900', status: 'open', protocol: '202601010050' }),
			contact: contact({ id: '1300', name: 'Equipe Vendas' }),
			details: { connectionId: '2', sendType: null, reactions: [] },
		}),
	],
	'whazing/message.received.v2024-queue.json': [
		item({
			source: 'whazing',
			event: 'message.received',
			instance: 'Suporte',
			chat: chat('5531999990000', '5531999990000', null, false, 'Pedro'),
			sender: sender('88', '5531999990000', 'Pedro'),
			message: message({ id: '3EB0OLD0000000000001', type: 'text', text: 'Preciso de ajuda', fromMe: false, timestamp: '2024-11-07T17:20:00.000Z', status: 'received' }),
			ticket: ticket({ id: '310', status: 'open', queue: { id: '2', name: null } }),
			contact: contact({ id: '88', name: 'Pedro', phone: '5531999990000', email: 'pedro@example.com' }),
			details: { connectionId: '1', sendType: null, reactions: [] },
		}),
	],
	'whazing/NewTicket.v2.16.json': [
		item({
			source: 'whazing',
			event: 'ticket.created',
			originalEvent: 'NewTicket',
			instance: 'Atendimento',
			chat: chat('5511988887777', '5511988887777', null, false, 'Maria Souza'),
			ticket: ticket({ id: '4821', status: 'pending', protocol: '202601010001', queue: { id: '3', name: null } }),
			contact: contact({ id: '1207', name: 'Maria Souza', phone: '5511988887777' }),
			details: { connectionId: '2', lastMessage: 'Oi, meu pedido ainda não chegou', closingReasonId: null },
		}),
	],
	'whazing/NewTicketUserCreate.v2.16.json': [
		item({
			source: 'whazing',
			event: 'ticket.created',
			originalEvent: 'NewTicketUserCreate',
			instance: 'Atendimento',
			chat: chat('5511988887777', '5511988887777', null, false, 'Maria Souza'),
			ticket: ticket({ id: '4822', status: 'open', protocol: '202601010002', user: { id: '7', name: null, email: null } }),
			contact: contact({ id: '1207', name: 'Maria Souza', phone: '5511988887777' }),
			details: { connectionId: '2', lastMessage: null, closingReasonId: null },
		}),
	],
	'whazing/TransferTicket.v2.16.json': [
		item({
			source: 'whazing',
			event: 'ticket.transferred',
			originalEvent: 'TransferTicket',
			instance: 'Atendimento',
			chat: chat('5511988887777', '5511988887777', null, false, 'Maria Souza'),
			ticket: ticket({
				id: '4821',
				status: 'open',
				protocol: '202601010001',
				queue: { id: '5', name: null },
				externalKey: 'PEDIDO-99812',
				user: { id: '9', name: null, email: null },
			}),
			contact: contact({ id: '1207', name: 'Maria Souza', phone: '5511988887777' }),
			details: { connectionId: '2', lastMessage: 'Vou transferir para o financeiro', closingReasonId: null },
		}),
	],
	'whazing/ClosedTicket.v2.16.json': [
		item({
			source: 'whazing',
			event: 'ticket.closed',
			originalEvent: 'ClosedTicket',
			instance: 'Atendimento',
			chat: chat('5511988887777', '5511988887777', null, false, 'Maria Souza'),
			ticket: ticket({
				id: '4821',
				status: 'closed',
				protocol: '202601010001',
				queue: { id: '3', name: null },
				externalKey: 'PEDIDO-99812',
				user: { id: '7', name: null, email: null },
			}),
			contact: contact({ id: '1207', name: 'Maria Souza', phone: '5511988887777' }),
			details: { connectionId: '2', lastMessage: 'Obrigado pelo contato!', closingReasonId: '2' },
		}),
	],
	'whazing/test-ping.v3.json': [],

	// ---------------- Whaticket SaaS ----------------
	// ---------------- Izing API hooks ----------------
	'izing/hookMessage.json': [
		item({
			source: 'izing',
			event: 'message.received',
			originalEvent: 'hookMessage',
			chat: mariaChat,
			sender: mariaSender,
			message: message({
				id: '3EB0120ABCDEF9876543',
				type: 'text',
				text: 'Quero falar sobre o pedido 99812',
				fromMe: false,
				// The message's own messageTimestamp, not the hook's timestamp.
				timestamp: '2026-01-01T10:39:50.000Z',
				quotedId: '3EB0000000000000AAAA',
				// The hook does not say which number is connected: fromMe of the author is unknown.
				quoted: { id: '3EB0000000000000AAAA', type: 'text', text: 'Seu pedido foi enviado', caption: null, author: { id: OWN_JID, phone: '5511911112222', lid: null, fromMe: null } },
			}),
			ticket: ticket({ id: '5120', externalKey: 'PEDIDO-99812' }),
			details: { hookTimestamp: '2026-01-01T10:40:00.123Z' },
		}),
	],
	'izing/hookMessageStatus.json': [
		item({
			source: 'izing',
			event: 'message.updated',
			originalEvent: 'hookMessageStatus',
			// ack 3 (whatsapp-web.js ACK_READ) is read.
			message: message({ id: 'BAE5F1D2C3B4A5960077', type: 'other', status: 'read' }),
			ticket: ticket({ externalKey: 'PEDIDO-99812' }),
			details: { ack: 3 },
		}),
	],
	'izing/hookSessionStatus.json': [
		item({
			source: 'izing',
			event: 'connection.updated',
			originalEvent: 'hookSessionStatus',
			instance: 'Comercial',
			// The QR code data URL (~10 KB here) is not copied: only whether there is one.
			details: { state: 'qrcode', name: 'Comercial', number: '5511911112222', phone: '5511911112222', hasQrCode: true, timestamp: '2026-01-01T10:41:40.000Z' },
		}),
	],
	'whaticket/start.saas.json': [
		item({
			source: 'whaticket',
			event: 'message.received',
			originalEvent: 'start',
			instance: 'Comercial',
			chat: chat('5521977776666', '5521977776666', null, false, 'João Lima'),
			sender: sender('5521977776666', '5521977776666', 'João Lima'),
			message: message({ id: null, type: 'text', text: 'Bom dia, preciso da segunda via do boleto', fromMe: false, timestamp: '2026-01-05T11:03:44.902Z' }),
			ticket: ticket({ id: '912', status: 'pending', queue: { id: '4', name: 'Financeiro' }, tags: [{ id: '12', name: 'Boleto' }] }),
			contact: contact({ id: '5510', name: 'João Lima', phone: '5521977776666', pictureUrl: 'https://pps.whatsapp.net/v/t61.24694-24/xyz.jpg' }),
			details: { connectionId: '3', companyId: '1' },
		}),
	],
	'whaticket/start-loose-scalars.saas.json': [
		item({
			source: 'whaticket',
			// fromMe "true" and isGroup "false" as text.
			event: 'message.sent',
			originalEvent: 'start',
			instance: '3',
			// `name` is the raw number when fromMe: not a chat name.
			chat: chat('5521977776666', '5521977776666', null, false, null),
			message: message({ id: null, type: 'text', text: 'Enviado pelo painel', fromMe: true }),
			ticket: ticket({ id: '912', queue: { id: '4', name: null } }),
			details: { connectionId: '3', companyId: '1' },
		}),
	],
	'whaticket/end.saas.json': [
		item({
			source: 'whaticket',
			// The customer typed SAIR: the ticket is closed, and the item carries that message.
			event: 'ticket.closed',
			originalEvent: 'end',
			instance: '3',
			chat: chat('5521977776666', '5521977776666', null, false, 'João Lima'),
			sender: sender('5521977776666', '5521977776666', 'João Lima'),
			message: message({ id: null, type: 'text', text: 'SAIR', fromMe: false }),
			ticket: ticket({ id: '912', status: 'closed', queue: { id: '4', name: 'Financeiro' } }),
			details: { connectionId: '3', companyId: '1', closedBy: 'customer' },
		}),
	],
	'whaticket/start-older.saas.json': [
		item({
			source: 'whaticket',
			event: 'message.received',
			originalEvent: 'start',
			instance: '3',
			// `sender` is the contact object and `chamado` the ticket (older builds).
			chat: chat('5531966665555', '5531966665555', null, false, 'Ana Paula'),
			sender: sender('5531966665555', '5531966665555', 'Ana Paula'),
			message: message({ id: null, type: 'text', text: 'Oi, quero um orçamento', fromMe: false, timestamp: '2026-01-05T12:00:05.000Z' }),
			ticket: ticket({ id: '913', status: 'pending', queue: { id: '5', name: null } }),
			contact: contact({ id: '5511', name: 'Ana Paula', phone: '5531966665555', email: 'ana@example.com', pictureUrl: 'https://pps.whatsapp.net/v/t61.24694-24/ana.jpg' }),
			details: { connectionId: '3', companyId: '1' },
		}),
	],
	'whaticket/raw-baileys.saas.json': [
		item({
			source: 'whaticket',
			event: 'message.received',
			chat: chat('5521977776666@s.whatsapp.net', '5521977776666', null, false, 'João Lima'),
			sender: sender('5521977776666@s.whatsapp.net', '5521977776666', 'João Lima'),
			message: message({
				id: '3EB0RAW0BA11E7500001',
				type: 'image',
				caption: 'Foto do produto',
				// `url` is WhatsApp's encrypted file: not a URL the workflow can download.
				media: { type: 'image', mimetype: 'image/jpeg', fileName: null, url: null, hasBase64: false, ptt: null },
				fromMe: false,
				timestamp: '2026-01-05T12:00:00.000Z',
				// Baileys status 2 is SERVER_ACK.
				status: 'sent',
			}),
		}),
	],
	'whaticket/start-fromme.saas.json': [
		item({
			source: 'whaticket',
			event: 'message.sent',
			originalEvent: 'start',
			instance: 'Comercial',
			chat: chat('5521977776666', '5521977776666', null, false, 'João Lima'),
			sender: sender('7', null, 'Carlos'),
			message: message({ id: null, type: 'text', text: 'Segue a segunda via', fromMe: true, timestamp: '2026-01-05T11:05:00.000Z' }),
			ticket: ticket({
				id: '912',
				status: 'open',
				queue: { id: '4', name: 'Financeiro' },
				tags: [{ id: '12', name: 'Boleto' }],
				user: { id: '7', name: 'Carlos', email: 'carlos@empresa.com.br' },
			}),
			contact: contact({ id: '5510', name: 'João Lima', phone: '5521977776666', pictureUrl: 'https://pps.whatsapp.net/v/t61.24694-24/xyz.jpg' }),
			details: { connectionId: '3', companyId: '1' },
		}),
	],
	'whaticket/start-no-queue.saas.json': [
		item({
			source: 'whaticket',
			event: 'message.received',
			originalEvent: 'start',
			instance: 'Comercial',
			chat: chat('5521977776666', '5521977776666', null, false, 'João Lima'),
			sender: sender('5521977776666', '5521977776666', 'João Lima'),
			message: message({ id: null, type: 'text', text: 'Olá', fromMe: false, timestamp: '2026-01-05T11:03:44.902Z' }),
			ticket: ticket({ id: '912', status: 'pending' }),
			contact: contact({ id: '5510', name: 'João Lima', phone: '5521977776666', pictureUrl: 'https://pps.whatsapp.net/v/t61.24694-24/xyz.jpg' }),
			details: { connectionId: '3', companyId: '1' },
		}),
	],
	'whaticket/tag-sync.saas.json': [
		item({
			source: 'whaticket',
			event: 'tags.synced',
			originalEvent: 'tag-sync',
			chat: chat('5521977776666', '5521977776666', null, false, 'João Lima'),
			ticket: ticket({ id: '912', tags: [{ id: '27', name: 'Lead quente' }] }),
			contact: contact({ id: '5510', name: 'João Lima', phone: '5521977776666' }),
			details: { tags: [{ id: '27', name: 'Lead quente', color: '#DD821A', kanban: 1, prioridade: 0, conversao: 'QUOTE' }] },
		}),
	],
	'whaticket/fila-data.saas.json': [
		item({
			source: 'whaticket',
			event: 'message.received',
			originalEvent: 'fila data',
			// ticketData here lacks whatsapp.name: the connection id names the instance.
			instance: '3',
			chat: chat('5521977776666', '5521977776666', null, false, 'João Lima'),
			sender: sender('5521977776666', '5521977776666', 'João Lima'),
			message: message({
				id: null,
				type: 'document',
				caption: 'comprovante.pdf',
				media: {
					type: 'document',
					mimetype: 'application/pdf',
					fileName: '1767611111222_pdf_comprovante.pdf',
					url: 'https://api.empresa.com.br/public/company1/1767611111222_pdf_comprovante.pdf',
					hasBase64: false,
					ptt: null,
				},
				fromMe: false,
			}),
			ticket: ticket({ id: '912', status: 'open', queue: { id: '4', name: 'Financeiro' } }),
			details: {
				connectionId: '3',
				companyId: '1',
				mediaFolder: 'public/company1',
				mediaName: '1767611111222_pdf_comprovante.pdf',
				backendUrl: 'https://api.empresa.com.br',
			},
		}),
	],
	'whaticket/fila-data-lowercase.saas.json': [
		item({
			source: 'whaticket',
			event: 'message.received',
			originalEvent: 'fila data',
			instance: '3',
			chat: chat('5521977776666', '5521977776666', null, false, 'João Lima'),
			sender: sender('5521977776666', '5521977776666', 'João Lima'),
			message: message({
				id: null,
				type: 'image',
				caption: 'foto',
				media: {
					type: 'image',
					mimetype: 'image/jpeg',
					fileName: '1767611111333 foto.jpg',
					// /public/ inserted, trailing slash of backendurl trimmed, name URL-encoded.
					url: 'https://api.empresa.com.br/public/company1/1767611111333%20foto.jpg',
					hasBase64: false,
					ptt: null,
				},
				fromMe: false,
			}),
			ticket: ticket({ id: '912', status: 'open', queue: { id: '4', name: 'Financeiro' } }),
			details: {
				connectionId: '3',
				companyId: '1',
				mediaFolder: 'company1',
				mediaName: '1767611111333 foto.jpg',
				backendUrl: 'https://api.empresa.com.br/',
			},
		}),
	],
	'whaticket/status-closed.saas.json': [
		item({
			source: 'whaticket',
			event: 'ticket.closed',
			originalEvent: 'closed',
			instance: '3',
			chat: chat('5521977776666', '5521977776666', null, false, 'João Lima'),
			ticket: ticket({ id: '912', status: 'closed', queue: { id: '4', name: null } }),
			details: { connectionId: '3', companyId: '1', lastMessage: 'Obrigado!' },
		}),
	],
	'whaticket/status-open.saas.json': [
		item({
			source: 'whaticket',
			event: 'ticket.status',
			originalEvent: 'open',
			instance: 'Comercial',
			chat: chat('5521977776666', '5521977776666', null, false, 'João Lima'),
			ticket: ticket({ id: '912', status: 'open', queue: { id: '4', name: null } }),
			details: { connectionId: '3', companyId: '1', lastMessage: 'Bom dia, preciso da segunda via do boleto' },
		}),
	],
};

const FIXTURE_FILES = readdirSync(FIXTURES)
	.flatMap((source) => readdirSync(join(FIXTURES, source)).map((file) => `${source}/${file}`))
	.sort();

describe('normalized items for every fixture', () => {
	it('has a hand-written expectation for every fixture file and a file for every expectation', () => {
		expect(FIXTURE_FILES).toEqual(Object.keys(EXPECTED).sort());
	});

	it.each(FIXTURE_FILES)('%s', (path) => {
		const items = normalizeDelivery(load(path));
		expect(items).toStrictEqual(EXPECTED[path]);
		for (const output of items) expect(normalizedItemSchema.safeParse(output).success).toBe(true);
	});

	it.each(FIXTURE_FILES)('%s: same items when the source is given instead of detected', (path) => {
		const source = path.split('/')[0] as 'evolution' | 'whazing' | 'whaticket';
		expect(normalizeDelivery(load(path), { source })).toStrictEqual(EXPECTED[path]);
	});
});
