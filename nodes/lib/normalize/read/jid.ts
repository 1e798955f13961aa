/** WhatsApp addresses: phone-number JIDs, LIDs and groups. */

const PHONE_DOMAINS = new Set(['s.whatsapp.net', 'c.us', 'whatsapp.net']);

/** Digits of a phone-number JID (5511…@s.whatsapp.net, 5511…:12@s.whatsapp.net) or of a bare number. */
export function phoneOf(value: unknown): string | null {
	// A number is a phone only with 5 to 20 digits, like the text form (a count or an id is not).
	if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 10_000 ? String(value) : null;
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
