/**
 * The server look-up of a LID's phone as plain data: which LIDs a delivery still lacks, the request, and
 * how each server line's whatsappNumbers answer is read (2.3.6 answers a cached pair with the phone JID;
 * 2.3.0 – 2.3.5 and an unknown LID echo the LID; 1.6 – 2.2 say exists:false; 1.5 rewrites the digits).
 */
import { LID_LOOKUP_LIMIT, lidLookupRequest, phonesFromLookup, unresolvedLids } from '../../../nodes/lib/evolution/lid-lookup';
import type { NormalizedItem } from '../../../nodes/lib/model/item';
import { evolutionPath } from '../../../nodes/lib/send/evolution-requests';

const LID = '126409561346102@lid';

function item(chat: Partial<NonNullable<NormalizedItem['chat']>> | null, sender: Partial<NonNullable<NormalizedItem['sender']>> | null = null): NormalizedItem {
	return {
		source: 'evolution',
		event: 'message.received',
		originalEvent: 'messages.upsert',
		instance: 'inst1',
		chat: chat && { id: null, phone: null, lid: null, isGroup: false, name: null, phoneSource: null, ...chat },
		sender: sender && { id: null, phone: null, name: null, phoneSource: null, ...sender },
		message: null,
		ticket: null,
		contact: null,
		details: null,
		reason: null,
	};
}

describe('unresolvedLids', () => {
	it('person chats and senders with a LID and no phone, each once', () => {
		const other = '999888777666555@lid';
		expect(unresolvedLids([item({ id: LID, lid: LID }, { id: LID }), item({ id: '120363@g.us', isGroup: true }, { id: other })])).toEqual([LID, other]);
	});

	it('nothing for a known phone or a group chat', () => {
		expect(unresolvedLids([item({ id: LID, lid: LID, phone: '5511988887777' }, { id: LID, phone: '5511988887777' })])).toEqual([]);
		expect(unresolvedLids([item({ id: '120363@g.us', lid: LID, isGroup: true })])).toEqual([]);
		expect(unresolvedLids([item(null)])).toEqual([]);
	});

	it(`at most ${LID_LOOKUP_LIMIT} per delivery`, () => {
		const many = Array.from({ length: 50 }, (_, index) => item({ lid: `${100000000000000 + index}@lid` }));
		expect(unresolvedLids(many)).toHaveLength(LID_LOOKUP_LIMIT);
	});
});

describe('the request', () => {
	it('POST /chat/whatsappNumbers/{instance} with {numbers}', () => {
		const request = lidLookupRequest('vendas 1', [LID]);
		expect(request).toEqual({ method: 'POST', route: 'chat/whatsappNumbers', instance: 'vendas 1', body: { numbers: [LID] } });
		expect(evolutionPath(request)).toBe('/chat/whatsappNumbers/vendas%201');
	});
});

describe('phonesFromLookup', () => {
	it('2.3.6, a cached pair: the phone JID of the row', () => {
		expect(phonesFromLookup([{ jid: '5511988887777@s.whatsapp.net', exists: true, number: LID, name: 'Maria', lid: 'lid' }], [LID])).toEqual({ [LID]: '5511988887777' });
	});

	it('2.3.x, a LID it does not know: the LID echoed, no phone', () => {
		expect(phonesFromLookup([{ jid: LID, exists: true, number: LID, lid: 'lid' }], [LID])).toEqual({});
	});

	it('1.6 – 2.2: exists false; 1.5: the LID digits taken for a phone number', () => {
		expect(phonesFromLookup([{ jid: LID, exists: false, number: LID }], [LID])).toEqual({});
		expect(phonesFromLookup([{ jid: '126409561346102@s.whatsapp.net', exists: true, number: LID }], [LID])).toEqual({});
	});

	it('entries for numbers not asked, and answers that are not the list, are ignored', () => {
		expect(phonesFromLookup([{ jid: '5511988887777@s.whatsapp.net', exists: true, number: '999@lid' }], [LID])).toEqual({});
		for (const answer of [null, {}, 'Connection Closed', [null, 1, 'x'], { data: null, isBoom: true }]) expect(phonesFromLookup(answer, [LID])).toEqual({});
	});
});
