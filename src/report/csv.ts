/**
 * CSV report for spreadsheets: one row per finding item (per flow, like JSON), with its
 * group id so rows can be pivoted. Either one file with a `section` column, or one file per
 * section (`renderCsvFiles`).
 *
 * Spreadsheet safety: a cell starting with = + - @ (or tab / CR) is treated as a formula by
 * Excel and LibreOffice; packet-derived strings must never become formulas, so such cells
 * are prefixed with a single quote. Numbers are written as numbers and left alone.
 */
import { isoTime } from '../audit/format.js';
import type { AuditResult } from '../audit/types.js';
import { collect, type Sink } from './sink.js';
import { unusedRulesCsvRows } from './sections/unused-rules.js';
import { approvalsCsvRows } from './sections/approvals.js';
import { sensorsCsvRows } from './sections/sensors.js';
import { sensorLabel } from '../audit/sensors.js';
import { csvCell, type CsvCellValue } from '../util/csv-cell.js';

export type CsvSection = 'unexpected' | 'missing' | 'wanCache' | 'windowOnly' | 'informational' | 'unusedRules' | 'decode' | 'groups' | 'approvals' | 'sensors';

export interface CsvOptions {
  /** Only this section (no `section` column); default: every finding section in one file. */
  section?: CsvSection;
}

type Cell = CsvCellValue;

export { csvCell };

function csvLine(cells: Cell[]): string {
  return cells.map(csvCell).join(',');
}

function iso(ts: number | null | undefined): string {
  return isoTime(ts);
}

const FINDING_COLUMNS = [
  'section', 'group', 'kind', 'proto', 'src', 'sport', 'dst', 'dport', 'ports', 'rule', 'reason',
  'evidence', 'exclusion', 'start', 'end', 'state', 'packets', 'bytes', 'capture', 'flow_id', 'community_id',
] as const;

/** Column of the sensors that saw a finding: only when the captures come from several sensors (AuditResult.sensors). */
const SENSORS_COLUMN = 'sensors';

type Row = Partial<Record<(typeof FINDING_COLUMNS)[number] | typeof SENSORS_COLUMN, Cell>>;

/** A finding's sensors as a cell ("branch hq"); undefined for a report of one sensor. */
function sensorsCell(it: { sensors?: (string | null)[] }): string | undefined {
  return it.sensors?.map(sensorLabel).join(' ');
}

/** The rows of one section; the per-flow sections are built item by item as they are written. */
function* rows(r: AuditResult, section: Exclude<CsvSection, 'groups'>): Iterable<Row> {
  switch (section) {
    case 'unexpected':
      for (const u of r.unexpected) {
        yield {
          section, group: u.group, kind: u.kind, proto: u.proto, src: u.src, sport: u.sport, dst: u.dst, dport: u.dport,
          rule: u.nearestRule, reason: u.reason, start: iso(u.start), end: iso(u.end), state: u.state,
          packets: u.packets, bytes: u.bytes, capture: u.capture, flow_id: u.flowId, community_id: u.communityId, sensors: sensorsCell(u),
        };
      }
      return;
    case 'missing':
      yield* [
        ...r.missing.map((m): Row => ({
          section, group: m.group, kind: m.target, proto: m.proto, dst: m.dst, ports: m.ports, rule: m.rule,
          reason: m.reason, start: iso(m.window?.start), end: iso(m.window?.end),
        })),
        // Declared hosts nobody reached: kind silent-host (a finding) or silent-host-optional.
        ...r.silentHosts.map((h): Row => ({
          section, kind: h.status === 'missing' ? 'silent-host' : 'silent-host-optional', dst: h.host, rule: h.rules.join(' '),
          reason: h.reason, start: iso(h.window?.start), end: iso(h.window?.end),
        })),
      ];
      return;
    case 'wanCache':
      for (const w of r.wanCache) {
        yield {
          section, group: w.group, kind: w.status, proto: w.proto, src: w.src, sport: w.sport, dst: w.dst, dport: w.dport,
          rule: w.rule, reason: w.reason, evidence: w.evidence.join(' | '), exclusion: w.exclusion?.text ?? '',
          start: iso(w.start), end: iso(w.end), capture: w.capture, flow_id: w.flowId, community_id: w.communityId, sensors: sensorsCell(w),
        };
      }
      return;
    case 'windowOnly':
      yield* windowOnlyRows(r);
      return;
    case 'decode':
      // Decode coverage per capture: one row of decoded packets, one per reason packets were not.
      yield* r.summary.captures.flatMap((c) => [
        { section, kind: 'decoded', packets: c.decode.decoded, capture: c.source, reason: `${c.decode.decoded} of ${c.decode.packets} packets decoded` },
        ...(c.decode.nonIp ? [{ section, kind: 'non-ip', packets: c.decode.nonIp, capture: c.source, reason: 'not IP (no flow by design)' }] : []),
        ...Object.entries(c.decode.reasons).map(([k, n]) => ({ section, kind: k, packets: n, capture: c.source, reason: 'not decoded' })),
      ]);
      return;
    case 'unusedRules':
      yield* unusedRulesCsvRows(r);
      return;
    case 'approvals':
      yield* approvalsCsvRows(r);
      return;
    case 'sensors':
      yield* sensorsCsvRows(r);
      return;
    case 'informational':
      yield* r.informational.map((i) => ({
        section, kind: i.via, proto: i.proto, src: i.client ?? '', dst: i.server, ports: i.ports, rule: i.rule,
        reason: i.reason, start: iso(i.ts),
      }));
  }
}

/** Flows only a time window allows: the control flow as evidence, a doubt after the reason. */
function* windowOnlyRows(r: AuditResult): Iterable<Row> {
  for (const w of r.windowOnly) yield ({
    section: 'windowOnly', group: w.group, kind: w.doubtful ? 'doubtful' : 'window', proto: w.proto, src: w.src, sport: w.sport,
    dst: w.dst, dport: w.dport, rule: w.rule, reason: w.doubt ? `${w.reason}; doubtful: ${w.doubt}` : w.reason,
    evidence: w.controlFlow
      ? `control flow #${w.controlFlow.flowId} ${w.controlFlow.src}:${w.controlFlow.sport}>${w.controlFlow.dst}:${w.controlFlow.dport} (${w.parentRule ?? ''})`
      : `control flow #${w.parentFlowId} (${w.parentRule ?? ''})`,
    start: iso(w.start), end: iso(w.end), state: w.state, packets: w.packets, bytes: w.bytes, capture: w.capture,
    flow_id: w.flowId, community_id: w.communityId, sensors: sensorsCell(w),
  });
}

const GROUP_COLUMNS = [
  'group', 'section', 'kind', 'proto', 'service', 'ports', 'from', 'to', 'rule', 'count', 'src_hosts', 'dst_hosts',
  'first_seen', 'last_seen', 'reason', 'exclusion', 'evidence', 'examples',
] as const;

function writeGroupsCsv(r: AuditResult, out: Sink): void {
  const all = [...r.groups.unexpected, ...r.groups.missing, ...r.groups.wanCache, ...r.groups.windowOnly];
  const several = r.sensors !== undefined;
  out(csvLine([...GROUP_COLUMNS, ...(several ? [SENSORS_COLUMN] : [])]) + '\r\n');
  for (const g of all) {
    const examples = g.examples.length > 0
      ? g.examples.map((e) => `${e.src}:${e.sport}>${e.dst}:${e.dport}`).join(' ')
      : g.exampleHosts.join(' ');
    out(csvLine([
      g.id, g.section, g.kind, g.proto, g.service, g.ports, g.srcLabel, g.dstLabel, g.rule, g.count,
      g.srcHosts, g.dstHosts, iso(g.firstSeen), iso(g.lastSeen), g.reason, g.exclusion ?? '', g.evidence.join(' | '), examples,
      ...(several ? [sensorsCell(g) ?? ''] : []),
    ]) + '\r\n');
  }
}

export function renderCsv(r: AuditResult, opts: CsvOptions = {}): string {
  return collect((out) => writeCsv(r, out, opts));
}

/** The CSV report written row by row (lines end in CRLF, as RFC 4180 has them). */
export function writeCsv(r: AuditResult, out: Sink, opts: CsvOptions = {}): void {
  if (opts.section === 'groups') return writeGroupsCsv(r, out);
  const sections: Exclude<CsvSection, 'groups'>[] = opts.section
    ? [opts.section]
    : ['unexpected', 'missing', 'wanCache', 'windowOnly', 'informational', 'unusedRules', 'decode', 'approvals', 'sensors'];
  // With a single section the `section` column would be constant, so it is dropped.
  const columns: (keyof Row)[] = opts.section ? FINDING_COLUMNS.filter((c) => c !== 'section') : [...FINDING_COLUMNS];
  if (r.sensors) columns.push(SENSORS_COLUMN);
  out(csvLine(columns) + '\r\n');
  for (const s of sections) for (const row of rows(r, s)) out(csvLine(columns.map((c) => row[c])) + '\r\n');
}

/** File name ends of the per-section CSV files (csvFileNames). */
const CSV_FILE_ENDS: Record<CsvSection, string> = {
  unexpected: 'unexpected', missing: 'missing', wanCache: 'wan-cache', windowOnly: 'window-only', informational: 'informational',
  unusedRules: 'unused-rules', decode: 'decode', groups: 'groups', approvals: 'approvals', sensors: 'sensors',
};

/**
 * One CSV per section: `<base>-unexpected.csv`, `-missing.csv`, `-wan-cache.csv`,
 * `-window-only.csv`, `-informational.csv`, `-unused-rules.csv`, `-decode.csv`, `-groups.csv`: each
 * file's name and
 * section, for writeCsv(r, sink, { section }).
 */
export function csvFileNames(r: AuditResult, base: string): { name: string; section: CsvSection }[] {
  // The approvals file only for a site file that has allow entries; the sensors file only for several sensors.
  return (Object.keys(CSV_FILE_ENDS) as CsvSection[]).filter((s) => (s !== 'approvals' || r.approvals) && (s !== 'sensors' || r.sensors))
    .map((s) => ({ name: `${base}-${CSV_FILE_ENDS[s]}.csv`, section: s }));
}

/** The per-section CSV files as names and contents (small reports, tests). */
export function renderCsvFiles(r: AuditResult, base: string): { name: string; content: string }[] {
  return csvFileNames(r, base).map(({ name, section }) => ({ name, content: renderCsv(r, { section }) }));
}
