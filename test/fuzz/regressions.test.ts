/**
 * Every input the fuzz harness saved (test/fuzz-regressions/, see fuzz/regressions.ts) goes
 * through the pipeline again, with the options it was found with, and must no longer fail.
 */
import { describe, expect, it } from 'vitest';
import { createHarness } from '../../fuzz/harness.js';
import { loadRegressions, REGRESSIONS_DIR } from '../../fuzz/regressions.js';

const saved = loadRegressions(REGRESSIONS_DIR);

describe('saved fuzz regressions', () => {
  it(`${saved.length} saved input(s) in test/fuzz-regressions/`, () => {
    if (!saved.length) console.info('no saved fuzz inputs yet (npm run fuzz saves one per failure it finds)');
    for (const s of saved) expect(s.bytes.length, s.name).toBeGreaterThanOrEqual(0);
  });
  const plain = createHarness();
  const withReports = createHarness({ reports: true });
  for (const s of saved) {
    it(`${s.name}: ${s.info.kind} found by ${s.info.reproduce || 'an earlier run'} (${s.info.message})`, async () => {
      const out = await (s.info.reports ? withReports : plain).run(s.bytes, s.info.readSize ?? undefined);
      expect(out.failed ? `${out.message}\n${out.stack}` : 'ok').toBe('ok');
    }, 30_000);
  }
});
