/**
 * What only the PostgreSQL store has: cursors (many rows read a few thousand at a time, an
 * iterator left early closes its cursor, a write while one is open is kept), the query indexes
 * `flows --host/--port` use, flow ids below SPOOL_ID_BLOCK, a server gone mid-run, and the
 * `--where` dialect selecting the same flows as SQLite's.
 */
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import type { FlowRecord } from '../../src/flow/flow-record.js';
import { ingest } from '../../src/pipeline/ingest.js';
import { openFlowStore } from '../../src/store/open-store.js';
import { FETCH_ROWS, PgStore, copyText, dollarParams, redactPgUrl } from '../../src/store/pg-store.js';
import { SPOOL_ID_BLOCK } from '../../src/store/pg-schema.js';
import { globToRegex } from '../../src/store/where-expr.js';
import { StoreError } from '../../src/util/errors.js';
import { TempDir, flowsOf } from '../helpers/capture-files.js';
import { PROJECT_ROOT } from '../helpers/corpus.js';
import { TcpScript } from '../helpers/flow-script.js';
import { freshPgDatabase, pgRows, pgSkipReason } from '../helpers/postgres.js';

const skip = pgSkipReason();
const tmp = new TempDir();
afterAll(() => tmp.cleanup());

/** `n` copies of one flow with ids from `first`, in capture `cap`. */
async function manyFlows(n: number, cap: number, first = 1): Promise<(FlowRecord & { captureId: number })[]> {
  const [f] = await flowsOf(tmp, new TcpScript('10.1.0.5', 50000, '10.0.0.10', 445).handshake().c('PA', 'x').pcap());
  return Array.from({ length: n }, (_, i) => ({ ...f!, id: first + i, sport: 1024 + (i % 60000), start: f!.start + i, captureId: cap }));
}

describe('PostgreSQL helpers', () => {
  it('a URL in messages has no password; placeholders are numbered outside quoted text; COPY text is escaped', () => {
    expect(redactPgUrl('postgresql://sensor:s3cret@db1:5432/flows')).toBe('postgresql://sensor@db1:5432/flows');
    expect(redactPgUrl('postgres://db1/flows?password=x&sslmode=require')).toBe('postgres://db1/flows?sslmode=require');
    expect(dollarParams(`SELECT '?' , a = ? AND b = ANY(?::bigint[]) AND c = 'it''s ?'`)).toBe(`SELECT '?' , a = $1 AND b = ANY($2::bigint[]) AND c = 'it''s ?'`);
    expect(new TextDecoder().decode(copyText([[1, 'a\tb\\c\nd', null, 2.5]]))).toBe('1\ta\\tb\\\\c\\nd\t\\N\t2.5\n');
  });

  it("globs become the anchored regular expressions SQLite's GLOB means", () => {
    expect(globToRegex('S*')).toBe('^S.*$');
    expect(globToRegex('*[Rr]?.x')).toBe('^.*[Rr].\\.x$');
    expect(globToRegex('[^ab]*')).toBe('^[^ab].*$');
    expect(globToRegex('a[')).toBe('^a\\[$');
  });
});

describe.skipIf(skip !== '')(`the PostgreSQL store${skip ? ` (skipped: ${skip})` : ''}`, () => {
  it('reads many flows through a cursor; an iterator left early closes it, and a write meanwhile is kept', async () => {
    const url = await freshPgDatabase('cursor');
    const s = new PgStore(url);
    const cap = s.beginCapture({ source: 'big', format: 'pcap', sha256: null, fingerprint: null, size: null, tapSide: null });
    const n = FETCH_ROWS * 2 + 17;
    s.writeFlows(await manyFlows(n, cap));
    let seen = 0;
    for (const f of s.flows()) {
      expect(f.id).toBe(++seen);
    }
    expect(seen).toBe(n);
    expect([...s.auditFlows([])].length).toBe(n);
    expect(s.flowIdsByStart([cap]).length).toBe(n);
    // Left early, with a write in between (a savepoint in the cursor's read transaction).
    const it = s.flows();
    expect(it.next().value!.id).toBe(1);
    s.setMeta('during', 'yes');
    it.return!(undefined);
    const cursors = await pgRows(url, `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'`);
    expect(cursors[0]!.n).toBe(0);
    expect(await pgRows(url, `SELECT value FROM meta WHERE key = 'during'`)).toEqual([{ value: 'yes' }]);
    // Two iterators at once, on one session.
    const a = s.flows({ limit: 3 });
    const b = s.auditFlows([]);
    expect([a.next().value!.id, b.next().value!.id, a.next().value!.id]).toEqual([1, 1, 2]);
    a.return!(undefined);
    b.return!(undefined);
    expect([...s.flowsById([n, 3, 99_999_999])].map((f) => f.id)).toEqual([n, 3]);
    s.close();
  });

  it('reserves flow ids below SPOOL_ID_BLOCK: forwarded spool ids above it do not count', async () => {
    const url = await freshPgDatabase('ids');
    const s = new PgStore(url);
    const cap = s.beginCapture({ source: 'a', format: 'pcap', sha256: null, fingerprint: null, size: null, tapSide: null });
    s.writeFlows(await manyFlows(2, cap, 5));
    s.writeFlows(await manyFlows(1, cap, SPOOL_ID_BLOCK + 7));
    expect(s.reserveFlowIds(10)).toBe(7);
    expect(s.reserveFlowIds(10)).toBe(17);
    s.close();
  });

  it('flows --host / --port build the indexes they use', async () => {
    const url = await freshPgDatabase('idx');
    const s = new PgStore(url);
    const cap = s.beginCapture({ source: 'a', format: 'pcap', sha256: null, fingerprint: null, size: null, tapSide: null });
    s.writeFlows(await manyFlows(50, cap));
    expect([...s.flows({ host: '10.0.0.10' })].length).toBe(50);
    s.close();
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      // A small table is scanned whatever the indexes: take that choice away to see which index serves.
      await c.query('SET enable_seqscan = off');
      const plan = (q: string) => c.query(`EXPLAIN ${q}`).then((r) => r.rows.map((x) => x['QUERY PLAN']).join('\n'));
      expect(await plan(`SELECT id FROM flow_data WHERE src = '10.1.0.5' OR dst = '10.1.0.5'`)).toMatch(/flow_data_src[\s\S]*flow_data_dst|flow_data_dst[\s\S]*flow_data_src/);
      expect(await plan(`SELECT id FROM flow_data WHERE dst = '10.0.0.10' AND dport = 445`)).toContain('flow_data_dst');
      // The audit's read of some captures: through the capture index, not a table scan.
      expect(await plan(`SELECT id FROM flow_data WHERE capture_id = ANY('{1}'::bigint[]) ORDER BY id`)).toMatch(/flow_data_capture|flow_data_pkey/);
    } finally {
      await c.end();
    }
  });

  it('a server that drops the session mid-run: one StoreError naming the database, not a stack', async () => {
    const url = await freshPgDatabase('gone');
    const s = new PgStore(url);
    s.setMeta('a', '1');
    await pgRows(url, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`);
    await new Promise((r) => setTimeout(r, 100));
    let err: unknown;
    try {
      s.getMeta('a');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StoreError);
    expect((err as Error).message).toMatch(new RegExp(`^${url.replace(/[.?]/g, '\\$&')}: lost the connection to the server \\(.+\\)$`));
    s.close();
  });

  it('a programming error stays what it is', async () => {
    const s = new PgStore(await freshPgDatabase('bug'));
    const flows = await manyFlows(1, 999);
    let err: unknown;
    try {
      s.writeFlows(flows);
    } catch (e) {
      err = e;
    }
    expect(err).not.toBeInstanceOf(StoreError);
    expect((err as Error).message).toMatch(/violates foreign key constraint/);
    // The session goes on.
    expect(s.getMeta('x')).toBeNull();
    s.close();
  });

  it('--where selects the same flows as in SQLite (ranges, CIDRs, globs, lists, text order, end)', async () => {
    const file = tmp.name('where.db');
    const url = await freshPgDatabase('where');
    const input = [{ name: join(PROJECT_ROOT, 'fixtures/example/estate.pcap') }];
    const stores = [openFlowStore(file), openFlowStore(url)];
    for (const store of stores) await ingest(input, { store });
    const wheres = [
      'src=10.0.1.0/24 and state~S*', 'host!=10.0.0.1-10.0.0.20', 'dst=10.0.0.0/8 and not history~*[Rr]*', 'end>1709542801',
      'state<S1', 'state>=RSTO', 'vlan!=7', 'duration>0.5', 'rule=null', 'proto=udp or dport~44', 'history~D', 'src=::/0',
    ];
    for (const where of wheres) {
      const [a, b] = stores.map((s) => [...s.flows({ where })].map((f) => f.id));
      expect(b, where).toEqual(a);
    }
    expect([...stores[1]!.flows({ where: 'src=10.0.1.0/24' })].length).toBeGreaterThan(0);
    for (const s of stores) s.close();
  });
});
