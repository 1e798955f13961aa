import { randomBytes } from 'crypto';

import type { WebhookConfig, WebhookSettings } from './dialect';
import { disabledSettingsOf, settingsFromConfig } from './dialect';

/**
 * The trigger's registration lifecycle as pure decisions: given what the server has now and what we
 * stored, say what to do. An instance keeps exactly one webhook, so we snapshot what was there,
 * take the slot, and put the snapshot back on deactivation, but only while the slot is still ours.
 */

/** Header carrying the delivery secret on servers that send custom headers (2.1.1+). */
export const VERIFICATION_HEADER = 'x-n8n-evolution-secret';
/** Query parameter carrying the delivery secret on older servers (by-events stays off, so it survives). */
export const VERIFICATION_QUERY_PARAM = 'n8nSecret';

/** What the trigger keeps in static data (one whole value under one top-level key). */
export interface Registration {
	instance: string;
	/** The node's own webhook URL, without the secret. */
	nodeUrl: string;
	/** The exact URL registered on the server (with the secret when it travels in the query). */
	registeredUrl: string;
	secret: string;
	secretIn: 'header' | 'query';
	events: string[];
	/** The instance's webhook before we took it; null when it had none. */
	previous: WebhookConfig | null;
	registeredAt: string;
	/** Which of the node's URLs took the slot: a test listen's or the active workflow's. */
	endpoint?: 'production' | 'test';
}

export const REGISTRATION_KEY = 'registration';
/**
 * A registration create is about to send, kept until the server confirmed it: when the activation fails,
 * n8n's clean-up delete (and, through static data it saves, the next activation) still know what the slot
 * held. See docs/protocol.md#registration-lifecycle for which static data n8n keeps after a failure.
 */
export const PENDING_KEY = 'pendingRegistration';

/** Who holds the instance's webhook slot now, seen from this trigger node. */
export type SlotHolder =
	| 'nobody'
	/** This node, at this very URL (production or test, whichever is being handled). */
	| 'this-endpoint'
	/** This node's other URL: production while a test listen starts, or the reverse. */
	| 'this-node-other-endpoint'
	/** Another n8n workflow's webhook URL. */
	| 'other-n8n-workflow'
	/** Anything else: Chatwoot, Typebot, a custom receiver… */
	| 'other';

export interface SelfIdentity {
	/** getNodeWebhookUrl('default') in the current mode. */
	nodeUrl: string;
	/** The node's webhookId: the part of the URL shared by its production and test endpoints. */
	webhookId: string;
}

/** The URL without query or fragment (where a secret may travel) and without trailing slashes. */
export function withoutQuery(url: string): string {
	const cut = url.search(/[?#]/);
	return (cut === -1 ? url : url.slice(0, cut)).replace(/\/+$/, '');
}

/** The path tail shared by a node's production and test URLs: /<webhookId>/<path>. */
function nodeTail(self: SelfIdentity): string {
	const base = withoutQuery(self.nodeUrl);
	const at = base.indexOf(`/${self.webhookId}/`);
	return at === -1 ? `/${self.webhookId}` : base.slice(at);
}

export const N8N_WEBHOOK_PATH = /\/webhook(?:-test)?\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?:\/|$)/i;

/**
 * This n8n's webhook endpoint as the node's own URL shows it: everything before /<webhookId>/, e.g.
 * https://n8n.example.com/webhook, or /hooks with N8N_ENDPOINT_WEBHOOK=hooks. Every webhook of this n8n in
 * the same mode lives under it, whatever its path (a trigger's uuid or a Webhook node's own path).
 */
function n8nEndpoint(self: SelfIdentity): string | null {
	const base = withoutQuery(self.nodeUrl);
	const at = self.webhookId === '' ? -1 : base.indexOf(`/${self.webhookId}/`);
	return at === -1 ? null : base.slice(0, at);
}

export function slotHolder(current: WebhookConfig | null, self: SelfIdentity): SlotHolder {
	if (current === null || current.url === '') return 'nobody';
	const url = withoutQuery(current.url);
	if (url === withoutQuery(self.nodeUrl)) return 'this-endpoint';
	if (url.endsWith(nodeTail(self))) return 'this-node-other-endpoint';
	if (!current.enabled) return 'nobody';
	const endpoint = n8nEndpoint(self);
	if (endpoint !== null && url.startsWith(`${endpoint}/`)) return 'other-n8n-workflow';
	// Default paths of any n8n (another host, or this one's other mode).
	if (N8N_WEBHOOK_PATH.test(url)) return 'other-n8n-workflow';
	return 'other';
}

/** A fresh delivery secret: 32 random bytes as hex (URL- and header-safe). */
export function newSecret(): string {
	return randomBytes(32).toString('hex');
}

/** What to do when another workflow holds the instance's webhook (n8n 2.x says unpublish, 1.x deactivate). */
export const TAKEN_SLOT_FIX = 'unpublish or deactivate that workflow, or turn on "Take Over Another Workflow\'s Webhook" in this trigger\'s Options';

export type CreatePlan =
	| { kind: 'refuse'; message: string; description: string }
	| {
			kind: 'register';
			/** What to keep in static data once the server has it. */
			registration: Registration;
			/** What to send to the server. */
			settings: WebhookSettings;
			warning?: string;
	  };

export interface CreateInput {
	current: WebhookConfig | null;
	self: SelfIdentity;
	instance: string;
	/** Config names of the events the trigger wants. */
	events: string[];
	/** Ask the server to include media as base64. */
	base64: boolean;
	stored: Registration | undefined;
	/** The registration of an earlier activation that failed (PENDING_KEY), if any. */
	pending?: Registration;
	allowTakeover: boolean;
	/** True for a test listen, false for the active workflow. */
	testListen: boolean;
	/** Whether the server sends custom headers (2.1.1+): the secret then travels in one. */
	serverSendsHeaders: boolean;
	secret: string;
	now: Date;
}

/**
 * create: refuse another workflow's slot (unless take-over is allowed), else the whole registration to
 * keep (with the snapshot of what the slot held) and the settings to send.
 */
export function planCreate(input: CreateInput): CreatePlan {
	const snapshot = snapshotFor(input);
	if (snapshot.kind === 'refuse') return snapshot;
	const target = registrationTarget(input.self.nodeUrl, input.secret, input.serverSendsHeaders);
	const registration: Registration = {
		instance: input.instance,
		nodeUrl: input.self.nodeUrl,
		registeredUrl: target.registeredUrl,
		secret: input.secret,
		secretIn: target.secretIn,
		events: [...input.events],
		previous: snapshot.previous,
		registeredAt: input.now.toISOString(),
		endpoint: input.testListen ? 'test' : 'production',
	};
	const settings: WebhookSettings = { url: target.registeredUrl, enabled: true, events: [...input.events], byEvents: false, base64: input.base64 };
	if (target.headers) settings.headers = target.headers;
	return { kind: 'register', registration, settings, warning: snapshot.warning };
}

type Snapshot = { kind: 'refuse'; message: string; description: string } | { kind: 'snapshot'; previous: WebhookConfig | null; warning?: string };

/** What the slot held before this registration, as far as it can be known, or a refusal. */
function snapshotFor(input: CreateInput): Snapshot {
	const holder = slotHolder(input.current, input.self);
	switch (holder) {
		case 'this-node-other-endpoint':
			// A test listen borrows the production registration and gives it back when it ends.
			if (input.testListen) return { kind: 'snapshot', previous: input.current };
			// The active workflow finds this node's test URL (a running or abandoned test listen, e.g. n8n
			// restarted during it): its own production registration still holds the true snapshot.
			if (input.stored && input.stored.endpoint !== 'test' && input.stored.instance === input.instance) return { kind: 'snapshot', previous: input.stored.previous };
			// Without it, what the instance had before lives only in that listen's memory: nothing true to snapshot.
			return {
				kind: 'snapshot',
				previous: null,
				warning: `instance "${input.instance}" pointed at this workflow's test URL (a test listen); the webhook it had before that cannot be recovered, so deactivation will disable the webhook`,
			};
		case 'other-n8n-workflow':
			if (!input.allowTakeover) {
				return {
					kind: 'refuse',
					// The fix is in the message itself: n8n's activation toast shows only the message.
					message: `Instance "${input.instance}" already sends its events to another n8n workflow (${withoutQuery(input.current!.url)}): ${TAKEN_SLOT_FIX}`,
					description:
						'An instance keeps only one webhook and another workflow\'s trigger holds it. Open that workflow and unpublish it (n8n 2.x) or set it inactive (n8n 1.x), then publish or activate this one again. To move the instance here instead, turn on "Take Over Another Workflow\'s Webhook" in this trigger\'s Options: the other workflow then receives nothing.',
				};
			}
			return { kind: 'snapshot', previous: input.current };
		case 'this-endpoint':
			// Our own earlier registration is still there (e.g. static data was lost): never snapshot
			// ourselves, or deactivation would "restore" this trigger.
			// Or an activation failed after the server stored our URL (the pending snapshot knows what was there).
			return { kind: 'snapshot', previous: input.stored?.previous ?? (input.pending?.instance === input.instance ? input.pending.previous : null) };
		default:
			return { kind: 'snapshot', previous: input.current };
	}
}

/** The URL and headers to register, with the secret where this server can carry it. */
export function registrationTarget(
	nodeUrl: string,
	secret: string,
	serverSendsHeaders: boolean,
): { registeredUrl: string; secretIn: 'header' | 'query'; headers?: Record<string, string> } {
	if (serverSendsHeaders) return { registeredUrl: nodeUrl, secretIn: 'header', headers: { [VERIFICATION_HEADER]: secret } };
	const separator = nodeUrl.includes('?') ? '&' : '?';
	return { registeredUrl: `${nodeUrl}${separator}${VERIFICATION_QUERY_PARAM}=${secret}`, secretIn: 'query' };
}

function withoutHeader(headers: Record<string, string> | null, name: string): Record<string, string> {
	return Object.fromEntries(Object.entries(headers ?? {}).filter(([key]) => key.toLowerCase() !== name));
}

function sameEventSet(left: readonly string[], right: readonly string[]): boolean {
	const a = new Set(left);
	const b = new Set(right);
	return a.size === b.size && [...a].every((name) => b.has(name));
}

/**
 * checkExists: true only while the instance still sends the wanted events to this exact registration,
 * secret included. Anything else means "not ours" and create runs again.
 */
export function isRegistrationIntact(
	current: WebhookConfig | null,
	stored: Registration | undefined,
	wanted: { nodeUrl: string; instance: string; events: readonly string[] },
): boolean {
	if (!stored || current === null) return false;
	if (stored.nodeUrl !== wanted.nodeUrl || stored.instance !== wanted.instance) return false;
	if (!current.enabled || current.byEvents || current.url !== stored.registeredUrl) return false;
	if (!sameEventSet(current.events, wanted.events)) return false;
	if (stored.secretIn === 'header') {
		const sent = Object.entries(current.headers ?? {}).find(([name]) => name.toLowerCase() === VERIFICATION_HEADER)?.[1];
		if (sent !== stored.secret) return false;
	}
	return true;
}

/** After set: whether the slot holds exactly this registration (URL, and the secret header where it travels). */
export function holdsRegistration(current: WebhookConfig | null, registration: Registration): boolean {
	if (current === null || current.url !== registration.registeredUrl) return false;
	if (registration.secretIn !== 'header') return true;
	return Object.entries(current.headers ?? {}).find(([name]) => name.toLowerCase() === VERIFICATION_HEADER)?.[1] === registration.secret;
}

/** Whether the snapshot points at another n8n workflow (a take-over chain): restore it only if that one still receives it. */
export function previousIsAnotherWorkflow(stored: Registration | undefined, self: SelfIdentity): boolean {
	return stored?.previous != null && slotHolder(stored.previous, self) === 'other-n8n-workflow';
}

export type DeletePlan =
	| { kind: 'restore'; settings: WebhookSettings; summary: string }
	| { kind: 'disable'; settings: WebhookSettings; summary: string }
	| { kind: 'leave'; why: string };

/**
 * delete: put back exactly what was there, or disable when there was nothing, but only while the
 * instance still points at this registration. A slot someone changed since is left alone.
 */
export function planDelete(input: {
	current: WebhookConfig | null;
	stored: Registration | undefined;
	self: SelfIdentity;
	serverSendsHeaders: boolean;
	/** For a snapshot pointing at another n8n workflow: whether it still receives (null: could not be checked). */
	previousStillReceives?: boolean | null;
}): DeletePlan {
	const { current, stored } = input;
	if (current === null) return { kind: 'leave', why: 'the instance has no webhook any more' };
	const holder = slotHolder(current, input.self);
	// The active workflow takes the slot back from its own test listen: the user's webhook lives only in
	// this registration, and the listen would otherwise "restore" a production URL that is going away.
	const heldByOwnTestListen = stored !== undefined && stored.endpoint !== 'test' && holder === 'this-node-other-endpoint';
	const pointsAtUs = stored ? current.url === stored.registeredUrl || heldByOwnTestListen : holder === 'this-endpoint';
	// n8n's clean-up after a create that failed before anything was stored.
	if (!pointsAtUs && !stored) return { kind: 'leave', why: 'nothing to undo: this trigger had not registered' };
	if (!pointsAtUs) {
		return { kind: 'leave', why: `someone changed the webhook since this trigger registered it (it now points at ${withoutQuery(current.url) || 'nothing'})` };
	}
	if (!current.enabled && !stored) return { kind: 'leave', why: 'the webhook is already disabled' };
	const previous = stored?.previous ?? null;
	const deadWorkflow = previous !== null && input.previousStillReceives !== undefined && input.previousStillReceives !== true;
	if (previous !== null && !deadWorkflow) {
		return {
			kind: 'restore',
			settings: settingsFromConfig(previous, input.serverSendsHeaders),
			summary: `${withoutQuery(previous.url)} (${previous.enabled ? 'enabled' : 'disabled'}, ${previous.events.length} events)`,
		};
	}
	// Our secret goes first, so nothing of it lingers on the server: 2.1+ keeps the URL (where 2.1.0 carries
	// the secret) and the headers of a disabled webhook.
	const withoutSecret: WebhookConfig = { ...current, url: withoutQuery(current.url), headers: withoutHeader(current.headers, VERIFICATION_HEADER) };
	const summary = deadWorkflow
		? `the previous webhook pointed at another n8n workflow (${withoutQuery(previous.url)}) that ${input.previousStillReceives === false ? 'no longer receives it' : 'could not be checked'}, so it was not restored`
		: 'no webhook was configured before';
	return { kind: 'disable', settings: disabledSettingsOf(withoutSecret, input.serverSendsHeaders), summary };
}
