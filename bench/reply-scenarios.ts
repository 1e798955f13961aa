/**
 * The bot-loop row of bench/e2e.ts: the same wanted-only load into two workflows that answer every
 * message, on an Evolution double 2.3 of their own:
 *   (d) Evolution API Trigger → WhatsApp Reply (Send Text)
 *   (e) Evolution API Trigger → HTTP Request POST /message/sendText with the v2 body typed by hand
 * Deliveries are answered on receipt, so the figure that counts is processed/s: deliveries ÷ (load start →
 * last execution stopped), i.e. answers sent per second. Rounds alternate d e / e d.
 */
import os from 'node:os';

import type { N8nInstance, StoredWorkflow, WorkflowJson } from '../test/e2e/harness/n8n';
import { sleep } from '../test/e2e/harness/n8n';
import { EvolutionDouble } from '../test/support/evolution-double';
import { activateTrigger, evolutionCredential, messageId, newMessage, runLoad, settledExecutionCount, triggerWorkflow, VERIFICATION_HEADER } from '../test/e2e/evolution-rig';

export type ReplyScenario = 'd' | 'e';
export const REPLY_LABEL: Record<ReplyScenario, string> = {
	d: '(d) Evolution API Trigger → WhatsApp Reply',
	e: '(e) Evolution API Trigger → HTTP Request (body by hand)',
};
const INSTANCES: Record<ReplyScenario, string> = { d: 'bot-reply', e: 'bot-http' };

export interface ReplyMeasurement {
	scenario: ReplyScenario;
	round: number;
	requests: number;
	ok: number;
	deliveriesPerS: number;
	p99: number;
	executions: number;
	failedExecutions: number;
	answers: number;
	processedPerS: number;
	loadBefore: number;
	loadAfter: number;
}

function withAnswer(base: WorkflowJson & { webhookId: string }, answer: Record<string, unknown>): WorkflowJson & { webhookId: string } {
	const trigger = base.nodes[0];
	return { ...base, nodes: [trigger, { position: [400, 0], ...answer } as never], connections: { [trigger.name]: { main: [[{ node: String(answer.name), type: 'main', index: 0 }]] } } };
}

export async function runReplyComparison(n8n: N8nInstance, requests: number, connections: number, rounds: number): Promise<ReplyMeasurement[]> {
	const double = new EvolutionDouble({ dialect: 'v2.3', instances: Object.values(INSTANCES).map((name) => ({ name, token: `${name}-token`, ownerJid: '5511911112222@s.whatsapp.net' })) });
	await double.start();
	try {
		const credential = await evolutionCredential(n8n, double.baseUrl, double.globalKey);
		const text = '=Recebemos: {{ $json.message.text }}';
		const workflows: Record<ReplyScenario, WorkflowJson & { webhookId: string }> = {
			d: withAnswer(triggerWorkflow({ name: 'bench (d) trigger → reply', credential, instance: INSTANCES.d }), {
				name: 'WhatsApp Reply',
				type: 'n8n-nodes-whatsapp-webhooks.whatsAppReply',
				typeVersion: 1,
				parameters: { operation: 'sendText', text },
				credentials: { evolutionApi: credential },
			}),
			e: withAnswer(triggerWorkflow({ name: 'bench (e) trigger → http request', credential, instance: INSTANCES.e }), {
				name: 'HTTP Request',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				parameters: {
					method: 'POST',
					url: `=${double.baseUrl}/message/sendText/{{ encodeURIComponent($json.instance) }}`,
					authentication: 'predefinedCredentialType',
					nodeCredentialType: 'evolutionApi',
					sendBody: true,
					specifyBody: 'json',
					jsonBody: "={{ JSON.stringify({ number: $json.chat.phone || $json.chat.id, text: 'Recebemos: ' + $json.message.text }) }}",
					options: {},
				},
				credentials: { evolutionApi: credential },
			}),
		};
		const targets = {} as Record<ReplyScenario, { workflow: StoredWorkflow; url: string; headers: Record<string, string> }>;
		for (const scenario of ['d', 'e'] as const) {
			const workflow = await n8n.createWorkflow(workflows[scenario]);
			const registered = await activateTrigger(n8n, double, workflow, workflows[scenario].webhookId, INSTANCES[scenario]);
			targets[scenario] = { workflow, url: registered.url, headers: { [VERIFICATION_HEADER]: registered.secret } };
		}
		const deliveries = (scenario: ReplyScenario, count: number) => Array.from({ length: count }, () => ({ body: JSON.stringify(newMessage(messageId(), INSTANCES[scenario])) }));
		const newest = async (workflowId: string) => (await settledExecutionCount(n8n, workflowId, { quietMs: 1000 })).newestId;

		for (const scenario of ['d', 'e'] as const) {
			const { url, headers, workflow } = targets[scenario];
			const before = await newest(workflow.id);
			await runLoad(url, deliveries(scenario, 100), connections, headers);
			await settledExecutionCount(n8n, workflow.id, { afterId: before });
		}
		const results: ReplyMeasurement[] = [];
		for (let round = 0; round < rounds; round++) {
			for (const scenario of round % 2 === 0 ? (['d', 'e'] as const) : (['e', 'd'] as const)) {
				const { url, headers, workflow } = targets[scenario];
				const before = await newest(workflow.id);
				const answersBefore = double.sendRoutes.receivedOn('message/sendText').filter((entry) => entry.instance === INSTANCES[scenario] && entry.status === 201).length;
				const loadBefore = os.loadavg()[0];
				const started = Date.now();
				const result = await runLoad(url, deliveries(scenario, requests), connections, headers);
				const after = await settledExecutionCount(n8n, workflow.id, { afterId: before });
				const answers = double.sendRoutes.receivedOn('message/sendText').filter((entry) => entry.instance === INSTANCES[scenario] && entry.status === 201).length - answersBefore;
				const finishedAt = Math.max(started + result.duration * 1000, after.lastStoppedAt);
				const measurement: ReplyMeasurement = {
					scenario,
					round,
					requests: result.requests.total,
					ok: result['2xx'],
					deliveriesPerS: result['2xx'] / result.duration,
					p99: result.latency.p99,
					executions: after.total,
					failedExecutions: after.byStatus.error ?? 0,
					answers,
					processedPerS: result['2xx'] / ((finishedAt - started) / 1000),
					loadBefore,
					loadAfter: os.loadavg()[0],
				};
				results.push(measurement);
				console.log(`reply round ${round + 1} ${REPLY_LABEL[scenario]}: ${measurement.ok}/${measurement.requests} 2xx, ${measurement.executions} executions (${measurement.failedExecutions} failed), ${answers} answers, ${measurement.processedPerS.toFixed(1)} processed/s`);
				await sleep(2000);
			}
		}
		return results;
	} finally {
		await double.stop();
	}
}
