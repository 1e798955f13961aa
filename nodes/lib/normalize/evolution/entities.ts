import type { NormalizedItem } from '../../model/item';
import { chatParty, senderParty } from '../items';
import { sanitize } from '../sanitize';
import { lidOf, phoneOf } from '../read/jid';
import { boolOf, idOf, isRecord, numberOf, textOf, type JsonObject } from '../read/scalars';
import { isoFromDateText, isoFromEpoch } from '../read/time';
import { baseItem, chatOf, personOf, type EvolutionContext } from './parties';

/** Builders for the catalog's contact, chat, presence, group, call, label and bot shapes. */

function recordOf(element: unknown): JsonObject {
	return isRecord(element) ? element : {};
}

/** contacts.*: v1 {id, pushName, profilePictureUrl}, v2 {remoteJid, pushName, profilePicUrl}. */
export function contactItem(context: EvolutionContext, element: unknown): NormalizedItem {
	const item = baseItem(context);
	const record = recordOf(element);
	const id = textOf(record.remoteJid) ?? textOf(record.id);
	item.contact = {
		id,
		name: textOf(record.pushName) ?? textOf(record.name) ?? textOf(record.notify) ?? textOf(record.verifiedName),
		phone: phoneOf(id) ?? phoneOf(record.phoneNumber),
		lid: lidOf(id) ?? lidOf(record.lid),
		email: null,
		pictureUrl: textOf(record.profilePicUrl) ?? textOf(record.profilePictureUrl) ?? textOf(record.imgUrl),
	};
	return item;
}

/** chats.*: v1 {id: jid}, v2 {remoteJid, name, unreadMessages} or {id: <db id>, name}; chats.delete: JIDs. */
export function chatItem(context: EvolutionContext, element: unknown): NormalizedItem {
	const item = baseItem(context);
	if (typeof element === 'string') {
		item.chat = chatOf(element, null, null);
		return item;
	}
	const record = recordOf(element);
	const rawId = textOf(record.id);
	const jid = textOf(record.remoteJid) ?? (rawId?.includes('@') ? rawId : null);
	item.chat = chatOf(jid, null, textOf(record.name)) ?? chatParty({ id: null, phone: null, lid: null, isGroup: false, name: textOf(record.name) });
	const details: JsonObject = {};
	if (numberOf(record.unreadMessages) !== null) details.unreadMessages = numberOf(record.unreadMessages);
	if (rawId && !rawId.includes('@')) details.databaseId = rawId;
	item.details = Object.keys(details).length > 0 ? details : null;
	return item;
}

/** presence.update: {id, presences: {<jid>: {lastKnownPresence, lastSeen?}}}. */
export function presenceItem(context: EvolutionContext, element: unknown): NormalizedItem {
	const item = baseItem(context);
	const record = recordOf(element);
	const presences = isRecord(record.presences) ? Object.entries(record.presences) : [];
	const list = presences.map(([jid, value]) => ({
		id: jid,
		presence: isRecord(value) ? textOf(value.lastKnownPresence) : null,
		lastSeen: isRecord(value) ? isoFromEpoch(value.lastSeen) : null,
	}));
	item.chat = chatOf(record.id, null, null);
	if (list.length === 1) item.sender = senderParty(list[0].id, phoneOf(list[0].id), null);
	item.details = { presence: list[0]?.presence ?? null, lastSeen: list[0]?.lastSeen ?? null, presences: list };
	return item;
}

interface Participant {
	id: string | null;
	phone: string | null;
	lid: string | null;
	name: string | null;
	admin: string | null;
}

/** Participants as JID strings (Baileys 6) or objects {id, phoneNumber, admin} (Baileys 7), enriched by participantsData. */
function participantsOf(value: unknown, enrichment: unknown): Participant[] {
	if (!Array.isArray(value)) return [];
	const extra = new Map<string, JsonObject>();
	if (Array.isArray(enrichment)) {
		for (const entry of enrichment) if (isRecord(entry) && typeof entry.jid === 'string') extra.set(entry.jid, entry);
	}
	return value.map((participant): Participant => {
		const record = recordOf(participant);
		const id = typeof participant === 'string' ? textOf(participant) : (textOf(record.id) ?? textOf(record.jid));
		const more = id ? extra.get(id) : undefined;
		return {
			id,
			phone: phoneOf(record.phoneNumber) ?? phoneOf(more?.phoneNumber) ?? phoneOf(id),
			lid: lidOf(id) ?? lidOf(record.lid),
			name: textOf(record.name) ?? textOf(more?.name),
			admin: textOf(record.admin),
		};
	});
}

/** groups.upsert / groups.update: Baileys GroupMetadata (or a partial update). */
export function groupItem(context: EvolutionContext, element: unknown): NormalizedItem {
	const item = baseItem(context);
	const record = recordOf(element);
	item.chat = chatParty({ id: textOf(record.id), phone: null, lid: null, isGroup: true, name: textOf(record.subject) });
	item.details = {
		subject: textOf(record.subject),
		description: textOf(record.desc),
		owner: textOf(record.owner),
		size: numberOf(record.size),
		announce: boolOf(record.announce),
		restrict: boolOf(record.restrict),
		createdAt: isoFromEpoch(record.creation),
		participants: participantsOf(record.participants, undefined),
	};
	return item;
}

/** group-participants.update: {id, author, participants, action, participantsData?}. */
export function participantsItem(context: EvolutionContext, element: unknown): NormalizedItem {
	const item = baseItem(context);
	const record = recordOf(element);
	item.chat = chatParty({ id: textOf(record.id), phone: null, lid: null, isGroup: true, name: null });
	item.sender = personOf(record.author, record.authorPn, null);
	item.details = { action: textOf(record.action), participants: participantsOf(record.participants, record.participantsData) };
	return item;
}

/** call: {chatId, from, id, date, isVideo, isGroup, groupJid?, status, offline}. */
export function callItem(context: EvolutionContext, element: unknown): NormalizedItem {
	const item = baseItem(context);
	const record = recordOf(element);
	const chatJid = boolOf(record.isGroup) === true && textOf(record.groupJid) ? record.groupJid : (textOf(record.chatId) ?? record.from);
	item.chat = chatOf(chatJid, null, null);
	item.sender = personOf(record.from, null, null);
	item.details = {
		callId: idOf(record.id),
		status: textOf(record.status),
		isVideo: boolOf(record.isVideo),
		isGroup: boolOf(record.isGroup),
		offline: boolOf(record.offline),
		date: isoFromDateText(record.date) ?? isoFromEpoch(record.date),
	};
	return item;
}

/** labels.edit: {id, name, color, deleted, predefinedId}. */
export function labelItem(context: EvolutionContext, element: unknown): NormalizedItem {
	const item = baseItem(context);
	const record = recordOf(element);
	item.details = {
		label: {
			id: idOf(record.id),
			name: textOf(record.name),
			color: idOf(record.color),
			deleted: boolOf(record.deleted),
			predefinedId: idOf(record.predefinedId),
		},
	};
	return item;
}

/** labels.association: {type: add|remove, chatId, labelId} (some builds nest it under `association`). */
export function labelAssociationItem(context: EvolutionContext, element: unknown): NormalizedItem {
	const item = baseItem(context);
	const outer = recordOf(element);
	const record: JsonObject = isRecord(outer.association) ? outer.association : outer;
	item.chat = chatOf(record.chatId, null, null);
	item.details = { action: textOf(outer.type) ?? textOf(record.type), labelId: idOf(record.labelId) };
	return item;
}

/** typebot.* / chama-ai.action: the session facts go to details (secrets stripped). */
export function botItem(context: EvolutionContext, element: unknown): NormalizedItem {
	const item = baseItem(context);
	const record = recordOf(element);
	item.chat = chatOf(record.remoteJid, null, null);
	const rest: JsonObject = {};
	for (const key of Object.keys(record)) if (key !== 'remoteJid') rest[key] = record[key];
	item.details = Object.keys(rest).length > 0 ? sanitize(rest) : null;
	return item;
}
