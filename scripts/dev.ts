/**
 * `npm run dev`: a local n8n with this package installed the way users get it, ready to click through.
 *
 * Provisions the pinned n8n 2.x (first run only, takes minutes), builds and packs this package, starts n8n on
 * 127.0.0.1 in a persistent user folder (`.e2e/dev/`: SQLite database, owner and workflows survive restarts),
 * creates the dev owner once, imports `examples/*.json` that are not there yet (matched by name), creates an
 * "Evolution API" credential once when EVOLUTION_API_URL and EVOLUTION_API_KEY are set, then prints the editor
 * URL and login. Ctrl-C stops n8n (its whole process group) and exits 0.
 *
 * `startDevN8n()` is the shared start-up: scripts/docs/screenshots.ts uses it too.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

import { N8nHttpError, N8nInstance, N8nOwner, WorkflowJson, packThisPackage } from '../test/e2e/harness/n8n';

const REPO_ROOT = path.resolve(__dirname, '..');
const PACKAGE_NAME: string = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).name;
export const DEV_TARGET = '2.x';
export const DEV_USER_FOLDER = path.join(REPO_ROOT, '.e2e', 'dev');
export const EXAMPLES_DIR = path.join(REPO_ROOT, 'examples');
const DEFAULT_PORT = 5678;
/** Fixed so the login never changes between runs; n8n wants 8+ characters with a digit and an uppercase letter. */
export const DEV_OWNER: N8nOwner = {
	email: 'owner@example.com',
	password: 'DevPassw0rd',
	firstName: 'Dev',
	lastName: 'Owner',
};
/**
 * n8n's default name for a first credential of this type: the editor drops the word "API" from the credential's
 * display name "Evolution API" and appends "account". README and the examples' sticky notes use this name.
 */
export const EVOLUTION_CREDENTIAL_NAME = 'Evolution account';
const EVOLUTION_CREDENTIAL_TYPE = 'evolutionApi';
/** n8n binds the auth cookie to this header; every call of one session sends the same value. */
const BROWSER_ID = 'dev-script-browser';

export interface DevN8nOptions {
	port?: number;
	userFolder?: string;
	/** Progress lines; `console.log` when omitted. */
	log?: (line: string) => void;
	/** Server for the "Evolution account" credential; EVOLUTION_API_URL / EVOLUTION_API_KEY when omitted. */
	evolutionServer?: EvolutionServer;
}

export interface EvolutionServer {
	baseUrl: string;
	apiKey: string;
}

function evolutionServerFromEnv(): EvolutionServer | undefined {
	const baseUrl = process.env.EVOLUTION_API_URL;
	const apiKey = process.env.EVOLUTION_API_KEY;
	return baseUrl && apiKey ? { baseUrl, apiKey } : undefined;
}

export interface DevN8n {
	n8n: N8nInstance;
	session: DevSession;
	editorUrl: string;
	owner: N8nOwner;
	/** Names of the example workflows imported by this start (not those already there). */
	imported: string[];
	credential?: { id: string; name: string };
}

/**
 * The editor's REST API with the dev owner's login cookie. The e2e harness only logs in right after creating
 * the owner; a persistent dev folder already has one, so this logs in on its own.
 */
export class DevSession {
	private cookie: string | undefined;

	constructor(readonly baseUrl: string) {}

	async rest<T = any>(method: string, restPath: string, body?: unknown): Promise<T> {
		return this.call<T>(method, `/rest${restPath}`, body);
	}

	/** Any logged-in route, e.g. `/types/nodes.json` (2.x serves it only with the auth cookie). */
	async call<T = any>(method: string, urlPath: string, body?: unknown): Promise<T> {
		const url = `${this.baseUrl}${urlPath}`;
		const response = await fetch(url, {
			method,
			headers: {
				accept: 'application/json',
				'browser-id': BROWSER_ID,
				...(this.cookie ? { cookie: this.cookie } : {}),
				...(body === undefined ? {} : { 'content-type': 'application/json' }),
			},
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		if (!response.ok) throw new N8nHttpError(method, url, response.status, text);
		const cookie = response.headers
			.getSetCookie()
			.map((line) => line.split(';')[0])
			.find((pair) => pair.startsWith('n8n-auth='));
		if (cookie) this.cookie = cookie;
		return (text ? JSON.parse(text) : undefined) as T;
	}

	/** Creates `owner` on a fresh instance, logs in on one that has it. Returns true when it created the owner. */
	async ownerLogin(owner: N8nOwner): Promise<boolean> {
		const settings = await this.rest<{ data: { userManagement?: { showSetupOnFirstLoad?: boolean } } }>('GET', '/settings');
		const needsOwner = settings.data.userManagement?.showSetupOnFirstLoad === true;
		if (needsOwner) await this.rest('POST', '/owner/setup', owner);
		await this.rest('POST', '/login', { emailOrLdapLoginId: owner.email, password: owner.password });
		return needsOwner;
	}
}

/** Fails early with a readable sentence instead of n8n's EADDRINUSE stack trace. */
async function assertPortFree(port: number): Promise<void> {
	await new Promise<void>((resolve, reject) => {
		const server = net.createServer();
		server.once('error', (error: NodeJS.ErrnoException) =>
			reject(
				new Error(
					error.code === 'EADDRINUSE'
						? `port ${port} on 127.0.0.1 is in use (another n8n?): stop it or pick another with N8N_PORT=<port>`
						: `cannot listen on 127.0.0.1:${port}: ${error.message}`,
				),
			),
		);
		server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
	});
}

function readExamples(): WorkflowJson[] {
	if (!fs.existsSync(EXAMPLES_DIR)) return [];
	return fs
		.readdirSync(EXAMPLES_DIR)
		.filter((file) => file.endsWith('.json'))
		.sort()
		.map((file) => JSON.parse(fs.readFileSync(path.join(EXAMPLES_DIR, file), 'utf8')) as WorkflowJson);
}

/** Our nodes that take the Evolution API credential, and core nodes that borrow it (HTTP Request's predefined credential). */
function usesEvolutionCredential(node: WorkflowJson['nodes'][number]): boolean {
	const evolutionNodes = ['evolutionApi', 'evolutionApiWebhook', 'evolutionApiTrigger'].map((name) => `${PACKAGE_NAME}.${name}`);
	return evolutionNodes.includes(node.type) || node.parameters?.nodeCredentialType === EVOLUTION_CREDENTIAL_TYPE;
}

/**
 * The examples carry no credential (a stub without id makes n8n say "Found credential with no ID"): give every
 * node that uses one the stored credential.
 */
function withCredential(workflow: WorkflowJson, credential: { id: string; name: string } | undefined): WorkflowJson {
	if (!credential) return workflow;
	return {
		...workflow,
		nodes: workflow.nodes.map((node) =>
			usesEvolutionCredential(node) ? { ...node, credentials: { ...node.credentials, [EVOLUTION_CREDENTIAL_TYPE]: credential } } : node,
		),
	};
}

/** n8n logs a package that fails to load and starts anyway: stop here instead, with the reason from its log. */
async function assertPackageLoaded(session: DevSession, n8n: N8nInstance): Promise<void> {
	const expected: number = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).n8n.nodes.length;
	const nodeTypes = await session.call<Array<{ name: string }>>('GET', '/types/nodes.json');
	const ours = new Set(nodeTypes.map((type) => type.name).filter((name) => name.startsWith(`${PACKAGE_NAME}.`) && !name.endsWith('Tool')));
	if (ours.size >= expected) return;
	const reasons = n8n
		.logs()
		.split('\n')
		.filter((line) => /Failed to load package|Cannot find module|Error:/.test(line))
		.slice(-6)
		.join('\n');
	throw new Error(`n8n loaded ${ours.size} of the ${expected} nodes of ${PACKAGE_NAME}; from ${n8n.logFile}:\n${reasons}`);
}

async function ensureEvolutionCredential(
	session: DevSession,
	server: EvolutionServer | undefined,
	log: (line: string) => void,
): Promise<{ id: string; name: string } | undefined> {
	const existing = await session.rest<{ data: Array<{ id: string; name: string; type: string }> }>('GET', '/credentials');
	const found = existing.data.find((credential) => credential.type === EVOLUTION_CREDENTIAL_TYPE && credential.name === EVOLUTION_CREDENTIAL_NAME);
	if (found) return { id: found.id, name: found.name };
	if (!server) return undefined;
	const created = await session.rest<{ data: { id: string; name: string } }>('POST', '/credentials', {
		name: EVOLUTION_CREDENTIAL_NAME,
		type: EVOLUTION_CREDENTIAL_TYPE,
		data: { baseUrl: server.baseUrl, apiKey: server.apiKey },
	});
	log(`created credential "${created.data.name}" for ${server.baseUrl}`);
	return { id: created.data.id, name: created.data.name };
}

async function importExamples(session: DevSession, credential: { id: string; name: string } | undefined, log: (line: string) => void): Promise<string[]> {
	const stored = await session.rest<{ data: Array<{ name: string }> }>('GET', '/workflows');
	const storedNames = new Set(stored.data.map((workflow) => workflow.name));
	const imported: string[] = [];
	for (const example of readExamples()) {
		if (storedNames.has(example.name)) continue;
		const workflow = withCredential(example, credential);
		await session.rest('POST', '/workflows', {
			name: workflow.name,
			nodes: workflow.nodes,
			connections: workflow.connections ?? {},
			settings: workflow.settings ?? { executionOrder: 'v1' },
			active: false,
		});
		imported.push(workflow.name);
		log(`imported example workflow "${workflow.name}"`);
	}
	return imported;
}

/**
 * Provisions, packs and starts n8n with this package, then makes sure the owner, the credential (when configured)
 * and the example workflows are there. The caller stops `n8n`.
 */
export async function startDevN8n(options: DevN8nOptions = {}): Promise<DevN8n> {
	const log = options.log ?? ((line: string) => console.log(line));
	const port = options.port ?? DEFAULT_PORT;
	const userFolder = options.userFolder ?? DEV_USER_FOLDER;
	await assertPortFree(port);
	log(`building and packing ${PACKAGE_NAME}`);
	const tarball = packThisPackage();
	// npm may keep an older extraction of a same-version tarball: always install the fresh build.
	fs.rmSync(path.join(userFolder, '.n8n', 'nodes', 'node_modules', PACKAGE_NAME), { recursive: true, force: true });
	log(`starting n8n (${DEV_TARGET}; the first run installs it, which takes a few minutes) in ${path.relative(REPO_ROOT, userFolder) || userFolder}`);
	const n8n = await N8nInstance.start({
		target: DEV_TARGET,
		port,
		userFolder,
		packageTarball: tarball,
		env: { N8N_LOG_LEVEL: 'info' },
	});
	try {
		const session = new DevSession(n8n.baseUrl);
		if (await session.ownerLogin(DEV_OWNER)) log(`created the owner ${DEV_OWNER.email}`);
		await assertPackageLoaded(session, n8n);
		const credential = await ensureEvolutionCredential(session, options.evolutionServer ?? evolutionServerFromEnv(), log);
		const imported = await importExamples(session, credential, log);
		return { n8n, session, editorUrl: `${n8n.baseUrl}/`, owner: DEV_OWNER, imported, credential };
	} catch (error) {
		await n8n.stop();
		throw error;
	}
}

const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/** The signal listeners present now, to tell later ones apart. */
function signalListenersNow(): Map<NodeJS.Signals, Set<Function>> {
	return new Map(STOP_SIGNALS.map((signal) => [signal, new Set(process.listeners(signal))]));
}

/**
 * The harness's own SIGINT/SIGTERM listeners (added while n8n starts) SIGKILL n8n and exit 130/143: right for
 * tests. Once n8n is up, dev swaps them for a graceful stop and exit 0. Only listeners added since `before` go:
 * tsx keeps a hidden one that tells its parent process the signal is handled.
 */
function stopOnSignals(n8n: N8nInstance, before: Map<NodeJS.Signals, Set<Function>>): void {
	let stopping = false;
	for (const signal of STOP_SIGNALS) {
		for (const listener of process.listeners(signal)) {
			if (!before.get(signal)?.has(listener)) process.removeListener(signal, listener as (...args: unknown[]) => void);
		}
		process.on(signal, () => {
			if (stopping) return;
			stopping = true;
			console.log(`\n${signal}: stopping n8n (pid ${n8n.pid}) …`);
			n8n.stop().then(
				() => {
					console.log('n8n stopped');
					process.exit(0);
				},
				(error: unknown) => {
					console.error(`stopping n8n failed: ${error instanceof Error ? error.message : String(error)}`);
					process.exit(1);
				},
			);
		});
	}
}

/** n8n dying on its own (crash, OOM) ends dev with its last log lines instead of a silent hang. */
function exitWhenN8nDies(n8n: N8nInstance): void {
	const pid = n8n.pid;
	if (!pid) return;
	setInterval(() => {
		try {
			process.kill(pid, 0);
		} catch {
			console.error(`n8n (pid ${pid}) exited on its own; last log lines:\n${n8n.logs().split('\n').slice(-40).join('\n')}`);
			process.exit(1);
		}
	}, 2000);
}

async function main(): Promise<void> {
	const port = process.env.N8N_PORT ? Number(process.env.N8N_PORT) : DEFAULT_PORT;
	if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`N8N_PORT must be a port number, got "${process.env.N8N_PORT}"`);
	const listenersBefore = signalListenersNow();
	// N8N_DEV_FOLDER: another user folder, e.g. for the e2e test of this very command.
	const dev = await startDevN8n({ port, userFolder: process.env.N8N_DEV_FOLDER || undefined });
	stopOnSignals(dev.n8n, listenersBefore);
	exitWhenN8nDies(dev.n8n);
	const credentialLine = dev.credential
		? `credential:  "${dev.credential.name}" (Evolution API)`
		: `credential:  none (set EVOLUTION_API_URL and EVOLUTION_API_KEY to create "${EVOLUTION_CREDENTIAL_NAME}")`;
	console.log(
		[
			'',
			`n8n ${dev.n8n.n8n.n8nVersion} with ${PACKAGE_NAME} is ready: ${dev.editorUrl}`,
			`login:       ${dev.owner.email} / ${dev.owner.password}`,
			credentialLine,
			`webhooks:    ${dev.n8n.baseUrl}/webhook/<id>/webhook (production), /webhook-test/... while listening`,
			`log:         ${path.relative(process.cwd(), dev.n8n.logFile)}`,
			'Ctrl-C stops n8n. The database stays in .e2e/dev/ (delete the folder to start over).',
		].join('\n'),
	);
}

if (require.main === module) {
	main().catch((error: unknown) => {
		console.error(`npm run dev failed: ${error instanceof Error ? error.message : String(error)}`);
		process.exit(1);
	});
}
