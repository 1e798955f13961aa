import { compareVersions, type ServerInfo } from '../evolution/version';

/**
 * What each source and Evolution version can do when answering, and the sentence that says so when it
 * cannot. Evolution facts were read in the upstream source per tag (1.5.0 – 2.3.6) and run against a
 * stock 1.8.1; README's "Reply to a message" section shows this table to users.
 */

/** Evolution releases that send differently: 1.5.x, 1.6–1.8.x, 2.0.x, 2.1–2.2.x, 2.3.x and newer. */
export type EvolutionLine = 'v1.5' | 'v1.6' | 'v2.0' | 'v2.1' | 'v2.3';
export type HelpdeskProduct = 'whazing' | 'izing' | 'whaticket';
/** One column of the support matrix. */
export type SendColumn = EvolutionLine | HelpdeskProduct;

export type ReplyOperation = 'sendText' | 'sendMedia' | 'sendVoice' | 'react' | 'presence' | 'markRead' | 'downloadMedia';
/** An operation, or an option of one that not every server has. */
export type ReplyFeature = ReplyOperation | 'quote' | 'mentions' | 'sticker' | 'removeReaction';

export const EVOLUTION_LINES: readonly EvolutionLine[] = ['v1.5', 'v1.6', 'v2.0', 'v2.1', 'v2.3'];
export const HELPDESK_PRODUCTS: readonly HelpdeskProduct[] = ['whazing', 'izing', 'whaticket'];
export const REPLY_FEATURES: readonly ReplyFeature[] = [
	'sendText',
	'quote',
	'mentions',
	'sendMedia',
	'sticker',
	'sendVoice',
	'react',
	'removeReaction',
	'presence',
	'markRead',
	'downloadMedia',
];

/**
 * The release line of a server. A hidden version counts as the line most installs of that dialect run
 * (v1 → 1.6–1.8, 2.1+ → 2.1–2.2), so nothing newer than what the dialect surely has is assumed.
 */
export function evolutionLineOf(server: ServerInfo): EvolutionLine {
	if (server.dialect === 'v2.0') return 'v2.0';
	if (server.version === null) return server.dialect === 'v1' ? 'v1.6' : 'v2.1';
	if (server.dialect === 'v1') return compareVersions(server.version, '1.6.0') < 0 ? 'v1.5' : 'v1.6';
	return compareVersions(server.version, '2.3.0') < 0 ? 'v2.1' : 'v2.3';
}

export const COLUMN_LABELS: Record<SendColumn, string> = {
	'v1.5': 'Evolution API 1.5.x',
	'v1.6': 'Evolution API 1.6 – 1.8.x',
	'v2.0': 'Evolution API 2.0.x',
	'v2.1': 'Evolution API 2.1 – 2.2.x',
	'v2.3': 'Evolution API 2.3.x',
	whazing: 'Whazing',
	izing: 'Izing',
	whaticket: 'Whaticket SaaS',
};

const HELPDESK_NO_MESSAGE_API = 'its external API only sends messages';
const NO_REACT = 'answer with a text instead';
const NO_PRESENCE = 'leave this step out';

/** Why a helpdesk cannot do a feature, and what to do instead. Absent = supported. */
const HELPDESK_REFUSALS: Record<HelpdeskProduct, Partial<Record<ReplyFeature, string>>> = {
	whazing: {
		quote: 'cannot quote a message through its external API: turn "Quote the Message" off',
		mentions: 'cannot mention people through its external API: remove the mentions',
		sendVoice: 'has no voice notes in its external API: use Send Media with type Audio (it arrives as an audio file)',
		react: `cannot react to messages (${HELPDESK_NO_MESSAGE_API}): ${NO_REACT}`,
		removeReaction: `cannot react to messages (${HELPDESK_NO_MESSAGE_API}): ${NO_REACT}`,
		presence: `cannot show "typing…" (${HELPDESK_NO_MESSAGE_API}): ${NO_PRESENCE}`,
		markRead: 'has no read receipts in its API (a ticket is read when an agent opens it): leave this step out',
	},
	izing: {
		quote: 'cannot quote a message through its external API: turn "Quote the Message" off',
		mentions: 'cannot mention people through its external API: remove the mentions',
		sticker: 'cannot send stickers through its external API: send the image as type Image',
		sendVoice: 'has no voice notes in its external API: use Send Media with type Audio (it arrives as an audio file)',
		react: `cannot react to messages (${HELPDESK_NO_MESSAGE_API}): ${NO_REACT}`,
		removeReaction: `cannot react to messages (${HELPDESK_NO_MESSAGE_API}): ${NO_REACT}`,
		presence: `cannot show "typing…" (${HELPDESK_NO_MESSAGE_API}): ${NO_PRESENCE}`,
		markRead: 'has no read receipts in its API (a ticket is read when an agent opens it): leave this step out',
	},
	whaticket: {
		quote: 'cannot quote through the API token (a quote needs the helpdesk\'s own message row id): turn "Quote the Message" off',
		mentions: 'cannot mention people through its API: remove the mentions',
		sticker: 'cannot send stickers through its API: send the image as type Image',
		sendVoice: 'has no voice notes in its API: use Send Media with type Audio (it arrives as an audio file)',
		react: `cannot react through the API token (reactions need an agent login): ${NO_REACT}`,
		removeReaction: `cannot react through the API token (reactions need an agent login): ${NO_REACT}`,
		presence: `cannot show "typing…" through its API: ${NO_PRESENCE}`,
		markRead: 'marks the ticket as read by itself when you send through its API: just send your answer',
	},
};

/**
 * Whether `feature` works on `column`: null when it does, else the sentence that says it does not
 * and what to do instead. Asked before anything is sent.
 */
export function refusalFor(feature: ReplyFeature, column: SendColumn): string | null {
	const label = COLUMN_LABELS[column];
	if (column === 'whazing' || column === 'izing' || column === 'whaticket') {
		const why = HELPDESK_REFUSALS[column][feature];
		return why ? `${label} ${why}` : null;
	}
	if (feature === 'presence' && column === 'v1.5') {
		return `${label} has no presence route (it came in 1.6.0): use the "Typing Delay" option of Send Text instead, which shows "typing…" before the message`;
	}
	if (feature === 'removeReaction' && column !== 'v2.3') {
		return `${label} cannot remove a reaction (only 2.3.0 and newer accept an empty reaction): send another emoji instead, or update the server`;
	}
	return null;
}

/** Features that need the id of the message being answered. */
export const NEEDS_MESSAGE_ID: ReadonlySet<ReplyFeature> = new Set(['quote', 'react', 'removeReaction', 'markRead', 'downloadMedia']);
