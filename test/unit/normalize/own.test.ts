import { hasOwnKey, lookupOwn } from '../../../nodes/lib/normalize/read/own';

const TYPES: Record<string, string> = { conversation: 'text', imageMessage: 'image' };
const PROTOTYPE_NAMES = ['__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', '__defineGetter__', '__lookupSetter__', 'propertyIsEnumerable', 'toLocaleString'];

describe('lookupOwn', () => {
	it('finds own keys', () => {
		expect(lookupOwn(TYPES, 'imageMessage')).toBe('image');
		expect(lookupOwn(TYPES, 'videoMessage')).toBeUndefined();
	});

	it.each(PROTOTYPE_NAMES)('answers undefined for %s, where a plain index answers an inherited member', (name) => {
		expect(TYPES[name]).toBeDefined();
		expect(lookupOwn(TYPES, name)).toBeUndefined();
		expect(hasOwnKey(TYPES, name)).toBe(false);
	});

	it('answers undefined for non-string keys and works on tables without a prototype or with an own "hasOwnProperty"', () => {
		expect(lookupOwn(TYPES, 1)).toBeUndefined();
		expect(lookupOwn(TYPES, null)).toBeUndefined();
		expect(lookupOwn(TYPES, { toString: () => 'conversation' })).toBeUndefined();
		const bare = Object.assign(Object.create(null) as Record<string, number>, { a: 1 });
		expect(lookupOwn(bare, 'a')).toBe(1);
		const shadowing: Record<string, unknown> = { hasOwnProperty: () => true };
		expect(lookupOwn(shadowing, 'constructor')).toBeUndefined();
		expect(hasOwnKey(shadowing, 'hasOwnProperty')).toBe(true);
	});
});
