/**
 * Schema 7: a classification's site-local approval (Classification.approved, the allow entry's
 * line) has a column of its own; a schema-6 database is migrated in place, its rows keep their
 * meaning and their keys take the new column, so that an equal classification finds its row.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Classification } from '../../src/flow/flow-record.js';
import { SCHEMA_VERSION, SqliteStore } from '../../src/store/sqlite-store.js';

const dir = mkdtempSync(join(tmpdir(), 'fa-approved-col-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CLS: Classification = {
  rule: null, nearestRule: 'x.near', how: 'none', evidence: 'no rule', srcRoles: ['x.client'], dstRoles: ['x.server'], srcSite: null, dstSite: null, ignored: false,
};

describe('classifications.approved', () => {
  it('stores the approval apart from an equal classification without one', () => {
    const store = new SqliteStore(join(dir, 'a.db'));
    const plain = store.classId(CLS);
    const approved = store.classId({ ...CLS, evidence: 'approved: ok (site file line 12)', approved: 12 });
    expect(approved).not.toBe(plain);
    expect(store.classId({ ...CLS })).toBe(plain);
    store.close();
    const raw = new Database(join(dir, 'a.db'), { readonly: true });
    expect(raw.prepare('SELECT id, approved FROM classifications ORDER BY id').raw().all()).toEqual([[plain, null], [approved, 12]]);
    raw.close();
  });

  it('a schema-6 database is migrated: the column is added, keys re-made, rows found again', () => {
    const path = join(dir, 'b.db');
    let store = new SqliteStore(path);
    const id = store.classId(CLS);
    store.close();
    // As schema 6 left it: no approved column, keys of the ten schema-6 columns.
    const db = new Database(path);
    db.exec('ALTER TABLE classifications DROP COLUMN approved; ALTER TABLE captures DROP COLUMN sensor');
    const cols = db.prepare('SELECT id, rule, match_how, evidence, src_roles, dst_roles, src_site, dst_site, ignored, evidence_vars, nearest_rule FROM classifications').raw().all() as unknown[][];
    for (const [rid, ...rest] of cols) db.prepare('UPDATE classifications SET key = ? WHERE id = ?').run(JSON.stringify(rest), rid);
    db.prepare(`UPDATE meta SET value = '6' WHERE key = 'schema_version'`).run();
    db.close();

    store = new SqliteStore(path);
    expect(store.getMeta('schema_version')).toBe(String(SCHEMA_VERSION));
    expect(store.classId({ ...CLS })).toBe(id);
    store.close();
    const raw = new Database(path, { readonly: true });
    expect(raw.prepare('SELECT count(*) FROM classifications').pluck().get()).toBe(1);
    expect(raw.prepare('SELECT approved FROM classifications').pluck().get()).toBeNull();
    raw.close();
  });
});
