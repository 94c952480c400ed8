/**
 * Re-classifying a stored database (what `flowaudit report` and a repeated `audit` do after the
 * site file or a catalog changed) must give every flow the classification and expectation hit
 * it gets when classified during ingest: follow-on windows re-registered from the catalog,
 * announcements credited to their parent's new rule. Every product fixture and the example,
 * in real SQLite files.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createClassifier } from '../../src/classify/classifier.js';
import { loadSiteWithCatalogs } from '../../src/catalog/site-file.js';
import { ingest } from '../../src/pipeline/ingest.js';
import { reclassifyStored } from '../../src/pipeline/reclassify.js';
import { openFlowStore } from '../../src/store/open-store.js';
import type { SqliteStore } from '../../src/store/sqlite-store.js';
import { FIXTURE_CASES } from '../helpers/run-pipeline.js';

const dir = mkdtempSync(join(tmpdir(), 'fa-reclassify-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What classification gave each flow, by flow id. */
function classified(store: SqliteStore): Map<number, unknown> {
  return new Map([...store.flows({})].map((f) => [f.id, { src: f.src, dst: f.dst, classification: f.classification, expectation: f.expectation }]));
}

describe('reclassifyStored', () => {
  for (const [name, sitePath, captures] of FIXTURE_CASES) {
    it(`${name}: a database read without a site, re-classified, equals one classified while reading`, async () => {
      const { site, catalog } = loadSiteWithCatalogs(sitePath);
      const inputs = captures.map((c) => ({ name: c }));

      const during = openFlowStore(join(dir, `${name}-during.db`)) as SqliteStore;
      await ingest(inputs, { store: during, classifier: createClassifier(catalog, site), catalog, site });
      const want = classified(during);
      during.close();

      const later = openFlowStore(join(dir, `${name}-later.db`)) as SqliteStore;
      await ingest(inputs, { store: later });
      const before = classified(later);
      expect([...before.values()].every((f) => (f as { classification: unknown }).classification === null)).toBe(true);
      const updated = reclassifyStored(later, createClassifier(catalog, site), catalog);
      const got = classified(later);
      later.close();

      expect(updated).toBe(want.size);
      expect(got).toEqual(want);
      // Meaningful only if the fixture has flows claimed through announcements or windows.
      if (name === 'altiris-ds-5.5' || name === 'sccm-2007') {
        const via = [...got.values()].filter((f) => (f as { classification: { how: string } }).classification.how !== 'direct');
        expect(via.some((f) => ['window', 'expectation'].includes((f as { classification: { how: string } }).classification.how))).toBe(true);
      }
    });
  }
});
