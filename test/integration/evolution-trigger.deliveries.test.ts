/**
 * Evolution API Trigger deliveries over real HTTP: the double POSTs events exactly like each server
 * version (envelope, secret header or ?n8nSecret= as registered, by-events suffix, nothing for events
 * the webhook does not select) to the trigger running in n8n-core's real WebhookContext. Forged and
 * malformed requests are posted by hand. Expected items come from the fixtures in
 * test/fixtures/evolution and docs/protocol.md#delivery-envelope.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { IBinaryData, IDataObject, INodeParameters } from 'n8n-workflow';

import {
	authenticPost,
	closeAll,
	DIALECTS,
	fixtureData,
	forgetProductionRegistration,
	INSTANCE,
	itemsOf,
	OTHER_INSTANCE,
	productionSecret,
	SECRET_HEADER,
	SECRET_QUERY,
	secretInHeader,
	startDouble,
	triggerHost,
} from './evolution-trigger-support';
import type { DoubleDialect, EvolutionDouble } from '../support/evolution-double';
import type { NodeHost } from '../support/node-host';

afterEach(closeAll);

interface Rig {
	double: EvolutionDouble;
	host: NodeHost;
	secret: string;
}

async function activeTrigger(dialect: DoubleDialect, parameters: INodeParameters = {}): Promise<Rig> {
	const double = await startDouble(dialect);
	const host = await triggerHost(double, parameters);
	await host.activate();
	return { double, host, secret: productionSecret(host) };
}

/** A text message from `remoteJid`, in the shape both generations share (key, message, timestamp). */
function textMessage(id: string, options: { remoteJid?: string; fromMe?: boolean; text?: string; participant?: string } = {}): IDataObject {
	const key: IDataObject = { remoteJid: options.remoteJid ?? '5511988887777@s.whatsapp.net', fromMe: options.fromMe ?? false, id };
	if (options.participant) key.participant = options.participant;
	return {
		key,
		pushName: 'Maria',
		message: { conversation: options.text ?? 'Hello there' },
		messageType: 'conversation',
		messageTimestamp: 1717430400,
	};
}

/** messages.update data for message `id` with a server status, in the dialect's own shape: v1 spreads the key flat, v2 sends keyId. */
function statusUpdate(dialect: DoubleDialect, id: string, status: string): IDataObject {
	const data = fixtureData('messages.update', dialect) as IDataObject;
	return dialect === 'v1' ? { ...data, id, status } : { ...data, keyId: id, status };
}

/** contacts.upsert data with `count` contacts, in the dialect's own shape: v1 `id`, v2 `remoteJid`. */
function contacts(dialect: DoubleDialect, count: number): IDataObject[] {
	return Array.from({ length: count }, (_, index) => {
		const jid = `55119000000${index}@s.whatsapp.net`;
		return dialect === 'v1'
			? { id: jid, pushName: `Contact ${index}`, profilePictureUrl: null, owner: INSTANCE }
			: { remoteJid: jid, pushName: `Contact ${index}`, profilePicUrl: null, instanceId: 'instance-id' };
	});
}

/** A 1×1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

/** A media store on 127.0.0.1 (S3/MinIO stand-in) that serves PNG for any path and records the paths asked for. */
async function servePng(): Promise<{ url: string; requests: string[]; close: () => Promise<void> }> {
	const requests: string[] = [];
	const server = createServer((req, res) => {
		requests.push(req.url ?? '');
		res.writeHead(200, { 'content-type': 'image/png', 'content-length': PNG.length });
		res.end(PNG);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		requests,
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

describe.each(DIALECTS)('Evolution API Trigger deliveries on %s', (dialect) => {
	it('each selected event yields its documented items', async () => {
		const { double, host } = await activeTrigger(dialect, {
			events: ['MESSAGES_UPSERT', 'MESSAGES_UPDATE', 'CONNECTION_UPDATE', 'CONTACTS_UPSERT'],
		});

		const text = await double.deliver(INSTANCE, 'messages.upsert', fixtureData('messages.upsert', dialect));
		expect(text?.status).toBe(200);
		const [received] = itemsOf(host.executions[0]);
		expect(received).toMatchObject({
			source: 'evolution',
			event: 'message.received',
			originalEvent: 'messages.upsert',
			instance: INSTANCE,
			chat: { id: '5511988887777@s.whatsapp.net', phone: '5511988887777', isGroup: false, name: 'Maria' },
			sender: { phone: '5511988887777', name: 'Maria' },
			message: { id: '3EB0C431C2A8F5D2E1B7', type: 'text', text: 'Hello there', fromMe: false, media: null, timestamp: '2024-06-03T16:00:00.000Z' },
		});
		expect(itemsOf(host.executions[0])).toHaveLength(1);

		await double.deliver(INSTANCE, 'messages.upsert', fixtureData('messages.upsert-group', dialect));
		expect(itemsOf(host.executions[1])).toEqual([
			expect.objectContaining({
				event: 'message.received',
				chat: expect.objectContaining({ id: '120363041234567890@g.us', isGroup: true, phone: null }),
				sender: expect.objectContaining({ id: '5511977776666@s.whatsapp.net', phone: '5511977776666', name: 'João' }),
				message: expect.objectContaining({ type: 'text', text: 'Bom dia, grupo' }),
			}),
		]);

		await double.deliver(INSTANCE, 'messages.update', statusUpdate(dialect, '3EB0C431C2A8F5D2E1B7', 'READ'));
		expect(itemsOf(host.executions[2])).toEqual([
			expect.objectContaining({
				event: 'message.updated',
				originalEvent: 'messages.update',
				chat: expect.objectContaining({ id: '5511988887777@s.whatsapp.net' }),
				message: expect.objectContaining({ id: '3EB0C431C2A8F5D2E1B7', status: 'read', fromMe: true }),
			}),
		]);

		await double.deliver(INSTANCE, 'connection.update', fixtureData('connection.update', dialect));
		expect(itemsOf(host.executions[3])).toEqual([
			expect.objectContaining({ event: 'connection.updated', instance: INSTANCE, chat: null, message: null, details: expect.objectContaining({ state: 'open', statusReason: 200 }) }),
		]);

		await double.deliver(INSTANCE, 'contacts.upsert', contacts(dialect, 3));
		const contactItems = itemsOf(host.executions[4]);
		expect(contactItems.map((item) => [item.event, item.contact?.phone, item.contact?.name])).toEqual([
			['contact.updated', '551190000000', 'Contact 0'],
			['contact.updated', '551190000001', 'Contact 1'],
			['contact.updated', '551190000002', 'Contact 2'],
		]);

		expect(host.executions).toHaveLength(5);
		expect(host.executions.every((execution) => execution.mode === 'webhook')).toBe(true);
		expect(host.errors).toEqual([]);
	});

	it('an event that is not selected starts nothing and is answered 200', async () => {
		const { double, host, secret } = await activeTrigger(dialect);
		// The server itself does not send it: the webhook does not select it.
		expect(await double.deliver(INSTANCE, 'presence.update', { id: '5511988887777@s.whatsapp.net', presences: {} })).toBeNull();

		const answer = await host.post(
			{ event: 'presence.update', instance: INSTANCE, data: { id: '5511988887777@s.whatsapp.net', presences: {} } },
			authenticPost(dialect, secret),
		);
		expect(answer.status).toBe(200);
		expect(answer.json).toEqual({ ignored: 'event "presence.update" is not selected in this trigger' });
		expect(host.executions).toHaveLength(0);
		expect(host.errors).toEqual([]);
	});

	it('accepts the by-events URL the server builds when "webhook by events" is turned on', async () => {
		const { double, host, secret } = await activeTrigger(dialect);
		const registeredUrl = String((double.webhookOf(INSTANCE) as { url: string }).url);
		// Someone turns "by events" on through the server's own set route (2.1+ keeps the omitted headers).
		const byEventsBody =
			dialect === 'v1'
				? { enabled: true, url: registeredUrl, webhook_by_events: true, events: ['MESSAGES_UPSERT'] }
				: dialect === 'v2.0'
					? { enabled: true, url: registeredUrl, webhookByEvents: true, events: ['MESSAGES_UPSERT'] }
					: { webhook: { enabled: true, url: registeredUrl, byEvents: true, events: ['MESSAGES_UPSERT'] } };
		const set = await fetch(`${double.baseUrl}/webhook/set/${INSTANCE}`, {
			method: 'POST',
			headers: { apikey: double.globalKey, 'content-type': 'application/json' },
			body: JSON.stringify(byEventsBody),
		});
		expect(set.status).toBe(201);

		const delivery = await double.deliver(INSTANCE, 'messages.upsert', textMessage(`BYEVENTS-${dialect}`));
		expect(delivery?.url).toBe(`${registeredUrl}/messages-upsert`);
		expect(delivery?.status).toBe(200);
		expect(itemsOf(host.executions[0])).toEqual([expect.objectContaining({ event: 'message.received', message: expect.objectContaining({ id: `BYEVENTS-${dialect}` }) })]);

		// Posted by hand to <production>/messages-upsert, the event may even be missing from the body.
		const suffix = secretInHeader(dialect) ? '/messages-upsert' : `/messages-upsert?${SECRET_QUERY}=${secret}`;
		const headers = secretInHeader(dialect) ? { [SECRET_HEADER]: secret } : undefined;
		const bySuffix = await host.post({ instance: INSTANCE, data: textMessage(`SUFFIX-${dialect}`) }, { suffix, headers });
		expect(bySuffix.status).toBe(200);
		expect(itemsOf(host.executions[1])).toEqual([expect.objectContaining({ event: 'message.received', message: expect.objectContaining({ id: `SUFFIX-${dialect}` }) })]);
		expect(host.errors).toEqual([]);
	});

	it('both event spellings start the workflow: messages.upsert and MESSAGES_UPSERT', async () => {
		const { host, secret } = await activeTrigger(dialect);
		const dotted = await host.post({ event: 'messages.upsert', instance: INSTANCE, data: textMessage('SPELL-DOTTED') }, authenticPost(dialect, secret));
		const upper = await host.post({ event: 'MESSAGES_UPSERT', instance: INSTANCE, data: textMessage('SPELL-UPPER') }, authenticPost(dialect, secret));
		expect([dotted.status, upper.status]).toEqual([200, 200]);
		expect(host.executions.map((execution) => itemsOf(execution)[0].message?.id)).toEqual(['SPELL-DOTTED', 'SPELL-UPPER']);
		expect(itemsOf(host.executions[1])[0].event).toBe('message.received');
	});

	it('drops a repeated delivery, but not another status of the same message', async () => {
		const { double, host } = await activeTrigger(dialect, { events: ['MESSAGES_UPSERT', 'MESSAGES_UPDATE'] });
		const message = textMessage(`DUP-${dialect}`);
		const first = await double.deliver(INSTANCE, 'messages.upsert', message);
		const again = await double.deliver(INSTANCE, 'messages.upsert', message);
		expect([first?.status, again?.status]).toEqual([200, 200]);
		expect(host.executions).toHaveLength(1);

		await double.deliver(INSTANCE, 'messages.update', statusUpdate(dialect, `DUP-${dialect}`, 'DELIVERY_ACK'));
		await double.deliver(INSTANCE, 'messages.update', statusUpdate(dialect, `DUP-${dialect}`, 'READ'));
		await double.deliver(INSTANCE, 'messages.update', statusUpdate(dialect, `DUP-${dialect}`, 'READ'));
		expect(host.executions.slice(1).map((execution) => itemsOf(execution)[0].message?.status)).toEqual(['delivered', 'read']);
	});

	it('"Drop Duplicate Deliveries" off lets a repeated delivery through', async () => {
		const { double, host } = await activeTrigger(dialect, { options: { dropDuplicates: false } });
		const message = textMessage(`NODEDUP-${dialect}`);
		await double.deliver(INSTANCE, 'messages.upsert', message);
		await double.deliver(INSTANCE, 'messages.upsert', message);
		expect(host.executions).toHaveLength(2);
	});

	it('"Ignore My Own Messages" drops messages sent by this number', async () => {
		const { double, host } = await activeTrigger(dialect, { options: { ignoreOwnMessages: true } });
		const own = await double.deliver(INSTANCE, 'messages.upsert', textMessage('OWN-1', { fromMe: true }));
		expect(own?.status).toBe(200);
		expect(host.executions).toHaveLength(0);
		await double.deliver(INSTANCE, 'messages.upsert', textMessage('THEIRS-1'));
		expect(host.executions.map((execution) => itemsOf(execution)[0].message?.id)).toEqual(['THEIRS-1']);
	});

	it('"Ignore Groups" drops group messages', async () => {
		const { double, host } = await activeTrigger(dialect, { options: { ignoreGroups: true } });
		const group = await double.deliver(INSTANCE, 'messages.upsert', fixtureData('messages.upsert-group', dialect));
		expect(group?.status).toBe(200);
		await double.deliver(INSTANCE, 'messages.upsert', textMessage('PRIVATE-1'));
		expect(host.executions.map((execution) => itemsOf(execution)[0].message?.id)).toEqual(['PRIVATE-1']);
	});

	it('status@broadcast is ignored by default and passes when "Ignore Status and Channels" is off', async () => {
		const status = textMessage('STATUS-1', { remoteJid: 'status@broadcast', participant: '5511988887777@s.whatsapp.net' });
		const byDefault = await activeTrigger(dialect);
		expect((await byDefault.double.deliver(INSTANCE, 'messages.upsert', status))?.status).toBe(200);
		expect(byDefault.host.executions).toHaveLength(0);

		const allowed = await activeTrigger(dialect, { options: { ignoreBroadcasts: false } });
		await allowed.double.deliver(INSTANCE, 'messages.upsert', status);
		expect(itemsOf(allowed.host.executions[0])[0].chat?.id).toBe('status@broadcast');
	});

	it('"Only These Chats" lets only the listed chats through (numbers or JIDs)', async () => {
		const { double, host } = await activeTrigger(dialect, { options: { onlyChats: '+55 11 98888-7777, 120363041234567890@g.us' } });
		await double.deliver(INSTANCE, 'messages.upsert', textMessage('LISTED-1'));
		await double.deliver(INSTANCE, 'messages.upsert', textMessage('UNLISTED-1', { remoteJid: '5511900001111@s.whatsapp.net' }));
		await double.deliver(INSTANCE, 'messages.upsert', fixtureData('messages.upsert-group', dialect));
		expect(host.executions.map((execution) => itemsOf(execution)[0].chat?.id)).toEqual([
			'5511988887777@s.whatsapp.net',
			'120363041234567890@g.us',
		]);
	});

	it('media "From Base64" turns the delivered base64 into binary "data" with its mime type and a file name', async () => {
		const { double, host } = await activeTrigger(dialect, { options: { media: 'base64' } });
		const data = fixtureData('messages.upsert-image', dialect) as { key: { id: string }; message: { base64: string } };
		await double.deliver(INSTANCE, 'messages.upsert', data);
		const [entry] = host.executions[0].items[0];
		expect(entry.json).toMatchObject({ message: { type: 'image', caption: 'Look at this', media: { type: 'image', mimetype: 'image/jpeg', hasBase64: true } } });
		const binary = entry.binary?.data as IBinaryData;
		expect(binary).toMatchObject({ mimeType: 'image/jpeg', fileName: `${data.key.id}.jpg`, fileExtension: 'jpg' });
		expect(Buffer.from(binary.data, 'base64')).toEqual(Buffer.from(data.message.base64, 'base64'));
	});

	it('media "From Base64, Else Download" fetches the media URL when the delivery has no base64 (a local media host must be allow-listed)', async () => {
		const mediaServer = await servePng();
		try {
			const { double, host } = await activeTrigger(dialect, { options: { media: 'download', mediaAllowedHosts: '127.0.0.1' } });
			await double.deliver(INSTANCE, 'messages.upsert', {
				key: { remoteJid: '5511988887777@s.whatsapp.net', fromMe: false, id: `DOWNLOAD-${dialect}` },
				message: { imageMessage: { mimetype: 'image/png', caption: 'from S3' }, mediaUrl: `${mediaServer.url}/bucket/photo-1.png` },
				messageType: 'imageMessage',
				messageTimestamp: 1717430400,
			});
			const binary = host.executions[0].items[0][0].binary?.data as IBinaryData;
			expect(binary).toMatchObject({ mimeType: 'image/png', fileName: 'photo-1.png' });
			expect(Buffer.from(binary.data, 'base64')).toEqual(PNG);
			expect(mediaServer.requests).toEqual(['/bucket/photo-1.png']);
		} finally {
			await mediaServer.close();
		}
	});

	it('"One Item per Array Element" off folds an array event into one item', async () => {
		const { double, host } = await activeTrigger(dialect, { events: ['CONTACTS_UPSERT'], options: { splitArrays: false } });
		await double.deliver(INSTANCE, 'contacts.upsert', contacts(dialect, 3));
		const items = itemsOf(host.executions[0]);
		expect(items).toHaveLength(1);
		expect(items[0].details).toMatchObject({ count: 3 });
		expect((items[0].details?.items as Array<{ contact: { name: string } }>).map((item) => item.contact.name)).toEqual(['Contact 0', 'Contact 1', 'Contact 2']);
	});

	it('media off leaves binary out', async () => {
		const { double, host } = await activeTrigger(dialect);
		await double.deliver(INSTANCE, 'messages.upsert', fixtureData('messages.upsert-image', dialect));
		expect(host.executions[0].items[0][0].binary).toBeUndefined();
	});

	it('Raw output is the delivered body without apikey, destination or the secret', async () => {
		const { double, host, secret } = await activeTrigger(dialect, { output: 'raw' });
		const delivery = await double.deliver(INSTANCE, 'messages.upsert', textMessage(`RAW-${dialect}`));
		const delivered = delivery?.body as IDataObject;
		expect('apikey' in delivered).toBe(true); // the double exposes the instance token, like the Docker default
		const { apikey: _apikey, destination: _destination, ...expected } = delivered;
		expect(host.executions[0].items).toEqual([[{ json: expected }]]);
		const text = JSON.stringify(host.executions[0].items);
		expect(text).not.toContain('inst1-token');
		expect(text).not.toContain(secret);
	});

	it('"One Output per Event" routes each event to its own output', async () => {
		const { double, host } = await activeTrigger(dialect, {
			events: ['MESSAGES_UPSERT', 'CONNECTION_UPDATE', 'CONTACTS_UPSERT'],
			outputPerEvent: true,
		});
		await double.deliver(INSTANCE, 'connection.update', fixtureData('connection.update', dialect));
		await double.deliver(INSTANCE, 'contacts.upsert', contacts(dialect, 2));
		await double.deliver(INSTANCE, 'messages.upsert', textMessage(`OUT-${dialect}`));
		expect(host.executions.map((execution) => execution.items.map((output) => output.length))).toEqual([
			[0, 1, 0],
			[0, 0, 2],
			[1, 0, 0],
		]);
		expect(itemsOf(host.executions[0], 1)[0].event).toBe('connection.updated');
		expect(itemsOf(host.executions[2], 0)[0].message?.id).toBe(`OUT-${dialect}`);
	});

	it('refuses forged deliveries with 401 and starts nothing', async () => {
		const { double, host, secret } = await activeTrigger(dialect);
		const other = await triggerHost(double, { instance: OTHER_INSTANCE });
		await other.activate();
		const othersSecret = productionSecret(other);
		expect(othersSecret).not.toBe(secret);
		const body = { event: 'messages.upsert', instance: INSTANCE, data: textMessage('FORGED-1') };

		const attempts = [
			await host.post(body),
			await host.post(body, authenticPost(dialect, 'f'.repeat(64))),
			await host.post(body, authenticPost(dialect, othersSecret)),
			// The right secret in the place this server version does not use.
			await host.post(body, secretInHeader(dialect) ? { suffix: `?${SECRET_QUERY}=${secret}` } : { headers: { [SECRET_HEADER]: secret } }),
		];
		expect(attempts.map((answer) => answer.status)).toEqual([401, 401, 401, 401]);
		const where = secretInHeader(dialect) ? `header ${SECRET_HEADER}` : `query ${SECRET_QUERY}`;
		expect(attempts[0].json).toEqual({ message: `Unauthorized: missing or wrong delivery secret (${where})` });
		expect(host.executions).toHaveLength(0);
		expect(other.executions).toHaveLength(0);
		expect(host.errors).toEqual([]);

		// The genuine secret still works on the same URL.
		expect((await host.post(body, authenticPost(dialect, secret))).status).toBe(200);
		expect(host.executions).toHaveLength(1);
	});

	it('an active trigger with no readable registration answers 503 with Retry-After, even to the old secret, and starts nothing', async () => {
		const { host, secret } = await activeTrigger(dialect);
		forgetProductionRegistration(host);
		const answer = await host.post({ event: 'messages.upsert', instance: INSTANCE, data: textMessage('UNREG-1') }, authenticPost(dialect, secret));
		expect(answer.status).toBe(503);
		expect(answer.headers.get('retry-after')).toBe('5');
		expect(answer.json).toEqual({ message: 'Service unavailable: this trigger is still being activated; retry in a few seconds' });
		expect(host.executions).toHaveLength(0);
	});

	it('a delivery naming another instance starts nothing', async () => {
		const { host, secret } = await activeTrigger(dialect);
		const answer = await host.post({ event: 'messages.upsert', instance: OTHER_INSTANCE, data: textMessage('ELSEWHERE-1') }, authenticPost(dialect, secret));
		expect(answer.status).toBe(200);
		expect(host.executions).toHaveLength(0);
	});

	it('answers malformed bodies with 400, never 500, and starts nothing', async () => {
		const { host, secret } = await activeTrigger(dialect);
		const auth = authenticPost(dialect, secret);
		const headers = { ...(auth.headers ?? {}), 'content-type': 'application/json' };
		const answers = [
			await host.post(undefined, { ...auth, headers, rawBody: JSON.stringify([{ event: 'messages.upsert', data: textMessage('ARRAY-1') }]) }),
			await host.post(undefined, { ...auth, headers, rawBody: JSON.stringify('messages.upsert') }),
			await host.post(undefined, { ...auth, headers: { ...headers, 'content-type': 'text/plain' }, rawBody: 'just some text' }),
			await host.post({ instance: INSTANCE, data: textMessage('NOEVENT-1') }, auth),
			await host.post({ event: 42, instance: INSTANCE, data: {} }, auth),
		];
		expect(answers.map((answer) => answer.status)).toEqual([400, 400, 400, 400, 400]);
		expect(answers[0].json).toEqual({ message: 'Bad request: expected a JSON object body' });
		expect(answers[3].json).toEqual({ message: 'Bad request: the body has no "event" field' });
		expect(host.executions).toHaveLength(0);
		expect(host.errors).toEqual([]);
	});

	it('an unknown event name is acknowledged with 200 and starts nothing', async () => {
		const { host, secret } = await activeTrigger(dialect);
		const answer = await host.post({ event: 'something.new', instance: INSTANCE, data: null }, authenticPost(dialect, secret));
		expect(answer.status).toBe(200);
		expect(host.executions).toHaveLength(0);
		expect(host.errors).toEqual([]);
	});
});

describe('Evolution API Trigger in global-webhook mode (the server\'s WEBHOOK_GLOBAL_URL points at it)', () => {
	const GLOBAL_SECRET = 'global-secret-3f9a';

	it('registers nothing on activation and deactivation', async () => {
		const double = await startDouble('v2.3');
		const host = await triggerHost(double, { mode: 'global', globalSecret: GLOBAL_SECRET });
		await host.activate();
		await host.restart();
		await host.deactivate();
		expect(double.requests).toEqual([]);
		expect(host.errors).toEqual([]);
	});

	it('needs ?n8nSecret= when a secret is set, also when a by-events server appends the event to the query', async () => {
		const double = await startDouble('v2.3');
		const host = await triggerHost(double, { mode: 'global', globalSecret: GLOBAL_SECRET });
		await host.activate();
		const body = { event: 'messages.upsert', instance: INSTANCE, data: textMessage('GLOBAL-1'), apikey: double.globalKey };

		expect((await host.post(body)).status).toBe(401);
		expect((await host.post(body, { suffix: `?${SECRET_QUERY}=wrong` })).status).toBe(401);
		expect((await host.post(body, { suffix: `?${SECRET_QUERY}=${GLOBAL_SECRET}` })).status).toBe(200);
		expect((await host.post({ ...body, data: textMessage('GLOBAL-2') }, { suffix: `?${SECRET_QUERY}=${GLOBAL_SECRET}/messages-upsert` })).status).toBe(200);
		expect(host.executions.map((execution) => itemsOf(execution)[0].message?.id)).toEqual(['GLOBAL-1', 'GLOBAL-2']);
	});

	it('"Instance Names" keeps only the listed instances; node v1 without a secret lets anyone post', async () => {
		const double = await startDouble('v2.3');
		const host = await triggerHost(double, { mode: 'global', instanceNames: `${OTHER_INSTANCE}, sales` }, double.baseUrl, double.globalKey, { typeVersion: 1 });
		await host.activate();
		const mine = await host.post({ event: 'messages.upsert', instance: INSTANCE, data: textMessage('NOTLISTED-1') });
		const listed = await host.post({ event: 'messages.upsert', instance: OTHER_INSTANCE, data: textMessage('LISTED-2') });
		expect([mine.status, listed.status]).toEqual([200, 200]);
		expect(host.executions.map((execution) => itemsOf(execution)[0].instance)).toEqual([OTHER_INSTANCE]);
	});

	it('node v2 without a secret refuses every post with 401 saying what to set, and starts nothing', async () => {
		const double = await startDouble('v2.3');
		const host = await triggerHost(double, { mode: 'global' });
		await host.activate();
		const answer = await host.post({ event: 'messages.upsert', instance: INSTANCE, data: textMessage('NOSECRET-1') });
		expect(answer.status).toBe(401);
		expect(String((answer.json as { message: string }).message)).toMatch(/no Secret set.*Accept Unverified Deliveries/);
		expect(host.executions).toHaveLength(0);
	});

	it('node v2 with "Accept Unverified Deliveries" on takes posts without a secret', async () => {
		const double = await startDouble('v2.3');
		const host = await triggerHost(double, { mode: 'global', acceptUnverified: true });
		await host.activate();
		expect((await host.post({ event: 'messages.upsert', instance: INSTANCE, data: textMessage('OPEN-1') })).status).toBe(200);
		expect(host.executions).toHaveLength(1);
	});
});
