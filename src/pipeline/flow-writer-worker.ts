/**
 * Writer thread: owns a second connection to the database file and inserts flow rows in
 * transactions, so that SQLite's ~7 µs per row runs on the other core, not on the packet path.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { RowClassifier, type LateClassification } from './late-classify.js';
import { ROW, RowDecoder, type DecodedRows, type EncodedRows } from '../store/row-codec.js';
import type { Classification } from '../flow/flow-record.js';
import { openStoreConnection } from '../store/open-store.js';
import type { CaptureEnd, RowStore, StoreConnection } from '../store/types.js';
import { StoreError } from '../util/errors.js';
import { KeptFlowsBuilder, keptFlowsTransfer } from '../store/kept-flows.js';
import type { BatchProgress, WriterFailure } from './flow-writer.js';

const { connection, pendingSab, late, errors, keep } = workerData as {
  connection: StoreConnection; pendingSab: SharedArrayBuffer; late: LateClassification | null; errors: MessagePort; keep: boolean;
};
/** The audit's lean columns of the rows written, for an audit straight after the read (kept-flows.ts). */
const kept = keep ? new KeptFlowsBuilder() : null;
/** [batches in flight, 1 once a write failed]: shared with ThreadedWriter (flow-writer.ts). */
const pending = new Int32Array(pendingSab);
let store: RowStore;
// Flows the ingest left unclassified are classified here, before the insert. Built when the
// first such row arrives: on a short capture the reader classifies every flow itself.
let rowClassifier: RowClassifier | null = null;
const classId = (c: Classification) => store.classId(c);
const decoder = new RowDecoder();

/** Sets class_id of the rows sent with a classification key; says whether any came without one. */
function assignSentClassIds({ rows, classKeys }: DecodedRows): boolean {
  let unclassified = false;
  for (let i = 0; i < rows.length; i++) {
    const key = classKeys[i];
    if (key !== null) rows[i]![ROW.classId] = store.classIdOfKey(key);
    else unclassified = true;
  }
  return unclassified;
}

/**
 * Sets class_id of decoded rows: from the key sent along, or by classifying the row here. Runs
 * inside the insert transaction (it may add classifications rows). The loop is a function of
 * its own: optimised while the reader still classified every row, this one reached the
 * classifying call with no type feedback and was deoptimised at it batch after batch.
 */
function assignClassIds(d: DecodedRows): void {
  if (assignSentClassIds(d) && late) {
    (rowClassifier ??= new RowClassifier(late)).classifyRows(d.rows, (i) => d.classKeys[i] === null, classId);
  }
}

/**
 * The first failure stops every later write, the closing one included: a batch lost to a full
 * disk must leave its capture 'partial', never 'complete' with flows missing. The failure is
 * posted to the `errors` port before the shared flag is set, so that the reader, which checks
 * the flag between batches, can take the message at once (receiveMessageOnPort).
 */
let failed: WriterFailure | null = null;

function fail(e: unknown): WriterFailure {
  if (failed) return failed;
  failed = e instanceof StoreError
    ? { message: e.message, code: e.code, stack: null }
    : { message: (e as Error)?.message ?? String(e), code: null, stack: (e as Error)?.stack ?? null };
  errors.postMessage(failed);
  Atomics.store(pending, 1, 1);
  Atomics.notify(pending, 0);
  return failed;
}

try {
  store = openStoreConnection(connection, { bulk: true });
} catch (e) {
  fail(e);
}

parentPort!.on('message', (m: { t: string; rows?: EncodedRows; ends?: [number, CaptureEnd][]; progress?: BatchProgress }) => {
  if (m.t === 'rows') {
    try {
      if (!failed) {
        const d = decoder.decode(m.rows!);
        const p = m.progress;
        // The capture's packets so far are stored in the batch's transaction (a killed run
        // leaves a partial capture that says how far it got).
        store.writeRows(d.rows, () => {
          assignClassIds(d);
          if (p) store.updateCaptureProgress(p.captureId, { packets: p.packets, drops: null, ifDrops: null });
        });
        kept?.add(d.rows);
      }
    } catch (e) {
      fail(e);
    } finally {
      // Also on failure: the reader may be waiting on this counter.
      Atomics.sub(pending, 0, 1);
      Atomics.notify(pending, 0);
    }
  } else if (m.t === 'finish') {
    try {
      if (failed) throw failed;
      const d = decoder.decode(m.rows!);
      const dropped = store.finishRows(d.rows, new Map(m.ends!), () => assignClassIds(d));
      kept?.add(d.rows);
      const flows = kept?.finish() ?? null;
      parentPort!.postMessage({ t: 'done', dropped: [...dropped], kept: flows }, keptFlowsTransfer(flows));
    } catch (e) {
      parentPort!.postMessage({ t: 'error', failure: failed ?? fail(e) });
    }
  } else if (m.t === 'close') {
    if (!failed) store.close();
    errors.close();
    parentPort!.close();
  }
});
