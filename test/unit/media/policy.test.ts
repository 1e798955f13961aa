/** The media download policy as plain data: addresses in every spelling, names, the allow-list, limits, responses. */
import { readFileSync } from 'fs';
import { join } from 'path';

import { formatAddress, parseAddress, parseIPv4, parseIPv6, rangeOf } from '../../../nodes/lib/media/address';
import {
	checkConnectedAddress,
	checkMediaUrl,
	decideResponse,
	DEFAULT_MEDIA_MAX_MB,
	DEFAULT_MEDIA_TIMEOUT_SECONDS,
	displayUrl,
	mediaLimits,
	parseAllowedHosts,
} from '../../../nodes/lib/media/policy';
import { helpdeskSettingsOf } from '../../../nodes/lib/delivery/settings-of';
import { mediaDownloadOptions } from '../../../nodes/lib/n8n/media-properties';

describe('parseIPv4', () => {
	it.each([
		['127.0.0.1', '127.0.0.1'],
		['2130706433', '127.0.0.1'],
		['0x7f000001', '127.0.0.1'],
		['0177.0.0.1', '127.0.0.1'],
		['0x7f.0.0.1', '127.0.0.1'],
		['127.1', '127.0.0.1'],
		['127.0.1', '127.0.0.1'],
		['0', '0.0.0.0'],
		['169.254.169.254', '169.254.169.254'],
		['0xa9.0xfe.0xa9.0xfe', '169.254.169.254'],
		['10.0.0.1.', '10.0.0.1'],
	])('%s is %s', (text, canonical) => {
		const value = parseIPv4(text);
		expect(value === null ? null : formatAddress({ family: 4, value })).toBe(canonical);
	});

	it.each(['256.0.0.1', '1.2.3.4.5', '0x', 'example.com', '08.0.0.1', '4294967296', '', '1..2'])('%s is not an IPv4 address', (text) => {
		if (text === '0x') expect(parseIPv4(text)).toBe(0); // inet_aton: a bare 0x is zero
		else expect(parseIPv4(text)).toBeNull();
	});
});

describe('parseIPv6', () => {
	it.each([
		['::1', [0, 0, 0, 0, 0, 0, 0, 1]],
		['[::1]', [0, 0, 0, 0, 0, 0, 0, 1]],
		['::', [0, 0, 0, 0, 0, 0, 0, 0]],
		['::ffff:127.0.0.1', [0, 0, 0, 0, 0, 0xffff, 0x7f00, 1]],
		['::ffff:7f00:1', [0, 0, 0, 0, 0, 0xffff, 0x7f00, 1]],
		['fe80::1%eth0', [0xfe80, 0, 0, 0, 0, 0, 0, 1]],
		['2001:db8:0:0:1:0:0:1', [0x2001, 0xdb8, 0, 0, 1, 0, 0, 1]],
		['1:2:3:4:5:6:7:8', [1, 2, 3, 4, 5, 6, 7, 8]],
		['1:2:3:4:5:6:1.2.3.4', [1, 2, 3, 4, 5, 6, 0x102, 0x304]],
	])('%s', (text, groups) => {
		expect(parseIPv6(text)).toEqual(groups);
	});

	it.each(['1:2:3', ':::', '1::2::3', '12345::', '::ffff:999.0.0.1', '1:2:3:4:5:6:7:8:9', 'example.com'])('%s is not an IPv6 address', (text) => {
		expect(parseIPv6(text)).toBeNull();
	});
});

describe('address ranges', () => {
	it.each([
		['127.0.0.1', 'loopback'],
		['127.255.255.254', 'loopback'],
		['0.0.0.0', 'unspecified'],
		['10.1.2.3', 'private'],
		['172.16.0.1', 'private'],
		['172.31.255.255', 'private'],
		['192.168.1.1', 'private'],
		['100.64.0.1', 'shared (CGNAT)'],
		['100.127.255.255', 'shared (CGNAT)'],
		['169.254.169.254', 'link-local'],
		['224.0.0.1', 'multicast'],
		['255.255.255.255', 'reserved'],
		['192.0.2.1', 'reserved'],
		['::1', 'loopback'],
		['::', 'unspecified'],
		['::ffff:127.0.0.1', 'loopback'],
		['::ffff:10.0.0.1', 'private'],
		['::ffff:a9fe:a9fe', 'link-local'],
		['64:ff9b::7f00:1', 'loopback'],
		['2002:7f00:1::', 'loopback'],
		['fc00::1', 'unique-local'],
		['fd12:3456::1', 'unique-local'],
		['fe80::1', 'link-local'],
		['ff02::1', 'multicast'],
		['2001:db8::1', 'reserved'],
		['::127.0.0.1', 'reserved'],
	])('%s is %s', (text, range) => {
		const address = parseAddress(text);
		expect(address && rangeOf(address)).toBe(range);
	});

	it.each(['8.8.8.8', '172.32.0.1', '172.15.255.255', '100.128.0.1', '93.184.215.14', '2606:4700::1111', '::ffff:8.8.8.8', '2a03:2880:f12f:83:face:b00c::25de'])(
		'%s is public',
		(text) => {
			const address = parseAddress(text);
			expect(address).not.toBeNull();
			expect(rangeOf(address!)).toBeNull();
		},
	);
});

describe('checkMediaUrl', () => {
	it.each([
		'http://127.0.0.1/x',
		'http://2130706433/x',
		'http://0x7f000001/x',
		'http://0177.0.0.1/x',
		'http://127.1/x',
		'http://[::1]/x',
		'http://[::ffff:127.0.0.1]/x',
		'http://[::ffff:7f00:1]/x',
		'http://169.254.169.254/latest/meta-data/',
		'http://0xa9fea9fe/latest/meta-data/',
		'http://10.0.0.5:9000/bucket/a.jpg',
		'http://192.168.0.10/a.jpg',
		'http://172.20.0.3/a.jpg',
		'http://100.64.1.1/a.jpg',
		'http://[fd00::1]/a.jpg',
		'http://[fe80::1]/a.jpg',
		'http://0.0.0.0:5678/',
		'http://0/',
		'http://localhost:5678/rest/settings',
		'http://LOCALHOST./x',
		'http://api.localhost/x',
		'http://minio:9000/a.jpg',
		'http://host.docker.internal/x',
		'http://metadata.google.internal/computeMetadata/v1/',
		'http://printer.local/x',
	])('refuses %s before connecting', (url) => {
		const decision = checkMediaUrl(url, []);
		expect(decision.ok).toBe(false);
		if (!decision.ok) expect(decision.reason).toMatch(/Media Download Allowed Hosts/);
	});

	it.each(['file:///etc/passwd', 'ftp://example.com/a.jpg', 'gopher://127.0.0.1:6379/_INFO', 'data:text/plain,hi', 'javascript:alert(1)', 'not a url', ''])(
		'refuses %j (not an http(s) URL)',
		(url) => {
			const decision = checkMediaUrl(url, []);
			expect(decision.ok).toBe(false);
		},
	);

	it('lets public names and addresses through to the connected-address check', () => {
		expect(checkMediaUrl('https://mmg.whatsapp.net/v/t62/a.enc?oh=1', [])).toEqual({ ok: true, url: 'https://mmg.whatsapp.net/v/t62/a.enc?oh=1', host: 'mmg.whatsapp.net', allowListed: false });
		expect(checkMediaUrl('http://93.184.215.14/a.jpg', [])).toMatchObject({ ok: true, allowListed: false });
	});

	it('lets an allow-listed private host through, in any spelling of the same address', () => {
		const allowed = parseAllowedHosts('minio:9000, 10.0.0.5\n*.storage.lan');
		expect(allowed).toEqual(['minio', '10.0.0.5', '*.storage.lan']);
		expect(checkMediaUrl('http://minio:9000/bucket/a.jpg', allowed)).toMatchObject({ ok: true, allowListed: true });
		expect(checkMediaUrl('http://0x0a.0.0.5/a.jpg', allowed)).toMatchObject({ ok: true, allowListed: true, host: '10.0.0.5' });
		expect(checkMediaUrl('http://eu.storage.lan/a.jpg', allowed)).toMatchObject({ ok: true, allowListed: true });
		expect(checkMediaUrl('http://10.0.0.6/a.jpg', allowed).ok).toBe(false);
		expect(checkMediaUrl('http://storage.lan.evil.com/a.jpg', allowed)).toMatchObject({ ok: true, allowListed: false });
	});
});

describe('checkConnectedAddress', () => {
	it('refuses a name that resolved to an internal address, in either notation', () => {
		expect(checkConnectedAddress('127.0.0.1', 'cdn.example.com', 'https://cdn.example.com/a')).toMatch(/"cdn.example.com" resolved to 127.0.0.1, a loopback address/);
		expect(checkConnectedAddress('::ffff:127.0.0.1', 'cdn.example.com', 'https://cdn.example.com/a')).toMatch(/loopback/);
		expect(checkConnectedAddress('169.254.169.254', 'x.example.com', 'https://x.example.com/')).toMatch(/metadata/);
		expect(checkConnectedAddress(null, 'x.example.com', 'https://x.example.com/')).toMatch(/could not be verified/);
		// An HTTP client that hides the socket is fine only after the name was resolved and checked beforehand.
		expect(checkConnectedAddress(null, 'x.example.com', 'https://x.example.com/', true)).toBeNull();
		expect(checkConnectedAddress('127.0.0.1', 'x.example.com', 'https://x.example.com/', true)).toMatch(/loopback/);
		expect(checkConnectedAddress('93.184.215.14', 'x.example.com', 'https://x.example.com/')).toBeNull();
	});
});

describe('decideResponse', () => {
	const limits = { maxBytes: 1000, maxRedirects: 2 };
	it('reads a 2xx within the cap, refuses a Content-Length above it before reading', () => {
		expect(decideResponse(200, { 'content-length': '1000' }, 'https://a.example/x', 0, limits)).toEqual({ kind: 'read' });
		expect(decideResponse(200, {}, 'https://a.example/x', 0, limits)).toEqual({ kind: 'read' });
		const big = decideResponse(200, { 'Content-Length': '1001' }, 'https://a.example/x?sig=S', 0, limits);
		expect(big).toMatchObject({ kind: 'fail' });
		expect(JSON.stringify(big)).toMatch(/Media Max Size \(MB\)/);
		expect(JSON.stringify(big)).not.toContain('sig=S');
	});

	it('resolves redirects against the current URL and stops after the maximum', () => {
		expect(decideResponse(302, { location: '/b' }, 'https://a.example/x', 0, limits)).toEqual({ kind: 'redirect', url: 'https://a.example/b' });
		expect(decideResponse(301, { location: 'http://127.0.0.1/' }, 'https://a.example/x', 1, limits)).toEqual({ kind: 'redirect', url: 'http://127.0.0.1/' });
		expect(decideResponse(302, { location: '/b' }, 'https://a.example/x', 2, limits)).toMatchObject({ kind: 'fail' });
		expect(decideResponse(302, {}, 'https://a.example/x', 0, limits)).toMatchObject({ kind: 'fail' });
		expect(decideResponse(404, {}, 'https://a.example/x', 0, limits)).toMatchObject({ kind: 'fail', reason: expect.stringMatching(/answered 404/) });
	});
});

describe('mediaLimits', () => {
	it('defaults, clamps and ignores nonsense', () => {
		expect(mediaLimits()).toEqual({ maxBytes: DEFAULT_MEDIA_MAX_MB * 1024 * 1024, timeoutMs: DEFAULT_MEDIA_TIMEOUT_SECONDS * 1000, allowedHosts: [], maxRedirects: 5 });
		expect(mediaLimits({ maxSizeMb: 2, timeoutSeconds: '3', allowedHosts: ['MinIO.Internal.'] })).toMatchObject({ maxBytes: 2 * 1024 * 1024, timeoutMs: 3000, allowedHosts: ['minio.internal'] });
		expect(mediaLimits({ maxSizeMb: -1, timeoutSeconds: 'x' })).toMatchObject({ maxBytes: DEFAULT_MEDIA_MAX_MB * 1024 * 1024, timeoutMs: DEFAULT_MEDIA_TIMEOUT_SECONDS * 1000 });
		expect(mediaLimits({ maxSizeMb: 1e9, timeoutSeconds: 1e9 })).toMatchObject({ maxBytes: 1024 * 1024 * 1024, timeoutMs: 120_000 });
	});

	it('displayUrl drops query and fragment', () => {
		expect(displayUrl('https://s3.example.com/b/a.jpg?X-Amz-Signature=abc#f')).toBe('https://s3.example.com/b/a.jpg');
	});
});

describe('the trigger options', () => {
	it('are read into limits by their parameter names, with the documented defaults', () => {
		expect(mediaDownloadOptions.map((option) => [option.name, option.default])).toEqual([
			['mediaAllowedHosts', ''],
			['mediaMaxSizeMb', DEFAULT_MEDIA_MAX_MB],
			['mediaTimeoutSeconds', DEFAULT_MEDIA_TIMEOUT_SECONDS],
		]);
		expect(limitsOf({ mediaAllowedHosts: 'minio', mediaMaxSizeMb: 5, mediaTimeoutSeconds: 2 })).toMatchObject({ allowedHosts: ['minio'], maxBytes: 5 * 1024 * 1024, timeoutMs: 2000 });
		expect(limitsOf({})).toEqual(mediaLimits());
	});

	it('are named in both READMEs and in the refusal sentences exactly as the editor shows them', () => {
		for (const file of ['README.md', 'README.pt-BR.md']) {
			const text = readFileSync(join(__dirname, '..', '..', '..', file), 'utf8');
			for (const option of mediaDownloadOptions) expect(text).toContain(`| ${option.displayName} |`);
		}
		const refusal = checkMediaUrl('http://10.0.0.5/a.jpg', []);
		expect(!refusal.ok && refusal.reason).toContain(mediaDownloadOptions[0].displayName);
	});
});

/** The limits a trigger's settings carry for its Options values. */
function limitsOf(options: { mediaAllowedHosts?: string; mediaMaxSizeMb?: number; mediaTimeoutSeconds?: number }) {
	return helpdeskSettingsOf({ nodeVersion: 2, token: 't', acceptUnverified: false, source: 'auto', events: [], output: 'normalized', options, dedupeScope: 's' }).mediaLimits;
}
