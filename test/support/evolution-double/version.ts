/**
 * Server versions and what each one can do, for the Evolution API test double.
 * Facts as docs/protocol.md states them; kept apart from the package code on purpose,
 * so the double stays an independent witness of the server's behaviour.
 */

export type DoubleDialect = 'v1' | 'v2.0' | 'v2.1' | 'v2.3';

export const DEFAULT_VERSIONS: Readonly<Record<DoubleDialect, string>> = {
	v1: '1.8.2',
	'v2.0': '2.0.10',
	'v2.1': '2.2.3',
	'v2.3': '2.3.6',
};

export interface ParsedVersion {
	major: number;
	minor: number;
	patch: number;
}

export function parseVersion(version: string): ParsedVersion {
	const match = /^(\d+)\.(\d+)(?:\.(\d+))?/.exec(version.trim());
	if (!match) throw new Error(`Evolution double: cannot read the version "${version}" (expected x.y.z)`);
	return { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3] ?? 0) };
}

/** Negative, zero or positive like a sort comparator. */
export function compareVersions(a: ParsedVersion, b: string): number {
	const other = parseVersion(b);
	return a.major - other.major || a.minor - other.minor || a.patch - other.patch;
}

export function dialectOfVersion(version: ParsedVersion): DoubleDialect {
	if (version.major < 2) return 'v1';
	if (version.major === 2 && version.minor === 0) return 'v2.0';
	if (version.major === 2 && version.minor <= 2) return 'v2.1';
	return 'v2.3';
}

/** Three request/storage styles: v1 flat snake_case, 2.0 flat camelCase, 2.1+ nested with the Prisma row answer. */
export type BodyStyle = 'v1' | 'v2.0' | 'v2.1+';

/** Every version-dependent switch the double needs, worked out once from the version string. */
export interface Capabilities {
	style: BodyStyle;
	/** v1 `webhook_base64` exists from 1.5.3. */
	hasV1Base64: boolean;
	/** `webhook.headers` exists from 2.1.1 (2.1.0 ignores the key). */
	hasHeaders: boolean;
	/** isURL(require_tld:false) at set: v1 to 2.2.x; 2.3.0+ stores any string. */
	checksUrlAtSet: boolean;
	/** At send: v1 to 2.2.x isURL(require_tld:false); 2.3.0+ only /^https?:\/\//. */
	sendUrlCheck: 'isURL' | 'httpRegex';
	/** 2.1.0+: the envelope always carries `apikey` (null when not exposed). */
	apikeyAlwaysInEnvelope: boolean;
	/** 2.3.0+: a `jwt_key` header becomes `Authorization: Bearer <HS256 JWT>`. */
	jwtKeyHeader: boolean;
	/** v2 adds clientName, manager and whatsappWebVersion to GET /. */
	rootHasV2Fields: boolean;
}

export function capabilitiesOf(version: ParsedVersion): Capabilities {
	const dialect = dialectOfVersion(version);
	const style: BodyStyle = dialect === 'v1' ? 'v1' : dialect === 'v2.0' ? 'v2.0' : 'v2.1+';
	const atLeast = (v: string) => compareVersions(version, v) >= 0;
	return {
		style,
		hasV1Base64: style === 'v1' && atLeast('1.5.3'),
		hasHeaders: style === 'v2.1+' && atLeast('2.1.1'),
		checksUrlAtSet: !atLeast('2.3.0'),
		sendUrlCheck: atLeast('2.3.0') ? 'httpRegex' : 'isURL',
		apikeyAlwaysInEnvelope: atLeast('2.1.0'),
		jwtKeyHeader: atLeast('2.3.0'),
		rootHasV2Fields: version.major >= 2,
	};
}
