/**
 * Flow and capture rows as every store reads and writes them: a flow_data row's values in
 * DATA_COLUMNS order (flowRow), and the decoders that make the rows a query returns (arrays in
 * the order of the SELECTs below, integers 0/1 for booleans, small lists as comma text) into
 * the objects of types.ts. Pure functions, shared by the SQLite and the PostgreSQL store so that
 * both give exactly the same objects.
 */
import { renderEvidence, type Classification, type FlowRecord } from '../flow/flow-record.js';
import { classKeyOfColumns, columnIndex } from './schema.js';
import type { AuditFlow, CaptureInfo, CaptureStatus, FindingFlow, StoredFlow, UnusedExpectation } from './types.js';

/** What findingFlowsById() reads: FindingFlow's columns, the ends at 4-7 as in flow_data, class_id last. */
export const FINDING_COLUMNS = [
  'id', 'capture_id', 'proto', 'originator_guessed', 'src', 'sport', 'dst', 'dport', 'orig_packets', 'resp_packets', 'orig_bytes', 'resp_bytes',
  'start', 'end', 'state', 'community_id', 'syn_options', 'synack_options', 'exp_kind', 'exp_parent', 'exp_rule', 'exp_evidence', 'class_id',
] as const;

export function findingFlowOfRow(r: unknown[], capture: string, classification: Classification | null): FindingFlow {
  type Exp = NonNullable<FlowRecord['expectation']>;
  return {
    id: r[0] as number, captureId: r[1] as number, capture, proto: r[2] as number, originatorGuessed: r[3] === 1,
    src: r[4] as string, sport: r[5] as number, dst: r[6] as string, dport: r[7] as number,
    origPackets: r[8] as number, respPackets: r[9] as number, origBytes: r[10] as number, respBytes: r[11] as number,
    start: r[12] as number, end: r[13] as number, state: r[14] as string, communityId: r[15] as string,
    // As stored: only the WAN-cache evidence reads them, keyed by this text (a list per finding flow was ~40 ms of a 50k-item report).
    synOptions: r[16] as string, synAckOptions: r[17] as string,
    expectation: r[18] === null ? null : {
      kind: r[18] as Exp['kind'], parentFlowId: r[19] as number, rule: r[20] as string | null, evidence: r[21] as string,
    },
    classification,
  };
}

/** The ends of a flow_data row, for writing out a shared evidence. */
export function flowKeyOf(r: unknown[]): { src: string; sport: number; dst: string; dport: number } {
  return { src: r[4] as string, sport: r[5] as number, dst: r[6] as string, dport: r[7] as number };
}

/** Positions in a flowRow() row. */
export const ROW = {
  proto: columnIndex('proto'), src: columnIndex('src'), sport: columnIndex('sport'), dst: columnIndex('dst'),
  dport: columnIndex('dport'), originatorGuessed: columnIndex('originator_guessed'), start: columnIndex('start'),
  classId: columnIndex('class_id'),
} as const;

/** The key of a classifications row (classKeyOfColumns) for a classification. */
export function classKey(c: Classification): string {
  return classKeyOfColumns(classificationColumns(c));
}

/** The classification columns (CLASS_COLUMNS order): the values of a classifications row. */
export function classificationColumns(c: Classification): unknown[] {
  return [
    c.rule, c.how, c.evidence, c.srcRoles.join(','), c.dstRoles.join(','), c.srcSite, c.dstSite, c.ignored ? 1 : 0, c.evidenceVars ? 1 : 0,
    c.nearestRule, c.approved ?? null,
  ];
}

/**
 * The bound parameters of one flow_data row, in DATA_COLUMNS order. Small lists are stored as
 * comma-separated text (JSON.stringify per list per flow was a measurable share of ingest).
 */
export function flowRow(f: FlowRecord & { captureId: number }, classId: number | null): unknown[] {
  const e = f.expectation;
  return [
    f.id, f.captureId, f.proto, f.ipVersion, f.src, f.sport, f.dst, f.dport, f.originatorGuessed ? 1 : 0,
    f.origPackets, f.respPackets, f.origBytes, f.respBytes, f.origIpBytes, f.respIpBytes,
    f.origPayloadBytes, f.respPayloadBytes, f.start, f.end, f.state, f.history,
    f.vlans.join(','), f.synOptions.join(','), f.synAckOptions.join(','),
    f.communityId, f.endReason, f.tunnel,
    e ? e.kind : null, e ? e.parentFlowId : null, e ? e.rule : null, e ? e.evidence : null,
    classId,
  ];
}

export function numberList(v: unknown): number[] {
  return typeof v === 'string' && v !== '' ? v.split(',').map(Number) : [];
}

export function textList(v: unknown): string[] {
  return typeof v === 'string' && v !== '' ? v.split(',') : [];
}

export function toCapture(r: Record<string, unknown>): CaptureInfo {
  return {
    id: r.id as number, source: r.source as string, format: r.format as string,
    linkTypes: JSON.parse(r.link_types as string) as number[],
    firstTs: r.first_ts as number | null, lastTs: r.last_ts as number | null,
    packets: r.packets as number, bytes: r.bytes as number,
    drops: r.drops as number | null, ifDrops: r.if_drops as number | null,
    sha256: r.sha256 as string | null, status: r.status as CaptureStatus, error: r.error as string | null,
    tapSide: r.tap_side as 'lan' | 'wan' | null,
    decodeErrors: JSON.parse(r.decode_errors as string) as Record<string, number>,
    startedAt: r.started_at as string,
    sensor: (r.sensor as string | null | undefined) ?? null,
  };
}

export function toFlow(r: unknown[], capture: string): StoredFlow {
  type Cls = NonNullable<FlowRecord['classification']>;
  return flowOfRow(r, capture, r[32] === null ? null : {
    rule: r[31] as string | null, nearestRule: r[39] as string | null, how: r[32] as Cls['how'], evidence: r[33] as string | null,
    srcRoles: textList(r[34]), dstRoles: textList(r[35]),
    srcSite: r[36] as string | null, dstSite: r[37] as string | null, ignored: r[38] === 1,
    ...(r[40] !== null ? { approved: r[40] as number } : {}),
  });
}

/** A flow from the flow columns a flows-view row and a flow_data row share (their first 31). */
export function flowOfRow(r: unknown[], capture: string, classification: StoredFlow['classification']): StoredFlow {
  type Exp = NonNullable<FlowRecord['expectation']>;
  return {
    id: r[0] as number, captureId: r[1] as number, capture,
    proto: r[2] as number, ipVersion: r[3] as 4 | 6,
    src: r[4] as string, sport: r[5] as number, dst: r[6] as string, dport: r[7] as number,
    originatorGuessed: r[8] === 1,
    origPackets: r[9] as number, respPackets: r[10] as number,
    origBytes: r[11] as number, respBytes: r[12] as number,
    origIpBytes: r[13] as number, respIpBytes: r[14] as number,
    origPayloadBytes: r[15] as number, respPayloadBytes: r[16] as number,
    start: r[17] as number, end: r[18] as number, state: r[19] as string, history: r[20] as string,
    vlans: numberList(r[21]), synOptions: numberList(r[22]), synAckOptions: numberList(r[23]),
    communityId: r[24] as string, endReason: r[25] as FlowRecord['endReason'], tunnel: r[26] as string | null,
    expectation: r[27] === null ? null : {
      kind: r[27] as Exp['kind'], parentFlowId: r[28] as number, rule: r[29] as string | null, evidence: r[30] as string,
    },
    classification,
  };
}

/** What classificationRows() reads: every classifications row (a few hundred for millions of flows). */
export const CLASSIFICATION_ROWS_SQL =
  'SELECT id, rule, match_how, evidence, src_roles, dst_roles, src_site, dst_site, ignored, evidence_vars, nearest_rule, approved FROM classifications';

/** A classifications row (CLASSIFICATION_ROWS_SQL): its classification as stored, and whether its evidence has placeholders. */
export function classificationOfRow(r: unknown[]): { classification: Classification; evidenceVars: boolean } {
  return {
    classification: {
      rule: r[1] as string | null, how: r[2] as Classification['how'], evidence: r[3] as string | null,
      srcRoles: textList(r[4]), dstRoles: textList(r[5]), srcSite: r[6] as string | null, dstSite: r[7] as string | null,
      ignored: r[8] === 1, nearestRule: r[10] as string | null,
      ...(r[11] !== null ? { approved: r[11] as number } : {}),
    },
    evidenceVars: r[9] === 1,
  };
}

/** Every classifications row by id (CLASSIFICATION_ROWS_SQL's rows), as stored. */
export type StoredClassifications = Map<number, { classification: Classification; evidenceVars: boolean }>;

export function classificationsOfRows(rows: Iterable<unknown[]>): StoredClassifications {
  const out: StoredClassifications = new Map();
  for (const r of rows) out.set(r[0] as number, classificationOfRow(r));
  return out;
}

/** The classifications as shared objects for auditFlows(): evidence as stored, placeholders flagged (see AuditFlow). */
export function sharedClassifications(classes: StoredClassifications): Map<number, Classification> {
  const out = new Map<number, Classification>();
  for (const [id, c] of classes) out.set(id, c.evidenceVars ? { ...c.classification, evidenceVars: true } : c.classification);
  return out;
}

/**
 * A flow row's classification from its class_id, a shared row's evidence written out for the
 * flow. Both by-id row shapes have the flow's ends at 4-7 (src, sport, dst, dport).
 */
export function classificationOfFlow(classes: StoredClassifications): (classId: unknown, r: unknown[]) => Classification | null {
  return (classId, r) => {
    const c = classId === null ? undefined : classes.get(classId as number);
    if (c === undefined) return null;
    const evidence = c.classification.evidence;
    return { ...c.classification, evidence: c.evidenceVars && evidence !== null ? renderEvidence(evidence, flowKeyOf(r)) : evidence };
  };
}

/**
 * Rows by id, `batchSize` ids to a `read`, each made into a value by `make`, yielded in the
 * order of `ids` (ids not stored are skipped). Each batch is read whole before any is yielded,
 * so no statement stays open while a caller writes.
 */
export function* inIdOrder<T>(
  ids: Iterable<number>, batchSize: number, read: (batch: readonly number[]) => unknown[][], make: (r: unknown[]) => T,
): IterableIterator<T> {
  const batch: number[] = [];
  function* flush(): IterableIterator<T> {
    const byId = new Map<number, T>();
    for (const r of read(batch)) byId.set(r[0] as number, make(r));
    for (const id of batch) {
      const f = byId.get(id);
      if (f !== undefined) yield f;
    }
    batch.length = 0;
  }
  for (const id of ids) {
    batch.push(id);
    if (batch.length === batchSize) yield* flush();
  }
  if (batch.length > 0) yield* flush();
}

/** An unused_expectations row (SELECT *). */
export function unusedExpectationOfRow(r: Record<string, unknown>): UnusedExpectation {
  return {
    kind: r.kind as UnusedExpectation['kind'], client: r.client as string | null, server: r.server as string,
    proto: r.proto as number, ports: r.ports as string, parentFlowId: r.parent_flow as number,
    captureId: r.capture_id as number, rule: r.rule as string | null, evidence: r.evidence as string, ts: r.ts as number,
  };
}

/** The audit's lean columns, in the order auditFlowOfRow() reads them. */
export const AUDIT_FLOW_COLUMNS = [
  'id', 'capture_id', 'proto', 'src', 'sport', 'dst', 'dport', 'originator_guessed', 'start', 'end', 'state', 'resp_packets',
  'exp_kind', 'exp_parent', 'class_id', 'syn_options', 'synack_options',
] as const;

/** AUDIT_FLOW_COLUMNS as a select list (`end` quoted as the dialect needs). */
export function auditFlowColumns(quote: (c: string) => string = (c) => c): string {
  return AUDIT_FLOW_COLUMNS.map(quote).join(', ');
}

/** An AuditFlow from a row of auditFlowColumns(), its classification one of `classes` (shared objects). */
export function auditFlowOfRow(r: unknown[], classes: Map<number, Classification>): AuditFlow {
  type Exp = NonNullable<AuditFlow['expectation']>;
  return {
    id: r[0] as number, captureId: r[1] as number, proto: r[2] as number,
    src: r[3] as string, sport: r[4] as number, dst: r[5] as string, dport: r[6] as number,
    originatorGuessed: r[7] === 1, start: r[8] as number, end: r[9] as number, state: r[10] as string,
    respPackets: r[11] as number,
    expectation: r[12] === null ? null : { kind: r[12] as Exp['kind'], parentFlowId: r[13] as number },
    classification: r[14] === null ? null : classes.get(r[14] as number) ?? null,
    synOptions: r[15] as string, synAckOptions: r[16] as string,
  };
}
