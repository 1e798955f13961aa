/**
 * Attacks on the outputs: every fixture of every source (test/fixtures) with every secret key pattern
 * planted at every depth a payload has, secret query parameters in URL strings, and Signal key material;
 * none of the planted values may reach a normalized item (with Include Raw on) or the Raw output mode.
 * The user's CRM `externalKey` must survive. Prototype names as keys and as looked-up values come last.
 */
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';

import { normalizeDelivery } from '../../nodes/lib/normalize';
import { lookupOwn } from '../../nodes/lib/normalize/read/own';
import { sanitize } from '../../nodes/lib/normalize/sanitize';

const FIXTURES = join(__dirname, '..', 'fixtures');
const FIXTURE_FILES = readdirSync(FIXTURES)
	.flatMap((source) => readdirSync(join(FIXTURES, source)).map((file) => `${source}/${file}`))
	.sort();

/** Every key spelling the sanitizer must drop (issue: token/secret/password/apikey/authorization/cookie/private key/credential/hash, Signal keys). */
const SECRET_KEYS = [
	'token', 'authToken', 'access_token', 'refresh_token', 'refreshToken', 'id_token', 'bearerToken',
	'secret', 'clientSecret', 'client_secret', 'n8nSecret', 'webhookSecret',
	'password', 'passwd', 'pwd', 'passwordHash',
	'apikey', 'apiKey', 'api_key', 'x-api-key', 'X-Api-Key', 'X_API_KEY', 'n8nApiKey',
	'authorization', 'Authorization', 'proxy-authorization', 'auth', 'basicAuth',
	'cookie', 'set-cookie', 'Cookie',
	'private_key', 'privateKey', 'private key',
	'credential', 'credentials',
	'jwt', 'jwt_key', 'hash', 'salt', 'signature',
	'messageSecret', 'mediaKey', 'senderKeyHash', 'recipientKeyHash', 'identityKey', 'signedPreKey', 'noiseKey', 'senderKeyDistributionMessage',
];

/** URL strings under innocent keys, each carrying a secret in a query parameter or the password. */
const SECRET_URLS = (marker: string) => ({
	callbackUrl: `https://n8n.example.com/webhook/abc?n8nSecret=${marker}-n8nSecret`,
	startUrl: `https://typebot.example.com/api/v1/start?token=${marker}-token&x=1`,
	fileUrl: `https://s3.example.com/b/a.jpg?X-Amz-Credential=${marker}-cred&X-Amz-Signature=${marker}-sig`,
	apiUrl: `https://api.example.com/v1?apikey=${marker}-apikey&access_token=${marker}-at`,
	hookUrl: `https://user:${marker}-password@hooks.example.com/x`,
	signedUrl: `https://cdn.example.com/a.pdf?signature=${marker}-signature`,
});

/** Plants the secrets at the top, in every object of the body (up to a depth), and returns the markers used. */
function plant(body: unknown, marker: string): { body: unknown; markers: string[] } {
	const markers: string[] = [];
	let counter = 0;
	const visit = (value: unknown, depth: number): unknown => {
		if (Array.isArray(value)) return value.map((element) => visit(element, depth + 1));
		if (typeof value !== 'object' || value === null) return value;
		const copy: Record<string, unknown> = {};
		for (const [key, child] of Object.entries(value)) copy[key] = visit(child, depth + 1);
		if (depth <= 6) {
			const here = `${marker}${counter++}`;
			for (const key of SECRET_KEYS) {
				const secret = `${here}-${key.replace(/\W/g, '_')}`;
				// Do not replace a real field the normalizer reads (e.g. Whazing's `token` is already a secret).
				copy[key] = secret;
				markers.push(secret);
			}
			const urls = SECRET_URLS(here);
			Object.assign(copy, urls);
			markers.push(...Object.values(urls).flatMap((url) => url.match(new RegExp(`${here}-[\\w-]+`, 'g')) ?? []));
		}
		return copy;
	};
	return { body: visit(body, 0), markers };
}

function load(path: string): unknown {
	return JSON.parse(readFileSync(join(FIXTURES, path), 'utf8'));
}

describe('every secret pattern in every source payload: normalized items with Include Raw', () => {
	it.each(FIXTURE_FILES)('%s', (path) => {
		const { body, markers } = plant(load(path), 'PLANTED');
		expect(markers.length).toBeGreaterThan(SECRET_KEYS.length);
		const output = JSON.stringify(normalizeDelivery(body, { includeRaw: true }));
		expect(markers.filter((marker) => output.includes(marker))).toEqual([]);
	});
});

describe('every secret pattern in every source payload: Raw output mode (sanitize)', () => {
	it.each(FIXTURE_FILES)('%s', (path) => {
		const { body, markers } = plant(load(path), 'PLANTED');
		const output = JSON.stringify(sanitize(body));
		expect(markers.filter((marker) => output.includes(marker))).toEqual([]);
	});
});

describe("the user's data survives", () => {
	it.each(FIXTURE_FILES.filter((path) => readFileSync(join(FIXTURES, path), 'utf8').includes('externalKey')))('%s keeps externalKey', (path) => {
		const body = load(path);
		const values = JSON.stringify(body).match(/"externalKey":("[^"]*"|\d+)/g) ?? [];
		expect(values.length).toBeGreaterThan(0);
		const raw = JSON.stringify(sanitize(body));
		for (const value of values) expect(raw).toContain(value);
	});

	it('a message key (id, remoteJid, fromMe) and texts that merely look like query strings are kept', () => {
		const body = { event: 'messages.upsert', data: { key: { id: 'A', remoteJid: 'r', fromMe: false }, message: { conversation: 'password? token=123&code=9' } } };
		expect(sanitize(body)).toBe(body);
	});
});

const PROTOTYPE_NAMES = ['__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable', 'toLocaleString', '__defineGetter__', '__defineSetter__', '__lookupGetter__', '__lookupSetter__'];

describe('prototype names as looked-up values (lookupOwn)', () => {
	const TABLE: Record<string, string> = { conversation: 'text', imageMessage: 'image' };
	it.each(PROTOTYPE_NAMES)('%s', (name) => {
		expect(lookupOwn(TABLE, name)).toBeUndefined();
	});
});

describe('prototype names as keys (sanitize keeps them as data, pollutes nothing)', () => {
	it.each(PROTOTYPE_NAMES)('%s', (name) => {
		const body = JSON.parse(`{"${name}":{"apikey":"PLANTED","x":1},"data":{"${name}":{"token":"PLANTED"}}}`) as Record<string, unknown>;
		const clean = sanitize(body) as Record<string, unknown>;
		expect(JSON.stringify(clean)).not.toContain('PLANTED');
		expect(Object.getPrototypeOf(clean)).toBe(Object.prototype);
		expect(Object.prototype.hasOwnProperty.call(clean, name)).toBe(true);
		expect(({} as Record<string, unknown>).x).toBeUndefined();
	});
});
