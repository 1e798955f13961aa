import type { IDataObject } from 'n8n-workflow';

import type { EvolutionClient, InstanceSummary } from '../lib/evolution/client';
import { disabledSettingsOf, type WebhookConfig, type WebhookSettings } from '../lib/evolution/dialect';
import { EVOLUTION_EVENTS, isSupportedBy } from '../lib/evolution/events';
import { supportsWebhookHeaders, versionForEventChecks } from '../lib/evolution/version';

/** One function per operation of the Evolution API Webhook node: plain inputs in, JSON out. */

function webhookJson(instance: string, config: WebhookConfig | null): IDataObject {
	return {
		instance,
		exists: config !== null,
		url: config?.url ?? null,
		enabled: config?.enabled ?? false,
		events: config?.events ?? [],
		byEvents: config?.byEvents ?? false,
		base64: config?.base64 ?? false,
		headers: config?.headers ?? null,
	};
}

export async function findWebhook(client: EvolutionClient, instance: string): Promise<IDataObject> {
	return webhookJson(instance, await client.findWebhook(instance));
}

export interface SetWebhookInput {
	url: string;
	enabled: boolean;
	/** Config names; empty means every event this server can send. */
	events: string[];
	byEvents: boolean;
	base64: boolean;
	headers: Record<string, string>;
}

export async function setWebhook(client: EvolutionClient, instance: string, input: SetWebhookInput): Promise<IDataObject> {
	const server = await client.server();
	const canKeepHeaders = supportsWebhookHeaders(server);
	if (Object.keys(input.headers).length > 0 && !canKeepHeaders) {
		// Servers before 2.1.1 would drop the headers silently.
		throw new Error(
			`Custom headers need Evolution API 2.1.1 or newer; this server is ${server.version ?? server.dialect}. Remove the headers.`,
		);
	}
	const version = versionForEventChecks(server);
	const events =
		input.events.length > 0
			? input.events
			: EVOLUTION_EVENTS.filter((entry) => entry.delivered && isSupportedBy(entry, version)).map((entry) => entry.config);
	const settings: WebhookSettings = {
		url: input.url,
		enabled: input.enabled,
		events,
		byEvents: input.byEvents,
		base64: input.base64,
	};
	// Set replaces the whole config: on 2.1.1+ an omitted headers key would keep the old headers.
	if (canKeepHeaders) settings.headers = input.headers;
	const stored = await client.setWebhook(instance, settings);
	// v1 and 2.0 blank the URL of a disabled webhook, so their answer then reads as "no webhook" (docs/protocol.md#dialects).
	// Only an enabled set whose answer cannot be read falls back to what was sent.
	return webhookJson(instance, stored ?? (input.enabled ? { ...settings, headers: settings.headers ?? null } : null));
}

/**
 * Turns the webhook off and changes nothing else (one recipe: disabledSettingsOf). Every server version
 * forgets the event list of a disabled webhook, and v1 and 2.0 its URL too, so the output also says what
 * the webhook had before (`before`), ready for a later Set.
 */
export async function disableWebhook(client: EvolutionClient, instance: string): Promise<IDataObject> {
	const current = await client.findWebhook(instance);
	if (current === null || !current.enabled) return { ...webhookJson(instance, current), changed: false };
	const server = await client.server();
	const stored = await client.setWebhook(instance, disabledSettingsOf(current, supportsWebhookHeaders(server)));
	// The server's answer, not the request: it shows what this version kept.
	return { ...webhookJson(instance, stored), changed: true, before: webhookJson(instance, current) };
}

export async function listInstances(client: EvolutionClient): Promise<InstanceSummary[]> {
	return client.listInstances();
}
