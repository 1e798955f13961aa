/**
 * The broker row of bench:e2e: the same wanted-only messages as scenario (c), published to RabbitMQ the way
 * Evolution does (exchange = instance, quorum queue `{instance}.messages.upsert`, routing key = event) and
 * consumed by n8n's RabbitMQ Trigger → our Normalize Event in the same n8n: (d). Figure: messages ÷ (first
 * publish → last execution stopped), the same "processed/s" as the webhook scenarios. Needs Debian's
 * rabbitmq-server (scripts/queue/services.sh install); without it the row is skipped with a sentence.
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';

import * as amqp from 'amqplib';

import type { EvolutionDouble } from '../test/support/evolution-double';
import type { N8nInstance } from '../test/e2e/harness/n8n';
import { INSTANCE, messageId, newMessage, settledExecutionCount } from '../test/e2e/evolution-rig';

const SERVICES = path.join(__dirname, '..', 'scripts', 'queue', 'services.sh');
const QUEUE = `${INSTANCE}.messages.upsert`;

export interface BrokerMeasurement {
	round: number;
	messages: number;
	executions: number;
	publishS: number;
	processedPerS: number;
	loadBefore: number;
	loadAfter: number;
}

function services(command: string, stateDir: string): { status: number | null; stdout: string; stderr: string } {
	const result = spawnSync('bash', [SERVICES, command], { encoding: 'utf8', env: { ...process.env, RABBITMQ_SERVICES_DIR: stateDir }, timeout: 180_000 });
	return { status: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}

/** Runs `rounds` rounds of `messages` messages; answers null (and says why) when RabbitMQ is not installed. */
export async function measureBroker(
	n8n: N8nInstance,
	double: EvolutionDouble,
	{ rounds, messages, parallel }: { rounds: number; messages: number; parallel: number },
): Promise<BrokerMeasurement[] | null> {
	const stateDir = path.join(__dirname, '..', '.e2e', 'rabbitmq', `bench-${Date.now()}`);
	if (services('rabbitmq-check', stateDir).status !== 0) {
		console.log('broker row skipped: rabbitmq-server is not installed (bash scripts/queue/services.sh install)');
		return null;
	}
	const started = services('rabbitmq-start', stateDir);
	if (started.status !== 0) throw new Error(`services.sh rabbitmq-start failed:\n${started.stderr}`);
	const env = Object.fromEntries(started.stdout.split('\n').map((line) => /^([A-Z_]+)=(.*)$/.exec(line.trim())).filter((m): m is RegExpExecArray => m !== null).map((m) => [m[1], m[2]]));
	const connection = await amqp.connect(env.RABBITMQ_URL);
	try {
		const channel = await connection.createConfirmChannel();
		// The instance's RabbitMQ events, stored in the double as the server stores them (nested 2.1+ body).
		await fetch(`${double.baseUrl}/rabbitmq/set/${INSTANCE}`, {
			method: 'POST',
			headers: { apikey: double.globalKey, 'content-type': 'application/json' },
			body: JSON.stringify({ rabbitmq: { enabled: true, events: ['MESSAGES_UPSERT'] } }),
		});
		const publish = async (count: number) => {
			for (let index = 0; index < count; index++) {
				const envelope = newMessage(messageId());
				await double.transports.publishRabbitmq(channel, INSTANCE, 'messages.upsert', envelope.data);
			}
			await channel.waitForConfirms();
		};
		await publish(1); // Evolution declares exchange and queue at its first event.
		const credential = await n8n.createCredential('rabbitmq', 'bench RabbitMQ', {
			hostname: '127.0.0.1',
			port: Number(env.RABBITMQ_PORT),
			username: env.RABBITMQ_USER,
			password: env.RABBITMQ_PASSWORD,
			vhost: '/',
			ssl: false,
		});
		const workflow = await n8n.createWorkflow({
			name: 'bench (d) rabbitmq trigger normalize',
			nodes: [
				{
					name: 'RabbitMQ Trigger',
					type: 'n8n-nodes-base.rabbitmqTrigger',
					typeVersion: 1,
					position: [0, 0],
					parameters: { queue: QUEUE, options: { assertQueue: false, acknowledge: 'executionFinishesSuccessfully', parallelMessages: parallel } },
					credentials: { rabbitmq: { id: credential.id, name: credential.name } },
				},
				{
					name: 'Normalize Event',
					type: 'n8n-nodes-whatsapp-webhooks.evolutionApiWebhook',
					typeVersion: 1,
					position: [220, 0],
					parameters: { resource: 'webhook', operation: 'normalize', payload: 'auto', source: 'evolution', normalizeOptions: { dropRedeliveries: true } },
				},
			],
			connections: { 'RabbitMQ Trigger': { main: [[{ node: 'Normalize Event', type: 'main', index: 0 }]] } },
		});
		await n8n.activate(workflow.id);
		let newest = (await settledExecutionCount(n8n, workflow.id)).newestId;
		const results: BrokerMeasurement[] = [];
		for (let round = 0; round < rounds; round++) {
			const loadBefore = os.loadavg()[0];
			const begin = Date.now();
			await publish(messages);
			const publishS = (Date.now() - begin) / 1000;
			const count = await settledExecutionCount(n8n, workflow.id, { afterId: newest });
			const executions = count.total;
			newest = count.newestId;
			const processedPerS = messages / ((Math.max(count.lastStoppedAt, begin + publishS * 1000) - begin) / 1000);
			results.push({ round, messages, executions, publishS, processedPerS, loadBefore, loadAfter: os.loadavg()[0] });
			console.log(`broker round ${round + 1} (d) RabbitMQ Trigger → Normalize Event: ${executions}/${messages} executions, published in ${publishS.toFixed(1)} s, ${processedPerS.toFixed(1)} processed/s`);
		}
		await n8n.deactivate(workflow.id);
		return results;
	} finally {
		await connection.close().catch(() => undefined);
		services('rabbitmq-stop', stateDir);
	}
}
