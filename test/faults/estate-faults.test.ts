/**
 * Store and forward under faults, on a PostgreSQL server of this file's own that the tests stop
 * and start: the server going away mid-forward, the forwarder and the reader killed with
 * SIGKILL. After each, the database must hold every flow of the capture exactly once: counts
 * and a checksum over the flows' content, compared with the same capture read into a plain
 * SQLite file.
 */
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../helpers/corpus.js';
import { manyUdpFlows } from '../helpers/capture-files.js';
import { contentSha, pgContent, sqliteContent } from '../helpers/flow-content.js';
import { freshPgDatabase, pgRows } from '../helpers/postgres.js';
import { postgresBinDir, startCluster, type StartedCluster } from '../helpers/postgres-cluster.js';

const BIN = join(PROJECT_ROOT, 'bin/flowaudit');
const SKIP = postgresBinDir() ? '' : 'PostgreSQL is not installed (apt-get install postgresql)';
const FLOWS = 120_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function run(args: string[]): { exit: Promise<{ code: number | null; signal: string | null; stderr: string }>; pid: number; kill: (s: NodeJS.Signals) => void } {
  const p = spawn(BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  p.stderr.on('data', (d) => { stderr += d; });
  const exit = new Promise<{ code: number | null; signal: string | null; stderr: string }>((resolve) => p.on('exit', (code, signal) => resolve({ code, signal, stderr })));
  return { exit, pid: p.pid!, kill: (s) => p.kill(s) };
}

/** Polls until `f` is true (or fails after `ms`). */
async function until(f: () => Promise<boolean> | boolean, ms = 60_000): Promise<void> {
  const t0 = Date.now();
  while (!(await f())) {
    if (Date.now() - t0 > ms) throw new Error('timed out waiting');
    await sleep(25);
  }
}

async function forwardedSoFar(url: string): Promise<number> {
  try {
    const r = await pgRows(url, `SELECT coalesce(max(forwarded_upto), 0)::text AS n FROM captures`);
    return Number(r[0]!.n);
  } catch {
    return 0; // not created yet
  }
}

describe.skipIf(SKIP !== '')(`store and forward under faults${SKIP ? ` (skipped: ${SKIP})` : ''}`, () => {
  let cluster: StartedCluster;
  let dir = '';
  let pcap = '';
  let expected: string[] = [];
  const fresh = (): Promise<string> => freshPgDatabase('faults', cluster.url);
  /** Reads the capture into a spool without a reachable database (the flows stay there). */
  const spoolOf = (name: string): string => {
    const spool = join(dir, name);
    execFileSync(BIN, ['read', pcap, '--db', 'postgresql://x@127.0.0.1:9/x', '--spool', spool, '--forward-wait', '0', '--udp-timeout', '1', '-q'], { stdio: 'pipe' });
    return spool;
  };

  /** The database holds the capture, complete, every flow once: count and checksum as the plain SQLite read. */
  const expectWholeOnce = async (url: string): Promise<void> => {
    const got = await pgContent(url);
    expect(got.length).toBe(FLOWS);
    expect(contentSha(got)).toBe(contentSha(expected));
    expect(await pgRows(url, `SELECT status FROM captures`)).toEqual([{ status: 'complete' }]);
  };

  beforeAll(() => {
    cluster = startCluster();
    dir = mkdtempSync(join(tmpdir(), 'fa-estate-faults-'));
    pcap = join(dir, 'many.pcap');
    writeFileSync(pcap, manyUdpFlows(FLOWS));
    const plain = join(dir, 'plain.db');
    execFileSync(BIN, ['read', pcap, '--db', plain, '--udp-timeout', '1', '-q'], { stdio: 'pipe' });
    expected = sqliteContent(plain);
    expect(expected.length).toBe(FLOWS);
  });
  afterAll(() => {
    cluster?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('PostgreSQL stopped mid-forward and started again: the forwarder waits, the spool drains, nothing is lost or doubled', async () => {
    const url = await fresh();
    const spool = spoolOf('restart.db');
    const fwd = run(['forward', '--spool', spool, '--db', url, '--wait', '120']);
    await until(async () => (await forwardedSoFar(url)) > 0);
    cluster.halt('immediate');
    await sleep(1500);
    cluster.restart();
    const r = await fwd.exit;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/lost the connection while forwarding|cannot connect/);
    expect(r.stderr).toMatch(/spool drained/);
    await expectWholeOnce(url);
    expect(sqliteContent(spool)).toEqual([]);
  });

  it('the forwarder killed with SIGKILL mid-batch: the capture is partial in the database, the next round completes it without duplicates', async () => {
    const url = await fresh();
    const spool = spoolOf('killed-forward.db');
    const fwd = run(['forward', '--spool', spool, '--db', url]);
    await until(async () => (await forwardedSoFar(url)) > 0);
    fwd.kill('SIGKILL');
    expect((await fwd.exit).signal).toBe('SIGKILL');
    const [cap] = await pgRows(url, `SELECT status, forwarded_upto::text AS upto FROM captures`);
    expect(cap!.status).toBe('partial');
    const stored = Number((await pgRows(url, 'SELECT count(*)::int AS n FROM flow_data'))[0]!.n);
    expect(stored).toBeGreaterThan(0);
    expect(stored).toBeLessThan(FLOWS);
    // What the database holds is exactly what its mark says: whole chunks, no half one.
    expect(stored % 20_000).toBe(0);
    const again = run(['forward', '--spool', spool, '--db', url]);
    const r = await again.exit;
    expect(r.code, r.stderr).toBe(0);
    await expectWholeOnce(url);
  });

  it('the reader killed with SIGKILL mid-ingest: the spool keeps a partial capture, a re-run reads it again and forwards it once', async () => {
    const url = await fresh();
    const spool = join(dir, 'killed-read.db');
    // A slow reader (one packet at a time is not needed: the flows are written as they expire).
    const rd = run(['read', pcap, '--db', url, '--spool', spool, '--udp-timeout', '1', '--threads', '1', '-q']);
    await until(() => {
      try {
        return sqliteContent(spool).length > 1000;
      } catch {
        return false;
      }
    });
    rd.kill('SIGKILL');
    const k = await rd.exit;
    if (k.signal !== 'SIGKILL') return expect.fail(`the read finished before it was killed (${k.code}): make the capture larger`);
    expect(await forwardedSoFar(url)).toBe(0);
    const again = run(['read', pcap, '--db', url, '--spool', spool, '--udp-timeout', '1']);
    const r = await again.exit;
    expect(r.code, r.stderr).toBe(0);
    await expectWholeOnce(url);
  });

  it('a sensor writing directly, killed with SIGKILL mid-batch: its capture is partial in the database, a re-run replaces it without duplicates', async () => {
    const url = await fresh();
    const rd = run(['read', pcap, '--db', url, '--udp-timeout', '1', '--sensor', 'direct', '-q']);
    await until(async () => {
      try {
        return Number((await pgRows(url, 'SELECT count(*)::int AS n FROM flow_data'))[0]!.n) > 1000;
      } catch {
        return false;
      }
    });
    rd.kill('SIGKILL');
    const k = await rd.exit;
    if (k.signal !== 'SIGKILL') return expect.fail(`the read finished before it was killed (${k.code}): make the capture larger`);
    expect(await pgRows(url, 'SELECT status, sensor FROM captures')).toEqual([{ status: 'partial', sensor: 'direct' }]);
    const partial = Number((await pgRows(url, 'SELECT count(*)::int AS n FROM flow_data'))[0]!.n);
    expect(partial).toBeLessThan(FLOWS);
    const again = await run(['read', pcap, '--db', url, '--udp-timeout', '1', '--sensor', 'direct', '-q']).exit;
    expect(again.code, again.stderr).toBe(0);
    await expectWholeOnce(url);
  });
});
