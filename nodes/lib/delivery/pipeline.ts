import type { NormalizedItem } from '../model/item';
import { inlineMediaOf, mediaUrlOf, type InlineMedia } from '../normalize/media';
import { extensionOf, fileNameOfUrl } from '../normalize/read/mime';
import { unresolvedLids } from '../evolution/lid-lookup';
import { fillLearnedPhones, fillPhones, learnLids, lidPairsOf, type LidMap, type LidMaps } from '../normalize/lid-map';
import { sanitize } from '../normalize/sanitize';
import { isRecord } from '../normalize/read/scalars';
import { lookupOwn } from '../normalize/read/own';
import { RECEIVED, ignore, refuse, retryLater, type DeliveryAnswer } from './answers';
import { coalesce, type StateGroup, type StateUpdate } from './coalesce';
import { batchKey, deliveryKey, hashKey, nextPersisted, persistedHas, readPersisted, type PersistedDeliveries } from './dedupe';
import { passesFilters } from './filters';
import type { OutputRouting } from './outputs';
import { readEvolutionDelivery } from './read-evolution';
import { readHelpdeskDelivery } from './read-helpdesk';
import type { DeliveryRequest, DeliverySettings } from './settings';
import { verifyDelivery } from './verify';

/**
 * THE delivery pipeline of both triggers, as one pure decision: verify → read (per protocol) →
 * filter → dedupe → output. It answers either an HTTP answer that starts nothing, or the items to emit
 * per output with the dedupe keys to record once they are built. Nothing here talks to a server or n8n.
 */

/** Where an emitted item's media file comes from; the n8n adapter turns it into binary data. */
export type MediaSource =
	| { kind: 'inline'; media: InlineMedia }
	| { kind: 'url'; url: string; mimetype: string | null; fileName: string };

export interface PlannedItem {
	json: Record<string, unknown>;
	/** Set when the item is a normalized one (a download failure is noted in its details). */
	normalized: boolean;
	media: MediaSource | null;
}

export interface DeliveryEmission {
	kind: 'emit';
	/** One list per node output. */
	outputs: PlannedItem[][];
	/** Hashed dedupe keys to record in this process's memory once the output is built. */
	remember: string[];
	/** The new value of the trigger's persisted keys (static data), or null when nothing changes. */
	persist: PersistedDeliveries | null;
	/** State groups of coalesced events to record in this process's memory. */
	stateUpdates: StateUpdate[];
	acknowledgement: Record<string, unknown>;
}

/**
 * Ask the server for these LIDs' phones ("Ask the Server for Unknown Phones"), then decide again with its
 * answer (`serverPhones`, empty when it failed). Decided before the filters, so "Only These Chats" sees
 * the phones; nothing is recorded for a delivery until the second decision.
 */
export interface LidLookupNeeded {
	kind: 'lookup';
	instance: string;
	lids: string[];
}

/** `lidMaps`: the LID map after this delivery, only when it taught something new (the adapter stores it). */
export type DeliveryDecision = (DeliveryAnswer | DeliveryEmission | LidLookupNeeded) & { lidMaps?: LidMaps };

/** A normalized item and the index of the array element it came from (for raw output). */
export interface Candidate {
	item: NormalizedItem;
	element: number;
}

/** What reading a delivery gave: an answer, or the candidates and where they go. */
export type ReadDelivery =
	| DeliveryAnswer
	| { kind: 'read'; body: Record<string, unknown>; candidates: Candidate[]; routing: OutputRouting };

/** What the pipeline knows of earlier deliveries, as plain data: the time, this process's memory, the static data. */
export interface DedupeView {
	now: number;
	/** Whether this process recorded the hashed key inside the node's window. */
	recentlySeen: (key: string) => boolean;
	/** The trigger's persisted keys as read from its static data (any shape; unreadable counts as none). */
	persisted: unknown;
	/** This process's groups of coalesced state events (none: every state event is new). */
	stateGroup?: (group: string) => StateGroup | undefined;
}

/** Whether a hashed dedupe key was seen (this process, or the persisted keys) inside the window. */
type SeenBefore = (key: string) => boolean;

/**
 * `lidMaps` (Evolution): the LID → phone maps learned so far. Only verified deliveries teach it, and
 * every event does (a contacts.upsert the workflow does not select still pairs a LID with a phone).
 * `serverPhones`: the server's answer to a `lookup` decision for this same delivery; what it answered is
 * filled in (`phoneSource: "server"`) and learned.
 */
export function decideDelivery(request: DeliveryRequest, settings: DeliverySettings, memory: DedupeView, lidMaps?: LidMaps, serverPhones?: LidMap): DeliveryDecision {
	const verified = verifyDelivery(request, settings.verification);
	if (!verified.ok) return verified.reason === 'activating' ? retryLater(verified.message) : refuse(401, verified.message);

	const lids = lidMaps && settings.protocol === 'evolution' ? learnFrom(request.body, lidMaps, serverPhones) : null;
	const decision = decideVerified(request, settings, memory, lids, serverPhones);
	return lids?.changed ? { ...decision, lidMaps: lids.maps } : decision;
}

interface LidState {
	instance: string;
	maps: LidMaps;
	changed: boolean;
}

/** What the payload pairs, and what the server answered about its LIDs, both taught to the map. */
function learnFrom(body: unknown, maps: LidMaps, serverPhones: LidMap | undefined): LidState | null {
	if (!isRecord(body) || typeof body.instance !== 'string') return null;
	const learned = learnLids(maps, body.instance, [...lidPairsOf(body.data), ...Object.entries(serverPhones ?? {})]);
	return { instance: body.instance, maps: learned ?? maps, changed: learned !== null };
}

function decideVerified(request: DeliveryRequest, settings: DeliverySettings, memory: DedupeView, lids: LidState | null, serverPhones: LidMap | undefined): DeliveryDecision {
	const read = settings.protocol === 'evolution' ? readEvolutionDelivery(request, settings) : readHelpdeskDelivery(request, settings);
	if (read.kind === 'answer') return read;
	if (lids) {
		// The server's answer first, so the phones it gave say "server" though the map has learned them too.
		for (const { item } of read.candidates) {
			if (serverPhones) fillPhones(item, serverPhones, 'server');
			fillLearnedPhones(item, lookupOwn(lids.maps, lids.instance));
		}
		if (settings.protocol === 'evolution' && settings.lidLookup && serverPhones === undefined) {
			const unresolved = unresolvedLids(read.candidates.map((candidate) => candidate.item));
			if (unresolved.length > 0) return { kind: 'lookup', instance: lids.instance, lids: unresolved };
		}
	}

	const passing = read.candidates.filter((candidate) => passesFilters(candidate.item, settings.filters));
	const persisted = settings.dropDuplicates ? readPersisted(memory.persisted) : {};
	const seenBefore: SeenBefore = (key) => memory.recentlySeen(key) || persistedHas(persisted, key, memory.now, settings.dedupeWindowMs);
	const remember: string[] = [];
	const batch = settings.dropDuplicates ? batchKey(settings.dedupeScope, read.body) : null;
	if (batch !== null && passing.length > 0 && !isNewKey(hashKey(batch), seenBefore, remember)) return ignore('a repeated delivery');
	const unseen = settings.dropDuplicates ? passing.filter((candidate) => isNew(candidate.item, settings.dedupeScope, seenBefore, remember)) : passing;
	if (unseen.length === 0) return ignore(passing.length === 0 ? 'filtered out by the trigger options' : 'a repeated delivery');
	const states = coalesce(unseen.map((candidate) => candidate.item), settings.dedupeScope, settings.coalesce, memory.now, memory.stateGroup ?? (() => undefined));
	const wanted: Candidate[] = [];
	states.kept.forEach((item, index) => item && wanted.push({ item, element: unseen[index].element }));
	if (wanted.length === 0) return { ...ignore('a repeated state, coalesced (see the next execution of this state)'), stateUpdates: states.updates };
	// Written only when the delivery starts an execution: a dropped repeat costs no static data write.
	const persist = remember.length > 0 ? nextPersisted(persisted, remember, memory.now, settings.dedupeWindowMs) : null;

	const outputs: PlannedItem[][] = Array.from({ length: read.routing.count }, () => []);
	if (settings.output === 'raw') {
		outputs[read.routing.of(wanted[0].item)].push(rawItem(read.body, read.candidates.length, wanted, settings.media));
	} else {
		for (const { item } of wanted) outputs[read.routing.of(item)].push(normalizedItem(read.body, item, settings.media));
	}
	return { kind: 'emit', outputs, remember, persist, stateUpdates: states.updates, acknowledgement: RECEIVED };
}

function isNew(item: NormalizedItem, scope: string, seenBefore: SeenBefore, remember: string[]): boolean {
	const raw = deliveryKey(scope, item);
	return raw === null || isNewKey(hashKey(raw), seenBefore, remember);
}

function isNewKey(key: string, seenBefore: SeenBefore, remember: string[]): boolean {
	// A key twice in one delivery is a repeat too.
	if (seenBefore(key) || remember.includes(key)) return false;
	remember.push(key);
	return true;
}

function mediaOf(body: Record<string, unknown>, item: NormalizedItem, media: DeliverySettings['media']): MediaSource | null {
	if (media === 'off' || item.message?.media == null) return null;
	const inline = inlineMediaOf(body, item);
	if (inline) return { kind: 'inline', media: inline };
	const url = mediaUrlOf(item);
	if (media !== 'download' || url === null) return null;
	const mimetype = item.message.media.mimetype;
	const fileName = item.message.media.fileName ?? fileNameOfUrl(url) ?? `${item.message.id ?? 'media'}.${extensionOf(mimetype)}`;
	return { kind: 'url', url, mimetype, fileName };
}

function normalizedItem(body: Record<string, unknown>, item: NormalizedItem, media: DeliverySettings['media']): PlannedItem {
	return { json: item as unknown as Record<string, unknown>, normalized: true, media: mediaOf(body, item, media) };
}

/**
 * The body as sent (secrets stripped). For an array `data`, only the elements that passed the filters
 * and dedupe stay, so raw output honours the same options as normalized output. Its media: the first
 * wanted item's file.
 */
function rawItem(body: Record<string, unknown>, candidateCount: number, wanted: Candidate[], media: DeliverySettings['media']): PlannedItem {
	let raw: Record<string, unknown> = body;
	if (Array.isArray(body.data) && body.data.length === candidateCount && wanted.length < candidateCount) {
		const data = body.data;
		raw = { ...body, data: wanted.map((candidate) => data[candidate.element]) };
	}
	const withMedia = wanted.find((candidate) => candidate.item.message?.media);
	const json = sanitize(raw);
	return { json: isRecord(json) ? json : {}, normalized: false, media: withMedia ? mediaOf(body, withMedia.item, media) : null };
}
