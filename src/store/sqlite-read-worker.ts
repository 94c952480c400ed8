/**
 * Reader thread (sqlite-read-ahead.ts): runs one query on a read-only connection of its own and
 * sends the rows in chunks (row-chunks.ts), a few chunks ahead of the thread that uses them.
 */
import { workerData, type MessagePort } from 'node:worker_threads';
import { RowChunkEncoder } from './row-chunks.js';
import type { ReadJob } from './sqlite-read-ahead.js';

const { path, job, port, sab } = workerData as { path: string; job: ReadJob; port: MessagePort; sab: SharedArrayBuffer };
/** [chunks posted (the end and a failure count), chunks taken]: shared with readAhead(). */
const counts = new Int32Array(sab);

function post(message: unknown, transfer: ArrayBuffer[] = []): void {
  port.postMessage(message, transfer);
  Atomics.add(counts, 0, 1);
  Atomics.notify(counts, 0);
}

/** Waits while `ahead` chunks are posted and not taken yet (bounded memory). */
function waitForRoom(ahead: number): void {
  for (;;) {
    const taken = Atomics.load(counts, 1);
    if (Atomics.load(counts, 0) - taken < ahead) return;
    Atomics.wait(counts, 1, taken, 1000);
  }
}

async function run(): Promise<void> {
  // Loaded here, not imported: a failure to load it is then sent like any other.
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(path, { readonly: true, fileMustExist: true, timeout: 30_000 });
  try {
    const encoder = new RowChunkEncoder(job.width, job.chunkRows);
    const send = () => {
      const c = encoder.take();
      waitForRoom(job.ahead);
      post({ chunk: c }, [c.tags.buffer as ArrayBuffer, c.values.buffer as ArrayBuffer]);
    };
    const add = (row: unknown[]) => {
      encoder.add(row);
      if (encoder.length === job.chunkRows) send();
    };
    // A page of rows at a time, from the last id read on: a statement's all() costs less per
    // row than stepping it one row at a time through iterate().
    const page = db.prepare(job.sql).raw(true);
    for (let after = -Infinity; ;) {
      const rows = page.all(after, ...job.args) as unknown[][];
      for (const row of rows) add(row);
      if (rows.length < job.chunkRows) break;
      after = rows[rows.length - 1]![0] as number;
    }
    if (encoder.length > 0) send();
    post({ end: true });
  } finally {
    db.close();
  }
}

run().catch((e: unknown) => {
  const err = e as { message?: unknown; code?: unknown } | null;
  post({ error: { message: String(err?.message ?? e), code: typeof err?.code === 'string' ? err.code : null } });
}).finally(() => port.close());
