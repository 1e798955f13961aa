/**
 * Packs this repository without touching its dist/: several people build and test in the same checkout,
 * and `npm run build` starts by deleting dist/, so a pack of dist/ can catch it half-built (n8n then fails
 * to load the nodes with "Cannot find module …"). Here tsc and the asset copy write into a private staging
 * folder under <repo>/.e2e/, which is then packed like the real package (same package.json and `files`).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { packPackage } from './n8n';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
/** What gulpfile.js `build:assets` copies next to the compiled code. */
const ASSET = /\.(svg|node\.json)$/;
const ASSET_ROOTS = ['nodes', 'credentials'];

function copyAssets(fromDir: string, toDir: string): void {
	for (const entry of fs.readdirSync(fromDir, { withFileTypes: true })) {
		const source = path.join(fromDir, entry.name);
		if (entry.isDirectory()) copyAssets(source, path.join(toDir, entry.name));
		else if (ASSET.test(entry.name)) {
			fs.mkdirSync(toDir, { recursive: true });
			fs.copyFileSync(source, path.join(toDir, entry.name));
		}
	}
}

/** Compiles (tsconfig.build.json) into a private folder and packs it; returns the tarball's absolute path. */
export function packThisPackageIsolated(): string {
	// A fresh clone has no .e2e folder yet; mkdtemp does not create parents.
	fs.mkdirSync(path.join(REPO_ROOT, '.e2e'), { recursive: true });
	const stage = fs.mkdtempSync(path.join(REPO_ROOT, '.e2e', 'stage-'));
	const tsc = path.join(REPO_ROOT, 'node_modules', '.bin', 'tsc');
	const compiled = spawnSync(tsc, ['-p', path.join(REPO_ROOT, 'tsconfig.build.json'), '--outDir', path.join(stage, 'dist')], {
		cwd: REPO_ROOT,
		encoding: 'utf8',
	});
	if (compiled.status !== 0) throw new Error(`tsc -p tsconfig.build.json failed:\n${compiled.stdout}\n${compiled.stderr}`);
	for (const root of ASSET_ROOTS) copyAssets(path.join(REPO_ROOT, root), path.join(stage, 'dist', root));
	for (const file of ['package.json', 'README.md', 'LICENSE']) {
		if (fs.existsSync(path.join(REPO_ROOT, file))) fs.copyFileSync(path.join(REPO_ROOT, file), path.join(stage, file));
	}
	const tarball = packPackage(stage, path.join(stage, 'pack'));
	return tarball;
}
