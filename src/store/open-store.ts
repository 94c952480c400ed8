/**
 * Opening a store. Every stage after the store names only the FlowStore interface
 * (store/types.ts); which database backs it is decided here.
 */
import { existsSync } from 'node:fs';
import { UserError } from '../util/errors.js';
import { SqliteStore } from './sqlite-store.js';
import type { FlowStore, RowStore, StoreConnection } from './types.js';

/** Whether `db` names a PostgreSQL database (postgresql:// or postgres://) rather than a SQLite file. */
export function isPostgresUrl(db: string): boolean {
  return /^postgres(ql)?:\/\//i.test(db);
}

/** Opens the store the user named: a SQLite file, or ':memory:'. */
export function openFlowStore(path: string, opts: { mustExist?: boolean } = {}): FlowStore {
  if (opts.mustExist && path !== ':memory:' && !existsSync(path)) throw new UserError(`${path}: no such database`);
  return new SqliteStore(path);
}

/**
 * A connection of this thread's own to a store another thread opened (store.connection()).
 * `bulk`: a connection that mostly appends flows (a writer thread), tuned for it.
 */
export function openStoreConnection(c: StoreConnection, opts: { bulk?: boolean } = {}): RowStore {
  return new SqliteStore(c.path, opts);
}
