/** The server's error bodies, and small value helpers every part of the double uses. */
import type { Answer } from './types';

export function errorBody(status: number, error: string, message: unknown): Answer {
	return { status, body: { status, error, response: { message } } };
}
export const instanceMissing = (name: string) => errorBody(404, 'Not Found', [`The "${name}" instance does not exist`]);
export const unauthorized = () => errorBody(401, 'Unauthorized', 'Unauthorized');
/** BadRequestException(...args) keeps its arguments as an array: schema errors arrive as [[...]]. */
export const badRequest = (...args: unknown[]) => errorBody(400, 'Bad Request', args);
export const typeError = (message: string) => errorBody(500, 'Internal Server Error', message);
export const routeMissing = (method: string, url: string) => errorBody(404, 'Not Found', [`Cannot ${method} ${url}`]);

/** The TypeError the controllers throw on `events.length` when `events` is missing (a 500 on every version). */
export function lengthOfEvents(events: unknown): Answer | null {
	if (events === undefined || events === null) {
		return typeError(`Cannot read properties of ${String(events)} (reading 'length')`);
	}
	return null;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function clone<T>(value: T): T {
	return value === undefined ? value : structuredClone(value);
}

export function tryParseJson(raw: string): unknown {
	if (raw.trim() === '') return undefined;
	try {
		return JSON.parse(raw);
	} catch {
		return undefined;
	}
}

