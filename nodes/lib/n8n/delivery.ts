import type { IDataObject, INodeExecutionData, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { recentDeliveries } from '../delivery/dedupe';
import { decideDelivery, type PlannedItem } from '../delivery/pipeline';
import { NOT_JSON, type DeliveryRequest, type DeliverySettings } from '../delivery/settings';
import { lidMapsOf } from '../normalize/lid-map';
import { isRecord } from '../normalize/read/scalars';
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
		// The LID map lives in the node's static data (docs/protocol.md#delivery-envelope); written only when it changed.
		const staticData = settings.protocol === 'evolution' ? context.getWorkflowStaticData('node') : null;
		const lidMaps = staticData ? lidMapsOf(staticData[LID_MAPS_KEY]) : undefined;
		const decision = decideDelivery(requestOf(context), settings, (key) => recentDeliveries.has(key, now), lidMaps);
		if (staticData && decision.lidMaps) staticData[LID_MAPS_KEY] = decision.lidMaps as unknown as IDataObject;
		if (decision.kind === 'answer') return respond(context, decision.status, decision.body as IDataObject);
		const workflowData = await Promise.all(decision.outputs.map((items) => Promise.all(items.map((item) => build(context, item)))));
		// Recorded only now: a delivery whose output could not be built is processed again on retry.
		for (const key of decision.remember) recentDeliveries.remember(key, now);
		return { workflowData, webhookResponse: decision.acknowledgement as IDataObject };
	} catch (error) {
		context.logger.error(`${nodeName} could not handle a delivery: ${error instanceof Error ? error.message : String(error)}`);
		return respond(context, 500, { message: 'Internal error while reading the delivery; see the n8n log' });
	}
}

function respond(context: IWebhookFunctions, status: number, body: IDataObject): IWebhookResponseData {
	context.getResponseObject().status(status).json(body);
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

async function build(context: IWebhookFunctions, planned: PlannedItem): Promise<INodeExecutionData> {
	const json = planned.json as IDataObject;
	if (!planned.media) return { json };
	const media = await materializeMedia(context, planned.media);
	if (media.ok) return { json, binary: media.binary };
	if (!planned.normalized) return { json };
	const details = isRecord(json.details) ? json.details : {};
	return { json: { ...json, details: { ...details, mediaError: media.reason } } };
}
