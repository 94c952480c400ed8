/**
 * IP addresses: the program's one parser and formatter.
 *
 * Three forms meet here. The decoder keeps an address as 32-bit words (IPv4: one word; IPv6:
 * four, network order, as signed or unsigned int32), the flow table writes them out once per
 * flow as canonical text (dotted quad, RFC 5952 IPv6), and whatever compares addresses with
 * ranges (the classifier per new flow, the audit per matched flow) reads that text back into a
 * number: IPv4 as an unsigned 32-bit number, IPv6 as a bigint, or both as a NumericAddress.
 * The word and text paths are hot: no regular expressions on IPv4, no allocation beyond the
 * result string, no dependency.
 *
 * Address expressions of site files and catalogs (CIDR, "a-b" ranges, validated with ip-num)
 * are catalog-format parsing and live in catalog/address-index.ts, on top of these parsers.
 */

/** A numeric address: family plus value (IPv4 fits a bigint too; kept uniform for ranges). */
export interface NumericAddress {
  family: 4 | 6;
  value: bigint;
}

/** Inclusive numeric bounds of one family (the shape of the catalog's AddressRange). */
export interface NumericRange {
  family: 4 | 6;
  lo: bigint;
  hi: bigint;
}

// ---------------------------------------------------------------------------------------
// Address words to text (the flow table, once per flow end).

/** An IPv4 word (signed or unsigned) to a dotted quad. */
export function ipv4ToString(a: number): string {
  return `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`;
}

/**
 * Four IPv6 words to RFC 5952 text: lower-case hex, the longest run of two or more zero groups
 * written '::' (the first one on a tie), and an IPv4-mapped address (::ffff:a.b.c.d) with its
 * dotted tail, as RFC 5952 section 5 recommends.
 */
export function ipv6ToString(w0: number, w1: number, w2: number, w3: number): string {
  if (w0 === 0 && w1 === 0 && (w2 >>> 0) === 0xffff) return `::ffff:${ipv4ToString(w3 >>> 0)}`;
  return groupsToString([w0 >>> 16, w0 & 0xffff, w1 >>> 16, w1 & 0xffff, w2 >>> 16, w2 & 0xffff, w3 >>> 16, w3 & 0xffff]);
}

/** Eight 16-bit groups to RFC 5952 text, all in hex (no dotted tail). */
function groupsToString(g: number[]): string {
  // Longest run of two or more zero groups becomes '::' (first one on a tie).
  let bestStart = -1, bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  const hex = (n: number) => n.toString(16);
  if (bestStart < 0) return g.map(hex).join(':');
  const head = g.slice(0, bestStart).map(hex).join(':');
  const tail = g.slice(bestStart + bestLen).map(hex).join(':');
  return `${head}::${tail}`;
}

/** Address words of either family to canonical text (ipv4ToString / ipv6ToString). */
export function addressToString(version: number, w0: number, w1: number, w2: number, w3: number): string {
  return version === 4 ? ipv4ToString(w0 >>> 0) : ipv6ToString(w0 >>> 0, w1 >>> 0, w2 >>> 0, w3 >>> 0);
}

/** Address words to network-order bytes (for Community ID hashing). */
export function addressBytes(version: number, w0: number, w1: number, w2: number, w3: number): Buffer {
  const b = Buffer.allocUnsafe(version === 4 ? 4 : 16);
  b.writeUInt32BE(w0 >>> 0, 0);
  if (version === 6) {
    b.writeUInt32BE(w1 >>> 0, 4);
    b.writeUInt32BE(w2 >>> 0, 8);
    b.writeUInt32BE(w3 >>> 0, 12);
  }
  return b;
}

// ---------------------------------------------------------------------------------------
// Text to numbers (the classifier once per new flow, the audit, site and catalog addresses).

/** The address without its IPv6 zone ("fe80::1%eth0" -> "fe80::1"): a zone does not change the address. */
export function stripZone(text: string): string {
  const pct = text.indexOf('%');
  return pct >= 0 ? text.slice(0, pct) : text;
}

/** Dotted quad (four decimal octets of 1-3 digits) to an unsigned 32-bit number, or -1 when it is not one. */
export function parseIPv4Fast(s: string): number {
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      octet = octet * 10 + (c - 48);
      if (++digits > 3 || octet > 255) return -1;
    } else if (c === 46) {
      if (digits === 0 || ++dots > 3) return -1;
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
    } else {
      return -1;
    }
  }
  if (dots !== 3 || digits === 0) return -1;
  return value * 256 + octet;
}

/** IPv6 text (with '::' compression, an optional dotted IPv4 tail and '%zone') to a bigint, or null. */
export function parseIPv6Fast(text: string): bigint | null {
  const s = stripZone(text);
  const dbl = s.indexOf('::');
  if (dbl >= 0 && s.indexOf('::', dbl + 1) >= 0) return null;
  const headText = dbl >= 0 ? s.slice(0, dbl) : s;
  const tailText = dbl >= 0 ? s.slice(dbl + 2) : '';
  const head = headText === '' ? [] : headText.split(':');
  const tail = tailText === '' ? [] : tailText.split(':');
  const groups: number[] = [];
  const pushGroups = (parts: string[], allowV4Tail: boolean): boolean => {
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i]!;
      if (allowV4Tail && i === parts.length - 1 && p.includes('.')) {
        const v4 = parseIPv4Fast(p);
        if (v4 < 0) return false;
        groups.push(Math.floor(v4 / 65536), v4 % 65536);
        continue;
      }
      if (p.length === 0 || p.length > 4) return false;
      const g = parseInt(p, 16);
      if (Number.isNaN(g) || !/^[0-9a-fA-F]+$/.test(p)) return false;
      groups.push(g);
    }
    return true;
  };
  if (!pushGroups(head, tail.length === 0 && dbl < 0)) return null;
  const headCount = groups.length;
  if (!pushGroups(tail, true)) return null;
  const tailCount = groups.length - headCount;
  if (dbl < 0) {
    if (groups.length !== 8) return null;
  } else {
    if (groups.length > 7) return null;
    const zeros = new Array<number>(8 - headCount - tailCount).fill(0);
    groups.splice(headCount, 0, ...zeros);
  }
  let v = 0n;
  for (const g of groups) v = (v << 16n) | BigInt(g);
  return v;
}

/** Address text of either family (a ':' makes it IPv6) to family + value; null when it is not an address. */
export function parseAddressFast(s: string): NumericAddress | null {
  if (s.includes(':')) {
    const v = parseIPv6Fast(s);
    return v === null ? null : { family: 6, value: v };
  }
  const v4 = parseIPv4Fast(s);
  return v4 < 0 ? null : { family: 4, value: BigInt(v4) };
}

/**
 * Address text as the flow table writes it (dotted quad; RFC 5952 IPv6, an IPv4-mapped one with
 * a dotted tail), so that an address a protocol names ("2001:DB8:0:0::0001" in an FTP EPRT, a
 * DCOM string binding) compares equal to a flow's end. Null when it is not an address; a zone
 * (%eth0) is a host's local view, not an address on the wire, and is refused too.
 */
export function canonicalAddress(text: string): string | null {
  const t = text.trim().toLowerCase();
  if (t.includes('%')) return null;
  const a = parseAddressFast(t);
  if (a === null) return null;
  if (a.family === 4) return ipv4ToString(Number(a.value));
  const word = (shift: bigint) => Number((a.value >> shift) & 0xffffffffn) | 0;
  return ipv6ToString(word(96n), word(64n), word(32n), word(0n));
}

// ---------------------------------------------------------------------------------------
// Numbers to text, and ranges.

/**
 * Text of a numeric address: dotted quad, or RFC 5952 IPv6 all in hex groups (an IPv4-mapped
 * address is written ::ffff:a00:1 here, unlike ipv6ToString).
 */
export function formatIp(family: 4 | 6, value: bigint): string {
  if (family === 4) return ipv4ToString(Number(value & 0xffffffffn));
  const g: number[] = [];
  for (let s = 112n; s >= 0n; s -= 16n) g.push(Number((value >> s) & 0xffffn));
  return groupsToString(g);
}

/** True when the address lies inside one of the ranges (same family only). */
export function inRanges(a: NumericAddress, ranges: readonly NumericRange[]): boolean {
  for (const r of ranges) {
    if (r.family === a.family && a.value >= r.lo && a.value <= r.hi) return true;
  }
  return false;
}

/**
 * Parses flow addresses with a bounded memo: the same few server addresses recur in
 * millions of flows, but the cache must not grow with the number of distinct clients.
 */
export class IpCache {
  private readonly map = new Map<string, NumericAddress | null>();
  constructor(private readonly limit = 65536) {}

  get(text: string): NumericAddress | null {
    const hit = this.map.get(text);
    if (hit !== undefined) return hit;
    const parsed = parseAddressFast(text);
    if (this.map.size >= this.limit) this.map.clear(); // crude but bounded
    this.map.set(text, parsed);
    return parsed;
  }
}
