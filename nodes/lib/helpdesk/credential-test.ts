import type { ICredentialsDecrypted, ICredentialTestFunctions, INodeCredentialTestResult } from 'n8n-workflow';

import { credentialTestVerdict, helpdeskSendPath } from '../send/helpdesk-requests';

/** "Test" in the Helpdesk API credential: an empty send, refused by validation when the token is good. */
export async function helpdeskApiTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
	const data = credential.data ?? {};
	const product = data.product === 'izing' || data.product === 'whaticket' ? data.product : 'whazing';
	const baseUrl = String(data.baseUrl ?? '').trim().replace(/\/+$/, '');
	if (!/^https?:\/\/[^/]/i.test(baseUrl)) return { status: 'Error', message: 'Enter the Base URL with http:// or https://' };
	const apiId = String(data.apiId ?? '').trim();
	if (product !== 'whaticket' && apiId === '') return { status: 'Error', message: 'Enter the API ID (Automação e Integrações → API)' };
	const url = `${baseUrl}${helpdeskSendPath(product, apiId)}`;
	try {
		// ICredentialTestFunctions offers only `request` (n8n-workflow 2.11 has no httpRequest there).
		// eslint-disable-next-line @n8n/community-nodes/no-deprecated-workflow-functions
		const response = (await this.helpers.request({
			method: 'POST',
			uri: url,
			headers: { Authorization: `Bearer ${String(data.token ?? '')}`, Accept: 'application/json' },
			body: {},
			json: true,
			simple: false,
			resolveWithFullResponse: true,
			timeout: 15_000,
		})) as { statusCode?: number; body?: unknown };
		return credentialTestVerdict(product, response.statusCode, response.body, url);
	} catch (error) {
		return { status: 'Error', message: `Could not reach ${url}: ${error instanceof Error ? error.message : String(error)}` };
	}
}
