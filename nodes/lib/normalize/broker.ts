import { findEvent } from '../evolution/events';

/**
 * Turns an item of n8n's broker triggers back into the Evolution envelope the server published, so the
 * broker path normalizes exactly like the webhook path. Pure and n8n-free. Shapes read from n8n-nodes-base
 * (2.40.7 and 1.123.81):
 * - RabbitMQ Trigger (`RabbitMQ/GenericFunctions.js#parseMessage`): `{ fields: { exchange, routingKey,
 *   redelivered, … }, properties, content }` where `content` is the body as a string, or the parsed
 *   object with "JSON Parse Body"; with "Only Content" the item is the content itself (string or object).
 * - Kafka Trigger (`Kafka/utils.js#configureMessageParser`): `{ message, topic, headers? }`, `message`
 *   a string or (with "JSON Parse Message") an object; "Only Message" gives the message alone.
 * - SQS: a ReceiveMessage entry `{ MessageId, Body }` or a Lambda record `{ messageId, body, eventSource: "aws:sqs" }`.
 *
 * What Evolution publishes (see ../evolution/transport.ts): `{ event, instance, data, server_url,
 * date_time, sender, apikey }`. In RabbitMQ per-instance mode the exchange is the instance and the routing
 * key the event; Kafka topics are `{prefix}.{instance}.{event}` (`{prefix}.global.{event}` globally).
 */
export type BrokerSource = 'rabbitmq' | 'kafka' | 'sqs' | 'text';

export interface BrokerEnvelope {
	source: BrokerSource;
	/** The Evolution envelope, with `event` / `instance` filled in from routing key, exchange or topic when the body lacks them. */
	envelope: Record<string, unknown>;
	/** RabbitMQ's own flag: the broker delivered this message before (unacknowledged). */
	redelivered: boolean;
}

/** RabbitMQ's global-mode exchange default (`RABBITMQ_EXCHANGE_NAME`): it names no instance. */
const GLOBAL_EXCHANGE = 'evolution_exchange';
/** Bodies over this size are not parsed here (Evolution's JSON limit is far larger; items this big are not broker events we read). */
const MAX_TEXT = 64 * 1024 * 1024;

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function looksLikeEnvelope(value: unknown): boolean {
	return isRecord(value) && typeof value.event === 'string' && 'data' in value;
}

/** A JSON object from a string or Buffer-like value; the object itself when already parsed. */
function bodyOf(content: unknown): Record<string, unknown> | null {
	if (isRecord(content) && content.type === 'Buffer' && Array.isArray(content.data)) {
		content = Buffer.from(content.data as number[]).toString('utf8');
	}
	if (typeof content === 'string') {
		const text = content.trim();
		if (!text.startsWith('{') || text.length > MAX_TEXT) return null;
		try {
			const parsed: unknown = JSON.parse(text);
			return isRecord(parsed) ? parsed : null;
		} catch {
			return null;
		}
	}
	return isRecord(content) ? content : null;
}

/**
 * Splits `{instance}.{event}` (a NATS subject, a queue name, a Kafka topic without its prefix) at the
 * longest tail that is an emitted Evolution event; instance names may themselves contain dots.
 */
export function splitInstanceAndEvent(key: string): { instance: string | null; event: string } | null {
	if (findEvent(key)?.emitted === key) return { instance: null, event: key };
	for (let index = key.indexOf('.'); index > 0; index = key.indexOf('.', index + 1)) {
		const tail = key.slice(index + 1);
		if (findEvent(tail)?.emitted === tail) return { instance: key.slice(0, index), event: tail };
	}
	return null;
}

function completed(body: Record<string, unknown>, event: string | null, instance: string | null): Record<string, unknown> {
	const envelope = { ...body };
	if (typeof envelope.event !== 'string' && event) envelope.event = event;
	if ((typeof envelope.instance !== 'string' || envelope.instance === '') && instance) envelope.instance = instance;
	return envelope;
}

function fromRabbitmq(item: Record<string, unknown>, fields: Record<string, unknown>): BrokerEnvelope | null {
	const body = bodyOf(item.content);
	if (!body) return null;
	const routingKey = typeof fields.routingKey === 'string' ? fields.routingKey : '';
	const exchange = typeof fields.exchange === 'string' ? fields.exchange : '';
	const split = splitInstanceAndEvent(routingKey);
	// Per-instance mode: exchange = instance, routing key = event. A republished `{instance}.{event}` key also names it.
	const instance = split?.instance ?? (exchange !== '' && exchange !== GLOBAL_EXCHANGE ? exchange : null);
	const envelope = completed(body, split?.event ?? null, instance);
	if (!looksLikeEnvelope(envelope)) return null;
	return { source: 'rabbitmq', envelope, redelivered: fields.redelivered === true };
}

function fromKafka(item: Record<string, unknown>, topic: string): BrokerEnvelope | null {
	const body = bodyOf(item.message);
	if (!body) return null;
	// `{prefix}.{instance}.{event}`: drop the prefix, then split; `global` is no instance.
	const split = splitInstanceAndEvent(topic.slice(topic.indexOf('.') + 1));
	const instance = split?.instance && split.instance !== 'global' ? split.instance : null;
	const envelope = completed(body, split?.event ?? null, instance);
	return looksLikeEnvelope(envelope) ? { source: 'kafka', envelope, redelivered: false } : null;
}

/**
 * A broker item → the Evolution envelope inside it, or null when the item is not one (for instance a
 * Webhook node's item or an envelope already): the caller then keeps its usual path.
 */
export function envelopeFromBrokerItem(item: unknown): BrokerEnvelope | null {
	if (typeof item === 'string') {
		const body = bodyOf(item);
		return body && looksLikeEnvelope(body) ? { source: 'text', envelope: body, redelivered: false } : null;
	}
	if (!isRecord(item) || looksLikeEnvelope(item)) return null;
	if (isRecord(item.fields) && 'content' in item) return fromRabbitmq(item, item.fields);
	if (typeof item.topic === 'string' && 'message' in item) return fromKafka(item, item.topic);
	const sqsBody = typeof item.Body === 'string' ? item.Body : typeof item.body === 'string' && (item.eventSource === 'aws:sqs' || 'messageId' in item) ? item.body : undefined;
	if (sqsBody !== undefined) {
		const body = bodyOf(sqsBody);
		return body && looksLikeEnvelope(body) ? { source: 'sqs', envelope: body, redelivered: false } : null;
	}
	return null;
}
