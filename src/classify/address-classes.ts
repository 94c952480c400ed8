/**
 * What the classifier knows about an address: the roles the site file gives it, the catalog
 * roles it has by default, its pseudo-role (internet, internal, multicast, broadcast) and the
 * WAN site it is in. Addresses fall into classes (the elementary segments of every range those
 * depend on), and every address of a class shares one AddrInfo record.
 */
import { AddressIndex, parseCheckedAddressExpr } from '../catalog/address-index.js';
import { parseIPv4Fast, parseIPv6Fast } from '../util/ip.js';
import { isPseudoRole } from '../catalog/catalog-file.js';
import type { PseudoRole } from '../catalog/catalog-file.js';
import type { AddressRange, Catalog, Site } from '../catalog/types.js';

/** Addresses that are never "internet": private, loopback, link-local, CGNAT, ULA, unspecified. */
export const SPECIAL_USE_TEXT = [
  '0.0.0.0/8', '10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12',
  '192.168.0.0/16', '198.18.0.0/15', '240.0.0.0/4',
  '::/128', '::1/128', 'fc00::/7', 'fe80::/10', '::ffff:0:0/96',
];
const SPECIAL_USE = SPECIAL_USE_TEXT.map(parseCheckedAddressExpr);
const V4_BROADCAST = 0xffffffffn;
const V4_MCAST_LO = 0xe0000000n; // 224.0.0.0/4
const V4_MCAST_HI = 0xefffffffn;
const V6_MCAST_LO = 0xffn << 120n; // ff00::/8
const V6_MAX = (1n << 128n) - 1n;

/** What an address range says about the addresses in it (see AddressClasses.classIndex). */
interface AddrTag {
  kind: 'role' | 'default' | 'site' | 'special' | 'multicast' | 'broadcast';
  /** Role or site name. */
  name: string;
  /** Site ranges: size of the range (the smallest containing site names the address). */
  size: bigint;
}
const SPECIAL_TAG: AddrTag = { kind: 'special', name: '', size: 0n };
const MULTICAST_TAG: AddrTag = { kind: 'multicast', name: '', size: 0n };
const BROADCAST_TAG: AddrTag = { kind: 'broadcast', name: '', size: 0n };
/** The segment "key" of addresses that do not parse (they are taken as internal, with no role). */
const UNPARSED: readonly AddrTag[] = Object.freeze([]);

/** What the classifier knows about one address (shared by every address of its class). */
export interface AddrInfo {
  /** Roles the site file assigns (what Classification reports). */
  roles: readonly string[];
  /** Catalog roles this address has by default (site file silent about them). */
  implied: readonly string[];
  /** Everything rules are matched against: roles, implied roles and the pseudo-role. */
  match: ReadonlySet<string>;
  pseudo: PseudoRole;
  site: string | null;
  /** Number of the match set: addresses with the same roles share cached evidence. */
  sig: number;
  /** Number of (role set, site): addresses with the same number get the same direct-match classification. */
  endKey: number;
}

/** What every address with the same role set shares. */
interface SharedInfo { roles: readonly string[]; implied: readonly string[]; match: ReadonlySet<string>; pseudo: PseudoRole; sig: number }

const V6_CACHE_LIMIT = 100_000;

export class AddressClasses {
  /** Catalog roles that default to a pseudo-role, by pseudo-role (the site file silent about them). */
  private readonly impliedByPseudo = new Map<PseudoRole, string[]>();
  /**
   * One index over everything an address's classification depends on (site roles, sites,
   * catalog defaults, special-use, multicast and broadcast ranges): its elementary segments are
   * the address classes, and every address of a segment shares one segment record, so a new
   * address costs one parse and one binary search.
   */
  private readonly classIndex: AddressIndex<AddrTag>;
  private readonly sigIds = new Map<string, number>();
  private readonly sharedBySig = new Map<string, SharedInfo>();
  private readonly endKeys = new Map<SharedInfo, Map<string | null, number>>();
  private endKeyCount = 0;
  /** What every address of one segment (or every unparseable address) shares: all of its AddrInfo. */
  private readonly bySegment = new Map<readonly AddrTag[], AddrInfo>();
  /** IPv6 addresses seen, bounded (see info()). */
  private readonly v6Cache = new Map<string, AddrInfo>();

  constructor(catalog: Catalog, site: Site) {
    // Catalog roles the site file does not mention fall back to their defaults.
    const defaultAddr: { range: AddressRange; value: string }[] = [];
    for (const role of catalog.roles.values()) {
      if (site.roles.has(role.id) || !role.default) continue;
      for (const d of role.default) {
        if (isPseudoRole(d)) {
          const l = this.impliedByPseudo.get(d) ?? [];
          l.push(role.id);
          this.impliedByPseudo.set(d, l);
        } else {
          // Checked with ip-num when the catalog was loaded (catalog-file.ts); read here without it.
          defaultAddr.push({ range: parseCheckedAddressExpr(d), value: role.id });
        }
      }
    }
    // Tags are interned per role so that a role listed twice for a segment is named once, in
    // site-file order.
    const roleTags = new Map<string, AddrTag>();
    const defaultTags = new Map<string, AddrTag>();
    const interned = (m: Map<string, AddrTag>, kind: 'role' | 'default', role: string): AddrTag => {
      let t = m.get(role);
      if (!t) m.set(role, (t = { kind, name: role, size: 0n }));
      return t;
    };
    this.classIndex = new AddressIndex<AddrTag>([
      ...[...site.roles].flatMap(([role, ranges]) => ranges.map((range) => ({ range, value: interned(roleTags, 'role', role) }))),
      ...[...site.sites].flatMap(([name, ranges]) => ranges.map((range) => ({ range, value: { kind: 'site' as const, name, size: range.hi - range.lo } }))),
      ...defaultAddr.map((d) => ({ range: d.range, value: interned(defaultTags, 'default', d.value) })),
      ...SPECIAL_USE.map((range) => ({ range, value: SPECIAL_TAG })),
      { range: { family: 4 as const, lo: V4_MCAST_LO, hi: V4_MCAST_HI, text: '224.0.0.0/4' }, value: MULTICAST_TAG },
      { range: { family: 4 as const, lo: V4_BROADCAST, hi: V4_BROADCAST, text: '255.255.255.255' }, value: BROADCAST_TAG },
      { range: { family: 6 as const, lo: V6_MCAST_LO, hi: V6_MAX, text: 'ff00::/8' }, value: MULTICAST_TAG },
    ]);
  }

  // An address's AddrInfo is its segment's: IPv4 text is parsed and its segment found by binary
  // search over a small array, both in cache, with no per-address state. (A per-address map and
  // record cost more: on the packet path, with the flow table running between two classified
  // flows, the probe into a map holding every client missed the CPU cache, and each first-seen
  // address allocated a record, ~12k in the reader's thread on the 10M bench.) IPv6 text is
  // dearer to parse (bigint): those keep a bounded per-address map.
  info(addr: string): AddrInfo {
    const v4 = parseIPv4Fast(addr);
    if (v4 >= 0) return this.segmentInfo(this.classIndex.lookupV4(v4));
    if (!addr.includes(':')) return this.segmentInfo(UNPARSED);
    let hit = this.v6Cache.get(addr);
    if (hit === undefined) {
      const v = parseIPv6Fast(addr);
      hit = this.segmentInfo(v === null ? UNPARSED : this.classIndex.lookupV6(v));
      if (this.v6Cache.size >= V6_CACHE_LIMIT) this.v6Cache.clear();
      this.v6Cache.set(addr, hit);
    }
    return hit;
  }

  // Lookups (every classified flow, both ends) are kept apart from building a record (once per
  // segment), here and in the classifier's shared classifications: V8 optimises a hot function
  // whole, and with the building inlined each of its recompilations cost tens of milliseconds,
  // in both threads.
  private segmentInfo(tags: readonly AddrTag[]): AddrInfo {
    return this.bySegment.get(tags) ?? this.newSegmentInfo(tags);
  }

  private newSegmentInfo(tags: readonly AddrTag[]): AddrInfo {
    const roles: string[] = [];
    const defaults: string[] = [];
    let siteName: string | null = null;
    let best = -1n;
    let inSite = false;
    let special = false;
    let multicast = false;
    let broadcast = false;
    for (const t of tags) {
      if (t.kind === 'role') roles.push(t.name);
      else if (t.kind === 'default') defaults.push(t.name);
      else if (t.kind === 'site') {
        inSite = true;
        // When subnets overlap, the most specific (smallest) one names the address.
        if (best < 0n || t.size < best) {
          best = t.size;
          siteName = t.name;
        }
      } else if (t === SPECIAL_TAG) special = true;
      else if (t === MULTICAST_TAG) multicast = true;
      else if (t === BROADCAST_TAG) broadcast = true;
    }
    const pseudo: PseudoRole = tags === UNPARSED ? 'internal' : broadcast ? 'broadcast' : multicast ? 'multicast' : inSite || special ? 'internal' : 'internet';
    const implied = [...defaults, ...(this.impliedByPseudo.get(pseudo) ?? [])].filter((r) => !roles.includes(r));
    // Everything that depends only on the role set is shared by all addresses with that set (tens
    // of thousands of clients share one); only the sentences naming the address are per address,
    // and they are built on first use: most flows match a rule and never need them.
    const sigText = `${roles.join(',')}|${implied.join(',')}|${pseudo}`;
    let shared = this.sharedBySig.get(sigText);
    if (!shared) {
      const match = new Set<string>([...roles, ...implied, pseudo]);
      const matchText = [...match].sort().join(',');
      let sig = this.sigIds.get(matchText);
      if (sig === undefined) this.sigIds.set(matchText, (sig = this.sigIds.size));
      shared = { roles, implied, match, pseudo, sig };
      this.sharedBySig.set(sigText, shared);
    }
    const info: AddrInfo = {
      roles: shared.roles, implied: shared.implied, match: shared.match, pseudo: shared.pseudo, sig: shared.sig,
      site: siteName, endKey: this.endKeyOf(shared, siteName),
    };
    this.bySegment.set(tags, info);
    return info;
  }

  private endKeyOf(sh: SharedInfo, siteName: string | null): number {
    let bySite = this.endKeys.get(sh);
    if (!bySite) this.endKeys.set(sh, (bySite = new Map()));
    let k = bySite.get(siteName);
    if (k === undefined) bySite.set(siteName, (k = this.endKeyCount++));
    return k;
  }
}
