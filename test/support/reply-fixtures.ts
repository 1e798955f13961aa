/** Normalized items for the Reply node's tests, made by our own normalizer from the fixture payloads. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { normalizeDelivery } from '../../nodes/lib/normalize';
import type { NormalizedItem } from '../../nodes/lib/model/item';

export function payloadOf(path: string): Record<string, unknown> {
	return JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', path), 'utf8')) as Record<string, unknown>;
}

/** The first normalized item of a fixture, optionally with its instance renamed. */
export function normalizedFixture(path: string, changes: { instance?: string; includeRaw?: boolean } = {}): NormalizedItem {
	const [item] = normalizeDelivery(payloadOf(path), { source: 'auto', includeRaw: changes.includeRaw ?? false, splitArrays: true });
	return changes.instance ? { ...item, instance: changes.instance } : item;
}

/** A person's text message (v2 payload): chat 5511988887777, id 3EB0…, "Olá" style text. */
export const PERSON = 'evolution/messages.upsert.v2.json';
export const GROUP = 'evolution/messages.upsert-group.v2.json';
export const LID_WITH_PHONE = 'evolution/messages.upsert-lid.v2.json';
export const IMAGE = 'evolution/messages.upsert-image.v2.json';
export const WHAZING_TEXT = 'whazing/message.received.v2.16.json';
export const WHAZING_MEDIA = 'whazing/message.sent-media.v2.16.json';
export const WHATICKET_TEXT = 'whaticket/start.saas.json';

/** A LID-only chat: the LID fixture with its phone removed (WhatsApp sent no remoteJidAlt). */
export function lidOnly(item: NormalizedItem): NormalizedItem {
	return { ...item, chat: item.chat && { ...item.chat, phone: null }, sender: item.sender && { ...item.sender, phone: null } };
}
