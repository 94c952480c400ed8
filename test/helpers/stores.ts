/**
 * The stores the FlowStore tests run against: SQLite always, PostgreSQL unless the tests have
 * no server (then its suites are skipped, saying why). A test names a database with
 * `kind.newLocation(name)` and opens it with openFlowStore(), as the CLI does.
 */
import pg from 'pg';
import Database from 'better-sqlite3';
import { freshPgDatabase, pgSkipReason } from './postgres.js';
import type { TempDir } from './capture-files.js';

export interface StoreKind {
  name: 'sqlite' | 'postgresql';
  /** Why this store is not tested here, or ''. */
  skip: string;
  /** A new, empty database: a file in `tmp`, or a fresh PostgreSQL database's URL. */
  newLocation(tmp: TempDir, name: string): Promise<string>;
  /** The first column of a query's rows, read beside the store (SQL common to both dialects). */
  column(location: string, sql: string): Promise<unknown[]>;
}

const sqlite: StoreKind = {
  name: 'sqlite',
  skip: '',
  newLocation: async (tmp, name) => tmp.name(name.endsWith('.db') ? name : `${name}.db`),
  column: async (location, sql) => {
    const db = new Database(location, { readonly: true });
    try {
      return db.prepare(sql).pluck().all();
    } finally {
      db.close();
    }
  },
};

const postgresql: StoreKind = {
  name: 'postgresql',
  get skip() {
    return pgSkipReason();
  },
  newLocation: async () => freshPgDatabase('st'),
  column: async (location, sql) => {
    const c = new pg.Client({ connectionString: location });
    await c.connect();
    try {
      const r = await c.query({ text: sql, rowMode: 'array' });
      // Counts and ids as the store reads them (int8 as numbers).
      return r.rows.map((row: unknown[]) => (typeof row[0] === 'string' && /^\d+$/.test(row[0]) && r.fields[0]!.dataTypeID === 20 ? Number(row[0]) : row[0]));
    } finally {
      await c.end();
    }
  },
};

/** Every store, for `for (const kind of STORE_KINDS) describe.skipIf(kind.skip !== '')(storeTitle(kind, ...), ...)`. */
export const STORE_KINDS: readonly StoreKind[] = [sqlite, postgresql];

/** A suite title naming the store, and why it is skipped when it is. */
export function storeTitle(kind: StoreKind, title: string): string {
  return `${title} [${kind.name}]${kind.skip ? ` (skipped: ${kind.skip})` : ''}`;
}
