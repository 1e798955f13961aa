/** The server's error bodies ({ status, error, response: { message } }) and connection failures → kind + one human sentence. */
import { explainFailure, serverMessages } from '../../../nodes/lib/evolution/errors';

const BASE = 'http://127.0.0.1:8080';
const SET_URL = `${BASE}/webhook/set/inst1`;

describe("explainFailure: the server's error bodies", () => {
	it('404 with the message array names the missing instance', () => {
		const explained = explainFailure({
			method: 'POST',
			url: SET_URL,
			instance: 'inst1',
			status: 404,
			body: { status: 404, error: 'Not Found', response: { message: ['The "inst1" instance does not exist'] } },
		});
		expect(explained.kind).toBe('instance-not-found');
		expect(explained.message).toContain('"inst1"');
		expect(explained.message).toMatch(/does not exist/);
	});

	it('401 with a string message is an unauthorized key, naming the instance', () => {
		const explained = explainFailure({
			method: 'GET',
			url: `${BASE}/webhook/find/inst1`,
			instance: 'inst1',
			status: 401,
			body: { status: 401, error: 'Unauthorized', response: { message: 'Unauthorized' } },
		});
		expect(explained.kind).toBe('unauthorized');
		expect(explained.message).toMatch(/API key/);
		expect(explained.message).toContain('"inst1"');
	});

	it('403 "Missing global api key" says the global key is needed', () => {
		const explained = explainFailure({
			method: 'POST',
			url: `${BASE}/instance/create`,
			status: 403,
			body: { status: 403, error: 'Forbidden', response: { message: ['Missing global api key'] } },
		});
		expect(explained.kind).toBe('unauthorized');
		expect(explained.message).toMatch(/global API key/);
	});

	it('400 nested array: the wrong body format for the version (issue #1657)', () => {
		const explained = explainFailure({
			method: 'POST',
			url: SET_URL,
			instance: 'inst1',
			status: 400,
			body: { status: 400, error: 'Bad Request', response: { message: [['instance requires property "webhook"']] } },
		});
		expect(explained.kind).toBe('validation');
		expect(explained.message).toMatch(/format/);
		expect(explained.description).toContain('instance requires property "webhook"');
	});

	it('400 nested array: a missing field is named', () => {
		const explained = explainFailure({
			method: 'POST',
			url: SET_URL,
			instance: 'inst1',
			status: 400,
			body: { status: 400, error: 'Bad Request', response: { message: [['webhook requires property "url"']] } },
		});
		expect(explained.kind).toBe('validation');
		expect(explained.message).toContain('"url"');
	});

	it('400 nested array: a rejected enum value names the field', () => {
		const explained = explainFailure({
			method: 'POST',
			url: SET_URL,
			instance: 'inst1',
			status: 400,
			body: {
				status: 400,
				error: 'Bad Request',
				response: { message: [['webhook.events[0] is not one of enum values: APPLICATION_STARTUP,QRCODE_UPDATED,STATUS_INSTANCE']] },
			},
		});
		expect(explained.kind).toBe('validation');
		expect(explained.message).toContain('webhook.events[0]');
	});

	it.each([
		['webhook.enabled is not of a type(s) boolean', 'webhook.enabled'],
		['The "url" cannot be empty', '"url"'],
	])('400 validation message of 2.1+ %p names the field', (text, field) => {
		const explained = explainFailure({
			method: 'POST',
			url: SET_URL,
			instance: 'inst1',
			status: 400,
			body: { status: 400, error: 'Bad Request', response: { message: [[text]] } },
		});
		expect(explained.kind).toBe('validation');
		expect(explained.message).toContain(field);
	});

	it('400 Invalid "url" property names the url field', () => {
		const explained = explainFailure({
			method: 'POST',
			url: SET_URL,
			instance: 'inst1',
			status: 400,
			body: { status: 400, error: 'Bad Request', response: { message: ['Invalid "url" property'] } },
		});
		expect(explained.kind).toBe('validation');
		expect(explained.message).toContain('"url"');
	});

	it('500 TypeError carries the server text', () => {
		const text = "Cannot read properties of undefined (reading 'length')";
		const explained = explainFailure({
			method: 'POST',
			url: SET_URL,
			instance: 'inst1',
			status: 500,
			body: { status: 500, error: 'Internal Server Error', response: { message: text } },
		});
		expect(explained.kind).toBe('server-error');
		expect(explained.message).toContain(text);
		expect(explained.message).toContain('500');
	});

	it('500 on an instance that exists but is not loaded (2.1+) tells to reconnect it', () => {
		const explained = explainFailure({
			method: 'GET',
			url: `${BASE}/webhook/find/inst1`,
			instance: 'inst1',
			status: 500,
			body: { status: 500, error: 'Internal Server Error', response: { message: "Cannot read properties of undefined (reading 'instanceId')" } },
		});
		expect(explained.kind).toBe('server-error');
		expect(explained.description).toMatch(/not loaded/);
		expect(explained.description).toContain('"inst1"');
	});

	it('unknown route is a missing route, not a missing instance, and names the route', () => {
		const explained = explainFailure({
			method: 'POST',
			url: `${BASE}/webhook/sett/x`,
			instance: 'x',
			status: 404,
			body: { status: 404, error: 'Not Found', response: { message: ['Cannot POST /webhook/sett/x'] } },
		});
		expect(explained.kind).toBe('not-found');
		expect(explained.message).toContain(`${BASE}/webhook/sett/x`);
		expect(explained.message).toContain('Cannot POST /webhook/sett/x');
	});

	it('an HTML 404 from a proxy (no Evolution body) on a non-instance route is a missing route', () => {
		const explained = explainFailure({ method: 'GET', url: `${BASE}/`, status: 404, body: '<html>nginx</html>' });
		expect(explained.kind).toBe('not-found');
	});

	it('an unexpected status names status and URL', () => {
		const explained = explainFailure({ method: 'GET', url: `${BASE}/`, status: 302, body: '' });
		expect(explained.kind).toBe('unexpected');
		expect(explained.message).toContain('302');
		expect(explained.message).toContain(`${BASE}/`);
	});
});

describe('explainFailure: no answer', () => {
	it.each([
		['ECONNREFUSED', /nothing is listening/],
		['ENOTFOUND', /does not resolve/],
		['ETIMEDOUT', /did not answer in time/],
		['ECONNRESET', /closed/],
	])('%s is unreachable and names the URL', (code, why) => {
		const explained = explainFailure({ method: 'GET', url: `${BASE}/`, networkCode: code });
		expect(explained.kind).toBe('unreachable');
		expect(explained.message).toContain(`${BASE}/`);
		expect(explained.message).toContain(code);
		expect(explained.message).toMatch(why);
		expect(explained.description).toMatch(/Base URL/);
	});

	it('an unknown failure without a code still names the URL and the error text', () => {
		const explained = explainFailure({ method: 'GET', url: `${BASE}/`, networkMessage: 'socket hang up' });
		expect(explained.kind).toBe('unreachable');
		expect(explained.message).toContain(`${BASE}/`);
		expect(explained.message).toContain('socket hang up');
	});
});

describe('serverMessages', () => {
	it('flattens string, array and nested-array messages in order', () => {
		expect(serverMessages({ response: { message: 'Unauthorized' } })).toEqual(['Unauthorized']);
		expect(serverMessages({ response: { message: ['a', 'b'] } })).toEqual(['a', 'b']);
		expect(serverMessages({ response: { message: [['a'], ['b', 'c']] } })).toEqual(['a', 'b', 'c']);
	});

	it('falls back to a top-level message, then error', () => {
		expect(serverMessages({ message: 'top' })).toEqual(['top']);
		expect(serverMessages({ error: 'Bad Gateway' })).toEqual(['Bad Gateway']);
		expect(serverMessages(null)).toEqual([]);
	});

	it('caps each message so a huge body cannot flood the error', () => {
		const [text] = serverMessages({ response: { message: 'x'.repeat(10_000) } });
		expect(text.length).toBeLessThanOrEqual(500);
	});
});
