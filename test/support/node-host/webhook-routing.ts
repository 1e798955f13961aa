/**
 * Which URL path reaches which webhook, mirroring n8n 2.x:
 * - `WebhookService.getNodeWebhooks`: path/httpMethod/isFullPath of each `description.webhooks`
 *   entry are resolved as expressions; the stored path is `NodeHelpers.getNodeWebhookPath`,
 *   i.e. `<webhookId>/<path>`; httpMethod may list several methods separated by commas.
 * - `WebhookService.findWebhook` (production) and `TestWebhooks.getActiveWebhook` (test): a
 *   static path must match exactly (one trailing slash removed). Only paths containing `:param`
 *   segments are dynamic: then the request must have the same number of segments after
 *   `<webhookId>` and contain every static segment; `:param` values go to `req.params`.
 *   So `/webhook/<id>/<path>/messages-upsert` on a static `<path>` is a 404 in n8n.
 * - `WebhookNotFoundError` texts for 404s.
 */
import {
	NodeHelpers,
	type IHttpRequestMethods,
	type INode,
	type IWebhookDescription,
	type Workflow,
} from 'n8n-workflow';

export interface NodeWebhook {
	name: string;
	httpMethod: IHttpRequestMethods;
	/** Path as n8n stores it (`<webhookId>/<path>`, or `<path>` alone with isFullPath). */
	path: string;
	/** The node's own path (description.path resolved, slashes trimmed) and isFullPath, for URLs. */
	nodePath: string;
	isFullPath: boolean;
	description: IWebhookDescription;
	isDynamic: boolean;
	/** Set for dynamic paths only, like n8n's webhook_entity.webhookId. */
	webhookId?: string;
}

function trimSlashes(path: string): string {
	let trimmed = path;
	if (trimmed.startsWith('/')) trimmed = trimmed.slice(1);
	if (trimmed.endsWith('/')) trimmed = trimmed.slice(0, -1);
	return trimmed;
}

export function getNodeWebhooks(workflow: Workflow, node: INode, descriptions: IWebhookDescription[]): NodeWebhook[] {
	const webhooks: NodeWebhook[] = [];
	for (const description of descriptions) {
		if (description.restartWebhook === true) continue;
		const rawPath = workflow.expression.getSimpleParameterValue(node, description.path, 'internal', {});
		if (rawPath === undefined) continue;
		const nodePath = trimSlashes(rawPath.toString());
		const isFullPath = workflow.expression.getSimpleParameterValue(
			node,
			description.isFullPath,
			'internal',
			{},
			undefined,
			false,
		) as boolean;
		const path = NodeHelpers.getNodeWebhookPath(workflow.id, node, nodePath, isFullPath, false);
		const methods = workflow.expression.getSimpleParameterValue(
			node,
			description.httpMethod,
			'internal',
			{},
			undefined,
			'GET',
		);
		if (methods === undefined) continue;
		const isDynamic = path.split('/').some((segment) => segment.startsWith(':'));
		for (const method of String(methods).split(',')) {
			if (!method) continue;
			webhooks.push({
				name: description.name,
				httpMethod: method.trim() as IHttpRequestMethods,
				path,
				nodePath,
				isFullPath,
				description,
				isDynamic,
				webhookId: isDynamic ? node.webhookId : undefined,
			});
		}
	}
	return webhooks;
}

/** NodeHelpers.getNodeWebhookUrl, as HookContext.getNodeWebhookUrl computes it. */
export function webhookUrl(baseUrl: string, workflow: Workflow, node: INode, webhook: NodeWebhook): string {
	return NodeHelpers.getNodeWebhookUrl(baseUrl, workflow.id, node, webhook.nodePath, webhook.isFullPath);
}

export interface WebhookMatch {
	webhook: NodeWebhook;
	params: Record<string, string>;
}

/** `requestPath` is everything after `/webhook/` (or `/webhook-test/`), segments URL-decoded. */
export function findWebhook(webhooks: NodeWebhook[], method: string, requestPath: string): WebhookMatch | undefined {
	const path = requestPath.endsWith('/') ? requestPath.slice(0, -1) : requestPath;
	const staticMatch = webhooks.find((w) => !w.isDynamic && w.httpMethod === method && w.path === path);
	if (staticMatch) return { webhook: staticMatch, params: {} };

	// Dynamic rows are found by webhookId plus the number of segments after it; their stored path
	// only lacks the id when the description sets isFullPath: true. Without it the stored path
	// still starts with the id, its length never matches, and n8n answers 404.
	const [idSegment, ...otherSegments] = path.split('/');
	const candidates = webhooks.filter(
		(w) =>
			w.isDynamic &&
			w.httpMethod === method &&
			w.webhookId === idSegment &&
			w.path.split('/').length === otherSegments.length,
	);
	const requestSegments = new Set(otherSegments);
	let best: NodeWebhook | undefined;
	let bestStaticCount = 0;
	for (const candidate of candidates) {
		const staticSegments = candidate.path.split('/').filter((s) => !s.startsWith(':'));
		if (staticSegments.every((s) => requestSegments.has(s)) && staticSegments.length > bestStaticCount) {
			best = candidate;
			bestStaticCount = staticSegments.length;
		} else if (staticSegments.length === 0 && best === undefined) {
			best = candidate;
		}
	}
	if (best === undefined) return undefined;
	const params: Record<string, string> = {};
	best.path.split('/').forEach((segment, index) => {
		if (segment.startsWith(':')) params[segment.slice(1)] = otherSegments[index];
	});
	return { webhook: best, params };
}

export function notFoundBody(
	webhooks: NodeWebhook[],
	method: string,
	requestPath: string,
	endpoint: 'production' | 'test',
): { code: number; message: string; hint?: string } {
	const path = requestPath.endsWith('/') ? requestPath.slice(0, -1) : requestPath;
	const otherMethods = webhooks.filter((w) => !w.isDynamic && w.path === path).map((w) => w.httpMethod);
	if (otherMethods.length > 0) {
		const methods =
			otherMethods.length === 1
				? otherMethods[0]
				: `${otherMethods.slice(0, -1).join(', ')} or ${otherMethods[otherMethods.length - 1]}`;
		return {
			code: 404,
			message: `This webhook is not registered for ${method} requests. Did you mean to make a ${methods} request?`,
		};
	}
	return {
		code: 404,
		message: `The requested webhook "${method} ${path}" is not registered.`,
		hint:
			endpoint === 'test'
				? "Click the 'Execute workflow' button on the canvas, then try again. (In test mode, the webhook only works for one call after you click this button)"
				: "The workflow must be active for a production URL to run successfully. You can activate the workflow using the toggle in the top-right of the editor. Note that unlike test URL calls, production URL calls aren't shown on the canvas (only in the executions list)",
	};
}
