/**
 * A mistake the user can fix (bad file, bad flag, bad site file). The CLI prints its message
 * alone — no stack trace — and exits with status 2.
 */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}

/**
 * The database could not be opened, read or written for a reason outside the program: the disk
 * is full, the file is read-only, damaged or not a database, or another process held it too
 * long. Printed like a UserError (one line naming the database, exit status 2). `code` is
 * SQLite's (SQLITE_FULL, SQLITE_IOERR_WRITE, ...).
 */
export class StoreError extends UserError {
  constructor(message: string, readonly code: string) {
    super(message);
    this.name = 'StoreError';
  }
}

/**
 * The run was stopped by a signal (SIGINT, SIGTERM) before its work was done: the CLI prints
 * the message alone and exits with status 130.
 */
export class InterruptedError extends Error {
  constructor(message: string, readonly signal: string) {
    super(message);
    this.name = 'InterruptedError';
  }
}

/** A message on one line: every run of white space (newlines too) becomes one space. */
export function oneLine(message: string): string {
  return message.replace(/\s+/g, ' ').trim();
}
