import type { INodeProperties } from 'n8n-workflow';

import { mediaDownloadOptions } from '../lib/n8n/media-properties';
import { mediaProperties } from './media-description';

/**
 * The Reply node's parameters. Descriptions are written for people and for AI agents alike: what each
 * operation does and which parameter matters.
 */

const only = (...operation: string[]) => ({ show: { operation } });

export const operationProperty: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	default: 'sendText',
	options: [
		{ name: 'Download Media', value: 'downloadMedia', action: 'Download the media of the message', description: 'Get the image, audio, video or document of the incoming message as binary data' },
		{ name: 'Mark as Read', value: 'markRead', action: 'Mark the message as read', description: 'Send the blue ticks for the incoming message' },
		{ name: 'React', value: 'react', action: 'React to the message', description: 'Put an emoji reaction on the incoming message (empty removes it, Evolution 2.3+)' },
		{ name: 'Send Media', value: 'sendMedia', action: 'Send an image video document audio or sticker', description: 'Send a file from binary data or a URL, with a caption' },
		{ name: 'Send Text', value: 'sendText', action: 'Send a text message', description: 'Answer with a text, optionally quoting the incoming message' },
		{ name: 'Send Voice Note', value: 'sendVoice', action: 'Send a voice note', description: 'Send an audio as a WhatsApp voice note (push-to-talk)' },
		{ name: 'Show Presence', value: 'presence', action: 'Show typing or recording', description: 'Show "typing…" or "recording audio…" in the chat for a while' },
	],
};

export const targetProperties: INodeProperties[] = [
	{
		displayName: 'Reply To',
		name: 'replyTo',
		type: 'options',
		noDataExpression: true,
		default: 'item',
		options: [
			{ name: 'Incoming Item', value: 'item', description: 'Answer the message a WhatsApp trigger emitted (Evolution API Trigger, Whaticket Trigger)' },
			{ name: 'Manual', value: 'manual', description: 'Send to a number, group or JID you give (campaigns, notifications, CRM-driven sends)' },
		],
	},
	{
		displayName: 'Incoming Item',
		name: 'item',
		type: 'json',
		default: '={{ $json }}',
		displayOptions: { show: { replyTo: ['item'] } },
		description:
			'The normalized item to answer. Leave {{ $json }} when this node follows the trigger; otherwise point at it, e.g. {{ $(\'Evolution API Trigger\').item.json }}. Source, instance, chat, message id and group author are read from it.',
	},
	{
		displayName: 'Send Through',
		name: 'channel',
		type: 'options',
		noDataExpression: true,
		default: 'evolution',
		displayOptions: { show: { replyTo: ['manual'] } },
		options: [
			{ name: 'Evolution API', value: 'evolution' },
			{ name: 'Helpdesk (Whazing / Izing / Whaticket)', value: 'helpdesk' },
		],
	},
	{
		displayName: 'Instance Name or ID',
		name: 'instance',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getInstances' },
		default: '',
		displayOptions: { show: { replyTo: ['manual'], channel: ['evolution'] } },
		description:
			'The Evolution instance (WhatsApp number) that sends. Choose from the list, or specify a name using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	{
		displayName: 'Recipient',
		name: 'recipient',
		type: 'string',
		default: '',
		placeholder: '5511999990000',
		displayOptions: { show: { replyTo: ['manual'] } },
		description: 'Phone number with country and area code (digits, e.g. 5511999990000), a group id (…@g.us), a JID (…@s.whatsapp.net) or a LID (…@lid, Evolution 2.3+ only)',
	},
];

export const operationParameters: INodeProperties[] = [
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		displayOptions: only('sendText'),
		description: 'The message to send. WhatsApp formatting works: *bold*, _italic_, ~strike~.',
	},
	{
		displayName: 'Quote the Message',
		name: 'quote',
		type: 'boolean',
		default: false,
		displayOptions: { show: { operation: ['sendText', 'sendMedia'], replyTo: ['item'] } },
		description: 'Whether to send the answer as a reply that quotes the incoming message (Evolution only)',
	},
	...mediaProperties,
	{
		displayName: 'Reaction',
		name: 'reaction',
		type: 'string',
		default: '👍',
		displayOptions: only('react'),
		description: 'One emoji. Leave empty to remove your reaction (Evolution 2.3 and newer).',
	},
	{
		displayName: 'Presence',
		name: 'presence',
		type: 'options',
		default: 'composing',
		displayOptions: only('presence'),
		options: [
			{ name: 'Typing…', value: 'composing' },
			{ name: 'Recording Audio…', value: 'recording' },
			{ name: 'Paused (Stop Showing)', value: 'paused' },
		],
	},
	{
		displayName: 'Duration (Ms)',
		name: 'duration',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 60000 },
		default: 3000,
		displayOptions: { show: { operation: ['presence'], presence: ['composing', 'recording'] } },
		description: 'How long to show it, in milliseconds. The node waits this long (the server holds the answer), then the presence stops.',
	},
	{
		displayName: 'Put Output File in Field',
		name: 'outputBinary',
		type: 'string',
		default: 'data',
		displayOptions: only('downloadMedia'),
		description: 'Name of the binary property the downloaded file goes to',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			...mediaDownloadOptions,
			{
				displayName: 'External Key',
				name: 'externalKey',
				type: 'string',
				default: '',
				description: 'Whazing / Izing: the key your system tracks the ticket by. Default: the ticket\'s own externalKey, else a new one (Izing requires one).',
			},
			{
				displayName: 'Mention Everyone',
				name: 'mentionEveryone',
				type: 'boolean',
				default: false,
				displayOptions: { show: { '/operation': ['sendText'] } },
				description: 'Whether to mention every member of the group (Evolution only)',
			},
			{
				displayName: 'Mentions',
				name: 'mentioned',
				type: 'string',
				default: '',
				placeholder: '5511999990000, 5511988887777',
				displayOptions: { show: { '/operation': ['sendText'] } },
				description: 'Phone numbers to mention, separated by commas (Evolution only). Put @5511999990000 in the text where the mention goes.',
			},
			{
				displayName: 'Server Version',
				name: 'serverVersion',
				type: 'options',
				default: 'auto',
				description: 'Evolution only. Auto asks the server; pick one only if your server hides its version.',
				options: [
					{ name: 'Auto-Detect', value: 'auto' },
					{ name: 'v1 (1.x)', value: 'v1' },
					{ name: 'v2.0 (2.0.x)', value: 'v2.0' },
					{ name: 'v2.1+ (2.1.0 and Newer)', value: 'v2.1' },
				],
			},
			{
				displayName: 'Typing Delay (Ms)',
				name: 'delay',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 60000 },
				default: 0,
				displayOptions: { show: { '/operation': ['sendText', 'sendMedia', 'sendVoice'] } },
				description: 'Evolution only: show "typing…" (voice notes: "recording…") this long before the message goes out. Works on every version, 1.5 included.',
			},
		],
	},
];

export const properties: INodeProperties[] = [operationProperty, ...targetProperties, ...operationParameters];
