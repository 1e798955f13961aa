import type { IHookFunctions, INodeType, INodeTypeDescription, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { evolutionApiCredentialTest } from '../lib/n8n/credential-test';
import { getInstances } from '../lib/n8n/evolution-properties';
import { handleDelivery } from './delivery';
import { OUTPUTS_EXPRESSION, properties } from './description';
import { createRegistration, deleteRegistration, registrationExists } from './lifecycle';

export class EvolutionApiTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Evolution API Trigger',
		name: 'evolutionApiTrigger',
		icon: { light: 'file:../icons/evolutionApi.svg', dark: 'file:../icons/evolutionApi.dark.svg' },
		group: ['trigger'],
		// v2: global mode needs a Secret unless "Accept Unverified Deliveries" is on (v1 accepted anyone).
		version: [1, 2],
		defaultVersion: 2,
		subtitle: '={{$parameter["mode"] === "global" ? "global webhook" : $parameter["instance"]}}',
		description: 'Starts the workflow on WhatsApp events from an Evolution API instance, registering its own webhook',
		defaults: { name: 'Evolution API Trigger' },
		inputs: [],
		outputs: OUTPUTS_EXPRESSION,
		credentials: [{ name: 'evolutionApi', required: true, testedBy: 'evolutionApiCredentialTest' }],
		webhooks: [
			{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', responseData: '', path: 'webhook' },
			// Servers with "webhook by events" on append the event, e.g. …/webhook/messages-upsert. n8n only
			// knows the webhook names 'default' and 'setup'; this route has no lifecycle methods of its own.
			// n8n stores a dynamic isFullPath route without the webhookId and keys the table by path and method
			// for the whole instance, so a plain 'webhook/:event' would let only one such trigger be active.
			// The parameter's name carries the webhookId to keep each node's row apart; requests are still
			// matched by webhookId and segment count, so the URL stays <base>/webhook/<webhookId>/webhook/<event>.
			// ndvHideUrl: the editor's "Webhook URLs" panel would print this internal path as a second, garbled URL;
			// the one a user copies is 'default'.
			{
				name: 'setup',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				responseData: '',
				path: '={{"webhook/:event" + ($webhookId || "")}}',
				isFullPath: true,
				ndvHideUrl: true,
			},
		],
		properties,
	};

	methods = { loadOptions: { getInstances }, credentialTest: { evolutionApiCredentialTest } };

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return registrationExists.call(this);
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return createRegistration.call(this);
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return deleteRegistration.call(this);
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return handleDelivery(this);
	}
}
