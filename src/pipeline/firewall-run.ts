/**
 * `firewall export`: the site's allow list from its catalogs, with, when a database is given,
 * what the stored flows saw of each rule (re-classified first when the site file or a catalog
 * changed since they were classified).
 */
import { approvalAllowEntries, buildPolicy, catalogAllowEntries } from '../firewall/policy.js';
import { observedByRule } from '../firewall/observed.js';
import type { FirewallPolicy } from '../firewall/types.js';
import type { FlowStore } from '../store/types.js';
import type { AnalysisContext } from './analysis-context.js';
import { reclassifyIfStale } from './audit-run.js';

export interface FirewallExportOptions {
  /** A database whose stored flows give observed counts and the dynamic ports used. */
  store?: FlowStore;
  onlyObserved?: boolean;
  /** Told how many stored flows were re-classified, when they were stale. */
  onReclassified?: (flows: number) => void;
}

export function firewallPolicy(ctx: AnalysisContext, opts: FirewallExportOptions = {}): FirewallPolicy {
  let observed;
  if (opts.store) {
    const n = reclassifyIfStale(opts.store, ctx);
    if (n !== null) opts.onReclassified?.(n);
    observed = observedByRule(opts.store);
  }
  // The allow list's entries: the catalogs' rules, then the site file's approvals.
  const entries = [...catalogAllowEntries(ctx.catalog), ...approvalAllowEntries(ctx.site)];
  return buildPolicy(entries, ctx.catalog, ctx.site, { observed, onlyObserved: opts.onlyObserved });
}
