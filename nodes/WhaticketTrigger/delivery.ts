import type { IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { helpdeskSettingsOf, type TriggerOptions } from '../lib/delivery/settings-of';
import { answerDelivery } from '../lib/n8n/delivery';

/** The Whaticket Trigger's webhook(): its parameters, each read once, handed to the one pipeline. */
export async function handleWhaticketDelivery(context: IWebhookFunctions): Promise<IWebhookResponseData> {
	const node = context.getNode();
	const settings = helpdeskSettingsOf({
		nodeVersion: node.typeVersion,
		token: String(context.getNodeParameter('token', '')),
		acceptUnverified: node.typeVersion >= 2 && context.getNodeParameter('acceptUnverified', false) === true,
		source: String(context.getNodeParameter('source', 'auto')),
		events: context.getNodeParameter('events', []) as string[],
		output: String(context.getNodeParameter('output', 'normalized')),
		outputPerMessageType: context.getNodeParameter('outputPerMessageType', false) === true,
		options: context.getNodeParameter('options', {}) as TriggerOptions,
		dedupeScope: `${node.webhookId ?? node.id}|${context.getMode()}`,
	});
	return answerDelivery(context, settings, 'Whaticket Trigger');
}
