/**
 * The nearest rule of a near miss (Classification.nearestRule) in the store: the writer thread
 * stores what the classifier says, whether it classified the flow itself or received it
 * classified; and a database of schema 3, which has no such column, migrates to one whose
 * `report` gives the same unexpected findings as a database written now. The shipped catalogs
 * have near misses where the audit's own guess of the nearest rule (from the site-file roles
 * only) differs from the classifier's: those make the migration's re-classification visible.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { runAudit } from '../../src/audit/audit.js';
import type { AuditResult } from '../../src/audit/types.js';
import { loadSiteWithCatalogs } from '../../src/catalog/site-file.js';
import { createClassifier } from '../../src/classify/classifier.js';
import type { FlowRecord } from '../../src/flow/flow-record.js';
import { reclassifyStored } from '../../src/pipeline/reclassify.js';
import { FLOW_COLUMNS, SCHEMA_VERSION, SqliteStore } from '../../src/store/sqlite-store.js';
import { PROJECT_ROOT } from '../helpers/corpus.js';
import { compiledPipeline, FIXTURE_CASES, keyOf, runPipeline } from '../helpers/run-pipeline.js';
import { withItems, type AuditWithItems } from '../helpers/audit-items.js';

const BUILT = existsSync(join(PROJECT_ROOT, 'dist/src/cli/main.js'));
if (!BUILT) console.warn('dist/ not found: writer-thread and CLI checks skipped (run npm run build)');

const dir = mkdtempSync(join(tmpdir(), 'fa-nearest-rule-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!BUILT)('the writer thread stores the nearest rule', () => {
  const [, sitePath, captures] = FIXTURE_CASES.find(([name]) => name === 'example')!;
  for (const [how, classifyHereFirst] of [['classified by the writer thread', 0], ['classified by the reader, sent by key', undefined]] as const) {
    it(`example, ${how}: every flow's nearest rule is the classifier's`, async () => {
      const p = await compiledPipeline();
      const { site, catalog } = p.loadSiteWithCatalogs(join(PROJECT_ROOT, sitePath));
      const db = join(dir, `writer-${classifyHereFirst ?? 'default'}.db`);
      const store = p.openFlowStore(db);
      await p.ingest(captures.map((c) => ({ name: join(PROJECT_ROOT, c) })), {
        store, classifier: p.createClassifier(catalog, site), catalog, site, classifyHereFirst,
      });
      const stored = new Map([...store.flows()].map((f) => [keyOf(f), f.classification?.nearestRule]));
      store.close();
      const early = await runPipeline(join(PROJECT_ROOT, sitePath), captures.map((c) => join(PROJECT_ROOT, c)));
      expect(stored).toEqual(new Map(early.flows.map((f) => [keyOf(f), f.classification!.nearestRule])));
      // The example has role mismatches: the column is really written.
      const raw = new Database(db, { readonly: true });
      const named = raw.prepare('SELECT DISTINCT nearest_rule FROM classifications WHERE nearest_rule IS NOT NULL ORDER BY 1').pluck().all();
      raw.close();
      expect(named.length).toBeGreaterThan(0);
      expect(named).toEqual([...new Set(early.result.unexpected.map((u) => u.nearestRule).filter((r) => r !== null))].sort());
    });
  }
});

describe('a schema-3 database', () => {
  const SITE = `catalogs: [sccm-2007, windows-infra]
roles:
  sccm.client: [10.1.0.0/16]
  sccm.management-point: [10.0.0.10]
  sccm.sql-server: [10.0.0.20]
  win.domain-controller: [10.0.0.2]
sites:
  hq: [10.0.0.0/16]
  clients: [10.1.0.0/16]
`;
  const sitePath = join(dir, 'site.yaml');
  writeFileSync(sitePath, SITE);
  const { site, catalog } = loadSiteWithCatalogs(sitePath);
  const stamp = `${catalog.hash}:${site.hash}`;
  const T0 = 1_700_000_000;

  const flowRecord = (id: number, proto: number, src: string, sport: number, dst: string, dport: number): FlowRecord => ({
    id, captureId: 1, proto, src, sport, dst, dport, ipVersion: 4, originatorGuessed: false,
    origPackets: 1, respPackets: 1, origBytes: 60, respBytes: 60, origIpBytes: 46, respIpBytes: 46, origPayloadBytes: 0, respPayloadBytes: 0,
    start: T0 + id, end: T0 + id + 1, state: 'S0', history: 'S', vlans: [], synOptions: [], synAckOptions: [], communityId: '1:x=',
    endReason: 'end', tunnel: null, expectation: null, classification: null,
  });
  const FLOWS = [
    // Domain controller to a host with no site role (a domain member by catalog default) on
    // DNS, and to a client on Kerberos: the audit's guess from site roles alone differs.
    flowRecord(1, 17, '10.0.0.2', 50000, '10.0.0.77', 53),
    flowRecord(2, 6, '10.0.0.2', 50001, '10.0.0.77', 53),
    flowRecord(3, 6, '10.0.0.2', 50002, '10.1.2.3', 88),
    flowRecord(4, 6, '10.1.2.3', 50003, '10.0.0.20', 1433),
    flowRecord(5, 6, '10.1.2.3', 50004, '10.0.0.10', 80),
    flowRecord(6, 6, '10.1.2.3', 50005, '10.0.0.77', 992),
  ];

  /** A database as flowaudit writes it now, classified with SITE (stamp set, as `read --site` does). */
  function writeDatabase(path: string): void {
    const store = new SqliteStore(path);
    const classifier = createClassifier(catalog, site);
    const cap = store.beginCapture({ source: 'estate.pcap', format: 'pcap', sha256: null, fingerprint: 'fp', size: 1, tapSide: null });
    const flows = FLOWS.map((f) => ({ ...f, captureId: cap, classification: classifier.classifyShared(f, null) }));
    store.finishCaptures(flows, new Map([[cap, {
      format: 'pcap', linkTypes: [1], firstTs: T0, lastTs: T0 + 10, packets: 12, bytes: 720, drops: null, ifDrops: null,
      sha256: null, status: 'complete', error: null, decodeErrors: {},
    }]]));
    store.setMeta('classification', stamp);
    store.close();
  }

  /** The same database as schema 3 left it: no nearest_rule (nor the reader of schema 5, the approval of schema 7), keys of the schema-3 columns. */
  function asSchema3(path: string): void {
    const db = new Database(path);
    db.exec('ALTER TABLE classifications DROP COLUMN nearest_rule; ALTER TABLE classifications DROP COLUMN approved; ALTER TABLE captures DROP COLUMN reader; ALTER TABLE captures DROP COLUMN sensor');
    const rows = db.prepare('SELECT id, rule, match_how, evidence, src_roles, dst_roles, src_site, dst_site, ignored, evidence_vars FROM classifications').raw().all() as unknown[][];
    const rekey = db.prepare('UPDATE classifications SET key = ? WHERE id = ?');
    for (const [id, ...cols] of rows) rekey.run(JSON.stringify(cols), id);
    db.prepare(`UPDATE meta SET value = '3' WHERE key = 'schema_version'`).run();
    db.close();
  }

  function auditOf(store: SqliteStore): AuditWithItems {
    return withItems(runAudit({ flows: [...store.flows()], captures: store.captures(), catalog, site, now: new Date('2024-03-04T12:00:00Z') }));
  }
  const findings = (r: AuditResult) => [...r.unexpected].map((u) => ({ flowId: u.flowId, kind: u.kind, nearestRule: u.nearestRule, reason: u.reason }));

  function fresh(): AuditResult {
    const path = join(dir, `fresh-${Math.random().toString(36).slice(2)}.db`);
    writeDatabase(path);
    const store = new SqliteStore(path);
    try {
      return auditOf(store);
    } finally {
      store.close();
    }
  }

  it('migrates to 4: the flows view is unchanged, the nearest rules are empty, the classification stamp is dropped', () => {
    const path = join(dir, 'v3-view.db');
    writeDatabase(path);
    asSchema3(path);
    const before = new Database(path, { readonly: true });
    const rows = before.prepare('SELECT * FROM flows ORDER BY id').all();
    before.close();

    const store = new SqliteStore(path);
    expect(store.getMeta('schema_version')).toBe(String(SCHEMA_VERSION));
    expect(SCHEMA_VERSION).toBe(8); // 3 -> 4 here; 4 -> 5 drops the stamp again, 5 -> 6 (captures.reader), 6 -> 7 (classifications.approved) and 7 -> 8 (captures.sensor) leave the flows alone
    expect(store.getMeta('classification')).toBeNull();
    expect((store.db.prepare('PRAGMA table_info(flows)').all() as { name: string }[]).map((c) => c.name)).toEqual([...FLOW_COLUMNS]);
    expect(store.db.prepare('SELECT * FROM flows ORDER BY id').all()).toEqual(rows);
    expect([...store.flows()].map((f) => f.classification!.nearestRule)).toEqual(FLOWS.map(() => null));
    // Without the column's values, the audit would guess other nearest rules: why the stamp goes.
    expect(findings(auditOf(store))).not.toEqual(findings(fresh()));
    store.close();
  });

  it('re-classified as `report` does when the stamp differs, it gives the findings of a database written now', () => {
    const path = join(dir, 'v3-reclassify.db');
    writeDatabase(path);
    asSchema3(path);
    const store = new SqliteStore(path);
    expect(store.getMeta('classification')).not.toBe(stamp);
    const classIds = () => store.db.prepare('SELECT class_id FROM flow_data ORDER BY id').pluck().all();
    const migrated = classIds();
    reclassifyStored(store, createClassifier(catalog, site), catalog);
    const want = findings(fresh());
    expect(want.map((u) => u.nearestRule)).toEqual(['win.dns-udp', 'win.dns-tcp', 'win.kerberos-tcp', 'sccm.pxe-sql', null]);
    expect(findings(auditOf(store))).toEqual(want);
    // Near misses get rows with their nearest rule; a classification without one finds its
    // migrated row again (the migration rewrote the keys with the new column).
    const now = classIds();
    expect(now.slice(0, 4).every((id, i) => id !== migrated[i])).toBe(true);
    expect(now.slice(4)).toEqual(migrated.slice(4));
    store.close();
  });

  it.skipIf(!BUILT)('flowaudit report on it re-classifies and reports the findings of a database written now', () => {
    const path = join(dir, 'v3-cli.db');
    writeDatabase(path);
    asSchema3(path);
    const report = () => spawnSync(process.execPath, [join(PROJECT_ROOT, 'bin/flowaudit'), 'report', '--db', path, '--site', sitePath, '--format', 'json'], {
      cwd: PROJECT_ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000,
    });
    const first = report();
    expect(first.stderr).toContain(`re-classified ${FLOWS.length} stored flows`);
    expect(findings(JSON.parse(first.stdout) as AuditResult)).toEqual(findings(fresh()));
    // A second report finds the stamp set again and the nearest rules stored.
    const again = report();
    expect(again.stderr).not.toContain('re-classified');
    expect(findings(JSON.parse(again.stdout) as AuditResult)).toEqual(findings(fresh()));
  });
});
