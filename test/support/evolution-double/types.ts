/**
 * The double's vocabulary: what tests configure and read back (public, re-exported by
 * evolution-double.ts) and the per-instance state the route and delivery modules share.
 */
import type { SendRoutesOptions } from './send-routes';
import type { TransportSwitches } from './transport-routes';
import type { Capabilities, DoubleDialect } from './version';

export const DEFAULT_GLOBAL_KEY = 'double-global-key';
export const WELCOME_MESSAGE = 'Welcome to the Evolution API, it is working!';
/** What the double reports as the WhatsApp Web version on v2 (the real 2.3.6 asks web.whatsapp.com). */
export const DOUBLE_WHATSAPP_WEB_VERSION = '2.3000.1023204200';
/** The User-Agent axios sends; the server uses axios defaults for deliveries. */
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
	/** RABBITMQ_ENABLED, SQS_ENABLED… in the server's environment (default: all on). */
	transports?: TransportSwitches;
	/** The message and chat routes (send, presence, read, download): numbers not on WhatsApp, stored messages. */
	send?: SendRoutesOptions;
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

/** The routes the double serves (see ROUTES in router.ts); a fault can be queued for each. */
/** `send`: any message or chat route (send-routes.ts: sendText, whatsappNumbers…). */
export type FaultRoute = 'set' | 'find' | 'root' | 'fetchInstances' | 'connectionState' | 'transport' | 'send';
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

/** v1 find answer. `webhook_base64` exists from 1.5.3; keys the last set did not send are absent. */
export interface V1WebhookAnswer {
	enabled?: unknown;
	url?: unknown;
	events?: unknown;
	webhook_by_events?: unknown;
	webhook_base64?: unknown;
}

/** v2 find/set answer: the Prisma `Webhook` row. `headers` exists from 2.1.1. */
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


/** One instance as the server holds it. */
export interface InstanceState {
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

export interface Answer {
	status: number;
	body: unknown;
}

/** What every route handler and the delivery code may read: fixed at construction except `instances`. */
export interface DoubleContext {
	readonly options: DoubleOptions;
	readonly version: string;
	readonly globalKey: string;
	readonly capabilities: Capabilities;
	/** The per-instance events enum of this version (what set accepts, and what `events: []` stores). */
	readonly eventsEnum: readonly string[];
	readonly instances: Map<string, InstanceState>;
	/** SERVER_URL: the envelope's `server_url` and the v1 fetchInstances `serverUrl`. */
	serverUrl(): string;
}
