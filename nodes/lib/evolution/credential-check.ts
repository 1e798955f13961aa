import { explainFailure } from './errors';

/**
 * The credential test as a pure decision: what GET / and the key check answered → one plain sentence.
 * Two calls, because a single authenticated call cannot tell the three failures apart:
 * 1. GET / is unauthenticated on every version and answers the Evolution welcome with a `version`: no answer
 *    means nothing listens at that address; an answer without it means another server lives there.
 * 2. The key check. An instance token may call only routes that carry the instance name (1.x and 2.x auth
 *    guards), and 1.x without a database refuses it on /instance/fetchInstances (it looks tokens up in the
 *    database only), so with an Instance Name the check is GET /instance/connectionState/{instance}, which
 *    every version lets the global key and that instance's token call; without one, /instance/fetchInstances.
 */

export interface CheckAnswer {
	/** HTTP status; absent when no answer came back. */
	status?: number;
	body?: unknown;
	/** ECONNREFUSED, ENOTFOUND, ETIMEDOUT… when no answer came back. */
	networkCode?: string;
	networkMessage?: string;
}

export interface CredentialCheckResult {
	status: 'OK' | 'Error';
	message: string;
}

const NOTHING_LISTENS: Record<string, string> = {
	ECONNREFUSED: 'nothing listens at that address (connection refused): check the host and the port',
	ENOTFOUND: 'the host name does not resolve: check its spelling',
	EAI_AGAIN: 'the host name does not resolve: check its spelling and the DNS of the n8n machine',
	ETIMEDOUT: 'no answer in time: check the address, the port and any firewall between n8n and the server',
	ECONNABORTED: 'no answer in time: check the address, the port and any firewall between n8n and the server',
	ECONNRESET: 'the connection was closed without an answer: check the port and whether it needs https://',
	EHOSTUNREACH: 'the host cannot be reached from the n8n machine',
	EPROTO: 'the TLS handshake failed: check http:// versus https:// and the port',
};

/** The path the key check calls. */
export function keyCheckPath(instanceName: string): string {
	return instanceName === '' ? '/instance/fetchInstances' : `/instance/connectionState/${encodeURIComponent(instanceName)}`;
}

function versionOf(body: unknown): string | undefined {
	if (typeof body !== 'object' || body === null) return undefined;
	const version = (body as Record<string, unknown>).version;
	return typeof version === 'string' && version !== '' ? version : undefined;
}

/** Step 1: is an Evolution API server answering at the Base URL? Answers its version, or the failure. */
export function judgeRoot(baseUrl: string, root: CheckAnswer): { version: string } | CredentialCheckResult {
	if (root.status === undefined) {
		const why = NOTHING_LISTENS[root.networkCode ?? ''] ?? `no answer (${root.networkMessage ?? 'unknown error'})`;
		return { status: 'Error', message: `Could not connect to ${baseUrl}: ${why}.` };
	}
	const version = root.status >= 200 && root.status < 300 ? versionOf(root.body) : undefined;
	if (version === undefined) {
		return {
			status: 'Error',
			message: `${baseUrl} answered (HTTP ${root.status}), but it is not an Evolution API server: GET / did not return the Evolution welcome with a version. Check the Base URL, including any path prefix (e.g. https://api.example.com/whatsapp).`,
		};
	}
	return { version };
}

/** Step 2: did the server accept the key? */
export function judgeKey(input: { baseUrl: string; version: string; instanceName: string; answer: CheckAnswer }): CredentialCheckResult {
	const { baseUrl, version, instanceName, answer } = input;
	const server = `Evolution API ${version} at ${baseUrl}`;
	const path = keyCheckPath(instanceName);
	if (answer.status === undefined) {
		const why = NOTHING_LISTENS[answer.networkCode ?? ''] ?? answer.networkMessage ?? 'no answer';
		return { status: 'Error', message: `${server} stopped answering during the key check: ${why}.` };
	}
	if (answer.status >= 200 && answer.status < 300) {
		return {
			status: 'OK',
			message: instanceName === '' ? `Connected to ${server}.` : `Connected to ${server}; instance "${instanceName}" accepts this key.`,
		};
	}
	if (answer.status === 401 || answer.status === 403) {
		return {
			status: 'Error',
			message:
				instanceName === ''
					? `Wrong API key: ${server} refused it. Use the global key (AUTHENTICATION_API_KEY). For an instance token, also fill in Instance Name: Evolution API 1.x without a database lists instances only with the global key.`
					: `Wrong API key: ${server} refused it for instance "${instanceName}". Use that instance's token or the global key (AUTHENTICATION_API_KEY).`,
		};
	}
	const explained = explainFailure({ method: 'GET', url: `${baseUrl}${path}`, instance: instanceName || undefined, status: answer.status, body: answer.body });
	if (explained.kind === 'instance-not-found') {
		return { status: 'Error', message: `${server} has no instance "${instanceName}": use the name exactly as the Evolution manager shows it, or leave Instance Name empty.` };
	}
	return { status: 'Error', message: `${explained.message}. ${explained.description}` };
}
