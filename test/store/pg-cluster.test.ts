import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { freshPgDatabase, pgSkipReason } from '../helpers/postgres.js';

const skip = pgSkipReason();

describe.skipIf(skip !== '')(`the tests' PostgreSQL server${skip ? ` (skipped: ${skip})` : ''}`, () => {
  it('gives each caller a database of its own', async () => {
    const a = await freshPgDatabase();
    const b = await freshPgDatabase();
    expect(a).not.toBe(b);
    const c = new pg.Client({ connectionString: a });
    await c.connect();
    const r = await c.query('SELECT current_database() AS d');
    await c.end();
    expect(a.endsWith(`/${r.rows[0].d}`)).toBe(true);
  });
});
