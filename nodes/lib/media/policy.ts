/**
 * What a media download may touch, as pure decisions on plain data: which URLs, which hosts, which
 * connected addresses, how many bytes and how long. A webhook body names the media URL, so whoever can
 * post to the trigger chooses it: without these checks it could aim n8n at its own network (a loopback
 * admin port, the cloud metadata service 169.254.169.254, a database in the same Docker network).
 * `nodes/lib/n8n/guarded-fetch.ts` applies them; the user widens them with the options named in
 * MEDIA_OPTION_NAMES, the same in both triggers and WhatsApp Reply (docs: README, section Security).
 */
import { formatAddress, parseAddress, rangeOf, type AddressRange } from './address';

/** The options' display names, used in every sentence that tells the user how to fix something. */
export const MEDIA_OPTION_NAMES = {
	allowedHosts: 'Media Download Allowed Hosts',
	maxSize: 'Media Max Size (MB)',
	timeout: 'Media Download Timeout (s)',
} as const;

export const DEFAULT_MEDIA_MAX_MB = 25;
export const DEFAULT_MEDIA_TIMEOUT_SECONDS = 10;
/** Bounds for the options: a bigger file belongs in object storage, a longer wait holds the webhook answer. */
export const MEDIA_MAX_MB_LIMIT = 1024;
export const MEDIA_TIMEOUT_SECONDS_LIMIT = 120;
/** WhatsApp CDNs and S3-style storage redirect once or twice at most. */
export const MAX_MEDIA_REDIRECTS = 5;

export interface MediaLimits {
	maxBytes: number;
	timeoutMs: number;
	/** Normalised host names (lower case, no trailing dot) or IP addresses; `*.example.com` matches subdomains. */
	allowedHosts: readonly string[];
	maxRedirects: number;
}

export interface MediaOptionValues {
	maxSizeMb?: unknown;
	timeoutSeconds?: unknown;
	/** Comma-, space- or newline-separated text, or a list. */
	allowedHosts?: unknown;
}

function numberIn(value: unknown, fallback: number, min: number, max: number): number {
	const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof number !== 'number' || !Number.isFinite(number) || number <= 0) return fallback;
	return Math.min(Math.max(number, min), max);
}

/** The trigger options → limits; missing or nonsensical values fall back to the defaults. */
export function mediaLimits(options: MediaOptionValues = {}): MediaLimits {
	const maxMb = numberIn(options.maxSizeMb, DEFAULT_MEDIA_MAX_MB, 0.001, MEDIA_MAX_MB_LIMIT);
	const seconds = numberIn(options.timeoutSeconds, DEFAULT_MEDIA_TIMEOUT_SECONDS, 0.1, MEDIA_TIMEOUT_SECONDS_LIMIT);
	return {
		maxBytes: Math.round(maxMb * 1024 * 1024),
		timeoutMs: Math.round(seconds * 1000),
		allowedHosts: parseAllowedHosts(options.allowedHosts),
		maxRedirects: MAX_MEDIA_REDIRECTS,
	};
}

/**
 * `minio.internal:9000, 10.0.0.5\n*.s3.local` → ['minio.internal', '10.0.0.5', '*.s3.local']. Each entry
 * is normalised like a URL's host (so `0x0a.0.0.5` is 10.0.0.5); ports, schemes and paths are ignored.
 */
export function parseAllowedHosts(value: unknown): string[] {
	const entries = Array.isArray(value) ? value.filter((entry): entry is string => typeof entry === 'string') : typeof value === 'string' ? value.split(/[\s,;]+/) : [];
	const hosts: string[] = [];
	for (const entry of entries) {
		let text = entry.trim().toLowerCase();
		if (text === '') continue;
		const wildcard = text.startsWith('*.');
		if (wildcard) text = text.slice(2);
		const host = normalisedHost(/^[a-z][a-z0-9+.-]*:\/\//.test(text) ? text : `http://${text}`);
		if (host && !hosts.includes(wildcard ? `*.${host}` : host)) hosts.push(wildcard ? `*.${host}` : host);
	}
	return hosts;
}

function normalisedHost(urlText: string): string | null {
	try {
		const host = new URL(urlText).hostname;
		return host === '' ? null : stripDot(host);
	} catch {
		return null;
	}
}

function stripDot(host: string): string {
	return host.endsWith('.') ? host.slice(0, -1) : host;
}

/** Whether the user listed this (normalised) host, exactly or under a `*.` entry. */
export function isAllowListed(host: string, allowedHosts: readonly string[]): boolean {
	const plain = stripDot(host.toLowerCase());
	return allowedHosts.some((entry) => (entry.startsWith('*.') ? plain.endsWith(entry.slice(1)) : plain === entry));
}

/**
 * Names that only ever mean "this machine" or "this network" (RFC 6761 `localhost`, mDNS `.local`,
 * `.internal` as GCP's metadata.google.internal and Docker Desktop's host.docker.internal use it,
 * `.home.arpa`), and single-label names (`minio`, `redis`, `evolution-api`: Docker service names).
 */
export function internalNameKind(host: string): string | null {
	const name = stripDot(host.toLowerCase());
	if (name === 'localhost' || name.endsWith('.localhost') || name === 'localhost.localdomain' || name === 'ip6-localhost' || name === 'ip6-loopback') {
		return 'a name for this machine';
	}
	if (/\.(local|internal|localdomain|home\.arpa|lan|intranet)$/.test(name)) return 'a local-network name';
	if (!name.includes('.')) return 'a name without a domain (such as a Docker service name)';
	return null;
}

const RANGE_WORDS: Record<AddressRange, string> = {
	unspecified: 'the unspecified address (it reaches this machine)',
	loopback: 'a loopback address (this machine)',
	private: 'a private-network address',
	'shared (CGNAT)': 'a carrier-grade NAT address (100.64.0.0/10)',
	'link-local': 'a link-local address (this includes the cloud metadata service 169.254.169.254)',
	'unique-local': 'a unique-local IPv6 address (a private network)',
	multicast: 'a multicast address',
	reserved: 'a reserved address',
};

function allowHint(host: string): string {
	return (
		`Media is only downloaded from public addresses. If this is your own media server on a private network ` +
		`(a self-hosted MinIO, for example), add "${host}" to the node option ${MEDIA_OPTION_NAMES.allowedHosts}.`
	);
}

/** The URL without query and fragment, for messages (a presigned URL's signature stays out of logs). */
export function displayUrl(url: string): string {
	try {
		const parsed = new URL(url);
		return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
	} catch {
		return url.split(/[?#]/)[0].slice(0, 200);
	}
}

export type UrlDecision = { ok: true; url: string; host: string; allowListed: boolean } | { ok: false; reason: string };

/**
 * Before any connection: the URL's scheme and host. IP literals are judged by range in whatever
 * spelling they came (URL parsing turns `http://2130706433/`, `http://0x7f.1/`, `http://[::ffff:7f00:1]/`
 * into their canonical form; the address parser judges them again, independently of that).
 */
export function checkMediaUrl(raw: string, allowedHosts: readonly string[]): UrlDecision {
	let url: URL;
	try {
		url = new URL(raw.trim());
	} catch {
		return { ok: false, reason: `The media URL "${raw.slice(0, 200)}" is not a valid URL.` };
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') {
		return { ok: false, reason: `The media at ${displayUrl(url.href)} was not downloaded: only http and https URLs are, not ${url.protocol.slice(0, 20)} URLs.` };
	}
	const host = stripDot(url.hostname.toLowerCase());
	const shown = displayUrl(url.href);
	if (host === '') return { ok: false, reason: `The media URL ${shown} has no host.` };
	if (isAllowListed(host, allowedHosts)) return { ok: true, url: url.href, host, allowListed: true };
	const address = parseAddress(host);
	if (address) {
		const range = rangeOf(address);
		if (range) return { ok: false, reason: `The media at ${shown} was not downloaded: ${formatAddress(address)} is ${RANGE_WORDS[range]}. ${allowHint(host)}` };
		return { ok: true, url: url.href, host, allowListed: false };
	}
	const kind = internalNameKind(host);
	if (kind) return { ok: false, reason: `The media at ${shown} was not downloaded: "${host}" is ${kind}. ${allowHint(host)}` };
	return { ok: true, url: url.href, host, allowListed: false };
}

/**
 * After connecting: the address that actually answered (what the host name resolved to at that
 * moment, so a DNS answer that changes between a check and the connection is caught here).
 * `null` = the HTTP client does not tell (n8n 2.40.7 hands out a plain stream without its socket): then
 * the name must have been resolved and checked before the request (`checkedBeforehand`, n8n's egress
 * filter), else the download is refused.
 */
export function checkConnectedAddress(remoteAddress: string | null | undefined, host: string, url: string, checkedBeforehand = false): string | null {
	const shown = displayUrl(url);
	if (!remoteAddress) return checkedBeforehand ? null : `The media at ${shown} was not downloaded: the address that answered could not be verified.`;
	const address = parseAddress(remoteAddress);
	if (!address) return `The media at ${shown} was not downloaded: the address that answered (${remoteAddress.slice(0, 60)}) could not be read.`;
	const range = rangeOf(address);
	if (!range) return null;
	return `The media at ${shown} was not downloaded: "${host}" resolved to ${formatAddress(address)}, ${RANGE_WORDS[range]}. ${allowHint(host)}`;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

export type ResponseDecision =
	| { kind: 'read' }
	| { kind: 'redirect'; url: string }
	| { kind: 'fail'; reason: string };

/** What to do with a response's status line and headers (before reading any body byte). */
export function decideResponse(
	status: number,
	headers: Record<string, unknown>,
	url: string,
	redirectsSoFar: number,
	limits: Pick<MediaLimits, 'maxBytes' | 'maxRedirects'>,
): ResponseDecision {
	const shown = displayUrl(url);
	if (REDIRECT_STATUSES.has(status)) {
		const location = headerText(headers, 'location');
		if (!location) return { kind: 'fail', reason: `The media server at ${shown} answered ${status} (a redirect) without saying where to.` };
		if (redirectsSoFar >= limits.maxRedirects) return { kind: 'fail', reason: `The media at ${shown} was not downloaded: more than ${limits.maxRedirects} redirects.` };
		try {
			return { kind: 'redirect', url: new URL(location, url).href };
		} catch {
			return { kind: 'fail', reason: `The media server at ${shown} redirected to an invalid URL.` };
		}
	}
	if (status < 200 || status > 299) return { kind: 'fail', reason: `The media server answered ${status} for ${shown}; check that the file still exists and is readable without a login.` };
	const length = headerText(headers, 'content-length');
	if (length !== null && /^\d+$/.test(length.trim()) && Number(length) > limits.maxBytes) {
		return { kind: 'fail', reason: tooLargeReason(shown, limits.maxBytes, Number(length)) };
	}
	return { kind: 'read' };
}

export function tooLargeReason(shown: string, maxBytes: number, size?: number): string {
	const limit = formatMegabytes(maxBytes);
	const what = size === undefined ? `is larger than ${limit}` : `is ${formatMegabytes(size)}, more than ${limit}`;
	return `The media at ${displayUrl(shown)} was not downloaded: the file ${what}. Raise the node option ${MEDIA_OPTION_NAMES.maxSize} to accept bigger files.`;
}

export function timeoutReason(url: string, timeoutMs: number): string {
	return `The media at ${displayUrl(url)} was not downloaded within ${timeoutMs / 1000} s. Raise the node option ${MEDIA_OPTION_NAMES.timeout} if the server is slow.`;
}

function formatMegabytes(bytes: number): string {
	const megabytes = bytes / (1024 * 1024);
	return `${megabytes >= 10 ? Math.round(megabytes) : Math.round(megabytes * 100) / 100} MB`;
}

/** A header's value as text (first one of a list), case-insensitively. */
export function headerText(headers: Record<string, unknown>, name: string): string | null {
	for (const key of Object.keys(headers)) {
		if (key.toLowerCase() !== name) continue;
		const value = headers[key];
		if (typeof value === 'string') return value;
		if (typeof value === 'number') return String(value);
		if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
	}
	return null;
}
