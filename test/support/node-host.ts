/**
 * NodeHost: runs one of our node classes through n8n-core's real HookContext, WebhookContext,
 * ExecuteContext and LoadOptionsContext, with webhooks delivered over real HTTP on 127.0.0.1 and
 * `helpers.httpRequestWithAuthentication` doing real HTTP through n8n-core's request helpers.
 * What it mirrors from n8n 2.x (packages/cli), and where it simplifies, is said at each step.
 *
 *   const host = await NodeHost.create({
 *     nodeType: new EvolutionApiTrigger(),
 *     parameters: { instanceName: 'main' },
 *     credentials: { evolutionApi: { baseUrl, apiKey } },  // decrypted values per credential type
 *     credentialTypes?: [new EvolutionApi()],               // default: our EvolutionApi class
 *     nodeName?, nodeId?, webhookId?, typeVersion?, workflowId?,
 *     workflowActive?: true,      // getWorkflow().active seen in production contexts
 *     nodeSettings?: { onError: 'continueRegularOutput' },  // node-level settings (continueOnFail)
 *     staticData?: {},            // initial production static data ("the DB copy")
 *   });
 *   await host.listen();           // idempotent; lifecycle calls and deliveries listen on demand
 *   host.productionUrl; host.testUrl; host.webhookUrl('setup', 'test')
 *   await host.activate();         // checkExists → create if false; mode 'trigger', activation 'activate'
 *   await host.restart();          // same with activation 'init' (n8n start-up)
 *   await host.deactivate();       // delete; mode 'internal', activation 'update'
 *   await host.startTestListen();  // checkExists → create; mode 'manual'/'manual', TEST url, fresh {}
 *   await host.endTestListen();    // delete; mode 'internal'/'update', TEST url, test static data
 *   await host.post(body, { test?, suffix?, headers?, rawBody? })  // convenience HTTP POST → { status, headers, text, json }
 *   await host.settled();          // waits for work n8n does after answering (test listen ending)
 *   host.calls; host.executions; host.errors; host.logs
 *   host.staticData.production; host.staticData.test
 *   await host.execute(items, parameters?) → INodeExecutionData[][] | null
 *   await host.loadOptions('getInstances', { currentNodeParameters?, path? })
 *   await host.close();
 *
 * Static data (spec §2.2): production is a JSON "DB copy": every production call builds a new
 * Workflow from a copy of it and writes it back only when n8n would (`__dataChanged`, i.e. a
 * top-level key of the node's static data was set or deleted; in-place changes to nested objects
 * are lost exactly as in n8n). A failed activation saves nothing; its cleanup `delete` sees the
 * copy from before the activation. A test listen starts with `{}` and `getWorkflow().active`
 * false (n8n's TestWebhooks.toWorkflow); after `create` it is kept as `staticData.test` for that
 * listen only, shared by test deliveries and the final `delete`. Test deliveries arriving while
 * create still runs, or for a node whose static-data key was never created, write into a
 * throwaway object (n8n's `setTestStaticData` fallback). A test listen whose create fails is
 * cleaned up by a delete that DOES see create's half-written data (unlike production).
 *
 * Routing (see node-host/webhook-routing.ts): production URLs answer only between a successful
 * activate()/restart() and deactivate(); test URLs only during a test listen; otherwise 404 with
 * n8n's message. Extra path segments (`<path>/messages-upsert`) are a 404 unless the node's
 * webhook path declares `:param` segments AND `isFullPath: true` (without it n8n stores
 * `<webhookId>/<path>/:param` and its segment count never matches: 404 too).
 *
 * Responses (webhook-helpers.ts, responseMode 'onReceived' only): `{}` → responseCode (200)
 * `{"message":"Webhook call received"}`, no execution; `{ webhookResponse: x }` → x (strings as
 * text/html like express); `{ noWebhookResponse: true }` → whatever the node wrote (if it wrote
 * nothing n8n leaves the caller hanging; the host answers 500 and records an error instead);
 * `{ workflowData }` → execution recorded, then 200 with body `firstEntryJson` (text/html) unless
 * the webhook description sets `responseData`. A test delivery that starts an execution ends the
 * test listen (delete runs after the answer; await `host.settled()`). webhook() throwing → 500
 * `{"code":0,"message":"Workflow Webhook Error: Workflow could not be started!"}`, recorded in
 * `host.errors`, static data not saved; n8n then still runs an errored execution, so in test mode
 * the listen ends as well. Invalid JSON with content-type application/json → 422, webhook() not run.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { CredentialTestContext, ExecuteContext, HookContext, LoadOptionsContext, WebhookContext } from 'n8n-core';
import {
	createRunExecutionData,
	Node,
	Workflow,
	type ICredentialType,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type IExecuteData,
	type IHttpRequestMethods,
	type INode,
	type INodeCredentials,
	type INodeCredentialTestResult,
	type INodeExecutionData,
	type INodeParameters,
	type INodePropertyOptions,
	type INodeType,
	type INodeTypes,
	type IVersionedNodeType,
	type IWebhookData,
	type IWebhookResponseData,
	type IWorkflowExecuteAdditionalData,
	type WebhookType,
	type WorkflowActivateMode,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

import { EvolutionApi } from '../../credentials/EvolutionApi.credentials';
import { HostCredentialsHelper, type CredentialValues } from './node-host/credentials-helper';
import {
	BodyParseError,
	parseBody,
	PayloadTooLargeError,
	toWebhookRequest,
	toWebhookResponse,
	type WebhookRequest,
	type WebhookResponse,
} from './node-host/express-like';
import { hostScope, installN8nRuntime, type LogLine } from './node-host/n8n-runtime';
import { findWebhook, getNodeWebhooks, notFoundBody, webhookUrl, type NodeWebhook } from './node-host/webhook-routing';

export type { LogLine } from './node-host/n8n-runtime';
export type { CredentialValues } from './node-host/credentials-helper';

/** Package prefix of our node type names, as n8n loads community nodes. */
const NODE_TYPE_PREFIX = 'n8n-nodes-whatsapp-webhooks';
const WEBHOOK_METHODS = ['DELETE', 'GET', 'HEAD', 'PATCH', 'POST', 'PUT'];

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

interface BuiltWorkflow {
	workflow: Workflow;
	node: INode;
}

function jsonCopy<T>(value: T): T {
	return JSON.parse(JSON.stringify(value)) as T;
}

function isVersioned(nodeType: INodeType | IVersionedNodeType): nodeType is IVersionedNodeType {
	return 'nodeVersions' in nodeType;
}

export class NodeHost {
	readonly calls: LifecycleCall[] = [];
	readonly executions: HostExecution[] = [];
	readonly errors: HostError[] = [];
	readonly logs: LogLine[] = [];
	readonly staticData: { production: IDataObject; test: IDataObject | undefined };

	private readonly nodeTypes: INodeTypes;
	private readonly typeName: string;
	private readonly typeVersion: number;
	private readonly nodeName: string;
	private readonly nodeId: string;
	private readonly webhookId: string;
	private readonly workflowId: string;
	private readonly workflowActive: boolean;
	private readonly credentialsHelper: HostCredentialsHelper;
	private readonly nodeCredentials: INodeCredentials;
	private parameters: INodeParameters;
	private server: Server | undefined;
	private baseUrl: string | undefined;
	private productionRegistered = false;
	private testListening = false;
	private readonly pending = new Set<Promise<unknown>>();

	private constructor(private readonly options: NodeHostOptions) {
		const { nodeType } = options;
		const description = nodeType.description;
		this.typeName = `${NODE_TYPE_PREFIX}.${description.name}`;
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
		this.parameters = jsonCopy(options.parameters ?? {});
		this.staticData = { production: jsonCopy(options.staticData ?? {}), test: undefined };
		const credentialValues = options.credentials ?? {};
		this.credentialsHelper = new HostCredentialsHelper(options.credentialTypes ?? [new EvolutionApi()], credentialValues);
		this.nodeCredentials = Object.fromEntries(
			Object.keys(credentialValues).map((type) => [type, { id: `node-host-${type}`, name: `${type} (node host)` }]),
		);
		const resolve = (name: string, version?: number) =>
			name === this.typeName ? this.concreteType(version ?? this.typeVersion) : (undefined as unknown as INodeType);
		this.nodeTypes = {
			getByName: (name) => (name === this.typeName ? options.nodeType : (undefined as unknown as INodeType)),
			getByNameAndVersion: resolve,
			getKnownTypes: () => ({}),
		};
	}

	static async create(options: NodeHostOptions): Promise<NodeHost> {
		installN8nRuntime();
		return new NodeHost(options);
	}

	// ---------------------------------------------------------------- URLs and server

	get productionUrl(): string {
		return this.webhookUrl(undefined, 'production');
	}

	get testUrl(): string {
		return this.webhookUrl(undefined, 'test');
	}

	/** URL of a webhook (default: the one named 'default', else the first), as n8n would build it. */
	webhookUrl(webhookName: string | undefined, endpoint: 'production' | 'test'): string {
		const base = this.requireBaseUrl();
		const { workflow, node } = this.buildWorkflow({}, false);
		const webhook = this.pickWebhook(this.webhooksOf(workflow, node), webhookName);
		return webhookUrl(`${base}/${endpoint === 'test' ? 'webhook-test' : 'webhook'}`, workflow, node, webhook);
	}

	async listen(): Promise<void> {
		if (this.server) return;
		const server = createServer((req, res) => {
			const work = hostScope.run(this, async () => await this.handleHttp(req, res));
			this.track(work);
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		this.server = server;
		this.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	}

	async close(): Promise<void> {
		await this.settled();
		const server = this.server;
		this.server = undefined;
		if (!server) return;
		server.closeAllConnections();
		await new Promise<void>((resolve) => server.close(() => resolve()));
	}

	/** Waits until deliveries in flight and the work n8n does after answering them are done. */
	async settled(): Promise<void> {
		while (this.pending.size > 0) {
			await Promise.allSettled([...this.pending]);
		}
	}

	/** Replaces the node's parameters (as if the user edited the node) for later calls. */
	setParameters(parameters: INodeParameters): void {
		this.parameters = jsonCopy(parameters);
	}

	// ---------------------------------------------------------------- lifecycle

	/** Publish/activate: ActiveWorkflowManager.add → addWebhooks. */
	async activate(): Promise<void> {
		await this.addProductionWebhooks('activate');
	}

	/** n8n start-up: addActiveWorkflows('init') → the same path with activation 'init'. */
	async restart(): Promise<void> {
		await this.addProductionWebhooks('init');
	}

	/** Unpublish: ActiveWorkflowManager.remove → clearWebhooks; a throwing delete is logged, not rethrown. */
	async deactivate(): Promise<void> {
		await this.listen();
		await hostScope.run(this, async () => {
			try {
				await this.clearProductionWebhooks();
			} catch (error) {
				this.logCouldNotRemove(error as Error);
			}
			this.productionRegistered = false;
		});
	}

	/** "Listen for test event": TestWebhooks.needsWebhook. */
	async startTestListen(): Promise<void> {
		await this.listen();
		await this.settled();
		if (this.testListening) throw new Error('node-host: a test listen is already active; end it first');
		await hostScope.run(this, async () => {
			// toWorkflow(): test listens never see the production static data, and `active` is false.
			const { workflow, node } = this.buildWorkflow({}, false);
			const additionalData = this.additionalData();
			// Registered before create, so the provider's confirmation request can already be served.
			// Until create finished, the registration has no static data: deliveries see a throwaway {}.
			this.testListening = true;
			this.staticData.test = undefined;
			try {
				for (const webhook of this.webhooksOf(workflow, node)) {
					const exists = await this.runHookMethod('checkExists', workflow, node, webhook, additionalData, 'manual', 'manual', true);
					if (!exists) await this.runHookMethod('create', workflow, node, webhook, additionalData, 'manual', 'manual', true);
				}
			} catch (error) {
				// deactivateWebhooks(workflow): the registration has no static data yet, so delete sees
				// this workflow's in-memory data including what create wrote before failing. If that
				// delete throws, its error replaces the original one, as in n8n.
				await this.deactivateTestWebhooks(workflow.staticData);
				throw error;
			}
			// The registration cache stores a serialised copy; deliveries and the final delete share it.
			this.staticData.test = jsonCopy(workflow.staticData);
		});
	}

	/** Test listen ends (cancel / 2-minute timeout / first execution): TestWebhooks.deactivateWebhooks. */
	async endTestListen(): Promise<void> {
		await this.settled();
		if (!this.testListening) return;
		await hostScope.run(this, async () => {
			try {
				await this.deactivateTestWebhooks(this.staticData.test ?? {});
			} catch (error) {
				// n8n awaits nothing here (void promise), so the failure only surfaces as an unhandled rejection.
				this.errors.push({ where: 'testListenEnd', error: error as Error });
				this.logs.push({ level: 'error', message: `Could not remove test webhooks: "${(error as Error).message}"` });
			}
		});
	}

	// ---------------------------------------------------------------- action nodes

	/** Runs execute() like WorkflowExecute.runNode, with `items` as the single main input. */
	async execute(
		items: INodeExecutionData[],
		parameters?: INodeParameters,
		options: { mode?: WorkflowExecuteMode } = {},
	): Promise<INodeExecutionData[][] | null> {
		await this.listen();
		return await hostScope.run(this, async () => {
			const { workflow, node } = this.buildWorkflow(jsonCopy(this.staticData.production), this.workflowActive, {
				...this.parameters,
				...(parameters ?? {}),
			});
			const nodeType = this.concreteType(node.typeVersion);
			if (nodeType.execute === undefined) throw new Error(`node-host: ${this.typeName} has no execute()`);
			const mode = options.mode ?? 'manual';
			const executeData: IExecuteData = { node, data: { main: [items] }, source: null };
			const runExecutionData = createRunExecutionData({ executionData: { nodeExecutionStack: [executeData] } });
			const abort = new AbortController();
			const context = new ExecuteContext(
				workflow,
				node,
				this.additionalData(),
				mode,
				runExecutionData,
				0,
				items,
				{ main: [items] },
				executeData,
				[],
				abort.signal,
			);
			const output =
				nodeType instanceof Node ? await nodeType.execute(context) : await nodeType.execute.call(context);
			this.saveProductionStaticData(workflow);
			return output as INodeExecutionData[][] | null;
		});
	}

	/** DynamicNodeParametersService.getOptionsViaMethodName: a lone 'Temp-Node' in an unsaved workflow. */
	async loadOptions(
		methodName: string,
		options: { currentNodeParameters?: INodeParameters; path?: string } = {},
	): Promise<INodePropertyOptions[]> {
		await this.listen();
		return await hostScope.run(this, async () => {
			const nodeType = this.concreteType(this.typeVersion);
			const method = nodeType.methods?.loadOptions?.[methodName];
			if (typeof method !== 'function') throw new Error(`node-host: no loadOptions method "${methodName}"`);
			const currentNodeParameters = jsonCopy(options.currentNodeParameters ?? this.parameters);
			const node: INode = {
				parameters: currentNodeParameters,
				id: 'uuid-1234',
				name: 'Temp-Node',
				type: this.typeName,
				typeVersion: this.typeVersion,
				position: [0, 0],
				credentials: this.nodeCredentials,
			};
			const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes: this.nodeTypes });
			const additionalData = this.additionalData();
			additionalData.currentNodeParameters = currentNodeParameters;
			const context = new LoadOptionsContext(workflow, workflow.nodes['Temp-Node'], additionalData, options.path ?? methodName);
			return await method.call(context);
		});
	}

	/**
	 * CredentialsTester.testCredentials for a node-side test (the node's credential names it with testedBy): the
	 * function runs in n8n-core's CredentialTestContext with the credential data as the dialog sends it.
	 */
	async testCredential(credentialType: string, data: ICredentialDataDecryptedObject): Promise<INodeCredentialTestResult> {
		await this.listen();
		return await hostScope.run(this, async () => {
			const nodeType = this.concreteType(this.typeVersion);
			const testedBy = nodeType.description.credentials?.find((credential) => credential.name === credentialType)?.testedBy;
			if (typeof testedBy !== 'string') throw new Error(`node-host: the node names no test function for "${credentialType}"`);
			const test = nodeType.methods?.credentialTest?.[testedBy];
			if (typeof test !== 'function') throw new Error(`node-host: no credentialTest method "${testedBy}"`);
			// n8n-core 2.11 builds it without arguments; 2.40 passes additionalData, which only its proxy settings use.
			const context = new CredentialTestContext();
			return await test.call(context, { id: 'node-host-test', name: 'credential under test', type: credentialType, data });
		});
	}

	// ---------------------------------------------------------------- delivery helper

	async post(body: unknown, options: PostOptions = {}): Promise<PostResult> {
		await this.listen();
		const url = this.webhookUrl(options.webhookName, options.test ? 'test' : 'production') + (options.suffix ?? '');
		const hasRaw = options.rawBody !== undefined;
		const response = await fetch(url, {
			method: options.method ?? 'POST',
			headers: { ...(hasRaw ? {} : { 'content-type': 'application/json' }), ...(options.headers ?? {}) },
			body: hasRaw ? options.rawBody : JSON.stringify(body),
		});
		const text = await response.text();
		let json: unknown;
		try {
			json = JSON.parse(text);
		} catch {
			json = undefined;
		}
		return { status: response.status, headers: response.headers, text, json };
	}

	// ---------------------------------------------------------------- internals: workflow

	private concreteType(version: number): INodeType {
		const { nodeType } = this.options;
		return isVersioned(nodeType) ? nodeType.getNodeType(version) : nodeType;
	}

	private buildWorkflow(staticData: IDataObject, active: boolean, parameters = this.parameters): BuiltWorkflow {
		const node: INode = {
			id: this.nodeId,
			name: this.nodeName,
			type: this.typeName,
			typeVersion: this.typeVersion,
			position: [0, 0],
			parameters: jsonCopy(parameters),
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

	private webhooksOf(workflow: Workflow, node: INode): NodeWebhook[] {
		return getNodeWebhooks(workflow, node, this.concreteType(node.typeVersion).description.webhooks ?? []);
	}

	private pickWebhook(webhooks: NodeWebhook[], name: string | undefined): NodeWebhook {
		const webhook =
			name === undefined ? (webhooks.find((w) => w.name === 'default') ?? webhooks[0]) : webhooks.find((w) => w.name === name);
		if (webhook === undefined) throw new Error(`node-host: the node declares no webhook${name ? ` named "${name}"` : ''}`);
		return webhook;
	}

	private requireBaseUrl(): string {
		if (this.baseUrl === undefined) throw new Error('node-host: call `await host.listen()` first');
		return this.baseUrl;
	}

	private additionalData(): IWorkflowExecuteAdditionalData {
		const base = this.requireBaseUrl();
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

	/** WorkflowStaticDataService.saveStaticData: only when n8n's ObservableObject saw a change. */
	private saveProductionStaticData(workflow: Workflow): void {
		if ((workflow.staticData as IDataObject & { __dataChanged?: boolean }).__dataChanged === true) {
			this.staticData.production = jsonCopy(workflow.staticData);
		}
	}

	private track(work: Promise<unknown>): void {
		this.pending.add(work);
		const forget = () => void this.pending.delete(work);
		void work.then(forget, forget);
	}

	// ---------------------------------------------------------------- internals: lifecycle

	/** WebhookService.runWebhookMethod. */
	private async runHookMethod(
		method: HookMethodName,
		workflow: Workflow,
		node: INode,
		webhook: NodeWebhook,
		additionalData: IWorkflowExecuteAdditionalData,
		mode: WorkflowExecuteMode,
		activation: WorkflowActivateMode,
		isTest: boolean,
	): Promise<boolean | undefined> {
		const webhookMethods = this.concreteType(node.typeVersion).webhookMethods as
			| Record<string, Partial<Record<HookMethodName, (this: HookContext) => Promise<boolean>>>>
			| undefined;
		const webhookFn = webhookMethods?.[webhook.name]?.[method];
		if (webhookFn === undefined) return undefined;
		const webhookData: IWebhookData = {
			httpMethod: webhook.httpMethod,
			node: node.name,
			path: webhook.path,
			webhookDescription: webhook.description,
			workflowId: this.workflowId,
			workflowExecuteAdditionalData: additionalData,
			webhookId: webhook.webhookId,
			isTest,
		};
		const context = new HookContext(workflow, node, additionalData, mode, activation, webhookData);
		const call: LifecycleCall = {
			method,
			webhookName: webhook.name,
			mode,
			activation,
			url: context.getNodeWebhookUrl(webhook.name as WebhookType),
		};
		this.calls.push(call);
		try {
			call.result = await webhookFn.call(context);
			return call.result as boolean;
		} catch (error) {
			call.error = error as Error;
			throw error;
		}
	}

	private async addProductionWebhooks(activation: 'activate' | 'init'): Promise<void> {
		await this.listen();
		await this.settled();
		await hostScope.run(this, async () => {
			const { workflow, node } = this.buildWorkflow(jsonCopy(this.staticData.production), this.workflowActive);
			const additionalData = this.additionalData();
			// webhook_entity rows are stored before create runs, so the production URL is live during create.
			this.productionRegistered = true;
			for (const webhook of this.webhooksOf(workflow, node)) {
				try {
					const exists = await this.runHookMethod('checkExists', workflow, node, webhook, additionalData, 'trigger', activation, false);
					if (!exists) await this.runHookMethod('create', workflow, node, webhook, additionalData, 'trigger', activation, false);
				} catch (error) {
					try {
						await this.clearProductionWebhooks();
					} catch (cleanupError) {
						this.logCouldNotRemove(cleanupError as Error);
					}
					this.productionRegistered = false;
					const withDetail = error as Error & { detail?: string };
					if (withDetail.detail) withDetail.message = withDetail.detail;
					throw error;
				}
			}
			this.saveProductionStaticData(workflow);
		});
	}

	/** ActiveWorkflowManager.clearWebhooks: a fresh Workflow from the DB copy, delete, save. */
	private async clearProductionWebhooks(): Promise<void> {
		const { workflow, node } = this.buildWorkflow(jsonCopy(this.staticData.production), this.workflowActive);
		const additionalData = this.additionalData();
		for (const webhook of this.webhooksOf(workflow, node)) {
			await this.runHookMethod('delete', workflow, node, webhook, additionalData, 'internal', 'update', false);
		}
		this.saveProductionStaticData(workflow);
		this.productionRegistered = false;
	}

	private async deactivateTestWebhooks(testStaticData: IDataObject): Promise<void> {
		const { workflow, node } = this.buildWorkflow({}, false);
		workflow.staticData = testStaticData;
		this.testListening = false;
		const additionalData = this.additionalData();
		for (const webhook of this.webhooksOf(workflow, node)) {
			await this.runHookMethod('delete', workflow, node, webhook, additionalData, 'internal', 'update', true);
		}
	}

	private logCouldNotRemove(error: Error): void {
		this.logs.push({
			level: 'error',
			message: `Could not remove webhooks of workflow "${this.workflowId}" because of error: "${error.message}"`,
		});
	}

	// ---------------------------------------------------------------- internals: HTTP deliveries

	private async handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
		try {
			await this.routeDelivery(req, res);
		} catch (error) {
			this.errors.push({ where: 'host', error: error as Error });
			if (!res.headersSent) {
				res.statusCode = 500;
				res.setHeader('content-type', 'application/json; charset=utf-8');
			}
			if (!res.writableEnded) res.end(JSON.stringify({ code: 0, message: (error as Error).message }));
		}
	}

	private async routeDelivery(req: IncomingMessage, rawRes: ServerResponse): Promise<void> {
		const res = toWebhookResponse(rawRes);
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		const segments = url.pathname.split('/').slice(1);
		const endpoint = segments[0] === 'webhook' ? 'production' : segments[0] === 'webhook-test' ? 'test' : undefined;
		if (endpoint === undefined) {
			res.status(404).send('Cannot ' + req.method + ' ' + url.pathname);
			return;
		}
		const method = req.method ?? 'GET';
		if (method === 'OPTIONS') {
			res.status(204).end();
			return;
		}
		if (!WEBHOOK_METHODS.includes(method)) {
			res.status(500).json({ code: 0, message: `The method ${method} is not supported.` });
			return;
		}
		const requestPath = segments.slice(1).map(decodeURIComponent).join('/');
		const isTest = endpoint === 'test';
		const { workflow, node } = isTest
			? this.buildWorkflow({}, false)
			: this.buildWorkflow(jsonCopy(this.staticData.production), this.workflowActive);
		const webhooks = this.webhooksOf(workflow, node);
		const registered = isTest ? this.testListening : this.productionRegistered;
		const match = registered ? findWebhook(webhooks, method, requestPath) : undefined;
		if (match === undefined) {
			const body = notFoundBody(registered ? webhooks : [], method, requestPath, endpoint);
			this.logs.push({ level: 'error', message: `Received request for unknown webhook: ${body.message}` });
			res.status(404).json(body);
			return;
		}
		if (isTest && this.staticData.test !== undefined) workflow.setTestStaticData(this.staticData.test);
		await this.runDelivery(workflow, node, match.webhook, toWebhookRequest(req, match.params), res, isTest ? 'manual' : 'webhook');
	}

	/** webhook-helpers.ts executeWebhook, for responseMode 'onReceived'. */
	private async runDelivery(
		workflow: Workflow,
		node: INode,
		webhook: NodeWebhook,
		req: WebhookRequest,
		res: WebhookResponse,
		mode: 'webhook' | 'manual',
	): Promise<void> {
		const additionalData = this.additionalData();
		additionalData.httpRequest = req as unknown as IWorkflowExecuteAdditionalData['httpRequest'];
		additionalData.httpResponse = res as unknown as IWorkflowExecuteAdditionalData['httpResponse'];
		const evaluate = <T>(value: unknown, fallback: T): T =>
			(workflow.expression.getSimpleParameterValue(node, value as string, mode, {}, undefined, fallback as never) ??
				fallback) as T;
		const responseCode = evaluate<number>(webhook.description.responseCode, 200);

		try {
			// parseRequestBody: typeVersion 1 always reads the body; later versions only parsable types.
			const contentType = req.contentType;
			const parsable =
				contentType !== undefined &&
				(contentType.startsWith('application/json') ||
					contentType.startsWith('text/plain') ||
					contentType.startsWith('application/x-www-form-urlencoded') ||
					contentType.endsWith('/xml') ||
					contentType.endsWith('+xml'));
			if (node.typeVersion === 1 || parsable) await parseBody(req);
		} catch (error) {
			if (error instanceof BodyParseError) {
				res.status(422).json({ code: 422, message: error.message, hint: error.hint });
			} else if (error instanceof PayloadTooLargeError) {
				res.status(500).json({ code: 0, message: 'There was a problem executing the workflow' });
			} else {
				throw error;
			}
			return;
		}

		const webhookData: IWebhookData = {
			httpMethod: webhook.httpMethod as IHttpRequestMethods,
			node: node.name,
			path: webhook.path,
			webhookDescription: webhook.description,
			workflowId: this.workflowId,
			workflowExecuteAdditionalData: additionalData,
			webhookId: webhook.webhookId,
			isTest: mode === 'manual',
		};
		const nodeType = this.concreteType(node.typeVersion);
		let result: IWebhookResponseData;
		try {
			if (nodeType.webhook === undefined) throw new Error('Node does not have any webhooks defined');
			const context = new WebhookContext(workflow, node, additionalData, mode, webhookData, [], null);
			result = nodeType instanceof Node ? await nodeType.webhook(context) : await nodeType.webhook.call(context);
		} catch (error) {
			this.errors.push({ where: 'webhook', mode, error: error as Error });
			if (!res.headersSent) {
				res.status(500).json({ code: 0, message: 'Workflow Webhook Error: Workflow could not be started!' });
			}
			// n8n still runs an execution carrying the error; in test mode that ends the listen.
			if (mode === 'manual') this.track(this.endTestListenAfterExecution());
			return;
		}

		if (result.workflowData !== undefined) {
			this.executions.push({ mode, items: result.workflowData, at: new Date() });
		}
		if (mode === 'webhook') this.saveProductionStaticData(workflow);

		if (result.noWebhookResponse === true) {
			if (!res.writableEnded && !res.headersSent) {
				this.errors.push({
					where: 'webhook',
					mode,
					error: new Error('webhook() returned noWebhookResponse without answering; real n8n would leave the caller hanging'),
				});
				res.status(500).json({ code: 0, message: 'node-host: noWebhookResponse without a response' });
			}
		} else if (!res.headersSent) {
			let body: unknown;
			if (result.workflowData === undefined) {
				body = result.webhookResponse !== undefined ? result.webhookResponse : { message: 'Webhook call received' };
			} else {
				const responseData = evaluate<string | undefined>(webhook.description.responseData, 'firstEntryJson');
				body =
					responseData === 'noData'
						? undefined
						: responseData
							? responseData
							: result.webhookResponse !== undefined
								? result.webhookResponse
								: { message: 'Workflow was started' };
			}
			res.status(responseCode);
			if (typeof body === 'string') res.send(body);
			else if (body === undefined) res.end();
			else res.json(body);
		}

		if (mode === 'manual' && result.workflowData !== undefined) {
			this.track(this.endTestListenAfterExecution());
		}
	}

	private async endTestListenAfterExecution(): Promise<void> {
		if (!this.testListening) return;
		try {
			await this.deactivateTestWebhooks(this.staticData.test ?? {});
		} catch (error) {
			this.errors.push({ where: 'testListenEnd', error: error as Error });
			this.logs.push({ level: 'error', message: `Could not remove test webhooks: "${(error as Error).message}"` });
		}
	}
}
