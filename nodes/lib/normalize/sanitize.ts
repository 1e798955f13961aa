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

/** What a key means to the sanitizer; payloads repeat the same few hundred names, so answers are remembered. */
enum KeyKind {
	Plain,
	Secret,
	Destination,
	Webhook,
	ApiConfig,
	Whatsapp,
}
const keyKinds = new Map<string, KeyKind>();
const MAX_REMEMBERED_KEYS = 4096;

function kindOf(key: string): KeyKind {
	const known = keyKinds.get(key);
	if (known !== undefined) return known;
	const lower = key.toLowerCase();
	let kind = KeyKind.Plain;
	if (isSecretName(squash(key))) kind = KeyKind.Secret;
	else if (lower === 'destination') kind = KeyKind.Destination;
	else if (lower === 'webhook') kind = KeyKind.Webhook;
	else if (lower === 'apiconfig') kind = KeyKind.ApiConfig;
	else if (lower === 'whatsapp') kind = KeyKind.Whatsapp;
	if (keyKinds.size < MAX_REMEMBERED_KEYS) keyKinds.set(key, kind);
	return kind;
}

/** Whether a JSON key names a secret (exported for tests and for other modules that must agree). */
export function isSecretKey(key: string): boolean {
	return kindOf(key) === KeyKind.Secret;
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

/**
 * A URL string with secret query values and its password masked; any other string unchanged. Only
 * strings that start with a scheme count as URLs, so message texts ("code=123?") are left alone.
 */
export function maskUrlSecrets(value: string): string {
	if (value.length < 8 || !startsWithScheme(value)) return value;
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

/** `scheme://` at the start (RFC 3986 scheme characters), looking at no more than the first 18 characters. */
function startsWithScheme(value: string): boolean {
	const first = value.charCodeAt(0) | 0x20;
	if (first < 97 || first > 122) return false;
	const end = Math.min(value.length - 2, 18);
	for (let index = 1; index < end; index++) {
		const code = value.charCodeAt(index);
		if (code === 58) return value.charCodeAt(index + 1) === 47 && value.charCodeAt(index + 2) === 47;
		const letter = code | 0x20;
		if (!((letter >= 97 && letter <= 122) || (code >= 48 && code <= 57) || code === 43 || code === 45 || code === 46)) return false;
	}
	return false;
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
	return sanitizeValue(body, 0, false) as T;
}

function sanitizeValue(value: unknown, depth: number, insideWhatsapp: boolean): unknown {
	if (typeof value === 'string') return maskUrlSecrets(value);
	if (typeof value !== 'object' || value === null) return value;
	if (depth > MAX_SANITIZE_DEPTH) return null;
	if (Array.isArray(value)) {
		let copy: unknown[] | undefined;
		for (let index = 0; index < value.length; index++) {
			const element = value[index] as unknown;
			const clean = sanitizeValue(element, depth + 1, insideWhatsapp);
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
		const kind = kindOf(key);
		let clean: unknown;
		if (kind === KeyKind.Secret || (kind === KeyKind.Destination && depth === 0) || (kind === KeyKind.Webhook && insideWhatsapp)) {
			copy ??= { ...record };
			delete copy[key];
			continue;
		}
		if (kind === KeyKind.ApiConfig) clean = keepExternalKeyOnly(element);
		else if (typeof element === 'object' || typeof element === 'string') clean = sanitizeValue(element, depth + 1, kind === KeyKind.Whatsapp);
		else continue;
		if (clean !== element) {
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
