/**
 * `audit` counts the flows it has just read from the copy the writer kept (store/kept-flows.ts)
 * when, and only when, that copy is exactly the audited flows: its reports must be the reports
 * of the same flows read back from the database, byte for byte, on every fixture, strict or not.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../helpers/corpus.js';
import { FIXTURE_CASES } from '../helpers/run-pipeline.js';
import { loadAnalysisContext } from '../../src/pipeline/analysis-context.js';
import { auditStored, readAndAudit } from '../../src/pipeline/audit-run.js';
import { openFlowStore } from '../../src/store/open-store.js';
import { renderReport } from '../../src/report/index.js';
import type { AuditResult } from '../../src/audit/types.js';
import type { FlowStore } from '../../src/store/types.js';
import type { KeptFlows } from '../../src/store/kept-flows.js';

const dir = mkdtempSync(join(tmpdir(), 'fa-audit-kept-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

/** A report as written, without the time it was written. */
function reportText(r: AuditResult): string {
  return renderReport(r, 'json', { pretty: true }).replace(/"generatedAt": "[^"]*"/, '');
}

/** Records, for each scan of the audit, whether the store was handed a kept copy. */
function watchScans(store: FlowStore): boolean[] {
  const scans: boolean[] = [];
  const auditFlows = store.auditFlows.bind(store);
  store.auditFlows = (ids: readonly number[], kept?: KeptFlows | null) => {
    scans.push(kept != null);
    return auditFlows(ids, kept);
  };
  return scans;
}

describe('audit from the kept copy: the same report as from the database', () => {
  for (const [name, site, captures] of FIXTURE_CASES) {
    for (const strict of [false, true]) {
      it(`${name}${strict ? ' (strict)' : ''}`, async () => {
        const ctx = await loadAnalysisContext(join(PROJECT_ROOT, site));
        const store = openFlowStore(join(dir, `a-${n++}.db`));
        try {
          const scans = watchScans(store);
          const inputs = captures.map((c) => ({ name: join(PROJECT_ROOT, c) }));
          const run = await readAndAudit(inputs, { store }, ctx, 1, () => {}, undefined, { strict });
          expect(scans).toEqual([true]);
          const fromCopy = reportText(run.result);
          const ids = store.captures().map((c) => c.id);
          const fromTable = reportText(auditStored(store, ctx, ids, { strict }));
          expect(scans).toEqual([true, false]);
          expect(fromCopy).toBe(fromTable);
          expect(run.result.summary.flows.analysed).toBe(run.ingest.flowsWritten);

          // Read again: the captures are stored already, so nothing is kept and the table is read.
          const again = await readAndAudit(inputs, { store }, ctx, 1, () => {}, undefined, { strict });
          expect(again.ingest.captures.every((c) => c.skipped)).toBe(true);
          expect(scans).toEqual([true, false, false]);
          expect(reportText(again.result)).toBe(fromTable);
        } finally {
          store.close();
        }
      });
    }
  }
});
