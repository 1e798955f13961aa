import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type IHookFunctions,
	type IHttpRequestMethods,
	type IHttpRequestOptions,
	type ILoadOptionsFunctions,
	type IWebhookFunctions,
	type JsonObject,
} from 'n8n-workflow';

import { evolutionPath, type EvolutionRequest } from '../send/evolution-requests';
import { buildSetBody, parseFindAnswer, type WebhookConfig, type WebhookSettings } from './dialect';
import { explainFailure, type FailedCall } from './errors';
import { findEvent, unsupportedEvents } from './events';
import {
	describeServer,
	dialectOfVersion,
	versionForEventChecks,
	type ServerInfo,
	type VersionSetting,
} from './version';

export const EVOLUTION_CREDENTIAL = 'evolutionApi';

/** The n8n contexts that may talk to the server: actions, trigger lifecycle, dropdown loaders and the trigger's webhook (LID look-up). */
export type EvolutionContext = IExecuteFunctions | IHookFunctions | ILoadOptionsFunctions | IWebhookFunctions;

/**
 * Long enough for a busy server; short enough that n8n 2.x, which retries a failed activation 5 times
 * within an 84 s deadline, still shows our message naming the URL when a server hangs.
 */
const REQUEST_TIMEOUT_MS = 10_000;

export interface ClientOptions {
	/** Per-request timeout; default 10 000 ms. */
	timeoutMs?: number;
}

export interface InstanceSummary {
	name: string;
	id: string | null;
	/** open, close, connecting… as the server reports it. */
	status: string | null;
	/** The connected number's JID, when known. */
	owner: string | null;
	profileName: string | null;
}

/** Strips trailing slashes; the base URL may carry a path prefix such as /whatsapp. */
export function normalizeBaseUrl(baseUrl: unknown): string {
	return String(baseUrl ?? '').trim().replace(/\/+$/, '');
}

const ERROR_CODE = /\b(E[A-Z][A-Z_]{3,})\b/;

/**
 * Digs the Node.js error code out of a failed connection. n8n-core rethrows it as a NodeApiError whose
 * own message is generic; the code survives in `httpCode`, in `messages` or on a wrapped `cause`.
 */
function networkCodeOf(error: unknown): string | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
		const record = current as Record<string, unknown>;
		for (const candidate of [record.code, record.httpCode]) {
			if (typeof candidate === 'string' && /^E[A-Z][A-Z_]+$/.test(candidate)) return candidate;
		}
		const texts = [...(Array.isArray(record.messages) ? record.messages : []), record.message];
		for (const text of texts) {
			const match = typeof text === 'string' ? ERROR_CODE.exec(text) : null;
			if (match) return match[1];
		}
		current = record.cause;
	}
	return undefined;
}

/**
 * The only place in the package that sends HTTP to an Evolution-compatible server. It learns the server's
 * dialect once (per execution or lifecycle call), builds every request body through ./dialect and turns
 * every failure into a NodeApiError that says what went wrong.
 */
export class EvolutionClient {
	private serverInfo: Promise<ServerInfo> | undefined;

	private constructor(
		private readonly context: EvolutionContext,
		readonly baseUrl: string,
		private readonly versionSetting: VersionSetting,
		private readonly timeoutMs: number,
	) {}

	static async create(context: EvolutionContext, versionSetting: VersionSetting = 'auto', options: ClientOptions = {}): Promise<EvolutionClient> {
		const credentials = await context.getCredentials(EVOLUTION_CREDENTIAL);
		const baseUrl = normalizeBaseUrl(credentials.baseUrl);
		if (!/^https?:\/\/[^/]/i.test(baseUrl)) {
			throw new NodeOperationError(context.getNode(), `The Evolution API credential has no valid Base URL ("${baseUrl}"): enter it with http:// or https://`, {
				description: 'Enter the server address with http:// or https://, e.g. https://api.example.com or https://api.example.com/whatsapp.',
			});
		}
		return new EvolutionClient(context, baseUrl, versionSetting, options.timeoutMs ?? REQUEST_TIMEOUT_MS);
	}

	/** Sends one request; answers the parsed body, or throws a NodeApiError with a human sentence. */
	private async call(method: IHttpRequestMethods, path: string, options: { body?: IDataObject; instance?: string; timeoutMs?: number } = {}): Promise<unknown> {
		const url = `${this.baseUrl}${path}`;
		const request: IHttpRequestOptions = {
			method,
			url,
			json: true,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: options.timeoutMs ?? this.timeoutMs,
			headers: { Accept: 'application/json' },
		};
		if (options.body !== undefined) request.body = options.body;
		const failed: FailedCall = { method, url, instance: options.instance };
		let response: { statusCode?: number; body?: unknown };
		try {
			response = (await this.context.helpers.httpRequestWithAuthentication.call(this.context, EVOLUTION_CREDENTIAL, request)) as typeof response;
		} catch (error) {
			failed.networkCode = networkCodeOf(error);
			failed.networkMessage = error instanceof Error ? error.message : String(error);
			const explained = explainFailure(failed);
			const unreachable = new NodeApiError(this.context.getNode(), { message: failed.networkMessage, code: failed.networkCode ?? null }, {
				description: explained.description,
			});
			// NodeApiError swaps any message naming ECONNREFUSED & co. for a generic one; ours names URL and reason.
			unreachable.message = explained.message;
			throw unreachable;
		}
		const status = response.statusCode ?? 0;
		if (status >= 200 && status < 300) return response.body;
		failed.status = status;
		failed.body = response.body;
		const explained = explainFailure(failed);
		throw new NodeApiError(this.context.getNode(), { status, body: (response.body ?? null) as JsonObject }, {
			message: explained.message,
			description: explained.description,
			httpCode: String(status),
		});
	}

	/** What server this is; asked once per client, i.e. once per execution or lifecycle call. */
	server(): Promise<ServerInfo> {
		this.serverInfo ??= this.detectServer();
		return this.serverInfo;
	}

	private async detectServer(): Promise<ServerInfo> {
		if (this.versionSetting !== 'auto') {
			// The user named the dialect; the exact version only refines capabilities, so a proxy that
			// blocks GET / must not stop the work.
			const version = await this.reportedVersion().catch(() => null);
			return { dialect: this.versionSetting, version: version && dialectOfVersion(version) === this.versionSetting ? version : null };
		}
		const version = await this.reportedVersion();
		const detected = version ? dialectOfVersion(version) : undefined;
		if (!version || !detected) {
			throw new NodeOperationError(this.context.getNode(), `The server at ${this.baseUrl} did not report its Evolution API version: set "Server Version" to match it`, {
				description: 'Set "Server Version" to v1, v2.0 or v2.1+ to match your server (see the server\'s manager or release notes).',
			});
		}
		return { dialect: detected, version };
	}

	/** GET / is unauthenticated on every version and answers { version }. */
	private async reportedVersion(): Promise<string | null> {
		const answer = (await this.call('GET', '/')) as Record<string, unknown> | null;
		return typeof answer?.version === 'string' ? answer.version : null;
	}

	/**
	 * Sends one request built by ../send/evolution-requests (a message or chat route), with the same
	 * error sentences as every other call, within the client's timeout (the trigger's LID look-up makes a client
	 * with a short one). `blocksForMs`: presence and delayed sends hold the answer
	 * that long, so the timeout grows by it.
	 */
	async send(request: EvolutionRequest, blocksForMs = 0): Promise<unknown> {
		return this.call(request.method, evolutionPath(request), {
			body: request.body as IDataObject,
			instance: request.instance,
			timeoutMs: this.timeoutMs + Math.max(0, blocksForMs),
		});
	}

	async findWebhook(instance: string): Promise<WebhookConfig | null> {
		const answer = await this.call('GET', `/webhook/find/${encodeURIComponent(instance)}`, { instance });
		return parseFindAnswer(answer);
	}

	/**
	 * Writes the instance's one webhook. Events the server's version lacks are refused before anything is
	 * sent, naming each event and the version it needs. Answers the stored config as the server reports it.
	 */
	async setWebhook(instance: string, settings: WebhookSettings): Promise<WebhookConfig | null> {
		const server = await this.server();
		this.assertEventsSupported(server, settings.events);
		const body = buildSetBody(server.dialect, {
			...settings,
			events: settings.events.map((name) => findEvent(name)?.config ?? name),
		});
		const answer = await this.call('POST', `/webhook/set/${encodeURIComponent(instance)}`, { body: body as IDataObject, instance });
		return parseFindAnswer(answer);
	}

	/** A route whose body and answer a pure builder in this folder describes (the event transports use it). */
	async request(method: IHttpRequestMethods, path: string, options: { body?: Record<string, unknown>; instance?: string } = {}): Promise<unknown> {
		return this.call(method, path, { body: options.body as IDataObject | undefined, instance: options.instance });
	}

	assertEventsSupported(server: ServerInfo, events: readonly string[]): void {
		const missing = unsupportedEvents(events, versionForEventChecks(server));
		if (missing.length === 0) return;
		const list = missing.map((problem) => `${problem.config} (needs ${problem.needs})`).join(', ');
		throw new NodeOperationError(this.context.getNode(), `${describeServer(server)} does not support: ${list}. Remove these events or update the server.`, {
			description: 'Remove these events, or update the server.',
		});
	}

	async listInstances(): Promise<InstanceSummary[]> {
		const answer = await this.call('GET', '/instance/fetchInstances');
		const rows = Array.isArray(answer) ? answer : [];
		return rows.flatMap((row): InstanceSummary[] => {
			if (typeof row !== 'object' || row === null) return [];
			// v1 wraps each row in { instance: {...} }; v2 rows are flat.
			const record = ((row as Record<string, unknown>).instance ?? row) as Record<string, unknown>;
			const name = record.instanceName ?? record.name;
			if (typeof name !== 'string' || name === '') return [];
			const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);
			return [
				{
					name,
					id: text(record.instanceId ?? record.id),
					status: text(record.connectionStatus ?? record.status ?? record.state),
					owner: text(record.ownerJid ?? record.owner),
					profileName: text(record.profileName),
				},
			];
		});
	}
}
