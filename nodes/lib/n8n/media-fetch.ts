import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

export interface FetchedMedia {
	data: Buffer;
	mimetype: string | null;
	fileName: string | null;
}

const FETCH_TIMEOUT_MS = 30_000;

/**
 * GETs a media URL a webhook carried (helpdesk `/public/…` files) or the user gave. Only http(s) is
 * fetched, so a `file:` or other scheme in an item can never read the n8n machine.
 */
export async function fetchMediaUrl(context: IExecuteFunctions, url: string): Promise<FetchedMedia> {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		throw new NodeOperationError(context.getNode(), `"${url.slice(0, 200)}" is not a URL`, { description: 'Give an http:// or https:// address of the file.' });
	}
	if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
		throw new NodeOperationError(context.getNode(), `Only http and https media URLs are fetched, not ${parsed.protocol}`, { description: 'Give an http:// or https:// address of the file.' });
	}
	let response: { body: ArrayBuffer | Buffer; headers?: Record<string, unknown>; statusCode?: number };
	try {
		response = (await context.helpers.httpRequest({ url: parsed.href, method: 'GET', encoding: 'arraybuffer', returnFullResponse: true, timeout: FETCH_TIMEOUT_MS })) as typeof response;
	} catch (error) {
		throw new NodeOperationError(context.getNode(), `The media could not be downloaded from ${parsed.href}: ${error instanceof Error ? error.message : String(error)}`, {
			description: 'Check that the URL is reachable from the n8n machine (helpdesk media lives under the backend\'s /public folder).',
		});
	}
	const type = response.headers?.['content-type'];
	const mimetype = typeof type === 'string' ? type.split(';')[0].trim() || null : null;
	const last = decodeURIComponent(parsed.pathname.split('/').pop() ?? '');
	return { data: Buffer.isBuffer(response.body) ? response.body : Buffer.from(response.body), mimetype, fileName: last.includes('.') ? last : null };
}
