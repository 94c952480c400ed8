/**
 * File identity for idempotent re-ingest. The full sha256 is computed on a worker thread that
 * reads the file on its own, in parallel with the ingest on the main thread (hashing 6 GB costs
 * ~3.5 s of CPU: too much for the hot path, free on the second core). A cheap fingerprint
 * (size + hash of the first and last MiB) finds a probable duplicate before reading anything.
 */
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { Worker } from 'node:worker_threads';

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const h = createHash('sha256');
const fd = fs.openSync(workerData.path, 'r');
const buf = Buffer.allocUnsafe(4 * 1024 * 1024);
let pos = 0, n;
while ((n = fs.readSync(fd, buf, 0, buf.length, pos)) > 0) { h.update(buf.subarray(0, n)); pos += n; }
fs.closeSync(fd);
parentPort.postMessage(h.digest('hex'));
`;

export function sha256FileInWorker(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const w = new Worker(WORKER_SOURCE, { eval: true, workerData: { path } });
    w.once('message', (hex: string) => resolve(hex));
    w.once('error', reject);
  });
}

export function sha256File(path: string): string {
  const h = createHash('sha256');
  const fd = openSync(path, 'r');
  const buf = Buffer.allocUnsafe(4 * 1024 * 1024);
  let pos = 0;
  let n: number;
  while ((n = readSync(fd, buf, 0, buf.length, pos)) > 0) {
    h.update(buf.subarray(0, n));
    pos += n;
  }
  closeSync(fd);
  return h.digest('hex');
}

export function fileFingerprint(path: string): { fingerprint: string; size: number } {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const h = createHash('sha256');
    const chunk = 1024 * 1024;
    const buf = Buffer.allocUnsafe(chunk);
    const n1 = readSync(fd, buf, 0, chunk, 0);
    h.update(buf.subarray(0, n1));
    if (size > chunk) {
      const n2 = readSync(fd, buf, 0, chunk, Math.max(chunk, size - chunk));
      h.update(buf.subarray(0, n2));
    }
    return { fingerprint: `${size}:${h.digest('hex')}`, size };
  } finally {
    closeSync(fd);
  }
}

const STREAM_WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { sab, flagsSab, queueSab, slotSize, queueLen } = workerData;
const flags = new Int32Array(flagsSab);
const q = new Int32Array(queueSab); // [written, read, then (slot, start, end) triples]
const h = createHash('sha256');
for (;;) {
  const read = Atomics.load(q, 1);
  if (Atomics.load(q, 0) === read) { Atomics.wait(q, 0, read); continue; }
  const at = 2 + (read % queueLen) * 3;
  const slot = q[at], start = q[at + 1], end = q[at + 2];
  if (slot < 0) break; // end of stream
  h.update(new Uint8Array(sab, slot * slotSize + start, end - start));
  Atomics.store(flags, slot, 0);
  Atomics.notify(flags, slot);
  Atomics.add(q, 1, 1);
  Atomics.notify(q, 1);
}
parentPort.postMessage(h.digest('hex'));
`;

/**
 * sha256 of the bytes the reader reads, computed on a worker thread from shared memory: the
 * reader reads each chunk into a slot of a SharedArrayBuffer ring and queues the slot's new
 * bytes (slot, start, end) in a shared queue; the worker hashes them in order and frees the
 * slot. The file is read once, hashing (~1.6 GB/s) runs on the other core, and no message is
 * posted per chunk (postMessage cost ~80 µs a call here).
 */
export class StreamingSha256 {
  private readonly sab: SharedArrayBuffer;
  private readonly flags: Int32Array;
  private readonly queue: Int32Array;
  private readonly queueLen: number;
  private readonly worker: Worker;
  private readonly views: Buffer[] = [];
  private next = 0;

  constructor(readonly slotSize: number, readonly slots = 16) {
    this.sab = new SharedArrayBuffer(slotSize * slots);
    const flagsSab = new SharedArrayBuffer(4 * slots);
    this.flags = new Int32Array(flagsSab);
    this.queueLen = slots * 2;
    const queueSab = new SharedArrayBuffer(4 * (2 + 3 * this.queueLen));
    this.queue = new Int32Array(queueSab);
    for (let i = 0; i < slots; i++) this.views.push(Buffer.from(this.sab, i * slotSize, slotSize));
    this.worker = new Worker(STREAM_WORKER_SOURCE, {
      eval: true, workerData: { sab: this.sab, flagsSab, queueSab, slotSize, queueLen: this.queueLen },
      resourceLimits: { maxYoungGenerationSizeMb: 2 },
    });
  }

  /** A free slot to read into (waits for the worker when all are queued). */
  acquire(): Buffer {
    const k = this.next;
    this.next = (k + 1) % this.slots;
    while (Atomics.load(this.flags, k) !== 0) Atomics.wait(this.flags, k, 1, 1000);
    Atomics.store(this.flags, k, 1);
    return this.views[k]!;
  }

  /** Hash buf[start, end): the next bytes of the stream, in order. */
  submit(buf: Buffer, start: number, end: number): void {
    const k = this.views.indexOf(buf);
    if (end <= start) {
      if (k >= 0) Atomics.store(this.flags, k, 0);
      return;
    }
    if (k >= 0) {
      this.enqueue(k, start, end);
      return;
    }
    // Not a shared slot (a record larger than a slot): copy it through a slot in pieces.
    for (let at = start; at < end; ) {
      const slot = this.acquire();
      const n = Math.min(this.slotSize, end - at);
      buf.copy(slot, 0, at, at + n);
      this.enqueue(this.views.indexOf(slot), 0, n);
      at += n;
    }
  }

  private enqueue(slot: number, start: number, end: number): void {
    const q = this.queue;
    // The queue holds more entries than there are slots, so it cannot overflow; wait anyway.
    while (Atomics.load(q, 0) - Atomics.load(q, 1) >= this.queueLen) Atomics.wait(q, 1, Atomics.load(q, 1), 1000);
    const w = Atomics.load(q, 0);
    const at = 2 + (w % this.queueLen) * 3;
    q[at] = slot;
    q[at + 1] = start;
    q[at + 2] = end;
    Atomics.add(q, 0, 1);
    Atomics.notify(q, 0);
  }

  digest(): Promise<string> {
    return new Promise((resolve, reject) => {
      this.worker.once('message', (hex: string) => {
        void this.worker.terminate();
        resolve(hex);
      });
      this.worker.once('error', reject);
      this.enqueue(-1, 0, 0);
    });
  }

  abort(): void {
    void this.worker.terminate();
  }
}
