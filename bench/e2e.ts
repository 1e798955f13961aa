#!/usr/bin/env tsx
/**
 * End-to-end load benchmark in the real n8n 2.40.7 of the e2e harness, on 127.0.0.1 only.
 *
 * The same bounded load (autocannon, a fixed number of POSTs, 10 connections) goes to three workflows:
 *   (a) n8n's core Webhook node → NoOp                       every delivery starts an execution
 *   (b) Webhook → Switch → Set, built by hand like our trigger   every delivery starts an execution
 *   (c) our Evolution API Trigger → NoOp, registered on an Evolution double 2.3 (secret header sent)
 *   (c′) the same trigger on a second instance with Drop Duplicate Deliveries off and CONNECTION_UPDATE
 *        selected too: next to (c) it prices the persisted dedupe, and it takes the reconnect flood
 * with three loads: "wanted-only" (every delivery a new message from someone else, unique ids; a b c c′),
 * a "realistic mix" (per new message: 3 status updates, 2 presence updates, 1 own message, 1 repeated
 * delivery; a b c) and a "reconnect flood" (per new message 7 connection.update posts alternating
 * connecting and close, as a real 1.8.1 instance that cannot reach WhatsApp sends them; a b c′). Prints
 * deliveries/s, p50/p99 latency and executions started (counted through the public API once they stop
 * changing), and the ratios to the targets. A benchmark: it never fails on a missed target.
 *
 * Every scenario runs BENCH_E2E_ROUNDS times per load in rotated order (a b c, b c a, c a b) so neither
 * order nor a passing disturbance favours one; the summary reports medians and the spread.
 *
 * Then the bot-loop row (bench/reply-scenarios.ts): trigger → WhatsApp Reply vs trigger → HTTP Request
 * with the body typed by hand, answers sent per second (BENCH_E2E_REPLY_REQUESTS, default 500; 0 skips).
 *
 *   npx tsx bench/e2e.ts   (npm run bench:e2e; BENCH_E2E_REQUESTS=2000 BENCH_E2E_CONNECTIONS=10 BENCH_E2E_ROUNDS=3)
 *   BENCH_E2E_LOADS=wanted-only BENCH_E2E_BROKER=0 BENCH_E2E_REPLY_REQUESTS=0: only the wanted-only rows (a second run of the c/a ratio)
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { AutocannonResult } from 'autocannon';

import { N8nInstance, packThisPackage, sleep, type StoredWorkflow } from '../test/e2e/harness/n8n';
import { measureBroker, type BrokerMeasurement } from './broker';
import {
	activateTrigger,
	activateWebhookWorkflow,
	coreWebhookWorkflow,
	evolutionCredential,
	handBuiltWorkflow,
	connectionUpdate,
	INSTANCE,
	messageId,
	newMessage,
	OTHER_INSTANCE,
	ownMessage,
	presenceUpdate,
	runLoad,
	settledExecutionCount,
	startEvolutionDouble,
	statusUpdate,
	triggerWorkflow,
	VERIFICATION_HEADER,
	type PreparedDelivery,
} from '../test/e2e/evolution-rig';
import { REPLY_LABEL, runReplyComparison, type ReplyMeasurement } from './reply-scenarios';

const REQUESTS = Number(process.env.BENCH_E2E_REQUESTS ?? 2000);
const CONNECTIONS = Number(process.env.BENCH_E2E_CONNECTIONS ?? 10);
/** Each load runs every scenario this many times, in rotated order; the summary takes medians. */
const ROUNDS = Number(process.env.BENCH_E2E_ROUNDS ?? 3);
const WARMUP_REQUESTS = 200;
const REPLY_REQUESTS = Number(process.env.BENCH_E2E_REPLY_REQUESTS ?? 500);
const TARGET_REPLY_RATIO = 0.95;

/** The targets: wanted-only c/a ≥ 0.97 (on deliveries/s and on processed/s), mix and flood c/b ≥ 3. */
const TARGET_WANTED_RATIO = 0.97;
const TARGET_ADDED_P99_MS = 2;
const TARGET_MIX_RATIO = 3;

/**
 * n8n's defaults, except what the harness needs to run here at all (legacy expression engine: isolated-vm
 * is not built; mcp-registry off: it polls api.n8n.io) and the quiet/offline switches (telemetry, banners),
 * which take nothing from the webhook path. The harness's debug log level and SQLite pool of 2 are put
 * back to n8n's defaults (info, 3).
 */
const N8N_ENV = { N8N_LOG_LEVEL: 'info', DB_SQLITE_POOL_SIZE: '3' };
const N8N_SETTINGS_REPORTED = [
	'EXECUTIONS_MODE=regular (one process), N8N_CONCURRENCY_PRODUCTION_LIMIT=-1 (unlimited)',
	'EXECUTIONS_DATA_SAVE_ON_SUCCESS=all, EXECUTIONS_DATA_SAVE_ON_ERROR=all, EXECUTIONS_DATA_SAVE_ON_PROGRESS=false',
	'EXECUTIONS_DATA_PRUNE=true (max count 10000, soft-delete every 60 min: not during the run)',
	'DB_TYPE=sqlite, DB_SQLITE_POOL_SIZE=3, N8N_LOG_LEVEL=info, task runners internal',
	'N8N_EXPRESSION_ENGINE=legacy, N8N_DISABLED_MODULES=mcp-registry (needed offline), telemetry off',
];

type Scenario = 'a' | 'b' | 'c' | 'c2';
type Load = 'wanted-only' | 'mix' | 'flood';
const ALL_LOADS: Load[] = ['wanted-only', 'mix', 'flood'];
/** Which workflows each load goes to, in the order of the first round. */
const SCENARIOS_OF: Record<Load, Scenario[]> = { 'wanted-only': ['a', 'b', 'c', 'c2'], mix: ['a', 'b', 'c'], flood: ['a', 'b', 'c2'] };
/** BENCH_E2E_LOADS: a comma list (e.g. wanted-only) or none (only the bot-loop row); all by default. */
const LOADS: Load[] =
	process.env.BENCH_E2E_LOADS === undefined
		? ALL_LOADS
		: ALL_LOADS.filter((load) => process.env.BENCH_E2E_LOADS!.split(',').map((name) => name.trim()).includes(load));
/** BENCH_E2E_BROKER=0 leaves out the broker row. */
const BROKER = process.env.BENCH_E2E_BROKER !== '0';
const SCENARIO_LABEL: Record<Scenario, string> = {
	a: '(a) core Webhook → NoOp',
	b: '(b) Webhook → Switch → Set',
	c: '(c) Evolution API Trigger → NoOp',
	c2: '(c′) the same, dedupe off',
};
/** The connection.update posts of the flood that start an execution per round: the first connecting and the first close. */
const FLOOD_STATES_PER_ROUND = 2;
/** The trigger's State Window (its default, 60 s) plus a second. */
const STATE_WINDOW_MS = 61_000;

interface Measurement {
	load: Load;
	scenario: Scenario;
	round: number;
	requests: number;
	ok: number;
	non2xx: number;
	errors: number;
	durationS: number;
	deliveriesPerS: number;
	p50: number;
	p99: number;
	executions: number;
	executionStatuses: Record<string, number>;
	/** Deliveries ÷ time from the load's start until its last execution stopped (or the load ended). */
	processedPerS: number;
	wanted: number;
	/** New messages among the deliveries of a flood load (the rest are connection.update posts). */
	messages: number;
	/** 1-minute load average of the machine when the scenario started and ended (other processes count too). */
	loadBefore: number;
	loadAfter: number;
}

const json = (body: unknown) => JSON.stringify(body);

/** (c′) holds the second instance: a server sends each instance's events to its own webhook. */
const instanceOf = (scenario: Scenario) => (scenario === 'c2' ? OTHER_INSTANCE : INSTANCE);

function wantedOnlyDeliveries(count: number, instance = INSTANCE): { deliveries: PreparedDelivery[]; wanted: number } {
	return { deliveries: Array.from({ length: count }, () => ({ body: json(newMessage(messageId(), instance)) })), wanted: count };
}

/**
 * Per new message from someone else: 3 status updates (sent, delivered, read), 2 presence updates,
 * 1 message typed on the phone (fromMe) and the same new message delivered a second time (a retry).
 */
function mixDeliveries(count: number): { deliveries: PreparedDelivery[]; wanted: number } {
	const deliveries: PreparedDelivery[] = [];
	let wanted = 0;
	while (deliveries.length < count) {
		const id = messageId();
		const original = json(newMessage(id));
		const own = messageId();
		const group = [
			original,
			json(statusUpdate(own, 'SERVER_ACK')),
			json(presenceUpdate()),
			json(ownMessage(own)),
			json(statusUpdate(own, 'DELIVERY_ACK')),
			json(presenceUpdate()),
			json(statusUpdate(own, 'READ')),
			original,
		];
		wanted += 1;
		for (const body of group) if (deliveries.length < count) deliveries.push({ body });
	}
	return { deliveries, wanted };
}

/**
 * Per new message from someone else, 7 connection.update posts alternating connecting and close. The
 * trigger (c′) coalesces them: within its State Window (60 s) each state starts one execution, so a round
 * shorter than the window, run more than a window after (c′)'s previous flood round, starts the messages'
 * executions plus FLOOD_STATES_PER_ROUND.
 */
function floodDeliveries(count: number, instance: string): { deliveries: PreparedDelivery[]; wanted: number; messages: number } {
	const deliveries: PreparedDelivery[] = [];
	let messages = 0;
	let posts = 0;
	while (deliveries.length < count) {
		deliveries.push({ body: json(newMessage(messageId(), instance)) });
		messages += 1;
		for (let index = 0; index < 7 && deliveries.length < count; index++) {
			deliveries.push({ body: json(connectionUpdate(posts % 2 === 0 ? 'connecting' : 'close', instance)) });
			posts += 1;
		}
	}
	return { deliveries, wanted: messages + Math.min(posts, FLOOD_STATES_PER_ROUND), messages };
}

function ms(value: number): string {
	return value.toFixed(value < 10 ? 2 : 1);
}

function table(rows: string[][]): string {
	const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
	const line = (row: string[]) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ');
	return [line(rows[0]), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

function verdict(met: boolean): string {
	return met ? 'MET' : 'MISSED';
}

function machine(n8n: N8nInstance): string[] {
	const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
	let nproc = String(os.cpus().length);
	try {
		nproc = execFileSync('nproc', { encoding: 'utf8' }).trim();
	} catch {
		// os.cpus() it is
	}
	return [
		`machine: ${nproc} cores (${cpu}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.type()} ${os.release()}`,
		`n8n ${n8n.n8n.n8nVersion} on Node ${n8n.n8n.nodeVersion}; load generator (autocannon) on Node ${process.versions.node}, same machine`,
	];
}

async function main(): Promise<void> {
	const double = await startEvolutionDouble();
	const tarball = packThisPackage();
	const n8n = await N8nInstance.start({ target: '2.x', packageTarball: tarball, env: N8N_ENV });
	const results: Measurement[] = [];
	try {
		await n8n.setupOwner();
		const credential = await evolutionCredential(n8n, double.baseUrl, double.globalKey);

		const core = await n8n.createWorkflow(coreWebhookWorkflow('bench (a) core webhook', 'bench-core'));
		const handBuilt = await n8n.createWorkflow(handBuiltWorkflow('bench (b) webhook switch set', 'bench-hand-built'));
		const triggerJson = triggerWorkflow({
			name: 'bench (c) evolution trigger',
			credential,
			events: ['MESSAGES_UPSERT'],
			options: { ignoreOwnMessages: true, dropDuplicates: true },
			typeVersion: 2,
		});
		const trigger = await n8n.createWorkflow(triggerJson);
		const dedupeOffJson = triggerWorkflow({
			name: 'bench (c2) evolution trigger, dedupe off',
			credential,
			instance: OTHER_INSTANCE,
			events: ['MESSAGES_UPSERT', 'CONNECTION_UPDATE'],
			options: { ignoreOwnMessages: true, dropDuplicates: false },
			typeVersion: 2,
		});
		const dedupeOff = await n8n.createWorkflow(dedupeOffJson);

		const probe = json(presenceUpdate());
		const targets: Record<Scenario, { workflow: StoredWorkflow; url: string; headers: Record<string, string> }> = {
			a: { workflow: core, url: await activateWebhookWorkflow(n8n, core, 'bench-core', probe), headers: {} },
			b: { workflow: handBuilt, url: await activateWebhookWorkflow(n8n, handBuilt, 'bench-hand-built', probe), headers: {} },
			c: { workflow: trigger, url: '', headers: {} },
			c2: { workflow: dedupeOff, url: '', headers: {} },
		};
		const registered = await activateTrigger(n8n, double, trigger, triggerJson.webhookId);
		targets.c = { workflow: trigger, url: registered.url, headers: { [VERIFICATION_HEADER]: registered.secret } };
		const registeredOff = await activateTrigger(n8n, double, dedupeOff, dedupeOffJson.webhookId, OTHER_INSTANCE);
		targets.c2 = { workflow: dedupeOff, url: registeredOff.url, headers: { [VERIFICATION_HEADER]: registeredOff.secret } };

		console.log(`warming up: ${WARMUP_REQUESTS} deliveries to each workflow`);
		for (const scenario of ['a', 'b', 'c', 'c2'] as const) {
			const { url, headers, workflow } = targets[scenario];
			const before = await newestExecutionId(n8n, workflow.id);
			await runLoad(url, wantedOnlyDeliveries(WARMUP_REQUESTS, instanceOf(scenario)).deliveries, CONNECTIONS, headers);
			await settledExecutionCount(n8n, workflow.id, { afterId: before });
		}

		let lastFloodAt = 0;
		for (const load of LOADS) {
			for (let round = 0; round < ROUNDS; round++) {
				const order: Scenario[] = [...SCENARIOS_OF[load]];
				for (let turn = 0; turn < round % order.length; turn++) order.push(order.shift()!);
				for (const scenario of order) {
					// A flood round of (c′) starts a State Window after its previous one, so its first states are new again.
					const windowLeft = load === 'flood' && scenario === 'c2' ? lastFloodAt + STATE_WINDOW_MS - Date.now() : 0;
					if (windowLeft > 0) await sleep(windowLeft);
					const measurement = await measure(n8n, load, scenario, round, targets[scenario]);
					if (load === 'flood' && scenario === 'c2') lastFloodAt = Date.now();
					results.push(measurement);
					console.log(
						`${load} round ${round + 1} ${SCENARIO_LABEL[scenario]}: ${measurement.ok}/${measurement.requests} 2xx, ${measurement.deliveriesPerS.toFixed(1)}/s, p50 ${ms(measurement.p50)} ms, p99 ${ms(measurement.p99)} ms, ${measurement.executions}/${measurement.wanted} executions`,
					);
					await sleep(2000);
				}
			}
		}
		const broker = results.length > 0 && BROKER ? await measureBroker(n8n, double, { rounds: ROUNDS, messages: REQUESTS, parallel: CONNECTIONS }) : null;
		const replies = REPLY_REQUESTS > 0 ? await runReplyComparison(n8n, REPLY_REQUESTS, CONNECTIONS, ROUNDS) : [];
		if (results.length > 0 && LOADS.includes('wanted-only')) report(n8n, results, broker);
		if (replies.length > 0) reportReplies(replies);
		const out = path.join(__dirname, '..', '.e2e', 'bench-e2e.json');
		fs.writeFileSync(out, JSON.stringify({ at: new Date().toISOString(), requests: REQUESTS, connections: CONNECTIONS, rounds: ROUNDS, results, replies }, null, 2));
		console.log(`\nraw figures: ${out}; n8n log: ${n8n.logFile}`);
	} finally {
		await n8n.stop();
		await double.stop();
	}
}

async function measure(
	n8n: N8nInstance,
	load: Load,
	scenario: Scenario,
	round: number,
	target: { workflow: StoredWorkflow; url: string; headers: Record<string, string> },
): Promise<Measurement> {
	const { url, headers, workflow } = target;
	const prepared: { deliveries: PreparedDelivery[]; wanted: number; messages?: number } =
		load === 'mix' ? mixDeliveries(REQUESTS) : load === 'flood' ? floodDeliveries(REQUESTS, instanceOf(scenario)) : wantedOnlyDeliveries(REQUESTS, instanceOf(scenario));
	const { deliveries, wanted } = prepared;
	const before = await newestExecutionId(n8n, workflow.id);
	const loadBefore = os.loadavg()[0];
	const started = Date.now();
	const result: AutocannonResult = await runLoad(url, deliveries, CONNECTIONS, headers);
	const after = await settledExecutionCount(n8n, workflow.id, { afterId: before });
	const executions = after.total;
	const finishedAt = Math.max(started + result.duration * 1000, executions > 0 ? after.lastStoppedAt : 0);
	return {
		load,
		scenario,
		round,
		requests: result.requests.total,
		ok: result['2xx'],
		non2xx: result.non2xx,
		errors: result.errors + result.timeouts,
		durationS: result.duration,
		deliveriesPerS: result['2xx'] / result.duration,
		p50: result.latency.p50,
		p99: result.latency.p99,
		executions,
		executionStatuses: after.byStatus,
		processedPerS: result['2xx'] / ((finishedAt - started) / 1000),
		// (a) and (b) start one execution per delivery by design; (c) and (c′) only for the wanted ones.
		wanted: scenario === 'c' || scenario === 'c2' ? wanted : deliveries.length,
		messages: prepared.messages ?? 0,
		loadBefore,
		loadAfter: os.loadavg()[0],
	};
}

/** The newest execution's id (the public API lists newest first). */
async function newestExecutionId(n8n: N8nInstance, workflowId: string): Promise<number> {
	const page = await n8n.api<{ data: Array<{ id: string | number }> }>('GET', `/executions?${new URLSearchParams({ workflowId, includeData: 'false', limit: '1' })}`);
	return page.data.length > 0 ? Number(page.data[0].id) : 0;
}

function median(values: number[]): number {
	const sorted = [...values].sort((left, right) => left - right);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

interface Summary {
	deliveriesPerS: number;
	deliveriesRange: [number, number];
	p50: number;
	p99: number;
	p99Range: [number, number];
	executions: number;
	wanted: number;
	failures: number;
	processedPerS: number;
}

function summarize(entries: Measurement[]): Summary {
	const rates = entries.map((entry) => entry.deliveriesPerS);
	const p99s = entries.map((entry) => entry.p99);
	return {
		deliveriesPerS: median(rates),
		deliveriesRange: [Math.min(...rates), Math.max(...rates)],
		p50: median(entries.map((entry) => entry.p50)),
		p99: median(p99s),
		p99Range: [Math.min(...p99s), Math.max(...p99s)],
		executions: entries.reduce((sum, entry) => sum + entry.executions, 0),
		wanted: entries.reduce((sum, entry) => sum + entry.wanted, 0),
		failures: entries.reduce((sum, entry) => sum + entry.non2xx + entry.errors, 0),
		processedPerS: median(entries.map((entry) => entry.processedPerS)),
	};
}

function report(n8n: N8nInstance, results: Measurement[], broker: BrokerMeasurement[] | null = null): void {
	const entriesOf = (load: Load, scenario: Scenario) => results.filter((entry) => entry.load === load && entry.scenario === scenario);
	const summaryOf = (load: Load, scenario: Scenario) => summarize(entriesOf(load, scenario));
	console.log(`\n=== e2e load benchmark: ${REQUESTS} POSTs per scenario and round, ${ROUNDS} rounds, ${CONNECTIONS} connections, 127.0.0.1 ===`);
	for (const line of machine(n8n)) console.log(line);
	console.log('n8n settings (defaults unless the harness needs otherwise):');
	for (const line of N8N_SETTINGS_REPORTED) console.log(`  ${line}`);
	console.log(
		`trigger (c): node version 2, events MESSAGES_UPSERT only, Ignore My Own Messages on, Drop Duplicate Deliveries on (default), Ignore Status and Channels on (default); secret header ${VERIFICATION_HEADER} sent with every delivery`,
	);
	console.log(`trigger (c′): the same on instance ${OTHER_INSTANCE}, with CONNECTION_UPDATE selected too and Drop Duplicate Deliveries off; Coalesce Repeated States on (default)`);

	console.log('\nEvery run:');
	const runs = [['load / round / workflow', 'deliveries/s', 'p50 ms', 'p99 ms', 'non-2xx', 'executions', 'expected', 'processed/s', 'loadavg']];
	for (const entry of results) {
		runs.push([
			`${entry.load} #${entry.round + 1} ${SCENARIO_LABEL[entry.scenario]}`,
			entry.deliveriesPerS.toFixed(1),
			ms(entry.p50),
			ms(entry.p99),
			String(entry.non2xx + entry.errors),
			String(entry.executions),
			String(entry.wanted),
			entry.processedPerS.toFixed(1),
			`${entry.loadBefore.toFixed(1)}→${entry.loadAfter.toFixed(1)}`,
		]);
	}
	console.log(table(runs));
	console.log('processed/s = deliveries ÷ (load start → last execution stopped), in case executions outlive the load.');
	console.log(`loadavg = 1-minute load average at the start → end of the run on ${os.cpus().length} cores (n8n + autocannon alone ≈ 2).`);

	console.log(`\nMedians over ${ROUNDS} rounds (range in brackets):`);
	const summary = [['load / workflow', 'deliveries/s', 'p50 ms', 'p99 ms', 'non-2xx', 'executions', 'expected']];
	for (const load of LOADS) {
		for (const scenario of SCENARIOS_OF[load]) {
			const entry = summaryOf(load, scenario);
			summary.push([
				`${load} ${SCENARIO_LABEL[scenario]}`,
				`${entry.deliveriesPerS.toFixed(1)} [${entry.deliveriesRange.map((value) => value.toFixed(1)).join('–')}]`,
				ms(entry.p50),
				`${ms(entry.p99)} [${entry.p99Range.map(ms).join('–')}]`,
				String(entry.failures),
				String(entry.executions),
				String(entry.wanted),
			]);
		}
	}
	console.log(table(summary));

	const wantedA = summaryOf('wanted-only', 'a');
	const wantedC = summaryOf('wanted-only', 'c');
	const withMix = LOADS.includes('mix');
	const mixB = withMix ? summaryOf('mix', 'b') : null;
	const mixC = withMix ? summaryOf('mix', 'c') : null;
	const wantedOff = summaryOf('wanted-only', 'c2');
	const wantedRatio = wantedC.deliveriesPerS / wantedA.deliveriesPerS;
	// The trigger answers a delivery before n8n has set its execution up; the Webhook node answers after. So
	// deliveries/s favours (c); processed/s (until the last execution stopped) is the same work on both sides.
	const processedRatio = wantedC.processedPerS / wantedA.processedPerS;
	const addedP99 = wantedC.p99 - wantedA.p99;
	const triggerRuns = (['wanted-only', 'mix', 'flood'] as const).flatMap((load) => entriesOf(load, 'c').concat(entriesOf(load, 'c2')));
	const exactRuns = triggerRuns.every((entry) => entry.executions === entry.wanted);
	const targets = [
		['target (medians)', 'measured', 'goal', 'verdict'],
		['wanted-only c/a deliveries/s', wantedRatio.toFixed(3), `≥ ${TARGET_WANTED_RATIO}`, verdict(wantedRatio >= TARGET_WANTED_RATIO)],
		['wanted-only c/a processed/s', processedRatio.toFixed(3), `≥ ${TARGET_WANTED_RATIO}`, verdict(processedRatio >= TARGET_WANTED_RATIO)],
		['wanted-only added p99 (c − a)', `${addedP99.toFixed(1)} ms`, `≤ ${TARGET_ADDED_P99_MS} ms`, verdict(addedP99 <= TARGET_ADDED_P99_MS)],
	];
	if (mixB && mixC) {
		const mixRatio = mixC.deliveriesPerS / mixB.deliveriesPerS;
		targets.push(['mix c/b deliveries/s', mixRatio.toFixed(2), `≥ ${TARGET_MIX_RATIO}`, verdict(mixRatio >= TARGET_MIX_RATIO)]);
	}
	const withFlood = LOADS.includes('flood');
	const floodB = withFlood ? summaryOf('flood', 'b') : null;
	const floodC = withFlood ? summaryOf('flood', 'c2') : null;
	if (floodB && floodC) {
		const floodRatio = floodC.deliveriesPerS / floodB.deliveriesPerS;
		targets.push(['flood c′/b deliveries/s', floodRatio.toFixed(2), `≥ ${TARGET_MIX_RATIO}`, verdict(floodRatio >= TARGET_MIX_RATIO)]);
	}
	const mixExecutions = mixC ? `${mixC.executions}/${mixC.wanted} mix, ` : '';
	const floodExecutions = floodC ? `${floodC.executions}/${floodC.wanted} flood, ` : '';
	targets.push(['c, c′ executions = wanted, every run', `${mixExecutions}${floodExecutions}${wantedC.executions + wantedOff.executions}/${wantedC.wanted + wantedOff.wanted} wanted-only`, 'exact', verdict(exactRuns)]);
	console.log('');
	console.log(table(targets));
	console.log(
		`\npersisted dedupe (same run, wanted-only, medians): c (on) ${wantedC.processedPerS.toFixed(1)} vs c′ (off) ${wantedOff.processedPerS.toFixed(1)} processed/s = ${(wantedC.processedPerS / wantedOff.processedPerS).toFixed(3)}; deliveries/s ${wantedC.deliveriesPerS.toFixed(1)} vs ${wantedOff.deliveriesPerS.toFixed(1)} = ${(wantedC.deliveriesPerS / wantedOff.deliveriesPerS).toFixed(3)}; c/a ${processedRatio.toFixed(3)} with it, c′/a ${(wantedOff.processedPerS / wantedA.processedPerS).toFixed(3)} without (processed/s)`,
	);
	if (floodC) {
		const rounds = entriesOf('flood', 'c2');
		const posts = rounds.reduce((sum, entry) => sum + entry.requests - entry.messages, 0);
		const fromPosts = rounds.reduce((sum, entry) => sum + entry.executions - entry.messages, 0);
		console.log(
			`reconnect flood: ${posts} connection.update posts to (c′) in ${rounds.length} rounds started ${fromPosts} executions beyond the messages' (expected ${FLOOD_STATES_PER_ROUND} a round: the first connecting and the first close); (a) and (b) started one per post`,
		);
	}
	if (broker) {
		const brokerRate = median(broker.map((entry) => entry.processedPerS));
		const rows = [['same work, same n8n (medians)', 'processed/s', 'executions', 'expected']];
		rows.push([`webhook ${SCENARIO_LABEL.c}, wanted-only`, wantedC.processedPerS.toFixed(1), String(wantedC.executions), String(wantedC.wanted)]);
		rows.push([`broker (d) RabbitMQ Trigger → Normalize Event, parallel ${CONNECTIONS}`, brokerRate.toFixed(1), String(broker.reduce((sum, entry) => sum + entry.executions, 0)), String(broker.reduce((sum, entry) => sum + entry.messages, 0))]);
		console.log(`\n${table(rows)}\nbroker/webhook processed/s: ${(brokerRate / wantedC.processedPerS).toFixed(2)} (messages ÷ first publish → last execution stopped; deliveries ÷ load start → last execution stopped)`);
	}
	const noise = wantedA.p99Range[1] - wantedA.p99Range[0];
	const mixLine = mixB && mixC ? `; mix c/b processed/s ${(mixC.processedPerS / mixB.processedPerS).toFixed(2)}, mix c/a deliveries/s ${(mixC.deliveriesPerS / summaryOf('mix', 'a').deliveriesPerS).toFixed(2)}` : '';
	console.log(`noise floor: (a)'s own p99 spans ${noise.toFixed(1)} ms across its ${ROUNDS} wanted-only rounds${mixLine}`);
}

function reportReplies(replies: ReplyMeasurement[]): void {
	console.log(`\n=== bot loop: ${REPLY_REQUESTS} new messages per scenario and round, ${ROUNDS} rounds, answers to an Evolution double 2.3 ===`);
	const rows = [['round / workflow', 'deliveries/s', 'p99 ms', 'executions', 'failed', 'answers', 'processed/s', 'loadavg']];
	for (const entry of replies) {
		rows.push([
			`#${entry.round + 1} ${REPLY_LABEL[entry.scenario]}`,
			entry.deliveriesPerS.toFixed(1),
			ms(entry.p99),
			String(entry.executions),
			String(entry.failedExecutions),
			String(entry.answers),
			entry.processedPerS.toFixed(1),
			`${entry.loadBefore.toFixed(1)}→${entry.loadAfter.toFixed(1)}`,
		]);
	}
	console.log(table(rows));
	const processed = (scenario: 'd' | 'e') => median(replies.filter((entry) => entry.scenario === scenario).map((entry) => entry.processedPerS));
	const ratio = processed('d') / processed('e');
	console.log(
		table([
			['target (medians)', 'measured', 'goal', 'verdict'],
			['d/e answers per second (processed/s)', `${ratio.toFixed(3)} (${processed('d').toFixed(1)} vs ${processed('e').toFixed(1)})`, `≥ ${TARGET_REPLY_RATIO}`, verdict(ratio >= TARGET_REPLY_RATIO)],
		]),
	);
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
