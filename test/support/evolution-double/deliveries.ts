/**
 * Webhook POSTs as the server sends them (see docs/protocol.md#delivery-envelope): only when the
 * instance's webhook is enabled, selects the event and passes the version's URL check; the by-events
 * suffix appended without normalising the URL; the 8-key envelope; axios headers plus custom ones.
 */
import { isPlainObject } from './answers';
import { byEventsSuffixOf, configNameOfEvent } from './events';
import { signWebhookJwt } from './jwt';
import { DELIVERY_USER_AGENT, type DeliverOptions, type Delivery, type DoubleContext, type InstanceState } from './types';
import { isUrlLikeValidator, startsWithHttpScheme } from './validate';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** The delivery the server would make for this event, or null when it would not send. Not sent yet. */
export function plannedDelivery(
	ctx: DoubleContext,
	instance: InstanceState,
	event: string,
	data: unknown,
	opts: DeliverOptions,
): Delivery | null {
	if (!instance.loaded) return null;
	const config = deliveryConfigOf(ctx, instance);
	if (!config || !config.enabled) return null;
	if (!Array.isArray(config.events) || !config.events.includes(configNameOfEvent(event))) return null;
	const urlPasses =
		ctx.capabilities.sendUrlCheck === 'httpRegex' ? startsWithHttpScheme(config.url) : isUrlLikeValidator(config.url, false);
	if (!urlPasses) return null;
	const url = String(config.url);
	// No normalisation: a trailing slash gives '//suffix', a query string swallows the suffix.
	const target = config.byEvents ? `${url}/${byEventsSuffixOf(event)}` : url;
	return { url: target, headers: deliveryHeaders(ctx, config.headers), body: envelope(ctx, instance, event, data, url, opts) };
}

/** POSTs it (loopback only unless allowed) and records the answer's status or the failure on the delivery. */
export async function send(ctx: DoubleContext, delivery: Delivery): Promise<void> {
	if (!ctx.options.allowNonLoopbackDeliveries && !isLoopbackUrl(delivery.url)) {
		delivery.error = 'refused: the Evolution double only delivers to loopback addresses';
		return;
	}
	try {
		const response = await fetch(delivery.url, {
			method: 'POST',
			headers: delivery.headers,
			body: JSON.stringify(delivery.body),
			signal: AbortSignal.timeout(ctx.options.deliveryTimeoutMs ?? 10_000),
		});
		await response.arrayBuffer();
		delivery.status = response.status;
	} catch (error) {
		delivery.error = describeFetchError(error);
	}
}

/** What the emitting code reads: v1/2.0 the in-memory localWebhook, 2.1+ the row, fresh each time. */
function deliveryConfigOf(
	ctx: DoubleContext,
	instance: InstanceState,
): { enabled: unknown; url: unknown; events: unknown; byEvents: unknown; headers?: Record<string, unknown> | null } | null {
	if (ctx.capabilities.style === 'v2.1+') {
		const row = instance.row;
		if (!row) return null;
		return {
			enabled: row.enabled,
			url: row.url,
			events: row.events,
			byEvents: row.webhookByEvents,
			headers: ctx.capabilities.hasHeaders ? row.headers : undefined,
		};
	}
	const local = instance.localWebhook;
	return {
		enabled: local.enabled,
		url: local.url,
		events: local.events,
		byEvents: ctx.capabilities.style === 'v1' ? local.webhook_by_events : local.webhookByEvents,
	};
}

/** The 8-key envelope; JSON leaves out `sender` when unknown and v1/2.0 `apikey` when not exposed. */
function envelope(
	ctx: DoubleContext,
	instance: InstanceState,
	event: string,
	data: unknown,
	destination: string,
	opts: DeliverOptions,
): Record<string, unknown> {
	const exposed = ctx.options.exposeApikey ?? true;
	const apikey = opts.apikey !== undefined ? opts.apikey : exposed ? instance.token : null;
	const sender = opts.sender !== undefined ? opts.sender : instance.ownerJid;
	// date_time is the server's local wall-clock time labelled Z.
	const offsetMs = (ctx.options.utcOffsetMinutes ?? -180) * 60_000;
	const body: Record<string, unknown> = {
		event,
		instance: instance.name,
		data,
		destination,
		date_time: new Date(Date.now() + offsetMs).toISOString(),
	};
	if (sender !== null && sender !== undefined) body.sender = sender;
	body.server_url = ctx.serverUrl();
	if (ctx.capabilities.apikeyAlwaysInEnvelope) body.apikey = apikey;
	else if (apikey !== null) body.apikey = apikey;
	return body;
}

/** axios defaults, then the stored custom headers (2.1.1+), with `jwt_key` turned into a Bearer JWT on 2.3+. */
function deliveryHeaders(ctx: DoubleContext, custom: Record<string, unknown> | null | undefined): Record<string, string> {
	const headers: Record<string, string> = {
		Accept: 'application/json, text/plain, */*',
		'Content-Type': 'application/json',
		'User-Agent': DELIVERY_USER_AGENT,
	};
	if (!isPlainObject(custom)) return headers;
	const extra: Record<string, unknown> = { ...custom };
	if (ctx.capabilities.jwtKeyHeader && 'jwt_key' in extra) {
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
