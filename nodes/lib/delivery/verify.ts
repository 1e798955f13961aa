import { createHash, randomBytes, timingSafeEqual } from 'crypto';

/** A fresh delivery secret: 32 random bytes as hex (URL- and header-safe). */
export function newSecret(): string {
	return randomBytes(32).toString('hex');
}

/**
 * Constant-time comparison of a presented secret with the expected one. Both sides are hashed first so
 * the comparison time does not reveal the expected length either. Missing or empty values never match.
 */
export function secretsMatch(presented: unknown, expected: string | null | undefined): boolean {
	if (typeof presented !== 'string' || presented.length === 0) return false;
	if (typeof expected !== 'string' || expected.length === 0) return false;
	const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
	return timingSafeEqual(digest(presented), digest(expected));
}

/** First value of a header or query parameter that may arrive as a string or a repeated list. */
export function firstValue(value: unknown): string | undefined {
	if (Array.isArray(value)) return typeof value[0] === 'string' ? value[0] : undefined;
	return typeof value === 'string' ? value : undefined;
}
