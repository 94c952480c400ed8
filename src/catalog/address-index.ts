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

/** Dotted-decimal IPv4 exactly as ip-num's validator accepts it (no leading zeros, octets <= 255). */
const IPV4_STRICT = /^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(?:\/(3[0-2]|[12]?[0-9]))?$/;

/**
 * parseAddressExpr() for long address lists: an IPv4 address or CIDR in the form ip-num's
 * validator accepts is read here directly (ip-num took 4 us an address: 2 s for a list of
 * 500,000); anything else goes through parseAddressExpr, so the grammar and the messages stay one.
 */
export function parseListedAddressExpr(text: string): AddressRange {
  const t = text.trim();
  const m = IPV4_STRICT.exec(t);
  if (!m) return parseAddressExpr(t);
  const value = ((Number(m[1]) << 24) >>> 0) + (Number(m[2]) << 16) + (Number(m[3]) << 8) + Number(m[4]);
  const prefix = m[5] === undefined ? 32 : Number(m[5]);
  const size = 2 ** (32 - prefix);
  const lo = value - (value % size);
  return { family: 4, lo: BigInt(lo), hi: BigInt(lo + size - 1), text: t };
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
 * without repeats) the values of every range covering it. A sweep over the ranges' starts and
 * ends in order, keeping the ranges open at each point: O(n log n + segments * open). Bounds
 * are numbers for IPv4 (`key` turns a bound into one) and bigints for IPv6: bigint sets and
 * sorts cost ten times as much, which a site of 500,000 single addresses felt.
 */
function buildSegments<T, K extends number | bigint>(entries: IndexEntry<T>[], key: (b: bigint) => K): { starts: K[]; ends: K[]; labels: T[][] } {
  const n = entries.length;
  const opensAt: K[] = new Array(n);
  const closesAt: K[] = new Array(n); // a range closes after hi, at hi + 1
  for (let i = 0; i < n; i++) {
    opensAt[i] = key(entries[i]!.range.lo);
    closesAt[i] = key(entries[i]!.range.hi + 1n);
  }
  const opens = orderByKey(opensAt);
  const closes = orderByKey(closesAt);
  const starts: K[] = [];
  const ends: K[] = [];
  const labels: T[][] = [];
  // Identical label lists share one array, which keeps memory flat for big site files.
  const shared = new Map<string, T[]>();
  const single = new Map<T, T[]>();
  const ids = new Map<T, number>();
  const valueId = (v: T) => {
    let id = ids.get(v);
    if (id === undefined) ids.set(v, (id = ids.size));
    return id;
  };
  const active: number[] = []; // entry indices open here, ascending
  let o = 0;
  let c = 0;
  while (o < n || c < n) {
    // The next point: the smaller of the next open and the next close.
    const p = o < n && opensAt[opens[o]!]! < closesAt[closes[c]!]! ? opensAt[opens[o]!]! : closesAt[closes[c]!]!;
    for (; c < n && closesAt[closes[c]!] === p; c++) active.splice(active.indexOf(closes[c]!), 1);
    for (; o < n && opensAt[opens[o]!] === p; o++) {
      const i = opens[o]!;
      let at = active.length;
      while (at > 0 && active[at - 1]! > i) at--;
      active.splice(at, 0, i);
    }
    if (active.length === 0) continue;
    // Open ranges always close later, so there is a next point.
    const next = o < n && opensAt[opens[o]!]! < closesAt[closes[c]!]! ? opensAt[opens[o]!]! : closesAt[closes[c]!]!;
    // Keyed by the values, not the entries: 500,000 single addresses of one role share one list.
    let vals: T[] | undefined;
    if (active.length === 1) {
      const v = entries[active[0]!]!.value;
      vals = single.get(v);
      if (!vals) single.set(v, (vals = [v]));
    } else {
      const distinct: T[] = [];
      for (const i of active) if (!distinct.includes(entries[i]!.value)) distinct.push(entries[i]!.value);
      const k = distinct.map(valueId).join(',');
      vals = shared.get(k);
      if (!vals) shared.set(k, (vals = distinct));
    }
    starts.push(p);
    ends.push((typeof next === 'bigint' ? next - 1n : (next as number) - 1) as K);
    labels.push(vals);
  }
  return { starts, ends, labels };
}

/** Entries with number keys that orderByKey sorts packed, (key, index) in one double: up to 2^20. */
const PACKED_INDEX = 2 ** 20;

/**
 * Entry indices in ascending order of their keys (ties by index). An IPv4 bound (at most 2^32,
 * the end of 255.255.255.255) times 2^20 plus an index below 2^20 stays below 2^53, an exact
 * double, so the pairs sort natively without a comparator: 500,000 addresses in 60 ms instead
 * of 600. Beyond 2^20 entries, or for IPv6's bigints, a comparator sort.
 */
export function orderByKey<K extends number | bigint>(keys: K[]): number[] {
  const n = keys.length;
  if (n > 0 && n <= PACKED_INDEX && typeof keys[0] === 'number') {
    const packed = new Float64Array(n);
    for (let i = 0; i < n; i++) packed[i] = (keys[i] as number) * PACKED_INDEX + i;
    packed.sort();
    const out = new Array<number>(n);
    for (let i = 0; i < n; i++) out[i] = packed[i]! % PACKED_INDEX;
    return out;
  }
  return Array.from({ length: n }, (_, i) => i).sort((a, b) => (keys[a]! < keys[b]! ? -1 : keys[a]! > keys[b]! ? 1 : a - b));
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
    const b4 = buildSegments(all.filter((e) => e.range.family === 4), Number);
    const b6 = buildSegments(all.filter((e) => e.range.family === 6), (b) => b);
    this.v4 = {
      starts: Float64Array.from(b4.starts),
      ends: Float64Array.from(b4.ends),
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
