/**
 * Missing expected flows: a required rule whose from-role and to-role both have hosts
 * in the site file, but no matching flow reached a destination in the analysed window.
 * Required as this site says (catalog/requirement.ts): the site file's `require:` and
 * `optional:` override the rule's own `required`.
 *
 * Reported per destination: each single address listed for the to-role is its own target
 * ("no client reached software update point 10.0.0.12 ..."); a role given as CIDR/range
 * is one target for the whole role (we cannot know which of its addresses are live hosts).
 *
 * Streaming: `observe` is called for every flow matched to a rule; per target we keep
 * two counters and a few state tallies, never the flows.
 */
import type { AddressRange, Catalog, Rule, Site } from '../catalog/types.js';
import type { AuditFlow } from '../store/types.js';
import type { MissingItem } from './types.js';
import { IpCache, formatIp, inRanges } from '../util/ip.js';
import { PROTO_TCP } from '../util/proto.js';
import { tcpAnswered } from '../flow/tcp-state.js';
import { roleTitle } from '../catalog/role-title.js';
import { siteRequirements } from '../catalog/requirement.js';
import { fmtWindowProse, joinOr, midSentence, portsText, ruleService } from './format.js';

interface Target {
  kind: 'host' | 'role';
  role: string;
  text: string;
  ranges: AddressRange[];
  /** Flows matched to the rule that reached this target. */
  matched: number;
  /** Of those, flows the target answered (TCP: not unanswered/rejected; others: any). */
  answered: number;
  /** conn_state tallies of unanswered attempts, for the reason text. */
  states: Map<string, number>;
}

interface RuleTargets {
  rule: Rule;
  targets: Target[];
  /** Required by the site file's `require:`, not by the catalog. */
  bySite: boolean;
}

export interface MissingContext {
  window: { start: number; end: number } | null;
  /** Loss note when packets were dropped or a capture is partial, else null. */
  lossNote: string | null;
  /** Coverage note when the captures decoded nothing or little, else null. */
  decodeNote?: string | null;
  /** Gaps in the captures' coverage (audit/sensors.ts gapNote), or null. */
  gapNote?: string | null;
}

export class MissingTracker {
  private readonly byRule = new Map<string, RuleTargets>();
  private readonly ips = new IpCache();

  constructor(private readonly catalog: Catalog, site: Site) {
    const hasHosts = (roles: readonly string[]) => roles.some((r) => (site.roles.get(r)?.length ?? 0) > 0);
    const requirement = siteRequirements(site);
    for (const rule of catalog.rules) {
      const req = requirement(rule);
      if (!req.required || !hasHosts(rule.from) || !hasHosts(rule.to)) continue;
      this.byRule.set(rule.id, { rule, targets: buildTargets(rule, site), bySite: req.by === 'site' && !rule.required });
    }
  }

  /** Number of required rules that can be checked against this site (both roles have hosts). */
  get checkedRules(): number {
    return this.byRule.size;
  }

  /** Record a flow that the classifier matched to `ruleId`. */
  observe(flow: AuditFlow, ruleId: string): void {
    const rt = this.byRule.get(ruleId);
    if (!rt) return;
    const dst = this.ips.get(flow.dst);
    // For "<->" rules the to-role host may be the originator.
    const src = rt.rule.direction === 'both' ? this.ips.get(flow.src) : null;
    const answered = flow.proto === PROTO_TCP ? tcpAnswered(flow) : true;
    for (const t of rt.targets) {
      const hit = (dst !== null && inRanges(dst, t.ranges)) || (src !== null && inRanges(src, t.ranges));
      if (!hit) continue;
      t.matched++;
      if (answered) t.answered++;
      else t.states.set(flow.state, (t.states.get(flow.state) ?? 0) + 1);
    }
  }

  finish(ctx: MissingContext): MissingItem[] {
    const out: MissingItem[] = [];
    for (const { rule, targets, bySite } of this.byRule.values()) {
      for (const t of targets) {
        if (t.answered > 0) continue;
        out.push(this.item(rule, t, ctx, bySite));
      }
    }
    return out;
  }

  private item(rule: Rule, t: Target, ctx: MissingContext, bySite: boolean): MissingItem {
    const from = joinOr(rule.from.map((r) => midSentence(roleTitle(this.catalog.roles, r))));
    const toTitle = midSentence(roleTitle(this.catalog.roles, t.role));
    const where = t.kind === 'host' ? `${toTitle} ${t.text}` : `any ${toTitle} in ${t.text}`;
    const when = ctx.window ? fmtWindowProse(ctx.window.start, ctx.window.end) : 'in the analysed traffic';
    const svc = ruleService(rule);
    let reason: string;
    if (t.matched === 0) {
      reason = `no ${from} reached ${where} on ${svc} ${when}`;
    } else {
      const tally = [...t.states].map(([s, n]) => `${s}×${n}`).join(', ');
      reason =
        `${from} tried ${where} on ${svc} ${t.matched} time${t.matched === 1 ? '' : 's'} ${when}, ` +
        `but no connection was answered (${tally})`;
    }
    // A reviewer defends the finding with the catalog's source, or with the site's own word.
    if (bySite) reason += '; the site file requires this rule';
    if (ctx.lossNote) reason += `; ${ctx.lossNote}`;
    if (ctx.decodeNote) reason += `; ${ctx.decodeNote}`;
    if (ctx.gapNote) reason += `; ${ctx.gapNote}`;
    return {
      rule: rule.id,
      ruleTitle: rule.title,
      dst: t.text,
      target: t.kind,
      dstRole: t.role,
      fromRoles: [...rule.from],
      proto: rule.proto,
      ports: portsText(rule.ports),
      reason,
      attempts: t.matched,
      window: ctx.window,
      lossMayExplain: ctx.lossNote !== null,
      decodeMayExplain: !!ctx.decodeNote,
      source: rule.source,
      group: '',
    };
  }
}

/**
 * One target per single address of the to-roles, plus one per role for its CIDR/range
 * entries. An address listed under two to-roles is checked once (under the first role).
 */
function buildTargets(rule: Rule, site: Site): Target[] {
  const targets: Target[] = [];
  const seen = new Set<string>();
  const mk = (kind: Target['kind'], role: string, text: string, ranges: AddressRange[]): Target =>
    ({ kind, role, text, ranges, matched: 0, answered: 0, states: new Map() });
  for (const role of rule.to) {
    const ranges = site.roles.get(role) ?? [];
    const wide: AddressRange[] = [];
    for (const r of ranges) {
      if (r.lo === r.hi) {
        const text = formatIp(r.family, r.lo);
        if (seen.has(text)) continue;
        seen.add(text);
        targets.push(mk('host', role, text, [r]));
      } else {
        wide.push(r);
      }
    }
    if (wide.length > 0) targets.push(mk('role', role, wide.map((r) => r.text).join(', '), wide));
  }
  return targets;
}
