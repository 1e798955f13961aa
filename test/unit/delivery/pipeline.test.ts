/**
 * The delivery pipeline as plain data: a request and the node's settings in, an HTTP answer or the items
 * per output out. No n8n, no sockets: every answer code, routing and filter of both triggers.
 */
import { readFileSync } from 'fs';
import { join } from 'path';

import { hashKey } from '../../../nodes/lib/delivery/dedupe';
import { decideDelivery, type DedupeView, type DeliveryDecision, type DeliveryEmission } from '../../../nodes/lib/delivery/pipeline';
import { evolutionSettingsOf, helpdeskSettingsOf, type EvolutionParameters, type HelpdeskParameters } from '../../../nodes/lib/delivery/settings-of';
import { NOT_JSON, type DeliveryRequest } from '../../../nodes/lib/delivery/settings';
import { unwrapRelayed } from '../../../nodes/lib/delivery/read-helpdesk';
import { evolutionParameters } from './evolution-settings';
import type { Registration } from '../../../nodes/lib/evolution/registration';
import type { NormalizedItem } from '../../../nodes/lib/model/item';

function fixture(path: string): Record<string, unknown> {
	return JSON.parse(readFileSync(join(__dirname, '..', '..', 'fixtures', path), 'utf8')) as Record<string, unknown>;
}

const SECRET = 'f'.repeat(64);
const HEADER_REGISTRATION: Registration = {
	instance: 'inst1',
	nodeUrl: 'https://n8n.example.com/webhook/id/webhook',
	registeredUrl: 'https://n8n.example.com/webhook/id/webhook',
	secret: SECRET,
	secretIn: 'header',
	events: ['MESSAGES_UPSERT'],
	previous: null,
	registeredAt: '2026-12-01T00:00:00.000Z',
};
const QUERY_REGISTRATION: Registration = { ...HEADER_REGISTRATION, secretIn: 'query', registeredUrl: `${HEADER_REGISTRATION.nodeUrl}?n8nSecret=${SECRET}` };

/** `null`: no registration in static data. */
function evolution(overrides: Partial<EvolutionParameters> = {}, registration: Registration | null = HEADER_REGISTRATION) {
	const parameters = evolutionParameters(['MESSAGES_UPSERT'], overrides);
	return evolutionSettingsOf(parameters, registration ?? undefined);
}

function helpdesk(overrides: Partial<HelpdeskParameters> = {}) {
	return helpdeskSettingsOf({ nodeVersion: 2, token: 'tk', acceptUnverified: false, source: 'auto', events: [], output: 'normalized', options: {}, dedupeScope: 'hd|webhook', ...overrides });
}

function request(body: unknown, extra: Partial<DeliveryRequest> = {}): DeliveryRequest {
	return { headers: {}, query: {}, params: {}, body, ...extra };
}

const signed = (body: unknown) => request(body, { headers: { 'x-n8n-evolution-secret': SECRET } });
const withToken = (body: unknown) => request(body, { headers: { 'x-n8n-api-key': 'tk' } });
/** Nothing remembered anywhere. */
const never: DedupeView = { now: 0, recentlySeen: () => false, persisted: undefined };
const seenIn = (keys: Set<string>): DedupeView => ({ ...never, recentlySeen: (key) => keys.has(key) });

function emitted(decision: DeliveryDecision): DeliveryEmission {
	if (decision.kind !== 'emit') throw new Error(`expected an emission, got ${JSON.stringify(decision)}`);
	return decision;
}

function answer(decision: DeliveryDecision) {
	if (decision.kind !== 'answer') throw new Error('expected an answer');
	return { status: decision.status, body: decision.body };
}

const upsert = (id: string, extra: Record<string, unknown> = {}) => ({
	event: 'messages.upsert',
	instance: 'inst1',
	data: { key: { remoteJid: '5511988887777@s.whatsapp.net', fromMe: false, id }, message: { conversation: 'oi' }, messageTimestamp: 1733000000, ...extra },
});

describe('verification (401)', () => {
	it('production, register mode, registration not readable yet (activation still running): 503 with Retry-After, nothing started', () => {
		const decision = decideDelivery(signed(upsert('A')), evolution({ production: true }, null), never);
		expect(decision).toEqual({
			kind: 'answer',
			status: 503,
			body: { message: 'Service unavailable: this trigger is still being activated; retry in a few seconds' },
			headers: { 'Retry-After': '5' },
		});
		// Unsigned too: without the registration nothing can be verified yet, and a 503 starts nothing.
		expect(answer(decideDelivery(request(upsert('A')), evolution({ production: true }, null), never)).status).toBe(503);
	});

	it('production, registration readable: a forged delivery is still 401', () => {
		expect(answer(decideDelivery(request(upsert('A'), { headers: { 'x-n8n-evolution-secret': 'forged' } }), evolution({ production: true }), never)).status).toBe(401);
		expect(answer(decideDelivery(request(upsert('A')), evolution({ production: true }), never)).status).toBe(401);
	});

	it('global mode never waits for a registration', () => {
		expect(answer(decideDelivery(request(upsert('A')), evolution({ mode: 'global', production: true }, null), never)).status).toBe(401);
	});

	it('register mode before the registration is readable, outside production (a test listen): 401', () => {
		expect(answer(decideDelivery(signed(upsert('A')), evolution({}, null), never))).toEqual({
			status: 401,
			body: { message: 'Unauthorized: this trigger is not registered on any instance (activate the workflow)' },
		});
	});

	it('header secret: missing, wrong, right', () => {
		expect(answer(decideDelivery(request(upsert('A')), evolution(), never)).status).toBe(401);
		expect(answer(decideDelivery(request(upsert('A'), { headers: { 'x-n8n-evolution-secret': 'nope' } }), evolution(), never)).body).toEqual({
			message: 'Unauthorized: missing or wrong delivery secret (header x-n8n-evolution-secret)',
		});
		expect(decideDelivery(signed(upsert('A')), evolution(), never).kind).toBe('emit');
	});

	it('query secret, also with the by-events suffix the server appends after it', () => {
		const settings = evolution({}, QUERY_REGISTRATION);
		expect(decideDelivery(request(upsert('A'), { query: { n8nSecret: SECRET } }), settings, never).kind).toBe('emit');
		expect(decideDelivery(request(upsert('A'), { query: { n8nSecret: `${SECRET}/messages-upsert` } }), settings, never).kind).toBe('emit');
		expect(answer(decideDelivery(request(upsert('A'), { query: { n8nSecret: 'x' } }), settings, never)).status).toBe(401);
	});

	it('global mode: v2 without a secret refuses, says what to set; v1 and an explicit opt-in accept', () => {
		const body = upsert('A');
		const refused = answer(decideDelivery(request(body), evolution({ mode: 'global' }), never));
		expect(refused.status).toBe(401);
		expect(String(refused.body.message)).toMatch(/no Secret set/);
		expect(decideDelivery(request(body), evolution({ mode: 'global', nodeVersion: 1 }), never).kind).toBe('emit');
		expect(decideDelivery(request(body), evolution({ mode: 'global', acceptUnverified: true }), never).kind).toBe('emit');
		expect(decideDelivery(request(body, { query: { n8nSecret: 'g' } }), evolution({ mode: 'global', globalSecret: 'g' }), never).kind).toBe('emit');
	});

	it('helpdesk token: header or ?token=, each sentence names the fix', () => {
		const body = fixture('whazing/message.received.v2.16.json');
		expect(decideDelivery(withToken(body), helpdesk(), never).kind).toBe('emit');
		expect(decideDelivery(request(body, { query: { token: 'tk' } }), helpdesk(), never).kind).toBe('emit');
		expect(answer(decideDelivery(request(body), helpdesk(), never)).body.message).toMatch(/X-N8N-API-KEY header, the Authorization header \(Izing\) or as \?token=/);
		expect(answer(decideDelivery(request(body, { query: { token: 'bad' } }), helpdesk(), never)).body.message).toMatch(/does not match/);
		expect(answer(decideDelivery(request(body), helpdesk({ token: '' }), never)).body.message).toMatch(/no Token set/);
		expect(decideDelivery(request(body), helpdesk({ token: '', nodeVersion: 1 }), never).kind).toBe('emit');
		expect(decideDelivery(request(body), helpdesk({ token: '', acceptUnverified: true }), never).kind).toBe('emit');
	});

	it("helpdesk token: Izing's authorization header, bare or with a Bearer scheme", () => {
		const body = fixture('izing/hookMessage.json');
		expect(decideDelivery(request(body, { headers: { authorization: 'tk' } }), helpdesk(), never).kind).toBe('emit');
		expect(decideDelivery(request(body, { headers: { authorization: 'Bearer tk' } }), helpdesk(), never).kind).toBe('emit');
		expect(answer(decideDelivery(request(body, { headers: { authorization: 'Bearer bad' } }), helpdesk(), never)).body.message).toMatch(/does not match/);
		// The scheme is optional, not a way around the token.
		expect(answer(decideDelivery(request(body, { headers: { authorization: 'Bearer ' } }), helpdesk(), never)).status).toBe(401);
		const settings = helpdesk();
		expect(settings.verification.kind === 'secret' && settings.verification.carriers).toContainEqual({ in: 'header', name: 'authorization', scheme: 'Bearer' });
	});
});

describe('bad bodies (400) and what is acknowledged without an execution (200)', () => {
	it.each([
		['an array', [], 'Bad request: expected a JSON object body'],
		['no event', { instance: 'inst1', data: {} }, 'Bad request: the body has no "event" field'],
		['data of a primitive type', { event: 'messages.upsert', instance: 'inst1', data: 'x' }, 'Bad request: "data" must be an object, an array or null'],
	])('Evolution: %s → 400', (_what, body, message) => {
		expect(answer(decideDelivery(signed(body), evolution(), never))).toEqual({ status: 400, body: { message } });
	});

	it('Evolution: a message without key.id → 400 naming the event', () => {
		expect(answer(decideDelivery(signed({ event: 'messages.upsert', instance: 'inst1', data: {} }), evolution(), never)).body.message).toMatch(/"messages.upsert" delivery carries no readable event/);
	});

	it.each([
		['data null', { event: 'messages.upsert', instance: 'inst1', data: null }],
		['no data', { event: 'messages.upsert', instance: 'inst1' }],
		['an array of arrays', { event: 'messages.upsert', instance: 'inst1', data: [[[]], []] }],
	])('Evolution: a selected message event with %s → 400, not an "unknown" item that starts an execution', (_what, body) => {
		expect(answer(decideDelivery(signed(body), evolution(), never)).status).toBe(400);
	});

	it('Evolution: an array mixing a message and a null element emits the message only', () => {
		const decision = emitted(decideDelivery(signed({ ...upsert('A'), data: [null, upsert('A').data] }), evolution(), never));
		expect(decision.outputs[0].map((planned) => (planned.json as NormalizedItem).event)).toEqual(['message.received']);
	});

	it('Evolution: unselected event and another instance → 200 with the reason', () => {
		expect(answer(decideDelivery(signed({ event: 'call', instance: 'inst1', data: {} }), evolution(), never))).toEqual({
			status: 200,
			body: { ignored: 'event "call" is not selected in this trigger' },
		});
		expect(answer(decideDelivery(signed({ ...upsert('A'), instance: 'other' }), evolution(), never))).toEqual({
			status: 200,
			body: { ignored: 'the delivery is from another instance' },
		});
	});

	it('helpdesk: not JSON, empty, an array → 400 saying what the body is', () => {
		expect(answer(decideDelivery(withToken(NOT_JSON), helpdesk(), never)).body.message).toBe('Bad request: the body must be a JSON object (it is not JSON)');
		expect(answer(decideDelivery(withToken(undefined), helpdesk(), never)).body.message).toBe('Bad request: the body must be a JSON object (it is empty)');
		expect(answer(decideDelivery(withToken([1]), helpdesk(), never)).body.message).toBe('Bad request: the body must be a JSON object (it is an array)');
	});

	it('helpdesk: an unrecognisable object → 400 on v2, an "unknown" item on v1 or with the option on', () => {
		const refused = answer(decideDelivery(withToken({}), helpdesk(), never));
		expect(refused.status).toBe(400);
		expect(refused.body.message).toMatch(/Receive Unrecognised Bodies/);
		const v1 = emitted(decideDelivery(withToken({}), helpdesk({ nodeVersion: 1 }), never));
		expect((v1.outputs[0][0].json as NormalizedItem).source).toBe('unknown');
		expect(emitted(decideDelivery(withToken({ hello: 1 }), helpdesk({ options: { receiveUnknown: true } }), never)).outputs[0]).toHaveLength(1);
	});

	it("helpdesk: Whazing's test ping is answered and starts nothing", () => {
		expect(answer(decideDelivery(withToken(fixture('whazing/test-ping.v3.json')), helpdesk(), never))).toEqual({ status: 200, body: { ok: true, message: 'Test received' } });
	});

	it('helpdesk: an event outside the selection → 200, nothing starts', () => {
		expect(answer(decideDelivery(withToken(fixture('whazing/message.received.v2.16.json')), helpdesk({ events: ['ticket.closed'] }), never)).body).toEqual({
			ignored: 'event "message.received" is not selected in this trigger',
		});
	});
});

describe('helpdesk: a body relayed from another n8n Webhook node', () => {
	const relayed = (body: unknown, extra: Record<string, unknown> = {}) => ({ headers: { 'content-type': 'application/json' }, params: {}, query: {}, body, ...extra });

	it('is unwrapped: the item is the inner delivery, and Raw output is the inner body', () => {
		const inner = fixture('whazing/message.received.v2.16.json');
		const decision = emitted(decideDelivery(withToken(relayed(inner, { webhookUrl: 'https://n8n.example.com/webhook/x', executionMode: 'production' })), helpdesk(), never));
		expect(decision.outputs[0].map((item) => (item.json as NormalizedItem).message?.id)).toEqual(['3EB0C5A17F2B9D44E1A0']);
		const raw = emitted(decideDelivery(withToken(relayed(inner)), helpdesk({ output: 'raw' }), never));
		expect((raw.outputs[0][0].json as Record<string, unknown>).messageId).toBe('3EB0C5A17F2B9D44E1A0');
	});

	it('the relayed headers never carry the token: only the request that reached this trigger does', () => {
		const inner = fixture('izing/hookMessageStatus.json');
		const body = relayed(inner, { headers: { 'x-n8n-api-key': 'tk', authorization: 'tk' } });
		expect(answer(decideDelivery(request(body), helpdesk(), never)).status).toBe(401);
	});

	it.each([
		['an object that only has body and headers among other keys', { headers: {}, body: { acao: 'start' }, extra: 1 }],
		['a body that is not an object', { headers: {}, body: 'text' }],
		['no headers', { params: {}, query: {}, body: { acao: 'start' } }],
	])('is not unwrapped when it is %s', (_what, body) => {
		expect(unwrapRelayed(body)).toBe(body);
	});
});

describe('the LID map (Evolution)', () => {
	const LID = '126409561346102@lid';
	const contactsUpsert = { event: 'contacts.upsert', instance: 'inst1', data: [{ remoteJid: LID, phoneNumber: '5511988887777@s.whatsapp.net' }] };
	const lidOnly = { event: 'messages.upsert', instance: 'inst1', data: { key: { remoteJid: LID, fromMe: false, id: 'L1' }, message: { conversation: 'Oi' } } };

	it('a verified delivery teaches it even when its event is not selected; the decision carries the new maps', () => {
		const decision = decideDelivery(signed(contactsUpsert), evolution(), never, {});
		expect(answer(decision).status).toBe(200);
		expect(decision.lidMaps).toEqual({ inst1: { [LID]: '5511988887777' } });
	});

	it('a LID-only message gets the learned phone; nothing new → no maps in the decision', () => {
		const decision = decideDelivery(signed(lidOnly), evolution(), never, { inst1: { [LID]: '5511988887777' } });
		expect(decision.lidMaps).toBeUndefined();
		const [item] = emitted(decision).outputs[0].map((planned) => planned.json as NormalizedItem);
		expect(item.chat).toMatchObject({ phone: '5511988887777', phoneSource: 'learned' });
	});

	it('a forged delivery teaches nothing', () => {
		const decision = decideDelivery(request(contactsUpsert), evolution(), never, {});
		expect(answer(decision).status).toBe(401);
		expect(decision.lidMaps).toBeUndefined();
	});

	it('the "Only These Chats" filter sees the learned phone', () => {
		const settings = evolution({ options: { onlyChats: '5511988887777' } });
		expect(decideDelivery(signed(lidOnly), settings, never, { inst1: { [LID]: '5511988887777' } }).kind).toBe('emit');
		expect(decideDelivery(signed(lidOnly), settings, never, {}).kind).toBe('answer');
	});
});

describe('the optional server look-up of a LID (Evolution)', () => {
	const LID = '126409561346102@lid';
	const lidOnly = { event: 'messages.upsert', instance: 'inst1', data: { key: { remoteJid: LID, fromMe: false, id: 'L1' }, message: { conversation: 'Oi' } } };
	const asking = (options = {}) => evolution({ options: { lookUpLidPhones: true, ...options } });

	it('off (the default): no look-up, the phone stays null', () => {
		const [item] = emitted(decideDelivery(signed(lidOnly), evolution(), never, {})).outputs[0].map((planned) => planned.json as NormalizedItem);
		expect(item.chat).toMatchObject({ phone: null, phoneSource: null });
	});

	it('on: a LID the map does not know asks the server first (before any filter), for that instance', () => {
		expect(decideDelivery(signed(lidOnly), asking({ onlyChats: '5511988887777' }), never, {})).toEqual({ kind: 'lookup', instance: 'inst1', lids: [LID] });
	});

	it('on: a LID the map knows, or a message with a phone, asks nothing', () => {
		expect(decideDelivery(signed(lidOnly), asking(), never, { inst1: { [LID]: '5511988887777' } }).kind).toBe('emit');
		expect(decideDelivery(signed(upsert('P1')), asking(), never, {}).kind).toBe('emit');
	});

	it('the answer fills the phone with phoneSource "server", is learned, and "Only These Chats" sees it', () => {
		const decision = decideDelivery(signed(lidOnly), asking({ onlyChats: '5511988887777' }), never, {}, { [LID]: '5511988887777' });
		const [item] = emitted(decision).outputs[0].map((planned) => planned.json as NormalizedItem);
		expect(item.chat).toMatchObject({ phone: '5511988887777', phoneSource: 'server' });
		expect(item.sender).toMatchObject({ phone: '5511988887777', phoneSource: 'server' });
		expect(decision.lidMaps).toEqual({ inst1: { [LID]: '5511988887777' } });
	});

	it('no answer (failure, timeout, unknown LID): the delivery goes on with a null phone and asks no more', () => {
		const decision = decideDelivery(signed(lidOnly), asking(), never, {}, {});
		const [item] = emitted(decision).outputs[0].map((planned) => planned.json as NormalizedItem);
		expect(item.chat).toMatchObject({ phone: null, phoneSource: null });
		expect(decision.lidMaps).toBeUndefined();
	});

	it('a forged delivery asks nothing', () => {
		expect(answer(decideDelivery(request(lidOnly), asking(), never, {})).status).toBe(401);
	});
});

describe('Only These Message Types', () => {
	it('keeps only the selected kinds; a voice note is not an audio file; non-message events pass', () => {
		const voice = fixture('evolution/messages.upsert-audio.v1.json');
		const audioFile = fixture('evolution/messages.upsert-audio-file.v2.json');
		const text = upsert('A');
		const settings = (messageTypes: string[]) => evolution({ options: { messageTypes } });
		expect(decideDelivery(signed(voice), settings(['voice']), never).kind).toBe('emit');
		expect(decideDelivery(signed(audioFile), settings(['voice']), never).kind).toBe('answer');
		expect(decideDelivery(signed(audioFile), settings(['audio']), never).kind).toBe('emit');
		expect(answer(decideDelivery(signed(text), settings(['image', 'voice']), never))).toEqual({ status: 200, body: { ignored: 'filtered out by the trigger options' } });
		expect(decideDelivery(signed(text), settings([]), never).kind).toBe('emit');
		const ticket = fixture('whazing/ClosedTicket.v2.16.json');
		expect(decideDelivery(withToken(ticket), helpdesk({ options: { messageTypes: ['text'] } }), never).kind).toBe('emit');
	});

	it('status updates and deletions are events about a message, not messages of a type: they pass', () => {
		const settings = evolution({ events: ['MESSAGES_UPDATE', 'MESSAGES_DELETE'], options: { messageTypes: ['text'] } });
		expect(decideDelivery(signed(fixture('evolution/messages.update.v2.json')), settings, never).kind).toBe('emit');
		expect(decideDelivery(signed(fixture('evolution/messages.delete.v2.json')), settings, never).kind).toBe('emit');
	});
});

describe('One Output per Message Type', () => {
	const perType = (messageTypes: string[] = [], extra: Partial<EvolutionParameters> = {}) =>
		evolution({ events: ['MESSAGES_UPSERT', 'MESSAGES_UPDATE', 'CONNECTION_UPDATE'], outputPerMessageType: true, options: { messageTypes }, ...extra });
	const lengths = (decision: DeliveryDecision) => emitted(decision).outputs.map((output) => output.length);
	const at = (index: number, count: number) => Array.from({ length: count }, (_, position) => (position === index ? 1 : 0));

	it('nothing selected: one output per kind in the catalog order (text, image, audio, voice, …, other), then "Not a Message"', () => {
		expect(lengths(decideDelivery(signed(upsert('A')), perType(), never))).toEqual(at(0, 13));
		expect(lengths(decideDelivery(signed(fixture('evolution/messages.upsert-image.v2.json')), perType(), never))).toEqual(at(1, 13));
		expect(lengths(decideDelivery(signed(fixture('evolution/messages.upsert-audio-file.v2.json')), perType(), never))).toEqual(at(2, 13));
		expect(lengths(decideDelivery(signed(fixture('evolution/messages.upsert-audio.v1.json')), perType(), never))).toEqual(at(3, 13));
		expect(lengths(decideDelivery(signed(fixture('evolution/messages.upsert-reaction.v2.json')), perType(), never))).toEqual(at(9, 13));
	});

	it('events that are not messages (connection, status updates) go to the last output', () => {
		expect(lengths(decideDelivery(signed(fixture('evolution/connection.update.v2.json')), perType(['voice', 'text']), never))).toEqual([0, 0, 1]);
		const status = emitted(decideDelivery(signed(fixture('evolution/messages.update.v2.json')), perType(['voice', 'text']), never));
		expect(status.outputs.map((output) => output.length)).toEqual([0, 0, 1]);
		expect((status.outputs[2][0].json as NormalizedItem).event).toBe('message.updated');
		// It carries a message object (type "other", no content): still not a message of a type.
		expect((status.outputs[2][0].json as NormalizedItem).message?.type).toBe('other');
		const deleted = emitted(decideDelivery(signed(fixture('evolution/messages.delete.v2.json')), perType(['text'], { events: ['MESSAGES_DELETE'] }), never));
		expect(deleted.outputs.map((output) => output.length)).toEqual([0, 1]);
	});

	it('selected kinds: their outputs in the catalog order whatever order they were picked in; unknown values ignored', () => {
		// voice before text in the pick, text first in the outputs.
		expect(lengths(decideDelivery(signed(upsert('A')), perType(['voice', 'text', 'gif']), never))).toEqual([1, 0, 0]);
		expect(lengths(decideDelivery(signed(fixture('evolution/messages.upsert-audio.v1.json')), perType(['voice', 'text']), never))).toEqual([0, 1, 0]);
		// A kind that was not selected is still filtered out before routing.
		expect(answer(decideDelivery(signed(fixture('evolution/messages.upsert-audio-file.v2.json')), perType(['voice', 'text']), never)).body).toEqual({ ignored: 'filtered out by the trigger options' });
		// Only unknown values: as if nothing were selected (the filter lets every kind through).
		expect(lengths(decideDelivery(signed(upsert('B')), perType(['gif']), never))).toEqual(at(0, 13));
	});

	it('"One Output per Event" wins when both are on; off (the default) keeps one output', () => {
		expect(lengths(decideDelivery(signed(upsert('A')), perType([], { outputPerEvent: true }), never))).toEqual([1, 0, 0]);
		expect(lengths(decideDelivery(signed(upsert('A')), evolution({ options: { messageTypes: ['text'] } }), never))).toEqual([1]);
		expect(evolution().outputPerMessageType).toBe(false);
	});

	it('raw output goes to the output of the first wanted item', () => {
		const decision = emitted(decideDelivery(signed(fixture('evolution/messages.upsert-audio.v1.json')), perType([], { output: 'raw' }), never));
		expect(decision.outputs.map((output) => output.length)).toEqual(at(3, 13));
		expect(decision.outputs[3][0].normalized).toBe(false);
	});

	it('the Whaticket Trigger routes the same way: a voice note, a text, a ticket event', () => {
		const settings = helpdesk({ outputPerMessageType: true, options: { messageTypes: ['text', 'voice'] } });
		expect(lengths(decideDelivery(withToken(fixture('whazing/message.received.v2.16.json')), settings, never))).toEqual([1, 0, 0]);
		expect(lengths(decideDelivery(withToken(fixture('whazing/message.received-ptt.v2.16.json')), settings, never))).toEqual([0, 1, 0]);
		expect(lengths(decideDelivery(withToken(fixture('whazing/ClosedTicket.v2.16.json')), settings, never))).toEqual([0, 0, 1]);
		expect(lengths(decideDelivery(withToken(fixture('whazing/ClosedTicket.v2.16.json')), helpdesk(), never))).toEqual([1]);
	});
});

describe('emission', () => {
	it('one output, the normalized item, acknowledged with {received: true}', () => {
		const decision = emitted(decideDelivery(signed(upsert('A')), evolution(), never));
		expect(decision.acknowledgement).toEqual({ received: true });
		expect(decision.outputs).toHaveLength(1);
		expect(decision.outputs[0].map((item) => (item.json as NormalizedItem).message?.id)).toEqual(['A']);
	});

	it('one output per selected event, the item on its event\'s output', () => {
		const settings = evolution({ events: ['CONNECTION_UPDATE', 'MESSAGES_UPSERT', 'CALL'], outputPerEvent: true });
		const decision = emitted(decideDelivery(signed(upsert('A')), settings, never));
		expect(decision.outputs.map((output) => output.length)).toEqual([0, 1, 0]);
	});

	it('the by-events URL suffix names the event when the body does not, without copying the body', () => {
		const body = { instance: 'inst1', data: upsert('A').data };
		const decision = emitted(decideDelivery(request(body, { headers: { 'x-n8n-evolution-secret': SECRET }, params: { eventxyz: 'messages-upsert' } }), evolution(), never));
		expect((decision.outputs[0][0].json as NormalizedItem).originalEvent).toBe('messages.upsert');
		expect(body).not.toHaveProperty('event');
	});

	it('filters drop own messages, groups, broadcasts and chats not listed', () => {
		const own = upsert('A', { key: { remoteJid: '5511988887777@s.whatsapp.net', fromMe: true, id: 'A' } });
		expect(answer(decideDelivery(signed(own), evolution({ options: { ignoreOwnMessages: true } }), never)).body).toEqual({ ignored: 'filtered out by the trigger options' });
		const status = upsert('B', { key: { remoteJid: 'status@broadcast', fromMe: false, id: 'B' } });
		expect(decideDelivery(signed(status), evolution(), never).kind).toBe('answer');
		expect(decideDelivery(signed(status), evolution({ options: { ignoreBroadcasts: false } }), never).kind).toBe('emit');
		expect(decideDelivery(signed(upsert('C')), evolution({ options: { onlyChats: '5511900000000' } }), never).kind).toBe('answer');
		expect(decideDelivery(signed(upsert('C')), evolution({ options: { onlyChats: '+55 11 98888-7777' } }), never).kind).toBe('emit');
	});

	it('dedupe: keys are returned to record (not recorded by the decision), seen keys are dropped, a key twice in one delivery counts once', () => {
		const first = emitted(decideDelivery(signed(upsert('A')), evolution(), never));
		expect(first.remember).toEqual([hashKey('node|webhook|messages.upsert|A|')]);
		const seen = new Set(first.remember);
		expect(answer(decideDelivery(signed(upsert('A')), evolution(), seenIn(seen))).body).toEqual({ ignored: 'a repeated delivery' });
		expect(decideDelivery(signed(upsert('A')), evolution({ options: { dropDuplicates: false } }), seenIn(seen)).kind).toBe('emit');
		const history = { event: 'messages.set', instance: 'inst1', data: [upsert('H').data, upsert('H').data, upsert('I').data] };
		const batch = emitted(decideDelivery(signed(history), evolution({ events: ['MESSAGES_SET'] }), never));
		expect(batch.outputs[0]).toHaveLength(2);
	});

	it('raw output keeps only the array elements that passed, secrets stripped', () => {
		const history = {
			event: 'messages.set',
			instance: 'inst1',
			apikey: 'instance-token',
			data: [upsert('G', { key: { remoteJid: '120363041234567890@g.us', fromMe: false, id: 'G' } }).data, upsert('P').data],
		};
		const decision = emitted(decideDelivery(signed(history), evolution({ events: ['MESSAGES_SET'], output: 'raw', options: { ignoreGroups: true } }), never));
		expect(decision.outputs[0]).toHaveLength(1);
		const raw = decision.outputs[0][0].json as { data: Array<{ key: { id: string } }>; apikey?: unknown };
		expect(raw.data.map((element) => element.key.id)).toEqual(['P']);
		expect(raw).not.toHaveProperty('apikey');
	});

	it('media: off by default; inline base64 when asked; a URL only with "download"', () => {
		const image = {
			event: 'messages.upsert',
			instance: 'inst1',
			data: {
				key: { remoteJid: '5511988887777@s.whatsapp.net', fromMe: false, id: 'IMG' },
				message: { imageMessage: { mimetype: 'image/jpeg', caption: 'foto' }, base64: 'aGVsbG8=', mediaUrl: 'https://s3.example.com/a.jpg' },
			},
		};
		expect(emitted(decideDelivery(signed(image), evolution(), never)).outputs[0][0].media).toBeNull();
		expect(emitted(decideDelivery(signed(image), evolution({ options: { media: 'base64' } }), never)).outputs[0][0].media).toEqual({
			kind: 'inline',
			media: { base64: 'aGVsbG8=', mimetype: 'image/jpeg', fileName: 'IMG.jpg' },
		});
		const urlOnly = { ...image, data: { ...image.data, message: { imageMessage: { mimetype: 'image/jpeg' }, mediaUrl: 'https://s3.example.com/a.jpg' } } };
		expect(emitted(decideDelivery(signed(urlOnly), evolution({ options: { media: 'base64' } }), never)).outputs[0][0].media).toBeNull();
		expect(emitted(decideDelivery(signed(urlOnly), evolution({ options: { media: 'download' } }), never)).outputs[0][0].media).toEqual({
			kind: 'url',
			url: 'https://s3.example.com/a.jpg',
			mimetype: 'image/jpeg',
			fileName: 'a.jpg',
		});
	});

	it('Whaticket Trigger v1 option names map onto the one media option', () => {
		expect(helpdesk({ nodeVersion: 1, options: { mediaToBinary: true } }).media).toBe('base64');
		expect(helpdesk({ nodeVersion: 1, options: { mediaToBinary: true, downloadMedia: true } }).media).toBe('download');
		expect(helpdesk({ nodeVersion: 1, options: { downloadMedia: true } }).media).toBe('off');
		expect(helpdesk({ options: { media: 'download' } }).media).toBe('download');
	});

	it('Include Raw Body attaches the sanitized body to each normalized item', () => {
		const decision = emitted(decideDelivery(signed({ ...upsert('A'), apikey: 'k' }), evolution({ options: { includeRaw: true } }), never));
		const item = decision.outputs[0][0].json as NormalizedItem;
		expect(item.raw).toMatchObject({ event: 'messages.upsert' });
		expect(item.raw).not.toHaveProperty('apikey');
	});
});

describe('node versions keep their meaning', () => {
	it('coalescing repeated states is on by default from node v2, off for v1 workflows unless turned on', () => {
		expect(evolution().coalesce.on).toBe(true);
		expect(evolution({ nodeVersion: 1 }).coalesce.on).toBe(false);
		expect(evolution({ nodeVersion: 1, options: { coalesceStates: true } }).coalesce.on).toBe(true);
		expect(evolution({ options: { coalesceStates: false } }).coalesce.on).toBe(false);
	});
});
