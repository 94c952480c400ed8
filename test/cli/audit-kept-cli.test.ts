/**
 * Through the compiled CLI, where the writer thread keeps the flows' lean columns and `audit`
 * counts from that copy (store/kept-flows.ts): `audit --db` writes the same report as `report
 * --db` on the database it filled, which reads the flows back from the table, on every fixture.
 * Needs `npm run build` (npm test does it); skipped with a message when dist/ is missing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../helpers/corpus.js';
import { FIXTURE_CASES } from '../helpers/run-pipeline.js';

const BUILT = existsSync(join(PROJECT_ROOT, 'dist/src/cli/main.js'));
if (!BUILT) console.warn('dist/src/cli/main.js not found: CLI tests skipped (run npm run build)');

const dir = mkdtempSync(join(tmpdir(), 'fa-kept-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function flowaudit(args: string[]) {
  return spawnSync(process.execPath, [join(PROJECT_ROOT, 'bin/flowaudit'), ...args], { cwd: PROJECT_ROOT, encoding: 'utf8', timeout: 60_000 });
}

/** The report file without the time it was written. */
const report = (path: string) => readFileSync(path, 'utf8').replace(/"generatedAt": *"[^"]*"/, '');

describe.skipIf(!BUILT)('audit --db and report --db give the same report', () => {
  for (const [name, site, captures] of FIXTURE_CASES) {
    it(name, () => {
      const db = join(dir, `${name}.db`);
      const strict = name === 'dcom-paths' ? ['--strict'] : [];
      const a = flowaudit(['audit', ...captures, '--site', site, '--db', db, '--format', 'json', '-o', join(dir, `${name}-audit.json`), '--quiet', ...strict]);
      expect(a.stderr).toBe('');
      const r = flowaudit(['report', '--db', db, '--site', site, '--format', 'json', '-o', join(dir, `${name}-report.json`), '--quiet', ...strict]);
      expect(r.stderr).toBe('');
      const fromAudit = report(join(dir, `${name}-audit.json`));
      expect(fromAudit).toMatch(/"analysed": *[1-9]/);
      expect(fromAudit).toBe(report(join(dir, `${name}-report.json`)));
    });
  }
});
