/**
 * THE place that strips secrets from webhook bodies before anything reaches a workflow (normalized
 * details, `raw`, the Raw output mode). Sources leak credentials into their own payloads:
 * - Evolution: `apikey` (instance token or GLOBAL key), `api_key` (error events), `destination`
 *   (our own URL, which may carry a secret path or `?token=`), `jwt` (new.jwt events).
 * - Izing/Whazing: `ticket.apiConfig` (Izing puts the whole ApiConfig row there, with a 730-day JWT);
 *   only `externalKey` is kept.
 * - Whaticket SaaS: `ticketData.whatsapp.webhook` (the URL the user pasted, secret included), and
 *   the Whatsapp model's `token`.
 * Unchanged subtrees are shared, not copied, so sanitizing a large history batch stays cheap.
 */

/** Keys (lower-cased) removed wherever they appear. */
const SECRET_KEYS = new Set([
	'apikey',
	'api_key',
	'token',
	'authtoken',
	'accesstoken',
	'access_token',
	'jwt',
	'jwt_key',
	'password',
	'secret',
	'bearertoken',
	'n8napikey',
	'x-n8n-api-key',
	'authorization',
]);

/** Deeper subtrees are dropped: real payloads are shallow, and deep ones only serve to exhaust the stack. */
export const MAX_SANITIZE_DEPTH = 48;

export function sanitize<T>(body: T): T {
	return sanitizeValue(body, 0, '') as T;
}

function sanitizeValue(value: unknown, depth: number, parentKey: string): unknown {
	if (typeof value !== 'object' || value === null) return value;
	if (depth > MAX_SANITIZE_DEPTH) return null;
	if (Array.isArray(value)) {
		let copy: unknown[] | undefined;
		for (let index = 0; index < value.length; index++) {
			const element = value[index] as unknown;
			const clean = sanitizeValue(element, depth + 1, parentKey);
			if (clean !== element) {
				copy ??= value.slice();
				copy[index] = clean;
			}
		}
		return copy ?? value;
	}
	const record = value as Record<string, unknown>;
	let copy: Record<string, unknown> | undefined;
	for (const key of Object.keys(record)) {
		const lower = key.toLowerCase();
		const element = record[key];
		let clean: unknown;
		let drop = false;
		if (SECRET_KEYS.has(lower)) drop = true;
		else if (lower === 'destination' && depth === 0) drop = true;
		else if (lower === 'webhook' && parentKey === 'whatsapp') drop = true;
		else if (lower === 'apiconfig') clean = keepExternalKeyOnly(element);
		else clean = sanitizeValue(element, depth + 1, lower);
		if (drop) {
			copy ??= { ...record };
			delete copy[key];
		} else if (clean !== element) {
			copy ??= { ...record };
			copy[key] = clean;
		}
	}
	return copy ?? record;
}

/** `apiConfig` → `{ externalKey }` (or null): the only part of it that is not a credential. */
function keepExternalKeyOnly(apiConfig: unknown): unknown {
	if (apiConfig === null || apiConfig === undefined) return apiConfig;
	if (typeof apiConfig !== 'object' || Array.isArray(apiConfig)) return null;
	const externalKey = (apiConfig as Record<string, unknown>).externalKey;
	const keys = Object.keys(apiConfig);
	if (keys.length === 1 && keys[0] === 'externalKey' && (typeof externalKey !== 'object' || externalKey === null)) return apiConfig;
	return typeof externalKey === 'string' || typeof externalKey === 'number' ? { externalKey } : {};
}
