import { NodeConnectionTypes, type IExecuteFunctions, type INodeExecutionData, type INodeType, type INodeTypeDescription } from 'n8n-workflow';

import { evolutionApiCredentialTest, helpdeskApiTest } from '../lib/n8n/credential-test';
import { getInstances } from '../lib/n8n/evolution-properties';
import { executeReply } from '../lib/n8n/reply-execute';
import { properties } from './description';

export class WhatsAppReply implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'WhatsApp Reply',
		name: 'whatsAppReply',
		icon: { light: 'file:whatsappReply.svg', dark: 'file:whatsappReply.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"]}}',
		description:
			'Answer a WhatsApp message from Evolution API, Whazing, Izing or Whaticket (responder): send text, media or voice notes, react, show typing, mark as read, download media',
		defaults: { name: 'WhatsApp Reply' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'evolutionApi', required: false, testedBy: 'evolutionApiCredentialTest' },
			{ name: 'helpdeskApi', required: false, testedBy: 'helpdeskApiTest' },
		],
		properties,
	};

	methods = { loadOptions: { getInstances }, credentialTest: { helpdeskApiTest, evolutionApiCredentialTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return executeReply(this);
	}
}
