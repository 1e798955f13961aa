/** The test's side of a delivery: one HTTP request to a webhook URL, the answer read as text and JSON. */
import type { PostOptions, PostResult } from './types';

export async function postTo(url: string, body: unknown, options: PostOptions): Promise<PostResult> {
	const hasRaw = options.rawBody !== undefined;
	const response = await fetch(url, {
		method: options.method ?? 'POST',
		headers: { ...(hasRaw ? {} : { 'content-type': 'application/json' }), ...(options.headers ?? {}) },
		body: hasRaw ? options.rawBody : JSON.stringify(body),
	});
	const text = await response.text();
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	return { status: response.status, headers: response.headers, text, json };
}
