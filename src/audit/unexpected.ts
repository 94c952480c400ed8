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
import { hasPorts, protoMatches } from '../catalog/rule-match.js';
import { PortTables, type Entry } from '../classify/port-tables.js';
import { PROTO_TCP, PROTO_UDP, protoName } from '../util/proto.js';
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

/** `list`, or NONE when it is empty: one empty list, so that caches keyed by list identity stay small. */
function shared(list: readonly number[]): readonly number[] {
  return list.length === 0 ? NONE : list;
}

/** What judging a flow reads of it (the audit's lean flows have it). */
type PortSide = Pick<AuditFlow, 'proto' | 'sport' | 'dport' | 'originatorGuessed'>;

export class UnexpectedDetector {
  private readonly rules: Rule[];
  private readonly byId: Map<string, Rule>;
  /** Indices (in `rules`) of the "<->" rules with ports, ascending. */
  private readonly bothWays: number[];
  /** Catalog rules by protocol and port, as the classifier looks them up. */
  private readonly ports: PortTables;
  /** Position of each rule in `rules`. */
  private readonly indexOf = new Map<Rule, number>();
  /** rulesOn() of a TCP/UDP port, by the port's candidate list (PortTables interns them). */
  private readonly onCandidates = new Map<readonly Entry[], readonly number[]>();
  /** Of those, the "<->" rules, by the same key. */
  private readonly bothWaysOnCandidates = new Map<readonly Entry[], readonly number[]>();
  /** rulesOn() of a protocol without ports (ICMP, SCTP, ...): every rule of it, whatever the port. */
  private readonly portless = new Map<number, readonly number[]>();
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
    this.rules.forEach((r, i) => this.indexOf.set(r, i));
    this.ports = new PortTables(catalog.rules);
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
   * wrong way round (any rule with ports), and a "<->" rule may run either way.
   */
  private sportRules(flow: PortSide): readonly number[] {
    const candidates = this.tcpUdpCandidates(flow.proto, flow.sport);
    if (candidates === null) return NONE;
    const onSport = this.rulesOfCandidates(candidates);
    if (flow.originatorGuessed) return onSport;
    let list = this.bothWaysOnCandidates.get(candidates);
    if (list === undefined) this.bothWaysOnCandidates.set(candidates, (list = shared(onSport.filter((i) => this.bothWays.includes(i)))));
    return list;
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

  /**
   * Rules of `proto` that a flow with `port` at one end can match: for TCP and UDP those listing
   * the port (a rule whose configurable ports are all "not in use", resolved to none, covers no
   * port); for other protocols, whose rules have no ports, all of them. The same array for the
   * same answer: the classifier's port tables hand out one candidate list per stretch of ports,
   * so a port scan's thousands of ports cost one pass per list, not per port.
   */
  private rulesOn(proto: number, port: number): readonly number[] {
    const candidates = this.tcpUdpCandidates(proto, port);
    if (candidates !== null) return this.rulesOfCandidates(candidates);
    let list = this.portless.get(proto);
    if (list === undefined) {
      const found: number[] = [];
      this.rules.forEach((r, i) => { if (protoMatches(r.proto, proto)) found.push(i); });
      this.portless.set(proto, (list = shared(found)));
    }
    return list;
  }

  /** The port tables' candidates of a TCP or UDP port; null for other protocols. */
  private tcpUdpCandidates(proto: number, port: number): readonly Entry[] | null {
    return proto === PROTO_TCP || proto === PROTO_UDP ? this.ports.candidates(proto, port) : null;
  }

  /** A candidate list's rules as indices in `rules` (without the any-protocol ones, which `rules` leaves out). */
  private rulesOfCandidates(candidates: readonly Entry[]): readonly number[] {
    let list = this.onCandidates.get(candidates);
    if (list === undefined) {
      const found: number[] = [];
      for (const e of candidates) {
        const i = this.indexOf.get(e.rule);
        if (i !== undefined) found.push(i);
      }
      this.onCandidates.set(candidates, (list = shared(found)));
    }
    return list;
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
