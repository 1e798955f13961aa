import { z } from 'zod';

import type { NormalizedItem, Source } from './model';
import type { NormalizedEventName } from './event-names';

/**
 * Small tolerant readers shared by the normalizers. Webhook bodies are untrusted and change between
 * server versions, so every reader accepts anything and answers null instead of throwing.
 */

export type JsonObject = Record<string, unknown>;

export function isRecord(value: unknown): value is JsonObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A field of a loose schema: optional or null (sources send null for "none" all the time), and a value
 * of the wrong type reads as absent instead of failing the whole object ("keep the parser flexible").
 */
/** Any JSON object, as the loose schemas accept nested records. */
export const jsonObject = z.record(z.unknown());
/** Helpdesk ids arrive as numbers or strings. */
export const scalarId = z.union([z.string(), z.number()]);

export function tolerant<T extends z.ZodTypeAny>(schema: T) {
	return schema.nullish().catch(undefined);
}

/** Ids are strings in the model; helpdesks send numbers. Empty or non-scalar values are null. */
export function idOf(value: unknown): string | null {
	if (typeof value === 'string') return value.length > 0 ? value : null;
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	if (typeof value === 'bigint') return value.toString();
	return null;
}

/** A non-empty string or null (the model never holds ""). */
export function textOf(value: unknown): string | null {
	return typeof value === 'string' && value.length > 0 ? value : null;
}

export function boolOf(value: unknown): boolean | null {
	return typeof value === 'boolean' ? value : null;
}

const PHONE_DOMAINS = new Set(['s.whatsapp.net', 'c.us', 'whatsapp.net']);

/** Digits of a phone-number JID (5511…@s.whatsapp.net, 5511…:12@s.whatsapp.net) or of a bare number. */
export function phoneOf(value: unknown): string | null {
	if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return String(value);
	if (typeof value !== 'string' || value.length === 0 || value.length > 64) return null;
	const at = value.indexOf('@');
	if (at >= 0 && !PHONE_DOMAINS.has(value.slice(at + 1))) return null;
	const user = (at >= 0 ? value.slice(0, at) : value).split(':')[0];
	const digits = user.replace(/[\s+()-]/g, '');
	return /^\d{5,20}$/.test(digits) ? digits : null;
}

/** The JID itself when WhatsApp addresses the party by LID (…@lid). */
export function lidOf(value: unknown): string | null {
	return typeof value === 'string' && value.endsWith('@lid') ? value : null;
}

export function isGroupJid(value: unknown): boolean {
	return typeof value === 'string' && value.endsWith('@g.us');
}

/** Numbers above this are milliseconds, below it seconds (spec: helpdesk §1.3, `< 1e11 → ×1000`). */
const SECONDS_LIMIT = 1e11;
const MAX_DATE_MS = 8.64e15;

/**
 * ISO 8601 UTC from an epoch timestamp in seconds or milliseconds. Accepts numbers, numeric strings and
 * protobuf Long objects `{low, high}`. Zero, negative or unreadable values give null.
 */
export function isoFromEpoch(value: unknown): string | null {
	let n: number;
	if (typeof value === 'number') n = value;
	else if (typeof value === 'string' && /^\d{1,16}$/.test(value)) n = Number(value);
	else if (isRecord(value) && typeof value.low === 'number' && typeof value.high === 'number') {
		n = value.high * 4294967296 + (value.low >>> 0);
	} else return null;
	if (!Number.isFinite(n) || n <= 0) return null;
	const ms = n < SECONDS_LIMIT ? n * 1000 : n;
	if (ms > MAX_DATE_MS) return null;
	return new Date(Math.trunc(ms)).toISOString();
}

/** ISO 8601 UTC from a date string (helpdesks send ISO strings), or null. */
export function isoFromDateText(value: unknown): string | null {
	if (typeof value !== 'string' || value.length === 0 || value.length > 64) return null;
	const ms = Date.parse(value);
	return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

/** Value of `key` in `object`, matching the key case-insensitively (for keys whose casing is unconfirmed). */
export function getCaseless(object: JsonObject, key: string): unknown {
	if (key in object) return object[key];
	const wanted = key.toLowerCase();
	for (const candidate of Object.keys(object)) {
		if (candidate.toLowerCase() === wanted) return object[candidate];
	}
	return undefined;
}

/** An item with every key present and null, for a normalizer to fill in. */
export function emptyItem(source: Source, event: NormalizedEventName, originalEvent: string | null, instance: string | null): NormalizedItem {
	return {
		source,
		event,
		originalEvent,
		instance,
		chat: null,
		sender: null,
		message: null,
		ticket: null,
		contact: null,
		details: null,
		reason: null,
	};
}

/** The item for a body nobody could read. */
export function unknownItem(reason: string, raw?: unknown): NormalizedItem {
	const item = emptyItem('unknown', 'unknown', null, null);
	item.reason = reason;
	if (raw !== undefined) item.raw = raw;
	return item;
}

const MIME_EXTENSIONS: Record<string, string> = {
	'image/jpeg': 'jpg',
	'image/png': 'png',
	'image/webp': 'webp',
	'image/gif': 'gif',
	'video/mp4': 'mp4',
	'video/3gpp': '3gp',
	'audio/ogg': 'ogg',
	'audio/mpeg': 'mp3',
	'audio/mp4': 'm4a',
	'audio/aac': 'aac',
	'application/pdf': 'pdf',
	'text/plain': 'txt',
	'application/zip': 'zip',
	'application/msword': 'doc',
	'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
	'application/vnd.ms-excel': 'xls',
	'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
};

const EXTENSION_MIMES: Record<string, string> = { jpeg: 'image/jpeg', mpga: 'audio/mpeg', opus: 'audio/ogg', oga: 'audio/ogg' };
for (const [mime, extension] of Object.entries(MIME_EXTENSIONS)) EXTENSION_MIMES[extension] = mime;

/** File extension for a mimetype (`audio/ogg; codecs=opus` → ogg), or `bin`. */
export function extensionOf(mimetype: string | null): string {
	if (!mimetype) return 'bin';
	const base = mimetype.split(';')[0].trim().toLowerCase();
	return MIME_EXTENSIONS[base] ?? (/^[a-z]+\/([a-z0-9]{1,8})$/.exec(base)?.[1] ?? 'bin');
}

/** Mimetype for a file name's extension, or null when unknown. */
export function mimetypeOfName(fileName: string | null): string | null {
	if (!fileName) return null;
	const match = /\.([A-Za-z0-9]{1,8})$/.exec(fileName);
	return match ? (EXTENSION_MIMES[match[1].toLowerCase()] ?? null) : null;
}

/** Last path segment of a URL (without query), decoded, or null. */
export function fileNameOfUrl(url: string | null): string | null {
	if (!url) return null;
	const path = url.split(/[?#]/)[0];
	const last = path.slice(path.lastIndexOf('/') + 1);
	if (!last || !/\.[A-Za-z0-9]{1,8}$/.test(last)) return null;
	try {
		return decodeURIComponent(last);
	} catch {
		return last;
	}
}

type Check = (value: unknown) => boolean;

/**
 * A fast structural check equivalent to "zod would accept this value unchanged". Webhook bodies almost
 * always fit their loose schema, and then the value can be used as it is, without zod's copy (which
 * costs 3/4 of the time on the hot path). Unknown schema kinds answer false, so zod decides.
 */
function checkerOf(schema: z.ZodTypeAny): Check {
	const def = schema._def as { typeName?: string } & Record<string, unknown>;
	switch (def.typeName) {
		case z.ZodFirstPartyTypeKind.ZodCatch:
			return checkerOf(def.innerType as z.ZodTypeAny);
		case z.ZodFirstPartyTypeKind.ZodOptional: {
			const inner = checkerOf(def.innerType as z.ZodTypeAny);
			return (value) => value === undefined || inner(value);
		}
		case z.ZodFirstPartyTypeKind.ZodNullable: {
			const inner = checkerOf(def.innerType as z.ZodTypeAny);
			return (value) => value === null || inner(value);
		}
		case z.ZodFirstPartyTypeKind.ZodString:
			return (value) => typeof value === 'string';
		case z.ZodFirstPartyTypeKind.ZodNumber:
			return (value) => typeof value === 'number' && !Number.isNaN(value);
		case z.ZodFirstPartyTypeKind.ZodBoolean:
			return (value) => typeof value === 'boolean';
		case z.ZodFirstPartyTypeKind.ZodUnknown:
		case z.ZodFirstPartyTypeKind.ZodAny:
			return () => true;
		case z.ZodFirstPartyTypeKind.ZodUnion: {
			const options = (def.options as z.ZodTypeAny[]).map(checkerOf);
			return (value) => options.some((option) => option(value));
		}
		case z.ZodFirstPartyTypeKind.ZodRecord: {
			const values = checkerOf(def.valueType as z.ZodTypeAny);
			const any = (def.valueType as z.ZodTypeAny)._def.typeName === z.ZodFirstPartyTypeKind.ZodUnknown;
			return (value) => isRecord(value) && (any || Object.values(value).every(values));
		}
		case z.ZodFirstPartyTypeKind.ZodArray: {
			const elements = checkerOf(def.type as z.ZodTypeAny);
			const any = (def.type as z.ZodTypeAny)._def.typeName === z.ZodFirstPartyTypeKind.ZodUnknown;
			return (value) => Array.isArray(value) && (any || value.every(elements));
		}
		case z.ZodFirstPartyTypeKind.ZodObject: {
			if (def.unknownKeys !== 'passthrough') return () => false;
			const shape = (schema as z.AnyZodObject).shape as Record<string, z.ZodTypeAny>;
			const fields = Object.entries(shape).map(([key, field]) => [key, checkerOf(field)] as const);
			return (value) => {
				if (!isRecord(value)) return false;
				for (const [key, check] of fields) if (!check(value[key])) return false;
				return true;
			};
		}
		default:
			return () => false;
	}
}

/**
 * A reader for a loose (passthrough, all-tolerant) object schema: the value itself when it already fits,
 * else zod's tolerant parse (wrong-typed fields dropped), else undefined for a non-object.
 */
export function looseReader<T extends z.AnyZodObject>(schema: T): (value: unknown) => z.output<T> | undefined {
	const fits = checkerOf(schema);
	return (value) => {
		if (!isRecord(value)) return undefined;
		if (fits(value)) return value as z.output<T>;
		const parsed = schema.safeParse(value);
		return parsed.success ? parsed.data : undefined;
	};
}
