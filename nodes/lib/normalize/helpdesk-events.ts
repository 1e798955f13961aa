import { NORMALIZED_EVENTS, type NormalizedEventName } from '../model/event-names';

/**
 * THE list of events a helpdesk (Whazing / Izing, Whaticket SaaS) can deliver: the Whaticket Trigger's
 * event options and the helpdesk normalizers' names both derive from it. Message events carry no event
 * name of their own (the normalizer tells received, sent, edited and deleted apart by the payload);
 * ticket events are named by Whazing's `Type` and Whaticket SaaS's `acao` / `action` value.
 */
export interface HelpdeskEvent {
	readonly normalized: NormalizedEventName;
	readonly label: string;
	/** Whazing `Type` values (lifecycle webhooks). */
	readonly whazing: readonly string[];
	/** Whaticket SaaS `acao` (or `action`) values, lower-case. */
	readonly whaticket: readonly string[];
	/** Izing API hook `type` values. */
	readonly izing?: readonly string[];
}

export const HELPDESK_EVENTS: readonly HelpdeskEvent[] = [
	// Izing's hookMessage is sent for incoming messages; one with fromMe would be message.sent.
	{ normalized: 'message.received', label: 'Message Received', whazing: [], whaticket: [], izing: ['hookMessage'] },
	{ normalized: 'message.sent', label: 'Message Sent', whazing: [], whaticket: [] },
	{ normalized: 'message.edited', label: 'Message Edited', whazing: [], whaticket: [] },
	{ normalized: 'message.deleted', label: 'Message Deleted', whazing: [], whaticket: [] },
	{ normalized: 'message.updated', label: 'Message Status Changed', whazing: [], whaticket: [], izing: ['hookMessageStatus'] },
	{ normalized: 'connection.updated', label: 'Connection Changed', whazing: [], whaticket: [], izing: ['hookSessionStatus'] },
	{ normalized: 'ticket.created', label: 'Ticket Created', whazing: ['NewTicket', 'NewTicketUserCreate'], whaticket: [] },
	{ normalized: 'ticket.transferred', label: 'Ticket Transferred', whazing: ['TransferTicket'], whaticket: [] },
	// The open ancestor code of Whaticket SaaS also sends acao "end" when a ticket ends.
	{ normalized: 'ticket.closed', label: 'Ticket Closed', whazing: ['ClosedTicket'], whaticket: ['closed', 'end'] },
	{ normalized: 'ticket.status', label: 'Ticket Status Changed', whazing: [], whaticket: ['open', 'pending'] },
	{ normalized: 'tags.synced', label: 'Ticket Tags Changed', whazing: [], whaticket: ['tag-sync'] },
];

function indexBy(source: 'whazing' | 'whaticket' | 'izing'): Map<string, NormalizedEventName> {
	const index = new Map<string, NormalizedEventName>();
	for (const entry of HELPDESK_EVENTS) for (const name of entry[source] ?? []) index.set(name, entry.normalized);
	return index;
}

const BY_WHAZING_TYPE = indexBy('whazing');
const BY_WHATICKET_ACTION = indexBy('whaticket');
const BY_IZING_HOOK = indexBy('izing');

/** The stable name of an Izing hook; a hookMessage this number wrote is message.sent. */
export function izingEventOf(hook: string, fromMe: boolean): NormalizedEventName {
	const event = BY_IZING_HOOK.get(hook) ?? 'unknown';
	return event === 'message.received' && fromMe ? 'message.sent' : event;
}

/** The stable name of a Whazing lifecycle `Type` (NewTicket…), or undefined. */
export function whazingEventOf(type: string): NormalizedEventName | undefined {
	return BY_WHAZING_TYPE.get(type);
}

/** The stable name of a Whaticket SaaS `acao` / `action` value (already lower-cased), or undefined. */
export function whaticketEventOf(action: string): NormalizedEventName | undefined {
	return BY_WHATICKET_ACTION.get(action);
}

/** Options for the trigger's event filter, labelled for people who do not code. */
export function helpdeskEventOptions(): Array<{ name: string; value: string; description: string }> {
	return [...HELPDESK_EVENTS]
		.sort((a, b) => a.label.localeCompare(b.label))
		.map(({ label, normalized }) => ({ name: label, value: normalized, description: `${NORMALIZED_EVENTS[normalized]} (${normalized})` }));
}
