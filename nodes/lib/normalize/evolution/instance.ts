import type { NormalizedItem } from '../../model/item';
import { idOf, isRecord, numberOf, textOf, type JsonObject } from '../read/scalars';
import { isoFromDateText, isoFromEpoch } from '../read/time';
import { baseItem, type EvolutionContext } from './parties';

/** Builders for the catalog's instance shapes: facts about the instance as a whole, in details. */

function recordOf(data: unknown): JsonObject {
	return isRecord(data) ? data : {};
}

/** connection.update: {state, statusReason, wuid?, profileName?, profilePictureUrl?}. */
export function connectionItem(context: EvolutionContext, data: unknown): NormalizedItem {
	const item = baseItem(context);
	const record = recordOf(data);
	item.details = {
		state: textOf(record.state),
		statusReason: numberOf(record.statusReason),
		wuid: textOf(record.wuid),
		profileName: textOf(record.profileName),
		profilePictureUrl: textOf(record.profilePictureUrl),
	};
	return item;
}

/** qrcode.updated: {qrcode: {code, base64, pairingCode}}, or {message, statusCode} when the limit is reached. */
export function qrcodeItem(context: EvolutionContext, data: unknown): NormalizedItem {
	const item = baseItem(context);
	const record = recordOf(data);
	const qrcode = isRecord(record.qrcode) ? record.qrcode : null;
	item.details = qrcode
		? { code: textOf(qrcode.code), base64: textOf(qrcode.base64), pairingCode: textOf(qrcode.pairingCode) }
		: { message: textOf(record.message), statusCode: numberOf(record.statusCode) };
	return item;
}

/** instance.create / instance.delete (2.3+): {instanceName, instanceId}. */
export function instanceLifecycleItem(context: EvolutionContext, data: unknown): NormalizedItem {
	const item = baseItem(context);
	const record = recordOf(data);
	item.instance = textOf(record.instanceName) ?? item.instance;
	item.details = { instanceId: idOf(record.instanceId) };
	return item;
}

/** status.instance (2.3+): {status, disconnectionAt, disconnectionReasonCode}. */
export function instanceStatusItem(context: EvolutionContext, data: unknown): NormalizedItem {
	const item = baseItem(context);
	const record = recordOf(data);
	item.details = {
		status: textOf(record.status),
		disconnectedAt: isoFromDateText(record.disconnectionAt) ?? isoFromEpoch(record.disconnectionAt),
		reasonCode: numberOf(record.disconnectionReasonCode),
	};
	return item;
}

/** new.jwt (v1 JWT mode): the JWT itself is a credential and never reaches the workflow. */
export function instanceTokenItem(context: EvolutionContext, data: unknown): NormalizedItem {
	const item = baseItem(context);
	item.instance = textOf(recordOf(data).instanceName) ?? item.instance;
	return item;
}

/** remove.instance, logout.instance, application.startup: data is null. */
export function noDataItem(context: EvolutionContext): NormalizedItem {
	return baseItem(context);
}
