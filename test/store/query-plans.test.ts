/**
 * The audit's queries as SQLite plans them (EXPLAIN QUERY PLAN): the counting pass walks the
 * flows table in rowid order (the order the items are listed in) without a sort, with or
 * without a capture filter; items are read back by primary key.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClassifier } from '../../src/classify/classifier.js';
import { loadSiteWithCatalogs } from '../../src/catalog/site-file.js';
import { ingest } from '../../src/pipeline/ingest.js';
import { SqliteStore, auditFlowsPageSql, auditFlowsSql, capturesWhere, findingFlowsByIdSql, flowsByIdSql } from '../../src/store/sqlite-store.js';
import { PROJECT_ROOT } from '../helpers/corpus.js';

describe('query plans of the audit', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fa-plans-'));
  let store: SqliteStore;
  beforeAll(async () => {
    const { site, catalog } = loadSiteWithCatalogs(join(PROJECT_ROOT, 'fixtures/example/site.yaml'));
    store = new SqliteStore(join(dir, 'a.db'));
    const files = ['fixtures/example/estate.pcap', 'fixtures/products/sccm-2007/clean.pcap'].map((f) => ({ name: join(PROJECT_ROOT, f) }));
    await ingest(files, { store, classifier: createClassifier(catalog, site), catalog });
    store.db.exec('ANALYZE');
  });
  afterAll(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const plan = (sql: string, args: unknown[]) => (store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[]).map((r) => r.detail);

  it('the counting pass scans flow_data in rowid order: no index, no temp b-tree', () => {
    expect(plan(auditFlowsSql(null), [])).toEqual(['SCAN flow_data']);
    expect(store.captures().length).toBe(2);
    // Also for some captures: the capture index would hand rows out of id order.
    expect(plan(auditFlowsSql(capturesWhere(1)), [1])).toEqual(['SCAN flow_data']);
  });

  it('a reader thread reads it a page at a time, each page a rowid range: no sort', () => {
    const range = ['SEARCH flow_data USING INTEGER PRIMARY KEY (rowid>?)'];
    expect(plan(auditFlowsPageSql(null, 2048), [0])).toEqual(range);
    expect(plan(auditFlowsPageSql(capturesWhere(1), 2048), [0, 1])).toEqual(range);
  });

  it('items are read by primary key, in id order without a sort', () => {
    const ids = Array.from({ length: 4 }, (_, i) => i + 1);
    expect(plan(flowsByIdSql(ids.length), ids)).toEqual(['SEARCH flow_data USING INTEGER PRIMARY KEY (rowid=?)']);
    expect(plan(findingFlowsByIdSql(ids.length), ids)).toEqual(['SEARCH flow_data USING INTEGER PRIMARY KEY (rowid=?)']);
  });

  it('flowsById and auditFlows return the same flows in the same order', () => {
    const lean = [...store.auditFlows([])];
    const whole = [...store.flowsById(lean.map((f) => f.id))];
    expect(whole.map((f) => f.id)).toEqual(lean.map((f) => f.id));
    expect(lean.map((f) => f.id)).toEqual([...lean.map((f) => f.id)].sort((a, b) => a - b));
    const i = lean.findIndex((f) => f.classification !== null);
    expect(lean[i]!.classification!.rule).toBe(whole[i]!.classification!.rule);
    expect(lean[i]!.classification!.srcRoles).toEqual(whole[i]!.classification!.srcRoles);
    expect([...store.auditFlows([1])].every((f) => f.captureId === 1)).toBe(true);
    // What a finding item prints reads the same from the lean row as from the whole one.
    const finding = [...store.findingFlowsById(lean.map((f) => f.id))];
    const keys = ['id', 'captureId', 'capture', 'proto', 'src', 'sport', 'dst', 'dport', 'originatorGuessed', 'origPackets', 'respPackets', 'origBytes',
      'respBytes', 'start', 'end', 'state', 'communityId', 'synOptions', 'synAckOptions', 'expectation', 'classification'] as const;
    // Option lists as stored text in a finding flow (what the WAN-cache evidence keys on), lists in a whole one.
    const asText = (v: unknown) => (Array.isArray(v) ? v.join(',') : v);
    const pick = (f: object) => Object.fromEntries(keys.map((k) => [k, k.endsWith('Options') ? asText((f as Record<string, unknown>)[k]) : (f as Record<string, unknown>)[k]]));
    expect(finding.map(pick)).toEqual(whole.map(pick));
    expect(finding.every((f) => typeof f.synOptions === 'string')).toBe(true);
    expect(finding.some((f) => f.expectation !== null) && finding.some((f) => f.classification?.evidence)).toBe(true);
  });
});
