/**
 * A synchronous door to PostgreSQL. The FlowStore interface is synchronous (iterators over
 * millions of flows, transactions spanning several calls) and `pg` is not, so a PgStore posts
 * each request to a bridge thread (pg-bridge-worker.ts) that owns the `pg.Client`s, then blocks
 * on a shared flag with Atomics.wait until the reply is posted, and takes it off the port with
 * receiveMessageOnPort — the pattern of the `synckit` package, in ~100 lines of our own (see
 * docs/architecture.md for the measured cost per call).
 *
 * One bridge thread per calling thread (a writer thread opens its own), started on first use
 * and unref'd: it never keeps the process alive. A request carries any number of steps (SQL with
 * parameters, or a COPY with its data in a transferred buffer) run in order on one session, so
 * a transaction's statements cost one round trip between threads, not one each.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';

export interface BridgeStep {
  sql: string;
  params?: readonly unknown[];
  /** Rows as arrays (rowMode 'array') instead of objects. */
  array?: boolean;
  /** COPY ... FROM STDIN: the data (COPY text format), transferred to the bridge thread. */
  copy?: ArrayBuffer;
}

export type BridgeRequest =
  | { op: 'open'; url: string; location: string; mustExist: boolean }
  | { op: 'run'; handle: number; steps: BridgeStep[] }
  | { op: 'close'; handle: number };

export interface BridgeFailure {
  message: string;
  /** PostgreSQL's SQLSTATE or Node's error code (ECONNREFUSED ...), when there is one. */
  code: string | null;
  name: string;
  stack: string | null;
}

export type BridgeReply =
  | { ok: true; handle: number; results: unknown[][] }
  | { ok: false; error: BridgeFailure; failedStep: number };

/** A request failed on the server or on the way: `failure` as the bridge thread saw it. */
export class BridgeError extends Error {
  constructor(readonly failure: BridgeFailure) {
    super(failure.message);
    this.name = 'BridgeError';
  }

  get code(): string | null {
    return this.failure.code;
  }
}

function workerScript(): string {
  const beside = fileURLToPath(new URL('./pg-bridge-worker.js', import.meta.url));
  if (existsSync(beside)) return beside;
  // Running from the TypeScript sources (the tests): the built thread.
  return fileURLToPath(new URL('../../dist/src/store/pg-bridge-worker.js', import.meta.url));
}

class Bridge {
  private readonly worker: Worker;
  private readonly replies: MessagePort;
  private readonly flag: Int32Array;
  private gone = false;

  constructor() {
    const flagSab = new SharedArrayBuffer(4);
    this.flag = new Int32Array(flagSab);
    const { port1, port2 } = new MessageChannel();
    this.replies = port1;
    this.worker = new Worker(workerScript(), { workerData: { flagSab, replies: port2 }, transferList: [port2] });
    this.worker.unref();
    this.replies.unref();
  }

  call(m: BridgeRequest, transfer: ArrayBuffer[] = []): BridgeReply {
    if (this.gone) throw new Error('PostgreSQL bridge thread has exited');
    Atomics.store(this.flag, 0, 0);
    this.worker.postMessage(m, transfer);
    while (Atomics.load(this.flag, 0) === 0) Atomics.wait(this.flag, 0, 0);
    if (Atomics.load(this.flag, 0) === 2) {
      this.gone = true;
      throw new Error('PostgreSQL bridge thread has exited');
    }
    const r = receiveMessageOnPort(this.replies);
    if (r === undefined) throw new Error('PostgreSQL bridge: no reply');
    return r.message as BridgeReply;
  }
}

let bridge: Bridge | null = null;

/** Sends one request to this thread's bridge and waits for its reply; a failure throws a BridgeError. */
export function bridgeCall(m: BridgeRequest, transfer: ArrayBuffer[] = []): unknown[][] {
  bridge ??= new Bridge();
  const r = bridge.call(m, transfer);
  if (!r.ok) throw new BridgeError(r.error);
  return r.results;
}

/**
 * Opens a session (one pg.Client) and returns its handle, the database brought to the current
 * schema (pg-schema.ts); with `mustExist`, one without flowaudit's tables fails (code FA_NO_SCHEMA).
 */
export function bridgeOpen(url: string, location: string, mustExist: boolean): number {
  bridge ??= new Bridge();
  const r = bridge.call({ op: 'open', url, location, mustExist });
  if (!r.ok) throw new BridgeError(r.error);
  return r.handle;
}
