/**
 * Where a report goes: a file the user named (created or truncated) or stdout, written in
 * pieces as the report writer produces them (report/sink.ts), so a large report is never
 * held whole.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import type { Sink } from '../report/index.js';

/** Text gathered before a write: few system calls, little held. */
const PIECE = 1 << 20;

/**
 * Runs `write` with a sink into `path`, or into stdout when it is undefined. On stdout the
 * report ends with a newline, as a terminal wants.
 */
export function writeOutput(path: string | undefined, write: (out: Sink) => void): void {
  const fd = path === undefined ? null : openSync(path, 'w');
  let buf = '';
  let last = '';
  const flush = () => {
    if (buf === '') return;
    last = buf[buf.length - 1]!;
    if (fd === null) process.stdout.write(buf); // synchronous for files, pipes and terminals on Linux
    else writeAllSync(fd, Buffer.from(buf, 'utf8'));
    buf = '';
  };
  try {
    write((text) => {
      buf += text;
      if (buf.length >= PIECE) flush();
    });
    flush();
    if (fd === null && last !== '\n') process.stdout.write('\n');
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

function writeAllSync(fd: number, bytes: Buffer): void {
  let off = 0;
  while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
}
