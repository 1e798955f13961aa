import { NodeConnectionTypes, type INodeProperties } from 'n8n-workflow';

import { eventOptions } from '../lib/evolution/events';
import { VERIFICATION_QUERY_PARAM } from '../lib/evolution/registration';
import { instanceProperty, serverVersionProperty } from '../lib/n8n/evolution-properties';
import { mediaDownloadOptions } from '../lib/n8n/media-properties';
import {
	acceptUnverifiedProperty,
	coalesceStatesOption,
	stateWindowOption,
	dedupeWindowOption,
	dropDuplicatesOption,
	ignoreGroupsOption,
	ignoreOwnMessagesOption,
	includeRawOption,
	mediaOption,
	messageTypeOutputs,
	messageTypesOption,
	onlyChatsOption,
	optionsCollection,
	outputPerMessageTypeProperty,
	outputProperty,
} from '../lib/n8n/trigger-options';

const MAIN = JSON.stringify(NodeConnectionTypes.Main);

/**
 * One output, one per selected event (named after its config name), or one per message type (while
 * "One Output per Event" is off), computed in the editor; the pipeline routes the same way (outputs.ts).
 */
export const OUTPUTS_EXPRESSION: `={{${string}}}` = `={{ $parameter.outputPerEvent && ($parameter.events || []).length > 0 ? $parameter.events.map((name) => ({ type: ${MAIN}, displayName: name })) : !$parameter.outputPerEvent && $parameter.outputPerMessageType ? ${messageTypeOutputs()} : [${MAIN}] }}`;

const registerMode = { show: { mode: ['register'] } };
const globalMode = { show: { mode: ['global'] } };

export const properties: INodeProperties[] = [
	{
		displayName: 'Mode',
		name: 'mode',
		type: 'options',
		noDataExpression: true,
		default: 'register',
		options: [
			{
				name: 'Register Automatically',
				value: 'register',
				description: 'On activation, point the instance webhook at this trigger; on deactivation, put back what was there before',
			},
			{
				name: "Use the Server's Global Webhook",
				value: 'global',
				description: 'Register nothing: you paste this trigger URL into the server settings (WEBHOOK_GLOBAL_URL)',
			},
		],
	},
	{
		// Short lines: n8n shows a notice as plain text, one paragraph per line.
		displayName: [
			"An instance keeps one webhook. On activation (Publish in n8n 2.x, Active in 1.x) this trigger takes it:",
			"• The webhook the instance has now (shown next to each instance below) is saved and replaced by this trigger's Production URL, with a secret.",
			'• While the trigger holds it, that webhook receives nothing: Chatwoot, Typebot or another workflow get no events.',
			'• On deactivation (Unpublish in 2.x, Inactive in 1.x) the saved webhook is put back.',
			'• A test ("Execute step" or "Test this trigger" in n8n 2.x, "Listen for test event" in 1.x) does the same with the Test URL until the first event or the end of the test: the saved webhook receives nothing then either.',
			"• The Evolution server must reach n8n at that URL: set N8N_WEBHOOK_URL (2.x) or WEBHOOK_URL (1.x) to n8n's public address, not localhost when Evolution runs elsewhere or in Docker.",
		].join('\n'),
		name: 'registerNotice',
		type: 'notice',
		default: '',
		displayOptions: registerMode,
	},
	{
		displayName:
		`Copy the Production URL (see "Webhook URLs" above) into the server's WEBHOOK_GLOBAL_URL and set WEBHOOK_GLOBAL_ENABLED=true plus WEBHOOK_EVENTS_MESSAGES_UPSERT=true (and the like) for the events you want. If you set a Secret below, append ?${VERIFICATION_QUERY_PARAM}=YOUR_SECRET to the URL. Servers before 2.3 only accept global URLs with a dotted host name (not localhost or a Docker service name).`,
		name: 'globalNotice',
		type: 'notice',
		default: '',
		displayOptions: globalMode,
	},
	{ ...instanceProperty, displayOptions: registerMode },
	{
		displayName: 'Instance Names',
		name: 'instanceNames',
		type: 'string',
		default: '',
		placeholder: 'sales, support',
		description: 'Only events from these instances start the workflow (comma-separated). Leave empty for every instance.',
		displayOptions: globalMode,
	},
	{
		displayName:
			'This is version 1 of the Evolution API Trigger: in global mode with an empty Secret it accepts deliveries from anyone who knows the URL. Set a Secret (and ?n8nSecret= in the server\'s URL), or add a new trigger, which requires one.',
		name: 'unverifiedV1Notice',
		type: 'notice',
		default: '',
		displayOptions: { show: { mode: ['global'], '@version': [1], globalSecret: [''] } },
	},
	{
		displayName: 'Secret',
		name: 'globalSecret',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		description: `Optional. When set, deliveries must carry ?${VERIFICATION_QUERY_PARAM}=YOUR_SECRET in the URL, so nobody else can post events to this workflow.`,
		displayOptions: { show: { mode: ['global'], '@version': [1] } },
	},
	{
		displayName: 'Secret',
		name: 'globalSecret',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		required: true,
		description: `Deliveries must carry ?${VERIFICATION_QUERY_PARAM}=YOUR_SECRET in the URL, so nobody else can post events to this workflow`,
		displayOptions: { show: { mode: ['global'], '@version': [{ _cnd: { gte: 2 } }], acceptUnverified: [false] } },
	},
	{ ...acceptUnverifiedProperty, displayOptions: { show: { mode: ['global'], '@version': [{ _cnd: { gte: 2 } }] } } },
	{
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		default: ['MESSAGES_UPSERT'],
		required: true,
		description: 'Which events start the workflow. Others are acknowledged and ignored (no execution).',
		options: eventOptions(),
	},
	outputProperty,
	{
		displayName: 'One Output per Event',
		name: 'outputPerEvent',
		type: 'boolean',
		default: false,
		description: 'Whether each selected event gets its own output, so you can wire them separately without a Switch node',
	},
	{ ...outputPerMessageTypeProperty, displayOptions: { show: { outputPerEvent: [false] } } },
	...optionsCollection([
			coalesceStatesOption,
			dropDuplicatesOption,
			dedupeWindowOption,
			ignoreGroupsOption,
			ignoreOwnMessagesOption,
			{
				displayName: 'Ignore Status and Channels',
				name: 'ignoreBroadcasts',
				type: 'boolean',
				default: true,
				description: 'Whether WhatsApp Status posts (status@broadcast) and channel (newsletter) messages are ignored',
			},
			includeRawOption,
			{
				displayName: 'Ask the Server for Unknown Phones',
				name: 'lookUpLidPhones',
				type: 'boolean',
				default: false,
				description:
					'Whether a delivery that names a person only by LID (…@lid) and whose phone the trigger has not learned yet asks the server for it (POST /chat/whatsappNumbers, waits at most 3 s). Only Evolution API 2.3.6 and newer can answer, and only for LIDs it has cached; otherwise chat.phone stays empty. A phone found says phoneSource "server".',
			},
			mediaOption('Asks the server to include media as base64 (2.1+ servers apply it after the instance reconnects)'),
			{
				displayName: 'One Item per Array Element',
				name: 'splitArrays',
				type: 'boolean',
				default: true,
				description: 'Whether events that carry a list (contacts, chats, message history) become one item per element',
			},
			...mediaDownloadOptions,
			onlyChatsOption,
			stateWindowOption,
			messageTypesOption,
			{
				displayName: "Take Over Another Workflow's Webhook",
				name: 'allowTakeover',
				type: 'boolean',
				default: false,
				description:
					'Whether activation may replace a webhook that points at another n8n workflow. Off: activation fails and tells you which URL holds the instance.',
				displayOptions: { show: { '/mode': ['register'] } },
			},
	]),
	{ ...serverVersionProperty, displayOptions: registerMode },
];
