/**
 * Minimal IP address parsing for the audit stage.
 *
 * The audit needs to ask "is this flow endpoint inside that role's address range?"
 * (to tell which destination host of a required rule was reached). The catalog stage
 * parses site files into numeric ranges (AddressRange, bigint bounds); flows carry
 * canonical text. This module turns flow text into the same numeric form. It is kept
 * here, small and self-contained, so the audit does not depend on the catalog stage's
 * implementation — only on its types.
 */
import type { AddressRange } from '../catalog/types.js';

export interface ParsedIp {
  family: 4 | 6;
  value: bigint;
}

/** Parse dotted-quad IPv4 or RFC 4291 IPv6 (with `::`, embedded IPv4, `%zone`). Null when invalid. */
export function parseIp(text: string): ParsedIp | null {
  if (text.includes(':')) return parseIpv6(text);
  const v4 = parseIpv4(text);
  return v4 === null ? null : { family: 4, value: v4 };
}

function parseIpv4(text: string): bigint | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  let value = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return null;
    const n = Number(part);
    if (n > 255) return null;
    value = (value << 8n) | BigInt(n);
  }
  return value;
}

function parseIpv6(input: string): ParsedIp | null {
  const text = input.split('%')[0]!; // a zone id does not change the address
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const toGroups = (s: string): number[] | null => {
    if (s === '') return [];
    const out: number[] = [];
    const pieces = s.split(':');
    for (let i = 0; i < pieces.length; i++) {
      const p = pieces[i]!;
      if (i === pieces.length - 1 && p.includes('.')) {
        // Embedded IPv4 in the last 32 bits (::ffff:10.0.0.1).
        const v4 = parseIpv4(p);
        if (v4 === null) return null;
        out.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
        continue;
      }
      if (!/^[0-9a-fA-F]{1,4}$/.test(p)) return null;
      out.push(parseInt(p, 16));
    }
    return out;
  };
  const head = toGroups(halves[0]!);
  const tail = halves.length === 2 ? toGroups(halves[1]!) : [];
  if (head === null || tail === null) return null;
  let groups: number[];
  if (halves.length === 2) {
    const fill = 8 - head.length - tail.length;
    if (fill < 1) return null;
    groups = [...head, ...new Array<number>(fill).fill(0), ...tail];
  } else {
    groups = head;
  }
  if (groups.length !== 8) return null;
  let value = 0n;
  for (const g of groups) value = (value << 16n) | BigInt(g);
  return { family: 6, value };
}

/** Canonical text of a numeric address (dotted quad, or RFC 5952 compressed IPv6). */
export function formatIp(family: 4 | 6, value: bigint): string {
  if (family === 4) {
    return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 0xffn)).join('.');
  }
  const groups: number[] = [];
  for (let s = 112n; s >= 0n; s -= 16n) groups.push(Number((value >> s) & 0xffffn));
  // RFC 5952: compress the longest run (length >= 2) of zero groups, the first one on ties.
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

/** True when the parsed address lies inside one of the ranges (same family only). */
export function inRanges(ip: ParsedIp, ranges: readonly AddressRange[]): boolean {
  for (const r of ranges) {
    if (r.family === ip.family && ip.value >= r.lo && ip.value <= r.hi) return true;
  }
  return false;
}

/**
 * Parses flow addresses with a bounded memo: the same few server addresses recur in
 * millions of flows, but the cache must not grow with the number of distinct clients.
 */
export class IpCache {
  private readonly map = new Map<string, ParsedIp | null>();
  constructor(private readonly limit = 65536) {}

  get(text: string): ParsedIp | null {
    const hit = this.map.get(text);
    if (hit !== undefined) return hit;
    const parsed = parseIp(text);
    if (this.map.size >= this.limit) this.map.clear(); // crude but bounded
    this.map.set(text, parsed);
    return parsed;
  }
}
