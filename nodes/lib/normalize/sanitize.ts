/**
 * THE place that strips secrets from webhook bodies before anything reaches a workflow (normalized
 * details, `raw`, the Raw output mode). Sources leak credentials into their own payloads:
 * - Evolution: `apikey` (instance token or GLOBAL key), `api_key` (error events), `destination`
 *   (our own URL, which may carry a secret path or `?token=`), `jwt` (new.jwt events), and Baileys'
 *   Signal key material in messages (`messageContextInfo.messageSecret`, `deviceListMetadata.
 *   senderKeyHash`/`recipientKeyHash`, `mediaKey` of every media message: it decrypts the file).
 * - Izing/Whazing: `ticket.apiConfig` (Izing puts the whole ApiConfig row there, with a 730-day JWT);
 *   only `externalKey` is kept: it is the user's CRM key, not a credential.
 * - Whaticket SaaS: `ticketData.whatsapp.webhook` (the URL the user pasted, secret included), and
 *   the Whatsapp model's `token`.
 * Keys are matched by pattern, case- and separator-insensitively (`x-api-key`, `X_API_KEY`, `xApiKey`),
 * and secret-looking query parameters inside URL strings (`?n8nSecret=`, `&access_token=`,
 * `X-Amz-Signature=`) and URL passwords (`https://user:pass@host`) are masked as `***`.
 * Unchanged subtrees are shared, not copied, so sanitizing a large history batch stays cheap.
 */

/** Deeper subtrees are dropped: real payloads are shallow, and deep ones only serve to exhaust the stack. */
export const MAX_SANITIZE_DEPTH = 48;

export const MASK = '***';

/** Signal/WhatsApp key material by exact (squashed) name: encryption keys and their fingerprints. */
const KEY_MATERIAL = new Set([
	'mediakey',
	'messagesecret',
	'senderkeyhash',
	'recipientkeyhash',
	'identitykey',
	'signedidentitykey',
	'signedprekey',
	'prekey',
	'noisekey',
	'keydata',
	'senderkeydistributionmessage',
	'axolotlsenderkeydistributionmessage',
	'appstatesynckey',
	'hash',
	'salt',
]);

/** Substrings of a squashed key name that mark it as a credential wherever they appear. */
const SECRET_PARTS = /token|secret|passw|apikey|authorization|cookie|privatekey|privkey|credential|jwt|bearer|signature|sessionkey|keyhash/;

/** Query parameter names that are secrets in URLs but ordinary words as JSON keys (Google's `key=`, `sig=`). */
const SECRET_PARAMS = new Set(['key', 'sig', 'hmac', 'code', 'pass', 'pwd', 'auth', 'session', 'sessionid', 'sid']);

function squash(name: string): string {
	return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

function isSecretName(squashed: string): boolean {
	if (squashed === '' || squashed === 'externalkey') return false;
	if (KEY_MATERIAL.has(squashed) || SECRET_PARTS.test(squashed)) return true;
	// `auth`, `basicAuth`, `proxyAuth`, `oauth` — but not `author`, `authorName`.
	return squashed === 'auth' || squashed === 'pwd' || squashed === 'pass' || squashed.endsWith('auth');
}

/** Key name → secret or not; payloads repeat the same few hundred names, so answers are remembered. */
const keyVerdicts = new Map<string, boolean>();
const MAX_REMEMBERED_KEYS = 4096;

/** Whether a JSON key names a secret (exported for tests and for other modules that must agree). */
export function isSecretKey(key: string): boolean {
	const known = keyVerdicts.get(key);
	if (known !== undefined) return known;
	const verdict = isSecretName(squash(key));
	if (keyVerdicts.size < MAX_REMEMBERED_KEYS) keyVerdicts.set(key, verdict);
	return verdict;
}

function isSecretParam(name: string): boolean {
	let decoded = name;
	try {
		decoded = decodeURIComponent(name);
	} catch {
		// Keep the raw name: a malformed escape is still judged by its letters.
	}
	const squashed = squash(decoded);
	return SECRET_PARAMS.has(squashed) || isSecretName(squashed);
}

const QUERY_PARAM = /([?&#;])([^=&#?;]+)=([^&#;]*)/g;
const URL_PASSWORD = /^([a-z][a-z0-9+.-]*:\/\/[^/?#@:\s]*):[^/?#@\s]+@/i;
const URL_START = /^[a-z][a-z0-9+.-]{0,15}:\/\//i;

/**
 * A URL string with secret query values and its password masked; any other string unchanged. Only
 * strings that start with a scheme count as URLs, so message texts ("code=123?") are left alone.
 */
export function maskUrlSecrets(value: string): string {
	if (value.length < 8 || !URL_START.test(value)) return value;
	const queryAt = firstIndexOf(value, '?', '#');
	const hasPassword = value.includes('@');
	if (queryAt === -1 && !hasPassword) return value;
	let masked = hasPassword ? value.replace(URL_PASSWORD, `$1:${MASK}@`) : value;
	const start = firstIndexOf(masked, '?', '#');
	if (start !== -1) {
		const tail = masked.slice(start).replace(QUERY_PARAM, (match: string, separator: string, name: string, secret: string) =>
			secret !== '' && secret !== MASK && isSecretParam(name) ? `${separator}${name}=${MASK}` : match,
		);
		masked = masked.slice(0, start) + tail;
	}
	return masked === value ? value : masked;
}

function firstIndexOf(value: string, a: string, b: string): number {
	const first = value.indexOf(a);
	const second = value.indexOf(b);
	if (first === -1) return second;
	return second === -1 ? first : Math.min(first, second);
}

/** `copy[key] = value` that also works for an own "__proto__" key (plain assignment would set the prototype). */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
	if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
	else target[key] = value;
}

export function sanitize<T>(body: T): T {
	return sanitizeValue(body, 0, '') as T;
}

function sanitizeValue(value: unknown, depth: number, parentKey: string): unknown {
	if (typeof value === 'string') return maskUrlSecrets(value);
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
		const element = record[key];
		let clean: unknown;
		let drop = false;
		if (isSecretKey(key)) drop = true;
		else if (depth === 0 && key.toLowerCase() === 'destination') drop = true;
		else if (parentKey === 'whatsapp' && key.toLowerCase() === 'webhook') drop = true;
		else if (key.toLowerCase() === 'apiconfig') clean = keepExternalKeyOnly(element);
		else clean = sanitizeValue(element, depth + 1, key.toLowerCase());
		if (drop) {
			copy ??= { ...record };
			delete copy[key];
		} else if (clean !== element) {
			copy ??= { ...record };
			setOwn(copy, key, clean);
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
