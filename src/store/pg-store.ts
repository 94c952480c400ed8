/**
 * PostgreSQL store: the FlowStore of a central database (`--db postgresql://user@host/db`), the
 * same tables as SQLite's (pg-schema.ts) read back into exactly the same objects (flow-rows.ts).
 *
 * The interface is synchronous and `pg` is not: every call goes through the bridge thread
 * (pg-bridge.ts), one `pg.Client` — one session — per PgStore, so a transaction spans calls.
 * Iterators read through a server-side cursor, FETCH_ROWS rows a round trip, closed when the
 * iterator is; a cursor opened outside a write transaction runs in a read transaction of its
 * own, and a write while one is open is a savepoint in it (committed when the last cursor
 * closes). Bulk writes are one COPY FROM STDIN per call, its text made on the calling thread.
 *
 * Concurrent writers (the writer thread, parallel ingest workers, other sensors) serialise the
 * few check-then-write steps — reserving flow ids, opening a capture, building query indexes —
 * with transaction-scoped advisory locks, where SQLite takes its write lock (BEGIN IMMEDIATE).
 */
import { keptAuditFlows, keptFindingFlows, type KeptFlows } from './kept-flows.js';
import type { Classification, FlowRecord } from '../flow/flow-record.js';
import { StoreError, UserError, oneLine } from '../util/errors.js';
import {
  CLASSIFICATION_ROWS_SQL, FINDING_COLUMNS, auditFlowColumns, auditFlowOfRow, classificationOfFlow, classificationsOfRows,
  findingFlowOfRow, flowOfRow, flowRow, inIdOrder, sharedClassifications, toCapture, toFlow, unusedExpectationOfRow,
  type StoredClassifications,
} from './flow-rows.js';
import { BridgeError, bridgeCall, bridgeOpen, type BridgeStep } from './pg-bridge.js';
import { MIGRATION_LOCK, SPOOL_ID_BLOCK, quoteColumn } from './pg-schema.js';
import { CLASS_COLUMNS, DATA_COLUMNS, FLOW_COLUMNS, flowColumnsOfData } from './schema.js';
import { parseWhere } from './where-expr.js';
import { ClassIdCache } from './class-ids.js';
import { foldSharedPairs, sharedConversationsArgs, sharedConversationsSql, spansSensors, type SharedPairRow } from './conversation-sql.js';
import { EVIDENCE_VARS } from '../flow/flow-record.js';
import type {
  AuditFlow, CaptureEnd, CaptureInfo, CaptureProgress, CaptureStart, CaptureStatus, DroppedCaptures, FindingFlow, FlowFilter, RowStore,
  StoreConnection, StoredFlow, UnusedExpectation, SharedFlow, SpoolInfo,
} from './types.js';

/** Rows a cursor fetches per round trip: a few thousand keeps both the trips and the memory small. */
export const FETCH_ROWS = 4000;
/** Flows read per by-id query (as SqliteStore's BY_ID_BATCH). */
const BY_ID_BATCH = 64;
const NEXT_FLOW_ID = 'next_flow_id';
/** Advisory locks of the check-then-write steps (any constants apart from the migration's). */
const FLOW_ID_LOCK = MIGRATION_LOCK + 1;
const CAPTURE_LOCK = MIGRATION_LOCK + 2;
const INDEX_LOCK = MIGRATION_LOCK + 3;

/** Whether the user named a PostgreSQL database rather than a SQLite file. */
export function isPgUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

/**
 * The URL as messages show it: without a password (in the URL or its query), and otherwise as
 * the user typed it (URL's serializer would re-encode the query: sslrootcert=%2Fetc%2F...).
 */
export function redactPgUrl(url: string): string {
  return url
    .replace(/^(postgres(?:ql)?:\/\/[^:@/?#]*):[^@/?#]*@/i, '$1@')
    .replace(/([?&])password=[^&#]*&?/i, '$1')
    .replace(/[?&]$/, '');
}

/** Node's codes for a server out of reach, in the user's words. */
export const UNREACHABLE: Record<string, string> = {
  ECONNREFUSED: 'connection refused', ENOTFOUND: 'unknown host', EAI_AGAIN: 'unknown host (name lookup failed)',
  ETIMEDOUT: 'connection timed out', EHOSTUNREACH: 'host unreachable', ENETUNREACH: 'network unreachable', ECONNRESET: 'connection reset',
};

/**
 * `e` as the StoreError (or UserError) the user sees when PostgreSQL failed for an outside
 * reason — unreachable, refused, gone, full — naming the database; any other failure (a bug:
 * a syntax error, a constraint) stays what it is.
 */
export function pgStoreError(e: unknown, location: string, connecting = false): unknown {
  if (!(e instanceof BridgeError)) return e;
  const code = e.code ?? '';
  const msg = oneLine(e.message);
  if (code === 'FA_NO_SCHEMA') return new UserError(`${location}: no flowaudit database here (it has no flowaudit tables; run flowaudit read first)`);
  if (/is newer than this flowaudit/.test(msg)) return new UserError(msg);
  if (connecting) {
    const why = UNREACHABLE[code];
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new StoreError(`${location}: cannot connect: ${why} ${hostOf(location)}`.trimEnd(), code);
    return new StoreError(`${location}: cannot connect: ${why ?? msg}`, code || 'PG_CONNECT');
  }
  if (UNREACHABLE[code] || code === 'EPIPE' || /^(08|57P0)/.test(code) || /Connection terminated|not queryable|connection error/i.test(msg)) {
    return new StoreError(`${location}: lost the connection to the server (${msg})`, code || 'PG_LOST');
  }
  if (code === '53100') return new StoreError(`${location}: the database server's disk is full (${msg})`, code);
  if (/^(53|28|3D)/.test(code)) return new StoreError(`${location}: ${msg}`, code);
  return e;
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return '';
  }
}

/** `?` placeholders (outside quoted text) numbered as PostgreSQL's $1, $2, ... */
export function dollarParams(sql: string): string {
  let n = 0;
  return sql.replace(/'(?:[^']|'')*'|\?/g, (m) => (m === '?' ? `$${++n}` : m));
}

const NEEDS_ESCAPE = /[\\\t\n\r]/;

/** One text value in COPY's text format (backslash, tab, newline, carriage return escaped). */
function copyString(s: string): string {
  return NEEDS_ESCAPE.test(s) ? s.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r')) : s;
}

const encoder = new TextEncoder();

/**
 * Rows as COPY text, in a buffer of their own (transferred to the bridge thread, not copied):
 * NULL as \N, numbers as JavaScript writes them (the shortest text that reads back the same
 * double), booleans as 1/0. Made on the calling thread.
 */
export function copyText(rows: readonly (readonly unknown[])[]): ArrayBuffer {
  const lines: string[] = new Array(rows.length + 1);
  const cells: string[] = [];
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    cells.length = r.length;
    for (let k = 0; k < r.length; k++) {
      const v = r[k];
      cells[k] = v === null || v === undefined ? '\\N' : typeof v === 'string' ? copyString(v) : typeof v === 'boolean' ? (v ? '1' : '0') : String(v);
    }
    lines[i] = cells.join('\t');
  }
  lines[rows.length] = '';
  return encoder.encode(lines.join('\n')).buffer as ArrayBuffer;
}

const COPY_FLOWS = `COPY flow_data (${DATA_COLUMNS.map(quoteColumn).join(', ')}) FROM STDIN`;

/** What toFlow() reads (flow-rows.ts): the `flows` columns, then the nearest rule and the approval. */
const FLOW_SELECT = [...FLOW_COLUMNS, 'nearest_rule', 'approved'].map((c) => `f.${quoteColumn(c)}`).join(', ');
/** The `flows` view's columns made as the view makes them (pg-schema.ts), and the two the view leaves out. */
const FLOW_SOURCE = (() => {
  const ev = EVIDENCE_VARS;
  return `(SELECT ${flowColumnsOfData().map((c) => `f.${quoteColumn(c)}`).join(', ')}, c.rule, c.match_how,
    CASE WHEN c.evidence_vars = 1 THEN
      replace(replace(replace(replace(c.evidence, '${ev.src}', f.src), '${ev.dst}', f.dst), '${ev.sport}', f.sport::text), '${ev.dport}', f.dport::text)
    ELSE c.evidence END AS evidence,
    c.src_roles, c.dst_roles, c.src_site, c.dst_site, c.ignored, c.nearest_rule AS nearest_rule, c.approved AS approved
    FROM flow_data f LEFT JOIN classifications c ON c.id = f.class_id)`;
})();

export class PgStore implements RowStore {
  readonly location: string;
  private handle: number;
  private closed = false;
  /** Depth of write transactions (nested ones run inside the outer one). */
  private txDepth = 0;
  /** A read transaction the open cursors run in (the session's, when no write one is open). */
  private cursorTx = false;
  private openCursors = 0;
  private cursorSeq = 0;
  private queryIndexes = false;

  constructor(private readonly url: string, opts: { mustExist?: boolean } = {}) {
    this.location = redactPgUrl(url);
    try {
      this.handle = bridgeOpen(url, this.location, opts.mustExist ?? false);
    } catch (e) {
      throw pgStoreError(e, this.location, true);
    }
  }

  connection(): StoreConnection {
    return { kind: 'postgres', url: this.url };
  }

  /** Runs steps on this store's session in one round trip; the rows of each. */
  private run(steps: BridgeStep[], transfer: ArrayBuffer[] = []): unknown[][] {
    if (this.closed) throw new Error(`${this.location}: the store is closed`);
    try {
      return bridgeCall({ op: 'run', handle: this.handle, steps }, transfer);
    } catch (e) {
      throw pgStoreError(e, this.location);
    }
  }

  private rows(sql: string, params: readonly unknown[] = []): Record<string, unknown>[] {
    return this.run([{ sql: dollarParams(sql), params }])[0] as Record<string, unknown>[];
  }

  private arrays(sql: string, params: readonly unknown[] = []): unknown[][] {
    return this.run([{ sql: dollarParams(sql), params, array: true }])[0] as unknown[][];
  }

  private exec(sql: string, params: readonly unknown[] = []): void {
    this.run([{ sql: dollarParams(sql), params }]);
  }

  /**
   * `fn` in one write transaction (a savepoint inside the cursors' read transaction when one is
   * open), rolled back when it throws; nested calls join the outer one.
   */
  private tx<T>(fn: () => T): T {
    if (this.txDepth > 0) {
      this.txDepth++;
      try {
        return fn();
      } finally {
        this.txDepth--;
      }
    }
    const inner = this.cursorTx;
    this.run([{ sql: inner ? 'SAVEPOINT flowaudit_write' : 'BEGIN' }]);
    this.txDepth = 1;
    try {
      const r = fn();
      this.run([{ sql: inner ? 'RELEASE SAVEPOINT flowaudit_write' : 'COMMIT' }]);
      return r;
    } catch (e) {
      try {
        this.run([{ sql: inner ? 'ROLLBACK TO SAVEPOINT flowaudit_write' : 'ROLLBACK' }]);
      } catch {
        // The session is gone: the server rolls back by itself.
      }
      throw e;
    } finally {
      this.txDepth = 0;
      this.endCursorTxWhenIdle();
    }
  }

  /** Commits the cursors' read transaction once no cursor and no write needs it. */
  private endCursorTxWhenIdle(): void {
    if (this.cursorTx && this.openCursors === 0 && this.txDepth === 0) {
      this.cursorTx = false;
      this.run([{ sql: 'COMMIT' }]);
    }
  }

  /** The rows of a query through a server-side cursor, FETCH_ROWS at a time; closed when the iteration ends. */
  private *cursor(sql: string, params: readonly unknown[], fetch = FETCH_ROWS): IterableIterator<unknown[]> {
    const name = `flowaudit_c${++this.cursorSeq}`;
    const steps: BridgeStep[] = [];
    if (this.txDepth === 0 && !this.cursorTx) {
      steps.push({ sql: 'BEGIN' });
      this.cursorTx = true;
    }
    steps.push({ sql: `DECLARE ${name} NO SCROLL CURSOR FOR ${dollarParams(sql)}`, params }, { sql: `FETCH ${fetch} FROM ${name}`, array: true });
    this.openCursors++;
    let failed = false;
    try {
      let rows = this.run(steps).at(-1) as unknown[][];
      for (;;) {
        for (const r of rows) yield r;
        if (rows.length < fetch) break;
        rows = this.run([{ sql: `FETCH ${fetch} FROM ${name}`, array: true }])[0] as unknown[][];
      }
    } catch (e) {
      failed = true;
      throw e;
    } finally {
      this.openCursors--;
      if (failed) {
        // The transaction is aborted: end it (every cursor in it is gone with it).
        if (this.cursorTx && this.txDepth === 0) {
          this.cursorTx = false;
          try { this.run([{ sql: 'ROLLBACK' }]); } catch { /* the session is gone */ }
        }
      } else {
        this.run([{ sql: `CLOSE ${name}` }]);
        this.endCursorTxWhenIdle();
      }
    }
  }

  private insertClassSql = `INSERT INTO classifications (key, ${CLASS_COLUMNS.join(', ')})
    VALUES ($1, ${CLASS_COLUMNS.map((_, i) => `$${i + 2}`).join(', ')}) RETURNING id`;
  private readonly classIds = new ClassIdCache(
    (limit) => this.arrays('SELECT key, id FROM classifications ORDER BY id DESC LIMIT ?', [limit]) as [string, number][],
    (key, columns) => (this.run([{ sql: this.insertClassSql, params: [key, ...columns], array: true }])[0] as unknown[][])[0]![0] as number,
  );

  classId(c: Classification | null): number | null {
    return this.classIds.classId(c);
  }

  classIdOfKey(key: string, columns?: readonly unknown[]): number {
    return this.classIds.classIdOfKey(key, columns);
  }

  private forgetClassIdsOnFailure<T>(run: () => T): T {
    return this.classIds.forgetOnFailure(run);
  }

  findCapture(q: { sha256?: string; fingerprint?: string }): CaptureInfo | null {
    const row = q.sha256
      ? this.rows('SELECT * FROM captures WHERE sha256 = ? ORDER BY id DESC LIMIT 1', [q.sha256])[0]
      : this.rows('SELECT * FROM captures WHERE fingerprint = ? ORDER BY id DESC LIMIT 1', [q.fingerprint])[0];
    return row ? toCapture(row) : null;
  }

  deleteCapture(id: number): void {
    this.tx(() => this.deleteCaptureRows(id));
  }

  private deleteCaptureRows(id: number): void {
    this.run([
      { sql: 'DELETE FROM flow_data WHERE capture_id = $1', params: [id] },
      { sql: 'DELETE FROM unused_expectations WHERE capture_id = $1', params: [id] },
      { sql: 'DELETE FROM captures WHERE id = $1', params: [id] },
    ]);
  }

  beginCapture(c: CaptureStart): number {
    return this.insertCapture(c);
  }

  private insertCapture(c: CaptureStart): number {
    return this.arrays(`INSERT INTO captures (source, format, sha256, fingerprint, size, status, tap_side, started_at, reader, sensor)
      VALUES (?, ?, ?, ?, ?, 'partial', ?, ?, ?, ?) RETURNING id`,
    [c.source, c.format, c.sha256, c.fingerprint, c.size, c.tapSide, new Date().toISOString(), c.reader ?? null, c.sensor ?? null])[0]![0] as number;
  }

  openCapture(c: CaptureStart, replaces: { id: number; status: CaptureStatus } | null): number | null {
    return this.tx((): number | null => {
      if (c.fingerprint !== null) {
        this.exec('SELECT pg_advisory_xact_lock(?)', [CAPTURE_LOCK]);
        const latest = this.rows('SELECT id, status FROM captures WHERE fingerprint = ? ORDER BY id DESC LIMIT 1', [c.fingerprint])[0] as
          { id: number; status: CaptureStatus } | undefined;
        if ((latest?.id ?? null) !== (replaces?.id ?? null) || (latest !== undefined && latest.status !== replaces!.status)) return null;
        if (latest?.status === 'partial') this.deleteCaptureRows(latest.id);
      }
      return this.insertCapture(c);
    });
  }

  captureReader(id: number): string | null {
    return (this.rows('SELECT reader FROM captures WHERE id = ?', [id])[0]?.reader as string | null | undefined) ?? null;
  }

  /** As SqliteStore's, under an advisory lock; ids from SPOOL_ID_BLOCK up are forwarded spools' and do not count. */
  reserveFlowIds(count: number): number {
    return this.tx(() => {
      const r = this.run([
        { sql: 'SELECT pg_advisory_xact_lock($1)', params: [FLOW_ID_LOCK] },
        { sql: 'SELECT COALESCE(MAX(id), 0) + 1 FROM flow_data WHERE id < $1', params: [SPOOL_ID_BLOCK], array: true },
        { sql: 'SELECT value FROM meta WHERE key = $1', params: [NEXT_FLOW_ID], array: true },
      ]);
      const stored = (r[1] as unknown[][])[0]![0] as number;
      const meta = (r[2] as unknown[][])[0]?.[0];
      const first = Math.max(stored, Number(meta ?? 0));
      this.setMetaRaw(NEXT_FLOW_ID, String(first + count));
      return first;
    });
  }

  releaseFlowIds(end: number, next: number): void {
    this.exec('UPDATE meta SET value = ? WHERE key = ? AND value = ?', [String(next), NEXT_FLOW_ID, String(end)]);
  }

  private setMetaRaw(key: string, value: string): void {
    this.exec('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value', [key, value]);
  }

  updateCaptureProgress(id: number, c: CaptureProgress): void {
    this.exec(`UPDATE captures SET packets = GREATEST(packets, ?), drops = COALESCE(?, drops), if_drops = COALESCE(?, if_drops),
      format = COALESCE(?, format), error = COALESCE(?, error) WHERE id = ? AND status = 'partial'`,
    [c.packets, c.drops, c.ifDrops, c.format ?? null, c.error ?? null, id]);
  }

  recordCaptureError(ids: readonly number[], error: string): void {
    if (ids.length) this.exec(`UPDATE captures SET error = ? WHERE id = ANY(?::bigint[]) AND status = 'partial'`, [error, [...ids]]);
  }

  /** Copies flowRow() rows in (inside the caller's transaction). */
  private copyRows(rows: readonly unknown[][]): void {
    if (!rows.length) return;
    const data = copyText(rows);
    this.run([{ sql: COPY_FLOWS, copy: data }], [data]);
  }

  writeFlows(flows: readonly (FlowRecord & { captureId: number })[]): void {
    if (!flows.length) return;
    this.forgetClassIdsOnFailure(() => this.tx(() => this.copyRows(flows.map((f) => flowRow(f, this.classId(f.classification))))));
  }

  writeRows(rows: readonly unknown[][], prepare?: () => void): void {
    if (!rows.length) return;
    this.forgetClassIdsOnFailure(() => this.tx(() => {
      prepare?.();
      this.copyRows(rows);
    }));
  }

  writeUnusedExpectations(items: readonly UnusedExpectation[]): void {
    if (!items.length) return;
    const data = copyText(items.map((u) => [u.captureId, u.kind, u.client, u.server, u.proto, u.ports, u.parentFlowId, u.rule, u.evidence, u.ts]));
    this.tx(() => this.run([{
      sql: 'COPY unused_expectations (capture_id, kind, client, server, proto, ports, parent_flow, rule, evidence, ts) FROM STDIN', copy: data,
    }], [data]));
  }

  finishCaptures(flows: readonly (FlowRecord & { captureId: number })[], ends: Map<number, CaptureEnd>): DroppedCaptures {
    return this.finishWith(() => this.copyRows(flows.map((f) => flowRow(f, this.classId(f.classification)))), ends);
  }

  finishRows(rows: readonly unknown[][], ends: Map<number, CaptureEnd>, prepare?: () => void): DroppedCaptures {
    return this.finishWith(() => {
      prepare?.();
      this.copyRows(rows);
    }, ends);
  }

  private finishWith(insertLast: () => void, ends: Map<number, CaptureEnd>): DroppedCaptures {
    const dropped: DroppedCaptures = new Map();
    this.forgetClassIdsOnFailure(() => this.tx(() => {
      insertLast();
      const updates: BridgeStep[] = [];
      for (const [id, e] of ends) {
        if (e.dropIfStored && e.sha256 !== null && e.status === 'complete') {
          const copy = this.arrays(`SELECT id FROM captures WHERE sha256 = ? AND status = 'complete' AND id <> ? ORDER BY id LIMIT 1`, [e.sha256, id])[0]?.[0];
          if (copy !== undefined) {
            this.deleteCaptureRows(id);
            dropped.set(id, copy as number);
            continue;
          }
        }
        updates.push({
          sql: `UPDATE captures SET format = $1, link_types = $2, first_ts = $3, last_ts = $4, packets = $5, bytes = $6,
            drops = $7, if_drops = $8, sha256 = COALESCE($9, sha256), status = $10, error = $11, decode_errors = $12, finished_at = $13 WHERE id = $14`,
          params: [e.format, JSON.stringify(e.linkTypes), e.firstTs, e.lastTs, e.packets, e.bytes, e.drops, e.ifDrops,
            e.sha256, e.status, e.error, JSON.stringify(e.decodeErrors), new Date().toISOString(), id],
        });
      }
      if (updates.length) this.run(updates);
    }));
    return dropped;
  }

  /**
   * One UPDATE per 5,000 flows, its values as arrays (unnest): a statement per flow was a round
   * trip each between the bridge and the server, and re-classifying the 10M bench's 200k flows
   * took a minute.
   */
  updateClassifications(flows: Iterable<StoredFlow>): number {
    let n = 0;
    const sql = `UPDATE flow_data f SET class_id = v.class_id, exp_kind = v.exp_kind, exp_parent = v.exp_parent, exp_rule = v.exp_rule,
        exp_evidence = v.exp_evidence
      FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::bigint[], $5::text[], $6::text[])
        AS v(id, class_id, exp_kind, exp_parent, exp_rule, exp_evidence)
      WHERE f.id = v.id`;
    this.forgetClassIdsOnFailure(() => this.tx(() => {
      let cols: unknown[][] = [[], [], [], [], [], []];
      const flush = () => {
        if (cols[0]!.length) this.run([{ sql, params: cols }]);
        cols = [[], [], [], [], [], []];
      };
      for (const f of flows) {
        const c = f.classification;
        if (!c) continue;
        const e = f.expectation;
        cols[0]!.push(f.id);
        cols[1]!.push(this.classId(c));
        cols[2]!.push(e ? e.kind : null);
        cols[3]!.push(e ? e.parentFlowId : null);
        cols[4]!.push(e ? e.rule : null);
        cols[5]!.push(e ? e.evidence : null);
        n++;
        if (cols[0]!.length >= 5000) flush();
      }
      flush();
    }));
    return n;
  }

  getMeta(key: string): string | null {
    return (this.rows('SELECT value FROM meta WHERE key = ?', [key])[0]?.value as string | undefined) ?? null;
  }

  setMeta(key: string, value: string): void {
    this.setMetaRaw(key, value);
  }

  unclassifiedCount(): number {
    return this.arrays('SELECT COUNT(*) FROM flow_data WHERE class_id IS NULL')[0]![0] as number;
  }

  captures(): CaptureInfo[] {
    return this.rows('SELECT * FROM captures ORDER BY id').map(toCapture);
  }

  unusedExpectations(captureIds?: number[]): UnusedExpectation[] {
    return this.rows('SELECT * FROM unused_expectations ORDER BY id')
      .filter((r) => !captureIds || captureIds.includes(r.capture_id as number)).map(unusedExpectationOfRow);
  }

  /**
   * Indexes for browsing by address/port, built on first use as SqliteStore's are (the same two,
   * so `flows --host` is an index lookup: test/store/pg-store.test.ts), under an advisory lock so
   * that two sessions never build one at once.
   */
  ensureQueryIndexes(): void {
    if (this.queryIndexes) return;
    this.queryIndexes = true;
    this.tx(() => this.run([
      { sql: 'SELECT pg_advisory_xact_lock($1)', params: [INDEX_LOCK] },
      { sql: 'CREATE INDEX IF NOT EXISTS flow_data_src ON flow_data(src)' },
      { sql: 'CREATE INDEX IF NOT EXISTS flow_data_dst ON flow_data(dst, dport)' },
    ]));
  }

  *flows(filter: FlowFilter = {}): IterableIterator<StoredFlow> {
    const where: string[] = [];
    const args: unknown[] = [];
    const captureNames = new Map(this.captures().map((c) => [c.id, c.source]));
    if (filter.captureIds?.length && !(filter.captureIds.length >= captureNames.size && [...captureNames.keys()].every((id) => filter.captureIds!.includes(id)))) {
      where.push('f.capture_id = ANY(?::bigint[])');
      args.push([...filter.captureIds]);
    }
    if (filter.host || filter.port !== undefined) this.ensureQueryIndexes();
    if (filter.host) { where.push('(f.src = ? OR f.dst = ?)'); args.push(filter.host, filter.host); }
    if (filter.port !== undefined) { where.push('(f.sport = ? OR f.dport = ?)'); args.push(filter.port, filter.port); }
    if (filter.proto !== undefined) { where.push('f.proto = ?'); args.push(filter.proto); }
    if (filter.rule !== undefined) { where.push('f.rule = ?'); args.push(filter.rule); }
    if (filter.where) {
      const w = parseWhere(filter.where, 'postgres');
      if (/f\.(src|dst|sport|dport)/.test(w.sql)) this.ensureQueryIndexes();
      where.push(`(${w.sql})`);
      args.push(...w.args);
    }
    const sql = `SELECT ${FLOW_SELECT} FROM ${FLOW_SOURCE} f
      ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ${filter.ordered === false ? '' : 'ORDER BY f.start, f.id'} ${filter.limit ? 'LIMIT ' + Math.floor(filter.limit) : ''}`;
    for (const r of this.cursor(sql, args)) yield toFlow(r, captureNames.get(r[1] as number) ?? '');
  }

  *auditFlows(captureIds: readonly number[], kept: KeptFlows | null = null): IterableIterator<AuditFlow> {
    const classes = sharedClassifications(this.classificationRows());
    if (kept !== null) {
      yield* keptAuditFlows(kept, classes);
      return;
    }
    const { where, args } = this.captureFilter(captureIds);
    const sql = `SELECT ${auditFlowColumns(quoteColumn)} FROM flow_data ${where ? `WHERE ${where}` : ''} ORDER BY id`;
    for (const r of this.cursor(sql, args)) yield auditFlowOfRow(r, classes);
  }

  flowsById(ids: Iterable<number>): IterableIterator<StoredFlow> {
    const classIdAt = DATA_COLUMNS.indexOf('class_id');
    return this.byIds(ids, DATA_COLUMNS, (r, capture, classOf) => flowOfRow(r, capture, classOf(r[classIdAt], r)));
  }

  findingFlowsById(ids: Iterable<number>, kept: KeptFlows | null = null): IterableIterator<FindingFlow> {
    if (kept !== null) return keptFindingFlows(kept, ids, this.captures(), this.classificationRows());
    return this.byIds(ids, FINDING_COLUMNS, (r, capture, classOf) => findingFlowOfRow(r, capture, classOf(r[FINDING_COLUMNS.length - 1], r)));
  }

  /** As SqliteStore's byIds: BY_ID_BATCH ids a query (inIdOrder). */
  private byIds<T>(
    ids: Iterable<number>, columns: readonly string[],
    make: (r: unknown[], capture: string, classOf: (classId: unknown, r: unknown[]) => Classification | null) => T,
  ): IterableIterator<T> {
    const captureNames = new Map(this.captures().map((c) => [c.id, c.source]));
    const classOf = classificationOfFlow(this.classificationRows());
    const sql = `SELECT ${columns.map(quoteColumn).join(', ')} FROM flow_data WHERE id = ANY($1::bigint[]) ORDER BY id`;
    const read = (batch: readonly number[]): unknown[][] => this.run([{ sql, params: [batch], array: true }])[0] as unknown[][];
    return inIdOrder(ids, BY_ID_BATCH, read, (r) => make(r, captureNames.get(r[1] as number) ?? '', classOf));
  }

  flowIdsByStart(captureIds: readonly number[]): Float64Array {
    const { where, args } = this.captureFilter(captureIds);
    let out = new Float64Array(1024);
    let n = 0;
    for (const r of this.cursor(`SELECT id FROM flow_data ${where ? `WHERE ${where}` : ''} ORDER BY start, id`, args, 20_000)) {
      if (n === out.length) {
        const grown = new Float64Array(out.length * 2);
        grown.set(out);
        out = grown;
      }
      out[n++] = r[0] as number;
    }
    return out.slice(0, n);
  }

  private classificationRows(): StoredClassifications {
    return classificationsOfRows(this.arrays(CLASSIFICATION_ROWS_SQL));
  }

  private captureFilter(captureIds: readonly number[]): { where: string | null; args: unknown[] } {
    if (captureIds.length === 0) return { where: null, args: [] };
    const stored = this.captures().map((c) => c.id);
    if (stored.every((id) => captureIds.includes(id))) return { where: null, args: [] };
    return { where: 'capture_id = ANY(?::bigint[])', args: [[...captureIds]] };
  }

  /** The same statement as SQLite's (conversation-sql.ts), only when the audited captures come from several sensors. */
  sharedConversations(captureIds: readonly number[]): SharedFlow[] {
    if (!spansSensors(this.captures(), captureIds)) return [];
    const ids = this.captureFilter(captureIds).where === null ? [] : [...captureIds];
    return foldSharedPairs(this.rows(sharedConversationsSql(ids.length, () => '?'), sharedConversationsArgs(ids)) as unknown as SharedPairRow[]);
  }

  spools(): SpoolInfo[] {
    return this.rows('SELECT spool_no, sensor, path, registered_at, last_forward_at, backlog_flows FROM spools ORDER BY spool_no').map((r) => ({
      spoolNo: Number(r.spool_no), sensor: r.sensor as string, path: (r.path as string | null) ?? null, registeredAt: r.registered_at as string,
      lastForwardAt: (r.last_forward_at as string | null) ?? null, backlogFlows: Number(r.backlog_flows),
    }));
  }

  saveReport(catalogHash: string, siteHash: string, captureIds: number[], report: unknown): void {
    this.exec('INSERT INTO findings (catalog_hash, site_hash, captures, computed_at, report) VALUES (?,?,?,?,?)',
      [catalogHash, siteHash, JSON.stringify(captureIds), new Date().toISOString(), JSON.stringify(report)]);
  }

  latestReport(catalogHash: string, siteHash: string, captureIds: number[]): unknown | null {
    const r = this.rows('SELECT report FROM findings WHERE catalog_hash = ? AND site_hash = ? AND captures = ? ORDER BY id DESC LIMIT 1',
      [catalogHash, siteHash, JSON.stringify(captureIds)])[0];
    return r ? JSON.parse(r.report as string) : null;
  }

  close(): void {
    if (this.closed) return;
    try {
      // A read transaction left by an iterator nobody finished; a write one is rolled back with the session.
      if (this.cursorTx && this.txDepth === 0) this.run([{ sql: 'COMMIT' }]);
    } catch {
      // Closing a session the server already dropped.
    }
    this.closed = true;
    try {
      bridgeCall({ op: 'close', handle: this.handle });
    } catch {
      // As above.
    }
  }
}
