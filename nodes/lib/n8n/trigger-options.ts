import { NodeConnectionTypes, type INodeProperties, type INodePropertyOptions } from 'n8n-workflow';

import { MESSAGE_KINDS, MESSAGE_KIND_LABELS, type MessageKind } from '../delivery/filters';
import { NOT_A_MESSAGE_OUTPUT } from '../delivery/outputs';

/**
 * The options both triggers offer, defined once so the same feature has the same name, words and
 * default in each. `settings-of.ts` reads them.
 */
type Option = INodeProperties;

export const dropDuplicatesOption: Option = {
	displayName: 'Drop Duplicate Deliveries',
	name: 'dropDuplicates',
	type: 'boolean',
	default: true,
	description: 'Whether a delivery repeated by the server (same event, message and status within the Duplicate Window) is ignored',
};

export const dedupeWindowOption: Option = {
	displayName: 'Duplicate Window (Minutes)',
	name: 'dedupeWindowMinutes',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: 1440 },
	default: 10,
	description: 'How long a delivery counts as already received. Remembered in this n8n process and in the workflow (survives restarts and queue mode); only used while Drop Duplicate Deliveries is on.',
};

export const coalesceStatesOption: Option = {
	displayName: 'Coalesce Repeated States',
	name: 'coalesceStates',
	type: 'boolean',
	default: true,
	description:
		'Whether connection, QR code and presence events repeating the same state within the State Window start one execution (a reconnect loop can post many a second); the next one says how many it stood for in details.coalesced. On by default from node version 2.',
};

export const stateWindowOption: Option = {
	displayName: 'State Window (Seconds)',
	name: 'stateWindowSeconds',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: 1440 },
	default: 60,
	description: 'How long a repeated connection, QR code or presence state counts as the same (only used while Coalesce Repeated States is on)',
};

export const ignoreGroupsOption: Option = {
	displayName: 'Ignore Groups',
	name: 'ignoreGroups',
	type: 'boolean',
	default: false,
	description: 'Whether events from group chats are ignored',
};

export const ignoreOwnMessagesOption: Option = {
	displayName: 'Ignore My Own Messages',
	name: 'ignoreOwnMessages',
	type: 'boolean',
	default: false,
	description: 'Whether messages sent by this number (from the phone, the API or an agent) are ignored; turn on for bots to avoid reply loops',
};

export const onlyChatsOption: Option = {
	displayName: 'Only These Chats',
	name: 'onlyChats',
	type: 'string',
	default: '',
	placeholder: '5511988887777, 120363041234567890@g.us',
	description: 'Only events from these chats start the workflow: phone numbers or chat IDs, comma-separated. Leave empty for all chats.',
};

/** What a kind means, where its name does not say it. */
const KIND_HINTS: Partial<Record<MessageKind, string>> = { other: 'Buttons, lists and anything else', voice: 'Audio recorded in WhatsApp (ptt)' };

export const messageTypesOption: Option = {
	displayName: 'Only These Message Types',
	name: 'messageTypes',
	type: 'multiOptions',
	default: [],
	description: 'Only messages of these types start the workflow; leave empty for all. Events that are not messages (tickets, connection…) are not affected.',
	options: MESSAGE_KINDS.map((kind): INodePropertyOptions => ({ name: MESSAGE_KIND_LABELS[kind], value: kind, ...(KIND_HINTS[kind] ? { description: KIND_HINTS[kind] } : {}) })).sort((a, b) =>
		a.name.localeCompare(b.name),
	),
};

/** A top-level switch (outputs are computed from top-level and Options values, see messageTypeOutputs). */
export const outputPerMessageTypeProperty: Option = {
	displayName: 'One Output per Message Type',
	name: 'outputPerMessageType',
	type: 'boolean',
	default: false,
	description: `Whether each message type gets its own output (the types chosen in Options → Only These Message Types, or all twelve when none is chosen), so you can wire them without a Switch node. A last output, "${NOT_A_MESSAGE_OUTPUT}", gets every event that is not a message (connection, contacts, status updates, tickets…).`,
};

const MAIN = JSON.stringify(NodeConnectionTypes.Main);

/**
 * The editor's outputs of "One Output per Message Type", as an n8n expression fragment: the kinds of
 * `routedKinds` (nodes/lib/delivery/outputs.ts) in the same order, then NOT_A_MESSAGE_OUTPUT, so the
 * n-th list the pipeline fills is the n-th output the user wired.
 */
export function messageTypeOutputs(): string {
	const all = JSON.stringify(MESSAGE_KINDS.map((kind) => [kind, MESSAGE_KIND_LABELS[kind]]));
	const picked = '(($parameter.options || {}).messageTypes || [])';
	const chosen = `${all}.filter((kind) => ${picked}.includes(kind[0]))`;
	return `(${chosen}.length > 0 ? ${chosen} : ${all}).map((kind) => ({ type: ${MAIN}, displayName: kind[1] })).concat([{ type: ${MAIN}, displayName: ${JSON.stringify(NOT_A_MESSAGE_OUTPUT)} }])`;
}

export const includeRawOption: Option = {
	displayName: 'Include Raw Body',
	name: 'includeRaw',
	type: 'boolean',
	default: false,
	description: 'Whether to add the sanitized original body to each normalized item as "raw"',
};

/** Media as binary: the words for where base64 comes from differ per source. */
export function mediaOption(base64Hint: string): Option {
	const choices: INodePropertyOptions[] = [
		{ name: 'Off', value: 'off' },
		{ name: 'From Base64', value: 'base64', description: base64Hint },
		{ name: 'From Base64, Else Download', value: 'download', description: 'Also downloads the media URL (S3/MinIO, the helpdesk\'s public folder) when a delivery has no base64' },
	];
	return {
		displayName: 'Media to Binary',
		name: 'media',
		type: 'options',
		default: 'off',
		description: 'Whether media messages carry the file as n8n binary data (property "data")',
		options: choices,
	};
}

/** Shown next to the secret of a node that would otherwise accept anyone's posts. */
export const acceptUnverifiedProperty: Option = {
	displayName: 'Accept Unverified Deliveries',
	name: 'acceptUnverified',
	type: 'boolean',
	default: false,
	description:
		'Whether deliveries are accepted without a secret. Anyone who learns the URL can then start this workflow; n8n logs a warning at activation. Leave off and set a secret instead.',
};

/** Normalized items or the body as sent (secrets stripped): the same choice in both triggers. */
export const outputProperty: Option = {
	displayName: 'Output',
	name: 'output',
	type: 'options',
	default: 'normalized',
	options: [
		{ name: 'Normalized', value: 'normalized', description: 'One clean item per event, with the same fields for every source and server version (see README)' },
		{ name: 'Raw (Sanitized)', value: 'raw', description: 'The body as it was sent, with secrets (API keys, tokens, webhook URLs) removed' },
	],
};

/**
 * The Options collection of a trigger (one per node version where the options differ), preceded by a
 * notice naming the options that are on by default: n8n shows no hint on a collection, and a user who
 * never opens it should still know what it already does. Both texts derive from the options themselves.
 */
export function optionsCollection(options: INodeProperties[], displayOptions?: INodeProperties['displayOptions']): Option[] {
	const onByDefault = options.filter((option) => option.default === true).map((option) => option.displayName);
	const named = `On by default: ${onByDefault.join(', ')}.`;
	const notice: Option = { displayName: `${named} Add one under Options to turn it off.`, name: 'optionsDefaultsNotice', type: 'notice', default: '' };
	const collection: Option = { displayName: 'Options', name: 'options', type: 'collection', placeholder: 'Add Option', default: {}, description: `${named} Add one here to turn it off.`, options };
	if (displayOptions) {
		notice.displayOptions = displayOptions;
		collection.displayOptions = displayOptions;
	}
	return onByDefault.length > 0 ? [notice, collection] : [collection];
}
