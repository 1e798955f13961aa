/**
 * Drives a real n8n headless for end-to-end tests: installs our package tarball into a fresh user folder,
 * starts n8n on 127.0.0.1 with SQLite, sets up an owner and an API key, and wraps the REST and public API
 * calls the suites need. The n8n versions come from scripts/n8n/targets.mjs via scripts/n8n/provision.mjs.
 *
 * Everything this module starts it stops: `stop()` kills n8n's whole process group, and a process exit
 * handler kills whatever is still running.
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export type N8nTargetId = '2.x' | '1.x';
export type N8nProcessMode = 'regular' | 'main' | 'webhook' | 'worker';

/** What `provision.mjs --print-json` reports for one target. */
export interface ProvisionedN8n {
	id: N8nTargetId;
	n8nVersion: string;
	nodeVersion: string;
	nodeBin: string;
	n8nBin: string;
	installDir: string;
	env: Record<string, string>;
}

export interface N8nStartOptions {
	target: N8nTargetId;
	/** Free port on 127.0.0.1 when omitted. */
	port?: number;
	/** `npm pack` output; installed into `<userFolder>/.n8n/nodes` so node types are `<package>.<node>`. */
	packageTarball?: string;
	/** Loaded through N8N_CUSTOM_EXTENSIONS; node types are then `CUSTOM.<node>`. */
	customExtensionsDir?: string | string[];
	/** Added last, so it can override anything below. */
	env?: Record<string, string>;
	/** Fresh folder under `<repo>/.e2e/` when omitted. Reusing one keeps the SQLite database. */
	userFolder?: string;
	/** regular: `n8n start` with everything in one process; main/webhook/worker: queue mode roles (env must configure the queue). */
	mode?: N8nProcessMode;
	readyTimeoutMs?: number;
}

export interface N8nOwner {
	email: string;
	password: string;
	firstName: string;
	lastName: string;
}

export interface WorkflowNode {
	id?: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Record<string, unknown>;
	webhookId?: string;
	credentials?: Record<string, { id: string; name: string }>;
	[key: string]: unknown;
}

export interface WorkflowJson {
	name: string;
	nodes: WorkflowNode[];
	connections?: Record<string, unknown>;
	settings?: Record<string, unknown>;
	staticData?: Record<string, unknown> | null;
}

export interface StoredWorkflow extends WorkflowJson {
	id: string;
	active: boolean;
	connections: Record<string, unknown>;
	[key: string]: unknown;
}

export interface Execution {
	id: string | number;
	workflowId: string;
	mode: string;
	status?: string;
	finished: boolean;
	data?: {
		resultData?: {
			runData?: Record<string, Array<{ data?: { main?: Array<Array<{ json: Record<string, unknown> }> | null> } }>>;
			error?: unknown;
		};
	};
	[key: string]: unknown;
}

/** `GET /rest/workflows/{id}/publication-status` on 2.x. */
export interface PublicationStatus {
	status: 'in_progress' | 'not_published' | 'published' | 'partial' | 'failed';
	liveVersionId: string | null;
	pendingVersionId: string | null;
	triggers: Array<{ nodeId: string; status: string; errorMessage: string | null }>;
}

export class N8nHttpError extends Error {
	constructor(
		readonly method: string,
		readonly url: string,
		readonly status: number,
		readonly body: string,
	) {
		super(`${method} ${url} answered ${status}: ${body.slice(0, 500)}`);
		this.name = 'N8nHttpError';
	}
}

/** Same values on every instance, so a restarted n8n decrypts what the previous one stored. */
const ENCRYPTION_KEY = 'e2e-n8n-nodes-whatsapp-webhooks';
/** n8n binds the auth cookie to this header (JWT carries its hash); every REST call must send the same one. */
const BROWSER_ID = 'e2e-harness-browser';
const DEFAULT_OWNER: N8nOwner = {
	email: 'owner@example.com',
	password: 'Passw0rdE2E',
	firstName: 'E2E',
	lastName: 'Owner',
};
/** Used when the server has no `GET /rest/api-keys/scopes` (older 1.x). */
const FALLBACK_API_KEY_SCOPES = [
	'workflow:create',
	'workflow:read',
	'workflow:update',
	'workflow:delete',
	'workflow:list',
	'workflow:activate',
	'workflow:deactivate',
	'execution:read',
	'execution:list',
	'execution:delete',
	'credential:create',
	'credential:delete',
];

const REPO_ROOT = findRepoRoot();
const provisioned = new Map<N8nTargetId, ProvisionedN8n>();
const running = new Set<N8nInstance>();
let exitHandlersInstalled = false;

function findRepoRoot(): string {
	for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
		const manifest = path.join(dir, 'package.json');
		if (fs.existsSync(manifest) && JSON.parse(fs.readFileSync(manifest, 'utf8')).name === 'n8n-nodes-whatsapp-webhooks') {
			return dir;
		}
	}
	return process.cwd();
}

/** Installs (first time only, takes minutes) and describes the pinned n8n for `target`. */
export function provisionN8n(target: N8nTargetId): ProvisionedN8n {
	const cached = provisioned.get(target);
	if (cached) return cached;
	const script = path.join(REPO_ROOT, 'scripts', 'n8n', 'provision.mjs');
	const result = spawnSync(process.execPath, [script, target, '--print-json'], {
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'inherit'],
		maxBuffer: 10 * 1024 * 1024,
	});
	if (result.status !== 0) throw new Error(`provisioning n8n ${target} failed (exit ${result.status}); see the output above`);
	const [description] = JSON.parse(result.stdout) as ProvisionedN8n[];
	provisioned.set(target, description);
	return description;
}

/** `npm pack` of `packageDir` into `destination`; returns the tarball's absolute path. */
export function packPackage(packageDir: string, destination: string): string {
	fs.mkdirSync(destination, { recursive: true });
	const result = spawnSync('npm', ['pack', '--json', '--pack-destination', destination], { cwd: packageDir, encoding: 'utf8' });
	if (result.status !== 0) throw new Error(`npm pack in ${packageDir} failed:\n${result.stderr}`);
	const [packed] = JSON.parse(result.stdout) as Array<{ filename: string }>;
	return path.join(destination, packed.filename);
}

/** Builds this repository (`npm run build`) and packs it into `<repo>/.e2e/pack/`: what users install. */
export function packThisPackage({ build = true }: { build?: boolean } = {}): string {
	if (build) {
		const result = spawnSync('npm', ['run', 'build'], { cwd: REPO_ROOT, encoding: 'utf8' });
		if (result.status !== 0) throw new Error(`npm run build failed:\n${result.stdout}\n${result.stderr}`);
	}
	return packPackage(REPO_ROOT, path.join(REPO_ROOT, '.e2e', 'pack'));
}

export async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
		});
	});
}

export function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Polls `probe` until it returns something other than undefined/false/null, and returns that.
 * Errors thrown by `probe` count as "not yet"; the last one is reported on timeout.
 */
export async function waitFor<T>(
	probe: () => Promise<T | undefined | null | false> | T | undefined | null | false,
	{ timeoutMs = 15_000, intervalMs = 200, description = 'condition' }: { timeoutMs?: number; intervalMs?: number; description?: string } = {},
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	let lastError: unknown;
	for (;;) {
		try {
			const value = await probe();
			if (value !== undefined && value !== null && value !== false) return value;
		} catch (error) {
			lastError = error;
		}
		if (Date.now() >= deadline) {
			const cause = lastError instanceof Error ? `; last error: ${lastError.message}` : '';
			throw new Error(`timed out after ${timeoutMs} ms waiting for ${description}${cause}`);
		}
		await sleep(intervalMs);
	}
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
	try {
		process.kill(-pid, signal);
	} catch {
		// ESRCH: the group is already gone.
	}
}

function installExitHandlers(): void {
	if (exitHandlersInstalled) return;
	exitHandlersInstalled = true;
	process.on('exit', () => {
		for (const instance of running) if (instance.pid) killGroup(instance.pid, 'SIGKILL');
	});
	for (const signal of ['SIGINT', 'SIGTERM'] as const) {
		process.once(signal, () => {
			for (const instance of running) if (instance.pid) killGroup(instance.pid, 'SIGKILL');
			process.exit(signal === 'SIGINT' ? 130 : 143);
		});
	}
}

function tailOf(file: string, lines: number): string {
	try {
		return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
	} catch {
		return '(no log)';
	}
}

export class N8nInstance {
	readonly baseUrl: string;
	readonly logFile: string;
	readonly n8n: ProvisionedN8n;
	private child: ChildProcess | undefined;
	private exited: Promise<void> = Promise.resolve();
	private authCookie: string | undefined;
	private apiKey: string | undefined;
	private owner: N8nOwner | undefined;
	/** How long the last start took until n8n answered as ready. */
	startupMs = 0;

	private constructor(
		readonly options: Required<Pick<N8nStartOptions, 'target' | 'mode' | 'readyTimeoutMs'>> & N8nStartOptions,
		readonly port: number,
		readonly userFolder: string,
		private readonly extraPorts: { runnerBroker: number },
	) {
		this.n8n = provisionN8n(options.target);
		this.baseUrl = `http://127.0.0.1:${port}`;
		this.logFile = path.join(userFolder, `n8n-${options.mode}.log`);
	}

	static async start(options: N8nStartOptions): Promise<N8nInstance> {
		const mode = options.mode ?? 'regular';
		const port = options.port ?? (await freePort());
		const userFolder = path.resolve(
			options.userFolder ??
				path.join(REPO_ROOT, '.e2e', `n8n-${options.target}-${new Date().toISOString().replace(/[:.]/g, '-')}-${randomBytes(3).toString('hex')}`),
		);
		fs.mkdirSync(path.join(userFolder, '.n8n'), { recursive: true });
		const instance = new N8nInstance(
			{ ...options, mode, readyTimeoutMs: options.readyTimeoutMs ?? 180_000 },
			port,
			userFolder,
			{ runnerBroker: await freePort() },
		);
		if (options.packageTarball) instance.installPackage(options.packageTarball);
		await instance.launch();
		return instance;
	}

	get pid(): number | undefined {
		return this.child?.pid;
	}

	get webhookBaseUrl(): string {
		return `${this.baseUrl}/`;
	}

	/** `npm install <tarball>` into `<userFolder>/.n8n/nodes`, where n8n looks for community packages. */
	installPackage(tarball: string): void {
		const nodesDir = path.join(this.userFolder, '.n8n', 'nodes');
		fs.mkdirSync(nodesDir, { recursive: true });
		const manifest = path.join(nodesDir, 'package.json');
		if (!fs.existsSync(manifest)) {
			fs.writeFileSync(manifest, JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2));
		}
		// Peers (n8n-workflow) must come from n8n itself, never a second copy next to the package.
		const result = spawnSync(
			'npm',
			['install', path.resolve(tarball), '--omit=dev', '--omit=peer', '--legacy-peer-deps', '--ignore-scripts', '--no-audit', '--no-fund', '--no-package-lock'],
			{ cwd: nodesDir, encoding: 'utf8' },
		);
		if (result.status !== 0) throw new Error(`installing ${tarball} into ${nodesDir} failed:\n${result.stdout}\n${result.stderr}`);
	}

	private environment(): NodeJS.ProcessEnv {
		const { options } = this;
		const customExtensions = options.customExtensionsDir === undefined ? [] : ([] as string[]).concat(options.customExtensionsDir);
		const env: NodeJS.ProcessEnv = {
			PATH: `${path.dirname(this.n8n.nodeBin)}${path.delimiter}${process.env.PATH ?? ''}`,
			HOME: process.env.HOME,
			LANG: process.env.LANG ?? 'C.UTF-8',
			TZ: 'UTC',
			GENERIC_TIMEZONE: 'UTC',
			N8N_USER_FOLDER: this.userFolder,
			N8N_PORT: String(this.port),
			N8N_HOST: '127.0.0.1',
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_PROTOCOL: 'http',
			// 1.x reads only WEBHOOK_URL; 2.x deprecates it in favour of N8N_WEBHOOK_URL.
			[this.majorVersion >= 2 ? 'N8N_WEBHOOK_URL' : 'WEBHOOK_URL']: this.webhookBaseUrl,
			N8N_EDITOR_BASE_URL: this.webhookBaseUrl,
			N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
			N8N_SECURE_COOKIE: 'false',
			N8N_PUBLIC_API_DISABLED: 'false',
			N8N_PUBLIC_API_SWAGGERUI_DISABLED: 'true',
			N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
			N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
			N8N_REINSTALL_MISSING_PACKAGES: 'false',
			N8N_LOG_LEVEL: 'debug',
			N8N_LOG_OUTPUT: 'console',
			// Quiet and offline: no telemetry, update checks, templates, banners or license renewals.
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_HIRING_BANNER_ENABLED: 'false',
			N8N_LICENSE_AUTO_RENEW_ENABLED: 'false',
			N8N_AI_ENABLED: 'false',
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
			N8N_BLOCK_ENV_ACCESS_IN_NODE: 'false',
			N8N_GIT_NODE_DISABLE_BARE_REPOS: 'true',
			N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '5',
			DB_TYPE: 'sqlite',
			DB_SQLITE_POOL_SIZE: '2',
			// Several instances may run at once: the task broker gets its own port too.
			N8N_RUNNERS_BROKER_PORT: String(this.extraPorts.runnerBroker),
			N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
			...(customExtensions.length > 0 ? { N8N_CUSTOM_EXTENSIONS: customExtensions.map((dir) => path.resolve(dir)).join(';') } : {}),
			// Queue mode roles; DB_TYPE=postgresdb and QUEUE_BULL_REDIS_* must come from options.env (SQLite is not supported there).
			...(options.mode === 'regular' ? {} : { EXECUTIONS_MODE: 'queue' }),
			// A worker serves no n8n port; its health server on `port` is what readiness polls.
			...(options.mode === 'worker'
				? { QUEUE_HEALTH_CHECK_ACTIVE: 'true', QUEUE_HEALTH_CHECK_PORT: String(this.port), N8N_WORKER_SERVER_ADDRESS: '127.0.0.1' }
				: {}),
			...this.n8n.env,
			...options.env,
		};
		return env;
	}

	private command(): string[] {
		switch (this.options.mode) {
			case 'regular':
			case 'main':
				return ['start'];
			case 'webhook':
				return ['webhook'];
			case 'worker':
				return ['worker'];
		}
	}

	private async launch(): Promise<void> {
		installExitHandlers();
		const log = fs.openSync(this.logFile, 'a');
		fs.writeSync(log, `\n===== ${new Date().toISOString()} n8n ${this.n8n.n8nVersion} ${this.command().join(' ')} on ${this.baseUrl}\n`);
		const started = Date.now();
		const child = spawn(this.n8n.nodeBin, [this.n8n.n8nBin, ...this.command()], {
			cwd: this.userFolder,
			env: this.environment(),
			detached: true, // own process group, so stop() also reaches the task runners n8n spawns
			stdio: ['ignore', log, log],
		});
		fs.closeSync(log);
		this.child = child;
		running.add(this);
		this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
		child.once('exit', () => running.delete(this));
		try {
			await this.waitUntilReady(child);
		} catch (error) {
			await this.stop();
			throw error;
		}
		this.startupMs = Date.now() - started;
	}

	/**
	 * A main answers /healthz (and "n8n is starting up" on every route, then 404 HTML) long before it is
	 * ready; 1.x even reports /healthz/readiness 200 seconds early. `GET /rest/settings` answering JSON means ready.
	 * Webhook processors and workers (untested so far) have no /rest: they use /healthz/readiness (DB and Redis up).
	 */
	private async waitUntilReady(child: ChildProcess): Promise<void> {
		const readinessPath = this.options.mode === 'regular' || this.options.mode === 'main' ? '/rest/settings' : '/healthz/readiness';
		const deadline = Date.now() + this.options.readyTimeoutMs;
		while (Date.now() < deadline) {
			if (child.exitCode !== null || child.signalCode !== null) {
				throw new Error(`n8n exited during startup (${child.exitCode ?? child.signalCode}); last log lines:\n${tailOf(this.logFile, 60)}`);
			}
			try {
				const response = await fetch(`${this.baseUrl}${readinessPath}`, { signal: AbortSignal.timeout(2000) });
				const text = await response.text();
				if (response.ok && (response.headers.get('content-type') ?? '').includes('json')) {
					JSON.parse(text);
					return;
				}
			} catch {
				// not listening yet, or still the startup page
			}
			await sleep(250);
		}
		throw new Error(`n8n not ready after ${this.options.readyTimeoutMs} ms; last log lines:\n${tailOf(this.logFile, 60)}`);
	}

	/** Stops n8n (SIGTERM to its process group, SIGKILL after the grace period) and waits for it to exit. */
	async stop(graceMs = 15_000): Promise<void> {
		const child = this.child;
		if (!child?.pid) return;
		if (child.exitCode === null && child.signalCode === null) {
			killGroup(child.pid, 'SIGTERM');
			const pid = child.pid;
			const forceKill = setTimeout(() => killGroup(pid, 'SIGKILL'), graceMs);
			await this.exited;
			clearTimeout(forceKill);
		}
		// Children that outlived n8n (task runners) share its process group.
		killGroup(child.pid, 'SIGKILL');
		running.delete(this);
		this.child = undefined;
	}

	/**
	 * Stop and start again on the same user folder, port and database. Login and API key stay valid.
	 * `envOverrides` are merged into the environment for this and later starts.
	 */
	async restart(envOverrides: Record<string, string> = {}): Promise<void> {
		await this.stop();
		this.options.env = { ...this.options.env, ...envOverrides };
		await this.launch();
	}

	logs(): string {
		return fs.existsSync(this.logFile) ? fs.readFileSync(this.logFile, 'utf8') : '';
	}

	// ---- HTTP -------------------------------------------------------------------------------------------

	private async request(method: string, url: string, headers: Record<string, string>, body?: unknown): Promise<Response> {
		return fetch(url, {
			method,
			headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
	}

	private async json<T>(method: string, url: string, response: Response): Promise<T> {
		const text = await response.text();
		if (!response.ok) throw new N8nHttpError(method, url, response.status, text);
		return (text ? JSON.parse(text) : undefined) as T;
	}

	/** Internal REST API (`/rest/...`) with the owner's auth cookie. Returns the parsed body (usually `{ data }`). */
	async rest<T = any>(method: string, restPath: string, body?: unknown): Promise<T> {
		const url = `${this.baseUrl}/rest${restPath}`;
		const headers: Record<string, string> = { 'browser-id': BROWSER_ID };
		if (this.authCookie) headers.cookie = this.authCookie;
		return this.json<T>(method, url, await this.request(method, url, headers, body));
	}

	/** Public API (`/api/v1/...`) with the API key from `setupOwner()`. */
	async api<T = any>(method: string, apiPath: string, body?: unknown): Promise<T> {
		if (!this.apiKey) throw new Error('no API key yet: call setupOwner() first');
		const url = `${this.baseUrl}/api/v1${apiPath}`;
		return this.json<T>(method, url, await this.request(method, url, { 'X-N8N-API-KEY': this.apiKey }, body));
	}

	/** Creates the owner, logs in (auth cookie) and creates an API key with every scope the server offers. */
	async setupOwner(owner: N8nOwner = DEFAULT_OWNER): Promise<{ apiKey: string }> {
		this.owner = owner;
		await this.postForCookie('/rest/owner/setup', owner);
		await this.login();
		let scopes = FALLBACK_API_KEY_SCOPES;
		try {
			const available = await this.rest<{ data: string[] }>('GET', '/api-keys/scopes');
			if (Array.isArray(available.data) && available.data.length > 0) scopes = available.data;
		} catch (error) {
			if (!(error instanceof N8nHttpError && error.status === 404)) throw error;
		}
		const created = await this.rest<{ data: { rawApiKey: string } }>('POST', '/api-keys', {
			label: `e2e-${randomBytes(3).toString('hex')}`,
			scopes,
			expiresAt: null,
		});
		this.apiKey = created.data.rawApiKey;
		return { apiKey: this.apiKey };
	}

	async login(): Promise<void> {
		if (!this.owner) throw new Error('no owner yet: call setupOwner() first');
		await this.postForCookie('/rest/login', { emailOrLdapLoginId: this.owner.email, password: this.owner.password });
	}

	private async postForCookie(restPath: string, body: unknown): Promise<void> {
		const url = `${this.baseUrl}${restPath}`;
		const response = await this.request('POST', url, { 'browser-id': BROWSER_ID }, body);
		await this.json('POST', url, response);
		const cookie = response.headers
			.getSetCookie()
			.map((line) => line.split(';')[0])
			.find((pair) => pair.startsWith('n8n-auth='));
		if (!cookie) throw new Error(`${restPath} set no n8n-auth cookie`);
		this.authCookie = cookie;
	}

	// ---- workflows, credentials, executions -------------------------------------------------------------

	/** Creates a workflow through the public API (which accepts only these fields). */
	async createWorkflow(workflow: WorkflowJson): Promise<StoredWorkflow> {
		return this.api<StoredWorkflow>('POST', '/workflows', {
			name: workflow.name,
			nodes: workflow.nodes,
			connections: workflow.connections ?? {},
			settings: workflow.settings ?? { executionOrder: 'v1' },
			...(workflow.staticData ? { staticData: workflow.staticData } : {}),
		});
	}

	async getWorkflow(id: string): Promise<StoredWorkflow> {
		return this.api<StoredWorkflow>('GET', `/workflows/${id}`);
	}

	get majorVersion(): number {
		return Number(this.n8n.n8nVersion.split('.')[0]);
	}

	/** 2.x renamed activate/deactivate to publish/unpublish (the old routes remain, deprecated). */
	private get usesPublish(): boolean {
		return this.majorVersion >= 2;
	}

	/**
	 * Activates (1.x) / publishes (2.x) through the public API, which runs checkExists/create in this process.
	 * On 2.x the call can return before create() has reached the remote server: poll for its effect.
	 */
	async activate(id: string): Promise<StoredWorkflow> {
		return this.api<StoredWorkflow>('POST', `/workflows/${id}/${this.usesPublish ? 'publish' : 'activate'}`);
	}

	/** Runs delete() for each webhook (same caveat as `activate` on 2.x: poll for the effect). */
	async deactivate(id: string): Promise<StoredWorkflow> {
		return this.api<StoredWorkflow>('POST', `/workflows/${id}/${this.usesPublish ? 'unpublish' : 'deactivate'}`);
	}

	/**
	 * 2.x: where a publish's outcome shows (the editor reads it): `publish` answers before the triggers run, so a
	 * trigger whose create() throws surfaces here as `status: 'failed'` with the node's error message.
	 */
	async publicationStatus(id: string): Promise<PublicationStatus> {
		const answer = await this.rest<{ data?: PublicationStatus } & Partial<PublicationStatus>>('GET', `/workflows/${id}/publication-status`);
		return (answer.data ?? answer) as PublicationStatus;
	}

	async createCredential(type: string, name: string, data: Record<string, unknown>): Promise<{ id: string; name: string; type: string }> {
		return this.api('POST', '/credentials', { type, name, data });
	}

	/** Executions of a workflow, newest first, with their run data. */
	async executions(workflowId: string, { includeData = true }: { includeData?: boolean } = {}): Promise<Execution[]> {
		const query = new URLSearchParams({ workflowId, includeData: String(includeData), limit: '250' });
		const page = await this.api<{ data: Execution[] }>('GET', `/executions?${query}`);
		return page.data;
	}

	waitFor<T>(probe: () => Promise<T | undefined | null | false> | T | undefined | null | false, options?: { timeoutMs?: number; intervalMs?: number; description?: string }): Promise<T> {
		return waitFor(probe, options);
	}

	/**
	 * "Listen for test event" without the editor: registers the test webhook (create() runs with mode 'manual').
	 * It ends with the first test delivery, after n8n's 2-minute timeout, or with `stopTestListen()`.
	 */
	async startTestListen(workflow: StoredWorkflow, triggerNodeName: string): Promise<{ waitingForWebhook?: boolean; executionId?: string }> {
		const response = await this.rest<{ data: { waitingForWebhook?: boolean; executionId?: string } }>('POST', `/workflows/${workflow.id}/run`, {
			workflowData: {
				id: workflow.id,
				name: workflow.name,
				nodes: workflow.nodes,
				connections: workflow.connections,
				settings: workflow.settings ?? {},
				active: workflow.active,
			},
			triggerToStartFrom: { name: triggerNodeName },
			destinationNode: { nodeName: triggerNodeName, mode: 'inclusive' },
		});
		return response.data;
	}

	/** Cancels a pending test listen (runs delete() with the test URL). */
	async stopTestListen(workflowId: string): Promise<void> {
		await this.rest('DELETE', `/test-webhook/${workflowId}`);
	}

	productionUrl(webhookId: string, webhookPath: string): string {
		return `${this.baseUrl}/webhook/${webhookId}/${webhookPath.replace(/^\//, '')}`;
	}

	testUrl(webhookId: string, webhookPath: string): string {
		return `${this.baseUrl}/webhook-test/${webhookId}/${webhookPath.replace(/^\//, '')}`;
	}
}
