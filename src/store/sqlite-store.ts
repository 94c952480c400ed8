/**
 * SQLite store (better-sqlite3): WAL journal, schema version with migrations, batched inserts in
 * transactions. A capture row is written 'partial' before its first flow and set 'complete'
 * only in the transaction that writes its last flows, so a crash or kill mid-ingest leaves a
 * consistent database with that capture marked partial; re-running replaces it.
 *
 * Several connections write to one file (the writer thread, a parallel ingest's workers): write
 * transactions are BEGIN IMMEDIATE, taking the write lock first and waiting for it (busy
 * timeout). A deferred one that reads before it writes fails at once with "database is locked"
 * when another connection committed in between: SQLite cannot wait that conflict out.
 */
import { keptAuditFlows, keptFindingFlows, type KeptFlows } from './kept-flows.js';
import Database from 'better-sqlite3';
import type { Classification, FlowRecord } from '../flow/flow-record.js';
import { CLASS_COLUMNS, DATA_COLUMNS, FLOW_COLUMNS, VIEW_CLASS_COLUMNS, columnIndex, flowColumnsOfData, migrate } from './schema.js';
import { asStoreError, guarded, openFailure } from './store-errors.js';
import {
  AUDIT_FLOW_COLUMNS, CLASSIFICATION_ROWS_SQL, FINDING_COLUMNS, auditFlowColumns, auditFlowOfRow, classificationOfFlow, classificationsOfRows,
  findingFlowOfRow, flowOfRow, flowRow, inIdOrder, sharedClassifications, toCapture, toFlow, unusedExpectationOfRow,
  type StoredClassifications,
} from './flow-rows.js';
import { parseWhere } from './where-expr.js';
import { canReadAhead, readAhead } from './sqlite-read-ahead.js';
import { ClassIdCache } from './class-ids.js';
import { foldSharedPairs, sharedConversationsArgs, sharedConversationsSql, spansSensors, type SharedPairRow } from './conversation-sql.js';
import type {
  AuditFlow, CaptureEnd, CaptureInfo, CaptureProgress, CaptureStart, CaptureStatus, DroppedCaptures, FindingFlow, FlowFilter, RowStore,
  SharedFlow, SpoolInfo, StoreConnection, StoredFlow, UnusedExpectation,
} from './types.js';

export { SCHEMA_VERSION, FLOW_COLUMNS, DATA_COLUMNS, columnIndex, classKeyOfColumns } from './schema.js';
export { ROW, classKey, classificationColumns, flowRow } from './flow-rows.js';

/** The meta key of the first flow id no run has reserved (reserveFlowIds). */
const NEXT_FLOW_ID = 'next_flow_id';

type Row = Record<string, unknown>;

export class SqliteStore implements RowStore {
  readonly db: Database.Database;
  private insertFlow!: Database.Statement;
  private writeMany!: (flows: readonly (FlowRecord & { captureId: number })[]) => void;

  /**
   * @param bulk a connection that mostly appends flows (the writer thread): a larger page cache
   *   and fewer WAL checkpoints cut the cost per inserted flow by about a third (measured
   *   7.4 → 5.1 µs per row on this machine).
   */
  constructor(readonly path: string, opts: { bulk?: boolean } = {}) {
    try {
      // Other connections (writer threads, parallel ingest workers) share the file: wait for
      // their transactions (busy timeout), from the first statement on.
      this.db = new Database(path, { timeout: 30_000 });
      this.db.pragma('journal_mode = WAL');
    } catch (e) {
      throw openFailure(path, e);
    }
    try {
      this.setUp(opts);
    } catch (e) {
      this.db.close();
      throw asStoreError(e, path);
    }
  }

  private setUp(opts: { bulk?: boolean }): void {
    this.db.pragma('synchronous = NORMAL');
    if (opts.bulk) {
      // Inserts append (rowid and capture_id both grow), so the working set is the right edge
      // of two b-trees: 8 MiB is as fast as 32 MiB on the 10M bench and keeps 25-40 MB of RSS.
      this.db.pragma('cache_size = -8192');
      this.db.pragma('wal_autocheckpoint = 20000');
    }
    this.db.pragma('foreign_keys = ON');
    migrate(this.db, this.path);
    this.insertFlow = this.db.prepare(`INSERT INTO flow_data (${DATA_COLUMNS.join(', ')})
      VALUES (${DATA_COLUMNS.map(() => '?').join(',')})`);
    this.insertClass = this.db.prepare(`INSERT INTO classifications (key, ${CLASS_COLUMNS.join(', ')})
      VALUES (?, ${CLASS_COLUMNS.map(() => '?').join(', ')})`);
    const writeMany = this.db.transaction((flows: readonly (FlowRecord & { captureId: number })[]) => {
      for (const f of flows) this.insertOne(f);
    });
    this.writeMany = (flows) => this.forgetClassIdsOnFailure(() => writeMany.immediate(flows));
  }

  get location(): string {
    return this.path;
  }

  connection(): StoreConnection | null {
    return this.path === ':memory:' ? null : { kind: 'sqlite', path: this.path };
  }

  private insertClass!: Database.Statement;
  private readonly classIds = new ClassIdCache(
    (limit) => this.db.prepare('SELECT key, id FROM classifications ORDER BY id DESC LIMIT ?').raw().all(limit) as [string, number][],
    (key, columns) => Number(this.insertClass.run(key, ...columns).lastInsertRowid),
  );

  /** The classifications row of a classification (inserted when new); null for an unclassified flow. */
  classId(c: Classification | null): number | null {
    return this.classIds.classId(c);
  }

  /** Same, from the key classKeyOfColumns() made (see store/class-ids.ts). */
  classIdOfKey(key: string, columns?: readonly unknown[]): number {
    return this.classIds.classIdOfKey(key, columns);
  }

  private forgetClassIdsOnFailure<T>(run: () => T): T {
    return this.classIds.forgetOnFailure(run);
  }

  findCapture(q: { sha256?: string; fingerprint?: string }): CaptureInfo | null {
    return guarded(this.path, () => {
      const row = (q.sha256
        ? this.db.prepare('SELECT * FROM captures WHERE sha256 = ? ORDER BY id DESC LIMIT 1').get(q.sha256)
        : this.db.prepare('SELECT * FROM captures WHERE fingerprint = ? ORDER BY id DESC LIMIT 1').get(q.fingerprint)) as Row | undefined;
      return row ? toCapture(row) : null;
    });
  }

  deleteCapture(id: number): void {
    guarded(this.path, () => {
      this.db.transaction(() => this.deleteCaptureRows(id)).immediate();
    });
  }

  private deleteCaptureRows(id: number): void {
    this.db.prepare('DELETE FROM flow_data WHERE capture_id = ?').run(id);
    this.db.prepare('DELETE FROM unused_expectations WHERE capture_id = ?').run(id);
    this.db.prepare('DELETE FROM captures WHERE id = ?').run(id);
  }

  beginCapture(c: CaptureStart): number {
    return guarded(this.path, () => this.insertCapture(c));
  }

  private insertCapture(c: CaptureStart): number {
    const r = this.db.prepare(`INSERT INTO captures (source, format, sha256, fingerprint, size, status, tap_side, started_at, reader, sensor)
      VALUES (?, ?, ?, ?, ?, 'partial', ?, ?, ?, ?)`)
      .run(c.source, c.format, c.sha256, c.fingerprint, c.size, c.tapSide, new Date().toISOString(), c.reader ?? null, c.sensor ?? null);
    return Number(r.lastInsertRowid);
  }

  openCapture(c: CaptureStart, replaces: { id: number; status: CaptureStatus } | null): number | null {
    return guarded(this.path, () => this.db.transaction((): number | null => {
      if (c.fingerprint !== null) {
        const latest = this.db.prepare('SELECT id, status FROM captures WHERE fingerprint = ? ORDER BY id DESC LIMIT 1')
          .get(c.fingerprint) as { id: number; status: CaptureStatus } | undefined;
        if ((latest?.id ?? null) !== (replaces?.id ?? null) || (latest !== undefined && latest.status !== replaces!.status)) return null;
        if (latest?.status === 'partial') this.deleteCaptureRows(latest.id);
      }
      return this.insertCapture(c);
    }).immediate());
  }

  captureReader(id: number): string | null {
    return guarded(this.path, () => {
      const r = this.db.prepare('SELECT reader FROM captures WHERE id = ?').get(id) as { reader: string | null } | undefined;
      return r?.reader ?? null;
    });
  }

  /**
   * Ranges are handed out from meta 'next_flow_id', never below the highest stored id + 1 (a
   * database written before ranges existed, or rows a killed run left). A run gives back what
   * it did not use (releaseFlowIds), so one run after another numbers its flows on.
   */
  reserveFlowIds(count: number): number {
    return guarded(this.path, () => this.db.transaction(() => {
      const stored = (this.db.prepare('SELECT COALESCE(MAX(id), 0) + 1 AS n FROM flow_data').get() as { n: number }).n;
      const first = Math.max(stored, Number(this.getMetaRaw(NEXT_FLOW_ID) ?? 0));
      this.setMetaRaw(NEXT_FLOW_ID, String(first + count));
      return first;
    }).immediate());
  }

  releaseFlowIds(end: number, next: number): void {
    guarded(this.path, () => {
      this.db.prepare('UPDATE meta SET value = ? WHERE key = ? AND value = ?').run(String(next), NEXT_FLOW_ID, String(end));
    });
  }

  private getMetaRaw(key: string): string | null {
    const r = this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
    return r ? r.value : null;
  }

  private setMetaRaw(key: string, value: string): void {
    this.db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(key, value);
  }

  private insertOne(f: FlowRecord & { captureId: number }): void {
    this.insertFlow.run(flowRow(f, this.classId(f.classification)));
  }

  writeFlows(flows: readonly (FlowRecord & { captureId: number })[]): void {
    guarded(this.path, () => {
      if (flows.length) this.writeMany(flows);
    });
  }

  /**
   * Rows already in flowRow() form (from the writer thread). `prepare` runs first, inside the
   * transaction: it sets class_id, and a new classifications row inserted outside a
   * transaction would be a commit of its own (measured: 43 µs each instead of 5).
   */
  writeRows(rows: readonly unknown[][], prepare?: () => void): void {
    guarded(this.path, () => {
      if (!rows.length) return;
      this.forgetClassIdsOnFailure(() => this.db.transaction(() => {
        prepare?.();
        for (const r of rows) this.insertFlow.run(r);
      }).immediate());
    });
  }

  /**
   * Indexes for browsing by address/port are built on first use, not maintained during ingest:
   * each index costs about 1 µs per inserted flow, which is a tenth of the ingest budget.
   */
  ensureQueryIndexes(): void {
    guarded(this.path, () => {
      this.db.exec('CREATE INDEX IF NOT EXISTS flows_src ON flow_data(src); CREATE INDEX IF NOT EXISTS flows_dst ON flow_data(dst, dport);');
    });
  }

  writeUnusedExpectations(items: readonly UnusedExpectation[]): void {
    guarded(this.path, () => {
      const st = this.db.prepare(`INSERT INTO unused_expectations (capture_id, kind, client, server, proto, ports, parent_flow, rule, evidence, ts)
        VALUES (?,?,?,?,?,?,?,?,?,?)`);
      this.db.transaction(() => {
        for (const u of items) st.run(u.captureId, u.kind, u.client, u.server, u.proto, u.ports, u.parentFlowId, u.rule, u.evidence, u.ts);
      }).immediate();
    });
  }

  finishCaptures(flows: readonly (FlowRecord & { captureId: number })[], ends: Map<number, CaptureEnd>): DroppedCaptures {
    return guarded(this.path, () => this.finishWith(() => { for (const f of flows) this.insertOne(f); }, ends));
  }

  private finishWith(insertLast: () => void, ends: Map<number, CaptureEnd>): DroppedCaptures {
    const upd = this.db.prepare(`UPDATE captures SET format = ?, link_types = ?, first_ts = ?, last_ts = ?, packets = ?, bytes = ?,
      drops = ?, if_drops = ?, sha256 = COALESCE(?, sha256), status = ?, error = ?, decode_errors = ?, finished_at = ? WHERE id = ?`);
    const stored = this.db.prepare(`SELECT id FROM captures WHERE sha256 = ? AND status = 'complete' AND id != ? ORDER BY id LIMIT 1`).pluck();
    const dropped: DroppedCaptures = new Map();
    this.forgetClassIdsOnFailure(() => this.db.transaction(() => {
      insertLast();
      for (const [id, e] of ends) {
        const copy = e.dropIfStored && e.sha256 !== null && e.status === 'complete' ? stored.get(e.sha256, id) as number | undefined : undefined;
        if (copy !== undefined) {
          this.deleteCaptureRows(id);
          dropped.set(id, copy);
          continue;
        }
        upd.run(e.format, JSON.stringify(e.linkTypes), e.firstTs, e.lastTs, e.packets, e.bytes, e.drops, e.ifDrops,
          e.sha256, e.status, e.error, JSON.stringify(e.decodeErrors), new Date().toISOString(), id);
      }
    }).immediate());
    return dropped;
  }

  /** finishCaptures() for rows already in flowRow() form (the writer thread's path); `prepare` as for writeRows. */
  finishRows(rows: readonly unknown[][], ends: Map<number, CaptureEnd>, prepare?: () => void): DroppedCaptures {
    return guarded(this.path, () => this.finishWith(() => {
      prepare?.();
      for (const r of rows) this.insertFlow.run(r);
    }, ends));
  }

  /** Re-classification writes only the classification columns. */
  updateClassifications(flows: Iterable<StoredFlow>): number {
    return guarded(this.path, () => {
      const st = this.db.prepare(`UPDATE flow_data SET class_id = ?, exp_kind = ?, exp_parent = ?, exp_rule = ?, exp_evidence = ? WHERE id = ?`);
      let n = 0;
      this.forgetClassIdsOnFailure(() => this.db.transaction(() => {
        for (const f of flows) {
          const c = f.classification;
          if (!c) continue;
          const e = f.expectation;
          st.run(this.classId(c), e ? e.kind : null, e ? e.parentFlowId : null, e ? e.rule : null, e ? e.evidence : null, f.id);
          n++;
        }
      }).immediate());
      return n;
    });
  }

  /** Spools forward into PostgreSQL only. */
  spools(): SpoolInfo[] {
    return [];
  }

  getMeta(key: string): string | null {
    return guarded(this.path, () => {
      const r = this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
      return r ? r.value : null;
    });
  }

  setMeta(key: string, value: string): void {
    guarded(this.path, () => {
      this.db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(key, value);
    });
  }

  /** Flows stored without any classification (read without a site file). */
  unclassifiedCount(): number {
    return guarded(this.path, () => {
      return (this.db.prepare('SELECT COUNT(*) AS n FROM flow_data WHERE class_id IS NULL').get() as { n: number }).n;
    });
  }

  /** Running counters of a capture still being read, kept while it is partial (see FlowStore). */
  updateCaptureProgress(id: number, c: CaptureProgress): void {
    guarded(this.path, () => {
      this.db.prepare(`UPDATE captures SET packets = MAX(packets, ?), drops = COALESCE(?, drops), if_drops = COALESCE(?, if_drops),
        format = COALESCE(?, format), error = COALESCE(?, error) WHERE id = ? AND status = 'partial'`)
        .run(c.packets, c.drops, c.ifDrops, c.format ?? null, c.error ?? null, id);
    });
  }

  recordCaptureError(ids: readonly number[], error: string): void {
    guarded(this.path, () => {
      const st = this.db.prepare(`UPDATE captures SET error = ? WHERE id = ? AND status = 'partial'`);
      this.db.transaction(() => { for (const id of ids) st.run(error, id); }).immediate();
    });
  }

  captures(): CaptureInfo[] {
    return guarded(this.path, () => {
      return (this.db.prepare('SELECT * FROM captures ORDER BY id').all() as Row[]).map(toCapture);
    });
  }

  unusedExpectations(captureIds?: number[]): UnusedExpectation[] {
    return guarded(this.path, () => {
      const rows = this.db.prepare('SELECT * FROM unused_expectations ORDER BY id').all() as Row[];
      return rows.filter((r) => !captureIds || captureIds.includes(r.capture_id as number)).map(unusedExpectationOfRow);
    });
  }

  *flows(filter: FlowFilter = {}): IterableIterator<StoredFlow> {
    const where: string[] = [];
    const args: (string | number)[] = [];
    // Capture names come from a small map rather than a JOIN; a filter that names every capture
    // is no filter (it would turn a table scan into an index walk with a row lookup per flow).
    const captureNames = new Map(this.captures().map((c) => [c.id, c.source]));
    if (filter.captureIds?.length && !(filter.captureIds.length >= captureNames.size && [...captureNames.keys()].every((id) => filter.captureIds!.includes(id)))) {
      where.push(`f.capture_id IN (${filter.captureIds.map(() => '?').join(',')})`);
      args.push(...filter.captureIds);
    }
    if (filter.host || filter.port !== undefined) this.ensureQueryIndexes();
    if (filter.host) { where.push('(f.src = ? OR f.dst = ?)'); args.push(filter.host, filter.host); }
    if (filter.port !== undefined) { where.push('(f.sport = ? OR f.dport = ?)'); args.push(filter.port, filter.port); }
    if (filter.proto !== undefined) { where.push('f.proto = ?'); args.push(filter.proto); }
    if (filter.rule !== undefined) { where.push('f.rule = ?'); args.push(filter.rule); }
    if (filter.where) {
      const w = parseWhere(filter.where);
      for (const [name, fn] of Object.entries(w.functions)) this.db.function(name, { deterministic: true }, fn);
      if (/f\.(src|dst|sport|dport)/.test(w.sql)) this.ensureQueryIndexes();
      where.push(`(${w.sql})`);
      args.push(...w.args);
    }
    const sql = `SELECT ${FLOW_SELECT} FROM ${FLOW_SOURCE} f
      ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ${filter.ordered === false ? '' : 'ORDER BY f.start, f.id'} ${filter.limit ? 'LIMIT ' + Math.floor(filter.limit) : ''}`;
    // Raw rows (arrays): building a 40-key object per row in the addon took 3x as long.
    for (const r of this.iterateRaw(sql, args)) yield toFlow(r, captureNames.get(r[1] as number) ?? '');
  }

  *auditFlows(captureIds: readonly number[], kept: KeptFlows | null = null): IterableIterator<AuditFlow> {
    const classes = sharedClassifications(this.classificationRows());
    if (kept !== null) {
      yield* keptAuditFlows(kept, classes);
      return;
    }
    const { where, args } = this.captureFilter(captureIds);
    // Id order: the order finding items are listed in. With or without a capture filter SQLite
    // walks the table in rowid order for this (test/store/query-plans.test.ts), so no sort.
    const rows = canReadAhead(this.path)
      ? readAhead(this.path, { sql: auditFlowsPageSql(where, READ_AHEAD_ROWS), args, width: AUDIT_FLOW_COLUMNS.length, chunkRows: READ_AHEAD_ROWS, ahead: 4 })
      : this.iterateRaw(auditFlowsSql(where), args);
    for (const r of rows) yield auditFlowOfRow(r, classes);
  }

  flowsById(ids: Iterable<number>): IterableIterator<StoredFlow> {
    const classIdAt = DATA_COLUMNS.indexOf('class_id');
    return this.byIds(ids, flowsByIdSql, (r, capture, classOf) => flowOfRow(r, capture, classOf(r[classIdAt], r)));
  }

  findingFlowsById(ids: Iterable<number>, kept: KeptFlows | null = null): IterableIterator<FindingFlow> {
    if (kept !== null) return keptFindingFlows(kept, ids, this.captures(), this.classificationRows());
    return this.byIds(ids, findingFlowsByIdSql, (r, capture, classOf) => findingFlowOfRow(r, capture, classOf(r[FINDING_COLUMNS.length - 1], r)));
  }

  /**
   * Rows by id (inIdOrder), BY_ID_BATCH to a query (a prepared statement of that many
   * parameters), each made into a flow by `make` with its capture's name and its classification.
   */
  private byIds<T>(
    ids: Iterable<number>, sqlFor: (n: number) => string,
    make: (r: unknown[], capture: string, classOf: (classId: unknown, r: unknown[]) => Classification | null) => T,
  ): IterableIterator<T> {
    const captureNames = new Map(this.captures().map((c) => [c.id, c.source]));
    const classOf = classificationOfFlow(this.classificationRows());
    let full: Database.Statement | null = null;
    const read = (batch: readonly number[]): unknown[][] => {
      const st = batch.length === BY_ID_BATCH ? (full ??= this.db.prepare(sqlFor(BY_ID_BATCH))) : this.db.prepare(sqlFor(batch.length));
      return guarded(this.path, () => st.raw(true).all(...batch) as unknown[][]);
    };
    return inIdOrder(ids, BY_ID_BATCH, read, (r) => make(r, captureNames.get(r[1] as number) ?? '', classOf));
  }

  sharedConversations(captureIds: readonly number[]): SharedFlow[] {
    if (!spansSensors(this.captures(), captureIds)) return [];
    // Built on first use, as the browsing indexes are: a database of one sensor never pays for it.
    guarded(this.path, () => this.db.exec('CREATE INDEX IF NOT EXISTS flow_data_community ON flow_data(community_id)'));
    const ids = this.captureFilter(captureIds).where === null ? [] : captureIds;
    const sql = sharedConversationsSql(ids.length, () => '?');
    return foldSharedPairs(this.iterate<SharedPairRow>(sql, sharedConversationsArgs(ids), false));
  }

  flowIdsByStart(captureIds: readonly number[]): Float64Array {
    const { where, args } = this.captureFilter(captureIds);
    const ids = guarded(this.path, () => this.db.prepare(`SELECT id FROM flow_data ${where ? `WHERE ${where}` : ''} ORDER BY start, id`)
      .pluck().all(...args) as number[]);
    return Float64Array.from(ids);
  }

  /** Every classifications row (a few hundred for millions of flows), as stored. */
  private classificationRows(): StoredClassifications {
    return classificationsOfRows(guarded(this.path, () => this.db.prepare(CLASSIFICATION_ROWS_SQL).raw(true).all() as unknown[][]));
  }

  /** A `capture_id IN (...)` condition, or none when the ids name every stored capture (or none). */
  private captureFilter(captureIds: readonly number[]): { where: string | null; args: number[] } {
    if (captureIds.length === 0) return { where: null, args: [] };
    const stored = this.captures().map((c) => c.id);
    if (stored.every((id) => captureIds.includes(id))) return { where: null, args: [] };
    return { where: capturesWhere(captureIds.length), args: [...captureIds] };
  }

  /** Raw rows of a query, one at a time, store errors named by the database. */
  private iterateRaw(sql: string, args: readonly unknown[]): IterableIterator<unknown[]> {
    return this.iterate<unknown[]>(sql, args, true);
  }

  /** Rows of a query (arrays when `raw`, else objects by column name), one at a time, store errors named by the database. */
  private *iterate<T>(sql: string, args: readonly unknown[], raw: boolean): IterableIterator<T> {
    let rows: IterableIterator<T>;
    try {
      rows = this.db.prepare(sql).raw(raw).iterate(...args) as IterableIterator<T>;
    } catch (e) {
      throw asStoreError(e, this.path);
    }
    try {
      for (;;) {
        let r: IteratorResult<T>;
        try {
          r = rows.next();
        } catch (e) {
          throw asStoreError(e, this.path);
        }
        if (r.done) return;
        yield r.value;
      }
    } finally {
      rows.return?.();
    }
  }

  saveReport(catalogHash: string, siteHash: string, captureIds: number[], report: unknown): void {
    guarded(this.path, () => {
      this.db.prepare('INSERT INTO findings (catalog_hash, site_hash, captures, computed_at, report) VALUES (?,?,?,?,?)')
        .run(catalogHash, siteHash, JSON.stringify(captureIds), new Date().toISOString(), JSON.stringify(report));
    });
  }

  latestReport(catalogHash: string, siteHash: string, captureIds: number[]): unknown | null {
    return guarded(this.path, () => {
      const r = this.db.prepare('SELECT report FROM findings WHERE catalog_hash = ? AND site_hash = ? AND captures = ? ORDER BY id DESC LIMIT 1')
        .get(catalogHash, siteHash, JSON.stringify(captureIds)) as { report: string } | undefined;
      return r ? JSON.parse(r.report) : null;
    });
  }

  close(): void {
    this.db.close();
  }
}

/**
 * Flows flowsById() reads per query: one prepared statement with this many parameters. Small,
 * because a batch lives while its flows are made into report items: 256 flows outlived young-
 * generation collections and left old-space garbage (the 10M audit with 4x the findings peaked
 * at 275-315 MB; 274-282 MB with 64, at the same speed).
 */
export const BY_ID_BATCH = 64;

/**
 * The audit's counting pass: the lean columns of every flow (of some captures), in id order —
 * a table scan in rowid order, no index, no sort (test/store/query-plans.test.ts).
 */
export function auditFlowsSql(where: string | null): string {
  return `SELECT ${auditFlowColumns()} FROM flow_data ${where ? `WHERE ${where}` : ''} ORDER BY id`;
}

/** Rows a page of auditFlowsPageSql, and a chunk a reader thread sends. */
const READ_AHEAD_ROWS = 2048;

/** The same, a page of `rows` flows at a time: the flows after the id given first (then the capture ids). */
export function auditFlowsPageSql(where: string | null, rows: number): string {
  return `SELECT ${auditFlowColumns()} FROM flow_data WHERE id > ?${where ? ` AND ${where}` : ''} ORDER BY id LIMIT ${rows}`;
}

/** The condition on `n` capture ids: `+capture_id`, not through the capture index, whose order would need a sort into id order. */
export function capturesWhere(n: number): string {
  return `+capture_id IN (${new Array(n).fill('?').join(',')})`;
}

/** Whole flows by id, `n` at a time: primary-key lookups (their classifications are read once, apart). */
export function flowsByIdSql(n: number): string {
  return `SELECT ${DATA_COLUMNS.join(', ')} FROM flow_data WHERE id IN (${new Array(n).fill('?').join(',')}) ORDER BY id`;
}

/** Finding flows by id, `n` at a time: primary-key lookups. */
export function findingFlowsByIdSql(n: number): string {
  return `SELECT ${FINDING_COLUMNS.join(', ')} FROM flow_data WHERE id IN (${new Array(n).fill('?').join(',')}) ORDER BY id`;
}

/** What toFlow() reads: the `flows` columns, then the nearest rule and the approval. */
const FLOW_SELECT = [...FLOW_COLUMNS, 'nearest_rule', 'approved'].map((c) => `f.${c}`).join(', ');
/**
 * What flows() reads from: the `flows` view's columns, made the way the view makes them, and the
 * classification's nearest rule and approval, which the view leaves out (its columns stay those SQL users
 * have always had). SQLite flattens this subquery into the query, as it does the view.
 */
const FLOW_SOURCE = `(SELECT ${flowColumnsOfData().map((c) => `f.${c}`).join(', ')}, ${VIEW_CLASS_COLUMNS.join(', ')}, c.nearest_rule AS nearest_rule,
  c.approved AS approved
  FROM flow_data f LEFT JOIN classifications c ON c.id = f.class_id)`;

