/**
 * Broker items → the Evolution envelope. The item shapes are the ones n8n's own triggers emit
 * (n8n-nodes-base 2.40.7 `RabbitMQ/GenericFunctions.js#parseMessage`, `Kafka/utils.js#configureMessageParser`),
 * written out by hand; the envelope is what Evolution publishes (rabbitmq.controller.ts#emit, 2.3.6).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { envelopeFromBrokerItem, splitInstanceAndEvent } from '../../../nodes/lib/normalize/broker';
import { normalizeDelivery } from '../../../nodes/lib/normalize';

const fixture = JSON.parse(readFileSync(join(__dirname, '../../fixtures/evolution/messages.upsert.v2.json'), 'utf8')) as Record<string, unknown>;
/** What goes on the wire: the webhook envelope without `destination`. */
const { destination: _destination, ...published } = fixture;
const text = JSON.stringify(published);

const amqpFields = (overrides: Record<string, unknown> = {}) => ({
	consumerTag: 'amq.ctag-1',
	deliveryTag: 7,
	redelivered: false,
	exchange: 'inst1',
	routingKey: 'messages.upsert',
	...overrides,
});
const amqpProperties = { contentType: undefined, headers: {}, deliveryMode: undefined };

describe('envelopeFromBrokerItem', () => {
	it.each([
		['RabbitMQ Trigger, defaults (content as text)', { fields: amqpFields(), properties: amqpProperties, content: text }],
		['RabbitMQ Trigger, JSON Parse Body', { fields: amqpFields(), properties: amqpProperties, content: published }],
		['RabbitMQ Trigger, Only Content (text)', text],
		['Kafka Trigger, defaults', { message: text, topic: 'evolution.inst1.messages.upsert' }],
		['Kafka Trigger, JSON Parse Message', { message: published, topic: 'evolution.inst1.messages.upsert', headers: { event: 'messages.upsert' } }],
		['SQS ReceiveMessage entry', { MessageId: 'm-1', ReceiptHandle: 'r', Body: text }],
		['SQS record (Lambda)', { messageId: 'm-1', eventSource: 'aws:sqs', body: text }],
	])('%s → the published envelope, normalized exactly like the webhook body', (_label, item) => {
		const unwrapped = envelopeFromBrokerItem(item);
		expect(unwrapped?.envelope).toEqual(published);
		expect(normalizeDelivery(unwrapped!.envelope)).toEqual(normalizeDelivery(fixture));
	});

	it('RabbitMQ: a body without instance takes it from the exchange (per-instance mode), not from the global exchange', () => {
		const { instance: _instance, ...withoutInstance } = published;
		expect(envelopeFromBrokerItem({ fields: amqpFields({ exchange: 'loja.centro' }), content: JSON.stringify(withoutInstance) })?.envelope.instance).toBe('loja.centro');
		expect(envelopeFromBrokerItem({ fields: amqpFields({ exchange: 'evolution_exchange' }), content: JSON.stringify(withoutInstance) })?.envelope.instance).toBeUndefined();
		// A republished `{instance}.{event}` routing key names both.
		const fromKey = envelopeFromBrokerItem({ fields: amqpFields({ exchange: '', routingKey: 'loja.centro.messages.upsert' }), content: JSON.stringify({ data: published.data }) });
		expect(fromKey?.envelope).toMatchObject({ event: 'messages.upsert', instance: 'loja.centro' });
	});

	it('RabbitMQ: the instance and event in the body win over exchange and routing key; redelivered is passed on', () => {
		const item = { fields: amqpFields({ exchange: 'other', routingKey: 'connection.update', redelivered: true }), content: text };
		expect(envelopeFromBrokerItem(item)).toEqual({ source: 'rabbitmq', envelope: published, redelivered: true });
	});

	it('Kafka: the topic names the instance; "global" topics do not', () => {
		const { instance: _instance, ...withoutInstance } = published;
		expect(envelopeFromBrokerItem({ message: JSON.stringify(withoutInstance), topic: 'evolution.inst9.messages.upsert' })?.envelope.instance).toBe('inst9');
		expect(envelopeFromBrokerItem({ message: JSON.stringify(withoutInstance), topic: 'evolution.global.messages.upsert' })?.envelope.instance).toBeUndefined();
	});

	it.each([
		['a Webhook node item', { headers: {}, body: published, query: {} }],
		['an envelope already', published],
		['a RabbitMQ message that is not JSON', { fields: amqpFields(), content: 'hello' }],
		['a RabbitMQ message with JSON that is no envelope', { fields: amqpFields(), content: '{"a":1}' }],
		['a JSON array', '[1,2]'],
		['broken JSON', '{"event":'],
		['null', null],
		['a number', 42],
	])('%s → null (the caller keeps its usual path)', (_label, item) => {
		expect(envelopeFromBrokerItem(item)).toBeNull();
	});
});

describe('splitInstanceAndEvent', () => {
	it.each([
		['inst1.messages.upsert', { instance: 'inst1', event: 'messages.upsert' }],
		['loja.centro.send.message.update', { instance: 'loja.centro', event: 'send.message.update' }],
		['inst1.group-participants.update', { instance: 'inst1', event: 'group-participants.update' }],
		['inst1.call', { instance: 'inst1', event: 'call' }],
		['messages.upsert', { instance: null, event: 'messages.upsert' }],
		['inst1.not.an.event', null],
	])('%s', (key, expected) => {
		expect(splitInstanceAndEvent(key)).toEqual(expected);
	});
});
