/**
 * Address expressions of site files and catalogs, and a fast "which labels cover this
 * address" index.
 *
 * Site files (and catalog role defaults) name addresses as single IPs, CIDRs or ranges
 * "a-b", IPv4 or IPv6. Those are parsed and validated once with ip-num into numeric
 * inclusive bounds (AddressRange); the address itself is read by util/ip.ts. Matching flow addresses is the hot path (once per new
 * flow, hundreds of thousands of times), so it never goes through ip-num: overlapping
 * ranges are cut into disjoint elementary segments, each carrying the labels of every
 * range that covers it, and a lookup is a binary search over the segment starts
 * (plain numbers for IPv4, bigint for IPv6) behind a per-address string cache.
 */
import { createRequire } from 'node:module';
import { parseAddressFast, parseIPv4Fast, parseIPv6Fast, stripZone, type NumericAddress } from '../util/ip.js';
import type { AddressRange } from './types.js';

// ip-num is CommonJS and re-exports a dozen files: imported as ESM, Node runs its export lexer
// over each of them, which took 81 ms and 150 ms of CPU (the lexer gets JIT-compiled) against
// 25 ms with require(). It is required on first use: the store's writer thread builds a
// classifier from a site already parsed, and its constant ranges are read with the fast parsers
// (parseCheckedAddressExpr), so that thread never loads it (~25-40 ms of CPU per read).
type IpNum = typeof import('ip-num');
let ipNumModule: IpNum | null = null;
function ipNum(): IpNum {
  return (ipNumModule ??= createRequire(import.meta.url)('ip-num') as IpNum);
}

const V4_MAX = 0xffffffffn;
const V6_MAX = (1n << 128n) - 1n;

/** Parse one address (no prefix, no range) with ip-num; null when it is not an address. */
function parseSingle(text: string): NumericAddress | null {
  const t = stripZone(text.trim());
  const { IPv4, IPv6, Validator } = ipNum();
  if (t.includes(':')) {
    if (!Validator.isValidIPv6String(t)[0]) return null;
    return { family: 6, value: IPv6.fromString(t).getValue() };
  }
  // ip-num accepts some odd forms ("1.2.3"); insist on four dotted decimal octets.
  if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(t) || !Validator.isValidIPv4String(t)[0]) return null;
  return { family: 4, value: IPv4.fromString(t).getValue() };
}

/** ip-num's CIDR parser on the normalised network: both must agree on the bounds. */
function ipNumAgreesOnCidr(family: 4 | 6, lo: bigint, hi: bigint, prefix: number): boolean {
  const { IPv4, IPv4CidrRange, IPv6, IPv6CidrRange } = ipNum();
  const net = family === 4 ? IPv4.fromNumber(lo).toString() : IPv6.fromBigInt(lo).toString();
  const r = family === 4 ? IPv4CidrRange.fromCidr(`${net}/${prefix}`) : IPv6CidrRange.fromCidr(`${net}/${prefix}`);
  return r.getFirst().getValue() === lo && r.getLast().getValue() === hi;
}

/**
 * Parse an address expression as written in a site file: "10.0.0.5", "10.1.0.0/16",
 * "10.2.0.10-10.2.0.99", "2001:db8::1", "2001:db8::/32", "2001:db8::1-2001:db8::ff".
 * A CIDR with host bits set ("10.1.2.3/16") is taken as its network, as routers do.
 * Throws an Error whose message says what is wrong (callers add file/line/field).
 */
export function parseAddressExpr(text: string): AddressRange {
  return parseAddressExprWith(text, parseSingle, ipNumAgreesOnCidr);
}

/**
 * The same grammar read with the fast parsers, without ip-num: for expressions ip-num has
 * already accepted (catalog role defaults, checked when the catalog is loaded) and for the
 * classifier's constants. A test holds the two parsers equal on all of them.
 */
export function parseCheckedAddressExpr(text: string): AddressRange {
  return parseAddressExprWith(text, (a) => parseAddressFast(stripZone(a.trim())), () => true);
}

function parseAddressExprWith(
  text: string,
  parseSingle: (a: string) => NumericAddress | null,
  cidrAgrees: (family: 4 | 6, lo: bigint, hi: bigint, prefix: number) => boolean,
): AddressRange {
  const t = String(text).trim();
  if (t === '') throw new Error('empty address');
  const slash = t.indexOf('/');
  if (slash >= 0) {
    const addr = t.slice(0, slash);
    const prefixText = t.slice(slash + 1);
    if (!/^\d{1,3}$/.test(prefixText)) throw new Error(`bad prefix length in "${t}"`);
    const prefix = Number(prefixText);
    const base = parseSingle(addr);
    if (!base) throw new Error(`"${addr}" is not an IPv4 or IPv6 address (in "${t}")`);
    const bits = base.family === 4 ? 32 : 128;
    if (prefix > bits) throw new Error(`prefix /${prefix} is longer than ${bits} bits in "${t}"`);
    // Mask the host bits ourselves (ip-num rejects nothing here, but we want exact bounds).
    const size = 1n << BigInt(bits - prefix);
    const lo = base.value - (base.value % size);
    const hi = lo + size - 1n;
    // Cross-check with ip-num's CIDR parser on the normalised network, so both agree.
    if (!cidrAgrees(base.family, lo, hi, prefix)) throw new Error(`cannot parse CIDR "${t}"`);
    return { family: base.family, lo, hi, text: t };
  }
  // A range "a-b". IPv6 addresses never contain '-', so the first '-' splits.
  const dash = t.indexOf('-');
  if (dash >= 0) {
    const a = parseSingle(t.slice(0, dash));
    const b = parseSingle(t.slice(dash + 1));
    if (!a) throw new Error(`"${t.slice(0, dash).trim()}" is not an IPv4 or IPv6 address (in range "${t}")`);
    if (!b) throw new Error(`"${t.slice(dash + 1).trim()}" is not an IPv4 or IPv6 address (in range "${t}")`);
    if (a.family !== b.family) throw new Error(`range "${t}" mixes IPv4 and IPv6`);
    if (a.value > b.value) throw new Error(`range "${t}" ends before it starts`);
    return { family: a.family, lo: a.value, hi: b.value, text: t };
  }
  const one = parseSingle(t);
  if (!one) throw new Error(`"${t}" is not an IPv4 or IPv6 address, CIDR or range`);
  return { family: one.family, lo: one.value, hi: one.value, text: t };
}

export interface IndexEntry<T> {
  range: AddressRange;
  value: T;
}

/** Disjoint segments of one family: starts/ends ascending, labels per segment. */
interface Segments<K, T> {
  starts: K[] | Float64Array;
  ends: K[] | Float64Array;
  labels: T[][];
}

const EMPTY: readonly never[] = Object.freeze([]);

/**
 * Cut possibly overlapping ranges into disjoint segments, each listing (in entry order,
 * without repeats) the values of every range covering it. O(n log n + segments * active).
 */
function buildSegments<T>(entries: IndexEntry<T>[]): { starts: bigint[]; ends: bigint[]; labels: T[][] } {
  // Boundary events: a range opens at lo and closes after hi (at hi + 1).
  const points = new Set<bigint>();
  for (const e of entries) {
    points.add(e.range.lo);
    points.add(e.range.hi + 1n);
  }
  const sorted = [...points].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const opens = new Map<bigint, number[]>();
  const closes = new Map<bigint, number[]>();
  entries.forEach((e, i) => {
    const o = opens.get(e.range.lo) ?? [];
    o.push(i);
    opens.set(e.range.lo, o);
    const c = closes.get(e.range.hi + 1n) ?? [];
    c.push(i);
    closes.set(e.range.hi + 1n, c);
  });
  const active = new Set<number>();
  const starts: bigint[] = [];
  const ends: bigint[] = [];
  const labels: T[][] = [];
  // Identical label lists share one array, which keeps memory flat for big site files.
  const shared = new Map<string, T[]>();
  for (let k = 0; k < sorted.length - 1; k++) {
    const p = sorted[k];
    for (const i of closes.get(p) ?? []) active.delete(i);
    for (const i of opens.get(p) ?? []) active.add(i);
    if (active.size === 0) continue;
    const order = [...active].sort((a, b) => a - b);
    const key = order.join(',');
    let vals = shared.get(key);
    if (!vals) {
      vals = [];
      for (const i of order) if (!vals.includes(entries[i].value)) vals.push(entries[i].value);
      shared.set(key, vals);
    }
    starts.push(p);
    ends.push(sorted[k + 1] - 1n);
    labels.push(vals);
  }
  return { starts, ends, labels };
}

/** Index of last segment whose start <= x, or -1. */
function findSegment<K extends number | bigint>(starts: ArrayLike<K>, x: K): number {
  let lo = 0;
  let hi = starts.length - 1;
  let best = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (starts[mid] <= x) {
      best = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return best;
}

/**
 * Labels (roles, site names, ...) by address. Build once per site file; look up per flow.
 * The string cache is bounded: when it fills up it is simply cleared (flows from one
 * capture reuse a small working set of addresses, so a crude policy is enough).
 */
export class AddressIndex<T> {
  private readonly v4: Segments<number, T>;
  private readonly v6: Segments<bigint, T>;
  private readonly cache = new Map<string, readonly T[]>();
  private readonly cacheLimit: number;

  constructor(entries: Iterable<IndexEntry<T>>, cacheLimit = 200_000) {
    const all = [...entries];
    const b4 = buildSegments(all.filter((e) => e.range.family === 4));
    const b6 = buildSegments(all.filter((e) => e.range.family === 6));
    this.v4 = {
      starts: Float64Array.from(b4.starts, Number),
      ends: Float64Array.from(b4.ends, Number),
      labels: b4.labels,
    };
    this.v6 = b6;
    this.cacheLimit = cacheLimit;
  }

  /** Labels covering an IPv4 address given as an unsigned 32-bit number. */
  lookupV4(n: number): readonly T[] {
    const s = this.v4;
    const i = findSegment(s.starts as Float64Array, n);
    return i >= 0 && n <= (s.ends as Float64Array)[i] ? s.labels[i] : EMPTY;
  }

  /** Labels covering an IPv6 address given as a bigint. */
  lookupV6(n: bigint): readonly T[] {
    const s = this.v6;
    const i = findSegment(s.starts as bigint[], n);
    return i >= 0 && n <= (s.ends as bigint[])[i] ? s.labels[i] : EMPTY;
  }

  lookupNumeric(a: NumericAddress): readonly T[] {
    return a.family === 4 ? this.lookupV4(Number(a.value)) : this.lookupV6(a.value);
  }

  /** Labels covering an address in text form (cached). Unparseable text has no labels. */
  lookup(addr: string): readonly T[] {
    const hit = this.cache.get(addr);
    if (hit) return hit;
    let result: readonly T[];
    if (addr.includes(':')) {
      const v = parseIPv6Fast(addr);
      result = v === null ? EMPTY : this.lookupV6(v);
    } else {
      const v = parseIPv4Fast(addr);
      result = v < 0 ? EMPTY : this.lookupV4(v);
    }
    if (this.cache.size >= this.cacheLimit) this.cache.clear();
    this.cache.set(addr, result);
    return result;
  }

  /** Number of disjoint segments (for tests and diagnostics). */
  get segmentCount(): number {
    return this.v4.labels.length + this.v6.labels.length;
  }
}

export const ADDRESS_LIMITS = { V4_MAX, V6_MAX };
