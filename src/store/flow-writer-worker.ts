/**
 * Writer thread: owns a second connection to the database file and inserts flow rows in
 * transactions, so that SQLite's ~7 µs per row runs on the other core, not on the packet path.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SqliteStore, type CaptureEnd } from './sqlite-store.js';

const store = new SqliteStore((workerData as { path: string }).path);
parentPort!.on('message', (m: { t: string; rows?: string; ends?: [number, CaptureEnd][] }) => {
  try {
    if (m.t === 'rows') store.writeRows(JSON.parse(m.rows!) as unknown[][]);
    else if (m.t === 'finish') {
      store.finishRows(JSON.parse(m.rows!) as unknown[][], new Map(m.ends!));
      parentPort!.postMessage({ t: 'done' });
    } else if (m.t === 'close') {
      store.close();
      parentPort!.close();
    }
  } catch (e) {
    parentPort!.postMessage({ t: 'error', message: (e as Error).message });
  }
});
