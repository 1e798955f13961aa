import { z } from 'zod';

import type { NormalizedEventName } from '../model/event-names';
import type { MessageType, NormalizedContact, NormalizedItem, NormalizedTicket } from '../model/item';
import { whaticketEventOf } from './helpdesk-events';
import { isRawBaileysMessage, rawBaileysItem } from './raw-baileys';
import { chatParty, emptyItem, senderParty } from './items';
import { phoneOf } from './read/jid';
import { jsonObject, looseBoolean, looseReader, scalarId, tolerant } from './read/loose';
import { mimetypeOfName } from './read/mime';
import { boolOf, getCaseless, idOf, isRecord, numberOf, textOf, type JsonObject } from './read/scalars';
import { isoFromDateText } from './read/time';

/**
 * "Whaticket SaaS" (Portuguese keys) deliveries → normalized items (see docs/protocol.md#helpdesk-payloads).
 * Message events (`acao:"start"`), the tag event (`action:"tag-sync"`), the file event
 * (`acao:"fila data"`) and status events (`acao` = the new status). The file and status shapes are
 * inferred from the source code, not seen on a live server, so top-level keys are read case-insensitively.
 */

export const whaticketTicketDataSchema = z
	.object({
		id: tolerant(scalarId),
		status: tolerant(z.string()),
		lastMessage: tolerant(z.string()),
		isGroup: tolerant(looseBoolean),
		whatsappId: tolerant(scalarId),
		queueId: tolerant(scalarId),
		updatedAt: tolerant(z.string()),
		contact: tolerant(jsonObject),
		user: tolerant(jsonObject),
		queue: tolerant(jsonObject),
		whatsapp: tolerant(jsonObject),
		tags: tolerant(z.array(z.unknown())),
	})
	.passthrough();
type TicketData = z.infer<typeof whaticketTicketDataSchema>;
const readTicketData = looseReader(whaticketTicketDataSchema);

const EMPTY_TICKET_DATA: TicketData = {};

export function normalizeWhaticket(body: unknown): NormalizedItem[] {
	const payload: JsonObject = isRecord(body) ? body : {};
	const field = (key: string) => getCaseless(payload, key);
	const action = textOf(field('action'));
	if (action !== null && whaticketEventOf(action.toLowerCase().replace(/[\s_]/g, '-')) === 'tags.synced') return [tagSyncItem(payload, action)];
	if (isRawBaileysMessage(payload)) return [rawBaileysItem(payload)];
	// Older builds send the ticket as `chamado` instead of `ticketData`.
	const ticketData = readTicketData(field('ticketData')) ?? readTicketData(field('chamado')) ?? EMPTY_TICKET_DATA;
	const acao = textOf(field('acao'));
	const acaoKey = acao?.toLowerCase().trim() ?? '';
	const statusEvent = ticketEventOf(acaoKey);
	const isFile = acaoKey.replace(/[\s_-]/g, '') === 'filadata';
	const fromMe = boolOf(field('fromMe'));
	const event: NormalizedEventName = statusEvent ?? (fromMe === true ? 'message.sent' : 'message.received');

	const connectionId = idOf(field('defaultWhatsapp_x')) ?? idOf(ticketData.whatsappId);
	const instance = (ticketData.whatsapp ? textOf(ticketData.whatsapp.name) : null) ?? connectionId;
	const item = emptyItem('whaticket', event, acao, instance);

	const isGroup = boolOf(field('isGroup')) ?? boolOf(ticketData.isGroup) ?? false;
	const sender = field('sender');
	// Older builds send the contact object itself as `sender`.
	const ticketContact = ticketData.contact ?? (isRecord(sender) ? sender : undefined);
	const senderNumber = typeof sender === 'string' || typeof sender === 'number' ? idOf(sender) : isRecord(sender) ? idOf(sender.number) : null;
	const chatNumber = senderNumber ?? (ticketContact ? idOf(ticketContact.number) : null);
	const pushName = textOf(field('name')) ?? (isRecord(sender) ? textOf(sender.name) : null);
	item.contact = ticketContact ? contactOf(ticketContact) : null;
	item.chat = chatParty({
		id: chatNumber,
		phone: isGroup ? null : phoneOf(chatNumber),
		lid: null,
		isGroup,
		// `name` is the push name, or the raw number when fromMe: only a real name names the chat.
		name: (ticketContact ? textOf(ticketContact.name) : null) ?? (isGroup || pushName === null || /^\d+$/.test(pushName) ? null : pushName),
	});
	item.ticket = ticketOf(payload, ticketData, acaoKey);
	const details: JsonObject = { connectionId, companyId: idOf(field('companyId')) };

	if (statusEvent && acaoKey !== 'end') {
		details.lastMessage = textOf(field('mensagem')) ?? textOf(ticketData.lastMessage);
		item.details = details;
		return [item];
	}
	// acao "end": the customer typed SAIR and the ticket closed. One ticket.closed item carrying that message.
	const closedByCustomer = acaoKey === 'end';

	if (fromMe === true && !closedByCustomer) {
		const user = ticketData.user;
		item.sender = user ? senderParty(idOf(user.id), null, textOf(user.name)) : null;
	} else if (isGroup) {
		// `sender` is the group here; only the writer's push name is known.
		item.sender = pushName ? senderParty(null, null, pushName) : null;
	} else {
		item.sender = senderParty(chatNumber, phoneOf(chatNumber), pushName);
	}
	const text = textOf(field('mensagem'));
	item.message = {
		id: null,
		type: 'text',
		text,
		caption: null,
		media: null,
		fromMe: closedByCustomer ? false : fromMe,
		// No timestamp in the payload; the ticket's updatedAt is the closest fact.
		timestamp: isoFromDateText(ticketData.updatedAt),
		quotedId: null,
		quoted: null,
		status: null,
	};
	if (closedByCustomer) details.closedBy = 'customer';
	if (isFile) {
		const mediaName = textOf(field('mediaName'));
		const mediaFolder = textOf(field('mediaFolder'));
		const backendUrl = textOf(field('backendUrl'));
		const mimetype = mimetypeOfName(mediaName);
		const type = mediaTypeOf(mimetype);
		item.message.type = type;
		item.message.text = null;
		item.message.caption = text;
		item.message.media = {
			type,
			mimetype,
			fileName: mediaName,
			url: whaticketMediaUrl(backendUrl, mediaFolder, mediaName),
			hasBase64: false,
			ptt: null,
		};
		details.mediaFolder = mediaFolder;
		details.mediaName = mediaName;
		details.backendUrl = backendUrl;
	}
	item.details = details;
	return [item];
}

/** A ticket event named by `acao` (open, pending, closed, end), else undefined (a message). */
function ticketEventOf(acaoKey: string): NormalizedEventName | undefined {
	const event = whaticketEventOf(acaoKey);
	return event?.startsWith('ticket.') ? event : undefined;
}

function mediaTypeOf(mimetype: string | null): Extract<MessageType, 'image' | 'video' | 'audio' | 'document'> {
	if (mimetype?.startsWith('image/')) return 'image';
	if (mimetype?.startsWith('video/')) return 'video';
	if (mimetype?.startsWith('audio/')) return 'audio';
	return 'document';
}

/**
 * `${backendUrl}/${mediaFolder}/${encodeURIComponent(mediaName)}`, with `/public/` inserted when the
 * folder does not start with it. Null when a part is missing.
 */
export function whaticketMediaUrl(backendUrl: string | null, mediaFolder: string | null, mediaName: string | null): string | null {
	if (!backendUrl || !mediaName || !/^https?:\/\//i.test(backendUrl)) return null;
	let folder = (mediaFolder ?? '').replace(/^\/+|\/+$/g, '');
	if (!/^public(\/|$)/.test(folder)) folder = folder ? `public/${folder}` : 'public';
	return `${backendUrl.replace(/\/+$/, '')}/${folder}/${encodeURIComponent(mediaName)}`;
}

function contactOf(contact: JsonObject): NormalizedContact {
	return {
		id: idOf(contact.id),
		name: textOf(contact.name),
		phone: phoneOf(contact.number),
		lid: null,
		email: textOf(contact.email),
		pictureUrl: textOf(contact.profilePicUrl),
	};
}

function tagsOf(value: unknown): NormalizedTicket['tags'] {
	if (!Array.isArray(value)) return [];
	return value.filter(isRecord).map((tag) => ({ id: idOf(tag.id), name: textOf(tag.name) }));
}

function ticketOf(payload: JsonObject, ticketData: TicketData, acaoKey: string): NormalizedTicket {
	const queue = ticketData.queue;
	// filaescolhida / filaescolhidaid are omitted (not null) when the ticket has no queue.
	const queueId = idOf(getCaseless(payload, 'filaescolhidaid')) ?? idOf(getCaseless(payload, 'queueId')) ?? idOf(ticketData.queueId) ?? (queue ? idOf(queue.id) : null);
	const queueName = textOf(getCaseless(payload, 'filaescolhida')) ?? (queue ? textOf(queue.name) : null);
	const user = ticketData.user;
	const chamado = getCaseless(payload, 'chamado');
	return {
		id: idOf(getCaseless(payload, 'chamadoId')) ?? idOf(ticketData.id) ?? (isRecord(chamado) ? idOf(chamado.id) : null),
		status: textOf(ticketData.status) ?? (acaoKey === 'end' ? 'closed' : ticketEventOf(acaoKey) ? acaoKey : null),
		protocol: null,
		queue: queueId || queueName ? { id: queueId, name: queueName } : null,
		externalKey: null,
		tags: tagsOf(ticketData.tags),
		user: user ? { id: idOf(user.id), name: textOf(user.name), email: textOf(user.email) } : null,
	};
}

/** {action:"tag-sync", tags:{ticketId, tags:[…]}, contact:{id, name, number}}: the ticket's full tag set. */
function tagSyncItem(payload: JsonObject, action: string): NormalizedItem {
	const item = emptyItem('whaticket', 'tags.synced', action, null);
	const tags = getCaseless(payload, 'tags');
	const wrapper: JsonObject = isRecord(tags) ? tags : {};
	const list = Array.isArray(tags) ? tags : wrapper.tags;
	const contact = getCaseless(payload, 'contact');
	if (isRecord(contact)) {
		item.contact = contactOf(contact);
		item.chat = chatParty({ id: idOf(contact.number), phone: phoneOf(contact.number), lid: null, isGroup: false, name: textOf(contact.name) });
	}
	item.ticket = {
		id: idOf(wrapper.ticketId) ?? idOf(getCaseless(payload, 'ticketId')),
		status: null,
		protocol: null,
		queue: null,
		externalKey: null,
		tags: tagsOf(list),
		user: null,
	};
	item.details = {
		tags: Array.isArray(list)
			? list.filter(isRecord).map((tag) => ({
					id: idOf(tag.id),
					name: textOf(tag.name),
					color: textOf(tag.color),
					kanban: numberOf(tag.kanban),
					prioridade: numberOf(tag.prioridade),
					conversao: textOf(tag.conversao),
				}))
			: [],
	};
	return item;
}
