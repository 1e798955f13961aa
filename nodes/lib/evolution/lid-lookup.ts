import type { NormalizedItem } from '../model/item';
import { buildNumberCheck, type EvolutionRequest } from '../send/evolution-requests';
import type { LidMap } from '../normalize/lid-map';
import { lidOf, phoneOf } from '../normalize/read/jid';
import { isRecord } from '../normalize/read/scalars';

/**
 * The optional server look-up of a LID's phone (trigger option "Ask the Server for Unknown Phones"),
 * as pure decisions: which LIDs a delivery still lacks a phone for, the request, and how to read the answer.
 *
 * The route: `POST /chat/whatsappNumbers/{instance}` with `{numbers: ["…@lid"]}`. Evolution API 2.3.6
 * (whatsapp.baileys.service.ts `whatsappNumber`) looks every number up in its IsOnWhatsapp cache first,
 * LIDs included; a cache row whose `jidOptions` holds the LID answers `{exists: true, jid: <the row's
 * remoteJid>, number: "…@lid", lid}`, and that remoteJid is the phone JID when the server saved the pair
 * from a message carrying both (`remoteJidAlt`, needs DATABASE_SAVE_IS_ON_WHATSAPP). A LID it does not
 * know comes back as itself (`jid: "…@lid"`), as on 2.3.0 – 2.3.5, which never resolve a LID; older
 * servers answer `exists: false` or rewrite the LID's digits into a phone JID. The contact routes
 * (`chat/findContacts`) cannot help: 2.3.6's Contact rows have no phone besides `remoteJid`.
 */

/** LIDs asked per delivery (one request; a history sync can carry hundreds of chats). */
export const LID_LOOKUP_LIMIT = 20;
/** How long the trigger waits for the answer before it goes on without it (the webhook is answered after). */
export const LID_LOOKUP_TIMEOUT_MS = 3000;

/** The LIDs of person chats and senders that have no phone after the payload and the learned map. */
export function unresolvedLids(items: readonly NormalizedItem[]): string[] {
	const lids = new Set<string>();
	for (const item of items) {
		const chat = item.chat;
		if (chat && !chat.isGroup && chat.phone === null && chat.lid !== null) lids.add(chat.lid);
		const senderLid = item.sender && item.sender.phone === null ? lidOf(item.sender.id) : null;
		if (senderLid) lids.add(senderLid);
		if (lids.size >= LID_LOOKUP_LIMIT) break;
	}
	return [...lids].slice(0, LID_LOOKUP_LIMIT);
}

export function lidLookupRequest(instance: string, lids: string[]): EvolutionRequest {
	return buildNumberCheck({ instance, numbers: lids });
}

/**
 * The LID → phone pairs an answer holds: an entry for one of the LIDs asked, that exists, whose `jid` is a
 * phone JID. A phone made of the LID's own digits is a server that took the LID for a number (1.5.x).
 */
export function phonesFromLookup(answer: unknown, asked: readonly string[]): LidMap {
	const phones: LidMap = {};
	if (!Array.isArray(answer)) return phones;
	for (const entry of answer) {
		if (!isRecord(entry) || entry.exists !== true || typeof entry.number !== 'string' || !asked.includes(entry.number)) continue;
		if (typeof entry.jid !== 'string' || !entry.jid.endsWith('@s.whatsapp.net')) continue;
		const phone = phoneOf(entry.jid);
		if (phone !== null && phone !== entry.number.split('@')[0]) phones[entry.number] = phone;
	}
	return phones;
}
