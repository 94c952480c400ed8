/**
 * A one-way channel from a worker thread to a thread that takes its messages synchronously:
 * the audit and the report writers are plain loops over iterators, and a message port only
 * delivers through the event loop. The receiver takes messages with receiveMessageOnPort and
 * sleeps on a shared counter (Atomics.wait) while none is there; the sender counts each message
 * after posting it, and waits while `ahead` messages are not taken yet (bounded memory).
 */
import { MessageChannel, receiveMessageOnPort, type MessagePort, type TransferListItem } from 'node:worker_threads';

/** What the sending thread gets (in workerData, the port in the transfer list). */
export interface SyncChannelEnd {
  port: MessagePort;
  sab: SharedArrayBuffer;
}

/** [messages posted, messages taken]. */
const POSTED = 0;
const TAKEN = 1;

export class SyncSender {
  private readonly counts: Int32Array;
  constructor(private readonly end: SyncChannelEnd) {
    this.counts = new Int32Array(end.sab);
  }

  /** Posts a message, after waiting while `ahead` posted messages are not taken yet. */
  post(message: unknown, transfer: TransferListItem[] = [], ahead = Infinity): void {
    for (;;) {
      const taken = Atomics.load(this.counts, TAKEN);
      if (Atomics.load(this.counts, POSTED) - taken < ahead) break;
      Atomics.wait(this.counts, TAKEN, taken, 1000);
    }
    this.end.port.postMessage(message, transfer);
    Atomics.add(this.counts, POSTED, 1);
    Atomics.notify(this.counts, POSTED);
  }

  close(): void {
    this.end.port.close();
  }
}

export class SyncReceiver {
  private readonly counts = new Int32Array(new SharedArrayBuffer(8));
  private readonly port: MessagePort;
  /** The sending thread's end: pass it in workerData and `end.port` in the transfer list. */
  readonly end: SyncChannelEnd;

  constructor() {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.end = { port: port2, sab: this.counts.buffer as SharedArrayBuffer };
  }

  /**
   * The next message, waiting for it; throws `stalled()` when none came for `stalledMs` (the
   * sending thread is lost: it died without a word, or is stuck).
   */
  take(stalledMs: number, stalled: () => Error): unknown {
    for (;;) {
      const posted = Atomics.load(this.counts, POSTED);
      const m = receiveMessageOnPort(this.port);
      if (m !== undefined) {
        Atomics.add(this.counts, TAKEN, 1);
        Atomics.notify(this.counts, TAKEN);
        return m.message;
      }
      if (Atomics.wait(this.counts, POSTED, posted, stalledMs) === 'timed-out') throw stalled();
    }
  }

  close(): void {
    this.port.close();
  }
}
