import { VERIFICATION_HEADER, VERIFICATION_QUERY_PARAM, type Registration } from '../evolution/registration';
import { mediaLimits } from '../media/policy';
import type { SourceSetting } from '../normalize';
import { DEFAULT_STATE_WINDOW_SECONDS } from './coalesce';
import { DEFAULT_DEDUPE_WINDOW_MINUTES } from './dedupe';
import { parseChatList, parseMessageKinds, type DeliveryFilters } from './filters';
import type { EvolutionSettings, HelpdeskSettings, Verification } from './settings';

/**
 * Node parameters (plain values, read once per delivery) → the pipeline's settings. Pure, so each
 * node version's meaning of a parameter is tested without n8n.
 */

/** The Options collection both triggers share (a node shows the ones that apply to it). */
export interface TriggerOptions {
	dropDuplicates?: boolean;
	dedupeWindowMinutes?: number;
	coalesceStates?: boolean;
	stateWindowSeconds?: number;
	ignoreGroups?: boolean;
	ignoreOwnMessages?: boolean;
	ignoreBroadcasts?: boolean;
	onlyChats?: string;
	messageTypes?: string[];
	splitArrays?: boolean;
	includeRaw?: boolean;
	media?: string;
	receiveUnknown?: boolean;
	mediaAllowedHosts?: string;
	mediaMaxSizeMb?: number;
	mediaTimeoutSeconds?: number;
	/** Whaticket Trigger v1 spelling of `media`. */
	mediaToBinary?: boolean;
	downloadMedia?: boolean;
	/** Evolution API Trigger: ask the server for a LID's phone when the learned map has none. */
	lookUpLidPhones?: boolean;
}

function filtersOf(options: TriggerOptions): DeliveryFilters {
	return {
		ignoreOwnMessages: options.ignoreOwnMessages === true,
		ignoreGroups: options.ignoreGroups === true,
		ignoreBroadcasts: options.ignoreBroadcasts !== false,
		onlyChats: parseChatList(options.onlyChats),
		messageKinds: parseMessageKinds(options.messageTypes),
	};
}

function mediaOf(options: TriggerOptions): 'off' | 'base64' | 'download' {
	if (options.media === 'base64' || options.media === 'download') return options.media;
	// Whaticket Trigger v1: two booleans.
	if (options.media === undefined && options.mediaToBinary === true) return options.downloadMedia === true ? 'download' : 'base64';
	return 'off';
}

/** A window from an option (minutes or seconds): a positive number up to 1440, else the default. */
export function windowMinutesOf(value: unknown, fallback: number): number {
	if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) return fallback;
	return Math.min(value, 24 * 60);
}

function common(options: TriggerOptions, output: unknown, dedupeScope: string, nodeVersion: number, outputPerMessageType: boolean | undefined) {
	return {
		outputPerMessageType: outputPerMessageType === true,
		filters: filtersOf(options),
		dropDuplicates: options.dropDuplicates !== false,
		dedupeWindowMs: windowMinutesOf(options.dedupeWindowMinutes, DEFAULT_DEDUPE_WINDOW_MINUTES) * 60_000,
		// Node v1 workflows keep one execution per post unless the user turns coalescing on.
		coalesce: { on: options.coalesceStates ?? nodeVersion >= 2, windowMs: windowMinutesOf(options.stateWindowSeconds, DEFAULT_STATE_WINDOW_SECONDS) * 1000 },
		dedupeScope,
		output: output === 'raw' ? ('raw' as const) : ('normalized' as const),
		includeRaw: options.includeRaw === true,
		splitArrays: options.splitArrays !== false,
		media: mediaOf(options),
		mediaLimits: mediaLimits({ allowedHosts: options.mediaAllowedHosts, maxSizeMb: options.mediaMaxSizeMb, timeoutSeconds: options.mediaTimeoutSeconds }),
	};
}

export interface EvolutionParameters {
	nodeVersion: number;
	mode: string;
	instance: string;
	instanceNames: string;
	globalSecret: string;
	acceptUnverified: boolean;
	events: string[];
	output: string;
	outputPerEvent: boolean;
	/** "One Output per Message Type" (absent in workflows saved before it existed: off). */
	outputPerMessageType?: boolean;
	options: TriggerOptions;
	dedupeScope: string;
	/** A production delivery (the workflow is active), not a test listen's. */
	production?: boolean;
}

const SECRET_SENTENCE = (where: string) => `Unauthorized: missing or wrong delivery secret (${where})`;

export function evolutionSettingsOf(parameters: EvolutionParameters, registration: Registration | undefined): EvolutionSettings {
	const global = parameters.mode === 'global';
	let verification: Verification;
	if (global) {
		verification = parameters.globalSecret === '' ? globalWithoutSecret(parameters) : querySecret(parameters.globalSecret);
	} else if (!registration?.secret) {
		verification = { kind: 'unregistered', production: parameters.production === true };
	} else if (registration.secretIn === 'header') {
		const where = `header ${VERIFICATION_HEADER}`;
		verification = { kind: 'secret', secret: registration.secret, carriers: [{ in: 'header', name: VERIFICATION_HEADER }], missing: SECRET_SENTENCE(where), wrong: SECRET_SENTENCE(where) };
	} else {
		verification = querySecret(registration.secret);
	}
	return {
		protocol: 'evolution',
		verification,
		events: parameters.events,
		instances: global
			? { kind: 'listed', names: parameters.instanceNames.split(',').map((name) => name.trim()).filter(Boolean) }
			: { kind: 'registered', name: parameters.instance },
		outputPerEvent: parameters.outputPerEvent,
		lidLookup: parameters.options.lookUpLidPhones === true,
		...common(parameters.options, parameters.output, parameters.dedupeScope, parameters.nodeVersion, parameters.outputPerMessageType),
	};
}

/** With by-events on, the server appends the event to the URL as configured, query included: `?n8nSecret=abc/messages-upsert`. */
function querySecret(secret: string): Verification {
	const where = `query ${VERIFICATION_QUERY_PARAM}`;
	return { kind: 'secret', secret, carriers: [{ in: 'query', name: VERIFICATION_QUERY_PARAM, cutAt: '/' }], missing: SECRET_SENTENCE(where), wrong: SECRET_SENTENCE(where) };
}

/** Node v1 accepted global deliveries without a secret; from v2 only when the user says so. */
function globalWithoutSecret(parameters: EvolutionParameters): Verification {
	if (parameters.nodeVersion < 2 || parameters.acceptUnverified) return { kind: 'none' };
	return noSecretSet(`Unauthorized: this trigger has no Secret set. Set one in the trigger (and ?${VERIFICATION_QUERY_PARAM}= in the server's URL), or turn on "Accept Unverified Deliveries"`);
}

/** A check nothing can pass: the node was told to verify but has nothing to verify with. */
function noSecretSet(message: string): Verification {
	return { kind: 'secret', secret: '', carriers: [], missing: message, wrong: message };
}

export const TOKEN_HEADER = 'x-n8n-api-key';
export const TOKEN_QUERY_PARAM = 'token';
/** Izing's API hooks send the API configuration's token as `authorization: <token>` (docs/protocol.md#helpdesk-payloads). */
export const IZING_TOKEN_HEADER = 'authorization';

export interface HelpdeskParameters {
	nodeVersion: number;
	token: string;
	acceptUnverified: boolean;
	source: string;
	events: string[];
	output: string;
	/** "One Output per Message Type" (shown from node v2; absent in workflows saved before it existed: off). */
	outputPerMessageType?: boolean;
	options: TriggerOptions;
	dedupeScope: string;
}

export function helpdeskSettingsOf(parameters: HelpdeskParameters): HelpdeskSettings {
	let verification: Verification;
	if (parameters.token !== '') {
		verification = {
			kind: 'secret',
			secret: parameters.token,
			carriers: [
				{ in: 'header', name: TOKEN_HEADER },
				{ in: 'header', name: IZING_TOKEN_HEADER, scheme: 'Bearer' },
				{ in: 'query', name: TOKEN_QUERY_PARAM },
			],
			missing: `Unauthorized: send the token in the X-N8N-API-KEY header, the Authorization header (Izing) or as ?${TOKEN_QUERY_PARAM}= in the URL`,
			wrong: 'Unauthorized: the token does not match the one set in the Whaticket Trigger',
		};
	} else if (parameters.nodeVersion < 2 || parameters.acceptUnverified) {
		verification = { kind: 'none' };
	} else {
		verification = noSecretSet('Unauthorized: this trigger has no Token set. Set one in the trigger and in the helpdesk, or turn on "Accept Unverified Deliveries"');
	}
	const source: SourceSetting = parameters.source === 'whazing' || parameters.source === 'whaticket' ? parameters.source : 'auto';
	return {
		protocol: 'helpdesk',
		verification,
		source,
		events: parameters.events,
		// Node v1 started an execution with an "unknown" item for any JSON object.
		unknownBodies: parameters.nodeVersion < 2 || parameters.options.receiveUnknown === true ? 'emit' : 'refuse',
		...common(parameters.options, parameters.output, parameters.dedupeScope, parameters.nodeVersion, parameters.outputPerMessageType),
	};
}
