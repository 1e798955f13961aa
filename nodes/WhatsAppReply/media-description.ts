import type { INodeProperties } from 'n8n-workflow';

/** Send Media and Send Voice Note: what to send and where the file comes from. */
export const mediaProperties: INodeProperties[] = [
	{
		displayName: 'Media Type',
		name: 'mediaType',
		type: 'options',
		default: 'image',
		displayOptions: { show: { operation: ['sendMedia'] } },
		options: [
			{ name: 'Audio File', value: 'audio', description: 'An audio file (for a voice note use Send Voice Note)' },
			{ name: 'Document', value: 'document' },
			{ name: 'Image', value: 'image' },
			{ name: 'Sticker', value: 'sticker', description: 'A WebP or PNG image sent as a sticker' },
			{ name: 'Video', value: 'video' },
		],
	},
	{
		displayName: 'File From',
		name: 'mediaSource',
		type: 'options',
		default: 'binary',
		displayOptions: { show: { operation: ['sendMedia', 'sendVoice'] } },
		options: [
			{ name: 'Binary Data of the Input', value: 'binary', description: 'A file an earlier node produced (Read File, HTTP Request, Download Media…)' },
			{ name: 'URL', value: 'url', description: 'A public http(s) address of the file' },
		],
	},
	{
		displayName: 'Input Binary Field',
		name: 'binaryProperty',
		type: 'string',
		default: 'data',
		displayOptions: { show: { operation: ['sendMedia', 'sendVoice'], mediaSource: ['binary'] } },
		description: 'Name of the binary property that holds the file',
	},
	{
		displayName: 'File URL',
		name: 'mediaUrl',
		type: 'string',
		default: '',
		placeholder: 'https://example.com/catalogo.pdf',
		displayOptions: { show: { operation: ['sendMedia', 'sendVoice'], mediaSource: ['url'] } },
		description: 'Public http(s) address of the file',
	},
	{
		displayName: 'Caption',
		name: 'caption',
		type: 'string',
		typeOptions: { rows: 2 },
		default: '',
		displayOptions: { show: { operation: ['sendMedia'], mediaType: ['image', 'video', 'document'] } },
		description: 'Text shown under the image, video or document',
	},
	{
		displayName: 'File Name',
		name: 'fileName',
		type: 'string',
		default: '',
		placeholder: 'boleto.pdf',
		displayOptions: { show: { operation: ['sendMedia'], mediaType: ['document', 'audio', 'image', 'video'] } },
		description: 'Name the recipient sees for a document. Default: the binary file\'s name, or none for a URL.',
	},
];
