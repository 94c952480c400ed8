/**
 * HTML report: ONE self-contained file (inline CSS, inline JS, inline SVG; no fonts, images
 * or scripts fetched from anywhere) that a reviewer can open offline, mail, or print to PDF.
 *
 * Contents: capture and site summary with the verdict; the three finding tables (grouped,
 * sortable by clicking a header); exclusions for the WAN-optimizer admin; a role-to-role
 * matrix of observed traffic coloured expected/unexpected; a timeline of flow starts; and the
 * catalog rules that were checked, with their source citations.
 *
 * Safety: every string that came from packets, the site file or the catalog goes through
 * `esc` (text and attribute context alike). As a second line of defence the page carries a
 * Content-Security-Policy that forbids every fetch and only allows the one inline script,
 * pinned by its sha256, so even a missed escape could not run injected script.
 */
import { createHash } from 'node:crypto';
import type { AuditResult, FindingGroup, MatrixCell, Timeline } from '../audit/types.js';
import { fmtTime, isoTime, printableTime } from '../audit/format.js';
import { roleTitle } from '../catalog/role-title.js';
import {
  UNEXPECTED_KIND_TEXT, WAN_STATUS_TEXT, WINDOW_KIND_TEXT, WINDOW_ONLY_ABOUT, clean, exampleText, hostsText,
  labelTitle, limitGroups, moreGroupsText, num, silentHostsTitle, windowOnlySection,
} from './common.js';
import { unusedRulesHtml } from './sections/unused-rules.js';
import { approvalsHtml } from './sections/approvals.js';
import { seenBySuffix, sensorsHtml } from './sections/sensors.js';

export interface HtmlOptions {
  /** Page title (default "flowaudit report"). */
  title?: string;
  /** Groups shown per finding table before a "N more" note (default 200). */
  maxGroups?: number;
  /** The "Changes since" section (report/diff/html.ts, for `--baseline`), shown after the summary. */
  changesHtml?: string;
}

/** Escape for HTML text and quoted attribute values. */
/**
 * The head of a self-contained page (the report, the diff, the firewall check): its content
 * security policy (`csp`: nothing is fetched), no referrer, the title (escaped here) and the
 * style sheet inline.
 */
export function pageHead(title: string, css: string, csp: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="referrer" content="no-referrer">
<title>${esc(title)}</title>
<style>${css}</style>
</head>`;
}

export function esc(value: unknown): string {
  return clean(value)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const CSS = `
:root{--ink:#1c2430;--muted:#5b6675;--line:#dde2e8;--bg:#f6f7f9;--card:#fff;--accent:#1d4ed8;
--bad:#b42318;--bad-bg:#fde8e6;--warn:#a15c07;--warn-bg:#fdf1dc;--ok:#17803d;--ok-bg:#e3f4e8;--info:#475467;--info-bg:#eef1f5}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
.wrap{max-width:1240px;margin:0 auto;padding:0 24px 48px}
header.top{background:#17202c;color:#fff;padding:22px 0 18px;margin-bottom:20px}
header.top .wrap{padding-bottom:0}
.brand{font-size:12px;letter-spacing:.14em;text-transform:uppercase;color:#9fb0c5}
h1{margin:4px 0 10px;font-size:24px;font-weight:650}
.verdict{display:inline-block;padding:6px 12px;border-radius:6px;font-weight:600;font-size:15px}
.verdict.bad{background:var(--bad);color:#fff}.verdict.ok{background:var(--ok);color:#fff}
.sub{color:#c8d3e0;margin-top:8px;font-size:13px}
nav.toc{display:flex;flex-wrap:wrap;gap:6px 14px;margin:0 0 18px;font-size:13px}
nav.toc a{color:var(--accent);text-decoration:none}nav.toc a:hover{text-decoration:underline}
section{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:18px 20px;margin:0 0 18px}
h2{font-size:18px;margin:0 0 12px;display:flex;align-items:baseline;gap:10px;flex-wrap:wrap}
h2 .count{font-size:13px;font-weight:500;color:var(--muted)}
h3{font-size:14px;margin:18px 0 8px;color:#344054}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:10px;margin-bottom:16px}
.card{border:1px solid var(--line);border-radius:8px;padding:10px 12px;border-left-width:4px}
.card .v{font-size:24px;font-weight:650;font-variant-numeric:tabular-nums}
.card .l{font-size:12px;color:var(--muted)}
.card.bad{border-left-color:var(--bad)}.card.bad .v{color:var(--bad)}
.card.warn{border-left-color:var(--warn)}.card.warn .v{color:var(--warn)}
.card.ok{border-left-color:var(--ok)}.card.ok .v{color:var(--ok)}
.card.info{border-left-color:#98a2b3}
.grid2{display:grid;grid-template-columns:1fr 1fr;gap:16px}
@media (max-width:800px){.grid2{grid-template-columns:1fr}}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{text-align:left;padding:6px 8px;border-bottom:1px solid var(--line);vertical-align:top}
thead th{background:#f1f3f6;font-weight:600;color:#344054;white-space:nowrap;border-bottom:1px solid #c9d0d9}
th.sortable{cursor:pointer;user-select:none}
th.sortable::after{content:" ↕";color:#98a2b3;font-size:11px}
th[aria-sort=ascending]::after{content:" ▲";color:var(--accent)}
th[aria-sort=descending]::after{content:" ▼";color:var(--accent)}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
table.kv td.mono{word-break:break-all}
table.kv th{width:34%;background:none;font-weight:500;color:var(--muted);white-space:normal;border-bottom:1px solid var(--line)}
.scroll{overflow-x:auto}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px}
.why{max-width:460px}
.ex{color:var(--muted);font-size:12px;margin-top:3px}
.badge{display:inline-block;padding:1px 7px;border-radius:10px;font-size:11.5px;font-weight:600;white-space:nowrap}
.badge.bad{background:var(--bad-bg);color:var(--bad)}.badge.warn{background:var(--warn-bg);color:var(--warn)}
.badge.ok{background:var(--ok-bg);color:var(--ok)}.badge.info{background:var(--info-bg);color:var(--info)}
.none{color:var(--ok);font-weight:500}
.note{background:var(--warn-bg);border-left:4px solid var(--warn);padding:8px 12px;border-radius:4px;margin:10px 0;font-size:13px}
.note.info{background:var(--info-bg);border-left-color:#98a2b3}
.matrix td,.matrix th{text-align:center;white-space:nowrap}
.matrix th.row{text-align:right;background:#f1f3f6}
.matrix td.e{background:var(--ok-bg);color:var(--ok)}.matrix td.u{background:var(--bad-bg);color:var(--bad);font-weight:600}
.matrix td.m{background:var(--warn-bg);color:var(--warn);font-weight:600}.matrix td.i{background:var(--info-bg);color:var(--info)}
.matrix td.z{color:#c0c6cf}
.legend{display:flex;gap:14px;flex-wrap:wrap;font-size:12px;color:var(--muted);margin-top:8px}
.legend i{display:inline-block;width:11px;height:11px;border-radius:2px;margin-right:5px;vertical-align:-1px}
.chart{width:100%;height:auto;display:block}
.chart text{font-size:11px;fill:#5b6675;font-family:system-ui,sans-serif}
details summary{cursor:pointer;color:var(--accent);margin-bottom:8px}
footer{color:var(--muted);font-size:12px;text-align:center;margin-top:24px}
button.print{float:right;background:none;border:1px solid #5d6b7d;color:#dbe3ec;border-radius:6px;padding:5px 10px;cursor:pointer;font:inherit;font-size:12px}
@media print{
  @page{size:A4 landscape;margin:12mm}
  body{background:#fff;font-size:10.5px}
  header.top{background:#fff;color:var(--ink);padding:0 0 8px;border-bottom:2px solid var(--ink)}
  .brand{color:var(--muted)}.sub{color:var(--muted)}
  nav.toc,button.print,details>summary{display:none}
  .wrap{max-width:none;padding:0}
  section{border:none;border-radius:0;padding:0;margin:0 0 14px;break-inside:auto}
  h2{break-after:avoid}
  table{font-size:9.5px}
  thead{display:table-header-group}
  tr{break-inside:avoid}
  th.sortable::after{content:""}
  .scroll{overflow:visible}
  .why{max-width:none}
  *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
}
`;

/**
 * Click-to-sort for tables marked `sortable`: numbers sort numerically (data-v holds the raw
 * value where the shown text is formatted), everything else with a natural string compare.
 */
const SCRIPT = `
(function(){
  function key(td, num){
    var v = td.getAttribute('data-v');
    if (v === null) v = td.textContent.trim();
    if (num) { var n = parseFloat(v); return isNaN(n) ? -Infinity : n; }
    return v.toLowerCase();
  }
  document.querySelectorAll('table.sortable').forEach(function(table){
    var heads = table.querySelectorAll('thead th');
    heads.forEach(function(th, col){
      th.classList.add('sortable');
      th.setAttribute('tabindex', '0');
      function sort(){
        var num = th.classList.contains('num');
        var asc = th.getAttribute('aria-sort') !== 'ascending';
        heads.forEach(function(h){ h.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function(a, b){
          var x = key(a.cells[col], num), y = key(b.cells[col], num);
          var c = num ? x - y : String(x).localeCompare(String(y), undefined, {numeric: true});
          return asc ? c : -c;
        });
        rows.forEach(function(r){ body.appendChild(r); });
      }
      th.addEventListener('click', sort);
      th.addEventListener('keydown', function(e){ if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); sort(); } });
    });
  });
  var p = document.getElementById('print');
  if (p) p.addEventListener('click', function(){ window.print(); });
  document.documentElement.setAttribute('data-ready', '1');
})();
`;

function plural(n: number, word: string): string {
  return `${num(n)} ${word}${n === 1 ? '' : 's'}`;
}

function badge(text: string, tone: 'bad' | 'warn' | 'ok' | 'info'): string {
  return `<span class="badge ${tone}">${esc(text)}</span>`;
}

/** A sortable table: headers with optional "num" class, rows of ready-made <td> HTML. */
function sortable(headers: { label: string; num?: boolean }[], rows: string[][], cls = ''): string {
  const head = headers.map((h) => `<th${h.num ? ' class="num"' : ''} scope="col">${esc(h.label)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.join('')}</tr>`).join('\n');
  return `<div class="scroll"><table class="sortable ${cls}"><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></div>`;
}

/**
 * The groups beyond the first `maxGroups` of a section: every one, one compact row each, in a
 * closed <details> (the browser lays it out only when opened, so a report of ten thousand groups
 * opens as fast as one of two hundred). Sortable like the others.
 */
function moreGroupsHtml(rest: readonly FindingGroup[], titles: Record<string, string>): string {
  const rows = rest.map((g) => [
    td(esc(g.id), 'mono', g.id), td(esc(g.kind)), numTd(g.count), td(esc(g.service), 'mono'), td(labelPair(g, titles)),
    timeTd(g.firstSeen), td(esc(g.rule ?? '')),
  ]);
  return `<details class="more"><summary>${esc(moreGroupsText(rest.length, true))}: open for all of them, one line each (the JSON and CSV reports list every flow)</summary>
${sortable([{ label: 'Group' }, { label: 'Kind' }, { label: 'Flows', num: true }, { label: 'Service' }, { label: 'From → To' }, { label: 'First seen' }, { label: 'Rule' }], rows, 'compact')}
</details>`;
}

function td(html: string, cls = '', sortValue?: string | number | null): string {
  const c = cls ? ` class="${cls}"` : '';
  const v = sortValue === undefined || sortValue === null ? '' : ` data-v="${esc(sortValue)}"`;
  return `<td${c}${v}>${html}</td>`;
}

function numTd(n: number): string {
  return td(esc(num(n)), 'num', n);
}

function timeTd(ts: number | null): string {
  return td(esc(fmtTime(ts)), 'mono', ts ?? '');
}

function labelPair(g: FindingGroup, titles: Record<string, string>): string {
  return `${esc(labelTitle(g.srcLabel, titles))} → ${esc(labelTitle(g.dstLabel, titles))}`;
}

function summarySection(r: AuditResult): string {
  const s = r.summary;
  const c = s.counts;
  const cards: [string, number, 'bad' | 'warn' | 'ok' | 'info', string][] = [
    ['Unexpected flows', c.unexpected, c.unexpected ? 'bad' : 'ok', plural(c.unexpectedGroups, 'group')],
    ['Missing expected flows', c.missing, c.missing ? 'warn' : 'ok', plural(c.missingGroups, 'rule')],
    ['Declared hosts nobody reached', c.silentHosts, c.silentHosts ? 'warn' : 'ok',
      c.silentHostsOptional ? `and ${num(c.silentHostsOptional)} optional` : 'in the site file'],
    ['WAN-cache violations', c.wanCacheViolations, c.wanCacheViolations ? 'bad' : 'ok', 'optimizer touched a never-cache flow'],
    ['Must-not-cache crossings', c.wanCacheMustNotCache, c.wanCacheMustNotCache ? 'warn' : 'ok', 'need an optimizer exclusion'],
    ['Cacheable crossings', c.wanCacheCacheable, 'info', 'allowed by the catalog'],
    ['Flows analysed', s.flows.analysed, 'info', `${num(s.flows.inScope)} in scope`],
  ];
  // Like its section, the window-only card shows when there is something to show.
  if (c.windowOnly > 0) {
    cards.splice(cards.length - 1, 0, ['Allowed only by a time window', c.windowOnly, c.windowOnlyDoubtful ? 'warn' : 'info',
      c.windowOnlyDoubtful ? `${num(c.windowOnlyDoubtful)} doubtful` : 'weaker evidence']);
  }
  const cardHtml = cards.map(([label, value, tone, sub], i) =>
    `<div class="card ${tone}" id="card-${i}"><div class="v">${esc(num(value))}</div><div class="l">${esc(label)}</div><div class="l">${esc(sub)}</div></div>`).join('');

  const flowRows: [string, string][] = [
    ['Analysed', num(s.flows.analysed)],
    ['In scope (touching a role or site)', num(s.flows.inScope)],
    ['Expected (rule or expectation)', num(s.flows.expected)],
    ['Unexpected', num(s.flows.unexpected)],
    ['Ignored by the site file', num(s.flows.ignored)],
    ['Out of scope', num(s.flows.outOfScope)],
    ...(s.flows.unclassified ? [['Unclassified (no site applied)', num(s.flows.unclassified)] as [string, string]] : []),
  ];
  const siteRows: [string, string][] = [
    ['Window', s.window ? s.window.text : 'no traffic'],
    ['Catalogs', `${s.catalogs.join(', ') || '(none)'} — ${num(s.rulesChecked)} rules`],
    ['Catalog sha256', s.catalogHash],
    ['Site file', s.siteFile],
    ['Site sha256', s.siteHash],
    ['Packets captured', num(s.packets)],
    ['Packets dropped', num(s.drops)],
    ['Packets decoded', `${num(s.decode.decoded)} of ${num(s.decode.packets)}${s.decode.nonIp ? ` (${num(s.decode.nonIp)} not IP)` : ''}`],
    ...(s.decode.notDecoded ? [['Not decoded', Object.entries(s.decode.reasons).map(([k, n]) => `${k} ${num(n)}`).join(', ')] as [string, string]] : []),
  ];
  const kv = (rows: [string, string][], mono: string[] = []) =>
    `<table class="kv"><tbody>${rows.map(([k, v]) => `<tr><th scope="row">${esc(k)}</th><td${mono.includes(k) ? ' class="mono"' : ''}>${esc(v)}</td></tr>`).join('')}</tbody></table>`;

  const caps = s.captures.length === 0
    ? '<p>No capture records.</p>'
    : sortable(
      [{ label: '#', num: true }, { label: 'Source' }, { label: 'Format' }, { label: 'First packet' }, { label: 'Last packet' },
        { label: 'Packets', num: true }, { label: 'Decoded', num: true }, { label: 'Drops', num: true }, { label: 'Status' }, { label: 'Tap side' }],
      s.captures.map((cap) => {
        const drops = (cap.drops ?? 0) + (cap.ifDrops ?? 0);
        return [numTd(cap.id), td(esc(cap.source), 'mono'), td(esc(cap.format)), timeTd(cap.firstTs), timeTd(cap.lastTs),
          numTd(cap.packets), numTd(cap.decode.decoded), cap.drops === null && cap.ifDrops === null ? td('–', 'num', -1) : td(esc(num(drops)), 'num', drops),
          td(cap.status === 'partial' ? badge('partial', 'warn') + (cap.error ? `<div class="ex">${esc(cap.error)}</div>` : '') : badge('complete', 'ok'), '', cap.status),
          td(esc(cap.tapSide ?? 'unknown'))];
      }),
      'captures',
    );
  return `<section id="summary"><h2>Summary</h2>
<div class="cards">${cardHtml}</div>
<div class="grid2"><div><h3>Flows</h3>${kv(flowRows)}</div><div><h3>Site and catalog</h3>${kv(siteRows, ['Catalog sha256', 'Site sha256', 'Site file'])}</div></div>
${s.lossNote ? `<div class="note" id="loss-note"><strong>Packet loss:</strong> ${esc(s.lossNote)}.</div>` : ''}
${s.decodeNote ? `<div class="note" id="decode-note"><strong>Decode coverage:</strong> ${esc(s.decodeNote)}.</div>` : ''}
<h3>Captures</h3>${caps}
</section>`;
}

function unexpectedSection(r: AuditResult, maxGroups?: number): string {
  const c = r.summary.counts;
  const head = `<h2>Unexpected traffic <span class="count">${esc(plural(c.unexpected, 'flow'))} in ${esc(plural(c.unexpectedGroups, 'group'))}</span></h2>`;
  if (r.groups.unexpected.length === 0) return `<section id="unexpected">${head}<p class="none">No unexpected traffic.</p></section>`;
  const { shown, hidden } = limitGroups(r.groups.unexpected, maxGroups);
  const rows = shown.map((g) => [
    td(esc(g.id), 'mono', g.id),
    td(badge(UNEXPECTED_KIND_TEXT[g.kind] ?? g.kind, g.kind === 'role-mismatch' ? 'warn' : 'bad'), '', g.kind),
    numTd(g.count),
    td(esc(g.service) + (g.kind === 'port-scan' ? `<div class="ex">ports ${esc(g.ports)}</div>` : ''), 'mono'),
    td(labelPair(g, r.roleTitles)),
    td(esc(hostsText(g)), 'num', g.srcHosts),
    timeTd(g.firstSeen),
    timeTd(g.lastSeen),
    td(`${esc(g.reason + seenBySuffix(g))}<div class="ex mono">${g.examples.map((e) => esc(exampleText(e))).join('<br>')}</div>`, 'why'),
  ]);
  return `<section id="unexpected">${head}
<p>Flows touching a host with a role or a site subnet that no catalog rule, expectation or ignore entry covers. Repeated findings (same roles, service and port) are grouped; the JSON report lists every flow with its group id.</p>
${sortable([{ label: 'Group' }, { label: 'Kind' }, { label: 'Flows', num: true }, { label: 'Service' }, { label: 'From → To' },
    { label: 'Hosts', num: true }, { label: 'First seen' }, { label: 'Last seen' }, { label: 'Why / examples' }], rows, 'findings')}
${hidden ? moreGroupsHtml(r.groups.unexpected.slice(shown.length), r.roleTitles) : ''}
</section>`;
}

function missingSection(r: AuditResult, maxGroups?: number): string {
  const c = r.summary.counts;
  const head = `<h2>Missing expected flows <span class="count">${esc(plural(c.missing, 'destination'))} in ${esc(plural(c.missingGroups, 'rule'))}${esc(silentHostsTitle(c))}</span></h2>`;
  if (r.groups.missing.length === 0 && r.silentHosts.length === 0) return `<section id="missing">${head}<p class="none">Every required flow was seen.</p></section>`;
  if (r.groups.missing.length === 0) return `<section id="missing">${head}<p class="none">Every required flow was seen.</p>
${silentHostsTable(r)}
</section>`;
  const byRule = new Map(r.rules.map((x) => [x.id, x]));
  const { shown, hidden } = limitGroups(r.groups.missing, maxGroups);
  const rows = shown.map((g) => {
    const rule = byRule.get(g.rule ?? '');
    const hosts = g.exampleHosts.slice(0, 8).map(esc).join(', ') + (g.count > 8 ? `, … (${esc(num(g.count))} in all)` : '');
    return [
      td(esc(g.id), 'mono', g.id),
      td(`<code>${esc(g.rule)}</code>${rule ? `<div class="ex">${esc(rule.title)}</div>` : ''}`),
      td(esc(g.service), 'mono'),
      td(labelPair(g, r.roleTitles)),
      numTd(g.count),
      td(hosts, 'mono'),
      td(esc(g.reason), 'why'),
    ];
  });
  return `<section id="missing">${head}
<p>Required rules (the catalog's, or the site file's <code>require</code>) whose roles both have hosts in the site file, with no answered flow to a destination in the analysed window.</p>
${r.summary.lossNote ? `<div class="note">${esc(r.summary.lossNote)}.</div>` : ''}
${sortable([{ label: 'Group' }, { label: 'Rule' }, { label: 'Service' }, { label: 'From → To' }, { label: 'Destinations', num: true },
    { label: 'Not reached' }, { label: 'Why' }], rows, 'findings')}
${hidden ? moreGroupsHtml(r.groups.missing.slice(shown.length), r.roleTitles) : ''}
${silentHostsTable(r)}
</section>`;
}

/** The declared hosts nobody reached, under the missing paths; empty when there are none. */
function silentHostsTable(r: AuditResult): string {
  if (r.silentHosts.length === 0) return '';
  const rows = r.silentHosts.map((h) => [
    td(esc(h.host), 'mono', h.host),
    td(esc(labelTitle(h.roles.join('+'), r.roleTitles))),
    td(h.rules.map((id) => `<code>${esc(id)}</code>`).join(' '), '', h.rules.length),
    td(h.status === 'missing' ? badge('missing', 'warn') : badge('optional', 'info'), '', h.status),
    td(esc(h.reason), 'why'),
  ]);
  return `<h3>Declared hosts nobody reached</h3>
<p>Hosts the site file gives a role that no flow reached on any rule they answer on. A host whose every rule the site file lists under <code>optional</code> is informational.</p>
${sortable([{ label: 'Host' }, { label: 'Role' }, { label: 'Rules' }, { label: 'Status' }, { label: 'Why' }], rows, 'silent-hosts')}`;
}

function wanSection(r: AuditResult, maxGroups?: number): string {
  const c = r.summary.counts;
  const head = `<h2>WAN cache <span class="count">${esc(plural(c.wanCacheViolations, 'violation'))}, ${esc(num(c.wanCacheMustNotCache))} must not cache, ${esc(num(c.wanCacheCacheable))} cacheable</span></h2>`;
  if (r.groups.wanCache.length === 0) return `<section id="wan">${head}<p class="none">No flow of a WAN-cache-relevant rule crossed between sites.</p></section>`;
  const tone = (k: string) => (k === 'violation' ? 'bad' : k === 'must-not-cache' ? 'warn' : 'ok') as 'bad' | 'warn' | 'ok';
  const { shown, hidden } = limitGroups(r.groups.wanCache, maxGroups);
  const rows = shown.map((g) => [
    td(esc(g.id), 'mono', g.id),
    td(badge(WAN_STATUS_TEXT[g.kind] ?? g.kind, tone(g.kind)), '', { violation: 0, 'must-not-cache': 1, cacheable: 2 }[g.kind] ?? 3),
    numTd(g.count),
    td(`<code>${esc(g.rule)}</code>`),
    td(esc(g.service), 'mono'),
    td(`${esc(g.srcLabel.replace(/^site:/, ''))} → ${esc(g.dstLabel.replace(/^site:/, ''))}`),
    td(esc(g.exampleHosts[0] ?? ''), 'mono'),
    td(esc(g.reason + seenBySuffix(g)) + (g.exclusion ? `<div class="ex"><strong>Exclude:</strong> ${esc(g.exclusion)}</div>` : ''), 'why'),
    td(g.evidence.length ? g.evidence.map(esc).join('<br>') : '<span class="ex">none seen</span>', 'why'),
  ]);
  const ex = r.wanAdvice.exclusions;
  const exTable = ex.length === 0 ? '' : `<h3>Exclusions to configure on the WAN optimizers</h3>
<p>Pass-through (do not optimize) rules by server address and port, on the optimizers of the sites listed.</p>
${sortable([{ label: 'Server' }, { label: 'Proto' }, { label: 'Port', num: true }, { label: 'Sites' }, { label: 'Rule' }, { label: 'Flows', num: true }],
    ex.map((e) => [td(esc(e.server), 'mono'), td(esc(e.proto)), td(esc(String(e.port)), 'num', e.port), td(esc(e.sites.join(', '))), td(`<code>${esc(e.rule)}</code>`), numTd(e.flows)]), 'exclusions')}`;
  const notes = r.wanAdvice.tapNotes
    .map((n) => `<div class="note info">${esc(n)}.</div>`).join('');
  return `<section id="wan">${head}
<p>Flows of rules marked <code>never</code> that cross between two sites must be excluded from WAN optimization; evidence that an optimizer touched one is a violation. Flows of <code>allowed</code> rules that cross sites are listed as cacheable.</p>
${sortable([{ label: 'Group' }, { label: 'Status' }, { label: 'Flows', num: true }, { label: 'Rule' }, { label: 'Service' }, { label: 'Sites' },
    { label: 'Server' }, { label: 'Why / exclusion' }, { label: 'Evidence' }], rows, 'findings')}
${hidden ? moreGroupsHtml(r.groups.wanCache.slice(shown.length), r.roleTitles) : ''}
${notes}
${exTable}
</section>`;
}

/** The section of flows only a time window allows (shown when there are some, or in a strict review). */
function windowOnlyHtml(r: AuditResult, maxGroups?: number): string {
  const w = windowOnlySection(r);
  if (!w.show) return '';
  const head = `<h2>${esc(w.title)}</h2>`;
  const about = `<p>${esc(WINDOW_ONLY_ABOUT)}</p>${w.strictNote ? `<div class="note info">${esc(w.strictNote)}</div>` : ''}`;
  if (r.groups.windowOnly.length === 0) return `<section id="window-only">${head}${about}<p class="none">None.</p></section>`;
  const { shown, hidden } = limitGroups(r.groups.windowOnly, maxGroups);
  const rows = shown.map((g) => [
    td(esc(g.id), 'mono', g.id),
    td(badge(WINDOW_KIND_TEXT[g.kind] ?? g.kind, g.kind === 'doubtful' ? 'warn' : 'info'), '', g.kind),
    numTd(g.count),
    td(`<code>${esc(g.rule)}</code>`),
    td(esc(g.service) + (g.portCount > 1 ? `<div class="ex">ports ${esc(g.ports)}</div>` : ''), 'mono'),
    td(labelPair(g, r.roleTitles)),
    td(esc(hostsText(g)), 'num', g.srcHosts),
    timeTd(g.firstSeen),
    timeTd(g.lastSeen),
    td(`${esc(g.reason + seenBySuffix(g))}<div class="ex">${g.evidence.map(esc).join('<br>')}</div>` +
      `<div class="ex mono">${g.examples.map((e) => esc(exampleText(e))).join('<br>')}</div>`, 'why'),
  ]);
  return `<section id="window-only">${head}
${about}
${sortable([{ label: 'Group' }, { label: 'Kind' }, { label: 'Flows', num: true }, { label: 'Rule' }, { label: 'Service' }, { label: 'From → To' },
    { label: 'Hosts', num: true }, { label: 'First seen' }, { label: 'Last seen' }, { label: 'Why / control flow / examples' }], rows, 'findings')}
${hidden ? moreGroupsHtml(r.groups.windowOnly.slice(shown.length), r.roleTitles) : ''}
</section>`;
}

function informationalSection(r: AuditResult): string {
  if (r.informational.length === 0) return '';
  const rows = r.informational.map((i) => [
    td(esc(i.via)), td(esc(i.client ?? 'any'), 'mono'), td(esc(i.server), 'mono'), td(esc(i.proto)), td(esc(i.ports), 'mono'),
    timeTd(i.ts), td(esc(i.reason), 'why'),
  ]);
  return `<section id="informational"><h2>Informational <span class="count">${esc(plural(r.informational.length, 'unused expectation'))}, not counted as missing</span></h2>
<p>Ports announced by a protocol (endpoint mapper reply, FTP passive reply, ...) that no connection used.</p>
${sortable([{ label: 'Via' }, { label: 'Client' }, { label: 'Server' }, { label: 'Proto' }, { label: 'Ports' }, { label: 'When' }, { label: 'Why' }], rows, 'findings')}
</section>`;
}

function matrixSection(r: AuditResult): string {
  const { labels, cells } = r.matrix;
  const head = '<h2>Observed traffic between roles</h2>';
  if (labels.length === 0) return `<section id="matrix">${head}<p>No in-scope traffic.</p></section>`;
  const byKey = new Map<string, MatrixCell>(cells.map((c) => [`${c.from}\u0000${c.to}`, c]));
  // Only labels that originate traffic become rows, only responders become columns.
  const rowsL = labels.filter((l) => cells.some((c) => c.from === l));
  const colsL = labels.filter((l) => cells.some((c) => c.to === l));
  const title = (l: string) => labelTitle(l, r.roleTitles);
  const headRow = `<tr><th scope="col">From \\ To</th>${colsL.map((l) => `<th scope="col" title="${esc(l)}">${esc(title(l))}</th>`).join('')}</tr>`;
  const body = rowsL.map((from) => {
    const tds = colsL.map((to) => {
      const c = byKey.get(`${from}\u0000${to}`);
      if (!c) return '<td class="z">·</td>';
      const cls = c.unexpected && c.expected ? 'm' : c.unexpected ? 'u' : c.expected ? 'e' : 'i';
      const parts: string[] = [];
      if (c.expected) parts.push(`${num(c.expected)} ✓`);
      if (c.unexpected) parts.push(`${num(c.unexpected)} ✗`);
      if (c.ignored) parts.push(`${num(c.ignored)} ign.`);
      const tip = `${title(from)} → ${title(to)}: ${c.expected} expected, ${c.unexpected} unexpected, ${c.ignored} ignored`;
      return `<td class="${cls}" title="${esc(tip)}">${esc(parts.join(' · '))}</td>`;
    }).join('');
    return `<tr><th scope="row" class="row" title="${esc(from)}">${esc(title(from))}</th>${tds}</tr>`;
  }).join('\n');
  return `<section id="matrix">${head}
<p>Flows by the role (or site) of the originator (rows) and responder (columns). ✓ expected, ✗ unexpected.</p>
<div class="scroll"><table class="matrix"><thead>${headRow}</thead><tbody>${body}</tbody></table></div>
<div class="legend"><span><i style="background:#e3f4e8"></i>expected only</span><span><i style="background:#fde8e6"></i>unexpected only</span><span><i style="background:#fdf1dc"></i>mixed</span><span><i style="background:#eef1f5"></i>ignored only</span></div>
</section>`;
}

/** Round up to 1, 2 or 5 × 10^n for the chart's y axis. */
function niceMax(v: number): number {
  if (v <= 0) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(v)));
  for (const m of [1, 2, 5, 10]) if (v <= m * p) return m * p;
  return 10 * p;
}

/**
 * Two stacked bar panels on one time axis: expected and other traffic on top, unexpected
 * below, each with its own y scale — a scan of thousands of flows would otherwise flatten
 * the normal traffic to nothing.
 */
function timelineSection(t: Timeline): string {
  const head = '<h2>Timeline of flows</h2>';
  if (t.buckets.length === 0) return `<section id="timeline">${head}<p>No flows.</p></section>`;
  // Fill gaps so the x axis is linear in time.
  const w = t.bucketSeconds;
  const first = t.buckets[0]!.t;
  const last = t.buckets[t.buckets.length - 1]!.t;
  const n = Math.round((last - first) / w) + 1;
  const byT = new Map(t.buckets.map((b) => [b.t, b]));
  const series = Array.from({ length: n }, (_, i) => byT.get(first + i * w) ?? { t: first + i * w, expected: 0, unexpected: 0, other: 0 });
  const W = 1000, L = 56, R = 12, PANEL = 110, GAP = 26, TOP = 8, AXIS = 34;
  const H = TOP + PANEL + GAP + PANEL + AXIS;
  const pw = W - L - R;
  const bw = pw / n;
  const parts: string[] = [];

  const panel = (top: number, label: string, layers: { value: (b: (typeof series)[number]) => number; color: string }[]) => {
    const max = niceMax(Math.max(...series.map((b) => layers.reduce((sum, l) => sum + l.value(b), 0))));
    const y = (v: number) => top + PANEL - (v / max) * PANEL;
    parts.push(`<text x="${W - R}" y="${top - 3}" text-anchor="end" font-weight="600">${esc(label)}</text>`);
    for (let k = 0; k <= 2; k++) {
      const v = (max / 2) * k;
      parts.push(`<line x1="${L}" x2="${W - R}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#e4e7ec"/>`);
      parts.push(`<text x="${L - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${esc(num(Math.round(v)))}</text>`);
    }
    series.forEach((b, i) => {
      const x = L + i * bw;
      let base = 0;
      const rects: string[] = [];
      for (const l of layers) {
        const v = l.value(b);
        if (v <= 0) continue;
        rects.push(`<rect x="${(x + bw * 0.08).toFixed(2)}" y="${y(base + v).toFixed(2)}" width="${Math.max(0.8, bw * 0.84).toFixed(2)}" height="${Math.max(0.8, y(base) - y(base + v)).toFixed(2)}" fill="${l.color}"/>`);
        base += v;
      }
      if (rects.length) {
        const tip = `${fmtTime(b.t)}: ${b.expected} expected, ${b.unexpected} unexpected, ${b.other} other`;
        parts.push(`<g><title>${esc(tip)}</title>${rects.join('')}</g>`);
      }
    });
    parts.push(`<line x1="${L}" x2="${W - R}" y1="${top + PANEL}" y2="${top + PANEL}" stroke="#98a2b3"/>`);
  };
  panel(TOP + 12, 'Expected and other flows', [
    { value: (b) => b.expected, color: '#3aa55d' },
    { value: (b) => b.other, color: '#b5bdc8' },
  ]);
  const lowerTop = TOP + 12 + PANEL + GAP;
  panel(lowerTop, 'Unexpected flows', [{ value: (b) => b.unexpected, color: '#d92d20' }]);

  // About six time labels along the x axis; dates only when the span passes midnight.
  const span = last + w - first;
  const multiDay = !printableTime(first) || !printableTime(last + w) || new Date(first * 1000).getUTCDate() !== new Date((last + w) * 1000).getUTCDate() || span > 86400;
  const axisY = lowerTop + PANEL;
  for (let k = 0; k <= 5; k++) {
    const ts = first + (span * k) / 5;
    const x = L + (pw * k) / 5;
    const iso = isoTime(ts);
    const label = !printableTime(ts) ? iso : multiDay ? `${iso.slice(5, 10)} ${iso.slice(11, 16)}` : iso.slice(11, 19);
    parts.push(`<line x1="${x.toFixed(1)}" x2="${x.toFixed(1)}" y1="${axisY}" y2="${axisY + 4}" stroke="#98a2b3"/>`);
    parts.push(`<text x="${x.toFixed(1)}" y="${axisY + 17}" text-anchor="${k === 0 ? 'start' : k === 5 ? 'end' : 'middle'}">${esc(label)}</text>`);
  }
  const per = w >= 3600 ? `${w / 3600} h` : w >= 60 ? `${w / 60} min` : `${w} s`;
  parts.push(`<text x="${W - R}" y="${axisY + 31}" text-anchor="end">time (UTC) · flow starts per ${esc(per)}</text>`);
  return `<section id="timeline">${head}
<svg class="chart" viewBox="0 0 ${W} ${H + 12}" role="img" aria-label="Flow starts over time">${parts.join('')}</svg>
<div class="legend"><span><i style="background:#3aa55d"></i>expected</span><span><i style="background:#b5bdc8"></i>ignored / out of scope</span><span><i style="background:#d92d20"></i>unexpected</span></div>
</section>`;
}

function rulesSection(r: AuditResult): string {
  const head = `<h2>Catalog rules checked <span class="count">${esc(plural(r.rules.length, 'rule'))}</span></h2>`;
  if (r.rules.length === 0) return `<section id="rules">${head}<p>No rules loaded.</p></section>`;
  const t = r.roleTitles;
  const rows = r.rules.map((x) => [
    td(`<code>${esc(x.id)}</code>`, '', x.id),
    td(esc(x.title)),
    td(`${esc(x.from.map((f) => roleTitle(t, f)).join(', '))} ${x.direction === 'both' ? '↔' : '→'} ${esc(x.to.map((f) => roleTitle(t, f)).join(', '))}`),
    td(esc(`${x.proto} ${x.portsText || x.ports}`), 'mono'),
    td(x.required ? badge('required', 'info') : ''),
    td(esc(x.wanCache ?? '–')),
    numTd(x.flows),
    td(`${esc(x.source.ref)}<div class="ex">${esc(x.source.doc)}${x.source.title ? ` (${esc(x.source.title)})` : ''} · ${esc(x.product)} · ${esc(x.file)}:${esc(x.line)}</div>`),
  ]);
  return `<section id="rules">${head}
<details open><summary>Show / hide the rules</summary>
${sortable([{ label: 'Rule' }, { label: 'Title' }, { label: 'Roles' }, { label: 'Service' }, { label: 'Required' }, { label: 'WAN cache' },
    { label: 'Flows', num: true }, { label: 'Source' }], rows, 'rules')}
</details>
</section>`;
}

export function renderHtml(r: AuditResult, opts: HtmlOptions = {}): string {
  const s = r.summary;
  const title = opts.title ?? 'flowaudit report';
  const scriptHash = createHash('sha256').update(SCRIPT, 'utf8').digest('base64');
  const csp = `default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-${scriptHash}'; base-uri 'none'; form-action 'none'`;
  const toc = [['summary', 'Summary'], ...(opts.changesHtml ? [['changes', 'Changes']] : []), ['unexpected', 'Unexpected'], ['missing', 'Missing'], ['wan', 'WAN cache'],
    ...(windowOnlySection(r).show ? [['window-only', 'Time window only']] : []),
    ...(r.informational.length ? [['informational', 'Informational']] : []),
    ...(r.unusedRules ? [['unused', 'No traffic']] : []),
    ...(r.approvals?.length ? [['approvals', 'Approvals']] : []),
    ...(r.sensors ? [['sensors', 'Sensors']] : []),
    ['matrix', 'Role matrix'], ['timeline', 'Timeline'], ['rules', 'Rules checked']]
    .map(([id, label]) => `<a href="#${id}">${label}</a>`).join('');
  return `${pageHead(`${title} — ${s.clean ? 'clean' : 'findings'}`, CSS, csp)}
<body>
<header class="top"><div class="wrap">
<button class="print" id="print" type="button">Print / PDF</button>
<div class="brand">flowaudit</div>
<h1>${esc(title)}</h1>
<div class="verdict ${s.clean ? 'ok' : 'bad'}" id="verdict">${esc(s.verdict)}</div>
<div class="sub">${s.window ? esc(s.window.text) : 'no traffic'} · ${esc(plural(s.captures.length, 'capture'))} · site ${esc(s.siteFile)} · generated ${esc(s.generatedAt)}</div>
</div></header>
<main class="wrap">
<nav class="toc">${toc}</nav>
${summarySection(r)}
${opts.changesHtml ?? ''}
${unexpectedSection(r, opts.maxGroups)}
${missingSection(r, opts.maxGroups)}
${wanSection(r, opts.maxGroups)}
${windowOnlyHtml(r, opts.maxGroups)}${approvalsHtml(r, esc, sortable)}${sensorsHtml(r, esc, sortable)}
${informationalSection(r)}
${unusedRulesHtml(r, esc)}
${matrixSection(r)}
${timelineSection(r.timeline)}
${rulesSection(r)}
<footer>flowaudit · report generated ${esc(s.generatedAt)} · catalog sha256 ${esc(s.catalogHash.slice(0, 16))}</footer>
</main>
<script>${SCRIPT}</script>
</body>
</html>
`;
}

/** The report's style sheet, for other pages in the same look (the diff page). */
export { CSS as REPORT_CSS };
