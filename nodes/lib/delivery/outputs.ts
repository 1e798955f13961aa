import type { NormalizedItem } from '../model/item';
import { itemKindOf, MESSAGE_KINDS, type MessageKind } from './filters';

/**
 * Which node output an emitted item goes to. The editor computes the outputs from the same parameters
 * (`messageTypeOutputs` in nodes/lib/n8n/trigger-options.ts), so the n-th list the pipeline fills is the n-th output the user wired.
 */
export interface OutputRouting {
	count: number;
	of: (item: NormalizedItem) => number;
}

export const SINGLE_OUTPUT: OutputRouting = { count: 1, of: () => 0 };

/** The name of the last output of "One Output per Message Type": every item that is not a message. */
export const NOT_A_MESSAGE_OUTPUT = 'Not a Message';

/** The kinds that get an output: the selected ones in the catalog's order, or all when none is selected. */
export function routedKinds(selected: readonly MessageKind[]): MessageKind[] {
	const chosen = MESSAGE_KINDS.filter((kind) => selected.includes(kind));
	return chosen.length > 0 ? chosen : [...MESSAGE_KINDS];
}

/**
 * One output per message kind, then one for items without a message (connection, contacts, ticket,
 * status updates, deletions…: itemKindOf null), so nothing the trigger accepts is lost. A message of a kind that has no output
 * cannot arrive: the message-type filter dropped it before.
 */
export function messageTypeRouting(selected: readonly MessageKind[]): OutputRouting {
	const kinds = routedKinds(selected);
	return {
		count: kinds.length + 1,
		of: (item) => {
			const kind = itemKindOf(item);
			const index = kind === null ? -1 : kinds.indexOf(kind);
			return index === -1 ? kinds.length : index;
		},
	};
}
