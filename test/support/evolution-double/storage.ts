/**
 * How each dialect stores an instance's webhook: v1 one document replaced wholesale on each set, v2 one
 * Prisma row per instance (unique instanceId) upserted; v1 and 2.0 also keep an in-memory copy that
 * deliveries read. See docs/protocol.md#dialects.
 */
import { randomBytes } from 'node:crypto';

import { clone } from './answers';
import type { Capabilities } from './version';
import type { InstanceState, V1WebhookAnswer, WebhookRow, WebhookSeed } from './types';

const V1_EMPTY_FIND = { enabled: false, url: '', events: [], webhook_by_events: false, webhook_base64: false };

let idCounter = 0;
/** A cuid-looking id for Prisma rows. */
function newRowId(): string {
	idCounter += 1;
	return `c${Date.now().toString(36)}${idCounter.toString(36).padStart(4, '0')}${randomBytes(6).toString('hex')}`.slice(0, 25);
}

/** v1 find answer: the stored document's keys (JSON drops those the last set did not send), or the "none" default. */
export function v1FindAnswer(capabilities: Capabilities, instance: InstanceState): V1WebhookAnswer {
	const base64 = capabilities.hasV1Base64;
	const document = instance.v1Document;
	if (!document) {
		const empty: V1WebhookAnswer = clone(V1_EMPTY_FIND);
		if (!base64) delete empty.webhook_base64; // 1.5.0 – 1.5.2 have no base64 option
		return empty;
	}
	const answer: V1WebhookAnswer = {
		enabled: document.enabled,
		url: document.url,
		events: document.events,
		webhook_by_events: document.webhook_by_events,
	};
	if (base64) answer.webhook_base64 = document.webhook_base64;
	return JSON.parse(JSON.stringify(answer)) as V1WebhookAnswer;
}

/** Prisma upsert on the unique instanceId: undefined keys leave the old value; create applies defaults. */
export function upsertRow(
	capabilities: Capabilities,
	instance: InstanceState,
	fields: {
		url: string;
		enabled: boolean;
		events: string[];
		headers?: Record<string, unknown>;
		webhookByEvents?: boolean;
		webhookBase64?: boolean;
	},
): WebhookRow {
	const now = new Date().toISOString();
	const old = instance.row;
	const defined = <T>(value: T | undefined, fallback: T): T => (value === undefined ? fallback : value);
	instance.row = composeRow(capabilities, instance, {
		id: old?.id,
		url: fields.url,
		headers: clone(defined(fields.headers, old?.headers ?? null) as Record<string, unknown> | null),
		enabled: fields.enabled,
		events: clone(fields.events),
		webhookByEvents: defined(fields.webhookByEvents, old?.webhookByEvents ?? false),
		webhookBase64: defined(fields.webhookBase64, old?.webhookBase64 ?? false),
		createdAt: old?.createdAt ?? now,
		updatedAt: now,
	});
	return clone(instance.row);
}

/** A pre-existing webhook, stored without validation in the dialect's own shape. */
export function seedWebhook(capabilities: Capabilities, instance: InstanceState, seed: WebhookSeed): void {
	const enabled = seed.enabled ?? true;
	const events = seed.events ?? [];
	if (capabilities.style === 'v1') {
		const document: Record<string, unknown> = {
			enabled,
			url: seed.url,
			events,
			webhook_by_events: seed.byEvents ?? false,
		};
		if (capabilities.hasV1Base64) document.webhook_base64 = seed.base64 ?? false;
		instance.v1Document = document;
		instance.localWebhook = clone(document);
		return;
	}
	const now = new Date().toISOString();
	instance.row = composeRow(capabilities, instance, {
		url: seed.url,
		headers: seed.headers ?? null,
		enabled,
		events,
		webhookByEvents: seed.byEvents ?? false,
		webhookBase64: seed.base64 ?? false,
		createdAt: now,
		updatedAt: now,
	});
	instance.localWebhook = localWebhookFromRow(instance.row);
}

/** The row with Prisma's field order; `headers` only exists from 2.1.1. */
function composeRow(
	capabilities: Capabilities,
	instance: InstanceState,
	fields: Omit<WebhookRow, 'id' | 'instanceId'> & { id?: string },
): WebhookRow {
	const row: Partial<WebhookRow> = { id: fields.id ?? newRowId(), url: fields.url };
	if (capabilities.hasHeaders) row.headers = fields.headers ?? null;
	Object.assign(row, {
		enabled: fields.enabled,
		events: fields.events,
		webhookByEvents: fields.webhookByEvents,
		webhookBase64: fields.webhookBase64,
		createdAt: fields.createdAt,
		updatedAt: fields.updatedAt,
		instanceId: instance.id,
	});
	return row as WebhookRow;
}

function localWebhookFromRow(row: WebhookRow): Record<string, unknown> {
	return {
		enabled: row.enabled,
		url: row.url,
		events: clone(row.events),
		webhookByEvents: row.webhookByEvents,
		webhookBase64: row.webhookBase64,
	};
}
