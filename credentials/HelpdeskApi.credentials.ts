import type { IAuthenticateGeneric, Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * The send side of a helpdesk: Whazing and Izing's external API (`/v1/api/external/{apiId}`) and
 * Whaticket SaaS's `/api/messages/send`. All three take `Authorization: Bearer <token>`.
 */
export class HelpdeskApi implements ICredentialType {
	name = 'helpdeskApi';

	displayName = 'Helpdesk API (Whazing / Izing / Whaticket)';

	icon: Icon = { light: 'file:../nodes/WhaticketTrigger/whaticket.svg', dark: 'file:../nodes/WhaticketTrigger/whaticket.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-whatsapp-webhooks/n8n-nodes-whatsapp-webhooks#reply-to-a-message';

	properties: INodeProperties[] = [
		{
			displayName: 'Helpdesk',
			name: 'product',
			type: 'options',
			default: 'whazing',
			options: [
				{ name: 'Whazing', value: 'whazing' },
				{ name: 'Izing', value: 'izing' },
				{ name: 'Whaticket SaaS', value: 'whaticket' },
			],
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://api.yourcompany.com',
			description: 'Address of the helpdesk backend (the API, often api.… or …/backend), not of the web panel. A trailing slash is fine.',
		},
		{
			displayName: 'API Token',
			name: 'token',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			hint: 'Not the token of the Whaticket Trigger: that one only checks incoming webhooks',
			description:
				'Whazing / Izing: the token of Automação e Integrações → API (one per channel). Whaticket SaaS: the token of the WhatsApp connection (Conexões → edit → Token); it also picks the number that sends.',
		},
		{
			displayName: 'API ID',
			name: 'apiId',
			type: 'string',
			default: '',
			displayOptions: { show: { product: ['whazing', 'izing'] } },
			description: 'The id of the API entry in Automação e Integrações → API; it is the last part of the send URL /v1/api/external/{API ID}',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: { Authorization: '=Bearer {{$credentials.token}}' },
		},
	};
}
