/**
 * Turns node's IncomingMessage/ServerResponse into the express-shaped objects n8n hands to
 * `webhook()`, and reads the body the way n8n's `rawBodyReader` + `parseBody` do:
 * - `req.contentType`/`req.encoding` from n8n-core's `parseIncomingMessage`;
 * - raw body read (gzip/deflate inflated), limit 16 MiB (`N8N_PAYLOAD_SIZE_MAX` default);
 * - parsed only for exactly `application/json` (n8n-workflow `jsonParse`),
 *   `application/x-www-form-urlencoded` and `text/plain`; anything else leaves `req.body` unset.
 *   XML and multipart are not modelled.
 * - A body that fails to parse is n8n's `UnprocessableRequestError`: 422
 *   `{"code":422,"message":"Failed to parse request body","hint":<parser message>}`, and
 *   `webhook()` never runs.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQueryString } from 'node:querystring';
import type { Readable } from 'node:stream';
import { createGunzip, createInflate } from 'node:zlib';

import { parseIncomingMessage } from 'n8n-core';
import { jsonParse } from 'n8n-workflow';

const PAYLOAD_SIZE_MAX_BYTES = 16 * 1024 * 1024;

export interface WebhookRequest extends IncomingMessage {
	// contentType, encoding, rawBody and readRawBody come from n8n-workflow's IncomingMessage augmentation.
	body?: unknown;
	query: Record<string, string | string[] | undefined>;
	params: Record<string, string>;
	path: string;
	originalUrl: string;
	get(name: string): string | undefined;
	header(name: string): string | undefined;
}

export interface WebhookResponse extends ServerResponse {
	status(code: number): WebhookResponse;
	json(body: unknown): WebhookResponse;
	send(body?: unknown): WebhookResponse;
	set(name: string, value: string | number | readonly string[]): WebhookResponse;
	header(name: string, value: string | number | readonly string[]): WebhookResponse;
	sendStatus(code: number): WebhookResponse;
}

export class BodyParseError extends Error {
	readonly httpStatusCode = 422;

	constructor(readonly hint: string) {
		super('Failed to parse request body');
	}
}

export class PayloadTooLargeError extends Error {}

export function toWebhookRequest(req: IncomingMessage, params: Record<string, string>): WebhookRequest {
	const request = req as WebhookRequest;
	const url = new URL(req.url ?? '/', 'http://127.0.0.1');
	parseIncomingMessage(request);
	request.originalUrl = req.url ?? '/';
	request.path = url.pathname;
	request.query = parseQueryString(url.search.slice(1));
	// n8n resets `req.params` (which held the routed path) and then fills in dynamic `:param` values.
	request.params = { ...params };
	request.get = (name: string) => {
		const value = req.headers[name.toLowerCase()];
		return Array.isArray(value) ? value.join(', ') : value;
	};
	request.header = request.get;
	// n8n's rawBodyReader: reads (and inflates) the body once, on demand.
	request.readRawBody = async () => {
		if (request.rawBody !== undefined) return;
		let stream: Readable = request;
		const contentEncoding = request.headers['content-encoding'];
		if (contentEncoding === 'gzip') stream = request.pipe(createGunzip());
		else if (contentEncoding === 'deflate') stream = request.pipe(createInflate());
		request.rawBody = await readAll(stream);
		request._body = true;
	};
	return request;
}

async function readAll(stream: Readable): Promise<Buffer> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of stream) {
		const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
		size += buffer.length;
		if (size > PAYLOAD_SIZE_MAX_BYTES) throw new PayloadTooLargeError('request entity too large');
		chunks.push(buffer);
	}
	return Buffer.concat(chunks);
}

/** n8n's `parseBody`, run by webhook-helpers before the node's `webhook()`. */
export async function parseBody(req: WebhookRequest): Promise<void> {
	if (req.contentType?.startsWith('multipart/')) return;
	await req.readRawBody();
	const { rawBody, contentType } = req;
	const encoding = req.encoding ?? 'utf-8';
	if (!rawBody?.length) return;
	try {
		if (contentType === 'application/json') {
			req.body = jsonParse(rawBody.toString(encoding));
		} else if (contentType === 'application/x-www-form-urlencoded') {
			req.body = parseQueryString(rawBody.toString(encoding), undefined, undefined, { maxKeys: 1000 });
		} else if (contentType === 'text/plain') {
			req.body = rawBody.toString(encoding);
		}
	} catch (error) {
		throw new BodyParseError((error as Error).message);
	}
}

export function toWebhookResponse(res: ServerResponse): WebhookResponse {
	const response = res as WebhookResponse;
	response.status = (code: number) => {
		response.statusCode = code;
		return response;
	};
	response.set = (name, value) => {
		response.setHeader(name, value);
		return response;
	};
	response.header = response.set;
	response.json = (body: unknown) => {
		if (!response.hasHeader('content-type')) response.setHeader('content-type', 'application/json; charset=utf-8');
		response.end(JSON.stringify(body));
		return response;
	};
	response.send = (body?: unknown) => {
		// express: strings go out as HTML, Buffers as octet-stream, everything else as JSON.
		if (typeof body === 'string') {
			if (!response.hasHeader('content-type')) response.setHeader('content-type', 'text/html; charset=utf-8');
			response.end(body);
		} else if (Buffer.isBuffer(body)) {
			if (!response.hasHeader('content-type')) response.setHeader('content-type', 'application/octet-stream');
			response.end(body);
		} else if (body === undefined) {
			response.end();
		} else {
			response.json(body);
		}
		return response;
	};
	response.sendStatus = (code: number) => {
		response.statusCode = code;
		return response.send(String(code));
	};
	return response;
}
