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

/** What judging a flow reads of it (the audit's lean flows have it). */
type PortSide = Pick<AuditFlow, 'proto' | 'sport' | 'dport' | 'originatorGuessed'>;

export class UnexpectedDetector {
  private readonly rules: Rule[];
  private readonly byId: Map<string, Rule>;
  /** Indices (in `rules`) of the "<->" rules with ports, ascending. */
  private readonly bothWays: number[];
  /** proto * 65536 + port -> indices (in `rules`) of the rules that port can match, ascending. */
  private readonly onPort = new Map<number, number[]>();

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
   */
  judge(flow: PortSide, cls: Classification): Judgement {
    const candidates = this.portRules(flow);
    // The rule the classifier found nearest; its evidence says why that one does not apply.
    const named = cls.nearestRule;
    if (candidates.length > 0 || named) {
      return { kind: 'role-mismatch', nearest: (named && this.byId.get(named)) || this.nearest(candidates, cls) };
    }
    return { kind: 'no-rule', nearest: null };
  }

  /** The flow's reason, from its judgement; `evidence` is the classifier's (written out for this flow). */
  reason(flow: Pick<AuditFlow, 'proto' | 'src' | 'sport' | 'dst' | 'dport'>, cls: Classification, j: Judgement, evidence: string | null): string {
    // The classifier already phrased the nearest-rule explanation; keep its words.
    if (j.kind === 'role-mismatch') return evidence ?? this.mismatchReason(flow, cls, j.nearest!);
    return this.noRuleReason(flow, cls);
  }

  /** Catalog rules on the flow's protocol and service port (either end for "<->" rules), in catalog order. */
  private portRules(flow: PortSide): Rule[] {
    const onDport = this.rulesOn(flow.proto, flow.dport);
    // A guessed originator may be the wrong way round; a "<->" rule may run either way. (The
    // client port of a flow seen from its start matters only to the few "<->" rules: not cached.)
    const bySport = flow.originatorGuessed
      ? this.rulesOn(flow.proto, flow.sport).filter((i) => hasPorts(this.rules[i]!.proto))
      : this.bothWays.filter((i) => protoMatches(this.rules[i]!.proto, flow.proto) && portInRanges(flow.sport, this.rules[i]!.ports));
    if (bySport.length === 0) return onDport.map((i) => this.rules[i]!);
    const all = [...new Set([...onDport, ...bySport])].sort((a, b) => a - b);
    return all.map((i) => this.rules[i]!);
  }

  /** Rules of `proto` that a flow with `port` at one end can match: portless ones, and those listing the port. */
  private rulesOn(proto: number, port: number): number[] {
    const key = proto * 65536 + port;
    let hit = this.onPort.get(key);
    if (hit === undefined) {
      hit = [];
      for (let i = 0; i < this.rules.length; i++) {
        const r = this.rules[i]!;
        if (!protoMatches(r.proto, proto)) continue;
        // A rule whose configurable ports are all "not in use" (resolved to none) covers no port.
        if (!hasPorts(r.proto) || (r.ports.length > 0 && portInRanges(port, r.ports))) hit.push(i);
      }
      this.onPort.set(key, hit);
    }
    return hit;
  }

  /** The candidate sharing most roles with the flow (first in catalog order on ties). */
  private nearest(candidates: Rule[], cls: Classification): Rule {
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
