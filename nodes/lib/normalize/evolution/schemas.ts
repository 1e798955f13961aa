import { z } from 'zod';

import { jsonObject, looseBoolean, looseReader, tolerant } from '../read/loose';

/**
 * Loose schemas of an Evolution delivery (v1 1.5–1.8, v2.0–2.3, see docs/protocol.md#delivery-envelope):
 * every field optional, a field of the wrong type reads as absent, unknown fields pass through.
 */

export const evolutionEnvelopeSchema = z
	.object({
		event: tolerant(z.string()),
		instance: tolerant(z.union([z.string(), jsonObject])),
		data: z.unknown(),
		/** The connected number's JID; missing before the first connection. */
		sender: tolerant(z.string()),
	})
	.passthrough();

export const messageKeySchema = z
	.object({
		remoteJid: tolerant(z.string()),
		fromMe: tolerant(looseBoolean),
		id: tolerant(z.string()),
		participant: tolerant(z.string()),
		// Baileys 7 (Evolution 2.3.3+) LID addressing; senderPn/senderLid/participantPn are the 6.7 spellings.
		remoteJidAlt: tolerant(z.string()),
		participantAlt: tolerant(z.string()),
		addressingMode: tolerant(z.string()),
		senderPn: tolerant(z.string()),
		senderLid: tolerant(z.string()),
		participantPn: tolerant(z.string()),
		participantLid: tolerant(z.string()),
	})
	.passthrough();
export type MessageKey = z.infer<typeof messageKeySchema>;

export const messageRecordSchema = z
	.object({
		key: tolerant(messageKeySchema),
		pushName: tolerant(z.string()),
		status: tolerant(z.union([z.string(), z.number()])),
		message: tolerant(jsonObject),
		messageType: tolerant(z.string()),
		messageTimestamp: z.unknown(),
		contextInfo: z.unknown(),
		participant: tolerant(z.string()),
	})
	.passthrough();
export type MessageRecord = z.infer<typeof messageRecordSchema>;

export const EMPTY_KEY: MessageKey = {};
const EMPTY_RECORD: MessageRecord = {};

export const readEnvelope = looseReader(evolutionEnvelopeSchema);
const readMessageRecord = looseReader(messageRecordSchema);
const readMessageKey = looseReader(messageKeySchema);

export function readRecord(value: unknown): MessageRecord {
	return readMessageRecord(value) ?? EMPTY_RECORD;
}

export function readKey(value: unknown): MessageKey {
	return readMessageKey(value) ?? EMPTY_KEY;
}
