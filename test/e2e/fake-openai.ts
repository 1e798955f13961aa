/**
 * An OpenAI-compatible chat-completions server on 127.0.0.1 for the AI Agent smoke test: the first
 * call (no tool result yet) answers with a call of the first tool offered, filling every parameter of
 * its schema from `argumentsFor`; the next call answers with a final text. Records every request so a
 * test can read the tool schema the agent sent. JSON and server-sent-event answers, like the real API.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

type Json = Record<string, any>;

export class FakeOpenAi {
	readonly requests: Json[] = [];
	private server: http.Server | null = null;
	private origin = '';

	constructor(private readonly argumentsFor: (properties: Record<string, Json>) => Json) {}

	/** The Base URL for n8n's OpenAI credential. */
	get baseUrl(): string {
		return `${this.origin}/v1`;
	}

	async start(): Promise<void> {
		this.server = http.createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (chunk: Buffer) => chunks.push(chunk));
			req.on('end', () => this.answer(req, res, Buffer.concat(chunks).toString('utf8')));
		});
		await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', () => resolve()));
		this.origin = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
	}

	async stop(): Promise<void> {
		const server = this.server;
		this.server = null;
		if (server) await new Promise<void>((resolve) => {
			server.close(() => resolve());
			server.closeAllConnections();
		});
	}

	private answer(req: http.IncomingMessage, res: http.ServerResponse, raw: string): void {
		if (req.method === 'GET' && req.url?.startsWith('/v1/models')) {
			res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ object: 'list', data: [{ id: 'gpt-4o-mini', object: 'model' }] }));
			return;
		}
		if (req.method !== 'POST' || !req.url?.startsWith('/v1/chat/completions')) {
			res.writeHead(404, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error: { message: `no route ${req.method} ${req.url}` } }));
			return;
		}
		const body = JSON.parse(raw) as Json;
		this.requests.push(body);
		const messages = (body.messages ?? []) as Json[];
		const tool = (body.tools ?? [])[0]?.function as Json | undefined;
		const toolDone = messages.some((message) => message.role === 'tool');
		const message: Json =
			tool && !toolDone
				? { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: tool.name, arguments: JSON.stringify(this.argumentsFor(tool.parameters?.properties ?? {})) } }] }
				: { role: 'assistant', content: 'Mensagem enviada para a Maria.' };
		const finish = message.tool_calls ? 'tool_calls' : 'stop';
		const base = { id: `chatcmpl-${this.requests.length}`, created: Math.floor(Date.now() / 1000), model: body.model ?? 'gpt-4o-mini' };
		if (body.stream) {
			res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
			const delta = message.tool_calls ? { role: 'assistant', tool_calls: message.tool_calls.map((call: Json, index: number) => ({ index, ...call })) } : { role: 'assistant', content: message.content };
			res.write(`data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: null }] })}\n\n`);
			res.write(`data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta: {}, finish_reason: finish }], usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 } })}\n\n`);
			res.end('data: [DONE]\n\n');
			return;
		}
		res.writeHead(200, { 'Content-Type': 'application/json' }).end(
			JSON.stringify({ ...base, object: 'chat.completion', choices: [{ index: 0, message, finish_reason: finish }], usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 } }),
		);
	}
}
