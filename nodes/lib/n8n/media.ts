import type { IBinaryKeyData, IWebhookFunctions } from 'n8n-workflow';

import type { MediaSource } from '../delivery/pipeline';

/** Name of the binary property that carries a message's media. */
export const MEDIA_BINARY_PROPERTY = 'data';

export type MediaResult = { ok: true; binary: IBinaryKeyData } | { ok: false; reason: string };

/**
 * n8n shell for a planned media file: inline base64 becomes binary data as it is; a URL is downloaded.
 * Never throws: a failed download answers the reason, for the item's `details.mediaError`.
 */
export async function materializeMedia(context: IWebhookFunctions, source: MediaSource): Promise<MediaResult> {
	if (source.kind === 'inline') {
		const { base64, fileName, mimetype } = source.media;
		const binary = await context.helpers.prepareBinaryData(Buffer.from(base64, 'base64'), fileName, mimetype);
		return { ok: true, binary: { [MEDIA_BINARY_PROPERTY]: binary } };
	}
	try {
		const response = (await context.helpers.httpRequest({ url: source.url, method: 'GET', encoding: 'arraybuffer', returnFullResponse: true })) as {
			body: ArrayBuffer | Buffer;
			headers?: Record<string, unknown>;
		};
		const contentType = typeof response.headers?.['content-type'] === 'string' ? response.headers['content-type'].split(';')[0].trim() : null;
		const buffer = Buffer.isBuffer(response.body) ? response.body : Buffer.from(response.body);
		const binary = await context.helpers.prepareBinaryData(buffer, source.fileName, source.mimetype ?? contentType ?? 'application/octet-stream');
		return { ok: true, binary: { [MEDIA_BINARY_PROPERTY]: binary } };
	} catch (error) {
		const reason = error instanceof Error ? error.message : 'unknown error';
		return { ok: false, reason: `The media could not be downloaded from ${source.url}: ${reason}`.slice(0, 500) };
	}
}
