/** Wording shared by the diff formats (text, md, html). */
import type { DiffSide, FindingChange, MissingChange, ReportDiff, RuleFlowChange, WanCacheChange } from '../../review/diff.js';
import { num } from '../common.js';

export function sideText(s: DiffSide): string {
  return `${s.label} — ${s.window ? s.window.text : 'no traffic'}; generated ${s.generatedAt}; ${s.verdict}`;
}

/** "3 new, 1 resolved, 2 persisting findings; missing services: ..." */
export function diffHeadline(d: ReportDiff): string {
  const c = d.counts;
  return `${num(c.new)} new, ${num(c.resolved)} resolved, ${num(c.persisting)} persisting finding${c.persisting === 1 ? '' : 's'}; ` +
    `missing services: ${num(c.missingNew)} new, ${num(c.missingResolved)} resolved, ${num(c.missingPersisting)} persisting; ` +
    `${num(c.wanCacheChanged)} WAN-cache status change${c.wanCacheChanged === 1 ? '' : 's'}; ` +
    `${num(c.ruleFlowsChanged)} rule flow count${c.ruleFlowsChanged === 1 ? '' : 's'} changed ${factorText(d.factor)}`;
}

export function factorText(factor: number): string {
  return `by ×${factor} or more, or to or from 0`;
}

export function findingService(f: FindingChange): string {
  return f.server ? `${f.service} at ${f.server}` : f.service;
}

export function missingWhat(m: MissingChange): string {
  if (m.kind === 'silent-host') return `declared ${m.role} nobody reached (rules ${m.rules.join(', ')})`;
  return `${m.rule} (${m.proto}/${m.ports} to ${m.role})`;
}

export function wanText(w: WanCacheChange): string {
  return `${w.rule ?? '-'} ${w.service}${w.server ? ` at ${w.server}` : ''}, ${w.srcSite} → ${w.dstSite}`;
}

export function ruleFlowText(r: RuleFlowChange): string {
  if (r.change === 'appeared') return 'traffic appeared';
  if (r.change === 'vanished') return 'no traffic any more';
  return `${r.change} ×${(r.ratio! >= 1 ? r.ratio! : 1 / r.ratio!).toFixed(1)}`;
}
