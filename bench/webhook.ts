/**
 * Microbenchmark of webhook() itself: each trigger's whole webhook() (verify, parse, normalize, filter,
 * dedupe, output) in n8n-core's real WebhookContext, no HTTP, per delivery kind, next to n8n's own
 * Webhook node (when the provisioned n8n can lend it) and a bare node that only reads the body.
 * Prints µs per delivery and the ratios; never fails on a figure (a benchmark, not a test).
 *   npm run bench:webhook               (builds dist/ first)
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';

import type { INodeType, INodeTypeDescription, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { EvolutionDouble } from '../test/support/evolution-double';
import { NodeHost } from '../test/support/node-host';

const root = join(__dirname, '..');
const load = createRequire(__filename);
/** The built nodes, as n8n loads them (`*.node.ts` sits beside a codex `*.node.json`, which a bare import would find first). */
function builtNode(folder: string, name: string): INodeType {
	const module = load(join(root, 'dist/nodes', folder, `${name}.node.js`)) as Record<string, new () => INodeType>;
	return new module[name]();
}
const fixture = (path: string) => JSON.parse(readFileSync(join(root, 'test/fixtures', path), 'utf8')) as Record<string, unknown>;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CALLS = Number(process.env.BENCH_CALLS ?? 4000);

/** The least a webhook node can do: hand the body on as one item. */
class BareWebhook implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Bare Webhook',
		name: 'bareWebhook',
		group: ['trigger'],
		version: 1,
		description: 'Reads the body, starts an execution',
		defaults: { name: 'Bare Webhook' },
		inputs: [],
		outputs: ['main'],
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' }],
		properties: [],
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return { workflowData: [[{ json: this.getBodyData() }]] };
	}
}

/** n8n's own Webhook node from the provisioned n8n 2.40.7, if it is there and loads against our n8n-core. */
function coreWebhookNode(): INodeType | null {
	const base = join(homedir(), '.cache/n8n-nodes-whatsapp-webhooks/n8n-2.40.7/node_modules/n8n-nodes-base/dist/nodes/Webhook/Webhook.node.js');
	if (!existsSync(base)) return null;
	try {
		const module = load(base) as { Webhook: new () => INodeType };
		return new module.Webhook();
	} catch {
		return null;
	}
}

interface Kind {
	label: string;
	host: NodeHost;
	/** A fresh body per call, so dedupe never drops one. */
	body: (index: number) => unknown;
	headers?: Record<string, string>;
	expect: 'emit' | 'answer';
	/** Run (untimed) before each measured batch. */
	prime?: () => Promise<unknown>;
}

function withMessageId(template: Record<string, unknown>, id: string): Record<string, unknown> {
	const copy = structuredClone(template) as { data: { key: { id: string } } };
	copy.data.key.id = id;
	return copy as unknown as Record<string, unknown>;
}

/** µs per call of webhook() alone (the context is built per call, as n8n does, outside the timed part). */
async function measure(kind: Kind, bodies: unknown[]): Promise<number> {
	let micros = 0;
	for (const body of bodies) {
		const { result, webhookMicros } = await kind.host.callWebhookDirectly(body, { headers: kind.headers });
		if ((kind.expect === 'emit') !== (result.workflowData !== undefined)) throw new Error(`${kind.label}: unexpected outcome ${JSON.stringify(result).slice(0, 400)}`);
		micros += webhookMicros;
	}
	return micros / bodies.length;
}

async function main(): Promise<void> {
	const double = new EvolutionDouble({ dialect: 'v2.3', instances: [{ name: 'inst1', token: 'tok' }] });
	await double.start();
	const evolution = await NodeHost.create({
		nodeType: builtNode('EvolutionApiTrigger', 'EvolutionApiTrigger'),
		parameters: { mode: 'register', instance: 'inst1', events: ['MESSAGES_UPSERT'] },
		credentials: { evolutionApi: { baseUrl: double.baseUrl, apiKey: double.globalKey } },
	});
	await evolution.listen();
	await evolution.activate();
	const registration = (double.webhookOf('inst1') as { headers?: Record<string, string> }).headers ?? {};
	const whaticket = await NodeHost.create({ nodeType: builtNode('WhaticketTrigger', 'WhaticketTrigger'), parameters: { token: 'tk' } });
	await whaticket.listen();
	await whaticket.activate();
	const bare = await NodeHost.create({ nodeType: new BareWebhook() });
	await bare.listen();
	await bare.activate();
	const coreNode = coreWebhookNode();
	const core = coreNode ? await NodeHost.create({ nodeType: coreNode, parameters: { httpMethod: 'POST', path: 'bench', responseMode: 'onReceived' }, typeVersion: 2 }) : null;
	if (core) {
		await core.listen();
		await core.activate();
	}

	const text = fixture('evolution/messages.upsert.v2.json');
	const whazing = fixture('whazing/message.received.v2.16.json');
	const kinds: Kind[] = [
		{ label: 'Evolution text messages.upsert → execution', host: evolution, body: (index) => withMessageId(text, `BENCH${index}`), headers: registration, expect: 'emit' },
		{ label: 'Evolution unselected event → 200, nothing', host: evolution, body: () => ({ event: 'presence.update', instance: 'inst1', data: {} }), headers: registration, expect: 'answer' },
		{
			label: 'Evolution repeated delivery → dropped',
			host: evolution,
			body: () => withMessageId(text, 'REPEATED'),
			headers: registration,
			expect: 'answer',
			// Delivered once first, again before every batch: thousands of new ids in between evict it (the dedupe memory is bounded).
			prime: () => evolution.callWebhookDirectly(withMessageId(text, 'REPEATED'), { headers: registration }),
		},
		{ label: 'Whaticket Trigger: Whazing message → execution', host: whaticket, body: (index) => ({ ...whazing, messageId: `WZ${index}` }), headers: { 'x-n8n-api-key': 'tk' }, expect: 'emit' },
		{ label: 'bare node (reads the body) → execution', host: bare, body: (index) => withMessageId(text, `BARE${index}`), expect: 'emit' },
	];
	if (core) kinds.push({ label: "n8n's Webhook node (2.40.7) → execution", host: core, body: (index) => withMessageId(text, `CORE${index}`), expect: 'emit' });

	const results = new Map<string, number[]>();
	for (let round = 0; round < ROUNDS; round++) {
		// Rotated order, so no kind always runs first on a cold or warm process.
		const order = kinds.map((_, index) => kinds[(index + round) % kinds.length]);
		for (const kind of order) {
			const bodies = Array.from({ length: CALLS }, (_, index) => kind.body(round * CALLS + index));
			await kind.prime?.();
			await measure(kind, bodies.slice(0, 200).map((_, index) => kind.body(1e7 + round * 1000 + index)));
			const perCall = await measure(kind, bodies);
			results.set(kind.label, [...(results.get(kind.label) ?? []), perCall]);
		}
	}
	const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
	const bareMedian = median(results.get('bare node (reads the body) → execution')!);
	console.log(`webhook() microbenchmark — node ${process.version}, ${ROUNDS} rounds × ${CALLS} calls, ${new Date().toISOString()}`);
	console.log('');
	for (const kind of kinds) {
		const values = results.get(kind.label)!;
		const value = median(values);
		console.log(
			`${kind.label.padEnd(50)} ${value.toFixed(1).padStart(7)} µs/delivery  (${Math.min(...values).toFixed(1)}–${Math.max(...values).toFixed(1)})  ${(value / bareMedian).toFixed(2)}× the bare node`,
		);
	}
	if (!core) console.log("(n8n's own Webhook node could not be loaded from the provisioned n8n; run npm run e2e:provision to compare with it)");
	for (const host of [evolution, whaticket, bare, core]) await host?.close();
	await double.stop();
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
