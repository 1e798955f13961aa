/**
 * The Evolution API "event transport" routes (`/rabbitmq`, `/sqs`, `/nats`, `/kafka` → `set` / `find`)
 * per server version, and publishing events to a real RabbitMQ in the server's layout. Written from the
 * Evolution API source (tags 1.5.0 … 1.8.2, 2.2.0 … 2.3.6, commit 0dbb5f53 = 2.0.10, fc786c54 = 2.1.0),
 * independently of the package code it tests:
 * - 1.x `src/{whatsapp,api/integrations/rabbitmq}/{controllers,services}/rabbitmq.*.ts`, `validate/rabbitmq.schema.ts`;
 * - 2.0.10 the same files under `src/api/integrations/{rabbitmq,sqs}/` (controller throws 400 "Rabbitmq is disabled");
 * - 2.1+ `src/api/integrations/event/{event.controller,event.schema}.ts`, `event/rabbitmq/rabbitmq.controller.ts#emit`.
 */
import type { Channel } from 'amqplib';

import { validateLikeEvolution, type MiniSchema } from './validate';
import { compareVersions, type ParsedVersion } from './version';

export type DoubleTransport = 'rabbitmq' | 'sqs' | 'nats' | 'kafka';

/** First server version with each transport's routes. */
const SINCE: Record<DoubleTransport, string> = { rabbitmq: '1.5.0', sqs: '1.6.0', nats: '2.3.0', kafka: '2.3.4' };
/** The 2.0.10 controllers' refusal when the transport is off in the environment. */
const DISABLED_2_0: Partial<Record<DoubleTransport, string>> = { rabbitmq: 'Rabbitmq is disabled', sqs: 'Sqs is disabled' };

/** Which transports the server's environment switches on (`RABBITMQ_ENABLED=true` …). Default: all. */
export type TransportSwitches = Partial<Record<DoubleTransport, boolean>>;

export interface TransportRouteMatch {
	transport: DoubleTransport;
	action: 'set' | 'find';
	instanceName: string;
}

interface Answer {
	status: number;
	body: unknown;
}

/** What the double knows about an instance, as the transport code needs it. */
export interface TransportInstance {
	name: string;
	id: string;
	token: string;
	loaded: boolean;
	ownerJid?: string;
}

export interface TransportHost {
	instance(name: string): TransportInstance | undefined;
	serverUrl(): string;
	exposeApikey: boolean;
	utcOffsetMinutes: number;
}

/** 1.x find answer with nothing stored; 2.0+ answer null. */
const V1_NONE = { enabled: false, events: [] as string[] };

interface StoredTransport {
	enabled: boolean;
	events: string[];
	id: string;
	createdAt: string;
	updatedAt: string;
}

let rowCounter = 0;

export class TransportRoutes {
	private readonly stored = new Map<string, StoredTransport>();

	constructor(
		private readonly version: ParsedVersion,
		private readonly eventsEnum: readonly string[],
		private readonly switches: TransportSwitches,
		private readonly host: TransportHost,
	) {}

	private has(transport: DoubleTransport): boolean {
		return compareVersions(this.version, SINCE[transport]) >= 0;
	}

	private switchedOn(transport: DoubleTransport): boolean {
		return this.switches[transport] ?? true;
	}

	private get style(): 'v1' | 'v2.0' | 'v2.1+' {
		if (this.version.major < 2) return 'v1';
		return this.version.minor === 0 ? 'v2.0' : 'v2.1+';
	}

	/** A transport route this version has (others fall through to the double's "Cannot POST" 404). */
	match(method: string, path: string): TransportRouteMatch | null {
		const segments = path.split('?')[0].replace(/\/$/, '').split('/').slice(1);
		if (segments.length !== 3 || segments[2] === '') return null;
		const transport = segments[0].toLowerCase() as DoubleTransport;
		const action = segments[1].toLowerCase();
		if (!(transport in SINCE) || !this.has(transport)) return null;
		if (action === 'set' && method === 'POST') return { transport, action, instanceName: decodeURIComponent(segments[2]) };
		if (action === 'find' && (method === 'GET' || method === 'HEAD')) return { transport, action, instanceName: decodeURIComponent(segments[2]) };
		return null;
	}

	/** The answer after the guards passed (instance exists, key accepted). */
	answer(route: TransportRouteMatch, instance: TransportInstance, body: unknown): Answer {
		return route.action === 'find' ? this.find(route.transport, instance) : this.set(route.transport, instance, body);
	}

	/** The stored setting of an instance, as the server keeps it; null when none. */
	configOf(instanceName: string, transport: DoubleTransport): { enabled: boolean; events: string[] } | null {
		const stored = this.stored.get(`${transport}|${instanceName}`);
		return stored ? { enabled: stored.enabled, events: [...stored.events] } : null;
	}

	private schema(transport: DoubleTransport): MiniSchema {
		const config: MiniSchema = {
			type: 'object',
			properties: { enabled: { type: 'boolean' }, events: { type: 'array', items: { type: 'string', enum: this.eventsEnum } } },
			required: ['enabled'],
		};
		// 2.1+ eventSchema: every transport key optional, each one a `$defs/event`.
		return this.style === 'v2.1+' ? { type: 'object', properties: { [transport]: config } } : config;
	}

	private set(transport: DoubleTransport, instance: TransportInstance, body: unknown): Answer {
		const data: Record<string, unknown> = Object.assign({}, structuredClone(body));
		const errors = validateLikeEvolution(data, this.schema(transport));
		if (errors.length > 0) return { status: 400, body: { status: 400, error: 'Bad Request', response: { message: [errors] } } };
		if (this.style === 'v2.1+') {
			if (!this.switchedOn(transport)) return { status: 201, body: undefined }; // EventController.set returns undefined
			const config = data[transport] as Record<string, unknown> | undefined;
			if (config === undefined) return typeError("Cannot set properties of undefined (setting 'events')");
			const events = eventsToStore(config, this.eventsEnum);
			if ('crash' in events) return events.crash;
			if (!instance.loaded) return typeError("Cannot read properties of undefined (reading 'instanceId')");
			return { status: 201, body: this.row(instance, this.store(transport, instance, config.enabled === true, events.list)) };
		}
		if (this.style === 'v2.0' && !this.switchedOn(transport)) {
			return { status: 400, body: { status: 400, error: 'Bad Request', response: { message: [DISABLED_2_0[transport]] } } };
		}
		// 1.x / 2.0: enabled false → events [] → then "empty means all" (createRabbitmq), so all are stored.
		const list = data.enabled ? data.events : [];
		if (list === undefined || list === null) return typeError(`Cannot read properties of ${String(list)} (reading 'length')`);
		const events = (list as string[]).length === 0 ? [...this.eventsEnum] : (list as string[]);
		if (!instance.loaded) return typeError(`Cannot read properties of undefined (reading 'set${capitalised(transport)}')`);
		if (this.style === 'v1' && !this.switchedOn(transport) && compareVersions(this.version, '1.6.0') >= 0) {
			// 1.6+ initQueues(): no broker connection, so the channel is null.
			return typeError(transport === 'rabbitmq' ? "Cannot read properties of null (reading 'assertExchange')" : "Cannot read properties of undefined (reading 'createQueue')");
		}
		this.store(transport, instance, data.enabled === true, events);
		const stored = { enabled: data.enabled, events };
		return { status: 201, body: { [transport]: { instanceName: instance.name, [transport]: stored } } };
	}

	private find(transport: DoubleTransport, instance: TransportInstance): Answer {
		const stored = this.stored.get(`${transport}|${instance.name}`);
		if (this.style === 'v2.1+') {
			if (!this.switchedOn(transport)) return { status: 200, body: undefined };
			return { status: 200, body: instance.loaded && stored ? this.row(instance, stored) : null };
		}
		if (!stored) return { status: 200, body: this.style === 'v1' ? { ...V1_NONE } : null };
		if (this.style === 'v1') return { status: 200, body: { _id: stored.id, enabled: stored.enabled, events: [...stored.events] } };
		return { status: 200, body: this.row(instance, stored) };
	}

	private store(transport: DoubleTransport, instance: TransportInstance, enabled: boolean, events: string[]): StoredTransport {
		const key = `${transport}|${instance.name}`;
		const now = new Date().toISOString();
		const old = this.stored.get(key);
		rowCounter += 1;
		const next: StoredTransport = {
			enabled,
			events: [...events],
			id: old?.id ?? `c${Date.now().toString(36)}t${rowCounter.toString(36).padStart(4, '0')}`,
			createdAt: old?.createdAt ?? now,
			updatedAt: now,
		};
		this.stored.set(key, next);
		return next;
	}

	private row(instance: TransportInstance, stored: StoredTransport): Record<string, unknown> {
		return { id: stored.id, enabled: stored.enabled, events: [...stored.events], createdAt: stored.createdAt, updatedAt: stored.updatedAt, instanceId: instance.id };
	}

	/** The body every transport publishes: the webhook envelope without `destination` (rabbitmq.controller.ts#emit). */
	envelope(instance: TransportInstance, event: string, data: unknown): Record<string, unknown> {
		const apikey = this.host.exposeApikey ? instance.token : null;
		const body: Record<string, unknown> = {
			event,
			instance: instance.name,
			data,
			server_url: this.host.serverUrl(),
			date_time: new Date(Date.now() + this.host.utcOffsetMinutes * 60_000).toISOString(),
		};
		if (instance.ownerJid) body.sender = instance.ownerJid;
		// 2.1+ always sends the key (null when not exposed); 1.x / 2.0 only when exposed.
		if (this.style === 'v2.1+' || apikey !== null) body.apikey = apikey;
		return body;
	}

	/**
	 * Publishes one event to RabbitMQ exactly as the server does for a per-instance setting (1.5.0 – 2.3.6):
	 * topic exchange = instance name, durable quorum queue `{instance}.{event}` asserted and bound with key
	 * `{event}` before each publish, routing key = the emitted event name. Only when the instance's setting
	 * is enabled and selects the event (and the server has RabbitMQ on); else null, like the server.
	 */
	async publishRabbitmq(channel: Channel, instanceName: string, event: string, data: unknown): Promise<Record<string, unknown> | null> {
		const instance = this.host.instance(instanceName);
		if (!instance) throw new Error(`Evolution double: no instance named "${instanceName}"`);
		if (!this.switchedOn('rabbitmq') || !instance.loaded) return null;
		const config = this.configOf(instance.name, 'rabbitmq');
		const configName = event.replace(/[.-]/g, '_').toUpperCase();
		if (!config?.enabled || !config.events.includes(configName)) return null;
		const exchange = instance.name;
		const queue = `${instance.name}.${event}`;
		await channel.assertExchange(exchange, 'topic', { durable: true, autoDelete: false });
		await channel.assertQueue(queue, { durable: true, autoDelete: false, arguments: { 'x-queue-type': 'quorum' } });
		await channel.bindQueue(queue, exchange, event);
		const body = this.envelope(instance, event, data);
		channel.publish(exchange, event, Buffer.from(JSON.stringify(body)));
		return body;
	}
}

function typeError(message: string): Answer {
	return { status: 500, body: { status: 500, error: 'Internal Server Error', response: { message } } };
}

function capitalised(transport: DoubleTransport): string {
	return transport[0].toUpperCase() + transport.slice(1);
}

/** 2.1+ EventController.set: disabled → [], enabled with [] → the whole enum, missing events → 500. */
function eventsToStore(config: Record<string, unknown>, eventsEnum: readonly string[]): { list: string[] } | { crash: Answer } {
	if (!config.enabled) return { list: [] };
	if (config.events === undefined || config.events === null) {
		return { crash: typeError(`Cannot read properties of ${String(config.events)} (reading 'length')`) };
	}
	const events = config.events as string[];
	return { list: events.length === 0 ? [...eventsEnum] : events };
}
