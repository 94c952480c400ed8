/**
 * Where a report goes: a file the user named (created or truncated) or stdout, written in
 * pieces as the report writer produces them (report/sink.ts), so a large report is never
 * held whole. Text is encoded at once into one reused buffer: the writer's strings die young
 * and the heap stays flat however long the report.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import type { Sink } from '../report/index.js';

/** Bytes gathered before a write: few system calls, little held. */
const BUFFER_BYTES = 1 << 20;
/** Pieces joined before they are encoded. */
const PIECES = 64;
/**
 * Bytes written between two full garbage collections, when the launcher allows them. The JSON
 * writer makes no string larger than a batch of items or groups, so the heap of the write stays
 * well below the read's peak: on the 10M audit 64 MiB wrote the report 0.1-0.2 s faster than
 * 16 MiB at the same peak RSS (255-280 MB, the read's).
 */
const COLLECT_EVERY = 64 << 20;

/**
 * Runs `write` with a sink into `path`, or into stdout when it is undefined. On stdout the
 * report ends with a newline, as a terminal wants.
 */
export function writeOutput(path: string | undefined, write: (out: Sink) => void): void {
  const fd = path === undefined ? null : openSync(path, 'w');
  const buf = Buffer.allocUnsafe(BUFFER_BYTES);
  let used = 0;
  let lastByte = -1;
  let sinceCollect = 0;
  const collect = (globalThis as { gc?: () => void }).gc;
  const flush = () => {
    if (used === 0) return;
    lastByte = buf[used - 1]!;
    // stdout is synchronous for files, pipes and terminals on Linux; it gets a copy all the same.
    if (fd === null) process.stdout.write(Buffer.from(buf.subarray(0, used)));
    else writeAllSync(fd, buf.subarray(0, used));
    sinceCollect += used;
    used = 0;
    // The launcher exposes V8's collector (bin/flowaudit): a full collection every COLLECT_EVERY
    // bytes written keeps the old generation from growing on the writer's short-lived items.
    if (sinceCollect >= COLLECT_EVERY && typeof collect === 'function') {
      collect();
      sinceCollect = 0;
    }
  };
  // Small pieces are gathered (up to PIECES of them) and encoded as one: an encode call per
  // piece cost more than the encoding.
  let pieces: string[] = [];
  let piecesLength = 0;
  const encode = (text: string) => {
    // A UTF-8 character is at most 3 bytes per UTF-16 unit.
    if (used + text.length * 3 > BUFFER_BYTES) {
      flush();
      if (text.length * 3 > BUFFER_BYTES) {
        const bytes = Buffer.from(text, 'utf8');
        lastByte = bytes[bytes.length - 1] ?? lastByte;
        if (fd === null) process.stdout.write(bytes);
        else writeAllSync(fd, bytes);
        return;
      }
    }
    used += buf.write(text, used, 'utf8');
  };
  const drain = () => {
    if (pieces.length === 0) return;
    encode(pieces.length === 1 ? pieces[0]! : pieces.join(''));
    pieces = [];
    piecesLength = 0;
  };
  const sink: Sink = (text) => {
    pieces.push(text);
    piecesLength += text.length;
    if (pieces.length >= PIECES || piecesLength >= 16384) drain();
  };
  try {
    write(sink);
    drain();
    flush();
    if (fd === null && lastByte !== 0x0a) process.stdout.write('\n');
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

function writeAllSync(fd: number, bytes: Buffer): void {
  let off = 0;
  while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
}
