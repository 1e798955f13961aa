import type { WebhookConfig } from './dialect';

/**
 * A webhook config as a person can re-enter it by hand in the Evolution manager, secrets masked: every
 * query value and header value becomes ***.
 */
export function describeForManualRestore(config: WebhookConfig): string {
	const cut = config.url.indexOf('?');
	const query = cut === -1 ? '' : config.url.slice(cut + 1);
	const maskedQuery = query
		.split('&')
		.filter(Boolean)
		.map((pair) => `${pair.split('=')[0]}=***`)
		.join('&');
	const url = cut === -1 ? config.url : `${config.url.slice(0, cut)}?${maskedQuery}`;
	const headers = config.headers ? Object.fromEntries(Object.keys(config.headers).map((name) => [name, '***'])) : null;
	return JSON.stringify({ url, enabled: config.enabled, events: config.events, byEvents: config.byEvents, base64: config.base64, headers });
}
