import type { IBinaryKeyData, IDataObject, IWebhookFunctions } from 'n8n-workflow';

import type { NormalizedItem } from './model';
import { extensionOf, fileNameOfUrl, isRecord, textOf } from './read';

/** Name of the binary property that carries a message's media. */
export const MEDIA_BINARY_PROPERTY = 'data';

export interface InlineMedia {
	base64: string;
	mimetype: string;
	fileName: string;
}

const DATA_URL = /^data:([^;,]+)(?:;[^,]*)?;base64,/;

/**
 * The file a delivery carried inline, or null: Evolution's `message.base64` (sibling of imageMessage
 * and co.), Whazing's `mediaBase64`. The file name comes from the message, else `<messageId>.<ext>`.
 */
export function inlineMediaOf(body: unknown, item: NormalizedItem): InlineMedia | null {
	const media = item.message?.media;
	if (!media?.hasBase64 || !isRecord(body)) return null;
	let encoded: string | null = null;
	if (item.source === 'whazing') encoded = textOf(body.mediaBase64);
	else if (item.source === 'evolution') encoded = evolutionBase64(body.data, item.message?.id ?? null);
	if (!encoded) return null;
	let mimetype = media.mimetype;
	const dataUrl = DATA_URL.exec(encoded);
	if (dataUrl) {
		mimetype ??= dataUrl[1];
		encoded = encoded.slice(dataUrl[0].length);
	}
	mimetype ??= 'application/octet-stream';
	const fileName = media.fileName ?? `${item.message?.id ?? 'media'}.${extensionOf(mimetype)}`;
	return { base64: encoded, mimetype, fileName };
}

/** The base64 of the message with `id` in `data` (one message, or an array of them). */
function evolutionBase64(data: unknown, id: string | null): string | null {
	const records = Array.isArray(data) ? data : [data];
	for (const record of records) {
		if (!isRecord(record) || !isRecord(record.message)) continue;
		const key = record.key;
		if (records.length > 1 && (!isRecord(key) || key.id !== id)) continue;
		const encoded = textOf(record.message.base64);
		if (encoded) return encoded;
	}
	return null;
}

/** A URL the media can be fetched from without WhatsApp keys, or null. */
export function mediaUrlOf(item: NormalizedItem): string | null {
	return item.message?.media?.url ?? null;
}

export interface MediaOptions {
	/** Download the media URL when the delivery carried no base64. */
	download: boolean;
}

/**
 * n8n shell: an output item with the media as binary property `data` when there is any. A failed
 * download leaves the item without binary and notes why in `details.mediaError`; it never throws.
 */
export async function attachMedia(
	context: IWebhookFunctions,
	item: NormalizedItem,
	media: InlineMedia | null,
	options: MediaOptions,
): Promise<{ json: IDataObject; binary?: IBinaryKeyData }> {
	const json = item as unknown as IDataObject;
	if (media) {
		const binary = await context.helpers.prepareBinaryData(Buffer.from(media.base64, 'base64'), media.fileName, media.mimetype);
		return { json, binary: { [MEDIA_BINARY_PROPERTY]: binary } };
	}
	const url = mediaUrlOf(item);
	if (!options.download || !url) return { json };
	try {
		const response = (await context.helpers.httpRequest({ url, method: 'GET', encoding: 'arraybuffer', returnFullResponse: true })) as {
			body: ArrayBuffer | Buffer;
			headers?: Record<string, unknown>;
		};
		const contentType = typeof response.headers?.['content-type'] === 'string' ? response.headers['content-type'].split(';')[0].trim() : null;
		const mimetype = item.message?.media?.mimetype ?? contentType ?? 'application/octet-stream';
		const fileName = item.message?.media?.fileName ?? fileNameOfUrl(url) ?? `${item.message?.id ?? 'media'}.${extensionOf(mimetype)}`;
		const buffer = Buffer.isBuffer(response.body) ? response.body : Buffer.from(response.body);
		const binary = await context.helpers.prepareBinaryData(buffer, fileName, mimetype);
		return { json, binary: { [MEDIA_BINARY_PROPERTY]: binary } };
	} catch (error) {
		const reason = error instanceof Error ? error.message : 'unknown error';
		const noted: NormalizedItem = { ...item, details: { ...(item.details ?? {}), mediaError: `The media could not be downloaded from ${url}: ${reason}`.slice(0, 500) } };
		return { json: noted as unknown as IDataObject };
	}
}
