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
import { csvCell, type CsvCellValue } from '../util/csv-cell.js';

export type CsvSection = 'unexpected' | 'missing' | 'wanCache' | 'windowOnly' | 'informational' | 'decode' | 'groups';

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

type Row = Partial<Record<(typeof FINDING_COLUMNS)[number], Cell>>;

function rows(r: AuditResult, section: Exclude<CsvSection, 'groups'>): Row[] {
  switch (section) {
    case 'unexpected':
      return r.unexpected.map((u) => ({
        section, group: u.group, kind: u.kind, proto: u.proto, src: u.src, sport: u.sport, dst: u.dst, dport: u.dport,
        rule: u.nearestRule, reason: u.reason, start: iso(u.start), end: iso(u.end), state: u.state,
        packets: u.packets, bytes: u.bytes, capture: u.capture, flow_id: u.flowId, community_id: u.communityId,
      }));
    case 'missing':
      return [
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
    case 'wanCache':
      return r.wanCache.map((w) => ({
        section, group: w.group, kind: w.status, proto: w.proto, src: w.src, sport: w.sport, dst: w.dst, dport: w.dport,
        rule: w.rule, reason: w.reason, evidence: w.evidence.join(' | '), exclusion: w.exclusion?.text ?? '',
        start: iso(w.start), end: iso(w.end), capture: w.capture, flow_id: w.flowId, community_id: w.communityId,
      }));
    case 'windowOnly':
      return windowOnlyRows(r);
    case 'decode':
      // Decode coverage per capture: one row of decoded packets, one per reason packets were not.
      return r.summary.captures.flatMap((c) => [
        { section, kind: 'decoded', packets: c.decode.decoded, capture: c.source, reason: `${c.decode.decoded} of ${c.decode.packets} packets decoded` },
        ...(c.decode.nonIp ? [{ section, kind: 'non-ip', packets: c.decode.nonIp, capture: c.source, reason: 'not IP (no flow by design)' }] : []),
        ...Object.entries(c.decode.reasons).map(([k, n]) => ({ section, kind: k, packets: n, capture: c.source, reason: 'not decoded' })),
      ]);
    case 'informational':
      return r.informational.map((i) => ({
        section, kind: i.via, proto: i.proto, src: i.client ?? '', dst: i.server, ports: i.ports, rule: i.rule,
        reason: i.reason, start: iso(i.ts),
      }));
  }
}

/** Flows only a time window allows: the control flow as evidence, a doubt after the reason. */
function windowOnlyRows(r: AuditResult): Row[] {
  return r.windowOnly.map((w) => ({
    section: 'windowOnly', group: w.group, kind: w.doubtful ? 'doubtful' : 'window', proto: w.proto, src: w.src, sport: w.sport,
    dst: w.dst, dport: w.dport, rule: w.rule, reason: w.doubt ? `${w.reason}; doubtful: ${w.doubt}` : w.reason,
    evidence: w.controlFlow
      ? `control flow #${w.controlFlow.flowId} ${w.controlFlow.src}:${w.controlFlow.sport}>${w.controlFlow.dst}:${w.controlFlow.dport} (${w.parentRule ?? ''})`
      : `control flow #${w.parentFlowId} (${w.parentRule ?? ''})`,
    start: iso(w.start), end: iso(w.end), state: w.state, packets: w.packets, bytes: w.bytes, capture: w.capture,
    flow_id: w.flowId, community_id: w.communityId,
  }));
}

const GROUP_COLUMNS = [
  'group', 'section', 'kind', 'proto', 'service', 'ports', 'from', 'to', 'rule', 'count', 'src_hosts', 'dst_hosts',
  'first_seen', 'last_seen', 'reason', 'exclusion', 'evidence', 'examples',
] as const;

function groupsCsv(r: AuditResult): string {
  const all = [...r.groups.unexpected, ...r.groups.missing, ...r.groups.wanCache, ...r.groups.windowOnly];
  const lines = [csvLine([...GROUP_COLUMNS])];
  for (const g of all) {
    const examples = g.examples.length > 0
      ? g.examples.map((e) => `${e.src}:${e.sport}>${e.dst}:${e.dport}`).join(' ')
      : g.exampleHosts.join(' ');
    lines.push(csvLine([
      g.id, g.section, g.kind, g.proto, g.service, g.ports, g.srcLabel, g.dstLabel, g.rule, g.count,
      g.srcHosts, g.dstHosts, iso(g.firstSeen), iso(g.lastSeen), g.reason, g.exclusion ?? '', g.evidence.join(' | '), examples,
    ]));
  }
  return lines.join('\r\n') + '\r\n';
}

export function renderCsv(r: AuditResult, opts: CsvOptions = {}): string {
  if (opts.section === 'groups') return groupsCsv(r);
  const sections: Exclude<CsvSection, 'groups'>[] = opts.section
    ? [opts.section]
    : ['unexpected', 'missing', 'wanCache', 'windowOnly', 'informational', 'decode'];
  // With a single section the `section` column would be constant, so it is dropped.
  const columns = opts.section ? FINDING_COLUMNS.filter((c) => c !== 'section') : [...FINDING_COLUMNS];
  const lines = [csvLine(columns)];
  for (const s of sections) for (const row of rows(r, s)) lines.push(csvLine(columns.map((c) => row[c])));
  return lines.join('\r\n') + '\r\n';
}

/**
 * One CSV per section: `<base>-unexpected.csv`, `-missing.csv`, `-wan-cache.csv`,
 * `-window-only.csv`, `-informational.csv`, `-decode.csv`, `-groups.csv`. Returned as names and
 * contents; the CLI writes them.
 */
export function renderCsvFiles(r: AuditResult, base: string): { name: string; content: string }[] {
  const names: Record<CsvSection, string> = {
    unexpected: 'unexpected', missing: 'missing', wanCache: 'wan-cache', windowOnly: 'window-only', informational: 'informational',
    decode: 'decode', groups: 'groups',
  };
  return (Object.keys(names) as CsvSection[]).map((s) => ({ name: `${base}-${names[s]}.csv`, content: renderCsv(r, { section: s }) }));
}
