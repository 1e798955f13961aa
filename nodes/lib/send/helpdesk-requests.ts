import type { HelpdeskProduct } from './capabilities';

/**
 * The helpdesks' send routes (their only reply operation):
 * - Whazing and Izing: `POST {backend}/v1/api/external/{apiId}`, `Authorization: Bearer <token>`; JSON
 *   `{body, number | ticketId, externalKey, mediaUrl?}` or multipart with one file in field `media`
 *   (Izing: 5 MB). `body` is required, so a file without caption sends " ". Izing answers 200
 *   `{"message":"Message add queue"}` and sends later (asynchronous).
 * - Whaticket SaaS: `POST {backend}/api/messages/send`, `Authorization: Bearer <connection token>`;
 *   JSON `{number, body}` or multipart with files in field `medias`. No URL form.
 */

export interface FilePart {
	field: string;
	fileName: string;
	mimetype: string;
	data: Uint8Array;
}

export interface MultipartForm {
	fields: Array<[string, string]>;
	files: FilePart[];
}

export interface HelpdeskRequest {
	method: 'POST';
	/** Appended to the credential's base URL. */
	path: string;
	json?: Record<string, unknown>;
	form?: MultipartForm;
}

export interface HelpdeskRecipient {
	number?: string;
	/** Whazing: channels without phone numbers are answered by ticket. */
	ticketId?: string;
}

export type HelpdeskMedia = { kind: 'url'; url: string } | { kind: 'file'; fileName: string; mimetype: string; data: Uint8Array };

export function helpdeskSendPath(product: HelpdeskProduct, apiId: string): string {
	return product === 'whaticket' ? '/api/messages/send' : `/v1/api/external/${encodeURIComponent(apiId)}`;
}

/** Whaticket takes files only, and a Whazing sticker is a file flagged `sticker=true`: a URL is fetched first. */
export function mediaNeedsFile(product: HelpdeskProduct, sticker: boolean): boolean {
	return product === 'whaticket' || (product === 'whazing' && sticker);
}

function recipientFields(recipient: HelpdeskRecipient): Array<[string, string]> {
	const fields: Array<[string, string]> = [];
	if (recipient.number !== undefined) fields.push(['number', recipient.number]);
	if (recipient.ticketId !== undefined) fields.push(['ticketId', recipient.ticketId]);
	return fields;
}

export interface HelpdeskTextInput {
	apiId: string;
	recipient: HelpdeskRecipient;
	text: string;
	/** Whazing/Izing: the key your system tracks the ticket by (required in Izing). */
	externalKey: string;
}

export function buildHelpdeskText(product: HelpdeskProduct, input: HelpdeskTextInput): HelpdeskRequest {
	const path = helpdeskSendPath(product, input.apiId);
	if (product === 'whaticket') return { method: 'POST', path, json: { number: input.recipient.number, body: input.text } };
	return { method: 'POST', path, json: { body: input.text, ...Object.fromEntries(recipientFields(input.recipient)), externalKey: input.externalKey } };
}

export interface HelpdeskMediaInput {
	apiId: string;
	recipient: HelpdeskRecipient;
	media: HelpdeskMedia;
	caption: string | null;
	externalKey: string;
	sticker: boolean;
}

export function buildHelpdeskMedia(product: HelpdeskProduct, input: HelpdeskMediaInput): HelpdeskRequest {
	const path = helpdeskSendPath(product, input.apiId);
	const { media } = input;
	if (product === 'whaticket') {
		if (media.kind !== 'file') throw new Error('Whaticket SaaS takes files only: fetch the URL first');
		const fields = recipientFields(input.recipient);
		if (input.caption) fields.push(['body', input.caption]);
		return { method: 'POST', path, form: { fields, files: [{ field: 'medias', fileName: media.fileName, mimetype: media.mimetype, data: media.data }] } };
	}
	const body = input.caption ?? ' ';
	if (media.kind === 'url') {
		return { method: 'POST', path, json: { body, ...Object.fromEntries(recipientFields(input.recipient)), externalKey: input.externalKey, mediaUrl: media.url } };
	}
	const fields: Array<[string, string]> = [['body', body], ...recipientFields(input.recipient), ['externalKey', input.externalKey]];
	if (input.sticker) fields.push(['sticker', 'true']);
	return { method: 'POST', path, form: { fields, files: [{ field: 'media', fileName: media.fileName, mimetype: media.mimetype, data: media.data }] } };
}

/** Izing caps its one file at 5 MB (multer limit); a larger file is refused before it is sent. */
export const IZING_MAX_FILE_BYTES = 5 * 1024 * 1024;

const quoteHeader = (value: string) => value.replace(/[\r\n"\\]/g, (character) => (character === '"' ? '%22' : character === '\\' ? '\\\\' : ' '));

/** multipart/form-data by hand (RFC 7578), so node code needs no form library. */
export function encodeMultipart(form: MultipartForm, boundary: string): { contentType: string; body: Buffer } {
	const parts: Buffer[] = [];
	for (const [name, value] of form.fields) {
		parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${quoteHeader(name)}"\r\n\r\n${value}\r\n`, 'utf8'));
	}
	for (const file of form.files) {
		parts.push(
			Buffer.from(
				`--${boundary}\r\nContent-Disposition: form-data; name="${quoteHeader(file.field)}"; filename="${quoteHeader(file.fileName)}"\r\nContent-Type: ${file.mimetype.replace(/[\r\n]/g, '')}\r\n\r\n`,
				'utf8',
			),
			Buffer.from(file.data),
			Buffer.from('\r\n', 'utf8'),
		);
	}
	parts.push(Buffer.from(`--${boundary}--\r\n`, 'utf8'));
	return { contentType: `multipart/form-data; boundary=${boundary}`, body: Buffer.concat(parts) };
}

export interface HelpdeskFailure {
	product: HelpdeskProduct;
	status?: number;
	body?: unknown;
	url: string;
	networkMessage?: string;
}

const LABEL: Record<HelpdeskProduct, string> = { whazing: 'Whazing', izing: 'Izing', whaticket: 'Whaticket SaaS' };

/** The helpdesk's own text: `{error}` (AppError, Izing's auth), `{message}`, or a plain string. */
export function helpdeskServerText(body: unknown): string {
	if (typeof body === 'string') return body.slice(0, 500);
	if (typeof body !== 'object' || body === null) return '';
	const record = body as Record<string, unknown>;
	for (const key of ['error', 'message', 'mensagem']) {
		if (typeof record[key] === 'string') return (record[key] as string).slice(0, 500);
	}
	return JSON.stringify(body).slice(0, 500);
}

/** One sentence for a failed helpdesk call, plus a hint. */
export function explainHelpdeskFailure(failure: HelpdeskFailure): { message: string; description: string } {
	const label = LABEL[failure.product];
	if (failure.status === undefined) {
		return {
			message: `Could not reach ${label} at ${failure.url} (${failure.networkMessage ?? 'no answer'})`,
			description: 'Check the Base URL in the Helpdesk API credential: it is the backend address (often api.… or …/backend), not the web panel.',
		};
	}
	const serverText = helpdeskServerText(failure.body);
	const said = serverText ? `Server said: ${serverText}` : `${failure.url} answered ${failure.status}.`;
	if (failure.status === 401 || failure.status === 403) {
		const where =
			failure.product === 'whaticket'
				? 'the token of the WhatsApp connection (Conexões → edit → Token)'
				: 'the API token and the API id of Automação e Integrações → API (one per channel)';
		return {
			message: `${label} refused the token (${failure.status}${serverText ? `: ${serverText}` : ''})`,
			description: `Put ${where} in the Helpdesk API credential. The webhook token of the Whaticket Trigger is not the send token. ${said}`,
		};
	}
	if (failure.status === 404 || /ERR_CHECK_NUMBER/.test(serverText)) {
		const notWhatsApp = /whatsapp|n[uú]mero|number|ERR_CHECK_NUMBER/i.test(serverText);
		return {
			message: notWhatsApp ? `${label} says the number is not on WhatsApp${serverText ? ` (${serverText})` : ''}` : `${label} has no send route at ${failure.url}`,
			description: notWhatsApp ? `Check the number: country code and area code, digits only (e.g. 5511999990000). ${said}` : `Check the Base URL (the backend address) and, for Whazing/Izing, the API id in the Helpdesk API credential. ${said}`,
		};
	}
	if (failure.status >= 500) {
		return { message: `${label} failed (${failure.status})${serverText ? `: ${serverText}` : ''}`, description: `Check the helpdesk's logs; retrying later may help. ${said}` };
	}
	const disconnected = /ERR_WAPP_NOT_INITIALIZED|ERR_SENDING_WAPP_MSG|session/i.test(serverText);
	return {
		message: disconnected
			? `${label} could not send: its WhatsApp connection is not ready (${serverText})`
			: `${label} rejected the message (${failure.status})${serverText ? `: ${serverText}` : ''}`,
		description: disconnected ? 'Reconnect the channel in the helpdesk (Conexões / Canais), then try again.' : said,
	};
}

/** Where the Helpdesk API credential's test sends, or what is missing to send it. */
export function helpdeskCredentialTestTarget(data: Record<string, unknown>): { product: HelpdeskProduct; url: string } | { status: 'Error'; message: string } {
	const product: HelpdeskProduct = data.product === 'izing' || data.product === 'whaticket' ? data.product : 'whazing';
	const baseUrl = String(data.baseUrl ?? '').trim().replace(/\/+$/, '');
	if (!/^https?:\/\/[^/]/i.test(baseUrl)) return { status: 'Error', message: 'Enter the Base URL with http:// or https://' };
	const apiId = String(data.apiId ?? '').trim();
	if (product !== 'whaticket' && apiId === '') return { status: 'Error', message: 'Enter the API ID (Automação e Integrações → API)' };
	return { product, url: `${baseUrl}${helpdeskSendPath(product, apiId)}` };
}

/**
 * The credential test POSTs an empty body to the send route: nothing can be sent without a number,
 * and the guard answers first. 401/403 = the token is refused; a 400 validation answer = the token
 * passed; 404 = no such route (wrong Base URL or API id).
 */
export function credentialTestVerdict(product: HelpdeskProduct, status: number | undefined, body: unknown, url: string): { status: 'OK' | 'Error'; message: string } {
	if (status === undefined) return { status: 'Error', message: `Could not reach ${url}: check the Base URL` };
	if (status === 400 || status === 422 || (status >= 200 && status < 300)) return { status: 'OK', message: 'Connection successful: the token was accepted' };
	const explained = explainHelpdeskFailure({ product, status, body, url });
	return { status: 'Error', message: `${explained.message}. ${explained.description}` };
}
