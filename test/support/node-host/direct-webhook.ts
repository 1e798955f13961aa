/**
 * Calls a node's webhook() once in n8n-core's real WebhookContext without HTTP: the production workflow
 * with its saved static data and a request object carrying an already-parsed body. For microbenchmarks of
 * webhook() itself (bench/webhook.ts); tests use NodeHost.post(), which goes through the socket.
 */
import { WebhookContext } from 'n8n-core';
import { Node, type IDataObject, type IWebhookResponseData, type IWorkflowExecuteAdditionalData } from 'n8n-workflow';

import type { HostWorkflow } from './host-workflow';
import type { NodeWebhook } from './webhook-routing';

export interface DirectRequest {
	headers?: Record<string, string>;
	query?: Record<string, string>;
	params?: Record<string, string>;
	webhookName?: string;
}

export interface DirectResult {
	status: number;
	result: IWebhookResponseData;
	/** Wall time of the webhook() call alone. */
	webhookMicros: number;
}

/** A response object that records the status and nothing else. */
function recordingResponse(onStatus: (code: number) => void) {
	const res = {
		headersSent: false,
		status(code: number) {
			onStatus(code);
			return res;
		},
		json: () => ((res.headersSent = true), res),
		send: () => ((res.headersSent = true), res),
		end: () => ((res.headersSent = true), res),
	};
	return res;
}

export class DirectWebhookCaller {
	/** Finding a webhook evaluates its path expressions: n8n's routing cost, not webhook()'s, so done once. */
	private readonly webhooks = new Map<string, NodeWebhook>();

	constructor(
		private readonly hw: HostWorkflow,
		private readonly additionalData: () => IWorkflowExecuteAdditionalData,
	) {}

	async call(staticData: IDataObject, parameters: Parameters<HostWorkflow['build']>[2], body: unknown, request: DirectRequest = {}): Promise<DirectResult> {
		const { workflow, node } = this.hw.build(staticData, true, parameters);
		const name = request.webhookName ?? 'default';
		let webhook = this.webhooks.get(name);
		if (!webhook) {
			webhook = this.hw.pickWebhook(this.hw.webhooksOf(workflow, node), name);
			this.webhooks.set(name, webhook);
		}
		let status = 200;
		const res = recordingResponse((code) => (status = code));
		const req = { body, headers: request.headers ?? {}, query: request.query ?? {}, params: request.params ?? {}, rawBody: undefined, contentType: 'application/json' };
		const additionalData = this.additionalData();
		additionalData.httpRequest = req as unknown as IWorkflowExecuteAdditionalData['httpRequest'];
		additionalData.httpResponse = res as unknown as IWorkflowExecuteAdditionalData['httpResponse'];
		const nodeType = this.hw.concreteType(node.typeVersion);
		const context = new WebhookContext(workflow, node, additionalData, 'webhook', this.hw.webhookData(node, webhook, additionalData, false), [], null);
		const handler = nodeType.webhook!;
		const started = process.hrtime.bigint();
		// A Node class (n8n's own nodes, possibly from another n8n-workflow copy) takes the context as its argument.
		const result =
			nodeType instanceof Node || handler.length >= 1
				? await (handler as (context: unknown) => Promise<IWebhookResponseData>).call(nodeType, context)
				: await handler.call(context);
		return { status, result, webhookMicros: Number(process.hrtime.bigint() - started) / 1e3 };
	}
}
