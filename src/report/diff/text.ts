/** `flowaudit diff` as text: what changed between two audits, section by section. */
import type { FindingChange, MissingChange, ReportDiff, RuleFlowChange, WanCacheChange } from '../../review/diff.js';
import { clean, num } from '../common.js';
import { diffHeadline, factorText, findingService, missingWhat, ruleFlowText, sideText, wanText } from './common.js';

function table(headers: string[], rows: string[][]): string[] {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => '  ' + cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(headers), ...rows.map(line)];
}

function section(title: string): string[] {
  return ['', title, '─'.repeat(Math.min(title.length, 80))];
}

function findingRows(list: FindingChange[]): string[][] {
  return list.map((f) => [f.section === 'wanCache' ? 'WAN cache' : 'unexpected', clean(f.kind), `${num(f.oldCount)} → ${num(f.newCount)}`,
    clean(findingService(f)), `${clean(f.srcLabel)} → ${clean(f.dstLabel)}`, clean(f.rule ?? '-')]);
}

function findings(title: string, list: FindingChange[]): string[] {
  const out = section(`${title} (${num(list.length)})`);
  if (list.length === 0) return [...out, '  none'];
  return [...out, ...table(['Section', 'Kind', 'Flows', 'Service', 'From → To', 'Rule'], findingRows(list))];
}

function missing(title: string, list: MissingChange[]): string[] {
  const out = section(`${title} (${num(list.length)})`);
  if (list.length === 0) return [...out, '  none'];
  return [...out, ...table(['Kind', 'Destination', 'What'], list.map((m) => [m.kind, clean(m.dst), clean(missingWhat(m))]))];
}

export function renderDiffText(d: ReportDiff): string {
  const out = ['flowaudit diff', `Old:  ${clean(sideText(d.old))}`, `New:  ${clean(sideText(d.new))}`];
  for (const n of d.notes) out.push(`Note: ${clean(n)}`);
  out.push(`Changes: ${diffHeadline(d)}`);
  out.push(...findings('New findings', d.findings.new));
  out.push(...findings('Resolved findings', d.findings.resolved));
  out.push(...findings('Persisting findings', d.findings.persisting));
  out.push(...missing('Newly missing services', d.missing.new));
  out.push(...missing('Missing services now seen', d.missing.resolved));
  out.push(...missing('Still missing', d.missing.persisting));
  out.push(...section(`WAN-cache status changes (${num(d.wanCache.length)})`));
  if (d.wanCache.length === 0) out.push('  none');
  else out.push(...table(['Path', 'Status'], d.wanCache.map((w: WanCacheChange) => [clean(wanText(w)), `${w.old ?? 'none'} → ${w.new ?? 'none'}`])));
  out.push(...section(`Rule flow counts changed ${factorText(d.factor)} (${num(d.ruleFlows.length)})`));
  if (d.ruleFlows.length === 0) out.push('  none');
  else out.push(...table(['Rule', 'Flows', 'Change'], d.ruleFlows.map((r: RuleFlowChange) => [clean(r.rule), `${num(r.old)} → ${num(r.new)}`, ruleFlowText(r)])));
  return out.join('\n') + '\n';
}
