/**
 * Reader thread (sqlite-read-ahead.ts): runs one query on a read-only connection of its own and
 * sends the rows in chunks (row-chunks.ts), a few chunks ahead of the thread that uses them.
 */
import { workerData } from 'node:worker_threads';
import { RowChunkEncoder } from './row-chunks.js';
import type { ReadJob } from './sqlite-read-ahead.js';
import { SyncSender, type SyncChannelEnd } from '../util/sync-channel.js';

const { path, job, channel } = workerData as { path: string; job: ReadJob; channel: SyncChannelEnd };
const out = new SyncSender(channel);

async function run(): Promise<void> {
  // Loaded here, not imported: a failure to load it is then sent like any other.
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(path, { readonly: true, fileMustExist: true, timeout: 30_000 });
  try {
    const encoder = new RowChunkEncoder(job.width, job.chunkRows);
    const send = () => {
      const c = encoder.take();
      out.post({ chunk: c }, [c.tags.buffer as ArrayBuffer, c.values.buffer as ArrayBuffer], job.ahead);
    };
    // A page of rows at a time, from the last id read on: a statement's all() costs less per
    // row than stepping it one row at a time through iterate().
    const page = db.prepare(job.sql).raw(true);
    for (let after = -Infinity; ;) {
      const rows = page.all(after, ...job.args) as unknown[][];
      for (const row of rows) {
        encoder.add(row);
        if (encoder.length === job.chunkRows) send();
      }
      if (rows.length < job.chunkRows) break;
      after = rows[rows.length - 1]![0] as number;
    }
    if (encoder.length > 0) send();
    out.post({ end: true });
  } finally {
    db.close();
  }
}

run().catch((e: unknown) => {
  const err = e as { message?: unknown; code?: unknown } | null;
  out.post({ error: { message: String(err?.message ?? e), code: typeof err?.code === 'string' ? err.code : null } });
}).finally(() => out.close());
