/**
 * Unexpected traffic: an in-scope flow (touching a role or site address) that no rule,
 * expectation or ignore entry covers. Two kinds, because they need different fixes:
 *  - role-mismatch: the protocol/port is in the catalog, but between other roles
 *    ("port 1433 is allowed from management point, not from client") — often a role
 *    assignment error in the site file, or a host doing what its role should not;
 *  - no-rule: nothing in the catalog uses that port at all.
 *
 * The caller (audit.ts) decides scope, ignore and rule match from the flow's stored
 * classification; this module only explains the flows that remain.
 */
import type { Catalog, Rule } from '../catalog/types.js';
import type { AuditFlow, FindingFlow } from '../store/types.js';
import type { Classification } from '../flow/flow-record.js';
import type { UnexpectedItem } from './types.js';
import { roleTitle } from '../catalog/role-title.js';
import { hasPorts, portInRanges, protoMatches } from '../catalog/rule-match.js';
import { PROTO_TCP, protoName } from '../util/proto.js';
import { joinOr, midSentence, serviceLabel } from './format.js';
import { flowFacts } from './flow-facts.js';

/** Ports of WAN optimizer inner channels: worth a hint, since sites often forget to ignore them. */
const OPTIMIZER_PORTS = new Set([7800, 7810]);

/** How an unmatched flow is unexpected, and the rule it came nearest to (a role mismatch). */
export interface Judgement {
  kind: 'no-rule' | 'role-mismatch';
  nearest: Rule | null;
}

const NO_RULE: Judgement = { kind: 'no-rule', nearest: null };
const NONE: readonly number[] = [];

/** What judging a flow reads of it (the audit's lean flows have it). */
type PortSide = Pick<AuditFlow, 'proto' | 'sport' | 'dport' | 'originatorGuessed'>;

export class UnexpectedDetector {
  private readonly rules: Rule[];
  private readonly byId: Map<string, Rule>;
  /** Indices (in `rules`) of the "<->" rules with ports, ascending. */
  private readonly bothWays: number[];
  /** The rules of each protocol seen, by stretch of ports. */
  private readonly byProto = new Map<number, PortStretches>();
  /** portRules() by its two lists (shared arrays, so by identity). */
  private readonly unions = new Map<readonly number[], Map<readonly number[], readonly Rule[]>>();
  /** mismatchWith() by rule. */
  private readonly mismatches = new Map<Rule | undefined, Judgement>();

  constructor(private readonly catalog: Catalog) {
    // Rules on "any protocol" between two roles say nothing about a port, so they can
    // never be the "nearest rule" of a port mismatch.
    this.rules = catalog.rules.filter((r) => r.proto !== 'ip');
    this.byId = new Map(catalog.rules.map((r) => [r.id, r]));
    this.bothWays = [];
    this.rules.forEach((r, i) => { if (r.direction === 'both' && hasPorts(r.proto) && r.ports.length > 0) this.bothWays.push(i); });
  }

  /** Explain one in-scope, not ignored, unmatched flow. `group` is filled in later by group.ts. */
  explain(flow: FindingFlow, cls: Classification): UnexpectedItem {
    const j = this.judge(flow, cls);
    return {
      proto: protoName(flow.proto),
      src: flow.src,
      sport: flow.sport,
      dst: flow.dst,
      dport: flow.dport,
      kind: j.kind,
      reason: this.reason(flow, cls, j, cls.evidence),
      nearestRule: j.nearest ? j.nearest.id : null,
      ...flowFacts(flow, cls),
    };
  }

  /**
   * The kind and nearest rule of an unmatched flow: a role mismatch when a catalog rule uses
   * its protocol and service port (or the classifier named the nearest rule), else no rule.
   * Judgements are shared, one per nearest rule (callers never change them), and nothing is
   * cached per classification: a report's finding flows each carry a classification of their own.
   */
  judge(flow: PortSide, cls: Classification): Judgement {
    const candidates = this.portRules(this.rulesOn(flow.proto, flow.dport), this.sportRules(flow));
    // The rule the classifier found nearest; its evidence says why that one does not apply.
    const named = cls.nearestRule;
    if (candidates.length === 0 && !named) return NO_RULE;
    return this.mismatchWith((named && this.byId.get(named)) || this.nearest(candidates, cls));
  }

  /** The role-mismatch judgement naming `rule` (undefined: a named rule no catalog has, and no candidate). */
  private mismatchWith(rule: Rule | undefined): Judgement {
    let j = this.mismatches.get(rule);
    if (j === undefined) this.mismatches.set(rule, (j = { kind: 'role-mismatch', nearest: rule as Rule }));
    return j;
  }

  /** The flow's reason, from its judgement; `evidence` is the classifier's (written out for this flow). */
  reason(flow: Pick<AuditFlow, 'proto' | 'src' | 'sport' | 'dst' | 'dport'>, cls: Classification, j: Judgement, evidence: string | null): string {
    // The classifier already phrased the nearest-rule explanation; keep its words.
    if (j.kind === 'role-mismatch') return evidence ?? this.mismatchReason(flow, cls, j.nearest!);
    return this.noRuleReason(flow, cls);
  }

  /**
   * Indices of the rules the flow's client port can match: a guessed originator may be the
   * wrong way round, and a "<->" rule may run either way.
   */
  private sportRules(flow: PortSide): readonly number[] {
    const st = this.stretchesOf(flow.proto);
    return flow.originatorGuessed ? st.portRules(flow.sport) : st.bothWaysRules(flow.sport);
  }

  /**
   * Catalog rules on the flow's protocol and service port (either end for "<->" rules), in
   * catalog order: the union of two port-rule lists, cached per pair (the lists are shared).
   */
  private portRules(onDport: readonly number[], bySport: readonly number[]): readonly Rule[] {
    let bySportLists = this.unions.get(onDport);
    if (bySportLists === undefined) this.unions.set(onDport, (bySportLists = new Map()));
    let rules = bySportLists.get(bySport);
    if (rules === undefined) {
      const all = bySport.length === 0 ? onDport : [...new Set([...onDport, ...bySport])].sort((a, b) => a - b);
      bySportLists.set(bySport, (rules = all.map((i) => this.rules[i]!)));
    }
    return rules;
  }

  /** Rules of `proto` that a flow with `port` at one end can match: portless ones, and those listing the port. */
  private rulesOn(proto: number, port: number): readonly number[] {
    return this.stretchesOf(proto).onPort(port);
  }

  private stretchesOf(proto: number): PortStretches {
    let st = this.byProto.get(proto);
    if (st === undefined) this.byProto.set(proto, (st = new PortStretches(this.rules, this.bothWays, proto)));
    return st;
  }

  /** The candidate sharing most roles with the flow (first in catalog order on ties). */
  private nearest(candidates: readonly Rule[], cls: Classification): Rule {
    let best = candidates[0]!;
    let bestScore = -1;
    for (const r of candidates) {
      const fromHit = r.from.some((x) => cls.srcRoles.includes(x));
      const toHit = r.to.some((x) => cls.dstRoles.includes(x));
      const score = (fromHit ? 2 : 0) + (toHit ? 2 : 0);
      if (score > bestScore) { best = r; bestScore = score; }
    }
    return best;
  }

  private describeEnd(addr: string, roles: readonly string[], site: string | null): string {
    if (roles.length > 0) return `${joinOr(roles.map((r) => midSentence(roleTitle(this.catalog.roles, r))))} ${addr}`;
    return site ? `${addr} (site ${site}, no role)` : `${addr} (no role)`;
  }

  private rolesProse(roles: readonly string[]): string {
    return joinOr(roles.map((r) => midSentence(roleTitle(this.catalog.roles, r))));
  }

  private mismatchReason(flow: Pick<AuditFlow, 'proto' | 'src' | 'sport' | 'dst' | 'dport'>, cls: Classification, rule: Rule): string {
    const svc = serviceLabel(protoName(flow.proto), flow.sport, flow.dport);
    return (
      `${svc} is allowed from ${this.rolesProse(rule.from)} to ${this.rolesProse(rule.to)} ` +
      `(rule ${rule.id}), not from ${this.describeEnd(flow.src, cls.srcRoles, cls.srcSite)} ` +
      `to ${this.describeEnd(flow.dst, cls.dstRoles, cls.dstSite)}`
    );
  }

  private noRuleReason(flow: Pick<AuditFlow, 'proto' | 'src' | 'sport' | 'dst' | 'dport'>, cls: Classification): string {
    const svc = serviceLabel(protoName(flow.proto), flow.sport, flow.dport);
    let reason =
      `no catalog rule, expectation or ignore entry covers ${svc} from ` +
      `${this.describeEnd(flow.src, cls.srcRoles, cls.srcSite)} to ${this.describeEnd(flow.dst, cls.dstRoles, cls.dstSite)}`;
    if (flow.proto === PROTO_TCP && (OPTIMIZER_PORTS.has(flow.dport) || OPTIMIZER_PORTS.has(flow.sport))) {
      reason += '; TCP 7800/7810 is the Riverbed optimizer inner channel — add an ignore entry if this is known';
    }
    return reason;
  }
}

/**
 * The rules (indices in the detector's list, ascending) of one protocol that a flow with a
 * given port at one end can match: portless rules always; rules listing ports when one of their
 * ranges holds it (a rule whose configurable ports are all "not in use", resolved to none,
 * covers no port). The answer only changes at range ends, so ports are cut into stretches
 * between them and each stretch's lists are worked out once: a port scan of 60,000 ports costs
 * one pass over the rules per stretch, not per port, and every port of a stretch gets the same
 * array (judge() caches by identity).
 */
class PortStretches {
  /** Rules of this protocol. */
  private readonly own: number[];
  /** Port -> stretch number, or null when no rule of the protocol has ports (every port is one stretch). */
  private readonly stretchOf: Uint16Array | null = null;
  /** A port of each stretch. */
  private readonly firstPort: number[] = [0];
  private readonly covering: (readonly number[] | undefined)[] = [];
  private readonly bothWaysCovering: (readonly number[] | undefined)[] = [];

  constructor(private readonly rules: readonly Rule[], private readonly bothWays: readonly number[], proto: number) {
    this.own = [];
    rules.forEach((r, i) => { if (protoMatches(r.proto, proto)) this.own.push(i); });
    // A protocol whose rules have no ports (ICMP, SCTP): every port is one stretch.
    if (!this.own.some((i) => hasPorts(rules[i]!.proto))) return;
    const ends = new Set<number>([0]);
    for (const i of this.own) for (const r of rules[i]!.ports) { ends.add(r.lo); if (r.hi < 65535) ends.add(r.hi + 1); }
    this.firstPort = [...ends].filter((p) => p >= 0 && p <= 65535).sort((a, b) => a - b);
    this.stretchOf = new Uint16Array(65536);
    for (let k = 0; k < this.firstPort.length; k++) {
      this.stretchOf.fill(k, this.firstPort[k]!, this.firstPort[k + 1] ?? 65536);
    }
  }

  /** Rules a flow with `port` at one end can match. */
  onPort(port: number): readonly number[] {
    const k = this.stretchOf === null ? 0 : this.stretchOf[port]!;
    let list = this.covering[k];
    if (list === undefined) {
      const p = this.firstPort[k]!;
      const found = this.own.filter((i) => {
        const r = this.rules[i]!;
        return !hasPorts(r.proto) || (r.ports.length > 0 && portInRanges(p, r.ports));
      });
      this.covering[k] = list = found.length === 0 ? NONE : found;
    }
    return list;
  }

  /** Of onPort(port), the rules with ports (what a guessed originator's client port may have meant). */
  portRules(port: number): readonly number[] {
    return this.stretchOf === null ? NONE : this.onPort(port);
  }

  /** Of onPort(port), the "<->" rules with ports. */
  bothWaysRules(port: number): readonly number[] {
    if (this.stretchOf === null) return NONE;
    const k = this.stretchOf[port]!;
    let list = this.bothWaysCovering[k];
    if (list === undefined) {
      const found = this.onPort(port).filter((i) => this.bothWays.includes(i));
      this.bothWaysCovering[k] = list = found.length === 0 ? NONE : found;
    }
    return list;
  }
}
