import { createHash, timingSafeEqual } from 'crypto';

import type { DeliveryRequest, SecretCarrier, Verification } from './settings';

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

function presentedBy(request: DeliveryRequest, carrier: SecretCarrier): string | undefined {
	if (carrier.in === 'header') {
		const value = firstValue(request.headers[carrier.name]);
		if (value === undefined || carrier.scheme === undefined) return value;
		const prefix = `${carrier.scheme.toLowerCase()} `;
		return value.toLowerCase().startsWith(prefix) ? value.slice(prefix.length).trim() : value;
	}
	const value = firstValue(request.query[carrier.name]);
	return carrier.cutAt === undefined ? value : value?.split(carrier.cutAt)[0];
}

export type VerificationResult = { ok: true } | { ok: false; reason: 'activating' | 'unregistered' | 'missing' | 'wrong'; message: string };

/** Whether the request carries the expected secret, and if not, the sentence of the 401. */
export function verifyDelivery(request: DeliveryRequest, verification: Verification): VerificationResult {
	if (verification.kind === 'none') return { ok: true };
	if (verification.kind === 'unregistered' && verification.production) {
		return { ok: false, reason: 'activating', message: 'Service unavailable: this trigger is still being activated; retry in a few seconds' };
	}
	if (verification.kind === 'unregistered') {
		return { ok: false, reason: 'unregistered', message: 'Unauthorized: this trigger is not registered on any instance (activate the workflow)' };
	}
	let presented: string | undefined;
	for (const carrier of verification.carriers) {
		presented = presentedBy(request, carrier);
		if (presented !== undefined) break;
	}
	if (secretsMatch(presented, verification.secret)) return { ok: true };
	return presented ? { ok: false, reason: 'wrong', message: verification.wrong } : { ok: false, reason: 'missing', message: verification.missing };
}
