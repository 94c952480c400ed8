/**
 * Store and forward: a sensor writes its captures into a local SQLite spool (the same store a
 * `read --db FILE` writes) and forwardSpool() copies them into a PostgreSQL database, so that a
 * sensor cut off from the central database loses nothing and catches up when it is back.
 *
 * Exactly once, whatever stops it (the server going away, the sensor killed): each chunk of a
 * capture's flows is copied in one PostgreSQL transaction together with the capture's
 * `forwarded_upto` mark, and the mark in PostgreSQL is the only record of how far a capture got.
 * A chunk whose transaction did not commit is sent again; one that did is never sent again,
 * because the next round starts after the mark. Flows forwarded and committed are then deleted
 * from the spool (it drains); the capture rows stay, so that a file read again is still known.
 *
 * Ids: a spool is numbered by the database on first contact (`spools.spool_no`, from 1), and its
 * flows are stored under spool_no * 2^40 + their spool id (expectation parents likewise), so
 * sensors never collide with each other nor with flows written directly (below 2^40).
 *
 * A spool capture that is no longer in the spool (a partial one a re-run replaced) is deleted
 * from the database with its flows; its replacement is forwarded as a new capture.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { pgClientConfig } from './pg-connect.js';
import { UNREACHABLE, copyText, redactPgUrl } from './pg-store.js';
import { SPOOL_ID_BLOCK, migratePg, quoteColumn } from './pg-schema.js';
import { CLASS_COLUMNS, DATA_COLUMNS, columnIndex } from './schema.js';
import { SqliteStore } from './sqlite-store.js';
import { StoreError } from '../util/errors.js';

/** Flows copied per transaction: large enough that the commit is a small share, small enough to redo. */
export const FORWARD_CHUNK = 20_000;

/** The spool's meta key naming it to the database (a UUID made on first forward). */
const SPOOL_UUID = 'spool_uuid';

export interface ForwardOptions {
  /** Flows per transaction (FORWARD_CHUNK). */
  chunk?: number;
}

export interface ForwardResult {
  /** The spool's number in the database. */
  spoolNo: number;
  /** Flows copied in this round. */
  flows: number;
  /** Captures completed in the database in this round. */
  completed: number;
  /** Captures deleted from the database because the spool no longer has them. */
  removed: number;
  /** Flows still in the spool, not forwarded (0 when drained). */
  backlog: number;
}

interface SpoolCapture {
  id: number;
  status: string;
  sensor: string | null;
  row: Record<string, unknown>;
}

/** The captures columns copied from the spool as they are. */
const CAPTURE_COLUMNS = [
  'source', 'format', 'link_types', 'first_ts', 'last_ts', 'packets', 'bytes', 'drops', 'if_drops', 'sha256', 'fingerprint', 'size',
  'status', 'error', 'tap_side', 'decode_errors', 'started_at', 'finished_at', 'reader', 'sensor',
] as const;

const ID = columnIndex('id');
const CAPTURE_ID = columnIndex('capture_id');
const EXP_PARENT = columnIndex('exp_parent');
const CLASS_ID = columnIndex('class_id');

/**
 * Whether `e` says the server cannot be reached or went away (worth trying again later), as
 * opposed to a refusal (authentication, a missing database) or a bug.
 */
export function isUnreachable(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code === 'string') {
    if (/^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|EPIPE|EAI_AGAIN|ENOENT)$/.test(code)) return true;
    // 57P01-03: the server is shutting down or starting; class 08: connection exceptions.
    if (/^(57P0[1-3]|08...)$/.test(code)) return true;
  }
  const msg = (e as Error)?.message ?? '';
  return /Connection terminated|connection timeout|Client has encountered a connection error|not queryable/i.test(msg);
}

/** `e` as one line naming the database (password removed), in the store's words (UNREACHABLE). */
function forwardError(url: string, e: unknown, doing: string): StoreError {
  const code = (e as { code?: unknown } | null)?.code;
  const raw = (e as Error)?.message ?? String(e);
  const why = (typeof code === 'string' ? UNREACHABLE[code] : undefined) ?? raw.split('\n')[0]!;
  return new StoreError(`${redactPgUrl(url)}: ${doing}: ${why}`, typeof code === 'string' ? code : 'PG');
}

/**
 * One round: everything the spool holds that the database does not is copied, complete captures
 * are completed, captures the spool dropped are deleted. Throws a StoreError when the database
 * cannot be reached (isUnreachable(e.cause) tells a retry is worth it); what was committed stays.
 */
export async function forwardSpool(spoolPath: string, url: string, opts: ForwardOptions = {}): Promise<ForwardResult> {
  const chunk = opts.chunk ?? FORWARD_CHUNK;
  const spool = new SqliteStore(spoolPath);
  const client = new pg.Client(pgClientConfig(url));
  // A server going away mid-round is reported by the query that fails; this keeps the event
  // from being an uncaught error meanwhile.
  client.on('error', () => undefined);
  try {
    try {
      await client.connect();
    } catch (e) {
      throw withCause(forwardError(url, e, 'cannot connect'), e);
    }
    try {
      return await forwardRound(spool, client, url, chunk);
    } catch (e) {
      if (e instanceof StoreError) throw e;
      if (isUnreachable(e)) throw withCause(forwardError(url, e, 'lost the connection while forwarding'), e);
      throw e;
    }
  } finally {
    await client.end().catch(() => undefined);
    spool.close();
  }
}

function withCause(err: StoreError, cause: unknown): StoreError {
  (err as Error & { cause?: unknown }).cause = cause;
  return err;
}

async function forwardRound(spool: SqliteStore, client: pg.Client, url: string, chunk: number): Promise<ForwardResult> {
  const q = (sql: string, params?: readonly unknown[]) => client.query(sql, params as unknown[]);
  // The spool deletes what a commit acknowledged: the commit must be durable when acknowledged,
  // whatever the server's default (with synchronous_commit off, a server crash right after
  // would lose the chunk from both sides).
  await q('SET synchronous_commit = on');
  await migratePg(q, redactPgUrl(url));
  const db = spool.db;
  let uuid = spool.getMeta(SPOOL_UUID);
  if (uuid === null) {
    uuid = randomUUID();
    spool.setMeta(SPOOL_UUID, uuid);
  }
  const spoolCaptures = (db.prepare('SELECT * FROM captures ORDER BY id').all() as Record<string, unknown>[]).map((row): SpoolCapture => ({
    id: row.id as number, status: row.status as string, sensor: (row.sensor as string | null) ?? null, row,
  }));
  const sensor = [...spoolCaptures].reverse().find((c) => c.sensor !== null)?.sensor ?? hostname();
  const reg = await q(`INSERT INTO spools (uuid, sensor, path, registered_at) VALUES ($1, $2, $3, $4)
    ON CONFLICT (uuid) DO UPDATE SET sensor = EXCLUDED.sensor, path = EXCLUDED.path RETURNING spool_no`,
  [uuid, sensor, spool.path, new Date().toISOString()]);
  const spoolNo = Number(reg.rows[0]!.spool_no);
  const offset = spoolNo * SPOOL_ID_BLOCK;

  const stored = new Map<number, { id: number; status: string; upto: number }>();
  for (const r of (await q('SELECT id, spool_capture, status, forwarded_upto FROM captures WHERE spool = $1', [uuid])).rows) {
    stored.set(Number(r.spool_capture), { id: Number(r.id), status: r.status as string, upto: Number(r.forwarded_upto ?? 0) });
  }
  const result: ForwardResult = { spoolNo, flows: 0, completed: 0, removed: 0, backlog: 0 };

  // Captures the spool no longer has: a partial one replaced by a re-run.
  const inSpool = new Set(spoolCaptures.map((c) => c.id));
  for (const [spoolId, s] of stored) {
    if (inSpool.has(spoolId)) continue;
    await q('DELETE FROM captures WHERE id = $1', [s.id]);
    stored.delete(spoolId);
    result.removed++;
  }

  const classes = new ClassMap(db, q);
  const selectFlows = db.prepare(`SELECT ${DATA_COLUMNS.join(', ')} FROM flow_data WHERE capture_id = ? AND id > ? ORDER BY id LIMIT ?`).raw(true);
  const drain = db.prepare('DELETE FROM flow_data WHERE capture_id = ? AND id <= ?');
  const copySql = `COPY flow_data (${DATA_COLUMNS.map(quoteColumn).join(', ')}) FROM STDIN`;

  for (const c of spoolCaptures) {
    let s = stored.get(c.id);
    if (s?.status === 'complete') continue;
    if (!s) {
      const cols = [...CAPTURE_COLUMNS, 'spool', 'spool_capture', 'forwarded_upto'];
      const vals = [...CAPTURE_COLUMNS.map((k) => (k === 'status' ? 'partial' : c.row[k] ?? null)), uuid, c.id, 0];
      const r = await q(`INSERT INTO captures (${cols.join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING id`, vals);
      s = { id: Number(r.rows[0]!.id), status: 'partial', upto: 0 };
      stored.set(c.id, s);
    }
    // The spool's status as read at the start of the round: a capture completed later has its
    // last flows committed with that status, and is completed by the next round.
    const complete = c.status === 'complete';
    for (;;) {
      const rows = selectFlows.all(c.id, s.upto, chunk) as unknown[][];
      const last = rows.length < chunk;
      if (rows.length === 0 && !(last && complete)) break;
      await q('BEGIN');
      try {
        for (const r of rows) {
          r[ID] = (r[ID] as number) + offset;
          r[CAPTURE_ID] = s.id;
          if (r[EXP_PARENT] !== null) r[EXP_PARENT] = (r[EXP_PARENT] as number) + offset;
          if (r[CLASS_ID] !== null) r[CLASS_ID] = classes.known(r[CLASS_ID] as number) ?? await classes.pgId(r[CLASS_ID] as number);
        }
        if (rows.length) await pipeline(Readable.from([Buffer.from(copyText(rows))]), client.query(copyFrom(copySql)));
        const upto = rows.length ? (rows[rows.length - 1]![ID] as number) - offset : s.upto;
        if (last && complete) {
          await copyUnusedExpectations(db, q, c.id, s.id, offset);
          const sets = CAPTURE_COLUMNS.map((k, i) => `${k} = $${i + 1}`).join(', ');
          await q(`UPDATE captures SET ${sets}, forwarded_upto = $${CAPTURE_COLUMNS.length + 1} WHERE id = $${CAPTURE_COLUMNS.length + 2}`,
            [...CAPTURE_COLUMNS.map((k) => c.row[k] ?? null), upto, s.id]);
        } else {
          // What is known of a capture still being read: its counters so far.
          await q(`UPDATE captures SET forwarded_upto = $1, packets = $2, first_ts = $3, last_ts = $4, drops = $5, if_drops = $6, error = $7
            WHERE id = $8`, [upto, c.row.packets, c.row.first_ts, c.row.last_ts, c.row.drops, c.row.if_drops, c.row.error, s.id]);
        }
        await q('COMMIT');
        s.upto = upto;
      } catch (e) {
        await q('ROLLBACK').catch(() => undefined);
        classes.forget();
        throw e;
      }
      // Committed: the spool lets go of what the database now holds.
      if (rows.length) drain.run(c.id, s.upto);
      result.flows += rows.length;
      if (last) {
        if (complete) {
          db.prepare('DELETE FROM unused_expectations WHERE capture_id = ?').run(c.id);
          result.completed++;
        }
        break;
      }
    }
  }
  result.backlog = backlogOf(db);
  await q('UPDATE spools SET last_forward_at = $1, backlog_flows = $2 WHERE uuid = $3', [new Date().toISOString(), result.backlog, uuid]);
  return result;
}

/** Flows a spool holds: all not yet forwarded (forwarded ones are deleted). */
function backlogOf(db: SqliteStore['db']): number {
  return (db.prepare('SELECT count(*) AS n FROM flow_data').get() as { n: number }).n;
}

export function spoolBacklog(spoolPath: string): number {
  const spool = new SqliteStore(spoolPath);
  try {
    return backlogOf(spool.db);
  } finally {
    spool.close();
  }
}

async function copyUnusedExpectations(
  db: SqliteStore['db'], q: (sql: string, p?: readonly unknown[]) => Promise<pg.QueryResult>, spoolCapture: number, pgCapture: number, offset: number,
): Promise<void> {
  const rows = db.prepare('SELECT kind, client, server, proto, ports, parent_flow, rule, evidence, ts FROM unused_expectations WHERE capture_id = ? ORDER BY id')
    .all(spoolCapture) as Record<string, unknown>[];
  for (const u of rows) {
    await q(`INSERT INTO unused_expectations (capture_id, kind, client, server, proto, ports, parent_flow, rule, evidence, ts)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [pgCapture, u.kind, u.client, u.server, u.proto, u.ports, (u.parent_flow as number) + offset, u.rule, u.evidence, u.ts]);
  }
}

/**
 * Spool classifications rows to database ones, by key (the row's column values): found, or
 * inserted in the chunk's transaction. Two sensors adding the same key at once may each insert
 * a row; both read back the same, as in the SQLite store.
 */
class ClassMap {
  private ids = new Map<number, number>();
  private keyOf: (id: number) => { key: string; cols: unknown[] } | undefined;

  constructor(db: SqliteStore['db'], private q: (sql: string, p?: readonly unknown[]) => Promise<pg.QueryResult>) {
    const st = db.prepare(`SELECT key, ${CLASS_COLUMNS.join(', ')} FROM classifications WHERE id = ?`).raw(true);
    this.keyOf = (id) => {
      const r = st.get(id) as unknown[] | undefined;
      return r ? { key: r[0] as string, cols: r.slice(1) } : undefined;
    };
  }

  /** The database row of a spool row already looked up (no await on the common path). */
  known(spoolId: number): number | undefined {
    return this.ids.get(spoolId);
  }

  async pgId(spoolId: number): Promise<number | null> {
    const known = this.ids.get(spoolId);
    if (known !== undefined) return known;
    const k = this.keyOf(spoolId);
    if (!k) return null;
    const found = await this.q('SELECT id FROM classifications WHERE key = $1 ORDER BY id LIMIT 1', [k.key]);
    let id: number;
    if (found.rows.length) id = Number(found.rows[0]!.id);
    else {
      const r = await this.q(`INSERT INTO classifications (key, ${CLASS_COLUMNS.join(', ')})
        VALUES ($1, ${CLASS_COLUMNS.map((_, i) => `$${i + 2}`).join(', ')}) RETURNING id`, [k.key, ...k.cols]);
      id = Number(r.rows[0]!.id);
    }
    this.ids.set(spoolId, id);
    return id;
  }

  /** A rolled-back transaction takes the rows it inserted with it. */
  forget(): void {
    this.ids.clear();
  }
}

/**
 * Rounds until the spool is drained or `waitSeconds` have passed while the database was
 * unreachable (trying again every 0.5 s, backing off to 5 s). Returns the last round's result,
 * or the error that ended the wait (a StoreError; anything but unreachable ends it at once)
 * with the flows the spool still holds.
 */
export async function forwardWithRetry(
  spoolPath: string, url: string, waitSeconds: number, opts: ForwardOptions & { onRetry?: (e: StoreError, attempt: number) => void } = {},
): Promise<{ result: ForwardResult; error: null } | { result: null; error: StoreError; backlog: number }> {
  const deadline = Date.now() + waitSeconds * 1000;
  let delay = 500;
  for (let attempt = 1; ; attempt++) {
    try {
      return { result: await forwardSpool(spoolPath, url, opts), error: null };
    } catch (e) {
      if (!(e instanceof StoreError) || !isUnreachable((e as Error & { cause?: unknown }).cause)) throw e;
      if (Date.now() + delay > deadline) return { result: null, error: e, backlog: spoolBacklog(spoolPath) };
      opts.onRetry?.(e, attempt);
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 5000);
    }
  }
}
