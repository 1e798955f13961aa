/**
 * Just enough of `jsonschema@1.4.1` and `validator.isURL` to give the exact answers the Evolution
 * webhook schemas give (error bodies and schema rules: docs/protocol.md#dialects). Only the keywords those schemas use
 * are implemented, evaluated in the schema's own key order, which is the order errors come out in.
 */
import { isIP } from 'node:net';
import type { Capabilities } from './version';

export interface MiniSchema {
	type?: 'object' | 'array' | 'string' | 'boolean';
	properties?: Record<string, MiniSchema>;
	required?: string[];
	items?: MiniSchema;
	enum?: readonly string[];
	minLength?: number;
	description?: string;
	/** Only the `isNotEmpty()` construct: if every key is one of these names, then apply `then`. */
	if?: { propertyNames: { enum: string[] } };
	then?: MiniSchema;
}

/**
 * The Evolution helper `isNotEmpty(...names)`: a minLength:1 rule on those keys that only fires when
 * the object holds no other key (that is how `if: {propertyNames: {enum}}` evaluates).
 */
function isNotEmpty(...names: string[]): Pick<MiniSchema, 'if' | 'then'> {
	const properties: Record<string, MiniSchema> = {};
	for (const name of names) properties[name] = { minLength: 1, description: `The "${name}" cannot be empty` };
	return { if: { propertyNames: { enum: names } }, then: { properties } };
}

export function webhookSchemaOf(capabilities: Capabilities, events: readonly string[]): MiniSchema {
	const eventList: MiniSchema = { type: 'array', items: { type: 'string', enum: events } };
	if (capabilities.style === 'v1') {
		// No enabled / webhook_by_events / webhook_base64 here: v1 never type-checks them.
		return {
			type: 'object',
			properties: { url: { type: 'string' }, events: eventList },
			required: ['url'],
			...isNotEmpty('url'),
		};
	}
	if (capabilities.style === 'v2.0') {
		return {
			type: 'object',
			properties: {
				enabled: { type: 'boolean' },
				url: { type: 'string' },
				webhookByEvents: { type: 'boolean' },
				webhookBase64: { type: 'boolean' },
				events: eventList,
			},
			required: ['enabled', 'url'],
			...isNotEmpty('enabled', 'url'),
		};
	}
	const inner: Record<string, MiniSchema> = { enabled: { type: 'boolean' }, url: { type: 'string' } };
	if (capabilities.hasHeaders) inner.headers = { type: 'object' };
	inner.byEvents = { type: 'boolean' };
	inner.base64 = { type: 'boolean' };
	inner.events = eventList;
	return {
		type: 'object',
		properties: {
			webhook: { type: 'object', properties: inner, required: ['enabled', 'url'], ...isNotEmpty('enabled', 'url') },
		},
		required: ['webhook'],
	};
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function matchesType(value: unknown, type: NonNullable<MiniSchema['type']>): boolean {
	if (type === 'object') return isObject(value);
	if (type === 'array') return Array.isArray(value);
	return typeof value === type;
}

/**
 * Validate like jsonschema and return the messages Evolution puts in `response.message[0]`:
 * the error's `stack` with `instance.` removed, or the schema's `description` when it has one.
 */
export function validateLikeEvolution(value: unknown, schema: MiniSchema): string[] {
	const messages: string[] = [];
	walk(value, schema, 'instance', messages);
	return messages;
}

function walk(value: unknown, schema: MiniSchema, path: string, out: string[]): void {
	const fail = (message: string) =>
		out.push(schema.description ?? `${path} ${message}`.replace('instance.', ''));
	for (const keyword of Object.keys(schema) as (keyof MiniSchema)[]) {
		switch (keyword) {
			case 'type':
				if (value !== undefined && !matchesType(value, schema.type!)) fail(`is not of a type(s) ${schema.type}`);
				break;
			case 'properties':
				if (isObject(value)) {
					for (const [name, sub] of Object.entries(schema.properties!)) {
						if (value[name] !== undefined) walk(value[name], sub, `${path}.${name}`, out);
					}
				}
				break;
			case 'required':
				if (isObject(value)) {
					for (const name of schema.required!) {
						if (value[name] === undefined) fail(`requires property ${JSON.stringify(name)}`);
					}
				}
				break;
			case 'items':
				if (Array.isArray(value)) value.forEach((item, i) => walk(item, schema.items!, `${path}[${i}]`, out));
				break;
			case 'enum':
				if (value !== undefined && !schema.enum!.includes(value as string)) {
					fail(`is not one of enum values: ${schema.enum!.map(String).join(',')}`);
				}
				break;
			case 'minLength':
				if (typeof value === 'string' && [...value].length < schema.minLength!) {
					fail(`does not meet minimum length of ${schema.minLength}`);
				}
				break;
			case 'if': {
				const allowed = schema.if!.propertyNames.enum;
				const ifHolds = !isObject(value) || Object.keys(value).every((key) => allowed.includes(key));
				if (value !== undefined && ifHolds && schema.then) walk(value, schema.then, path, out);
				break;
			}
			default:
				break;
		}
	}
}

const FULLWIDTH = /[\uff01-\uff5e]/;
const LABEL = /^[a-z_\u00a1-\uffff0-9-]+$/i;
const TLD = /^([a-z\u00A1-\u00A8\u00AA-\uD7FF\uF900-\uFDCF\uFDF0-\uFFEF]{2,}|xn[a-z0-9-]{2,})$/i;

function isFqdn(host: string, requireTld: boolean): boolean {
	const labels = host.split('.');
	const tld = labels[labels.length - 1];
	if (requireTld && (labels.length < 2 || !TLD.test(tld))) return false;
	if (/^\d+$/.test(tld)) return false;
	return labels.every(
		(label) =>
			label.length <= 63 && LABEL.test(label) && !FULLWIDTH.test(label) && !/^-|-$/.test(label) && !label.includes('_'),
	);
}

/**
 * `validator.isURL(url, { require_tld })` with validator's other defaults (protocol optional, but if given
 * one of http/https/ftp; host required; port 1-65535; no underscores). A port of its algorithm, not a
 * dependency: the double has to stay dependency-free.
 */
export function isUrlLikeValidator(value: unknown, requireTld: boolean): boolean {
	if (typeof value !== 'string' || value === '' || /[\s<>]/.test(value) || value.startsWith('mailto:')) return false;
	if (value.length >= 2083) return false;
	let rest = value.split('#')[0].split('?')[0];
	const protocolParts = rest.split('://');
	if (protocolParts.length > 1) {
		const protocol = protocolParts.shift()!.toLowerCase();
		if (!['http', 'https', 'ftp'].includes(protocol)) return false;
	} else if (rest.startsWith('//')) {
		return false;
	}
	rest = protocolParts.join('://');
	if (rest === '') return false;
	let authority = rest.split('/')[0];
	const atParts = authority.split('@');
	if (atParts.length > 1) {
		const auth = atParts.shift()!;
		if (auth === '' || auth.split(':').length > 2) return false;
		const [user, password] = auth.split(':');
		if (user === '' && password === '') return false;
		authority = atParts.join('@');
	}
	let host: string;
	let ipv6: string | null = null;
	let port: string | null = null;
	const wrapped = /^\[([^\]]+)\](?::([0-9]+))?$/.exec(authority);
	if (wrapped) {
		host = '';
		ipv6 = wrapped[1];
		port = wrapped[2] ?? null;
	} else {
		const hostParts = authority.split(':');
		host = hostParts.shift()!;
		if (hostParts.length) port = hostParts.join(':');
	}
	if (port !== null && port.length > 0) {
		if (!/^[0-9]+$/.test(port) || Number(port) <= 0 || Number(port) > 65535) return false;
	}
	if (ipv6 !== null) return isIP(ipv6) === 6;
	return isIP(host) !== 0 || isFqdn(host, requireTld);
}

/** The 2.3.0+ send-time check. */
export function startsWithHttpScheme(value: unknown): boolean {
	return typeof value === 'string' && /^https?:\/\//.test(value);
}
