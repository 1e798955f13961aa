import type { InstanceSummary } from './client';
import type { WebhookConfig } from './dialect';
import { N8N_WEBHOOK_PATH, withoutQuery } from './registration';

/**
 * The instance dropdown's entries as pure data: each instance with where its one webhook points today, so a
 * user sees what a trigger would take over ("vendas (open) — webhook: chatwoot.example.com").
 */

/** Finds per dropdown load at most, and at most this many at once: a big server stays cheap to list. */
export const WEBHOOK_LOOKUP_LIMIT = 20;
export const WEBHOOK_LOOKUP_PARALLEL = 5;

/** What a find said: the config (null = no webhook), or that it failed / was not asked. */
export type WebhookLookup = { kind: 'found'; config: WebhookConfig | null } | { kind: 'failed' } | { kind: 'skipped' };

export interface InstanceOption {
	name: string;
	value: string;
	description?: string;
}

function hostOf(url: string): string {
	const match = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]+)/i.exec(url.trim());
	return match ? match[1].replace(/^[^@]*@/, '') : url;
}

/** "webhook: chatwoot.example.com", "webhook: n8n workflow at n8n.example.com", "webhook off (…)", "no webhook". */
export function webhookSummary(config: WebhookConfig | null): string {
	if (config === null || config.url === '') return config?.enabled === false || config === null ? 'no webhook' : 'webhook without URL';
	const url = withoutQuery(config.url);
	const where = N8N_WEBHOOK_PATH.test(url) ? `n8n workflow at ${hostOf(url)}` : hostOf(url);
	return config.enabled ? `webhook: ${where}` : `webhook off (${where})`;
}

export function instanceOption(instance: InstanceSummary, lookup: WebhookLookup): InstanceOption {
	const label = instance.status ? `${instance.name} (${instance.status})` : instance.name;
	const who = instance.profileName ?? instance.owner ?? undefined;
	if (lookup.kind !== 'found') {
		return { name: label, value: instance.name, description: who };
	}
	const url = lookup.config && lookup.config.url !== '' ? withoutQuery(lookup.config.url) : undefined;
	const description = [who, url].filter((part): part is string => part !== undefined).join(' · ');
	return { name: `${label} — ${webhookSummary(lookup.config)}`, value: instance.name, description: description || undefined };
}

export function instanceOptions(instances: InstanceSummary[], lookups: Map<string, WebhookLookup>): InstanceOption[] {
	return instances
		.map((instance) => instanceOption(instance, lookups.get(instance.name) ?? { kind: 'skipped' }))
		.sort((a, b) => a.value.localeCompare(b.value));
}
