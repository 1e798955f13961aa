/**
 * Proves the harness on each pinned n8n with a throwaway probe package: install from a tarball, owner +
 * API key, activate (checkExists → create), production delivery, a built-in Webhook → Code workflow,
 * restart (1.x: checkExists only, mode 'init'; 2.x: see below), deactivate (delete), test listen
 * (create/delete on the test URL) and cancelling a test listen.
 *
 * N8N_E2E_TARGETS=2.x,1.x (default: both) picks the versions.
 */
import { N8nInstance, N8nTargetId, StoredWorkflow } from './harness/n8n';
import { buildProbeTarball, LifecycleRecorder, PROBE_NODE_TYPE, PROBE_WEBHOOK_PATH } from './harness/probe-package';

const TARGETS = (process.env.N8N_E2E_TARGETS ?? '2.x,1.x').split(',').map((id) => id.trim()) as N8nTargetId[];
const PROBE_WEBHOOK_ID = '0f4c5b8e-7d0a-4f7e-9a57-3c1d2e4f5a6b';
const TRIGGER_NAME = 'Probe Trigger';

describe.each(TARGETS)('harness on n8n %s', (target) => {
	let n8n: N8nInstance;
	let recorder: LifecycleRecorder;
	let workflow: StoredWorkflow;

	beforeAll(async () => {
		recorder = new LifecycleRecorder();
		await recorder.start();
		const tarball = buildProbeTarball();
		n8n = await N8nInstance.start({ target, packageTarball: tarball });
		console.log(`n8n ${n8n.n8n.n8nVersion} on Node ${n8n.n8n.nodeVersion}: ready in ${n8n.startupMs} ms, logs in ${n8n.logFile}`);
		await n8n.setupOwner();
	});

	afterAll(async () => {
		await n8n?.stop();
		await recorder?.stop();
	});

	it('loads the installed package under its package name', async () => {
		workflow = await n8n.createWorkflow({
			name: `probe ${target}`,
			nodes: [
				{
					name: TRIGGER_NAME,
					type: PROBE_NODE_TYPE,
					typeVersion: 1,
					position: [0, 0],
					webhookId: PROBE_WEBHOOK_ID,
					parameters: { reportUrl: recorder.url },
				},
			],
		});
		expect(workflow.id).toEqual(expect.any(String));
		expect(workflow.nodes[0].type).toBe(PROBE_NODE_TYPE);
	});

	it('activation runs checkExists then create with the production URL', async () => {
		await n8n.activate(workflow.id);
		const [create] = await n8n.waitFor(() => recorder.callsOf('create').length > 0 && recorder.callsOf('create'), {
			description: 'create() to report',
		});
		expect(recorder.calls.map((entry) => entry.call)).toEqual(['checkExists', 'create']);
		expect(create).toMatchObject({ mode: 'trigger', activationMode: 'activate', webhookUrl: n8n.productionUrl(PROBE_WEBHOOK_ID, PROBE_WEBHOOK_PATH) });
	});

	it('a production delivery starts an execution', async () => {
		const response = await fetch(n8n.productionUrl(PROBE_WEBHOOK_ID, PROBE_WEBHOOK_PATH), {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ hello: 'production' }),
		});
		expect(response.status).toBe(200);
		const [execution] = await n8n.waitFor(async () => {
			const executions = await n8n.executions(workflow.id);
			return executions.some((entry) => entry.finished) && executions;
		}, { description: 'a finished execution' });
		expect(execution.mode).toBe('webhook');
		const output = execution.data?.resultData?.runData?.[TRIGGER_NAME]?.[0]?.data?.main?.[0]?.[0]?.json;
		expect(output).toEqual({ body: { hello: 'production' }, mode: 'webhook' });
	});

	it('built-in nodes run too: Webhook → Code (task runner) answers with the Code output', async () => {
		const codeWorkflow = await n8n.createWorkflow({
			name: `webhook code ${target}`,
			nodes: [
				{
					name: 'Webhook',
					type: 'n8n-nodes-base.webhook',
					typeVersion: 2,
					position: [0, 0],
					webhookId: '5d1e9a52-3b7c-4f0e-8c6a-1b2d3e4f5a60',
					parameters: { httpMethod: 'POST', path: 'smoke-code', responseMode: 'lastNode', options: {} },
				},
				{
					name: 'Code',
					type: 'n8n-nodes-base.code',
					typeVersion: 2,
					position: [200, 0],
					parameters: { jsCode: 'return [{ json: { next: $input.first().json.body.n + 1 } }];' },
				},
			],
			connections: { Webhook: { main: [[{ node: 'Code', type: 'main', index: 0 }]] } },
		});
		await n8n.activate(codeWorkflow.id);
		const answer = await n8n.waitFor(async () => {
			const response = await fetch(`${n8n.baseUrl}/webhook/smoke-code`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ n: 41 }),
			});
			return response.status === 200 && ((await response.json()) as { next: number });
		}, { description: 'the Webhook → Code workflow to answer' });
		expect(answer).toEqual({ next: 42 });
		await n8n.deactivate(codeWorkflow.id);
	});

	it('creates and deletes a credential through the public API', async () => {
		const credential = await n8n.createCredential('httpHeaderAuth', `smoke ${target}`, { name: 'X-Smoke', value: 'secret' });
		expect(credential).toMatchObject({ id: expect.any(String), name: `smoke ${target}`, type: 'httpHeaderAuth' });
		expect(JSON.stringify(credential)).not.toContain('secret');
		await n8n.api('DELETE', `/credentials/${credential.id}`);
	});

	async function deliverToProduction(hello: string): Promise<void> {
		const before = (await n8n.executions(workflow.id, { includeData: false })).length;
		const response = await fetch(n8n.productionUrl(PROBE_WEBHOOK_ID, PROBE_WEBHOOK_PATH), {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ hello }),
		});
		expect(response.status).toBe(200);
		await n8n.waitFor(async () => (await n8n.executions(workflow.id, { includeData: false })).length > before, {
			description: `an execution for "${hello}"`,
		});
	}

	function expectInitCheckOnly(): Promise<void> {
		return n8n
			.waitFor(() => recorder.callsOf('checkExists').length > 0 && recorder.callsOf('checkExists'), { description: 'checkExists() after restart' })
			.then(([checkExists]) => {
				expect(checkExists).toMatchObject({
					mode: 'trigger',
					activationMode: 'init',
					staticData: { registered: n8n.productionUrl(PROBE_WEBHOOK_ID, PROBE_WEBHOOK_PATH) },
				});
				expect(recorder.callsOf('create')).toEqual([]);
			});
	}

	if (target === '1.x') {
		it('a restart runs checkExists (init) and, finding its registration, no create', async () => {
			recorder.calls.length = 0;
			await n8n.restart();
			console.log(`n8n ${target} restarted in ${n8n.startupMs} ms`);
			await expectInitCheckOnly();
			await deliverToProduction('after restart');
		});
	} else {
		it('with the legacy activation path (N8N_USE_WORKFLOW_PUBLICATION_SERVICE=false) a restart runs checkExists (init)', async () => {
			recorder.calls.length = 0;
			await n8n.restart({ N8N_USE_WORKFLOW_PUBLICATION_SERVICE: 'false' });
			await expectInitCheckOnly();
			await deliverToProduction('after legacy restart');
		});

		it('with the default publication service a restart calls no lifecycle method and keeps serving', async () => {
			recorder.calls.length = 0;
			await n8n.restart({ N8N_USE_WORKFLOW_PUBLICATION_SERVICE: 'true' });
			console.log(`n8n ${target} restarted in ${n8n.startupMs} ms`);
			await deliverToProduction('after restart');
			// The startup reconciliation runs right after "ready"; it re-publishes only in-memory (non-webhook) triggers.
			await new Promise((resolve) => setTimeout(resolve, 5000));
			expect(recorder.calls).toEqual([]);
		});
	}

	it('deactivation runs delete with the production URL', async () => {
		recorder.calls.length = 0;
		await n8n.deactivate(workflow.id);
		const [deleted] = await n8n.waitFor(() => recorder.callsOf('delete').length > 0 && recorder.callsOf('delete'), {
			description: 'delete() to report',
		});
		expect(deleted).toMatchObject({ mode: 'internal', webhookUrl: n8n.productionUrl(PROBE_WEBHOOK_ID, PROBE_WEBHOOK_PATH) });
	});

	it('a test listen registers the test URL with fresh static data and ends after the first event', async () => {
		recorder.calls.length = 0;
		const stored = await n8n.getWorkflow(workflow.id);
		const listen = await n8n.startTestListen(stored, TRIGGER_NAME);
		expect(listen.waitingForWebhook).toBe(true);
		const [create] = await n8n.waitFor(() => recorder.callsOf('create').length > 0 && recorder.callsOf('create'), {
			description: 'create() for the test listen',
		});
		expect(create).toMatchObject({ mode: 'manual', activationMode: 'manual', webhookUrl: n8n.testUrl(PROBE_WEBHOOK_ID, PROBE_WEBHOOK_PATH), staticData: {} });

		const response = await fetch(n8n.testUrl(PROBE_WEBHOOK_ID, PROBE_WEBHOOK_PATH), {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ hello: 'test' }),
		});
		expect(response.status).toBe(200);
		const [deleted] = await n8n.waitFor(() => recorder.callsOf('delete').length > 0 && recorder.callsOf('delete'), {
			description: 'delete() after the test event',
		});
		expect(deleted).toMatchObject({ mode: 'internal', webhookUrl: n8n.testUrl(PROBE_WEBHOOK_ID, PROBE_WEBHOOK_PATH) });
		const manual = await n8n.waitFor(async () => (await n8n.executions(workflow.id)).find((entry) => entry.mode === 'manual' && entry.finished), {
			description: 'the manual execution',
		});
		expect(manual.data?.resultData?.runData?.[TRIGGER_NAME]?.[0]?.data?.main?.[0]?.[0]?.json).toEqual({ body: { hello: 'test' }, mode: 'manual' });
	});

	it('a cancelled test listen runs delete and stops serving the test URL', async () => {
		recorder.calls.length = 0;
		await n8n.startTestListen(await n8n.getWorkflow(workflow.id), TRIGGER_NAME);
		await n8n.waitFor(() => recorder.callsOf('create').length > 0, { description: 'create() for the second test listen' });
		await n8n.stopTestListen(workflow.id);
		await n8n.waitFor(() => recorder.callsOf('delete').length > 0, { description: 'delete() after cancelling' });
		const response = await fetch(n8n.testUrl(PROBE_WEBHOOK_ID, PROBE_WEBHOOK_PATH), { method: 'POST', body: '{}' });
		expect(response.status).toBe(404);
	});

	it('stop() ends n8n and its process group', async () => {
		const pid = n8n.pid as number;
		await n8n.stop();
		expect(() => process.kill(-pid, 0)).toThrow();
	});
});
