import type { IDataObject } from 'n8n-workflow';

import { PENDING_KEY, type Registration } from '../lib/evolution/registration';

/**
 * Where the registration create is about to send lives until the server confirmed it. Two copies, because
 * n8n keeps different things after a failed activation (read in their source): 2.40.7's clean-up delete
 * runs on the same workflow object as create and saves its static data afterwards, so a static-data key
 * written by create reaches delete and the database; 1.123.81's clean-up builds the workflow again from
 * the database (create's writes are gone) and saves what delete writes. So create writes the key and this
 * process's memory; delete reads either and writes the key back when the snapshot is still needed.
 */
const inMemory = new Map<string, Registration>();
const MAX_PENDING = 1_000;

export function rememberPending(staticData: IDataObject, nodeUrl: string, registration: Registration): void {
	staticData[PENDING_KEY] = registration as unknown as IDataObject;
	inMemory.delete(nodeUrl);
	inMemory.set(nodeUrl, registration);
	if (inMemory.size > MAX_PENDING) inMemory.delete(inMemory.keys().next().value as string);
}

export function pendingOf(staticData: IDataObject, nodeUrl: string): Registration | undefined {
	return (staticData[PENDING_KEY] as Registration | undefined) ?? inMemory.get(nodeUrl);
}

/** Keeps the snapshot for the next activation (static data n8n saves after delete). */
export function keepPending(staticData: IDataObject, registration: Registration): void {
	staticData[PENDING_KEY] = registration as unknown as IDataObject;
}

export function forgetPending(staticData: IDataObject, nodeUrl: string): void {
	if (staticData[PENDING_KEY] !== undefined) delete staticData[PENDING_KEY];
	inMemory.delete(nodeUrl);
}
