/**
 * POST /webhook/set/:instance and GET /webhook/find/:instance as each dialect answers them (see
 * docs/protocol.md#dialects): v1 and 2.0 take a flat body and blank a disabled webhook, 2.1+ take
 * `{ webhook: {…} }`, keep the URL of a disabled webhook and keep omitted keys.
 */
import { badRequest, clone, lengthOfEvents, typeError } from './answers';
import { upsertRow, v1FindAnswer } from './storage';
import type { Answer, DoubleContext, InstanceState } from './types';
import { isUrlLikeValidator, validateLikeEvolution, webhookSchemaOf } from './validate';

export function setAnswer(ctx: DoubleContext, instance: InstanceState, body: unknown, query: Record<string, string>): Answer {
	// dataValidate: Object.assign(new Dto(), body), so an array body becomes an object with index keys.
	const data: Record<string, unknown> = Object.assign({}, clone(body));
	const errors = validateLikeEvolution(data, webhookSchemaOf(ctx.capabilities, ctx.eventsEnum));
	if (errors.length > 0) return badRequest(errors);
	if (ctx.capabilities.style === 'v2.1+') return setNested(ctx, instance, data.webhook as Record<string, unknown>);
	return setFlat(ctx, instance, data, query);
}

/** v1 and 2.0: flat body, disabling blanks url and events, the answer echoes the DTO. */
function setFlat(ctx: DoubleContext, instance: InstanceState, data: Record<string, unknown>, query: Record<string, string>): Answer {
	if (!isUrlLikeValidator(data.url, false)) return badRequest('Invalid "url" property');
	data.enabled = data.enabled ?? true;
	if (!data.enabled) {
		data.url = '';
		data.events = [];
	} else {
		const crash = lengthOfEvents(data.events);
		if (crash) return crash;
		if ((data.events as unknown[]).length === 0) data.events = [...ctx.eventsEnum];
	}
	if (!instance.loaded) return typeError("Cannot read properties of undefined (reading 'setWebhook')");

	if (ctx.capabilities.style === 'v1') {
		instance.v1Document = clone(data); // replaceOne / file overwrite: wholesale
	} else {
		upsertRow(ctx.capabilities, instance, {
			url: data.url as string,
			enabled: data.enabled as boolean,
			events: data.events as string[],
			webhookByEvents: data.webhookByEvents as boolean | undefined,
			webhookBase64: data.webhookBase64 as boolean | undefined,
		});
	}
	Object.assign(instance.localWebhook, clone(data));
	return { status: 201, body: { webhook: { instanceName: instance.name, ...query, webhook: data } } };
}

/** 2.1.0+: nested body, disabling keeps the url, upsert keeps omitted keys, the answer is the row. */
function setNested(ctx: DoubleContext, instance: InstanceState, webhook: Record<string, unknown>): Answer {
	if (ctx.capabilities.checksUrlAtSet && !isUrlLikeValidator(webhook.url, false)) {
		return badRequest('Invalid "url" property');
	}
	if (!webhook.enabled) {
		webhook.events = [];
	} else {
		const crash = lengthOfEvents(webhook.events);
		if (crash) return crash;
		if ((webhook.events as unknown[]).length === 0) webhook.events = [...ctx.eventsEnum];
	}
	if (!instance.loaded) return typeError("Cannot read properties of undefined (reading 'instanceId')");
	const row = upsertRow(ctx.capabilities, instance, {
		url: webhook.url as string,
		enabled: webhook.enabled as boolean,
		events: webhook.events as string[],
		headers: ctx.capabilities.hasHeaders ? (webhook.headers as Record<string, unknown> | undefined) : undefined,
		webhookByEvents: webhook.byEvents as boolean | undefined,
		webhookBase64: webhook.base64 as boolean | undefined,
	});
	return { status: 201, body: row };
}

export function findAnswer(ctx: DoubleContext, instance: InstanceState): Answer {
	if (ctx.capabilities.style === 'v2.1+') {
		// EventController.get: an instance not in memory reads as "no webhook".
		return { status: 200, body: instance.loaded ? clone(instance.row) : null };
	}
	if (!instance.loaded) return typeError("Cannot read properties of undefined (reading 'findWebhook')");
	if (ctx.capabilities.style === 'v1') return { status: 200, body: v1FindAnswer(ctx.capabilities, instance) };
	return { status: 200, body: clone(instance.row) };
}
