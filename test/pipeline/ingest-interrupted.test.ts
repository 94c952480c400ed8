/**
 * A real interruption: `node bin/flowaudit read big.pcap --db x` is killed (SIGKILL) after its
 * first batch of flows is committed. The database must be consistent (the capture 'partial'),
 * and running the same command again must complete it with no duplicate flows.
 *
 * To make "after the first batch, before the end" deterministic, the child is started with a
 * preload that makes each file read 25 ms slower, so the ingest takes seconds instead of a
 * fraction of one.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../helpers/corpus.js';
import { TempDir, manyUdpFlows, slowReadsPreload } from '../helpers/capture-files.js';
import { udpFrameAt } from '../helpers/flow-script.js';

const BIN = join(PROJECT_ROOT, 'bin/flowaudit');
const BUILT = existsSync(join(PROJECT_ROOT, 'dist/src/cli/main.js'));
if (!BUILT) console.warn('dist/ not built: interrupted-ingest test skipped (run `npm run build`, as `npm test` does)');

const tmp = new TempDir();
afterAll(() => tmp.cleanup());

const FLOWS = 200_000;

function counts(db: string): { flows: number; captures: { status: string }[] } {
  if (!existsSync(db)) return { flows: 0, captures: [] };
  try {
    const d = new Database(db, { readonly: true, fileMustExist: true });
    try {
      const flows = (d.prepare('SELECT COUNT(*) AS n FROM flows').get() as { n: number }).n;
      const captures = d.prepare('SELECT status FROM captures ORDER BY id').all() as { status: string }[];
      return { flows, captures };
    } finally {
      d.close();
    }
  } catch {
    return { flows: 0, captures: [] }; // not created yet
  }
}

function readCli(capture: string, db: string, preload?: string) {
  const args = [...(preload ? ['--import', preload] : []), BIN, 'read', capture, '--db', db, '-q', '--udp-timeout', '1'];
  return { args };
}

describe.skipIf(!BUILT)('interrupted ingest (child process killed after its first batch)', () => {
  it('leaves a consistent partial capture, and re-running completes it with no duplicates', async () => {
    const capture = tmp.file('big.pcap', manyUdpFlows(FLOWS));
    const preload = slowReadsPreload(tmp.path, 25);
    const db = tmp.name('killed.db');

    // 1. Start, wait for the first committed flows, kill.
    const child = spawn(process.execPath, readCli(capture, db, preload).args, { cwd: PROJECT_ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d) => { stderr += String(d); });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    let seen = 0;
    const deadline = Date.now() + 40_000;
    while (Date.now() < deadline && child.exitCode === null) {
      seen = counts(db).flows;
      if (seen > 0) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(child.exitCode, `the ingest finished before any batch was seen (stderr: ${stderr})`).toBeNull();
    expect(seen).toBeGreaterThan(0);
    child.kill('SIGKILL');
    await exited;

    const after = counts(db);
    expect(after.captures).toEqual([{ status: 'partial' }]);
    expect(after.flows).toBeGreaterThan(0);
    expect(after.flows).toBeLessThan(FLOWS);
    // What is known of the cut-off capture: its format, the packets read up to the last batch
    // stored (each flow here is one packet), and why it is partial.
    const killed = new Database(db, { readonly: true });
    const row = killed.prepare('SELECT format, packets, error FROM captures').get() as { format: string; packets: number; error: string };
    killed.close();
    expect(row.format).toBe('pcap');
    expect(row.packets).toBeGreaterThanOrEqual(after.flows);
    expect(row.packets).toBeLessThan(FLOWS);
    expect(row.error).toMatch(/^not finished: reading stopped before the end of the capture \(interrupted, killed or failed\)/);

    // 2. Run again (normal speed): the partial capture is replaced and completed.
    const again = spawnSync(process.execPath, readCli(capture, db).args, { cwd: PROJECT_ROOT, encoding: 'utf8', timeout: 20_000 });
    expect(again.error, 'the second run did not exit in time').toBeUndefined();
    expect(again.status, again.stderr).toBe(0);
    const d = new Database(db, { readonly: true });
    expect(d.prepare('SELECT status, packets, error FROM captures').all()).toEqual([{ status: 'complete', packets: FLOWS, error: null }]);
    expect((d.prepare('SELECT COUNT(*) AS n FROM flows').get() as { n: number }).n).toBe(FLOWS);
    expect((d.prepare('SELECT COUNT(*) AS n FROM (SELECT DISTINCT src, sport, dst, dport, start FROM flows)').get() as { n: number }).n).toBe(FLOWS);
    expect((d.prepare('SELECT COUNT(DISTINCT capture_id) AS n FROM flows').get() as { n: number }).n).toBe(1);
    d.close();
  }, 120_000);
});

describe('a capture cut off in the middle of an ingest (in process, flows written inline)', () => {
  it('keeps its format, the packets read up to the last batch stored, and why it is partial', async () => {
    const { ingest, NOT_FINISHED } = await import('../../src/pipeline/ingest.js');
    const { openFlowStore } = await import('../../src/store/open-store.js');
    const rec = 16 + udpFrameAt('10.1.0.0', 40000, '10.2.0.1', 514, 'syslog message').length;
    const capture = tmp.file('cut.pcap', manyUdpFlows(FLOWS).subarray(0, 24 + 30_000 * rec));
    const db = tmp.name('cut.db');
    const store = openFlowStore(db);
    let flows = 0;
    await expect(ingest([{ name: capture }], {
      store, batchFlows: 1000, timeouts: { udp: 1 },
      onFlow: () => { if (++flows === 5500) throw new Error('stopped here'); },
    })).rejects.toThrow('stopped here');
    const [c] = store.captures();
    store.close();
    expect(c).toMatchObject({ status: 'partial', format: 'pcap', error: NOT_FINISHED });
    expect(c!.packets).toBeGreaterThanOrEqual(5000);
    expect(c!.packets).toBeLessThan(30_000);
  });
});
