/**
 * Server versions and the three request dialects they speak (see docs/protocol.md#dialects).
 * v1 = 1.x (flat snake_case), v2.0 = 2.0.x (flat camelCase), v2.1 = 2.1.0 and newer (nested `webhook`).
 */
export type Dialect = 'v1' | 'v2.0' | 'v2.1';

/** What the user picks in "Server Version": detect it, or trust their choice for servers that hide it. */
export type VersionSetting = 'auto' | Dialect;

export interface ServerInfo {
	readonly dialect: Dialect;
	/** The version the server reported, or null when it hid it and the user chose the dialect. */
	readonly version: string | null;
}

/** Newest release of each dialect this package knows; used when the server does not say its version. */
const NEWEST_KNOWN: Record<Dialect, string> = { v1: '1.8.2', 'v2.0': '2.0.10', 'v2.1': '2.3.6' };
const OLDEST_OF: Record<Dialect, string> = { v1: '1.0.0', 'v2.0': '2.0.0', 'v2.1': '2.1.0' };

export function parseVersion(text: unknown): [number, number, number] | undefined {
	if (typeof text !== 'string') return undefined;
	const match = /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(text.trim());
	if (!match) return undefined;
	return [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)];
}

/** Negative, zero or positive like a sort comparator. Unparseable versions sort first. */
export function compareVersions(a: string, b: string): number {
	const left = parseVersion(a) ?? [0, 0, 0];
	const right = parseVersion(b) ?? [0, 0, 0];
	for (let index = 0; index < 3; index++) {
		if (left[index] !== right[index]) return left[index] - right[index];
	}
	return 0;
}

export function dialectOfVersion(version: string): Dialect | undefined {
	const parsed = parseVersion(version);
	if (!parsed) return undefined;
	const [major, minor] = parsed;
	if (major <= 1) return 'v1';
	if (major === 2 && minor === 0) return 'v2.0';
	return 'v2.1';
}

/** The version to check event names against: the reported one, else the newest of the chosen dialect. */
export function versionForEventChecks(server: ServerInfo): string {
	return server.version ?? NEWEST_KNOWN[server.dialect];
}

/**
 * Custom webhook headers exist from 2.1.1 (older servers ignore them silently). When the version is
 * unknown we assume the oldest release of the dialect, so a secret never depends on a header the
 * server might drop.
 */
export function supportsWebhookHeaders(server: ServerInfo): boolean {
	return compareVersions(server.version ?? OLDEST_OF[server.dialect], '2.1.1') >= 0;
}

export function describeServer(server: ServerInfo): string {
	return server.version ? `Evolution API ${server.version}` : `an Evolution API server (${server.dialect} dialect, version hidden)`;
}
