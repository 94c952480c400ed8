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
import type { AuditFlow, CaptureInfo, StoredFlow } from '../store/types.js';
import type { ExclusionRow, WanCacheItem } from './types.js';
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
   * The finished item of a flow observe() accepted, once every flow was observed: option
   * evidence, inner-channel evidence between its two sites, and the status they settle.
   */
  item(flow: StoredFlow, cls: Classification): WanCacheItem {
    const ruleId = cls.rule!;
    const { rule, wanCache } = this.policy.get(ruleId)!;
    const srcSite = cls.srcSite!;
    const dstSite = cls.dstSite!;
    const proto = protoName(flow.proto);
    const evidence: string[] = [];
    let strong = false;
    if (flow.proto === PROTO_TCP) {
      for (const [packet, kinds] of [['SYN', flow.synOptions], ['SYN-ACK', flow.synAckOptions]] as const) {
        for (const k of new Set(kinds)) {
          if (STRONG_OPTIONS[k]) { evidence.push(`TCP option ${k} (${STRONG_OPTIONS[k]}) on ${packet}`); strong = true; }
          else if (AMBIGUOUS_OPTIONS[k]) evidence.push(`TCP option ${k} (${AMBIGUOUS_OPTIONS[k]}) on ${packet}`);
        }
      }
    }
    const ic = this.inner.get(pairKey(srcSite, dstSite));
    if (ic) {
      // An optimizer is actively peering between these two sites; a flow that must not be
      // optimized and has no pass-through rule is exposed to it.
      evidence.push(
        `optimizer inner channel (Riverbed TCP 7800/7810) between ${srcSite} and ${dstSite}: ` +
        `${ic.flows} flow${ic.flows === 1 ? '' : 's'}, ${fmtRange(ic.first, ic.last)}, e.g. ${ic.example}`,
      );
      strong = true;
    }
    const tapSide = this.tapSide.get(flow.captureId) ?? null;
    const cacheable = wanCache === 'allowed';
    const crossing = `${srcSite} → ${dstSite}`;
    const exclusion = cacheable
      ? null
      : {
          server: flow.dst,
          proto,
          port: flow.dport,
          text: `pass-through (do not optimize) ${proto.toUpperCase()} to server ${flow.dst} port ${flow.dport}, ` +
            `on the optimizers at ${srcSite} and ${dstSite}`,
        };
    const viaRule = ruleId === rule.id ? `rule ${rule.id}` : `rule ${ruleId} (follow-on of ${rule.id})`;
    const status = cacheable ? 'cacheable' : strong ? 'violation' : 'must-not-cache';
    let reason = cacheable
      ? `${viaRule} allows WAN caching; the flow crosses ${crossing}`
      : `${viaRule} (${rule.title}) must not be cached or optimized across the WAN; the flow crosses ${crossing}`;
    if (status === 'violation') reason += '; a WAN optimizer touched it (see evidence)';
    else if (status === 'must-not-cache' && evidence.length > 0) reason += '; only ambiguous option evidence (see evidence)';
    return {
      proto,
      src: flow.src,
      sport: flow.sport,
      dst: flow.dst,
      dport: flow.dport,
      rule: ruleId,
      reason,
      evidence,
      status,
      cacheable,
      srcSite,
      dstSite,
      exclusion,
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

/** Distinct exclusions (server, proto, port) of the WAN-cache items, with their sites and flow counts. */
export class ExclusionTally {
  private readonly map = new Map<string, { server: string; proto: string; port: number; sites: Set<string>; rule: string; flows: number }>();

  add(w: WanCacheItem): void {
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
