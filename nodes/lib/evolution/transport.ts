import { findEvent } from './events';
import { compareVersions, type Dialect, type ServerInfo } from './version';

/**
 * Evolution API "event transports": the brokers a server can publish its events to instead of (or
 * besides) the webhook. Read from the Evolution API source at the tags named below (README.md,
 * "Webhooks or RabbitMQ?", has the same facts for people):
 *
 * Routes, every version that has the transport: `POST /{transport}/set/{instance}` (201) and
 * `GET /{transport}/find/{instance}` (200), same guards and apikey as the webhook routes.
 *
 * | transport | first version | source |
 * |---|---|---|
 * | rabbitmq | 1.5.0 | `src/whatsapp/routers/rabbitmq.router.ts` (1.5–1.7), `src/api/integrations/rabbitmq/**` (1.8, 2.0), `src/api/integrations/event/rabbitmq/**` (2.1+) |
 * | sqs | 1.6.0 | same layout as rabbitmq |
 * | nats | 2.3.0 | `src/api/integrations/event/nats/**` |
 * | kafka | 2.3.4 | `src/api/integrations/event/kafka/**` |
 *
 * (websocket and pusher use the same route pattern but are not brokers a workflow can consume.)
 *
 * Request bodies: 1.x and 2.0.x flat `{ enabled, events }`; 2.1.0+ nested `{ rabbitmq: { enabled, events } }`
 * (`event.schema.ts`, one `$defs/event` per transport). `enabled` is required; `events` is the same
 * per-instance enum as the webhook's; `[]` with enabled true stores every event; enabled false stores `[]`
 * (1.x / 2.0: then the full list, `createRabbitmq`). A missing `events` makes every version crash with 500
 * (`data.events.length`), and on 2.1+ a flat body crashes too (`data.rabbitmq.events = []` on undefined).
 *
 * Answers: 1.x and 2.0.x set → `{ rabbitmq: { instanceName, rabbitmq: { enabled, events } } }`; 1.x find →
 * `{ enabled, events }` (`{ enabled: false, events: [] }` when none); 2.0.x / 2.1+ find → the Prisma row
 * `{ id, enabled, events, createdAt, updatedAt, instanceId }` or `null`; 2.1+ set → that row.
 * Transport switched off in the server's environment (`RABBITMQ_ENABLED`, `SQS_ENABLED`, `NATS_ENABLED`,
 * `KAFKA_ENABLED` not "true"): 2.0.x set → 400 "Rabbitmq is disabled" / "Sqs is disabled"; 2.1+ set and
 * find → 2xx with an EMPTY body (`EventController.set/get` return undefined); 2.3.3+ sqs set also answers
 * empty when `SQS_GLOBAL_ENABLED` is on. 1.x stores the setting anyway (1.6+ then fails with 500 when it
 * tries to create the queues without a broker connection).
 */
export type Transport = 'rabbitmq' | 'sqs' | 'nats' | 'kafka';

export interface TransportFacts {
	readonly label: string;
	readonly since: string;
	/** The server's environment switch that must be "true" for the routes to do anything. */
	readonly serverSwitch: string;
}

export const TRANSPORTS: Readonly<Record<Transport, TransportFacts>> = {
	rabbitmq: { label: 'RabbitMQ', since: '1.5.0', serverSwitch: 'RABBITMQ_ENABLED' },
	sqs: { label: 'Amazon SQS', since: '1.6.0', serverSwitch: 'SQS_ENABLED' },
	nats: { label: 'NATS', since: '2.3.0', serverSwitch: 'NATS_ENABLED' },
	kafka: { label: 'Kafka', since: '2.3.4', serverSwitch: 'KAFKA_ENABLED' },
};

/** One instance's transport setting, read from any version's answer. */
export interface TransportConfig {
	enabled: boolean;
	/** UPPER_SNAKE config names. */
	events: string[];
}

/** Null when the server has the transport; else the sentence that explains why it cannot be used. */
export function transportRefusal(transport: Transport, server: ServerInfo): string | null {
	const facts = TRANSPORTS[transport];
	// A hidden version: the oldest release of the dialect, so we never promise a route that may be missing.
	const version = server.version ?? { v1: '1.0.0', 'v2.0': '2.0.0', 'v2.1': '2.1.0' }[server.dialect];
	if (compareVersions(version, facts.since) >= 0) return null;
	const which = server.version ? `Evolution API ${server.version}` : `This server (${server.dialect} dialect, version hidden)`;
	return `${which} has no ${facts.label} transport: it exists from Evolution API ${facts.since}. Update the server, or use the webhook.`;
}

export function transportPath(route: 'set' | 'find', transport: Transport, instance: string): string {
	return `/${transport}/${route}/${encodeURIComponent(instance)}`;
}

/** Body of `POST /{transport}/set/{instance}`; `events` is always explicit (a missing one crashes every version). */
export function buildTransportSetBody(dialect: Dialect, transport: Transport, settings: TransportConfig): Record<string, unknown> {
	const config = { enabled: settings.enabled, events: [...settings.events] };
	return dialect === 'v2.1' ? { [transport]: config } : config;
}

/** Body that turns the transport off for the instance (the server then stores no events). */
export function buildTransportDisableBody(dialect: Dialect, transport: Transport): Record<string, unknown> {
	return buildTransportSetBody(dialect, transport, { enabled: false, events: [] });
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What a 2xx answer of set or find says. `off-on-server`: 2.1+ answered an empty body (env switch off). */
export type TransportAnswer = { kind: 'config'; config: TransportConfig } | { kind: 'none' } | { kind: 'off-on-server' };

/**
 * Reads a set or find answer of any version. The 1.x / 2.0 set answer nests the config one level down
 * (`{ rabbitmq: { instanceName, rabbitmq: {...} } }`); a 2.1+ empty body means the transport is off on the
 * server; `null` (2.0+) and 1.x's `{ enabled: false, events: [] }` mean "nothing configured".
 */
export function parseTransportAnswer(transport: Transport, answer: unknown): TransportAnswer {
	if (answer === undefined || answer === '') return { kind: 'off-on-server' };
	let source: unknown = answer;
	while (isRecord(source) && isRecord(source[transport]) && source.enabled === undefined) source = source[transport];
	if (!isRecord(source) || typeof source.enabled !== 'boolean') return { kind: 'none' };
	const events = Array.isArray(source.events) ? source.events.filter((name): name is string => typeof name === 'string') : [];
	if (!source.enabled && events.length === 0 && source.id === undefined && source._id === undefined) return { kind: 'none' };
	return { kind: 'config', config: { enabled: source.enabled, events } };
}

/** The sentence for a transport the server has but does not run. */
export function offOnServerMessage(transport: Transport): string {
	const facts = TRANSPORTS[transport];
	return `${facts.label} is switched off on this Evolution API server: it answered with an empty body. Set ${facts.serverSwitch}=true (and the connection settings) in the server's environment and restart it.`;
}

/**
 * Where a per-instance setting makes the server publish, for the user to point n8n's trigger at. Facts:
 *
 * RabbitMQ, per instance (1.5.0 – 2.3.6, unchanged): a durable **topic exchange named after the
 * instance**; each event is published with **routing key = the emitted event name** (`messages.upsert`,
 * `group-participants.update`) and, before each publish, the server asserts a durable quorum queue
 * **`{instance}.{event}`** bound to the exchange with that key. 1.6.0+ also creates queues at set time from
 * the config names (`GROUP_PARTICIPANTS_UPDATE` → `{instance}.group.participants.update`, a queue whose key
 * never matches what is published); 2.1+ creates them only at the first event. Global mode
 * (`RABBITMQ_GLOBAL_ENABLED`, 1.8.0+, events from `RABBITMQ_EVENTS_*`): one exchange `evolution_exchange`
 * (`RABBITMQ_EXCHANGE_NAME` from 2.2.0), queue named after the event (1.8.0–1.8.1: `messages-upsert`;
 * 1.8.2+: `messages.upsert`; 2.2.2+: `{RABBITMQ_PREFIX_KEY}.messages.upsert` when a prefix is set), routing key
 * the event; the instance is then only in the body.
 *
 * SQS (1.6.0+): FIFO queue `{instance}_{event with its first "." turned into "_"}.fifo`, e.g.
 * `inst1_messages_upsert.fifo`, in `SQS_REGION` / `SQS_ACCOUNT_ID`; 2.3.3+ global mode uses
 * `{SQS_GLOBAL_PREFIX_NAME}_…` (or `_singlequeue.fifo`). NATS (2.3.0+): subject `{instance}.{event}`
 * (global: `{NATS_PREFIX_KEY}.{event}`). Kafka (2.3.4+): topic `{KAFKA_TOPIC_PREFIX or evolution}.{instance}.{event}`
 * with message key = instance (global: `{prefix}.global.{event}`).
 *
 * Bodies on every transport: `{ event, instance, data, server_url, date_time, sender, apikey }` like the
 * webhook envelope without `destination` (2.3.3+ SQS adds `dataType`, `server`; Kafka adds `timestamp`).
 */
export function transportDestinations(transport: Transport, instance: string, events: readonly string[]): Record<string, unknown> {
	const emitted = events.map((name) => findEvent(name)?.emitted ?? name.toLowerCase());
	switch (transport) {
		case 'rabbitmq':
			return { exchange: instance, exchangeType: 'topic', routingKeys: emitted, queues: emitted.map((event) => `${instance}.${event}`) };
		case 'sqs':
			return { queues: emitted.map((event) => `${instance}_${event.replace('.', '_')}.fifo`) };
		case 'nats':
			return { subjects: emitted.map((event) => `${instance}.${event}`) };
		case 'kafka':
			return { topics: emitted.map((event) => `evolution.${instance}.${event}`), messageKey: instance };
	}
}
