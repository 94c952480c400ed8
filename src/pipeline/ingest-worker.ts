/**
 * One worker of a parallel ingest (see ingest-parallel.ts): the whole pipeline over every
 * input, keeping its share of host pairs, with its own database connection and writer thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createClassifier } from '../classify/classifier.js';
import { openStoreConnection } from '../store/open-store.js';
import { UserError } from '../util/errors.js';
import { ingest } from './ingest.js';
import type { IngestWorkerData, IngestWorkerMessage } from './ingest-parallel.js';

const d = workerData as IngestWorkerData;
const post = (m: IngestWorkerMessage) => parentPort!.postMessage(m);

async function run(): Promise<void> {
  const store = openStoreConnection(d.connection);
  try {
    const classifier = d.catalog && d.site ? createClassifier(d.catalog, d.site) : null;
    const result = await ingest(d.inputs.map((i) => ({ name: i.name, format: i.format, isFile: true })), {
      store, classifier, catalog: d.catalog, site: d.site, timeouts: d.timeouts, tapSide: d.tapSide,
      hashFiles: d.hashFiles, noInspect: d.noInspect, batchFlows: d.batchFlows,
      partition: { index: d.index, count: d.count, captureIds: d.captureIds },
      onProgress: d.progress ? throttled((p) => post({ t: 'progress', p })) : undefined,
    });
    post({ t: 'done', result: { ...result, captureEnds: [...(result.captureEnds ?? new Map())] } });
  } finally {
    store.close();
  }
}

/** Progress at most every 100 ms (a message per read chunk would cost more than it tells). */
function throttled<T>(f: (v: T) => void): (v: T) => void {
  let last = 0;
  return (v) => {
    const now = performance.now();
    if (now - last >= 100) {
      last = now;
      f(v);
    }
  };
}

run().catch((e: unknown) => {
  post({ t: 'error', message: (e as Error).message, user: e instanceof UserError });
});
