/**
 * Grouping of repeated findings for the human formats: same section, roles, service and
 * port become one group with a count, first/last seen, distinct host counts and a few
 * example flows. JSON keeps one item per flow; each item's `group` names its group.
 *
 * Port scans need one more step: a scan touches thousands of ports once each, so "same
 * port" would still give thousands of groups. Unexpected no-rule groups between the same
 * two role labels are therefore merged into one "port-scan" group when there are many
 * small ones (see SCAN_MIN_PORTS); groups with real traffic volume stay on their own.
 *
 * Grouping sees each finding item once and keeps per group only aggregates and a few examples,
 * never the items: it returns, with the groups, which group each item belongs to (`groupOf`),
 * so the JSON and CSV writers can name it when they build the items again from the store.
 */
import type {
  FindingGroup, FlowExample, MissingItem, Section, UnexpectedItem, WanCacheItem, WindowItem,
} from './types.js';
import {
  compressPorts, count, endLabel, fmtWindowProse, joinOr, midSentence, portsText, serviceLabel,
} from './format.js';
import { roleTitle } from '../catalog/role-title.js';
import type { Settled, WanFacts } from './wan-cache.js';

/** Distinct ports of small no-rule groups between the same labels that make a scan. */
export const SCAN_MIN_PORTS = 20;
/** A per-port group with at most this many flows counts as "small" (one probe, a retry). */
const SCAN_SMALL_GROUP = 3;
/** Distinct host counting stops here (the number is reported as "N+"). */
const HOST_CAP = 10000;
const MAX_EXAMPLES = 3;
const MAX_EVIDENCE = 5;
/** Longest port list printed in a group's port text before it is cut with "…". */
const MAX_PORT_RANGES = 12;

interface FlowLike {
  proto: string;
  src: string;
  sport: number;
  dst: string;
  dport: number;
  start: number;
  end: number;
  state?: string;
  flowId?: number;
}

/** Running aggregate of one group while items are added. */
class GroupAcc<T> {
  count = 0;
  first: number | null = null;
  last: number | null = null;
  readonly ports = new Set<number>();
  readonly srcHosts = new Set<string>();
  readonly dstHosts = new Set<string>();
  hostsCapped = false;
  readonly examples: FlowExample[] = [];
  readonly evidence = new Set<string>();
  /** The items themselves, kept only for missing flows (a few per rule). */
  readonly members: T[] = [];
  /** Keys of the groups absorbed into this one (port-scan merging). */
  readonly absorbed: string[] = [];

  constructor(
    readonly key: string,
    readonly kind: string,
    readonly proto: string,
    readonly srcLabel: string,
    readonly dstLabel: string,
    readonly rule: string | null,
    public reason: string,
  ) {}

  addFlow(item: FlowLike, port: number | null): void {
    this.count++;
    if (port !== null) this.ports.add(port);
    this.first = this.first === null ? item.start : Math.min(this.first, item.start);
    this.last = this.last === null ? item.end : Math.max(this.last, item.end);
    this.addHost(this.srcHosts, item.src);
    this.addHost(this.dstHosts, item.dst);
    if (this.examples.length < MAX_EXAMPLES) {
      this.examples.push({
        proto: item.proto, src: item.src, sport: item.sport, dst: item.dst, dport: item.dport,
        start: item.start, state: item.state ?? '', flowId: item.flowId ?? 0,
      });
    }
  }

  addHost(set: Set<string>, host: string): void {
    if (set.size < HOST_CAP) set.add(host);
    else if (!set.has(host)) this.hostsCapped = true;
  }

  /** Absorb another accumulator (port-scan merging). */
  absorb(other: GroupAcc<T>): void {
    this.count += other.count;
    this.absorbed.push(other.key, ...other.absorbed);
    for (const p of other.ports) this.ports.add(p);
    if (other.first !== null) this.first = this.first === null ? other.first : Math.min(this.first, other.first);
    if (other.last !== null) this.last = this.last === null ? other.last : Math.max(this.last, other.last);
    for (const h of other.srcHosts) this.addHost(this.srcHosts, h);
    for (const h of other.dstHosts) this.addHost(this.dstHosts, h);
    this.hostsCapped ||= other.hostsCapped;
    for (const e of other.examples) if (this.examples.length < MAX_EXAMPLES) this.examples.push(e);
  }
}

/** Port text for a group, cut after MAX_PORT_RANGES ranges so a random scan stays one line. */
function groupPortsText(ports: Set<number>): string {
  const ranges = compressPorts(ports);
  if (ranges.length <= MAX_PORT_RANGES) return portsText(ranges);
  const shown = portsText(ranges.slice(0, MAX_PORT_RANGES));
  return `${shown},… (${ranges.length - MAX_PORT_RANGES} more ranges)`;
}

/** Groups of one section, and the group id of each item key (see the grouping functions' `keyOf`). */
export interface Grouping {
  groups: FindingGroup[];
  ids: Map<string, string>;
}

/** Sort (largest first, then by key for stable output) and number the groups. */
function finalize<T extends { group: string }>(
  accs: GroupAcc<T>[], section: Section, prefix: string,
  describe: (acc: GroupAcc<T>) => { service: string; ports: string; exampleHosts?: string[]; exclusion?: string | null },
  rank: (acc: GroupAcc<T>) => number = () => 0,
): Grouping {
  // Most severe first (rank), then largest, then by key so output is stable run to run.
  accs.sort((a, b) => rank(a) - rank(b) || b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const ids = new Map<string, string>();
  const groups = accs.map((acc, i): FindingGroup => {
    const id = `${prefix}${i + 1}`;
    ids.set(acc.key, id);
    for (const k of acc.absorbed) ids.set(k, id);
    for (const m of acc.members) m.group = id;
    const d = describe(acc);
    return {
      id,
      section,
      kind: acc.kind,
      proto: acc.proto,
      service: d.service,
      ports: d.ports,
      portCount: acc.ports.size,
      srcLabel: acc.srcLabel,
      dstLabel: acc.dstLabel,
      rule: acc.rule,
      reason: acc.reason,
      count: acc.count,
      firstSeen: acc.first,
      lastSeen: acc.last,
      srcHosts: acc.srcHosts.size,
      dstHosts: acc.dstHosts.size,
      hostsCapped: acc.hostsCapped,
      examples: acc.examples,
      exampleHosts: d.exampleHosts ?? [],
      exclusion: d.exclusion ?? null,
      evidence: [...acc.evidence],
    };
  });
  return { groups, ids };
}

/** Label prose for group reasons: "client", "site:leeds (no role)". */
function labelProse(label: string, titles: Record<string, string>): string {
  if (label.startsWith('site:') || label.startsWith('(')) return label;
  return label.split('+').map((r) => midSentence(roleTitle(titles, r))).join(' + ');
}

/**
 * What grouping reads of an unexpected flow: its item's fields but the reason (and the flow
 * facts the report prints), so the audit can group a flow from its counting pass, unread.
 */
export type UnexpectedFacts = Pick<UnexpectedItem,
  'kind' | 'proto' | 'src' | 'sport' | 'dst' | 'dport' | 'srcRoles' | 'dstRoles' | 'srcSite' | 'dstSite' | 'nearestRule' | 'start' | 'end' | 'state' | 'flowId'>;

/** Port identity of an unexpected flow within its group ("same service and port"). */
function portKey(it: UnexpectedFacts): string {
  if (it.proto === 'icmp' || it.proto === 'icmpv6') return `${it.sport}/${it.dport}`;
  if (it.proto === 'tcp' || it.proto === 'udp' || it.proto === 'sctp') return String(it.dport);
  return '';
}

/** The group key of an unexpected item (before port scans are merged; Grouping.ids maps both). */
export function unexpectedKey(it: UnexpectedFacts): string {
  // Window-only flows each use a dynamic port of their own: one group per window rule.
  return [it.kind, it.proto, endLabel(it.srcRoles, it.srcSite), endLabel(it.dstRoles, it.dstSite),
    it.kind === 'window-only' ? '' : portKey(it), it.nearestRule ?? ''].join('|');
}

/**
 * Unexpected flows folded into groups one at a time. A role mismatch's group takes the words of
 * its first flow (`reason`, asked only when the flow opens a group); the other kinds are named
 * by their labels.
 */
export class UnexpectedGrouper {
  private readonly fine = new Map<string, GroupAcc<UnexpectedItem>>();

  constructor(private readonly titles: Record<string, string>) {}

  add(it: UnexpectedFacts, reason: () => string): void {
    const { fine, titles } = this;
    const key = unexpectedKey(it);
    let acc = fine.get(key);
    if (!acc) {
      const src = endLabel(it.srcRoles, it.srcSite);
      const dst = endLabel(it.dstRoles, it.dstSite);
      const svc = serviceLabel(it.proto, it.sport, it.dport);
      // Group-level reason without host addresses: the examples carry those.
      const text = it.kind === 'role-mismatch'
        ? reason()
        : it.kind === 'window-only'
          ? `only the time window of ${it.nearestRule} allows these flows from ${labelProse(src, titles)} to ${labelProse(dst, titles)}, ` +
            'and the review accepts announced ports only'
          : `no catalog rule, expectation or ignore entry covers ${svc} from ${labelProse(src, titles)} to ${labelProse(dst, titles)}`;
      acc = new GroupAcc<UnexpectedItem>(key, it.kind, it.proto, src, dst, it.nearestRule, text);
      fine.set(key, acc);
    }
    acc.addFlow(it, portKey(it) === '' || it.proto.startsWith('icmp') ? null : it.dport);
  }

  finish(): Grouping {
    const { fine, titles } = this;
    // Merge many small per-port groups between the same labels into one scan group. Whether
    // it is a scan is judged on the no-rule ports only; once it is, the scan's few hits on
    // catalog ports (role mismatches) join it too, or they would each be a separate line.
    const buckets = new Map<string, { noRule: number; list: GroupAcc<UnexpectedItem>[] }>();
    for (const acc of fine.values()) {
      if (acc.kind === 'window-only' || acc.ports.size !== 1 || acc.count > SCAN_SMALL_GROUP) continue;
      const b = [acc.proto, acc.srcLabel, acc.dstLabel].join('|');
      const entry = buckets.get(b) ?? { noRule: 0, list: [] };
      entry.list.push(acc);
      if (acc.kind === 'no-rule') entry.noRule++;
      buckets.set(b, entry);
    }
    for (const [b, { noRule, list }] of buckets) {
      if (noRule < SCAN_MIN_PORTS) continue;
      const first = list[0]!;
      const scan = new GroupAcc<UnexpectedItem>(`port-scan|${b}`, 'port-scan', first.proto, first.srcLabel, first.dstLabel, null, '');
      for (const acc of list) {
        scan.absorb(acc);
        fine.delete(acc.key);
      }
      scan.reason =
        `${count(scan.count)} ${first.proto.toUpperCase()} flows to ${count(scan.ports.size)} distinct ports from ` +
        `${labelProse(first.srcLabel, titles)} to ${labelProse(first.dstLabel, titles)} that no rule covers — looks like a port scan`;
      fine.set(scan.key, scan);
    }

    return finalize([...fine.values()], 'unexpected', 'U', (acc) => {
      const ex = acc.examples[0]!;
      const service = acc.kind === 'port-scan' || acc.ports.size > 1
        ? `${acc.proto}, ${count(acc.ports.size)} ports`
        : serviceLabel(acc.proto, ex.sport, ex.dport);
      return { service, ports: acc.ports.size > 0 ? groupPortsText(acc.ports) : '' };
    });
  }
}

export function groupMissing(items: MissingItem[], titles: Record<string, string>): FindingGroup[] {
  const accs = new Map<string, GroupAcc<MissingItem>>();
  for (const it of items) {
    let acc = accs.get(it.rule);
    if (!acc) {
      acc = new GroupAcc<MissingItem>(it.rule, 'missing', it.proto, [...it.fromRoles].sort().join('+'), it.dstRole, it.rule, it.reason);
      accs.set(it.rule, acc);
    }
    acc.count++;
    acc.members.push(it);
    acc.addHost(acc.dstHosts, it.dst);
    if (it.window) {
      acc.first = acc.first === null ? it.window.start : Math.min(acc.first, it.window.start);
      acc.last = acc.last === null ? it.window.end : Math.max(acc.last, it.window.end);
    }
  }
  return finalize([...accs.values()], 'missing', 'M', (acc) => {
    const first = acc.members[0]!;
    if (acc.count > 1) {
      // One line per rule: the destinations are listed as example hosts.
      const from = joinOr(first.fromRoles.map((r) => midSentence(roleTitle(titles, r))));
      const to = midSentence(roleTitle(titles, first.dstRole));
      const when = first.window ? fmtWindowProse(first.window.start, first.window.end) : 'in the analysed traffic';
      acc.reason = `no ${from} reached ${acc.count} ${to} destinations on ${first.proto.toUpperCase()} ` +
        `${first.ports.replace(/,/g, '/')} ${when}` +
        (first.lossMayExplain ? '; packets were lost while capturing, which may explain this' : '');
    }
    return {
      service: `${first.proto}/${first.ports}`,
      ports: first.ports,
      exampleHosts: acc.members.slice(0, 20).map((m) => m.dst),
    };
  }).groups;
}

/** The group key of a WAN-cache item. */
export function wanCacheKey(it: WanCacheItem): string {
  return [it.status, it.rule, it.proto, it.dst, it.dport, it.srcSite, it.dstSite].join('|');
}

/** WAN-cache flows of one status-to-be: same rule, server, port, sites, and optimizer options or not. */
interface WanPreGroup {
  acc: GroupAcc<WanCacheItem>;
  first: WanFacts;
  /** The first distinct option-evidence texts, each with the flow that first had it, in flow order. */
  events: { flowId: number; text: string }[];
  seen: Set<string>;
}

/**
 * WAN-cache flows folded into groups as the counting pass sees them, before an optimizer's
 * inner channel (which may come later in the input) settles their status: flows are kept apart
 * by everything their status depends on, and finish() merges what settles alike — examples and
 * evidence in flow order, the group named in its first flow's words, as if the finished items
 * were grouped (the item list's group ids are looked up by wanCacheKey).
 */
export class WanCacheGrouper {
  private readonly pre = new Map<string, WanPreGroup>();

  add(f: WanFacts): void {
    const key = [f.cacheable ? 1 : 0, f.strongOptions ? 1 : 0, f.rule, f.proto, f.dst, f.dport, f.srcSite, f.dstSite].join('|');
    let g = this.pre.get(key);
    if (!g) {
      g = { acc: new GroupAcc<WanCacheItem>(key, '', f.proto, `site:${f.srcSite}`, `site:${f.dstSite}`, f.rule, ''), first: f, events: [], seen: new Set() };
      this.pre.set(key, g);
    }
    g.acc.addFlow(f, f.dport);
    for (const e of f.optionEvidence) {
      if (g.events.length < MAX_EVIDENCE && !g.seen.has(e)) {
        g.seen.add(e);
        g.events.push({ flowId: f.flowId, text: e });
      }
    }
  }

  /** The groups, with `settle` saying what a flow's facts come to now that every flow was seen. */
  finish(settle: (f: WanFacts) => Settled): Grouping {
    const finals = new Map<string, WanPreGroup[]>();
    for (const g of this.pre.values()) {
      const f = g.first;
      const key = [settle(f).status, f.rule, f.proto, f.dst, f.dport, f.srcSite, f.dstSite].join('|');
      const list = finals.get(key);
      if (list) list.push(g);
      else finals.set(key, [g]);
    }
    const accs: GroupAcc<WanCacheItem>[] = [];
    const exclusions = new Map<string, string | null>();
    for (const [key, pres] of finals) {
      pres.sort((a, b) => a.first.flowId - b.first.flowId);
      const first = pres[0]!.first;
      const s = settle(first);
      const acc = new GroupAcc<WanCacheItem>(key, s.status, first.proto, `site:${first.srcSite}`, `site:${first.dstSite}`, first.rule, s.reason);
      for (const p of pres) acc.absorb(p.acc);
      if (pres.length > 1) {
        const examples = pres.flatMap((p) => p.acc.examples).sort((a, b) => a.flowId - b.flowId).slice(0, MAX_EXAMPLES);
        acc.examples.splice(0, acc.examples.length, ...examples);
      }
      // Each flow's evidence is its options, then the inner channel: the first flow adds it.
      const add = (t: string) => { if (acc.evidence.size < MAX_EVIDENCE) acc.evidence.add(t); };
      let inner = s.innerText;
      for (const ev of pres.flatMap((p) => p.events).sort((a, b) => a.flowId - b.flowId)) {
        if (inner !== null && ev.flowId > first.flowId) { add(inner); inner = null; }
        add(ev.text);
      }
      if (inner !== null) add(inner);
      exclusions.set(key, s.exclusion?.text ?? null);
      accs.push(acc);
    }
    return finalize(accs, 'wanCache', 'W', (acc) => {
      const ex = acc.examples[0]!;
      return {
        service: serviceLabel(acc.proto, ex.sport, ex.dport),
        ports: String(ex.dport),
        exampleHosts: [ex.dst],
        exclusion: exclusions.get(acc.key) ?? null,
      };
    }, (acc) => WAN_RANK[acc.kind] ?? 3);
  }
}

/** Violations first, then flows that need an exclusion, then the informational cacheable list. */
const WAN_RANK: Record<string, number> = { violation: 0, 'must-not-cache': 1, cacheable: 2 };

/**
 * Flows only a time window allows, grouped as the unexpected ones are: by window rule and the
 * two ends' labels (each flow has a dynamic port of its own, so not by port), with the control
 * flows that opened the windows as the group's evidence. A doubtful match (a port several
 * clients reached) is a group of its own per server port, named by its doubt.
 */
/** The group key of a window-only item. */
export function windowOnlyKey(it: WindowItem): string {
  return [it.doubtful ? 'doubtful' : 'window', it.rule, it.proto, endLabel(it.srcRoles, it.srcSite), endLabel(it.dstRoles, it.dstSite),
    it.doubtful ? `${it.dst}|${it.dport}` : ''].join('|');
}

export function groupWindowOnly(items: Iterable<WindowItem>, titles: Record<string, string>): Grouping {
  const accs = new Map<string, GroupAcc<WindowItem>>();
  for (const it of items) {
    const src = endLabel(it.srcRoles, it.srcSite);
    const dst = endLabel(it.dstRoles, it.dstSite);
    const key = windowOnlyKey(it);
    let acc = accs.get(key);
    if (!acc) {
      const after = it.parentRule ? ` after ${it.parentRule}` : '';
      const reason = it.doubtful
        ? `doubtful: ${it.doubt}`
        : `allowed only by the time window of ${it.rule}${after}: no announcement named these ports, from ${labelProse(src, titles)} ` +
          `to ${labelProse(dst, titles)}`;
      acc = new GroupAcc<WindowItem>(key, it.doubtful ? 'doubtful' : 'window', it.proto, src, dst, it.rule, reason);
      accs.set(key, acc);
    }
    acc.addFlow(it, it.dport);
    if (acc.evidence.size < MAX_EVIDENCE) acc.evidence.add(controlText(it));
  }
  return finalize([...accs.values()], 'windowOnly', 'T', (acc) => {
    const ex = acc.examples[0]!;
    return {
      service: acc.ports.size > 1 ? `${acc.proto}, ${count(acc.ports.size)} ports` : serviceLabel(acc.proto, ex.sport, ex.dport),
      ports: groupPortsText(acc.ports),
    };
  }, (acc) => (acc.kind === 'doubtful' ? 0 : 1));
}

/** The control flow that opened an item's window and announced no port, in words. */
function controlText(it: WindowItem): string {
  const rule = it.parentRule ?? 'its parent rule';
  const c = it.controlFlow;
  if (!c) return `window opened by ${rule} in flow #${it.parentFlowId}, which announced no port`;
  const end = (a: string, p: number) => (a.includes(':') ? `[${a}]:${p}` : `${a}:${p}`);
  return `window opened by ${rule} ${end(c.src, c.sport)} → ${end(c.dst, c.dport)} (flow #${c.flowId}), which announced no port`;
}
