/** What tests pass to and read from NodeHost (re-exported by node-host.ts). */
import type {
	ICredentialType,
	IDataObject,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	IVersionedNodeType,
	WorkflowActivateMode,
	WorkflowExecuteMode,
} from 'n8n-workflow';

import type { CredentialValues } from './credentials-helper';

export type HookMethodName = 'checkExists' | 'create' | 'delete';

export interface LifecycleCall {
	method: HookMethodName;
	webhookName: string;
	mode: WorkflowExecuteMode;
	activation: WorkflowActivateMode;
	/** What `getNodeWebhookUrl(webhookName)` returns inside this call. */
	url: string | undefined;
	result?: unknown;
	error?: Error;
}

export interface HostExecution {
	mode: 'webhook' | 'manual';
	items: INodeExecutionData[][];
	at: Date;
}

export interface HostError {
	where: 'webhook' | 'testListenEnd' | 'host';
	mode?: WorkflowExecuteMode;
	error: Error;
}

export interface NodeSettings {
	onError?: INode['onError'];
	continueOnFail?: boolean;
	alwaysOutputData?: boolean;
	retryOnFail?: boolean;
}

export interface NodeHostOptions {
	nodeType: INodeType | IVersionedNodeType;
	parameters?: INodeParameters;
	credentials?: CredentialValues;
	credentialTypes?: ICredentialType[];
	nodeName?: string;
	nodeId?: string;
	webhookId?: string;
	typeVersion?: number;
	workflowId?: string;
	workflowActive?: boolean;
	nodeSettings?: NodeSettings;
	staticData?: IDataObject;
	/** Port to listen on (default: any free one); the same URL for a second "process" of one workflow. */
	port?: number;
	/** Caps the timeout of every authenticated HTTP request the node makes (see HostCredentialsHelper). */
	requestTimeoutMs?: number;
}

export interface PostOptions {
	test?: boolean;
	/** Extra path after the webhook path, e.g. '/messages-upsert'. */
	suffix?: string;
	webhookName?: string;
	headers?: Record<string, string>;
	/** Sent as-is instead of JSON.stringify(body). */
	rawBody?: string | Buffer;
	method?: string;
}

export interface PostResult {
	status: number;
	headers: Headers;
	text: string;
	/** Parsed body when it is JSON, else undefined. */
	json: unknown;
}

export function jsonCopy<T>(value: T): T {
	return JSON.parse(JSON.stringify(value)) as T;
}
