/**
 * A database on a disk that fills up during `read`: the capture is left 'partial' with the
 * reason, one line on stderr names the database and says what to do, exit 2, and nothing is
 * doubled or damaged; after the database is moved to a larger disk the same command completes
 * the capture with as many flows as a clean run stores. The disk is a small tmpfs the test
 * mounts (root only), at several sizes: full before the first flow, after a few batches, late;
 * and a database on a file system mounted read-only.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TempDir } from '../helpers/capture-files.js';
import {
  BUILT, ESTATE, IS_ROOT, NOT_BUILT_MESSAGE, SITE, cli, cliEnv, dbState, expectCleanOutput, lines, manyUdpFlows,
} from './fault-kit.js';

const FLOWS = 30_000;

function canMountTmpfs(): boolean {
  if (!IS_ROOT) return false;
  const probe = new TempDir('flowaudit-mount-probe-');
  try {
    const r = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe.path]);
    if (r.status !== 0) return false;
    spawnSync('umount', [probe.path]);
    return true;
  } finally {
    probe.cleanup();
  }
}

const CAN_MOUNT = BUILT && canMountTmpfs();
if (!BUILT) console.warn(NOT_BUILT_MESSAGE);
else if (!CAN_MOUNT) console.warn('disk-full tests skipped: they mount a small tmpfs, which needs root (and CAP_SYS_ADMIN)');

describe.skipIf(!CAN_MOUNT)('disk full during read', () => {
  const tmp = new TempDir('flowaudit-disk-full-');
  const env = cliEnv(join(tmp.path, 'state'));
  const mounts: string[] = [];
  let capture = '';
  let clean = 0;

  const readArgs = (db: string) => ['read', capture, '--db', db, '--udp-timeout', '1'];

  beforeAll(() => {
    capture = tmp.file('many.pcap', manyUdpFlows(FLOWS));
    const db = tmp.name('clean.db');
    const r = cli(readArgs(db), { env });
    expect(r.status, r.stderr).toBe(0);
    clean = dbState(db)!.flows;
    expect(clean).toBe(FLOWS);
  });

  afterAll(() => {
    for (const m of mounts) spawnSync('umount', [m]);
    tmp.cleanup();
  });

  function smallDisk(size: string): string {
    const dir = join(tmp.path, `disk-${mounts.length}-${size}`);
    mkdirSync(dir);
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir]);
    mounts.push(dir);
    return dir;
  }

  /** Copies the database (with its WAL) from the full disk to the temp folder's disk. */
  function moveToLargerDisk(db: string, dir: string): string {
    const to = join(tmp.path, `moved-${mounts.length}`);
    mkdirSync(to);
    for (const f of readdirSync(dir)) copyFileSync(join(dir, f), join(to, f));
    return join(to, 'x.db');
  }

  it.each(['512k', '1m', '2m'])('a %s disk: partial with the reason, one line, exit 2; completed after the move', (size) => {
    const dir = smallDisk(size);
    const db = join(dir, 'x.db');
    const r = cli(readArgs(db), { env });
    expectCleanOutput(r, `read on a ${size} disk`);
    expect(r.status, r.stderr).toBe(2);
    expect(lines(r.stderr)).toEqual([
      `flowaudit: ${db}: database or disk is full: ${capture} left partial; make room (or move the database to a larger disk) and run the same command again to complete it`,
    ]);
    const s = dbState(db)!;
    expect(s.captures).toMatchObject([{ status: 'partial', error: `not all flows could be stored: ${db}: database or disk is full` }]);
    expect(s.flows).toBeLessThan(clean);
    expect(s.duplicateIds).toBe(0);
    expect(s.duplicateFlows).toBe(0);
    expect(s.integrity).toBe('ok');

    // The same command on a larger disk reads the partial capture again, whole.
    const moved = moveToLargerDisk(db, dir);
    const again = cli(readArgs(moved), { env });
    expectCleanOutput(again, 'read after the move');
    expect(again.status, again.stderr).toBe(0);
    expect(lines(again.stderr)).toEqual([`${capture}: pcap, ${FLOWS} packets, ${FLOWS} flows, complete`]);
    const t = dbState(moved)!;
    expect(t.captures).toMatchObject([{ status: 'complete', error: null, packets: FLOWS }]);
    expect(t.flows).toBe(clean);
    expect(t.duplicateIds).toBe(0);
    expect(t.duplicateFlows).toBe(0);
    expect(t.integrity).toBe('ok');
    // And once more: now it is stored, nothing is added.
    const third = cli(readArgs(moved), { env });
    expect(third.status).toBe(0);
    expect(third.stderr).toMatch(/already stored/);
    expect(dbState(moved)!.flows).toBe(clean);
  });

  it('with --threads 2: the same line from the parallel ingest, partial, completed after the move', () => {
    const dir = smallDisk('1m');
    const db = join(dir, 'x.db');
    const r = cli([...readArgs(db), '--threads', '2'], { env });
    expectCleanOutput(r, 'read --threads 2 on a full disk');
    expect(r.status, r.stderr).toBe(2);
    expect(lines(r.stderr)).toEqual([
      `flowaudit: ${db}: database or disk is full: ${capture} left partial; make room (or move the database to a larger disk) and run the same command again to complete it`,
    ]);
    const s = dbState(db)!;
    expect(s.captures).toMatchObject([{ status: 'partial' }]);
    expect(s.integrity).toBe('ok');
    const moved = moveToLargerDisk(db, dir);
    const again = cli([...readArgs(moved), '--threads', '2'], { env });
    expect(again.status, again.stderr).toBe(0);
    const t = dbState(moved)!;
    expect(t.captures).toMatchObject([{ status: 'complete' }]);
    expect(t.flows).toBe(clean);
    expect(t.duplicateIds).toBe(0);
  });

  it('standard input on a full disk: partial, and the line does not promise a re-read', () => {
    const dir = smallDisk('1m');
    const db = join(dir, 'x.db');
    const r = cli(['read', '-', '--db', db, '--udp-timeout', '1'], { env, input: readFileSync(capture) });
    expectCleanOutput(r, 'read - on a full disk');
    expect(r.status, r.stderr).toBe(2);
    expect(lines(r.stderr)).toEqual([
      `flowaudit: ${db}: database or disk is full: - left partial; the flows stored so far are kept; make room (or move the database to a larger disk)`,
    ]);
    expect(dbState(db)!.captures).toMatchObject([{ source: '-', status: 'partial' }]);
  });

  it('a disk too small for the database itself: one line naming it, exit 2, nothing written', () => {
    const dir = smallDisk('32k');
    const db = join(dir, 'x.db');
    const r = cli(readArgs(db), { env });
    expectCleanOutput(r, 'read on a 32k disk');
    expect(r.status, r.stderr).toBe(2);
    expect(lines(r.stderr)).toEqual([`flowaudit: ${db}: database or disk is full (no room for its shared-memory file)`]);
  });

  it('audit on a full disk: the same line, and no report', () => {
    const dir = smallDisk('2m');
    const db = join(dir, 'x.db');
    const r = cli(['audit', capture, '--db', db, '--udp-timeout', '1', '--site', SITE], { env });
    expectCleanOutput(r, 'audit on a 2m disk');
    expect(r.status, r.stderr).toBe(2);
    expect(lines(r.stderr)).toEqual([
      `flowaudit: ${db}: database or disk is full: ${capture} left partial; make room (or move the database to a larger disk) and run the same command again to complete it`,
    ]);
    expect(r.stdout).toBe('');
  });

  it('a database on a file system mounted read-only: one line saying so, exit 2', () => {
    const dir = smallDisk('4m');
    const db = join(dir, 'x.db');
    expect(cli(['read', ESTATE, '--db', db, '-q'], { env }).status).toBe(0);
    execFileSync('mount', ['-o', 'remount,ro', dir]);
    for (const args of [readArgs(db), ['flows', '--db', db], ['report', '--db', db, '--site', SITE]]) {
      const r = cli(args, { env });
      expectCleanOutput(r, args.join(' '));
      expect(r.status, r.stderr).toBe(2);
      expect(lines(r.stderr)).toEqual([`flowaudit: ${db}: cannot open database: ${dir} is on a read-only file system (SQLite writes its journal beside the database)`]);
    }
  });
});
