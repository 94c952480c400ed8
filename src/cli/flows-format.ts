/** The flows contract (docs/contracts.md, "Flows"): JSON array, JSON lines, CSV with the same columns, or a text table. */
import { INVALID_TIME, isoTime, printableTime } from '../audit/format.js';
import type { StoredFlow } from '../store/types.js';
import {
  PROTO_AH, PROTO_ESP, PROTO_GRE, PROTO_ICMP, PROTO_ICMPV6, PROTO_SCTP, PROTO_TCP, PROTO_UDP, protoName as reportProtoName,
} from '../util/proto.js';

/** The protocols the flows output names; any other is written as its number (the contract's form). */
const NAMED = new Set([PROTO_ICMP, PROTO_TCP, PROTO_UDP, PROTO_ICMPV6, PROTO_GRE, PROTO_ESP, PROTO_AH, PROTO_SCTP]);

export function protoName(p: number): string {
  return NAMED.has(p) ? reportProtoName(p) : String(p);
}

export function flowToJson(f: StoredFlow): Record<string, unknown> {
  const c = f.classification;
  return {
    id: f.id,
    proto: protoName(f.proto),
    src: f.src, sport: f.sport, dst: f.dst, dport: f.dport,
    origPackets: f.origPackets, respPackets: f.respPackets,
    origBytes: f.origBytes, respBytes: f.respBytes,
    origIpBytes: f.origIpBytes, respIpBytes: f.respIpBytes,
    start: f.start, end: f.end,
    state: f.state, history: f.history,
    communityId: f.communityId,
    rule: c?.rule ?? null,
    capture: f.capture,
    // Extensions beyond the contract's minimum:
    origPayloadBytes: f.origPayloadBytes, respPayloadBytes: f.respPayloadBytes,
    originatorGuessed: f.originatorGuessed, vlans: f.vlans,
    synOptions: f.synOptions, synAckOptions: f.synAckOptions,
    endReason: f.endReason, tunnel: f.tunnel,
    match: c?.how ?? null, evidence: c?.evidence ?? f.expectation?.evidence ?? null,
    srcRoles: c?.srcRoles ?? [], dstRoles: c?.dstRoles ?? [],
  };
}

export const CSV_COLUMNS = [
  'id', 'proto', 'src', 'sport', 'dst', 'dport', 'origPackets', 'respPackets', 'origBytes', 'respBytes',
  'origIpBytes', 'respIpBytes', 'start', 'end', 'state', 'history', 'communityId', 'rule', 'capture',
  'origPayloadBytes', 'respPayloadBytes', 'originatorGuessed', 'vlans', 'endReason', 'tunnel', 'match', 'evidence',
];

export function csvCell(v: unknown): string {
  let s = v === null || v === undefined ? '' : Array.isArray(v) ? v.join(' ') : String(v);
  // Spreadsheet formula injection: a cell starting with = + - @ is neutralised (numbers excepted).
  if (/^[=+\-@\t\r]/.test(s) && !/^-?\d+(\.\d+)?$/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function flowToCsv(f: StoredFlow): string {
  const o = flowToJson(f);
  return CSV_COLUMNS.map((c) => csvCell(o[c])).join(',');
}

export function flowsTable(flows: StoredFlow[]): string {
  const head = ['id', 'proto', 'originator', '', 'responder', 'state', 'pkts o/r', 'bytes o/r', 'start (UTC)', 'dur s', 'rule'];
  const rows = flows.map((f) => [
    String(f.id), protoName(f.proto), `${fmtAddr(f.src)}:${f.sport}`, '→', `${fmtAddr(f.dst)}:${f.dport}`, f.state,
    `${f.origPackets}/${f.respPackets}`, `${f.origBytes}/${f.respBytes}`,
    printableTime(f.start) ? isoTime(f.start).replace('T', ' ').slice(0, 23) : INVALID_TIME, (f.end - f.start).toFixed(3),
    f.classification?.rule ?? (f.classification ? '-' : ''),
  ]);
  // A loop, not Math.max(...column): spreading a column of 100,000 flows overflows the stack.
  const widths = head.map((h) => h.length);
  for (const r of rows) for (let i = 0; i < r.length; i++) if (r[i]!.length > widths[i]!) widths[i] = r[i]!.length;
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function fmtAddr(a: string): string {
  return a.includes(':') ? `[${a}]` : a;
}
