/**
 * Opening a store. Every stage after the store names only the FlowStore interface
 * (store/types.ts); which database backs it is decided here: a `postgresql://` (or
 * `postgres://`) URL is a PostgreSQL database (pg-store.ts), anything else a SQLite file.
 */
import { existsSync } from 'node:fs';
import { UserError } from '../util/errors.js';
import { PgStore, isPgUrl } from './pg-store.js';
import { SqliteStore } from './sqlite-store.js';
import type { FlowStore, RowStore, StoreConnection } from './types.js';

/** Whether `location` names a database server (a `postgresql://` URL) rather than a file. */
export function isDatabaseUrl(location: string): boolean {
  return isPgUrl(location);
}

/** Opens the store the user named: a SQLite file, ':memory:', or a PostgreSQL URL. */
export function openFlowStore(path: string, opts: { mustExist?: boolean } = {}): FlowStore {
  if (isPgUrl(path)) return new PgStore(path, opts);
  if (opts.mustExist && path !== ':memory:' && !existsSync(path)) throw new UserError(`${path}: no such database`);
  return new SqliteStore(path);
}

/**
 * A connection of this thread's own to a store another thread opened (store.connection()).
 * `bulk`: a connection that mostly appends flows (a writer thread), tuned for it.
 */
export function openStoreConnection(c: StoreConnection, opts: { bulk?: boolean } = {}): RowStore {
  return c.kind === 'postgres' ? new PgStore(c.url) : new SqliteStore(c.path, opts);
}
