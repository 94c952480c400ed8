/**
 * Read-ahead for the audit's long reads of a SQLite file: a reader thread (sqlite-read-worker)
 * runs the query on a connection of its own and sends the rows in chunks (row-chunks.ts) while
 * this thread works on the rows before them. Stepping SQLite and making each cell a JS value
 * costs about as much as the audit's own work on a flow (~4 µs a row on the 10M benchmark), so
 * the two halves run on the two cores instead of one after the other.
 *
 * The rows are taken synchronously (util/sync-channel.ts): the audit is a plain loop over an
 * iterator and stays one. Only for a database file and the compiled program: with
 * ':memory:' or from TypeScript sources (tests) the store reads on its own connection.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { RowChunkDecoder, type RowChunk } from './row-chunks.js';
import { asStoreError } from './store-errors.js';
import { SyncReceiver } from '../util/sync-channel.js';

/** A query whose rows a reader thread sends. */
export interface ReadJob {
  sql: string;
  args: unknown[];
  /** Columns of a row. */
  width: number;
  /** Rows a chunk. */
  chunkRows: number;
  /** Chunks the reader may send before this thread takes them. */
  ahead: number;
}

const SCRIPT = fileURLToPath(new URL('./sqlite-read-worker.js', import.meta.url));

/** Whether reads of `path` can go through a reader thread. */
export function canReadAhead(path: string): boolean {
  return path !== ':memory:' && existsSync(SCRIPT);
}

/** The longest this thread waits for a chunk before it takes the reader thread for lost. */
const STALLED_MS = 120_000;

/**
 * The rows of `job` on `path`, as raw row arrays (one array refilled per row: copy what you
 * keep). A failure of the query is thrown as a StoreError naming `path`, as the store would.
 */
export function* readAhead(path: string, job: ReadJob): IterableIterator<unknown[]> {
  const channel = new SyncReceiver();
  const worker = new Worker(SCRIPT, {
    workerData: { path, job, channel: channel.end },
    transferList: [channel.end.port],
    // It makes short-lived rows only: a small young generation keeps its RSS down.
    resourceLimits: { maxYoungGenerationSizeMb: 8 },
  });
  worker.unref();
  const decoder = new RowChunkDecoder();
  const stalled = () => new Error(`reading ${path}: the reader thread sent nothing for ${STALLED_MS / 1000} s`);
  let done = false;
  try {
    for (;;) {
      const m = channel.take(STALLED_MS, stalled) as { chunk?: RowChunk; end?: true; error?: { message: string; code: string | null } };
      if (m.error) {
        const e = Object.assign(new Error(m.error.message), m.error.code ? { code: m.error.code } : {});
        throw asStoreError(e, path);
      }
      if (m.end) {
        done = true;
        return;
      }
      yield* decoder.rows(m.chunk!);
    }
  } finally {
    channel.close();
    if (!done) void worker.terminate();
  }
}
