/**
 * Where the pipeline sends finished flows. For a database file the rows go to a writer thread
 * (flow-writer-worker); for ':memory:' (and when running from TypeScript sources, as tests do)
 * they are written inline. Either way each batch is one transaction, and the captures are
 * closed in the same transaction as their last flows.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { FlowClassifier } from '../catalog/types.js';
import type { FlowRecord } from '../flow/flow-record.js';
import { classifyLate, type LateClassification } from './late-classify.js';
import { RowEncoder } from '../store/row-codec.js';
import { flowRow } from '../store/flow-rows.js';
import { KeptFlowsBuilder, type KeptFlows } from '../store/kept-flows.js';
import type { CaptureEnd, DroppedCaptures, FlowStore, RowStore, StoreConnection } from '../store/types.js';
import { StoreError } from '../util/errors.js';

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
  /** Writes the last flows and closes the captures; resolves when committed, with the captures dropped as stored already. */
  finish(flows: readonly FlowRecord[], ends: Map<number, CaptureEnd>): Promise<DroppedCaptures>;
  /** Stops without finishing (the ingest failed); committed batches stay. */
  abort(): void;
  /**
   * Once finish() resolved: the audit's lean columns of every flow written (kept-flows.ts), when
   * the writer was asked to keep them and the copy was not given up; else null.
   */
  kept(): KeptFlows | null;
}

class InlineWriter implements FlowWriter {
  /** Kept from the rows as the store binds them, so that both writers keep the same values. */
  private readonly keeper: KeptFlowsBuilder | null;
  constructor(private store: FlowStore, private late: WriterClassification | null, keep: boolean) {
    this.keeper = keep && isRowStore(store) ? new KeptFlowsBuilder() : null;
  }
  write(flows: readonly FlowRecord[], progress?: BatchProgress): void {
    if (this.late) classifyLate(this.late.classifier, flows);
    this.store.writeFlows(flows);
    this.keep(flows);
    if (progress) this.store.updateCaptureProgress(progress.captureId, { packets: progress.packets, drops: null, ifDrops: null });
  }
  async finish(flows: readonly FlowRecord[], ends: Map<number, CaptureEnd>): Promise<DroppedCaptures> {
    if (this.late) classifyLate(this.late.classifier, flows);
    const dropped = this.store.finishCaptures(flows, ends);
    this.keep(flows);
    return dropped;
  }
  abort(): void {}
  kept(): KeptFlows | null {
    return this.keeper?.finish() ?? null;
  }
  private keep(flows: readonly FlowRecord[]): void {
    // The classifications rows exist once written: classId() is a lookup then.
    const store = this.store as RowStore;
    if (this.keeper) this.keeper.add(flows.map((f) => flowRow(f, store.classId(f.classification))));
  }
}

function isRowStore(store: FlowStore): store is RowStore {
  return typeof (store as Partial<RowStore>).classId === 'function';
}

/** Batches queued to the writer thread at most; beyond that the reader waits (bounded memory). */
const MAX_PENDING_BATCHES = 2;

/** Why the writer thread stopped writing: a StoreError's message and code, or a bug's message and stack. */
export interface WriterFailure {
  message: string;
  /** SQLite's code when the database failed for an outside reason (a StoreError), else null. */
  code: string | null;
  stack: string | null;
}

class ThreadedWriter implements FlowWriter {
  private worker: Worker;
  private failure: Error | null = null;
  /** [batches in flight, 1 once the writer thread failed] (see flow-writer-worker.ts). */
  private shared = new Int32Array(new SharedArrayBuffer(8));
  private errors: MessagePort;
  private readonly encoder = new RowEncoder();
  private keptFlows: KeptFlows | null = null;
  constructor(connection: StoreConnection, private location: string, script: string, late: LateClassification | null, keep: boolean) {
    const { port1, port2 } = new MessageChannel();
    this.errors = port1;
    this.worker = new Worker(script, {
      workerData: { connection, pendingSab: this.shared.buffer, late, errors: port2, keep },
      transferList: [port2],
      // A small young generation: this thread parses short-lived row batches; keeps RSS down.
      resourceLimits: { maxYoungGenerationSizeMb: 8 },
    });
    this.worker.on('error', (e) => { this.failure ??= new Error(`writer thread for ${location} stopped: ${e.message}`, { cause: e }); });
  }
  private asError(f: WriterFailure): Error {
    if (f.code !== null) return new StoreError(f.message, f.code);
    const e = new Error(`writing flows to ${this.location}: ${f.message}`);
    if (f.stack) e.stack = `${e.name}: ${e.message}\n(in the writer thread) ${f.stack}`;
    return e;
  }
  /** The writer thread's failure, if it failed: read synchronously, the reader never yields to the event loop. */
  private failed(): Error | null {
    if (this.failure === null && Atomics.load(this.shared, 1) === 1) {
      const m = receiveMessageOnPort(this.errors);
      if (m) this.failure = this.asError(m.message as WriterFailure);
    }
    return this.failure;
  }
  abort(): void {
    this.errors.close();
    void this.worker.terminate();
  }
  write(flows: readonly FlowRecord[], progress?: BatchProgress): void {
    const f = this.failed();
    if (f) throw f;
    if (!flows.length) return;
    // Back-pressure: when SQLite falls behind, wait rather than queue rows without bound.
    for (;;) {
      const n = Atomics.load(this.shared, 0);
      if (n < MAX_PENDING_BATCHES) break;
      Atomics.wait(this.shared, 0, n, 1000);
      const g = this.failed();
      if (g) throw g;
    }
    Atomics.add(this.shared, 0, 1);
    const rows = this.encoder.encode(flows);
    this.worker.postMessage({ t: 'rows', rows, progress }, [rows.nums.buffer as ArrayBuffer]);
  }
  kept(): KeptFlows | null {
    return this.keptFlows;
  }
  finish(flows: readonly FlowRecord[], ends: Map<number, CaptureEnd>): Promise<DroppedCaptures> {
    return new Promise((resolve, reject) => {
      const f = this.failed();
      if (f) return reject(f);
      const onMsg = (m: { t: string; failure?: WriterFailure; dropped?: [number, number][]; kept?: KeptFlows | null }) => {
        if (m.t === 'done') {
          this.keptFlows = m.kept ?? null;
          this.worker.off('message', onMsg);
          this.worker.postMessage({ t: 'close' });
          this.errors.close();
          resolve(new Map(m.dropped));
        } else if (m.t === 'error') {
          this.worker.off('message', onMsg);
          reject(this.failure ?? this.asError(m.failure!));
        }
      };
      this.worker.on('message', onMsg);
      this.worker.once('exit', () => reject(this.failure ?? new Error(`the writer thread for ${this.location} stopped before the last flows were written`)));
      const rows = this.encoder.encode(flows);
      this.worker.postMessage({ t: 'finish', rows, ends: [...ends] }, [rows.nums.buffer as ArrayBuffer]);
    });
  }
}

/** `keep`: keep the audit's lean columns of the flows written (FlowWriter.kept()). */
export function createFlowWriter(store: FlowStore, late: WriterClassification | null = null, keep = false): FlowWriter {
  const script = fileURLToPath(new URL('./flow-writer-worker.js', import.meta.url));
  const connection = store.connection();
  if (connection !== null && existsSync(script)) {
    return new ThreadedWriter(connection, store.location, script, late ? { catalog: late.catalog, site: late.site } : null, keep);
  }
  return new InlineWriter(store, late, keep);
}
