/**
 * Property tests: thousands of random and mutated payloads through every normalizer and through
 * normalizeDelivery. Nothing may throw, every item must fit the model, and planted secrets must never
 * reach the output (normalized fields, details or raw).
 */
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import fc from 'fast-check';

import { EVOLUTION_EVENTS } from '../../../nodes/lib/evolution/events';
import { normalizeDelivery, sanitize } from '../../../nodes/lib/normalize';
import { detectSource } from '../../../nodes/lib/normalize/detect';
import { normalizeEvolution } from '../../../nodes/lib/normalize/evolution';
import { inlineMediaOf } from '../../../nodes/lib/normalize/media';
import { normalizedItemSchema, type NormalizedItem } from '../../../nodes/lib/model/item';
import { IZING_HOOK_TYPES, normalizeIzing } from '../../../nodes/lib/normalize/izing';
import { learnLids, LID_MAP_LIMIT, lidPairsOf } from '../../../nodes/lib/normalize/lid-map';
import { normalizeWhaticket } from '../../../nodes/lib/normalize/whaticket';
import { normalizeWhazing } from '../../../nodes/lib/normalize/whazing';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const FIXTURES = join(__dirname, '..', '..', 'fixtures');
const fixtures: Json[] = readdirSync(FIXTURES).flatMap((source) =>
	readdirSync(join(FIXTURES, source)).map((file) => JSON.parse(readFileSync(join(FIXTURES, source, file), 'utf8')) as Json),
);

const MARKER = 'PLANTED-SECRET-7f3a9c';

const NORMALIZERS: Array<[string, (body: unknown) => NormalizedItem[]]> = [
	['normalizeEvolution', normalizeEvolution],
	['normalizeWhazing', normalizeWhazing],
	['normalizeWhaticket', normalizeWhaticket],
	['normalizeIzing', normalizeIzing],
	['normalizeDelivery', (body) => normalizeDelivery(body)],
	['normalizeDelivery (raw, folded)', (body) => normalizeDelivery(body, { includeRaw: true, splitArrays: false })],
	['normalizeDelivery (raw, split)', (body) => normalizeDelivery(body, { includeRaw: true })],
];

function expectValid(items: NormalizedItem[]): void {
	expect(Array.isArray(items)).toBe(true);
	for (const item of items) {
		const parsed = normalizedItemSchema.safeParse(item);
		if (!parsed.success) throw new Error(`invalid item: ${parsed.error.message}\n${JSON.stringify(item).slice(0, 2000)}`);
	}
}

// ---- mutations --------------------------------------------------------------------------------------

/** Every path (list of keys/indexes) to a value inside `value`, the root included. */
function pathsOf(value: Json, prefix: Array<string | number> = [], out: Array<Array<string | number>> = []): Array<Array<string | number>> {
	out.push(prefix);
	// Mutations of mutations stay near the top: a nested 3 000-deep chain is already the point.
	if (prefix.length >= 40) return out;
	if (Array.isArray(value)) value.forEach((element, index) => pathsOf(element, [...prefix, index], out));
	else if (value !== null && typeof value === 'object') for (const key of Object.keys(value)) pathsOf(value[key], [...prefix, key], out);
	return out;
}

type Mutation = (value: Json) => Json | undefined;

/** An object as its JSON text (a string where an object was expected); too deep to stringify → a marker. */
function stringifyOrMark(value: Json): string {
	try {
		return JSON.stringify(value);
	} catch {
		return '[too deep]';
	}
}

function nest(value: Json, depth: number): Json {
	let nested = value;
	for (let level = 0; level < depth; level++) nested = level % 2 === 0 ? { message: nested } : [nested];
	return nested;
}

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
	fc.constant<Mutation>(() => undefined), // delete the key
	fc.constant<Mutation>(() => null),
	fc.jsonValue({ maxDepth: 3 }).map<Mutation>((replacement) => () => replacement as Json),
	fc.constant<Mutation>((value) => [value]), // array instead of object
	fc.constant<Mutation>((value) => (typeof value === 'number' ? String(value) : typeof value === 'string' ? Number(value) || value.length : value)),
	fc.constant<Mutation>((value) => (typeof value === 'boolean' ? String(value) : typeof value === 'object' ? stringifyOrMark(value) : !value)),
	fc.integer({ min: 1_000, max: 200_000 }).map<Mutation>((length) => () => 'x'.repeat(length)),
	fc.integer({ min: 50, max: 3_000 }).map<Mutation>((depth) => (value) => nest(value, depth)),
	fc.constant<Mutation>(() => ({ low: -1, high: 2 ** 40 })),
	fc.constant<Mutation>(() => Number.MAX_SAFE_INTEGER),
	fc.constant<Mutation>(() => ({ __proto__: { polluted: true }, constructor: 'x', toString: 1 }) as unknown as Json),
	fc.constant<Mutation>(() => Array.from({ length: 2_000 }, (_, index) => ({ id: `${index}@s.whatsapp.net` }))),
);

/** A copy of `root` with the mutation applied at `path`; only the objects along the path are copied. */
function applyAt(root: Json, path: Array<string | number>, mutation: Mutation): Json {
	if (path.length === 0) return mutation(root) ?? null;
	const [step, ...rest] = path;
	if (Array.isArray(root)) {
		const copy = root.slice();
		if (rest.length === 0) {
			const next = mutation(copy[step as number]);
			if (next === undefined) copy.splice(step as number, 1);
			else copy[step as number] = next;
		} else copy[step as number] = applyAt(copy[step as number], rest, mutation);
		return copy;
	}
	const copy = { ...(root as Record<string, Json>) };
	if (rest.length === 0) {
		const next = mutation(copy[step]);
		if (next === undefined) delete copy[step];
		else copy[step] = next;
	} else copy[step] = applyAt(copy[step], rest, mutation);
	return copy;
}

const mutatedFixtureArb: fc.Arbitrary<Json> = fc
	.tuple(fc.integer({ min: 0, max: fixtures.length - 1 }), fc.array(fc.tuple(fc.nat(), mutationArb), { minLength: 1, maxLength: 4 }))
	.map(([index, steps]) => {
		let body = fixtures[index];
		for (const [choice, mutation] of steps) {
			const paths = pathsOf(body);
			body = applyAt(body, paths[choice % paths.length], mutation);
		}
		return body;
	});

/** Puts the marker wherever the sources leak credentials, in whatever shape the body has now. */
function plantSecrets(body: Json): Json {
	if (body === null || typeof body !== 'object' || Array.isArray(body)) return body;
	const planted: Record<string, Json> = { ...body, apikey: MARKER, api_key: MARKER, destination: `https://n8n.example.com/webhook/x?token=${MARKER}` };
	const ticket = planted.ticket;
	if (ticket && typeof ticket === 'object' && !Array.isArray(ticket)) {
		planted.ticket = { ...ticket, apiConfig: { externalKey: 'EXT-1', token: MARKER, authToken: MARKER } };
	}
	const ticketData = planted.ticketData;
	if (ticketData && typeof ticketData === 'object' && !Array.isArray(ticketData)) {
		const whatsapp = ticketData.whatsapp && typeof ticketData.whatsapp === 'object' && !Array.isArray(ticketData.whatsapp) ? ticketData.whatsapp : {};
		planted.ticketData = { ...ticketData, whatsapp: { ...whatsapp, webhook: `https://n8n.example.com/webhook/${MARKER}`, token: MARKER } };
	}
	const whatsapp = planted.whatsapp;
	if (whatsapp && typeof whatsapp === 'object' && !Array.isArray(whatsapp)) planted.whatsapp = { ...whatsapp, webhook: MARKER };
	const data = planted.data;
	if (data && typeof data === 'object' && !Array.isArray(data)) planted.data = { ...data, jwt: MARKER, token: MARKER };
	return planted;
}

// ---- properties -------------------------------------------------------------------------------------

describe.each(NORMALIZERS)('%s', (_name, normalize) => {
	it('never throws and always answers model-valid items for mutated fixtures', () => {
		fc.assert(
			fc.property(mutatedFixtureArb, (body) => {
				expectValid(normalize(body));
			}),
			{ numRuns: 700 },
		);
	});

	it('never throws for arbitrary values', () => {
		fc.assert(
			fc.property(fc.anything({ maxDepth: 4, withNullPrototype: true, withBigInt: true, withDate: true, withMap: true, withSparseArray: true }), (body) => {
				expectValid(normalize(body));
			}),
			{ numRuns: 500 },
		);
	});

	it('never lets a planted secret into the output', () => {
		fc.assert(
			fc.property(mutatedFixtureArb, (body) => {
				const output = JSON.stringify(normalize(plantSecrets(body)));
				expect(output).not.toContain(MARKER);
			}),
			{ numRuns: 500 },
		);
	});
});

describe('unmutated fixtures', () => {
	it.each(fixtures.map((body, index) => [index, body] as const))('fixture #%i with planted secrets keeps them out of normalized items and raw', (_index, body) => {
		const items = normalizeDelivery(plantSecrets(body), { includeRaw: true });
		expectValid(items);
		expect(JSON.stringify(items)).not.toContain(MARKER);
	});
});

describe('envelopes with random data', () => {
	// Every event the catalog knows, so a new catalog row is fuzzed without touching this file.
	const eventNames = EVOLUTION_EVENTS.map((entry) => entry.emitted);
	it('every Evolution event survives any data (object, array, null, scalars)', () => {
		fc.assert(
			fc.property(fc.constantFrom(...eventNames), fc.jsonValue({ maxDepth: 4 }), (event, data) => {
				const items = normalizeDelivery({ event, instance: 'i', data });
				expectValid(items);
				for (const item of items) expect(item.source).toBe('evolution');
			}),
			{ numRuns: 2_000 },
		);
	});

	it('every Izing hook survives any field values and stays an Izing item', () => {
		fc.assert(
			fc.property(fc.constantFrom(...IZING_HOOK_TYPES), fc.dictionary(fc.constantFrom('message', 'messageId', 'ack', 'ticketId', 'externalKey', 'name', 'number', 'status', 'qrcode', 'timestamp'), fc.jsonValue({ maxDepth: 4 })), (type, fields) => {
				const items = normalizeDelivery({ ...fields, type });
				expectValid(items);
				for (const item of items) expect(item.source).toBe('izing');
			}),
			{ numRuns: 1_000 },
		);
	});

	it('the LID map never throws, stays within its bounds and holds only LID → digits', () => {
		fc.assert(
			fc.property(mutatedFixtureArb, (body) => {
				const data = body !== null && typeof body === 'object' && !Array.isArray(body) ? body.data : body;
				const maps = learnLids({}, 'i', lidPairsOf(data)) ?? {};
				for (const map of Object.values(maps)) {
					expect(Object.keys(map).length).toBeLessThanOrEqual(LID_MAP_LIMIT);
					for (const [lid, phone] of Object.entries(map)) {
						expect(lid.endsWith('@lid')).toBe(true);
						expect(phone).toMatch(/^\d{5,20}$/);
					}
				}
			}),
			{ numRuns: 500 },
		);
	});

	it('detection and inline media never throw either', () => {
		fc.assert(
			fc.property(mutatedFixtureArb, (body) => {
				detectSource(body);
				for (const item of normalizeDelivery(body)) inlineMediaOf(body, item);
				sanitize(body);
			}),
			{ numRuns: 500 },
		);
	});
});
