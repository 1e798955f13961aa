/**
 * What the trigger drops before an execution starts: filters, duplicate deliveries (servers
 * retry and fire concurrently, so deduplicate on data.key.id plus event plus status: docs/protocol.md#retries) and the secret check.
 */
import { deliveryKey } from '../../../nodes/lib/delivery/dedupe';
import { NO_FILTERS, parseChatList, passesFilters, type DeliveryFilters } from '../../../nodes/lib/delivery/filters';
import { firstValue, secretsMatch } from '../../../nodes/lib/delivery/verify';
import { newSecret } from '../../../nodes/lib/evolution/registration';
import { normalizedItemSchema, type NormalizedChat, type NormalizedItem, type NormalizedMessage } from '../../../nodes/lib/model/item';

function chat(overrides: Partial<NormalizedChat> = {}): NormalizedChat {
	return { id: '5511911112222@s.whatsapp.net', phone: '5511911112222', lid: null, isGroup: false, name: 'Ana', phoneSource: 'payload', ...overrides };
}

function message(overrides: Partial<NormalizedMessage> = {}): NormalizedMessage {
	return {
		id: '3EB0C767D26A1D6F5C3A',
		type: 'text',
		text: 'hello',
		caption: null,
		media: null,
		fromMe: false,
		timestamp: '2024-06-03T13:00:00.000Z',
		quotedId: null,
		quoted: null,
		status: null,
		...overrides,
	};
}

function item(overrides: Partial<NormalizedItem> = {}): NormalizedItem {
	const built: NormalizedItem = {
		source: 'evolution',
		event: 'message.received',
		originalEvent: 'messages.upsert',
		instance: 'inst1',
		chat: chat(),
		sender: { id: '5511911112222@s.whatsapp.net', phone: '5511911112222', name: 'Ana', phoneSource: 'payload' },
		message: message(),
		ticket: null,
		contact: null,
		details: null,
		reason: null,
		...overrides,
	};
	// The hand-built items must be real items of the model, or the filters are tested on shapes that never occur.
	normalizedItemSchema.parse(built);
	return built;
}

const only = (filters: Partial<DeliveryFilters>): DeliveryFilters => ({ ...NO_FILTERS, ...filters });

describe('passesFilters', () => {
	it('passes everything with no filters', () => {
		expect(passesFilters(item({ message: message({ fromMe: true }) }), NO_FILTERS)).toBe(true);
		expect(passesFilters(item({ chat: chat({ id: 'status@broadcast', phone: null }) }), NO_FILTERS)).toBe(true);
		expect(passesFilters(item({ chat: null, message: null, event: 'connection.updated', originalEvent: 'connection.update' }), NO_FILTERS)).toBe(true);
	});

	it('drops own messages (typed on the phone, issue #1340) only when asked', () => {
		const own = item({ message: message({ fromMe: true }) });
		expect(passesFilters(own, only({ ignoreOwnMessages: true }))).toBe(false);
		expect(passesFilters(item(), only({ ignoreOwnMessages: true }))).toBe(true);
		// fromMe unknown (null) is not "own".
		expect(passesFilters(item({ message: message({ fromMe: null }) }), only({ ignoreOwnMessages: true }))).toBe(true);
	});

	it('drops group chats', () => {
		const group = item({ chat: chat({ id: '120363025246125486@g.us', phone: null, isGroup: true, name: 'Team' }) });
		expect(passesFilters(group, only({ ignoreGroups: true }))).toBe(false);
		expect(passesFilters(item(), only({ ignoreGroups: true }))).toBe(true);
	});

	it('drops status@broadcast and channels (@newsletter)', () => {
		const status = item({ chat: chat({ id: 'status@broadcast', phone: null }) });
		const channel = item({ chat: chat({ id: '120363144038483540@newsletter', phone: null }) });
		expect(passesFilters(status, only({ ignoreBroadcasts: true }))).toBe(false);
		expect(passesFilters(channel, only({ ignoreBroadcasts: true }))).toBe(false);
		expect(passesFilters(item(), only({ ignoreBroadcasts: true }))).toBe(true);
	});

	it('only-chats matches a phone number written any way by its digits', () => {
		const filters = only({ onlyChats: parseChatList('+55 (11) 91111-2222') });
		expect(passesFilters(item(), filters)).toBe(true);
		expect(passesFilters(item({ chat: chat({ id: '5511933334444@s.whatsapp.net', phone: '5511933334444' }) }), filters)).toBe(false);
	});

	it('only-chats matches a full JID, including the old @c.us spelling', () => {
		expect(passesFilters(item(), only({ onlyChats: parseChatList('5511911112222@s.whatsapp.net') }))).toBe(true);
		expect(passesFilters(item(), only({ onlyChats: parseChatList('5511911112222@c.us') }))).toBe(true);
		const group = item({ chat: chat({ id: '120363025246125486@g.us', phone: null, isGroup: true }) });
		expect(passesFilters(group, only({ onlyChats: parseChatList('120363025246125486@g.us') }))).toBe(true);
		// A group JID is not a phone number: its digits alone do not select it.
		expect(passesFilters(group, only({ onlyChats: parseChatList('120363025246125486') }))).toBe(false);
	});

	it('only-chats matches a chat WhatsApp addresses by LID', () => {
		const lidChat = item({ chat: chat({ id: '123456789012345@lid', phone: null, lid: '123456789012345@lid' }) });
		expect(passesFilters(lidChat, only({ onlyChats: parseChatList('123456789012345@LID') }))).toBe(true);
		// The same person known by LID and by phone number: either identifier selects the chat.
		const both = item({ chat: chat({ id: '123456789012345@lid', phone: '5511911112222', lid: '123456789012345@lid' }) });
		expect(passesFilters(both, only({ onlyChats: parseChatList('5511911112222') }))).toBe(true);
	});

	it('only-chats drops items without a chat', () => {
		expect(passesFilters(item({ chat: null }), only({ onlyChats: parseChatList('5511911112222') }))).toBe(false);
	});

	it('combines filters: every one must pass', () => {
		const filters = only({ ignoreOwnMessages: true, onlyChats: parseChatList('5511911112222') });
		expect(passesFilters(item(), filters)).toBe(true);
		expect(passesFilters(item({ message: message({ fromMe: true }) }), filters)).toBe(false);
	});
});

describe('parseChatList', () => {
	it('splits on commas, semicolons and new lines, trims and drops empties', () => {
		expect(parseChatList(' +55 11 91111-2222 ,\n5511933334444@s.whatsapp.net;;120363025246125486@g.us\n')).toEqual([
			'5511911112222',
			'5511933334444',
			'120363025246125486@g.us',
		]);
	});

	it('answers [] for anything that is not text', () => {
		expect(parseChatList(undefined)).toEqual([]);
		expect(parseChatList(['5511911112222'])).toEqual([]);
		expect(parseChatList('')).toEqual([]);
	});
});

describe('deliveryKey', () => {
	it('is made of scope, event, message id and status', () => {
		const received = item();
		const read = item({ event: 'message.updated', originalEvent: 'messages.update', message: message({ status: 'read' }) });
		const delivered = item({ event: 'message.updated', originalEvent: 'messages.update', message: message({ status: 'delivered' }) });
		const keys = [deliveryKey('wf1', received), deliveryKey('wf1', read), deliveryKey('wf1', delivered), deliveryKey('wf2', received)];
		expect(new Set(keys).size).toBe(4);
		expect(keys.every((key) => typeof key === 'string')).toBe(true);
	});

	it('is the same for the same delivery sent twice', () => {
		expect(deliveryKey('wf1', item())).toBe(deliveryKey('wf1', item()));
	});

	it('falls back to the normalized event when the source name is missing', () => {
		expect(deliveryKey('wf1', item({ originalEvent: null }))).toContain('message.received');
	});

	it('is null without a message id: such items are never dropped as duplicates', () => {
		expect(deliveryKey('wf1', item({ message: null }))).toBeNull();
		expect(deliveryKey('wf1', item({ message: message({ id: null }) }))).toBeNull();
	});
});

describe('secretsMatch', () => {
	const secret = newSecret();

	it('makes 64 hex characters, different every time', () => {
		expect(secret).toMatch(/^[0-9a-f]{64}$/);
		expect(newSecret()).not.toBe(secret);
	});

	it('matches the same secret only', () => {
		expect(secretsMatch(secret, secret)).toBe(true);
		expect(secretsMatch(`${secret}x`, secret)).toBe(false);
		expect(secretsMatch(secret.slice(1), secret)).toBe(false);
		expect(secretsMatch(secret.toUpperCase(), secret)).toBe(false);
	});

	it('never matches empty or missing values', () => {
		expect(secretsMatch('', '')).toBe(false);
		expect(secretsMatch('', secret)).toBe(false);
		expect(secretsMatch(secret, '')).toBe(false);
		expect(secretsMatch(secret, null)).toBe(false);
		expect(secretsMatch(secret, undefined)).toBe(false);
	});

	it('never matches values that are not strings', () => {
		expect(secretsMatch(undefined, secret)).toBe(false);
		expect(secretsMatch([secret], secret)).toBe(false);
		expect(secretsMatch({ toString: () => secret }, secret)).toBe(false);
		expect(secretsMatch(123, '123')).toBe(false);
	});

	it('firstValue takes the first of a repeated header or query parameter', () => {
		expect(firstValue([secret, 'other'])).toBe(secret);
		expect(firstValue(secret)).toBe(secret);
		expect(firstValue([1])).toBeUndefined();
		expect(firstValue(undefined)).toBeUndefined();
	});
});
