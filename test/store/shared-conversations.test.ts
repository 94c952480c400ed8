/**
 * FlowStore.sharedConversations on a real SQLite file: which stored flows are one conversation
 * several sensors saw (same Community ID, different named sensors, time ranges overlapping within
 * CONVERSATION_SKEW_SECONDS), how pairs fold into conversations, and what it costs: nothing with
 * one sensor (no query, no index), an index lookup per flow with several (no sort).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { CONVERSATION_SKEW_SECONDS, foldSharedPairs, sharedConversationsArgs, sharedConversationsSql } from '../../src/store/conversation-sql.js';
import { flow, T0 } from '../helpers/audit-fixtures.js';
import { freshPgDatabase, pgSkipReason } from '../helpers/postgres.js';
import { migratePg } from '../../src/store/pg-schema.js';
import pg from 'pg';

const dir = mkdtempSync(join(tmpdir(), 'fa-shared-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

/** A store with one capture per sensor given, each holding the flows listed for it. */
function storeWith(captures: { sensor: string | null; flows: { id: number; cid: string; start: number; end: number; syn?: number[] }[] }[]): SqliteStore {
  const store = new SqliteStore(join(dir, `${n++}.db`));
  for (const c of captures) {
    const captureId = store.beginCapture({ source: `${c.sensor}.pcap`, format: 'pcap', sha256: null, fingerprint: null, size: null, tapSide: null, sensor: c.sensor });
    store.writeFlows(c.flows.map((f) => ({ ...flow({ id: f.id, communityId: f.cid, start: f.start, end: f.end, synOptions: f.syn ?? [2, 4], synAckOptions: [] }), captureId })));
  }
  return store;
}

const indexes = (s: SqliteStore) => (s.db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'flow_data'`).pluck().all() as string[]);

describe('sharedConversations', () => {
  it('one sensor: nothing, without a query or an index', () => {
    const s = storeWith([
      { sensor: 'hq', flows: [{ id: 1, cid: '1:a', start: T0, end: T0 + 1 }] },
      { sensor: 'hq', flows: [{ id: 2, cid: '1:a', start: T0, end: T0 + 1 }] },
    ]);
    expect(s.sharedConversations([])).toEqual([]);
    expect(indexes(s)).not.toContain('flow_data_community');
    s.close();
  });

  it('captures without a sensor name are never merged, with each other or with a named one', () => {
    const s = storeWith([
      { sensor: null, flows: [{ id: 1, cid: '1:a', start: T0, end: T0 + 1 }] },
      { sensor: null, flows: [{ id: 2, cid: '1:a', start: T0, end: T0 + 1 }] },
      { sensor: 'hq', flows: [{ id: 3, cid: '1:a', start: T0, end: T0 + 1 }] },
    ]);
    expect(s.sharedConversations([])).toEqual([]);
    s.close();
  });

  it('two sensors: the same Community ID overlapping within the skew is one conversation, named by its lowest id', () => {
    const skew = CONVERSATION_SKEW_SECONDS;
    const s = storeWith([
      { sensor: 'branch', flows: [
        { id: 1, cid: '1:a', start: T0, end: T0 + 5 },
        { id: 2, cid: '1:b', start: T0, end: T0 + 1 },
        { id: 3, cid: '1:c', start: T0, end: T0 + 1 },
        { id: 4, cid: '1:d', start: T0, end: T0 + 1 },
      ] },
      { sensor: 'hq', flows: [
        { id: 11, cid: '1:a', start: T0 + 0.005, end: T0 + 5.005, syn: [2, 4, 76] }, // overlaps
        { id: 12, cid: '1:b', start: T0 + 1 + skew - 0.01, end: T0 + 3 }, // starts within the skew after it ended
        { id: 13, cid: '1:c', start: T0 + 1 + skew + 0.01, end: T0 + 3 }, // starts after the skew: another conversation
        { id: 14, cid: '1:x', start: T0, end: T0 + 1 }, // another Community ID
      ] },
    ]);
    const shared = s.sharedConversations([]);
    expect(shared).toEqual([
      { id: 1, conversation: 1, sensors: ['branch', 'hq'], synOptions: '2,4,76', synAckOptions: '' },
      { id: 2, conversation: 2, sensors: ['branch', 'hq'], synOptions: '2,4', synAckOptions: '' },
      { id: 11, conversation: 1, sensors: ['branch', 'hq'], synOptions: '2,4,76', synAckOptions: '' },
      { id: 12, conversation: 2, sensors: ['branch', 'hq'], synOptions: '2,4', synAckOptions: '' },
    ]);
    // Only the captures audited count: the branch capture alone has no other sensor.
    expect(s.sharedConversations([1])).toEqual([]);
    expect(s.sharedConversations([1, 2]).map((f) => f.id)).toEqual([1, 2, 11, 12]);
    s.close();
  });

  it('uses the community_id index, built on first use, and sorts nothing', () => {
    // 500 conversations each sensor saw, 500 only one did: as the store plans it (it never runs
    // ANALYZE), and with statistics.
    const side = (base: number, offset: number) => Array.from({ length: 1000 }, (_, i) => ({
      id: base + i, cid: `1:${i < 500 ? i : offset + i}`, start: T0 + i, end: T0 + i + 0.5,
    }));
    const s = storeWith([{ sensor: 'branch', flows: side(1, 0) }, { sensor: 'hq', flows: side(5001, 10_000) }]);
    expect(indexes(s)).not.toContain('flow_data_community');
    expect(s.sharedConversations([]).length).toBe(1000);
    expect(indexes(s)).toContain('flow_data_community');
    const plan = (ids: number[]) => (s.db.prepare(`EXPLAIN QUERY PLAN ${sharedConversationsSql(ids.length, () => '?')}`)
      .all(...sharedConversationsArgs(ids)) as { detail: string }[]).map((r) => r.detail);
    for (const analysed of [false, true]) {
      if (analysed) s.db.exec('ANALYZE');
      for (const ids of [[], [1, 2]]) {
        const p = plan(ids);
        expect(p.some((d) => /^SEARCH g USING INDEX flow_data_community \(community_id=\?\)/.test(d)), p.join('\n')).toBe(true);
        // f is read once (whole, or by its captures); no other flows are scanned (the captures table may be).
        expect(p.filter((d) => /^SCAN/.test(d) && !['SCAN f', 'SCAN cf', 'SCAN cg'].includes(d)), p.join('\n')).toEqual([]);
        expect(p.filter((d) => /^SEARCH g /.test(d)), p.join('\n')).toHaveLength(1);
        expect(p.some((d) => /TEMP B-TREE|AUTOMATIC/.test(d)), p.join('\n')).toBe(false);
      }
    }
    s.close();
  });

  it('joins pairs transitively: three sensors of one conversation are one, named by the lowest id', () => {
    const row = (f: number, fs: string, g: number, gs: string) => ({ f_id: f, f_sensor: fs, f_syn: '2', f_synack: '', g_id: g, g_sensor: gs, g_syn: g === 9 ? '76' : '2', g_synack: '' });
    expect(foldSharedPairs([row(5, 'b', 9, 'c'), row(3, 'a', 5, 'b')])).toEqual([
      { id: 3, conversation: 3, sensors: ['a', 'b', 'c'], synOptions: '2,76', synAckOptions: '' },
      { id: 5, conversation: 3, sensors: ['a', 'b', 'c'], synOptions: '2,76', synAckOptions: '' },
      { id: 9, conversation: 3, sensors: ['a', 'b', 'c'], synOptions: '2,76', synAckOptions: '' },
    ]);
  });

  it('writes SQL PostgreSQL runs too: the column end quoted, $n parameters', () => {
    const sql = sharedConversationsSql(2, (i) => `$${i}`);
    expect(sql).toContain('f."end"');
    expect(sql).toContain('IN ($1, $2)');
    expect(sql).toContain('IN ($3, $4)');
    expect(sql.replaceAll('"end"', '')).not.toMatch(/\bend\b/i);
  });
});

const skip = pgSkipReason();

describe.skipIf(skip !== '')(`the same statement in PostgreSQL${skip ? ` (skipped: ${skip})` : ''}`, () => {
  it('finds the same conversations as SQLite', async () => {
    const url = await freshPgDatabase();
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      await migratePg((sql, p) => c.query(sql, p as unknown[]), url);
      await c.query(`INSERT INTO captures (id, source, format, status, started_at, sensor) VALUES
        (1, 'b.pcap', 'pcap', 'complete', 'now', 'branch'), (2, 'h.pcap', 'pcap', 'complete', 'now', 'hq'), (3, 'x.pcap', 'pcap', 'complete', 'now', NULL)`);
      const row = (id: number, capture: number, cid: string, start: number, end: number, syn: string) =>
        `(${id}, ${capture}, 6, 4, '10.0.0.1', 49152, '10.0.0.2', 135, 0, 1, 1, 60, 60, 60, 60, 0, 0, ${start}, ${end}, 'SF', 'Sh', '', '${syn}', '', '${cid}', 'fin', NULL, NULL, NULL, NULL, NULL, NULL)`;
      await c.query(`INSERT INTO flow_data VALUES ${[
        row(1, 1, '1:a', T0, T0 + 5, '2,4'), row(2, 1, '1:b', T0, T0 + 1, '2'), row(11, 2, '1:a', T0 + 0.005, T0 + 5.005, '2,4,76'),
        row(12, 2, '1:b', T0 + 3, T0 + 4, '2'), row(21, 3, '1:a', T0, T0 + 5, '2'),
      ].join(', ')}`);
      for (const ids of [[], [1, 2, 3]]) {
        const r = await c.query(sharedConversationsSql(ids.length, (i) => `$${i}`), sharedConversationsArgs(ids));
        expect(foldSharedPairs(r.rows as never[])).toEqual([
          { id: 1, conversation: 1, sensors: ['branch', 'hq'], synOptions: '2,4,76', synAckOptions: '' },
          { id: 11, conversation: 1, sensors: ['branch', 'hq'], synOptions: '2,4,76', synAckOptions: '' },
        ]);
      }
    } finally {
      await c.end();
    }
  });
});
