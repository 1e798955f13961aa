/**
 * A real HTTP server on 127.0.0.1 that answers like an Evolution API server of a chosen version, for the
 * webhook routes the package uses, and that POSTs webhook deliveries the way that version would.
 * The protocol it follows is written down in docs/protocol.md. Dependency-free on purpose (node:http,
 * node:crypto, global fetch) so any test process can use it.
 *
 * The parts, under evolution-double/: router.ts (THE route table: one row per route), webhook-routes.ts
 * and instance-routes.ts (the answers), storage.ts (documents and rows per dialect), deliveries.ts (the
 * webhook POSTs), http.ts (express-like plumbing and faults), validate.ts, events.ts, version.ts, jwt.ts.
 */
import * as http from 'node:http';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';

import { clone, errorBody, routeMissing, tryParseJson, typeError } from './evolution-double/answers';
import { plannedDelivery, send } from './evolution-double/deliveries';
import { eventsEnumOf } from './evolution-double/events';
import { applyFault, headerValue, normalisePrefix, parseBodyLikeExpress, sendAnswer, stripPrefix } from './evolution-double/http';
import { dispatch, matchRoute, type MatchedRoute } from './evolution-double/router';
import { seedWebhook, v1FindAnswer } from './evolution-double/storage';
import { SendRoutes } from './evolution-double/send-routes';
import { TransportRoutes } from './evolution-double/transport-routes';
import {
	DEFAULT_GLOBAL_KEY,
	type DeliverOptions,
	type Delivery,
	type DoubleContext,
	type DoubleInstance,
	type DoubleOptions,
	type Fault,
	type FaultRoute,
	type InstanceState,
	type RecordedRequest,
	type V1WebhookAnswer,
	type WebhookRow,
	type WebhookSeed,
} from './evolution-double/types';
import { DEFAULT_VERSIONS, capabilitiesOf, dialectOfVersion, parseVersion, type DoubleDialect } from './evolution-double/version';

export { DEFAULT_VERSIONS, type DoubleDialect } from './evolution-double/version';
export { byEventsSuffixOf, configNameOfEvent } from './evolution-double/events';
export { signWebhookJwt } from './evolution-double/jwt';
export {
	DEFAULT_GLOBAL_KEY,
	DELIVERY_USER_AGENT,
	DOUBLE_WHATSAPP_WEB_VERSION,
	WELCOME_MESSAGE,
	type DeliverOptions,
	type Delivery,
	type DoubleInstance,
	type DoubleOptions,
	type Fault,
	type FaultRoute,
	type RecordedRequest,
	type V1WebhookAnswer,
	type WebhookRow,
	type WebhookSeed,
} from './evolution-double/types';

export class EvolutionDouble {
	readonly dialect: DoubleDialect;
	readonly version: string;
	readonly globalKey: string;
	readonly requests: RecordedRequest[] = [];
	readonly deliveries: Delivery[] = [];
	/** The /rabbitmq, /sqs, /nats, /kafka routes of this version, and publishing to a real RabbitMQ. */
	readonly transports: TransportRoutes;
	/** Message and chat routes; `sendRoutes.received` records every body they got. */
	readonly sendRoutes: SendRoutes;

	private readonly ctx: DoubleContext;
	private readonly prefix: string;
	private readonly faults = new Map<FaultRoute, Fault[]>();
	private server: http.Server | null = null;
	private readonly requestWaiters: Array<{ method: string; pathPrefix: string; resolve: (request: RecordedRequest) => void }> = [];
	private readonly deliveryWaiters: Array<(delivery: Delivery) => void> = [];
	private origin: string | null = null;

	constructor(options: DoubleOptions) {
		this.dialect = options.dialect;
		this.version = options.version ?? DEFAULT_VERSIONS[options.dialect];
		const parsedVersion = parseVersion(this.version);
		if (dialectOfVersion(parsedVersion) !== options.dialect) {
			throw new Error(`Evolution double: version ${this.version} does not belong to dialect ${options.dialect}`);
		}
		this.globalKey = options.globalKey ?? DEFAULT_GLOBAL_KEY;
		this.prefix = normalisePrefix(options.pathPrefix);
		this.ctx = {
			options,
			version: this.version,
			globalKey: this.globalKey,
			capabilities: capabilitiesOf(parsedVersion),
			eventsEnum: eventsEnumOf(parsedVersion),
			instances: new Map<string, InstanceState>(),
			serverUrl: () => options.serverUrl ?? this.baseUrl,
		};
		for (const instance of options.instances ?? []) this.addInstance(instance);
		const host = {
			instance: (name: string) => this.ctx.instances.get(name),
			serverUrl: () => this.ctx.serverUrl(),
			exposeApikey: options.exposeApikey ?? true,
			utcOffsetMinutes: options.utcOffsetMinutes ?? -180,
		};
		this.transports = new TransportRoutes(parsedVersion, this.ctx.eventsEnum, options.transports ?? {}, host);
		this.sendRoutes = new SendRoutes({ version: parsedVersion, globalKey: this.globalKey, instance: (name) => this.ctx.instances.get(name) }, options.send);
	}

	/** The per-instance events enum of this version (what set accepts, and what `events: []` stores). */
	get eventsEnum(): readonly string[] {
		return this.ctx.eventsEnum;
	}

	get baseUrl(): string {
		if (!this.origin) throw new Error('Evolution double: not started');
		return `${this.origin}${this.prefix}`;
	}

	async start(): Promise<string> {
		if (this.server) return this.baseUrl;
		const server = http.createServer((req, res) => {
			this.handle(req, res).catch((error: unknown) => {
				if (!res.headersSent) sendAnswer(req, res, typeError(error instanceof Error ? error.message : String(error)));
			});
		});
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(0, '127.0.0.1', () => resolve());
		});
		this.server = server;
		this.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
		return this.baseUrl;
	}

	/** Closes the server and every open socket, including requests held by a 'timeout' fault. */
	async stop(): Promise<void> {
		const server = this.server;
		if (!server) return;
		this.server = null;
		await new Promise<void>((resolve) => {
			server.close(() => resolve());
			server.closeAllConnections();
		});
	}

	addInstance(instance: DoubleInstance): void {
		this.ctx.instances.set(instance.name, {
			name: instance.name,
			token: instance.token,
			loaded: instance.loaded ?? true,
			connectionStatus: instance.connectionStatus ?? 'open',
			ownerJid: instance.ownerJid,
			profileName: instance.profileName,
			id: randomUUID(),
			createdAt: new Date().toISOString(),
			v1Document: null,
			row: null,
			localWebhook: {},
		});
	}

	/** Load or unload an instance from memory (v2.1+: unloaded means set gives 500 and find gives null). */
	setInstanceLoaded(name: string, loaded: boolean): void {
		this.instanceOrThrow(name).loaded = loaded;
	}

	/** The instance's id (a UUID, the row's `instanceId` on v2). */
	instanceIdOf(name: string): string {
		return this.instanceOrThrow(name).id;
	}

	requestsTo(method: string, pathPrefix: string): RecordedRequest[] {
		const wanted = method.toUpperCase();
		return this.requests.filter((r) => r.method === wanted && r.path.startsWith(pathPrefix));
	}

	/**
	 * Resolves with the next request to `method` whose path starts with `pathPrefix`, recorded after this
	 * call, as soon as it is recorded (before it is answered, so also for a request a 'timeout' fault holds).
	 */
	nextRequest(method: string, pathPrefix: string): Promise<RecordedRequest> {
		return new Promise((resolve) => this.requestWaiters.push({ method: method.toUpperCase(), pathPrefix, resolve }));
	}

	/** Resolves with the next delivery started after this call once it has finished (answered, failed or refused). */
	whenDelivered(): Promise<Delivery> {
		return new Promise((resolve) => this.deliveryWaiters.push(resolve));
	}

	/** Forget recorded requests and deliveries (stored webhooks stay). */
	clearRecords(): void {
		this.requests.length = 0;
		this.deliveries.length = 0;
	}

	/**
	 * The stored webhook in the shape find answers with in this dialect: v1 the snake_case object (or the
	 * "none" default), v2 the Prisma row or null. Ignores whether the instance is loaded.
	 */
	webhookOf(name: string): V1WebhookAnswer | WebhookRow | null {
		const instance = this.instanceOrThrow(name);
		if (this.ctx.capabilities.style === 'v1') return v1FindAnswer(this.ctx.capabilities, instance);
		return clone(instance.row);
	}

	/** A pre-existing webhook (for example a user's own integration), stored without validation. */
	seedWebhook(name: string, seed: WebhookSeed): void {
		seedWebhook(this.ctx.capabilities, this.instanceOrThrow(name), seed);
	}

	/** One-shot fault for the next request to that route; several calls queue up in order. */
	failNext(route: FaultRoute, fault: Fault): void {
		const queue = this.faults.get(route) ?? [];
		queue.push(fault);
		this.faults.set(route, queue);
	}

	/**
	 * Emit an event the way the server would: only when the instance's webhook is enabled, selects the
	 * event's config name and passes this version's URL check. Returns null when the server would not send.
	 */
	async deliver(name: string, event: string, data: unknown, opts: DeliverOptions = {}): Promise<Delivery | null> {
		const delivery = plannedDelivery(this.ctx, this.instanceOrThrow(name), event, data, opts);
		if (!delivery) return null;
		this.deliveries.push(delivery);
		const waiters = this.deliveryWaiters.splice(0);
		await send(this.ctx, delivery);
		for (const resolve of waiters) resolve(delivery);
		return delivery;
	}

	/**
	 * The loop a real Evolution 1.8.1 instance runs when it cannot reach WhatsApp: `connection.update`
	 * alternating `connecting` and `close`, about 18 a second, for as long as it runs. Each post leaves on
	 * its schedule whatever the previous one's answer (the server's loop does not wait for it either), each
	 * through `deliver()`; resolves with every delivery once all have finished.
	 */
	async replayReconnectLoop(name: string, { perSecond = 18, durationMs }: { perSecond?: number; durationMs: number }): Promise<Array<Delivery | null>> {
		const started = Date.now();
		const posts: Array<Promise<Delivery | null>> = [];
		for (let index = 0; (index * 1000) / perSecond < durationMs; index++) {
			const wait = started + (index * 1000) / perSecond - Date.now();
			if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
			const state = index % 2 === 0 ? 'connecting' : 'close';
			posts.push(this.deliver(name, 'connection.update', { instance: name, state, statusReason: state === 'close' ? 428 : 200 }));
		}
		return Promise.all(posts);
	}

	// ---------------------------------------------------------------- HTTP: record, fault, parse, dispatch

	private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		const rawBody = Buffer.concat(chunks).toString('utf8');
		const method = (req.method ?? 'GET').toUpperCase();
		const fullUrl = req.url ?? '/';
		const path = stripPrefix(this.prefix, fullUrl);
		const record: RecordedRequest = {
			method,
			path: path ?? fullUrl,
			headers: { ...req.headers },
			body: tryParseJson(rawBody),
			rawBody,
			at: Date.now(),
		};
		this.requests.push(record);
		this.notifyRequestWaiters(record);
		if (path === null) return sendAnswer(req, res, routeMissing(method, fullUrl));

		const route = this.matchAnyRoute(method, path);
		// A path outside the route table is a message/chat route (send-routes.ts) or missing.
		const fault = this.faults.get(route ? route.name : 'send')?.shift();
		if (fault) return applyFault(fault, req, res);

		const parsed = parseBodyLikeExpress(req.headers['content-type'], rawBody);
		if ('parseError' in parsed) {
			// Evolution's error middleware: body-parser's SyntaxError carries status 400 but no `error` field.
			return sendAnswer(req, res, errorBody(400, 'Internal Server Error', parsed.parseError));
		}
		if (!route) return sendAnswer(req, res, this.sendRoutes.answer(method, path, parsed.body, req.headers) ?? routeMissing(method, path));
		const query = Object.fromEntries(new URL(path, 'http://double').searchParams);
		sendAnswer(req, res, dispatch(this.ctx, route, { body: parsed.body, query, apikey: headerValue(req.headers.apikey), host: req.headers.host }));
	}

	/** The route table's routes, or a transport route this version has (behind the same guards). */
	private matchAnyRoute(method: string, path: string): MatchedRoute | null {
		const transport = this.transports.match(method, path);
		if (!transport) return matchRoute(method, path);
		return {
			name: 'transport',
			instanceName: transport.instanceName,
			route: { name: 'transport', method: method === 'POST' ? 'POST' : 'GET', path: [], handle: (_ctx, request) => this.transports.answer(transport, request.instance!, request.body) },
		};
	}

	private notifyRequestWaiters(record: RecordedRequest): void {
		for (let index = this.requestWaiters.length - 1; index >= 0; index--) {
			const waiter = this.requestWaiters[index];
			if (waiter.method !== record.method || !record.path.startsWith(waiter.pathPrefix)) continue;
			this.requestWaiters.splice(index, 1);
			waiter.resolve(record);
		}
	}

	private instanceOrThrow(name: string): InstanceState {
		const instance = this.ctx.instances.get(name);
		if (!instance) throw new Error(`Evolution double: no instance named "${name}"`);
		return instance;
	}
}
