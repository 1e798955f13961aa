/**
 * Normalize Event fed by n8n's broker triggers, run through n8n-core's real ExecuteContext: a RabbitMQ
 * Trigger item gives the same items as the webhook body, and "Drop Redeliveries" remembers processed
 * messages in the workflow's static data across executions.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { EvolutionApiWebhook } from '../../nodes/EvolutionApiWebhook/EvolutionApiWebhook.node';
import { PROCESSED_KEY } from '../../nodes/lib/n8n/broker-normalize';
import { NodeHost } from '../support/node-host';

const fixture = JSON.parse(readFileSync(join(__dirname, '../fixtures/evolution/messages.upsert.v2.json'), 'utf8')) as Record<string, unknown>;
const { destination: _destination, ...published } = fixture;
const rabbitItem = (content: unknown, redelivered = false): INodeExecutionData => ({
	json: { fields: { consumerTag: 'amq.ctag-1', deliveryTag: 1, redelivered, exchange: 'inst1', routingKey: 'messages.upsert' }, properties: { headers: {} }, content } as never,
});
const normalize: INodeParameters = { resource: 'webhook', operation: 'normalize', payload: 'auto', source: 'auto' };
const hosts: NodeHost[] = [];

afterEach(async () => {
	for (const host of hosts.splice(0)) await host.close();
});

async function host(): Promise<NodeHost> {
	const created = await NodeHost.create({ nodeType: new EvolutionApiWebhook(), parameters: normalize });
	hosts.push(created);
	return created;
}

describe('Normalize Event with broker items', () => {
	it('RabbitMQ Trigger items (text, parsed) give exactly the items of the Webhook node item for the same payload', async () => {
		const node = await host();
		const [fromWebhook] = (await node.execute([{ json: { headers: {}, params: {}, query: {}, body: fixture } as never }]))!;
		const [fromText] = (await node.execute([rabbitItem(JSON.stringify(published))]))!;
		const [fromParsed] = (await node.execute([rabbitItem(published)]))!;
		expect(fromWebhook).toHaveLength(1);
		expect(fromText.map((item) => item.json)).toEqual(fromWebhook.map((item) => item.json));
		expect(fromParsed.map((item) => item.json)).toEqual(fromWebhook.map((item) => item.json));
		expect(fromText[0].json).toMatchObject({ source: 'evolution', event: 'message.received', instance: 'inst1' });
	});

	it('Drop Redeliveries: the same message in a later production execution gives no item; the key is in static data', async () => {
		const node = await host();
		const parameters = { ...normalize, normalizeOptions: { dropRedeliveries: true } };
		const first = (await node.execute([rabbitItem(JSON.stringify(published))], parameters, { mode: 'trigger' }))!;
		expect(first[0]).toHaveLength(1);
		const again = (await node.execute([rabbitItem(JSON.stringify(published), true)], parameters, { mode: 'trigger' }))!;
		expect(again[0]).toHaveLength(0);
		const stored = JSON.stringify(node.staticData.production);
		expect(stored).toContain(PROCESSED_KEY);
		expect(stored).toContain('3EB0C431C2A8F5D2E1B7');
		// Without the option every delivery gives its item.
		expect((await node.execute([rabbitItem(JSON.stringify(published), true)], normalize, { mode: 'trigger' }))![0]).toHaveLength(1);
	});
});
