/**
 * PostgreSQL for tests: the server test/global-setup.ts started (or FLOWAUDIT_TEST_PG), and a
 * fresh database per caller, so that test files running in parallel never share rows.
 */
import pg from 'pg';
import { inject } from 'vitest';

/** Why PostgreSQL tests cannot run here, or '' when they can. */
export function pgSkipReason(): string {
  return inject('pgSkipReason') || (inject('pgUrl') ? '' : 'no PostgreSQL server for the tests');
}

/** The server's URL (its `postgres` database). */
export function pgServerUrl(): string {
  return inject('pgUrl');
}

let counter = 0;

/** Creates an empty database on `server` (the tests' own by default) and returns its URL. */
export async function freshPgDatabase(prefix = 'fa', server = pgServerUrl()): Promise<string> {
  const name = `${prefix}_${process.pid}_${Date.now().toString(36)}_${counter++}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  const c = new pg.Client({ connectionString: server });
  await c.connect();
  try {
    await c.query(`CREATE DATABASE ${name}`);
  } finally {
    await c.end();
  }
  const u = new URL(server);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Rows of a query on a PostgreSQL database (a connection of its own; BIGINT as pg gives it: text). */
export async function pgRows(url: string, sql: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql, params)).rows;
  } finally {
    await c.end();
  }
}
