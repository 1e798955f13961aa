/**
 * Shared rig for the Evolution API Trigger integration tests (evolution-trigger.*.test.ts): one
 * Evolution double of a dialect plus NodeHosts running the real trigger node over real HTTP on 127.0.0.1.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { EvolutionApiTrigger } from '../../nodes/EvolutionApiTrigger/EvolutionApiTrigger.node';
import type { NormalizedItem } from '../../nodes/lib/model/item';
import { EvolutionDouble, type DoubleDialect } from '../support/evolution-double';
import { NodeHost, type HostExecution } from '../support/node-host';

export const DIALECTS: readonly DoubleDialect[] = ['v1', 'v2.0', 'v2.1', 'v2.3'];
/** The dialects whose version (2.2.3, 2.3.6) sends custom headers: the secret travels as a header there. */
export const HEADER_DIALECTS: readonly DoubleDialect[] = ['v2.1', 'v2.3'];

export const INSTANCE = 'inst1';
export const OTHER_INSTANCE = 'inst2';
export const OWNER_JID = '5511911112222@s.whatsapp.net';
export const SECRET_HEADER = 'x-n8n-evolution-secret';
export const SECRET_QUERY = 'n8nSecret';

export function secretInHeader(dialect: DoubleDialect): boolean {
	return HEADER_DIALECTS.includes(dialect);
}

const doubles: EvolutionDouble[] = [];
const hosts: NodeHost[] = [];

export async function startDouble(dialect: DoubleDialect, version?: string): Promise<EvolutionDouble> {
	const double = new EvolutionDouble({
		dialect,
		version,
		instances: [
			{ name: INSTANCE, token: 'inst1-token', ownerJid: OWNER_JID, profileName: 'Shop' },
			{ name: OTHER_INSTANCE, token: 'inst2-token', ownerJid: '5511933334444@s.whatsapp.net' },
		],
	});
	await double.start();
	doubles.push(double);
	return double;
}

export function triggerParameters(overrides: INodeParameters = {}): INodeParameters {
	return { mode: 'register', instance: INSTANCE, events: ['MESSAGES_UPSERT'], options: {}, ...overrides };
}

/** A trigger node (not activated) whose credential points at the double (or `baseUrl`) with the global key. */
export async function triggerHost(
	double: EvolutionDouble,
	parameters: INodeParameters = {},
	baseUrl = double.baseUrl,
	apiKey = double.globalKey,
	hostOptions: { requestTimeoutMs?: number; typeVersion?: number; nodeId?: string; webhookId?: string; workflowId?: string } = {},
): Promise<NodeHost> {
	const host = await NodeHost.create({
		nodeType: new EvolutionApiTrigger(),
		parameters: triggerParameters(parameters),
		credentials: { evolutionApi: { baseUrl, apiKey } },
		...hostOptions,
	});
	hosts.push(host);
	await host.listen();
	return host;
}

const proxies: Server[] = [];

export async function closeAll(): Promise<void> {
	for (const host of hosts.splice(0)) await host.close();
	for (const proxy of proxies.splice(0)) {
		proxy.closeAllConnections();
		await new Promise<void>((resolve) => proxy.close(() => resolve()));
	}
	for (const double of doubles.splice(0)) await double.stop();
}

/**
 * A pass-through proxy on 127.0.0.1 in front of the double. Right after the server stored the next
 * `POST /webhook/set`, `afterSet` runs once: answering `'drop'` drops the connection instead of the answer
 * (the server did the write, the client only sees a reset). Answers the proxy's base URL.
 */
export async function proxyAfterNextSet(double: EvolutionDouble, afterSet: () => 'drop' | 'answer'): Promise<string> {
	let armed = true;
	const proxy = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			void (async () => {
				const headers: Record<string, string> = {};
				for (const name of ['apikey', 'content-type', 'accept']) {
					const value = req.headers[name];
					if (typeof value === 'string') headers[name] = value;
				}
				const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
				const answer = await fetch(`${double.baseUrl}${req.url ?? '/'}`, { method: req.method, headers, body });
				const text = await answer.text();
				if (armed && req.method === 'POST' && (req.url ?? '').startsWith('/webhook/set/')) {
					armed = false;
					if (afterSet() === 'drop') {
						req.socket.destroy();
						return;
					}
				}
				res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
				res.end(text);
			})();
		});
	});
	await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
	proxies.push(proxy);
	return `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
}

/** The server stores the next set, the client gets a reset instead of its answer (a gateway failure after the fact). */
export function proxyLosingNextSetAnswer(double: EvolutionDouble): Promise<string> {
	return proxyAfterNextSet(double, () => 'drop');
}

/** n8n keys a node's static data by node name (Workflow.getStaticData('node')). */
const NODE_STATIC_KEY = 'node:Evolution API Trigger';

/** The registration create stored in the production ("DB") or test static data, if any. */
export function registrationIn(host: NodeHost, copy: 'production' | 'test' = 'production'): IDataObject | undefined {
	const nodeData = host.staticData[copy]?.[NODE_STATIC_KEY] as IDataObject | undefined;
	return nodeData?.registration as IDataObject | undefined;
}

/** The secret the production registration holds (static data written by create). */
export function productionSecret(host: NodeHost): string {
	const registration = registrationIn(host);
	if (!registration || typeof registration.secret !== 'string') throw new Error('no production registration in static data');
	return registration.secret;
}

/** Simulates lost static data (node renamed, DB restored): the production copy forgets the registration. */
export function forgetProductionRegistration(host: NodeHost): void {
	host.staticData.production = {};
}

/** The error a lifecycle step throws (the test fails when it does not throw). */
export { failureOf } from '../support/failure';

/** The `data` of a recorded Evolution delivery (test/fixtures/evolution/<name>.<v1|v2>.json). */
export function fixtureData(name: string, dialect: DoubleDialect): unknown {
	const generation = dialect === 'v1' ? 'v1' : 'v2';
	const body = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'evolution', `${name}.${generation}.json`), 'utf8')) as IDataObject;
	return body.data;
}

/** Headers (secret header) and URL suffix (secret query) that make a hand-made POST authentic. */
export function authenticPost(dialect: DoubleDialect, secret: string): { headers?: Record<string, string>; suffix?: string } {
	return secretInHeader(dialect) ? { headers: { [SECRET_HEADER]: secret } } : { suffix: `?${SECRET_QUERY}=${secret}` };
}

/** The items of one output of an execution, as normalized items. */
export function itemsOf(execution: HostExecution | undefined, output = 0): NormalizedItem[] {
	if (!execution) throw new Error('no execution');
	return execution.items[output].map((entry) => entry.json as unknown as NormalizedItem);
}

/** The fields of a v2 row (or v1 find answer) that describe the webhook, without ids and timestamps. */
export function webhookFields(found: unknown): IDataObject | null {
	if (found === null || typeof found !== 'object') return null;
	const { id: _id, createdAt: _createdAt, updatedAt: _updatedAt, instanceId: _instanceId, ...fields } = found as IDataObject;
	return fields;
}
