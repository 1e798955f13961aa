/**
 * The "Event Transport" resource of the Evolution API Webhook node (Find / Set / Disable RabbitMQ, SQS,
 * NATS, Kafka), run through n8n-core's real ExecuteContext against the Evolution double of each version
 * over real HTTP on 127.0.0.1. Expected bodies are written by hand from the Evolution API source
 * (1.x / 2.0.x flat `{enabled, events}`, 2.1+ nested `{rabbitmq: {enabled, events}}`).
 */
import { NodeApiError, type INodeExecutionData, type INodeParameters } from 'n8n-workflow';

import { EvolutionApiWebhook } from '../../nodes/EvolutionApiWebhook/EvolutionApiWebhook.node';
import { EvolutionDouble, type DoubleDialect } from '../support/evolution-double';
import type { TransportSwitches } from '../support/evolution-double/transport-routes';
import { NodeHost } from '../support/node-host';

const INSTANCES = [{ name: 'inst1', token: 'inst1-token', ownerJid: '5511911112222@s.whatsapp.net' }];
const one: INodeExecutionData[] = [{ json: {} }];
const hosts: NodeHost[] = [];
const doubles: EvolutionDouble[] = [];

afterEach(async () => {
	for (const host of hosts.splice(0)) await host.close();
	for (const double of doubles.splice(0)) await double.stop();
});

async function start(dialect: DoubleDialect, version: string, transports: TransportSwitches = {}): Promise<{ double: EvolutionDouble; host: NodeHost }> {
	const double = new EvolutionDouble({ dialect, version, instances: INSTANCES, transports });
	doubles.push(double);
	await double.start();
	const host = await NodeHost.create({
		nodeType: new EvolutionApiWebhook(),
		parameters: {},
		credentials: { evolutionApi: { baseUrl: double.baseUrl, apiKey: double.globalKey } },
	});
	hosts.push(host);
	return { double, host };
}

async function run(host: NodeHost, parameters: INodeParameters): Promise<Record<string, unknown>> {
	const output = await host.execute(one, parameters);
	expect(output).toHaveLength(1);
	expect(output![0]).toHaveLength(1);
	return output![0][0].json;
}

async function failureOf(host: NodeHost, parameters: INodeParameters): Promise<Error> {
	try {
		await host.execute(one, parameters);
	} catch (error) {
		return error as Error;
	}
	throw new Error('expected the execution to fail');
}

const params = (operation: string, fields: Record<string, unknown> = {}): INodeParameters => ({
	resource: 'eventTransport',
	operation,
	transport: 'rabbitmq',
	instance: 'inst1',
	...fields,
}) as INodeParameters;

const transportCalls = (double: EvolutionDouble, transport = 'rabbitmq') =>
	double.requests.filter((request) => request.path.startsWith(`/${transport}/`));

const CASES: Array<{ dialect: DoubleDialect; version: string; nested: boolean }> = [
	{ dialect: 'v1', version: '1.8.2', nested: false },
	{ dialect: 'v2.0', version: '2.0.10', nested: false },
	{ dialect: 'v2.1', version: '2.2.3', nested: true },
	{ dialect: 'v2.3', version: '2.3.6', nested: true },
];

describe.each(CASES)('Event Transport against Evolution $version', ({ dialect, version, nested }) => {
	const body = (enabled: boolean, events: string[]) => (nested ? { rabbitmq: { enabled, events } } : { enabled, events });

	it('Find on an instance without a setting: exists false, publishes nowhere', async () => {
		const { host } = await start(dialect, version);
		expect(await run(host, params('find'))).toEqual({ instance: 'inst1', transport: 'rabbitmq', exists: false, enabled: false, events: [], publishesTo: null });
	});

	it(`Set sends the ${nested ? 'nested' : 'flat'} body, the server stores it, and the answer names exchange, queues and routing keys`, async () => {
		const { double, host } = await start(dialect, version);
		const json = await run(host, params('set', { transportEvents: ['MESSAGES_UPSERT', 'GROUP_PARTICIPANTS_UPDATE'] }));
		const [call] = transportCalls(double);
		expect({ method: call.method, path: call.path, body: call.body }).toEqual({
			method: 'POST',
			path: '/rabbitmq/set/inst1',
			body: body(true, ['MESSAGES_UPSERT', 'GROUP_PARTICIPANTS_UPDATE']),
		});
		expect(double.transports.configOf('inst1', 'rabbitmq')).toEqual({ enabled: true, events: ['MESSAGES_UPSERT', 'GROUP_PARTICIPANTS_UPDATE'] });
		expect(json).toMatchObject({ exists: true, enabled: true, events: ['MESSAGES_UPSERT', 'GROUP_PARTICIPANTS_UPDATE'] });
		expect(json.publishesTo).toEqual({
			exchange: 'inst1',
			exchangeType: 'topic',
			routingKeys: ['messages.upsert', 'group-participants.update'],
			queues: ['inst1.messages.upsert', 'inst1.group-participants.update'],
		});
		// Find reads back what Set stored.
		expect(await run(host, params('find'))).toMatchObject({ exists: true, enabled: true, events: ['MESSAGES_UPSERT', 'GROUP_PARTICIPANTS_UPDATE'] });
	});

	it('Set with no events sends the explicit list of every delivered event of this version (never a missing key)', async () => {
		const { double, host } = await start(dialect, version);
		await run(host, params('set', { transportEvents: [] }));
		const sent = transportCalls(double)[0].body as Record<string, unknown>;
		const events = ((nested ? (sent.rabbitmq as Record<string, unknown>) : sent).events as string[]);
		expect(events).toContain('MESSAGES_UPSERT');
		expect(events).not.toContain('APPLICATION_STARTUP');
		expect(events.every((name) => double.eventsEnum.includes(name))).toBe(true);
	});

	it('Disable turns it off (changed true); a second Disable sends nothing (changed false)', async () => {
		const { double, host } = await start(dialect, version);
		await run(host, params('set', { transportEvents: ['MESSAGES_UPSERT'] }));
		double.clearRecords();
		expect(await run(host, params('disable'))).toMatchObject({ enabled: false, publishesTo: null, changed: true });
		const sets = transportCalls(double).filter((call) => call.method === 'POST');
		expect(sets.map((call) => call.body)).toEqual([body(false, [])]);
		expect(double.transports.configOf('inst1', 'rabbitmq')?.enabled).toBe(false);
		double.clearRecords();
		expect(await run(host, params('disable'))).toMatchObject({ enabled: false, changed: false });
		expect(transportCalls(double).filter((call) => call.method === 'POST')).toHaveLength(0);
	});

	it('an unknown instance fails with the server 404 in plain words', async () => {
		const { host } = await start(dialect, version);
		const error = await failureOf(host, params('find', { instance: 'nope' }));
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toMatch(/nope/);
	});
});

describe('Event Transport: versions and servers without the transport', () => {
	it.each([
		['v1', '1.5.4', 'sqs', /Evolution API 1\.5\.4 has no Amazon SQS transport: it exists from Evolution API 1\.6\.0/],
		['v2.1', '2.2.3', 'nats', /Evolution API 2\.2\.3 has no NATS transport: it exists from Evolution API 2\.3\.0/],
		['v2.3', '2.3.3', 'kafka', /Evolution API 2\.3\.3 has no Kafka transport: it exists from Evolution API 2\.3\.4/],
	] as const)('%s %s refuses %s with a sentence and sends nothing to it', async (dialect, version, transport, sentence) => {
		const { double, host } = await start(dialect, version);
		const error = await failureOf(host, params('set', { transport }));
		expect(error.message).toMatch(sentence);
		expect(transportCalls(double, transport)).toHaveLength(0);
	});

	it.each([
		['v2.3', '2.3.4', 'kafka'],
		['v2.3', '2.3.0', 'nats'],
		['v1', '1.6.0', 'sqs'],
	] as const)('%s %s has %s: Set stores it', async (dialect, version, transport) => {
		const { double, host } = await start(dialect, version);
		await run(host, params('set', { transport, transportEvents: ['MESSAGES_UPSERT'] }));
		expect(double.transports.configOf('inst1', transport)).toEqual({ enabled: true, events: ['MESSAGES_UPSERT'] });
	});

	it('2.1+ with RABBITMQ_ENABLED off answers an empty body: Set and Find say to switch it on', async () => {
		const { host } = await start('v2.3', '2.3.6', { rabbitmq: false });
		for (const operation of ['set', 'find']) {
			const error = await failureOf(host, params(operation));
			expect(error.message).toMatch(/RabbitMQ is switched off on this Evolution API server.*RABBITMQ_ENABLED=true/);
		}
	});

	it('2.0.10 with RABBITMQ_ENABLED off refuses the set with 400 "Rabbitmq is disabled"', async () => {
		const { host } = await start('v2.0', '2.0.10', { rabbitmq: false });
		const error = (await failureOf(host, params('set'))) as NodeApiError;
		expect(error).toBeInstanceOf(NodeApiError);
		expect(`${error.message} ${error.description}`).toMatch(/Rabbitmq is disabled/);
	});

	it('a flat (v1) body sent by hand to 2.3.6 crashes the server with 500, which is why the node nests it', async () => {
		const { double } = await start('v2.3', '2.3.6');
		const response = await fetch(`${double.baseUrl}/rabbitmq/set/inst1`, {
			method: 'POST',
			headers: { apikey: double.globalKey, 'Content-Type': 'application/json' },
			body: JSON.stringify({ enabled: true, events: ['MESSAGES_UPSERT'] }),
		});
		expect(response.status).toBe(500);
		expect(await response.json()).toEqual({ status: 500, error: 'Internal Server Error', response: { message: "Cannot set properties of undefined (setting 'events')" } });
	});
});
