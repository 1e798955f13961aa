/** Action nodes: execute() in n8n-core's ExecuteContext, dropdowns through LoadOptionsContext. */
import { ExecuteContext, LoadOptionsContext } from 'n8n-core';
import {
	createRunExecutionData,
	Node,
	Workflow,
	type IExecuteData,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type INodePropertyOptions,
	type IWorkflowExecuteAdditionalData,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

import type { BuiltWorkflow, HostWorkflow } from './host-workflow';

/** Like WorkflowExecute.runNode, with `items` as the single main input. */
export async function runExecute(
	host: HostWorkflow,
	{ workflow, node }: BuiltWorkflow,
	additionalData: IWorkflowExecuteAdditionalData,
	items: INodeExecutionData[],
	mode: WorkflowExecuteMode,
): Promise<INodeExecutionData[][] | null> {
	const nodeType = host.concreteType(node.typeVersion);
	if (nodeType.execute === undefined) throw new Error(`node-host: ${host.typeName} has no execute()`);
	const executeData: IExecuteData = { node, data: { main: [items] }, source: null };
	const runExecutionData = createRunExecutionData({ executionData: { nodeExecutionStack: [executeData] } });
	const abort = new AbortController();
	const context = new ExecuteContext(
		workflow,
		node,
		additionalData,
		mode,
		runExecutionData,
		0,
		items,
		{ main: [items] },
		executeData,
		[],
		abort.signal,
	);
	const output = nodeType instanceof Node ? await nodeType.execute(context) : await nodeType.execute.call(context);
	return output as INodeExecutionData[][] | null;
}

/** DynamicNodeParametersService.getOptionsViaMethodName: a lone 'Temp-Node' in an unsaved workflow. */
export async function runLoadOptions(
	host: HostWorkflow,
	additionalData: IWorkflowExecuteAdditionalData,
	methodName: string,
	currentNodeParameters: INodeParameters,
	path: string,
): Promise<INodePropertyOptions[]> {
	const nodeType = host.concreteType(host.typeVersion);
	const method = nodeType.methods?.loadOptions?.[methodName];
	if (typeof method !== 'function') throw new Error(`node-host: no loadOptions method "${methodName}"`);
	const node: INode = {
		parameters: currentNodeParameters,
		id: 'uuid-1234',
		name: 'Temp-Node',
		type: host.typeName,
		typeVersion: host.typeVersion,
		position: [0, 0],
		credentials: host.nodeCredentials,
	};
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes: host.nodeTypes });
	additionalData.currentNodeParameters = currentNodeParameters;
	const context = new LoadOptionsContext(workflow, workflow.nodes['Temp-Node'], additionalData, path);
	return await method.call(context);
}
