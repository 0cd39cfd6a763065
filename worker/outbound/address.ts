/**
 * Is an IP address one a public service can have? Host names arrive already normalised by the URL
 * parser (decimal, hex and octal IPv4 forms become dotted decimal; IPv6 is compressed in brackets).
 */

const v4 = (a: number, b: number, c: number, d: number) => ((a << 24) >>> 0) + (b << 16) + (c << 8) + d;

/** IPv4 ranges that are not the public internet: [network, prefix length]. */
const NON_PUBLIC_V4: ReadonlyArray<[number, number]> = [
  [v4(0, 0, 0, 0), 8], // "this network"
  [v4(10, 0, 0, 0), 8], // private
  [v4(100, 64, 0, 0), 10], // carrier-grade NAT
  [v4(127, 0, 0, 0), 8], // loopback
  [v4(169, 254, 0, 0), 16], // link-local, cloud metadata
  [v4(172, 16, 0, 0), 12], // private
  [v4(192, 0, 0, 0), 24], // IETF protocol assignments
  [v4(192, 0, 2, 0), 24], // documentation
  [v4(192, 168, 0, 0), 16], // private
  [v4(198, 18, 0, 0), 15], // benchmarking
  [v4(198, 51, 100, 0), 24], // documentation
  [v4(203, 0, 113, 0), 24], // documentation
  [v4(224, 0, 0, 0), 4], // multicast
  [v4(240, 0, 0, 0), 4], // reserved, broadcast
];

/** The address as a 32-bit number, or undefined when `host` is not dotted-decimal IPv4. */
export function parseIpv4(host: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  const [a = 0, b = 0, c = 0, d = 0] = parts;
  return v4(a, b, c, d);
}

export function isPublicIpv4(addr: number): boolean {
  return !NON_PUBLIC_V4.some(([net, bits]) => addr >>> (32 - bits) === net >>> (32 - bits));
}

/** The eight 16-bit groups of an IPv6 address (without brackets), or undefined when it is not one. */
export function parseIpv6(host: string): number[] | undefined {
  if (!/^[0-9a-f:.]+$/i.test(host) || !host.includes(":")) return undefined;
  let text = host;
  // A trailing dotted IPv4 (::ffff:1.2.3.4) becomes two groups.
  const dotted = /(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})$/.exec(text);
  if (dotted?.[1]) {
    const n = parseIpv4(dotted[1]);
    if (n === undefined) return undefined;
    text = `${text.slice(0, -dotted[1].length)}${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const groups = (s: string | undefined) => (s ? s.split(":").map((g) => (/^[0-9a-f]{1,4}$/i.test(g) ? Number.parseInt(g, 16) : Number.NaN)) : []);
  const head = groups(halves[0]);
  const tail = groups(halves[1]);
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const all = [...head, ...Array.from({ length: halves.length === 2 ? missing : 0 }, () => 0), ...tail];
  return all.some(Number.isNaN) ? undefined : all;
}

export function isPublicIpv6(g: readonly number[]): boolean {
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = g;
  const embeddedV4 = ((g6 << 16) >>> 0) + g7;
  if (g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0) {
    // ::, ::1, IPv4-compatible (::a.b.c.d) and IPv4-mapped (::ffff:a.b.c.d): judged as IPv4 or refused.
    if (g5 === 0xffff || g5 === 0) return g5 === 0xffff || g6 !== 0 ? isPublicIpv4(embeddedV4) : false;
    return false;
  }
  if (g0 === 0x64 && g1 === 0xff9b) return isPublicIpv4(embeddedV4); // NAT64
  if ((g0 & 0xfe00) === 0xfc00) return false; // unique local fc00::/7
  if ((g0 & 0xffc0) === 0xfe80) return false; // link-local fe80::/10
  if ((g0 & 0xff00) === 0xff00) return false; // multicast
  if (g0 === 0x2001 && g1 === 0x0db8) return false; // documentation
  return true;
}
