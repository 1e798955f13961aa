/**
 * A hostile (or merely slow) media server on 127.0.0.1 for the guarded fetch: real sockets, bodies
 * generated while streaming so a 200 MB answer costs the server no memory.
 *
 *   GET /file/<name>?size=N[&type=image/jpeg][&chunked]  N bytes (Content-Length unless chunked)
 *   GET /redirect?to=<url>[&status=302]                    a redirect to any URL
 *   GET /loop                                              302 to itself, forever
 *   GET /hang                                              headers never sent
 *   GET /slow-body?size=N                                  headers, then one byte, then nothing
 *   GET /endless                                           chunked body that never ends
 *   GET /lying-length?claim=N&size=M                       says Content-Length N, sends M bytes and closes
 *   GET /status/<code>                                     that status, empty body
 *   GET /gzip                                              Content-Encoding: gzip regardless of Accept-Encoding
 *   GET /admin                                             a loopback "admin" JSON (what an SSRF would steal)
 * Every request is counted in `requests` (path and query), so a test can assert one never arrived.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { gzipSync } from 'node:zlib';

import { httpRequest } from 'n8n-core/dist/execution-engine/node-execution-context/utils/request-helper-functions';

import { n8nMediaTransport, type MediaTransport } from '../../nodes/lib/n8n/guarded-fetch';

const CHUNK = Buffer.alloc(64 * 1024, 0x61);

export interface MediaServer {
	url: string;
	port: number;
	requests: string[];
	close(): Promise<void>;
}

export async function startMediaServer(host = '127.0.0.1'): Promise<MediaServer> {
	const requests: string[] = [];
	const sockets = new Set<Socket>();
	const server: Server = createServer((request, response) => {
		requests.push(request.url ?? '');
		route(request, response);
	});
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise<void>((resolve) => server.listen(0, host, resolve));
	const port = (server.address() as AddressInfo).port;
	return {
		url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
		port,
		requests,
		close: () =>
			new Promise<void>((resolve) => {
				for (const socket of sockets) socket.destroy();
				server.close(() => resolve());
			}),
	};
}

function route(request: IncomingMessage, response: ServerResponse): void {
	const url = new URL(request.url ?? '/', 'http://media.test');
	const size = Number(url.searchParams.get('size') ?? '0');
	if (url.pathname.startsWith('/file/')) {
		const headers: Record<string, string | number> = { 'content-type': url.searchParams.get('type') ?? 'application/octet-stream' };
		if (!url.searchParams.has('chunked')) headers['content-length'] = size;
		response.writeHead(200, headers);
		streamBytes(response, size, true);
	} else if (url.pathname === '/redirect') {
		response.writeHead(Number(url.searchParams.get('status') ?? '302'), { location: url.searchParams.get('to') ?? '/' });
		response.end();
	} else if (url.pathname === '/loop') {
		response.writeHead(302, { location: '/loop' });
		response.end();
	} else if (url.pathname === '/hang') {
		// Nothing: the socket stays open until the client gives up or the server closes.
	} else if (url.pathname === '/slow-body') {
		response.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': size });
		response.write('x');
	} else if (url.pathname === '/endless') {
		response.writeHead(200, { 'content-type': 'video/mp4' });
		streamBytes(response, Infinity, true);
	} else if (url.pathname === '/lying-length') {
		response.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': Number(url.searchParams.get('claim')) });
		response.write(Buffer.alloc(size, 0x62), () => response.destroy());
	} else if (url.pathname.startsWith('/status/')) {
		response.writeHead(Number(url.pathname.slice('/status/'.length)));
		response.end();
	} else if (url.pathname === '/gzip') {
		const body = gzipSync(Buffer.from('compressed'));
		response.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'gzip', 'content-length': body.length });
		response.end(body);
	} else if (url.pathname === '/admin') {
		response.writeHead(200, { 'content-type': 'application/json' });
		response.end(JSON.stringify({ adminToken: 'LOOPBACK-ADMIN-SECRET' }));
	} else {
		response.writeHead(404);
		response.end();
	}
}

/** Writes `total` bytes in 64 KB chunks, honouring back-pressure; stops when the client goes away. */
function streamBytes(response: ServerResponse, total: number, end: boolean): void {
	let left = total;
	const pump = () => {
		while (left > 0 && !response.destroyed) {
			const chunk = left >= CHUNK.length ? CHUNK : CHUNK.subarray(0, left);
			left -= chunk.length;
			if (!response.write(chunk)) {
				response.once('drain', pump);
				return;
			}
		}
		if (left <= 0 && end) response.end();
	};
	response.on('close', () => {
		left = 0;
	});
	pump();
}

/**
 * The "DNS" of the tests: a transport wrapper that sends requests for the named hosts to the local
 * media server (keeping path and query) and reports the peer address the table says, as if the name
 * had resolved to it. `reportAs: undefined` reports the real peer (127.0.0.1): a name resolving to
 * loopback. A public-looking address in `reportAs` simulates a public host without outside traffic.
 */
export function resolvingTransport(base: MediaTransport, local: MediaServer, table: Record<string, { reportAs?: string }>): MediaTransport {
	return {
		...base,
		get: async (url, signal) => {
			const parsed = new URL(url);
			const entry = table[parsed.hostname];
			if (!entry) {
				if (!['127.0.0.1', '[::1]'].includes(parsed.hostname)) throw new Error(`test transport: ${parsed.hostname} is not in the table (no outside traffic in tests)`);
				return base.get(url, signal);
			}
			const target = `${local.url}${parsed.pathname}${parsed.search}`;
			const response = await base.get(target, signal);
			return entry.reportAs === undefined ? response : { ...response, remoteAddress: entry.reportAs };
		},
	};
}

/** The production transport over n8n-core's real `helpers.httpRequest` (what a WebhookContext hands the node). */
export function n8nCoreTransport(): MediaTransport {
	return n8nMediaTransport({ httpRequest });
}
