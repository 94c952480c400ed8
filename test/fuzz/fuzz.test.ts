/**
 * The fuzz harness (fuzz/, `npm run fuzz`): a short run with a fixed seed over the fixtures and
 * the corpus finds no failure; cases are reproducible from their seed; a failure is saved with
 * the seed that made it; and the command bounds itself and says when the corpus is absent.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, failureSignature, type CaseOutcome, type Harness } from '../../fuzz/harness.js';
import { fuzzLoop } from '../../fuzz/loop.js';
import { makeCase, MUTATORS, type SeedCapture } from '../../fuzz/mutate.js';
import { loadRegressions, saveRegression } from '../../fuzz/regressions.js';
import { loadSeeds } from '../../fuzz/seeds.js';
import { TempDir } from '../helpers/capture-files.js';
import { PROJECT_ROOT } from '../helpers/corpus.js';

const SEED = Number(process.env.FLOWAUDIT_FUZZ_SEED ?? 0x5eed);
const RUNS = 300;
const tmp = new TempDir();
afterAll(() => tmp.cleanup());

let seeds: SeedCapture[];
let harness: Harness;
beforeAll(async () => {
  const set = await loadSeeds();
  if (set.corpusMissing) console.warn(`fuzz test: ${set.corpusMissing}`);
  seeds = set.seeds;
  harness = createHarness();
});

describe('fuzz harness', () => {
  it(`${RUNS} cases of seed ${SEED} through the real pipeline: no exception, no broken invariant`, async () => {
    const failures: string[] = [];
    const stats = await fuzzLoop(seeds, harness, {
      seed: SEED, runs: RUNS,
      onFailure: (c, f) => failures.push(`case ${c.index} (${c.base}; ${c.mutations.join('; ')}): ${f.message}\n${f.stack}`),
    });
    expect(failures).toEqual([]);
    expect(stats.runs).toBe(RUNS);
    // Every kind of mutation ran, and both outcomes occurred: captures read whole and read up to damage.
    for (const [name] of MUTATORS) expect(stats.byMutation[name] ?? 0, name).toBeGreaterThan(0);
    expect(stats.damaged).toBeGreaterThan(RUNS / 10);
    expect(stats.damaged).toBeLessThan(RUNS);
    expect(stats.flows).toBeGreaterThan(0);
  }, 60_000);

  it('seeds: every fixture capture, as pcap and as pcapng', () => {
    expect(seeds.some((s) => s.name === 'fixtures/example/estate.pcap')).toBe(true);
    expect(seeds.some((s) => s.name === 'fixtures/example/estate.pcap (as pcapng)' && s.bytes.readUInt32LE(0) === 0x0a0d0d0a)).toBe(true);
  });

  it('a case is the same bytes for the same seed and number, and another for another', () => {
    const a = makeCase(seeds, SEED, 17);
    expect(makeCase(seeds, SEED, 17)).toEqual(a);
    expect(makeCase(seeds, SEED, 18).bytes.equals(a.bytes)).toBe(false);
    expect(a.mutations.length).toBeGreaterThan(0);
  });

  it('a failure is saved with its seed, case number and mutations, and the saved bytes are those of the case', async () => {
    const dir = tmp.name('regressions');
    // A pipeline that fails on cases whose bytes have an odd length.
    const failing: Harness = {
      run: async (bytes) => (bytes.length % 2
        ? { failed: true, kind: 'exception', message: `TypeError: odd ${bytes.length}`, stack: 'TypeError: odd\n    at decode (x.js:1:2)' }
        : { failed: false, packets: 0, flows: 0, damaged: false }),
    };
    const found: number[] = [];
    await fuzzLoop(seeds, failing, {
      seed: 99, runs: 40,
      onFailure: (c, f) => { found.push(c.index); saveRegression(dir, c, f, { reports: false, corpus: true }); },
    });
    expect(found.length).toBeGreaterThan(0);
    const saved = loadRegressions(dir);
    expect(new Set(saved.map((s) => s.info.index))).toEqual(new Set(found));
    for (const s of saved) {
      expect(s.name).toMatch(/^exception-[0-9a-f]{12}$/);
      expect(s.info).toMatchObject({ kind: 'exception', seed: 99, reports: false, reproduce: `npm run fuzz -- --seed 99 --from ${s.info.index} --runs 1` });
      expect(makeCase(seeds, 99, s.info.index).bytes.equals(s.bytes)).toBe(true);
    }
  });

  it('failures with the same message and place count as one', () => {
    const f = (message: string, at: string): Extract<CaseOutcome, { failed: true }> => ({ failed: true, kind: 'exception', message, stack: `E\n    at ${at}` });
    expect(failureSignature(f('RangeError: offset 12 out of range', 'read (a.js:3:4)'))).toBe(failureSignature(f('RangeError: offset 99 out of range', 'read (a.js:3:9)')));
    expect(failureSignature(f('RangeError: x', 'read (a.js:3:4)'))).not.toBe(failureSignature(f('RangeError: x', 'parse (a.js:3:4)')));
  });
});

const BUILT = existsSync(join(PROJECT_ROOT, 'dist/fuzz/run.js'));
describe.skipIf(!BUILT)('npm run fuzz (dist/fuzz/run.js)', () => {
  it('runs a bounded number of cases on its worker, says plainly that the corpus is absent, and exits 0 without failures', () => {
    const out = tmp.name('fuzz-out');
    const r = spawnSync(process.execPath, [join(PROJECT_ROOT, 'dist/fuzz/run.js'), '--seed', '3', '--runs', '40', '--seconds', '60', '--out', out], {
      encoding: 'utf8', timeout: 60_000, env: { ...process.env, FLOWAUDIT_SHARED: join(tmp.path, 'nowhere') },
    });
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stderr.trim().split('\n');
    expect(lines[0]).toMatch(/^fuzz: seed 3, \d+ seed captures \(\d+ from fixtures\/, 0 from the corpus\), 40 cases at most, for 60 s$/);
    expect(lines[1]).toBe(`fuzz: NOTE: the shared corpus was not found at ${join(tmp.path, 'nowhere', 'corpus', 'real')}: only the repository's fixtures are mutated (set FLOWAUDIT_SHARED to the folder that holds corpus/, or pass --corpus DIR)`);
    expect(lines.at(-1)).toBe('fuzz: no failures (cases 0-39 of seed 3)');
    expect(existsSync(out)).toBe(false);
  }, 60_000);

  it('a case that never returns is stopped after --hang-seconds, saved as a hang, and the run goes on with the next case', () => {
    const out = tmp.name('fuzz-hang');
    const r = spawnSync(process.execPath, [join(PROJECT_ROOT, 'dist/fuzz/run.js'), '--seed', '5', '--runs', '6', '--hang-seconds', '1', '--no-corpus', '--out', out], {
      encoding: 'utf8', timeout: 60_000, env: { ...process.env, FLOWAUDIT_FUZZ_STALL_AT: '2' },
    });
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/^fuzz: FAILED case 2 \(seed 5, .*\): hang: still running after 1 s — saved as .*hang-[0-9a-f]{12}\.bin$/m);
    const saved = loadRegressions(out);
    expect(saved.map((s) => [s.info.kind, s.info.index, s.info.reproduce])).toEqual([['hang', 2, 'npm run fuzz -- --seed 5 --from 2 --runs 1 --no-corpus']]);
    expect(r.stderr).toMatch(/^fuzz: 6 cases in /m);
  }, 60_000);

  it('a usage error exits 2 with the usage', () => {
    const r = spawnSync(process.execPath, [join(PROJECT_ROOT, 'dist/fuzz/run.js'), '--seconds', 'abc'], { encoding: 'utf8', timeout: 30_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^fuzz: --seconds needs a number of at least 0, not 'abc'\nusage: npm run fuzz -- /);
  });
});
