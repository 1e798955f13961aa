import { findEvent, type EvolutionDataShape, type EvolutionEvent } from '../../evolution/events';
import type { NormalizedItem } from '../../model/item';
import { emptyItem } from '../items';
import { isRecord, textOf } from '../read/scalars';
import { botItem, callItem, chatItem, contactItem, groupItem, labelAssociationItem, labelItem, participantsItem, presenceItem } from './entities';
import { connectionItem, instanceLifecycleItem, instanceStatusItem, instanceTokenItem, noDataItem, qrcodeItem } from './instance';
import { deleteItem, editItem, messageItem, updateItem } from './messages';
import type { EvolutionContext } from './parties';
import { readEnvelope } from './schemas';

/**
 * Evolution API deliveries (v1 1.5–1.8, v2.0–2.3) → normalized items. The catalog says which data shape
 * an event carries; this table says how each shape is read. A new event is a catalog row, and a new
 * builder only when its shape is new (TypeScript insists every shape has one).
 */

type Builder = (context: EvolutionContext, value: unknown) => NormalizedItem;

/** `element`: one item per element of an array `data`; `whole`: one item describing the instance. */
const BUILDERS: Record<EvolutionDataShape, { reads: 'element' | 'whole'; build: Builder }> = {
	message: { reads: 'element', build: messageItem },
	'message-history': { reads: 'element', build: messageItem },
	'message-update': { reads: 'element', build: updateItem },
	'message-delete': { reads: 'element', build: (context, element) => deleteItem(context, element) },
	'message-edit': { reads: 'element', build: (context, element) => editItem(context, element) },
	contact: { reads: 'element', build: contactItem },
	chat: { reads: 'element', build: chatItem },
	presence: { reads: 'element', build: presenceItem },
	group: { reads: 'element', build: groupItem },
	'group-participants': { reads: 'element', build: participantsItem },
	call: { reads: 'element', build: callItem },
	label: { reads: 'element', build: labelItem },
	'label-association': { reads: 'element', build: labelAssociationItem },
	bot: { reads: 'element', build: botItem },
	connection: { reads: 'whole', build: connectionItem },
	qrcode: { reads: 'whole', build: qrcodeItem },
	'instance-lifecycle': { reads: 'whole', build: instanceLifecycleItem },
	'instance-status': { reads: 'whole', build: instanceStatusItem },
	'instance-token': { reads: 'whole', build: instanceTokenItem },
	'no-data': { reads: 'whole', build: noDataItem },
};

/**
 * Normalizes an Evolution delivery. `known` is the event the caller already recognised (e.g. from the
 * by-events URL suffix, when the body names none); otherwise the body's `event` field decides.
 */
export function normalizeEvolution(body: unknown, known?: EvolutionEvent): NormalizedItem[] {
	const env = readEnvelope(body) ?? {};
	const instance = typeof env.instance === 'string' ? textOf(env.instance) : isRecord(env.instance) ? textOf(env.instance.instanceName) : null;
	const entry = known ?? findEvent(env.event);
	if (!entry) {
		const item = emptyItem('evolution', 'unknown', textOf(env.event), instance);
		item.reason =
			env.event === 'error'
				? 'An Evolution API error report (ERRORS event), not a WhatsApp event'
				: `The Evolution event "${String(env.event).slice(0, 64)}" is not one this package knows`;
		return [item];
	}
	const context: EvolutionContext = { entry, instance, ownJid: textOf(env.sender) };
	const builder = BUILDERS[entry.shape];
	if (builder.reads === 'whole') return [builder.build(context, env.data)];
	return elementsOf(env.data, entry.shape).map((element) => (describesNothing(element, entry.shape) ? noElementItem(context, element) : builder.build(context, element)));
}

/** Message shapes are always objects; other families may be a bare JID (chats.delete), never null. */
function describesNothing(element: unknown, shape: EvolutionDataShape): boolean {
	if (element === null || element === undefined) return true;
	return shape.startsWith('message') && !isRecord(element);
}

/**
 * An element that is not an object (`data: null` on messages.upsert, a string in an array) describes
 * nothing: an `unknown` item that says so, never an item of nulls posing as a message.
 */
function noElementItem(context: EvolutionContext, element: unknown): NormalizedItem {
	const item = emptyItem('evolution', 'unknown', context.entry.emitted, context.instance);
	const what = element === null || element === undefined ? 'no data' : Array.isArray(element) ? 'an array' : `a ${typeof element}`;
	item.reason = `The "${context.entry.emitted}" delivery carries ${what} where an object was expected`;
	return item;
}

/** The elements of `data` that each become an item (data may be an object, an array or null). */
function elementsOf(data: unknown, shape: EvolutionDataShape): unknown[] {
	if (Array.isArray(data)) return data;
	// Some builds wrap history as {messages:[…], isLatest}.
	if (shape === 'message-history' && isRecord(data) && Array.isArray(data.messages)) return data.messages;
	return [data];
}
