import { findEvent } from '../evolution/events';
import type { NormalizedItem } from '../model/item';
import { normalizeDelivery } from '../normalize';
import { isRecord } from '../normalize/read/scalars';
import { ignore, refuse } from './answers';
import { messageTypeRouting, SINGLE_OUTPUT, type OutputRouting } from './outputs';
import type { ReadDelivery } from './pipeline';
import type { DeliveryRequest, EvolutionSettings } from './settings';

/**
 * Reading an Evolution delivery: which event (the body's `event`, else the by-events URL suffix), whether
 * the workflow wants it, and its items. Unknown or unselected events are acknowledged (200, no retry)
 * and start nothing; a body that cannot be an event is answered 400.
 */
export function readEvolutionDelivery(request: DeliveryRequest, settings: EvolutionSettings): ReadDelivery {
	const body = request.body;
	if (!isRecord(body)) return refuse(400, 'Bad request: expected a JSON object body');
	const eventName = typeof body.event === 'string' ? body.event : eventFromPath(request.params);
	if (eventName === undefined) return refuse(400, 'Bad request: the body has no "event" field');
	const event = findEvent(eventName);
	if (!event || !settings.events.includes(event.config)) return ignore(`event "${eventName.slice(0, 64)}" is not selected in this trigger`);
	if (!isFromWantedInstance(settings.instances, body.instance)) return ignore('the delivery is from another instance');
	// Servers send an object, an array or null; anything else cannot be an event.
	if (body.data !== undefined && body.data !== null && typeof body.data !== 'object') {
		return refuse(400, 'Bad request: "data" must be an object, an array or null');
	}
	const items = normalizeDelivery(body, { evolutionEvent: event, splitArrays: settings.splitArrays, includeRaw: settings.includeRaw && settings.output !== 'raw' });
	const candidates = items.map((item, element) => ({ item, element })).filter(({ item }) => isReadable(item));
	if (candidates.length === 0 && items.length > 0) {
		return refuse(400, `Bad request: the "${eventName}" delivery carries no readable event (a message without data.key.id, or data of the wrong shape)`);
	}
	return { kind: 'read', body, candidates, routing: routingOf(settings, event.config) };
}

/** "One Output per Event" wins over "One Output per Message Type" (the editor shows the latter only while the former is off). */
function routingOf(settings: EvolutionSettings, config: string): OutputRouting {
	if (settings.outputPerEvent) {
		const index = settings.events.indexOf(config);
		return { count: settings.events.length, of: () => index };
	}
	return settings.outputPerMessageType ? messageTypeRouting(settings.filters.messageKinds) : SINGLE_OUTPUT;
}

/** By-events deliveries end in the event's URL suffix, e.g. …/webhook/messages-upsert (the route's only parameter). */
function eventFromPath(params: Record<string, unknown>): string | undefined {
	const suffix = Object.values(params)[0];
	return typeof suffix === 'string' && findEvent(suffix) ? suffix : undefined;
}

function isFromWantedInstance(instances: EvolutionSettings['instances'], instance: unknown): boolean {
	// The registration is per instance; a body naming another instance is not one of ours.
	if (instances.kind === 'registered') return instance === undefined || instance === instances.name;
	return instances.names.length === 0 || (typeof instance === 'string' && instances.names.includes(instance));
}

/**
 * Evolution always sends a message's key.id: a message item without one comes from a malformed body. A
 * selected event whose data the normalizer could not read (null, an array of arrays, an XML body) comes
 * back as an `unknown` item with a reason: Normalize Event shows it, the trigger answers 400 instead.
 */
function isReadable(item: NormalizedItem): boolean {
	if (item.source === 'unknown' || item.event === 'unknown') return false;
	return item.message === null || (typeof item.message.id === 'string' && item.message.id !== '');
}
