/**
 * Inputs that made the pipeline fail, kept as regression inputs (test/fuzz-regressions/): the
 * capture bytes as found (NAME.bin) and how they were found (NAME.json: run seed, case number,
 * case seed, the seed capture, the mutations, the failure). test/fuzz/regressions.test.ts
 * replays every one of them.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CaseOutcome } from './harness.js';
import type { FuzzCase } from './mutate.js';
import { PROJECT_ROOT } from './seeds.js';

export const REGRESSIONS_DIR = join(PROJECT_ROOT, 'test/fuzz-regressions');

export interface RegressionInfo {
  kind: 'exception' | 'invariant' | 'hang';
  message: string;
  stack: string;
  seed: number;
  index: number;
  caseSeed: number;
  base: string;
  mutations: string[];
  readSize: number | null;
  /** Found with the audit and every report format run after the ingest (--reports). */
  reports: boolean;
  /** How to find it again: the command that made this case (with the same seed captures). */
  reproduce: string;
  foundAt: string;
}

export interface Regression {
  name: string;
  bytes: Buffer;
  info: RegressionInfo;
}

/** How the run that found a case was made (its case is reproduced only with the same options and seed captures). */
export interface RunOptions {
  reports: boolean;
  corpus: boolean;
}

export function saveRegression(
  dir: string, c: FuzzCase, failure: Extract<CaseOutcome, { failed: true }> | { kind: 'hang'; message: string; stack: string }, run: RunOptions,
): string {
  mkdirSync(dir, { recursive: true });
  const name = `${failure.kind}-${createHash('sha256').update(c.bytes).digest('hex').slice(0, 12)}`;
  const info: RegressionInfo = {
    kind: failure.kind, message: failure.message, stack: failure.stack,
    seed: c.seed, index: c.index, caseSeed: c.caseSeed, base: c.base, mutations: c.mutations,
    readSize: c.readSize === Number.MAX_SAFE_INTEGER ? null : c.readSize,
    reports: run.reports,
    reproduce: `npm run fuzz -- --seed ${c.seed} --from ${c.index} --runs 1${run.reports ? ' --reports' : ''}${run.corpus ? '' : ' --no-corpus'}`,
    foundAt: new Date().toISOString(),
  };
  writeFileSync(join(dir, `${name}.bin`), c.bytes);
  writeFileSync(join(dir, `${name}.json`), JSON.stringify(info, null, 2) + '\n');
  return join(dir, `${name}.bin`);
}

export function loadRegressions(dir: string = REGRESSIONS_DIR): Regression[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => f.endsWith('.bin')).sort().map((f) => {
    const name = f.slice(0, -'.bin'.length);
    const meta = join(dir, `${name}.json`);
    const info = existsSync(meta) ? (JSON.parse(readFileSync(meta, 'utf8')) as RegressionInfo) : null;
    return {
      name,
      bytes: readFileSync(join(dir, f)),
      info: info ?? {
        kind: 'exception', message: '', stack: '', seed: 0, index: 0, caseSeed: 0, base: '', mutations: [], readSize: null, reports: true, reproduce: '', foundAt: '',
      },
    };
  });
}
