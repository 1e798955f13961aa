import type { IExecuteFunctions } from 'n8n-workflow';

import { dropProcessedBefore, type SeenDeliveries } from '../delivery/redeliveries';
import type { NormalizedItem } from '../model/item';

/** Where Normalize Event keeps the keys of processed broker deliveries, in the node's static data. */
export const PROCESSED_KEY = 'processedDeliveries';

/**
 * Normalize Event's "Drop Redeliveries": the keys go to the node's workflow static data. n8n saves static
 * data an action node changed only for production executions (2.40.7 and 1.123.81: the
 * `workflowExecuteAfter` hooks skip `mode === 'manual'`); it loads it when an execution starts and writes
 * it back whole when it ends, so two executions running at once do not see each other's keys. A 2.40.7
 * queue-mode worker starts a trigger's execution without the saved static data (the execution's stored
 * workflow leaves it out; only resumed executions reload it), so there no key of an earlier execution is seen.
 */
export function dropRedeliveries(context: IExecuteFunctions, items: NormalizedItem[], now: number): NormalizedItem[] {
	const staticData = context.getWorkflowStaticData('node');
	const stored = staticData[PROCESSED_KEY];
	// A plain copy: the stored value is n8n's change-tracking proxy; assigning the copy back marks the change.
	const seen: SeenDeliveries = typeof stored === 'object' && stored !== null ? { ...(stored as SeenDeliveries) } : {};
	const result = dropProcessedBefore(items, seen, 'broker', now);
	if (result.changed) staticData[PROCESSED_KEY] = seen;
	return result.items;
}
