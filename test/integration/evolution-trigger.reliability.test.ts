/**
 * Deliveries across processes and restarts, through n8n-core's real WebhookContext (test/support/node-host.ts):
 * a second "process" is the trigger module loaded again (its own in-memory dedupe), reading the same
 * production static data ("the DB copy"), as a second queue-mode webhook processor or n8n after a restart does.
 */
import type { IDataObject, INodeType } from 'n8n-workflow';

import { PERSISTED_DEDUPE_KEY } from '../../nodes/lib/delivery/dedupe';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { EvolutionDouble } from '../support/evolution-double';
import { NodeHost, type PostResult } from '../support/node-host';
import { authenticPost, closeAll, INSTANCE, productionSecret, startDouble, triggerHost, triggerParameters } from './evolution-trigger-support';

afterEach(closeAll);

const NODE_STATIC_KEY = 'node:Evolution API Trigger';
const DIALECT = 'v2.3' as const;

/** The trigger class from a fresh module registry: nothing shared in memory with the first process. */
function triggerOfAnotherProcess(): INodeType {
	let nodeType: INodeType | undefined;
	jest.isolateModules(() => {
		const loaded = require('../../nodes/EvolutionApiTrigger/EvolutionApiTrigger.node') as { EvolutionApiTrigger: new () => INodeType };
		nodeType = new loaded.EvolutionApiTrigger();
	});
	if (!nodeType) throw new Error('module not loaded');
	return nodeType;
}

const message = (id: string) => ({
	event: 'messages.upsert',
	instance: INSTANCE,
	data: { key: { remoteJid: '5511988887777@s.whatsapp.net', fromMe: false, id }, message: { conversation: 'oi' }, messageTimestamp: 1717430400 },
});

function persistedKeys(staticData: IDataObject): Record<string, number> {
	const node = staticData[NODE_STATIC_KEY] as IDataObject | undefined;
	return ((node?.[PERSISTED_DEDUPE_KEY] as IDataObject | undefined)?.keys ?? {}) as Record<string, number>;
}

describe('dedupe that survives processes and restarts', () => {
	it('a retry reaching another process (fresh memory, same static data) starts nothing', async () => {
		const double = await startDouble(DIALECT);
		const identity = { nodeId: 'node-1', webhookId: 'b4a3c2d1-0000-4000-8000-000000000001', workflowId: 'wf-1' };
		const first = await triggerHost(double, {}, double.baseUrl, double.globalKey, identity);
		await first.activate();
		const delivered = await first.post(message('RETRY-1'), authenticPost(DIALECT, productionSecret(first)));
		expect(delivered.json).toEqual({ received: true });
		expect(Object.keys(persistedKeys(first.staticData.production))).toHaveLength(1);
		// The first process goes away (n8n restarted, or the load balancer picks the other processor).
		const port = Number(new URL(first.productionUrl).port);
		await first.close();

		const second = await NodeHost.create({
			nodeType: triggerOfAnotherProcess(),
			parameters: triggerParameters(),
			credentials: { evolutionApi: { baseUrl: double.baseUrl, apiKey: double.globalKey } },
			staticData: first.staticData.production,
			port,
			...identity,
		});
		try {
			await second.listen();
			await second.restart();
			// checkExists found the registration intact: no second set.
			expect(double.requestsTo('POST', '/webhook/set')).toHaveLength(1);
			const retried = await second.post(message('RETRY-1'), authenticPost(DIALECT, productionSecret(second)));
			expect(retried.json).toEqual({ ignored: 'a repeated delivery' });
			expect(second.executions).toHaveLength(0);
			const other = await second.post(message('OTHER-1'), authenticPost(DIALECT, productionSecret(second)));
			expect(other.json).toEqual({ received: true });
			expect(second.executions).toHaveLength(1);
		} finally {
			await second.close();
		}
	});

	it('a dropped repeat writes no static data; a delivery that starts an execution does', async () => {
		const double = await startDouble(DIALECT);
		const host = await triggerHost(double);
		await host.activate();
		const post = authenticPost(DIALECT, productionSecret(host));
		await host.post(message('W-1'), post);
		const afterFirst = host.staticData.production;
		await host.post(message('W-1'), post);
		// The host replaces its "DB copy" only when n8n would save (static data changed).
		expect(host.staticData.production).toBe(afterFirst);
		await host.post(message('W-2'), post);
		expect(host.staticData.production).not.toBe(afterFirst);
		expect(Object.keys(persistedKeys(host.staticData.production))).toHaveLength(2);
		expect(host.executions).toHaveLength(2);
	});

	it('the "Duplicate Window (Minutes)" option is read from the node (a value too big is clamped, not refused)', async () => {
		const double = await startDouble(DIALECT);
		const host = await triggerHost(double, { options: { dedupeWindowMinutes: 5000 } });
		await host.activate();
		const post = authenticPost(DIALECT, productionSecret(host));
		await host.post(message('OPT-1'), post);
		expect((await host.post(message('OPT-1'), post)).json).toEqual({ ignored: 'a repeated delivery' });
		expect(host.executions).toHaveLength(1);
	});
});

describe('flood coalescing through the node host', () => {
	it('a reconnect loop replayed by the double (alternating connecting/close) starts one execution per state; open starts one at once', async () => {
		const double = await startDouble(DIALECT);
		const host = await triggerHost(double, { events: ['CONNECTION_UPDATE'] });
		await host.activate();
		const statuses = new Set<number>();
		for (let index = 0; index < 120; index++) {
			const state = index % 2 === 0 ? 'connecting' : 'close';
			const delivery = await double.deliver(INSTANCE, 'connection.update', { instance: INSTANCE, state, statusReason: 428 });
			statuses.add(delivery?.status ?? 0);
		}
		expect([...statuses]).toEqual([200]);
		expect(host.executions.map((execution) => (execution.items[0][0].json.details as IDataObject).state)).toEqual(['connecting', 'close']);
		await double.deliver(INSTANCE, 'connection.update', { instance: INSTANCE, state: 'open', statusReason: 200 });
		expect(host.executions).toHaveLength(3);
		expect((host.executions[2].items[0][0].json.details as IDataObject).state).toBe('open');
	}, 30_000);

	it('"Coalesce Repeated States" off: every post starts an execution', async () => {
		const double = await startDouble(DIALECT);
		const host = await triggerHost(double, { events: ['CONNECTION_UPDATE'], options: { coalesceStates: false } });
		await host.activate();
		for (let index = 0; index < 6; index++) await double.deliver(INSTANCE, 'connection.update', { instance: INSTANCE, state: 'close', statusReason: 428 });
		expect(host.executions).toHaveLength(6);
	});
});

describe('deliveries while activating', () => {
	it('a delivery arriving once the server stored the URL but before n8n saved the registration gets 503 Retry-After, and succeeds on retry', async () => {
		const double = await startDouble(DIALECT);
		let early: PostResult | undefined;
		let host: NodeHost | undefined;
		// create is held at its set until a delivery reached the production URL (live during create, as in n8n).
		const baseUrl = await proxyBeforeSet(double, async () => {
			early = await host!.post(message('EARLY-1'), { headers: { 'x-n8n-evolution-secret': 'not-known-yet' } });
		});
		host = await triggerHost(double, {}, baseUrl);
		await host.activate();
		if (!early) throw new Error('no delivery during activation');
		expect(early.status).toBe(503);
		expect(early.headers.get('retry-after')).toBe('5');
		expect(host.executions).toHaveLength(0);
		const retried = await host.post(message('EARLY-1'), authenticPost(DIALECT, productionSecret(host)));
		expect(retried.json).toEqual({ received: true });
		const forged = await host.post(message('EARLY-2'), { headers: { 'x-n8n-evolution-secret': 'forged' } });
		expect(forged.status).toBe(401);
		expect(host.executions).toHaveLength(1);
	});
});

const proxies: Server[] = [];
afterEach(async () => {
	for (const proxy of proxies.splice(0)) {
		proxy.closeAllConnections();
		await new Promise<void>((resolve) => proxy.close(() => resolve()));
	}
});

/** A pass-through proxy in front of the double that runs `before` when the first set arrives, then forwards it. */
async function proxyBeforeSet(double: EvolutionDouble, before: () => Promise<void>): Promise<string> {
	let armed = true;
	const proxy = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			void (async () => {
				if (armed && req.method === 'POST' && (req.url ?? '').startsWith('/webhook/set/')) {
					armed = false;
					await before();
				}
				const headers: Record<string, string> = {};
				for (const name of ['apikey', 'content-type', 'accept']) {
					const value = req.headers[name];
					if (typeof value === 'string') headers[name] = value;
				}
				const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
				const answer = await fetch(`${double.baseUrl}${req.url ?? '/'}`, { method: req.method, headers, body });
				res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
				res.end(await answer.text());
			})();
		});
	});
	await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
	proxies.push(proxy);
	return `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
}
