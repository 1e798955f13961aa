/**
 * Turns what an Evolution server answered (or a failed connection) into one human sentence plus a hint.
 * Pure: the client wraps the result in a NodeApiError. Error bodies are `{ status, error, response:
 * { message } }` where message is a string, an array or a nested array (every version from 1.5 to 2.3).
 */
export interface FailedCall {
	method: string;
	/** Full URL tried. */
	url: string;
	/** Instance the call was about, if any. */
	instance?: string;
	/** HTTP status, absent when no answer arrived. */
	status?: number;
	body?: unknown;
	/** Node's error code for a call that got no answer (ECONNREFUSED, ETIMEDOUT…). */
	networkCode?: string;
	networkMessage?: string;
}

export interface ExplainedError {
	kind:
		| 'instance-not-found'
		| 'unauthorized'
		| 'validation'
		| 'server-error'
		| 'unreachable'
		| 'not-found'
		| 'not-connected'
		| 'not-on-whatsapp'
		| 'unexpected';
	message: string;
	description: string;
}

/** Every string inside `response.message` (or a top-level `message`), flattened in order. */
export function serverMessages(body: unknown): string[] {
	const found: string[] = [];
	const collect = (value: unknown, depth: number): void => {
		if (depth > 4) return;
		if (typeof value === 'string') found.push(value);
		else if (Array.isArray(value)) for (const item of value) collect(item, depth + 1);
	};
	if (typeof body === 'string') collect(body, 0);
	else if (typeof body === 'object' && body !== null) {
		const record = body as Record<string, unknown>;
		const response = record.response as Record<string, unknown> | undefined;
		collect(response && typeof response === 'object' ? response.message : undefined, 0);
		if (found.length === 0) collect(record.message, 0);
		if (found.length === 0) collect(record.error, 0);
	}
	return found.map((text) => text.slice(0, 500));
}

const NETWORK_HINTS: Record<string, string> = {
	ECONNREFUSED: 'nothing is listening there',
	ENOTFOUND: 'the host name does not resolve',
	EAI_AGAIN: 'the host name does not resolve',
	ETIMEDOUT: 'the server did not answer in time',
	ECONNABORTED: 'the server did not answer in time',
	ECONNRESET: 'the connection was closed before an answer',
	EHOSTUNREACH: 'the host cannot be reached',
};

/** Top-level fields whose absence means the body was built for the other major version (v1 nests, v2 is flat). */
const WRAPPER_FIELDS = new Set(['textMessage', 'mediaMessage', 'audioMessage', 'reactionMessage', 'stickerMessage', 'read_messages', 'readMessages', 'text', 'audio', 'sticker', 'options']);

/**
 * What a closed or never-connected instance answers: there is no explicit check on any version, Baileys
 * fails and the text surfaces as 500 "Connection Closed", 400/500 ["Error: Connection Closed"], or a
 * TypeError on the missing socket (1.8.1, run: 'onWhatsApp', 'waUploadToServer', 'readMessages',
 * 'updateMediaMessage').
 */
const NOT_CONNECTED = /Connection Closed|reading '(?:onWhatsApp|waUploadToServer|readMessages|updateMediaMessage|sendPresenceUpdate|sendMessage)'/;

/** The `[{exists:false, jid, number}]` answer of the on-WhatsApp check that every send runs first. */
function notOnWhatsAppOf(body: unknown): { jid?: string; number?: string } | null {
	const message = (body as { response?: { message?: unknown } } | null)?.response?.message;
	if (!Array.isArray(message)) return null;
	const entry = message.find((value): value is Record<string, unknown> => typeof value === 'object' && value !== null && (value as Record<string, unknown>).exists === false);
	if (!entry) return null;
	return { jid: typeof entry.jid === 'string' ? entry.jid : undefined, number: typeof entry.number === 'string' ? entry.number : undefined };
}

/** Explains the field and reason of a JSON-schema message like `webhook.events[0] is not one of enum values: …`. */
function explainValidation(messages: string[]): string {
	const parts = messages.map((text) => {
		const enumMatch = /^(\S+) is not one of enum values/.exec(text);
		if (enumMatch) return `${enumMatch[1]} holds a value this server does not accept`;
		const requires = /^(\S+) requires property "([^"]+)"/.exec(text);
		if (requires) {
			if (requires[2] === 'webhook') return 'the body is in the wrong format for this server version (it expects the nested 2.1+ format)';
			if (requires[1] === 'instance' && WRAPPER_FIELDS.has(requires[2])) {
				return `the body is in the wrong format for this server version (it expects "${requires[2]}"): set "Server Version" to Auto-Detect or to the server's real version`;
			}
			return `${requires[1]} is missing the field "${requires[2]}"`;
		}
		return text;
	});
	return parts.join('; ');
}

export function explainFailure(call: FailedCall): ExplainedError {
	const target = `${call.method} ${call.url}`;
	if (call.status === undefined) {
		const code = call.networkCode ?? 'no answer';
		const why = NETWORK_HINTS[code] ?? call.networkMessage ?? 'no answer came back';
		return {
			kind: 'unreachable',
			message: `Could not reach the Evolution API server at ${call.url} (${code}: ${why})`,
			description:
				'Check the Base URL in the Evolution API credential (include any path prefix, e.g. https://api.example.com/whatsapp) and that the server is running and reachable from the n8n machine.',
		};
	}
	const messages = serverMessages(call.body);
	const serverText = messages.join('; ');
	const instance = call.instance ? `"${call.instance}"` : 'the instance';
	if (call.status === 404) {
		if (messages.some((text) => /instance does not exist/i.test(text)) || (call.instance && messages.length === 0)) {
			return {
				kind: 'instance-not-found',
				message: `The instance ${instance} does not exist on the server`,
				description: 'Use the instance name exactly as the Evolution manager shows it (the name, not its id).',
			};
		}
		return {
			kind: 'not-found',
			message: `The server has no route for ${target}${serverText ? ` (${serverText})` : ''}`,
			description: 'Check that the Base URL points at an Evolution API server, including any path prefix.',
		};
	}
	if (call.status === 401 || call.status === 403) {
		const needsGlobal = /global api key/i.test(serverText) || !call.instance;
		return {
			kind: 'unauthorized',
			message: needsGlobal
				? 'The server refused the API key: this call needs the global API key'
				: `The server refused the API key for instance ${instance}`,
			description: needsGlobal
				? 'Put the global key (AUTHENTICATION_API_KEY of the server) in the Evolution API credential.'
				: `Use the global key (AUTHENTICATION_API_KEY) or the token of instance ${instance} in the Evolution API credential.`,
		};
	}
	const missing = call.status === 400 ? notOnWhatsAppOf(call.body) : null;
	if (missing) {
		const who = missing.number ?? missing.jid ?? 'the recipient';
		const isLid = (missing.jid ?? '').endsWith('@lid');
		return {
			kind: 'not-on-whatsapp',
			message: isLid
				? `The server cannot address ${who}: it is a LID (WhatsApp privacy id), which this server version cannot confirm`
				: `The number ${who} is not on WhatsApp`,
			description: isLid
				? 'Answer through the phone number instead (manual mode), or update the server to Evolution API 2.3 or newer, which sends to LIDs.'
				: `Check the number: country code and area code, digits only (e.g. 5511999990000). Server said: ${JSON.stringify(call.body && (call.body as Record<string, unknown>).response).slice(0, 300)}`,
		};
	}
	if ((call.status === 400 || call.status >= 500) && NOT_CONNECTED.test(serverText)) {
		return {
			kind: 'not-connected',
			message: `The instance ${instance} is not connected to WhatsApp`,
			description: `Open the Evolution manager and connect the instance (scan the QR code), then try again; GET /instance/connectionState/${call.instance ?? '{instance}'} must say "open". Server said: ${serverText}`,
		};
	}
	if (call.status === 400 || call.status === 422) {
		return {
			kind: 'validation',
			message: `The server rejected the request: ${explainValidation(messages) || 'no reason given'}`,
			description: serverText ? `Server said: ${serverText}` : `${target} answered ${call.status}.`,
		};
	}
	if (call.status >= 500) {
		const notLoaded = /reading 'instanceId'|reading "instanceId"/.test(serverText);
		return {
			kind: 'server-error',
			message: `The Evolution API server failed (${call.status}): ${serverText || 'no details given'}`,
			description: notLoaded
				? `The instance ${instance} exists but is not loaded on the server: restart or reconnect it in the Evolution manager, then try again.`
				: `${target} failed on the server side. Check the server logs; retrying later may help.`,
		};
	}
	return {
		kind: 'unexpected',
		message: `The Evolution API server answered ${call.status} to ${target}${serverText ? `: ${serverText}` : ''}`,
		description: 'This answer was not expected from an Evolution API server.',
	};
}
