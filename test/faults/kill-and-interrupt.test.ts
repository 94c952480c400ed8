/**
 * `flowaudit read` stopped part way: killed with SIGKILL at several points (at once, after its
 * first committed batch, a third and two thirds of the way), or interrupted with SIGINT /
 * SIGTERM. Each time the database is consistent — the capture 'partial' (or not yet there),
 * fewer flows than a clean run, none doubled, SQLite's integrity check ok — and the same
 * command run again completes it with exactly the clean run's flows. A signal is answered with
 * one line and exit 130. Reads are slowed by a preload so that the points can be hit.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TempDir } from '../helpers/capture-files.js';
import {
  BUILT, NOT_BUILT_MESSAGE, SITE, cli, cliEnv, dbState, expectCleanOutput, lines, manyUdpFlows, sleep, slowReadsPreload, startCli, storedFlows,
  type CliChild,
} from './fault-kit.js';
import { NOT_FINISHED } from '../../src/pipeline/ingest.js';

if (!BUILT) console.warn(NOT_BUILT_MESSAGE);

const FLOWS = 50_000;

describe.skipIf(!BUILT)('a read stopped part way', () => {
  const tmp = new TempDir('flowaudit-kill-');
  const env = cliEnv(join(tmp.path, 'state'));
  let capture = '';
  let preload = '';
  let clean = 0;
  afterAll(() => tmp.cleanup());

  const args = (db: string) => ['read', capture, '--db', db, '--udp-timeout', '1'];

  beforeAll(() => {
    capture = tmp.file('many.pcap', manyUdpFlows(FLOWS));
    preload = slowReadsPreload(tmp.path, 40);
    const db = tmp.name('clean.db');
    expect(cli(args(db), { env }).status).toBe(0);
    clean = dbState(db)!.flows;
    expect(clean).toBe(FLOWS);
  });

  /** Starts a slowed read and waits until `flows` flows are committed (0: do not wait); fails if it ended first. */
  async function startAndWait(db: string, flows: number, extra: string[] = []): Promise<CliChild> {
    const run = startCli([...args(db), ...extra], { env, nodeArgs: ['--import', preload] });
    const deadline = Date.now() + 60_000;
    if (flows === 0) await sleep(150);
    while (flows > 0 && storedFlows(db) < flows) {
      expect(run.child.exitCode, `the read ended before ${flows} flows were stored: ${run.out.stderr}`).toBeNull();
      expect(Date.now()).toBeLessThan(deadline);
      await sleep(15);
    }
    expect(run.child.exitCode, 'the read ended before it could be stopped').toBeNull();
    return run;
  }

  /** `error`: what the capture's error must be (undefined: either). */
  function expectConsistentPartial(db: string, error: string | null | undefined): void {
    const s = dbState(db);
    if (s === null) return; // killed before the database was created
    expect(s.integrity).toBe('ok');
    expect(s.duplicateIds).toBe(0);
    expect(s.duplicateFlows).toBe(0);
    expect(s.flows).toBeLessThan(clean);
    if (s.captures.length === 0) return; // killed before the capture row was written
    expect(s.captures).toMatchObject([{ status: 'partial' }]);
    if (error !== undefined) expect(s.captures[0]!.error).toBe(error);
  }

  function expectCompleted(db: string): void {
    const r = cli(args(db), { env });
    expectCleanOutput(r, 'the read run again');
    expect(r.status, r.stderr).toBe(0);
    expect(lines(r.stderr)).toEqual([`${capture}: pcap, ${FLOWS} packets, ${FLOWS} flows, complete`]);
    const s = dbState(db)!;
    expect(s.captures).toMatchObject([{ status: 'complete', error: null, packets: FLOWS }]);
    expect(s.flows).toBe(clean);
    expect(s.duplicateIds).toBe(0);
    expect(s.duplicateFlows).toBe(0);
    expect(s.integrity).toBe('ok');
  }

  it('SIGKILL at once, after the first batch, at a third and at two thirds: consistent each time, then completed', async () => {
    const db = tmp.name('killed.db');
    // One database: each run replaces what the killed one before it left.
    for (const at of [0, 1, Math.floor(FLOWS / 3), Math.floor((2 * FLOWS) / 3)]) {
      const run = await startAndWait(db, at);
      run.child.kill('SIGKILL');
      const r = await run.ended;
      expect(r.signal).toBe('SIGKILL');
      expectCleanOutput(r, `killed at ${at}`);
      // A kill leaves the reason written when the capture was opened: not finished.
      expectConsistentPartial(db, NOT_FINISHED);
    }
    expectCompleted(db);
  }, 120_000);

  it.each(['SIGINT', 'SIGTERM'] as const)('%s: one line naming the capture, exit 130, partial with the reason (SIGINT: completed later)', async (sig) => {
    const db = tmp.name(`${sig}.db`);
    const run = await startAndWait(db, 1);
    run.child.kill(sig);
    const r = await run.ended;
    expectCleanOutput(r, sig);
    expect(r.status, r.stderr).toBe(130);
    expect(lines(r.stderr)).toEqual([`flowaudit: interrupted by ${sig}: ${capture} left partial; run the same command again to complete it`]);
    expectConsistentPartial(db, `interrupted by ${sig}`);
    if (sig === 'SIGINT') expectCompleted(db);
  }, 60_000);

  it('SIGINT twice: quits at once, still consistent', async () => {
    const db = tmp.name('twice.db');
    const run = await startAndWait(db, 1);
    run.child.kill('SIGINT');
    run.child.kill('SIGINT');
    const r = await run.ended;
    expectCleanOutput(r, 'SIGINT twice');
    expect(r.status, r.stderr).toBe(130);
    expect(lines(r.stderr).length).toBe(1);
    expect(r.stderr).toMatch(/^flowaudit: (SIGINT again: quit at once; the captures being read are left partial|interrupted by SIGINT: .* left partial; run the same command again to complete it)\n$/);
    expectConsistentPartial(db, undefined);
    expectCompleted(db);
  }, 60_000);

  it('SIGINT during audit: the same line, no report', async () => {
    const db = tmp.name('audit.db');
    const run = startCli(['audit', capture, '--db', db, '--udp-timeout', '1', '--site', SITE], { env, nodeArgs: ['--import', preload] });
    while (storedFlows(db) < 1) {
      expect(run.child.exitCode).toBeNull();
      await sleep(15);
    }
    run.child.kill('SIGINT');
    const r = await run.ended;
    expectCleanOutput(r, 'audit SIGINT');
    expect(r.status, r.stderr).toBe(130);
    expect(lines(r.stderr)).toEqual([`flowaudit: interrupted by SIGINT: ${capture} left partial; run the same command again to complete it`]);
    expect(r.stdout).toBe('');
    expectConsistentPartial(db, 'interrupted by SIGINT');
  }, 60_000);
});
