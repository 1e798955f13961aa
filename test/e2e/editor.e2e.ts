/**
 * The editor as a newcomer meets it: `npm run dev`'s n8n 2.40.7 (startDevN8n) with an Evolution API double
 * (instance "vendas" already pointing at a Chatwoot webhook, "suporte" without one), driven in Debian's chromium
 * with playwright-core. Search the nodes, create the credential (wrong port, wrong key, right key), build
 * trigger → No Operation, test it with a delivery from the double, publish, unpublish, be refused another
 * workflow's instance, add the action node from its actions list, open each example; assert what the screens say.
 */
import fs from 'node:fs';
import path from 'node:path';

import type { Browser, Page } from 'playwright-core';

import { DEV_OWNER, startDevN8n, type DevN8n } from '../../scripts/dev';
import { EvolutionApi } from '../../nodes/EvolutionApi/EvolutionApi.node';
import { TAKEN_SLOT_FIX } from '../../nodes/lib/evolution/registration';
import { DEFAULT_GLOBAL_KEY, EvolutionDouble, type WebhookRow } from '../support/evolution-double';
import * as steps from './editor/steps';
import { VIEWPORT, ensureChromium, launchChromium, restInPage, signIn } from './harness/browser';
import { freePort, waitFor } from './harness/n8n';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const USER_FOLDER = path.join(REPO_ROOT, '.e2e', 'editor-e2e');
const CHATWOOT_URL = 'https://chatwoot.example.com/webhooks/whatsapp/+5511999990000';
const MESSAGE = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'test', 'fixtures', 'evolution', 'messages.upsert.v2.json'), 'utf8')) as {
	event: string;
	data: unknown;
};
/** The panel lists one action per operation of every resource of the action node. */
const ACTION_COUNT = new EvolutionApi().description.properties
	.filter((property) => property.name === 'operation')
	.reduce((count, property) => count + (property.options?.length ?? 0), 0);
const EXAMPLES = fs
	.readdirSync(path.join(REPO_ROOT, 'examples'))
	.filter((file) => file.endsWith('.json'))
	.map((file) => JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'examples', file), 'utf8')) as { name: string });

describe('the editor as a newcomer meets it (n8n 2.40.7 in chromium)', () => {
	let double: EvolutionDouble;
	let dev: DevN8n;
	let browser: Browser;
	let page: Page;
	let baseUrl: string;
	const webhookUrlOf = (instance: string): string => (double.webhookOf(instance) as WebhookRow | null)?.url ?? '';

	beforeAll(async () => {
		ensureChromium();
		double = new EvolutionDouble({
			dialect: 'v2.3',
			instances: [
				{ name: 'vendas', token: 'vendas-token', connectionStatus: 'open', ownerJid: '5511999990000@s.whatsapp.net', profileName: 'Vendas' },
				{ name: 'suporte', token: 'suporte-token', connectionStatus: 'open' },
			],
		});
		await double.start();
		double.seedWebhook('vendas', { url: CHATWOOT_URL, events: ['MESSAGES_UPSERT'] });
		fs.rmSync(USER_FOLDER, { recursive: true, force: true });
		// No credential from the environment: the newcomer creates it in the editor.
		dev = await startDevN8n({ port: await freePort(), userFolder: USER_FOLDER, log: () => undefined });
		baseUrl = dev.n8n.baseUrl;
		browser = await launchChromium();
		page = await (await browser.newContext({ viewport: VIEWPORT })).newPage();
		await signIn(page, baseUrl, DEV_OWNER);
	});

	afterEach(async () => {
		// What the browser showed when a test ended: the quickest way to see why one failed.
		const name = (expect.getState().currentTestName ?? 'test').replace(/[^\w]+/g, '-').slice(-80);
		await page?.screenshot({ path: path.join(USER_FOLDER, `${name}.png`) }).catch(() => undefined);
	});

	afterAll(async () => {
		await browser?.close();
		await dev?.n8n.stop();
		await double?.stop();
	});

	it('search: every word finds the nodes, and the trigger and the action node are one entry', async () => {
		const found: Record<string, string[]> = {};
		for (const word of ['whatsapp', 'evolution', 'whaticket', 'whazing', 'mensagem', 'webhook']) found[word] = await steps.searchNodes(page, baseUrl, word);
		console.log(`node panel: ${JSON.stringify(found)}`);
		expect(found.whatsapp).toEqual(expect.arrayContaining(['Evolution API', 'Whaticket']));
		// The Reply node answers through Evolution too, so "evolution" finds it (its own entry, not a second Evolution API one).
		expect(found.evolution).toEqual(expect.arrayContaining(['Evolution API', 'WhatsApp Reply']));
		expect(found.evolution.filter((name) => name.startsWith('Evolution'))).toEqual(['Evolution API']);
		expect(found.whaticket).toContain('Whaticket');
		expect(found.whazing).toContain('Whaticket');
		expect(found.mensagem).toContain('Evolution API');
		for (const names of Object.values(found)) expect(names).not.toContain('Evolution API Webhook');

		await steps.searchNodes(page, baseUrl, 'evolution');
		const integration = await steps.openNodeItem(page, 'Evolution API');
		expect(integration).toMatch(/Triggers \(\d+\)/);
		expect(integration).toContain(`Actions (${ACTION_COUNT})`);
		expect(integration).not.toMatch(/Triggers available/);
	});

	it('credential from the trigger: a wrong port, a wrong key and the right key each get their own answer', async () => {
		await page.goto(`${baseUrl}/workflow/new`);
		await steps.addNodeFromPanel(page, page.locator('[data-test-id=node-creator-plus-button]'), 'evolution', 'Evolution API', 'On new message');
		const closedPort = await freePort();
		const { modal, answer: wrongPort } = await steps.createCredentialFromNdv(page, { baseUrl: `http://127.0.0.1:${closedPort}`, apiKey: 'anything' });
		expect(wrongPort).toContain(`Could not connect to http://127.0.0.1:${closedPort}: nothing listens at that address`);
		const wrongKey = await steps.fillAndSaveCredential(modal, { baseUrl: double.baseUrl, apiKey: 'not-the-key' });
		expect(wrongKey).toContain(`Wrong API key: Evolution API ${double.version} at ${double.baseUrl} refused it.`);
		const rightKey = await steps.fillAndSaveCredential(modal, { baseUrl: double.baseUrl, apiKey: DEFAULT_GLOBAL_KEY });
		expect(rightKey).toMatch(/Connection tested successfully/);
		console.log(`credential answers:\n  ${wrongPort}\n  ${wrongKey}\n  ${rightKey}`);
		if (await modal.isVisible()) await steps.closeCredentialModal(modal);
		// n8n's default name drops "API" from the credential's display name.
		const select = page.locator('[data-test-id=ndv] [data-test-id=node-credentials-select]');
		const shown = `${await select.innerText()} ${await select.locator('input').first().inputValue().catch(() => '')}`;
		expect(shown).toContain('Evolution account');
	});

	it('the trigger panel: short notice, one URL per mode, instances with where their webhook points', async () => {
		const text = await steps.ndvParametersText(page);
		expect(text).toContain('An instance keeps one webhook.');
		expect(text).toContain('While the trigger holds it, that webhook receives nothing');
		expect(text).toContain('"Listen for test event" in 1.x');
		expect(text).toContain('On by default: Coalesce Repeated States, Drop Duplicate Deliveries, Ignore Status and Channels, One Item per Array Element.');
		const urls = await steps.webhookUrls(page);
		expect(urls.test).toHaveLength(1);
		expect(urls.production).toHaveLength(1);
		expect(urls.test[0]).toMatch(/\/webhook-test\/[0-9a-f-]{36}\/webhook$/);
		expect(urls.production[0]).toMatch(/\/webhook\/[0-9a-f-]{36}\/webhook$/);
		// Loaded while the credential pointed at a closed port: n8n keeps that error until the list is refreshed.
		await steps.refreshInstanceList(page);
		const dropdown = await steps.instanceDropdown(page);
		expect(dropdown.fieldText).not.toContain('Error fetching options');
		expect(dropdown.entries).toEqual([expect.stringMatching(/^suporte \(open\) — no webhook/), expect.stringMatching(/^vendas \(open\) — webhook: chatwoot\.example\.com/)]);
		await steps.pickInstance(page, 'vendas');
	});

	it('a test ("Execute step") takes the slot, shows a delivery from the double, and gives the slot back', async () => {
		expect(await steps.startTest(page)).toBe('Execute step');
		await waitFor(() => webhookUrlOf('vendas').includes('/webhook-test/'), { timeoutMs: 30_000, description: 'the test URL on vendas' });
		const delivery = await double.deliver('vendas', MESSAGE.event, MESSAGE.data);
		expect(delivery?.url).toContain('/webhook-test/');
		const output = await steps.outputShows(page, '"message.received"');
		expect(output).toContain('"instance": "vendas"');
		await waitFor(() => webhookUrlOf('vendas') === CHATWOOT_URL, { timeoutMs: 30_000, description: 'Chatwoot back on vendas' });
	});

	it('trigger → No Operation, Publish takes the slot, Unpublish puts Chatwoot back', async () => {
		await steps.closeNdv(page);
		await steps.addNodeFromPanel(page, page.locator('[data-test-id=canvas-handle-plus]').first(), 'No Operation', 'No Operation, do nothing');
		await steps.closeNdv(page);
		await steps.saveWorkflow(page);
		const published = await steps.publish(page);
		expect(published.dialog).toContain('Workflow published');
		await waitFor(() => /\/webhook\/[0-9a-f-]{36}\/webhook$/.test(webhookUrlOf('vendas')), { timeoutMs: 60_000, description: 'the production URL on vendas' });
		expect(await steps.unpublish(page)).toBe('Publish');
		await waitFor(() => webhookUrlOf('vendas') === CHATWOOT_URL, { timeoutMs: 30_000, description: 'Chatwoot back on vendas' });
	});

	it("publishing onto another workflow's instance is refused with the fix in the toast", async () => {
		const other = `${baseUrl}/webhook/6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f/webhook`;
		double.seedWebhook('suporte', { url: other, events: ['MESSAGES_UPSERT'] });
		const credential = (await restInPage<{ data: Array<{ id: string; name: string }> }>(page, 'GET', '/credentials')).data[0];
		const created = await restInPage<{ data: { id: string } }>(page, 'POST', '/workflows', {
			name: 'Taken instance',
			nodes: [
				{
					id: 'b7d0c0de-0000-4000-8000-000000000001',
					name: 'Evolution API Trigger',
					type: 'n8n-nodes-whatsapp-webhooks.evolutionApiTrigger',
					typeVersion: 1,
					position: [0, 0],
					webhookId: '0f7c5b1e-2222-4a2b-9c3d-4e5f6a7b8c9d',
					parameters: { instance: 'suporte' },
					credentials: { evolutionApi: credential },
				},
			],
			connections: {},
			settings: { executionOrder: 'v1' },
			active: false,
		});
		await steps.openWorkflow(page, baseUrl, created.data.id);
		await steps.publish(page);
		// n8n 2.x retries a failing activation for a while before it reports it.
		const toast = await waitFor(async () => (await steps.toasts(page)).find((text) => text.includes('already sends its events')), {
			timeoutMs: 90_000,
			description: 'the refusal toast',
		});
		console.log(`refusal toast: ${toast}`);
		expect(toast).toContain(`(${other}): ${TAKEN_SLOT_FIX}`);
		expect(webhookUrlOf('suporte')).toBe(other);
	});

	it.each(['Find the webhook of an instance', 'Set the webhook of an instance', 'Disable the webhook of an instance'])(
		'the action node added as "%s" loads the instance list at once',
		async (action) => {
			const created = await restInPage<{ data: { id: string } }>(page, 'POST', '/workflows', {
				name: `Action: ${action}`,
				nodes: [{ id: 'b7d0c0de-0000-4000-8000-000000000002', name: 'Manual', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} }],
				connections: {},
				settings: { executionOrder: 'v1' },
				active: false,
			});
			await steps.openWorkflow(page, baseUrl, created.data.id);
			await steps.addNodeFromPanel(page, page.locator('[data-test-id=canvas-handle-plus]').first(), 'evolution', 'Evolution API', action);
			const dropdown = await steps.instanceDropdown(page);
			expect(dropdown.fieldText).not.toContain('Error fetching options');
			expect(dropdown.entries).toHaveLength(2);
			await steps.closeNdv(page);
		},
	);

	it('each example opens clean: its sticky note in English and Portuguese, our nodes without errors', async () => {
		const stored = await restInPage<{ data: Array<{ id: string; name: string }> }>(page, 'GET', '/workflows');
		for (const example of EXAMPLES) {
			const workflow = stored.data.find((candidate) => candidate.name === example.name);
			expect(workflow).toBeDefined();
			await steps.openWorkflow(page, baseUrl, workflow!.id);
			const canvas = (await page.locator('[data-test-id=canvas]').innerText()).replace(/\s+/g, ' ');
			expect(canvas).toContain('What it does:');
			expect(canvas).toContain('O que faz:');
			const full = await restInPage<{ data: { nodes: Array<{ name: string; type: string }> } }>(page, 'GET', `/workflows/${workflow!.id}`);
			for (const node of full.data.nodes.filter((candidate) => candidate.type.startsWith('n8n-nodes-whatsapp-webhooks.'))) {
				await steps.openNode(page, node.name);
				await page.waitForTimeout(1500);
				const text = await steps.ndvParametersText(page);
				expect({ example: example.name, node: node.name, error: /Error fetching options|Found credential with no ID/.test(text) }).toEqual({
					example: example.name,
					node: node.name,
					error: false,
				});
				await steps.closeNdv(page);
			}
		}
	});

	it('the workflow menu imports a file where the README says (… → Import → From file)', async () => {
		await page.goto(`${baseUrl}/workflow/new`);
		await page.locator('[data-test-id=workflow-menu]').click({ timeout: 30_000 });
		await page.locator('[role=menuitem]:visible, .el-dropdown-menu:visible li', { hasText: /^Import$/ }).first().click();
		await page.locator('[role=menuitem]:visible, .el-dropdown-menu:visible li', { hasText: /^From file$/ }).first().waitFor({ timeout: 10_000 });
		await page.keyboard.press('Escape');
	});
});
