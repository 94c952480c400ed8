/**
 * `flowaudit firewall check`: the stored flows of a database evaluated against a ruleset. With
 * a site file the flows are classified as the audit classifies them (re-classified first when
 * they are stale); without one the stored classifications are used as they are.
 */
import { siteRequirements } from '../catalog/requirement.js';
import { runFirewallCheck } from '../firewall/check.js';
import type { Ruleset } from '../firewall/model.js';
import type { FirewallCheckResult } from '../firewall/check-types.js';
import type { FlowStore } from '../store/types.js';
import type { NumericRange } from '../util/ip.js';
import type { AnalysisContext } from './analysis-context.js';
import { reclassifyIfStale } from './audit-run.js';

export interface FirewallCheckOptions {
  local: { text: string; ranges: NumericRange[] };
  /** Called with how many flows were re-classified (site file given and the stored ones stale). */
  onReclassified?: (n: number) => void;
  now?: Date;
}

export function firewallCheckStored(store: FlowStore, ruleset: Ruleset, ctx: AnalysisContext | null, opts: FirewallCheckOptions): FirewallCheckResult {
  let required: ((rule: string) => boolean) | null = null;
  if (ctx) {
    const n = reclassifyIfStale(store, ctx);
    if (n !== null) opts.onReclassified?.(n);
    const requirement = siteRequirements(ctx.site);
    const byId = new Map(ctx.catalog.rules.map((r) => [r.id, r]));
    // A follow-on (dynamic ports after a control connection) is required when the rule it follows is.
    for (const r of ctx.catalog.rules) for (const f of r.then) if (!byId.has(f.id)) byId.set(f.id, r);
    required = (id) => {
      const r = byId.get(id);
      return r ? requirement(r).required : false;
    };
  }
  const captures = store.captures();
  const stored = ctx ? 'site' : store.unclassifiedCount() > 0 && ![...store.flows({ limit: 1, where: 'match!=null' })].length ? 'none' : 'stored';
  return runFirewallCheck({
    ruleset,
    flows: store.flows({ ordered: false }),
    captures,
    local: opts.local,
    strict: ctx?.site.strict ?? false,
    required,
    classification: stored,
    siteFile: ctx?.site.file ?? null,
    now: opts.now,
  });
}
