/**
 * The SQLite store on real database files: schema version and WAL, captures and flows written
 * and read back equal after reopening, filters, duplicate lookup, deletion of a capture with
 * its flows, and refusal of a database from a newer flowaudit.
 */
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { FLOW_COLUMNS, SCHEMA_VERSION, SqliteStore } from '../../src/store/sqlite-store.js';
import { openFlowStore } from '../../src/store/open-store.js';
import { UserError } from '../../src/util/errors.js';
import { TempDir } from '../helpers/capture-files.js';
import type { Classification } from '../../src/flow/flow-record.js';

const tmp = new TempDir();
afterAll(() => tmp.cleanup());

describe('schema', () => {
  it('a new database has the schema version in meta and uses WAL', () => {
    const path = tmp.name('new.db');
    const store = new SqliteStore(path);
    store.close();
    const db = new Database(path, { readonly: true });
    expect(db.prepare(`SELECT value FROM meta WHERE key = 'schema_version'`).get()).toEqual({ value: String(SCHEMA_VERSION) });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[]).map((r) => r.name);
    expect(tables).toEqual(expect.arrayContaining(['meta', 'captures', 'flow_data', 'classifications', 'findings']));
    // `flows` is a view with every column SQL users had when it was a table.
    expect(db.prepare(`SELECT type FROM sqlite_master WHERE name = 'flows'`).pluck().get()).toBe('view');
    const cols = (db.prepare('PRAGMA table_info(flows)').all() as { name: string }[]).map((r) => r.name);
    expect(cols).toEqual([...FLOW_COLUMNS]);
    db.close();
  });

  it('reopening keeps the version and does not re-run migrations', () => {
    const path = tmp.name('reopen.db');
    const a = new SqliteStore(path);
    const id = a.beginCapture({ source: 'x.pcap', format: 'pcap', sha256: null, fingerprint: 'fp', size: 10, tapSide: null });
    a.close();
    const b = new SqliteStore(path);
    expect(b.captures().map((c) => c.id)).toEqual([id]);
    b.close();
  });

  it('refuses a database written by a newer schema with a one-line user error', () => {
    const path = tmp.name('future.db');
    new SqliteStore(path).close();
    const db = new Database(path);
    db.prepare(`UPDATE meta SET value = ? WHERE key = 'schema_version'`).run(String(SCHEMA_VERSION + 1));
    db.close();
    expect(() => new SqliteStore(path)).toThrow(UserError);
    expect(() => new SqliteStore(path)).toThrow(/newer/);
  });

  it('openFlowStore with mustExist refuses a missing file instead of creating it', () => {
    const path = tmp.name('missing.db');
    expect(() => openFlowStore(path, { mustExist: true })).toThrow(/no such database/);
  });
});

describe('classifications, dictionary-encoded (schema 2)', () => {
  const cls = (rule: string | null, srcSite: string | null = 'hq'): Classification =>
    ({ rule, nearestRule: null, how: rule ? 'direct' : 'none', evidence: rule ? `rule ${rule}` : null, srcRoles: ['x.client'], dstRoles: ['x.dns'], srcSite, dstSite: null, ignored: false });

  it('a schema-1 database is migrated: same flows, same columns, classifications shared', () => {
    const path = tmp.name('v1.db');
    const db = new Database(path);
    // What flowaudit wrote before schema 2 (flows as a table with the classification inline).
    db.exec(`CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      INSERT INTO meta VALUES ('schema_version', '1');
      CREATE TABLE captures (id INTEGER PRIMARY KEY, source TEXT NOT NULL, format TEXT NOT NULL, link_types TEXT NOT NULL DEFAULT '[]',
        first_ts REAL, last_ts REAL, packets INTEGER NOT NULL DEFAULT 0, bytes INTEGER NOT NULL DEFAULT 0,
        drops INTEGER, if_drops INTEGER, sha256 TEXT, fingerprint TEXT, size INTEGER,
        status TEXT NOT NULL, error TEXT, tap_side TEXT, decode_errors TEXT NOT NULL DEFAULT '{}', started_at TEXT NOT NULL, finished_at TEXT);
      CREATE INDEX captures_sha ON captures(sha256);
      CREATE INDEX captures_fp ON captures(fingerprint);
      CREATE TABLE flows (id INTEGER PRIMARY KEY, capture_id INTEGER NOT NULL REFERENCES captures(id) ON DELETE CASCADE,
        proto INTEGER NOT NULL, ip_version INTEGER NOT NULL, src TEXT NOT NULL, sport INTEGER NOT NULL, dst TEXT NOT NULL, dport INTEGER NOT NULL,
        originator_guessed INTEGER NOT NULL, orig_packets INTEGER NOT NULL, resp_packets INTEGER NOT NULL,
        orig_bytes INTEGER NOT NULL, resp_bytes INTEGER NOT NULL, orig_ip_bytes INTEGER NOT NULL, resp_ip_bytes INTEGER NOT NULL,
        orig_payload_bytes INTEGER NOT NULL, resp_payload_bytes INTEGER NOT NULL, start REAL NOT NULL, end REAL NOT NULL,
        state TEXT NOT NULL, history TEXT NOT NULL, vlans TEXT NOT NULL, syn_options TEXT NOT NULL, synack_options TEXT NOT NULL,
        community_id TEXT NOT NULL, end_reason TEXT NOT NULL, tunnel TEXT, exp_kind TEXT, exp_parent INTEGER, exp_rule TEXT, exp_evidence TEXT,
        rule TEXT, match_how TEXT, evidence TEXT, src_roles TEXT, dst_roles TEXT, src_site TEXT, dst_site TEXT, ignored INTEGER);
      CREATE INDEX flows_capture ON flows(capture_id);
      CREATE TABLE unused_expectations (id INTEGER PRIMARY KEY, capture_id INTEGER NOT NULL REFERENCES captures(id) ON DELETE CASCADE,
        kind TEXT NOT NULL, client TEXT, server TEXT NOT NULL, proto INTEGER NOT NULL, ports TEXT NOT NULL,
        parent_flow INTEGER NOT NULL, rule TEXT, evidence TEXT NOT NULL, ts REAL NOT NULL);
      CREATE TABLE findings (id INTEGER PRIMARY KEY, catalog_hash TEXT NOT NULL, site_hash TEXT NOT NULL,
        captures TEXT NOT NULL, computed_at TEXT NOT NULL, report TEXT NOT NULL);
      INSERT INTO captures (id, source, format, status, started_at) VALUES (1, 'old.pcap', 'pcap', 'complete', '2026-01-01');`);
    const ins = db.prepare(`INSERT INTO flows VALUES (?, 1, 6, 4, '10.1.0.5', ?, '10.0.0.10', 53, 0, 2, 2, 120, 180, 100, 150, 40, 90,
      1700000000.5, 1700000001.25, 'SF', 'ShADadFf', '', '2,4', '2', '1:abc=', 'end', NULL, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    ins.run(1, 50001, null, null, null, 'x.dns', 'direct', 'rule x.dns', 'x.client,x.other', 'x.dns', 'hq', null, 0);
    ins.run(2, 50002, null, null, null, 'x.dns', 'direct', 'rule x.dns', 'x.client,x.other', 'x.dns', 'hq', null, 0);
    ins.run(3, 50003, 'epm', 1, 'port 53 announced by EPM reply in flow #1', 'x.rpc', 'expectation', 'by EPM', '', '', null, null, 1);
    ins.run(4, 50004, null, null, null, null, null, null, null, null, null, null, null);
    const before = db.prepare('SELECT * FROM flows ORDER BY id').all();
    db.close();

    const s = new SqliteStore(path);
    expect(s.db.prepare('SELECT * FROM flows ORDER BY id').all()).toEqual(before);
    expect(s.db.prepare('SELECT COUNT(*) FROM classifications').pluck().get()).toBe(2);
    expect(s.db.prepare(`SELECT value FROM meta WHERE key = 'schema_version'`).pluck().get()).toBe(String(SCHEMA_VERSION));
    const back = [...s.flows()];
    expect(back.map((f) => f.classification?.rule ?? null)).toEqual(['x.dns', 'x.dns', 'x.rpc', null]);
    expect(back[0]!.classification!.srcRoles).toEqual(['x.client', 'x.other']);
    expect(back[2]!.classification!.ignored).toBe(true);
    expect(back[2]!.expectation).toEqual({ kind: 'epm', parentFlowId: 1, rule: null, evidence: 'port 53 announced by EPM reply in flow #1' });
    // New flows after the migration reuse the migrated row for an equal classification.
    const cap = s.beginCapture({ source: 'new', format: 'pcap', sha256: null, fingerprint: null, size: null, tapSide: null });
    s.writeFlows([{ ...back[0]!, id: 9, captureId: cap }]);
    expect(s.db.prepare('SELECT COUNT(*) FROM classifications').pluck().get()).toBe(2);
    s.close();
  });
});
