/**
 * The event-transport facts as plain data: body per dialect, every version's answers, and the names the
 * server publishes under (read from the Evolution API source, 1.5.0 – 2.3.6; see transport.ts).
 */
import {
	buildTransportDisableBody,
	buildTransportSetBody,
	parseTransportAnswer,
	transportDestinations,
	transportRefusal,
} from '../../../nodes/lib/evolution/transport';

describe('buildTransportSetBody', () => {
	it.each([
		['v1', { enabled: true, events: ['MESSAGES_UPSERT'] }],
		['v2.0', { enabled: true, events: ['MESSAGES_UPSERT'] }],
		['v2.1', { sqs: { enabled: true, events: ['MESSAGES_UPSERT'] } }],
	] as const)('%s', (dialect, body) => {
		expect(buildTransportSetBody(dialect, 'sqs', { enabled: true, events: ['MESSAGES_UPSERT'] })).toEqual(body);
	});

	it('disable always names an events array (a missing one crashes every version)', () => {
		expect(buildTransportDisableBody('v2.1', 'rabbitmq')).toEqual({ rabbitmq: { enabled: false, events: [] } });
		expect(buildTransportDisableBody('v1', 'rabbitmq')).toEqual({ enabled: false, events: [] });
	});
});

describe('parseTransportAnswer', () => {
	const row = { id: 'c1', enabled: true, events: ['MESSAGES_UPSERT'], createdAt: 'x', updatedAt: 'y', instanceId: 'i' };
	it.each([
		['1.x / 2.0 set answer', { rabbitmq: { instanceName: 'inst1', rabbitmq: { enabled: true, events: ['MESSAGES_UPSERT'] } } }, { kind: 'config', config: { enabled: true, events: ['MESSAGES_UPSERT'] } }],
		['2.0+ row', row, { kind: 'config', config: { enabled: true, events: ['MESSAGES_UPSERT'] } }],
		['2.1+ disabled row', { ...row, enabled: false, events: [] }, { kind: 'config', config: { enabled: false, events: [] } }],
		['1.x "none"', { enabled: false, events: [] }, { kind: 'none' }],
		['2.0+ null', null, { kind: 'none' }],
		['2.1+ empty body (switched off on the server)', '', { kind: 'off-on-server' }],
		['no body at all', undefined, { kind: 'off-on-server' }],
		['something else', { hello: 'world' }, { kind: 'none' }],
	])('%s', (_label, answer, expected) => {
		expect(parseTransportAnswer('rabbitmq', answer)).toEqual(expected);
	});
});

describe('transportDestinations (per-instance names)', () => {
	const events = ['MESSAGES_UPSERT', 'GROUP_PARTICIPANTS_UPDATE', 'SEND_MESSAGE_UPDATE'];
	it('RabbitMQ: exchange = instance, routing key = emitted event, queue {instance}.{event}', () => {
		expect(transportDestinations('rabbitmq', 'loja', events)).toEqual({
			exchange: 'loja',
			exchangeType: 'topic',
			routingKeys: ['messages.upsert', 'group-participants.update', 'send.message.update'],
			queues: ['loja.messages.upsert', 'loja.group-participants.update', 'loja.send.message.update'],
		});
	});
	it('SQS: only the first dot becomes an underscore; NATS subjects; Kafka topics with the default prefix', () => {
		expect(transportDestinations('sqs', 'loja', events)).toEqual({ queues: ['loja_messages_upsert.fifo', 'loja_group-participants_update.fifo', 'loja_send_message.update.fifo'] });
		expect(transportDestinations('nats', 'loja', ['MESSAGES_UPSERT'])).toEqual({ subjects: ['loja.messages.upsert'] });
		expect(transportDestinations('kafka', 'loja', ['MESSAGES_UPSERT'])).toEqual({ topics: ['evolution.loja.messages.upsert'], messageKey: 'loja' });
	});
});

describe('transportRefusal', () => {
	it('names the version that has the transport; a hidden version counts as the oldest of its dialect', () => {
		expect(transportRefusal('rabbitmq', { dialect: 'v1', version: '1.4.8' })).toMatch(/Evolution API 1\.4\.8 has no RabbitMQ transport: it exists from Evolution API 1\.5\.0/);
		expect(transportRefusal('rabbitmq', { dialect: 'v1', version: '1.5.0' })).toBeNull();
		expect(transportRefusal('nats', { dialect: 'v2.1', version: null })).toMatch(/version hidden.*NATS.*2\.3\.0/);
		expect(transportRefusal('kafka', { dialect: 'v2.1', version: '2.3.4' })).toBeNull();
	});
});
