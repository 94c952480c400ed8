/**
 * The PostgreSQL bridge's thread (see pg-bridge.ts): owns the `pg.Client`s of every PgStore of
 * the thread that started it and runs their requests, one at a time, in the order they come.
 * Each reply is posted on the reply port first and then announced through the shared flag the
 * caller waits on with Atomics.wait.
 */
import { finished } from 'node:stream/promises';
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import pg from 'pg';
import { pgClientConfig } from './pg-connect.js';
import copyStreams from 'pg-copy-streams';
import { migratePg } from './pg-schema.js';
import type { BridgeFailure, BridgeReply, BridgeRequest, BridgeStep } from './pg-bridge.js';

const { flagSab, replies } = workerData as { flagSab: SharedArrayBuffer; replies: MessagePort };
const flag = new Int32Array(flagSab);

interface Session {
  client: pg.Client;
  /** Why the session is unusable (the server went away while it idled), or null. */
  broken: BridgeFailure | null;
}

const sessions = new Map<number, Session>();
let nextHandle = 1;

function failure(e: unknown): BridgeFailure {
  const err = e as { message?: string; code?: string; name?: string; stack?: string } | null;
  return {
    message: err?.message ?? String(e), code: typeof err?.code === 'string' ? err.code : null,
    name: err?.name ?? 'Error', stack: err?.stack ?? null,
  };
}

function reply(r: BridgeReply): void {
  replies.postMessage(r);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
}

async function runStep(client: pg.Client, s: BridgeStep): Promise<unknown[]> {
  if (s.copy !== undefined) {
    const stream = client.query(copyStreams.from(s.sql));
    stream.end(Buffer.from(s.copy));
    await finished(stream);
    return [];
  }
  const values = s.params as unknown[] | undefined;
  const r = s.array ? await client.query({ text: s.sql, values, rowMode: 'array' }) : await client.query({ text: s.sql, values });
  return r.rows as unknown[];
}

async function handle(m: BridgeRequest): Promise<BridgeReply> {
  if (m.op === 'open') {
    // A server that never answers is given up after 30 s; keepalives notice one gone mid-run.
    const client = new pg.Client({ ...pgClientConfig(m.url, { connectTimeoutMs: 30_000 }), application_name: 'flowaudit', keepAlive: true });
    const session: Session = { client, broken: null };
    // A server that goes away while the session idles: remembered, reported by the next call.
    client.on('error', (e) => { session.broken = failure(e); });
    await client.connect();
    try {
      const query = (sql: string, params?: readonly unknown[]) => client.query(sql, params as unknown[] | undefined);
      if (m.mustExist) {
        const t = await query(`SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_tables WHERE schemaname = current_schema() AND tablename = 'meta') AS has`);
        if (!t.rows[0].has) throw Object.assign(new Error(`${m.location}: no flowaudit tables`), { code: 'FA_NO_SCHEMA' });
      }
      await migratePg(query, m.location);
    } catch (e) {
      await client.end().catch(() => undefined);
      throw e;
    }
    const h = nextHandle++;
    sessions.set(h, session);
    return { ok: true, handle: h, results: [] };
  }
  const s = sessions.get(m.handle);
  if (s === undefined) throw new Error(`PostgreSQL bridge: no session ${m.handle}`);
  if (m.op === 'close') {
    sessions.delete(m.handle);
    await s.client.end().catch(() => undefined);
    return { ok: true, handle: m.handle, results: [] };
  }
  if (s.broken) return { ok: false, error: s.broken, failedStep: 0 };
  const results: unknown[][] = [];
  for (let i = 0; i < m.steps.length; i++) {
    try {
      results.push(await runStep(s.client, m.steps[i]!));
    } catch (e) {
      return { ok: false, error: failure(e), failedStep: i };
    }
  }
  return { ok: true, handle: m.handle, results };
}

parentPort!.on('message', (m: BridgeRequest) => {
  handle(m).then(reply, (e: unknown) => reply({ ok: false, error: failure(e), failedStep: -1 }));
});

// The caller must never wait for a thread that is gone.
process.on('exit', () => {
  Atomics.store(flag, 0, 2);
  Atomics.notify(flag, 0);
});
