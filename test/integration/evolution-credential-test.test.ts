/**
 * The Evolution API credential's test (the nodes' testedBy function) in n8n-core's real CredentialTestContext,
 * over real HTTP on 127.0.0.1 against the Evolution double of each dialect and auth mode: the global key, an
 * instance token with and without Instance Name (1.x with a database and with the file store, 2.x), a wrong key,
 * a wrong port and a server that is not Evolution. Then the instance dropdown for the same keys.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { INodeType } from 'n8n-workflow';

import { EvolutionApi } from '../../nodes/EvolutionApi/EvolutionApi.node';
import { EvolutionApiTrigger } from '../../nodes/EvolutionApiTrigger/EvolutionApiTrigger.node';
import { EvolutionApiWebhook } from '../../nodes/EvolutionApiWebhook/EvolutionApiWebhook.node';
import { EvolutionDouble, type DoubleDialect } from '../support/evolution-double';
import { NodeHost } from '../support/node-host';

const INSTANCES = [
	{ name: 'vendas', token: 'vendas-token', connectionStatus: 'open' as const, profileName: 'Loja' },
	{ name: 'suporte', token: 'suporte-token', connectionStatus: 'close' as const },
];
const CHATWOOT_URL = 'https://chatwoot.example.com/webhooks/whatsapp/+5511999990000?secret=abc';

const hosts: NodeHost[] = [];
const doubles: EvolutionDouble[] = [];
const servers: Server[] = [];

afterEach(async () => {
	for (const host of hosts.splice(0)) await host.close();
	for (const double of doubles.splice(0)) await double.stop();
	for (const server of servers.splice(0)) await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function startDouble(dialect: DoubleDialect, v1Storage?: 'database' | 'file'): Promise<EvolutionDouble> {
	const double = new EvolutionDouble({ dialect, instances: INSTANCES, v1Storage });
	doubles.push(double);
	await double.start();
	return double;
}

async function hostWith(nodeType: INodeType, credentials: Record<string, string>): Promise<NodeHost> {
	const host = await NodeHost.create({ nodeType, parameters: { resource: 'webhook', operation: 'find', instance: '' }, credentials: { evolutionApi: credentials } });
	hosts.push(host);
	return host;
}

async function testOf(credentials: Record<string, string>, nodeType: INodeType = new EvolutionApi()) {
	return (await hostWith(nodeType, credentials)).testCredential('evolutionApi', credentials);
}

/** A port nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	await new Promise<void>((resolve) => server.close(() => resolve()));
	return port;
}

const AUTH_MODES: Array<{ dialect: DoubleDialect; v1Storage?: 'database' | 'file'; label: string; tokenListsInstances: boolean }> = [
	{ dialect: 'v1', v1Storage: 'file', label: 'Evolution 1.8 with the file store', tokenListsInstances: false },
	{ dialect: 'v1', v1Storage: 'database', label: 'Evolution 1.8 with a database', tokenListsInstances: true },
	{ dialect: 'v2.0', label: 'Evolution 2.0', tokenListsInstances: true },
	{ dialect: 'v2.3', label: 'Evolution 2.3', tokenListsInstances: true },
];

describe.each(AUTH_MODES)('credential test against $label', ({ dialect, v1Storage, tokenListsInstances }) => {
	it('the global key: connected, naming the server version', async () => {
		const double = await startDouble(dialect, v1Storage);
		const result = await testOf({ baseUrl: double.baseUrl, apiKey: double.globalKey });
		expect(result).toEqual({ status: 'OK', message: `Connected to Evolution API ${double.version} at ${double.baseUrl}.` });
		expect(double.requestsTo('GET', '/instance/fetchInstances')[0].headers.apikey).toBe(double.globalKey);
	});

	it('an instance token with Instance Name: connected, on every version and storage', async () => {
		const double = await startDouble(dialect, v1Storage);
		const result = await testOf({ baseUrl: double.baseUrl, apiKey: 'vendas-token', instanceName: 'vendas' });
		expect(result).toEqual({ status: 'OK', message: `Connected to Evolution API ${double.version} at ${double.baseUrl}; instance "vendas" accepts this key.` });
		expect(double.requestsTo('GET', '/instance/connectionState/vendas')).toHaveLength(1);
		expect(double.requestsTo('GET', '/instance/fetchInstances')).toHaveLength(0);
	});

	it(`an instance token without Instance Name: ${tokenListsInstances ? 'connected (this server lists instances for it)' : 'refused, and the message says to fill in Instance Name'}`, async () => {
		const double = await startDouble(dialect, v1Storage);
		const result = await testOf({ baseUrl: double.baseUrl, apiKey: 'vendas-token' });
		if (tokenListsInstances) expect(result.status).toBe('OK');
		else {
			expect(result.status).toBe('Error');
			expect(result.message).toMatch(/^Wrong API key: Evolution API 1\.8\.\d at .* refused it\./);
			expect(result.message).toContain('fill in Instance Name');
		}
	});

	it('a wrong key: "Wrong API key", naming the server', async () => {
		const double = await startDouble(dialect, v1Storage);
		const result = await testOf({ baseUrl: double.baseUrl, apiKey: 'not-the-key' });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(new RegExp(`^Wrong API key: Evolution API ${double.version.replace(/\./g, '\\.')} at `));
	});

	it("another instance's token with Instance Name: wrong key for that instance", async () => {
		const double = await startDouble(dialect, v1Storage);
		const result = await testOf({ baseUrl: double.baseUrl, apiKey: 'suporte-token', instanceName: 'vendas' });
		expect(result).toEqual({ status: 'Error', message: expect.stringContaining('refused it for instance "vendas"') });
	});

	it('an Instance Name the server lacks: says so, not "wrong key"', async () => {
		const double = await startDouble(dialect, v1Storage);
		const result = await testOf({ baseUrl: double.baseUrl, apiKey: double.globalKey, instanceName: 'ghost' });
		expect(result).toEqual({ status: 'Error', message: expect.stringContaining('has no instance "ghost"') });
	});

	it(`the instance dropdown with an instance token ${tokenListsInstances ? 'lists its instance' : 'and Instance Name lists that instance'}`, async () => {
		const double = await startDouble(dialect, v1Storage);
		const host = await hostWith(new EvolutionApi(), { baseUrl: double.baseUrl, apiKey: 'vendas-token', instanceName: 'vendas' });
		const options = await host.loadOptions('getInstances');
		expect(options.map((option) => option.value)).toEqual(['vendas']);
		expect(options[0].name).toMatch(/^vendas( \(open\))? — no webhook$/);
	});
});

describe('credential test: what is at the address', () => {
	it('a wrong port: nothing listens at that address', async () => {
		const port = await closedPort();
		const result = await testOf({ baseUrl: `http://127.0.0.1:${port}`, apiKey: 'any' });
		expect(result).toEqual({
			status: 'Error',
			message: `Could not connect to http://127.0.0.1:${port}: nothing listens at that address (connection refused): check the host and the port.`,
		});
	});

	it('a server that is not Evolution: says so, before any key is sent', async () => {
		const seen: string[] = [];
		const server = createServer((req, res) => {
			seen.push(`${req.method} ${req.url} ${req.headers.apikey ?? ''}`);
			res.writeHead(200, { 'content-type': 'text/html' });
			res.end('<html><body>It works!</body></html>');
		});
		servers.push(server);
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
		const result = await testOf({ baseUrl, apiKey: 'secret-key' });
		expect(result.status).toBe('Error');
		expect(result.message).toBe(
			`${baseUrl} answered (HTTP 200), but it is not an Evolution API server: GET / did not return the Evolution welcome with a version. Check the Base URL, including any path prefix (e.g. https://api.example.com/whatsapp).`,
		);
		expect(seen).toEqual(['GET / ']);
	});

	it('a Base URL missing its path prefix: not an Evolution server at that path', async () => {
		const double = new EvolutionDouble({ dialect: 'v2.3', instances: INSTANCES, pathPrefix: '/whatsapp' });
		doubles.push(double);
		await double.start();
		const root = double.baseUrl.replace(/\/whatsapp$/, '');
		const result = await testOf({ baseUrl: root, apiKey: double.globalKey });
		expect(result.message).toMatch(/answered \(HTTP 404\), but it is not an Evolution API server/);
		expect((await testOf({ baseUrl: `${double.baseUrl}/`, apiKey: double.globalKey })).status).toBe('OK');
	});

	it('a Base URL without http(s): says how to write it, sends nothing', async () => {
		expect(await testOf({ baseUrl: 'api.example.com', apiKey: 'k' })).toEqual({ status: 'Error', message: expect.stringContaining('enter it with http:// or https://') });
	});

	it('every node that uses the credential names the same test', async () => {
		for (const node of [new EvolutionApi(), new EvolutionApiWebhook(), new EvolutionApiTrigger()]) {
			expect(node.description.credentials?.find((credential) => credential.name === 'evolutionApi')?.testedBy).toBe('evolutionApiCredentialTest');
			expect(typeof node.methods?.credentialTest?.evolutionApiCredentialTest).toBe('function');
		}
	});
});

describe('instance dropdown: where each webhook points', () => {
	it('labels every instance with its webhook host, marks n8n workflows, and hides secrets in the query', async () => {
		const double = await startDouble('v2.3');
		double.seedWebhook('vendas', { url: CHATWOOT_URL, events: ['MESSAGES_UPSERT'] });
		double.seedWebhook('suporte', { url: 'https://n8n.example.com/webhook/6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f/webhook?n8nSecret=xyz', enabled: false });
		const options = await (await hostWith(new EvolutionApi(), { baseUrl: double.baseUrl, apiKey: double.globalKey })).loadOptions('getInstances');
		expect(options).toEqual([
			{ name: 'suporte (close) — webhook off (n8n workflow at n8n.example.com)', value: 'suporte', description: 'https://n8n.example.com/webhook/6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f/webhook' },
			{ name: 'vendas (open) — webhook: chatwoot.example.com', value: 'vendas', description: 'Loja · https://chatwoot.example.com/webhooks/whatsapp/+5511999990000' },
		]);
		expect(JSON.stringify(options)).not.toMatch(/secret=abc|n8nSecret/);
	});

	it('a failing find leaves only that entry without its webhook; the list still loads', async () => {
		const double = await startDouble('v2.3');
		double.seedWebhook('vendas', { url: CHATWOOT_URL, events: ['MESSAGES_UPSERT'] });
		double.failNext('find', { status: 500 });
		const options = await (await hostWith(new EvolutionApi(), { baseUrl: double.baseUrl, apiKey: double.globalKey })).loadOptions('getInstances');
		expect(options.map((option) => option.value)).toEqual(['suporte', 'vendas']);
		const plain = options.filter((option) => !String(option.name).includes(' — '));
		expect(plain).toHaveLength(1);
	});

	it('looks up at most 20 webhooks however many instances there are', async () => {
		const many = Array.from({ length: 30 }, (_, index) => ({ name: `inst${String(index).padStart(2, '0')}`, token: `t${index}` }));
		const double = new EvolutionDouble({ dialect: 'v2.3', instances: many });
		doubles.push(double);
		await double.start();
		const options = await (await hostWith(new EvolutionApi(), { baseUrl: double.baseUrl, apiKey: double.globalKey })).loadOptions('getInstances');
		expect(options).toHaveLength(30);
		expect(double.requestsTo('GET', '/webhook/find/')).toHaveLength(20);
		expect(options.filter((option) => String(option.name).includes(' — '))).toHaveLength(20);
	});
});
