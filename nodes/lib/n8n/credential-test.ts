import type { ICredentialsDecrypted, ICredentialTestFunctions, INodeCredentialTestResult } from 'n8n-workflow';

import { normalizeBaseUrl } from '../evolution/client';
import { judgeKey, judgeRoot, keyCheckPath, type CheckAnswer } from '../evolution/credential-check';
import { credentialTestVerdict, helpdeskCredentialTestTarget } from '../send/helpdesk-requests';

/**
 * The credentials' tests, run by n8n's "Test" / save in the credential dialog (the nodes name them with
 * testedBy). Node-side tests, not declarative `test`s: with those, n8n answers a refused connection with the
 * bare error code (ECONNREFUSED) and cannot tell "nothing listens there" from "not that server".
 */

interface TestRequest {
	method: 'GET' | 'POST';
	url: string;
	headers: Record<string, string>;
	body?: Record<string, unknown>;
	timeoutMs: number;
}

/** One request with whatever status comes back; a network failure as its code and message. */
async function ask(context: ICredentialTestFunctions, request: TestRequest): Promise<CheckAnswer> {
	try {
		// n8n gives credential tests only its legacy request helper (n8n-workflow 2.11: no httpRequest there).
		const response = (await context.helpers.request({
			method: request.method,
			uri: request.url,
			json: true,
			timeout: request.timeoutMs,
			simple: false,
			resolveWithFullResponse: true,
			headers: { Accept: 'application/json', ...request.headers },
			...(request.body === undefined ? {} : { body: request.body }),
		})) as { statusCode?: number; body?: unknown };
		return { status: response.statusCode, body: response.body };
	} catch (error) {
		const record = (error ?? {}) as { code?: unknown; cause?: { code?: unknown }; message?: unknown };
		const code = [record.code, record.cause?.code].find((value): value is string => typeof value === 'string');
		return { networkCode: code, networkMessage: typeof record.message === 'string' ? record.message : String(error) };
	}
}

const EVOLUTION_TIMEOUT_MS = 10_000;
const HELPDESK_TIMEOUT_MS = 15_000;

export async function evolutionApiCredentialTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const data = credential.data ?? {};
	const baseUrl = normalizeBaseUrl(data.baseUrl);
	if (!/^https?:\/\/[^/]/i.test(baseUrl)) {
		return { status: 'Error', message: `The Base URL "${baseUrl}" is not an address: enter it with http:// or https://, e.g. https://api.example.com` };
	}
	const root = judgeRoot(baseUrl, await ask(this, { method: 'GET', url: `${baseUrl}/`, headers: {}, timeoutMs: EVOLUTION_TIMEOUT_MS }));
	if ('status' in root) return root;
	const instanceName = String(data.instanceName ?? '').trim();
	const answer = await ask(this, {
		method: 'GET',
		url: `${baseUrl}${keyCheckPath(instanceName)}`,
		headers: { apikey: String(data.apiKey ?? '') },
		timeoutMs: EVOLUTION_TIMEOUT_MS,
	});
	return judgeKey({ baseUrl, version: root.version, instanceName, answer });
}

/** "Test" in the Helpdesk API credential: an empty send, refused by validation when the token is good. */
export async function helpdeskApiTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
	const target = helpdeskCredentialTestTarget(credential.data ?? {});
	if ('status' in target) return target;
	const answer = await ask(this, {
		method: 'POST',
		url: target.url,
		headers: { Authorization: `Bearer ${String(credential.data?.token ?? '')}` },
		body: {},
		timeoutMs: HELPDESK_TIMEOUT_MS,
	});
	if (answer.networkMessage !== undefined) return { status: 'Error', message: `Could not reach ${target.url}: ${answer.networkMessage}` };
	return credentialTestVerdict(target.product, answer.status, answer.body, target.url);
}
