import type { MediaLimits } from '../media/policy';
import type { SourceSetting } from '../normalize';
import type { CoalesceSettings } from './coalesce';
import type { DeliveryFilters } from './filters';

/**
 * What a trigger node was told, as one plain object read once per delivery: the pipeline decides from
 * this and the request alone, so every decision can be tested without n8n.
 */

/** Where a shared secret may travel: a header, or a query parameter. */
export type SecretCarrier =
	/** `scheme`: an optional auth scheme before the value (`Bearer abc` and `abc` both present `abc`). */
	| { in: 'header'; name: string; scheme?: string }
	| { in: 'query'; name: string; cutAt?: string };

export type Verification =
	/** Nothing to check (an older node version, or the user explicitly accepted unverified deliveries). */
	| { kind: 'none' }
	/**
	 * Register mode, but no registration is readable yet: the secret is not known. In production the
	 * workflow is active, so this is the moment between the server storing our URL and n8n saving the
	 * registration (activation still running): answered 503, retried, never 401 (dropped for good by 2.3+).
	 */
	| { kind: 'unregistered'; production: boolean }
	| {
			kind: 'secret';
			secret: string;
			/** Checked in order; the first one present is compared. */
			carriers: SecretCarrier[];
			/** The 401 sentences: nothing was presented, or something wrong was. */
			missing: string;
			wrong: string;
	  };

interface CommonSettings {
	verification: Verification;
	filters: DeliveryFilters;
	dropDuplicates: boolean;
	/** How long a delivery key counts as seen ("Duplicate Window (Minutes)", 10 by default). */
	dedupeWindowMs: number;
	/** State events (connection, QR code, presence) repeating the same state inside the window start one execution. */
	coalesce: CoalesceSettings;
	/** Prefix of this node's dedupe keys (node and mode), so two nodes never drop each other's deliveries. */
	dedupeScope: string;
	output: 'normalized' | 'raw';
	/** Normalized output: add the sanitized original body as `raw`. */
	includeRaw: boolean;
	/** One output per message kind plus one for other events (nodes/lib/delivery/outputs.ts); Evolution: only while outputPerEvent is off. */
	outputPerMessageType: boolean;
	/** One item per element of array payloads; else one folded item. */
	splitArrays: boolean;
	/** Media as n8n binary: never, only from base64 the delivery carried, or also downloaded from its URL. */
	media: 'off' | 'base64' | 'download';
	/** Where, how much and how long a media download may go (the guarded fetch's limits). */
	mediaLimits: MediaLimits;
}

export interface EvolutionSettings extends CommonSettings {
	protocol: 'evolution';
	/** Selected config names (MESSAGES_UPSERT…). */
	events: string[];
	/** Register mode: the one instance registered; global mode: the listed names (empty: all). */
	instances: { kind: 'registered'; name: string } | { kind: 'listed'; names: string[] };
	outputPerEvent: boolean;
	/** Ask the server for the phone of a LID the learned map does not know (nodes/lib/evolution/lid-lookup.ts). Off by default. */
	lidLookup: boolean;
}

export interface HelpdeskSettings extends CommonSettings {
	protocol: 'helpdesk';
	source: SourceSetting;
	/** Selected stable event names; empty means all. */
	events: string[];
	/** A JSON object no normalizer can read: refused with 400 (default), or emitted as an `unknown` item (node v1). */
	unknownBodies: 'refuse' | 'emit';
}

export type DeliverySettings = EvolutionSettings | HelpdeskSettings;

/** One HTTP delivery as plain data. */
export interface DeliveryRequest {
	headers: Record<string, unknown>;
	query: Record<string, unknown>;
	/** Route parameters (the by-events URL suffix). */
	params: Record<string, unknown>;
	/** The parsed JSON body; `undefined` when the body was empty, NOT_JSON when it could not be parsed. */
	body: unknown;
}

/** The body marker for a request whose body was not JSON at all. */
export const NOT_JSON: unique symbol = Symbol('not JSON');
