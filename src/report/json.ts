/**
 * JSON report (docs/contracts.md, "JSON report"): `{ summary, unexpected, missing, wanCache }` with one
 * item per flow (each naming its `group`), plus the extra sections (windowOnly, groups,
 * informational, matrix, timeline, rules). Validated in tests against schema/report.schema.json.
 */
import type { AuditResult } from '../audit/types.js';

export interface JsonOptions {
  /** Indent with two spaces (default true); false prints one line for piping. */
  pretty?: boolean;
}

export function renderJson(r: AuditResult, opts: JsonOptions = {}): string {
  // Contract keys first so a human reading the file sees them in the documented order.
  const ordered = {
    summary: r.summary,
    unexpected: r.unexpected,
    missing: r.missing,
    wanCache: r.wanCache,
    silentHosts: r.silentHosts,
    windowOnly: r.windowOnly,
    informational: r.informational,
    groups: r.groups,
    roleTitles: r.roleTitles,
    matrix: r.matrix,
    timeline: r.timeline,
    rules: r.rules,
    ...(r.approvals ? { approvals: r.approvals } : {}),
  };
  return JSON.stringify(ordered, null, opts.pretty === false ? undefined : 2) + '\n';
}
