import type { ILoadOptionsFunctions, INodePropertyOptions, INodeProperties } from 'n8n-workflow';

import { EvolutionClient } from '../evolution/client';
import type { VersionSetting } from '../evolution/version';

/** Parameters both Evolution nodes share, so they read and behave the same in the editor. */

export const instanceProperty: INodeProperties = {
	displayName: 'Instance Name or ID',
	name: 'instance',
	type: 'options',
	typeOptions: { loadOptionsMethod: 'getInstances' },
	default: '',
	required: true,
	description:
		'The instance (WhatsApp number) on the server. Choose from the list, or specify a name using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
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

/** Dropdown of the server's instances, labelled with their connection state. */
export async function getInstances(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const client = await EvolutionClient.create(this);
	const instances = await client.listInstances();
	return instances
		.map((instance) => ({
			name: instance.status ? `${instance.name} (${instance.status})` : instance.name,
			value: instance.name,
			description: instance.profileName ?? instance.owner ?? undefined,
		}))
		.sort((a, b) => a.name.localeCompare(b.name));
}
