import type { ICredentialsDecrypted, ICredentialTestFunctions, INodeCredentialTestResult } from 'n8n-workflow';

import { normalizeBaseUrl } from '../evolution/client';
import { judgeKey, judgeRoot, keyCheckPath, type CheckAnswer } from '../evolution/credential-check';

/**
 * The Evolution API credential's test, run by n8n's "Test" / save in the credential dialog (the nodes name it
 * with testedBy). A node-side test, not the credential's declarative `test`: with that, n8n answers a refused
 * connection with the bare error code (ECONNREFUSED) and cannot tell "nothing listens there" from "not an
 * Evolution server". n8n gives credential tests only its legacy request helper.
 */

const TIMEOUT_MS = 10_000;

async function ask(context: ICredentialTestFunctions, url: string, apiKey?: string): Promise<CheckAnswer> {
	try {
		const response = (await context.helpers.request({
			method: 'GET',
			uri: url,
			json: true,
			timeout: TIMEOUT_MS,
			simple: false,
			resolveWithFullResponse: true,
			headers: { Accept: 'application/json', ...(apiKey === undefined ? {} : { apikey: apiKey }) },
		})) as { statusCode?: number; body?: unknown };
		return { status: response.statusCode, body: response.body };
	} catch (error) {
		const record = (error ?? {}) as { code?: unknown; cause?: { code?: unknown }; message?: unknown };
		const code = [record.code, record.cause?.code].find((value): value is string => typeof value === 'string');
		return { networkCode: code, networkMessage: typeof record.message === 'string' ? record.message : String(error) };
	}
}

export async function evolutionApiCredentialTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const data = credential.data ?? {};
	const baseUrl = normalizeBaseUrl(data.baseUrl);
	if (!/^https?:\/\/[^/]/i.test(baseUrl)) {
		return { status: 'Error', message: `The Base URL "${baseUrl}" is not an address: enter it with http:// or https://, e.g. https://api.example.com` };
	}
	const root = judgeRoot(baseUrl, await ask(this, `${baseUrl}/`));
	if ('status' in root) return root;
	const instanceName = String(data.instanceName ?? '').trim();
	const answer = await ask(this, `${baseUrl}${keyCheckPath(instanceName)}`, String(data.apiKey ?? ''));
	return judgeKey({ baseUrl, version: root.version, instanceName, answer });
}
