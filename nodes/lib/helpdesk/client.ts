import { randomBytes } from 'crypto';
import { NodeApiError, NodeOperationError, type IExecuteFunctions, type IHttpRequestOptions, type JsonObject } from 'n8n-workflow';

import type { HelpdeskProduct } from '../send/capabilities';
import { encodeMultipart, explainHelpdeskFailure, type HelpdeskRequest } from '../send/helpdesk-requests';

export const HELPDESK_CREDENTIAL = 'helpdeskApi';

const REQUEST_TIMEOUT_MS = 30_000;

export interface HelpdeskSettings {
	product: HelpdeskProduct;
	baseUrl: string;
	apiId: string;
}

/** The credential's product, base URL and API id; a credential that is not set is a sentence. */
export async function readHelpdeskSettings(context: IExecuteFunctions): Promise<HelpdeskSettings> {
	let credentials: Record<string, unknown>;
	try {
		credentials = await context.getCredentials(HELPDESK_CREDENTIAL);
	} catch {
		throw new NodeOperationError(context.getNode(), 'This item comes from a helpdesk (Whazing, Izing or Whaticket SaaS), and no Helpdesk API credential is set', {
			description: 'Add a "Helpdesk API (Whazing / Izing / Whaticket)" credential to this node, with the backend URL and the API token of the helpdesk.',
		});
	}
	const product = credentials.product === 'izing' || credentials.product === 'whaticket' ? credentials.product : 'whazing';
	const baseUrl = String(credentials.baseUrl ?? '').trim().replace(/\/+$/, '');
	if (!/^https?:\/\/[^/]/i.test(baseUrl)) {
		throw new NodeOperationError(context.getNode(), `The Helpdesk API credential has no valid Base URL ("${baseUrl}")`, {
			description: 'Enter the backend address with http:// or https://, e.g. https://api.yourcompany.com.',
		});
	}
	return { product, baseUrl, apiId: String(credentials.apiId ?? '').trim() };
}

/** Sends one helpdesk request (JSON or multipart); answers the body, or throws a NodeApiError sentence. */
export async function sendToHelpdesk(context: IExecuteFunctions, settings: HelpdeskSettings, request: HelpdeskRequest): Promise<unknown> {
	const url = `${settings.baseUrl}${request.path}`;
	const options: IHttpRequestOptions = {
		method: request.method,
		url,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: REQUEST_TIMEOUT_MS,
		headers: { Accept: 'application/json' },
	};
	if (request.form) {
		const encoded = encodeMultipart(request.form, `----n8nReply${randomBytes(12).toString('hex')}`);
		options.body = encoded.body;
		options.headers = { ...options.headers, 'Content-Type': encoded.contentType };
	} else {
		options.body = request.json;
		options.json = true;
	}
	let response: { statusCode?: number; body?: unknown };
	try {
		response = (await context.helpers.httpRequestWithAuthentication.call(context, HELPDESK_CREDENTIAL, options)) as typeof response;
	} catch (error) {
		const explained = explainHelpdeskFailure({ product: settings.product, url, networkMessage: error instanceof Error ? error.message : String(error) });
		const failure = new NodeApiError(context.getNode(), { message: explained.message }, { description: explained.description });
		failure.message = explained.message;
		throw failure;
	}
	const status = response.statusCode ?? 0;
	let body = response.body;
	if (Buffer.isBuffer(body) || typeof body === 'string') {
		const text = body.toString();
		try {
			body = JSON.parse(text);
		} catch {
			body = text;
		}
	}
	if (status >= 200 && status < 300) return body;
	const explained = explainHelpdeskFailure({ product: settings.product, url, status, body });
	throw new NodeApiError(context.getNode(), { status, body: (body ?? null) as JsonObject }, { message: explained.message, description: explained.description, httpCode: String(status) });
}
