/**
 * A real HTTP server on 127.0.0.1 that answers the helpdesks' send routes like Izing, Whazing or
 * Whaticket SaaS, records what it received (JSON or multipart, parsed), and serves `/public/<file>`
 * for media downloads. Facts: Izing `apiExternalRoutes` / `isAPIAuth` / Yup schema (open source),
 * Whazing's published API docs (`integracoes/api`), Whaticket SaaS `MessageController.send` + `tokenAuth`.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export type HelpdeskProductName = 'whazing' | 'izing' | 'whaticket';

export interface ReceivedFile {
	field: string;
	fileName: string;
	mimetype: string;
	size: number;
	data: Buffer;
}

export interface HelpdeskReceived {
	method: string;
	path: string;
	headers: Record<string, string | string[] | undefined>;
	/** JSON body, or the multipart text fields. */
	body: Record<string, unknown> | null;
	files: ReceivedFile[];
	status: number;
	answer: unknown;
}

export interface HelpdeskDoubleOptions {
	product: HelpdeskProductName;
	token: string;
	/** Whazing / Izing: the ApiConfig id in the route. */
	apiId?: string;
	/** Digits whose send fails as "not on WhatsApp". */
	notOnWhatsApp?: string[];
	/** The channel's WhatsApp session is down. */
	disconnected?: boolean;
	/** Files under /public/. */
	publicFiles?: Record<string, { mimetype: string; data: Buffer }>;
}

/** Tiny multipart/form-data reader: enough for what our client (and curl) send. */
export function parseMultipart(contentType: string, raw: Buffer): { fields: Record<string, string>; files: ReceivedFile[] } | null {
	const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
	if (!boundary) return null;
	const marker = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
	const fields: Record<string, string> = {};
	const files: ReceivedFile[] = [];
	let start = raw.indexOf(marker);
	while (start !== -1) {
		const next = raw.indexOf(marker, start + marker.length);
		if (next === -1) break;
		const part = raw.subarray(start + marker.length + 2, next - 2);
		const split = part.indexOf('\r\n\r\n');
		if (split !== -1) {
			const head = part.subarray(0, split).toString('utf8');
			const content = part.subarray(split + 4);
			const name = /name="([^"]*)"/.exec(head)?.[1] ?? '';
			const fileName = /filename="([^"]*)"/.exec(head)?.[1];
			if (fileName !== undefined) {
				const mimetype = /content-type:\s*([^\r\n]+)/i.exec(head)?.[1] ?? 'application/octet-stream';
				files.push({ field: name, fileName, mimetype, size: content.length, data: Buffer.from(content) });
			} else fields[name] = content.toString('utf8');
		}
		start = next;
	}
	return { fields, files };
}

const IZING_MAX_FILE = 5 * 1024 * 1024;

export class HelpdeskDouble {
	readonly received: HelpdeskReceived[] = [];
	private server: http.Server | null = null;
	private origin: string | null = null;

	constructor(readonly options: HelpdeskDoubleOptions) {}

	get baseUrl(): string {
		if (!this.origin) throw new Error('Helpdesk double: not started');
		return this.origin;
	}

	async start(): Promise<string> {
		const server = http.createServer((req, res) => {
			void this.handle(req, res);
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
		this.server = server;
		this.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
		return this.origin;
	}

	async stop(): Promise<void> {
		const server = this.server;
		this.server = null;
		if (!server) return;
		await new Promise<void>((resolve) => {
			server.close(() => resolve());
			server.closeAllConnections();
		});
	}

	private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		const raw = Buffer.concat(chunks);
		const path = req.url ?? '/';
		const method = req.method ?? 'GET';
		if (method === 'GET' && path.startsWith('/public/')) {
			const file = this.options.publicFiles?.[decodeURIComponent(path.slice('/public/'.length))];
			if (!file) {
				res.writeHead(404, { 'Content-Type': 'text/html' }).end('Cannot GET');
				return;
			}
			res.writeHead(200, { 'Content-Type': file.mimetype, 'Content-Length': file.data.length }).end(file.data);
			return;
		}
		const contentType = req.headers['content-type'] ?? '';
		let body: Record<string, unknown> | null = null;
		let files: ReceivedFile[] = [];
		if (/multipart\/form-data/i.test(contentType)) {
			const parsed = parseMultipart(contentType, raw);
			body = parsed?.fields ?? null;
			files = parsed?.files ?? [];
		} else if (/json/i.test(contentType) && raw.length > 0) {
			try {
				body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
			} catch {
				body = null;
			}
		}
		const [status, answer] = this.answer(method, path, req.headers.authorization, body, files);
		this.received.push({ method, path, headers: { ...req.headers }, body, files, status, answer });
		const text = JSON.stringify(answer);
		res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) }).end(text);
	}

	private answer(method: string, path: string, authorization: string | undefined, body: Record<string, unknown> | null, files: ReceivedFile[]): [number, unknown] {
		const { product } = this.options;
		const route = product === 'whaticket' ? '/api/messages/send' : `/v1/api/external/${this.options.apiId ?? ''}`;
		if (method !== 'POST' || path.split('?')[0] !== route) return [404, { error: `Cannot ${method} ${path}` }];
		const bearer = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
		if (product === 'whaticket') {
			if (bearer !== this.options.token) return [401, { error: 'Acesso não permitido' }];
		} else if (product === 'izing') {
			if (!bearer) return [403, { error: 'Token was not provided.' }];
			if (bearer !== this.options.token) return [403, { error: 'Invalid token.' }];
		} else if (bearer !== this.options.token) return [401, { error: 'ERR_INVALID_TOKEN' }];

		const data = body ?? {};
		const number = typeof data.number === 'string' ? data.number : undefined;
		if (product === 'whaticket') {
			if (!number) return [400, { error: 'O número é obrigatório' }];
			if (!/^\d+$/.test(number)) return [400, { error: 'Invalid number format. Only numbers is allowed.' }];
			if (this.options.disconnected) return [400, { error: 'ERR_WAPP_NOT_INITIALIZED' }];
			if (this.options.notOnWhatsApp?.includes(number)) return [400, { error: 'ERR_CHECK_NUMBER' }];
			if (files.some((file) => file.field !== 'medias')) return [500, { error: 'Unexpected field' }];
			return [200, { mensagem: 'Mensagem enviada' }];
		}
		// Izing's Yup schema: body, number, externalKey required; Whazing: externalKey optional (2.9.4.5+), ticketId may replace number.
		if (typeof data.body !== 'string') return [400, { error: 'body is a required field' }];
		if (!number && !(product === 'whazing' && data.ticketId !== undefined)) return [400, { error: 'number is a required field' }];
		if (product === 'izing' && typeof data.externalKey !== 'string') return [400, { error: 'externalKey is a required field' }];
		if (files.length > 1 || files.some((file) => file.field !== 'media')) return [500, { error: 'Unexpected field' }];
		if (product === 'izing' && files.some((file) => file.size > IZING_MAX_FILE)) return [500, { error: 'File too large' }];
		if (product === 'whazing' && number && this.options.notOnWhatsApp?.includes(number)) return [404, { error: 'Número não é um WhatsApp válido' }];
		return [200, { message: 'Message add queue' }];
	}
}
