/**
 * Dedupe as plain data: hashed keys, this process's bounded memory per node, the persisted keys the
 * pipeline reads from and returns for the trigger's static data, the window option and whole batches.
 */
import {
	hashKey,
	nextPersisted,
	persistedHas,
	PERSISTED_MAX_BYTES,
	PERSISTED_MAX_KEYS,
	readPersisted,
	RecentDeliveries,
} from '../../../nodes/lib/delivery/dedupe';
import { decideDelivery, type DedupeView, type DeliveryDecision, type DeliveryEmission } from '../../../nodes/lib/delivery/pipeline';
import { helpdeskSettingsOf, type TriggerOptions } from '../../../nodes/lib/delivery/settings-of';
import { evolutionSettings, signed } from './evolution-settings';

const MINUTE = 60_000;

/** What a trigger does per key: a repeat is dropped; a new key is recorded. */
function checkAndRemember(recent: RecentDeliveries, scope: string, key: string, now: number, windowMs = 1000): boolean {
	const seen = recent.has(scope, key, now, windowMs);
	if (!seen) recent.remember(scope, key, now);
	return seen;
}

describe('hashKey', () => {
	it('is 16 hex characters whatever the key, and differs for different keys', () => {
		expect(hashKey('a')).toMatch(/^[0-9a-f]{16}$/);
		expect(hashKey('x'.repeat(100_000))).toMatch(/^[0-9a-f]{16}$/);
		expect(hashKey('a')).not.toBe(hashKey('b'));
		expect(hashKey('a')).toBe(hashKey('a'));
	});
});

describe('RecentDeliveries (this process)', () => {
	it('reports a key seen again inside the window, not outside it', () => {
		const recent = new RecentDeliveries(10);
		expect(checkAndRemember(recent, 's', 'k', 0)).toBe(false);
		expect(checkAndRemember(recent, 's', 'k', 999)).toBe(true);
		expect(checkAndRemember(recent, 's', 'k', 1000)).toBe(false);
		expect(checkAndRemember(recent, 's', 'k', 1500)).toBe(true);
		expect(checkAndRemember(recent, 's', 'other', 1500)).toBe(false);
	});

	it('a duplicate does not extend the window (retries cannot keep a key alive forever)', () => {
		const recent = new RecentDeliveries(10);
		checkAndRemember(recent, 's', 'k', 0);
		expect(checkAndRemember(recent, 's', 'k', 900)).toBe(true);
		expect(checkAndRemember(recent, 's', 'k', 1100)).toBe(false);
	});

	it('the window is per call (each node its own option)', () => {
		const recent = new RecentDeliveries(10);
		recent.remember('s', 'k', 0);
		expect(recent.has('s', 'k', 5 * MINUTE, 10 * MINUTE)).toBe(true);
		expect(recent.has('s', 'k', 5 * MINUTE, 1 * MINUTE)).toBe(false);
	});

	it('keeps at most maxEntriesPerScope keys per node, forgetting the oldest first', () => {
		const recent = new RecentDeliveries(3);
		for (const [index, key] of ['a', 'b', 'c', 'd'].entries()) expect(checkAndRemember(recent, 's', key, index, 60_000)).toBe(false);
		expect(recent.size('s')).toBe(3);
		expect(checkAndRemember(recent, 's', 'd', 10, 60_000)).toBe(true);
		expect(checkAndRemember(recent, 's', 'b', 10, 60_000)).toBe(true);
		expect(checkAndRemember(recent, 's', 'a', 10, 60_000)).toBe(false);
	});

	it("one node's flood cannot evict another node's keys", () => {
		const recent = new RecentDeliveries(100);
		recent.remember('quiet', 'kept', 0);
		for (let index = 0; index < 10_000; index++) recent.remember('flood', `key-${index}`, index);
		expect(recent.size('flood')).toBe(100);
		expect(recent.has('quiet', 'kept', 10_000, 60_000)).toBe(true);
	});

	it('keeps at most maxScopes nodes', () => {
		const recent = new RecentDeliveries(10, 5);
		for (let index = 0; index < 50; index++) recent.remember(`node-${index}`, 'k', 0);
		expect(recent.size('node-0')).toBe(0);
		expect(recent.size('node-49')).toBe(1);
	});
});

describe('persisted keys (static data)', () => {
	it('reads tolerantly: anything unreadable counts as nothing remembered', () => {
		expect(readPersisted(undefined)).toEqual({});
		expect(readPersisted('x')).toEqual({});
		expect(readPersisted({ keys: [1] })).toEqual({});
		expect(readPersisted({ v: 1, keys: { a: 5, b: 'x', c: null } })).toEqual({ a: 5 });
	});

	it('drops keys outside the window when writing, adds the new ones with the time in seconds', () => {
		const now = 100 * MINUTE;
		const next = nextPersisted({ old: (now - 11 * MINUTE) / 1000, recent: (now - MINUTE) / 1000 }, ['new'], now, 10 * MINUTE);
		expect(next).toEqual({ v: 1, keys: { recent: (now - MINUTE) / 1000, new: now / 1000 } });
		expect(persistedHas(next.keys, 'new', now + 9 * MINUTE, 10 * MINUTE)).toBe(true);
		expect(persistedHas(next.keys, 'new', now + 10 * MINUTE, 10 * MINUTE)).toBe(false);
	});

	it(`stays within ${PERSISTED_MAX_KEYS} keys and ${PERSISTED_MAX_BYTES} bytes under a flood, newest kept`, () => {
		let keys: Record<string, number> = {};
		for (let index = 0; index < 3 * PERSISTED_MAX_KEYS; index++) keys = nextPersisted(keys, [hashKey(`k${index}`)], index * 1000, 60 * MINUTE).keys;
		expect(Object.keys(keys)).toHaveLength(PERSISTED_MAX_KEYS);
		expect(JSON.stringify({ v: 1, keys }).length).toBeLessThanOrEqual(PERSISTED_MAX_BYTES);
		expect(keys[hashKey(`k${3 * PERSISTED_MAX_KEYS - 1}`)]).toBeDefined();
		expect(keys[hashKey('k0')]).toBeUndefined();
	});

	it('the byte bound holds even for keys longer than a hash', () => {
		const long = Array.from({ length: 400 }, (_, index) => `${'x'.repeat(200)}${index}`);
		const next = nextPersisted({}, long, 0, MINUTE);
		expect(JSON.stringify(next).length).toBeLessThanOrEqual(PERSISTED_MAX_BYTES);
		expect(Object.keys(next.keys).length).toBeGreaterThan(0);
	});
});

const EVENTS = ['MESSAGES_UPSERT', 'MESSAGES_SET', 'CONTACTS_UPSERT'];
const settings = (options: TriggerOptions = {}) => evolutionSettings(EVENTS, options);

const upsert = (id: string) => ({
	event: 'messages.upsert',
	instance: 'inst1',
	data: { key: { remoteJid: '5511988887777@s.whatsapp.net', fromMe: false, id }, message: { conversation: 'oi' }, messageTimestamp: 1733000000 },
});

/** A fresh process (empty memory) that reads the given static data. */
const freshProcess = (persisted: unknown, now: number): DedupeView => ({ now, recentlySeen: () => false, persisted });

function emitted(decision: DeliveryDecision): DeliveryEmission {
	if (decision.kind !== 'emit') throw new Error(`expected an emission, got ${JSON.stringify(decision)}`);
	return decision;
}

describe('pipeline: persisted dedupe', () => {
	it('a retry reaching another process (or the same after a restart) is dropped through the static data', () => {
		const first = emitted(decideDelivery(signed(upsert('A')), settings(), freshProcess(undefined, 0)));
		expect(first.persist).not.toBeNull();
		const retry = decideDelivery(signed(upsert('A')), settings(), freshProcess(first.persist, 30_000));
		expect(retry).toEqual({ kind: 'answer', status: 200, body: { ignored: 'a repeated delivery' } });
		expect(decideDelivery(signed(upsert('B')), settings(), freshProcess(first.persist, 30_000)).kind).toBe('emit');
	});

	it('a dropped repeat returns nothing to write (no static data write)', () => {
		const first = emitted(decideDelivery(signed(upsert('A')), settings(), freshProcess(undefined, 0)));
		const repeat = decideDelivery(signed(upsert('A')), settings(), freshProcess(first.persist, 1000));
		expect(repeat.kind).toBe('answer');
		expect('persist' in repeat).toBe(false);
	});

	it('an event without a message id writes nothing', () => {
		const contact = { event: 'contacts.upsert', instance: 'inst1', data: { remoteJid: '5511988887777@s.whatsapp.net', pushName: 'Ana' } };
		const decision = emitted(decideDelivery(signed(contact), settings(), freshProcess(undefined, 0)));
		expect(decision.persist).toBeNull();
		expect(decision.remember).toEqual([]);
	});

	it('the Duplicate Window option sets how long a key counts (10 minutes by default)', () => {
		const first = emitted(decideDelivery(signed(upsert('A')), settings(), freshProcess(undefined, 0)));
		expect(decideDelivery(signed(upsert('A')), settings(), freshProcess(first.persist, 9 * MINUTE)).kind).toBe('answer');
		expect(decideDelivery(signed(upsert('A')), settings(), freshProcess(first.persist, 10 * MINUTE)).kind).toBe('emit');
		const short = settings({ dedupeWindowMinutes: 2 });
		expect(short.dedupeWindowMs).toBe(2 * MINUTE);
		expect(decideDelivery(signed(upsert('A')), short, freshProcess(first.persist, 3 * MINUTE)).kind).toBe('emit');
		const long = settings({ dedupeWindowMinutes: 60 });
		expect(decideDelivery(signed(upsert('A')), long, freshProcess(first.persist, 30 * MINUTE)).kind).toBe('answer');
		expect(settings({ dedupeWindowMinutes: -1 }).dedupeWindowMs).toBe(10 * MINUTE);
		expect(helpdeskSettingsOf({ nodeVersion: 2, token: 't', acceptUnverified: false, source: 'auto', events: [], output: 'normalized', options: { dedupeWindowMinutes: 5 }, dedupeScope: 'h' }).dedupeWindowMs).toBe(5 * MINUTE);
	});

	it('Drop Duplicate Deliveries off: nothing read, nothing written', () => {
		const first = emitted(decideDelivery(signed(upsert('A')), settings(), freshProcess(undefined, 0)));
		const off = emitted(decideDelivery(signed(upsert('A')), settings({ dropDuplicates: false }), freshProcess(first.persist, 1000)));
		expect(off.persist).toBeNull();
	});

	it('a whole array delivery repeated is recognised, even when its elements carry no message id', () => {
		const contacts = {
			event: 'contacts.upsert',
			instance: 'inst1',
			data: [
				{ remoteJid: '5511988887777@s.whatsapp.net', pushName: 'Ana' },
				{ remoteJid: '5511977776666@s.whatsapp.net', pushName: 'Bia' },
			],
		};
		const first = emitted(decideDelivery(signed(contacts), settings(), freshProcess(undefined, 0)));
		expect(first.outputs[0]).toHaveLength(2);
		expect(first.remember).toHaveLength(1);
		expect(decideDelivery(signed(contacts), settings(), freshProcess(first.persist, 1000))).toEqual({ kind: 'answer', status: 200, body: { ignored: 'a repeated delivery' } });
		const changed = { ...contacts, data: [contacts.data[0], { ...contacts.data[1], pushName: 'Bea' }] };
		expect(decideDelivery(signed(changed), settings(), freshProcess(first.persist, 1000)).kind).toBe('emit');
	});

	it('a messages.set batch repeated is dropped as one', () => {
		const batch = { event: 'messages.set', instance: 'inst1', data: [upsert('H1').data, upsert('H2').data] };
		const first = emitted(decideDelivery(signed(batch), settings(), freshProcess(undefined, 0)));
		expect(first.remember).toHaveLength(3);
		expect(decideDelivery(signed(batch), settings(), freshProcess(first.persist, 1000)).kind).toBe('answer');
	});

	it('keys persisted by another node are not this node’s (the scope is part of the hash)', () => {
		const first = emitted(decideDelivery(signed(upsert('A')), settings(), freshProcess(undefined, 0)));
		const other = evolutionSettings(EVENTS, {}, { dedupeScope: 'other|webhook' });
		expect(decideDelivery(signed(upsert('A')), other, freshProcess(first.persist, 1000)).kind).toBe('emit');
	});
});

