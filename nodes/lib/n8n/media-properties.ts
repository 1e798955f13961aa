import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_MEDIA_MAX_MB, DEFAULT_MEDIA_TIMEOUT_SECONDS, MEDIA_MAX_MB_LIMIT, MEDIA_OPTION_NAMES, MEDIA_TIMEOUT_SECONDS_LIMIT } from '../media/policy';

/**
 * The media download options both triggers offer (entries of their "Options" collection), so they read
 * and behave the same; `settings-of.ts` turns the collection's values into the fetch limits.
 * Display names come from MEDIA_OPTION_NAMES: the refusal sentences name the same options.
 */
export const mediaDownloadOptions: INodeProperties[] = [
	{
		displayName: MEDIA_OPTION_NAMES.allowedHosts,
		name: 'mediaAllowedHosts',
		type: 'string',
		default: '',
		placeholder: 'minio, 10.0.0.5, *.storage.lan',
		description:
			'Hosts media may be downloaded from even on a private network or this machine, comma-separated ("*." covers subdomains); otherwise media comes only from public addresses',
		hint: 'For a self-hosted MinIO or S3 on your own network (e.g. Evolution API with S3_ENDPOINT=minio), enter its host exactly as it appears in the media URLs. List only hosts that serve media.',
	},
	{
		displayName: MEDIA_OPTION_NAMES.maxSize,
		name: 'mediaMaxSizeMb',
		type: 'number',
		default: DEFAULT_MEDIA_MAX_MB,
		typeOptions: { minValue: 1, maxValue: MEDIA_MAX_MB_LIMIT },
		description: 'Larger files are not downloaded; the item then explains why in details.mediaError',
	},
	{
		displayName: MEDIA_OPTION_NAMES.timeout,
		name: 'mediaTimeoutSeconds',
		type: 'number',
		default: DEFAULT_MEDIA_TIMEOUT_SECONDS,
		typeOptions: { minValue: 1, maxValue: MEDIA_TIMEOUT_SECONDS_LIMIT },
		description: 'A download that takes longer (name lookup, connection, redirects and body together) is given up; the execution starts without the file',
	},
];
