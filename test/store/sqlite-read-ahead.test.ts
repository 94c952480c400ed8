/**
 * The audit's counting pass through a reader thread (store/sqlite-read-ahead.ts) gives exactly
 * the flows the store reads on its own connection. The thread's module exists only in the
 * compiled program (`npm run build`).
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../helpers/corpus.js';
import { compiledPipeline, FIXTURE_CASES } from '../helpers/run-pipeline.js';
import { SqliteStore, auditFlowsPageSql } from '../../src/store/sqlite-store.js';
import { AUDIT_FLOW_COLUMNS } from '../../src/store/flow-rows.js';
import { StoreError } from '../../src/util/errors.js';

const BUILT = existsSync(join(PROJECT_ROOT, 'dist/src/store/sqlite-read-worker.js'));
if (!BUILT) console.warn('dist/ not found: reader-thread checks skipped (run npm run build)');

const dir = mkdtempSync(join(tmpdir(), 'fa-read-ahead-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const compiled = async () => ({
  ...(await import(pathToFileURL(join(PROJECT_ROOT, 'dist/src/store/sqlite-read-ahead.js')).href)) as typeof import('../../src/store/sqlite-read-ahead.js'),
  ...(await import(pathToFileURL(join(PROJECT_ROOT, 'dist/src/store/sqlite-store.js')).href)) as { SqliteStore: typeof SqliteStore },
});

describe.skipIf(!BUILT)('the counting pass read by a reader thread', () => {
  for (const [name, sitePath, captures] of FIXTURE_CASES.filter(([n]) => n === 'example' || n === 'sccm-2007')) {
    it(`${name}: the same flows, in the same order, as the store's own read`, async () => {
      const p = await compiledPipeline();
      const { site, catalog } = p.loadSiteWithCatalogs(join(PROJECT_ROOT, sitePath));
      const db = join(dir, `${name}.db`);
      const store = p.openFlowStore(db);
      await p.ingest(captures.map((c) => ({ name: join(PROJECT_ROOT, c) })), { store, classifier: p.createClassifier(catalog, site), catalog, site });
      const ids = store.captures().map((c) => c.id);
      store.close();

      const { SqliteStore: Compiled, canReadAhead } = await compiled();
      expect(canReadAhead(db)).toBe(true);
      const threaded = new Compiled(db);
      const inline = new SqliteStore(db); // from the sources: no reader thread
      try {
        for (const captureIds of [[], ids.slice(0, 1)]) {
          const a = [...threaded.auditFlows(captureIds)];
          const b = [...inline.auditFlows(captureIds)];
          expect(a.length).toBeGreaterThan(0);
          expect(a).toEqual(b);
          // Classifications stay shared objects, one per stored classification, as the audit's
          // per-classification caches expect.
          const objects = new Set(a.map((f) => f.classification));
          expect(objects.size).toBe(new Set(a.map((f) => JSON.stringify(f.classification))).size);
        }
      } finally {
        threaded.close();
        inline.close();
      }
    });
  }

  it('many small chunks, one ahead at most, give every row in order', async () => {
    const { readAhead } = await compiled();
    const db = join(dir, 'example.db'); // written by the first case
    const inline = new SqliteStore(db);
    try {
      // Pages and chunks of 3 rows: the reader waits for this thread after every chunk.
      const ids: number[] = [];
      for (const r of readAhead(db, { sql: auditFlowsPageSql(null, 3), args: [], width: AUDIT_FLOW_COLUMNS.length, chunkRows: 3, ahead: 1 })) ids.push(r[0] as number);
      const expected = [...inline.auditFlows([])].map((f) => f.id);
      expect(expected.length).toBeGreaterThan(10);
      expect(ids).toEqual(expected);
    } finally {
      inline.close();
    }
  });

  it('a flow table the reader cannot read is a store error naming the file', async () => {
    const { readAhead } = await compiled();
    const bad = join(dir, 'not-a-database.db');
    writeFileSync(bad, 'this is not an SQLite file, just text long enough to be read as a header'.repeat(20));
    let err: unknown = null;
    try {
      [...readAhead(bad, { sql: 'SELECT id FROM flow_data WHERE id > ? ORDER BY id LIMIT 10', args: [], width: 1, chunkRows: 10, ahead: 2 })];
    } catch (e) {
      err = e;
    }
    expect((err as Error)?.constructor?.name).toBe(StoreError.name);
    expect((err as Error).message).toContain(bad);
    expect((err as Error).message).toMatch(/not a database|file is not/i);
  });
});
