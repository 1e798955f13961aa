/** What express and Evolution's error middleware do around the routes: body parsing, answers, faults. */
import * as http from 'node:http';

import { errorBody } from './answers';
import type { Answer, Fault } from './types';

export function headerValue(value: string | string[] | undefined): string | undefined {
	return Array.isArray(value) ? value.join(', ') : value;
}

export function normalisePrefix(prefix: string | undefined): string {
	if (!prefix) return '';
	const withSlash = prefix.startsWith('/') ? prefix : `/${prefix}`;
	return withSlash.replace(/\/+$/, '');
}

/** The path under the mount prefix, or null when the request is outside it. */
export function stripPrefix(prefix: string, url: string): string | null {
	if (!prefix) return url;
	if (url === prefix) return '/';
	if (url.startsWith(`${prefix}/`)) return url.slice(prefix.length);
	if (url.startsWith(`${prefix}?`)) return `/${url.slice(prefix.length)}`;
	return null;
}

/** express.json(): only JSON content types are parsed, an empty body is {}, top level must be an object or array. */
export function parseBodyLikeExpress(
	contentType: string | undefined,
	raw: string,
): { body: unknown } | { parseError: string } {
	const isJson = /^\s*application\/json\s*(?:;|$)/i.test(contentType ?? '');
	if (!isJson || raw.length === 0) return { body: {} };
	const first = raw.trimStart()[0];
	if (first !== '{' && first !== '[') {
		return { parseError: `Unexpected token ${first ?? ''} in JSON at position ${raw.length - raw.trimStart().length}` };
	}
	try {
		return { body: JSON.parse(raw) };
	} catch (error) {
		return { parseError: (error as Error).message };
	}
}

export function sendAnswer(req: http.IncomingMessage, res: http.ServerResponse, answer: Answer): void {
	const text = JSON.stringify(answer.body) ?? '';
	res.writeHead(answer.status, {
		'Content-Type': 'application/json; charset=utf-8',
		'Content-Length': Buffer.byteLength(text),
		'X-Powered-By': 'Express',
		'Access-Control-Allow-Origin': '*',
	});
	res.end(req.method === 'HEAD' ? undefined : text);
}

export function applyFault(fault: Fault, req: http.IncomingMessage, res: http.ServerResponse): void {
	if (fault === 'timeout') return; // never answered; stop() closes the socket
	if (fault === 'reset') {
		req.socket.destroy();
		return;
	}
	if (typeof fault.body === 'string') {
		res.writeHead(fault.status, { 'Content-Type': 'text/plain; charset=utf-8' });
		res.end(req.method === 'HEAD' ? undefined : fault.body);
		return;
	}
	const statusText = http.STATUS_CODES[fault.status] ?? 'Error';
	const body = fault.body === undefined ? errorBody(fault.status, statusText, statusText).body : fault.body;
	sendAnswer(req, res, { status: fault.status, body });
}
