import type { INodeProperties } from 'n8n-workflow';

import { eventOptions } from '../lib/evolution/events';
import { TRANSPORTS } from '../lib/evolution/transport';
import { instanceProperty } from '../lib/n8n/evolution-properties';

/** Parameters of the "Event Transport" resource: the instance's RabbitMQ, SQS, NATS or Kafka events. */

const onTransport = (...operation: string[]) => ({ show: { resource: ['eventTransport'], operation } });

export const transportProperties: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['eventTransport'] } },
		default: 'find',
		options: [
			{ name: 'Disable', value: 'disable', action: 'Disable the event transport of an instance', description: 'Stop publishing this instance\'s events to the broker' },
			{ name: 'Find', value: 'find', action: 'Find the event transport of an instance', description: 'Read the broker setting and where the server publishes' },
			{ name: 'Set', value: 'set', action: 'Set the event transport of an instance', description: 'Choose which events the server publishes to the broker' },
		],
	},
	{
		displayName: 'Transport',
		name: 'transport',
		type: 'options',
		default: 'rabbitmq',
		description: 'The broker the Evolution server publishes to. The server must have it switched on in its environment.',
		displayOptions: onTransport('find', 'set', 'disable'),
		options: (Object.keys(TRANSPORTS) as Array<keyof typeof TRANSPORTS>).map((value) => ({
			name: TRANSPORTS[value].label,
			value,
			description: `Evolution API ${TRANSPORTS[value].since} and newer; needs ${TRANSPORTS[value].serverSwitch}=true on the server`,
		})),
	},
	{ ...instanceProperty, displayOptions: onTransport('find', 'set', 'disable') },
	{
		displayName:
			'RabbitMQ: the server publishes to a topic exchange named after the instance, routing key = event (e.g. messages.upsert), queue {instance}.{event}. Point a RabbitMQ Trigger at that queue, then use Normalize Event.',
		name: 'transportNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { resource: ['eventTransport'], operation: ['set'], transport: ['rabbitmq'] } },
	},
	{
		displayName: 'Events',
		name: 'transportEvents',
		type: 'multiOptions',
		default: ['MESSAGES_UPSERT'],
		description: 'Which events the server publishes. Leave empty to publish every event this server version supports.',
		options: eventOptions(),
		displayOptions: onTransport('set'),
	},
	{
		displayName: 'Enabled',
		name: 'transportEnabled',
		type: 'boolean',
		default: true,
		description: 'Whether the server publishes this instance\'s events to the broker',
		displayOptions: onTransport('set'),
	},
];
