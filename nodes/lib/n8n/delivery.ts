import type { IDataObject, INodeExecutionData, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { stateGroups } from '../delivery/coalesce';
import { PERSISTED_DEDUPE_KEY, recentDeliveries } from '../delivery/dedupe';
import { decideDelivery, type PlannedItem } from '../delivery/pipeline';
import { NOT_JSON, type DeliveryRequest, type DeliverySettings } from '../delivery/settings';
import { LID_LOOKUP_TIMEOUT_MS } from '../evolution/lid-lookup';
import { lidMapsOf } from '../normalize/lid-map';
import { isRecord } from '../normalize/read/scalars';
import { lookUpLidPhones } from './lid-lookup';
import { materializeMedia } from './media';

/** The static-data key of the learned LID → phone maps. */
export const LID_MAPS_KEY = 'lidMaps';

/**
 * The one n8n adapter of both triggers' webhook(): the request as plain data in, the pipeline's
 * decision out as n8n's response. Nothing is thrown at n8n: an unexpected failure is logged and
 * answered 500, and starts nothing.
 */
export async function answerDelivery(context: IWebhookFunctions, settings: DeliverySettings, nodeName: string): Promise<IWebhookResponseData> {
	try {
		const now = Date.now();
		const staticData = context.getWorkflowStaticData('node');
		const memory = { now, recentlySeen: (key: string) => recentDeliveries.has(settings.dedupeScope, key, now, settings.dedupeWindowMs), persisted: staticData[PERSISTED_DEDUPE_KEY], stateGroup: (group: string) => stateGroups.get(group) };
		// The LID map lives in the node's static data (docs/protocol.md#delivery-envelope); written only when it changed.
		const lidMaps = settings.protocol === 'evolution' ? lidMapsOf(staticData[LID_MAPS_KEY]) : undefined;
		const request = requestOf(context);
		let decision = decideDelivery(request, settings, memory, lidMaps);
		if (decision.kind === 'lookup') {
			const phones = await lookUpLidPhones(context, decision.instance, decision.lids, LID_LOOKUP_TIMEOUT_MS);
			decision = decideDelivery(request, settings, memory, lidMaps, phones);
		}
		if (decision.kind === 'lookup') throw new Error('the pipeline asked for a LID look-up twice');
		if (decision.lidMaps) staticData[LID_MAPS_KEY] = decision.lidMaps as unknown as IDataObject;
		if (decision.kind === 'answer') {
			for (const update of decision.stateUpdates ?? []) stateGroups.set(update.group, update.value);
			return respond(context, decision.status, decision.body as IDataObject, decision.headers);
		}
		const workflowData = await Promise.all(decision.outputs.map((items) => Promise.all(items.map((item) => build(context, item, settings)))));
		// Recorded only now: a delivery whose output could not be built is processed again on retry.
		for (const key of decision.remember) recentDeliveries.remember(settings.dedupeScope, key, now);
		for (const update of decision.stateUpdates) stateGroups.set(update.group, update.value);
		recordPersisted(staticData, decision.persist);
		// Answered here, not through webhookResponse: n8n 2.40.7 (webhook-helpers.js executeWebhook) answers an
		// onReceived webhook that starts an execution only after WorkflowRunner.run has built the execution's
		// Workflow, which wraps the same static data object again and so resets its change flag; the save that
		// follows the answer then sees no change and what was written above is lost. With noWebhookResponse
		// both 2.40.7 and 1.123.81 save the static data first, then start the execution.
		respond(context, 200, decision.acknowledgement as IDataObject);
		return { workflowData, noWebhookResponse: true };
	} catch (error) {
		context.logger.error(`${nodeName} could not handle a delivery: ${error instanceof Error ? error.message : String(error)}`);
		return respond(context, 500, { message: 'Internal error while reading the delivery; see the n8n log' });
	}
}

/**
 * The persisted dedupe keys go to the node's static data. What n8n does with it (read from its source,
 * 2.40.7 and 1.123.81 alike, `LiveWebhooks.executeWebhook` and `WorkflowStaticDataService.saveStaticData`):
 * each production request loads the workflow, static data included, from the database; once webhook()
 * has answered, n8n saves the whole static data column if anything in it changed (when webhook() sent the
 * answer itself, before the execution is started; see answerDelivery). So a key written here is visible to every process (queue-mode webhook processors
 * included) from the next request after the save, and survives restarts. Two requests handled at the same
 * moment each write their own copy: the last writer wins and the other's keys are lost (a repeat then
 * still meets this process's memory when it reaches the same process). Test (manual) deliveries keep
 * static data in n8n's test-webhook cache only.
 */
function recordPersisted(staticData: IDataObject, persist: unknown): void {
	if (persist !== null) staticData[PERSISTED_DEDUPE_KEY] = persist as IDataObject;
}

function respond(context: IWebhookFunctions, status: number, body: IDataObject, headers: Record<string, string> = {}): IWebhookResponseData {
	const response = context.getResponseObject();
	for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
	response.status(status).json(body);
	return { noWebhookResponse: true };
}

/** n8n parses only `application/json` bodies; a JSON object sent with another content type is read from the raw body. */
function bodyOf(context: IWebhookFunctions): unknown {
	const body = context.getBodyData() as unknown;
	if (isRecord(body) && Object.keys(body).length > 0) return body;
	const rawBody = (context.getRequestObject() as { rawBody?: Buffer }).rawBody;
	if (!rawBody || rawBody.length === 0) return body;
	try {
		return JSON.parse(rawBody.toString('utf8')) as unknown;
	} catch {
		return NOT_JSON;
	}
}

function requestOf(context: IWebhookFunctions): DeliveryRequest {
	return {
		headers: context.getHeaderData() as Record<string, unknown>,
		query: context.getQueryData() as Record<string, unknown>,
		params: context.getParamsData() as Record<string, unknown>,
		body: bodyOf(context),
	};
}

async function build(context: IWebhookFunctions, planned: PlannedItem, settings: DeliverySettings): Promise<INodeExecutionData> {
	const json = planned.json as IDataObject;
	if (!planned.media) return { json };
	const media = await materializeMedia(context, planned.media, settings.mediaLimits);
	if (media.ok) return { json, binary: media.binary };
	if (!planned.normalized) return { json };
	const details = isRecord(json.details) ? json.details : {};
	return { json: { ...json, details: { ...details, mediaError: media.reason } } };
}
