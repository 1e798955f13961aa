import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { EvolutionClient } from '../lib/evolution/client';
import { EVOLUTION_EVENTS, findEvent, isSupportedBy } from '../lib/evolution/events';
import {
	buildTransportDisableBody,
	buildTransportSetBody,
	offOnServerMessage,
	parseTransportAnswer,
	transportDestinations,
	transportPath,
	transportRefusal,
	type Transport,
	type TransportConfig,
} from '../lib/evolution/transport';
import { versionForEventChecks } from '../lib/evolution/version';

/** The Event Transport operations (Find / Set / Disable) of the Evolution API Webhook node. */

export function readTransport(value: unknown): Transport {
	if (value === 'rabbitmq' || value === 'sqs' || value === 'nats' || value === 'kafka') return value;
	throw new Error(`Unknown transport "${String(value)}": choose RabbitMQ, Amazon SQS, NATS or Kafka.`);
}

function transportJson(transport: Transport, instance: string, config: TransportConfig | null): IDataObject {
	return {
		instance,
		transport,
		exists: config !== null,
		enabled: config?.enabled ?? false,
		events: config?.events ?? [],
		// Where the server publishes while enabled, so the RabbitMQ / Kafka / SQS trigger can be pointed at it.
		publishesTo: config?.enabled ? (transportDestinations(transport, instance, config.events) as IDataObject) : null,
	};
}

/** Refuses before any request when the server's version has no such transport. */
async function assertTransport(client: EvolutionClient, transport: Transport): Promise<void> {
	const refusal = transportRefusal(transport, await client.server());
	if (refusal) throw new Error(refusal);
}

function readAnswer(transport: Transport, answer: unknown): TransportConfig | null {
	const read = parseTransportAnswer(transport, answer);
	if (read.kind === 'off-on-server') throw new Error(offOnServerMessage(transport));
	return read.kind === 'config' ? read.config : null;
}

export async function findTransport(client: EvolutionClient, transport: Transport, instance: string): Promise<IDataObject> {
	await assertTransport(client, transport);
	const answer = await client.request('GET', transportPath('find', transport, instance), { instance });
	return transportJson(transport, instance, readAnswer(transport, answer));
}

export async function setTransport(
	client: EvolutionClient,
	transport: Transport,
	instance: string,
	input: { enabled: boolean; events: string[] },
): Promise<IDataObject> {
	await assertTransport(client, transport);
	const server = await client.server();
	// The transports take the webhook's per-instance event enum (EventController.events on 2.1+).
	client.assertEventsSupported(server, input.events);
	const version = versionForEventChecks(server);
	const events =
		input.events.length > 0
			? input.events.map((name) => findEvent(name)?.config ?? name)
			: EVOLUTION_EVENTS.filter((entry) => entry.delivered && isSupportedBy(entry, version)).map((entry) => entry.config);
	const settings: TransportConfig = { enabled: input.enabled, events: input.enabled ? events : [] };
	const body = buildTransportSetBody(server.dialect, transport, settings);
	const answer = await client.request('POST', transportPath('set', transport, instance), { body, instance });
	return transportJson(transport, instance, readAnswer(transport, answer) ?? settings);
}

export async function disableTransport(client: EvolutionClient, transport: Transport, instance: string): Promise<IDataObject> {
	const current = await findTransport(client, transport, instance);
	if (current.enabled !== true) return { ...current, changed: false };
	const server = await client.server();
	const answer = await client.request('POST', transportPath('set', transport, instance), {
		body: buildTransportDisableBody(server.dialect, transport),
		instance,
	});
	const stored = readAnswer(transport, answer);
	// 1.x / 2.0 store the full event list with enabled false; what counts is that nothing is published.
	return { ...transportJson(transport, instance, stored ?? { enabled: false, events: [] }), changed: true };
}

/** Reads this operation's parameters and runs it (the node's execute() hands over here). */
export async function runTransportOperation(
	context: IExecuteFunctions,
	client: EvolutionClient,
	operation: string,
	instance: string,
	itemIndex: number,
): Promise<IDataObject> {
	const transport = readTransport(context.getNodeParameter('transport', itemIndex));
	if (operation === 'find') return findTransport(client, transport, instance);
	if (operation === 'disable') return disableTransport(client, transport, instance);
	return setTransport(client, transport, instance, {
		enabled: context.getNodeParameter('transportEnabled', itemIndex, true) as boolean,
		events: context.getNodeParameter('transportEvents', itemIndex, []) as string[],
	});
}
