/**
 * The approvals in force (`allow:` in the site file), for every human format: each entry with
 * who approved it, when, why, and how many flows of this audit it made expected. The section is
 * shown only when the site file has allow entries. Each format hands in its own heading and
 * table primitives, so the section reads the same everywhere and escapes as its medium needs.
 */
import type { ApprovalItem, AuditResult } from '../../audit/types.js';
import { num } from '../common.js';

/** One table: plain text cells (numbers stay numbers for sorting), escaped by the format. */
export interface ApprovalsView {
  title: string;
  about: string;
  headers: { label: string; num?: boolean }[];
  rows: (string | number)[][];
}

const ABOUT = 'Flows the site file approves (allow:) are expected, with the approval as their evidence; ' +
  'they are the site\'s own decision, not the vendor catalogs\'. An entry that covered no flow may be out of date.';

const side = (v: string[] | null): string => (v === null ? 'any' : v.join(', '));

/** The section's title, note and table; null when the site file has no allow entries. */
export function approvalsView(r: AuditResult): ApprovalsView | null {
  const items: ApprovalItem[] | undefined = r.approvals;
  if (!items || items.length === 0) return null;
  const flows = r.summary.flows.approved ?? items.reduce((n, a) => n + a.flows, 0);
  return {
    title: `Approvals in force — ${num(items.length)} entr${items.length === 1 ? 'y' : 'ies'}, ${num(flows)} flow${flows === 1 ? '' : 's'} approved`,
    about: ABOUT,
    headers: [
      { label: 'Line', num: true }, { label: 'From' }, { label: 'To' }, { label: 'Proto' }, { label: 'Ports' }, { label: 'Rule' },
      { label: 'By' }, { label: 'Date' }, { label: 'Flows', num: true }, { label: 'Reason' },
    ],
    rows: items.map((a) => [
      a.line, side(a.from), side(a.to), a.proto ?? 'any', a.ports ?? 'any', a.rule ?? '-', a.by ?? '-', a.date ?? '-', a.flows, a.reason,
    ]),
  };
}

/** Text and Markdown: heading lines, then the table as the format draws it. */
export function approvalsLines(
  r: AuditResult, heading: (title: string, about: string) => string[], table: (headers: string[], rows: string[][]) => string[],
): string[] {
  const v = approvalsView(r);
  if (!v) return [];
  return [...heading(v.title, v.about), ...table(v.headers.map((h) => h.label), v.rows.map((row) => row.map((c) => typeof c === 'number' ? num(c) : c)))];
}

/** HTML: a section of its own (id "approvals", on a line of its own); `esc` and `table` are the report's. */
export function approvalsHtml(
  r: AuditResult, esc: (v: unknown) => string,
  table: (headers: { label: string; num?: boolean }[], rows: string[][], cls?: string) => string,
): string {
  const v = approvalsView(r);
  if (!v) return '';
  const rows = v.rows.map((row) => row.map((c) => typeof c === 'number'
    ? `<td class="num" data-v="${c}">${esc(num(c))}</td>`
    : `<td>${esc(c)}</td>`));
  return `\n<section id="approvals"><h2>${esc(v.title)}</h2>
<p>${esc(v.about)}</p>
${table(v.headers, rows, 'findings')}
</section>`;
}

/** CSV rows of section `approvals` (FINDING_COLUMNS names), none without allow entries. */
export function approvalsCsvRows(r: AuditResult): Record<string, string | number | null>[] {
  return (r.approvals ?? []).map((a) => ({
    section: 'approvals', kind: 'allow', proto: a.proto ?? 'any', src: side(a.from), dst: side(a.to), ports: a.ports ?? 'any',
    rule: a.rule, reason: a.reason,
    evidence: `approved${a.by !== null ? ` by ${a.by}` : ''}${a.date !== null ? ` on ${a.date}` : ''}; site file line ${a.line}; ${a.flows} flow${a.flows === 1 ? '' : 's'}`,
  }));
}
