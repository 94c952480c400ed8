/**
 * Payload inspectors look at the first bytes of the few flows that can announce a dynamic
 * port, and report what they learn as announcements. They keep at most a small bounded
 * buffer per flow (to join a message split across segments), never whole payloads.
 */
import type { FlowRecord } from '../flow/flow-record.js';

export interface Announcement {
  kind: 'epm' | 'ftp' | 'ssrp' | 'tftp';
  proto: number;           // IP protocol of the announced connection
  client: string | null;   // who will connect (null = anyone)
  clientPort: number | null;
  server: string;          // who will answer
  portLo: number;
  portHi: number;
  /** Seconds the announcement stays valid. */
  within: number;
  evidence: string;
  /** An announcement that is itself suspicious (FTP PORT to a third party). */
  suspicious?: string;
}

export interface Inspector {
  /** dir 0 = originator to responder. Returns true when the inspector has seen enough. */
  onPayload(flow: FlowRecord, dir: number, buf: Buffer, off: number, len: number, announce: (a: Announcement) => void): boolean;
}

/** Accumulates up to `limit` bytes of one direction of a stream. */
export class BoundedBuffer {
  private chunks: Buffer[] = [];
  length = 0;
  constructor(private readonly limit: number) {}
  /** Returns false once the limit is reached (the caller should give up). */
  push(buf: Buffer, off: number, len: number): boolean {
    const room = this.limit - this.length;
    if (room <= 0) return false;
    const n = Math.min(room, len);
    this.chunks.push(Buffer.from(buf.subarray(off, off + n)));
    this.length += n;
    return true;
  }
  bytes(): Buffer {
    if (this.chunks.length !== 1) this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0] ?? Buffer.alloc(0);
  }
  consume(n: number): void {
    const b = this.bytes().subarray(n);
    this.chunks = [b];
    this.length = b.length;
  }
}
