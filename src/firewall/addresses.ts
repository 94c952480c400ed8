/**
 * The addresses a rule's side names, as CIDR blocks per family: a role as the site file maps it,
 * else the catalog role's default, a pseudo-role as firewalls can write it, or an address
 * expression. Ranges become the fewest CIDR blocks that cover them exactly, so every format
 * (nftables sets, iptables -s, Windows -RemoteAddress, Cisco network-object) takes them as they are.
 */
import { parseCheckedAddressExpr } from '../catalog/address-index.js';
import { isPseudoRole, type PseudoRole } from '../catalog/catalog-file.js';
import { roleTitle } from '../catalog/role-title.js';
import type { AddressRange, Catalog, Site } from '../catalog/types.js';
import { formatIp } from '../util/ip.js';
import type { AddressGroup, Cidr } from './types.js';

interface Span { family: 4 | 6; lo: bigint; hi: bigint }

const MAX: Record<4 | 6, bigint> = { 4: (1n << 32n) - 1n, 6: (1n << 128n) - 1n };
const BITS: Record<4 | 6, number> = { 4: 32, 6: 128 };

const span = (text: string): Span => {
  const r = parseCheckedAddressExpr(text);
  return { family: r.family, lo: r.lo, hi: r.hi };
};

/** Private and other non-public unicast blocks a firewall treats as internal (loopback, 0/8, 240/4 are left out). */
const INTERNAL = ['10.0.0.0/8', '100.64.0.0/10', '169.254.0.0/16', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7', 'fe80::/10'];
/** Everything that is never "internet" (classify/address-classes.ts SPECIAL_USE_TEXT, plus multicast and broadcast). */
const NOT_INTERNET = ['0.0.0.0/8', '10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12',
  '192.168.0.0/16', '198.18.0.0/15', '224.0.0.0/4', '240.0.0.0/4'];
/** IPv6 internet: global unicast. */
const INTERNET_V6 = '2000::/3';

const PSEUDO_NOTES: Record<PseudoRole, string> = {
  internet: 'internet: every public IPv4 address (all but private, special-use, multicast and the site\'s `sites` subnets) and IPv6 global unicast 2000::/3 outside those subnets',
  internal: 'internal: RFC 1918, 100.64.0.0/10, link-local, fc00::/7 and fe80::/10, plus the site\'s `sites` subnets (loopback and other special-use blocks left out)',
  multicast: 'multicast: 224.0.0.0/4 and ff00::/8; crosses a router only where multicast routing is enabled',
  broadcast: 'broadcast: 255.255.255.255, which no router forwards (it applies to the input chain of a host on the same segment)',
};

function mergeSpans(spans: Span[]): Span[] {
  const out: Span[] = [];
  for (const fam of [4, 6] as const) {
    const list = spans.filter((s) => s.family === fam).sort((a, b) => (a.lo < b.lo ? -1 : a.lo > b.lo ? 1 : 0));
    let cur: Span | null = null;
    for (const s of list) {
      if (cur && s.lo <= cur.hi + 1n) { if (s.hi > cur.hi) cur.hi = s.hi; continue; }
      cur = { ...s };
      out.push(cur);
    }
  }
  return out;
}

/** `from` minus `minus` (both merged per family). */
function subtract(from: Span[], minus: Span[]): Span[] {
  let parts = mergeSpans(from);
  for (const m of mergeSpans(minus)) {
    parts = parts.flatMap((p) => {
      if (p.family !== m.family || m.hi < p.lo || m.lo > p.hi) return [p];
      const keep: Span[] = [];
      if (m.lo > p.lo) keep.push({ family: p.family, lo: p.lo, hi: m.lo - 1n });
      if (m.hi < p.hi) keep.push({ family: p.family, lo: m.hi + 1n, hi: p.hi });
      return keep;
    });
  }
  return parts;
}

/** The fewest CIDR blocks covering an inclusive range exactly. */
function toCidrs(s: Span): Cidr[] {
  const out: Cidr[] = [];
  const bits = BITS[s.family];
  let lo = s.lo;
  while (lo <= s.hi) {
    let len = bits;
    // Grow the block while it stays aligned at lo and inside the range.
    while (len > 0) {
      const size = 1n << BigInt(bits - len + 1);
      if (lo % size !== 0n || lo + size - 1n > s.hi) break;
      len--;
    }
    out.push({ family: s.family, base: lo, len });
    lo += 1n << BigInt(bits - len);
    if (lo > MAX[s.family]) break;
  }
  return out;
}

export function cidrText(c: Cidr): string {
  return `${formatIp(c.family, c.base)}/${c.len}`;
}

/** "10.0.0.5" for a single address, else "10.0.1.0/24". */
export function cidrShort(c: Cidr): string {
  return c.len === BITS[c.family] ? formatIp(c.family, c.base) : cidrText(c);
}

/** Dotted mask of an IPv4 prefix length. */
export function v4Mask(len: number): string {
  return formatIp(4, len === 0 ? 0n : ((1n << 32n) - 1n) ^ ((1n << BigInt(32 - len)) - 1n));
}

export function isHost(c: Cidr): boolean {
  return c.len === BITS[c.family];
}

const fromRanges = (ranges: readonly AddressRange[]): Span[] => ranges.map((r) => ({ family: r.family, lo: r.lo, hi: r.hi }));

/** Resolves rule sides to address groups for one site, sharing one group per distinct side. */
export class AddressGroups {
  private readonly groups = new Map<string, AddressGroup>();
  private readonly siteSpans: Span[];

  constructor(private readonly catalog: Catalog, private readonly site: Site) {
    this.siteSpans = fromRanges([...site.sites.values()].flat());
  }

  /** The group of a rule side (role ids, pseudo-roles or address expressions). */
  group(members: readonly string[]): AddressGroup {
    const sorted = [...new Set(members)].sort();
    const key = sorted.join('+');
    let g = this.groups.get(key);
    if (!g) {
      const spans: Span[] = [];
      const notes: string[] = [];
      for (const m of sorted) spans.push(...this.member(m, notes));
      const merged = mergeSpans(spans);
      const cidrs = merged.flatMap(toCidrs);
      g = {
        key, members: sorted,
        title: sorted.map((m) => roleTitle(this.catalog.roles, m)).join(', '),
        v4: cidrs.filter((c) => c.family === 4), v6: cidrs.filter((c) => c.family === 6),
        notes: [...new Set(notes)],
      };
      this.groups.set(key, g);
    }
    return g;
  }

  /** Every group handed out that has addresses, sorted by key. */
  all(): AddressGroup[] {
    return [...this.groups.values()].filter((g) => g.v4.length || g.v6.length).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  private member(m: string, notes: string[]): Span[] {
    const mapped = this.site.roles.get(m);
    if (mapped) return fromRanges(mapped);
    if (isPseudoRole(m)) {
      notes.push(PSEUDO_NOTES[m]);
      return this.pseudo(m);
    }
    const def = this.catalog.roles.get(m)?.default;
    if (def?.length) {
      notes.push(`${m} is not mapped in the site file: the catalog default ${def.join(', ')} is used`);
      return def.flatMap((d) => {
        if (isPseudoRole(d)) { notes.push(PSEUDO_NOTES[d]); return this.pseudo(d); }
        return [span(d)];
      });
    }
    if (this.catalog.roles.has(m)) return [];
    try { return [span(m)]; } catch { return []; }
  }

  private pseudo(p: PseudoRole): Span[] {
    switch (p) {
      case 'multicast': return [span('224.0.0.0/4'), span('ff00::/8')];
      case 'broadcast': return [span('255.255.255.255')];
      case 'internal': return [...INTERNAL.map(span), ...this.siteSpans];
      case 'internet': return subtract([span('0.0.0.0/0'), span(INTERNET_V6)], [...NOT_INTERNET.map(span), ...this.siteSpans]);
    }
  }
}
