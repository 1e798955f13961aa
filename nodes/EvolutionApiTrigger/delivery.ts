import type { IDataObject, INodeExecutionData, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { findEvent, type EvolutionEvent } from '../lib/evolution/events';
import { REGISTRATION_KEY, VERIFICATION_HEADER, VERIFICATION_QUERY_PARAM, type Registration } from '../lib/evolution/registration';
import { dropRepeats } from '../lib/delivery/dedupe';
import { parseChatList, passesFilters, type DeliveryFilters } from '../lib/delivery/filters';
import { firstValue, secretsMatch } from '../lib/delivery/verify';
import { isPlainObject, reply } from '../lib/n8n/webhook-reply';
import { normalizeDelivery, sanitize } from '../lib/normalize';
import { attachMedia, inlineMediaOf } from '../lib/normalize/media';
import type { NormalizedItem } from '../lib/normalize/model';

/**
 * The trigger's webhook(): verify, read the event, drop what the workflow does not want, and only then
 * start an execution. Nothing here talks to the Evolution server. Bad input is answered, never thrown.
 */

/** The secret this delivery must carry, and where; null when none is required (global mode, no secret). */
function expectedSecret(context: IWebhookFunctions, registerMode: boolean): { secret: string; in: 'header' | 'query' } | null | 'unregistered' {
	if (!registerMode) {
		const secret = String(context.getNodeParameter('globalSecret', ''));
		return secret === '' ? null : { secret, in: 'query' };
	}
	const registration = context.getWorkflowStaticData('node')[REGISTRATION_KEY] as Registration | undefined;
	if (!registration?.secret) return 'unregistered';
	return { secret: registration.secret, in: registration.secretIn };
}

/** By-events deliveries end in the event's URL suffix, e.g. …/webhook/messages-upsert (the route's only parameter, named per node). */
function eventFromPath(context: IWebhookFunctions): string | undefined {
	const suffix = Object.values(context.getParamsData() as IDataObject)[0];
	return typeof suffix === 'string' && findEvent(suffix) ? suffix : undefined;
}

/**
 * With by-events on, the server appends the event to the URL as configured, query included, so
 * `?n8nSecret=abc` arrives as `abc/messages-upsert` (spec §4). The part before the slash is the secret.
 */
function querySecret(context: IWebhookFunctions): string | undefined {
	return firstValue((context.getQueryData() as IDataObject)[VERIFICATION_QUERY_PARAM])?.split('/')[0];
}

export async function handleDelivery(context: IWebhookFunctions): Promise<IWebhookResponseData> {
	const registerMode = context.getNodeParameter('mode', 'register') !== 'global';

	const expected = expectedSecret(context, registerMode);
	if (expected === 'unregistered') {
		return reply(context, 401, 'Unauthorized: this trigger is not registered on any instance (activate the workflow)');
	}
	if (expected !== null) {
		const presented =
			expected.in === 'header' ? firstValue(context.getHeaderData()[VERIFICATION_HEADER]) : querySecret(context);
		if (!secretsMatch(presented, expected.secret)) {
			return reply(context, 401, `Unauthorized: missing or wrong delivery secret (${expected.in === 'header' ? `header ${VERIFICATION_HEADER}` : `query ${VERIFICATION_QUERY_PARAM}`})`);
		}
	}

	const body = context.getBodyData() as unknown;
	if (!isPlainObject(body)) return reply(context, 400, 'Bad request: expected a JSON object body');
	const eventName = typeof body.event === 'string' ? body.event : eventFromPath(context);
	if (eventName === undefined) return reply(context, 400, 'Bad request: the body has no "event" field');
	const event = findEvent(eventName);
	const selected = context.getNodeParameter('events', []) as string[];
	// Unknown or unselected events are acknowledged (200) so the server does not retry, and start nothing.
	if (!event || !selected.includes(event.config)) return {};
	if (!isFromWantedInstance(context, registerMode, body.instance)) return {};
	// Servers send an object, an array or null (spec §4); anything else cannot be an event.
	if (body.data !== undefined && body.data !== null && typeof body.data !== 'object') {
		return reply(context, 400, 'Bad request: "data" must be an object, an array or null');
	}

	const options = context.getNodeParameter('options', {}) as IDataObject;
	const filters: DeliveryFilters = {
		ignoreOwnMessages: options.ignoreOwnMessages === true,
		ignoreGroups: options.ignoreGroups === true,
		ignoreBroadcasts: options.ignoreBroadcasts !== false,
		onlyChats: parseChatList(options.onlyChats),
	};
	const dropDuplicates = options.dropDuplicates !== false;
	const scope = `${context.getNode().webhookId ?? context.getNode().id}|${context.getMode()}`;
	const now = Date.now();
	// A by-events delivery may name its event only in the URL suffix: hand it to the normalizer in the body.
	const envelope = typeof body.event === 'string' ? body : { ...body, event: event.emitted };
	const items = normalizeDelivery(envelope, { source: 'evolution', splitArrays: options.splitArrays !== false });
	const readable = items.filter(isReadable);
	if (readable.length < items.length && readable.length === 0) {
		return reply(context, 400, `Bad request: the "${eventName}" delivery carries no readable event (a message without data.key.id, or data of the wrong shape)`);
	}
	const passing = readable.filter((item) => passesFilters(item, filters));
	const wanted = dropDuplicates ? dropRepeats(passing, scope, now) : passing;
	if (wanted.length === 0) return {};

	const raw = context.getNodeParameter('output', 'normalized') === 'raw';
	const media = options.media === 'base64' || options.media === 'download' ? options.media : 'off';
	const output: INodeExecutionData[] = raw
		? [{ json: sanitize(body) }]
		: await Promise.all(wanted.map((item) => itemWithMedia(context, body, item, media)));
	return { workflowData: routeToOutputs(context, event, output, selected) };
}

/** Evolution always sends a message's key.id: a message item without one comes from a malformed body. */
function isReadable(item: NormalizedItem): boolean {
	if (item.source === 'unknown') return false;
	return item.message === null || (typeof item.message.id === 'string' && item.message.id !== '');
}

function isFromWantedInstance(context: IWebhookFunctions, registerMode: boolean, instance: unknown): boolean {
	if (registerMode) {
		// The registration is per instance; a body naming another instance is not one of ours.
		return instance === undefined || instance === String(context.getNodeParameter('instance', ''));
	}
	const names = String(context.getNodeParameter('instanceNames', ''))
		.split(',')
		.map((name) => name.trim())
		.filter(Boolean);
	return names.length === 0 || (typeof instance === 'string' && names.includes(instance));
}

async function itemWithMedia(context: IWebhookFunctions, body: IDataObject, item: NormalizedItem, media: 'off' | 'base64' | 'download'): Promise<INodeExecutionData> {
	if (media === 'off' || item.message?.media == null) return { json: item as IDataObject };
	return attachMedia(context, item, inlineMediaOf(body, item), { download: media === 'download' });
}

function routeToOutputs(context: IWebhookFunctions, event: EvolutionEvent, items: INodeExecutionData[], selected: string[]): INodeExecutionData[][] {
	if (context.getNodeParameter('outputPerEvent', false) !== true) return [items];
	const outputs: INodeExecutionData[][] = selected.map(() => []);
	outputs[selected.indexOf(event.config)] = items;
	return outputs;
}
