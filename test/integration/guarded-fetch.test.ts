/**
 * The guarded media fetch over real sockets on 127.0.0.1, through n8n-core's real request helper:
 * what it downloads, what it refuses, and that a refusal is a sentence, never an exception.
 */
import { httpRequest } from 'n8n-core/dist/execution-engine/node-execution-context/utils/request-helper-functions';

import { fetchMedia, n8nMediaTransport, type MediaTransport } from '../../nodes/lib/n8n/guarded-fetch';
import { mediaLimits } from '../../nodes/lib/media/policy';
import { n8nCoreTransport, resolvingTransport, startMediaServer, type MediaServer } from '../support/media-server';

let server: MediaServer;
const transport = n8nCoreTransport();
/** The local server stands in for a public CDN (cdn.example.com) and for a name resolving to loopback. */
const limits = (options: Parameters<typeof mediaLimits>[0] = {}) => mediaLimits({ allowedHosts: ['127.0.0.1'], ...options });

beforeAll(async () => {
	server = await startMediaServer();
});
afterAll(async () => {
	await server.close();
});

describe('fetchMedia', () => {
	it('downloads an allow-listed host: bytes, mimetype and the file name from the URL', async () => {
		const result = await fetchMedia(transport, `${server.url}/file/photo.jpg?size=1234&type=image/jpeg;%20q=1`, limits());
		expect(result).toMatchObject({ ok: true, mimetype: 'image/jpeg', fileName: 'photo.jpg' });
		if (result.ok) expect(result.buffer.length).toBe(1234);
	});

	it('downloads from a public host (simulated) and follows its redirect to another public host', async () => {
		const cdn = resolvingTransport(transport, server, { 'cdn.example.com': { reportAs: '93.184.215.14' }, 'media.example.net': { reportAs: '2606:4700::6810:84e5' } });
		const result = await fetchMedia(cdn, `http://cdn.example.com/redirect?to=${encodeURIComponent('http://media.example.net/file/a.ogg?size=10&type=audio/ogg')}`, mediaLimits());
		expect(result).toMatchObject({ ok: true, mimetype: 'audio/ogg', fileName: 'a.ogg' });
	});

	it('refuses loopback without the allow-list and never sends the request', async () => {
		const before = server.requests.length;
		const result = await fetchMedia(transport, `${server.url}/admin`, mediaLimits());
		expect(result).toEqual({ ok: false, reason: expect.stringMatching(/127\.0\.0\.1 is a loopback address.*Media Download Allowed Hosts/) });
		expect(server.requests.length).toBe(before);
	});

	it('refuses a name that resolved to loopback, before reading its answer', async () => {
		const rebinding = resolvingTransport(transport, server, { 'images.example.org': {} });
		const result = await fetchMedia(rebinding, 'http://images.example.org/admin', mediaLimits());
		expect(result).toEqual({ ok: false, reason: expect.stringMatching(/"images.example.org" resolved to 127\.0\.0\.1, a loopback address/) });
	});

	it('refuses a redirect from a public host to loopback without requesting it', async () => {
		const cdn = resolvingTransport(transport, server, { 'cdn.example.com': { reportAs: '93.184.215.14' } });
		const before = server.requests.filter((path) => path === '/admin').length;
		const result = await fetchMedia(cdn, `http://cdn.example.com/redirect?to=${encodeURIComponent(`${server.url}/admin`)}`, mediaLimits());
		expect(result).toMatchObject({ ok: false, reason: expect.stringMatching(/loopback/) });
		expect(server.requests.filter((path) => path === '/admin').length).toBe(before);
	});

	it('refuses a body above the cap from Content-Length, and while streaming without it', async () => {
		const small = limits({ maxSizeMb: 1 });
		const declared = await fetchMedia(transport, `${server.url}/file/a.bin?size=${2 * 1024 * 1024}`, small);
		expect(declared).toMatchObject({ ok: false, reason: expect.stringMatching(/is 2 MB, more than 1 MB.*Media Max Size \(MB\)/) });
		const chunked = await fetchMedia(transport, `${server.url}/file/a.bin?size=${2 * 1024 * 1024}&chunked`, small);
		expect(chunked).toMatchObject({ ok: false, reason: expect.stringMatching(/larger than 1 MB/) });
		const endless = await fetchMedia(transport, `${server.url}/endless`, small);
		expect(endless).toMatchObject({ ok: false, reason: expect.stringMatching(/larger than 1 MB/) });
	});

	it('gives up on a server that never answers, or stops sending, at the timeout', async () => {
		const quick = limits({ timeoutSeconds: 0.3 });
		expect(await fetchMedia(transport, `${server.url}/hang`, quick)).toMatchObject({ ok: false, reason: expect.stringMatching(/within 0.3 s.*Media Download Timeout \(s\)/) });
		expect(await fetchMedia(transport, `${server.url}/slow-body?size=100`, quick)).toMatchObject({ ok: false, reason: expect.stringMatching(/within 0.3 s/) });
	});

	it('answers a sentence for statuses, truncated bodies, compressed answers and closed ports', async () => {
		expect(await fetchMedia(transport, `${server.url}/status/404`, limits())).toMatchObject({ ok: false, reason: expect.stringMatching(/answered 404/) });
		expect(await fetchMedia(transport, `${server.url}/lying-length?claim=1000&size=10`, limits())).toMatchObject({ ok: false });
		// A compressed answer arrives through a zlib stream that hides the socket: unverifiable, refused…
		const named = resolvingTransport(transport, server, { 'gz.example.org': {} });
		expect(await fetchMedia(named, 'http://gz.example.org/gzip', mediaLimits())).toMatchObject({ ok: false, reason: expect.stringMatching(/could not be verified/) });
		// …unless the host is allow-listed (then it is inflated, and the cap counts inflated bytes).
		const inflated = await fetchMedia(transport, `${server.url}/gzip`, limits());
		expect(inflated.ok && inflated.buffer.toString()).toBe('compressed');
		const closed = await startMediaServer();
		await closed.close();
		expect(await fetchMedia(transport, `${closed.url}/file/a.jpg?size=1`, limits())).toMatchObject({ ok: false, reason: expect.stringMatching(/could not be downloaded: .*ECONNREFUSED/) });
	});
});

describe("fetchMedia with n8n's egress filter (helpers.getSecureEgressFilter, n8n 2.40.7)", () => {
	/** Answers like n8n 2.40.7's filter: a result for a blocked address, a rejection when the name does not resolve. */
	const checked: string[] = [];
	const helpers = {
		httpRequest,
		getSecureEgressFilter: (policy: 'enforced') => {
			expect(policy).toBe('enforced');
			return {
				validateUrl: async (url: string) => {
					checked.push(url);
					const host = new URL(url).hostname;
					if (host === 'unknown.example.com') throw new Error('getaddrinfo ENOTFOUND unknown.example.com');
					return host === 'inside.example.com' ? { ok: false, error: new Error('The request was blocked because it resolves to a restricted IP address') } : { ok: true };
				},
			};
		},
	};
	const withFilter = n8nMediaTransport(helpers);

	it('refuses what the filter refuses, before any request, with a sentence naming the allow-list', async () => {
		const named = resolvingTransport(withFilter, server, { 'inside.example.com': { reportAs: '93.184.215.14' }, 'unknown.example.com': { reportAs: '93.184.215.14' } });
		const before = server.requests.length;
		expect(await fetchMedia(named, 'http://inside.example.com/admin', mediaLimits())).toEqual({ ok: false, reason: expect.stringMatching(/restricted IP address \(n8n's outbound network check\).*Media Download Allowed Hosts/) });
		expect(await fetchMedia(named, 'http://unknown.example.com/a.jpg', mediaLimits())).toEqual({ ok: false, reason: expect.stringMatching(/ENOTFOUND/) });
		expect(server.requests.length).toBe(before);
	});

	it('checks every redirect hop, and skips allow-listed hosts', async () => {
		const named = resolvingTransport(withFilter, server, { 'cdn.example.com': { reportAs: '93.184.215.14' }, 'inside.example.com': { reportAs: '93.184.215.14' } });
		checked.length = 0;
		const result = await fetchMedia(named, `http://cdn.example.com/redirect?to=${encodeURIComponent('http://inside.example.com/admin')}`, mediaLimits());
		expect(result).toMatchObject({ ok: false, reason: expect.stringMatching(/restricted IP address/) });
		expect(checked).toEqual([`http://cdn.example.com/redirect?to=${encodeURIComponent('http://inside.example.com/admin')}`, 'http://inside.example.com/admin']);
		checked.length = 0;
		expect(await fetchMedia(withFilter, `${server.url}/file/a.png?size=3`, limits())).toMatchObject({ ok: true });
		expect(checked).toEqual([]);
	});

	it('accepts a body without its socket (n8n 2.40.7 gives a plain Readable) only after the filter passed the name', async () => {
		const socketless = (transport: MediaTransport): MediaTransport => ({
			...transport,
			get: async (url, signal) => ({ ...(await transport.get(url, signal)), remoteAddress: null }),
		});
		const table = { 'cdn.example.com': {} };
		const filtered = resolvingTransport(socketless(withFilter), server, table);
		expect(await fetchMedia(filtered, 'http://cdn.example.com/file/a.png?size=3&type=image/png', mediaLimits())).toMatchObject({ ok: true, mimetype: 'image/png' });
		const unfiltered = resolvingTransport(socketless(n8nMediaTransport({ httpRequest })), server, table);
		expect(await fetchMedia(unfiltered, 'http://cdn.example.com/file/a.png?size=3', mediaLimits())).toMatchObject({ ok: false, reason: expect.stringMatching(/could not be verified/) });
	});
});
