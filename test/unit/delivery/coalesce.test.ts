/**
 * Flood coalescing as plain data: the pipeline with an injected clock and this process's state groups as
 * a plain map, replaying the reconnect loop of a real 1.8.1 instance (alternating connecting/close).
 */
import type { StateGroup } from '../../../nodes/lib/delivery/coalesce';
import { decideDelivery, type DedupeView, type DeliveryDecision } from '../../../nodes/lib/delivery/pipeline';
import type { TriggerOptions } from '../../../nodes/lib/delivery/settings-of';
import { evolutionSettings, signed } from './evolution-settings';

const EVENTS = ['CONNECTION_UPDATE', 'QRCODE_UPDATED', 'PRESENCE_UPDATE', 'MESSAGES_UPSERT'];
const settings = (options: TriggerOptions = {}) => evolutionSettings(EVENTS, options);
const connection = (state: string, instance = 'inst1') => ({ event: 'connection.update', instance, data: { instance, state, statusReason: state === 'open' ? 200 : 428 } });
const presence = (jid: string, state: string) => ({ event: 'presence.update', instance: 'inst1', data: { id: jid, presences: { [jid]: { lastKnownPresence: state } } } });

/** One process: its state groups as a plain map, applied the way the n8n adapter applies them. */
class Process {
	readonly groups = new Map<string, StateGroup>();
	readonly executions: Array<{ at: number; details: Record<string, unknown> }> = [];

	post(body: unknown, now: number, options: TriggerOptions = {}): DeliveryDecision {
		const view: DedupeView = { now, recentlySeen: () => false, persisted: undefined, stateGroup: (group) => this.groups.get(group) };
		const decision = decideDelivery(signed(body), settings(options), view);
		for (const update of (decision.kind === 'lookup' ? undefined : decision.stateUpdates) ?? []) this.groups.set(update.group, update.value);
		if (decision.kind === 'emit') {
			for (const item of decision.outputs.flat()) this.executions.push({ at: now, details: (item.json.details ?? {}) as Record<string, unknown> });
		}
		return decision;
	}
}

describe('flood coalescing', () => {
	it('the reconnect loop (connecting/close alternating at 18/s for 120 s) starts two executions per window, each saying how many posts it stood for', () => {
		const process = new Process();
		const posts = 18 * 120;
		for (let index = 0; index < posts; index++) process.post(connection(index % 2 === 0 ? 'connecting' : 'close'), Math.round((index * 1000) / 18));
		// Windows of 60 s: [0, 60), [60, 120) → one execution per state per window.
		expect(process.executions.map((execution) => execution.details.state)).toEqual(['connecting', 'close', 'connecting', 'close']);
		const represented = process.executions.reduce((sum, execution) => sum + 1 + Number(execution.details.coalesced ?? 0), 0);
		// Every post of the first window is accounted for by the executions of the second.
		expect(process.executions[2].details.coalesced).toBeGreaterThan(500);
		expect(represented).toBeLessThanOrEqual(posts);
		expect(process.executions[0].details.coalesced).toBeUndefined();
	});

	it('a real state change (open) starts an execution at once, and a drop after it too', () => {
		const process = new Process();
		for (let index = 0; index < 100; index++) process.post(connection(index % 2 === 0 ? 'connecting' : 'close'), index * 50);
		expect(process.executions).toHaveLength(2);
		process.post(connection('open'), 5000);
		expect(process.executions.map((execution) => execution.details.state)).toEqual(['connecting', 'close', 'open']);
		process.post(connection('open'), 5050);
		expect(process.executions).toHaveLength(3);
		process.post(connection('close'), 5100);
		expect(process.executions.map((execution) => execution.details.state)).toEqual(['connecting', 'close', 'open', 'close']);
	});

	it('answers a coalesced post with 200 {"ignored": …} (no retry, nothing started)', () => {
		const process = new Process();
		process.post(connection('close'), 0);
		expect(process.post(connection('close'), 10)).toMatchObject({ kind: 'answer', status: 200, body: { ignored: 'a repeated state, coalesced (see the next execution of this state)' } });
	});

	it('groups are per instance and per chat for presence', () => {
		const process = new Process();
		process.post(connection('close', 'inst1'), 0);
		process.post(connection('close', 'inst1'), 1);
		expect(process.executions).toHaveLength(1);
		process.post(presence('5511988887777@s.whatsapp.net', 'composing'), 2);
		process.post(presence('5511977776666@s.whatsapp.net', 'composing'), 3);
		process.post(presence('5511988887777@s.whatsapp.net', 'composing'), 4);
		process.post(presence('5511988887777@s.whatsapp.net', 'paused'), 5);
		expect(process.executions.map((execution) => execution.details.presence ?? execution.details.state)).toEqual(['close', 'composing', 'composing', 'paused']);
	});

	it('the State Window option sets the window; off lets every post through', () => {
		const short = new Process();
		short.post(connection('close'), 0, { stateWindowSeconds: 1 });
		short.post(connection('close'), 500, { stateWindowSeconds: 1 });
		short.post(connection('close'), 1000, { stateWindowSeconds: 1 });
		expect(short.executions.map((execution) => execution.details.coalesced)).toEqual([undefined, 1]);
		const off = new Process();
		for (let index = 0; index < 5; index++) off.post(connection('close'), index, { coalesceStates: false });
		expect(off.executions).toHaveLength(5);
	});

	it('messages are never coalesced', () => {
		const process = new Process();
		const message = (id: string) => ({ event: 'messages.upsert', instance: 'inst1', data: { key: { remoteJid: '5511988887777@s.whatsapp.net', fromMe: false, id }, message: { conversation: 'oi' }, messageTimestamp: 1 } });
		process.post(message('M1'), 0);
		process.post(message('M2'), 1);
		expect(process.executions).toHaveLength(2);
	});

	it('a new QR code is a new state; the same code repeated is not', () => {
		const process = new Process();
		const qr = (code: string) => ({ event: 'qrcode.updated', instance: 'inst1', data: { qrcode: { code, base64: `data:image/png;base64,${code}` } } });
		process.post(qr('A'), 0);
		process.post(qr('A'), 10);
		process.post(qr('B'), 20);
		expect(process.executions.map((execution) => execution.details.code)).toEqual(['A', 'B']);
	});
});
