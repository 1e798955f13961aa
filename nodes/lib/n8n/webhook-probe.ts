import type { IHookFunctions, IHttpRequestMethods } from 'n8n-workflow';

import { withoutQuery } from '../evolution/registration';

/**
 * Whether an n8n webhook URL receives right now (its workflow active), asked without starting anything:
 * a CORS preflight. n8n (2.40.7 and 1.123.81, WebhookRequestHandler.setupCorsHeaders) answers an OPTIONS
 * request carrying an Origin header with `Access-Control-Allow-Methods` listing the methods registered at
 * that path (getWebhookMethods), just `OPTIONS` when none, and never runs the workflow. Null when the
 * answer does not say (not an n8n, unreachable): the caller then treats the URL as unchecked.
 */
export async function n8nWebhookReceives(context: IHookFunctions, url: string): Promise<boolean | null> {
	try {
		const response = (await context.helpers.httpRequest({
			// n8n's type lists the methods of nodes' requests; its helper (axios) sends any method.
			method: 'OPTIONS' as IHttpRequestMethods,
			url: withoutQuery(url),
			headers: { Origin: 'https://n8n-nodes-whatsapp-webhooks.invalid' },
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: 5000,
		})) as { headers?: Record<string, unknown> };
		const allowed = response.headers?.['access-control-allow-methods'];
		if (typeof allowed !== 'string' || allowed === '') return null;
		return allowed.split(',').some((method) => method.trim() !== '' && method.trim().toUpperCase() !== 'OPTIONS');
	} catch {
		// An unanswered probe is an answer too ("could not be checked"); delete must not throw.
		return null;
	}
}
