/**
 * Attacks on "download media from URL": a delivery names the URL, so the attacker picks it. Every
 * attack runs the real guarded fetch through n8n-core's request helper over real sockets; the only
 * server is a local one on 127.0.0.1 (it plays the loopback "admin" service, the slow and the endless
 * media servers, and, through the test resolver, "public" CDNs). A guard in front of the transport
 * throws for any address other than 127.0.0.1, so an attack that got through could not reach outside.
 */
import { fetchMedia, type MediaTransport } from '../../nodes/lib/n8n/guarded-fetch';
import { mediaLimits } from '../../nodes/lib/media/policy';
import { n8nCoreTransport, resolvingTransport, startMediaServer, type MediaServer } from '../support/media-server';

let server: MediaServer;
/** URLs the transport was asked for that were not on the local server (must stay empty). */
const escaped: string[] = [];
let transport: MediaTransport;

beforeAll(async () => {
	server = await startMediaServer();
	const core = n8nCoreTransport();
	const guarded: MediaTransport = {
		get: (url, signal) => {
			if (new URL(url).host !== `127.0.0.1:${server.port}`) {
				escaped.push(url);
				return Promise.reject(new Error(`attack escaped to ${url}`));
			}
			return core.get(url, signal);
		},
	};
	transport = resolvingTransport(guarded, server, {
		'cdn.example.com': { reportAs: '93.184.215.14' },
		'media.example.net': { reportAs: '2606:4700::6810:84e5' },
		'evil.example.com': {},
		'mapped.example.com': { reportAs: '::ffff:127.0.0.1' },
		'private.example.com': { reportAs: '10.0.0.5' },
		'cgnat.example.com': { reportAs: '100.64.0.9' },
		'ula.example.com': { reportAs: 'fd00::5' },
		'metadata.example.com': { reportAs: '169.254.169.254' },
	});
});

afterAll(async () => {
	await server.close();
});

function adminRequests(): number {
	return server.requests.filter((path) => path.startsWith('/admin')).length;
}

async function expectRefused(url: string, options: Parameters<typeof mediaLimits>[0] = {}, pattern?: RegExp): Promise<string> {
	const result = await fetchMedia(transport, url, mediaLimits(options));
	expect(result.ok).toBe(false);
	const reason = result.ok ? '' : result.reason;
	expect(typeof reason).toBe('string');
	expect(reason).not.toContain('LOOPBACK-ADMIN-SECRET');
	if (pattern) expect(reason).toMatch(pattern);
	expect(escaped).toEqual([]);
	return reason;
}

const port = () => server.port;
const ADDRESS_ATTACKS: Array<[string, () => string]> = [
	['loopback 127.0.0.1', () => `http://127.0.0.1:${port()}/admin`],
	['loopback 127.1 (short form)', () => `http://127.1:${port()}/admin`],
	['loopback 127.0.0.2', () => `http://127.0.0.2:${port()}/admin`],
	['loopback as decimal 2130706433', () => `http://2130706433:${port()}/admin`],
	['loopback as hex 0x7f000001', () => `http://0x7f000001:${port()}/admin`],
	['loopback as dotted hex 0x7f.0x0.0x0.0x1', () => `http://0x7f.0x0.0x0.0x1:${port()}/admin`],
	['loopback as octal 0177.0.0.1', () => `http://0177.0.0.1:${port()}/admin`],
	['loopback as octal 017700000001', () => `http://017700000001:${port()}/admin`],
	['loopback with trailing dot 127.0.0.1.', () => `http://127.0.0.1.:${port()}/admin`],
	['IPv6 loopback [::1]', () => `http://[::1]:${port()}/admin`],
	['IPv6 loopback long form [0:0:0:0:0:0:0:1]', () => `http://[0:0:0:0:0:0:0:1]:${port()}/admin`],
	['IPv4-mapped IPv6 [::ffff:127.0.0.1]', () => `http://[::ffff:127.0.0.1]:${port()}/admin`],
	['IPv4-mapped IPv6 hex [::ffff:7f00:1]', () => `http://[::ffff:7f00:1]:${port()}/admin`],
	['IPv4-compatible IPv6 [::127.0.0.1]', () => `http://[::127.0.0.1]:${port()}/admin`],
	['NAT64 IPv6 [64:ff9b::7f00:1]', () => `http://[64:ff9b::7f00:1]:${port()}/admin`],
	['6to4 IPv6 [2002:7f00:1::1]', () => `http://[2002:7f00:1::1]:${port()}/admin`],
	['unspecified 0.0.0.0', () => `http://0.0.0.0:${port()}/admin`],
	['unspecified 0', () => `http://0:${port()}/admin`],
	['unspecified IPv6 [::]', () => `http://[::]:${port()}/admin`],
	['name localhost', () => `http://localhost:${port()}/admin`],
	['name LOCALHOST. (case, trailing dot)', () => `http://LOCALHOST.:${port()}/admin`],
	['name api.localhost', () => `http://api.localhost:${port()}/admin`],
	['name ip6-localhost', () => `http://ip6-localhost:${port()}/admin`],
	['Docker service name minio', () => `http://minio:9000/bucket/a.jpg`],
	['Docker service name evolution-api', () => `http://evolution-api:8080/instance/fetchInstances`],
	['host.docker.internal', () => `http://host.docker.internal:${port()}/admin`],
	['metadata.google.internal', () => 'http://metadata.google.internal/computeMetadata/v1/'],
	['mDNS printer.local', () => 'http://printer.local/'],
	['link-local metadata 169.254.169.254', () => 'http://169.254.169.254/latest/meta-data/iam/security-credentials/'],
	['link-local metadata as decimal 2852039166', () => 'http://2852039166/latest/meta-data/'],
	['link-local metadata as hex 0xa9fea9fe', () => 'http://0xa9fea9fe/latest/meta-data/'],
	['link-local metadata IPv4-mapped', () => 'http://[::ffff:169.254.169.254]/latest/meta-data/'],
	['link-local IPv6 fe80::1', () => 'http://[fe80::1]/'],
	['private 10.0.0.1', () => 'http://10.0.0.1/'],
	['private 10.255.255.255 as 0x0affffff', () => 'http://0x0affffff/'],
	['private 172.16.0.1', () => 'http://172.16.0.1/'],
	['private 172.31.255.254', () => 'http://172.31.255.254/'],
	['private 192.168.0.1', () => 'http://192.168.0.1/'],
	['private 192.168.0.1 as octal 0300.0250.0.1', () => 'http://0300.0250.0.1/'],
	['private IPv4-mapped [::ffff:10.0.0.1]', () => 'http://[::ffff:10.0.0.1]/'],
	['CGNAT 100.64.0.1', () => 'http://100.64.0.1/'],
	['unique-local fc00::1', () => 'http://[fc00::1]/'],
	['unique-local fd12:3456:789a::1', () => 'http://[fd12:3456:789a::1]/'],
	['multicast 224.0.0.1', () => 'http://224.0.0.1/'],
	['multicast IPv6 ff02::1', () => 'http://[ff02::1]/'],
	['reserved 240.0.0.1', () => 'http://240.0.0.1/'],
	['broadcast 255.255.255.255', () => 'http://255.255.255.255/'],
];

describe('media URLs aimed inside: refused before any connection', () => {
	it.each(ADDRESS_ATTACKS)('%s', async (_name, url) => {
		const before = server.requests.length;
		await expectRefused(url(), {}, /was not downloaded/);
		expect(server.requests.length).toBe(before);
	});
});

describe('non-http schemes', () => {
	it.each(['file:///etc/passwd', 'file://localhost/etc/shadow', 'ftp://example.com/a.jpg', 'gopher://127.0.0.1:6379/_FLUSHALL', 'dict://127.0.0.1:11211/stats', 'ws://example.com/', 'data:image/png;base64,AAAA', 'javascript:alert(1)', 'jar:http://x/a!/b', '//127.0.0.1/admin', 'not a url'])(
		'%s',
		async (url) => {
			await expectRefused(url);
		},
	);
});

describe('names that resolve inside (test resolver): the answer is never used', () => {
	it.each([
		['evil.example.com → 127.0.0.1', 'http://evil.example.com/admin', /resolved to 127\.0\.0\.1, a loopback/],
		['mapped.example.com → ::ffff:127.0.0.1', 'http://mapped.example.com/admin', /loopback/],
		['private.example.com → 10.0.0.5', 'http://private.example.com/admin', /private-network/],
		['cgnat.example.com → 100.64.0.9', 'http://cgnat.example.com/admin', /carrier-grade NAT/],
		['ula.example.com → fd00::5', 'http://ula.example.com/admin', /unique-local/],
		['metadata.example.com → 169.254.169.254', 'http://metadata.example.com/latest/meta-data/', /metadata/],
	])('%s', async (_name, url, pattern) => {
		await expectRefused(url, {}, pattern);
	});
});

describe('redirects from a public host (simulated) to inside: the next hop is never requested', () => {
	const via = (to: string, status = 302) => `http://cdn.example.com/redirect?status=${status}&to=${encodeURIComponent(to)}`;
	it.each([
		['302 → 127.0.0.1', () => via(`http://127.0.0.1:${port()}/admin`)],
		['301 → localhost', () => via(`http://localhost:${port()}/admin`, 301)],
		['303 → [::1]', () => via(`http://[::1]:${port()}/admin`, 303)],
		['307 → 2130706433', () => via(`http://2130706433:${port()}/admin`, 307)],
		['308 → [::ffff:127.0.0.1]', () => via(`http://[::ffff:127.0.0.1]:${port()}/admin`, 308)],
		['302 → 169.254.169.254', () => via('http://169.254.169.254/latest/meta-data/')],
		['302 → 10.0.0.1', () => via('http://10.0.0.1/')],
		['302 → file:///etc/passwd', () => via('file:///etc/passwd')],
		['302 → gopher://127.0.0.1:6379', () => via('gopher://127.0.0.1:6379/_INFO')],
		['302 → public → 127.0.0.1 (two hops)', () => via(via(`http://127.0.0.1:${port()}/admin`))],
	])('%s', async (_name, url) => {
		const before = adminRequests();
		await expectRefused(url(), {}, /was not downloaded/);
		expect(adminRequests()).toBe(before);
	});

	it('302 → a name resolving to loopback: refused unread', async () => {
		await expectRefused(via('http://evil.example.com/admin'), {}, /resolved to 127\.0\.0\.1/);
	});

	it('a redirect loop ends after the maximum number of hops', async () => {
		await expectRefused('http://cdn.example.com/loop', {}, /more than 5 redirects/);
	});
});

describe('size and time (default limits: 25 MB, 10 s; public host simulated)', () => {
	const big = 26 * 1024 * 1024;
	it('a body larger than the cap with Content-Length is refused before reading', async () => {
		await expectRefused(`http://cdn.example.com/file/a.mp4?size=${big}`, {}, /is 26 MB, more than 25 MB/);
	});

	it('a body larger than the cap without Content-Length is cut while streaming', async () => {
		await expectRefused(`http://cdn.example.com/file/a.mp4?size=${big}&chunked`, {}, /larger than 25 MB/);
	});

	it('a Content-Length that lies low yields at most the declared bytes (the rest is not read)', async () => {
		const result = await fetchMedia(transport, `http://cdn.example.com/lying-length?claim=100&size=${big}`, mediaLimits());
		expect(result.ok ? result.buffer.length : 0).toBeLessThanOrEqual(100);
	});

	it('an endless body is cut at the cap', async () => {
		await expectRefused('http://cdn.example.com/endless', {}, /larger than 25 MB/);
	});

	it('a server that never answers is given up at the timeout', async () => {
		await expectRefused('http://cdn.example.com/hang', { timeoutSeconds: 1 }, /within 1 s/);
	});

	it('a server that stops sending mid-body is given up at the timeout', async () => {
		await expectRefused('http://cdn.example.com/slow-body?size=1000000', { timeoutSeconds: 1 }, /within 1 s/);
	});

	it('a compressed answer from a name is refused (its address cannot be verified)', async () => {
		const named = resolvingTransport(transport, server, { 'gzip.example.org': {} });
		const result = await fetchMedia(named, 'http://gzip.example.org/gzip', mediaLimits());
		expect(result).toMatchObject({ ok: false, reason: expect.stringMatching(/could not be verified/) });
	});
});
