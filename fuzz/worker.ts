/**
 * The fuzz loop on a thread of its own, so that `npm run fuzz` (run.ts) can stop a case that
 * never returns — a loop in the reader or a decoder — and keep it as a regression input.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createHarness } from './harness.js';
import { fuzzLoop } from './loop.js';
import { loadSeeds } from './seeds.js';

const o = workerData as {
  seed: number; from: number; runs?: number; deadline: number; reports: boolean; corpus: boolean; corpusDir?: string; heartbeat: SharedArrayBuffer;
};
const heartbeat = new Int32Array(o.heartbeat);
// For the harness's own test: the case whose number this names never returns, as a reader loop would not.
const stallAt = process.env.FLOWAUDIT_FUZZ_STALL_AT === undefined ? -1 : Number(process.env.FLOWAUDIT_FUZZ_STALL_AT);
const { seeds } = await loadSeeds({ corpus: o.corpus, corpusDir: o.corpusDir });
const harness = createHarness({ reports: o.reports });
const stats = await fuzzLoop(seeds, harness, {
  seed: o.seed, from: o.from, runs: o.runs, deadline: o.deadline,
  onCase: (i) => {
    Atomics.store(heartbeat, 0, i + 1);
    while (i === stallAt) { /* stalled on purpose */ }
  },
  onFailure: (c, failure) => parentPort!.postMessage({ t: 'failure', c, failure }),
  onProgress: (s) => parentPort!.postMessage({ t: 'progress', stats: s }),
});
parentPort!.postMessage({ t: 'done', stats });
