/**
 * The stable event names of the normalized item model. Every source (Evolution, Whazing, Whaticket SaaS)
 * maps its own event names onto these, so a workflow can branch on one vocabulary.
 */
export const NORMALIZED_EVENTS = {
	'message.received': 'A message arrived from a contact or a group member',
	'message.sent': 'A message was sent by this number (from the phone, the API or an agent)',
	'message.history': 'A message from the history synced after the phone connects',
	'message.updated': 'A message status changed (delivered, read, played…)',
	'message.deleted': 'A message was deleted',
	'message.edited': 'A message was edited',
	'connection.updated': 'The WhatsApp connection opened, closed or is connecting',
	'qrcode.updated': 'A new QR code must be scanned to connect',
	'contact.updated': 'A contact was created or changed',
	'chat.updated': 'A chat was created or changed',
	'chat.deleted': 'A chat was deleted',
	'group.updated': 'A group was created or its settings changed',
	'group.participants': 'People joined, left, were promoted or demoted in a group',
	'presence.updated': 'A contact is typing, recording, online or offline',
	call: 'An incoming or outgoing call',
	'label.updated': 'A label was created, changed or deleted',
	'label.associated': 'A label was added to or removed from a chat',
	'bot.updated': 'A Typebot or Chama AI session started, changed status or acted',
	'instance.created': 'An instance was created on the server',
	'instance.deleted': 'An instance was deleted from the server',
	'instance.status': 'An instance changed status',
	'instance.removed': 'An instance was removed',
	'instance.logged-out': 'An instance was logged out of WhatsApp',
	'instance.token': 'A new JWT was issued for an instance',
	'application.startup': 'The server started',
	'ticket.created': 'A helpdesk ticket was opened',
	'ticket.transferred': 'A helpdesk ticket moved to another queue or agent',
	'ticket.closed': 'A helpdesk ticket was closed',
	'ticket.status': 'A helpdesk ticket changed status',
	'tags.synced': 'The tags of a helpdesk ticket changed (the full current set)',
	unknown: 'The body did not match any known format',
} as const;

export type NormalizedEventName = keyof typeof NORMALIZED_EVENTS;

export const NORMALIZED_EVENT_NAMES = Object.keys(NORMALIZED_EVENTS) as [NormalizedEventName, ...NormalizedEventName[]];
