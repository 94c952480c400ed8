/**
 * Which process is reading a capture into the database (captures.reader), so that another
 * flowaudit writing to the same database can tell a capture being read right now (wait for it)
 * from one a killed run left 'partial' (read it again). A reader is "host:pid:start", where
 * start is the process's start time in clock ticks since boot (Linux, /proc/PID/stat), so a pid
 * reused by another process since is not taken for the reader; elsewhere start is empty and the
 * pid alone is checked.
 */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

/** The start time of a process, from /proc (empty when unknown). */
function startTimeOf(pid: number): string {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces and parentheses): state is field 3, starttime field 22.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? '';
  } catch {
    return '';
  }
}

let self: string | null = null;

/** This process as a reader. */
export function thisReader(): string {
  return (self ??= `${hostname()}:${process.pid}:${startTimeOf(process.pid)}`);
}

/** The process id a reader names (NaN when the text is not a reader). */
export function readerPid(reader: string): number {
  return Number(reader.split(':').at(-2));
}

/**
 * Whether the reader may still be reading: its process runs (and started when it did), or it
 * is on another host, where this cannot be told.
 */
export function readerAlive(reader: string): boolean {
  const parts = reader.split(':');
  const start = parts.at(-1)!;
  const pid = Number(parts.at(-2));
  const host = parts.slice(0, -2).join(':');
  if (host !== hostname()) return true;
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false; // no such process
  }
  return start === '' || startTimeOf(pid) === start;
}
