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
import type { StoredFlow } from '../store/types.js';
import type { Classification } from '../flow/flow-record.js';
import type { UnexpectedItem } from './types.js';
import { roleTitle } from '../catalog/role-title.js';
import { hasPorts, portInRanges, protoMatches } from '../catalog/rule-match.js';
import { PROTO_TCP, protoName } from '../util/proto.js';
import { joinOr, midSentence, serviceLabel } from './format.js';
import { flowFacts } from './flow-facts.js';

/** Ports of WAN optimizer inner channels: worth a hint, since sites often forget to ignore them. */
const OPTIMIZER_PORTS = new Set([7800, 7810]);

export class UnexpectedDetector {
  private readonly rules: Rule[];

  constructor(private readonly catalog: Catalog) {
    // Rules on "any protocol" between two roles say nothing about a port, so they can
    // never be the "nearest rule" of a port mismatch.
    this.rules = catalog.rules.filter((r) => r.proto !== 'ip');
  }

  /** Explain one in-scope, not ignored, unmatched flow. `group` is filled in later by group.ts. */
  explain(flow: StoredFlow, cls: Classification): UnexpectedItem {
    const proto = protoName(flow.proto);
    const candidates = this.portRules(flow);
    // The rule the classifier found nearest; its evidence says why that one does not apply.
    const named = cls.nearestRule;

    let kind: UnexpectedItem['kind'] = 'no-rule';
    let nearest: Rule | null = null;
    let reason: string;
    if (candidates.length > 0 || named) {
      kind = 'role-mismatch';
      nearest = (named && this.catalog.rules.find((r) => r.id === named)) || this.nearest(candidates, cls);
      // The classifier already phrased the nearest-rule explanation; keep its words.
      reason = cls.evidence ?? this.mismatchReason(flow, cls, nearest!);
    } else {
      reason = this.noRuleReason(flow, cls);
    }

    return {
      proto,
      src: flow.src,
      sport: flow.sport,
      dst: flow.dst,
      dport: flow.dport,
      kind,
      reason,
      nearestRule: nearest ? nearest.id : null,
      ...flowFacts(flow, cls),
    };
  }

  /** Catalog rules on the flow's protocol and service port (either end for "<->" rules). */
  private portRules(flow: StoredFlow): Rule[] {
    const out: Rule[] = [];
    for (const r of this.rules) {
      if (!protoMatches(r.proto, flow.proto)) continue;
      if (!hasPorts(r.proto)) { out.push(r); continue; }
      // A rule whose configurable ports are all "not in use" (resolved to none) covers no port.
      if (r.ports.length === 0) continue;
      if (portInRanges(flow.dport, r.ports)) out.push(r);
      // A guessed originator may be the wrong way round; a "<->" rule may run either way.
      else if ((r.direction === 'both' || flow.originatorGuessed) && portInRanges(flow.sport, r.ports)) out.push(r);
    }
    return out;
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

  private mismatchReason(flow: StoredFlow, cls: Classification, rule: Rule): string {
    const svc = serviceLabel(protoName(flow.proto), flow.sport, flow.dport);
    return (
      `${svc} is allowed from ${this.rolesProse(rule.from)} to ${this.rolesProse(rule.to)} ` +
      `(rule ${rule.id}), not from ${this.describeEnd(flow.src, cls.srcRoles, cls.srcSite)} ` +
      `to ${this.describeEnd(flow.dst, cls.dstRoles, cls.dstSite)}`
    );
  }

  private noRuleReason(flow: StoredFlow, cls: Classification): string {
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
