/**
 * Terminal report: aligned tables, one line per finding group with indented detail lines
 * (reason, examples, exclusion, evidence). Colour only when asked (`color`, which the CLI
 * sets from isTTY) so piped output and files stay free of escape codes.
 */
import type { AuditResult, FindingGroup } from '../audit/types.js';
import { fmtTime } from '../audit/format.js';
import { coverageText } from '../audit/coverage.js';
import {
  UNEXPECTED_KIND_TEXT, WAN_STATUS_TEXT, WINDOW_KIND_TEXT, WINDOW_ONLY_ABOUT, clean, exampleText, hostsText,
  labelTitle, limitGroups, moreGroupsText, num, seenText, silentHostsTitle, windowOnlySection,
} from './common.js';
import { unusedRulesText } from './sections/unused-rules.js';
import { approvalsLines } from './sections/approvals.js';
import { sensorsDetail, sensorsLines } from './sections/sensors.js';

export interface TextOptions {
  /** ANSI colour (the CLI passes process.stdout.isTTY). */
  color?: boolean;
  /** Wrap detail lines at this width (default 110). */
  width?: number;
  /** Groups printed per section before a "N more" line (default 200). */
  maxGroups?: number;
}

type Paint = (s: string) => string;

function painter(color: boolean) {
  const wrap = (code: string): Paint => (s) => (color ? `\u001b[${code}m${s}\u001b[0m` : s);
  return { bold: wrap('1'), red: wrap('31'), green: wrap('32'), yellow: wrap('33'), dim: wrap('2'), cyan: wrap('36') };
}

/** Word-wrap one detail line, continuation lines indented under the text. */
function wrap(text: string, width: number, indent: string, label: string): string[] {
  const first = `${indent}${label}`;
  const room = Math.max(30, width - first.length);
  const words = text.split(' ');
  const lines: string[] = [];
  let cur = '';
  for (const w of words) {
    if (cur && cur.length + 1 + w.length > room) {
      lines.push(cur);
      cur = w;
    } else {
      cur = cur ? `${cur} ${w}` : w;
    }
  }
  if (cur) lines.push(cur);
  const pad = ' '.repeat(first.length);
  return lines.map((l, i) => (i === 0 ? first : pad) + l);
}

interface Row {
  cells: string[];
  /** Styling applied after padding (so colour codes do not break alignment). */
  paint?: (Paint | undefined)[];
  details?: { label: string; text: string }[];
}

function table(headers: string[], rows: Row[], p: ReturnType<typeof painter>, width: number): string[] {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r.cells[i] ?? '').length)));
  const line = (cells: string[], paints?: (Paint | undefined)[]) =>
    '  ' + cells.map((c, i) => {
      const padded = i === cells.length - 1 ? c : c.padEnd(widths[i]!);
      const f = paints?.[i];
      return f ? f(padded) : padded;
    }).join('  ').trimEnd();
  const out = [p.bold(line(headers))];
  for (const r of rows) {
    out.push(line(r.cells, r.paint));
    for (const d of r.details ?? []) out.push(...wrap(d.text, width, '      ', `${d.label}: `).map((l) => p.dim(l)));
  }
  return out;
}

function section(title: string, p: ReturnType<typeof painter>, tone: Paint): string[] {
  return ['', tone(p.bold(title)), tone('─'.repeat(Math.min(title.length, 80)))];
}

export function renderText(r: AuditResult, opts: TextOptions = {}): string {
  const p = painter(opts.color === true);
  const width = opts.width ?? 110;
  const s = r.summary;
  const t = r.roleTitles;
  const out: string[] = [];
  const moreLine = (section: keyof AuditResult['groups']) => {
    const { hidden } = limitGroups(r.groups[section], opts.maxGroups);
    if (hidden > 0) out.push(p.dim(`  ${moreGroupsText(hidden)}`));
  };

  out.push(p.bold('flowaudit report'));
  out.push(`Verdict: ${(s.clean ? p.green : p.red)(p.bold(clean(s.verdict)))}`);
  out.push(`Window:  ${s.window ? clean(s.window.text) : 'no traffic'}`);
  out.push(`Flows:   ${num(s.flows.analysed)} analysed · ${num(s.flows.inScope)} in scope · ${num(s.flows.expected)} expected · ` +
    `${num(s.flows.unexpected)} unexpected · ${num(s.flows.ignored)} ignored · ${num(s.flows.outOfScope)} out of scope` +
    (s.flows.unclassified ? ` · ${num(s.flows.unclassified)} unclassified` : ''));
  out.push(`Packets: ${clean(coverageText(s.decode))}`);
  out.push(`Catalog: ${clean(s.catalogs.join(', ') || '(none)')} (${num(s.rulesChecked)} rules, sha256 ${clean(s.catalogHash.slice(0, 12))})`);
  out.push(`Site:    ${clean(s.siteFile)} (sha256 ${clean(s.siteHash.slice(0, 12))})`);
  out.push(`Report:  ${clean(s.generatedAt)}`);
  if (s.lossNote) out.push(...wrap(clean(s.lossNote), width, '', 'Loss:    ').map((l) => p.yellow(l)));
  if (s.decodeNote) out.push(...wrap(clean(s.decodeNote), width, '', 'Decode:  ').map((l) => p.yellow(l)));

  out.push(...section(`Captures (${s.captures.length})`, p, (x) => x));
  if (s.captures.length === 0) out.push('  (none recorded)');
  else {
    out.push(...table(
      ['#', 'Source', 'Format', 'Window', 'Packets', 'Drops', 'Status', 'Tap'],
      s.captures.map((c) => ({
        cells: [String(c.id), clean(c.source), clean(c.format), clean(c.window), num(c.packets),
          c.drops === null && c.ifDrops === null ? '-' : num((c.drops ?? 0) + (c.ifDrops ?? 0)),
          c.status, c.tapSide ?? 'unknown'],
        paint: [undefined, undefined, undefined, undefined, undefined,
          (c.drops ?? 0) + (c.ifDrops ?? 0) > 0 ? p.yellow : undefined, c.status === 'partial' ? p.yellow : undefined],
        details: [
          ...(c.error ? [{ label: 'error', text: clean(c.error) }] : []),
          ...(c.decode.decoded < c.decode.packets ? [{ label: 'decode', text: clean(coverageText(c.decode)) }] : []),
        ],
      })),
      p, width,
    ));
  }

  // Unexpected traffic
  const c = s.counts;
  out.push(...section(`Unexpected traffic — ${num(c.unexpected)} flow${c.unexpected === 1 ? '' : 's'} in ${num(c.unexpectedGroups)} group${c.unexpectedGroups === 1 ? '' : 's'}`, p, c.unexpected ? p.red : p.green));
  if (r.groups.unexpected.length === 0) out.push('  none');
  else out.push(...table(
    ['Group', 'Kind', 'Flows', 'Service', 'From → To', 'Hosts', 'Seen'],
    limitGroups(r.groups.unexpected, opts.maxGroups).shown.map((g) => ({
      cells: [g.id, UNEXPECTED_KIND_TEXT[g.kind] ?? g.kind, num(g.count), clean(g.service),
        `${clean(labelTitle(g.srcLabel, t))} → ${clean(labelTitle(g.dstLabel, t))}`, hostsText(g), seenText(g)],
      paint: [p.bold, g.kind === 'no-rule' || g.kind === 'port-scan' ? p.red : p.yellow],
      details: [
        { label: 'why', text: clean(g.reason) },
        ...sensorsDetail(g, clean),
        ...(g.kind === 'port-scan' ? [{ label: 'ports', text: clean(g.ports) }] : []),
        { label: 'e.g.', text: g.examples.map((e) => clean(exampleText(e))).join(', ') },
      ],
    })),
    p, width,
  ));

  moreLine('unexpected');

  // Missing expected flows, then the declared hosts nobody reached
  out.push(...section(`Missing expected flows — ${num(c.missing)} destination${c.missing === 1 ? '' : 's'} in ${num(c.missingGroups)} rule${c.missingGroups === 1 ? '' : 's'}` +
    silentHostsTitle(c), p, c.missing || c.silentHosts ? p.yellow : p.green));
  if (r.groups.missing.length === 0 && r.silentHosts.length === 0) out.push('  none');
  else if (r.groups.missing.length > 0) out.push(...table(
    ['Group', 'Rule', 'Service', 'From → To', 'Not reached'],
    limitGroups(r.groups.missing, opts.maxGroups).shown.map((g) => ({
      cells: [g.id, clean(g.rule), clean(g.service), `${clean(labelTitle(g.srcLabel, t))} → ${clean(labelTitle(g.dstLabel, t))}`,
        clean(missingHosts(g))],
      paint: [p.bold],
      details: [{ label: 'why', text: clean(g.reason) }],
    })),
    p, width,
  ));

  moreLine('missing');
  if (r.silentHosts.length > 0) {
    out.push('', p.bold('  Declared hosts nobody reached (the site file gives them a role; no flow reached them on its rules):'));
    out.push(...table(
      ['Host', 'Role', 'Rules', 'Status'],
      r.silentHosts.map((h) => ({
        cells: [clean(h.host), clean(labelTitle(h.roles.join('+'), t)), num(h.rules.length),
          h.status === 'missing' ? 'missing' : 'optional (informational)'],
        paint: [p.bold, undefined, undefined, h.status === 'missing' ? p.yellow : p.cyan],
        details: [{ label: 'why', text: clean(h.reason) }, { label: 'rules', text: clean(rulesText(h.rules)) }],
      })),
      p, width,
    ));
  }

  // WAN cache
  out.push(...section(
    `WAN cache — ${num(c.wanCacheViolations)} violation${c.wanCacheViolations === 1 ? '' : 's'}, ` +
    `${num(c.wanCacheMustNotCache)} must-not-cache, ${num(c.wanCacheCacheable)} cacheable`,
    p, c.wanCacheViolations ? p.red : c.wanCacheMustNotCache ? p.yellow : p.green,
  ));
  if (r.groups.wanCache.length === 0) out.push('  none');
  else {
    out.push(...table(
      ['Group', 'Status', 'Flows', 'Rule', 'Service', 'Sites', 'Server', 'Seen'],
      limitGroups(r.groups.wanCache, opts.maxGroups).shown.map((g) => ({
        cells: [g.id, WAN_STATUS_TEXT[g.kind] ?? g.kind, num(g.count), clean(g.rule), clean(g.service),
          `${clean(g.srcLabel.replace(/^site:/, ''))} → ${clean(g.dstLabel.replace(/^site:/, ''))}`,
          clean(g.exampleHosts[0] ?? ''), seenText(g)],
        paint: [p.bold, g.kind === 'violation' ? p.red : g.kind === 'must-not-cache' ? p.yellow : p.green],
        details: [
          { label: 'why', text: clean(g.reason) },
          ...sensorsDetail(g, clean),
          ...(g.exclusion ? [{ label: 'exclude', text: clean(g.exclusion) }] : []),
          ...g.evidence.map((e) => ({ label: 'evidence', text: clean(e) })),
        ],
      })),
      p, width,
    ));
    moreLine('wanCache');
    const ex = r.wanAdvice.exclusions;
    if (ex.length > 0) {
      out.push('', p.bold('  Exclusions to configure on the WAN optimizers (pass-through by server and port):'));
      out.push(...table(
        ['Server', 'Proto', 'Port', 'Sites', 'Rule', 'Flows'],
        ex.map((e) => ({ cells: [clean(e.server), e.proto, String(e.port), clean(e.sites.join(', ')), clean(e.rule), num(e.flows)] })),
        p, width,
      ));
    }
    const notes = r.wanAdvice.tapNotes;
    for (const n of notes) out.push(...wrap(clean(n), width, '  ', 'note: ').map((l) => p.dim(l)));
  }

  out.push(...windowOnlyLines(r, p, width, opts.maxGroups));
  out.push(...unusedRulesText(r, p.bold));
  out.push(...approvalsLines(r, (t, about) => [...section(t, p, p.cyan), ...wrap(about, width, '  ', '').map((l) => p.dim(l))], (h, rows) => table(h, rows.map((cells) => ({ cells: cells.map(clean) })), p, width)));
  out.push(...sensorsLines(r, (t, about) => [...section(t, p, p.cyan), ...wrap(about, width, '  ', '').map((l) => p.dim(l))], (h, rows) => table(h, rows.map((cells) => ({ cells: cells.map(clean) })), p, width), (g) => `  ${clean(g)}`));

  if (r.informational.length > 0) {
    out.push(...section(`Informational — ${num(r.informational.length)} unused expectation${r.informational.length === 1 ? '' : 's'} (not counted as missing)`, p, p.cyan));
    out.push(...table(
      ['Via', 'Client', 'Server', 'Proto', 'Ports', 'When'],
      r.informational.map((i) => ({
        cells: [i.via, clean(i.client ?? 'any'), clean(i.server), i.proto, clean(i.ports), fmtTime(i.ts)],
        details: [{ label: 'why', text: clean(i.reason) }],
      })),
      p, width,
    ));
  }

  return out.join('\n') + '\n';
}

/** A silent host's rules: the first ten ids, then how many in all. */
function rulesText(rules: readonly string[]): string {
  return rules.slice(0, 10).join(', ') + (rules.length > 10 ? `, … (${num(rules.length)} in all)` : '');
}

/** The section of flows only a time window allows (shown when there are some, or in a strict review). */
function windowOnlyLines(r: AuditResult, p: ReturnType<typeof painter>, width: number, maxGroups: number | undefined): string[] {
  const w = windowOnlySection(r);
  if (!w.show) return [];
  const out = section(w.title, p, r.summary.counts.windowOnlyDoubtful ? p.yellow : p.cyan);
  out.push(...wrap(WINDOW_ONLY_ABOUT, width, '  ', '').map((l) => p.dim(l)));
  if (w.strictNote) out.push(...wrap(w.strictNote, width, '  ', ''));
  if (r.groups.windowOnly.length === 0) {
    out.push('  none');
    return out;
  }
  const { shown, hidden } = limitGroups(r.groups.windowOnly, maxGroups);
  out.push(...table(
    ['Group', 'Kind', 'Flows', 'Rule', 'Service', 'From → To', 'Hosts', 'Seen'],
    shown.map((g) => ({
      cells: [g.id, WINDOW_KIND_TEXT[g.kind] ?? g.kind, num(g.count), clean(g.rule), clean(g.service),
        `${clean(labelTitle(g.srcLabel, r.roleTitles))} → ${clean(labelTitle(g.dstLabel, r.roleTitles))}`, hostsText(g), seenText(g)],
      paint: [p.bold, g.kind === 'doubtful' ? p.yellow : undefined],
      details: [
        { label: 'why', text: clean(g.reason) },
        ...sensorsDetail(g, clean),
        ...(g.ports.includes(',') || g.ports.includes('-') ? [{ label: 'ports', text: clean(g.ports) }] : []),
        ...g.evidence.map((e) => ({ label: 'control', text: clean(e) })),
        { label: 'e.g.', text: g.examples.map((e) => clean(exampleText(e))).join(', ') },
      ],
    })),
    p, width,
  ));
  if (hidden > 0) out.push(p.dim(`  ${moreGroupsText(hidden)}`));
  return out;
}

/** Destinations of a missing group: the hosts, or "N destinations: a, b, c, …". */
function missingHosts(g: FindingGroup): string {
  const shown = g.exampleHosts.slice(0, 4).join(', ');
  const more = g.count > 4 ? `, … (${g.count} in all)` : '';
  return shown + more;
}
