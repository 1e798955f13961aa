import type { NormalizedItem } from '../model/item';
import { lidOf, phoneOf } from './read/jid';
import { isRecord, type JsonObject } from './read/scalars';
import { lookupOwn } from './read/own';

/**
 * A bounded LID → phone map per Evolution instance, learned from deliveries that pair the two (Baileys 7,
 * Evolution 2.3.x: `remoteJidAlt`, `senderPn`, `participantAlt`, contacts and group participants with
 * `phoneNumber`, chats; see docs/protocol.md#delivery-envelope). A delivery that carries only the LID gets its
 * phone from the map. Plain data (kept in the trigger's static data), changed only when something new
 * is learned, oldest entries dropped first.
 */

/** LID JID → phone digits, oldest first (insertion order). */
export type LidMap = Record<string, string>;
/** Instance name → its map, oldest instance first. */
export type LidMaps = Record<string, LidMap>;

export const LID_MAP_LIMIT = 1000;
export const LID_INSTANCE_LIMIT = 10;
/** Records looked at per delivery (a history sync can carry thousands of messages). */
const RECORD_LIMIT = 2000;
const DEPTH_LIMIT = 3;

/** Key pairs that hold the same party as a LID and as a phone, in one record. */
const PAIRS: ReadonlyArray<readonly [string, string]> = [
	['remoteJid', 'remoteJidAlt'],
	['remoteJid', 'senderPn'],
	['remoteJid', 'senderLid'],
	['participant', 'participantAlt'],
	['participant', 'participantPn'],
	['participant', 'participantLid'],
	['remoteJid', 'lid'],
	['remoteJid', 'phoneNumber'],
	['id', 'phoneNumber'],
	['id', 'lid'],
	['id', 'jid'],
	['lid', 'phoneNumber'],
	['lid', 'jid'],
];
/** Keys whose value may be bare digits; elsewhere only a phone JID is a phone (an `id` may be a database id). */
const DIGIT_KEYS = new Set(['phoneNumber', 'senderPn', 'participantPn']);
/** Message content never pairs parties and can be large. */
const SKIPPED = new Set(['message', 'base64', 'qrcode']);

function phoneAt(record: JsonObject, key: string): string | null {
	const value = record[key];
	if (DIGIT_KEYS.has(key)) return phoneOf(value);
	return typeof value === 'string' && value.includes('@') ? phoneOf(value) : null;
}

/** Every (lid, phone) pair a delivery's `data` holds. */
export function lidPairsOf(data: unknown): Array<[string, string]> {
	const pairs: Array<[string, string]> = [];
	let budget = RECORD_LIMIT;
	const visit = (value: unknown, depth: number): void => {
		if (budget <= 0 || depth > DEPTH_LIMIT) return;
		if (Array.isArray(value)) {
			for (const element of value) visit(element, depth + 1);
			return;
		}
		if (!isRecord(value)) return;
		budget--;
		for (const [a, b] of PAIRS) {
			if (!(a in value) || !(b in value)) continue;
			const lidA = lidOf(value[a]);
			const lidB = lidOf(value[b]);
			const phone = lidA ? phoneAt(value, b) : lidB ? phoneAt(value, a) : null;
			if (phone !== null) pairs.push([(lidA ?? lidB) as string, phone]);
		}
		for (const key in value) {
			const inner = value[key];
			if (!SKIPPED.has(key) && typeof inner === 'object' && inner !== null) visit(inner, depth + 1);
		}
	};
	visit(data, 0);
	return pairs;
}

/** The maps with the pairs learned, or null when nothing changed (so static data is written only then). */
export function learnLids(maps: LidMaps, instance: string, pairs: Array<[string, string]>): LidMaps | null {
	const current = lookupOwn(maps, instance);
	let next: LidMap | null = null;
	for (const [lid, phone] of pairs) {
		const known = next ? lookupOwn(next, lid) : current ? lookupOwn(current, lid) : undefined;
		if (known === phone) continue;
		next ??= { ...(current ?? {}) };
		// A changed phone moves the entry to the newest end.
		delete next[lid];
		next[lid] = phone;
	}
	if (!next) return null;
	const lids = Object.keys(next);
	for (let index = 0; index < lids.length - LID_MAP_LIMIT; index++) delete next[lids[index]];
	const result: LidMaps = {};
	const others = Object.keys(maps).filter((name) => name !== instance);
	for (const name of others.slice(Math.max(0, others.length - (LID_INSTANCE_LIMIT - 1)))) result[name] = maps[name];
	result[instance] = next;
	return result;
}

/** Fills a LID-only chat's or sender's phone from the map; says so in phoneSource. */
export function fillLearnedPhones(item: NormalizedItem, map: LidMap | undefined): void {
	fillPhones(item, map, 'learned');
}

/** Fills a LID-only chat's or sender's phone from `map`, with `source` (learned map, or the server's answer) in phoneSource. */
export function fillPhones(item: NormalizedItem, map: LidMap | undefined, source: 'learned' | 'server'): void {
	if (!map) return;
	const chat = item.chat;
	if (chat && !chat.isGroup && chat.phone === null && chat.lid !== null) {
		const phone = lookupOwn(map, chat.lid);
		if (phone !== undefined) {
			chat.phone = phone;
			chat.phoneSource = source;
		}
	}
	const sender = item.sender;
	const senderLid = sender ? lidOf(sender.id) : null;
	if (sender && sender.phone === null && senderLid !== null) {
		const phone = lookupOwn(map, senderLid);
		if (phone !== undefined) {
			sender.phone = phone;
			sender.phoneSource = source;
		}
	}
}

/** Plain data read back from static data: only string → string entries survive. */
export function lidMapsOf(value: unknown): LidMaps {
	if (!isRecord(value)) return {};
	const maps: LidMaps = {};
	for (const [instance, map] of Object.entries(value)) {
		if (!isRecord(map)) continue;
		const clean: LidMap = {};
		for (const [lid, phone] of Object.entries(map)) if (typeof phone === 'string' && lidOf(lid)) clean[lid] = phone;
		maps[instance] = clean;
	}
	return maps;
}
