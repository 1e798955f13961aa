/**
 * What the editor's "Webhook URLs" panel prints: every webhook of a node description whose ndvHideUrl is not
 * true (n8n 1.x and 2.x NodeWebhooks panel). A user must see one URL per mode: the one to copy.
 */
import type { INodeType } from 'n8n-workflow';

import { EvolutionApiTrigger } from '../../../nodes/EvolutionApiTrigger/EvolutionApiTrigger.node';
import { WhaticketTrigger } from '../../../nodes/WhaticketTrigger/WhaticketTrigger.node';

function shownWebhooks(node: INodeType): string[] {
	return (node.description.webhooks ?? []).filter((webhook) => webhook.ndvHideUrl !== true).map((webhook) => webhook.name);
}

describe('Webhook URLs panel', () => {
	it('shows only the default URL of the Evolution API Trigger, not the internal by-events route', () => {
		const trigger = new EvolutionApiTrigger();
		expect(trigger.description.webhooks?.map((webhook) => webhook.name)).toEqual(['default', 'setup']);
		expect(shownWebhooks(trigger)).toEqual(['default']);
	});

	it('shows the one URL of the Whaticket Trigger', () => {
		expect(shownWebhooks(new WhaticketTrigger())).toEqual(['default']);
	});
});
