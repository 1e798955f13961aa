import { NodeApiError, NodeOperationError, type ILoadOptionsFunctions, type INodePropertyOptions, type INodeProperties } from 'n8n-workflow';

import { EVOLUTION_CREDENTIAL, EvolutionClient, type InstanceSummary } from '../evolution/client';
import { instanceOptions, WEBHOOK_LOOKUP_LIMIT, WEBHOOK_LOOKUP_PARALLEL, type WebhookLookup } from '../evolution/instance-options';
import type { VersionSetting } from '../evolution/version';

/** Parameters both Evolution nodes share, so they read and behave the same in the editor. */

export const instanceProperty: INodeProperties = {
	displayName: 'Instance Name or ID',
	name: 'instance',
	type: 'options',
	typeOptions: { loadOptionsMethod: 'getInstances' },
	default: '',
	required: true,
	// A name the list does not show (typed as an expression, or an instance the key cannot list) is not an error.
	allowArbitraryValues: true,
	description:
		'The instance (WhatsApp number) on the server; each entry shows where its webhook points now. Choose from the list, or switch to Expression and type the name (e.g. vendas) or an <a href="https://docs.n8n.io/code/expressions/">expression</a>. n8n loads the list once: after fixing the credential, use ⋮ → Refresh List.',
};

export const serverVersionProperty: INodeProperties = {
	displayName: 'Server Version',
	name: 'serverVersion',
	type: 'options',
	default: 'auto',
	description: 'Which request format the server speaks. Auto asks the server; pick one only if your server hides its version.',
	options: [
		{ name: 'Auto-Detect', value: 'auto', description: 'Ask the server for its version (GET /)' },
		{ name: 'v1 (1.x)', value: 'v1', description: 'Evolution API 1.x and clones using the flat snake_case format' },
		{ name: 'v2.0 (2.0.x)', value: 'v2.0', description: 'Evolution API 2.0.x: flat camelCase format' },
		{ name: 'v2.1+ (2.1.0 and Newer)', value: 'v2.1', description: 'Evolution API 2.1.0 and newer: nested "webhook" format' },
	],
};

export function readVersionSetting(value: unknown): VersionSetting {
	return value === 'v1' || value === 'v2.0' || value === 'v2.1' ? value : 'auto';
}

/** Runs `work` over `items`, at most `parallel` at a time (no timers: one batch after the other). */
async function inBatches<T, R>(items: T[], parallel: number, work: (item: T) => Promise<R>): Promise<R[]> {
	const results: R[] = [];
	for (let start = 0; start < items.length; start += parallel) {
		results.push(...(await Promise.all(items.slice(start, start + parallel).map(work))));
	}
	return results;
}

/** The instances this key may list; an instance token on a server that refuses it the list gets its own instance. */
async function visibleInstances(context: ILoadOptionsFunctions, client: EvolutionClient, credentialInstance: string): Promise<InstanceSummary[]> {
	try {
		return await client.listInstances();
	} catch (error) {
		const refused = error instanceof NodeApiError && (error.httpCode === '401' || error.httpCode === '403');
		if (refused && credentialInstance !== '') return [{ name: credentialInstance, id: null, status: null, owner: null, profileName: null }];
		throw error instanceof NodeApiError ? error : new NodeOperationError(context.getNode(), error as Error);
	}
}

/**
 * Dropdown of the server's instances, each labelled with its connection state and where its webhook points
 * today. The finds are bounded (WEBHOOK_LOOKUP_LIMIT, WEBHOOK_LOOKUP_PARALLEL); a failing one only leaves
 * that entry without its webhook.
 */
export async function getInstances(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const client = await EvolutionClient.create(this);
	const credentials = await this.getCredentials(EVOLUTION_CREDENTIAL);
	const instances = await visibleInstances(this, client, String(credentials.instanceName ?? '').trim());
	const looked = instances.slice(0, WEBHOOK_LOOKUP_LIMIT);
	const lookups = await inBatches(looked, WEBHOOK_LOOKUP_PARALLEL, async (instance): Promise<[string, WebhookLookup]> => {
		try {
			return [instance.name, { kind: 'found', config: await client.findWebhook(instance.name) }];
		} catch {
			return [instance.name, { kind: 'failed' }];
		}
	});
	return instanceOptions(instances, new Map(lookups));
}
