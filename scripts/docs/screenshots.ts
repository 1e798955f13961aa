/**
 * `npm run docs:screenshots`: PNGs of the editor for the README, taken from a real n8n with this package.
 *
 * Starts n8n the way `npm run dev` does (startDevN8n), in a throwaway user folder and on a free port, with an
 * Evolution API double on 127.0.0.1 behind the credential so the Instance dropdown lists real options. Then drives
 * Debian's chromium (installed with apt-get when missing) with playwright-core and writes docs/screenshots/*.png:
 * the node panel search, each node's parameter panel, and an execution of a Whaticket Trigger that received a
 * Whazing delivery. Each shot first waits for the content it is meant to show, so a login page or a spinner
 * fails the run instead of landing in the docs.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import type { Browser, Page } from 'playwright-core';

import { DEV_OWNER, DevN8n, DevSession, startDevN8n } from '../dev';
import { DEFAULT_GLOBAL_KEY, EvolutionDouble } from '../../test/support/evolution-double';
import { UI_TIMEOUT_MS, VIEWPORT, ensureChromium, launchChromium, signIn as signInAs } from '../../test/e2e/harness/browser';
import { WorkflowJson, WorkflowNode, freePort, waitFor } from '../../test/e2e/harness/n8n';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const OUTPUT_DIR = path.join(REPO_ROOT, 'docs', 'screenshots');
/** Fresh every run, so the shots never depend on what a previous run left behind. */
const USER_FOLDER = path.join(REPO_ROOT, '.e2e', 'screenshots');
const PACKAGE_PREFIX = 'n8n-nodes-whatsapp-webhooks';
const INSTANCE_NAME = 'support';
const WHAZING_FIXTURE = path.join(REPO_ROOT, 'test', 'fixtures', 'whazing', 'message.received.v2.16.json');

function log(line: string): void {
	console.log(`[screenshots] ${line}`);
}

// ---- workflows shown in the shots ---------------------------------------------------------------------------

interface ShotWorkflows {
	evolutionTrigger: string;
	evolutionWebhook: string;
	whaticketTrigger: { id: string; versionId: string; webhookId: string };
}

function node(name: string, type: string, position: [number, number], parameters: Record<string, unknown>, extra: Partial<WorkflowNode> = {}): WorkflowNode {
	return { id: randomUUID(), name, type, typeVersion: 1, position, parameters, ...extra };
}

async function createWorkflow(session: DevSession, workflow: WorkflowJson): Promise<{ id: string; versionId: string }> {
	const created = await session.rest<{ data: { id: string; versionId: string } }>('POST', '/workflows', {
		name: workflow.name,
		nodes: workflow.nodes,
		connections: workflow.connections ?? {},
		settings: { executionOrder: 'v1' },
		active: false,
	});
	return created.data;
}

async function createShotWorkflows(dev: DevN8n): Promise<ShotWorkflows> {
	if (!dev.credential) throw new Error('the Evolution API credential was not created');
	const credentials = { evolutionApi: dev.credential };
	const evolutionTrigger = await createWorkflow(dev.session, {
		name: 'Docs: Evolution API Trigger',
		nodes: [
			node(
				'Evolution API Trigger',
				`${PACKAGE_PREFIX}.evolutionApiTrigger`,
				[0, 0],
				{ mode: 'register', instance: INSTANCE_NAME, events: ['MESSAGES_UPSERT', 'CONNECTION_UPDATE'], output: 'normalized', options: {} },
				{ webhookId: randomUUID(), credentials },
			),
		],
	});
	const evolutionWebhook = await createWorkflow(dev.session, {
		name: 'Docs: Evolution API',
		nodes: [
			node('When clicking ‘Execute workflow’', 'n8n-nodes-base.manualTrigger', [0, 0], {}),
			node(
				'Evolution API',
				`${PACKAGE_PREFIX}.evolutionApi`,
				[240, 0],
				{ resource: 'webhook', operation: 'set', instance: INSTANCE_NAME, url: 'https://n8n.example.com/webhook/support', events: ['MESSAGES_UPSERT'] },
				{ credentials },
			),
		],
		connections: { 'When clicking ‘Execute workflow’': { main: [[{ node: 'Evolution API', type: 'main', index: 0 }]] } },
	});
	const whaticketWebhookId = randomUUID();
	const whaticket = await createWorkflow(dev.session, {
		name: 'Docs: Whaticket Trigger',
		nodes: [
			node(
				'Whaticket Trigger',
				`${PACKAGE_PREFIX}.whaticketTrigger`,
				[0, 0],
				{ source: 'whazing', token: '', events: ['message.received', 'ticket.closed'], output: 'normalized', options: {} },
				{ webhookId: whaticketWebhookId },
			),
		],
	});
	return {
		evolutionTrigger: evolutionTrigger.id,
		evolutionWebhook: evolutionWebhook.id,
		whaticketTrigger: { ...whaticket, webhookId: whaticketWebhookId },
	};
}

/** Activates the Whaticket workflow, POSTs a Whazing delivery to its production URL, returns the execution id. */
async function runWhazingDelivery(dev: DevN8n, workflow: ShotWorkflows['whaticketTrigger']): Promise<string> {
	await dev.session.rest('POST', `/workflows/${workflow.id}/activate`, { versionId: workflow.versionId });
	const url = dev.n8n.productionUrl(workflow.webhookId, 'webhook');
	const body = fs.readFileSync(WHAZING_FIXTURE, 'utf8');
	// 2.x answers the publish call before the webhook is registered: retry until the URL stops answering 404.
	await waitFor(
		async () => {
			const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
			if (response.status === 404) return false;
			if (!response.ok) throw new Error(`the delivery got ${response.status}: ${await response.text()}`);
			return true;
		},
		{ description: `${url} to accept the Whazing delivery` },
	);
	const filter = encodeURIComponent(JSON.stringify({ workflowId: workflow.id }));
	return waitFor(
		async () => {
			const page = await dev.session.rest<{ data: { results: Array<{ id: string; status: string }> } }>('GET', `/executions?filter=${filter}`);
			const execution = page.data.results[0];
			if (execution && execution.status !== 'success' && execution.status !== 'running' && execution.status !== 'new') {
				throw new Error(`the execution ended ${execution.status}`);
			}
			return execution?.status === 'success' ? execution.id : false;
		},
		{ description: 'a successful execution of the Whaticket Trigger workflow' },
	);
}

// ---- browser -----------------------------------------------------------------------------------------------

async function signIn(page: Page, baseUrl: string): Promise<void> {
	await signInAs(page, baseUrl, DEV_OWNER);
}

/** Moves the pointer off any tooltip, lets animations settle, writes the PNG. */
async function shoot(page: Page, file: string): Promise<void> {
	await page.mouse.move(VIEWPORT.width - 2, VIEWPORT.height - 2);
	await page.waitForTimeout(700);
	if (new URL(page.url()).pathname.includes('signin')) throw new Error(`${file}: the editor sent us to the login page`);
	const target = path.join(OUTPUT_DIR, file);
	await page.screenshot({ path: target });
	log(`wrote ${path.relative(REPO_ROOT, target)} (${Math.round(fs.statSync(target).size / 1024)} KiB)`);
}

async function openWorkflow(page: Page, baseUrl: string, workflowId: string): Promise<void> {
	await page.goto(`${baseUrl}/workflow/${workflowId}`);
	await page.waitForSelector('[data-test-id=canvas-node]', { timeout: UI_TIMEOUT_MS });
}

async function openNodePanel(page: Page, nodeName: string): Promise<void> {
	await page.locator(`[data-test-id=canvas-node][data-node-name="${nodeName}"]`).dblclick();
	await page.waitForSelector('[data-test-id=ndv] [data-test-id=node-parameters]', { timeout: UI_TIMEOUT_MS });
}

async function shootNodeSearch(page: Page, baseUrl: string): Promise<void> {
	await page.goto(`${baseUrl}/workflow/new`);
	await page.click('[data-test-id=node-creator-plus-button]', { timeout: UI_TIMEOUT_MS });
	await page.waitForSelector('[data-test-id=node-creator-search-bar]', { timeout: UI_TIMEOUT_MS });
	await page.keyboard.type('WhatsApp');
	// n8n lists a trigger and its action node as one entry ("Evolution API"), each trigger without "Trigger".
	const expected = ['Evolution API', 'Whaticket'];
	await waitFor(
		async () => {
			const shown = (await page.locator('[data-test-id=node-creator-item-name]').allInnerTexts()).map((text) => text.trim());
			return expected.every((name) => shown.includes(name));
		},
		{ timeoutMs: UI_TIMEOUT_MS, description: `the node panel to list ${expected.join(', ')}` },
	);
	await shoot(page, 'node-panel-search.png');
}

/** `ready` names a parameter whose input must show a value first (the Instance dropdown loads from the server). */
async function shootParameters(page: Page, baseUrl: string, workflowId: string, nodeName: string, file: string, ready: { parameter: string; value: RegExp }): Promise<void> {
	await openWorkflow(page, baseUrl, workflowId);
	await openNodePanel(page, nodeName);
	const input = page.locator(`[data-test-id=ndv] [data-test-id=parameter-input-${ready.parameter}] input`).first();
	await waitFor(async () => ready.value.test(await input.inputValue()), {
		timeoutMs: UI_TIMEOUT_MS,
		description: `${nodeName}: parameter ${ready.parameter} to show ${ready.value}`,
	});
	await shoot(page, file);
}

async function shootExecution(page: Page, baseUrl: string, workflowId: string, executionId: string): Promise<void> {
	await page.goto(`${baseUrl}/workflow/${workflowId}/executions/${executionId}`);
	const preview = page.frameLocator('iframe').first();
	const canvas = (await page.locator('iframe').count()) > 0 ? preview : page;
	await canvas.locator('[data-test-id=canvas-node][data-node-name="Whaticket Trigger"]').dblclick({ timeout: UI_TIMEOUT_MS });
	const output = canvas.locator('[data-test-id=ndv] [data-test-id=output-panel]');
	await output.waitFor({ timeout: UI_TIMEOUT_MS });
	await output.locator('[data-test-id=radio-button-json]').click();
	await output.getByText('"message.received"').first().waitFor({ timeout: UI_TIMEOUT_MS });
	await shoot(page, 'whaticket-trigger-execution.png');
}

async function takeScreenshots(browser: Browser, dev: DevN8n, workflows: ShotWorkflows, executionId: string): Promise<void> {
	const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 });
	const page = await context.newPage();
	const baseUrl = dev.n8n.baseUrl;
	try {
		await signIn(page, baseUrl);
		await shootNodeSearch(page, baseUrl);
		await shootParameters(page, baseUrl, workflows.evolutionTrigger, 'Evolution API Trigger', 'evolution-api-trigger-parameters.png', { parameter: 'instance', value: new RegExp(INSTANCE_NAME) });
		await shootParameters(page, baseUrl, workflows.evolutionWebhook, 'Evolution API', 'evolution-api-webhook-parameters.png', { parameter: 'instance', value: new RegExp(INSTANCE_NAME) });
		await shootParameters(page, baseUrl, workflows.whaticketTrigger.id, 'Whaticket Trigger', 'whaticket-trigger-parameters.png', { parameter: 'source', value: /^Whazing$/ });
		await shootExecution(page, baseUrl, workflows.whaticketTrigger.id, executionId);
	} catch (error) {
		// What the browser showed when a wait gave up: the quickest way to see why.
		const failure = path.join(USER_FOLDER, 'failure.png');
		await page.screenshot({ path: failure }).then(
			() => log(`the page at the failure: ${path.relative(REPO_ROOT, failure)}`),
			() => undefined,
		);
		throw error;
	} finally {
		await context.close();
	}
}

async function main(): Promise<void> {
	ensureChromium(log);
	fs.mkdirSync(OUTPUT_DIR, { recursive: true });
	fs.rmSync(USER_FOLDER, { recursive: true, force: true });
	const evolution = new EvolutionDouble({
		dialect: 'v2.3',
		instances: [{ name: INSTANCE_NAME, token: 'support-instance-token', connectionStatus: 'open', ownerJid: '5511999990000@s.whatsapp.net', profileName: 'Support' }],
	});
	await evolution.start();
	// What the instance dropdown shows next to each instance: where its webhook points today.
	evolution.seedWebhook(INSTANCE_NAME, { url: 'https://chatwoot.example.com/webhooks/whatsapp/+5511999990000', events: ['MESSAGES_UPSERT'] });
	let dev: DevN8n | undefined;
	let browser: Browser | undefined;
	try {
		dev = await startDevN8n({
			port: await freePort(),
			userFolder: USER_FOLDER,
			log,
			evolutionServer: { baseUrl: evolution.baseUrl, apiKey: DEFAULT_GLOBAL_KEY },
		});
		const workflows = await createShotWorkflows(dev);
		const executionId = await runWhazingDelivery(dev, workflows.whaticketTrigger);
		log(`execution ${executionId} of the Whaticket Trigger workflow succeeded`);
		browser = await launchChromium();
		await takeScreenshots(browser, dev, workflows, executionId);
	} finally {
		await browser?.close();
		await dev?.n8n.stop();
		await evolution.stop();
	}
}

main().then(
	() => process.exit(0),
	(error: unknown) => {
		console.error(`[screenshots] failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
		process.exit(1);
	},
);
