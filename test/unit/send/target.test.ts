/** Reading whom a reply answers out of normalized items and hand-typed recipients. */
import { evolutionNumber, evolutionRemoteJid, helpdeskNumber, readReceiptJid } from '../../../nodes/lib/send/recipient';
import { manualTarget, readReplyTarget, type ReplyTarget } from '../../../nodes/lib/send/target';
import { GROUP, IMAGE, LID_WITH_PHONE, lidOnly, normalizedFixture, PERSON, WHATICKET_TEXT, WHAZING_TEXT } from '../../support/reply-fixtures';

function targetOf(item: unknown): ReplyTarget {
	const read = readReplyTarget(item);
	if (!read.ok) throw new Error(read.refusal);
	return read.value;
}

describe('readReplyTarget', () => {
	it('reads a person message', () => {
		expect(targetOf(normalizedFixture(PERSON))).toEqual({
			source: 'evolution',
			instance: 'inst1',
			chatId: '5511988887777@s.whatsapp.net',
			phone: '5511988887777',
			lid: null,
			isGroup: false,
			participant: null,
			messageId: '3EB0C431C2A8F5D2E1B7',
			fromMe: false,
			quotedText: 'Hello there',
			media: null,
			ticketId: null,
			externalKey: null,
			rawMessage: null,
			manual: false,
		});
	});

	it('takes the participant in groups and the caption as quoted text', () => {
		expect(targetOf(normalizedFixture(GROUP))).toMatchObject({ isGroup: true, chatId: '120363041234567890@g.us', participant: '5511977776666@s.whatsapp.net' });
		expect(targetOf(normalizedFixture(IMAGE))).toMatchObject({ quotedText: 'Look at this', media: { type: 'image', mimetype: 'image/jpeg' } });
	});

	it('keeps the raw webhook message of the same id when the trigger kept the raw body', () => {
		const target = targetOf(normalizedFixture(IMAGE, { includeRaw: true }));
		expect(target.rawMessage).toMatchObject({ key: { id: '3EB0A1B2C3D4E5F6A7B8' }, message: { imageMessage: expect.any(Object) } });
	});

	it('reads helpdesk tickets', () => {
		expect(targetOf(normalizedFixture(WHAZING_TEXT))).toMatchObject({ source: 'whazing', ticketId: '4821', externalKey: 'PEDIDO-99812', phone: '5511988887777' });
		expect(targetOf(normalizedFixture(WHATICKET_TEXT))).toMatchObject({ source: 'whaticket', messageId: null, phone: '5521977776666' });
	});

	it.each([
		[null, /is empty/],
		['text', /is empty/],
		[{ foo: 1 }, /no "source"/],
		[{ source: 'unknown' }, /source "unknown"/],
		[{ source: 'evolution', instance: 'x', chat: null }, /has no chat/],
	])('refuses %p', (value, refusal) => {
		const read = readReplyTarget(value);
		expect(read.ok).toBe(false);
		if (!read.ok) expect(read.refusal).toMatch(refusal);
	});
});

describe('manualTarget', () => {
	it.each([
		['+55 (11) 99999-0000', { chatId: '5511999990000@s.whatsapp.net', phone: '5511999990000', isGroup: false }],
		['5511999990000@s.whatsapp.net', { phone: '5511999990000' }],
		['120363041234567890@g.us', { chatId: '120363041234567890@g.us', isGroup: true }],
		['120363041234567890', { chatId: '120363041234567890@g.us', isGroup: true }],
		['5511988887777-1612345678', { chatId: '5511988887777-1612345678@g.us', isGroup: true }],
		['126409561346102@LID', { chatId: '126409561346102@lid', lid: '126409561346102@lid', phone: null }],
	])('%s', (recipient, expected) => {
		const read = manualTarget('evolution', 'inst1', recipient);
		expect(read.ok && read.value).toMatchObject(expected);
	});

	it('refuses what is no number', () => {
		expect(manualTarget('evolution', 'inst1', '')).toMatchObject({ ok: false, refusal: expect.stringMatching(/No recipient/) });
		expect(manualTarget('evolution', 'inst1', 'maria')).toMatchObject({ ok: false, refusal: expect.stringMatching(/not a phone number/) });
	});
});

describe('recipient per line', () => {
	const person = targetOf(normalizedFixture(PERSON));
	const group = targetOf(normalizedFixture(GROUP));
	const lidWithPhone = targetOf(normalizedFixture(LID_WITH_PHONE));
	const lid = targetOf(lidOnly(normalizedFixture(LID_WITH_PHONE)));

	it('uses the phone, the group JID, and a LID only on 2.3', () => {
		expect(evolutionNumber(person, 'v1.5')).toEqual({ ok: true, value: '5511988887777' });
		expect(evolutionNumber(group, 'v1.6')).toEqual({ ok: true, value: '120363041234567890@g.us' });
		expect(evolutionNumber(lidWithPhone, 'v2.1')).toEqual({ ok: true, value: '5511988887777' });
		expect(evolutionNumber(lid, 'v2.3')).toEqual({ ok: true, value: '126409561346102@lid' });
		for (const line of ['v1.5', 'v1.6', 'v2.0', 'v2.1'] as const) {
			const read = evolutionNumber(lid, line);
			expect(read.ok).toBe(false);
			if (!read.ok) expect(read.refusal).toMatch(/known only by its LID.*cannot send to a LID \(only 2\.3\.0 and newer can\)/);
		}
	});

	it('keys quotes and reactions by the phone JID when a LID chat has a phone', () => {
		expect(evolutionRemoteJid(lidWithPhone, 'v1.6', 'react in')).toEqual({ ok: true, value: '5511988887777@s.whatsapp.net' });
		expect(evolutionRemoteJid(lid, 'v2.3', 'react in')).toEqual({ ok: true, value: '126409561346102@lid' });
		expect(evolutionRemoteJid(lid, 'v2.0', 'react in').ok).toBe(false);
	});

	it('refuses read receipts for LID-only chats on every version', () => {
		expect(readReceiptJid(lidWithPhone)).toEqual({ ok: true, value: '5511988887777@s.whatsapp.net' });
		expect(readReceiptJid(lid)).toMatchObject({ ok: false, refusal: expect.stringMatching(/drops read receipts/) });
	});

	it('helpdesks take digits; Whazing groups and ticket ids; Whaticket no groups', () => {
		expect(helpdeskNumber(targetOf(normalizedFixture(WHAZING_TEXT)), true)).toEqual({ ok: true, value: { number: '5511988887777' } });
		expect(helpdeskNumber({ ...person, isGroup: true, chatId: '120363041234567890' }, true)).toEqual({ ok: true, value: { number: '120363041234567890@g.us' } });
		expect(helpdeskNumber({ ...person, phone: null, chatId: null, ticketId: '77' }, true)).toEqual({ ok: true, value: { ticketId: '77' } });
		expect(helpdeskNumber({ ...person, isGroup: true }, false)).toMatchObject({ ok: false, refusal: expect.stringMatching(/cannot send to groups/) });
	});
});
