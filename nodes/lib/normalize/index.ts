import type { EvolutionEvent } from '../evolution/events';
import type { NormalizedItem, Source } from '../model/item';
import { detectSource, isWhazingTestPing } from './detect';
import { normalizeEvolution } from './evolution';
import { emptyItem, unknownItem } from './items';
import { isRecord } from './read/scalars';
import { sanitize } from './sanitize';
import { normalizeIzing } from './izing';
import { normalizeWhaticket } from './whaticket';
import { normalizeWhazing } from './whazing';

export { detectSource, isWhazingTestPing } from './detect';
export { sanitize } from './sanitize';
export type { NormalizedItem, Source } from '../model/item';

export type SourceSetting = 'auto' | Exclude<Source, 'unknown'>;

export interface NormalizeOptions {
	/** Which format to expect; `auto` (default) detects it from the body's shape. `whazing` includes Izing (its parent). */
	source?: SourceSetting;
	/**
	 * The Evolution event the caller already recognised (e.g. from a by-events URL suffix): the body is
	 * then read as that event from that source, with no detection.
	 */
	evolutionEvent?: EvolutionEvent;
	/** One item per element of array payloads (default true); false folds them into `details.items`. */
	splitArrays?: boolean;
	/** Attach the sanitized original body as `raw` (for array payloads: the envelope with that element). */
	includeRaw?: boolean;
}

const NORMALIZERS: Record<Exclude<Source, 'unknown'>, (body: unknown) => NormalizedItem[]> = {
	evolution: (body) => normalizeEvolution(body),
	whazing: normalizeWhazing,
	izing: normalizeIzing,
	whaticket: normalizeWhaticket,
};

const SOURCE_LABELS: Record<Source, string> = {
	evolution: 'Evolution API',
	whazing: 'Whazing',
	izing: 'Izing',
	whaticket: 'Whaticket SaaS',
	unknown: 'no known format',
};

/**
 * Any webhook body → normalized items. Never throws: a body that fits no known shape gives one item
 * with source and event `unknown`, a short `reason` and the sanitized body in `raw`.
 */
export function normalizeDelivery(body: unknown, options: NormalizeOptions = {}): NormalizedItem[] {
	try {
		return normalizeOrExplain(body, options);
	} catch (error) {
		return [unknownItem(`The body could not be read: ${error instanceof Error ? error.message.slice(0, 200) : 'unexpected value'}`, safeRaw(body))];
	}
}

function normalizeOrExplain(body: unknown, options: NormalizeOptions): NormalizedItem[] {
	if (!isRecord(body)) {
		const what = Array.isArray(body) ? 'an array' : body === null ? 'null' : `a ${typeof body}`;
		return [unknownItem(`The body is ${what}, not a JSON object`, safeRaw(body))];
	}
	let items: NormalizedItem[];
	if (options.evolutionEvent) {
		items = normalizeEvolution(body, options.evolutionEvent);
	} else {
		if (isWhazingTestPing(body)) return [];
		const detected = detectSource(body);
		const wanted = options.source ?? 'auto';
		if (detected === 'unknown') {
			return [unknownItem(`The body does not look like a delivery from ${wanted === 'auto' ? 'Evolution API, Whazing, Izing or Whaticket SaaS' : SOURCE_LABELS[wanted]}`, sanitize(body))];
		}
		if (wanted !== 'auto' && wanted !== detected && !(wanted === 'whazing' && detected === 'izing')) {
			return [unknownItem(`The body looks like a delivery from ${SOURCE_LABELS[detected]}, not from ${SOURCE_LABELS[wanted]}`, sanitize(body))];
		}
		items = NORMALIZERS[detected](body);
	}
	if (options.splitArrays === false && items.length > 1) items = [foldItems(items)];
	if (options.includeRaw) attachRaw(items, body, options.splitArrays !== false);
	return items;
}

/** One item for a whole array payload: shared facts on top, the per-element items in details.items. */
function foldItems(items: NormalizedItem[]): NormalizedItem {
	const first = items[0];
	const folded = emptyItem(first.source, first.event, first.originalEvent, first.instance);
	folded.details = { count: items.length, items };
	return folded;
}

function attachRaw(items: NormalizedItem[], body: Record<string, unknown>, split: boolean): void {
	const clean = sanitize(body);
	const data = clean.data;
	const perElement = split && Array.isArray(data) && data.length === items.length;
	for (let index = 0; index < items.length; index++) {
		items[index].raw = perElement ? { ...clean, data: data[index] } : clean;
	}
}

function safeRaw(body: unknown): unknown {
	try {
		return sanitize(body);
	} catch {
		return null;
	}
}
