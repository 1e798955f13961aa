/**
 * A real HTTP server on 127.0.0.1 that answers like an Evolution API server of a chosen version, for the
 * webhook routes the package uses, and that POSTs webhook deliveries the way that version would.
 * Every behaviour follows /work/shared/spec/evolution-api-webhooks.md (§ numbers below refer to it).
 * Dependency-free on purpose (node:http, node:crypto, global fetch) so any test process can use it.
 */
import * as http from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';

import { byEventsSuffixOf, configNameOfEvent, eventsEnumOf } from './evolution-double/events';
import { signWebhookJwt } from './evolution-double/jwt';
import { isUrlLikeValidator, startsWithHttpScheme, validateLikeEvolution, webhookSchemaOf } from './evolution-double/validate';
import {
	DEFAULT_VERSIONS,
	capabilitiesOf,
	dialectOfVersion,
	parseVersion,
	type Capabilities,
	type DoubleDialect,
	type ParsedVersion,
} from './evolution-double/version';

export { DEFAULT_VERSIONS, type DoubleDialect } from './evolution-double/version';
export { byEventsSuffixOf, configNameOfEvent } from './evolution-double/events';
export { signWebhookJwt } from './evolution-double/jwt';

export const DEFAULT_GLOBAL_KEY = 'double-global-key';
export const WELCOME_MESSAGE = 'Welcome to the Evolution API, it is working!';
/** What the double reports as the WhatsApp Web version on v2 (the real 2.3.6 asks web.whatsapp.com). */
export const DOUBLE_WHATSAPP_WEB_VERSION = '2.3000.1023204200';
/** The User-Agent axios sends; the server uses axios defaults for deliveries (§4 Headers sent). */
export const DELIVERY_USER_AGENT = 'axios/1.7.9';

export interface DoubleInstance {
	name: string;
	token: string;
	/** v2: false = the instance is in the database but not loaded in memory. Default true. */
	loaded?: boolean;
	connectionStatus?: 'open' | 'close' | 'connecting';
	/** The connected number's JID; it is the envelope's `sender` (missing before the first connection). */
	ownerJid?: string;
	profileName?: string;
}

export interface DoubleOptions {
	dialect: DoubleDialect;
	/** Defaults per dialect: see DEFAULT_VERSIONS. Must belong to the dialect. */
	version?: string;
	globalKey?: string;
	instances?: DoubleInstance[];
	/** GET / answers without `version` (some proxies or forks hide it). */
	hideVersion?: boolean;
	/** Path the server is mounted under, e.g. '/whatsapp' like api.l2msg.com/whatsapp. */
	pathPrefix?: string;
	/**
	 * v1 only: DATABASE_ENABLED (Mongo, 'database', the default) or the file store ('file'). 1.x's auth guard looks
	 * instance tokens up for /instance/fetchInstances in the database only, so with the file store that route
	 * answers 401 to any key but the global one; routes that carry the instance name still accept its token.
	 */
	v1Storage?: 'database' | 'file';
	/** AUTHENTICATION_EXPOSE_IN_FETCH_INSTANCES: puts the instance token in envelopes. Default true. */
	exposeApikey?: boolean;
	/** SERVER_URL, the envelope's `server_url`. Default: the double's base URL. */
	serverUrl?: string;
	/** The server's time zone offset from UTC in minutes; `date_time` is local time labelled Z. Default -180 (America/Sao_Paulo, the Docker images' TZ). */
	utcOffsetMinutes?: number;
	/** Abort a delivery POST after this long. Default 10000. */
	deliveryTimeoutMs?: number;
	/** The double refuses to POST anywhere but loopback unless this is true. */
	allowNonLoopbackDeliveries?: boolean;
}

export interface RecordedRequest {
	method: string;
	/** Without the path prefix, with the query string. */
	path: string;
	headers: Record<string, string | string[] | undefined>;
	/** Parsed JSON, or undefined when the body is empty or not JSON. */
	body: unknown;
	rawBody: string;
	at: number;
}

export interface Delivery {
	url: string;
	headers: Record<string, string>;
	body: unknown;
	status?: number;
	error?: string;
}

export type FaultRoute = 'set' | 'find' | 'root' | 'fetchInstances' | 'connectionState';
/** A status with a body (JSON, or a string sent as text/plain), a request never answered until stop(), or a socket reset. */
export type Fault = { status: number; body?: unknown } | 'timeout' | 'reset';

/** A pre-existing webhook, in neutral terms; stored in the dialect's own shape. */
export interface WebhookSeed {
	url: string;
	enabled?: boolean;
	events?: string[];
	byEvents?: boolean;
	base64?: boolean;
	/** 2.1.1+ only; ignored by older versions. */
	headers?: Record<string, unknown> | null;
}

/** v1 find answer (§2a). `webhook_base64` exists from 1.5.3; keys the last set did not send are absent. */
export interface V1WebhookAnswer {
	enabled?: unknown;
	url?: unknown;
	events?: unknown;
	webhook_by_events?: unknown;
	webhook_base64?: unknown;
}

/** v2 find/set answer: the Prisma `Webhook` row (§2b, §2c). `headers` exists from 2.1.1. */
export interface WebhookRow {
	id: string;
	url: string;
	headers?: Record<string, unknown> | null;
	enabled: boolean;
	events: string[];
	webhookByEvents: boolean;
	webhookBase64: boolean;
	createdAt: string;
	updatedAt: string;
	instanceId: string;
}

export interface DeliverOptions {
	/** Overrides the envelope's `sender`; null leaves the key out (before the first connection). Default: the instance's ownerJid. */
	sender?: string | null;
	/** Overrides the envelope's `apikey`; null means "not exposed" (v1/2.0: key absent; 2.1+: null). */
	apikey?: string | null;
}

interface InstanceState {
	name: string;
	token: string;
	loaded: boolean;
	connectionStatus: 'open' | 'close' | 'connecting';
	ownerJid?: string;
	profileName?: string;
	id: string;
	createdAt: string;
	/** v1: the stored document, replaced wholesale on each set. */
	v1Document: Record<string, unknown> | null;
	/** v2: the Prisma row. */
	row: WebhookRow | null;
	/** v1 and 2.0 deliver from the in-memory `localWebhook`, which each set merges into (Object.assign). */
	localWebhook: Record<string, unknown>;
}

interface Answer {
	status: number;
	body: unknown;
}

type RouteName = FaultRoute;
interface MatchedRoute {
	name: RouteName;
	instanceName?: string;
}

const V1_EMPTY_FIND = { enabled: false, url: '', events: [], webhook_by_events: false, webhook_base64: false };

function errorBody(status: number, error: string, message: unknown): Answer {
	return { status, body: { status, error, response: { message } } };
}
const instanceMissing = (name: string) => errorBody(404, 'Not Found', [`The "${name}" instance does not exist`]);
const unauthorized = () => errorBody(401, 'Unauthorized', 'Unauthorized');
/** BadRequestException(...args) keeps its arguments as an array: schema errors arrive as [[...]]. */
const badRequest = (...args: unknown[]) => errorBody(400, 'Bad Request', args);
const typeError = (message: string) => errorBody(500, 'Internal Server Error', message);
const routeMissing = (method: string, url: string) => errorBody(404, 'Not Found', [`Cannot ${method} ${url}`]);

/** The TypeError the controllers throw on `events.length` when `events` is missing (§1, 500). */
function lengthOfEvents(events: unknown): Answer | null {
	if (events === undefined || events === null) {
		return typeError(`Cannot read properties of ${String(events)} (reading 'length')`);
	}
	return null;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function clone<T>(value: T): T {
	return value === undefined ? value : structuredClone(value);
}

function tryParseJson(raw: string): unknown {
	if (raw.trim() === '') return undefined;
	try {
		return JSON.parse(raw);
	} catch {
		return undefined;
	}
}

let idCounter = 0;
/** A cuid-looking id for Prisma rows. */
function newRowId(): string {
	idCounter += 1;
	return `c${Date.now().toString(36)}${idCounter.toString(36).padStart(4, '0')}${randomBytes(6).toString('hex')}`.slice(0, 25);
}

function normalisePrefix(prefix: string | undefined): string {
	if (!prefix) return '';
	const withSlash = prefix.startsWith('/') ? prefix : `/${prefix}`;
	return withSlash.replace(/\/+$/, '');
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

export class EvolutionDouble {
	readonly dialect: DoubleDialect;
	readonly version: string;
	readonly globalKey: string;
	readonly requests: RecordedRequest[] = [];
	readonly deliveries: Delivery[] = [];

	private readonly parsedVersion: ParsedVersion;
	private readonly capabilities: Capabilities;
	private readonly options: DoubleOptions;
	private readonly prefix: string;
	private readonly instances = new Map<string, InstanceState>();
	private readonly faults = new Map<FaultRoute, Fault[]>();
	private server: http.Server | null = null;
	private origin: string | null = null;

	constructor(options: DoubleOptions) {
		this.options = options;
		this.dialect = options.dialect;
		this.version = options.version ?? DEFAULT_VERSIONS[options.dialect];
		this.parsedVersion = parseVersion(this.version);
		if (dialectOfVersion(this.parsedVersion) !== options.dialect) {
			throw new Error(`Evolution double: version ${this.version} does not belong to dialect ${options.dialect}`);
		}
		this.capabilities = capabilitiesOf(this.parsedVersion);
		this.globalKey = options.globalKey ?? DEFAULT_GLOBAL_KEY;
		this.prefix = normalisePrefix(options.pathPrefix);
		for (const instance of options.instances ?? []) this.addInstance(instance);
	}

	/** The per-instance events enum of this version (what set accepts, and what `events: []` stores). */
	get eventsEnum(): readonly string[] {
		return eventsEnumOf(this.parsedVersion);
	}

	get baseUrl(): string {
		if (!this.origin) throw new Error('Evolution double: not started');
		return `${this.origin}${this.prefix}`;
	}

	async start(): Promise<string> {
		if (this.server) return this.baseUrl;
		const server = http.createServer((req, res) => {
			this.handle(req, res).catch((error: unknown) => {
				if (!res.headersSent) this.send(req, res, typeError(error instanceof Error ? error.message : String(error)));
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
		this.instances.set(instance.name, {
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
		if (this.capabilities.style === 'v1') return this.v1FindAnswer(instance);
		return clone(instance.row);
	}

	/** A pre-existing webhook (for example a user's own integration), stored without validation. */
	seedWebhook(name: string, seed: WebhookSeed): void {
		const instance = this.instanceOrThrow(name);
		const enabled = seed.enabled ?? true;
		const events = seed.events ?? [];
		if (this.capabilities.style === 'v1') {
			const document: Record<string, unknown> = {
				enabled,
				url: seed.url,
				events,
				webhook_by_events: seed.byEvents ?? false,
			};
			if (this.capabilities.hasV1Base64) document.webhook_base64 = seed.base64 ?? false;
			instance.v1Document = document;
			instance.localWebhook = clone(document);
			return;
		}
		const now = new Date().toISOString();
		instance.row = this.composeRow(instance, {
			url: seed.url,
			headers: seed.headers ?? null,
			enabled,
			events,
			webhookByEvents: seed.byEvents ?? false,
			webhookBase64: seed.base64 ?? false,
			createdAt: now,
			updatedAt: now,
		});
		instance.localWebhook = this.localWebhookFromRow(instance.row);
	}

	/** One-shot fault for the next request to that route; several calls queue up in order. */
	failNext(route: FaultRoute, fault: Fault): void {
		const queue = this.faults.get(route) ?? [];
		queue.push(fault);
		this.faults.set(route, queue);
	}

	/**
	 * Emit an event the way the server would (§4): only when the instance's webhook is enabled, selects the
	 * event's config name and passes this version's URL check. Returns null when the server would not send.
	 */
	async deliver(name: string, event: string, data: unknown, opts: DeliverOptions = {}): Promise<Delivery | null> {
		const instance = this.instanceOrThrow(name);
		if (!instance.loaded) return null;
		const config = this.deliveryConfigOf(instance);
		if (!config || !config.enabled) return null;
		const configName = configNameOfEvent(event);
		if (!Array.isArray(config.events) || !config.events.includes(configName)) return null;
		const urlPasses =
			this.capabilities.sendUrlCheck === 'httpRegex'
				? startsWithHttpScheme(config.url)
				: isUrlLikeValidator(config.url, false);
		if (!urlPasses) return null;
		const url = String(config.url);
		// No normalisation: a trailing slash gives '//suffix', a query string swallows the suffix (§4).
		const target = config.byEvents ? `${url}/${byEventsSuffixOf(event)}` : url;

		const body = this.envelope(instance, event, data, url, opts);
		const headers = this.deliveryHeaders(config.headers);
		const delivery: Delivery = { url: target, headers, body };
		this.deliveries.push(delivery);

		if (!this.options.allowNonLoopbackDeliveries && !isLoopbackUrl(target)) {
			delivery.error = 'refused: the Evolution double only delivers to loopback addresses';
			return delivery;
		}
		try {
			const response = await fetch(target, {
				method: 'POST',
				headers,
				body: JSON.stringify(body),
				signal: AbortSignal.timeout(this.options.deliveryTimeoutMs ?? 10_000),
			});
			await response.arrayBuffer();
			delivery.status = response.status;
		} catch (error) {
			delivery.error = describeFetchError(error);
		}
		return delivery;
	}

	// ---------------------------------------------------------------- HTTP plumbing

	private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		const rawBody = Buffer.concat(chunks).toString('utf8');
		const method = (req.method ?? 'GET').toUpperCase();
		const fullUrl = req.url ?? '/';
		const path = this.stripPrefix(fullUrl);
		this.requests.push({
			method,
			path: path ?? fullUrl,
			headers: { ...req.headers },
			body: tryParseJson(rawBody),
			rawBody,
			at: Date.now(),
		});
		if (path === null) return this.send(req, res, routeMissing(method, fullUrl));

		const route = matchRoute(method, path);
		const fault = route ? this.faults.get(route.name)?.shift() : undefined;
		if (fault) return this.applyFault(fault, req, res);

		const parsed = parseBodyLikeExpress(req.headers['content-type'], rawBody);
		if ('parseError' in parsed) {
			// Evolution's error middleware: body-parser's SyntaxError carries status 400 but no `error` field.
			return this.send(req, res, errorBody(400, 'Internal Server Error', parsed.parseError));
		}
		if (!route) return this.send(req, res, routeMissing(method, path));
		const query = Object.fromEntries(new URL(path, 'http://double').searchParams);
		this.send(req, res, this.answer(route, parsed.body, req, query));
	}

	private stripPrefix(url: string): string | null {
		if (!this.prefix) return url;
		if (url === this.prefix) return '/';
		if (url.startsWith(`${this.prefix}/`)) return url.slice(this.prefix.length);
		if (url.startsWith(`${this.prefix}?`)) return `/${url.slice(this.prefix.length)}`;
		return null;
	}

	private applyFault(fault: Fault, req: http.IncomingMessage, res: http.ServerResponse): void {
		if (fault === 'timeout') return; // never answered; stop() closes the socket
		if (fault === 'reset') {
			req.socket.destroy();
			return;
		}
		if (typeof fault.body === 'string') {
			res.writeHead(fault.status, { 'Content-Type': 'text/plain; charset=utf-8' });
			res.end(req.method === 'HEAD' ? undefined : fault.body);
			return;
		}
		const statusText = http.STATUS_CODES[fault.status] ?? 'Error';
		const body = fault.body === undefined ? errorBody(fault.status, statusText, statusText).body : fault.body;
		this.send(req, res, { status: fault.status, body });
	}

	private send(req: http.IncomingMessage, res: http.ServerResponse, answer: Answer): void {
		const text = JSON.stringify(answer.body) ?? '';
		res.writeHead(answer.status, {
			'Content-Type': 'application/json; charset=utf-8',
			'Content-Length': Buffer.byteLength(text),
			'X-Powered-By': 'Express',
			'Access-Control-Allow-Origin': '*',
		});
		res.end(req.method === 'HEAD' ? undefined : text);
	}

	private answer(route: MatchedRoute, body: unknown, req: http.IncomingMessage, query: Record<string, string>): Answer {
		if (route.name === 'root') return this.rootAnswer(req);
		const apikey = headerValue(req.headers.apikey);
		if (route.name === 'fetchInstances') return this.fetchInstancesAnswer(apikey, query);

		// Guard order (§1): instance exists → (logged) → auth. An unknown instance is 404 whatever the key.
		const name = route.instanceName!;
		const instance = this.instances.get(name);
		if (!instance) return instanceMissing(name);
		if (!apikey || (apikey !== this.globalKey && apikey !== instance.token)) return unauthorized();

		if (route.name === 'connectionState') {
			const state = instance.loaded ? instance.connectionStatus : undefined;
			return { status: 200, body: { instance: { instanceName: name, state } } };
		}
		if (route.name === 'find') return this.findAnswer(instance);
		return this.setAnswer(instance, body, query);
	}

	// ---------------------------------------------------------------- routes

	private rootAnswer(req: http.IncomingMessage): Answer {
		const version = this.options.hideVersion ? undefined : this.version;
		const body: Record<string, unknown> = { status: 200, message: WELCOME_MESSAGE, version };
		if (this.capabilities.rootHasV2Fields) {
			body.clientName = 'evolution_exchange';
			body.manager = `http://${req.headers.host ?? '127.0.0.1'}/manager`;
			body.documentation = 'https://doc.evolution-api.com';
			body.whatsappWebVersion = DOUBLE_WHATSAPP_WEB_VERSION;
		} else {
			body.documentation = 'https://doc.evolution-api.com';
		}
		return { status: 200, body };
	}

	private setAnswer(instance: InstanceState, body: unknown, query: Record<string, string>): Answer {
		// dataValidate: Object.assign(new Dto(), body), so an array body becomes an object with index keys.
		const data: Record<string, unknown> = Object.assign({}, clone(body));
		const errors = validateLikeEvolution(data, webhookSchemaOf(this.capabilities, this.eventsEnum));
		if (errors.length > 0) return badRequest(errors);
		if (this.capabilities.style === 'v2.1+') return this.setNested(instance, data.webhook as Record<string, unknown>);
		return this.setFlat(instance, data, query);
	}

	/** v1 and 2.0 (§2a, §2b): flat body, disabling blanks url and events, the answer echoes the DTO. */
	private setFlat(instance: InstanceState, data: Record<string, unknown>, query: Record<string, string>): Answer {
		if (!isUrlLikeValidator(data.url, false)) return badRequest('Invalid "url" property');
		data.enabled = data.enabled ?? true;
		if (!data.enabled) {
			data.url = '';
			data.events = [];
		} else {
			const crash = lengthOfEvents(data.events);
			if (crash) return crash;
			if ((data.events as unknown[]).length === 0) data.events = [...this.eventsEnum];
		}
		if (!instance.loaded) return typeError("Cannot read properties of undefined (reading 'setWebhook')");

		if (this.capabilities.style === 'v1') {
			instance.v1Document = clone(data); // replaceOne / file overwrite: wholesale
		} else {
			this.upsertRow(instance, {
				url: data.url as string,
				enabled: data.enabled as boolean,
				events: data.events as string[],
				webhookByEvents: data.webhookByEvents as boolean | undefined,
				webhookBase64: data.webhookBase64 as boolean | undefined,
			});
		}
		Object.assign(instance.localWebhook, clone(data));
		return { status: 201, body: { webhook: { instanceName: instance.name, ...query, webhook: data } } };
	}

	/** 2.1.0+ (§2c): nested body, disabling keeps the url, upsert keeps omitted keys, the answer is the row. */
	private setNested(instance: InstanceState, webhook: Record<string, unknown>): Answer {
		if (this.capabilities.checksUrlAtSet && !isUrlLikeValidator(webhook.url, false)) {
			return badRequest('Invalid "url" property');
		}
		if (!webhook.enabled) {
			webhook.events = [];
		} else {
			const crash = lengthOfEvents(webhook.events);
			if (crash) return crash;
			if ((webhook.events as unknown[]).length === 0) webhook.events = [...this.eventsEnum];
		}
		if (!instance.loaded) return typeError("Cannot read properties of undefined (reading 'instanceId')");
		const row = this.upsertRow(instance, {
			url: webhook.url as string,
			enabled: webhook.enabled as boolean,
			events: webhook.events as string[],
			headers: this.capabilities.hasHeaders ? (webhook.headers as Record<string, unknown> | undefined) : undefined,
			webhookByEvents: webhook.byEvents as boolean | undefined,
			webhookBase64: webhook.base64 as boolean | undefined,
		});
		return { status: 201, body: row };
	}

	private findAnswer(instance: InstanceState): Answer {
		if (this.capabilities.style === 'v2.1+') {
			// EventController.get: an instance not in memory reads as "no webhook".
			return { status: 200, body: instance.loaded ? clone(instance.row) : null };
		}
		if (!instance.loaded) return typeError("Cannot read properties of undefined (reading 'findWebhook')");
		if (this.capabilities.style === 'v1') return { status: 200, body: this.v1FindAnswer(instance) };
		return { status: 200, body: clone(instance.row) };
	}

	private fetchInstancesAnswer(apikey: string | undefined, query: Record<string, string>): Answer {
		if (!apikey) return unauthorized();
		let visible = [...this.instances.values()];
		if (apikey !== this.globalKey) {
			if (this.capabilities.style === 'v1' && this.options.v1Storage === 'file') return unauthorized();
			visible = visible.filter((i) => i.token === apikey);
			if (visible.length === 0) return unauthorized();
		}
		if (this.capabilities.style === 'v1') visible = visible.filter((i) => i.loaded); // v1 lists memory only
		const wanted = query.instanceName;
		if (wanted !== undefined) {
			visible = visible.filter((i) => i.name === wanted);
			if (visible.length === 0 || (this.capabilities.style !== 'v1' && !visible[0].loaded)) {
				return errorBody(404, 'Not Found', [`Instance "${wanted}" not found`]);
			}
		}
		if (this.capabilities.style === 'v1') {
			const entries = visible.map((i) => this.v1InstanceEntry(i));
			// v1 answers a single object when one name was asked for.
			return { status: 200, body: wanted !== undefined ? entries[0] : entries };
		}
		return { status: 200, body: visible.map((i) => this.v2InstanceEntry(i)) };
	}

	private v1InstanceEntry(instance: InstanceState): Record<string, unknown> {
		const entry: Record<string, unknown> = { instanceName: instance.name, instanceId: instance.id };
		if (instance.connectionStatus === 'open') {
			entry.owner = instance.ownerJid;
			entry.profileName = instance.profileName ?? 'not loaded';
			entry.profilePictureUrl = null;
			entry.profileStatus = '';
		}
		entry.status = instance.connectionStatus;
		if (this.options.exposeApikey ?? true) {
			entry.serverUrl = this.serverUrl();
			entry.apikey = instance.token;
		}
		return { instance: entry };
	}

	private v2InstanceEntry(instance: InstanceState): Record<string, unknown> {
		return {
			id: instance.id,
			name: instance.name,
			connectionStatus: instance.connectionStatus,
			ownerJid: instance.ownerJid ?? null,
			profileName: instance.profileName ?? null,
			profilePicUrl: null,
			integration: 'WHATSAPP-BAILEYS',
			number: null,
			businessId: null,
			token: instance.token,
			clientName: 'evolution_exchange',
			disconnectionReasonCode: null,
			disconnectionObject: null,
			disconnectionAt: null,
			createdAt: instance.createdAt,
			updatedAt: instance.createdAt,
			Chatwoot: null,
			Proxy: null,
			Rabbitmq: null,
			Sqs: null,
			Websocket: null,
			Setting: null,
			_count: { Message: 0, Contact: 0, Chat: 0 },
		};
	}

	// ---------------------------------------------------------------- storage

	private v1FindAnswer(instance: InstanceState): V1WebhookAnswer {
		const base64 = this.capabilities.hasV1Base64;
		const document = instance.v1Document;
		if (!document) {
			const empty: V1WebhookAnswer = clone(V1_EMPTY_FIND);
			if (!base64) delete empty.webhook_base64; // 1.5.0 – 1.5.2 have no base64 option
			return empty;
		}
		// findWebhook picks these keys; JSON drops the ones the last set did not send.
		const answer: V1WebhookAnswer = {
			enabled: document.enabled,
			url: document.url,
			events: document.events,
			webhook_by_events: document.webhook_by_events,
		};
		if (base64) answer.webhook_base64 = document.webhook_base64;
		return JSON.parse(JSON.stringify(answer)) as V1WebhookAnswer;
	}

	/** Prisma upsert on the unique instanceId: undefined keys leave the old value; create applies defaults. */
	private upsertRow(
		instance: InstanceState,
		fields: {
			url: string;
			enabled: boolean;
			events: string[];
			headers?: Record<string, unknown>;
			webhookByEvents?: boolean;
			webhookBase64?: boolean;
		},
	): WebhookRow {
		const now = new Date().toISOString();
		const old = instance.row;
		const defined = <T>(value: T | undefined, fallback: T): T => (value === undefined ? fallback : value);
		instance.row = this.composeRow(instance, {
			id: old?.id,
			url: fields.url,
			headers: clone(defined(fields.headers, old?.headers ?? null) as Record<string, unknown> | null),
			enabled: fields.enabled,
			events: clone(fields.events),
			webhookByEvents: defined(fields.webhookByEvents, old?.webhookByEvents ?? false),
			webhookBase64: defined(fields.webhookBase64, old?.webhookBase64 ?? false),
			createdAt: old?.createdAt ?? now,
			updatedAt: now,
		});
		return clone(instance.row);
	}

	/** The row with Prisma's field order; `headers` only exists from 2.1.1. */
	private composeRow(
		instance: InstanceState,
		fields: Omit<WebhookRow, 'id' | 'instanceId'> & { id?: string },
	): WebhookRow {
		const row: Partial<WebhookRow> = { id: fields.id ?? newRowId(), url: fields.url };
		if (this.capabilities.hasHeaders) row.headers = fields.headers ?? null;
		Object.assign(row, {
			enabled: fields.enabled,
			events: fields.events,
			webhookByEvents: fields.webhookByEvents,
			webhookBase64: fields.webhookBase64,
			createdAt: fields.createdAt,
			updatedAt: fields.updatedAt,
			instanceId: instance.id,
		});
		return row as WebhookRow;
	}

	private localWebhookFromRow(row: WebhookRow): Record<string, unknown> {
		return {
			enabled: row.enabled,
			url: row.url,
			events: clone(row.events),
			webhookByEvents: row.webhookByEvents,
			webhookBase64: row.webhookBase64,
		};
	}

	// ---------------------------------------------------------------- deliveries

	/** What the emitting code reads: v1/2.0 the in-memory localWebhook, 2.1+ the row, fresh each time. */
	private deliveryConfigOf(instance: InstanceState): {
		enabled: unknown;
		url: unknown;
		events: unknown;
		byEvents: unknown;
		headers?: Record<string, unknown> | null;
	} | null {
		if (this.capabilities.style === 'v2.1+') {
			const row = instance.row;
			if (!row) return null;
			return {
				enabled: row.enabled,
				url: row.url,
				events: row.events,
				byEvents: row.webhookByEvents,
				headers: this.capabilities.hasHeaders ? row.headers : undefined,
			};
		}
		const local = instance.localWebhook;
		return {
			enabled: local.enabled,
			url: local.url,
			events: local.events,
			byEvents: this.capabilities.style === 'v1' ? local.webhook_by_events : local.webhookByEvents,
		};
	}

	/** The 8-key envelope (§4); JSON leaves out `sender` when unknown and v1/2.0 `apikey` when not exposed. */
	private envelope(
		instance: InstanceState,
		event: string,
		data: unknown,
		destination: string,
		opts: DeliverOptions,
	): Record<string, unknown> {
		const exposed = this.options.exposeApikey ?? true;
		const apikey = opts.apikey !== undefined ? opts.apikey : exposed ? instance.token : null;
		const sender = opts.sender !== undefined ? opts.sender : instance.ownerJid;
		const offsetMs = (this.options.utcOffsetMinutes ?? -180) * 60_000;
		const body: Record<string, unknown> = {
			event,
			instance: instance.name,
			data,
			destination,
			date_time: new Date(Date.now() + offsetMs).toISOString(),
		};
		if (sender !== null && sender !== undefined) body.sender = sender;
		body.server_url = this.serverUrl();
		if (this.capabilities.apikeyAlwaysInEnvelope) body.apikey = apikey;
		else if (apikey !== null) body.apikey = apikey;
		return body;
	}

	/** axios defaults, then the stored custom headers (2.1.1+), with `jwt_key` turned into a Bearer JWT on 2.3+. */
	private deliveryHeaders(custom: Record<string, unknown> | null | undefined): Record<string, string> {
		const headers: Record<string, string> = {
			Accept: 'application/json, text/plain, */*',
			'Content-Type': 'application/json',
			'User-Agent': DELIVERY_USER_AGENT,
		};
		if (!isPlainObject(custom)) return headers;
		const extra: Record<string, unknown> = { ...custom };
		if (this.capabilities.jwtKeyHeader && 'jwt_key' in extra) {
			extra.Authorization = `Bearer ${signWebhookJwt(String(extra.jwt_key))}`;
			delete extra.jwt_key;
		}
		for (const [name, value] of Object.entries(extra)) {
			for (const existing of Object.keys(headers)) {
				if (existing.toLowerCase() === name.toLowerCase()) delete headers[existing];
			}
			headers[name] = String(value);
		}
		return headers;
	}

	private serverUrl(): string {
		return this.options.serverUrl ?? this.baseUrl;
	}

	private instanceOrThrow(name: string): InstanceState {
		const instance = this.instances.get(name);
		if (!instance) throw new Error(`Evolution double: no instance named "${name}"`);
		return instance;
	}
}

// ---------------------------------------------------------------- helpers without state

function headerValue(value: string | string[] | undefined): string | undefined {
	return Array.isArray(value) ? value.join(', ') : value;
}

/** Express routing: case-insensitive, optional trailing slash, params URL-decoded. */
function matchRoute(method: string, pathWithQuery: string): MatchedRoute | null {
	let pathname = pathWithQuery.split('?')[0];
	if (pathname.length > 1 && pathname.endsWith('/')) pathname = pathname.slice(0, -1);
	const segments = pathname.split('/').slice(1);
	const lower = segments.map((s) => s.toLowerCase());
	const isGet = method === 'GET' || method === 'HEAD';
	const decode = (segment: string) => {
		try {
			return decodeURIComponent(segment);
		} catch {
			return segment;
		}
	};
	if (isGet && (pathname === '/' || pathname === '')) return { name: 'root' };
	if (segments.length === 3 && segments[2] !== '') {
		if (method === 'POST' && lower[0] === 'webhook' && lower[1] === 'set') {
			return { name: 'set', instanceName: decode(segments[2]) };
		}
		if (isGet && lower[0] === 'webhook' && lower[1] === 'find') return { name: 'find', instanceName: decode(segments[2]) };
		if (isGet && lower[0] === 'instance' && lower[1] === 'connectionstate') {
			return { name: 'connectionState', instanceName: decode(segments[2]) };
		}
	}
	if (isGet && segments.length === 2 && lower[0] === 'instance' && lower[1] === 'fetchinstances') {
		return { name: 'fetchInstances' };
	}
	return null;
}

/** express.json(): only JSON content types are parsed, an empty body is {}, top level must be an object or array. */
function parseBodyLikeExpress(
	contentType: string | undefined,
	raw: string,
): { body: unknown } | { parseError: string } {
	const isJson = /^\s*application\/json\s*(?:;|$)/i.test(contentType ?? '');
	if (!isJson || raw.length === 0) return { body: {} };
	const first = raw.trimStart()[0];
	if (first !== '{' && first !== '[') {
		return { parseError: `Unexpected token ${first ?? ''} in JSON at position ${raw.length - raw.trimStart().length}` };
	}
	try {
		return { body: JSON.parse(raw) };
	} catch (error) {
		return { parseError: (error as Error).message };
	}
}

function isLoopbackUrl(target: string): boolean {
	try {
		return LOOPBACK_HOSTS.has(new URL(target).hostname);
	} catch {
		return true; // not a URL at all: fetch itself rejects it, nothing leaves the machine
	}
}

function describeFetchError(error: unknown): string {
	if (!(error instanceof Error)) return String(error);
	const cause = (error as Error & { cause?: unknown }).cause;
	if (cause instanceof Error) {
		const code = (cause as Error & { code?: string }).code;
		return `${error.message}: ${code ?? cause.message}`;
	}
	return error.name === 'TimeoutError' ? `timeout: ${error.message}` : error.message;
}
