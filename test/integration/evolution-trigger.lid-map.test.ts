/**
 * The Evolution API Trigger's LID → phone map through n8n-core's real WebhookContext: a delivery pairing a
 * LID with a phone teaches it (kept in the node's static data, written only when it changes, kept across
 * an n8n restart), and a later LID-only message gets its phone with phoneSource "learned".
 */
import type { IDataObject } from 'n8n-workflow';

import { closeAll, INSTANCE, itemsOf, startDouble, triggerHost } from './evolution-trigger-support';
import type { NodeHost } from '../support/node-host';

afterEach(closeAll);

const LID = '126409561346102@lid';
const NODE_STATIC_KEY = 'node:Evolution API Trigger';

function lidMapsIn(host: NodeHost): IDataObject | undefined {
	return (host.staticData.production[NODE_STATIC_KEY] as IDataObject | undefined)?.lidMaps as IDataObject | undefined;
}

function lidOnlyMessage(id: string): IDataObject {
	return { key: { remoteJid: LID, addressingMode: 'lid', fromMe: false, id }, pushName: 'Maria', message: { conversation: 'Oi' }, messageType: 'conversation', messageTimestamp: 1748768640 };
}

describe('Evolution API Trigger: the learned LID map (v2.3)', () => {
	it('learns from contacts.upsert, keeps it across a restart, and fills a LID-only message', async () => {
		const double = await startDouble('v2.3');
		const host = await triggerHost(double, { events: ['MESSAGES_UPSERT', 'CONTACTS_UPSERT'] });
		await host.activate();

		await double.deliver(INSTANCE, 'contacts.upsert', [{ remoteJid: LID, phoneNumber: '5511988887777@s.whatsapp.net', pushName: 'Maria', profilePicUrl: null }]);
		expect(lidMapsIn(host)).toEqual({ [INSTANCE]: { [LID]: '5511988887777' } });

		await host.restart();
		await double.deliver(INSTANCE, 'messages.upsert', lidOnlyMessage('3EB0L1D0N1Y000000001'));
		const [item] = itemsOf(host.executions.at(-1));
		expect(item.chat).toEqual({ id: LID, phone: '5511988887777', lid: LID, isGroup: false, name: 'Maria', phoneSource: 'learned' });
		expect(item.sender).toEqual({ id: LID, phone: '5511988887777', name: 'Maria', phoneSource: 'learned' });
	});

	it('learns from a message that carries both (remoteJidAlt), and writes static data only when something is new', async () => {
		const double = await startDouble('v2.3');
		const host = await triggerHost(double, { events: ['MESSAGES_UPSERT'] });
		await host.activate();

		// A message that carries both (Baileys 7 remoteJidAlt) teaches the pair.
		await double.deliver(INSTANCE, 'messages.upsert', { ...lidOnlyMessage('3EB0A'), key: { remoteJid: LID, remoteJidAlt: '5511988887777@s.whatsapp.net', fromMe: false, id: '3EB0A' } });
		const learned = host.staticData.production;
		expect(lidMapsIn(host)).toEqual({ [INSTANCE]: { [LID]: '5511988887777' } });
		expect(itemsOf(host.executions.at(-1))[0].chat?.phoneSource).toBe('payload');
		// The same pair again (here: the server's retry of that delivery, which starts nothing) changes nothing:
		// the "DB copy" is not rewritten. (A new message is written anyway: its dedupe key is persisted.)
		await double.deliver(INSTANCE, 'messages.upsert', { ...lidOnlyMessage('3EB0A'), key: { remoteJid: LID, remoteJidAlt: '5511988887777@s.whatsapp.net', fromMe: false, id: '3EB0A' } });
		expect(host.executions).toHaveLength(1);
		expect(host.staticData.production).toBe(learned);
	});

	it('a LID nobody paired keeps a null phone', async () => {
		const double = await startDouble('v2.3');
		const host = await triggerHost(double, { events: ['MESSAGES_UPSERT'] });
		await host.activate();
		await double.deliver(INSTANCE, 'messages.upsert', lidOnlyMessage('3EB0C'));
		const [item] = itemsOf(host.executions.at(-1));
		expect(item.chat).toMatchObject({ phone: null, phoneSource: null });
		expect(lidMapsIn(host)).toBeUndefined();
	});
});

describe('Evolution API Trigger: asking the server for a LID it has not learned ("Ask the Server for Unknown Phones")', () => {
	const PHONE_JID = '5511988887777@s.whatsapp.net';
	const asking = { events: ['MESSAGES_UPSERT'], options: { lookUpLidPhones: true } };

	it('2.3.6 with the pair cached: POST /chat/whatsappNumbers {numbers:[lid]}, phone filled with phoneSource "server", learned, not asked again', async () => {
		const double = await startDouble('v2.3');
		double.sendRoutes.cacheLid(LID, PHONE_JID);
		const host = await triggerHost(double, asking);
		await host.activate();

		await double.deliver(INSTANCE, 'messages.upsert', lidOnlyMessage('3EB0S1'));
		const asked = double.sendRoutes.receivedOn('chat/whatsappNumbers');
		expect(asked.map(({ method, instance, body, status }) => ({ method, instance, body, status }))).toEqual([{ method: 'POST', instance: INSTANCE, body: { numbers: [LID] }, status: 200 }]);
		expect(asked[0].headers.apikey).toBe(double.globalKey);
		const [item] = itemsOf(host.executions.at(-1));
		expect(item.chat).toEqual({ id: LID, phone: '5511988887777', lid: LID, isGroup: false, name: 'Maria', phoneSource: 'server' });
		expect(item.sender).toMatchObject({ phone: '5511988887777', phoneSource: 'server' });
		expect(lidMapsIn(host)).toEqual({ [INSTANCE]: { [LID]: '5511988887777' } });
		// The look-up asked for the short timeout, not the client's 10 s.
		expect(host.requestedTimeouts.at(-1)).toBe(3000);

		await double.deliver(INSTANCE, 'messages.upsert', lidOnlyMessage('3EB0S2'));
		expect(double.sendRoutes.receivedOn('chat/whatsappNumbers')).toHaveLength(1);
		expect(itemsOf(host.executions.at(-1))[0].chat).toMatchObject({ phone: '5511988887777', phoneSource: 'learned' });
	});

	it('2.3.5 (answers a LID as itself) and a LID 2.3.6 has not cached: asked, the phone stays null', async () => {
		for (const version of ['2.3.5', '2.3.6']) {
			const double = await startDouble('v2.3', version);
			const host = await triggerHost(double, asking);
			await host.activate();
			if (version === '2.3.5') double.sendRoutes.cacheLid(LID, PHONE_JID);
			await double.deliver(INSTANCE, 'messages.upsert', lidOnlyMessage(`3EB0U${version}`));
			expect(double.sendRoutes.receivedOn('chat/whatsappNumbers').map((entry) => entry.answer)).toEqual([[{ jid: LID, exists: true, number: LID, lid: 'lid' }]]);
			expect(itemsOf(host.executions.at(-1))[0].chat).toMatchObject({ phone: null, phoneSource: null });
			expect(lidMapsIn(host)).toBeUndefined();
		}
	});

	it('a failing or hanging server never fails the delivery: 200, an execution, a null phone', async () => {
		const double = await startDouble('v2.3');
		double.sendRoutes.cacheLid(LID, PHONE_JID);
		const host = await triggerHost(double, asking, undefined, undefined, { requestTimeoutMs: 300 });
		await host.activate();
		double.failNext('send', { status: 500, body: { status: 500, error: 'Internal Server Error', response: { message: 'Connection Closed' } } });
		double.failNext('send', 'timeout');
		for (const id of ['3EB0F1', '3EB0F2']) {
			const delivery = await double.deliver(INSTANCE, 'messages.upsert', lidOnlyMessage(id));
			expect(delivery?.status).toBe(200);
			expect(itemsOf(host.executions.at(-1))[0]).toMatchObject({ message: { id }, chat: { phone: null, phoneSource: null } });
		}
		expect(host.executions).toHaveLength(2);
		expect(host.errors).toEqual([]);
		// Both were asked (the faults answered them), and neither answer taught anything.
		expect(double.requestsTo('POST', '/chat/whatsappNumbers')).toHaveLength(2);
		expect(lidMapsIn(host)).toBeUndefined();
	});

	it('off (the default): nothing is asked', async () => {
		const double = await startDouble('v2.3');
		double.sendRoutes.cacheLid(LID, PHONE_JID);
		const host = await triggerHost(double, { events: ['MESSAGES_UPSERT'] });
		await host.activate();
		await double.deliver(INSTANCE, 'messages.upsert', lidOnlyMessage('3EB0O1'));
		expect(double.requestsTo('POST', '/chat/')).toEqual([]);
		expect(itemsOf(host.executions.at(-1))[0].chat).toMatchObject({ phone: null });
	});
});
