/**
 * The fuzz loop: case after case (mutate.ts) through the harness, until a number of cases or a
 * deadline, reporting each failure with the case that caused it. Used by the worker thread of
 * `npm run fuzz` and, in process, by the test suite's short fixed-seed run.
 */
import type { CaseOutcome, Harness } from './harness.js';
import { makeCase, type FuzzCase, type SeedCapture } from './mutate.js';

export interface LoopOptions {
  seed: number;
  /** First case number (default 0). */
  from?: number;
  /** Stop after this many cases... */
  runs?: number;
  /** ...or at this time (Date.now() milliseconds), whichever comes first. */
  deadline?: number;
  onFailure: (c: FuzzCase, failure: Extract<CaseOutcome, { failed: true }>) => void;
  /** Called with the case number before each case runs (a watchdog's heartbeat). */
  onCase?: (index: number) => void;
  onProgress?: (s: LoopStats) => void;
}

export interface LoopStats {
  runs: number;
  failures: number;
  /** Cases the reader reported as damaged (the capture stored partial): the expected outcome of many mutations. */
  damaged: number;
  packets: number;
  flows: number;
  /** Cases per mutation kind (a case with two mutations counts for both). */
  byMutation: Record<string, number>;
  /** Number of the last case run. */
  last: number;
}

export async function fuzzLoop(seeds: readonly SeedCapture[], harness: Harness, o: LoopOptions): Promise<LoopStats> {
  const s: LoopStats = { runs: 0, failures: 0, damaged: 0, packets: 0, flows: 0, byMutation: {}, last: (o.from ?? 0) - 1 };
  let lastProgress = Date.now();
  for (let i = o.from ?? 0; ; i++) {
    if (o.runs !== undefined && s.runs >= o.runs) break;
    if (o.deadline !== undefined && Date.now() >= o.deadline) break;
    const c = makeCase(seeds, o.seed, i);
    o.onCase?.(i);
    const out = await harness.run(c.bytes, c.readSize);
    s.runs++;
    s.last = i;
    for (const m of c.mutations) {
      const kind = m.slice(0, m.indexOf(':'));
      s.byMutation[kind] = (s.byMutation[kind] ?? 0) + 1;
    }
    if (out.failed) {
      s.failures++;
      o.onFailure(c, out);
    } else {
      if (out.damaged) s.damaged++;
      s.packets += out.packets;
      s.flows += out.flows;
    }
    if (o.onProgress && Date.now() - lastProgress >= 5000) {
      lastProgress = Date.now();
      o.onProgress(s);
    }
  }
  return s;
}
