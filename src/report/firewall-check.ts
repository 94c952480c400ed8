/**
 * The firewall check's report in every format. JSON is the contract
 * (schema/firewall-check.schema.json); text, Markdown, CSV and HTML draw the same sections from
 * one table model: the summary, expected flows the ruleset would block, unexpected flows it
 * accepts, undetermined flows, every rule with its hits, and the chains with their policies.
 */
import { createHash } from 'node:crypto';
import { fmtRange, fmtTime, isoTime } from '../audit/format.js';
import type { FirewallCheckResult, FirewallFlowItem } from '../firewall/check-types.js';
import { clean, flowText, num } from './common.js';
import { csvCell } from './csv.js';
import { esc, pageHead } from './html.js';
import { md } from './md.js';
import type { ReportFormat } from './index.js';

type Cell = string | number | boolean | null;

interface Table {
  id: string;
  title: string;
  /** Shown under the title. */
  note: string;
  columns: string[];
  rows: Cell[][];
  /** Printed instead of an empty table. */
  empty: string;
}

function flowRows(items: readonly FirewallFlowItem[]): Cell[][] {
  return items.map((f) => [
    flowText(f), f.verdictText, f.category, f.catalogRule ?? '-', f.required === null ? '-' : f.required ? 'yes' : 'no',
    f.path, fmtTime(f.start), `${f.capture} #${f.flowId}`,
  ]);
}

const FLOW_COLUMNS = ['flow', 'verdict', 'catalog', 'catalog rule', 'required', 'path', 'start (UTC)', 'capture #flow'];

function tables(r: FirewallCheckResult): Table[] {
  const s = r.summary;
  const catalogNote = s.classification === 'none' ? ' No classification is stored: run with --site to compare with the catalog.' : '';
  return [
    {
      id: 'blocked', title: `Would break the product: expected flows the ruleset blocks (${num(r.blocked.length)})`,
      note: 'Flows a catalog rule allows that the ruleset would drop or reject.' + catalogNote,
      columns: FLOW_COLUMNS, rows: flowRows(r.blocked), empty: 'none',
    },
    {
      id: 'too-broad', title: `Too broad: unexpected flows the ruleset accepts (${num(r.tooBroad.length)})`,
      note: 'Flows no catalog rule allows that the ruleset would let through.' + catalogNote,
      columns: FLOW_COLUMNS, rows: flowRows(r.tooBroad), empty: 'none',
    },
    {
      id: 'undetermined', title: `Undetermined flows (${num(r.undetermined.length)})`,
      note: 'Flows that reached a rule this check cannot evaluate (an interface name, an unknown expression): their verdict is not guessed.',
      columns: FLOW_COLUMNS, rows: flowRows(r.undetermined), empty: 'none',
    },
    {
      id: 'rules', title: `Rules (${num(r.rules.length)}, ${num(r.unusedRules.length)} unused)`,
      note: `Hits over ${s.window ? fmtRange(s.window.start, s.window.end) : 'no flows'}; a rule no flow matched or reached undetermined is unused.`,
      columns: ['rule', 'rule text', 'hits', 'undetermined', 'verdicts', 'first seen', 'last seen', 'unused', 'where'],
      rows: r.rules.map((x) => [
        x.id, x.text, x.hits, x.undetermined, x.verdicts, x.firstSeen === null ? '-' : fmtTime(x.firstSeen),
        x.lastSeen === null ? '-' : fmtTime(x.lastSeen), x.unused ? 'UNUSED' : '', x.where,
      ]),
      empty: 'the ruleset has no rules',
    },
    {
      id: 'chains', title: `Chains (${num(r.chains.length)})`,
      note: 'Base chains of type filter, with the flows their policy decided, and user chains.',
      columns: ['chain', 'hook', 'priority', 'policy', 'rules', 'policy verdicts'],
      rows: r.chains.map((c) => [c.id, c.hook ?? '(user chain)', c.priority, c.policy ?? '-', c.rules, c.hook ? c.policyVerdicts : '-']),
      empty: 'no chains',
    },
  ];
}

function summaryPairs(r: FirewallCheckResult): [string, string][] {
  const s = r.summary;
  const f = s.flows;
  return [
    ['verdict', s.verdict],
    ['ruleset', `${s.ruleset.file} (${s.ruleset.type}, IPv${s.ruleset.families.join('/IPv')}, ${num(s.ruleset.chains)} chains, ${num(s.ruleset.rules)} rules)`],
    ...(s.ruleset.ignored.length ? [['not evaluated', s.ruleset.ignored.join('; ')] as [string, string]] : []),
    ['classification', s.classification === 'site' ? `audit with ${s.siteFile}${s.strict ? ' (strict)' : ''}` : s.classification === 'stored' ? 'as stored in the database' : 'none stored'],
    ['firewall addresses', s.local.length ? s.local.join(', ') : 'none given: every flow is evaluated as forwarded'],
    ['window', s.window ? fmtRange(s.window.start, s.window.end) : 'no flows'],
    ['flows', `${num(f.evaluated)} evaluated as their first packet (ct state new): ${num(f.accept)} accept, ${num(f.drop)} drop, ${num(f.reject)} reject, ${num(f.undetermined)} undetermined`],
    ['catalog', `${num(f.expected)} expected, ${num(f.unexpected)} unexpected, ${num(f.ignored)} ignored, ${num(f.outOfScope)} out of scope, ${num(f.unclassified)} unclassified`],
  ];
}

// ---------------------------------------------------------------------------------------------

function renderText(r: FirewallCheckResult): string {
  const out: string[] = ['flowaudit firewall check', ''];
  const pairs = summaryPairs(r);
  const w = Math.max(...pairs.map(([k]) => k.length));
  for (const [k, v] of pairs) out.push(`${k.padEnd(w)}  ${clean(v)}`);
  for (const t of tables(r)) {
    out.push('', t.title, t.note);
    if (!t.rows.length) {
      out.push(`  ${t.empty}`);
      continue;
    }
    const cells = [t.columns, ...t.rows.map((row) => row.map((c) => clean(c ?? '-')))];
    const widths = t.columns.map((_, i) => Math.min(60, Math.max(...cells.map((row) => String(row[i]).length))));
    for (const row of cells) out.push('  ' + row.map((c, i) => String(c).padEnd(widths[i]!)).join('  ').trimEnd());
  }
  return out.join('\n') + '\n';
}

function renderMd(r: FirewallCheckResult): string {
  const out: string[] = ['# flowaudit firewall check', ''];
  for (const [k, v] of summaryPairs(r)) out.push(`- **${md(k)}**: ${md(v)}`);
  for (const t of tables(r)) {
    out.push('', `## ${md(t.title)}`, '', md(t.note), '');
    if (!t.rows.length) {
      out.push(`_${md(t.empty)}_`);
      continue;
    }
    out.push(`| ${t.columns.map(md).join(' | ')} |`, `| ${t.columns.map(() => '---').join(' | ')} |`);
    for (const row of t.rows) out.push(`| ${row.map((c) => md(c ?? '-')).join(' | ')} |`);
  }
  return out.join('\n') + '\n';
}

const CSV_COLUMNS = [
  'section', 'id', 'proto', 'src', 'sport', 'dst', 'dport', 'path', 'verdict', 'firewall_rule', 'chain', 'category',
  'catalog_rule', 'required', 'start', 'end', 'capture', 'flow_id', 'text', 'hits', 'undetermined', 'verdicts',
  'first_seen', 'last_seen', 'unused', 'where', 'reason',
] as const;

function renderCsv(r: FirewallCheckResult): string {
  const lines = [CSV_COLUMNS.join(',')];
  const row = (o: Partial<Record<(typeof CSV_COLUMNS)[number], Cell>>) => lines.push(CSV_COLUMNS.map((c) => csvCell(o[c] ?? null)).join(','));
  for (const [section, items] of [['blocked', r.blocked], ['too-broad', r.tooBroad], ['undetermined', r.undetermined]] as const) {
    for (const f of items) {
      row({
        section, id: f.flowId, proto: f.proto, src: f.src, sport: f.sport, dst: f.dst, dport: f.dport, path: f.path, verdict: f.verdict,
        firewall_rule: f.firewallRule, chain: f.chain, category: f.category, catalog_rule: f.catalogRule, required: f.required,
        start: isoTime(f.start), end: isoTime(f.end), capture: f.capture, flow_id: f.flowId, reason: f.reason,
      });
    }
  }
  for (const x of r.rules) {
    row({
      section: 'rule', id: x.id, chain: `${x.table} ${x.chain}`, text: x.text, hits: x.hits, undetermined: x.undetermined, verdicts: x.verdicts,
      first_seen: x.firstSeen === null ? null : isoTime(x.firstSeen), last_seen: x.lastSeen === null ? null : isoTime(x.lastSeen),
      unused: x.unused, where: x.where,
    });
  }
  return lines.join('\n') + '\n';
}

const CSS = `body{margin:0 auto;max-width:1240px;padding:0 24px 48px;font:14px/1.45 system-ui,sans-serif;color:#1c2430;background:#f6f7f9}
h1{font-size:22px}h2{font-size:17px;margin:24px 0 4px}p.note{color:#5b6675;margin:0 0 8px}
section{background:#fff;border:1px solid #dde2e8;border-radius:10px;padding:14px 18px;margin:0 0 16px}
table{border-collapse:collapse;width:100%;font-size:13px}th,td{text-align:left;padding:5px 8px;border-bottom:1px solid #dde2e8;vertical-align:top}
thead th{background:#f1f3f6}table.kv th{width:22%;font-weight:500;color:#5b6675;background:none}
.verdict{font-weight:600}.bad{color:#b42318}.ok{color:#17803d}`;

function renderHtml(r: FirewallCheckResult): string {
  const bad = r.blocked.length + r.tooBroad.length + r.undetermined.length > 0;
  const csp = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(CSS, 'utf8').digest('base64')}'; base-uri 'none'; form-action 'none'`;
  const section = (t: Table) => `<section id="${esc(t.id)}"><h2>${esc(t.title)}</h2><p class="note">${esc(t.note)}</p>${t.rows.length
    ? `<table><thead><tr>${t.columns.map((c) => `<th>${esc(c)}</th>`).join('')}</tr></thead><tbody>${t.rows
      .map((row) => `<tr>${row.map((c) => `<td>${esc(c ?? '-')}</td>`).join('')}</tr>`).join('\n')}</tbody></table>`
    : `<p>${esc(t.empty)}</p>`}</section>`;
  return `${pageHead('flowaudit firewall check', CSS, csp)}
<body>
<h1>flowaudit firewall check</h1>
<section id="summary"><p class="verdict ${bad ? 'bad' : 'ok'}">${esc(r.summary.verdict)}</p><table class="kv">${summaryPairs(r)
    .map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join('')}</table></section>
${tables(r).map(section).join('\n')}
</body>
</html>
`;
}

export function renderFirewallCheck(r: FirewallCheckResult, format: ReportFormat): string {
  switch (format) {
    case 'json': return JSON.stringify(r, null, 2) + '\n';
    case 'text': return renderText(r);
    case 'md': return renderMd(r);
    case 'csv': return renderCsv(r);
    case 'html': return renderHtml(r);
  }
}
