/**
 * Where the pipeline sends finished flows. For a database file the rows go to a writer thread
 * (flow-writer-worker); for ':memory:' (and when running from TypeScript sources, as tests do)
 * they are written inline. Either way each batch is one transaction, and the captures are
 * closed in the same transaction as their last flows.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { FlowClassifier } from '../catalog/types.js';
import type { FlowRecord } from '../flow/flow-record.js';
import { classifyLate, type LateClassification } from './late-classify.js';
import { RowEncoder } from '../store/row-codec.js';
import type { CaptureEnd, FlowStore, StoreConnection } from '../store/types.js';

/** The capture being read when a batch was written, and its packets so far. */
export interface BatchProgress {
  captureId: number;
  packets: number;
}

/** Flows the ingest left unclassified are classified by the writer (see late-classify.ts). */
export interface WriterClassification extends LateClassification {
  classifier: FlowClassifier;
}

export interface FlowWriter {
  /** Writes a batch; `progress`, the capture being read, is stored in the same transaction. */
  write(flows: readonly FlowRecord[], progress?: BatchProgress): void;
  /** Writes the last flows and closes the captures; resolves when committed. */
  finish(flows: readonly FlowRecord[], ends: Map<number, CaptureEnd>): Promise<void>;
  /** Stops without finishing (the ingest failed); committed batches stay. */
  abort(): void;
}

class InlineWriter implements FlowWriter {
  constructor(private store: FlowStore, private late: WriterClassification | null) {}
  write(flows: readonly FlowRecord[], progress?: BatchProgress): void {
    if (this.late) classifyLate(this.late.classifier, flows);
    this.store.writeFlows(flows);
    if (progress) this.store.updateCaptureProgress(progress.captureId, { packets: progress.packets, drops: null, ifDrops: null });
  }
  async finish(flows: readonly FlowRecord[], ends: Map<number, CaptureEnd>): Promise<void> {
    if (this.late) classifyLate(this.late.classifier, flows);
    this.store.finishCaptures(flows, ends);
  }
  abort(): void {}
}

/** Batches queued to the writer thread at most; beyond that the reader waits (bounded memory). */
const MAX_PENDING_BATCHES = 2;

class ThreadedWriter implements FlowWriter {
  private worker: Worker;
  private failure: Error | null = null;
  private pending = new Int32Array(new SharedArrayBuffer(4));
  private readonly encoder = new RowEncoder();
  constructor(connection: StoreConnection, location: string, script: string, late: LateClassification | null) {
    this.worker = new Worker(script, {
      workerData: { connection, pendingSab: this.pending.buffer, late },
      // A small young generation: this thread parses short-lived row batches; keeps RSS down.
      resourceLimits: { maxYoungGenerationSizeMb: 8 },
    });
    this.worker.on('message', (m: { t: string; message?: string }) => {
      if (m.t === 'error') this.failure = new Error(`writing flows to ${location}: ${m.message}`);
    });
    this.worker.on('error', (e) => { this.failure = e; });
  }
  abort(): void {
    void this.worker.terminate();
  }
  write(flows: readonly FlowRecord[], progress?: BatchProgress): void {
    if (this.failure) throw this.failure;
    if (!flows.length) return;
    // Back-pressure: when SQLite falls behind, wait rather than queue rows without bound.
    for (;;) {
      const n = Atomics.load(this.pending, 0);
      if (n < MAX_PENDING_BATCHES) break;
      Atomics.wait(this.pending, 0, n, 1000);
      if (this.failure) throw this.failure;
    }
    Atomics.add(this.pending, 0, 1);
    const rows = this.encoder.encode(flows);
    this.worker.postMessage({ t: 'rows', rows, progress }, [rows.nums.buffer as ArrayBuffer]);
  }
  finish(flows: readonly FlowRecord[], ends: Map<number, CaptureEnd>): Promise<void> {
    return new Promise((resolve, reject) => {
      const onMsg = (m: { t: string; message?: string }) => {
        if (m.t === 'done') {
          this.worker.off('message', onMsg);
          this.worker.postMessage({ t: 'close' });
          resolve();
        } else if (m.t === 'error') reject(new Error(m.message));
      };
      this.worker.on('message', onMsg);
      if (this.failure) return reject(this.failure);
      const rows = this.encoder.encode(flows);
      this.worker.postMessage({ t: 'finish', rows, ends: [...ends] }, [rows.nums.buffer as ArrayBuffer]);
    });
  }
}

export function createFlowWriter(store: FlowStore, late: WriterClassification | null = null): FlowWriter {
  const script = fileURLToPath(new URL('./flow-writer-worker.js', import.meta.url));
  const connection = store.connection();
  if (connection !== null && existsSync(script)) {
    return new ThreadedWriter(connection, store.location, script, late ? { catalog: late.catalog, site: late.site } : null);
  }
  return new InlineWriter(store, late);
}
