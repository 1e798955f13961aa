/**
 * A throwaway community package that proves the harness: one plain-JS webhook trigger whose webhookMethods
 * report every call (method, mode, activation mode, URL, static data) to a recording HTTP server on
 * 127.0.0.1. Built on the fly in os.tmpdir(), never inside the repo.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';

import { packPackage } from './n8n';

export const PROBE_PACKAGE_NAME = 'n8n-nodes-e2e-probe';
export const PROBE_NODE_TYPE = `${PROBE_PACKAGE_NAME}.probeTrigger`;
export const PROBE_WEBHOOK_PATH = 'probe';

export interface LifecycleCall {
	call: 'checkExists' | 'create' | 'delete';
	mode: string;
	activationMode: string;
	webhookUrl: string;
	staticData: Record<string, unknown>;
}

const PROBE_NODE_SOURCE = String.raw`
'use strict';
// Like our real package, the probe ships no node_modules: these must resolve to n8n's own copies.
const { NodeOperationError } = require('n8n-workflow');
const { z } = require('zod');

/** Reports each lifecycle call to the URL in the "reportUrl" parameter, then behaves like a simple trigger. */
async function report(hook, call) {
	const staticData = hook.getWorkflowStaticData('node');
	await hook.helpers.httpRequest({
		method: 'POST',
		url: hook.getNodeParameter('reportUrl'),
		body: {
			call,
			mode: hook.getMode(),
			activationMode: hook.getActivationMode(),
			webhookUrl: hook.getNodeWebhookUrl('default'),
			staticData: JSON.parse(JSON.stringify(staticData)),
		},
		json: true,
	});
	return staticData;
}

class ProbeTrigger {
	constructor() {
		this.description = {
			displayName: 'E2E Probe Trigger',
			name: 'probeTrigger',
			group: ['trigger'],
			version: 1,
			description: 'Reports its webhook lifecycle calls',
			defaults: { name: 'Probe Trigger' },
			inputs: [],
			outputs: ['main'],
			webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: '${PROBE_WEBHOOK_PATH}' }],
			properties: [{ displayName: 'Report URL', name: 'reportUrl', type: 'string', default: '' }],
		};
		this.webhookMethods = {
			default: {
				async checkExists() {
					const staticData = await report(this, 'checkExists');
					return staticData.registered === this.getNodeWebhookUrl('default');
				},
				async create() {
					const staticData = await report(this, 'create');
					staticData.registered = this.getNodeWebhookUrl('default');
					return true;
				},
				async delete() {
					const staticData = await report(this, 'delete');
					delete staticData.registered;
					return true;
				},
			},
		};
	}

	async webhook() {
		const body = this.getBodyData();
		if (!z.object({}).passthrough().safeParse(body).success) throw new NodeOperationError(this.getNode(), 'body is not an object');
		return { workflowData: [[{ json: { body, mode: this.getMode() } }]] };
	}
}

module.exports = { ProbeTrigger };
`;

/** Writes the probe package to a temp folder and packs it; returns the tarball path. */
export function buildProbeTarball(): string {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-e2e-probe-'));
	fs.mkdirSync(path.join(dir, 'dist'));
	fs.writeFileSync(
		path.join(dir, 'package.json'),
		JSON.stringify(
			{
				name: PROBE_PACKAGE_NAME,
				version: '0.0.1',
				description: 'Throwaway package used to prove the e2e harness',
				keywords: ['n8n-community-node-package'],
				license: 'MIT',
				files: ['dist'],
				n8n: { n8nNodesApiVersion: 1, credentials: [], nodes: ['dist/ProbeTrigger.node.js'] },
				peerDependencies: { 'n8n-workflow': '*' },
			},
			null,
			2,
		),
	);
	fs.writeFileSync(path.join(dir, 'dist', 'ProbeTrigger.node.js'), PROBE_NODE_SOURCE);
	return packPackage(dir, dir);
}

/** Collects the probe's lifecycle reports. */
export class LifecycleRecorder {
	readonly calls: LifecycleCall[] = [];
	private readonly server = http.createServer((request, response) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => {
			this.calls.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as LifecycleCall);
			response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
		});
	});

	url = '';

	async start(): Promise<void> {
		await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
		const address = this.server.address();
		if (!address || typeof address === 'string') throw new Error('recorder has no port');
		this.url = `http://127.0.0.1:${address.port}/report`;
	}

	async stop(): Promise<void> {
		this.server.closeAllConnections();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}

	callsOf(call: LifecycleCall['call']): LifecycleCall[] {
		return this.calls.filter((entry) => entry.call === call);
	}
}
