/**
 * The changes between two audits in HTML: `changesSection` is the section the audit's HTML
 * report shows with `--baseline`, and `renderDiffHtml` the page of `flowaudit diff --format html`
 * (self-contained, no script, a Content-Security-Policy that forbids every fetch).
 */
import type { FindingChange, MissingChange, ReportDiff } from '../../review/diff.js';
import { esc, pageHead, REPORT_CSS } from '../html.js';
import { num } from '../common.js';
import { diffHeadline, factorText, findingService, missingWhat, ruleFlowText, sideText, wanText } from './common.js';

function table(headers: string[], rows: string[][]): string {
  const head = headers.map((h) => `<th scope="col">${esc(h)}</th>`).join('');
  return `<div class="scroll"><table><thead><tr>${head}</tr></thead><tbody>\n${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('\n')}\n</tbody></table></div>`;
}

function findings(title: string, id: string, list: FindingChange[], tone: string): string {
  const head = `<h3 id="${id}">${esc(title)} <span class="badge ${list.length ? tone : 'ok'}">${esc(num(list.length))}</span></h3>`;
  if (list.length === 0) return `${head}<p class="none">None.</p>`;
  return head + table(['Section', 'Kind', 'Flows (before → now)', 'Service', 'From → To', 'Rule', 'Why'], list.map((f) => [
    esc(f.section === 'wanCache' ? 'WAN cache' : 'unexpected'), esc(f.kind), esc(`${num(f.oldCount)} → ${num(f.newCount)}`),
    esc(findingService(f)), `${esc(f.srcLabel)} → ${esc(f.dstLabel)}`, f.rule ? `<code>${esc(f.rule)}</code>` : '–', esc(f.reason)]));
}

function missing(title: string, id: string, list: MissingChange[], tone: string): string {
  const head = `<h3 id="${id}">${esc(title)} <span class="badge ${list.length ? tone : 'ok'}">${esc(num(list.length))}</span></h3>`;
  if (list.length === 0) return `${head}<p class="none">None.</p>`;
  return head + table(['Kind', 'Destination', 'What', 'Why'], list.map((m) => [esc(m.kind), esc(m.dst), esc(missingWhat(m)), esc(m.reason)]));
}

/** The "Changes since" section: the diff of a baseline report against this one. */
export function changesSection(d: ReportDiff): string {
  const notes = d.notes.map((n) => `<div class="note info">${esc(n)}</div>`).join('');
  const wan = d.wanCache.length === 0 ? '<p class="none">None.</p>'
    : table(['Path', 'Before', 'Now'], d.wanCache.map((w) => [esc(wanText(w)), esc(w.old ?? 'none'), esc(w.new ?? 'none')]));
  const rules = d.ruleFlows.length === 0 ? '<p class="none">None.</p>'
    : table(['Rule', 'Flows (before → now)', 'Change'], d.ruleFlows.map((r) => [`<code>${esc(r.rule)}</code>`, esc(`${num(r.old)} → ${num(r.new)}`), esc(ruleFlowText(r))]));
  return `<section id="changes"><h2>Changes since ${esc(d.old.generatedAt)} <span class="count">${esc(d.old.label)}</span></h2>
<p id="changes-counts">${esc(diffHeadline(d))}</p>${notes}
${findings('New findings', 'changes-new', d.findings.new, 'bad')}
${findings('Resolved findings', 'changes-resolved', d.findings.resolved, 'info')}
${findings('Persisting findings', 'changes-persisting', d.findings.persisting, 'warn')}
${missing('Newly missing services', 'changes-missing-new', d.missing.new, 'bad')}
${missing('Missing services now seen', 'changes-missing-resolved', d.missing.resolved, 'info')}
${missing('Still missing', 'changes-missing-persisting', d.missing.persisting, 'warn')}
<h3>WAN-cache status changes <span class="badge ${d.wanCache.length ? 'warn' : 'ok'}">${esc(num(d.wanCache.length))}</span></h3>${wan}
<h3>Rule flow counts changed ${esc(factorText(d.factor))} <span class="badge ${d.ruleFlows.length ? 'warn' : 'ok'}">${esc(num(d.ruleFlows.length))}</span></h3>${rules}
</section>`;
}

export function renderDiffHtml(d: ReportDiff, title = 'flowaudit diff'): string {
  const csp = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";
  const changed = d.counts.new + d.counts.missingNew > 0;
  return `${pageHead(title, REPORT_CSS, csp)}
<body>
<header class="top"><div class="wrap">
<div class="brand">flowaudit</div>
<h1>${esc(title)}</h1>
<div class="verdict ${changed ? 'bad' : 'ok'}">${esc(diffHeadline(d))}</div>
<div class="sub">old: ${esc(sideText(d.old))}<br>new: ${esc(sideText(d.new))}</div>
</div></header>
<main class="wrap">
${changesSection(d)}
</main>
</body>
</html>
`;
}
