import type { NormalizedItem } from '../model/item';
import { extensionOf } from './read/mime';
import { isRecord, textOf } from './read/scalars';

/** Where a normalized item's media file can be had: inline in the delivery, or at a URL. Pure; n8n's part is in lib/n8n/media.ts. */

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
