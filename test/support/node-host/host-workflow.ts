/**
 * The one-node workflow the host runs our node in, built the way n8n builds it for each call: the node's
 * identity (type name with the package prefix, version, name, ids, credentials), a fresh `Workflow` per
 * call with the static data that call sees, its webhooks and the additional data n8n-core's contexts read.
 */
import { randomUUID } from 'node:crypto';

import {
	Workflow,
	type IDataObject,
	type INode,
	type INodeCredentials,
	type INodeParameters,
	type INodeType,
	type INodeTypes,
	type IVersionedNodeType,
	type IWebhookData,
	type IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

import { EvolutionApi } from '../../../credentials/EvolutionApi.credentials';
import { HostCredentialsHelper } from './credentials-helper';
import type { NodeHostOptions } from './types';
import { getNodeWebhooks, type NodeWebhook } from './webhook-routing';

/** Package prefix of our node type names, as n8n loads community nodes. */
const NODE_TYPE_PREFIX = 'n8n-nodes-whatsapp-webhooks';

export interface BuiltWorkflow {
	workflow: Workflow;
	node: INode;
}

function isVersioned(nodeType: INodeType | IVersionedNodeType): nodeType is IVersionedNodeType {
	return 'nodeVersions' in nodeType;
}

export class HostWorkflow {
	readonly typeName: string;
	readonly typeVersion: number;
	readonly nodeName: string;
	readonly workflowId: string;
	readonly workflowActive: boolean;
	readonly nodeCredentials: INodeCredentials;
	readonly nodeTypes: INodeTypes;
	private readonly nodeId: string;
	private readonly webhookId: string;
	readonly credentialsHelper: HostCredentialsHelper;

	constructor(private readonly options: NodeHostOptions) {
		const { nodeType } = options;
		this.typeName = `${NODE_TYPE_PREFIX}.${nodeType.description.name}`;
		this.typeVersion =
			options.typeVersion ??
			(isVersioned(nodeType)
				? (nodeType.description.defaultVersion ?? Math.max(...Object.keys(nodeType.nodeVersions).map(Number)))
				: Array.isArray(nodeType.description.version)
					? Math.max(...nodeType.description.version)
					: nodeType.description.version);
		const concrete = this.concreteType(this.typeVersion);
		this.nodeName = options.nodeName ?? concrete.description.defaults.name ?? concrete.description.displayName;
		this.nodeId = options.nodeId ?? randomUUID();
		this.webhookId = options.webhookId ?? randomUUID();
		this.workflowId = options.workflowId ?? 'node-host-workflow';
		this.workflowActive = options.workflowActive ?? true;
		const credentialValues = options.credentials ?? {};
		this.credentialsHelper = new HostCredentialsHelper(options.credentialTypes ?? [new EvolutionApi()], credentialValues, options.requestTimeoutMs);
		this.nodeCredentials = Object.fromEntries(
			Object.keys(credentialValues).map((type) => [type, { id: `node-host-${type}`, name: `${type} (node host)` }]),
		);
		const resolve = (name: string, version?: number) =>
			name === this.typeName ? this.concreteType(version ?? this.typeVersion) : (undefined as unknown as INodeType);
		this.nodeTypes = {
			getByName: (name) => (name === this.typeName ? nodeType : (undefined as unknown as INodeType)),
			getByNameAndVersion: resolve,
			getKnownTypes: () => ({}),
		};
	}

	concreteType(version: number): INodeType {
		const { nodeType } = this.options;
		return isVersioned(nodeType) ? nodeType.getNodeType(version) : nodeType;
	}

	build(staticData: IDataObject, active: boolean, parameters: INodeParameters): BuiltWorkflow {
		const node: INode = {
			id: this.nodeId,
			name: this.nodeName,
			type: this.typeName,
			typeVersion: this.typeVersion,
			position: [0, 0],
			parameters: JSON.parse(JSON.stringify(parameters)) as INodeParameters,
			webhookId: this.webhookId,
			credentials: this.nodeCredentials,
			...(this.options.nodeSettings ?? {}),
		};
		const workflow = new Workflow({
			id: this.workflowId,
			name: 'Node host workflow',
			nodes: [node],
			connections: {},
			active,
			nodeTypes: this.nodeTypes,
			staticData,
			settings: {},
		});
		return { workflow, node: workflow.getNode(this.nodeName) as INode };
	}

	webhooksOf(workflow: Workflow, node: INode): NodeWebhook[] {
		return getNodeWebhooks(workflow, node, this.concreteType(node.typeVersion).description.webhooks ?? []);
	}

	/** The webhook named `name`, or by default the one named 'default', else the first. */
	pickWebhook(webhooks: NodeWebhook[], name: string | undefined): NodeWebhook {
		const webhook =
			name === undefined ? (webhooks.find((w) => w.name === 'default') ?? webhooks[0]) : webhooks.find((w) => w.name === name);
		if (webhook === undefined) throw new Error(`node-host: the node declares no webhook${name ? ` named "${name}"` : ''}`);
		return webhook;
	}

	/** What n8n hands a hook or webhook context about the webhook being served. */
	webhookData(node: INode, webhook: NodeWebhook, additionalData: IWorkflowExecuteAdditionalData, isTest: boolean): IWebhookData {
		return {
			httpMethod: webhook.httpMethod,
			node: node.name,
			path: webhook.path,
			webhookDescription: webhook.description,
			workflowId: this.workflowId,
			workflowExecuteAdditionalData: additionalData,
			webhookId: webhook.webhookId,
			isTest,
		};
	}

	additionalData(base: string): IWorkflowExecuteAdditionalData {
		return {
			credentialsHelper: this.credentialsHelper,
			webhookBaseUrl: `${base}/webhook`,
			webhookTestBaseUrl: `${base}/webhook-test`,
			webhookWaitingBaseUrl: `${base}/webhook-waiting`,
			formWaitingBaseUrl: `${base}/form-waiting`,
			instanceBaseUrl: `${base}/`,
			restApiUrl: `${base}/rest`,
			variables: {},
			userId: 'node-host-user',
			executeWorkflow: async () => {
				throw new Error('node-host: sub-workflows are not modelled');
			},
		} as unknown as IWorkflowExecuteAdditionalData;
	}
}
