/**
 * Parallel ingest: N worker threads each run the whole pipeline (ingest.ts) over every input,
 * but each keeps only the flows of its share of host pairs (hostPairShare) and advances its
 * flow table's clock on the other packets. Every flow and every flow between the same two
 * hosts stays in one worker, and timeouts fire as in a single pipeline, so the stored flows are
 * the same as a single-threaded read gives (flow numbers aside: each worker reserves its own ranges).
 * What a share cannot see is an announcement naming a third host (an EPM reply pointing to
 * another server): that follow-on is classified by its own rule, or as unexpected.
 *
 * Each worker decodes every packet (reading from page cache is cheap next to the flow work)
 * and writes through its own writer thread; this thread opens the captures first and closes
 * them, in one transaction, once every worker has committed its flows, so an interrupted run
 * leaves them partial as a single pipeline would.
 */
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { openByteSource } from '../capture/byte-source.js';
import type { FlowTableStats } from '../flow/flow-table.js';
import type { CaptureEnd, DroppedCaptures, StoreConnection } from '../store/types.js';
import { InterruptedError, StoreError, UserError } from '../util/errors.js';
import {
  CaptureRegistry, asDuplicates, inTimeOrder, isFileInput, leftPartial, type CaptureInput, type CaptureOutcome, type IngestOptions, type IngestProgress, type IngestResult,
} from './ingest.js';

/** What a worker needs (structured-cloneable). */
export interface IngestWorkerData {
  connection: StoreConnection;
  inputs: { name: string; format?: string }[];
  captureIds: number[];
  index: number;
  count: number;
  hashFiles: boolean;
  noInspect: boolean;
  /** Whether the caller shows progress (workers post theirs only then). */
  progress: boolean;
  timeouts: IngestOptions['timeouts'];
  tapSide: IngestOptions['tapSide'];
  batchFlows?: number;
  catalog: IngestOptions['catalog'];
  site: IngestOptions['site'];
}

/** A worker's result: its IngestResult, with the capture ends as entries (structured clone). */
type WorkerResult = Omit<IngestResult, 'captureEnds'> & { captureEnds: [number, CaptureEnd][] };

export type IngestWorkerMessage =
  | { t: 'progress'; p: IngestProgress }
  | { t: 'done'; result: WorkerResult }
  | { t: 'error'; message: string; user: boolean };

/** Whether a run can go parallel: files only (no stdin or live source), and a database file. */
export function canIngestInParallel(inputs: CaptureInput[], opts: IngestOptions): boolean {
  return opts.store.connection() !== null && inputs.every((i) => isFileInput(i));
}

export async function ingestParallel(inputsAsGiven: CaptureInput[], opts: IngestOptions, threads: number): Promise<IngestResult> {
  const store = opts.store;
  const connection = store.connection()!;
  const inputs = await inTimeOrder(inputsAsGiven);
  const outcomes: (CaptureOutcome | null)[] = [];
  const toRead: { input: CaptureInput; captureId: number; slot: number }[] = [];
  // Every file opened once first, so that a missing or unreadable one is reported before any capture row.
  for (const input of inputs) (await openByteSource(input.name)).close();
  const registry = new CaptureRegistry(store, opts.tapSide ?? null, opts.sensor ?? null);
  for (const input of inputs) {
    const claim = await registry.claim(input, opts.onNotice, opts.interrupted);
    if ('skipped' in claim) {
      outcomes.push(claim.skipped);
      continue;
    }
    const captureId = claim.captureId;
    toRead.push({ input, captureId, slot: outcomes.length });
    outcomes.push(null);
  }
  if (toRead.length === 0) {
    // Everything was stored already: nothing for workers to do.
    return { captures: outcomes as CaptureOutcome[], stats: emptyStats(), flowsWritten: 0, unusedExpectations: 0 };
  }
  const script = fileURLToPath(new URL('./ingest-worker.js', import.meta.url));
  const workers: Worker[] = [];
  const latest: (IngestProgress | undefined)[] = new Array(threads);
  const opened = toRead.map((r) => ({ captureId: r.captureId, source: r.input.name, rereadable: true }));
  let poll: NodeJS.Timeout | undefined;
  const running = new Promise<WorkerResult[]>((resolve, reject) => {
    const done: WorkerResult[] = new Array(threads);
    let remaining = threads;
    let failed = false;
    const fail = (e: Error) => {
      if (failed) return;
      failed = true;
      for (const w of workers) void w.terminate();
      reject(e);
    };
    for (let index = 0; index < threads; index++) {
      const data: IngestWorkerData = {
        connection, inputs: toRead.map((r) => ({ name: r.input.name, format: r.input.format })),
        captureIds: toRead.map((r) => r.captureId), index, count: threads,
        // One worker hashes the files (every worker reads all of them).
        hashFiles: index === 0 && opts.hashFiles !== false, noInspect: !!opts.noInspect, progress: opts.onProgress !== undefined,
        timeouts: opts.timeouts, tapSide: opts.tapSide ?? null, batchFlows: opts.batchFlows,
        catalog: opts.catalog ?? null, site: opts.site ?? null,
      };
      const w = new Worker(script, { workerData: data });
      workers.push(w);
      w.on('message', (m: IngestWorkerMessage) => {
        if (m.t === 'progress') {
          latest[index] = m.p;
          // Bytes from worker 0 (every worker reads every byte); packets and flows add up.
          const lead = latest[0];
          if (lead && opts.onProgress) {
            const sum = (k: 'packets' | 'flows' | 'activeFlows') => latest.reduce((n, p) => n + (p ? p[k] : 0), 0);
            opts.onProgress({ ...lead, packets: sum('packets'), flows: sum('flows'), activeFlows: sum('activeFlows') });
          }
        } else if (m.t === 'done') {
          done[index] = m.result;
          if (--remaining === 0) resolve(done);
        } else fail(m.user ? new UserError(m.message) : new Error(m.message));
      });
      w.on('error', fail);
      w.on('exit', (code) => {
        if (done[index] === undefined) fail(new Error(`ingest worker ${index} stopped (exit code ${code})`));
      });
    }
    // A signal stops the workers where they are: their captures stay 'partial'.
    if (opts.interrupted) {
      poll = setInterval(() => {
        const signal = opts.interrupted!();
        if (signal !== null) fail(new InterruptedError(`interrupted by ${signal}`, signal));
      }, 100);
    }
  });
  let results: WorkerResult[];
  try {
    results = await running;
  } catch (e) {
    if (e instanceof InterruptedError || e instanceof StoreError) throw leftPartial(e, store, opened);
    throw e;
  } finally {
    clearInterval(poll);
  }

  // Every packet was read by every worker: the capture-level facts are worker 0's; flows add up.
  const first = results[0]!;
  const ends = new Map(first.captureEnds);
  let dropped: DroppedCaptures;
  try {
    dropped = store.finishCaptures([], ends);
  } catch (e) {
    if (e instanceof StoreError) throw leftPartial(e, store, opened);
    throw e;
  }
  const flowsPerCapture = new Map<number, number>();
  for (const r of results) for (const c of r.captures) if (c.captureId !== null) flowsPerCapture.set(c.captureId, (flowsPerCapture.get(c.captureId) ?? 0) + c.flows);
  toRead.forEach((r, k) => {
    const c = first.captures[k]!;
    outcomes[r.slot] = { ...c, flows: flowsPerCapture.get(r.captureId) ?? 0 };
  });
  asDuplicates(outcomes as CaptureOutcome[], dropped);
  const stats = { ...first.stats } as FlowTableStats;
  for (const r of results.slice(1)) {
    for (const key of Object.keys(stats) as (keyof FlowTableStats)[]) {
      // Packets that are not IP were counted by every worker alike.
      if (key !== 'nonIp') stats[key] += r.stats[key];
    }
  }
  return {
    captures: outcomes as CaptureOutcome[],
    stats,
    flowsWritten: results.reduce((n, r) => n + r.flowsWritten, 0),
    unusedExpectations: results.reduce((n, r) => n + r.unusedExpectations, 0),
  };
}

function emptyStats(): FlowTableStats {
  return { packets: 0, flowPackets: 0, nonIp: 0, fragmentsUnattributed: 0, icmpErrors: 0, flowsStarted: 0, flowsEnded: 0, activePeak: 0 };
}
