/**
 * The "no traffic" rule-health section of every human report: the catalog rules this site
 * could have used that no flow matched (AuditResult.unusedRules, audit/unused-rules.ts).
 * Not findings: permitted paths nobody used, which a reviewer may close.
 */
import type { AuditResult, UnusedRuleItem } from '../../audit/types.js';
import { roleTitle } from '../../catalog/role-title.js';
import { clean, num } from '../common.js';

export const UNUSED_RULES_ABOUT =
  'Catalog rules whose two sides both have hosts in this site, which no flow used in the analysed window ' +
  '(follow-on channels count for the rule that opens them); required paths not seen are under missing instead. ' +
  'Permitted paths nobody used: candidates for closing.';

function title(r: AuditResult): string {
  const n = r.unusedRules?.length ?? 0;
  return `Rules with no traffic — ${num(n)} rule${n === 1 ? '' : 's'} nobody used`;
}

function roles(r: AuditResult, u: UnusedRuleItem): string {
  const t = (ids: string[]) => ids.map((id) => roleTitle(r.roleTitles, id)).join(', ');
  return `${t(u.from)} ${u.direction === 'both' ? '↔' : '→'} ${t(u.to)}`;
}

function service(u: UnusedRuleItem): string {
  return u.proto === 'tcp' || u.proto === 'udp' ? `${u.proto}/${u.ports}` : u.proto;
}

/** Text lines (after the other sections); nothing when the report has no unused-rules list. */
export function unusedRulesText(r: AuditResult, bold: (s: string) => string = (s) => s): string[] {
  const list = r.unusedRules;
  if (!list) return [];
  const head = title(r);
  const out = ['', bold(head), '─'.repeat(Math.min(head.length, 80))];
  if (list.length === 0) return [...out, '  none: every rule with hosts on both sides saw traffic'];
  const rows = list.map((u) => [clean(u.rule), clean(service(u)), clean(roles(r, u))]);
  const headers = ['Rule', 'Service', 'From → To'];
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => '  ' + cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  out.push(bold(line(headers)));
  for (const row of rows) out.push(line(row));
  return out;
}

/** Markdown lines; `esc` is the Markdown formatter's escape. */
export function unusedRulesMarkdown(r: AuditResult, esc: (v: unknown) => string): string[] {
  const list = r.unusedRules;
  if (!list) return [];
  const out = [`## ${esc(title(r))}`, '', esc(UNUSED_RULES_ABOUT), ''];
  if (list.length === 0) return [...out, 'None.', ''];
  out.push('| Rule | Service | From → To | Title |', '| --- | --- | --- | --- |');
  for (const u of list) out.push(`| \`${clean(u.rule).replace(/[`|]/g, '')}\` | ${esc(service(u))} | ${esc(roles(r, u))} | ${esc(u.title)} |`);
  out.push('');
  return out;
}

/** The HTML section; `esc` is the HTML formatter's escape. */
export function unusedRulesHtml(r: AuditResult, esc: (v: unknown) => string): string {
  const list = r.unusedRules;
  if (!list) return '';
  const n = list.length;
  const head = `<h2>Rules with no traffic <span class="count">${esc(`${num(n)} rule${n === 1 ? '' : 's'} nobody used`)}</span></h2>`;
  const about = `<p>${esc(UNUSED_RULES_ABOUT)}</p>`;
  if (n === 0) return `<section id="unused">${head}${about}<p class="none">Every rule with hosts on both sides saw traffic.</p></section>`;
  const rows = list.map((u) => `<tr><td><code>${esc(u.rule)}</code></td><td class="mono">${esc(service(u))}</td>` +
    `<td>${esc(roles(r, u))}</td><td>${esc(u.title)}<div class="ex">${esc(u.source.ref)}</div></td></tr>`).join('\n');
  return `<section id="unused">${head}${about}
<div class="scroll"><table class="sortable unused-rules"><thead><tr><th scope="col">Rule</th><th scope="col">Service</th><th scope="col">From → To</th><th scope="col">Title and source</th></tr></thead><tbody>
${rows}
</tbody></table></div></section>`;
}

/** CSV rows (section `unusedRules`, kind `no-traffic`), in the finding columns' names. */
export function unusedRulesCsvRows(r: AuditResult): { section: string; kind: string; proto: string; ports: string; rule: string; reason: string }[] {
  return (r.unusedRules ?? []).map((u) => ({ section: 'unusedRules', kind: 'no-traffic', proto: u.proto, ports: u.ports, rule: u.rule, reason: u.reason }));
}
