/** The sanitizer by pattern: every secret spelling goes, the user's data (externalKey, message keys, texts) stays. */
import { isSecretKey, maskUrlSecrets, sanitize } from '../../../nodes/lib/normalize/sanitize';

/** Key names seen in (or plausible for) the three sources' payloads that carry credentials or key material. */
export const SECRET_KEY_NAMES = [
	'token', 'Token', 'authToken', 'access_token', 'accessToken', 'refresh_token', 'refreshToken', 'id_token', 'bearerToken',
	'secret', 'clientSecret', 'client_secret', 'n8nSecret', 'webhookSecret', 'messageSecret',
	'password', 'Password', 'passwd', 'pwd', 'pass', 'passwordHash', 'password_hash',
	'apikey', 'apiKey', 'api_key', 'API-KEY', 'x-api-key', 'X_API_KEY', 'xApiKey', 'n8nApiKey', 'globalApiKey',
	'authorization', 'Authorization', 'proxy-authorization', 'auth', 'basicAuth', 'oauth',
	'cookie', 'Cookie', 'set-cookie', 'cookies',
	'private_key', 'privateKey', 'private key', 'privKey',
	'credential', 'credentials', 'awsCredentials',
	'jwt', 'jwt_key', 'signature', 'hash', 'salt', 'sessionKey',
	'mediaKey', 'senderKeyHash', 'recipientKeyHash', 'identityKey', 'signedPreKey', 'noiseKey', 'senderKeyDistributionMessage',
];

/** Keys that look close but are data the user needs. */
export const KEPT_KEY_NAMES = ['externalKey', 'key', 'keyId', 'author', 'authorName', 'mediaKeyTimestamp', 'fileSha256', 'unsigned', 'ticketId', 'passport', 'destination'];

describe('isSecretKey', () => {
	it.each(SECRET_KEY_NAMES)('%s is a secret', (name) => expect(isSecretKey(name)).toBe(true));
	it.each(KEPT_KEY_NAMES)('%s is kept', (name) => expect(isSecretKey(name)).toBe(false));
});

describe('maskUrlSecrets', () => {
	it.each([
		['https://n8n.example.com/webhook/abc?n8nSecret=S1', 'https://n8n.example.com/webhook/abc?n8nSecret=***'],
		['https://n8n.example.com/webhook/abc?token=S1&x=1', 'https://n8n.example.com/webhook/abc?token=***&x=1'],
		['https://a.example/p?a=1&apikey=S&access_token=T#sig=U', 'https://a.example/p?a=1&apikey=***&access_token=***#sig=***'],
		['https://s3.example.com/b/a.jpg?X-Amz-Credential=C&X-Amz-Signature=S&X-Amz-Security-Token=T', 'https://s3.example.com/b/a.jpg?X-Amz-Credential=***&X-Amz-Signature=***&X-Amz-Security-Token=***'],
		['https://maps.example.com/api?key=AIzaSECRET&q=x', 'https://maps.example.com/api?key=***&q=x'],
		['https://user:hunter2@n8n.example.com/webhook/x', 'https://user:***@n8n.example.com/webhook/x'],
		['https://n8n.example.com/webhook/x?API%5FKEY=S', 'https://n8n.example.com/webhook/x?API%5FKEY=***'],
	])('%s → %s', (url, masked) => expect(maskUrlSecrets(url)).toBe(masked));

	it.each([
		'https://mmg.whatsapp.net/v/t62.7118-24/a.enc?ccb=11-4&oh=01_Q5&oe=66&_nc_sid=5e03e0&mms3=true',
		'https://example.com/page?q=token',
		'what? token=123 is my code',
		'/9j/4AAQSkZJRgABAQ==',
		'user@example.com',
		'',
	])('leaves %j alone (the very same string)', (value) => {
		expect(maskUrlSecrets(value)).toBe(value);
	});
});

describe('sanitize', () => {
	it('removes every secret key spelling at any depth, in objects and arrays, and leaves kept keys', () => {
		const secrets = Object.fromEntries(SECRET_KEY_NAMES.map((name) => [name, `SECRET-${name}`]));
		const kept = Object.fromEntries(KEPT_KEY_NAMES.map((name) => [name, `KEEP-${name}`]));
		const clean = sanitize({ data: { nested: [{ ...secrets, ...kept }] } });
		const text = JSON.stringify(clean);
		for (const name of SECRET_KEY_NAMES) expect(text).not.toContain(`SECRET-${name}`);
		expect(clean.data.nested[0]).toEqual(kept);
	});

	it('keeps externalKey, the user\'s CRM key, also inside apiConfig (whose token goes)', () => {
		const clean = sanitize({ ticket: { apiConfig: { externalKey: 'CRM-42', token: 'JWT', authToken: 'A' }, externalKey: 'CRM-42' } });
		expect(clean).toEqual({ ticket: { apiConfig: { externalKey: 'CRM-42' }, externalKey: 'CRM-42' } });
	});

	it('removes Signal key material from a Baileys message and masks secret URLs in any string', () => {
		const body = {
			event: 'messages.upsert',
			data: {
				key: { id: '3EB0', remoteJid: '5511@s.whatsapp.net', fromMe: false },
				message: {
					imageMessage: { url: 'https://mmg.whatsapp.net/x.enc?oh=1', mediaKey: 'MK', fileSha256: 'F', mediaKeyTimestamp: '1' },
					messageContextInfo: { messageSecret: 'MS', deviceListMetadata: { senderKeyHash: 'SK', recipientKeyHash: 'RK', senderTimestamp: '1' } },
				},
				typebot: { url: 'https://typebot.example.com/api?token=TB&session=S2' },
			},
		};
		const clean = sanitize(body);
		expect(clean.data.key).toBe(body.data.key);
		expect(clean.data.message.imageMessage).toEqual({ url: 'https://mmg.whatsapp.net/x.enc?oh=1', fileSha256: 'F', mediaKeyTimestamp: '1' });
		expect(clean.data.message.messageContextInfo).toEqual({ deviceListMetadata: { senderTimestamp: '1' } });
		expect(clean.data.typebot.url).toBe('https://typebot.example.com/api?token=***&session=***');
		expect(body.data.message.imageMessage.mediaKey).toBe('MK');
	});

	it('keeps an own "__proto__" key as data and never touches Object.prototype', () => {
		const body = JSON.parse('{"__proto__":{"apikey":"S","polluted":true},"a":{"token":"T"}}') as Record<string, unknown>;
		const clean = sanitize(body) as Record<string, unknown>;
		expect(Object.getPrototypeOf(clean)).toBe(Object.prototype);
		expect(Object.prototype.hasOwnProperty.call(clean, '__proto__')).toBe(true);
		expect(JSON.stringify(clean)).toBe('{"__proto__":{"polluted":true},"a":{}}');
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
	});

	it('shares untouched subtrees and returns the same body when there is nothing to strip', () => {
		const body = { data: { key: { id: '1' }, message: { conversation: 'hi? code=1' } }, sender: '5511@s.whatsapp.net' };
		expect(sanitize(body)).toBe(body);
	});
});
