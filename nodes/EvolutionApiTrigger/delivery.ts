import type { IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { evolutionSettingsOf, type TriggerOptions } from '../lib/delivery/settings-of';
import { REGISTRATION_KEY, type Registration } from '../lib/evolution/registration';
import { answerDelivery } from '../lib/n8n/delivery';

/** The trigger's webhook(): its parameters, each read once, and the stored registration, handed to the one pipeline. */
export async function handleDelivery(context: IWebhookFunctions): Promise<IWebhookResponseData> {
	const node = context.getNode();
	const mode = String(context.getNodeParameter('mode', 'register'));
	const global = mode === 'global';
	const settings = evolutionSettingsOf(
		{
			nodeVersion: node.typeVersion,
			mode,
			instance: global ? '' : String(context.getNodeParameter('instance', '')),
			instanceNames: global ? String(context.getNodeParameter('instanceNames', '')) : '',
			globalSecret: global ? String(context.getNodeParameter('globalSecret', '')) : '',
			acceptUnverified: global && node.typeVersion >= 2 && context.getNodeParameter('acceptUnverified', false) === true,
			events: context.getNodeParameter('events', []) as string[],
			output: String(context.getNodeParameter('output', 'normalized')),
			outputPerEvent: context.getNodeParameter('outputPerEvent', false) === true,
			outputPerMessageType: context.getNodeParameter('outputPerMessageType', false) === true,
			options: context.getNodeParameter('options', {}) as TriggerOptions,
			dedupeScope: `${node.webhookId ?? node.id}|${context.getMode()}`,
			production: context.getMode() === 'webhook',
		},
		global ? undefined : (context.getWorkflowStaticData('node')[REGISTRATION_KEY] as Registration | undefined),
	);
	return answerDelivery(context, settings, 'Evolution API Trigger');
}
