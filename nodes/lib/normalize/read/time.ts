import { isRecord } from './scalars';

/** Numbers above this are milliseconds, below it seconds (helpdesks send either; 1e11 s is the year 5138). */
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
