import type { IDataObject, INodeExecutionData, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { dropRepeats } from '../lib/delivery/dedupe';
import { firstValue, secretsMatch } from '../lib/delivery/verify';
import { isPlainObject, reply } from '../lib/n8n/webhook-reply';
import { isTestPing, normalizeDelivery, type SourceSetting } from '../lib/normalize';
import { attachMedia, inlineMediaOf } from '../lib/normalize/media';
import type { NormalizedItem } from '../lib/normalize/model';
import { sanitize } from '../lib/normalize/sanitize';
import { TOKEN_HEADER, TOKEN_QUERY_PARAM } from './description';

/**
 * The Whaticket Trigger's webhook(): check the token, read the body, drop what the workflow does not
 * want, and only then start an execution. Bad input gets a clear HTTP answer; nothing is thrown.
 */

/** What `bodyOf` answers for a body that is not JSON at all. */
const NOT_JSON = Symbol('not JSON');

/** n8n parses only `application/json` bodies; a JSON object sent with another content type is read from the raw body. */
function bodyOf(context: IWebhookFunctions): unknown {
	const body = context.getBodyData() as unknown;
	if (isPlainObject(body) && Object.keys(body).length > 0) return body;
	const rawBody = (context.getRequestObject() as { rawBody?: Buffer }).rawBody;
	if (!rawBody || rawBody.length === 0) return body;
	try {
		return JSON.parse(rawBody.toString('utf8')) as unknown;
	} catch {
		// Not JSON: the caller answers 400.
		return NOT_JSON;
	}
}

function describeBody(value: unknown): string {
	if (value === NOT_JSON) return 'not JSON';
	if (Array.isArray(value)) return 'an array';
	if (value === null || value === undefined) return 'empty';
	return `a ${typeof value}`;
}

export async function handleWhaticketDelivery(context: IWebhookFunctions): Promise<IWebhookResponseData> {
	try {
		return await handle(context);
	} catch (error) {
		context.logger.error(`Whaticket Trigger could not handle a delivery: ${(error as Error).message}`);
		return reply(context, 500, 'Internal error while reading the delivery; see the n8n log');
	}
}

async function handle(context: IWebhookFunctions): Promise<IWebhookResponseData> {
	const token = String(context.getNodeParameter('token', ''));
	if (token !== '') {
		const presented = firstValue(context.getHeaderData()[TOKEN_HEADER]) ?? firstValue((context.getQueryData() as IDataObject)[TOKEN_QUERY_PARAM]);
		if (!secretsMatch(presented, token)) {
			return reply(
				context,
				401,
				presented
					? 'Unauthorized: the token does not match the one set in the Whaticket Trigger'
					: `Unauthorized: send the token in the X-N8N-API-KEY header or as ?${TOKEN_QUERY_PARAM}= in the URL`,
			);
		}
	}

	const body = bodyOf(context);
	if (!isPlainObject(body)) return reply(context, 400, `Bad request: the body must be a JSON object (it is ${describeBody(body)})`);
	// The helpdesk's "test" button: answer it, start nothing.
	if (isTestPing(body)) return { webhookResponse: { ok: true, message: 'Test received' } };

	const source = String(context.getNodeParameter('source', 'auto')) as SourceSetting;
	const options = context.getNodeParameter('options', {}) as IDataObject;
	const raw = context.getNodeParameter('output', 'normalized') === 'raw';
	const selected = context.getNodeParameter('events', []) as string[];
	const normalized = normalizeDelivery(body, { source, includeRaw: !raw && options.includeRaw === true });
	const selectedItems = selected.length === 0 ? normalized : normalized.filter((item) => selected.includes(item.event));
	// Whazing retries a failed delivery up to 3 times and re-posts a message when it is edited or deleted.
	const scope = `${context.getNode().webhookId ?? context.getNode().id}|${context.getMode()}`;
	const wanted = options.dropDuplicates === false ? selectedItems : dropRepeats(selectedItems, scope, Date.now());
	// Unselected events are acknowledged (n8n answers 200) so the helpdesk does not retry.
	if (wanted.length === 0) return {};

	const mediaToBinary = options.mediaToBinary === true;
	const download = options.downloadMedia === true;
	if (raw) {
		const withMedia = wanted.find((item) => item.message?.media);
		const first = mediaToBinary && withMedia ? await itemWithMedia(context, body, withMedia, download) : undefined;
		const rawItem: INodeExecutionData = { json: sanitize(body) };
		if (first?.binary) rawItem.binary = first.binary;
		return { workflowData: [[rawItem]] };
	}
	const items = await Promise.all(
		wanted.map((item) => (mediaToBinary && item.message?.media ? itemWithMedia(context, body, item, download) : { json: item as unknown as IDataObject })),
	);
	return { workflowData: [items] };
}

async function itemWithMedia(context: IWebhookFunctions, body: IDataObject, item: NormalizedItem, download: boolean): Promise<INodeExecutionData> {
	return attachMedia(context, item, inlineMediaOf(body, item), { download });
}
