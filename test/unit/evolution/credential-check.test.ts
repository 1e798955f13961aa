import { judgeKey, judgeRoot, keyCheckPath } from '../../../nodes/lib/evolution/credential-check';
import { webhookSummary } from '../../../nodes/lib/evolution/instance-options';

const BASE = 'https://api.example.com';

describe('credential check: GET /', () => {
	it.each([
		['ECONNREFUSED', 'nothing listens at that address'],
		['ENOTFOUND', 'the host name does not resolve'],
		['ETIMEDOUT', 'no answer in time'],
		['EPROTO', 'http:// versus https://'],
	])('%s reads as "%s"', (networkCode, words) => {
		const result = judgeRoot(BASE, { networkCode, networkMessage: 'x' });
		expect(result).toEqual({ status: 'Error', message: expect.stringContaining(words) });
	});

	it('an unknown network failure keeps its own message', () => {
		expect(judgeRoot(BASE, { networkMessage: 'socket hang up' })).toEqual({ status: 'Error', message: `Could not connect to ${BASE}: no answer (socket hang up).` });
	});

	it('an answer without an Evolution version is "not an Evolution API server", whatever its status', () => {
		for (const answer of [{ status: 200, body: '<html>' }, { status: 200, body: { status: 200 } }, { status: 404, body: {} }, { status: 502 }]) {
			expect(judgeRoot(BASE, answer)).toEqual({ status: 'Error', message: expect.stringContaining('is not an Evolution API server') });
		}
	});

	it('the Evolution welcome gives the version', () => {
		expect(judgeRoot(BASE, { status: 200, body: { status: 200, message: 'Welcome to the Evolution API, it is working!', version: '1.8.1' } })).toEqual({ version: '1.8.1' });
	});
});

describe('credential check: the key', () => {
	const base = { baseUrl: BASE, version: '2.3.6' };

	it('asks fetchInstances without an instance name, connectionState with one', () => {
		expect(keyCheckPath('')).toBe('/instance/fetchInstances');
		expect(keyCheckPath('loja centro')).toBe('/instance/connectionState/loja%20centro');
	});

	it('401 and 403 are a wrong key; without an instance name the message names the instance-token way out', () => {
		for (const status of [401, 403]) {
			const result = judgeKey({ ...base, instanceName: '', answer: { status } });
			expect(result.status).toBe('Error');
			expect(result.message).toMatch(/^Wrong API key: Evolution API 2\.3\.6 at https:\/\/api\.example\.com refused it\./);
			expect(result.message).toContain('fill in Instance Name');
		}
		expect(judgeKey({ ...base, instanceName: 'vendas', answer: { status: 401 } }).message).toContain('for instance "vendas"');
	});

	it('404 for a named instance is a missing instance, not a wrong key', () => {
		const answer = { status: 404, body: { status: 404, error: 'Not Found', response: { message: ['The "ghost" instance does not exist'] } } };
		expect(judgeKey({ ...base, instanceName: 'ghost', answer }).message).toContain('has no instance "ghost"');
	});

	it('any 2xx is connected', () => {
		expect(judgeKey({ ...base, instanceName: '', answer: { status: 200, body: [] } })).toEqual({ status: 'OK', message: `Connected to Evolution API 2.3.6 at ${BASE}.` });
	});
});

describe('webhookSummary (instance dropdown)', () => {
	const config = { url: 'https://chatwoot.example.com/webhooks/x?token=1', enabled: true, events: [], byEvents: false, base64: false, headers: null };

	it('names the host, not the path or the query', () => {
		expect(webhookSummary(config)).toBe('webhook: chatwoot.example.com');
		expect(webhookSummary({ ...config, url: 'http://user:pw@10.0.0.5:8080/hook' })).toBe('webhook: 10.0.0.5:8080');
	});

	it('says off, no webhook, or an n8n workflow', () => {
		expect(webhookSummary({ ...config, enabled: false })).toBe('webhook off (chatwoot.example.com)');
		expect(webhookSummary(null)).toBe('no webhook');
		expect(webhookSummary({ ...config, url: 'https://n8n.example.com/webhook-test/6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f/webhook' })).toBe('webhook: n8n workflow at n8n.example.com');
	});
});
