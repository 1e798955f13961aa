import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { deliveryKey } from '../../../nodes/lib/delivery/dedupe';
import { dropProcessedBefore, type SeenDeliveries } from '../../../nodes/lib/delivery/redeliveries';
import { normalizeDelivery } from '../../../nodes/lib/normalize';

const body = JSON.parse(readFileSync(join(__dirname, '../../fixtures/evolution/messages.upsert.v2.json'), 'utf8')) as Record<string, unknown>;
const withId = (id: string) => normalizeDelivery({ ...body, data: { ...(body.data as object), key: { remoteJid: '5511988887777@s.whatsapp.net', fromMe: false, id } } });
const HOUR = 3_600_000;

describe('dropProcessedBefore', () => {
	it('keeps a first delivery, drops the same message again, keyed exactly like the trigger', () => {
		const seen: SeenDeliveries = {};
		const first = dropProcessedBefore(withId('A'), seen, 'broker', 1_000);
		expect(first).toEqual({ items: withId('A'), changed: true });
		expect(Object.keys(seen)).toEqual([deliveryKey('broker', withId('A')[0])]);
		expect(dropProcessedBefore(withId('A'), seen, 'broker', 2_000)).toEqual({ items: [], changed: false });
		expect(dropProcessedBefore(withId('B'), seen, 'broker', 3_000).items).toHaveLength(1);
	});

	it('survives a JSON round trip (static data is stored as JSON)', () => {
		const seen: SeenDeliveries = {};
		dropProcessedBefore(withId('A'), seen, 'broker', 1_000);
		const reloaded = JSON.parse(JSON.stringify(seen)) as SeenDeliveries;
		expect(dropProcessedBefore(withId('A'), reloaded, 'broker', 2_000).items).toEqual([]);
	});

	it('forgets keys older than the window and keeps at most maxKeys, oldest first', () => {
		const seen: SeenDeliveries = {};
		dropProcessedBefore(withId('old'), seen, 'broker', 0, 24 * HOUR, 3);
		expect(dropProcessedBefore(withId('old'), seen, 'broker', 25 * HOUR, 24 * HOUR, 3).items).toHaveLength(1);
		for (const id of ['b', 'c', 'd']) dropProcessedBefore(withId(id), seen, 'broker', 26 * HOUR, 24 * HOUR, 3);
		expect(Object.keys(seen)).toHaveLength(3);
		expect(Object.keys(seen).some((key) => key.includes('|old|'))).toBe(false);
	});

	it('items without a message id always pass and are not remembered', () => {
		const seen: SeenDeliveries = {};
		const connection = normalizeDelivery({ event: 'connection.update', instance: 'inst1', data: { state: 'open' } });
		expect(dropProcessedBefore(connection, seen, 'broker', 1).items).toEqual(connection);
		expect(dropProcessedBefore(connection, seen, 'broker', 2).items).toEqual(connection);
		expect(seen).toEqual({});
	});
});
