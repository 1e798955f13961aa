import {
	NodeConnectionTypes,
	type IHookFunctions,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { handleWhaticketDelivery } from './delivery';
import { properties } from './description';

export class WhaticketTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Whaticket Trigger',
		name: 'whaticketTrigger',
		icon: { light: 'file:whaticket.svg', dark: 'file:whaticket.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["source"] === "auto" ? "Whazing or Whaticket SaaS" : $parameter["source"] === "whazing" ? "Whazing" : "Whaticket SaaS"}}',
		description: 'Starts the workflow on messages and ticket events from Whazing, Izing-based or Whaticket SaaS helpdesks',
		defaults: { name: 'Whaticket Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' }],
		properties,
	};

	/**
	 * The URL is pasted into the helpdesk by hand (neither Whazing nor Whaticket SaaS has an API to
	 * register webhooks), so there is nothing remote to check, create or delete. n8n still requires
	 * all three methods for a webhook trigger.
	 */
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return handleWhaticketDelivery(this);
	}
}
