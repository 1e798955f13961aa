import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

export class EvolutionApi implements ICredentialType {
	name = 'evolutionApi';

	displayName = 'Evolution API';

	icon: Icon = { light: 'file:../nodes/icons/evolutionApi.svg', dark: 'file:../nodes/icons/evolutionApi.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-whatsapp-webhooks/n8n-nodes-whatsapp-webhooks#credential';

	properties: INodeProperties[] = [
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://api.example.com',
			description:
				'Address of the Evolution API server (or a compatible one such as l2msg), including any path prefix, e.g. https://api.example.com/whatsapp. A trailing slash is fine.',
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'The global API key of the server (AUTHENTICATION_API_KEY), or the token of one instance. An instance token only works for that instance: fill in Instance Name below.',
		},
		{
			displayName: 'Instance Name',
			name: 'instanceName',
			type: 'string',
			default: '',
			placeholder: 'vendas',
			description:
				'Only for an instance token: the instance it belongs to. The credential test and the instance lists then ask about this instance, which works on every server version (Evolution API 1.x without a database lists instances only with the global key).',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: { apikey: '={{$credentials.apiKey}}' },
		},
	};

	// Tested by the nodes (testedBy: 'evolutionApiCredentialTest', nodes/lib/n8n/credential-test.ts), whose answers
	// tell a wrong address from a server that is not Evolution from a wrong key.
}
