/** The instance-level routes: GET / (no auth, tells the version), fetchInstances and connectionState. */
import { errorBody, unauthorized } from './answers';
import { DOUBLE_WHATSAPP_WEB_VERSION, WELCOME_MESSAGE, type Answer, type DoubleContext, type InstanceState } from './types';

export function rootAnswer(ctx: DoubleContext, host: string | undefined): Answer {
	const version = ctx.options.hideVersion ? undefined : ctx.version;
	const body: Record<string, unknown> = { status: 200, message: WELCOME_MESSAGE, version };
	if (ctx.capabilities.rootHasV2Fields) {
		body.clientName = 'evolution_exchange';
		body.manager = `http://${host ?? '127.0.0.1'}/manager`;
		body.documentation = 'https://doc.evolution-api.com';
		body.whatsappWebVersion = DOUBLE_WHATSAPP_WEB_VERSION;
	} else {
		body.documentation = 'https://doc.evolution-api.com';
	}
	return { status: 200, body };
}

export function fetchInstancesAnswer(ctx: DoubleContext, apikey: string | undefined, query: Record<string, string>): Answer {
	if (!apikey) return unauthorized();
	let visible = [...ctx.instances.values()];
	if (apikey !== ctx.globalKey) {
		// 1.x with the file store looks instance tokens up for this route in the database only: 401.
		if (ctx.capabilities.style === 'v1' && ctx.options.v1Storage === 'file') return unauthorized();
		visible = visible.filter((i) => i.token === apikey);
		if (visible.length === 0) return unauthorized();
	}
	if (ctx.capabilities.style === 'v1') visible = visible.filter((i) => i.loaded); // v1 lists memory only
	const wanted = query.instanceName;
	if (wanted !== undefined) {
		visible = visible.filter((i) => i.name === wanted);
		if (visible.length === 0 || (ctx.capabilities.style !== 'v1' && !visible[0].loaded)) {
			return errorBody(404, 'Not Found', [`Instance "${wanted}" not found`]);
		}
	}
	if (ctx.capabilities.style === 'v1') {
		const entries = visible.map((i) => v1InstanceEntry(ctx, i));
		// v1 answers a single object when one name was asked for.
		return { status: 200, body: wanted !== undefined ? entries[0] : entries };
	}
	return { status: 200, body: visible.map((i) => v2InstanceEntry(i)) };
}

function v1InstanceEntry(ctx: DoubleContext, instance: InstanceState): Record<string, unknown> {
	const entry: Record<string, unknown> = { instanceName: instance.name, instanceId: instance.id };
	if (instance.connectionStatus === 'open') {
		entry.owner = instance.ownerJid;
		entry.profileName = instance.profileName ?? 'not loaded';
		entry.profilePictureUrl = null;
		entry.profileStatus = '';
	}
	entry.status = instance.connectionStatus;
	if (ctx.options.exposeApikey ?? true) {
		entry.serverUrl = ctx.serverUrl();
		entry.apikey = instance.token;
	}
	return { instance: entry };
}

function v2InstanceEntry(instance: InstanceState): Record<string, unknown> {
	return {
		id: instance.id,
		name: instance.name,
		connectionStatus: instance.connectionStatus,
		ownerJid: instance.ownerJid ?? null,
		profileName: instance.profileName ?? null,
		profilePicUrl: null,
		integration: 'WHATSAPP-BAILEYS',
		number: null,
		businessId: null,
		token: instance.token,
		clientName: 'evolution_exchange',
		disconnectionReasonCode: null,
		disconnectionObject: null,
		disconnectionAt: null,
		createdAt: instance.createdAt,
		updatedAt: instance.createdAt,
		Chatwoot: null,
		Proxy: null,
		Rabbitmq: null,
		Sqs: null,
		Websocket: null,
		Setting: null,
		_count: { Message: 0, Contact: 0, Chat: 0 },
	};
}

export function connectionStateAnswer(instance: InstanceState): Answer {
	const state = instance.loaded ? instance.connectionStatus : undefined;
	return { status: 200, body: { instance: { instanceName: instance.name, state } } };
}
