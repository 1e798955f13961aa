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

export function boolOf(value: unknown): boolean | null {
	return typeof value === 'boolean' ? value : null;
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
