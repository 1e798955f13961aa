import { NodeApiError, NodeOperationError, type IDataObject, type IHookFunctions } from 'n8n-workflow';

import { EvolutionClient } from '../lib/evolution/client';
import {
	isRegistrationIntact,
	planCreate,
	planDelete,
	REGISTRATION_KEY,
	registrationTarget,
	type Registration,
	type SelfIdentity,
	withoutQuery,
} from '../lib/evolution/registration';
import { supportsWebhookHeaders } from '../lib/evolution/version';
import { newSecret } from '../lib/delivery/verify';
import { readVersionSetting } from '../lib/n8n/evolution-properties';

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

export async function createRegistration(this: IHookFunctions): Promise<boolean> {
	if (isGlobalMode(this)) return true;
	const settings = readSettings(this);
	const self = selfIdentity(this);
	const client = await clientFor(this);
	const server = await client.server();
	client.assertEventsSupported(server, settings.events);

	const current = await client.findWebhook(settings.instance);
	const stored = storedRegistration(this);
	const testListen = this.getMode() === 'manual';
	const plan = planCreate({ current, self, instance: settings.instance, stored, allowTakeover: settings.allowTakeover, testListen });
	if (plan.kind === 'refuse') {
		this.logger.warn(`Evolution API Trigger: refused to register on "${settings.instance}": ${plan.message}`);
		throw new NodeOperationError(this.getNode(), plan.message, { description: plan.description });
	}
	if (plan.warning) this.logger.warn(`Evolution API Trigger: ${plan.warning}`);

	const secret = newSecret();
	const sendsHeaders = supportsWebhookHeaders(server);
	const target = registrationTarget(self.nodeUrl, secret, sendsHeaders);
	const registration: Registration = {
		instance: settings.instance,
		nodeUrl: self.nodeUrl,
		registeredUrl: target.registeredUrl,
		secret,
		secretIn: target.secretIn,
		events: [...settings.events],
		previous: plan.previous,
		registeredAt: new Date().toISOString(),
		endpoint: testListen ? 'test' : 'production',
	};
	try {
		await client.setWebhook(settings.instance, {
			url: target.registeredUrl,
			enabled: true,
			events: settings.events,
			byEvents: false,
			base64: settings.base64,
			headers: target.headers,
		});
	} catch (error) {
		await undoFailedSet.call(this, client, registration, self, sendsHeaders);
		throw error instanceof NodeApiError || error instanceof NodeOperationError ? error : new NodeOperationError(this.getNode(), error as Error);
	}
	// Saved only once the server has it: n8n does not keep the static data of a failed activation.
	this.getWorkflowStaticData('node')[REGISTRATION_KEY] = registration;
	this.logger.info(
		`Evolution API Trigger: registered the ${describeUrl(this)} ${self.nodeUrl} on instance "${settings.instance}" for ${settings.events.join(', ')} (secret in ${target.secretIn}); saved the previous webhook: ${plan.previous ? withoutQuery(plan.previous.url) : 'none'}`,
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
			`Evolution API Trigger: the registration on "${registration.instance}" failed, and the previous webhook could not be checked or put back (${undoError instanceof Error ? undoError.message : String(undoError)}). Check it in the Evolution manager.`,
		);
	}
}

/** Never throws: n8n would skip its own clean-up. Every outcome is logged. */
export async function deleteRegistration(this: IHookFunctions): Promise<boolean> {
	if (isGlobalMode(this)) return true;
	const staticData = this.getWorkflowStaticData('node');
	const stored = storedRegistration(this);
	const instance = stored?.instance ?? String(this.getNodeParameter('instance', '')).trim();
	try {
		if (instance === '') return true;
		const client = await clientFor(this);
		const server = await client.server();
		const current = await client.findWebhook(instance);
		const plan = planDelete({ current, stored, self: selfIdentity(this), serverSendsHeaders: supportsWebhookHeaders(server) });
		if (plan.kind === 'leave') {
			this.logger.info(`Evolution API Trigger: left the webhook of "${instance}" as it is: ${plan.why}`);
		} else {
			await client.setWebhook(instance, plan.settings);
			this.logger.info(
				`Evolution API Trigger: ${plan.kind === 'restore' ? 'restored the previous webhook of' : 'disabled the webhook of'} "${instance}": ${plan.summary}`,
			);
		}
		delete staticData[REGISTRATION_KEY];
		return true;
	} catch (error) {
		// Keep the registration: a later deactivation can still restore the snapshot.
		this.logger.error(
			`Evolution API Trigger: could not restore the webhook of "${instance}" (${error instanceof Error ? error.message : String(error)}). Check it in the Evolution manager.`,
		);
		return false;
	}
}
