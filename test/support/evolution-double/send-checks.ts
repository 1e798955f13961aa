/**
 * The JSON-schema answers of Evolution's send and chat routes, per version, reduced to the rules the
 * upstream schemas hold (v1 `validate.schema.ts` 1.5.0 – 1.8.2; v2 `message.schema.ts` /
 * `chat.schema.ts` 2.0.10, 2.2.3, 2.3.6). Messages are jsonschema's, with `instance.` stripped, or the
 * schema's description where it has one. Kept apart from the package code: the double is a witness.
 */

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Collects violations in schema order; `path` is jsonschema's property path ('instance' at the top). */
export class Checks {
	readonly errors: string[] = [];

	/** `required` on an object: `<path> requires property "<field>"`. */
	requires(value: unknown, path: string, fields: string[]): void {
		if (!isObject(value)) return;
		for (const field of fields) if (value[field] === undefined) this.errors.push(`${path} requires property "${field}"`);
	}

	object(value: unknown, path: string): boolean {
		if (value === undefined) return false;
		if (!isObject(value)) {
			this.errors.push(`${path} is not of a type(s) object`);
			return false;
		}
		return true;
	}

	/** `number` has `description: "Invalid format"` in every version. */
	numberField(body: Json): void {
		if (body.number !== undefined && typeof body.number !== 'string') this.errors.push('Invalid format');
	}

	/** `delay` is `type: integer` with `description: "Enter a value in milliseconds"`. */
	delay(value: unknown): void {
		if (value !== undefined && !Number.isInteger(value)) this.errors.push('Enter a value in milliseconds');
	}

	enumOf(value: unknown, path: string, values: string[]): void {
		if (value !== undefined && !values.includes(value as string)) this.errors.push(`${path} is not one of enum values: ${values.join(',')}`);
	}

	nonEmpty(value: unknown, field: string): void {
		if (value !== undefined && (typeof value !== 'string' || value.length === 0)) this.errors.push(`The "${field}" cannot be empty`);
	}

	boolean(value: unknown, path: string): void {
		if (value !== undefined && typeof value !== 'boolean') this.errors.push(`${path} is not of a type(s) boolean`);
	}

	/** `quoted: { key: { id (required, isNotEmpty) }, message? }`. */
	quoted(value: unknown, path: string): void {
		if (!this.object(value, path)) return;
		const quoted = value as Json;
		this.requires(quoted, path, ['key']);
		if (this.object(quoted.key, `${path}.key`)) {
			this.requires(quoted.key, `${path}.key`, ['id']);
			this.nonEmpty((quoted.key as Json).id, 'id');
		}
		this.object(quoted.message, `${path}.message`);
	}

	/** `mentioned`: ≥ 1 unique strings matching ^\d+ (description given by the schema). */
	mentioned(value: unknown): void {
		if (value === undefined) return;
		const ok = Array.isArray(value) && value.length > 0 && value.every((entry) => typeof entry === 'string' && /^\d+/.test(entry)) && new Set(value).size === value.length;
		if (!ok) this.errors.push('"mentioned" must be an array of numeric strings');
	}

	/** An array of ≥ 1 message keys with `id`, `fromMe`, `remoteJid` required. */
	keys(value: unknown, path: string): void {
		if (value === undefined) return;
		if (!Array.isArray(value)) {
			this.errors.push(`${path} is not of a type(s) array`);
			return;
		}
		if (value.length === 0) this.errors.push(`${path} does not meet minimum length of 1`);
		value.forEach((entry, index) => this.requires(entry, `${path}[${index}]`, ['id', 'fromMe', 'remoteJid']));
	}
}

export const PRESENCES = ['unavailable', 'available', 'composing', 'recording', 'paused'];
export const MEDIA_TYPES = ['image', 'document', 'video', 'audio'];

/** v1 `options` of every send. */
export function checkV1Options(checks: Checks, options: unknown): void {
	if (!checks.object(options, 'options')) return;
	const record = options as Json;
	checks.delay(record.delay);
	checks.enumOf(record.presence, 'options.presence', PRESENCES);
	checks.quoted(record.quoted, 'options.quoted');
	if (isObject(record.mentions)) {
		checks.boolean(record.mentions.everyOne, 'options.mentions.everyOne');
		checks.mentioned(record.mentions.mentioned);
	}
}

/** v2 top-level send extras. */
export function checkV2Extras(checks: Checks, body: Json): void {
	checks.delay(body.delay);
	checks.quoted(body.quoted, 'quoted');
	checks.boolean(body.everyOne, 'everyOne');
	checks.mentioned(body.mentioned);
}

/**
 * The controllers' media rule: an http(s) URL or raw base64 (a `data:` URI is neither, 1.8.1 run).
 * Evolution uses class-validator's isURL and isBase64; these two regexes decide the same for our cases.
 */
export function isUrlOrBase64(value: unknown): boolean {
	if (typeof value !== 'string' || value === '') return false;
	if (/^https?:\/\/[^\s/]+\.?[^\s]*$/i.test(value)) return true;
	return value.length % 4 === 0 && /^[A-Za-z0-9+/]+={0,2}$/.test(value);
}

export const isUrl = (value: unknown) => typeof value === 'string' && /^https?:\/\//i.test(value);

/** v1 to 2.2.x (`isEmoji` regex): one emoji; `""` fails. Good enough: pictographs with modifiers and ZWJ. */
export function isEmojiV1(value: unknown): boolean {
	return typeof value === 'string' && /^(?:\p{Extended_Pictographic}|\p{Regional_Indicator}|[\u200D\uFE0F]|\p{Emoji_Modifier}|[#*0-9]\u20E3)+$/u.test(value);
}

/** 2.3.0+ (`emoji-regex`): exactly one emoji, or `""` to remove. */
export function isSingleEmojiOrEmpty(value: unknown): boolean {
	if (value === '') return true;
	return typeof value === 'string' && /^(?:\p{Regional_Indicator}{2}|[#*0-9]\uFE0F?\u20E3|\p{Extended_Pictographic}(?:\uFE0F|\p{Emoji_Modifier})?(?:\u200D\p{Extended_Pictographic}(?:\uFE0F|\p{Emoji_Modifier})?)*)$/u.test(value);
}

/**
 * `createJid` (channel.service 1.8/2.0, utils/createJid 2.2+): strip device suffixes (2.2+), keep
 * group / user / (1.6+) lid / broadcast JIDs, else clean the number, detect groups by length, apply
 * the MX/AR and Brazilian 9th-digit fix-ups.
 */
export function createJid(number: string, knowsLid: boolean, stripsDevice: boolean): string {
	let value = stripsDevice ? number.replace(/:\d+/, '') : number;
	if (value.includes('@g.us') || value.includes('@s.whatsapp.net') || (knowsLid && value.includes('@lid'))) return value;
	if (value.includes('@broadcast')) return value;
	value = value.replace(/\s/g, '').replace(/\+/g, '').replace(/\(/g, '').replace(/\)/g, '').split(':')[0].split('@')[0];
	if (value.includes('-') && value.length >= 24) return `${value}@g.us`;
	value = value.replace(/\D/g, '');
	if (value.length >= 18) return `${value}@g.us`;
	if ((value.startsWith('52') || value.startsWith('54')) && value.length === 13) value = value.slice(0, 2) + value.slice(3);
	if (value.startsWith('55') && value.length === 13 && Number(value.slice(2, 4)) >= 31 && Number(value[5]) >= 7) value = value.slice(0, 4) + value.slice(5);
	return `${value}@s.whatsapp.net`;
}
