/**
 * webhook-helpers.ts executeWebhook for responseMode 'onReceived': parse the body (invalid JSON with
 * content-type application/json → 422, webhook() not run), run webhook() in n8n-core's real
 * WebhookContext and answer as n8n does: `{}` → responseCode (200) `{"message":"Webhook call received"}`,
 * no execution; `{ webhookResponse: x }` → x (strings as text/html like express); `{ noWebhookResponse:
 * true }` → whatever the node wrote (if it wrote nothing n8n leaves the caller hanging; the host answers
 * 500 and records an error instead); `{ workflowData }` → execution recorded, then 200 with body
 * `firstEntryJson` (text/html) unless the webhook description sets `responseData`. A test delivery that
 * starts an execution ends the test listen (after the answer). webhook() throwing → 500 `{"code":0,
 * "message":"Workflow Webhook Error: Workflow could not be started!"}`, recorded as an error, static data
 * not saved; n8n then still runs an errored execution, so in test mode the listen ends as well.
 */
import { WebhookContext } from 'n8n-core';
import {
	Node,
	type INode,
	type IWebhookResponseData,
	type IWorkflowExecuteAdditionalData,
	type Workflow,
} from 'n8n-workflow';

import { BodyParseError, parseBody, PayloadTooLargeError, type WebhookRequest, type WebhookResponse } from './express-like';
import type { HostWorkflow } from './host-workflow';
import type { HostError, HostExecution } from './types';
import type { NodeWebhook } from './webhook-routing';

/** Where a delivery's effects go: the host's records, its production static data, its test listen. */
export interface DeliverySink {
	executions: HostExecution[];
	errors: HostError[];
	saveProductionStaticData(workflow: Workflow): void;
	/** n8n ends a test listen after its first execution, once the answer is sent. */
	endTestListenLater(): void;
}

export async function runWebhook(
	host: HostWorkflow,
	sink: DeliverySink,
	additionalData: IWorkflowExecuteAdditionalData,
	workflow: Workflow,
	node: INode,
	webhook: NodeWebhook,
	req: WebhookRequest,
	res: WebhookResponse,
	mode: 'webhook' | 'manual',
): Promise<void> {
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

	const webhookData = host.webhookData(node, webhook, additionalData, mode === 'manual');
	const nodeType = host.concreteType(node.typeVersion);
	let result: IWebhookResponseData;
	try {
		if (nodeType.webhook === undefined) throw new Error('Node does not have any webhooks defined');
		const context = new WebhookContext(workflow, node, additionalData, mode, webhookData, [], null);
		result = nodeType instanceof Node ? await nodeType.webhook(context) : await nodeType.webhook.call(context);
	} catch (error) {
		sink.errors.push({ where: 'webhook', mode, error: error as Error });
		if (!res.headersSent) {
			res.status(500).json({ code: 0, message: 'Workflow Webhook Error: Workflow could not be started!' });
		}
		// n8n still runs an execution carrying the error; in test mode that ends the listen.
		if (mode === 'manual') sink.endTestListenLater();
		return;
	}

	if (result.workflowData !== undefined) {
		sink.executions.push({ mode, items: result.workflowData, at: new Date() });
	}
	// n8n 2.40.7 (webhook-helpers.js executeWebhook, responseMode onReceived): a webhook() that starts an execution
	// and leaves the answer to n8n is answered only after WorkflowRunner.run has wrapped the same static data
	// object in the execution's Workflow, which resets its change flag, so the save after the answer writes
	// nothing: what webhook() wrote is lost. Answering itself (noWebhookResponse) saves before the run.
	const staticDataLost = result.workflowData !== undefined && result.noWebhookResponse !== true;
	if (mode === 'webhook' && !staticDataLost) sink.saveProductionStaticData(workflow);

	if (result.noWebhookResponse === true) {
		if (!res.writableEnded && !res.headersSent) {
			sink.errors.push({
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
		sink.endTestListenLater();
	}
}
