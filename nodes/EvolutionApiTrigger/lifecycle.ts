import { NodeApiError, NodeOperationError, type IDataObject, type IHookFunctions } from 'n8n-workflow';

import { EvolutionClient } from '../lib/evolution/client';
import { describeForManualRestore } from '../lib/evolution/manual-restore';
import {
	holdsRegistration,
	isRegistrationIntact,
	newSecret,
	planCreate,
	planDelete,
	previousIsAnotherWorkflow,
	REGISTRATION_KEY,
	type Registration,
	type SelfIdentity,
	withoutQuery,
} from '../lib/evolution/registration';
import { supportsWebhookHeaders } from '../lib/evolution/version';
import { readVersionSetting } from '../lib/n8n/evolution-properties';
import { n8nWebhookReceives } from '../lib/n8n/webhook-probe';
import { forgetPending, keepPending, pendingOf, rememberPending } from './pending';

/**
 * The trigger's checkExists / create / delete: read n8n's context, ask the pure registration module what
 * to do, do it through the one Evolution client. Static data holds one whole Registration under one
 * top-level key; n8n keeps a separate copy for test listens, so test and production never share one.
 */

interface TriggerSettings {
	instance: string;
	events: string[];
	base64: boolean;
	allowTakeover: boolean;
}

function isGlobalMode(context: IHookFunctions): boolean {
	return context.getNodeParameter('mode', 'register') === 'global';
}

function readSettings(context: IHookFunctions): TriggerSettings {
	const instance = String(context.getNodeParameter('instance', '')).trim();
	if (instance === '') {
		throw new NodeOperationError(context.getNode(), 'No instance chosen: choose one in the trigger\'s "Instance" field', {
			description: 'Choose the instance whose events should start this workflow.',
		});
	}
	const events = context.getNodeParameter('events', []) as string[];
	if (events.length === 0) {
		throw new NodeOperationError(context.getNode(), 'No events chosen: choose at least one in the trigger\'s "Events" field', {
			description: 'Choose at least one event.',
		});
	}
	const options = context.getNodeParameter('options', {}) as IDataObject;
	return {
		instance,
		events,
		base64: options.media === 'base64' || options.media === 'download',
		allowTakeover: options.allowTakeover === true,
	};
}

function selfIdentity(context: IHookFunctions): SelfIdentity {
	const nodeUrl = context.getNodeWebhookUrl('default');
	if (!nodeUrl) {
		throw new NodeOperationError(context.getNode(), 'n8n did not give this trigger a webhook URL: save the workflow and try again', {
			description: 'n8n gives each trigger its URL when the workflow is saved. If it persists, delete the trigger and add it again.',
		});
	}
	return { nodeUrl, webhookId: context.getNode().webhookId ?? '' };
}

function storedRegistration(context: IHookFunctions): Registration | undefined {
	return context.getWorkflowStaticData('node')[REGISTRATION_KEY] as Registration | undefined;
}

function describeUrl(context: IHookFunctions): string {
	return context.getMode() === 'manual' ? 'test URL' : 'production URL';
}

async function clientFor(context: IHookFunctions): Promise<EvolutionClient> {
	return EvolutionClient.create(context, readVersionSetting(context.getNodeParameter('serverVersion', 'auto')));
}

export async function registrationExists(this: IHookFunctions): Promise<boolean> {
	if (isGlobalMode(this)) return true;
	const settings = readSettings(this);
	const stored = storedRegistration(this);
	if (!stored) return false;
	const client = await clientFor(this);
	// A failure here (server down, instance gone) propagates: n8n shows it and retries activation.
	const current = await client.findWebhook(settings.instance);
	const intact = isRegistrationIntact(current, stored, {
		nodeUrl: selfIdentity(this).nodeUrl,
		instance: settings.instance,
		events: settings.events,
	});
	this.logger.debug(`Evolution API Trigger: registration on "${settings.instance}" is ${intact ? 'intact' : 'missing or changed'}`);
	return intact;
}

/** Global mode registers nothing; from node v2 it refuses to start without a way to verify deliveries. */
function checkGlobalMode(context: IHookFunctions): boolean {
	if (context.getNode().typeVersion < 2 || String(context.getNodeParameter('globalSecret', '')) !== '') return true;
	if (context.getNodeParameter('acceptUnverified', false) !== true) {
		throw new NodeOperationError(context.getNode(), 'The Evolution API Trigger has no Secret for the global webhook', {
			description: 'Set a Secret and add ?n8nSecret=YOUR_SECRET to WEBHOOK_GLOBAL_URL on the server, or turn on "Accept Unverified Deliveries".',
		});
	}
	context.logger.warn(`Evolution API Trigger "${context.getNode().name}": accepting unverified global-webhook deliveries; anyone who knows the URL can start this workflow`);
	return true;
}

/**
 * create, with one unmistakable log line when it fails: on n8n 2.x a failed activation still looks active
 * outside the editor (public API `active: true`; the reason is only in the publication status and this log).
 */
export async function createRegistration(this: IHookFunctions): Promise<boolean> {
	try {
		return await register.call(this);
	} catch (error) {
		const reason = error instanceof Error ? error.message : String(error);
		this.logger.error(
			`Evolution API Trigger: ACTIVATION FAILED for "${this.getNode().name}" in workflow "${this.getWorkflow().name ?? this.getWorkflow().id}": ${reason}. Its production URL receives nothing until the workflow is activated again.`,
		);
		throw error instanceof NodeApiError || error instanceof NodeOperationError ? error : new NodeOperationError(this.getNode(), error as Error);
	}
}

async function register(this: IHookFunctions): Promise<boolean> {
	if (isGlobalMode(this)) return checkGlobalMode(this);
	const settings = readSettings(this);
	const self = selfIdentity(this);
	const client = await clientFor(this);
	const server = await client.server();
	const sendsHeaders = supportsWebhookHeaders(server);
	const staticData = this.getWorkflowStaticData('node');
	const plan = planCreate({
		current: await client.findWebhook(settings.instance),
		self,
		instance: settings.instance,
		events: settings.events,
		base64: settings.base64,
		stored: storedRegistration(this),
		pending: pendingOf(staticData, self.nodeUrl),
		allowTakeover: settings.allowTakeover,
		testListen: this.getMode() === 'manual',
		serverSendsHeaders: sendsHeaders,
		secret: newSecret(),
		now: new Date(),
	});
	if (plan.kind === 'refuse') {
		this.logger.warn(`Evolution API Trigger: refused to register on "${settings.instance}": ${plan.message}`);
		throw new NodeOperationError(this.getNode(), plan.message, { description: plan.description });
	}
	if (plan.warning) this.logger.warn(`Evolution API Trigger: ${plan.warning}`);
	const { registration } = plan;
	rememberPending(staticData, self.nodeUrl, registration);
	try {
		// The client refuses events this server version lacks before anything is sent.
		await client.setWebhook(settings.instance, plan.settings);
	} catch (error) {
		await undoFailedSet.call(this, client, registration, self, sendsHeaders);
		throw error instanceof NodeApiError || error instanceof NodeOperationError ? error : new NodeOperationError(this.getNode(), error as Error);
	}
	// Read back: another workflow activating on this instance at the same moment (read-then-write on both
	// sides) may have overwritten the slot; failing here beats silently receiving nothing.
	const after = await client.findWebhook(settings.instance);
	if (!holdsRegistration(after, registration)) {
		const holder = after?.url ? withoutQuery(after.url) : 'nothing';
		this.logger.error(`Evolution API Trigger: registration on "${settings.instance}" was overwritten right after it was stored; it now points at ${holder}`);
		throw new NodeOperationError(this.getNode(), `Instance "${settings.instance}" was taken by another webhook while this trigger registered (${holder})`, {
			description: 'Another workflow or integration set the instance\'s webhook at the same moment. Activate only one workflow per instance, then activate this one again.',
		});
	}
	// Saved only once the server has it (n8n keeps no static data of a failed activation beyond what its clean-up writes).
	staticData[REGISTRATION_KEY] = registration;
	forgetPending(staticData, self.nodeUrl);
	this.logger.info(
		`Evolution API Trigger: registered the ${describeUrl(this)} ${self.nodeUrl} on instance "${settings.instance}" for ${settings.events.join(', ')} (secret in ${registration.secretIn}); saved the previous webhook: ${registration.previous ? withoutQuery(registration.previous.url) : 'none'}`,
	);
	return true;
}

/**
 * A set that failed may still have been stored (its answer lost on the way back). n8n's clean-up delete
 * will not see this registration, so this is the last moment the snapshot is known: put it back if the
 * slot now holds our registration.
 */
async function undoFailedSet(
	this: IHookFunctions,
	client: EvolutionClient,
	registration: Registration,
	self: SelfIdentity,
	sendsHeaders: boolean,
): Promise<void> {
	try {
		const current = await client.findWebhook(registration.instance);
		if (current?.url !== registration.registeredUrl) return;
		const plan = planDelete({ current, stored: registration, self, serverSendsHeaders: sendsHeaders });
		if (plan.kind === 'leave') return;
		await client.setWebhook(registration.instance, plan.settings);
		this.logger.warn(
			`Evolution API Trigger: the registration on "${registration.instance}" failed after the server stored it; ${plan.kind === 'restore' ? 'restored the previous webhook' : 'disabled the webhook'}: ${plan.summary}`,
		);
	} catch (undoError) {
		this.logger.error(
			`Evolution API Trigger: the registration on "${registration.instance}" failed, and the previous webhook could not be checked or put back (${undoError instanceof Error ? undoError.message : String(undoError)}). Check it in the Evolution manager. ${previousForHand(registration)}`,
		);
	}
}

/** The snapshot as a person re-enters it in the Evolution manager (secrets masked). */
function previousForHand(registration: Registration): string {
	return registration.previous ? `Previous webhook (secrets masked): ${describeForManualRestore(registration.previous)}` : 'There was no webhook before this trigger.';
}

/** Never throws: n8n would skip its own clean-up. Every outcome is logged. */
export async function deleteRegistration(this: IHookFunctions): Promise<boolean> {
	if (isGlobalMode(this)) return true;
	const staticData = this.getWorkflowStaticData('node');
	const self: SelfIdentity = { nodeUrl: this.getNodeWebhookUrl('default') ?? '', webhookId: this.getNode().webhookId ?? '' };
	// After a failed create there is no registration, but maybe a pending one: the server may hold it.
	const pending = storedRegistration(this) ? undefined : pendingOf(staticData, self.nodeUrl);
	const stored = storedRegistration(this) ?? pending;
	const instance = stored?.instance ?? String(this.getNodeParameter('instance', '')).trim();
	try {
		if (instance === '') return true;
		const client = await clientFor(this);
		const server = await client.server();
		const current = await client.findWebhook(instance);
		if (pending && current?.url !== pending.registeredUrl) {
			// The set never landed (or lands later, on a slow server): keep the snapshot for the next activation.
			keepPending(staticData, pending);
			this.logger.info(`Evolution API Trigger: left the webhook of "${instance}" as it is: nothing to undo: this trigger had not registered`);
			return true;
		}
		// A take-over chain: the snapshot is another workflow's URL, which may have been deactivated since.
		const previousStillReceives = previousIsAnotherWorkflow(stored, self) ? await n8nWebhookReceives(this, stored!.previous!.url) : undefined;
		const plan = planDelete({ current, stored, self, serverSendsHeaders: supportsWebhookHeaders(server), previousStillReceives });
		if (plan.kind === 'leave') {
			this.logger.info(`Evolution API Trigger: left the webhook of "${instance}" as it is: ${plan.why}`);
			// The snapshot cannot go back where it was: say what it was, so a person can restore it by hand.
			if (stored?.previous) this.logger.warn(`Evolution API Trigger: the webhook "${instance}" had before this trigger was not put back. ${previousForHand(stored)}`);
		} else {
			await client.setWebhook(instance, plan.settings);
			this.logger.info(
				`Evolution API Trigger: ${plan.kind === 'restore' ? 'restored the previous webhook of' : 'disabled the webhook of'} "${instance}": ${plan.summary}`,
			);
			if (previousStillReceives !== undefined && plan.kind === 'disable' && stored) this.logger.warn(`Evolution API Trigger: ${previousForHand(stored)}`);
		}
		delete staticData[REGISTRATION_KEY];
		forgetPending(staticData, self.nodeUrl);
		return true;
	} catch (error) {
		if (pending) keepPending(staticData, pending);
		// Keep the registration: a later deactivation can still restore the snapshot.
		this.logger.error(
			`Evolution API Trigger: could not restore the webhook of "${instance}" (${error instanceof Error ? error.message : String(error)}). Check it in the Evolution manager. ${stored ? previousForHand(stored) : ''}`.trimEnd(),
		);
		return false;
	}
}
