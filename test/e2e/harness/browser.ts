/**
 * Debian's chromium driven by playwright-core, for the editor suite and the screenshot script. The flags keep
 * chromium off the network (no component updates, sync, background fetches or QUIC); pages only load n8n on
 * 127.0.0.1.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];
export const VIEWPORT = { width: 1280, height: 800 };
export const UI_TIMEOUT_MS = 30_000;

/** Installs Debian's chromium with apt-get when it is missing (the machine runs as root). */
export function ensureChromium(log: (line: string) => void = console.log): void {
	if (fs.existsSync(CHROMIUM)) return;
	log(`${CHROMIUM} missing: installing Debian's chromium (apt-get update && apt-get install -y chromium)`);
	for (const args of [['update'], ['install', '-y', 'chromium']]) {
		const result = spawnSync('apt-get', args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
		if (result.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed (exit ${result.status}); run it as root`);
	}
	if (!fs.existsSync(CHROMIUM)) throw new Error(`apt-get installed chromium but ${CHROMIUM} is still missing`);
}

export async function launchChromium(): Promise<Browser> {
	return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

export async function signIn(page: Page, baseUrl: string, owner: { email: string; password: string }): Promise<void> {
	await page.goto(`${baseUrl}/signin`);
	await page.fill('#emailOrLdapLoginId', owner.email);
	await page.fill('#password', owner.password);
	await page.click('[data-test-id=form-submit-button]');
	await page.waitForURL((url) => !url.pathname.includes('signin'), { timeout: UI_TIMEOUT_MS });
}

/** The editor's REST API from inside the page, with its login cookie and browser id. */
export async function restInPage<T = any>(page: Page, method: string, restPath: string, body?: unknown): Promise<T> {
	const answer = await page.evaluate(
		async ({ method, restPath, body }) => {
			const response = await fetch(`/rest${restPath}`, {
				method,
				headers: { 'content-type': 'application/json', 'browser-id': (globalThis as unknown as { localStorage: { getItem(key: string): string | null } }).localStorage.getItem('n8n-browserId') ?? '' },
				body: body === undefined ? undefined : JSON.stringify(body),
			});
			return { status: response.status, text: await response.text() };
		},
		{ method, restPath, body },
	);
	if (answer.status >= 300) throw new Error(`${method} /rest${restPath} answered ${answer.status}: ${answer.text.slice(0, 300)}`);
	return (answer.text ? JSON.parse(answer.text) : undefined) as T;
}
