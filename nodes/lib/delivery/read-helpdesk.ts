import { normalizeDelivery, isWhazingTestPing } from '../normalize';
import { isRecord } from '../normalize/read/scalars';
import { describeBody, ignore, refuse, type DeliveryAnswer } from './answers';
import { messageTypeRouting, SINGLE_OUTPUT } from './outputs';
import type { ReadDelivery } from './pipeline';
import { NOT_JSON, type DeliveryRequest, type HelpdeskSettings } from './settings';

/** Whazing's "Testar" button: acknowledged, starts nothing. */
const TEST_PING_ANSWER: DeliveryAnswer = { kind: 'answer', status: 200, body: { ok: true, message: 'Test received' } };

/**
 * Reading a helpdesk delivery (Whazing / Izing, Whaticket SaaS): the source's normalizer, then the
 * event filter. A body no normalizer recognises is answered 400 like the Evolution trigger does,
 * unless the user asked to receive unknown shapes.
 */
export function readHelpdeskDelivery(request: DeliveryRequest, settings: HelpdeskSettings): ReadDelivery {
	const body = unwrapRelayed(request.body);
	if (!isRecord(body)) return refuse(400, `Bad request: the body must be a JSON object (it is ${describeBody(body, NOT_JSON)})`);
	if (isWhazingTestPing(body)) return TEST_PING_ANSWER;
	const items = normalizeDelivery(body, { source: settings.source, splitArrays: settings.splitArrays, includeRaw: settings.includeRaw && settings.output !== 'raw' });
	const unknown = items.find((item) => item.source === 'unknown');
	if (unknown && settings.unknownBodies === 'refuse') {
		return refuse(400, `Bad request: ${unknown.reason ?? 'the body is not a delivery this trigger can read'}. Turn on "Receive Unrecognised Bodies" to get such bodies as "unknown" items.`);
	}
	const candidates = items
		.map((item, element) => ({ item, element }))
		.filter(({ item }) => settings.events.length === 0 || settings.events.includes(item.event));
	if (candidates.length === 0 && items.length > 0) return ignore(`event "${items[0].event}" is not selected in this trigger`);
	return { kind: 'read', body, candidates, routing: settings.outputPerMessageType ? messageTypeRouting(settings.filters.messageKinds) : SINGLE_OUTPUT };
}

/**
 * The item of an n8n Webhook node relayed as it is (`{headers, params, query, body, webhookUrl?,
 * executionMode?}`, the form helpdesk docs show payloads in) → its `body`; any other value unchanged.
 * The relayed headers are not trusted for the token: the relaying request's own headers are.
 */
export function unwrapRelayed(body: unknown): unknown {
	if (!isRecord(body) || !isRecord(body.body) || !isRecord(body.headers)) return body;
	for (const key of Object.keys(body)) if (!RELAY_KEYS.has(key)) return body;
	return body.body;
}

const RELAY_KEYS = new Set(['headers', 'params', 'query', 'body', 'webhookUrl', 'executionMode']);
