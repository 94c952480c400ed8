/** CSV: one row per allow rule with every field, then one row per rule or follow-on not exported. */
import { isoTime } from '../audit/format.js';
import { csvCell, type CsvCellValue } from '../util/csv-cell.js';
import { cidrShort } from './addresses.js';
import { portsText } from './policy.js';
import type { FirewallPolicy } from './types.js';

export const FIREWALL_CSV_COLUMNS = [
  'id', 'status', 'rule', 'parent', 'title', 'proto', 'ports', 'configured_ports', 'narrowed', 'kind', 'via', 'helper',
  'orientation', 'from', 'to', 'src_addresses', 'dst_addresses', 'source_doc', 'source_title', 'source_ref',
  'observed_flows', 'first_seen', 'last_seen', 'notes',
] as const;

export function renderCsv(p: FirewallPolicy): string {
  const lines = [FIREWALL_CSV_COLUMNS.join(',')];
  const row = (cells: CsvCellValue[]) => lines.push(cells.map(csvCell).join(','));
  for (const r of p.rules) {
    row([
      r.id, 'exported', r.ruleId, r.parentId, r.title, r.proto, portsText(r.ports), portsText(r.configuredPorts), r.narrowed, r.kind, r.via, r.helper,
      r.orientation, r.src.key, r.dst.key, [...r.src.v4, ...r.src.v6].map(cidrShort).join(' '), [...r.dst.v4, ...r.dst.v6].map(cidrShort).join(' '),
      r.source.doc, r.source.title, r.source.ref,
      r.observed?.flows, r.observed?.flows ? isoTime(r.observed.first) : null, r.observed?.flows ? isoTime(r.observed.last) : null,
      r.notes.join(' | '),
    ]);
  }
  for (const s of p.skipped) {
    row([s.id, 'skipped', null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, s.reason]);
  }
  return lines.join('\n') + '\n';
}
