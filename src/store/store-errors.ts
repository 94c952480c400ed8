/**
 * SQLite failures that come from outside the program — the disk is full, the file is read-only,
 * damaged or not a database, another process held the lock past the busy timeout — become a
 * StoreError naming the database, which the CLI prints as one line (exit 2). Any other SQLite
 * error (a constraint, a syntax error) is a bug and stays what it is.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { StoreError } from '../util/errors.js';

const FROM_OUTSIDE = /^SQLITE_(FULL|IOERR|READONLY|CANTOPEN|BUSY|LOCKED|CORRUPT|NOTADB|PERM|NOLFS|AUTH)/;

/** What a SQLite result code means to the user, when SQLite's own message does not say it well. */
function explain(code: string, message: string): string {
  if (code === 'SQLITE_IOERR_SHMSIZE') return 'database or disk is full (no room for its shared-memory file)';
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return `${message} (another process kept it locked for longer than the 30 s this one waits)`;
  }
  if (code.startsWith('SQLITE_IOERR')) return `input/output error (${message})`;
  return message;
}

/** `e` as a StoreError naming `path` when SQLite failed for an outside reason; otherwise `e` itself. */
export function asStoreError(e: unknown, path: string): unknown {
  if (e instanceof StoreError) return e;
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !FROM_OUTSIDE.test(code)) return e;
  return new StoreError(`${path}: ${explain(code, (e as Error).message)}`, code);
}

/** Runs `f`, turning an outside SQLite failure into a StoreError naming `path`. */
export function guarded<T>(path: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw asStoreError(e, path);
  }
}

/** Whether the database failed because its disk (or quota) is full: making room is the cure. */
export function isDiskFull(e: StoreError): boolean {
  return e.code === 'SQLITE_FULL' || e.code === 'SQLITE_IOERR_SHMSIZE';
}

/**
 * Why a database could not be opened, in the user's terms: SQLite says "unable to open database
 * file" for a folder, a read-only file system or a folder one may not write to (a database in
 * WAL mode needs to create files beside it).
 */
export function openFailure(path: string, e: unknown): StoreError {
  const code = (e as { code?: string } | null)?.code ?? 'SQLITE_CANTOPEN';
  let why = (e as Error)?.message ?? String(e);
  try {
    if (statSync(path, { throwIfNoEntry: false })?.isDirectory()) why = 'is a directory, not a database file';
    else accessSync(dirname(path), constants.W_OK);
  } catch (err) {
    const c = (err as NodeJS.ErrnoException).code;
    if (c === 'EROFS') why = `${dirname(path)} is on a read-only file system (SQLite writes its journal beside the database)`;
    else if (c === 'EACCES' || c === 'EPERM') why = `no permission to write in ${dirname(path)} (SQLite writes its journal beside the database)`;
  }
  return new StoreError(`${path}: cannot open database: ${why}`, code);
}
