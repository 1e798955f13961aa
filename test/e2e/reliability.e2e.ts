/**
 * Reliability of the Evolution API Trigger inside the real n8n 2.40.7, on 127.0.0.1:
 * forged deliveries are refused, malformed bodies never crash anything nor start executions, a burst of
 * valid concurrent deliveries starts exactly one execution each, a reconnect loop is coalesced into a
 * handful of executions, and a failing or unreachable Evolution server makes activation fail with a clear
 * message and leaves its webhook as it was.
 * Each check prints one summary line with its counts.
 *
 *   npm run test:reliability
 */
import { randomBytes } from 'node:crypto';

import type { WebhookRow } from '../support/evolution-double';
import { EvolutionDouble } from '../support/evolution-double';
import { outputOf } from './harness/executions';
import { N8nInstance, packThisPackage, sleep, type Execution, type StoredWorkflow } from './harness/n8n';
import {
	activateTrigger,
	countExecutions,
	evolutionCredential,
	INSTANCE,
	messageId,
	newMessage,
	OTHER_INSTANCE,
	presenceUpdate,
	runLoad,
	settledExecutionCount,
	startEvolutionDouble,
	TRIGGER_NAME,
	triggerWorkflow,
	VERIFICATION_HEADER,
} from './evolution-rig';

/** A third instance that already has a user's own webhook: failed activations must leave it untouched. */
const SEEDED_INSTANCE = 'inst3';
const SEEDED_WEBHOOK = {
	url: 'http://127.0.0.1:9/own-receiver',
	enabled: true,
	events: ['MESSAGES_UPSERT', 'CONNECTION_UPDATE'],
	headers: { 'x-own-token': 'users-own-secret' },
};

interface Shot {
	kind: string;
	url: string;
	headers: Record<string, string>;
	body: string | Uint8Array | undefined;
}

interface ShotResult {
	kind: string;
	status: number;
	text: string;
}

/** Sends every shot with at most `concurrency` in flight; network failures count as status 0. */
async function fire(shots: Iterable<Shot>, concurrency: number): Promise<ShotResult[]> {
	const iterator = shots[Symbol.iterator]();
	const results: ShotResult[] = [];
	const worker = async () => {
		for (let next = iterator.next(); !next.done; next = iterator.next()) {
			const shot = next.value;
			try {
				const response = await fetch(shot.url, { method: 'POST', headers: shot.headers, body: shot.body, signal: AbortSignal.timeout(30_000) });
				results.push({ kind: shot.kind, status: response.status, text: (await response.text()).slice(0, 300) });
			} catch (error) {
				results.push({ kind: shot.kind, status: 0, text: error instanceof Error ? error.message : String(error) });
			}
		}
	};
	await Promise.all(Array.from({ length: concurrency }, worker));
	return results;
}

/** "kind: status×count, …" per kind. */
function histogram(results: ShotResult[]): Record<string, Record<number, number>> {
	const byKind: Record<string, Record<number, number>> = {};
	for (const { kind, status } of results) {
		byKind[kind] ??= {};
		byKind[kind][status] = (byKind[kind][status] ?? 0) + 1;
	}
	return byKind;
}

/** n8n's own body parser refusing invalid JSON (422) before any node runs: logged as an error, expected here. */
const BODY_PARSER_REFUSAL = /Error in handling webhook request .*: Failed to parse request body/;

/** Lines of the n8n log that would mean something escaped: uncaught errors, crashes, failed webhook handling. */
function alarmingLogLines(log: string): string[] {
	return log
		.split('\n')
		.filter((line) => /uncaught|unhandled|UnhandledPromiseRejection|FATAL|out of memory|Maximum call stack|Error in handling webhook request|Problem with execution/i.test(line))
		.filter((line) => !BODY_PARSER_REFUSAL.test(line));
}

describe('Evolution API Trigger reliability in n8n 2.40.7', () => {
	let double: EvolutionDouble;
	let n8n: N8nInstance;
	let credential: { id: string; name: string };
	let main: { workflow: StoredWorkflow; url: string; secret: string };
	let other: { workflow: StoredWorkflow; url: string; secret: string };
	let logOffset = 0;

	beforeAll(async () => {
		double = await startEvolutionDouble();
		double.addInstance({ name: SEEDED_INSTANCE, token: 'inst3-token', ownerJid: '5511955556666@s.whatsapp.net' });
		double.seedWebhook(SEEDED_INSTANCE, SEEDED_WEBHOOK);
		n8n = await N8nInstance.start({ target: '2.x', packageTarball: packThisPackage() });
		await n8n.setupOwner();
		credential = await evolutionCredential(n8n, double.baseUrl, double.globalKey);

		const activate = async (name: string, instance: string) => {
			const json = triggerWorkflow({ name, credential, instance, events: ['MESSAGES_UPSERT'], options: { ignoreOwnMessages: true } });
			const workflow = await n8n.createWorkflow(json);
			return { workflow, ...(await activateTrigger(n8n, double, workflow, json.webhookId, instance)) };
		};
		main = await activate('reliability main', INSTANCE);
		other = await activate('reliability other node', OTHER_INSTANCE);
		logOffset = n8n.logs().length;
	});

	afterAll(async () => {
		await n8n?.stop();
		await double?.stop();
	});

	const validHeaders = () => ({ 'content-type': 'application/json', [VERIFICATION_HEADER]: main.secret });

	it('refuses 1 200 forged deliveries (401) and starts no execution', async () => {
		const before = (await countExecutions(n8n, main.workflow.id)).total;
		const kinds: Array<(body: string) => Omit<Shot, 'body'>> = [
			() => ({ kind: 'no secret', url: main.url, headers: { 'content-type': 'application/json' } }),
			() => ({ kind: 'wrong secret', url: main.url, headers: { 'content-type': 'application/json', [VERIFICATION_HEADER]: randomBytes(32).toString('hex') } }),
			() => ({ kind: "another node's secret", url: main.url, headers: { 'content-type': 'application/json', [VERIFICATION_HEADER]: other.secret } }),
			() => ({ kind: 'secret in the query', url: `${main.url}?n8nSecret=${main.secret}`, headers: { 'content-type': 'application/json' } }),
			() => ({ kind: 'secret as Bearer token', url: main.url, headers: { 'content-type': 'application/json', authorization: `Bearer ${main.secret}` } }),
			() => ({ kind: 'secret in another header', url: main.url, headers: { 'content-type': 'application/json', apikey: main.secret } }),
		];
		function* shots(): Generator<Shot> {
			for (let index = 0; index < 1200; index++) {
				const body = JSON.stringify(newMessage(messageId()));
				yield { ...kinds[index % kinds.length](body), body };
			}
		}
		const results = await fire(shots(), 20);
		const accepted = results.filter((result) => result.status !== 401);
		const after = await settledExecutionCount(n8n, main.workflow.id, { quietMs: 2000 });
		console.log(
			`forged: ${results.length} sent, ${results.length - accepted.length} answered 401, ${accepted.length} otherwise, ${after.total - before} executions; per kind ${JSON.stringify(histogram(results))}`,
		);
		expect(accepted).toEqual([]);
		expect(after.total - before).toBe(0);
		expect((await countExecutions(n8n, other.workflow.id)).total).toBe(0);
	});

	it('answers 10 000 malformed bodies (right secret) without a crash or an execution, and stays healthy (valid JSON under another content type is read)', async () => {
		const before = (await countExecutions(n8n, main.workflow.id)).total;
		const valid = () => JSON.stringify(newMessage(messageId()));
		const json = (value: unknown) => JSON.stringify(value);
		const upsert = (data: unknown) => json({ ...newMessage(messageId()), data });
		const huge = 'A'.repeat(1024 * 1024);
		const nested = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
		const nestedArrays = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
		/** `readFromRawBody`: a valid delivery under another content type; the trigger reads JSON from the raw body, so it starts one execution. */
		type Maker = { kind: string; contentType?: string; body: (index: number) => string | Uint8Array | undefined; weight?: number; readFromRawBody?: true };
		const makers: Maker[] = [
			{ kind: 'truncated JSON', body: (index) => valid().slice(0, 1 + (index % 300)) },
			{ kind: 'JSON with a trailing comma', body: () => valid().replace(/}$/, ',}') },
			{ kind: 'event is a number', body: () => json({ ...newMessage(messageId()), event: 42 }) },
			{ kind: 'event is null', body: () => json({ ...newMessage(messageId()), event: null }) },
			{ kind: 'event is an object', body: () => json({ ...newMessage(messageId()), event: { name: 'messages.upsert' } }) },
			{ kind: 'event is an array', body: () => json({ ...newMessage(messageId()), event: ['messages.upsert'] }) },
			{ kind: 'event unknown', body: () => json({ ...newMessage(messageId()), event: 'messages.upsertx' }) },
			{ kind: 'no event', body: () => json({ instance: INSTANCE, data: newMessage(messageId()).data }) },
			{ kind: 'data is a string', body: () => upsert('hello') },
			{ kind: 'data is a number', body: () => upsert(7) },
			{ kind: 'data is true', body: () => upsert(true) },
			{ kind: 'data is null', body: () => upsert(null) },
			{ kind: 'data is an empty object', body: () => upsert({}) },
			{ kind: 'data.key is a string', body: () => upsert({ key: 'nope', message: { conversation: 'x' } }) },
			{ kind: 'data.key fields have wrong types', body: () => upsert({ key: { id: 5, remoteJid: ['x'], fromMe: 'no' }, message: 'text' }) },
			{ kind: 'instance is a number', body: () => json({ ...newMessage(messageId()), instance: 12 }) },
			{ kind: 'huge event name (1 MB)', body: () => json({ ...newMessage(messageId()), event: huge }), weight: 0.2 },
			{ kind: 'huge invalid JSON (1 MB)', body: () => `{"event":"messages.upsert","data":"${huge}`, weight: 0.2 },
			{ kind: 'huge presence (1 MB, unselected event)', body: () => json({ ...presenceUpdate(), data: { id: huge, presences: {} } }), weight: 0.2 },
			{ kind: 'deep nesting as data (10 000 levels)', body: () => `{"event":"messages.upsert","instance":"${INSTANCE}","data":${nested(10_000)}}`, weight: 0.5 },
			{ kind: 'deep nesting, arrays (100 000 levels)', body: () => `{"event":"messages.upsert","data":${nestedArrays(100_000)}}`, weight: 0.2 },
			{ kind: 'text/plain body', contentType: 'text/plain', body: () => valid(), readFromRawBody: true },
			{ kind: 'form-urlencoded body', contentType: 'application/x-www-form-urlencoded', body: () => `event=messages.upsert&instance=${INSTANCE}&data=%7B%7D` },
			{ kind: 'XML body', contentType: 'application/xml', body: () => '<event>messages.upsert</event>' },
			{ kind: 'no content type', contentType: '', body: () => new TextEncoder().encode(valid()), readFromRawBody: true },
			{ kind: 'empty body (JSON type)', body: () => '' },
			{ kind: 'empty body, no type', contentType: '', body: () => undefined },
			{ kind: 'top-level array', body: () => `[${valid()}]` },
			{ kind: 'empty array', body: () => '[]' },
			{ kind: 'null', body: () => 'null' },
			{ kind: 'a string', body: () => '"messages.upsert"' },
			{ kind: 'a number', body: () => '123' },
			{ kind: 'binary garbage', contentType: 'application/json', body: (index) => randomBytes(64 + (index % 512)) },
		];
		// Weighted round-robin: 1 MB and very deep bodies are rarer so the run stays within minutes.
		const schedule: Maker[] = [];
		for (const maker of makers) for (let copy = 0; copy < Math.round((maker.weight ?? 1) * 10); copy++) schedule.push(maker);
		const TOTAL = 10_000;
		function* shots(): Generator<Shot> {
			for (let index = 0; index < TOTAL; index++) {
				const maker = schedule[(index * 7919) % schedule.length];
				const headers: Record<string, string> = { [VERIFICATION_HEADER]: main.secret };
				const contentType = maker.contentType ?? 'application/json';
				if (contentType !== '') headers['content-type'] = contentType;
				yield { kind: maker.kind, url: main.url, headers, body: maker.body(index) };
			}
		}
		const started = Date.now();
		const results = await fire(shots(), 20);
		const byKind = histogram(results);
		const rawBodyKinds = new Set(makers.filter((maker) => maker.readFromRawBody).map((maker) => maker.kind));
		const readFromRawBody = results.filter((result) => rawBodyKinds.has(result.kind));
		const serverErrors = results.filter((result) => result.status >= 500 || result.status === 0);
		const after = await settledExecutionCount(n8n, main.workflow.id, { quietMs: 3000 });
		const logSinceStart = n8n.logs().slice(logOffset);
		const alarms = alarmingLogLines(logSinceStart);
		const parserRefusals = logSinceStart.split('\n').filter((line) => BODY_PARSER_REFUSAL.test(line)).length;

		const health = await fetch(`${n8n.baseUrl}/healthz`);
		const stillWorks = await fetch(main.url, { method: 'POST', headers: validHeaders(), body: valid() });
		const afterValid = await settledExecutionCount(n8n, main.workflow.id, { quietMs: 2000 });

		console.log(
			`malformed: ${results.length} sent in ${((Date.now() - started) / 1000).toFixed(1)} s, ${serverErrors.length} answered 5xx or failed, ${after.total - before} executions (${readFromRawBody.length} valid deliveries under another content type, read from the raw body), ${alarms.length} alarming log lines (besides ${parserRefusals} "Failed to parse request body" errors of n8n's own JSON parser, answered 422); /healthz ${health.status}; a valid delivery afterwards ${stillWorks.status} → ${afterValid.total - after.total} execution`,
		);
		for (const [kind, statuses] of Object.entries(byKind)) console.log(`  ${kind}: ${JSON.stringify(statuses)}`);
		for (const failure of serverErrors.slice(0, 5)) console.log(`  5xx sample (${failure.kind}): ${failure.status} ${failure.text}`);
		for (const line of alarms.slice(0, 5)) console.log(`  log: ${line.slice(0, 300)}`);

		expect(serverErrors).toEqual([]);
		expect(alarms).toEqual([]);
		expect(readFromRawBody.length).toBeGreaterThan(0);
		expect(readFromRawBody.filter((result) => result.status !== 200)).toEqual([]);
		// Only those: every malformed body starts nothing.
		expect(after.total - before).toBe(readFromRawBody.length);
		expect(health.status).toBe(200);
		expect(stillWorks.status).toBe(200);
		expect(afterValid.total - after.total).toBe(1);
		logOffset = n8n.logs().length;
	});

	it('starts exactly one execution for each of 1 000 concurrent valid deliveries (30 connections)', async () => {
		const before = (await countExecutions(n8n, main.workflow.id)).total;
		const deliveries = Array.from({ length: 1000 }, () => ({ body: JSON.stringify(newMessage(messageId())) }));
		const result = await runLoad(main.url, deliveries, 30, { [VERIFICATION_HEADER]: main.secret });
		const after = await settledExecutionCount(n8n, main.workflow.id);
		console.log(
			`concurrent valid: ${result.requests.total} sent over 30 connections in ${result.duration.toFixed(1)} s, ${result['2xx']} answered 2xx, ${result.non2xx} other, ${result.errors} errors, ${after.total - before} executions (${JSON.stringify(after.byStatus)})`,
		);
		expect(result['2xx']).toBe(1000);
		expect(after.total - before).toBe(1000);
		expect(after.byStatus.error ?? 0).toBe(0);
	});

	/** Publishes, waits for the publication to settle and answers its status with the trigger's error message. */
	async function publishAndSettle(workflow: StoredWorkflow, timeoutMs = 60_000): Promise<{ status: string; errorMessage: string }> {
		await n8n.activate(workflow.id);
		const settled = await n8n.waitFor(
			async () => {
				const { data } = await n8n.rest<{ data: { status: string; triggers: Array<{ status: string; errorMessage: string | null }> } }>(
					'GET',
					`/workflows/${workflow.id}/publication-status`,
				);
				return data.status !== 'in_progress' && data;
			},
			{ timeoutMs, intervalMs: 250, description: 'the publication to settle' },
		);
		return { status: settled.status, errorMessage: settled.triggers.map((trigger) => trigger.errorMessage ?? '').join(' | ') };
	}

	async function registrationIn(workflowId: string): Promise<unknown> {
		const stored = await n8n.getWorkflow(workflowId);
		const staticData = (stored.staticData ?? {}) as Record<string, Record<string, unknown> | undefined>;
		return staticData['node:Evolution API Trigger']?.registration;
	}

	it('fails activation with a message naming the URL when the Evolution server is down, writing nothing', async () => {
		const down = await startEvolutionDouble();
		const downUrl = down.baseUrl;
		await down.stop();
		const downCredential = await evolutionCredential(n8n, downUrl, down.globalKey, 'evolution down');
		const workflow = await n8n.createWorkflow(triggerWorkflow({ name: 'reliability server down', credential: downCredential, instance: INSTANCE }));
		const mainRowBefore = double.webhookOf(INSTANCE);

		const outcome = await publishAndSettle(workflow);
		const registration = await registrationIn(workflow.id);
		console.log(`server down: publication ${outcome.status}: "${outcome.errorMessage}"; registration stored: ${registration === undefined ? 'none' : 'yes'}; ${down.requests.length} requests reached the stopped double`);
		await n8n.deactivate(workflow.id);

		expect(outcome.status).toBe('failed');
		expect(outcome.errorMessage).toContain(downUrl.replace(/\/$/, ''));
		expect(outcome.errorMessage).toMatch(/Could not reach the Evolution API server/);
		expect(registration).toBeUndefined();
		expect(down.requests).toEqual([]);
		expect(double.webhookOf(INSTANCE)).toEqual(mainRowBefore);
	});

	/** n8n 2.40.7 tries a webhook activation 5 times (1, 2, 4, 8 s apart) before the publication fails. */
	const N8N_ACTIVATION_ATTEMPTS = 5;
	/** Each failed attempt calls find twice (create, then n8n's clean-up delete) and set at most once. */
	const faults = [
		{ route: 'find', fault: { status: 500 }, queued: 2 * N8N_ACTIVATION_ATTEMPTS },
		{ route: 'set', fault: { status: 500 }, queued: N8N_ACTIVATION_ATTEMPTS },
		{ route: 'set', fault: 'timeout', queued: N8N_ACTIVATION_ATTEMPTS },
	] as const;

	/** Uses up faults a test queued but n8n did not reach, so they cannot hit the next test; answers how many. */
	async function drainFaults(route: 'find' | 'set'): Promise<number> {
		for (let drained = 0; drained < 20; drained++) {
			const url = `${double.baseUrl}/webhook/${route}/${SEEDED_INSTANCE}`;
			const headers = { apikey: double.globalKey, 'content-type': 'application/json' };
			try {
				// Without a fault, find reads and an empty set body is refused (400): nothing is written.
				const response = await fetch(url, { method: route === 'find' ? 'GET' : 'POST', headers, body: route === 'set' ? '{}' : undefined, signal: AbortSignal.timeout(500) });
				if (response.status < 500) return drained;
			} catch {
				// a held 'timeout' fault, now used up
			}
		}
		throw new Error(`faults on ${route} keep coming`);
	}

	it.each(faults)('fails activation clearly and leaves the webhook as it was when $route answers $fault every time', async ({ route, fault, queued }) => {
		const seededBefore = double.webhookOf(SEEDED_INSTANCE) as WebhookRow;
		expect(seededBefore.url).toBe(SEEDED_WEBHOOK.url);
		const setsBefore = double.requestsTo('POST', `/webhook/set/${SEEDED_INSTANCE}`).length;
		for (let index = 0; index < queued; index++) double.failNext(route, fault);
		const workflow = await n8n.createWorkflow(
			triggerWorkflow({ name: `reliability ${route} ${JSON.stringify(fault)}`, credential, instance: SEEDED_INSTANCE }),
		);
		const started = Date.now();
		// 5 attempts of 10 s (the client's request timeout) plus n8n's back-off when the server hangs.
		const outcome = await publishAndSettle(workflow, fault === 'timeout' ? 180_000 : 60_000);
		// n8n runs delete() after each failed create: let the last one finish before looking at the server.
		await sleep(1500);
		const seededAfter = double.webhookOf(SEEDED_INSTANCE);
		const setsAfter = double.requestsTo('POST', `/webhook/set/${SEEDED_INSTANCE}`).length;
		const leftover = await drainFaults(route);
		console.log(
			`${route} ${JSON.stringify(fault)} (${queued} queued, ${leftover} unused): publication ${outcome.status} after ${((Date.now() - started) / 1000).toFixed(1)} s: "${outcome.errorMessage}"; webhook/set calls ${setsAfter - setsBefore}; stored webhook ${JSON.stringify(seededAfter) === JSON.stringify(seededBefore) ? 'unchanged' : 'CHANGED'}`,
		);
		await n8n.deactivate(workflow.id);
		await sleep(1000);

		expect(outcome.status).toBe('failed');
		if (fault === 'timeout') {
			// n8n 2.40.7 aborts a publication after 84 s (0.7 × its 120 s outbox lease). A hung find costs two of
			// our 10 s request timeouts per attempt (create and the clean-up delete), so with back-off the deadline
			// can come first and the user reads n8n's deadline message instead of ours.
			expect(outcome.errorMessage).toMatch(/did not answer in time|Workflow publication processing exceeded its deadline/);
		} else {
			expect(outcome.errorMessage).toMatch(/The Evolution API server failed \(500\)/);
		}
		expect(seededAfter).toEqual(seededBefore);
		if (fault !== 'timeout') expect(setsAfter - setsBefore).toBe(route === 'set' ? N8N_ACTIVATION_ATTEMPTS : 0);
		expect(double.webhookOf(SEEDED_INSTANCE)).toEqual(seededBefore);
	});

	it('deliveries fired from the moment the server stores the URL, while n8n is still activating: no 401, every 503 succeeds on its retry, one execution per delivery', async () => {
		const raceInstance = 'inst4';
		double.addInstance({ name: raceInstance, token: 'inst4-token', ownerJid: '5511944443333@s.whatsapp.net' });
		const json = triggerWorkflow({ name: 'reliability activation race', credential, instance: raceInstance, events: ['MESSAGES_UPSERT'] });
		const workflow = await n8n.createWorkflow(json);
		const url = n8n.productionUrl(json.webhookId, 'webhook');
		await n8n.activate(workflow.id);
		// Polled every 2 ms: the first delivery leaves as soon as the server holds our URL, as a busy instance's would.
		const row = await n8n.waitFor(
			() => {
				const stored = double.webhookOf(raceInstance) as WebhookRow | null;
				return stored?.url === url && stored;
			},
			{ timeoutMs: 60_000, intervalMs: 2, description: `the double to store ${url}` },
		);
		const secret = String(row.headers?.[VERIFICATION_HEADER] ?? '');
		const storedAt = Date.now();
		/** One message, sent as Evolution 2.2.1+ does: a 503 (or n8n's 404 before the route exists) is retried after a second, up to 30 times. */
		const deliver = async (id: string): Promise<number[]> => {
			const statuses: number[] = [];
			for (let attempt = 0; attempt < 30; attempt++) {
				const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', [VERIFICATION_HEADER]: secret }, body: JSON.stringify(newMessage(id, raceInstance)) });
				statuses.push(response.status);
				await response.arrayBuffer();
				if (response.status !== 503 && response.status !== 404) break;
				await sleep(1000);
			}
			return statuses;
		};
		// A new message every 20 ms for 6 s from that moment: the first ones meet the activation still running.
		const sent: Array<Promise<number[]>> = [];
		const ids: string[] = [];
		while (Date.now() - storedAt < 6000) {
			const id = messageId();
			ids.push(id);
			sent.push(deliver(id));
			await sleep(20);
		}
		const histories = await Promise.all(sent);
		const after = await settledExecutionCount(n8n, workflow.id, { quietMs: 3000 });
		const first = (status: number) => histories.filter((history) => history[0] === status).length;
		const refused = histories.filter((history) => history.includes(401)).length;
		const notFinal200 = histories.filter((history) => history[history.length - 1] !== 200);
		console.log(
			`activation race: ${ids.length} deliveries from the moment the server stored the URL; first answers 200×${first(200)}, 503×${first(503)}, 404×${first(404)}, 401×${first(401)}; every delivery's last answer 200: ${notFinal200.length === 0}; ${after.total} executions (${JSON.stringify(after.byStatus)})`,
		);
		expect(refused).toBe(0);
		expect(notFinal200).toEqual([]);
		expect(after.total).toBe(ids.length);
		expect(after.byStatus.error ?? 0).toBe(0);
	});

	it('a reconnect loop as a real Evolution 1.8.1 posts it (connecting and close alternating, 18 a second for 65 s): a handful of executions, the later ones counting the posts they stood for; open starts one at once', async () => {
		const instance = 'flood';
		const loop = new EvolutionDouble({ dialect: 'v1', version: '1.8.1', instances: [{ name: instance, token: 'flood-token', ownerJid: '5511922221111@s.whatsapp.net' }] });
		await loop.start();
		try {
			const loopCredential = await evolutionCredential(n8n, loop.baseUrl, loop.globalKey);
			// Node version 2, as a new trigger is: Coalesce Repeated States on, State Window 60 s (the defaults).
			const json = triggerWorkflow({ name: 'reliability reconnect flood', credential: loopCredential, instance, events: ['CONNECTION_UPDATE'], typeVersion: 2 });
			const workflow = await n8n.createWorkflow(json);
			await n8n.activate(workflow.id);
			const open = () => loop.deliver(instance, 'connection.update', { instance, state: 'open', statusReason: 200 });
			// The instance connects once the trigger answers (its registration saved): that `open` starts one execution.
			await n8n.waitFor(async () => (await open())?.status === 200, { timeoutMs: 60_000, intervalMs: 500, description: 'the trigger to accept the flood instance' });
			const connected = await settledExecutionCount(n8n, workflow.id, { quietMs: 2000 });

			const loopStarted = Date.now();
			const posts = await loop.replayReconnectLoop(instance, { perSecond: 18, durationMs: 65_000 });
			const loopSeconds = (Date.now() - loopStarted) / 1000;
			const during = await settledExecutionCount(n8n, workflow.id, { afterId: connected.newestId, quietMs: 3000 });
			const detailsOf = (execution: Execution) => outputOf(execution, TRIGGER_NAME)[0]?.json.details as { state?: string; coalesced?: number };
			const newestFirst = await n8n.executions(workflow.id);
			const floodRuns = newestFirst.filter((execution) => Number(execution.id) > connected.newestId).reverse().map(detailsOf);

			const reconnectedAt = Date.now();
			const reconnected = await open();
			const afterOpen = await settledExecutionCount(n8n, workflow.id, { afterId: during.newestId, quietMs: 2000 });
			const [openRun] = (await n8n.executions(workflow.id)).filter((execution) => Number(execution.id) > during.newestId).map(detailsOf);
			const statuses = [...new Set(posts.map((post) => post?.status ?? post?.error ?? 'not sent'))];
			console.log(
				`reconnect flood: ${posts.length} posts in ${loopSeconds.toFixed(1)} s (${(posts.length / loopSeconds).toFixed(1)}/s), answers ${JSON.stringify(statuses)}; ${during.total} executions (${floodRuns.map((run) => `${run.state}${run.coalesced ? ` ×${run.coalesced + 1}` : ''}`).join(', ')}); then open: ${afterOpen.total} execution, stopped ${afterOpen.lastStoppedAt - reconnectedAt} ms after it was posted`,
			);

			expect(connected.total).toBe(1);
			expect(posts.length / loopSeconds).toBeGreaterThanOrEqual(15);
			expect(loopSeconds).toBeGreaterThanOrEqual(60);
			expect(statuses).toEqual([200]);
			// Each state starts one execution per State Window: connecting and close at once, again after 60 s.
			expect(during.total).toBeGreaterThanOrEqual(2);
			expect(during.total).toBeLessThanOrEqual(6);
			expect(floodRuns.slice(0, 2).map((run) => run.state)).toEqual(['connecting', 'close']);
			expect(floodRuns.slice(0, 2).map((run) => run.coalesced)).toEqual([undefined, undefined]);
			for (const run of floodRuns.slice(2)) expect(run.coalesced).toBeGreaterThan(0);
			expect(reconnected?.status).toBe(200);
			expect(afterOpen.total).toBe(1);
			expect(openRun).toMatchObject({ state: 'open' });
			await n8n.deactivate(workflow.id);
		} finally {
			await loop.stop();
		}
	});

	it("a single find timeout is survived by n8n's retry: a clean registration that deactivation undoes exactly", async () => {
		const seededBefore = double.webhookOf(SEEDED_INSTANCE) as WebhookRow;
		double.failNext('find', 'timeout');
		const json = triggerWorkflow({ name: 'reliability find timeout once', credential, instance: SEEDED_INSTANCE });
		const workflow = await n8n.createWorkflow(json);
		const started = Date.now();
		const outcome = await publishAndSettle(workflow);
		const registered = double.webhookOf(SEEDED_INSTANCE) as WebhookRow;
		const registration = (await registrationIn(workflow.id)) as { previous?: { url?: string } } | undefined;
		await n8n.deactivate(workflow.id);
		const restored = await n8n.waitFor(() => (double.webhookOf(SEEDED_INSTANCE) as WebhookRow).url === SEEDED_WEBHOOK.url && double.webhookOf(SEEDED_INSTANCE), {
			description: 'the seeded webhook to be restored',
		});
		const sameButTime = JSON.stringify({ ...restored, updatedAt: undefined }) === JSON.stringify({ ...seededBefore, updatedAt: undefined });
		console.log(
			`find "timeout" once: publication ${outcome.status} after ${((Date.now() - started) / 1000).toFixed(1)} s (n8n retried); registered ${registered.url}; saved previous ${registration?.previous?.url}; after deactivation ${sameButTime ? 'restored exactly (but updatedAt)' : 'DIFFERENT'}`,
		);

		expect(outcome.status).toBe('published');
		expect(registered.url).toBe(n8n.productionUrl(json.webhookId, 'webhook'));
		expect(registration?.previous?.url).toBe(SEEDED_WEBHOOK.url);
		expect({ ...restored, updatedAt: undefined }).toEqual({ ...seededBefore, updatedAt: undefined });
	});
});
