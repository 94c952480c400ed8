/** `flowaudit diff --format md`: the changes as GitHub-flavoured Markdown tables. */
import type { FindingChange, MissingChange, ReportDiff } from '../../review/diff.js';
import { md, mdCode } from '../md.js';
import { num } from '../common.js';
import { diffHeadline, factorText, findingService, missingWhat, ruleFlowText, sideText, wanText } from './common.js';

function table(headers: string[], rows: string[][]): string[] {
  return [`| ${headers.join(' | ')} |`, `| ${headers.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`), ''];
}

function findings(title: string, list: FindingChange[]): string[] {
  const out = [`## ${title} (${num(list.length)})`, ''];
  if (list.length === 0) return [...out, 'None.', ''];
  return [...out, ...table(['Section', 'Kind', 'Flows', 'Service', 'From → To', 'Rule', 'Why'], list.map((f) => [
    f.section === 'wanCache' ? 'WAN cache' : 'unexpected', md(f.kind), `${num(f.oldCount)} → ${num(f.newCount)}`, md(findingService(f)),
    `${md(f.srcLabel)} → ${md(f.dstLabel)}`, f.rule ? mdCode(f.rule) : '–', md(f.reason)]))];
}

function missing(title: string, list: MissingChange[]): string[] {
  const out = [`## ${title} (${num(list.length)})`, ''];
  if (list.length === 0) return [...out, 'None.', ''];
  return [...out, ...table(['Kind', 'Destination', 'What'], list.map((m) => [m.kind, md(m.dst), md(missingWhat(m))]))];
}

export function renderDiffMarkdown(d: ReportDiff): string {
  const out = ['# flowaudit diff', '', `- **Old:** ${md(sideText(d.old))}`, `- **New:** ${md(sideText(d.new))}`,
    ...d.notes.map((n) => `- **Note:** ${md(n)}`), '', `**Changes:** ${md(diffHeadline(d))}`, ''];
  out.push(...findings('New findings', d.findings.new), ...findings('Resolved findings', d.findings.resolved),
    ...findings('Persisting findings', d.findings.persisting));
  out.push(...missing('Newly missing services', d.missing.new), ...missing('Missing services now seen', d.missing.resolved),
    ...missing('Still missing', d.missing.persisting));
  out.push(`## WAN-cache status changes (${num(d.wanCache.length)})`, '');
  if (d.wanCache.length === 0) out.push('None.', '');
  else out.push(...table(['Path', 'Status'], d.wanCache.map((w) => [md(wanText(w)), `${w.old ?? 'none'} → ${w.new ?? 'none'}`])));
  out.push(`## Rule flow counts changed ${md(factorText(d.factor))} (${num(d.ruleFlows.length)})`, '');
  if (d.ruleFlows.length === 0) out.push('None.', '');
  else out.push(...table(['Rule', 'Flows', 'Change'], d.ruleFlows.map((r) => [mdCode(r.rule), `${num(r.old)} → ${num(r.new)}`, md(ruleFlowText(r))])));
  return out.join('\n');
}
