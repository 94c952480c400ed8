/**
 * The sensors section of every format, shown when the audited captures come from several
 * sensors (AuditResult.sensors, audit/sensors.ts): what each sensor captured, the spans of the
 * window no capture covers, and how many rows were one conversation another sensor saw too. Each
 * format hands in its own heading and table primitives, as for the approvals section; finding
 * groups name their sensors through seenBy().
 */
import type { AuditResult, CoverageGap, FindingGroup, SensorCoverage } from '../../audit/types.js';
import { isoTime } from '../../audit/format.js';
import { sensorLabel } from '../../audit/sensors.js';
import { num } from '../common.js';

export interface SensorsView {
  title: string;
  about: string;
  headers: { label: string; num?: boolean }[];
  rows: (string | number)[][];
  /** The gaps in words, one line each (empty: the captures cover the window). */
  gaps: string[];
}

const ABOUT = 'A conversation several sensors saw (same Community ID, overlapping in time) counts once, as its lowest flow id; ' +
  'required flows count as seen when any sensor saw them. A gap is a span of the window no capture covers.';

const dropsText = (s: SensorCoverage): string =>
  (s.drops === null && s.ifDrops === null ? '–' : num((s.drops ?? 0) + (s.ifDrops ?? 0)));

/** The section's title, note, table and gaps; null when the captures come from one sensor. */
export function sensorsView(r: AuditResult): SensorsView | null {
  const list = r.sensors;
  if (!list) return null;
  const gaps: CoverageGap[] = r.coverageGaps ?? [];
  const dup = r.summary.flows.duplicates ?? 0;
  return {
    title: `Sensors — ${num(list.length)} sensor${list.length === 1 ? '' : 's'}, ${num(dup)} flow${dup === 1 ? '' : 's'} seen by another sensor too, ` +
      `${num(gaps.length)} coverage gap${gaps.length === 1 ? '' : 's'}`,
    about: ABOUT,
    headers: [
      { label: 'Sensor' }, { label: 'Captures' }, { label: 'Window' }, { label: 'Packets', num: true }, { label: 'Drops', num: true },
      { label: 'Partial', num: true }, { label: 'Flows', num: true }, { label: 'Shared', num: true },
    ],
    rows: list.map((s) => [sensorLabel(s.sensor), s.captures.map((id) => `#${id}`).join(' '), s.window, s.packets, dropsText(s), s.partial, s.flows, s.sharedFlows]),
    gaps: gaps.map((g) => `no capture covers ${g.text}`),
  };
}

/** "branch, hq" for a group several sensors' captures hold; '' otherwise. */
export function seenBy(g: Pick<FindingGroup, 'sensors'>): string {
  return g.sensors ? g.sensors.map(sensorLabel).join(', ') : '';
}

/** Text and Markdown: heading lines, the table as the format draws it, then a line per gap. */
export function sensorsLines(
  r: AuditResult, heading: (title: string, about: string) => string[], table: (headers: string[], rows: string[][]) => string[],
  gapLine: (text: string) => string,
): string[] {
  const v = sensorsView(r);
  if (!v) return [];
  return [
    ...heading(v.title, v.about),
    ...table(v.headers.map((h) => h.label), v.rows.map((row) => row.map((c) => (typeof c === 'number' ? num(c) : c)))),
    ...v.gaps.map(gapLine),
  ];
}

/** HTML: a section of its own (id "sensors"); `esc` and `table` are the report's. */
export function sensorsHtml(
  r: AuditResult, esc: (v: unknown) => string,
  table: (headers: { label: string; num?: boolean }[], rows: string[][], cls?: string) => string,
): string {
  const v = sensorsView(r);
  if (!v) return '';
  const rows = v.rows.map((row) => row.map((c) => (typeof c === 'number'
    ? `<td class="num" data-v="${c}">${esc(num(c))}</td>`
    : `<td>${esc(c)}</td>`)));
  const gaps = v.gaps.length ? `\n<ul>${v.gaps.map((g) => `<li>${esc(g)}</li>`).join('')}</ul>` : '';
  return `\n<section id="sensors"><h2>${esc(v.title)}</h2>
<p>${esc(v.about)}</p>
${table(v.headers, rows, 'findings')}${gaps}
</section>`;
}

/** CSV rows of section `sensors`: one per sensor (kind sensor), one per gap (kind gap). */
export function sensorsCsvRows(r: AuditResult): Record<string, string | number | null>[] {
  const sensors = (r.sensors ?? []).map((s) => ({
    section: 'sensors', kind: 'sensor', sensors: sensorLabel(s.sensor), start: isoTime(s.firstTs), end: isoTime(s.lastTs),
    packets: s.packets, bytes: s.bytes, capture: s.captures.join(' '),
    reason: `${s.flows} flows, ${s.sharedFlows} seen by another sensor too; drops ${dropsText(s)}; ${s.partial} partial capture${s.partial === 1 ? '' : 's'}`,
  }));
  const gaps = (r.coverageGaps ?? []).map((g) => ({ section: 'sensors', kind: 'gap', start: isoTime(g.start), end: isoTime(g.end), reason: `no capture covers ${g.text}` }));
  return [...sensors, ...gaps];
}

/** "; seen by branch, hq" after a group's reason when several sensors' captures are audited; '' otherwise. */
export function seenBySuffix(g: Pick<FindingGroup, 'sensors'>): string {
  return g.sensors ? `; seen by ${seenBy(g)}` : '';
}

/** Text: a `sensors` detail line for a group when several sensors' captures are audited. */
export function sensorsDetail(g: Pick<FindingGroup, 'sensors'>, clean: (s: string) => string): { label: string; text: string }[] {
  return g.sensors ? [{ label: 'sensors', text: clean(seenBy(g)) }] : [];
}
