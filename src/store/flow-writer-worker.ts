/**
 * Writer thread: owns a second connection to the database file and inserts flow rows in
 * transactions, so that SQLite's ~7 µs per row runs on the other core, not on the packet path.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { RowClassifier, type LateClassification } from '../pipeline/late-classify.js';
import { decodeRows, type EncodedRows } from './row-codec.js';
import { SqliteStore, type CaptureEnd } from './sqlite-store.js';

const { path, pendingSab, late } = workerData as { path: string; pendingSab: SharedArrayBuffer; late: LateClassification | null };
const pending = new Int32Array(pendingSab);
const store = new SqliteStore(path, { bulk: true });
// Flows the ingest did not classify as they started are classified here, before the insert.
const rowClassifier = late ? new RowClassifier(late) : null;
parentPort!.on('message', (m: { t: string; rows?: EncodedRows; ends?: [number, CaptureEnd][] }) => {
  try {
    if (m.t === 'rows') {
      try {
        const rows = decodeRows(m.rows!);
        rowClassifier?.classifyRows(rows);
        store.writeRows(rows);
      } finally {
        // Also on failure: the reader may be waiting on this counter.
        Atomics.sub(pending, 0, 1);
        Atomics.notify(pending, 0);
      }
    }
    else if (m.t === 'finish') {
      const rows = decodeRows(m.rows!);
      rowClassifier?.classifyRows(rows);
      store.finishRows(rows, new Map(m.ends!));
      parentPort!.postMessage({ t: 'done' });
    } else if (m.t === 'close') {
      store.close();
      parentPort!.close();
    }
  } catch (e) {
    parentPort!.postMessage({ t: 'error', message: (e as Error).message });
  }
});
