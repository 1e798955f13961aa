/**
 * Media download that cannot be aimed inside n8n's network, with bounded size and time. The decisions
 * live in `../media/policy.ts`; this file only moves bytes.
 *
 * Why n8n's `helpers.httpRequest` and not node's http/dns with a checking `lookup`: n8n's
 * community-package scanner allows no node built-in but `crypto` (its `no-restricted-imports` rule),
 * and n8n-core's httpRequest takes no `lookup` or agent (it builds its own agents, 2.11.1
 * `convertN8nRequestToAxios`) and buffers without a limit (`maxContentLength: Infinity`). What it does
 * offer is used instead:
 * - `disableFollowRedirect` + `ignoreHttpStatusErrors`: we see every redirect and check its target
 *   (scheme, host, IP literal) before the next request is made;
 * - `encoding: 'stream'`: the size is counted while reading (the stream is destroyed past the cap); where
 *   the body is node's IncomingMessage (n8n 1.123.81, n8n-core 2.11.1) its socket's `remoteAddress`, the
 *   address the name actually resolved to for this connection, is checked before a body byte is used
 *   (n8n 2.40.7 hands out a plain Readable without the socket: there the egress filter below decides);
 * - `abortSignal` = `AbortSignal.timeout`: one deadline for DNS, connect, redirects and body together;
 * - where n8n has it (2.40.7 does), `helpers.getSecureEgressFilter('enforced')`: n8n's own SSRF check
 *   resolves each hop's host name and refuses internal addresses before the request is made.
 * Neither available → every host that is not allow-listed is refused (fail closed). The residual risk,
 * said plainly: with the socket but no filter, a public-looking host NAME that resolves to an internal
 * address gets one GET (its answer is discarded unread); with the filter but no socket (2.40.7), a DNS
 * answer that changes between the filter's lookup and the connection (rebinding) is not caught. IP
 * literals and internal names never get a request.
 */
import type { IWebhookFunctions } from 'n8n-workflow';

import {
	checkConnectedAddress,
	checkMediaUrl,
	decideResponse,
	displayUrl,
	headerText,
	MEDIA_OPTION_NAMES,
	timeoutReason,
	tooLargeReason,
	type MediaLimits,
} from '../media/policy';
import { fileNameOfUrl } from '../normalize/read/mime';

/** The part of a response body stream we use (node's IncomingMessage satisfies it). */
export interface MediaBodyStream {
	on(event: 'data', listener: (chunk: Buffer) => void): unknown;
	on(event: 'end' | 'close', listener: () => void): unknown;
	on(event: 'error', listener: (error: Error) => void): unknown;
	destroy(error?: Error): unknown;
	socket?: { remoteAddress?: string } | null;
}

export interface MediaResponse {
	statusCode: number;
	headers: Record<string, unknown>;
	body: MediaBodyStream;
	/** The address of the peer that answered, or null when it cannot be known. */
	remoteAddress: string | null;
}

export interface MediaTransport {
	/** One GET without following redirects; rejects on network errors and when `signal` aborts. */
	get(url: string, signal: AbortSignal): Promise<MediaResponse>;
	/**
	 * Optional check before the GET, with DNS: a refusal sentence, or null when the URL may be requested.
	 * Only asked for hosts that are not allow-listed.
	 */
	preflight?(url: string): Promise<string | null>;
}

/** n8n's egress filter, `helpers.getSecureEgressFilter` (there in n8n 2.40.7 / n8n-workflow 2.40.1; not in 1.123.81 nor in our 2.11.1 dev pin). */
interface EgressFilter {
	validateUrl(url: string): Promise<{ ok: boolean; error?: unknown }>;
}
type HelpersWithEgressFilter = Pick<IWebhookFunctions['helpers'], 'httpRequest'> & { getSecureEgressFilter?: (policy: 'enforced') => EgressFilter };

export type MediaFetchResult = { ok: true; buffer: Buffer; mimetype: string | null; fileName: string | null } | { ok: false; reason: string };

/**
 * The production transport: n8n-core's own request helper (proxy settings and TLS as n8n configures them).
 * Where n8n offers its egress filter (n8n 2.40.7 has it; `'enforced'` = n8n's default blocked ranges even
 * when the instance leaves N8N_SSRF_PROTECTION_ENABLED off), it is the pre-flight: it resolves the name and
 * refuses internal addresses before any request, which leaves only DNS rebinding for the connected-address
 * check to catch.
 */
export function n8nMediaTransport(helpers: HelpersWithEgressFilter): MediaTransport {
	const filter = typeof helpers.getSecureEgressFilter === 'function' ? helpers.getSecureEgressFilter('enforced') : null;
	return {
		get: (url, signal) => n8nGet(helpers, url, signal),
		preflight: filter ? (url) => egressPreflight(filter, url) : undefined,
	};
}

async function egressPreflight(filter: EgressFilter, url: string): Promise<string | null> {
	let outcome: { ok: boolean; error?: unknown };
	try {
		outcome = await filter.validateUrl(url);
	} catch (error) {
		// n8n 2.40.7 rejects (instead of answering a result) when the name does not resolve.
		return `The media at ${displayUrl(url)} could not be downloaded: ${messageOf(error)}`;
	}
	if (outcome.ok) return null;
	return `The media at ${displayUrl(url)} was not downloaded: ${messageOf(outcome.error)} (n8n's outbound network check). Media is only downloaded from public addresses; to download from your own media server on a private network, add its host to the node option ${MEDIA_OPTION_NAMES.allowedHosts}.`;
}

async function n8nGet(helpers: HelpersWithEgressFilter, url: string, signal: AbortSignal): Promise<MediaResponse> {
	const response = (await helpers.httpRequest({
		url,
		method: 'GET',
		encoding: 'stream',
		returnFullResponse: true,
		disableFollowRedirect: true,
		ignoreHttpStatusErrors: true,
		abortSignal: signal,
		// Compressed answers would reach us through a zlib stream that hides the socket (and inflates).
		headers: { 'accept-encoding': 'identity' },
	})) as { body: MediaBodyStream; headers?: Record<string, unknown>; statusCode: number };
	return {
		statusCode: response.statusCode,
		headers: response.headers ?? {},
		body: response.body,
		remoteAddress: response.body?.socket?.remoteAddress ?? null,
	};
}

/**
 * Downloads `url` within `limits`. Never throws and never takes longer than `limits.timeoutMs`: every
 * failure is `{ ok: false, reason }` with a sentence for the user (for `details.mediaError`).
 */
export async function fetchMedia(transport: MediaTransport, url: string, limits: MediaLimits): Promise<MediaFetchResult> {
	try {
		return await withDeadline(url, limits, (signal) => followAndRead(transport, url, limits, signal));
	} catch (error) {
		return { ok: false, reason: `The media at ${displayUrl(url)} could not be downloaded: ${messageOf(error)}` };
	}
}

function withDeadline(url: string, limits: MediaLimits, run: (signal: AbortSignal) => Promise<MediaFetchResult>): Promise<MediaFetchResult> {
	const signal = AbortSignal.timeout(limits.timeoutMs);
	return new Promise<MediaFetchResult>((resolve) => {
		let done = false;
		const finish = (result: MediaFetchResult) => {
			if (done) return;
			done = true;
			signal.removeEventListener('abort', onAbort);
			resolve(result);
		};
		const onAbort = () => finish({ ok: false, reason: timeoutReason(url, limits.timeoutMs) });
		signal.addEventListener('abort', onAbort);
		run(signal).then(finish, (error: unknown) => {
			finish(signal.aborted ? { ok: false, reason: timeoutReason(url, limits.timeoutMs) } : { ok: false, reason: `The media at ${displayUrl(url)} could not be downloaded: ${messageOf(error)}` });
		});
	});
}

async function followAndRead(transport: MediaTransport, firstUrl: string, limits: MediaLimits, signal: AbortSignal): Promise<MediaFetchResult> {
	let url = firstUrl;
	for (let redirects = 0; ; redirects++) {
		const target = checkMediaUrl(url, limits.allowedHosts);
		if (!target.ok) return { ok: false, reason: target.reason };
		const preflight = !target.allowListed && transport.preflight ? transport.preflight : null;
		if (preflight) {
			const refusedBefore = await preflight(target.url);
			if (refusedBefore) return { ok: false, reason: refusedBefore };
		}
		if (signal.aborted) return { ok: false, reason: timeoutReason(firstUrl, limits.timeoutMs) };
		const response = await transport.get(target.url, signal);
		const refused = target.allowListed ? null : checkConnectedAddress(response.remoteAddress, target.host, target.url, preflight !== null);
		if (refused) {
			response.body.destroy();
			return { ok: false, reason: refused };
		}
		const decision = decideResponse(response.statusCode, response.headers, target.url, redirects, limits);
		if (decision.kind !== 'read') response.body.destroy();
		if (decision.kind === 'fail') return { ok: false, reason: decision.reason };
		if (decision.kind === 'redirect') {
			url = decision.url;
			continue;
		}
		const buffer = await readCapped(response.body, limits.maxBytes, target.url, signal);
		if (!Buffer.isBuffer(buffer)) return buffer;
		const contentType = headerText(response.headers, 'content-type');
		return {
			ok: true,
			buffer,
			mimetype: contentType ? contentType.split(';')[0].trim().toLowerCase() || null : null,
			fileName: fileNameOfUrl(target.url),
		};
	}
}

/** The body, or a failure once more than `maxBytes` arrived (the stream is destroyed at that point). */
function readCapped(body: MediaBodyStream, maxBytes: number, url: string, signal: AbortSignal): Promise<Buffer | { ok: false; reason: string }> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		let settled = false;
		// Errors are told apart by where they come from, not by instanceof (they may come from another realm).
		const settle = (outcome: { value: Buffer | { ok: false; reason: string } } | { error: unknown }) => {
			if (settled) return;
			settled = true;
			signal.removeEventListener('abort', onAbort);
			if ('error' in outcome) reject(outcome.error);
			else resolve(outcome.value);
		};
		const onAbort = () => {
			body.destroy();
			settle({ error: new Error('timed out') });
		};
		signal.addEventListener('abort', onAbort);
		body.on('data', (chunk: Buffer) => {
			if (settled) return;
			size += chunk.length;
			if (size > maxBytes) {
				chunks.length = 0;
				body.destroy();
				settle({ value: { ok: false, reason: tooLargeReason(url, maxBytes) } });
				return;
			}
			chunks.push(chunk);
		});
		body.on('end', () => settle({ value: Buffer.concat(chunks, size) }));
		body.on('error', (error: Error) => settle({ error }));
		body.on('close', () => settle({ error: new Error('the connection closed before the whole file arrived') }));
	});
}

function messageOf(error: unknown): string {
	const message =
		typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string'
			? (error as { message: string }).message
			: typeof error === 'string'
				? error
				: 'unknown error';
	return message.slice(0, 300);
}
