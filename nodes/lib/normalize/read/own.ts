/**
 * Table lookups keyed by payload text. `TABLE[body.messageType]` answers inherited members for keys like
 * `constructor` (a function) or `__proto__` (Object.prototype), so a hostile body could put nonsense in an
 * item; only the table's own properties count here.
 */
const hasOwn = Object.prototype.hasOwnProperty;

/** `table[key]` when `key` is the table's own property, else undefined (also for non-string keys). */
export function lookupOwn<V>(table: Readonly<Record<string, V>>, key: unknown): V | undefined {
	if (typeof key !== 'string' || !hasOwn.call(table, key)) return undefined;
	return table[key];
}

/** Whether `key` is an own property of `table` (a plain `in` check also sees inherited names). */
export function hasOwnKey(table: object, key: unknown): key is string {
	return typeof key === 'string' && hasOwn.call(table, key);
}
