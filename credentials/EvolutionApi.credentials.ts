import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
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
				'The global API key of the server (AUTHENTICATION_API_KEY), or the token of one instance. An instance token only works for that instance; listing all instances needs the global key.',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: { apikey: '={{$credentials.apiKey}}' },
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.trim().replace(/\\/+$/, "")}}',
			url: '/instance/fetchInstances',
			method: 'GET',
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message: 'Wrong API key: the server refused it. Use the global key (AUTHENTICATION_API_KEY) or an instance token.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message: 'Wrong API key: the server refused it. Use the global key (AUTHENTICATION_API_KEY) or an instance token.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message: 'Server reachable, but it is not an Evolution API at this Base URL (no /instance/fetchInstances). Check the path prefix.',
				},
			},
		],
	};
}
