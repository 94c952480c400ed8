/**
 * WAN cache policy: flows of rules marked `wan_cache: never` that cross between two WAN
 * sites must be excluded from WAN optimization (the admin needs server address and port
 * for a pass-through rule). Evidence that an optimizer touched such a flow anyway is a
 * violation. Flows of `allowed` rules that cross sites are listed as cacheable.
 *
 * Evidence comes in two shapes, depending on where the tap sits:
 *  - WAN side of the optimizer: auto-discovery TCP options on SYN / SYN-ACK are visible
 *    (Riverbed 76 probe and 78 transparency, Cisco WAAS 33, Citrix 24–31);
 *  - LAN side: optimizers strip their options before the LAN, so the sign is the
 *    optimizers' inner channel (Riverbed TCP 7800/7810) running between the same sites.
 * Inner channels may show up after the flow in the input, so the items are built only after the
 * audit's counting pass has seen every flow (`item`, from the flow read again by id).
 */
import type { Catalog, Rule, WanCache } from '../catalog/types.js';
import type { Classification } from '../flow/flow-record.js';
import type { AuditFlow, CaptureInfo, FindingFlow } from '../store/types.js';
import type { ExclusionRow, FlowRef, WanCacheItem, WanCacheStatus, WanExclusion } from './types.js';
import { fmtRange } from './format.js';
import { PROTO_TCP, protoName } from '../util/proto.js';
import { tcpAnswered } from '../flow/tcp-state.js';

/** Optimizer option kinds that prove an optimizer saw the SYN. */
const STRONG_OPTIONS: Record<number, string> = {
  76: 'Riverbed auto-discovery probe',
  78: 'Riverbed transparency',
  33: 'Cisco WAAS auto-discovery',
  24: 'Citrix WAN optimizer', 25: 'Citrix WAN optimizer', 26: 'Citrix WAN optimizer',
  27: 'Citrix WAN optimizer', 31: 'Citrix WAN optimizer',
};

/**
 * Kinds in the Citrix range that IANA also assigns to ordinary TCP features (28 User
 * Timeout, 29 TCP-AO, 30 Multipath TCP, common on Apple and Linux clients). They are
 * reported as evidence with that caveat, but alone do not make a violation.
 */
const AMBIGUOUS_OPTIONS: Record<number, string> = {
  28: 'Citrix range, also IANA TCP User Timeout',
  29: 'Citrix range, also IANA TCP-AO',
  30: 'Citrix range, also IANA Multipath TCP',
};

/** Riverbed inner channel (7800 in-path, 7810 out-of-path). */
const INNER_CHANNEL_PORTS = new Set([7800, 7810]);

const TAP_NOTES: Record<'lan' | 'wan' | 'unknown', string> = {
  wan:
    'tap on the WAN side of the optimizer: auto-discovery TCP options would be visible on SYN/SYN-ACK here',
  lan:
    'tap on the LAN side of the optimizer: optimizers strip their TCP options before the LAN, so the ' +
    'evidence looked for is optimizer inner-channel traffic (Riverbed TCP 7800/7810) between the same sites',
  unknown:
    'tap side unknown: options are only visible on the WAN side of an optimizer, so their absence ' +
    'proves nothing if this capture was taken on the LAN side',
};

interface InnerChannel {
  flows: number;
  first: number;
  last: number;
  example: string;
}

/** Site pair key independent of direction: the inner channel may run either way. */
function pairKey(a: string, b: string): string {
  return a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`;
}

export class WanCacheTracker {
  private readonly policy = new Map<string, { rule: Rule; wanCache: WanCache }>();
  private readonly tapSide = new Map<number, 'lan' | 'wan' | null>();
  private readonly inner = new Map<string, InnerChannel>();

  constructor(catalog: Catalog, captures: readonly CaptureInfo[]) {
    for (const rule of catalog.rules) {
      if (rule.wanCache) this.policy.set(rule.id, { rule, wanCache: rule.wanCache });
    }
    // Follow-on channels (dynamic RPC ports after the endpoint mapper, FTP data, ...) carry
    // their parent's payload, so they inherit the parent's WAN policy unless listed themselves.
    for (const rule of catalog.rules) {
      if (!rule.wanCache) continue;
      for (const f of rule.then) {
        if (!this.policy.has(f.id)) this.policy.set(f.id, { rule, wanCache: rule.wanCache });
      }
    }
    for (const c of captures) this.tapSide.set(c.id, c.tapSide);
  }

  /**
   * Look at every classified flow: notes optimizer inner channels anywhere; true when the flow
   * is a WAN-cache item (a flow of a rule with a WAN policy crossing two sites), built later by item().
   */
  observe(flow: AuditFlow, cls: Classification): boolean {
    const { srcSite, dstSite } = cls;
    if (!srcSite || !dstSite || srcSite === dstSite) return false;
    // Only established connections: a scan probing 7800 is not an optimizer peering.
    if (flow.proto === PROTO_TCP && (INNER_CHANNEL_PORTS.has(flow.dport) || INNER_CHANNEL_PORTS.has(flow.sport)) && tcpAnswered(flow)) {
      this.noteInnerChannel(flow, srcSite, dstSite);
    }
    return cls.rule !== null && this.policy.has(cls.rule);
  }

  /** What a WAN-optimizer admin reads about the tap of a capture (see TAP_NOTES). */
  tapNote(captureId: number): string {
    return TAP_NOTES[this.tapSide.get(captureId) ?? 'unknown'];
  }

  private noteInnerChannel(flow: AuditFlow, a: string, b: string): void {
    const key = pairKey(a, b);
    const ic = this.inner.get(key);
    if (ic) {
      ic.flows++;
      ic.first = Math.min(ic.first, flow.start);
      ic.last = Math.max(ic.last, flow.end);
    } else {
      this.inner.set(key, {
        flows: 1, first: flow.start, last: flow.end,
        example: `${flow.src}:${flow.sport} → ${flow.dst}:${flow.dport}`,
      });
    }
  }

  /**
   * What a WAN-cache flow (one observe() accepted) says on its own, before the inner channels
   * are known: the counting pass groups these, and item() starts from them.
   */
  facts(flow: AuditFlow, cls: Classification): WanFacts {
    const ruleId = cls.rule!;
    const { evidence, strong } = optionEvidence(flow);
    return {
      proto: protoName(flow.proto), src: flow.src, sport: flow.sport, dst: flow.dst, dport: flow.dport,
      start: flow.start, end: flow.end, flowId: flow.id, captureId: flow.captureId,
      rule: ruleId, srcSite: cls.srcSite!, dstSite: cls.dstSite!,
      cacheable: this.policy.get(ruleId)!.wanCache === 'allowed', optionEvidence: evidence, strongOptions: strong,
    };
  }

  /**
   * How a WAN-cache flow's facts settle once every flow was observed: an optimizer's inner
   * channel between its two sites is evidence too and makes a must-not-cache flow a violation.
   */
  settle(f: WanFacts): Settled {
    const { rule } = this.policy.get(f.rule)!;
    const ic = this.inner.get(pairKey(f.srcSite, f.dstSite));
    // An optimizer is actively peering between these two sites; a flow that must not be
    // optimized and has no pass-through rule is exposed to it.
    const innerText = ic
      ? `optimizer inner channel (Riverbed TCP 7800/7810) between ${f.srcSite} and ${f.dstSite}: ` +
        `${ic.flows} flow${ic.flows === 1 ? '' : 's'}, ${fmtRange(ic.first, ic.last)}, e.g. ${ic.example}`
      : null;
    const status: WanCacheStatus = f.cacheable ? 'cacheable' : f.strongOptions || ic ? 'violation' : 'must-not-cache';
    const crossing = `${f.srcSite} → ${f.dstSite}`;
    const viaRule = f.rule === rule.id ? `rule ${rule.id}` : `rule ${f.rule} (follow-on of ${rule.id})`;
    let reason = f.cacheable
      ? `${viaRule} allows WAN caching; the flow crosses ${crossing}`
      : `${viaRule} (${rule.title}) must not be cached or optimized across the WAN; the flow crosses ${crossing}`;
    if (status === 'violation') reason += '; a WAN optimizer touched it (see evidence)';
    else if (status === 'must-not-cache' && f.optionEvidence.length > 0) reason += '; only ambiguous option evidence (see evidence)';
    return { status, reason, innerText, exclusion: f.cacheable ? null : exclusionOf(f) };
  }

  /** The finished item of a flow observe() accepted, once every flow was observed. */
  item(flow: FindingFlow, cls: Classification): WanCacheItem {
    const f = this.facts(flow, cls);
    const s = this.settle(f);
    const tapSide = this.tapSide.get(flow.captureId) ?? null;
    return {
      proto: f.proto,
      src: flow.src,
      sport: flow.sport,
      dst: flow.dst,
      dport: flow.dport,
      rule: f.rule,
      reason: s.reason,
      evidence: s.innerText ? [...f.optionEvidence, s.innerText] : f.optionEvidence,
      status: s.status,
      cacheable: f.cacheable,
      srcSite: f.srcSite,
      dstSite: f.dstSite,
      exclusion: s.exclusion,
      tapSide,
      tapNote: TAP_NOTES[tapSide ?? 'unknown'],
      start: flow.start,
      end: flow.end,
      flowId: flow.id,
      captureId: flow.captureId,
      capture: flow.capture,
      communityId: flow.communityId,
      group: '',
    };
  }
}

/** A WAN-cache flow's own evidence and facts (WanCacheTracker.facts). */
export interface WanFacts extends FlowRef {
  start: number;
  end: number;
  flowId: number;
  captureId: number;
  rule: string;
  srcSite: string;
  dstSite: string;
  cacheable: boolean;
  /** Optimizer TCP options on the SYN and SYN-ACK, in words. */
  optionEvidence: string[];
  /** One of them proves an optimizer saw the SYN (ambiguous kinds alone do not). */
  strongOptions: boolean;
}

/** What WanCacheTracker.settle() makes of a flow's facts. */
export interface Settled {
  status: WanCacheStatus;
  reason: string;
  /** The inner channel between the flow's sites, in words, or null. */
  innerText: string | null;
  exclusion: WanExclusion | null;
}

/** The pass-through rule an optimizer admin needs for a flow that must not be optimized. */
export function exclusionOf(f: Pick<WanFacts, 'proto' | 'dst' | 'dport' | 'srcSite' | 'dstSite'>): WanExclusion {
  return {
    server: f.dst,
    proto: f.proto,
    port: f.dport,
    text: `pass-through (do not optimize) ${f.proto.toUpperCase()} to server ${f.dst} port ${f.dport}, ` +
      `on the optimizers at ${f.srcSite} and ${f.dstSite}`,
  };
}

/**
 * optionEvidence() by the option lists' text: flows repeat a handful of option lists, and the
 * WAN-cache flows of a big audit are judged twice (counted, then itemised). Emptied when large.
 */
const OPTION_EVIDENCE = new Map<string, { evidence: readonly string[]; strong: boolean }>();
const OPTION_EVIDENCE_LIMIT = 4096;

/** Optimizer option evidence of a flow's SYN and SYN-ACK (a lean flow carries the lists as text). */
function optionEvidence(flow: Pick<AuditFlow, 'proto' | 'synOptions' | 'synAckOptions'>): { evidence: string[]; strong: boolean } {
  if (flow.proto !== PROTO_TCP) return { evidence: [], strong: false };
  const key = `${String(flow.synOptions)}|${String(flow.synAckOptions)}`;
  let e = OPTION_EVIDENCE.get(key);
  if (e === undefined) {
    if (OPTION_EVIDENCE.size >= OPTION_EVIDENCE_LIMIT) OPTION_EVIDENCE.clear();
    e = tcpOptionEvidence(flow);
    OPTION_EVIDENCE.set(key, e);
  }
  // A list of its own: items and groups may add to it.
  return { evidence: [...e.evidence], strong: e.strong };
}

function tcpOptionEvidence(flow: Pick<AuditFlow, 'synOptions' | 'synAckOptions'>): { evidence: string[]; strong: boolean } {
  const evidence: string[] = [];
  let strong = false;
  for (const [packet, list] of [['SYN', flow.synOptions], ['SYN-ACK', flow.synAckOptions]] as const) {
    const kinds = typeof list === 'string' ? (list === '' ? [] : list.split(',').map(Number)) : list;
    for (const k of new Set(kinds)) {
      if (STRONG_OPTIONS[k]) { evidence.push(`TCP option ${k} (${STRONG_OPTIONS[k]}) on ${packet}`); strong = true; }
      else if (AMBIGUOUS_OPTIONS[k]) evidence.push(`TCP option ${k} (${AMBIGUOUS_OPTIONS[k]}) on ${packet}`);
    }
  }
  return { evidence, strong };
}

/** Distinct exclusions (server, proto, port) of the WAN-cache items, with their sites and flow counts. */
export class ExclusionTally {
  private readonly map = new Map<string, { server: string; proto: string; port: number; sites: Set<string>; rule: string; flows: number }>();

  add(w: Pick<WanCacheItem, 'exclusion' | 'rule' | 'srcSite' | 'dstSite'>): void {
    if (!w.exclusion) return;
    const key = `${w.exclusion.proto}|${w.exclusion.server}|${w.exclusion.port}`;
    let e = this.map.get(key);
    if (!e) {
      e = { server: w.exclusion.server, proto: w.exclusion.proto, port: w.exclusion.port, sites: new Set(), rule: w.rule, flows: 0 };
      this.map.set(key, e);
    }
    e.flows++;
    e.sites.add(w.srcSite);
    e.sites.add(w.dstSite);
  }

  result(): ExclusionRow[] {
    return [...this.map.values()]
      .map((e) => ({ ...e, sites: [...e.sites].sort() }))
      .sort((a, b) => (a.server < b.server ? -1 : a.server > b.server ? 1 : a.port - b.port));
  }
}
