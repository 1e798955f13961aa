import {
	NodeApiError,
	NodeConnectionTypes,
	NodeOperationError,
	jsonParse,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { EvolutionClient } from '../lib/evolution/client';
import { evolutionApiCredentialTest } from '../lib/n8n/credential-test';
import { getInstances, readVersionSetting } from '../lib/n8n/evolution-properties';
import { normalizeDelivery } from '../lib/normalize';
import { envelopeFromBrokerItem } from '../lib/normalize/broker';
import { dropRedeliveries } from '../lib/n8n/broker-normalize';
import { properties } from './description';
import { disableWebhook, findWebhook, listInstances, setWebhook } from './operations';
import { runTransportOperation } from './transport-operations';

type HeaderRows = { header?: Array<{ name?: string; value?: string }> };

function headersFrom(rows: HeaderRows): Record<string, string> {
	const headers: Record<string, string> = {};
	for (const row of rows.header ?? []) {
		if (row.name) headers[row.name] = row.value ?? '';
	}
	return headers;
}

/**
 * The action node under its first type name, evolutionApiWebhook: hidden from the node panel, still loaded so
 * workflows saved with it keep working. The panel shows the same node as "Evolution API" (../EvolutionApi), the
 * type name n8n pairs with evolutionApiTrigger.
 */
export class EvolutionApiWebhook implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Evolution API',
		name: 'evolutionApiWebhook',
		hidden: true,
		icon: { light: 'file:../icons/evolutionApi.svg', dark: 'file:../icons/evolutionApi.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Find, set and disable the webhook of an Evolution API instance, list instances, and normalize webhook payloads',
		defaults: { name: 'Evolution API' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'evolutionApi',
				required: true,
				testedBy: 'evolutionApiCredentialTest',
				displayOptions: { show: { operation: ['find', 'set', 'disable', 'list'] } },
			},
		],
		properties,
	};

	methods = { loadOptions: { getInstances }, credentialTest: { evolutionApiCredentialTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const output: INodeExecutionData[] = [];
		let client: EvolutionClient | undefined;

		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			try {
				const resource = this.getNodeParameter('resource', itemIndex) as string;
				const operation = this.getNodeParameter('operation', itemIndex) as string;
				const pairedItem = { item: itemIndex };

				if (operation === 'normalize') {
					const payloadMode = this.getNodeParameter('payload', itemIndex) as string;
					const json = items[itemIndex].json;
					let payload: unknown =
						payloadMode === 'custom'
							? this.getNodeParameter('customPayload', itemIndex)
							: payloadMode === 'auto' && json.body !== undefined
								? json.body
								: json;
					// A JSON parameter typed or pasted as text (no expression) arrives as a string.
					if (payloadMode === 'custom' && typeof payload === 'string') payload = jsonParse<unknown>(payload, { fallbackValue: payload });
					// A RabbitMQ / Kafka Trigger item or an SQS message carries the envelope Evolution published.
					payload = envelopeFromBrokerItem(payload)?.envelope ?? payload;
					const options = this.getNodeParameter('normalizeOptions', itemIndex, {}) as { includeRaw?: boolean; splitArrays?: boolean; dropRedeliveries?: boolean };
					const normalized = normalizeDelivery(payload, {
						source: this.getNodeParameter('source', itemIndex) as 'auto',
						includeRaw: options.includeRaw ?? false,
						splitArrays: options.splitArrays ?? true,
					});
					const kept = options.dropRedeliveries ? dropRedeliveries(this, normalized, Date.now()) : normalized;
					for (const item of kept) output.push({ json: item as IDataObject, pairedItem });
					continue;
				}

				// One client per execution, so the server's version is asked once.
				client ??= await EvolutionClient.create(this, readVersionSetting(this.getNodeParameter('serverVersion', itemIndex, 'auto')));

				if (resource === 'instance') {
					for (const instance of await listInstances(client)) output.push({ json: { ...instance }, pairedItem });
					continue;
				}

				const instance = String(this.getNodeParameter('instance', itemIndex)).trim();
				if (instance === '') {
					throw new NodeOperationError(this.getNode(), 'No instance given', {
						description: 'Choose an instance from the list or give its name with an expression.',
						itemIndex,
					});
				}
				let json: IDataObject;
				if (resource === 'eventTransport') json = await runTransportOperation(this, client, operation, instance, itemIndex);
				else if (operation === 'find') json = await findWebhook(client, instance);
				else if (operation === 'disable') json = await disableWebhook(client, instance);
				else {
					json = await setWebhook(client, instance, {
						url: String(this.getNodeParameter('url', itemIndex)).trim(),
						enabled: this.getNodeParameter('enabled', itemIndex, true) as boolean,
						events: this.getNodeParameter('events', itemIndex, []) as string[],
						byEvents: this.getNodeParameter('byEvents', itemIndex, false) as boolean,
						base64: this.getNodeParameter('base64', itemIndex, false) as boolean,
						headers: headersFrom(this.getNodeParameter('headers', itemIndex, {}) as HeaderRows),
					});
				}
				output.push({ json, pairedItem });
			} catch (error) {
				if (this.continueOnFail()) {
					output.push({ json: { error: error instanceof Error ? error.message : String(error) }, pairedItem: { item: itemIndex } });
					continue;
				}
				if (error instanceof NodeApiError || error instanceof NodeOperationError) error.context.itemIndex = itemIndex;
				// n8n's own errors keep their message and details; anything else becomes a NodeOperationError.
				throw error instanceof NodeApiError ? error : new NodeOperationError(this.getNode(), error as Error, { itemIndex });
			}
		}
		return [output];
	}
}
