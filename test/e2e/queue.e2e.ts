/**
 * The Evolution API Trigger in n8n queue mode: a main (editor/API, activation), a webhook processor
 * (production webhooks) and a worker (executions), sharing one PostgreSQL and one Redis started by
 * scripts/queue/services.sh, all on 127.0.0.1, against the Evolution double (v2.3).
 *
 * What it proves: create()/delete() run on the main and register the webhook processor's URL; the
 * delivery is verified by webhook() on the webhook processor (secret read from the static data the main
 * saved in PostgreSQL); the worker runs the execution (its log names the execution id); a forged
 * delivery gets 401 and enqueues nothing; deactivation puts the instance's previous webhook back.
 *
 * N8N_E2E_TARGETS=2.x,1.x (default: both, 2.x first). Run with `npm run test:e2e:queue`.
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import { VERIFICATION_HEADER } from '../../nodes/lib/evolution/registration';
import { fixtureData, INSTANCE, OWNER_JID, webhookFields } from '../integration/evolution-trigger-support';
import { EvolutionDouble } from '../support/evolution-double';
import { Execution, freePort, N8nInstance, N8nTargetId, packThisPackage, provisionN8n, sleep, StoredWorkflow } from './harness/n8n';

const TARGETS = (process.env.N8N_E2E_TARGETS ?? '2.x,1.x').split(',').map((id) => id.trim()) as N8nTargetId[];
const REPO_ROOT = path.resolve(__dirname, '..', '..');
const SERVICES_SCRIPT = path.join(REPO_ROOT, 'scripts', 'queue', 'services.sh');
const NODE_TYPE = 'n8n-nodes-whatsapp-webhooks.evolutionApiTrigger';
const TRIGGER_NAME = 'Evolution API Trigger';
const AFTER_TRIGGER = 'After Trigger';
const WEBHOOK_PATH = 'webhook';
/** A user's own integration on the instance before the workflow takes the slot (loopback: never contacted). */
const PREVIOUS_WEBHOOK = {
	url: 'http://127.0.0.1:9/crm/hooks/whatsapp',
	events: ['MESSAGES_UPSERT', 'CONNECTION_UPDATE'],
	byEvents: false,
	base64: true,
	headers: { 'x-crm-token': 'crm-secret-1' },
};

// ---- PostgreSQL + Redis through scripts/queue/services.sh ------------------------------------------------

function runServices(command: 'check' | 'start' | 'stop' | 'reap', stateDir: string): { status: number | null; stdout: string; stderr: string } {
	const result = spawnSync('bash', [SERVICES_SCRIPT, command], {
		encoding: 'utf8',
		// The owner pid lets a later run reap these services if this runner dies without clean-up (SIGKILL).
		env: { ...process.env, QUEUE_SERVICES_DIR: stateDir, QUEUE_SERVICES_OWNER_PID: String(process.pid) },
		timeout: 120_000,
	});
	return { status: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? String(result.error ?? '') };
}

/** What this machine lacks to run the suite (empty when nothing): decided before any test runs. */
function missingPrerequisites(): string {
	if (process.platform !== 'linux') return `Linux (this is ${process.platform})`;
	const check = runServices('check', path.join(REPO_ROOT, '.e2e', 'queue', 'check'));
	if (check.status === 0) return '';
	return check.stdout.trim() || `scripts/queue/services.sh check failed: ${check.stderr.trim()}`;
}

function parseEnvLines(text: string): Record<string, string> {
	const env: Record<string, string> = {};
	for (const line of text.split('\n')) {
		const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
		if (match) env[match[1]] = match[2];
	}
	return env;
}

const startedServiceDirs = new Set<string>();
process.on('exit', () => {
	for (const dir of startedServiceDirs) runServices('stop', dir);
});

function startServices(stateDir: string): Record<string, string> {
	runServices('reap', stateDir);
	startedServiceDirs.add(stateDir);
	const started = runServices('start', stateDir);
	if (started.status !== 0) throw new Error(`scripts/queue/services.sh start failed (exit ${started.status}):\n${started.stderr}`);
	const env = parseEnvLines(started.stdout);
	if (!env.DB_POSTGRESDB_PORT || !env.QUEUE_BULL_REDIS_PORT) throw new Error(`services.sh printed no ports:\n${started.stdout}`);
	return env;
}

function stopServices(stateDir: string): void {
	const stopped = runServices('stop', stateDir);
	if (stopped.status !== 0) console.error(`scripts/queue/services.sh stop failed:\n${stopped.stderr}`);
	startedServiceDirs.delete(stateDir);
}

// ---- helpers ---------------------------------------------------------------------------------------------

function triggerOutput(execution: Execution, node = TRIGGER_NAME): Array<Record<string, unknown>> {
	return (execution.data?.resultData?.runData?.[node]?.[0]?.data?.main?.[0] ?? []).map((item) => item.json);
}

function linesOf(instance: N8nInstance, text: string): string[] {
	return instance.logs().split('\n').filter((line) => line.includes(text));
}

let tarball: string | undefined;
function packageTarball(): string {
	tarball ??= packThisPackage();
	return tarball;
}

const missing = missingPrerequisites();
if (missing) {
	const banner = '#'.repeat(100);
	console.warn(
		`\n${banner}\n# QUEUE-MODE E2E SUITE SKIPPED: this machine lacks ${missing}.\n# Run \`bash scripts/queue/services.sh install\` as root (CI does, via npm run test:e2e:queue).\n${banner}\n`,
	);
}
const describeIfReady = missing ? describe.skip : describe;

describeIfReady.each(TARGETS)('Evolution API Trigger in queue mode on n8n %s', (target) => {
	const stateDir = path.join(REPO_ROOT, '.e2e', 'queue', `${target}-${Date.now()}`);
	const webhookId = randomUUID();
	let double: EvolutionDouble;
	let main: N8nInstance | undefined;
	let webhookProcessor: N8nInstance | undefined;
	/** A second webhook processor behind the same production path (a load balancer's other target). */
	let secondProcessor: N8nInstance | undefined;
	let secondProductionUrl: string;
	let worker: N8nInstance | undefined;
	let workflow: StoredWorkflow;
	let productionUrl: string;
	let secret: string;
	let firstExecutionId: string;
	/** Executions the tests before the main's restart started. */
	const earlierExecutionIds = new Set<string>();

	beforeAll(async () => {
		double = new EvolutionDouble({ dialect: 'v2.3', instances: [{ name: INSTANCE, token: 'inst1-token', ownerJid: OWNER_JID, profileName: 'Shop' }] });
		await double.start();
		double.seedWebhook(INSTANCE, PREVIOUS_WEBHOOK);

		const servicesStarted = Date.now();
		const services = startServices(stateDir);
		console.log(`PostgreSQL on :${services.DB_POSTGRESDB_PORT}, Redis on :${services.QUEUE_BULL_REDIS_PORT}: ready in ${Date.now() - servicesStarted} ms`);

		const [mainPort, webhookPort, workerPort, secondWebhookPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
		secondProductionUrl = `http://127.0.0.1:${secondWebhookPort}/webhook/${webhookId}/${WEBHOOK_PATH}`;
		const webhookBaseUrl = `http://127.0.0.1:${webhookPort}/`;
		productionUrl = `${webhookBaseUrl}webhook/${webhookId}/${WEBHOOK_PATH}`;
		const majorVersion = Number(provisionN8n(target).n8nVersion.split('.')[0]);
		const env = {
			...services,
			// Every process builds the same production URL: the webhook processor's (1.x reads WEBHOOK_URL; 2.x
			// N8N_WEBHOOK_URL and warns that WEBHOOK_URL is deprecated).
			[majorVersion >= 2 ? 'N8N_WEBHOOK_URL' : 'WEBHOOK_URL']: webhookBaseUrl,
			// Production webhooks only on the webhook processor; the main keeps /webhook-test/*.
			N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true',
		};
		const tgz = packageTarball();
		// The main migrates the fresh database; the others start once it is done.
		main = await N8nInstance.start({ target, mode: 'main', port: mainPort, packageTarball: tgz, env });
		const [startedWebhook, startedWorker, startedSecond] = await Promise.allSettled([
			N8nInstance.start({ target, mode: 'webhook', port: webhookPort, packageTarball: tgz, env }),
			N8nInstance.start({ target, mode: 'worker', port: workerPort, packageTarball: tgz, env }),
			N8nInstance.start({ target, mode: 'webhook', port: secondWebhookPort, packageTarball: tgz, env }),
		]);
		// Keep whichever started, so afterAll stops it even when the other one failed.
		if (startedWebhook.status === 'fulfilled') webhookProcessor = startedWebhook.value;
		if (startedWorker.status === 'fulfilled') worker = startedWorker.value;
		if (startedSecond.status === 'fulfilled') secondProcessor = startedSecond.value;
		if (startedWebhook.status === 'rejected') throw startedWebhook.reason;
		if (startedWorker.status === 'rejected') throw startedWorker.reason;
		if (startedSecond.status === 'rejected') throw startedSecond.reason;
		const started = [main, startedWebhook.value, startedWorker.value];
		console.log(`n8n ${main.n8n.n8nVersion} queue mode ready:\n${started.map((instance) => `  ${instance.options.mode} in ${instance.startupMs} ms, log ${instance.logFile}`).join('\n')}`);
	});

	afterAll(async () => {
		// Every process, even when one stop fails; the services last, after n8n let go of them.
		await Promise.allSettled([worker?.stop(), webhookProcessor?.stop(), secondProcessor?.stop(), main?.stop()]);
		await double?.stop();
		stopServices(stateDir);
	});

	it('runs main, webhook processor and worker in queue mode on one PostgreSQL and Redis', async () => {
		const { apiKey } = await main!.setupOwner();
		expect(apiKey).toEqual(expect.any(String));
		// The signed-in settings carry the execution mode (the public ones do not).
		const settings = await main!.rest<{ data: { executionMode?: string } }>('GET', '/settings');
		expect(settings.data.executionMode).toBe('queue');
		for (const instance of [webhookProcessor!, worker!]) {
			const readiness = await fetch(`${instance.baseUrl}/healthz/readiness`);
			expect(readiness.status).toBe(200);
		}
	});

	it('activation on the main registers the webhook processor\'s URL on the instance, with a secret header', async () => {
		const credential = await main!.createCredential('evolutionApi', `Evolution double ${target}`, {
			baseUrl: double.baseUrl,
			apiKey: double.globalKey,
			// 1.123's public API schema demands allowedDomains (its "Allowed HTTP Request Domains" if/then passes
			// vacuously when this is missing) unless this says 'all'.
			allowedHttpRequestDomains: 'all',
		});
		workflow = await main!.createWorkflow({
			name: `queue mode ${target}`,
			nodes: [
				{
					name: TRIGGER_NAME,
					type: NODE_TYPE,
					typeVersion: 1,
					position: [0, 0],
					webhookId,
					parameters: { mode: 'register', instance: INSTANCE, events: ['MESSAGES_UPSERT'], options: {} },
					credentials: { evolutionApi: { id: credential.id, name: credential.name } },
				},
				{ name: AFTER_TRIGGER, type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [220, 0], parameters: {} },
			],
			connections: { [TRIGGER_NAME]: { main: [[{ node: AFTER_TRIGGER, type: 'main', index: 0 }]] } },
		});
		const activated = Date.now();
		await main!.activate(workflow.id);
		const [set] = await main!.waitFor(() => double.requestsTo('POST', '/webhook/set').length > 0 && double.requestsTo('POST', '/webhook/set'), {
			description: 'the webhook/set from create()',
		});
		console.log(`activate → webhook/set reached the double in ${Date.now() - activated} ms`);
		expect(set.body).toEqual({
			webhook: {
				enabled: true,
				url: productionUrl,
				events: ['MESSAGES_UPSERT'],
				byEvents: false,
				base64: false,
				headers: { [VERIFICATION_HEADER]: expect.stringMatching(/^[0-9a-f]{64}$/) },
			},
		});
		secret = (set.body as { webhook: { headers: Record<string, string> } }).webhook.headers[VERIFICATION_HEADER];

		// create() ran on the main only: its log line is there, and nowhere else.
		const registeredLine = `Evolution API Trigger: registered the production URL ${productionUrl} on instance "${INSTANCE}"`;
		await main!.waitFor(() => linesOf(main!, registeredLine).length === 1, { description: 'create() logged on the main' });
		expect(linesOf(webhookProcessor!, 'Evolution API Trigger:')).toEqual([]);
		expect(linesOf(worker!, 'Evolution API Trigger:')).toEqual([]);
	});

	it('the main does not serve production webhooks (N8N_DISABLE_PRODUCTION_MAIN_PROCESS)', async () => {
		const response = await fetch(`${main!.baseUrl}/webhook/${webhookId}/${WEBHOOK_PATH}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', [VERIFICATION_HEADER]: secret },
			body: JSON.stringify({ event: 'messages.upsert', instance: INSTANCE, data: fixtureData('messages.upsert', 'v2.3') }),
		});
		expect(response.status).toBe(404);
		expect(await main!.executions(workflow.id, { includeData: false })).toEqual([]);
	});

	it('a delivery reaches the webhook processor, which verifies it against the static data the main saved, and the worker runs the execution', async () => {
		// The main saves static data after create(); 2.x answers publish before that, so wait for the row.
		await main!.waitFor(async () => JSON.stringify((await main!.getWorkflow(workflow.id)).staticData ?? {}).includes(secret), {
			description: 'the registration in the workflow\'s static data',
		});
		const sent = Date.now();
		const delivery = await double.deliver(INSTANCE, 'messages.upsert', fixtureData('messages.upsert', 'v2.3'));
		const answeredMs = Date.now() - sent;
		expect(delivery).toMatchObject({ url: productionUrl, status: 200 });
		expect(delivery?.headers[VERIFICATION_HEADER]).toBe(secret);

		const execution = await main!.waitFor(
			async () => (await main!.executions(workflow.id)).find((entry) => entry.finished),
			{ description: 'a finished execution', timeoutMs: 30_000 },
		);
		console.log(
			`delivery answered in ${answeredMs} ms; execution ${execution.id} finished ${Date.now() - sent} ms after the delivery (started ${String(execution.startedAt)}, stopped ${String(execution.stoppedAt)})`,
		);
		firstExecutionId = String(execution.id);
		expect(execution).toMatchObject({ mode: 'webhook', status: 'success' });
		const [item] = triggerOutput(execution);
		expect(item).toMatchObject({
			source: 'evolution',
			event: 'message.received',
			originalEvent: 'messages.upsert',
			instance: INSTANCE,
			chat: { id: '5511988887777@s.whatsapp.net', phone: '5511988887777', isGroup: false, name: 'Maria' },
			sender: { phone: '5511988887777', name: 'Maria' },
			message: { id: '3EB0C431C2A8F5D2E1B7', type: 'text', text: 'Hello there', fromMe: false, media: null, timestamp: '2024-06-03T16:00:00.000Z' },
		});
		expect(triggerOutput(execution)).toHaveLength(1);
		// The node after the trigger ran too, on the worker, with the trigger's item.
		expect(triggerOutput(execution, AFTER_TRIGGER)).toEqual([item]);

		// Who did what: the webhook processor enqueued it, the worker ran it, the main did neither.
		expect(linesOf(webhookProcessor!, `Enqueued execution ${firstExecutionId} `)).toHaveLength(1);
		await worker!.waitFor(() => linesOf(worker!, `Worker finished execution ${firstExecutionId} `).length === 1, {
			description: 'the worker\'s "finished" log line',
		});
		expect(linesOf(worker!, `Worker started execution ${firstExecutionId} `)).toHaveLength(1);
		expect(linesOf(main!, `execution ${firstExecutionId} `).filter((line) => /Enqueued|Worker (started|finished)/.test(line))).toEqual([]);
		expect(linesOf(webhookProcessor!, 'Worker started execution')).toEqual([]);
	});

	it('a forged delivery gets 401 from the webhook processor and starts nothing', async () => {
		const enqueuedBefore = linesOf(webhookProcessor!, 'Enqueued execution').length;
		const body = JSON.stringify({ event: 'messages.upsert', instance: INSTANCE, data: { ...(fixtureData('messages.upsert', 'v2.3') as object), key: { remoteJid: '5511988887777@s.whatsapp.net', fromMe: false, id: 'FORGED-1' } } });
		const forgeries: Array<Record<string, string>> = [{ [VERIFICATION_HEADER]: 'f'.repeat(64) }, {}];
		for (const headers of forgeries) {
			const response = await fetch(productionUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
			expect(response.status).toBe(401);
			expect(((await response.json()) as { message: string }).message).toMatch(/^Unauthorized: missing or wrong delivery secret/);
		}
		// Long enough for an enqueue and a worker run, which took well under this above.
		await sleep(3000);
		expect((await main!.executions(workflow.id, { includeData: false })).map((entry) => String(entry.id))).toEqual([firstExecutionId]);
		expect(linesOf(webhookProcessor!, 'Enqueued execution')).toHaveLength(enqueuedBefore);
	});

	// The key reaches the database only because the trigger answers the delivery itself: n8n 2.40.7 otherwise
	// resets the static data's change flag before its save (docs/protocol.md, "Registration lifecycle", static data written in webhook()).
	it('two webhook processors: the same delivery sent to each in turn, and again after restarting both, starts exactly one execution', async () => {
		const executionsBefore = (await main!.executions(workflow.id, { includeData: false })).length;
		const data = { ...(fixtureData('messages.upsert', 'v2.3') as object), key: { remoteJid: '5511988887777@s.whatsapp.net', fromMe: false, id: 'ROUND-ROBIN-1' } };
		const body = JSON.stringify({ event: 'messages.upsert', instance: INSTANCE, data });
		const post = async (url: string, payload = body) => {
			const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', [VERIFICATION_HEADER]: secret }, body: payload });
			const text = await response.text();
			return { status: response.status, json: text.startsWith('{') ? (JSON.parse(text) as unknown) : text.slice(0, 80) };
		};
		// A webhook processor of 1.x reports ready before it serves webhooks (its HTML page answers meanwhile):
		// wait until an unselected event, which records nothing, is answered by the trigger.
		const unselected = JSON.stringify({ event: 'presence.update', instance: INSTANCE, data: {} });
		const serving = (url: string) =>
			main!.waitFor(
				async () => {
					const answer = await post(url, unselected).catch(() => null);
					return answer !== null && answer.status === 200 && typeof answer.json === 'object';
				},
				{ timeoutMs: 60_000, description: `${url} served by the trigger` },
			);
		await Promise.all([serving(productionUrl), serving(secondProductionUrl)]);
		expect(await post(productionUrl)).toEqual({ status: 200, json: { received: true } });
		// n8n saves the static data after webhook() answered: wait for the key in the database.
		await main!.waitFor(async () => JSON.stringify((await main!.getWorkflow(workflow.id)).staticData ?? {}).includes('recentDeliveries'), {
			description: 'the delivery key in the workflow\'s static data',
		});
		expect(await post(secondProductionUrl)).toEqual({ status: 200, json: { ignored: 'a repeated delivery' } });
		expect(await post(productionUrl)).toEqual({ status: 200, json: { ignored: 'a repeated delivery' } });
		const restarted = Date.now();
		await Promise.all([webhookProcessor!.restart(), secondProcessor!.restart()]);
		await Promise.all([serving(productionUrl), serving(secondProductionUrl)]);
		console.log(`both webhook processors restarted and serving in ${Date.now() - restarted} ms`);
		for (const url of [secondProductionUrl, productionUrl]) expect(await post(url)).toEqual({ status: 200, json: { ignored: 'a repeated delivery' } });
		const executions = await main!.waitFor(
			async () => {
				const list = await main!.executions(workflow.id, { includeData: false });
				return list.length > executionsBefore && list.every((entry) => entry.finished) && list;
			},
			{ description: 'the one execution finished', timeoutMs: 30_000 },
		);
		// Long enough for a second enqueue and worker run, which took well under this above.
		await sleep(3000);
		expect((await main!.executions(workflow.id, { includeData: false })).length).toBe(executionsBefore + 1);
		expect(executions.length).toBe(executionsBefore + 1);
		for (const entry of executions) earlierExecutionIds.add(String(entry.id));
	});

	it('a restart of the main keeps the registration (no second set) and deliveries keep reaching the worker', async () => {
		const setsBefore = double.requestsTo('POST', '/webhook/set').length;
		const triggerLinesBefore = linesOf(main!, 'Evolution API Trigger:').length;
		await main!.restart();
		console.log(`main restarted in ${main!.startupMs} ms`);
		if (main!.majorVersion < 2) {
			// 1.x: checkExists runs on start (activation 'init'), finds its registration in PostgreSQL's static data.
			await main!.waitFor(() => linesOf(main!, `Evolution API Trigger: registration on "${INSTANCE}" is intact`).length === 1, {
				description: 'checkExists() on the restarted main',
			});
		} else {
			// 2.x's publication service re-adds no webhook trigger on start: no lifecycle call at all.
			await sleep(5000);
			expect(linesOf(main!, 'Evolution API Trigger:').length).toBe(triggerLinesBefore);
		}
		expect(double.requestsTo('POST', '/webhook/set')).toHaveLength(setsBefore);

		const data = { ...(fixtureData('messages.upsert', 'v2.3') as object), key: { remoteJid: '5511988887777@s.whatsapp.net', fromMe: false, id: 'AFTER-RESTART-1' } };
		expect(await double.deliver(INSTANCE, 'messages.upsert', data)).toMatchObject({ url: productionUrl, status: 200 });
		const execution = await main!.waitFor(
			async () => (await main!.executions(workflow.id)).find((entry) => entry.finished && String(entry.id) !== firstExecutionId && !earlierExecutionIds.has(String(entry.id))),
			{ description: 'a finished execution after the restart', timeoutMs: 30_000 },
		);
		expect(triggerOutput(execution)).toEqual([expect.objectContaining({ message: expect.objectContaining({ id: 'AFTER-RESTART-1' }) })]);
		await worker!.waitFor(() => linesOf(worker!, `Worker finished execution ${String(execution.id)} `).length === 1, {
			description: 'the worker\'s "finished" log line for the second execution',
		});
	});

	it('deactivation on the main puts the instance\'s previous webhook back', async () => {
		const deactivated = Date.now();
		await main!.deactivate(workflow.id);
		const restored = await main!.waitFor(
			() => {
				const now = webhookFields(double.webhookOf(INSTANCE));
				return now?.url === PREVIOUS_WEBHOOK.url && now;
			},
			{ description: 'the previous webhook back on the double' },
		);
		console.log(`deactivate → previous webhook restored in ${Date.now() - deactivated} ms`);
		expect(restored).toEqual({
			url: PREVIOUS_WEBHOOK.url,
			headers: PREVIOUS_WEBHOOK.headers,
			enabled: true,
			events: PREVIOUS_WEBHOOK.events,
			webhookByEvents: PREVIOUS_WEBHOOK.byEvents,
			webhookBase64: PREVIOUS_WEBHOOK.base64,
		});
		await main!.waitFor(() => linesOf(main!, `Evolution API Trigger: restored the previous webhook of "${INSTANCE}"`).length === 1, {
			description: 'delete() logged on the main',
		});
		expect(linesOf(webhookProcessor!, 'Evolution API Trigger:')).toEqual([]);
		expect(linesOf(worker!, 'Evolution API Trigger:')).toEqual([]);
		const stored = await main!.getWorkflow(workflow.id);
		expect(JSON.stringify(stored.staticData ?? {})).not.toContain(secret);
	});

	it('stops every process it started', async () => {
		const pids = [main!.pid, webhookProcessor!.pid, secondProcessor!.pid, worker!.pid] as number[];
		await Promise.all([worker!.stop(), webhookProcessor!.stop(), secondProcessor!.stop(), main!.stop()]);
		for (const pid of pids) expect(() => process.kill(-pid, 0)).toThrow();
		const servicesJson = path.join(stateDir, 'services.json');
		const { postgres, redis } = JSON.parse(fs.readFileSync(servicesJson, 'utf8')) as { postgres: { pid: number }; redis: { pid: number } };
		stopServices(stateDir);
		for (const pid of [postgres.pid, redis.pid]) expect(() => process.kill(pid, 0)).toThrow();
		expect(fs.existsSync(stateDir)).toBe(false);
	});
});
