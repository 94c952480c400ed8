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

/**
 * Runs `write` with a sink into `path`, or into stdout when it is undefined. On stdout the
 * report ends with a newline, as a terminal wants.
 */
export function writeOutput(path: string | undefined, write: (out: Sink) => void): void {
  const fd = path === undefined ? null : openSync(path, 'w');
  const buf = Buffer.allocUnsafe(BUFFER_BYTES);
  let used = 0;
  let lastByte = -1;
  const flush = () => {
    if (used === 0) return;
    lastByte = buf[used - 1]!;
    // stdout is synchronous for files, pipes and terminals on Linux; it gets a copy all the same.
    if (fd === null) process.stdout.write(Buffer.from(buf.subarray(0, used)));
    else writeAllSync(fd, buf.subarray(0, used));
    used = 0;
  };
  const sink: Sink = (text) => {
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
  try {
    write(sink);
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
