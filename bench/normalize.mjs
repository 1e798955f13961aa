#!/usr/bin/env node
// Normalizer throughput and memory, on the built package (dist/), one core.
// Prints figures and their ratio to the targets; never fails on a missed target (a benchmark, not a test).
//   node bench/normalize.mjs            (npm run build first; `npm run bench` does both)
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { normalizeDelivery } = require(join(root, 'dist/nodes/lib/normalize/index.js'));
const { fillLearnedPhones, learnLids, lidPairsOf, LID_MAP_LIMIT } = require(join(root, 'dist/nodes/lib/normalize/lid-map.js'));
const fixture = (path) => JSON.parse(readFileSync(join(root, 'test/fixtures', path), 'utf8'));

const TARGET_TEXT_PER_SECOND = 50_000;
const TARGET_SET_MS = 250;
const TARGET_SET_MEMORY_RATIO = 3;

/** A base64 payload of realistic size (~100 KB image) instead of the fixture's short sample. */
function withBigBase64(body) {
	const copy = structuredClone(body);
	copy.data.message.base64 = Buffer.alloc(75_000, 7).toString('base64');
	return copy;
}

const corpus = [
	['evolution text messages.upsert (v2)', fixture('evolution/messages.upsert.v2.json'), 'evolution'],
	['evolution text messages.upsert (v1)', fixture('evolution/messages.upsert.v1.json'), 'evolution'],
	['evolution image + 100 KB base64 (v2)', withBigBase64(fixture('evolution/messages.upsert-image.v2.json')), 'evolution'],
	['evolution group message (v2)', fixture('evolution/messages.upsert-group.v2.json'), 'evolution'],
	['whazing message', fixture('whazing/message.received.v2.16.json'), 'auto'],
	['whaticket saas message', fixture('whaticket/start.saas.json'), 'auto'],
];

/** Runs fn for about `ms` milliseconds after a warm-up; answers operations per second. */
function opsPerSecond(fn, ms = 1500) {
	for (let index = 0; index < 5_000; index++) fn();
	let count = 0;
	const started = process.hrtime.bigint();
	const deadline = started + BigInt(ms) * 1_000_000n;
	let now = started;
	while (now < deadline) {
		for (let index = 0; index < 500; index++) fn();
		count += 500;
		now = process.hrtime.bigint();
	}
	return count / (Number(now - started) / 1e9);
}

function historySet(count) {
	const template = fixture('evolution/messages.set.v2.json');
	const message = Array.isArray(template.data) ? template.data[0] : (template.data.messages ?? [])[0];
	const messages = Array.from({ length: count }, (_, index) => ({
		...message,
		key: { ...message.key, id: `3EB0${index.toString(16).padStart(16, '0').toUpperCase()}` },
		messageTimestamp: 1717430400 + index,
	}));
	return Array.isArray(template.data) ? { ...template, data: messages } : { ...template, data: { ...template.data, messages } };
}

// A child process measures the 10 000-message set alone, so its peak RSS means something.
if (process.argv[2] === '--history-child') {
	const count = Number(process.argv[3]);
	const text = JSON.stringify(historySet(count));
	const body = JSON.parse(text);
	global.gc();
	const heapBefore = process.memoryUsage().heapUsed;
	const rssPeakBefore = Math.max(process.resourceUsage().maxRSS * 1024, process.memoryUsage().rss);
	const started = process.hrtime.bigint();
	const items = normalizeDelivery(body, { source: 'evolution', splitArrays: true });
	const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
	// The parent starts this process with a semi-space so large that no GC runs during the call: the heap
	// growth is then everything the call allocated, an upper bound of its peak heap use.
	const allocated = process.memoryUsage().heapUsed - heapBefore;
	const rssGrowth = Math.max(process.resourceUsage().maxRSS * 1024 - rssPeakBefore, 0);
	global.gc();
	const retained = process.memoryUsage().heapUsed - heapBefore;
	process.stdout.write(JSON.stringify({ items: items.length, elapsedMs, payloadBytes: Buffer.byteLength(text), allocated, retained, rssGrowth }));
	process.exit(0);
}

const line = (label, value) => console.log(`${label.padEnd(44)} ${value}`);
console.log(`normalize benchmark — node ${process.version}, ${new Date().toISOString()}`);
console.log('');
for (const [label, body, source] of corpus) {
	const rate = opsPerSecond(() => normalizeDelivery(body, { source }));
	line(label, `${Math.round(rate).toLocaleString('en-US')} events/s  ${(1e6 / rate).toFixed(2)} µs/event`);
	if (label.startsWith('evolution text messages.upsert (v2)')) {
		line('  target ≥ 50 000/s', `ratio ${(rate / TARGET_TEXT_PER_SECOND).toFixed(1)}× ${rate >= TARGET_TEXT_PER_SECOND ? 'MET' : 'MISSED'}`);
	}
}

// The LID path of the Evolution trigger: a LID-only message whose phone comes from a full learned map
// (what the pipeline adds to normalizing: looking for pairs to learn, then filling the phone).
const lidOnly = fixture('evolution/messages.upsert-lid-only.v2.json');
const lidMaps = { [lidOnly.instance]: Object.fromEntries(Array.from({ length: LID_MAP_LIMIT }, (_, index) => [`${100000000000000 + index}@lid`, `55119${String(index).padStart(8, '0')}`])) };
lidMaps[lidOnly.instance][lidOnly.data.key.remoteJid] = '5511988887777';
const lidPath = () => {
	const items = normalizeDelivery(lidOnly, { source: 'evolution' });
	const maps = learnLids(lidMaps, lidOnly.instance, lidPairsOf(lidOnly.data)) ?? lidMaps;
	for (const item of items) fillLearnedPhones(item, maps[lidOnly.instance]);
	return items;
};
if (lidPath()[0].chat.phoneSource !== 'learned') throw new Error('bench: the LID path did not fill the phone');
console.log('');
for (const [label, fn] of [
	['evolution LID-only message (v2.3), no map', () => normalizeDelivery(lidOnly, { source: 'evolution' })],
	[`  + phone from the learned map (${LID_MAP_LIMIT} LIDs)`, lidPath],
]) {
	const rate = opsPerSecond(fn);
	line(label, `${Math.round(rate).toLocaleString('en-US')} events/s  ${(1e6 / rate).toFixed(2)} µs/event`);
}

const runs = [0, 1, 2].map(() =>
	JSON.parse(
		execFileSync(process.execPath, ['--expose-gc', '--max-semi-space-size=256', fileURLToPath(import.meta.url), '--history-child', '10000'], { encoding: 'utf8' }),
	),
);
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const setMs = median(runs.map((run) => run.elapsedMs));
const memoryRatio = median(runs.map((run) => run.allocated / run.payloadBytes));
const megabytes = (key) => `${(median(runs.map((run) => run[key])) / 1e6).toFixed(2)} MB`;
console.log('');
line('messages.set, 10 000 messages → items', `${runs[0].items} items, ${setMs.toFixed(1)} ms (median of 3 fresh processes)`);
line('  target < 250 ms', `ratio ${(setMs / TARGET_SET_MS).toFixed(2)} of the budget ${setMs < TARGET_SET_MS ? 'MET' : 'MISSED'}`);
line('  payload size (JSON)', `${(runs[0].payloadBytes / 1e6).toFixed(2)} MB`);
line('  peak heap (all allocated during the call)', `${megabytes('allocated')} = ${memoryRatio.toFixed(2)}× the payload`);
line('  of which the output items (retained)', megabytes('retained'));
line('  process RSS growth (V8 heap reservation)', megabytes('rssGrowth'));
line('  target peak < 3× the payload', memoryRatio < TARGET_SET_MEMORY_RATIO ? 'MET' : 'MISSED');
