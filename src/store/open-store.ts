import { existsSync } from 'node:fs';
import { UserError } from '../util/errors.js';
import { SqliteStore } from './sqlite-store.js';

/** Opens the embedded store (the only backend today; a central database would plug in here). */
export function openFlowStore(path: string, opts: { mustExist?: boolean } = {}): SqliteStore {
  if (opts.mustExist && path !== ':memory:' && !existsSync(path)) throw new UserError(`${path}: no such database`);
  return new SqliteStore(path);
}
