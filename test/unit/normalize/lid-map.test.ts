/**
 * The LID → phone map: what each carrier teaches, its bounds, that it changes only when something is new,
 * and how a LID-only item gets its phone.
 */
import { readFileSync } from 'fs';
import { join } from 'path';

import { normalizeDelivery } from '../../../nodes/lib/normalize';
import { fillLearnedPhones, learnLids, LID_INSTANCE_LIMIT, LID_MAP_LIMIT, lidMapsOf, lidPairsOf, type LidMaps } from '../../../nodes/lib/normalize/lid-map';

function data(path: string): unknown {
	return (JSON.parse(readFileSync(join(__dirname, '..', '..', 'fixtures', path), 'utf8')) as { data: unknown }).data;
}

describe('lidPairsOf: every carrier that pairs a LID with a phone', () => {
	it.each([
		['key.remoteJidAlt (Baileys 7, 1:1)', data('evolution/messages.upsert-lid.v2.json'), [['126409561346102@lid', '5511988887777']]],
		['key.participantAlt (Baileys 7, group)', data('evolution/messages.upsert-group-lid.v2.json'), [['123456789012345@lid', '5511977776666']]],
		['key.senderPn (Baileys 6.7 spelling, digits)', { key: { remoteJid: '126409561346102@lid', senderPn: '5511988887777', id: 'X' } }, [['126409561346102@lid', '5511988887777']]],
		['key.senderLid with a phone remoteJid', { key: { remoteJid: '5511988887777@s.whatsapp.net', senderLid: '126409561346102@lid' } }, [['126409561346102@lid', '5511988887777']]],
		['a contacts.upsert entry with both', data('evolution/contacts.upsert-lid.v2.json'), [['126409561346102@lid', '5511988887777']]],
		['a contacts.update entry {id, lid}', [{ id: '5511988887777@s.whatsapp.net', lid: '126409561346102@lid' }], [['126409561346102@lid', '5511988887777']]],
		['group participants with phoneNumber', data('evolution/group-participants.update-objects.v2.json'), [['222222222222222@lid', '5511977776666']]],
		['a chats.upsert entry {remoteJid, lid}', [{ remoteJid: '5511988887777@s.whatsapp.net', lid: '126409561346102@lid', name: 'Maria' }], [['126409561346102@lid', '5511988887777']]],
	])('%s', (_what, value, expected) => {
		expect(lidPairsOf(value)).toEqual(expected);
	});

	it.each([
		['a LID alone', data('evolution/messages.upsert-lid-only.v2.json')],
		['a LID beside a database id (digits in `id`, not a phone)', [{ id: '48213', lid: '126409561346102@lid' }]],
		['two phones', { key: { remoteJid: '5511988887777@s.whatsapp.net', remoteJidAlt: '5511988887777@s.whatsapp.net' } }],
		['a group JID beside a LID', { key: { remoteJid: '120363041234567890@g.us', remoteJidAlt: '126409561346102@lid' } }],
		['null', null],
	])('nothing from %s', (_what, value) => {
		expect(lidPairsOf(value)).toEqual([]);
	});
});

describe('learnLids', () => {
	const pair: [string, string] = ['126409561346102@lid', '5511988887777'];

	it('answers the new maps when something is new, null when nothing changed', () => {
		const learned = learnLids({}, 'inst1', [pair]);
		expect(learned).toEqual({ inst1: { '126409561346102@lid': '5511988887777' } });
		expect(learnLids(learned as LidMaps, 'inst1', [pair])).toBeNull();
		expect(learnLids(learned as LidMaps, 'inst1', [])).toBeNull();
	});

	it('keeps instances apart and never changes the maps it was given', () => {
		const before: LidMaps = { inst1: { '1@lid': '5511900000001' } };
		const after = learnLids(before, 'inst2', [pair]);
		expect(after).toEqual({ inst1: { '1@lid': '5511900000001' }, inst2: { '126409561346102@lid': '5511988887777' } });
		expect(before).toEqual({ inst1: { '1@lid': '5511900000001' } });
	});

	it('a LID whose phone changed takes the new phone', () => {
		const after = learnLids({ inst1: { [pair[0]]: '5511900000001' } }, 'inst1', [pair]);
		expect(after?.inst1[pair[0]]).toBe('5511988887777');
	});

	it(`holds at most ${LID_MAP_LIMIT} LIDs per instance (oldest dropped) and ${LID_INSTANCE_LIMIT} instances`, () => {
		const pairs = Array.from({ length: LID_MAP_LIMIT + 5 }, (_, index): [string, string] => [`${100000 + index}@lid`, `55119${String(index).padStart(8, '0')}`]);
		const map = learnLids({}, 'inst1', pairs)?.inst1 ?? {};
		expect(Object.keys(map)).toHaveLength(LID_MAP_LIMIT);
		expect(map['100000@lid']).toBeUndefined();
		expect(map[`${100000 + LID_MAP_LIMIT + 4}@lid`]).toBe(`55119${String(LID_MAP_LIMIT + 4).padStart(8, '0')}`);
		let maps: LidMaps = {};
		for (let index = 0; index < LID_INSTANCE_LIMIT + 3; index++) maps = learnLids(maps, `inst${index}`, [pair]) ?? maps;
		expect(Object.keys(maps)).toHaveLength(LID_INSTANCE_LIMIT);
		expect(maps.inst0).toBeUndefined();
		expect(maps[`inst${LID_INSTANCE_LIMIT + 2}`]).toBeDefined();
	});
});

describe('fillLearnedPhones', () => {
	const map = { '126409561346102@lid': '5511988887777' };

	it('fills a LID-only chat and sender and says the phone was learned', () => {
		const [item] = normalizeDelivery(JSON.parse(readFileSync(join(__dirname, '..', '..', 'fixtures', 'evolution/messages.upsert-lid-only.v2.json'), 'utf8')));
		fillLearnedPhones(item, map);
		expect(item.chat).toEqual({ id: '126409561346102@lid', phone: '5511988887777', lid: '126409561346102@lid', isGroup: false, name: 'Maria', phoneSource: 'learned' });
		expect(item.sender).toEqual({ id: '126409561346102@lid', phone: '5511988887777', name: 'Maria', phoneSource: 'learned' });
	});

	it('leaves a phone the payload carried, and unknown LIDs, as they are', () => {
		const [withPhone] = normalizeDelivery(JSON.parse(readFileSync(join(__dirname, '..', '..', 'fixtures', 'evolution/messages.upsert-lid.v2.json'), 'utf8')));
		fillLearnedPhones(withPhone, { '126409561346102@lid': '5511900000000' });
		expect(withPhone.chat?.phone).toBe('5511988887777');
		expect(withPhone.chat?.phoneSource).toBe('payload');
		const [lidOnly] = normalizeDelivery(JSON.parse(readFileSync(join(__dirname, '..', '..', 'fixtures', 'evolution/messages.upsert-lid-only.v2.json'), 'utf8')));
		fillLearnedPhones(lidOnly, { '999@lid': '5511900000000' });
		expect(lidOnly.chat?.phone).toBeNull();
		expect(lidOnly.chat?.phoneSource).toBeNull();
	});
});

describe('lidMapsOf (static data read back)', () => {
	it('keeps only LID → text entries; anything else reads as empty', () => {
		expect(lidMapsOf({ inst1: { '1@lid': '5511900000001', 'x@s.whatsapp.net': '1', '2@lid': 5 }, inst2: 'junk' })).toEqual({ inst1: { '1@lid': '5511900000001' } });
		expect(lidMapsOf(undefined)).toEqual({});
		expect(lidMapsOf([])).toEqual({});
	});
});
