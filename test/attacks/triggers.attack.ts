/**
 * Attacks on the triggers themselves: posts without (or with a wrong) secret or token to every trigger
 * mode and node version, and media URLs in forged deliveries. Real sockets on 127.0.0.1, n8n-core's real
 * WebhookContext (the node host), the in-repo Evolution double. Held = 401, no execution, no download.
 */
import { createServer, type Server } from 'http';
import type { AddressInfo } from 'net';
import { readFileSync } from 'fs';
import { join } from 'path';

import type { INodeParameters } from 'n8n-workflow';

import { WhaticketTrigger } from '../../nodes/WhaticketTrigger/WhaticketTrigger.node';
import { closeAll, startDouble, triggerHost } from '../integration/evolution-trigger-support';
import { NodeHost } from '../support/node-host';

const fixture = (path: string) => JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', path), 'utf8')) as Record<string, unknown>;

let mediaServer: Server;
let mediaUrl: string;
const mediaRequests: string[] = [];
const hosts: NodeHost[] = [];

beforeAll(async () => {
	mediaServer = createServer((req, res) => {
		mediaRequests.push(req.url ?? '');
		res.end('not for you');
	});
	await new Promise<void>((resolve) => mediaServer.listen(0, '127.0.0.1', resolve));
	mediaUrl = `http://127.0.0.1:${(mediaServer.address() as AddressInfo).port}/secret.png`;
});

afterEach(async () => {
	await Promise.all(hosts.splice(0).map((host) => host.close()));
	await closeAll();
});

afterAll(async () => {
	await new Promise<void>((resolve) => mediaServer.close(() => resolve()));
	// No attack made the trigger fetch a URL named by an unverified delivery.
	expect(mediaRequests).toEqual([]);
});

/** An image message whose media URL points at a local "internal" service, media download on and allow-listed. */
function imageDelivery(id: string) {
	return {
		event: 'messages.upsert',
		instance: 'inst1',
		data: { key: { remoteJid: '5511988887777@s.whatsapp.net', fromMe: false, id }, message: { imageMessage: { mimetype: 'image/png' }, mediaUrl }, messageType: 'imageMessage' },
	};
}

const MEDIA_OPTIONS = { media: 'download', mediaAllowedHosts: '127.0.0.1' };

async function evolutionTrigger(parameters: INodeParameters, typeVersion?: number): Promise<NodeHost> {
	const double = await startDouble('v2.3');
	const host = await triggerHost(double, { ...parameters, options: MEDIA_OPTIONS }, double.baseUrl, double.globalKey, { typeVersion });
	await host.activate();
	return host;
}

async function whaticketTrigger(parameters: INodeParameters, typeVersion?: number): Promise<NodeHost> {
	const host = await NodeHost.create({ nodeType: new WhaticketTrigger(), parameters: { ...parameters, options: { media: 'download', mediaToBinary: true, downloadMedia: true, mediaAllowedHosts: '127.0.0.1' } }, typeVersion });
	hosts.push(host);
	await host.listen();
	await host.activate();
	return host;
}

async function expectHeld(host: NodeHost, body: unknown, headers: Record<string, string> = {}, query = ''): Promise<void> {
	const answer = await host.post(body, { headers, suffix: query });
	expect(answer.status).toBe(401);
	expect(host.executions).toHaveLength(0);
}

describe('unauthenticated posts', () => {
	it('Evolution register mode: no secret', async () => expectHeld(await evolutionTrigger({ mode: 'register' }), imageDelivery('R1')));
	it('Evolution register mode: a wrong header secret', async () =>
		expectHeld(await evolutionTrigger({ mode: 'register' }), imageDelivery('R2'), { 'x-n8n-evolution-secret': 'guess' }));
	it('Evolution register mode: a secret in the query where the header is expected', async () =>
		expectHeld(await evolutionTrigger({ mode: 'register' }), imageDelivery('R3'), {}, '?n8nSecret=guess'));
	it('Evolution global mode, node v2, no Secret set: nobody gets in', async () => expectHeld(await evolutionTrigger({ mode: 'global' }), imageDelivery('G1')));
	it('Evolution global mode with a Secret: none presented', async () => expectHeld(await evolutionTrigger({ mode: 'global', globalSecret: 's3cret' }), imageDelivery('G2')));
	it('Evolution global mode with a Secret: a wrong one', async () =>
		expectHeld(await evolutionTrigger({ mode: 'global', globalSecret: 's3cret' }), imageDelivery('G3'), {}, '?n8nSecret=s3cre'));
	it('Whaticket Trigger v2, no Token set: nobody gets in', async () => expectHeld(await whaticketTrigger({}), fixture('whazing/message.received.v2.16.json')));
	it('Whaticket Trigger with a Token: none presented', async () => expectHeld(await whaticketTrigger({ token: 'tk' }), fixture('whazing/message.received.v2.16.json')));
	it('Whaticket Trigger with a Token: a wrong header', async () =>
		expectHeld(await whaticketTrigger({ token: 'tk' }), fixture('whazing/message.received.v2.16.json'), { 'x-n8n-api-key': 'tK' }));
	it('Whaticket Trigger with a Token: a wrong ?token=', async () =>
		expectHeld(await whaticketTrigger({ token: 'tk' }), fixture('whaticket/fila-data.saas.json'), {}, '?token=t'));
	it('Whaticket Trigger v1 with a Token: none presented', async () => expectHeld(await whaticketTrigger({ token: 'tk' }, 1), fixture('whazing/message.received.v2.16.json')));
});
