import { randomUUID } from 'crypto';
import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import type { ReplyOperation } from '../send/capabilities';
import type { Mentions, Presence } from '../send/evolution-requests';
import type { MediaContent, MediaKind, ReplyParameters } from '../send/plan';
import { manualTarget, readReplyTarget, type ReplyTarget } from '../send/target';
import { fetchMediaUrl } from './media-fetch';

/** Reads the Reply node's parameters for one item into the plain data ../send decides on. */

type Options = { delay?: number; mentionEveryone?: boolean; mentioned?: string; externalKey?: string; serverVersion?: string };

export function readOptions(context: IExecuteFunctions, itemIndex: number): Options {
	return context.getNodeParameter('options', itemIndex, {}) as Options;
}

function refuse(context: IExecuteFunctions, itemIndex: number, refusal: string): never {
	throw new NodeOperationError(context.getNode(), refusal, { itemIndex, description: 'Nothing was sent.' });
}

/** Whom this item's reply goes to: the incoming item (default) or a hand-typed recipient. */
export function readTarget(context: IExecuteFunctions, itemIndex: number): ReplyTarget {
	const mode = context.getNodeParameter('replyTo', itemIndex, 'item') as string;
	if (mode === 'manual') {
		const channel = context.getNodeParameter('channel', itemIndex, 'evolution') as string;
		const recipient = String(context.getNodeParameter('recipient', itemIndex, '') ?? '');
		const instance = channel === 'evolution' ? String(context.getNodeParameter('instance', itemIndex, '') ?? '') : null;
		// A manual helpdesk send picks Whazing/Izing or Whaticket from the credential later; 'whazing' stands for both.
		const read = manualTarget(channel === 'evolution' ? 'evolution' : 'whazing', instance, recipient);
		if (!read.ok) refuse(context, itemIndex, read.refusal);
		return read.value;
	}
	let value = context.getNodeParameter('item', itemIndex, {}) as unknown;
	if (typeof value === 'string') {
		try {
			value = JSON.parse(value);
		} catch {
			refuse(context, itemIndex, 'The "Incoming Item" is text, not an item: use an expression such as {{ $json }}');
		}
	}
	const read = readReplyTarget(value);
	if (!read.ok) refuse(context, itemIndex, read.refusal);
	return read.value;
}

function mentionsOf(options: Options): Mentions | null {
	const numbers = String(options.mentioned ?? '')
		.split(/[,;\s]+/)
		.map((entry) => entry.replace(/\D/g, ''))
		.filter((entry) => entry.length > 0);
	return options.mentionEveryone || numbers.length > 0 ? { everyOne: options.mentionEveryone === true, numbers: [...new Set(numbers)] } : null;
}

async function mediaOf(context: IExecuteFunctions, itemIndex: number): Promise<MediaContent> {
	const source = context.getNodeParameter('mediaSource', itemIndex, 'binary') as string;
	if (source === 'url') {
		const url = String(context.getNodeParameter('mediaUrl', itemIndex, '') ?? '').trim();
		if (!/^https?:\/\/\S+$/i.test(url)) refuse(context, itemIndex, `"${url}" is not an http(s) URL: give the public address of the file, or choose "Binary Data of the Input"`);
		return { kind: 'url', url };
	}
	const property = String(context.getNodeParameter('binaryProperty', itemIndex, 'data') ?? 'data').trim();
	const binary = context.getInputData()[itemIndex]?.binary?.[property];
	if (!binary) {
		refuse(context, itemIndex, `The input item has no binary field "${property}": set "Input Binary Field" to the field that holds the file, or use a URL`);
	}
	const data = await context.helpers.getBinaryDataBuffer(itemIndex, property);
	const mimetype = binary.mimeType || 'application/octet-stream';
	const extension = binary.fileExtension ?? mimetype.split('/')[1]?.split(';')[0] ?? 'bin';
	return { kind: 'file', data, mimetype, fileName: binary.fileName || `file.${extension}` };
}

/** Downloads a URL so a route that takes only files (Whaticket, Whazing stickers) can send it. */
export async function asFile(context: IExecuteFunctions, media: MediaContent, fallbackMimetype: string): Promise<MediaContent> {
	if (media.kind === 'file') return media;
	const fetched = await fetchMediaUrl(context, media.url);
	return { kind: 'file', data: fetched.data, mimetype: fetched.mimetype ?? fallbackMimetype, fileName: fetched.fileName ?? 'file' };
}

const MIME_OF_KIND: Record<MediaKind, string> = { image: 'image/jpeg', video: 'video/mp4', document: 'application/octet-stream', audio: 'audio/mpeg', sticker: 'image/webp' };
export const mimeOfKind = (kind: MediaKind | undefined) => MIME_OF_KIND[kind ?? 'document'];

/** What the user asked for this item, as plain data. */
export async function readParameters(context: IExecuteFunctions, itemIndex: number, target: ReplyTarget): Promise<ReplyParameters> {
	const operation = context.getNodeParameter('operation', itemIndex) as ReplyOperation;
	const options = readOptions(context, itemIndex);
	const replyingToItem = (context.getNodeParameter('replyTo', itemIndex, 'item') as string) !== 'manual';
	const delayMs = typeof options.delay === 'number' && options.delay > 0 ? Math.round(options.delay) : undefined;
	const parameters: ReplyParameters = {
		operation,
		delayMs,
		externalKey: options.externalKey?.trim() || target.externalKey || `n8n-${randomUUID()}`,
	};
	switch (operation) {
		case 'sendText':
			parameters.text = String(context.getNodeParameter('text', itemIndex, '') ?? '');
			parameters.quote = replyingToItem && (context.getNodeParameter('quote', itemIndex, false) as boolean);
			parameters.mentions = mentionsOf(options);
			break;
		case 'sendMedia':
			parameters.mediaType = context.getNodeParameter('mediaType', itemIndex, 'image') as MediaKind;
			parameters.quote = replyingToItem && (context.getNodeParameter('quote', itemIndex, false) as boolean);
			parameters.media = await mediaOf(context, itemIndex);
			parameters.caption = String(context.getNodeParameter('caption', itemIndex, '') ?? '') || null;
			parameters.fileName = String(context.getNodeParameter('fileName', itemIndex, '') ?? '') || null;
			break;
		case 'sendVoice':
			parameters.media = await mediaOf(context, itemIndex);
			break;
		case 'react':
			parameters.reaction = String(context.getNodeParameter('reaction', itemIndex, '') ?? '').trim();
			break;
		case 'presence':
			parameters.presence = context.getNodeParameter('presence', itemIndex, 'composing') as Presence;
			parameters.durationMs = Math.max(0, Math.round(Number(context.getNodeParameter('duration', itemIndex, 3000)) || 0));
			break;
		default:
			break;
	}
	return parameters;
}

/** The JSON a send answers with: who got what, the new message id, and the server's own answer. */
export function sentJson(operation: ReplyOperation, target: ReplyTarget, recipient: string | null, messageId: string | null, response: unknown, status: string): IDataObject {
	return { operation, status, source: target.source, instance: target.instance, recipient, messageId, response: (response ?? null) as IDataObject };
}
