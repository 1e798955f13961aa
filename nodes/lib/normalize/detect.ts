import { findEvent } from '../evolution/events';
import type { Source } from '../model/item';
import { izingHookOf } from './izing';
import { isRawBaileysMessage } from './raw-baileys';
import { getCaseless, isRecord } from './read/scalars';

/**
 * Which source sent a body, by its shape alone (the families share no envelope, see docs/protocol.md#helpdesk-payloads):
 * - Evolution: `{event, instance, data, …}` (`instance` is missing only on the global `error` event).
 * - Whazing: message events (`messageId` / `messageBody` / `ticket`), lifecycle events (capital `Type`),
 *   or the settings page's test ping `{event:"test", origin:"webhook-config"}`.
 * - Izing API hooks: `type` hookMessage / hookMessageStatus / hookSessionStatus.
 * - Whaticket SaaS: `acao` / `chamadoId` / `ticketData`, or `{action:"tag-sync"}`; keys read
 *   case-insensitively because part of their casing is unconfirmed; a raw Baileys message with no envelope
 *   (`key.remoteJid` and `message`) is what their queue integrations post.
 */
export function detectSource(body: unknown): Source {
	if (!isRecord(body)) return 'unknown';
	if (isWhazingTestPing(body)) return 'whazing';
	if (typeof body.event === 'string' && 'data' in body && ('instance' in body || findEvent(body.event) || body.event === 'error')) {
		return 'evolution';
	}
	if (typeof body.Type === 'string' && ('ticket' in body || 'messageBody' in body)) return 'whazing';
	// Izing hooks carry `messageId` too: their `type` must be told before the Whazing message rule.
	if (izingHookOf(body)) return 'izing';
	if ('messageId' in body || ('messageBody' in body && 'ticket' in body)) return 'whazing';
	if (isWhaticketShape(body)) return 'whaticket';
	if ('messageBody' in body || ('ticket' in body && 'whatsapp' in body)) return 'whazing';
	if (isRawBaileysMessage(body)) return 'whaticket';
	return 'unknown';
}

/** Whazing's "test" button body; it carries nothing to process. */
export function isWhazingTestPing(body: unknown): boolean {
	return isRecord(body) && body.event === 'test' && body.origin === 'webhook-config';
}

function isWhaticketShape(body: Record<string, unknown>): boolean {
	const action = getCaseless(body, 'action');
	if (typeof action === 'string' && action.toLowerCase().replace(/[\s_]/g, '-') === 'tag-sync') return true;
	return (
		getCaseless(body, 'acao') !== undefined ||
		getCaseless(body, 'chamadoId') !== undefined ||
		getCaseless(body, 'ticketData') !== undefined
	);
}
