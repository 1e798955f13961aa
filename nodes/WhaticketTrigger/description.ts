import type { INodeProperties } from 'n8n-workflow';

import { NORMALIZED_EVENTS, type NormalizedEventName } from '../lib/normalize/event-names';

/** The stable event names a helpdesk can deliver (Whazing and Whaticket SaaS). */
const HELPDESK_EVENTS: Array<{ value: NormalizedEventName; name: string }> = [
	{ value: 'message.received', name: 'Message Received' },
	{ value: 'message.sent', name: 'Message Sent' },
	{ value: 'message.edited', name: 'Message Edited' },
	{ value: 'message.deleted', name: 'Message Deleted' },
	{ value: 'ticket.created', name: 'Ticket Created' },
	{ value: 'ticket.transferred', name: 'Ticket Transferred' },
	{ value: 'ticket.closed', name: 'Ticket Closed' },
	{ value: 'ticket.status', name: 'Ticket Status Changed' },
	{ value: 'tags.synced', name: 'Ticket Tags Changed' },
];

export const TOKEN_HEADER = 'x-n8n-api-key';
export const TOKEN_QUERY_PARAM = 'token';

export const properties: INodeProperties[] = [
	{
		displayName: 'Source',
		name: 'source',
		type: 'options',
		options: [
			{ name: 'Auto-Detect', value: 'auto', description: 'Recognise Whazing and Whaticket SaaS payloads by their shape' },
			{ name: 'Whaticket SaaS', value: 'whaticket', description: 'Payloads with Portuguese keys (acao, chamadoId, ticketData)' },
			{ name: 'Whazing', value: 'whazing', description: 'Whazing (and Izing-based) channel and queue webhooks' },
		],
		default: 'auto',
		description: 'Which helpdesk sends to this URL. A payload from another source is passed on as an "unknown" item.',
	},
	// One notice per Source, so only the chosen helpdesk's steps show. n8n shows a notice as plain text, one
	// paragraph per line.
	{
		displayName: [
			'Copy the Production URL (see "Webhook URLs" above) into your helpdesk, then publish (n8n 2.x) or activate (1.x) the workflow.',
			'Choose your helpdesk in Source to see where to paste it. Auto-Detect accepts Whazing and Whaticket SaaS deliveries on the same URL.',
		].join('\n'),
		name: 'setupNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { source: ['auto'] } },
	},
	{
		displayName: [
			'Copy the Production URL (see "Webhook URLs" above) into Whazing, then publish (n8n 2.x) or activate (1.x) the workflow.',
			'• Whazing 3.x: Automação e Integrações → Webhooks/N8N → tab "Integrações por Canal" → turn on "Integração Ativada" for the channel, paste the URL, pick the events and, if you set a Token below, put the same value in "Bearer Token / API Key".',
			'• Whazing 2.8 – 2.16: Configurações → Canais/API → Configurações do canal → "Ativar Webhook", paste the URL as the N8N URL and the Token as "N8N API KEY".',
			'• Its "Testar" button sends a test that this node acknowledges without starting the workflow.',
		].join('\n'),
		name: 'whazingSetupNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { source: ['whazing'] } },
	},
	{
		displayName: [
			'Copy the Production URL (see "Webhook URLs" above) into Whaticket SaaS, then publish (n8n 2.x) or activate (1.x) the workflow.',
			'• Conexões → Editar Conexão → field "Webhook": paste the URL.',
			'• If you set a Token below, add ?token=YOUR_TOKEN at the end of the URL (Whaticket SaaS cannot send headers).',
		].join('\n'),
		name: 'whaticketSetupNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { source: ['whaticket'] } },
	},
	{
		displayName: 'Token',
		name: 'token',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		description: 'Optional shared secret. Deliveries without it are refused with 401.',
		hint: 'Whazing sends it in the X-N8N-API-KEY header (its "Bearer Token / API Key" field). Whaticket SaaS cannot send headers: append ?token=YOUR_TOKEN (this same value) to the URL you paste there.',
	},
	{
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		options: [...HELPDESK_EVENTS]
			.sort((a, b) => a.name.localeCompare(b.name))
			.map(({ name, value }) => ({ name, value, description: `${NORMALIZED_EVENTS[value]} (${value})` })),
		default: [],
		description: 'Only these events start the workflow; leave empty for all. The others are acknowledged and ignored.',
	},
	{
		displayName: 'Output',
		name: 'output',
		type: 'options',
		options: [
			{ name: 'Normalized', value: 'normalized', description: 'One clean item per event, the same shape for every source' },
			{ name: 'Raw (Sanitized)', value: 'raw', description: 'The body as the helpdesk sent it, with secrets (API tokens, webhook URL) removed' },
		],
		default: 'normalized',
	},
	{
		displayName: 'On by default: Drop Duplicate Deliveries. Add one under Options to turn it off.',
		name: 'optionsDefaultsNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		// n8n does not show a collection's hint; the notice above says it where the user looks.
		description: 'On by default: Drop Duplicate Deliveries. Add one here to turn it off.',
		options: [
			{
				displayName: 'Download Media From URL',
				name: 'downloadMedia',
				type: 'boolean',
				default: false,
				description: 'Whether to download the file from its media URL when the delivery did not carry it as base64 (needs "Media to Binary")',
			},
			{
				displayName: 'Drop Duplicate Deliveries',
				name: 'dropDuplicates',
				type: 'boolean',
				default: true,
				description: 'Whether a delivery repeated by the helpdesk (same event, message and status within 10 minutes) is ignored',
			},
			{
				displayName: 'Include Raw Body',
				name: 'includeRaw',
				type: 'boolean',
				default: false,
				description: 'Whether to add the sanitized original body to each normalized item as "raw"',
			},
			{
				displayName: 'Media to Binary',
				name: 'mediaToBinary',
				type: 'boolean',
				default: false,
				description: 'Whether to put the file of a media message into the binary property "data" (from base64 in the delivery, e.g. Whazing\'s "Enviar mídia em base64")',
			},
		],
	},
];
