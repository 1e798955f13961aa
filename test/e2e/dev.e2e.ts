/**
 * The README's first command, `npm run dev`, run the way a user runs it: a child process in its own process
 * group, stopped with SIGINT to that group (what Ctrl-C does in a terminal). It must print the editor URL and
 * login, have our three nodes loaded under the package name, the example workflows and the Evolution API
 * credential in place, and stop n8n with exit code 0.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

import { DEV_OWNER, DevSession, EVOLUTION_CREDENTIAL_NAME } from '../../scripts/dev';
import { EvolutionDouble } from '../support/evolution-double';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const PACKAGE_NAME: string = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).name;
const EXAMPLE_NAMES = fs
	.readdirSync(path.join(REPO_ROOT, 'examples'))
	.filter((file) => file.endsWith('.json'))
	.map((file) => (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'examples', file), 'utf8')) as { name: string }).name);

async function freePort(): Promise<number> {
	const server = net.createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as net.AddressInfo;
	await new Promise<void>((resolve) => server.close(() => resolve()));
	return port;
}

async function portAnswers(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = net.connect(port, '127.0.0.1', () => {
			socket.destroy();
			resolve(true);
		});
		socket.on('error', () => resolve(false));
	});
}

function exitOf(child: ChildProcess): Promise<number | null> {
	return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

describe('npm run dev', () => {
	let double: EvolutionDouble;
	let child: ChildProcess | undefined;

	beforeAll(async () => {
		double = new EvolutionDouble({ dialect: 'v2.3', instances: [{ name: 'support', token: 'support-token' }] });
		await double.start();
	});

	afterAll(async () => {
		// Only when a failed assertion left it running: stop the whole group.
		if (child?.pid && child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
		await double.stop();
	});

	it('starts n8n with our nodes, the examples and the credential, prints the login, and Ctrl-C stops it with exit 0', async () => {
		const port = await freePort();
		fs.mkdirSync(path.join(REPO_ROOT, '.e2e'), { recursive: true });
		const userFolder = fs.mkdtempSync(path.join(REPO_ROOT, '.e2e', 'dev-test-'));
		child = spawn('npm', ['run', 'dev'], {
			cwd: REPO_ROOT,
			detached: true,
			env: {
				...process.env,
				N8N_PORT: String(port),
				N8N_DEV_FOLDER: userFolder,
				EVOLUTION_API_URL: double.baseUrl,
				EVOLUTION_API_KEY: double.globalKey,
			},
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let output = '';
		child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
		child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
		const exited = exitOf(child);

		const deadline = Date.now() + 9 * 60 * 1000;
		while (!/is ready: http/.test(output)) {
			if (child.exitCode !== null || Date.now() > deadline) throw new Error(`npm run dev did not become ready:\n${output.slice(-3000)}`);
			await new Promise((resolve) => setTimeout(resolve, 500));
		}
		console.log(output.slice(output.indexOf('n8n 2.')).split('\n').slice(0, 6).join('\n'));
		expect(output).toContain(`http://127.0.0.1:${port}/`);
		expect(output).toContain(`login:       ${DEV_OWNER.email} / ${DEV_OWNER.password}`);
		expect(output).toContain(`credential:  "${EVOLUTION_CREDENTIAL_NAME}"`);

		const editor = await fetch(`http://127.0.0.1:${port}/`);
		expect(editor.status).toBe(200);
		const session = new DevSession(`http://127.0.0.1:${port}`);
		await session.ownerLogin(DEV_OWNER);
		const nodeTypes = await session.call<Array<{ name: string }>>('GET', '/types/nodes.json');
		const ours = nodeTypes.map((type) => type.name).filter((name) => name.startsWith(`${PACKAGE_NAME}.`));
		expect(ours).toEqual(
			expect.arrayContaining([`${PACKAGE_NAME}.evolutionApiTrigger`, `${PACKAGE_NAME}.evolutionApiWebhook`, `${PACKAGE_NAME}.whaticketTrigger`]),
		);
		const workflows = await session.rest<{ data: Array<{ name: string }> }>('GET', '/workflows');
		expect(workflows.data.map((workflow) => workflow.name).sort()).toEqual([...EXAMPLE_NAMES].sort());
		const credentials = await session.rest<{ data: Array<{ name: string; type: string }> }>('GET', '/credentials');
		expect(credentials.data).toContainEqual(expect.objectContaining({ name: EVOLUTION_CREDENTIAL_NAME, type: 'evolutionApi' }));

		// Ctrl-C: SIGINT to the whole foreground process group.
		process.kill(-child.pid!, 'SIGINT');
		expect(await exited).toBe(0);
		expect(output).toContain('n8n stopped');
		expect(await portAnswers(port)).toBe(false);
		fs.rmSync(userFolder, { recursive: true, force: true });
	});
});
