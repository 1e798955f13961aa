import { NodeApiError, NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { EvolutionClient } from '../evolution/client';
import { readHelpdeskSettings, sendToHelpdesk, type HelpdeskSettings } from '../helpdesk/client';
import { evolutionLineOf, type EvolutionLine } from '../send/capabilities';
import { readDownloadAnswer, sentMessageId, type EvolutionRequest } from '../send/evolution-requests';
import { mediaNeedsFile } from '../send/helpdesk-requests';
import { planEvolution, planHelpdesk, type ReplyParameters } from '../send/plan';
import type { ReplyTarget } from '../send/target';
import { readVersionSetting } from './evolution-properties';
import { fetchMediaUrl } from './media-fetch';
import { asFile, mimeOfKind, readOptions, readParameters, readTarget, sentJson } from './reply-context';

/** The Reply node's execute(): one answer per input item, decided by ../send, sent by the clients. */

interface Session {
	evolution?: { client: EvolutionClient; line: EvolutionLine };
	helpdesk?: HelpdeskSettings;
}

function refuse(context: IExecuteFunctions, itemIndex: number, refusal: string): never {
	throw new NodeOperationError(context.getNode(), refusal, { itemIndex, description: 'Nothing was sent.' });
}

/** The Evolution client and release line, learned once per execution like the webhook node does. */
async function evolutionOf(context: IExecuteFunctions, session: Session, itemIndex: number): Promise<{ client: EvolutionClient; line: EvolutionLine }> {
	if (session.evolution) return session.evolution;
	try {
		await context.getCredentials('evolutionApi');
	} catch {
		throw new NodeOperationError(context.getNode(), 'This item comes from Evolution API, and no Evolution API credential is set', {
			itemIndex,
			description: 'Add an "Evolution API" credential to this node (the same one the Evolution API Trigger uses).',
		});
	}
	const client = await EvolutionClient.create(context, readVersionSetting(readOptions(context, itemIndex).serverVersion));
	session.evolution = { client, line: evolutionLineOf(await client.server()) };
	return session.evolution;
}

const recipientOf = (body: Record<string, unknown>): string | null => {
	if (typeof body.number === 'string') return body.number;
	const nested = (body.reactionMessage ?? body) as Record<string, unknown>;
	const key = (nested.key ?? (Array.isArray(body.read_messages) ? body.read_messages[0] : Array.isArray(body.readMessages) ? body.readMessages[0] : undefined)) as Record<string, unknown> | undefined;
	return typeof key?.remoteJid === 'string' ? key.remoteJid : null;
};

async function replyThroughEvolution(context: IExecuteFunctions, session: Session, itemIndex: number, target: ReplyTarget, parameters: ReplyParameters): Promise<INodeExecutionData> {
	const { client, line } = await evolutionOf(context, session, itemIndex);
	const plan = planEvolution(line, target, parameters);
	if (!plan.ok) refuse(context, itemIndex, plan.refusal);
	const request: EvolutionRequest = plan.value;
	const blocksFor = (parameters.operation === 'presence' ? parameters.durationMs : parameters.delayMs) ?? 0;
	const answer = await client.send(request, blocksFor);
	if (parameters.operation === 'downloadMedia') {
		const media = readDownloadAnswer(answer);
		if (!media) refuse(context, itemIndex, 'The server answered without the file (no base64 in its answer)');
		const mimetype = media.mimetype ?? target.media?.mimetype ?? 'application/octet-stream';
		const fileName = media.fileName ?? target.media?.fileName ?? `${target.messageId ?? 'media'}.${mimetype.split('/')[1]?.split(';')[0] ?? 'bin'}`;
		return downloaded(context, itemIndex, Buffer.from(media.base64, 'base64'), fileName, mimetype);
	}
	const status = parameters.operation === 'sendText' || parameters.operation === 'sendMedia' || parameters.operation === 'sendVoice' ? 'sent' : 'done';
	return passThrough(context, itemIndex, sentJson(parameters.operation, target, recipientOf(request.body), sentMessageId(answer), answer, status));
}

async function replyThroughHelpdesk(context: IExecuteFunctions, session: Session, itemIndex: number, target: ReplyTarget, parameters: ReplyParameters): Promise<INodeExecutionData> {
	session.helpdesk ??= await readHelpdeskSettings(context);
	const settings = session.helpdesk;
	// A manual helpdesk send answers through whichever helpdesk the credential names.
	const fitted: ReplyTarget = target.manual ? { ...target, source: settings.product === 'whaticket' ? 'whaticket' : 'whazing' } : target;
	if (parameters.media && mediaNeedsFile(settings.product, parameters.mediaType === 'sticker')) {
		parameters = { ...parameters, media: await asFile(context, parameters.media, mimeOfKind(parameters.mediaType)) };
	}
	const plan = planHelpdesk(settings.product, settings.apiId, fitted, parameters);
	if (!plan.ok) refuse(context, itemIndex, plan.refusal);
	if (plan.value.kind === 'download') {
		const fetched = await fetchMediaUrl(context, plan.value.url);
		const mimetype = target.media?.mimetype ?? fetched.mimetype ?? 'application/octet-stream';
		return downloaded(context, itemIndex, fetched.data, target.media?.fileName ?? fetched.fileName ?? 'media', mimetype);
	}
	const request = plan.value.request;
	const answer = await sendToHelpdesk(context, settings, request);
	const recipient = request.json ? ((request.json.number ?? request.json.ticketId ?? null) as string | null) : (request.form?.fields.find(([name]) => name === 'number' || name === 'ticketId')?.[1] ?? null);
	// Whazing and Izing queue the message and send it seconds later; Whaticket sends at once.
	return passThrough(context, itemIndex, sentJson(parameters.operation, fitted, recipient, null, answer, settings.product === 'whaticket' ? 'sent' : 'queued'));
}

/**
 * The input item goes on with the outcome under `reply`: the next Reply node still answers the same
 * message with its default {{ $json }} (typing → answer → read receipt needs no expressions).
 */
function passThrough(context: IExecuteFunctions, itemIndex: number, reply: IDataObject): INodeExecutionData {
	const input = context.getInputData()[itemIndex];
	return { json: { ...(input?.json ?? {}), reply }, ...(input?.binary ? { binary: input.binary } : {}), pairedItem: { item: itemIndex } };
}

/** Download Media keeps the incoming item as JSON, so a later Reply still answers it, and adds the file. */
async function downloaded(context: IExecuteFunctions, itemIndex: number, data: Buffer, fileName: string, mimetype: string): Promise<INodeExecutionData> {
	const property = String(context.getNodeParameter('outputBinary', itemIndex, 'data') ?? 'data').trim() || 'data';
	const input = context.getInputData()[itemIndex];
	const binary = await context.helpers.prepareBinaryData(data, fileName, mimetype);
	return { json: input?.json ?? {}, binary: { ...(input?.binary ?? {}), [property]: binary }, pairedItem: { item: itemIndex } };
}

export async function executeReply(context: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = context.getInputData();
	const output: INodeExecutionData[] = [];
	const session: Session = {};
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const target = readTarget(context, itemIndex);
			const parameters = await readParameters(context, itemIndex, target);
			output.push(
				target.source === 'evolution'
					? await replyThroughEvolution(context, session, itemIndex, target, parameters)
					: await replyThroughHelpdesk(context, session, itemIndex, target, parameters),
			);
		} catch (error) {
			if (context.continueOnFail()) {
				const description = (error as { description?: unknown }).description;
				output.push({ json: { error: error instanceof Error ? error.message : String(error), ...(typeof description === 'string' ? { description } : {}) }, pairedItem: { item: itemIndex } });
				continue;
			}
			if (error instanceof NodeApiError || error instanceof NodeOperationError) error.context.itemIndex = itemIndex;
			// Our sentences keep their message and details; anything else becomes a NodeOperationError.
			throw error instanceof NodeApiError || error instanceof NodeOperationError ? error : new NodeOperationError(context.getNode(), error as Error, { itemIndex });
		}
	}
	return [output];
}
