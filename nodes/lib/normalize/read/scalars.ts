/**
 * Tolerant scalar readers shared by the normalizers. Webhook bodies are untrusted and change between
 * server versions, so every reader accepts anything and answers null instead of throwing.
 */

export type JsonObject = Record<string, unknown>;

export function isRecord(value: unknown): value is JsonObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
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

const TRUE_TEXTS = new Set(['true', '1']);
const FALSE_TEXTS = new Set(['false', '0']);

/**
 * A boolean field: true/false, and the loose spellings proxies and older builds send ("true", "false",
 * "1", "0", 1, 0). Anything else is null, never a guess.
 */
export function boolOf(value: unknown): boolean | null {
	if (typeof value === 'boolean') return value;
	if (value === 1 || value === 0) return value === 1;
	if (typeof value !== 'string' || value.length > 16) return null;
	const text = value.trim().toLowerCase();
	if (TRUE_TEXTS.has(text)) return true;
	if (FALSE_TEXTS.has(text)) return false;
	return null;
}

/** A numeric field: a finite number, or a string that is exactly a decimal number ("12", "-23.55"); else null. */
export function numberOf(value: unknown): number | null {
	if (typeof value === 'number') return Number.isFinite(value) ? value : null;
	if (typeof value !== 'string' || value.length === 0 || value.length > 32) return null;
	if (!/^\s*-?\d+(\.\d+)?\s*$/.test(value)) return null;
	const n = Number(value);
	return Number.isFinite(n) ? n : null;
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
