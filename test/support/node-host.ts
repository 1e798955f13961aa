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
 *     port?: 0,                   // fixed port: a second process behind the same URL (restart, queue mode)
 *     requestTimeoutMs?: 300,     // caps authenticated requests' timeout (host.requestedTimeouts: what the node asked)
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
 * Static data: production is a JSON "DB copy" written back only when n8n would; a test listen has its
 * own copy for that listen only (details in node-host/lifecycle.ts). Test deliveries arriving while
 * create still runs, or for a node whose static-data key was never created, write into a throwaway
 * object (n8n's `setTestStaticData` fallback).
 *
 * Routing (node-host/webhook-routing.ts): production URLs answer only between a successful activate()/
 * restart() and deactivate(), test URLs only during a test listen; otherwise 404 with n8n's message.
 * Responses (node-host/webhook-run.ts): as n8n's webhook-helpers.ts for responseMode 'onReceived'; a
 * test delivery that starts an execution ends the test listen after the answer (await `host.settled()`).
 *
 * The parts, under node-host/: host-workflow.ts (the node's identity and the Workflow built per call),
 * lifecycle.ts and hook-method.ts (checkExists/create/delete), webhook-run.ts (one delivery), action-contexts.ts
 * (execute, loadOptions), webhook-routing.ts, express-like.ts, credentials-helper.ts, n8n-runtime.ts.
 */
import { DirectWebhookCaller, type DirectRequest, type DirectResult } from './node-host/direct-webhook';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { CredentialTestContext } from 'n8n-core';
import { NodeHelpers } from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	INodeCredentialTestResult,
	INodeExecutionData,
	INodeParameters,
	INodePropertyOptions,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';

import { runExecute, runLoadOptions } from './node-host/action-contexts';
import { toWebhookRequest, toWebhookResponse } from './node-host/express-like';
import { HostWorkflow, type BuiltWorkflow } from './node-host/host-workflow';
import { HostLifecycle } from './node-host/lifecycle';
import { hostScope, installN8nRuntime, type LogLine } from './node-host/n8n-runtime';
import {
	jsonCopy,
	type HostError,
	type HostExecution,
	type LifecycleCall,
	type NodeHostOptions,
	type PostOptions,
	type PostResult,
} from './node-host/types';
import { postTo } from './node-host/post';
import { runWebhook, type DeliverySink } from './node-host/webhook-run';
import { findWebhook, notFoundBody, webhookUrl } from './node-host/webhook-routing';

export type { LogLine } from './node-host/n8n-runtime';
export type { CredentialValues } from './node-host/credentials-helper';
export type {
	HookMethodName,
	HostError,
	HostExecution,
	LifecycleCall,
	NodeHostOptions,
	NodeSettings,
	PostOptions,
	PostResult,
} from './node-host/types';

const WEBHOOK_METHODS = ['DELETE', 'GET', 'HEAD', 'PATCH', 'POST', 'PUT'];

export class NodeHost {
	readonly calls: LifecycleCall[] = [];
	readonly executions: HostExecution[] = [];
	readonly errors: HostError[] = [];
	readonly logs: LogLine[] = [];
	readonly staticData: { production: IDataObject; test: IDataObject | undefined };
	private readonly hw: HostWorkflow;
	private direct: DirectWebhookCaller | undefined;
	private parameters: INodeParameters;
	private server: Server | undefined;
	private baseUrl: string | undefined;
	private readonly lifecycle: HostLifecycle;
	private readonly sink: DeliverySink;
	private readonly pending = new Set<Promise<unknown>>();
	private readonly port: number;

	private constructor(options: NodeHostOptions) {
		this.port = options.port ?? 0;
		this.hw = new HostWorkflow(options);
		this.parameters = jsonCopy(options.parameters ?? {});
		this.staticData = { production: jsonCopy(options.staticData ?? {}), test: undefined };
		this.lifecycle = new HostLifecycle(this.hw, this, {
			build: (staticData, active) => this.build(staticData, active),
			additionalData: () => this.additionalData(),
		});
		this.sink = {
			executions: this.executions,
			errors: this.errors,
			saveProductionStaticData: (workflow) => this.lifecycle.saveProductionStaticData(workflow),
			endTestListenLater: () => this.track(this.lifecycle.endTestListen()),
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
		const { workflow, node } = this.build({}, false);
		const webhook = this.hw.pickWebhook(this.hw.webhooksOf(workflow, node), webhookName);
		return webhookUrl(`${base}/${endpoint === 'test' ? 'webhook-test' : 'webhook'}`, workflow, node, webhook);
	}

	async listen(): Promise<void> {
		if (this.server) return;
		const server = createServer((req, res) => {
			const work = hostScope.run(this, async () => await this.handleHttp(req, res));
			this.track(work);
		});
		await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
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

	/** The `timeout` of each authenticated request the node sent, as it asked for it (before `requestTimeoutMs`). */
	get requestedTimeouts(): ReadonlyArray<number | undefined> {
		return this.hw.credentialsHelper.requestedTimeouts;
	}

	/** Replaces the node's parameters (as if the user edited the node) for later calls. */
	setParameters(parameters: INodeParameters): void {
		this.parameters = jsonCopy(parameters);
	}

	/**
	 * The node's outputs as n8n computes them from its current parameters (NodeHelpers.getNodeOutputs, what
	 * the editor draws and what the execution engine connects): one display name per output ("main" when unnamed).
	 */
	outputNames(): string[] {
		const { workflow, node } = this.build({}, false);
		const outputs = NodeHelpers.getNodeOutputs(workflow, node, this.hw.concreteType(node.typeVersion).description);
		return outputs.map((output) => (typeof output === 'string' ? output : (output.displayName ?? output.type)));
	}

	// ---------------------------------------------------------------- lifecycle (see node-host/lifecycle.ts)

	/** Publish/activate: ActiveWorkflowManager.add → addWebhooks. */
	async activate(): Promise<void> {
		await this.listen();
		await this.settled();
		await hostScope.run(this, async () => await this.lifecycle.addProductionWebhooks('activate'));
	}

	/** n8n start-up: addActiveWorkflows('init') → the same path with activation 'init'. */
	async restart(): Promise<void> {
		await this.listen();
		await this.settled();
		await hostScope.run(this, async () => await this.lifecycle.addProductionWebhooks('init'));
	}

	/** Unpublish: ActiveWorkflowManager.remove → clearWebhooks; a throwing delete is logged, not rethrown. */
	async deactivate(): Promise<void> {
		await this.listen();
		await hostScope.run(this, async () => await this.lifecycle.removeProductionWebhooks());
	}

	/** "Listen for test event": TestWebhooks.needsWebhook. */
	async startTestListen(): Promise<void> {
		await this.listen();
		await this.settled();
		await hostScope.run(this, async () => await this.lifecycle.startTestListen());
	}

	/** Test listen ends (cancel / 2-minute timeout / first execution): TestWebhooks.deactivateWebhooks. */
	async endTestListen(): Promise<void> {
		await this.settled();
		await hostScope.run(this, async () => await this.lifecycle.endTestListen());
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
			const built = this.build(jsonCopy(this.staticData.production), this.hw.workflowActive, { ...this.parameters, ...(parameters ?? {}) });
			const output = await runExecute(this.hw, built, this.additionalData(), items, options.mode ?? 'manual');
			this.lifecycle.saveProductionStaticData(built.workflow);
			return output;
		});
	}

	/** DynamicNodeParametersService.getOptionsViaMethodName: a lone 'Temp-Node' in an unsaved workflow. */
	async loadOptions(
		methodName: string,
		options: { currentNodeParameters?: INodeParameters; path?: string } = {},
	): Promise<INodePropertyOptions[]> {
		await this.listen();
		return await hostScope.run(this, async () => {
			const currentNodeParameters = jsonCopy(options.currentNodeParameters ?? this.parameters);
			return await runLoadOptions(this.hw, this.additionalData(), methodName, currentNodeParameters, options.path ?? methodName);
		});
	}

	// ---------------------------------------------------------------- delivery helper

	/**
	 * CredentialsTester.testCredentials for a node-side test (the node's credential names it with testedBy): the
	 * function runs in n8n-core's CredentialTestContext with the credential data as the dialog sends it.
	 */
	async testCredential(credentialType: string, data: ICredentialDataDecryptedObject): Promise<INodeCredentialTestResult> {
		await this.listen();
		return await hostScope.run(this, async () => {
			const nodeType = this.hw.concreteType(this.hw.typeVersion);
			const testedBy = nodeType.description.credentials?.find((credential) => credential.name === credentialType)?.testedBy;
			if (typeof testedBy !== 'string') throw new Error(`node-host: the node names no test function for "${credentialType}"`);
			const test = nodeType.methods?.credentialTest?.[testedBy];
			if (typeof test !== 'function') throw new Error(`node-host: no credentialTest method "${testedBy}"`);
			// n8n-core 2.11 builds it without arguments; 2.40 passes additionalData, which only its proxy settings use.
			const context = new CredentialTestContext();
			return await test.call(context, { id: 'node-host-test', name: 'credential under test', type: credentialType, data });
		});
	}

	/** webhook() once without HTTP, timed alone (see node-host/direct-webhook.ts). */
	async callWebhookDirectly(body: unknown, request: DirectRequest = {}): Promise<DirectResult> {
		this.direct ??= new DirectWebhookCaller(this.hw, () => this.additionalData());
		return this.direct.call(jsonCopy(this.staticData.production), this.parameters, body, request);
	}

	async post(body: unknown, options: PostOptions = {}): Promise<PostResult> {
		await this.listen();
		const url = this.webhookUrl(options.webhookName, options.test ? 'test' : 'production') + (options.suffix ?? '');
		return await postTo(url, body, options);
	}

	// ---------------------------------------------------------------- internals

	private build(staticData: IDataObject, active: boolean, parameters = this.parameters): BuiltWorkflow {
		return this.hw.build(staticData, active, parameters);
	}

	private requireBaseUrl(): string {
		if (this.baseUrl === undefined) throw new Error('node-host: call `await host.listen()` first');
		return this.baseUrl;
	}

	private additionalData(): IWorkflowExecuteAdditionalData {
		return this.hw.additionalData(this.requireBaseUrl());
	}

	private track(work: Promise<unknown>): void {
		this.pending.add(work);
		const forget = () => void this.pending.delete(work);
		void work.then(forget, forget);
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

	/** The methods a path answers right now (what n8n's webhook table holds for it). */
	private registeredMethods(endpoint: 'production' | 'test', requestPath: string): string[] {
		const registered = endpoint === 'test' ? this.lifecycle.testListening : this.lifecycle.productionRegistered;
		if (!registered) return [];
		const { workflow, node } = this.build({}, endpoint === 'production' && this.hw.workflowActive);
		const webhooks = this.hw.webhooksOf(workflow, node);
		return WEBHOOK_METHODS.filter((method) => findWebhook(webhooks, method, requestPath) !== undefined);
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
			// n8n's WebhookRequestHandler.setupCorsHeaders (2.40.7, 1.123.81): with an Origin header the answer
			// lists the methods registered at the path (getWebhookMethods; just OPTIONS when none), then 204.
			if (req.headers.origin !== undefined) res.setHeader('Access-Control-Allow-Methods', ['OPTIONS', ...this.registeredMethods(endpoint, segments.slice(1).map(decodeURIComponent).join('/'))].join(', '));
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
			? this.build({}, false)
			: this.build(jsonCopy(this.staticData.production), this.hw.workflowActive);
		const webhooks = this.hw.webhooksOf(workflow, node);
		const registered = isTest ? this.lifecycle.testListening : this.lifecycle.productionRegistered;
		const match = registered ? findWebhook(webhooks, method, requestPath) : undefined;
		if (match === undefined) {
			const body = notFoundBody(registered ? webhooks : [], method, requestPath, endpoint);
			this.logs.push({ level: 'error', message: `Received request for unknown webhook: ${body.message}` });
			res.status(404).json(body);
			return;
		}
		if (isTest && this.staticData.test !== undefined) workflow.setTestStaticData(this.staticData.test);
		const request = toWebhookRequest(req, match.params);
		const mode = isTest ? 'manual' : 'webhook';
		await runWebhook(this.hw, this.sink, this.additionalData(), workflow, node, match.webhook, request, res, mode);
	}
}
