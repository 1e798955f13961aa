import type { IWebhookFunctions } from 'n8n-workflow';

import { EvolutionClient } from '../evolution/client';
import { lidLookupRequest, phonesFromLookup } from '../evolution/lid-lookup';
import type { LidMap } from '../normalize/lid-map';

/**
 * Asks the Evolution server for the phones of `lids` (nodes/lib/evolution/lid-lookup.ts says which route
 * and what it can answer), within `timeoutMs`. Never throws: a failure, a timeout or an answer without
 * phones is logged at debug level and leaves the phones unknown, so the delivery goes on as without it.
 */
export async function lookUpLidPhones(context: IWebhookFunctions, instance: string, lids: string[], timeoutMs: number): Promise<LidMap> {
	try {
		const client = await EvolutionClient.create(context, 'auto', { timeoutMs });
		return phonesFromLookup(await client.send(lidLookupRequest(instance, lids)), lids);
	} catch (error) {
		context.logger.debug(`LID phone look-up on the server failed; the phone stays empty: ${error instanceof Error ? error.message : String(error)}`);
		return {};
	}
}
