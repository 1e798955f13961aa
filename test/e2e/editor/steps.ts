/**
 * What a newcomer does in the n8n 2.x editor, one function per step, each returning what the screen shows so
 * the suite (test/e2e/editor.e2e.ts) asserts it and the screenshot script can reuse the walk. Selectors are the
 * editor's own data-test-id attributes (n8n 2.40.7).
 */
import type { Locator, Page } from 'playwright-core';

import { UI_TIMEOUT_MS } from '../harness/browser';
import { waitFor } from '../harness/n8n';

const NDV = '[data-test-id=ndv]';

async function texts(locator: Locator): Promise<string[]> {
	return (await locator.allInnerTexts()).map((text) => text.replace(/\s+/g, ' ').trim()).filter((text) => text !== '');
}

/** Opens the node panel on an empty canvas (or next to `afterNode`) and types `word`; answers the names listed. */
export async function searchNodes(page: Page, baseUrl: string, word: string): Promise<string[]> {
	await page.goto(`${baseUrl}/workflow/new`);
	await page.click('[data-test-id=node-creator-plus-button]', { timeout: UI_TIMEOUT_MS });
	await page.waitForSelector('[data-test-id=node-creator-search-bar]', { timeout: UI_TIMEOUT_MS });
	await page.keyboard.type(word);
	const items = page.locator('[data-test-id=node-creator-item-name]');
	// The list filters as one types: wait until it stops changing.
	let last: string | undefined;
	let unchanged = 0;
	await waitFor(
		async () => {
			const now = (await texts(items)).join('|');
			unchanged = now === last ? unchanged + 1 : 0;
			last = now;
			// An empty list may still fill in: give it longer than a list that stopped changing.
			return unchanged >= (now === '' ? 6 : 2);
		},
		{ timeoutMs: UI_TIMEOUT_MS, intervalMs: 400, description: `the node panel to list results for "${word}"` },
	);
	return texts(items);
}

/** Clicks a listed node; answers the text of the page the panel shows for it (its triggers and actions). */
export async function openNodeItem(page: Page, name: string): Promise<string> {
	await page.locator('[data-test-id=node-creator-item-name]', { hasText: new RegExp(`^${name}$`) }).first().click();
	const panel = page.locator('[data-test-id=node-creator]');
	await panel.getByText(/Triggers \(\d+\)|Actions \(\d+\)/).first().waitFor({ timeout: UI_TIMEOUT_MS });
	return (await panel.innerText()).replace(/[ \t]+/g, ' ');
}

/** The text of the open node details view's parameter panel. */
export async function ndvParametersText(page: Page): Promise<string> {
	return (await page.locator(`${NDV} [data-test-id=node-parameters]`).innerText()).replace(/[ \t]+/g, ' ');
}

export async function openNode(page: Page, nodeName: string): Promise<void> {
	await page.locator(`[data-test-id=canvas-node][data-node-name="${nodeName}"]`).dblclick();
	await page.waitForSelector(`${NDV} [data-test-id=node-parameters]`, { timeout: UI_TIMEOUT_MS });
}

export async function closeNdv(page: Page): Promise<void> {
	await page.locator(`${NDV} [data-test-id=ndv-close-button]`).first().click();
	await page.locator(`${NDV} [data-test-id=node-parameters]`).waitFor({ state: 'detached', timeout: UI_TIMEOUT_MS });
}

export async function openWorkflow(page: Page, baseUrl: string, workflowId: string): Promise<void> {
	await page.goto(`${baseUrl}/workflow/${workflowId}`);
	await page.waitForSelector('[data-test-id=canvas-node]', { timeout: UI_TIMEOUT_MS });
}

/** The URLs the "Webhook URLs" section shows, per mode tab. */
export async function webhookUrls(page: Page): Promise<{ test: string[]; production: string[] }> {
	const section = page.locator(NDV).getByText('Webhook URLs').first();
	await section.click();
	const read = async (tab: 'test' | 'production'): Promise<string[]> => {
		await page.locator(`${NDV} [data-test-id=radio-button-${tab}]`).click();
		await page.waitForTimeout(300);
		const found = await texts(page.locator(NDV).locator('text=/https?:\\/\\/\\S+\\/webhook(-test)?\\/\\S+/'));
		return found.map((text) => /https?:\/\/\S+/.exec(text)?.[0] ?? text);
	};
	const result = { test: await read('test'), production: await read('production') };
	await section.click();
	return result;
}

/** Opens the Instance dropdown; answers its entries, or the error the field shows. */
export async function instanceDropdown(page: Page): Promise<{ entries: string[]; fieldText: string }> {
	const field = page.locator(`${NDV} [data-test-id=parameter-input-instance]`).first();
	// Only the select's own list: another popper (the field's ⋮ menu) may still be fading out.
	const items = page.locator('.el-select-dropdown:visible .el-select-dropdown__item');
	await waitFor(
		async () => {
			if ((await texts(items)).length > 0 || /error/i.test(await field.innerText())) return true;
			// A click that only closed another menu leaves the list shut: open it again.
			if (!(await page.locator('.el-select-dropdown:visible').count())) await field.click();
			return false;
		},
		{ timeoutMs: UI_TIMEOUT_MS, description: 'the Instance dropdown to load' },
	);
	const entries = await texts(items);
	const fieldText = (await page.locator(`${NDV} [data-test-id=node-parameters]`).innerText()).replace(/\s+/g, ' ');
	await page.keyboard.press('Escape');
	return { entries, fieldText };
}

/**
 * The Instance field's ⋮ → "Refresh List". n8n loads a dropdown once and reloads it only when a parameter changes,
 * not when the credential's data does: a list that failed with a wrong credential keeps "Error fetching options"
 * after the credential is fixed (what looked like "fails on first add, works after switching the operation").
 */
export async function refreshInstanceList(page: Page): Promise<void> {
	const field = page.locator(`${NDV} [data-test-id=instance-parameter-input-options-container]`).first();
	await page.locator(`${NDV} [data-test-id=parameter-input-instance]`).first().hover();
	await field.locator('[data-test-id=action-toggle]').first().click({ timeout: UI_TIMEOUT_MS });
	await page.locator('.el-dropdown-menu:visible li, [role=menuitem]:visible', { hasText: /Refresh List/i }).first().click({ timeout: UI_TIMEOUT_MS });
	await page.locator('.el-dropdown-menu:visible, [role=menu]:visible').first().waitFor({ state: 'hidden', timeout: UI_TIMEOUT_MS }).catch(() => undefined);
}

export async function pickInstance(page: Page, startsWith: string): Promise<void> {
	await page.locator(`${NDV} [data-test-id=parameter-input-instance]`).first().click();
	await page.locator('.el-select-dropdown__item:visible', { hasText: startsWith }).first().click();
}

/** Adds a node from the panel: `search` → the listed `item` → its action or trigger called `action`. Answers once its details view is open. */
export async function addNodeFromPanel(page: Page, opener: Locator, search: string, item: string, action?: string): Promise<void> {
	await opener.click({ timeout: UI_TIMEOUT_MS });
	await page.waitForSelector('[data-test-id=node-creator-search-bar]', { timeout: UI_TIMEOUT_MS });
	await page.keyboard.type(search);
	await page.locator('[data-test-id=node-creator-item-name]', { hasText: new RegExp(`^${item}$`) }).first().click({ timeout: UI_TIMEOUT_MS });
	if (action === undefined) {
		await page.waitForSelector(`${NDV} [data-test-id=node-parameters]`, { timeout: UI_TIMEOUT_MS });
		return;
	}
	const panel = page.locator('[data-test-id=node-creator]');
	const entry = panel.getByText(action, { exact: true }).first();
	if (!(await entry.isVisible())) {
		// The other category (Actions below Triggers, or the reverse) starts folded.
		for (const heading of await panel.getByText(/^(Actions|Triggers) \(\d+\)$/).all()) {
			if (await entry.isVisible()) break;
			await heading.click();
		}
	}
	await entry.click({ timeout: UI_TIMEOUT_MS });
	await page.waitForSelector(`${NDV} [data-test-id=node-parameters]`, { timeout: UI_TIMEOUT_MS });
}

export interface CredentialFields {
	baseUrl: string;
	apiKey: string;
	instanceName?: string;
}

/**
 * The credential dialog's test answer after Save (n8n 2.40): a banner "Couldn’t connect with these settings" whose
 * "More details" unfolds the test's own message, or a success banner. Answers the banner's words.
 */
async function bannerText(modal: Locator): Promise<string> {
	// Short: the dialog may close while it is read.
	const text = (await modal.innerText({ timeout: 1000 }).catch(() => '')).replace(/\s+/g, ' ');
	const at = text.search(/Couldn.t connect|Connection tested|Connection successful/i);
	if (at === -1) return '';
	const end = text.indexOf('Base URL', at);
	return text.slice(at, end === -1 ? undefined : end).trim();
}

/** The banner's words once the test answered (failure details unfolded), else undefined. */
async function answerShown(modal: Locator, previous: string): Promise<string | undefined> {
	const more = modal.getByText('More details').first();
	if (await more.isVisible()) await more.click({ timeout: 1000 }).catch(() => undefined);
	const text = await bannerText(modal);
	return text !== '' && text !== previous && !/More details/.test(text) ? text : undefined;
}

/** In the open details view: Credential → Create new credential, fill in `fields`, Save; answers the test banner. */
export async function createCredentialFromNdv(page: Page, fields: CredentialFields): Promise<{ modal: Locator; answer: string }> {
	// Without any credential of the type, n8n 2.x shows a "Connect to …" button instead of the select.
	const connect = page.locator(NDV).getByRole('button', { name: /^Connect to / });
	if (await connect.isVisible()) await connect.click();
	else {
		await page.locator(`${NDV} [data-test-id=node-credentials-select]`).click();
		await page.locator('.el-select-dropdown__item:visible', { hasText: /Create new credential/ }).first().click();
	}
	const modal = page.locator('[data-test-id=editCredential-modal]');
	await modal.waitFor({ timeout: UI_TIMEOUT_MS });
	return { modal, answer: await fillAndSaveCredential(modal, fields) };
}

/**
 * Fills in `fields`, saves, answers the test's words. n8n 2.40 sometimes closes the dialog it opened from the
 * details view right after a save; then it is opened again with the details view's pencil, where n8n tests the
 * stored credential again and shows the answer.
 */
export async function fillAndSaveCredential(modal: Locator, fields: CredentialFields): Promise<string> {
	const pencil = modal.page().locator(`${NDV} [data-test-id=credential-edit-button]`);
	if (!(await modal.isVisible())) await pencil.click({ timeout: UI_TIMEOUT_MS });
	await modal.waitFor({ timeout: UI_TIMEOUT_MS });
	const previous = await bannerText(modal);
	for (const [name, value] of Object.entries(fields)) {
		await modal.locator(`[data-test-id=parameter-input-${name}] input`).first().fill(value ?? '');
	}
	await modal.locator('[data-test-id=credential-save-button]').click();
	const first = await waitFor(async () => ((await modal.isVisible()) ? await answerShown(modal, previous) : 'closed'), {
		timeoutMs: UI_TIMEOUT_MS,
		intervalMs: 300,
		description: 'the credential test answer',
	});
	if (first !== 'closed') return first;
	await pencil.click({ timeout: UI_TIMEOUT_MS });
	await modal.waitFor({ timeout: UI_TIMEOUT_MS });
	return waitFor(() => answerShown(modal, ''), { timeoutMs: UI_TIMEOUT_MS, intervalMs: 300, description: 'the credential test answer after reopening the dialog' });
}

/** The dialog's × (Escape would close the details view behind it too). */
export async function closeCredentialModal(modal: Locator): Promise<void> {
	const close = modal.locator('.el-dialog__headerbtn, button[aria-label=Close], button[aria-label="Close this dialog"]');
	if ((await close.count()) > 0) await close.first().click();
	else {
		// n8n 2.40's dialog header: Save, delete, ×, with no test id on the ×.
		const box = await modal.locator('[data-test-id=credential-delete-button]').boundingBox();
		if (!box) throw new Error('the credential dialog has no delete button to find its × by');
		await modal.page().mouse.click(box.x + box.width + 40, box.y + box.height / 2);
	}
	await modal.waitFor({ state: 'hidden', timeout: UI_TIMEOUT_MS });
}

/** Starts a test of the open trigger: the details view's "Execute step" (n8n 2.x). Answers the button's words. */
export async function startTest(page: Page): Promise<string> {
	const button = page.locator(`${NDV} [data-test-id=node-execute-button]`).first();
	const words = (await button.innerText()).trim();
	await button.click();
	return words;
}

/** Waits until the output panel shows an item whose JSON contains `needle`; answers the panel's text. */
export async function outputShows(page: Page, needle: string): Promise<string> {
	const output = page.locator(`${NDV} [data-test-id=output-panel]`);
	await output.locator('[data-test-id=radio-button-json]').click({ timeout: UI_TIMEOUT_MS * 2 });
	await output.getByText(needle).first().waitFor({ timeout: UI_TIMEOUT_MS });
	return (await output.innerText()).replace(/\s+/g, ' ');
}

/** Saves the open workflow with the keyboard shortcut and waits for the editor to say so. */
export async function saveWorkflow(page: Page): Promise<void> {
	await page.keyboard.press('Control+s');
	await page.waitForTimeout(1500);
}

/**
 * The Publish button (n8n 2.x). Answers what the editor says afterwards: its "Workflow published" dialog (closed
 * with "Got it") and any toasts, e.g. an activation error.
 */
export async function publish(page: Page): Promise<{ dialog: string; toasts: string[]; button: string }> {
	const button = page.locator('[data-test-id=workflow-open-publish-modal-button]');
	await button.click({ timeout: UI_TIMEOUT_MS });
	const dialog = page.locator('.el-dialog:visible, [role=dialog]:visible').last();
	const confirm = dialog.getByRole('button', { name: /^Publish$/ });
	if (await confirm.isVisible({ timeout: 2000 }).catch(() => false)) await confirm.click();
	const published = page.getByText('Workflow published', { exact: true });
	// Only the dialog counts: a toast (e.g. "saved") may come first. A refused publication shows no dialog and waits this out.
	await published.waitFor({ timeout: UI_TIMEOUT_MS }).catch(() => undefined);
	let dialogText = '';
	if (await published.isVisible()) {
		dialogText = (await page.locator('.el-dialog:visible, [role=dialog]:visible').last().innerText()).replace(/\s+/g, ' ');
		await page.getByRole('button', { name: 'Got it' }).click();
	}
	return { dialog: dialogText, toasts: await toasts(page), button: (await button.innerText()).trim() };
}

/** Unpublish from the menu next to Publish; answers the button's words afterwards. */
export async function unpublish(page: Page): Promise<string> {
	await page.locator('[data-test-id=workflow-open-publish-modal-button] ~ *, [data-test-id=version-menu-button]').last().click({ timeout: UI_TIMEOUT_MS });
	await page.getByText(/^Unpublish/).first().click({ timeout: UI_TIMEOUT_MS });
	const dialog = page.locator('.el-dialog:visible, [role=dialog]:visible').last();
	const confirm = dialog.getByRole('button', { name: /^Unpublish$/ });
	if (await confirm.isVisible({ timeout: 2000 }).catch(() => false)) await confirm.click();
	const button = page.locator('[data-test-id=workflow-open-publish-modal-button]');
	await waitFor(async () => /^Publish$/.test((await button.innerText()).trim()), { timeoutMs: UI_TIMEOUT_MS, description: 'the button to say Publish again' });
	return (await button.innerText()).trim();
}

/** The notification toasts on screen after a moment (n8n shows success and errors as toasts). */
export async function toasts(page: Page): Promise<string[]> {
	await page.waitForTimeout(2500);
	return texts(page.locator('.el-notification:visible'));
}
