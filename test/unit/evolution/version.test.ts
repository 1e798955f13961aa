/** Versions and dialects (docs/protocol.md#dialects: v1 = 1.5.0–1.8.2, v2.0 = 2.0.0-beta…2.0.10, v2.1 = 2.1.0…2.3.6). */
import {
	compareVersions,
	dialectOfVersion,
	parseVersion,
	supportsWebhookHeaders,
	versionForEventChecks,
} from '../../../nodes/lib/evolution/version';

describe('parseVersion', () => {
	it.each([
		['1.5.0', [1, 5, 0]],
		['1.8.2', [1, 8, 2]],
		['2.0.0-beta', [2, 0, 0]],
		['2.0.10', [2, 0, 10]],
		['2.3.6', [2, 3, 6]],
		['v2.1', [2, 1, 0]],
		[' 2.2.3 ', [2, 2, 3]],
	])('reads %p', (text, expected) => {
		expect(parseVersion(text)).toEqual(expected);
	});

	it.each([[''], ['latest'], ['two.one'], [null], [undefined], [2.1], [{ version: '2.1.0' }]])('rejects %p', (text) => {
		expect(parseVersion(text)).toBeUndefined();
	});
});

describe('compareVersions', () => {
	it('compares numerically, not as text', () => {
		expect(compareVersions('2.0.10', '2.0.9')).toBeGreaterThan(0);
		expect(compareVersions('1.10.0', '1.8.2')).toBeGreaterThan(0);
		expect(compareVersions('2.1.0', '2.1.1')).toBeLessThan(0);
		expect(compareVersions('2.3.6', '2.3.6')).toBe(0);
		expect(compareVersions('2.0.0-beta', '2.0.0')).toBe(0);
	});

	it('sorts unreadable versions first', () => {
		expect(compareVersions('unknown', '1.0.0')).toBeLessThan(0);
	});
});

describe('dialectOfVersion (the body format follows the version GET / reports)', () => {
	it.each([
		['1.5.0', 'v1'],
		['1.8.2', 'v1'],
		['2.0.0-beta', 'v2.0'],
		['2.0.10', 'v2.0'],
		['2.1.0', 'v2.1'],
		['2.2.3', 'v2.1'],
		['2.3.6', 'v2.1'],
	])('%s speaks %s', (version, dialect) => {
		expect(dialectOfVersion(version)).toBe(dialect);
	});

	it('has no dialect for an unreadable version', () => {
		expect(dialectOfVersion('not a version')).toBeUndefined();
	});
});

describe('supportsWebhookHeaders (headers exist from 2.1.1, #869)', () => {
	it.each([
		[{ dialect: 'v2.1' as const, version: '2.1.0' }, false],
		[{ dialect: 'v2.1' as const, version: '2.1.1' }, true],
		[{ dialect: 'v2.1' as const, version: '2.3.6' }, true],
		[{ dialect: 'v2.0' as const, version: '2.0.10' }, false],
		[{ dialect: 'v1' as const, version: '1.8.2' }, false],
		// Version hidden: a secret must not depend on a header the server might drop.
		[{ dialect: 'v2.1' as const, version: null }, false],
		[{ dialect: 'v1' as const, version: null }, false],
	])('%p → %p', (server, expected) => {
		expect(supportsWebhookHeaders(server)).toBe(expected);
	});
});

describe('versionForEventChecks', () => {
	it('uses the reported version, else the newest release of the chosen dialect', () => {
		expect(versionForEventChecks({ dialect: 'v2.1', version: '2.1.0' })).toBe('2.1.0');
		expect(versionForEventChecks({ dialect: 'v1', version: null })).toBe('1.8.2');
		expect(versionForEventChecks({ dialect: 'v2.0', version: null })).toBe('2.0.10');
		expect(versionForEventChecks({ dialect: 'v2.1', version: null })).toBe('2.3.6');
	});
});
