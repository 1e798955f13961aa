import type { IBinaryKeyData, IWebhookFunctions } from 'n8n-workflow';

import type { MediaSource } from '../delivery/pipeline';
import type { MediaLimits } from '../media/policy';
import { fetchMedia, n8nMediaTransport } from './guarded-fetch';

/** Name of the binary property that carries a message's media. */
export const MEDIA_BINARY_PROPERTY = 'data';

export type MediaResult = { ok: true; binary: IBinaryKeyData } | { ok: false; reason: string };

/**
 * n8n shell for a planned media file: inline base64 becomes binary data as it is; a URL is downloaded
 * through the guarded fetch (public addresses or allow-listed hosts only, size cap, one deadline).
 * Never throws: a failed download answers the reason, for the item's `details.mediaError`.
 */
export async function materializeMedia(context: IWebhookFunctions, source: MediaSource, limits: MediaLimits): Promise<MediaResult> {
	if (source.kind === 'inline') {
		const { base64, fileName, mimetype } = source.media;
		const binary = await context.helpers.prepareBinaryData(Buffer.from(base64, 'base64'), fileName, mimetype);
		return { ok: true, binary: { [MEDIA_BINARY_PROPERTY]: binary } };
	}
	const fetched = await fetchMedia(n8nMediaTransport(context.helpers), source.url, limits);
	if (!fetched.ok) return { ok: false, reason: fetched.reason.slice(0, 500) };
	const binary = await context.helpers.prepareBinaryData(fetched.buffer, source.fileName, source.mimetype ?? fetched.mimetype ?? 'application/octet-stream');
	return { ok: true, binary: { [MEDIA_BINARY_PROPERTY]: binary } };
}
