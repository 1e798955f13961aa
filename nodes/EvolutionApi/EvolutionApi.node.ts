import { EvolutionApiWebhook } from '../EvolutionApiWebhook/EvolutionApiWebhook.node';

/**
 * The Evolution API action node as the node panel lists it. n8n's node panel (1.x and 2.x) shows a trigger and
 * an action node as one integration, with "Triggers" and "Actions" on one page, only when the action node's
 * type name is the trigger's without "Trigger": evolutionApiTrigger pairs with evolutionApi. Same parameters
 * and behaviour as evolutionApiWebhook, the hidden first name of this node.
 */
export class EvolutionApi extends EvolutionApiWebhook {
	constructor() {
		super();
		const description = { ...this.description, name: 'evolutionApi' };
		delete description.hidden;
		this.description = description;
	}
}
