/** WebhookService.runWebhookMethod: one checkExists / create / delete in n8n-core's real HookContext, recorded. */
import { HookContext } from 'n8n-core';
import type { INode, IWorkflowExecuteAdditionalData, WebhookType, Workflow, WorkflowActivateMode, WorkflowExecuteMode } from 'n8n-workflow';

import type { HostWorkflow } from './host-workflow';
import type { HookMethodName, LifecycleCall } from './types';
import type { NodeWebhook } from './webhook-routing';

export interface HookCall {
	method: HookMethodName;
	workflow: Workflow;
	node: INode;
	webhook: NodeWebhook;
	additionalData: IWorkflowExecuteAdditionalData;
	mode: WorkflowExecuteMode;
	activation: WorkflowActivateMode;
	isTest: boolean;
}

/** Runs the node's method (undefined when it has none) and appends the call to `calls`; errors propagate. */
export async function runHookMethod(host: HostWorkflow, calls: LifecycleCall[], hook: HookCall): Promise<boolean | undefined> {
	const { method, workflow, node, webhook, additionalData, mode, activation, isTest } = hook;
	const webhookMethods = host.concreteType(node.typeVersion).webhookMethods as
		| Record<string, Partial<Record<HookMethodName, (this: HookContext) => Promise<boolean>>>>
		| undefined;
	const webhookFn = webhookMethods?.[webhook.name]?.[method];
	if (webhookFn === undefined) return undefined;
	const context = new HookContext(workflow, node, additionalData, mode, activation, host.webhookData(node, webhook, additionalData, isTest));
	const call: LifecycleCall = {
		method,
		webhookName: webhook.name,
		mode,
		activation,
		url: context.getNodeWebhookUrl(webhook.name as WebhookType),
	};
	calls.push(call);
	try {
		call.result = await webhookFn.call(context);
		return call.result as boolean;
	} catch (error) {
		call.error = error as Error;
		throw error;
	}
}
