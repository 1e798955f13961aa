import { NodeConnectionTypes, type INodeProperties } from 'n8n-workflow';

import {
	acceptUnverifiedProperty,
	dedupeWindowOption,
	dropDuplicatesOption,
	ignoreGroupsOption,
	ignoreOwnMessagesOption,
	includeRawOption,
	mediaOption,
	messageTypeOutputs,
	messageTypesOption,
	outputPerMessageTypeProperty,
	onlyChatsOption,
	optionsCollection,
	outputProperty,
} from '../lib/n8n/trigger-options';
import { mediaDownloadOptions } from '../lib/n8n/media-properties';
import { helpdeskEventOptions } from '../lib/normalize/helpdesk-events';

export { TOKEN_HEADER, TOKEN_QUERY_PARAM } from '../lib/delivery/settings-of';

const v1 = { show: { '@version': [1] } };
const fromV2 = { show: { '@version': [{ _cnd: { gte: 2 } }] } };

/** One output, or one per message type (shown from node v2), computed in the editor; the pipeline routes the same way (outputs.ts). */
export const WHATICKET_OUTPUTS: `={{${string}}}` = `={{ $parameter.outputPerMessageType ? ${messageTypeOutputs()} : [${JSON.stringify(NodeConnectionTypes.Main)}] }}`;

/** Whazing retries a failed delivery up to 3 times. */
const helpdeskDropDuplicates = { ...dropDuplicatesOption, description: 'Whether a delivery repeated by the helpdesk (same event, message and status within the Duplicate Window) is ignored' };

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
		displayName:
			'This is version 1 of the Whaticket Trigger: with an empty Token it accepts deliveries from anyone who knows the URL. Set a Token (and the same value in the helpdesk), or add a new Whaticket Trigger, which requires one.',
		name: 'unverifiedV1Notice',
		type: 'notice',
		default: '',
		displayOptions: { show: { '@version': [1], token: [''] } },
	},
	{
		displayName: 'Token',
		name: 'token',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		description: 'Optional shared secret. Deliveries without it are refused with 401.',
		displayOptions: v1,
		hint: 'Whazing sends it in the X-N8N-API-KEY header (its "Bearer Token / API Key" field). Whaticket SaaS cannot send headers: append ?token=YOUR_TOKEN (this same value) to the URL you paste there.',
	},
	{
		displayName: 'Token',
		name: 'token',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		required: true,
		description: 'The shared secret every delivery must carry; deliveries without it are refused with 401',
		displayOptions: { show: { '@version': [{ _cnd: { gte: 2 } }], acceptUnverified: [false] } },
		hint: 'Whazing sends it in the X-N8N-API-KEY header (its "Bearer Token / API Key" field). Whaticket SaaS cannot send headers: append ?token=YOUR_TOKEN (this same value) to the URL you paste there.',
	},
	{ ...acceptUnverifiedProperty, displayOptions: fromV2 },
	{
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		options: helpdeskEventOptions(),
		default: [],
		description: 'Only these events start the workflow; leave empty for all. The others are acknowledged and ignored.',
	},
	outputProperty,
	{ ...outputPerMessageTypeProperty, displayOptions: fromV2 },
	...optionsCollection(
		[
			{
				displayName: 'Download Media From URL',
				name: 'downloadMedia',
				type: 'boolean',
				default: false,
				description: 'Whether to download the file from its media URL when the delivery did not carry it as base64 (needs "Media to Binary")',
			},
			helpdeskDropDuplicates,
			dedupeWindowOption,
			includeRawOption,
			...mediaDownloadOptions,
			{
				displayName: 'Media to Binary',
				name: 'mediaToBinary',
				type: 'boolean',
				default: false,
				description: 'Whether to put the file of a media message into the binary property "data" (from base64 in the delivery, e.g. Whazing\'s "Enviar mídia em base64")',
			},
		],
		v1,
	),
	...optionsCollection(
		[
			helpdeskDropDuplicates,
			dedupeWindowOption,
			ignoreGroupsOption,
			ignoreOwnMessagesOption,
			includeRawOption,
			mediaOption('Uses the file the delivery carried as base64 (Whazing\'s "Enviar mídia em base64")'),
			...mediaDownloadOptions,
			onlyChatsOption,
			messageTypesOption,
			{
				displayName: 'Receive Unrecognised Bodies',
				name: 'receiveUnknown',
				type: 'boolean',
				default: false,
				description:
					'Whether a JSON body this node cannot read starts the workflow as an "unknown" item (for helpdesk builds it does not know yet). Off: it is answered 400 and starts nothing.',
			},
		],
		fromV2,
	),
];
