import type { Dialect } from './version';

/**
 * One instance's webhook as every dialect's find answer is read into (docs/protocol.md#dialects): the one shape the rest
 * of the package reasons about. `null` everywhere means "no webhook configured".
 */
export interface WebhookConfig {
	url: string;
	enabled: boolean;
	/** UPPER_SNAKE config names. */
	events: string[];
	byEvents: boolean;
	base64: boolean;
	/** Custom delivery headers (2.1.1+); null when the server keeps none or cannot keep any. */
	headers: Record<string, string> | null;
}

/**
 * What to write with set. `headers` undefined means "do not mention headers" (servers before 2.1.1
 * have none); `{}` clears them on 2.1.1+, where an omitted key keeps its old value.
 */
export interface WebhookSettings {
	url: string;
	enabled: boolean;
	events: string[];
	byEvents: boolean;
	base64: boolean;
	headers?: Record<string, string>;
}

/**
 * The body `POST /webhook/set/{instance}` expects in each dialect. The events array is always explicit:
 * servers answer 500 when it is missing.
 */
export function buildSetBody(dialect: Dialect, settings: WebhookSettings): Record<string, unknown> {
	const events = [...settings.events];
	switch (dialect) {
		case 'v1':
			return {
				enabled: settings.enabled,
				url: settings.url,
				webhook_by_events: settings.byEvents,
				webhook_base64: settings.base64,
				events,
			};
		case 'v2.0':
			return {
				enabled: settings.enabled,
				url: settings.url,
				webhookByEvents: settings.byEvents,
				webhookBase64: settings.base64,
				events,
			};
		case 'v2.1': {
			const webhook: Record<string, unknown> = {
				enabled: settings.enabled,
				url: settings.url,
				events,
				byEvents: settings.byEvents,
				base64: settings.base64,
			};
			if (settings.headers !== undefined) webhook.headers = { ...settings.headers };
			return { webhook };
		}
	}
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function firstBoolean(source: Record<string, unknown>, keys: string[]): boolean {
	for (const key of keys) {
		if (typeof source[key] === 'boolean') return source[key] as boolean;
	}
	return false;
}

function stringHeaders(value: unknown): Record<string, string> | null {
	if (!isRecord(value)) return null;
	const headers: Record<string, string> = {};
	for (const [key, headerValue] of Object.entries(value)) {
		if (headerValue !== undefined && headerValue !== null) headers[key] = String(headerValue);
	}
	return headers;
}

/**
 * Reads a find answer of any dialect into a WebhookConfig. Tolerant on purpose: clones mix the v1 and
 * v2 key spellings, and the v1 set answer nests the config one level down. The v2 `null` body and the
 * v1 `{ enabled: false, url: "" }` both mean "no webhook".
 */
export function parseFindAnswer(answer: unknown): WebhookConfig | null {
	let source: unknown = answer;
	// A set answer in the v1 / v2.0 shape: { webhook: { instanceName, webhook: {...} } }.
	while (isRecord(source) && isRecord(source.webhook) && source.url === undefined) source = source.webhook;
	if (!isRecord(source)) return null;
	const url = typeof source.url === 'string' ? source.url : '';
	const enabled = source.enabled !== false;
	if (url === '' && !enabled) return null;
	if (url === '' && source.enabled === undefined) return null;
	return {
		url,
		enabled,
		events: Array.isArray(source.events) ? source.events.filter((name): name is string => typeof name === 'string') : [],
		byEvents: firstBoolean(source, ['webhookByEvents', 'webhook_by_events', 'byEvents']),
		base64: firstBoolean(source, ['webhookBase64', 'webhook_base64', 'base64']),
		headers: stringHeaders(source.headers),
	};
}

/** The settings that write `config` back exactly; used to restore a snapshot. */
export function settingsFromConfig(config: WebhookConfig, withHeaders: boolean): WebhookSettings {
	const settings: WebhookSettings = {
		url: config.url,
		enabled: config.enabled,
		events: [...config.events],
		byEvents: config.byEvents,
		base64: config.base64,
	};
	if (withHeaders) settings.headers = { ...(config.headers ?? {}) };
	return settings;
}

/**
 * The one recipe that turns a webhook off: the same settings with `enabled: false`, so only the switch
 * changes. What the server keeps of them differs (read in each version's set controller):
 * - every version (1.x, 2.0.x, 2.1.0 – 2.3.6) stores `events: []` for a disabled webhook, whatever was sent;
 * - 1.x and 2.0.x also blank the URL (and need a valid one in the request);
 * - 2.1+ keeps the URL, by-events and base64 flags, and (2.1.1+) the headers.
 * The events are sent all the same: a server that keeps them, keeps them. Callers that add nothing of
 * their own to the webhook pass it as it is; the trigger first strips its own secret.
 */
export function disabledSettingsOf(current: WebhookConfig, withHeaders: boolean): WebhookSettings {
	return { ...settingsFromConfig(current, withHeaders), enabled: false };
}
