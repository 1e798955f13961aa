/** Send-route answers (1.8.1 runs and upstream code) → one sentence each; helpdesk answers too. */
import { explainFailure } from '../../../nodes/lib/evolution/errors';
import { credentialTestVerdict, explainHelpdeskFailure, helpdeskCredentialTestTarget } from '../../../nodes/lib/send/helpdesk-requests';

const envelope = (status: number, message: unknown) => ({ status, error: 'x', response: { message } });
const call = (status: number, message: unknown) => explainFailure({ method: 'POST', url: 'http://evo/message/sendText/inst1', instance: 'inst1', status, body: envelope(status, message) });

describe('Evolution send failures', () => {
	it.each([
		[500, 'Connection Closed'],
		[500, ['Error: Connection Closed']],
		[400, ['Error: Connection Closed']],
		[500, ['Read messages fail', 'Error: Connection Closed']],
		[500, "Cannot read properties of undefined (reading 'onWhatsApp')"],
		[500, ["TypeError: Cannot read properties of undefined (reading 'waUploadToServer')"]],
		[400, ["TypeError: Cannot read properties of undefined (reading 'updateMediaMessage')"]],
	])('%i %j → not connected', (status, message) => {
		expect(call(status, message)).toMatchObject({ kind: 'not-connected', message: 'The instance "inst1" is not connected to WhatsApp', description: expect.stringContaining('connectionState/inst1') });
	});

	it('exists:false → not on WhatsApp; a LID → cannot be addressed', () => {
		expect(call(400, [{ exists: false, jid: '5511900000000@s.whatsapp.net', number: '5511900000000' }])).toMatchObject({ kind: 'not-on-whatsapp', message: 'The number 5511900000000 is not on WhatsApp' });
		expect(call(400, [{ exists: false, jid: '1264@lid', number: '1264@lid' }]).message).toMatch(/cannot address 1264@lid: it is a LID/);
	});

	it('a body in the other major version\'s format says so; other rules stay plain', () => {
		expect(call(400, [['instance requires property "textMessage"']]).message).toMatch(/wrong format for this server version \(it expects "textMessage"\)/);
		expect(call(400, [['instance requires property "text"']]).message).toMatch(/it expects "text"/);
		expect(call(400, ['"reaction" must be an emoji']).message).toBe('The server rejected the request: "reaction" must be an emoji');
		expect(call(500, "Cannot set properties of undefined (setting 'encoding')")).toMatchObject({ kind: 'server-error' });
	});
});

describe('helpdesk failures', () => {
	const url = 'http://hd/v1/api/external/a1';
	it.each([
		['izing', 403, { error: 'Invalid token.' }, /^Izing refused the token \(403: Invalid token\.\)$/],
		['whaticket', 401, { error: 'Acesso não permitido' }, /^Whaticket SaaS refused the token/],
		['whazing', 404, { error: 'Número não é um WhatsApp válido' }, /^Whazing says the number is not on WhatsApp/],
		['whazing', 404, '<html>Cannot POST</html>', /^Whazing has no send route/],
		['whaticket', 400, { error: 'ERR_WAPP_NOT_INITIALIZED' }, /connection is not ready/],
		['izing', 400, { error: 'externalKey is a required field' }, /^Izing rejected the message \(400\): externalKey is a required field$/],
		['whazing', 502, 'Bad Gateway', /^Whazing failed \(502\)/],
	] as const)('%s %i → sentence', (product, status, body, message) => {
		expect(explainHelpdeskFailure({ product, status, body, url }).message).toMatch(message);
	});

	it('an unreachable backend names the URL and the credential field', () => {
		expect(explainHelpdeskFailure({ product: 'whazing', url, networkMessage: 'connect ECONNREFUSED' })).toMatchObject({ message: `Could not reach Whazing at ${url} (connect ECONNREFUSED)`, description: expect.stringMatching(/Base URL/) });
	});

	it('the credential test: validation 400 means the token passed', () => {
		expect(credentialTestVerdict('whaticket', 400, { error: 'O número é obrigatório' }, url).status).toBe('OK');
		expect(credentialTestVerdict('whaticket', 401, { error: 'Acesso não permitido' }, url).status).toBe('Error');
		expect(credentialTestVerdict('izing', 404, {}, url)).toMatchObject({ status: 'Error', message: expect.stringMatching(/no send route/) });
	});

	it('the credential test sends to the product\'s send route, or says which field is missing', () => {
		expect(helpdeskCredentialTestTarget({ product: 'izing', baseUrl: 'https://api.izing.example/ ', apiId: ' a1b2 ' })).toEqual({ product: 'izing', url: 'https://api.izing.example/v1/api/external/a1b2' });
		expect(helpdeskCredentialTestTarget({ product: 'whaticket', baseUrl: 'https://back.example' })).toEqual({ product: 'whaticket', url: 'https://back.example/api/messages/send' });
		expect(helpdeskCredentialTestTarget({ baseUrl: 'https://w.example', apiId: 'x' })).toMatchObject({ product: 'whazing' });
		expect(helpdeskCredentialTestTarget({ product: 'whazing', baseUrl: 'w.example', apiId: 'x' })).toEqual({ status: 'Error', message: 'Enter the Base URL with http:// or https://' });
		expect(helpdeskCredentialTestTarget({ product: 'izing', baseUrl: 'https://w.example', apiId: '' })).toEqual({ status: 'Error', message: 'Enter the API ID (Automação e Integrações → API)' });
	});
});
