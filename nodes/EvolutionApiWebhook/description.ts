import type { INodeProperties } from 'n8n-workflow';

import { eventOptions } from '../lib/evolution/events';
import { instanceProperty, serverVersionProperty } from '../lib/n8n/evolution-properties';
import { transportProperties } from './transport-description';

const onWebhook = (...operation: string[]) => ({ show: { resource: ['webhook'], operation } });

export const properties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		default: 'webhook',
		options: [
			{ name: 'Event Transport', value: 'eventTransport' },
			{ name: 'Instance', value: 'instance' },
			{ name: 'Webhook', value: 'webhook' },
		],
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['webhook'] } },
		default: 'find',
		options: [
			{ name: 'Disable', value: 'disable', action: 'Disable the webhook of an instance', description: 'Turn the instance webhook off and change nothing else. The server forgets its event list (and on 1.x / 2.0 its URL); the output keeps them in "before".' },
			{ name: 'Find', value: 'find', action: 'Find the webhook of an instance', description: 'Read the webhook the instance has now' },
			{
				name: 'Normalize Event',
				value: 'normalize',
				action: 'Normalize a webhook event',
				description: 'Turn a raw Evolution, Whazing or Whaticket payload (from a Webhook node, or a RabbitMQ / Kafka Trigger) into normalized items',
			},
			{ name: 'Set', value: 'set', action: 'Set the webhook of an instance', description: 'Replace the instance webhook (an instance keeps only one)' },
		],
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['instance'] } },
		default: 'list',
		options: [{ name: 'List', value: 'list', action: 'List instances', description: 'List the instances the API key can see' }],
	},
	{ ...instanceProperty, displayOptions: onWebhook('find', 'set', 'disable') },
	{
		displayName: 'An instance keeps exactly one webhook: Set replaces whatever was configured before (another n8n workflow, Chatwoot, Typebot…).',
		name: 'oneWebhookNotice',
		type: 'notice',
		default: '',
		displayOptions: onWebhook('set'),
	},
	{
		displayName: 'Webhook URL',
		name: 'url',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'https://n8n.example.com/webhook/…',
		description: 'Where the server will POST events. It must be reachable from the Evolution server (not localhost unless both run on the same host).',
		displayOptions: onWebhook('set'),
	},
	{
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		default: ['MESSAGES_UPSERT'],
		description: 'Which events the server sends. Leave empty to send every event this server version supports.',
		options: eventOptions(),
		displayOptions: onWebhook('set'),
	},
	{
		displayName: 'Enabled',
		name: 'enabled',
		type: 'boolean',
		default: true,
		description: 'Whether the server sends events to this URL',
		displayOptions: onWebhook('set'),
	},
	{
		displayName: 'Webhook by Events',
		name: 'byEvents',
		type: 'boolean',
		default: false,
		description:
			'Whether the server appends the event name to the URL (e.g. …/messages-upsert). Leave off unless your receiver expects one path per event.',
		displayOptions: onWebhook('set'),
	},
	{
		displayName: 'Include Media as Base64',
		name: 'base64',
		type: 'boolean',
		default: false,
		description:
			'Whether media messages carry the file as base64. On 2.1+ servers the change takes effect after the instance reconnects.',
		displayOptions: onWebhook('set'),
	},
	{
		displayName: 'Headers',
		name: 'headers',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		default: {},
		placeholder: 'Add Header',
		description: 'Headers the server sends with every delivery (Evolution API 2.1.1 and newer only)',
		displayOptions: onWebhook('set'),
		options: [
			{
				displayName: 'Header',
				name: 'header',
				values: [
					{ displayName: 'Name', name: 'name', type: 'string', default: '' },
					{ displayName: 'Value', name: 'value', type: 'string', typeOptions: { password: true }, default: '' },
				],
			},
		],
	},
	{
		displayName: 'Payload',
		name: 'payload',
		type: 'options',
		default: 'auto',
		displayOptions: onWebhook('normalize'),
		options: [
			{ name: 'Auto', value: 'auto', description: 'The "body" of a Webhook node item, the content of a RabbitMQ / Kafka Trigger item, or else the whole item' },
			{ name: 'Whole Item', value: 'item', description: 'The whole input item is the payload' },
			{ name: 'Custom Value', value: 'custom', description: 'A value you pick with an expression' },
		],
	},
	{
		displayName: 'Custom Payload',
		name: 'customPayload',
		type: 'json',
		default: '={{ $json.body }}',
		description: 'The raw webhook payload to normalize',
		displayOptions: { show: { resource: ['webhook'], operation: ['normalize'], payload: ['custom'] } },
	},
	{
		displayName: 'Source',
		name: 'source',
		type: 'options',
		default: 'auto',
		displayOptions: onWebhook('normalize'),
		options: [
			{ name: 'Auto-Detect', value: 'auto' },
			{ name: 'Evolution API', value: 'evolution' },
			{ name: 'Whaticket SaaS', value: 'whaticket' },
			{ name: 'Whazing', value: 'whazing' },
		],
	},
	{
		displayName: 'Options',
		name: 'normalizeOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: onWebhook('normalize'),
		options: [
			{
				displayName: 'Drop Redeliveries',
				name: 'dropRedeliveries',
				type: 'boolean',
				default: false,
				description:
					'Whether a message already processed in the last 24 hours gives no item (brokers deliver at least once). Remembered in the workflow, for production executions only; not on the workers of n8n 2.x queue mode, which run without it (use Remove Duplicates there).',
			},
			{
				displayName: 'Include Raw Payload',
				name: 'includeRaw',
				type: 'boolean',
				default: false,
				description: 'Whether each item keeps a copy of the original payload (secrets removed) in "raw"',
			},
			{
				displayName: 'One Item per Array Element',
				name: 'splitArrays',
				type: 'boolean',
				default: true,
				description: 'Whether payloads that carry a list (contacts, chats, history) become one item per element',
			},
		],
	},
	...transportProperties,
	{ ...serverVersionProperty, displayOptions: { show: { operation: ['find', 'set', 'disable', 'list'] } } },
];
