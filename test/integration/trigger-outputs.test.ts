/**
 * "One Output per Message Type" and "One Output per Event": the outputs n8n computes from the node's
 * parameters (the expression in the node description, evaluated by n8n-workflow's NodeHelpers.getNodeOutputs
 * as the editor and the engine do) and the lists the node's webhook() fills agree, over real HTTP: each
 * delivery lands on the output named after its message type, events that are not messages on the last.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { IDataObject, INodeParameters } from 'n8n-workflow';

import type { NormalizedItem } from '../../nodes/lib/model/item';
import { WhaticketTrigger } from '../../nodes/WhaticketTrigger/WhaticketTrigger.node';
import { NodeHost, type HostExecution } from '../support/node-host';
import { closeAll, fixtureData, INSTANCE, startDouble, triggerHost } from './evolution-trigger-support';

afterEach(closeAll);

const ALL_TYPES = ['Text', 'Image', 'Audio File', 'Voice Note', 'Video', 'Document', 'Sticker', 'Location', 'Contact', 'Reaction', 'Poll', 'Other', 'Not a Message'];

function message(id: string, content: IDataObject, messageType: string): IDataObject {
	return { key: { remoteJid: '5511988887777@s.whatsapp.net', fromMe: false, id }, pushName: 'Maria', message: content, messageType, messageTimestamp: 1717430400 };
}
const text = (id: string) => message(id, { conversation: 'oi' }, 'conversation');
const voiceNote = (id: string) => message(id, { audioMessage: { mimetype: 'audio/ogg; codecs=opus', seconds: 4, ptt: true } }, 'audioMessage');
const image = (id: string) => message(id, { imageMessage: { mimetype: 'image/jpeg', caption: 'foto' } }, 'imageMessage');

/** For each execution: the names of the outputs that received items, and how many outputs the webhook filled. */
function landed(executions: HostExecution[], names: string[]): Array<{ width: number; on: string[] }> {
	return executions.map((execution) => ({ width: execution.items.length, on: execution.items.flatMap((items, index) => (items.length > 0 ? [names[index]] : [])) }));
}

describe('Evolution API Trigger: outputs drawn and outputs filled agree', () => {
	async function trigger(parameters: INodeParameters) {
		const double = await startDouble('v2.3');
		const host = await triggerHost(double, { events: ['MESSAGES_UPSERT', 'CONNECTION_UPDATE'], ...parameters });
		await host.activate();
		return { double, host };
	}

	it('off (the default): one output, as before', async () => {
		const { double, host } = await trigger({ options: { messageTypes: ['text'] } });
		expect(host.outputNames()).toEqual(['main']);
		await double.deliver(INSTANCE, 'messages.upsert', text('OFF-1'));
		await host.settled();
		expect(landed(host.executions, host.outputNames())).toEqual([{ width: 1, on: ['main'] }]);
	});

	it('selected types: one output each, in the catalog order, then "Not a Message" for a connection event', async () => {
		const { double, host } = await trigger({ outputPerMessageType: true, options: { messageTypes: ['voice', 'text'] } });
		const names = host.outputNames();
		expect(names).toEqual(['Text', 'Voice Note', 'Not a Message']);
		await double.deliver(INSTANCE, 'messages.upsert', voiceNote('VOICE-1'));
		await double.deliver(INSTANCE, 'messages.upsert', text('TEXT-1'));
		await double.deliver(INSTANCE, 'connection.update', fixtureData('connection.update', 'v2.3'));
		// An image was not selected: filtered out, no execution.
		await double.deliver(INSTANCE, 'messages.upsert', image('IMAGE-1'));
		await host.settled();
		expect(landed(host.executions, names)).toEqual([
			{ width: 3, on: ['Voice Note'] },
			{ width: 3, on: ['Text'] },
			{ width: 3, on: ['Not a Message'] },
		]);
		expect((host.executions[0].items[1][0].json as unknown as NormalizedItem).message?.media?.ptt).toBe(true);
	});

	it('no type selected: all twelve types and "Not a Message"; an image lands on "Image"', async () => {
		const { double, host } = await trigger({ outputPerMessageType: true });
		const names = host.outputNames();
		expect(names).toEqual(ALL_TYPES);
		await double.deliver(INSTANCE, 'messages.upsert', image('IMAGE-2'));
		await host.settled();
		expect(landed(host.executions, names)).toEqual([{ width: 13, on: ['Image'] }]);
	});

	it('"One Output per Event" wins over it: outputs named after the events', async () => {
		const { double, host } = await trigger({ outputPerEvent: true, outputPerMessageType: true });
		const names = host.outputNames();
		expect(names).toEqual(['MESSAGES_UPSERT', 'CONNECTION_UPDATE']);
		await double.deliver(INSTANCE, 'connection.update', fixtureData('connection.update', 'v2.3'));
		await host.settled();
		expect(landed(host.executions, names)).toEqual([{ width: 2, on: ['CONNECTION_UPDATE'] }]);
	});
});

describe('Whaticket Trigger: outputs drawn and outputs filled agree', () => {
	const TOKEN = 'tk-outputs';
	const fixture = (path: string) => JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', path), 'utf8')) as IDataObject;
	const hosts: NodeHost[] = [];
	afterEach(async () => {
		await Promise.all(hosts.splice(0).map((host) => host.close()));
	});

	async function helpdeskTrigger(parameters: INodeParameters) {
		const host = await NodeHost.create({ nodeType: new WhaticketTrigger(), parameters: { token: TOKEN, ...parameters }, typeVersion: 2 });
		hosts.push(host);
		await host.activate();
		return host;
	}

	it('a Whazing voice note, a text and a closed ticket each land on their own output', async () => {
		const host = await helpdeskTrigger({ outputPerMessageType: true, options: { messageTypes: ['text', 'voice'] } });
		const names = host.outputNames();
		expect(names).toEqual(['Text', 'Voice Note', 'Not a Message']);
		for (const path of ['whazing/message.received-ptt.v2.16.json', 'whazing/message.received.v2.16.json', 'whazing/ClosedTicket.v2.16.json']) {
			expect((await host.post(fixture(path), { headers: { 'x-n8n-api-key': TOKEN } })).status).toBe(200);
		}
		await host.settled();
		expect(landed(host.executions, names)).toEqual([
			{ width: 3, on: ['Voice Note'] },
			{ width: 3, on: ['Text'] },
			{ width: 3, on: ['Not a Message'] },
		]);
	});

	it('off (the default): one output', async () => {
		const host = await helpdeskTrigger({});
		expect(host.outputNames()).toEqual(['main']);
	});
});
