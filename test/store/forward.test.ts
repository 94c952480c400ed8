/**
 * Store and forward: captures read into a SQLite spool and forwarded to PostgreSQL arrive once,
 * whole, and the spool drains. Flows are compared by content (every column but the ids, with
 * the classification as its key), in id order, through a checksum and row for row.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { forwardSpool, forwardWithRetry } from '../../src/store/forward.js';
import { SPOOL_ID_BLOCK } from '../../src/store/pg-schema.js';
import { PROJECT_ROOT } from '../helpers/corpus.js';
import { contentSha, pgContent, sqliteContent } from '../helpers/flow-content.js';
import { freshPgDatabase, pgRows, pgSkipReason } from '../helpers/postgres.js';

const BIN = join(PROJECT_ROOT, 'bin/flowaudit');
const skip = pgSkipReason();
function read(db: string, capture: string, extra: string[] = []): void {
  execFileSync(BIN, ['read', capture, '--db', db, '--quiet', ...extra], { stdio: 'pipe' });
}

const sha = contentSha;

describe.skipIf(skip !== '')(`forwarding a spool to PostgreSQL${skip ? ` (skipped: ${skip})` : ''}`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'fa-forward-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const example = join(PROJECT_ROOT, 'fixtures/example/estate.pcap');
  const site = join(PROJECT_ROOT, 'fixtures/example/site.yaml');
  const products = ['sccm-2007', 'dell-wdm'].map((p) => join(PROJECT_ROOT, `fixtures/products/${p}/violations.pcap`));

  it('copies every flow once, classified alike, and drains the spool; a second round copies nothing', async () => {
    const url = await freshPgDatabase();
    const spool = join(dir, 'a.db');
    const copy = join(dir, 'a-copy.db');
    for (const db of [spool, copy]) {
      read(db, example, ['--site', site]);
      for (const p of products) read(db, p);
    }
    const expected = sqliteContent(copy);
    expect(expected.length).toBeGreaterThan(50);

    const first = await forwardSpool(spool, url, { chunk: 37 });
    expect(first).toMatchObject({ spoolNo: 1, flows: expected.length, completed: 3, removed: 0, backlog: 0 });
    const got = await pgContent(url);
    expect(sha(got)).toBe(sha(expected));
    expect(got).toEqual(expected);
    // The spool kept its capture rows (a file read again is still known) but no flows.
    expect(sqliteContent(spool)).toEqual([]);
    const caps = await pgRows(url, `SELECT source, status, packets::int AS packets, spool_capture::int AS sc, forwarded_upto::bigint < ${SPOOL_ID_BLOCK} AS local FROM captures ORDER BY id`);
    expect(caps.map((c) => c.status)).toEqual(['complete', 'complete', 'complete']);
    expect(caps.map((c) => c.sc)).toEqual([1, 2, 3]);
    // Flow ids are the spool's, offset by its number.
    const ids = await pgRows(url, `SELECT min(id)::text AS lo FROM flow_data`);
    expect(Number(ids[0]!.lo)).toBeGreaterThan(SPOOL_ID_BLOCK);

    const again = await forwardSpool(spool, url);
    expect(again).toMatchObject({ flows: 0, completed: 0, removed: 0, backlog: 0 });
    read(spool, example, ['--site', site]); // already stored: nothing added, nothing forwarded
    expect((await forwardSpool(spool, url)).flows).toBe(0);
    expect((await pgContent(url)).length).toBe(expected.length);
  });

  it('two spools forward into one database without colliding, each under its own number', async () => {
    const url = await freshPgDatabase();
    const [a, b] = [join(dir, 'b1.db'), join(dir, 'b2.db')];
    read(a, products[0]!);
    read(b, products[0]!);
    for (const [db, sensor] of [[a, 'branch'], [b, 'hq']] as const) {
      const s = new Database(db);
      s.prepare('UPDATE captures SET sensor = ?').run(sensor);
      s.close();
    }
    const n = sqliteContent(a).length;
    const [ra, rb] = await Promise.all([forwardSpool(a, url, { chunk: 50 }), forwardSpool(b, url, { chunk: 50 })]);
    expect(new Set([ra.spoolNo, rb.spoolNo])).toEqual(new Set([1, 2]));
    expect(ra.flows + rb.flows).toBe(2 * n);
    const spools = await pgRows(url, 'SELECT spool_no, sensor, backlog_flows::int AS backlog FROM spools ORDER BY spool_no');
    expect(spools.map((s) => s.backlog)).toEqual([0, 0]);
    const per = await pgRows(url, 'SELECT c.sensor, count(*)::int AS n FROM flow_data f JOIN captures c ON c.id = f.capture_id GROUP BY c.sensor ORDER BY c.sensor');
    expect(per).toEqual([{ sensor: 'branch', n }, { sensor: 'hq', n }]);

    // flowaudit status: per sensor, its captures and its spool's last round.
    const status = JSON.parse(execFileSync(BIN, ['status', '--db', url, '--format', 'json'], { encoding: 'utf8' })) as {
      sensors: { sensor: string; captures: number; partial: number; packets: number; lagSeconds: number; backlogFlows: number; spools: { spoolNo: number; path: string }[] }[];
    };
    expect(status.sensors.map((x) => [x.sensor, x.captures, x.partial, x.backlogFlows, x.spools.map((sp) => sp.path)])).toEqual([
      ['branch', 1, 0, 0, [a]], ['hq', 1, 0, 0, [b]],
    ]);
    for (const x of status.sensors) expect(x.lagSeconds).toBeLessThan(60);
    const text = execFileSync(BIN, ['status', '--db', url], { encoding: 'utf8' });
    expect(text).toMatch(/^branch +1 +0 +\d+ +- +\S+ \S+ +\S+ \S+ +\d+ s ago +0 flows$/m);
    // A SQLite database has no spools: its sensors write directly.
    expect(execFileSync(BIN, ['status', '--db', a], { encoding: 'utf8' })).toMatch(/^branch +1 +0 .* direct +-$/m);
  });

  it('an unreachable database leaves the spool whole and says so in one line; the next round forwards it', async () => {
    const spool = join(dir, 'c.db');
    read(spool, products[1]!);
    const n = sqliteContent(spool).length;
    const down = 'postgresql://sensor:secret@127.0.0.1:9/flows';
    const r = await forwardWithRetry(spool, down, 0);
    expect(r.result).toBeNull();
    expect(r.error!.message).toBe('postgresql://sensor@127.0.0.1:9/flows: cannot connect: connection refused');
    expect(sqliteContent(spool).length).toBe(n);
    const url = await freshPgDatabase();
    const ok = await forwardWithRetry(spool, url, 5);
    expect(ok.result).toMatchObject({ flows: n, backlog: 0 });
  });
});
