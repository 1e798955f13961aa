/**
 * What the real-n8n load benchmark (bench/e2e.ts) and the reliability suite (reliability.e2e.ts) share:
 * an Evolution double (v2.3, the secret travels as a header), our trigger workflow activated against it,
 * n8n's own Webhook workflows for comparison, Evolution v2 envelopes built from the fixtures, and an
 * execution count through the public API. Everything stays on 127.0.0.1.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import autocannon, { type AutocannonRequest, type AutocannonResult } from 'autocannon';

import { VERIFICATION_HEADER } from '../../nodes/lib/evolution/registration';
import { EvolutionDouble, type WebhookRow } from '../support/evolution-double';
import { N8nInstance, sleep, type StoredWorkflow, type WorkflowJson, type WorkflowNode } from './harness/n8n';

export const TRIGGER_TYPE = 'n8n-nodes-whatsapp-webhooks.evolutionApiTrigger';
export const TRIGGER_NAME = 'Evolution API Trigger';
export const INSTANCE = 'inst1';
export const OTHER_INSTANCE = 'inst2';
export const OWNER_JID = '5511911112222@s.whatsapp.net';
export { VERIFICATION_HEADER };

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'evolution');
type Envelope = Record<string, any>;
const fixture = (name: string): Envelope => JSON.parse(readFileSync(path.join(FIXTURES, name), 'utf8'));

// ---- Evolution double and credential ---------------------------------------------------------------

export async function startEvolutionDouble(): Promise<EvolutionDouble> {
	const double = new EvolutionDouble({
		dialect: 'v2.3',
		instances: [
			{ name: INSTANCE, token: 'inst1-token', ownerJid: OWNER_JID, profileName: 'Shop' },
			{ name: OTHER_INSTANCE, token: 'inst2-token', ownerJid: '5511933334444@s.whatsapp.net', profileName: 'Support' },
		],
	});
	await double.start();
	return double;
}

export async function evolutionCredential(n8n: N8nInstance, baseUrl: string, apiKey: string, name = `evolution ${randomUUID().slice(0, 8)}`) {
	const created = await n8n.createCredential('evolutionApi', name, { baseUrl, apiKey });
	return { id: created.id, name: created.name };
}

// ---- workflows -------------------------------------------------------------------------------------

const noOp = (name = 'No Operation'): WorkflowNode => ({
	name,
	type: 'n8n-nodes-base.noOp',
	typeVersion: 1,
	position: [400, 0],
	parameters: {},
});

function connect(from: string, to: string, output = 0): Record<string, unknown> {
	const outputs: unknown[][] = [];
	for (let index = 0; index <= output; index++) outputs.push([]);
	outputs[output] = [{ node: to, type: 'main', index: 0 }];
	return { [from]: { main: outputs } };
}

export interface TriggerWorkflowOptions {
	name: string;
	credential: { id: string; name: string };
	instance?: string;
	events?: string[];
	/** The trigger's Options collection (ignoreOwnMessages, dropDuplicates, …). */
	options?: Record<string, unknown>;
	/** The node version (1 by default: what the suites were written against; 2 is what a new node gets). */
	typeVersion?: number;
}

/** Our Evolution API Trigger → NoOp. */
export function triggerWorkflow({ name, credential, instance = INSTANCE, events = ['MESSAGES_UPSERT'], options = {}, typeVersion = 1 }: TriggerWorkflowOptions): WorkflowJson & { webhookId: string } {
	const webhookId = randomUUID();
	return {
		name,
		webhookId,
		nodes: [
			{
				name: TRIGGER_NAME,
				type: TRIGGER_TYPE,
				typeVersion,
				position: [0, 0],
				webhookId,
				parameters: { mode: 'register', instance, events, output: 'normalized', outputPerEvent: false, options },
				credentials: { evolutionApi: credential },
			},
			noOp(),
		],
		connections: connect(TRIGGER_NAME, 'No Operation'),
	};
}

const webhookNode = (webhookPath: string): WorkflowNode => ({
	name: 'Webhook',
	type: 'n8n-nodes-base.webhook',
	typeVersion: 2.1,
	position: [0, 0],
	webhookId: randomUUID(),
	parameters: { httpMethod: 'POST', path: webhookPath, responseMode: 'onReceived', options: {} },
});

/** n8n's core Webhook node → NoOp: the cheapest workflow a delivery can start. */
export function coreWebhookWorkflow(name: string, webhookPath: string): WorkflowJson {
	return { name, nodes: [webhookNode(webhookPath), noOp()], connections: connect('Webhook', 'No Operation') };
}

/**
 * What users build by hand instead of our trigger: Webhook → Switch (only new messages from others go on)
 * → Set (pick the fields). Every delivery starts an execution before the Switch can drop it, and a repeated
 * delivery of the same message cannot be recognised without extra nodes (see BENCHMARKS.md).
 */
export function handBuiltWorkflow(name: string, webhookPath: string): WorkflowJson {
	const condition = (id: string, leftValue: string, rightValue: unknown, operator: Record<string, unknown>) => ({ id, leftValue, rightValue, operator });
	return {
		name,
		nodes: [
			webhookNode(webhookPath),
			{
				name: 'Switch',
				type: 'n8n-nodes-base.switch',
				typeVersion: 3.2,
				position: [200, 0],
				parameters: {
					rules: {
						values: [
							{
								conditions: {
									options: { caseSensitive: true, leftValue: '', typeValidation: 'loose', version: 2 },
									combinator: 'and',
									conditions: [
										condition('event', '={{ $json.body.event }}', 'messages.upsert', { type: 'string', operation: 'equals' }),
										condition('from-others', '={{ $json.body.data?.key?.fromMe }}', '', { type: 'boolean', operation: 'false', singleValue: true }),
									],
								},
								renameOutput: true,
								outputKey: 'new message',
							},
						],
					},
					options: {},
				},
			},
			{
				name: 'Set',
				type: 'n8n-nodes-base.set',
				typeVersion: 3.4,
				position: [400, 0],
				parameters: {
					mode: 'manual',
					assignments: {
						assignments: [
							{ id: 'id', name: 'messageId', value: '={{ $json.body.data.key.id }}', type: 'string' },
							{ id: 'chat', name: 'chatId', value: '={{ $json.body.data.key.remoteJid }}', type: 'string' },
							{ id: 'name', name: 'senderName', value: '={{ $json.body.data.pushName }}', type: 'string' },
							{ id: 'text', name: 'text', value: '={{ $json.body.data.message?.conversation ?? $json.body.data.message?.extendedTextMessage?.text }}', type: 'string' },
							{ id: 'instance', name: 'instance', value: '={{ $json.body.instance }}', type: 'string' },
						],
					},
					options: {},
				},
			},
		],
		connections: { ...connect('Webhook', 'Switch'), ...connect('Switch', 'Set') },
	};
}

/**
 * Activates (publishes) a trigger workflow and waits until the double stores a webhook pointing at it.
 * Answers the delivery secret n8n registered, read from the double's stored headers.
 */
export async function activateTrigger(
	n8n: N8nInstance,
	double: EvolutionDouble,
	workflow: StoredWorkflow,
	webhookId: string,
	instance = INSTANCE,
): Promise<{ url: string; secret: string }> {
	const url = n8n.productionUrl(webhookId, 'webhook');
	await n8n.activate(workflow.id);
	const row = await n8n.waitFor(
		() => {
			const stored = double.webhookOf(instance) as WebhookRow | null;
			return stored?.url === url && stored.enabled && stored;
		},
		{ description: `the double to store ${url} for ${instance}` },
	);
	const secret = row.headers?.[VERIFICATION_HEADER];
	if (typeof secret !== 'string' || secret === '') throw new Error(`the stored webhook of ${instance} carries no ${VERIFICATION_HEADER} header`);
	return { url, secret };
}

/** Activates a core Webhook workflow and waits until its production path answers 200 (that probe runs once). */
export async function activateWebhookWorkflow(n8n: N8nInstance, workflow: StoredWorkflow, webhookPath: string, probeBody: string): Promise<string> {
	const url = `${n8n.baseUrl}/webhook/${webhookPath}`;
	await n8n.activate(workflow.id);
	await n8n.waitFor(
		async () => (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: probeBody })).status === 200,
		{ description: `${url} to answer 200` },
	);
	return url;
}

// ---- Evolution v2 envelopes (from the fixtures, with fresh ids) -------------------------------------

let serial = 0;
/** A WhatsApp-like message id (3EB0 + 16 hex), unique in this process and across runs. */
export function messageId(): string {
	serial += 1;
	const stamp = (Date.now() % 0xffffffff).toString(16).padStart(8, '0');
	return `3EB0${stamp}${serial.toString(16).padStart(8, '0')}`.toUpperCase();
}

function envelopeFrom(template: Envelope, data: Envelope, instance: string): Envelope {
	return { ...template, instance, data, destination: 'http://127.0.0.1/webhook', date_time: new Date().toISOString() };
}

const templates = {
	upsert: fixture('messages.upsert.v2.json'),
	own: fixture('messages.upsert-fromme.v2.json'),
	update: fixture('messages.update.v2.json'),
	presence: fixture('presence.update.v2.json'),
	connection: fixture('connection.update.v2.json'),
};

/** messages.upsert of a text from someone else. */
export function newMessage(id: string, instance = INSTANCE, text = `Hello ${id}`): Envelope {
	const data = templates.upsert.data;
	return envelopeFrom(templates.upsert, {
		...data,
		key: { ...data.key, id },
		message: { ...data.message, conversation: text },
		messageTimestamp: Math.floor(Date.now() / 1000),
	}, instance);
}

/** messages.upsert of a message typed on the connected phone (fromMe). */
export function ownMessage(id: string, instance = INSTANCE): Envelope {
	const data = templates.own.data;
	return envelopeFrom(templates.own, { ...data, key: { ...data.key, id }, messageTimestamp: Math.floor(Date.now() / 1000) }, instance);
}

/** messages.update: a status change (delivered, read…) of message `id`. */
export function statusUpdate(id: string, status: string, instance = INSTANCE): Envelope {
	return envelopeFrom(templates.update, { ...templates.update.data, keyId: id, status, messageId: `cm${id.toLowerCase()}` }, instance);
}

/** connection.update: the instance's state (a reconnect loop alternates connecting and close). */
export function connectionUpdate(state: 'open' | 'connecting' | 'close', instance = INSTANCE): Envelope {
	return envelopeFrom(templates.connection, { instance, state, statusReason: state === 'close' ? 428 : 200 }, instance);
}

export function presenceUpdate(instance = INSTANCE): Envelope {
	return envelopeFrom(templates.presence, { ...templates.presence.data }, instance);
}

// ---- load --------------------------------------------------------------------------------------------

export interface PreparedDelivery {
	body: string;
	headers?: Record<string, string>;
	/** Path and query on the target host, when it differs from the load's URL. */
	path?: string;
}

/**
 * A fixed number of POSTs (never unbounded), each taking the next prepared delivery in order whatever
 * connection sends it, so ids stay unique across connections. Loopback only.
 */
export async function runLoad(url: string, deliveries: readonly PreparedDelivery[], connections: number, headers: Record<string, string> = {}): Promise<AutocannonResult> {
	const target = new URL(url);
	if (target.hostname !== '127.0.0.1') throw new Error(`load only goes to 127.0.0.1, not ${target.hostname}`);
	let next = 0;
	const request: AutocannonRequest = {
		method: 'POST',
		setupRequest: (req: AutocannonRequest) => {
			const delivery = deliveries[next % deliveries.length];
			next += 1;
			return {
				...req,
				method: 'POST',
				path: delivery.path ?? `${target.pathname}${target.search}`,
				headers: { 'content-type': 'application/json', ...headers, ...delivery.headers },
				body: delivery.body,
			};
		},
	};
	return autocannon({ url: target.origin, connections, amount: deliveries.length, timeout: 30, requests: [request] });
}

// ---- executions --------------------------------------------------------------------------------------

export interface ExecutionCount {
	total: number;
	byStatus: Record<string, number>;
	/** Latest stoppedAt (ms since epoch) among them, 0 when none. */
	lastStoppedAt: number;
	/** Executions not finished yet (status new/running/waiting). */
	unfinished: number;
	/** Highest execution id seen (ids grow), 0 when none. */
	newestId: number;
}

/**
 * Executions of a workflow through the public API (250 a page, newest first, no run data); with `afterId`
 * only those with a higher id, so a count after a load does not page through every earlier run.
 */
export async function countExecutions(n8n: N8nInstance, workflowId: string, afterId = 0): Promise<ExecutionCount> {
	const count: ExecutionCount = { total: 0, byStatus: {}, lastStoppedAt: 0, unfinished: 0, newestId: afterId };
	let cursor: string | undefined;
	do {
		const query = new URLSearchParams({ workflowId, includeData: 'false', limit: '250', ...(cursor ? { cursor } : {}) });
		const page = await n8n.api<{ data: Array<{ id: string | number; status?: string; stoppedAt?: string | null }>; nextCursor?: string | null }>('GET', `/executions?${query}`);
		for (const execution of page.data) {
			const id = Number(execution.id);
			if (id <= afterId) return count;
			count.newestId = Math.max(count.newestId, id);
			count.total += 1;
			const status = execution.status ?? 'unknown';
			count.byStatus[status] = (count.byStatus[status] ?? 0) + 1;
			if (status === 'new' || status === 'running' || status === 'waiting') count.unfinished += 1;
			if (execution.stoppedAt) count.lastStoppedAt = Math.max(count.lastStoppedAt, Date.parse(execution.stoppedAt));
		}
		cursor = page.nextCursor ?? undefined;
	} while (cursor);
	return count;
}

/** Polls the count (see countExecutions) until nothing is running and it stayed the same for `quietMs`. */
export async function settledExecutionCount(
	n8n: N8nInstance,
	workflowId: string,
	{ quietMs = 3000, timeoutMs = 180_000, afterId = 0 }: { quietMs?: number; timeoutMs?: number; afterId?: number } = {},
): Promise<ExecutionCount> {
	const deadline = Date.now() + timeoutMs;
	let previous = await countExecutions(n8n, workflowId, afterId);
	let stableSince = Date.now();
	for (;;) {
		await sleep(1000);
		const current = await countExecutions(n8n, workflowId, afterId);
		if (current.total !== previous.total || current.unfinished > 0) stableSince = Date.now();
		previous = current;
		if (Date.now() - stableSince >= quietMs) return current;
		if (Date.now() > deadline) throw new Error(`executions of ${workflowId} still changing after ${timeoutMs} ms (${current.total}, ${current.unfinished} unfinished)`);
	}
}
