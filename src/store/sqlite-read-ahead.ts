/**
 * Read-ahead for the audit's long reads of a SQLite file: a reader thread (sqlite-read-worker)
 * runs the query on a connection of its own and sends the rows in chunks (row-chunks.ts) while
 * this thread works on the rows before them. Stepping SQLite and making each cell a JS value
 * costs about as much as the audit's own work on a flow (~4 µs a row on the 10M benchmark), so
 * the two halves run on the two cores instead of one after the other.
 *
 * The rows are taken synchronously (receiveMessageOnPort, Atomics.wait): the audit is a plain
 * loop over an iterator and stays one. Only for a database file and the compiled program: with
 * ':memory:' or from TypeScript sources (tests) the store reads on its own connection.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { RowChunkDecoder, type RowChunk } from './row-chunks.js';
import { asStoreError } from './store-errors.js';

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
  const counts = new Int32Array(new SharedArrayBuffer(8));
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(SCRIPT, {
    workerData: { path, job, port: port2, sab: counts.buffer },
    transferList: [port2],
    // It makes short-lived rows only: a small young generation keeps its RSS down.
    resourceLimits: { maxYoungGenerationSizeMb: 8 },
  });
  worker.unref();
  const decoder = new RowChunkDecoder();
  let done = false;
  try {
    for (;;) {
      const posted = Atomics.load(counts, 0);
      const m = receiveMessageOnPort(port1)?.message as { chunk?: RowChunk; end?: true; error?: { message: string; code: string | null } } | undefined;
      if (m === undefined) {
        if (Atomics.wait(counts, 0, posted, STALLED_MS) === 'timed-out') {
          throw new Error(`reading ${path}: the reader thread sent nothing for ${STALLED_MS / 1000} s`);
        }
        continue;
      }
      Atomics.add(counts, 1, 1);
      Atomics.notify(counts, 1);
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
    port1.close();
    if (!done) void worker.terminate();
  }
}
