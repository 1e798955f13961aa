import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

import { mediaLimits } from '../media/policy';
import { fetchMedia, n8nMediaTransport } from './guarded-fetch';

export interface FetchedMedia {
	data: Buffer;
	mimetype: string | null;
	fileName: string | null;
}

/**
 * GETs a media URL a webhook carried (helpdesk `/public/…` files) or the user gave, through the same
 * guarded fetch as the triggers: http(s) only, public addresses unless the host is in the node's
 * "Media Download Allowed Hosts", a size cap and one deadline. A refusal or failure is an error that
 * says why and what to set.
 */
export async function fetchMediaUrl(context: IExecuteFunctions, url: string, itemIndex = 0): Promise<FetchedMedia> {
	const options = context.getNodeParameter('options', itemIndex, {}) as { mediaAllowedHosts?: unknown; mediaMaxSizeMb?: unknown; mediaTimeoutSeconds?: unknown };
	const limits = mediaLimits({ allowedHosts: options.mediaAllowedHosts, maxSizeMb: options.mediaMaxSizeMb, timeoutSeconds: options.mediaTimeoutSeconds });
	const fetched = await fetchMedia(n8nMediaTransport(context.helpers), url, limits);
	if (!fetched.ok) {
		throw new NodeOperationError(context.getNode(), fetched.reason, {
			itemIndex,
			description: "Check that the URL is reachable from the n8n machine (helpdesk media lives under the backend's /public folder).",
		});
	}
	return { data: fetched.buffer, mimetype: fetched.mimetype, fileName: fetched.fileName };
}
