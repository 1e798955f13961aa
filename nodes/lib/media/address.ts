/**
 * IP addresses as plain data: parse IPv4 (in every spelling browsers and `inet_aton` accept) and IPv6,
 * and name the special-purpose range an address falls in (IANA's IPv4 and IPv6 Special-Purpose Address
 * Registries, RFC 6890). A media URL may only be fetched from an address in no such range.
 */

export type AddressRange =
	| 'unspecified'
	| 'loopback'
	| 'private'
	| 'shared (CGNAT)'
	| 'link-local'
	| 'unique-local'
	| 'multicast'
	| 'reserved';

/**
 * An IPv4 address as a 32-bit number, or null. Accepts what `inet_aton` and WHATWG URL parsing accept:
 * 1 to 4 parts, each decimal, octal (leading 0) or hex (0x); the last part fills the remaining bytes
 * (`127.1`, `2130706433`, `0x7f.0.0.1`, `0177.0.0.1` are all 127.0.0.1).
 */
export function parseIPv4(text: string): number | null {
	const parts = text.split('.');
	if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
	if (parts.length === 0 || parts.length > 4) return null;
	const numbers: number[] = [];
	for (const part of parts) {
		const value = parseIPv4Part(part);
		if (value === null) return null;
		numbers.push(value);
	}
	const last = numbers.pop() as number;
	if (numbers.some((value) => value > 255)) return null;
	if (last >= 256 ** (4 - numbers.length)) return null;
	let result = last;
	numbers.forEach((value, index) => {
		result += value * 256 ** (3 - index);
	});
	return result;
}

function parseIPv4Part(part: string): number | null {
	let digits = part;
	let radix = 10;
	if (/^0x/i.test(digits)) {
		digits = digits.slice(2);
		radix = 16;
		if (digits === '') return 0;
		if (!/^[0-9a-f]+$/i.test(digits)) return null;
	} else if (digits.length > 1 && digits.startsWith('0')) {
		digits = digits.slice(1);
		radix = 8;
		if (!/^[0-7]+$/.test(digits)) return null;
	} else if (!/^[0-9]+$/.test(digits)) {
		return null;
	}
	const value = parseInt(digits, radix);
	return Number.isSafeInteger(value) ? value : null;
}

/** An IPv6 address as 8 numbers of 16 bits, or null. Accepts `::`, an embedded IPv4 tail and a `%zone`. */
export function parseIPv6(text: string): number[] | null {
	let address = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
	const zone = address.indexOf('%');
	if (zone !== -1) address = address.slice(0, zone);
	if (!address.includes(':')) return null;
	const lastColon = address.lastIndexOf(':');
	const lastPart = address.slice(lastColon + 1);
	if (lastPart.includes('.')) {
		// An embedded IPv4 tail (::ffff:127.0.0.1) is two 16-bit groups.
		if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(lastPart)) return null;
		const bytes = lastPart.split('.').map(Number);
		if (bytes.some((byte) => byte > 255)) return null;
		address = `${address.slice(0, lastColon + 1)}${(bytes[0] * 256 + bytes[1]).toString(16)}:${(bytes[2] * 256 + bytes[3]).toString(16)}`;
	}
	const halves = address.split('::');
	if (halves.length > 2) return null;
	const parse = (half: string): number[] | null => {
		if (half === '') return [];
		const groups = half.split(':');
		const values: number[] = [];
		for (const group of groups) {
			if (!/^[0-9a-f]{1,4}$/i.test(group)) return null;
			values.push(parseInt(group, 16));
		}
		return values;
	};
	const head = parse(halves[0]);
	const rest = halves.length === 2 ? parse(halves[1]) : [];
	if (!head || !rest) return null;
	const known = head.length + rest.length;
	if (halves.length === 1 && known !== 8) return null;
	if (halves.length === 2 && known > 7) return null;
	const zeros: number[] = new Array<number>(8 - known).fill(0);
	return halves.length === 2 ? [...head, ...zeros, ...rest] : head;
}

function ipv4InRange(address: number, base: string, bits: number): boolean {
	const start = parseIPv4(base) as number;
	const size = 2 ** (32 - bits);
	return address >= start && address < start + size;
}

const IPV4_RANGES: Array<[string, number, AddressRange]> = [
	['0.0.0.0', 8, 'unspecified'], // "this network" (RFC 791); 0.0.0.0 reaches the local machine on Linux
	['10.0.0.0', 8, 'private'], // RFC 1918
	['100.64.0.0', 10, 'shared (CGNAT)'], // RFC 6598
	['127.0.0.0', 8, 'loopback'],
	['169.254.0.0', 16, 'link-local'], // incl. the cloud metadata service 169.254.169.254
	['172.16.0.0', 12, 'private'],
	['192.0.0.0', 24, 'reserved'], // IETF protocol assignments
	['192.0.2.0', 24, 'reserved'], // documentation
	['192.88.99.0', 24, 'reserved'], // 6to4 relay anycast
	['192.168.0.0', 16, 'private'],
	['198.18.0.0', 15, 'reserved'], // benchmarking
	['198.51.100.0', 24, 'reserved'],
	['203.0.113.0', 24, 'reserved'],
	['224.0.0.0', 4, 'multicast'],
	['240.0.0.0', 4, 'reserved'], // incl. broadcast 255.255.255.255
];

/** The special range of an IPv4 address (32-bit number), or null for a public one. */
export function ipv4Range(address: number): AddressRange | null {
	for (const [base, bits, range] of IPV4_RANGES) if (ipv4InRange(address, base, bits)) return range;
	return null;
}

/** The special range of an IPv6 address (8 groups), or null for a public one. Embedded IPv4 is judged as IPv4. */
export function ipv6Range(groups: number[]): AddressRange | null {
	const [g0, g1, g2, g3, g4, g5, g6, g7] = groups;
	const embedded = g6 * 65536 + g7;
	const upperZero = g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0;
	if (upperZero && g5 === 0 && g6 === 0) {
		if (g7 === 0) return 'unspecified';
		if (g7 === 1) return 'loopback';
	}
	if (upperZero && g5 === 0xffff) return ipv4Range(embedded) ?? null; // IPv4-mapped ::ffff:a.b.c.d
	if (upperZero && g5 === 0) return 'reserved'; // IPv4-compatible ::a.b.c.d (deprecated)
	if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) return ipv4Range(embedded); // NAT64 64:ff9b::/96
	if (g0 === 0x2002) return ipv4Range(g1 * 65536 + g2) ?? null; // 6to4 carries the IPv4 address in bits 16–48
	if ((g0 & 0xfe00) === 0xfc00) return 'unique-local'; // fc00::/7
	if ((g0 & 0xffc0) === 0xfe80) return 'link-local'; // fe80::/10
	if ((g0 & 0xffc0) === 0xfec0) return 'private'; // fec0::/10, deprecated site-local
	if ((g0 & 0xff00) === 0xff00) return 'multicast';
	if (g0 === 0x2001 && g1 === 0x0db8) return 'reserved'; // documentation
	if (g0 === 0x2001 && g1 === 0) return 'reserved'; // Teredo: tunnels to an obfuscated IPv4 address
	if (g0 === 0x0100 && g1 === 0 && g2 === 0 && g3 === 0) return 'reserved'; // discard-only 100::/64
	if (g0 < 0x2000 || g0 > 0x3fff) return 'reserved'; // only 2000::/3 is global unicast
	return null;
}

export type ParsedAddress = { family: 4; value: number } | { family: 6; groups: number[] };

/** Any textual IP address (IPv4 in any spelling, IPv6 with or without brackets), or null for a name. */
export function parseAddress(text: string): ParsedAddress | null {
	const v6 = parseIPv6(text);
	if (v6) return { family: 6, groups: v6 };
	const v4 = parseIPv4(text);
	return v4 === null ? null : { family: 4, value: v4 };
}

/** The special range of a parsed address, or null for a public one. */
export function rangeOf(address: ParsedAddress): AddressRange | null {
	return address.family === 4 ? ipv4Range(address.value) : ipv6Range(address.groups);
}

/** 127.0.0.1 / 0:0:0:0:0:ffff:7f00:1 — for messages, independent of how the address was spelled. */
export function formatAddress(address: ParsedAddress): string {
	if (address.family === 4) {
		const value = address.value;
		return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
	}
	return address.groups.map((group) => group.toString(16)).join(':');
}
