/**
 * Flow classification: which catalog rule (if any) explains a flow, and why not when none does.
 *
 * Matching (see docs/catalog-format.md, "How flows are matched"):
 *  1. An expectation hit (inspector or follow-on window) that names a rule wins outright.
 *     A hit without a rule id is attributed to a follow-on channel of the same kind
 *     ("epm", "ssrp", ...) whose parent rule fits the two hosts' roles.
 *  2. Otherwise rules are looked up by protocol and responder port; a rule matches when the
 *     originator has one of its `from` roles and the responder one of its `to` roles.
 *  3. A `direction: both` rule also matches with the ends swapped (the port stays the
 *     responder's port: for a "<->" row either side may connect to the other's service port).
 *  4. Only when the flow table guessed the originator (UDP, or TCP seen mid-stream) do we also
 *     try the flow turned round: the responder port becomes the originator's port. For a TCP
 *     flow with a SYN the originator is a fact, and reversing it would hide real violations.
 *     ICMP is never turned round (the "port" is the originator's message type).
 *
 * An end's roles come from the site file, plus catalog roles that default to addresses or
 * pseudo-roles (internet, internal, multicast, broadcast) when the site does not map them.
 * Classification.srcRoles/dstRoles report only the roles the site file itself assigns, so
 * that "touches a host with a role" in the audit means a host the user named.
 */
import { PROTO_ICMP, PROTO_ICMPV6, PROTO_TCP, PROTO_UDP } from '../flow/flow-record.js';
import { EVIDENCE_VARS, renderEvidence } from '../flow/flow-record.js';
import type { Classification, ExpectationHit, MatchHow } from '../flow/flow-record.js';
import { AddressIndex, parseAddressFast, parseCheckedAddressExpr, parseIPv4Fast, parseIPv6Fast } from '../catalog/address-index.js';
import type { NumericAddress } from '../catalog/address-index.js';
import { applyParams } from '../catalog/rules-loader.js';
import { PSEUDO_ROLES, isPseudoRole } from '../catalog/catalog-file.js';
import type { PseudoRole } from '../catalog/catalog-file.js';
import type {
  AddressRange,
  Catalog,
  FollowOnPlan,
  FlowClassifier,
  FlowIdentity,
  FollowOn,
  IgnoreEntry,
  Proto,
  Rule,
  Site,
} from '../catalog/types.js';

export { PSEUDO_ROLES, isPseudoRole };

const PROTO_NUMBERS: Record<Exclude<Proto, 'ip'>, number> = { tcp: PROTO_TCP, udp: PROTO_UDP, icmp: PROTO_ICMP, icmpv6: PROTO_ICMPV6 };
const PROTO_NAMES: Record<number, string> = { [PROTO_TCP]: 'TCP', [PROTO_UDP]: 'UDP', [PROTO_ICMP]: 'ICMP', [PROTO_ICMPV6]: 'ICMPv6' };

export function protoNumber(p: Proto): number | null {
  return p === 'ip' ? null : PROTO_NUMBERS[p];
}

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

/** What an address range says about the addresses in it (see classIndex in createClassifier). */
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

/** What the classifier knows about one address (cached per address string). */
interface AddrInfo {
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

interface Entry {
  rule: Rule;
  order: number;
  /** Evidence text per pass and proto/port, built on first use (see matchedEvidence). */
  evidence: Map<number, string>;
}

type Pass = 'direct' | 'both-reversed' | 'guessed-reversed';

interface Match {
  entry: Entry;
  pass: Pass;
  /** Port the rule matched on (responder port in the rule's orientation). */
  port: number;
}

function joinLimited(items: string[], max: number): string {
  const uniq = [...new Set(items)];
  return uniq.length <= max ? uniq.join(', ') : `${uniq.slice(0, max).join(', ')}, +${uniq.length - max} more`;
}

function intersects(names: readonly string[], set: ReadonlySet<string>): boolean {
  for (const n of names) if (set.has(n)) return true;
  return false;
}

/** Build the classifier for one catalog and site file. Parameters of the site are applied. */
export function createClassifier(catalogIn: Catalog, site: Site): FlowClassifier {
  const catalog = site.params.size > 0 ? applyParams(catalogIn, site.params) : catalogIn;

  // --- addresses -> roles, sites, pseudo-roles -------------------------------------------
  // Catalog roles the site file does not mention fall back to their defaults.
  const defaultAddr: { range: AddressRange; value: string }[] = [];
  const impliedByPseudo = new Map<PseudoRole, string[]>();
  for (const role of catalog.roles.values()) {
    if (site.roles.has(role.id) || !role.default) continue;
    for (const d of role.default) {
      if (isPseudoRole(d)) {
        const l = impliedByPseudo.get(d) ?? [];
        l.push(role.id);
        impliedByPseudo.set(d, l);
      } else {
        // Checked with ip-num when the catalog was loaded (catalog-file.ts); read here without it.
        defaultAddr.push({ range: parseCheckedAddressExpr(d), value: role.id });
      }
    }
  }
  // One index over everything an address's classification depends on (site roles, sites,
  // catalog defaults, special-use, multicast and broadcast ranges): its elementary segments are
  // the address classes, and every address of a segment shares one segment record, so a new
  // address costs one parse and one binary search. Tags are interned per role so that a role
  // listed twice for a segment is named once, in site-file order.
  const roleTags = new Map<string, AddrTag>();
  const defaultTags = new Map<string, AddrTag>();
  const interned = (m: Map<string, AddrTag>, kind: 'role' | 'default', role: string): AddrTag => {
    let t = m.get(role);
    if (!t) m.set(role, (t = { kind, name: role, size: 0n }));
    return t;
  };
  const classIndex = new AddressIndex<AddrTag>([
    ...[...site.roles].flatMap(([role, ranges]) => ranges.map((range) => ({ range, value: interned(roleTags, 'role', role) }))),
    ...[...site.sites].flatMap(([name, ranges]) => ranges.map((range) => ({ range, value: { kind: 'site' as const, name, size: range.hi - range.lo } }))),
    ...defaultAddr.map((d) => ({ range: d.range, value: interned(defaultTags, 'default', d.value) })),
    ...SPECIAL_USE.map((range) => ({ range, value: SPECIAL_TAG })),
    { range: { family: 4 as const, lo: V4_MCAST_LO, hi: V4_MCAST_HI, text: '224.0.0.0/4' }, value: MULTICAST_TAG },
    { range: { family: 4 as const, lo: V4_BROADCAST, hi: V4_BROADCAST, text: '255.255.255.255' }, value: BROADCAST_TAG },
    { range: { family: 6 as const, lo: V6_MCAST_LO, hi: V6_MAX, text: 'ff00::/8' }, value: MULTICAST_TAG },
  ]);

  const sigIds = new Map<string, number>();

  interface SharedInfo { roles: readonly string[]; implied: readonly string[]; match: ReadonlySet<string>; pseudo: PseudoRole; sig: number }
  const sharedBySig = new Map<string, SharedInfo>();
  const endKeys = new Map<SharedInfo, Map<string | null, number>>();
  let endKeyCount = 0;
  function endKeyOf(sh: SharedInfo, siteName: string | null): number {
    let bySite = endKeys.get(sh);
    if (!bySite) endKeys.set(sh, (bySite = new Map()));
    let k = bySite.get(siteName);
    if (k === undefined) bySite.set(siteName, (k = endKeyCount++));
    return k;
  }

  /** What every address of one segment (or every unparseable address) shares: all of its AddrInfo. */
  const bySegment = new Map<readonly AddrTag[], AddrInfo>();
  // Lookups (every classified flow, both ends) are kept apart from building a record (once per
  // segment), here and in serviceClassification: V8 optimises a hot function whole, and with the
  // building inlined each of its recompilations cost tens of milliseconds, in both threads.
  function segmentInfo(tags: readonly AddrTag[]): AddrInfo {
    return bySegment.get(tags) ?? newSegmentInfo(tags);
  }
  function newSegmentInfo(tags: readonly AddrTag[]): AddrInfo {
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
    const implied = [...defaults, ...(impliedByPseudo.get(pseudo) ?? [])].filter((r) => !roles.includes(r));
    // Everything that depends only on the role set is shared by all addresses with that set (tens
    // of thousands of clients share one); only the sentences naming the address are per address,
    // and they are built on first use: most flows match a rule and never need them.
    const sigText = `${roles.join(',')}|${implied.join(',')}|${pseudo}`;
    let shared = sharedBySig.get(sigText);
    if (!shared) {
      const match = new Set<string>([...roles, ...implied, pseudo]);
      const matchText = [...match].sort().join(',');
      let sig = sigIds.get(matchText);
      if (sig === undefined) sigIds.set(matchText, (sig = sigIds.size));
      shared = { roles, implied, match, pseudo, sig };
      sharedBySig.set(sigText, shared);
    }
    const info: AddrInfo = {
      roles: shared.roles, implied: shared.implied, match: shared.match, pseudo: shared.pseudo, sig: shared.sig,
      site: siteName, endKey: endKeyOf(shared, siteName),
    };
    bySegment.set(tags, info);
    return info;
  }

  // An address's AddrInfo is its segment's: IPv4 text is parsed and its segment found by binary
  // search over a small array, both in cache, with no per-address state. (A per-address map and
  // record cost more: on the packet path, with the flow table running between two classified
  // flows, the probe into a map holding every client missed the CPU cache, and each first-seen
  // address allocated a record, ~12k in the reader's thread on the 10M bench.) IPv6 text is
  // dearer to parse (bigint): those keep a bounded per-address map.
  const v6Cache = new Map<string, AddrInfo>();
  const V6_CACHE_LIMIT = 100_000;
  function info(addr: string): AddrInfo {
    const v4 = parseIPv4Fast(addr);
    if (v4 >= 0) return segmentInfo(classIndex.lookupV4(v4));
    if (!addr.includes(':')) return segmentInfo(UNPARSED);
    let hit = v6Cache.get(addr);
    if (hit === undefined) {
      const v = parseIPv6Fast(addr);
      hit = segmentInfo(v === null ? UNPARSED : classIndex.lookupV6(v));
      if (v6Cache.size >= V6_CACHE_LIMIT) v6Cache.clear();
      v6Cache.set(addr, hit);
    }
    return hit;
  }

  // --- rules by protocol and port ---------------------------------------------------------
  // Ports are indexed one by one when a rule has few; wide ranges (RPC dynamic, >1024) are
  // kept in a short list that is scanned. Merged candidate lists are cached per proto/port.
  const WIDE = 1024;
  const exact = new Map<number, Entry[]>(); // key proto * 65536 + port
  const wide = new Map<number, Entry[]>(); // key proto
  const anyProto: Entry[] = [];
  catalog.rules.forEach((rule, order) => {
    const e: Entry = { rule, order, evidence: new Map() };
    const pn = protoNumber(rule.proto);
    if (pn === null) {
      anyProto.push(e);
      return;
    }
    for (const r of rule.ports) {
      if (r.hi - r.lo + 1 > WIDE) {
        const l = wide.get(pn) ?? [];
        if (!l.includes(e)) l.push(e);
        wide.set(pn, l);
      } else {
        for (let p = r.lo; p <= r.hi; p++) {
          const k = pn * 65536 + p;
          const l = exact.get(k) ?? [];
          if (!l.includes(e)) l.push(e);
          exact.set(k, l);
        }
      }
    }
  });
  // Ports that a rule of any protocol names in a narrow range (nearShape calls those specific).
  const anyProtoNarrow = new Uint8Array(65_536);
  for (const e of anyProto) for (const r of e.rule.ports) if (r.hi - r.lo + 1 <= WIDE) anyProtoNarrow.fill(1, r.lo, r.hi + 1);
  // Merged candidate lists, per protocol and port. Lists are interned by which entries they
  // hold (every ephemeral port of a guessed flow shares the list of the wide ranges it falls
  // in), and a table per protocol maps a port to its list: memory does not grow per port, and
  // a lookup allocates nothing (this runs for every flow classified).
  const candidateLists: Entry[][] = [];
  const listNumbers = new Map<string, number>();
  /** 1 + index of the list in candidateLists. */
  function internList(list: Entry[]): number {
    const sig = list.map((e) => e.order).join(',');
    let n = listNumbers.get(sig);
    if (n === undefined) {
      candidateLists.push(list);
      listNumbers.set(sig, (n = candidateLists.length));
    }
    return n;
  }
  /**
   * Per protocol: port -> 1 + number of its candidate list, and port -> slot. What a port
   * means to the rules: a port some rule names by itself (or an ICMP type) is its own slot
   * (port + 1); any other port is the slot of its candidate list (minus the list number): every
   * such port matches and misses alike, so they share classifications (their evidence names the
   * port by placeholder).
   */
  interface PortTables { lists: Uint32Array; slots: Int32Array }
  const portTables = new Map<number, PortTables>();
  /**
   * A protocol's tables are built whole, the first time a flow of it is classified: between two
   * bounds of a wide rule's ranges the list is the same, so each stretch is one typed-array
   * fill, and only the ports rules name are merged one by one. (Filled port by port, the first
   * flow on each new ephemeral port merged a list: tens of thousands of merges per capture, in
   * both threads that classify, and V8 compiled that merge into the lookup.)
   */
  function buildPortTables(proto: number): PortTables {
    const lists = new Uint32Array(65_536);
    const slots = new Int32Array(65_536);
    const wideHere = wide.get(proto) ?? [];
    const listAt = (port: number, named: readonly Entry[]) => internList([
      ...named, ...wideHere.filter((e) => e.rule.ports.some((r) => port >= r.lo && port <= r.hi)), ...anyProto,
    ].sort((a, b) => a.order - b.order));
    const bounds = new Set<number>([0, 65_536]);
    for (const e of wideHere) for (const r of e.rule.ports) bounds.add(r.lo).add(r.hi + 1);
    const cuts = [...bounds].filter((b) => b >= 0 && b <= 65_536).sort((a, b) => a - b);
    for (let i = 0; i + 1 < cuts.length; i++) {
      const n = listAt(cuts[i]!, []);
      lists.fill(n, cuts[i]!, cuts[i + 1]!);
      slots.fill(-n, cuts[i]!, cuts[i + 1]!);
    }
    for (const [key, named] of exact) {
      if (Math.floor(key / 65_536) !== proto) continue;
      const port = key % 65_536;
      lists[port] = listAt(port, named);
      slots[port] = port + 1;
    }
    for (const e of anyProto) {
      for (const r of e.rule.ports) if (r.hi - r.lo + 1 <= WIDE) for (let port = r.lo; port <= r.hi; port++) slots[port] = port + 1;
    }
    const tables = { lists, slots };
    portTables.set(proto, tables);
    return tables;
  }
  function candidates(proto: number, port: number): Entry[] {
    return candidateLists[(portTables.get(proto) ?? buildPortTables(proto)).lists[port]! - 1]!;
  }
  function portSlot(proto: number, port: number): number {
    return (portTables.get(proto) ?? buildPortTables(proto)).slots[port]!;
  }
  /** A slot as a positive number for cache keys: ports 1..65536, candidate lists above. */
  const slotCode = (slot: number) => (slot > 0 ? slot : 65_536 - slot);
  // The keys of the two shared-classification caches (service-port matches, misses): the
  // protocol and the service port's slot; the two ends' kinds.
  const portKeyOf = (proto: number, slot: number) => proto * 1_000_000 + slotCode(slot);
  const pairKeyOf = (src: AddrInfo, dst: AddrInfo) => src.endKey * 4_194_304 + dst.endKey;

  const roleMatch = (rule: Rule, orig: AddrInfo, resp: AddrInfo) => intersects(rule.from, orig.match) && intersects(rule.to, resp.match);

  const isIcmp = (proto: number) => proto === PROTO_ICMP || proto === PROTO_ICMPV6;
  const guessed = (flow: FlowIdentity) => flow.originatorGuessed ?? flow.proto !== PROTO_TCP;
  /** The "port" rules are keyed by: responder port, or for ICMP the originator's type. */
  const servicePort = (flow: FlowIdentity) => (isIcmp(flow.proto) ? flow.sport : flow.dport);

  function findMatch(flow: FlowIdentity, src: AddrInfo, dst: AddrInfo, only?: string): Match | null {
    return servicePortMatch(flow, src, dst, only) ?? guessedReversedMatch(flow, src, dst, only);
  }
  /** Passes 1 and 3: the rule's service port is the responder's port (depends only on roles, proto, port). */
  function servicePortMatch(flow: FlowIdentity, src: AddrInfo, dst: AddrInfo, only?: string): Match | null {
    const port = servicePort(flow);
    const list = candidates(flow.proto, port);
    for (const e of list) if ((only === undefined || e.rule.id === only) && roleMatch(e.rule, src, dst)) return { entry: e, pass: 'direct', port };
    for (const e of list) {
      if ((only === undefined || e.rule.id === only) && e.rule.direction === 'both' && roleMatch(e.rule, dst, src)) return { entry: e, pass: 'both-reversed', port };
    }
    return null;
  }
  /** Pass 4: a guessed originator turned round (the originator's port is the service port). */
  function guessedReversedMatch(flow: FlowIdentity, src: AddrInfo, dst: AddrInfo, only?: string): Match | null {
    if (guessed(flow) && !isIcmp(flow.proto) && flow.sport !== flow.dport) {
      for (const e of candidates(flow.proto, flow.sport)) {
        if ((only === undefined || e.rule.id === only) && (roleMatch(e.rule, dst, src) || (e.rule.direction === 'both' && roleMatch(e.rule, src, dst)))) {
          return { entry: e, pass: 'guessed-reversed', port: flow.sport };
        }
      }
    }
    return null;
  }

  // Passes 1-3 depend only on the two ends' role sets, the protocol and the service port, and
  // so does the Classification they produce (plus the ends' sites): it is built once per
  // (end key, end key, proto, port) and shared by every flow that fits — most flows of an
  // estate are the same few conversations between role sets. NO_SERVICE_MATCH remembers a miss.
  const NO_SERVICE_MATCH: Classification = {
    rule: null, how: 'none', evidence: null, srcRoles: [], dstRoles: [], srcSite: null, dstSite: null, ignored: false,
  };
  const serviceCache = new Map<number, Map<number, Classification>>();
  let serviceCacheSize = 0;
  const SERVICE_CACHE_LIMIT = 500_000;
  /** `slot`: the service port's (portSlot); `portKey`, `pairKey`: portKeyOf, pairKeyOf. */
  function serviceClassification(flow: FlowIdentity, src: AddrInfo, dst: AddrInfo, slot: number, portKey: number, pairKey: number): Classification {
    let byPair = serviceCache.get(portKey);
    if (!byPair) serviceCache.set(portKey, (byPair = new Map()));
    return byPair.get(pairKey) ?? newServiceClassification(flow, src, dst, slot, portKey, byPair, pairKey);
  }
  function newServiceClassification(
    flow: FlowIdentity, src: AddrInfo, dst: AddrInfo, slot: number, portKey: number, byPair: Map<number, Classification>, pairKey: number,
  ): Classification {
    const m = servicePortMatch(flow, src, dst);
    const cls: Classification = m
      ? {
        rule: m.entry.rule.id, how: 'direct', evidence: matchedEvidence(m, flow),
        // Shared by every flow with this key: never mutated downstream (readers copy).
        srcRoles: src.roles as string[], dstRoles: dst.roles as string[],
        srcSite: src.site, dstSite: dst.site, ignored: false,
        // A port inside a wide range is named by placeholder (one classification for all of them).
        ...(slot < 0 ? { evidenceVars: true } : {}),
      }
      : NO_SERVICE_MATCH;
    if (serviceCacheSize >= SERVICE_CACHE_LIMIT) {
      serviceCache.clear();
      serviceCacheSize = 0;
      serviceCache.set(portKey, byPair = new Map());
    }
    byPair.set(pairKey, cls);
    serviceCacheSize++;
    return cls;
  }

  // --- words for evidence ----------------------------------------------------------------
  const roleTitle = (id: string): string => {
    if (isPseudoRole(id)) return id;
    const r = catalog.roles.get(id);
    return r ? r.title : id;
  };
  const protoName = (proto: number) => PROTO_NAMES[proto] ?? `IP proto ${proto}`;
  /** `port` is a number, or the placeholder of the flow field it is (EVIDENCE_VARS). */
  const portWords = (proto: number, port: number | string) => (isIcmp(proto) ? `${protoName(proto)} type ${port}` : `${protoName(proto)} ${port}`);
  // End words name the address by the placeholder of the flow field it is in ("{{src}} (no
  // role)"), so that the evidence of a flow without a rule is the same text for every flow
  // between the same kinds of ends, and is shared (see Classification.evidenceVars).
  /** "client" / "client and distribution point" / "10.1.2.3 (no role)" / "8.8.8.8 (internet)" */
  const endName = (addr: string, i: AddrInfo): string => {
    if (i.roles.length) return joinLimited(i.roles.map(roleTitle), 3);
    if (i.implied.length) return `${addr} (${joinLimited(i.implied.map(roleTitle), 3)})`;
    return i.pseudo === 'internal' ? `${addr} (no role)` : `${addr} (${i.pseudo})`;
  };
  const endSentence = (addr: string, i: AddrInfo): string => {
    const titles = (ids: readonly string[]) => [...new Set(ids.map(roleTitle))].join(' and ');
    if (i.roles.length) return `${addr} is ${titles(i.roles)}`;
    if (i.implied.length) return `${addr} is ${titles(i.implied)} (catalog default for ${i.pseudo === 'internal' ? 'this address' : i.pseudo})`;
    return i.pseudo === 'internal' ? `${addr} has no role` : `${addr} has no role (${i.pseudo})`;
  };
  const ids = (entries: Entry[]) => joinLimited(entries.map((e) => e.rule.id), 3);

  // Evidence depends only on the rule, the pass and the port, so it is built once per entry
  // and reused. A guessed originator turned round names the flow's fields by placeholder (its
  // responder as the originator, its originator's port as the service port).
  function matchedEvidence(m: Match, flow: FlowIdentity): string {
    // A port inside a wide range only (slot < 0) is named by placeholder, like a turned-round one.
    const port = m.pass === 'guessed-reversed' ? EVIDENCE_VARS.sport : portSlot(flow.proto, m.port) < 0 ? servicePortVar(flow) : m.port;
    const key = (m.pass === 'direct' ? 0 : m.pass === 'both-reversed' ? 1 : 2) * 67_108_864 + flow.proto * 131_072 +
      (typeof port === 'number' ? port : 65_536);
    let ev = m.entry.evidence.get(key);
    if (ev === undefined) {
      ev = buildMatchedEvidence(m, flow.proto, port);
      m.entry.evidence.set(key, ev);
    }
    return ev;
  }
  /** `port`: the matched port, or the placeholder that names it (see matchedEvidence). */
  function buildMatchedEvidence(m: Match, proto: number, port: number | string): string {
    const r = m.entry.rule;
    const from = joinLimited(r.from.map(roleTitle), 3);
    const to = joinLimited(r.to.map(roleTitle), 3);
    const note =
      m.pass === 'both-reversed'
        ? ' (row is <->: either side may connect)'
        : m.pass === 'guessed-reversed'
          ? ` (originator was guessed; matched with ${EVIDENCE_VARS.dst} as originator)`
          : '';
    return `${r.id}: ${from} -> ${to}, ${portWords(proto, port)}${note}`;
  }

  /** The placeholder of the flow's service port (the originator's ICMP type, else the responder's port). */
  const servicePortVar = (flow: FlowIdentity) => (isIcmp(flow.proto) ? EVIDENCE_VARS.sport : EVIDENCE_VARS.dport);

  /** Plain words for "the port is known, the roles are not the allowed ones" (with placeholders). */
  function nearMiss(flow: FlowIdentity, src: AddrInfo, dst: AddrInfo): string | null {
    let port = servicePort(flow);
    let portVar: string = servicePortVar(flow);
    let list = candidates(flow.proto, port);
    let orig = src;
    let resp = dst;
    let origVar: string = EVIDENCE_VARS.src;
    let respVar: string = EVIDENCE_VARS.dst;
    if (list.length === 0 && guessed(flow) && !isIcmp(flow.proto)) {
      // Nothing on the responder port; the guessed originator may be the service side.
      const alt = candidates(flow.proto, flow.sport);
      if (alt.length === 0) return null;
      list = alt;
      port = flow.sport;
      portVar = EVIDENCE_VARS.sport;
      orig = dst;
      resp = src;
      origVar = EVIDENCE_VARS.dst;
      respVar = EVIDENCE_VARS.src;
    }
    if (list.length === 0) return null;
    // Which rules are nearest depends only on proto, the port's slot (see portSlot) and the two
    // ends' role sets: cache that part; the port and the end names go in around it. Keyed by
    // port, nearly every unmatched flow on a dynamic port built a shape of its own.
    const slot = portSlot(flow.proto, port);
    const shapeKey = slot > 0 ? flow.proto * 65_536 + port : slot - 1;
    let byPair = nearCache.get(shapeKey);
    if (!byPair) nearCache.set(shapeKey, (byPair = new Map()));
    const pairKey = orig.sig * 1_048_576 + resp.sig;
    let shape = byPair.get(pairKey);
    if (!shape) {
      shape = nearShape(port, list, orig, resp);
      if (byPair.size >= 10_000) byPair.clear();
      byPair.set(pairKey, shape);
    }
    const what = portWords(flow.proto, portVar);
    const origName = endName(origVar, orig);
    if (shape.kind === 'from') return `${what} is allowed from ${shape.allowed}, not from ${origName} (${shape.ids})`;
    const respName = endName(respVar, resp);
    if (shape.kind === 'to') return `${what} from ${origName} is allowed to ${shape.allowed}, not to ${respName} (${shape.ids})`;
    return `${what} is allowed from ${shape.allowed}, not from ${origName} to ${respName} (${shape.ids})`;
  }

  interface NearShape {
    /** from: only the originator is wrong; to: only the responder; both: neither fits. */
    kind: 'from' | 'to' | 'both';
    allowed: string;
    ids: string;
  }
  const nearCache = new Map<number, Map<number, NearShape>>();

  function nearShape(port: number, all: Entry[], orig: AddrInfo, resp: AddrInfo): NearShape {
    // Rules written for this port are nearer than catch-all ranges ("any port above 1024"):
    // name the catch-alls only when nothing specific exists.
    const specific = all.filter((e) => e.rule.ports.some((r) => r.hi - r.lo + 1 <= WIDE && port >= r.lo && port <= r.hi));
    const list = specific.length ? specific : all;
    const sideTitles = (e: Entry, side: 'from' | 'to') =>
      (e.rule.direction === 'both' ? [...e.rule[side], ...e.rule[side === 'from' ? 'to' : 'from']] : e.rule[side]).map(roleTitle);
    const respFits = list.filter((e) => intersects(e.rule.to, resp.match) || (e.rule.direction === 'both' && intersects(e.rule.from, resp.match)));
    if (respFits.length) {
      return { kind: 'from', allowed: joinLimited(respFits.flatMap((e) => sideTitles(e, 'from')), 6), ids: ids(respFits) };
    }
    const origFits = list.filter((e) => intersects(e.rule.from, orig.match) || (e.rule.direction === 'both' && intersects(e.rule.to, orig.match)));
    if (origFits.length) {
      return { kind: 'to', allowed: joinLimited(origFits.flatMap((e) => sideTitles(e, 'to')), 6), ids: ids(origFits) };
    }
    const from = joinLimited(list.flatMap((e) => sideTitles(e, 'from')), 6);
    const to = joinLimited(list.flatMap((e) => sideTitles(e, 'to')), 6);
    return { kind: 'both', allowed: `${from} to ${to}`, ids: ids(list) };
  }

  // --- ignore entries ----------------------------------------------------------------------
  const inRanges = (ranges: AddressRange[] | null, a: NumericAddress | null) =>
    ranges === null || (a !== null && ranges.some((r) => r.family === a.family && a.value >= r.lo && a.value <= r.hi));
  function ignoreMatch(e: IgnoreEntry, proto: number, orig: NumericAddress | null, resp: NumericAddress | null, port: number): boolean {
    if (e.proto !== null && PROTO_NUMBERS[e.proto as Exclude<Proto, 'ip'>] !== proto) return false;
    if (e.ports !== null && !e.ports.some((r) => port >= r.lo && port <= r.hi)) return false;
    return inRanges(e.from, orig) && inRanges(e.to, resp);
  }
  function ignoredBy(flow: FlowIdentity): IgnoreEntry | null {
    const src = parseAddressFast(flow.src);
    const dst = parseAddressFast(flow.dst);
    for (const e of site.ignore) {
      if (ignoreMatch(e, flow.proto, src, dst, servicePort(flow))) return e;
      if (guessed(flow) && !isIcmp(flow.proto) && ignoreMatch(e, flow.proto, dst, src, flow.sport)) return e;
    }
    return null;
  }

  // --- follow-on channels by inspector kind (for hits that carry no rule id) ---------------
  const followOnsByVia = new Map<FollowOn['via'], { parent: Rule; f: FollowOn }[]>();
  for (const rule of catalog.rules) {
    for (const f of rule.then) {
      const l = followOnsByVia.get(f.via) ?? [];
      l.push({ parent: rule, f });
      followOnsByVia.set(f.via, l);
    }
  }
  function followOnFor(hit: ExpectationHit, flow: FlowIdentity, src: AddrInfo, dst: AddrInfo): { parent: Rule; f: FollowOn } | null {
    for (const c of followOnsByVia.get(hit.kind) ?? []) {
      if (protoNumber(c.f.proto) !== flow.proto) continue;
      // The parent flow's originator is this flow's originator for "same", its responder for "reverse".
      const [po, pr] = c.f.direction === 'same' ? [src, dst] : [dst, src];
      if (roleMatch(c.parent, po, pr) || (c.parent.direction === 'both' && roleMatch(c.parent, pr, po))) return c;
    }
    return null;
  }

  // --- the FlowClassifier ------------------------------------------------------------------
  /** Why no rule covers a flow without an expectation hit (placeholders for its own fields). */
  function unmatchedEvidence(flow: FlowIdentity, src: AddrInfo, dst: AddrInfo): string {
    return nearMiss(flow, src, dst) ??
      `no catalog rule for ${portWords(flow.proto, servicePortVar(flow))}; ${endSentence(EVIDENCE_VARS.src, src)}, ${endSentence(EVIDENCE_VARS.dst, dst)}`;
  }

  // Flows the service-port passes do not match (pass 4, or no rule at all) depend on the ports
  // only through the rules that could apply to them (a port named by a rule counts as itself,
  // any other port as its list of wide-range candidates) and on the two ends' kinds, not on the
  // addresses: their evidence names those by placeholder, and the classification is shared.
  // Keyed by numbers, nested: (proto, service port's slot) -> (the originator's port's slot and
  // whether both ports are equal, when a guessed originator may be turned round; else 0) -> the
  // two ends' keys. (A string key was built and hashed per flow: ~5 MB of strings per 10M read
  // on the writer's thread.)
  const unmatchedCache = new Map<number, Map<number, Map<number, Classification>>>();
  let unmatchedCacheSize = 0;
  const UNMATCHED_CACHE_LIMIT = 100_000;
  function withoutServiceMatch(flow: FlowIdentity, src: AddrInfo, dst: AddrInfo, portKey: number, pairKey: number): Classification {
    const reversible = guessed(flow) && !isIcmp(flow.proto);
    const turnKey = reversible ? slotCode(portSlot(flow.proto, flow.sport)) * 2 + (flow.sport === flow.dport ? 1 : 0) : 0;
    return unmatchedCache.get(portKey)?.get(turnKey)?.get(pairKey) ?? newUnmatched(flow, src, dst, portKey, turnKey, pairKey);
  }
  function newUnmatched(flow: FlowIdentity, src: AddrInfo, dst: AddrInfo, portKey: number, turnKey: number, pairKey: number): Classification {
    const m = guessedReversedMatch(flow, src, dst);
    const cls: Classification = {
      rule: m ? m.entry.rule.id : null, how: m ? 'direct' : 'none',
      evidence: m ? matchedEvidence(m, flow) : unmatchedEvidence(flow, src, dst),
      srcRoles: src.roles as string[], dstRoles: dst.roles as string[], srcSite: src.site, dstSite: dst.site,
      ignored: false, evidenceVars: true,
    };
    if (unmatchedCacheSize >= UNMATCHED_CACHE_LIMIT) {
      unmatchedCache.clear();
      unmatchedCacheSize = 0;
    }
    let byTurn = unmatchedCache.get(portKey);
    if (!byTurn) unmatchedCache.set(portKey, (byTurn = new Map()));
    let byPair = byTurn.get(turnKey);
    if (!byPair) byTurn.set(turnKey, (byPair = new Map()));
    byPair.set(pairKey, cls);
    unmatchedCacheSize++;
    return cls;
  }

  function classifyShared(flow: FlowIdentity, hit: ExpectationHit | null): Classification {
    const src = info(flow.src);
    const dst = info(flow.dst);
    const ign = site.ignore.length ? ignoredBy(flow) : null;
    // The common case: no expectation, not ignored. Shared objects, built once per kind of flow.
    if (hit === null && ign === null) {
      const slot = portSlot(flow.proto, servicePort(flow));
      const portKey = portKeyOf(flow.proto, slot);
      const pairKey = pairKeyOf(src, dst);
      const service = serviceClassification(flow, src, dst, slot, portKey, pairKey);
      return service !== NO_SERVICE_MATCH ? service : withoutServiceMatch(flow, src, dst, portKey, pairKey);
    }
    return classifiedAlone(flow, hit, src, dst, ign);
  }

  /**
   * Expectation hits and ignore entries: one object per flow (few flows), evidence written out.
   * Kept apart from classifyShared(): its closures would make every call allocate their context.
   */
  function classifiedAlone(flow: FlowIdentity, hit: ExpectationHit | null, src: AddrInfo, dst: AddrInfo, ign: IgnoreEntry | null): Classification {
    const words = (template: string) => renderEvidence(template, flow);
    const result = (rule: string | null, how: MatchHow, evidence: string): Classification => ({
      rule,
      how,
      evidence: ign ? `${evidence}; ignored by site file line ${ign.line}: ${ign.text}` : evidence,
      srcRoles: src.roles as string[],
      dstRoles: dst.roles as string[],
      srcSite: src.site,
      dstSite: dst.site,
      ignored: ign !== null,
    });

    if (hit) {
      const how = hit.kind === 'window' ? 'window' : 'expectation';
      if (hit.rule) return result(hit.rule, how, hit.evidence);
      const fo = followOnFor(hit, flow, src, dst);
      if (fo) return result(fo.f.id, how, `${hit.evidence} (${fo.f.title ?? fo.f.id}, after ${fo.parent.id})`);
    }
    const m = findMatch(flow, src, dst);
    if (m) return result(m.entry.rule.id, 'direct', words(matchedEvidence(m, flow)));
    if (hit) {
      // Announced by an inspector, but no rule allows such a channel between these roles.
      const how = hit.kind === 'window' ? 'window' : 'expectation';
      return result(null, how, `${hit.evidence}; no catalog rule covers this channel (${words(endSentence(EVIDENCE_VARS.src, src))}, ${words(endSentence(EVIDENCE_VARS.dst, dst))})`);
    }
    return result(null, 'none', words(unmatchedEvidence(flow, src, dst)));
  }

  function classify(flow: FlowIdentity, hit: ExpectationHit | null): Classification {
    const c = classifyShared(flow, hit);
    if (!c.evidenceVars) return c;
    return {
      rule: c.rule, how: c.how, evidence: renderEvidence(c.evidence!, flow), srcRoles: c.srcRoles, dstRoles: c.dstRoles,
      srcSite: c.srcSite, dstSite: c.dstSite, ignored: c.ignored,
    };
  }

  const ruleById = new Map(catalog.rules.map((r) => [r.id, r]));
  const NO_PLANS: readonly FollowOnPlan[] = [];

  /** The windows a match opens; the flow's two addresses are filled in when registered. */
  function windowPlans(m: Match, flowProto: number, turned: boolean): FollowOnPlan[] {
    const rule = m.entry.rule;
    const plans: FollowOnPlan[] = [];
    for (const f of rule.then) {
      // Windows are registered for "window" channels, and for "epm" as a fallback: if no
      // endpoint-mapper reply is decoded (encrypted, truncated, capture started late) the
      // dynamic port still gets attributed. The flow table prefers an exact inspector hit.
      if (f.via !== 'window' && f.via !== 'epm') continue;
      const proto = protoNumber(f.proto);
      if (f.ports.length === 0 || proto === null) continue;
      plans.push({
        kind: 'window', rule: f.id, proto, ports: f.ports, within: f.within, turned,
        originatorIsClient: f.direction === 'same',
        evidenceHead: `${f.title ?? f.id} within ${f.within} s after ${rule.id} (${protoName(flowProto)} ${m.port} `,
        evidenceTail: ')' + (f.via === 'epm' ? ' (time window: used when no endpoint-mapper reply names the port)' : ''),
      });
    }
    return plans;
  }
  // Plans per shared classification: every flow a service-port classification covers matched
  // the same rule the same way on the same port (one is registered per parent flow: 135, 402...).
  const plansByClassification = new WeakMap<Classification, readonly FollowOnPlan[]>();

  function followOnPlans(flow: FlowIdentity, cls: Classification): readonly FollowOnPlan[] {
    if (!cls.rule || cls.how !== 'direct') return NO_PLANS;
    let plans = plansByClassification.get(cls);
    if (plans !== undefined) return plans;
    // Most rules open no follow-on channel: answer before matching the flow again.
    if (ruleById.get(cls.rule)?.then.length === 0) return NO_PLANS;
    const m = findMatch(flow, info(flow.src), info(flow.dst), cls.rule);
    if (!m) return NO_PLANS;
    // Turned round, the port in the evidence is this flow's own: not shared.
    const turned = m.pass === 'guessed-reversed';
    plans = windowPlans(m, flow.proto, turned);
    if (!turned) plansByClassification.set(cls, plans);
    return plans;
  }

  // Which flows must be classified the moment they start: those that may open follow-on
  // channels (their rule's `then`), because the windows they open claim later flows. Everything
  // else can be classified later, off the packet path (the store's writer thread does it).
  // This runs for every new flow, so the answer is a table per protocol, filled once: 1 where
  // some rule with follow-ons has the port. (Filling it lazily per port allocated closures for
  // every new ephemeral port of a guessed flow: 34 MB on the 10M bench.)
  // Indexed by protocol number (an array index, not a map probe); a protocol no rule with
  // follow-ons names shares the table of the rules of any protocol.
  const anyProtoOpens: Uint8Array = new Uint8Array(65_536);
  const ownTables: (Uint8Array | undefined)[] = new Array(256).fill(undefined);
  const opening = catalog.rules.filter((r) => r.then.length > 0);
  for (const r of opening) {
    const pn = protoNumber(r.proto);
    if (pn === null) continue;
    const byPort = (ownTables[pn] ??= new Uint8Array(65_536));
    for (const x of r.ports) byPort.fill(1, x.lo, x.hi + 1);
  }
  // A rule of any protocol marks its ports in every table (range fills: no per-port loop at start-up).
  for (const r of opening) {
    if (protoNumber(r.proto) !== null) continue;
    for (const byPort of [anyProtoOpens, ...ownTables]) if (byPort) for (const x of r.ports) byPort.fill(1, x.lo, x.hi + 1);
  }
  const opensByProto: Uint8Array[] = ownTables.map((t) => t ?? anyProtoOpens);
  function needsEarly(flow: FlowIdentity): boolean {
    const byPort = opensByProto[flow.proto & 0xff]!;
    if (byPort[servicePort(flow) & 0xffff] === 1) return true;
    return guessed(flow) && !isIcmp(flow.proto) && byPort[flow.sport & 0xffff] === 1;
  }

  return { classify, classifyShared, followOnPlans, needsEarly };
}
