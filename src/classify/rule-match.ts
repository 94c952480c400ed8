/**
 * Matching a flow's two ends against the rules on its port (see docs/catalog-format.md, "How
 * flows are matched"), and, for a flow no rule matches, which rules on its port are nearest.
 *
 * Passes, numbered as in that section (1, an expectation hit, is the classifier's): 2. the
 * rule's `from` roles at the originator and `to` roles at the responder, on the responder's
 * port; 3. a `direction: both` rule with the ends swapped (the port stays the responder's); 4.
 * only when the flow table guessed the originator, the flow turned round (the originator's
 * port is the service port). ICMP is never turned round.
 */
import { PROTO_ICMP, PROTO_ICMPV6, PROTO_TCP } from '../flow/flow-record.js';
import type { FlowIdentity, Rule } from '../catalog/types.js';
import type { AddrInfo } from './address-classes.js';
import { WIDE, type Entry, type PortTables } from './port-tables.js';

export type Pass = 'direct' | 'both-reversed' | 'guessed-reversed';

export interface Match {
  entry: Entry;
  pass: Pass;
  /** Port the rule matched on (responder port in the rule's orientation). */
  port: number;
}

export const isIcmp = (proto: number): boolean => proto === PROTO_ICMP || proto === PROTO_ICMPV6;
/** The flow table inferred the originator (no SYN seen, or not TCP). */
export const guessed = (flow: FlowIdentity): boolean => flow.originatorGuessed ?? flow.proto !== PROTO_TCP;
/** The flow may also be tried turned round: a guessed originator, not ICMP. */
export const turnable = (flow: FlowIdentity): boolean => guessed(flow) && !isIcmp(flow.proto);
/** The "port" rules are keyed by: responder port, or for ICMP the originator's type. */
export const servicePort = (flow: FlowIdentity): number => (isIcmp(flow.proto) ? flow.sport : flow.dport);

export function intersects(names: readonly string[], set: ReadonlySet<string>): boolean {
  for (const n of names) if (set.has(n)) return true;
  return false;
}

export const roleMatch = (rule: Rule, orig: AddrInfo, resp: AddrInfo): boolean => intersects(rule.from, orig.match) && intersects(rule.to, resp.match);

export class RuleMatcher {
  constructor(private readonly ports: PortTables) {}

  /** The first pass that matches (`only`: a match with that rule only). */
  find(flow: FlowIdentity, src: AddrInfo, dst: AddrInfo, only?: string): Match | null {
    return this.servicePortMatch(flow, src, dst, only) ?? this.guessedReversedMatch(flow, src, dst, only);
  }

  /** Passes 2 and 3: the rule's service port is the responder's port (depends only on roles, proto, port). */
  servicePortMatch(flow: FlowIdentity, src: AddrInfo, dst: AddrInfo, only?: string): Match | null {
    const port = servicePort(flow);
    const list = this.ports.candidates(flow.proto, port);
    for (const e of list) if ((only === undefined || e.rule.id === only) && roleMatch(e.rule, src, dst)) return { entry: e, pass: 'direct', port };
    for (const e of list) {
      if ((only === undefined || e.rule.id === only) && e.rule.direction === 'both' && roleMatch(e.rule, dst, src)) return { entry: e, pass: 'both-reversed', port };
    }
    return null;
  }

  /** Pass 4: a guessed originator turned round (the originator's port is the service port). */
  guessedReversedMatch(flow: FlowIdentity, src: AddrInfo, dst: AddrInfo, only?: string): Match | null {
    if (turnable(flow) && flow.sport !== flow.dport) {
      for (const e of this.ports.candidates(flow.proto, flow.sport)) {
        if ((only === undefined || e.rule.id === only) && (roleMatch(e.rule, dst, src) || (e.rule.direction === 'both' && roleMatch(e.rule, src, dst)))) {
          return { entry: e, pass: 'guessed-reversed', port: flow.sport };
        }
      }
    }
    return null;
  }
}

/** The rules on a port a flow did not match, nearest first, and which end keeps them from matching. */
export interface NearRules {
  /** from: only the originator is wrong; to: only the responder; both: neither fits. */
  kind: 'from' | 'to' | 'both';
  /** Never empty; the first is the nearest rule (Classification.nearestRule). */
  rules: readonly Entry[];
}

/**
 * Which of `all` (the candidates on `port`, catalog order) are nearest to a flow between
 * `orig` and `resp` that none of them matched: those whose responder side fits, else those
 * whose originator side fits, else all of them.
 */
export function nearRules(port: number, all: readonly Entry[], orig: AddrInfo, resp: AddrInfo): NearRules {
  // Rules written for this port are nearer than catch-all ranges ("any port above 1024"):
  // name the catch-alls only when nothing specific exists.
  const specific = all.filter((e) => e.rule.ports.some((r) => r.hi - r.lo + 1 <= WIDE && port >= r.lo && port <= r.hi));
  const list = specific.length ? specific : all;
  const respFits = list.filter((e) => intersects(e.rule.to, resp.match) || (e.rule.direction === 'both' && intersects(e.rule.from, resp.match)));
  if (respFits.length) return { kind: 'from', rules: respFits };
  const origFits = list.filter((e) => intersects(e.rule.from, orig.match) || (e.rule.direction === 'both' && intersects(e.rule.to, orig.match)));
  if (origFits.length) return { kind: 'to', rules: origFits };
  return { kind: 'both', rules: list };
}
