#!/usr/bin/env tsx
// Memory of a 200 MB media URL with the default cap (25 MB): the guarded fetch must refuse it with the
// process growing < 50 MB. For comparison, the same URL the way media.ts downloads it before the guarded
// fetch is wired in (n8n's httpRequest, arraybuffer, no limit). Each measurement runs in a fresh process
// (peak RSS means something); the media server runs in another one, so its buffers are not counted.
// A benchmark, not a test: it prints figures and MET/MISSED, never fails on a missed target.
//   npm run bench:media                       (alone on the machine: timings shift under other load)
//   BENCH_MEDIA_MB=200 npm run bench:media    (the default size)
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';

import { httpRequest } from 'n8n-core/dist/execution-engine/node-execution-context/utils/request-helper-functions';

import { mediaLimits } from '../nodes/lib/media/policy';
import { fetchMedia } from '../nodes/lib/n8n/guarded-fetch';
import { n8nCoreTransport, resolvingTransport, startMediaServer, type MediaServer } from '../test/support/media-server';

const SIZE_MB = Number(process.env.BENCH_MEDIA_MB ?? '200');
const TARGET_GROWTH_MB = 50;
const MB = 1024 * 1024;
const SELF = __filename;
const TSX = join(__dirname, '..', 'node_modules', '.bin', 'tsx');

type Scenario = 'guarded, Content-Length' | 'guarded, chunked (no Content-Length)' | 'unguarded (n8n httpRequest, arraybuffer)';
const SCENARIOS: Scenario[] = ['guarded, Content-Length', 'guarded, chunked (no Content-Length)', 'unguarded (n8n httpRequest, arraybuffer)'];

interface Measurement {
	outcome: string;
	elapsedMs: number;
	rssGrowthMb: number;
	heapGrowthMb: number;
	externalGrowthMb: number;
}

async function measure(scenario: Scenario, port: number): Promise<Measurement> {
	const local: MediaServer = { url: `http://127.0.0.1:${port}`, port, requests: [], close: async () => undefined };
	const path = `/file/video.mp4?size=${SIZE_MB * MB}${scenario.includes('chunked') ? '&chunked' : ''}`;
	// Warm up the request path (module loading, agents) so the figures are the download alone.
	await fetchMedia(n8nCoreTransport(), `${local.url}/file/a.bin?size=10`, mediaLimits({ allowedHosts: ['127.0.0.1'] }));
	global.gc?.();
	const rssBefore = process.memoryUsage().rss;
	const maxRssBefore = process.resourceUsage().maxRSS * 1024;
	const heapBefore = process.memoryUsage().heapUsed;
	const externalBefore = process.memoryUsage().external;
	let heapPeak = heapBefore;
	let externalPeak = externalBefore;
	const sampler = setInterval(() => {
		const usage = process.memoryUsage();
		heapPeak = Math.max(heapPeak, usage.heapUsed);
		externalPeak = Math.max(externalPeak, usage.external);
	}, 2);
	const started = process.hrtime.bigint();
	let outcome: string;
	if (scenario.startsWith('unguarded')) {
		const body = (await httpRequest({ url: `${local.url}${path}`, method: 'GET', encoding: 'arraybuffer' })) as ArrayBuffer | Buffer;
		outcome = `downloaded ${Math.round(body.byteLength / MB)} MB into memory`;
	} else {
		// The "public CDN" is the local server behind the test resolver (no outside traffic).
		const transport = resolvingTransport(n8nCoreTransport(), local, { 'cdn.example.com': { reportAs: '93.184.215.14' } });
		const result = await fetchMedia(transport, `http://cdn.example.com${path}`, mediaLimits());
		outcome = result.ok ? `downloaded ${result.buffer.length} bytes (NOT refused)` : `refused: ${result.reason.replace(/^.*?: /, '').slice(0, 90)}`;
	}
	const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
	clearInterval(sampler);
	const usage = process.memoryUsage();
	heapPeak = Math.max(heapPeak, usage.heapUsed);
	externalPeak = Math.max(externalPeak, usage.external);
	const maxRssAfter = process.resourceUsage().maxRSS * 1024;
	return {
		outcome,
		elapsedMs,
		rssGrowthMb: Math.max(maxRssAfter - Math.max(maxRssBefore, rssBefore), 0) / MB,
		heapGrowthMb: (heapPeak - heapBefore) / MB,
		externalGrowthMb: (externalPeak - externalBefore) / MB,
	};
}

async function main(): Promise<void> {
	if (process.argv[2] === '--server') {
		const server = await startMediaServer();
		process.stdout.write(`${server.port}\n`);
		return;
	}
	if (process.argv[2] === '--measure') {
		const result = await measure(process.argv[3] as Scenario, Number(process.argv[4]));
		process.stdout.write(`${JSON.stringify(result)}\n`);
		process.exit(0);
	}
	const server = spawn(TSX, [SELF, '--server'], { stdio: ['ignore', 'pipe', 'inherit'] });
	const [portLine] = (await once(server.stdout, 'data')) as [Buffer];
	const port = Number(portLine.toString().trim());
	const node = process.version;
	console.log(`media-cap benchmark — node ${node}, ${new Date().toISOString()}, ${SIZE_MB} MB body, default cap ${mediaLimits().maxBytes / MB} MB`);
	console.log('each row: a fresh process; growth = peak during the download minus before it\n');
	try {
		for (const scenario of SCENARIOS) {
			const output = execFileSync(TSX, ['--expose-gc', SELF, '--measure', scenario, String(port)], { encoding: 'utf8', maxBuffer: 1024 * 1024 });
			const result = JSON.parse(output.trim().split('\n').pop() as string) as Measurement;
			const guarded = !scenario.startsWith('unguarded');
			const verdict = guarded ? (result.rssGrowthMb < TARGET_GROWTH_MB ? 'MET' : 'MISSED') : '(reference)';
			console.log(scenario);
			console.log(`  ${result.outcome}`);
			console.log(
				`  ${result.elapsedMs.toFixed(0)} ms; peak RSS growth ${result.rssGrowthMb.toFixed(1)} MB, heap ${result.heapGrowthMb.toFixed(1)} MB, Buffers (external) ${result.externalGrowthMb.toFixed(1)} MB` +
					(guarded ? `  target RSS growth < ${TARGET_GROWTH_MB} MB ${verdict}` : ''),
			);
		}
	} finally {
		server.kill('SIGTERM');
	}
}

void main();
