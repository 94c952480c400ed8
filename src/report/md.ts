/**
 * Markdown report (for tickets, wikis, pull requests): the same grouped view as the text
 * report, as GitHub-flavoured tables. Every data string is escaped so a hostile value can
 * neither break a table (|, newline) nor inject markup or HTML (<, [, *, `...).
 */
import type { AuditResult, FindingGroup } from '../audit/types.js';
import { fmtTime } from '../audit/format.js';
import { coverageText } from '../audit/coverage.js';
import {
  UNEXPECTED_KIND_TEXT, WAN_STATUS_TEXT, WINDOW_KIND_TEXT, WINDOW_ONLY_ABOUT, clean, exampleText, hostsText,
  labelTitle, limitGroups, moreGroupsText, num, seenText, silentHostsTitle, windowOnlySection,
} from './common.js';
import { unusedRulesMarkdown } from './sections/unused-rules.js';
import { approvalsLines } from './sections/approvals.js';
import { seenBySuffix, sensorsLines } from './sections/sensors.js';

export interface MarkdownOptions {
  /** Groups printed per section before a "N more" line (default 200). */
  maxGroups?: number;
}

/** Escape for a Markdown table cell / paragraph. */
export function md(value: unknown): string {
  return clean(value)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|~])/g, '\\$1');
}

/**
 * A code span: Markdown does not process escapes or entities inside backticks, so the only
 * dangers are a backtick ending the span and `|` ending the table cell (GFM honours \| there).
 */
export function mdCode(value: unknown): string {
  return `\`${clean(value).replace(/`/g, "'").replace(/\|/g, '\\|')}\``;
}

function table(headers: string[], rows: string[][]): string[] {
  return [
    `| ${headers.join(' | ')} |`,
    `| ${headers.map((h) => (/^(Flows|Count|Packets|Decoded|Drops|Port)$/.test(h) ? '---:' : '---')).join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ];
}

function plural(n: number, word: string): string {
  return `${num(n)} ${word}${n === 1 ? '' : 's'}`;
}

export function renderMarkdown(r: AuditResult, opts: MarkdownOptions = {}): string {
  const s = r.summary;
  const c = s.counts;
  const t = r.roleTitles;
  const out: string[] = [];
  const shown = (section: keyof AuditResult['groups']) => limitGroups(r.groups[section], opts.maxGroups).shown;
  const more = (section: keyof AuditResult['groups']) => {
    const { hidden } = limitGroups(r.groups[section], opts.maxGroups);
    if (hidden > 0) out.push(`_${md(moreGroupsText(hidden))}_`, '');
  };

  out.push('# flowaudit report', '');
  out.push(`**Verdict:** ${s.clean ? '✅' : '❌'} ${md(s.verdict)}`, '');
  out.push(...table(['Item', 'Value'], [
    ['Window', s.window ? md(s.window.text) : 'no traffic'],
    ['Flows', `${num(s.flows.analysed)} analysed, ${num(s.flows.inScope)} in scope, ${num(s.flows.expected)} expected, ` +
      `${num(s.flows.unexpected)} unexpected, ${num(s.flows.ignored)} ignored, ${num(s.flows.outOfScope)} out of scope`],
    ['Catalogs', `${md(s.catalogs.join(', ') || '(none)')} (${num(s.rulesChecked)} rules, sha256 ${mdCode(s.catalogHash.slice(0, 12))})`],
    ['Site file', `${md(s.siteFile)} (sha256 ${mdCode(s.siteHash.slice(0, 12))})`],
    ['Generated', md(s.generatedAt)],
    ['Packets', md(coverageText(s.decode))],
    ...(s.lossNote ? [['Packet loss', `⚠️ ${md(s.lossNote)}`]] : []),
    ...(s.decodeNote ? [['Decode coverage', `⚠️ ${md(s.decodeNote)}`]] : []),
  ]), '');

  out.push('## Captures', '');
  if (s.captures.length === 0) out.push('None recorded.', '');
  else out.push(...table(['#', 'Source', 'Format', 'Window', 'Packets', 'Decoded', 'Drops', 'Status', 'Tap side'],
    s.captures.map((cap) => [String(cap.id), md(cap.source), md(cap.format), md(cap.window), num(cap.packets),
      num(cap.decode.decoded) + (cap.decode.notDecoded ? ` (${md(Object.entries(cap.decode.reasons).map(([k, n]) => `${k} ${num(n)}`).join(', '))} not)` : ''),
      cap.drops === null && cap.ifDrops === null ? '–' : num((cap.drops ?? 0) + (cap.ifDrops ?? 0)),
      cap.status + (cap.error ? ` (${md(cap.error)})` : ''), cap.tapSide ?? 'unknown'])), '');

  out.push(`## Unexpected traffic — ${plural(c.unexpected, 'flow')} in ${plural(c.unexpectedGroups, 'group')}`, '');
  if (r.groups.unexpected.length === 0) out.push('None.', '');
  else out.push(...table(['Group', 'Kind', 'Flows', 'Service', 'From → To', 'Hosts', 'Seen', 'Why', 'Examples'],
    shown('unexpected').map((g) => [g.id, UNEXPECTED_KIND_TEXT[g.kind] ?? md(g.kind), num(g.count),
      md(g.service) + (g.kind === 'port-scan' ? `<br>ports ${md(g.ports)}` : ''),
      `${md(labelTitle(g.srcLabel, t))} → ${md(labelTitle(g.dstLabel, t))}`, hostsText(g), seenText(g), md(g.reason + seenBySuffix(g)),
      g.examples.map((e) => mdCode(exampleText(e))).join('<br>')])), '');

  more('unexpected');

  out.push(`## Missing expected flows — ${plural(c.missing, 'destination')} in ${plural(c.missingGroups, 'rule')}${silentHostsTitle(c)}`, '');
  if (r.groups.missing.length === 0 && r.silentHosts.length === 0) out.push('None.', '');
  else if (r.groups.missing.length > 0) out.push(...table(['Group', 'Rule', 'Service', 'From → To', 'Not reached', 'Why'],
    shown('missing').map((g) => [g.id, mdCode(g.rule), md(g.service),
      `${md(labelTitle(g.srcLabel, t))} → ${md(labelTitle(g.dstLabel, t))}`, missingHosts(g), md(g.reason)])), '');

  more('missing');
  if (r.silentHosts.length > 0) {
    out.push('### Declared hosts nobody reached', '');
    out.push(...table(['Host', 'Role', 'Rules', 'Status', 'Why'],
      r.silentHosts.map((h) => [md(h.host), md(labelTitle(h.roles.join('+'), t)), h.rules.map(mdCode).join(' '),
        h.status === 'missing' ? 'missing' : 'optional (informational)', md(h.reason)])), '');
  }

  out.push(`## WAN cache — ${plural(c.wanCacheViolations, 'violation')}, ${num(c.wanCacheMustNotCache)} must not cache, ${num(c.wanCacheCacheable)} cacheable`, '');
  if (r.groups.wanCache.length === 0) out.push('None.', '');
  else {
    out.push(...table(['Group', 'Status', 'Flows', 'Rule', 'Service', 'Sites', 'Server', 'Why', 'Evidence'],
      shown('wanCache').map((g) => [g.id, g.kind === 'violation' ? '**VIOLATION**' : WAN_STATUS_TEXT[g.kind] ?? md(g.kind),
        num(g.count), mdCode(g.rule), md(g.service),
        `${md(g.srcLabel.replace(/^site:/, ''))} → ${md(g.dstLabel.replace(/^site:/, ''))}`, md(g.exampleHosts[0] ?? ''),
        md(g.reason + seenBySuffix(g)), g.evidence.length ? g.evidence.map(md).join('<br>') : '–'])), '');
    more('wanCache');
    const ex = r.wanAdvice.exclusions;
    if (ex.length > 0) {
      out.push('### Exclusions to configure on the WAN optimizers', '');
      out.push(...table(['Server', 'Proto', 'Port', 'Sites', 'Rule', 'Flows'],
        ex.map((e) => [md(e.server), e.proto, String(e.port), md(e.sites.join(', ')), mdCode(e.rule), num(e.flows)])), '');
    }
    for (const n of r.wanAdvice.tapNotes) out.push(`> ${md(n)}`, '');
  }

  out.push(...windowOnlyMarkdown(r, opts.maxGroups));
  out.push(...unusedRulesMarkdown(r, md));
  out.push(...approvalsLines(r, (t, about) => [`## ${md(t)}`, '', md(about), ''], (h, rows) => [...table(h, rows.map((cells) => cells.map(md))), '']));
  out.push(...sensorsLines(r, (t, about) => [`## ${md(t)}`, '', md(about), ''], (h, rows) => [...table(h, rows.map((cells) => cells.map(md))), ''], (g) => `- ${md(g)}`));
  if (r.coverageGaps?.length) out.push('');

  if (r.informational.length > 0) {
    out.push(`## Informational — ${plural(r.informational.length, 'unused expectation')} (not counted as missing)`, '');
    out.push(...table(['Via', 'Client', 'Server', 'Proto', 'Ports', 'When', 'Why'],
      r.informational.map((i) => [i.via, md(i.client ?? 'any'), md(i.server), i.proto, md(i.ports), fmtTime(i.ts), md(i.reason)])), '');
  }

  return out.join('\n');
}

/** The section of flows only a time window allows (shown when there are some, or in a strict review). */
function windowOnlyMarkdown(r: AuditResult, maxGroups: number | undefined): string[] {
  const w = windowOnlySection(r);
  if (!w.show) return [];
  const out = [`## ${md(w.title)}`, '', md(WINDOW_ONLY_ABOUT), ''];
  if (w.strictNote) out.push(`> ${md(w.strictNote)}`, '');
  if (r.groups.windowOnly.length === 0) return [...out, 'None.', ''];
  const { shown, hidden } = limitGroups(r.groups.windowOnly, maxGroups);
  out.push(...table(['Group', 'Kind', 'Flows', 'Rule', 'Service', 'From → To', 'Hosts', 'Seen', 'Why', 'Control flow', 'Examples'],
    shown.map((g) => [g.id, g.kind === 'doubtful' ? `**${WINDOW_KIND_TEXT[g.kind]}**` : WINDOW_KIND_TEXT[g.kind] ?? md(g.kind), num(g.count),
      mdCode(g.rule), md(g.service) + (g.portCount > 1 ? `<br>ports ${md(g.ports)}` : ''),
      `${md(labelTitle(g.srcLabel, r.roleTitles))} → ${md(labelTitle(g.dstLabel, r.roleTitles))}`, hostsText(g), seenText(g), md(g.reason + seenBySuffix(g)),
      g.evidence.map(md).join('<br>'), g.examples.map((e) => mdCode(exampleText(e))).join('<br>')])), '');
  if (hidden > 0) out.push(`_${md(moreGroupsText(hidden))}_`, '');
  return out;
}

function missingHosts(g: FindingGroup): string {
  const shown = g.exampleHosts.slice(0, 6).map(md).join(', ');
  return g.count > 6 ? `${shown}, … (${num(g.count)} in all)` : shown;
}
