import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { migratePg } from '../../src/store/pg-schema.js';
import { SCHEMA_VERSION } from '../../src/store/schema.js';
import { freshPgDatabase, pgSkipReason } from '../helpers/postgres.js';

const skip = pgSkipReason();

async function connect(url: string): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  return c;
}

describe.skipIf(skip !== '')(`the PostgreSQL schema${skip ? ` (skipped: ${skip})` : ''}`, () => {
  it('is created once when four sensors connect to a new database at the same moment', async () => {
    const url = await freshPgDatabase();
    const clients = await Promise.all([1, 2, 3, 4].map(() => connect(url)));
    try {
      await Promise.all(clients.map((c) => migratePg((sql, p) => c.query(sql, p as unknown[]), url)));
      const v = await clients[0]!.query(`SELECT value FROM meta WHERE key = 'schema_version'`);
      expect(v.rows).toEqual([{ value: String(SCHEMA_VERSION) }]);
      // Connecting again changes nothing.
      await migratePg((sql, p) => clients[1]!.query(sql, p as unknown[]), url);
      const t = await clients[0]!.query(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public'`);
      expect(t.rows[0].n).toBe(8); // meta, spools, captures, classifications, flow_data, unused_expectations, findings + the flows view
    } finally {
      await Promise.all(clients.map((c) => c.end()));
    }
  });

  it("writes a shared classification's evidence out for each flow in the flows view, as SQLite's does", async () => {
    const url = await freshPgDatabase();
    const c = await connect(url);
    try {
      await migratePg((sql, p) => c.query(sql, p as unknown[]), url);
      await c.query(`INSERT INTO captures (id, source, format, status, started_at) VALUES (1, 'a.pcap', 'pcap', 'complete', 'now')`);
      await c.query(`INSERT INTO classifications (id, key, rule, match_how, evidence, src_roles, dst_roles, ignored, evidence_vars)
        VALUES (5, 'k', NULL, 'none', '{{src}}:{{sport}} -> {{dst}}:{{dport}} matched nothing', '', '', 0, 1)`);
      await c.query(`INSERT INTO flow_data VALUES (7, 1, 6, 4, '10.0.0.1', 49152, '10.0.0.2', 135, 0, 1, 1, 60, 60, 60, 60, 0, 0,
        1.5, 2.5, 'SF', 'Sh', '', '2', '2', '1:x', 'fin', NULL, NULL, NULL, NULL, NULL, 5)`);
      const r = await c.query(`SELECT id, evidence, "end" FROM flows`);
      expect(r.rows).toEqual([{ id: '7', evidence: '10.0.0.1:49152 -> 10.0.0.2:135 matched nothing', end: 2.5 }]);
    } finally {
      await c.end();
    }
  });

  it('refuses a database written by a newer flowaudit, naming it', async () => {
    const url = await freshPgDatabase();
    const c = await connect(url);
    try {
      await migratePg((sql, p) => c.query(sql, p as unknown[]), url);
      await c.query(`UPDATE meta SET value = '99' WHERE key = 'schema_version'`);
      await expect(migratePg((sql, p) => c.query(sql, p as unknown[]), url)).rejects.toThrow(`${url}: database schema version 99 is newer than this flowaudit (${SCHEMA_VERSION})`);
    } finally {
      await c.end();
    }
  });
});
