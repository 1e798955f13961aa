import {
	NodeOperationError,
	type IHookFunctions,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { handleWhaticketDelivery } from './delivery';
import { properties, WHATICKET_OUTPUTS } from './description';

export class WhaticketTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Whaticket Trigger',
		name: 'whaticketTrigger',
		icon: { light: 'file:whaticket.svg', dark: 'file:whaticket.dark.svg' },
		group: ['trigger'],
		// v2: a token is required unless "Accept Unverified Deliveries" is on, one "Media to Binary" option
		// as in the Evolution API Trigger, and unreadable bodies are answered 400 (v1: an "unknown" item).
		version: [1, 2],
		defaultVersion: 2,
		subtitle: '={{$parameter["source"] === "auto" ? "Whazing or Whaticket SaaS" : $parameter["source"] === "whazing" ? "Whazing" : "Whaticket SaaS"}}',
		description: 'Starts the workflow on messages and ticket events from Whazing, Izing-based or Whaticket SaaS helpdesks',
		defaults: { name: 'Whaticket Trigger' },
		inputs: [],
		outputs: WHATICKET_OUTPUTS,
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', responseData: '', path: 'webhook' }],
		properties,
	};

	/**
	 * The URL is pasted into the helpdesk by hand (neither Whazing nor Whaticket SaaS has an API to
	 * register webhooks), so there is nothing remote to check, create or delete. create() only refuses
	 * to start a v2 trigger that could not verify anything.
	 */
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				if (this.getNode().typeVersion < 2 || String(this.getNodeParameter('token', '')) !== '') return true;
				if (this.getNodeParameter('acceptUnverified', false) !== true) {
					throw new NodeOperationError(this.getNode(), 'The Whaticket Trigger has no Token', {
						description: 'Set a Token here and the same value in the helpdesk, or turn on "Accept Unverified Deliveries".',
					});
				}
				this.logger.warn(`Whaticket Trigger "${this.getNode().name}": accepting unverified deliveries; anyone who knows the URL can start this workflow`);
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
