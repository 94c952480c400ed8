/**
 * Inputs a user gets wrong: each gives one line on stderr naming what is wrong (exit 2). No
 * output of any of them holds a stack trace.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TempDir } from '../helpers/capture-files.js';
import {
  BIN, BUILT, ESTATE, NOT_BUILT_MESSAGE, SITE, cli, cliEnv, expectCleanOutput, lines,
} from './fault-kit.js';

if (!BUILT) console.warn(NOT_BUILT_MESSAGE);

const tmp = new TempDir('flowaudit-bad-inputs-');
afterAll(() => tmp.cleanup());
const state = join(tmp.path, 'state');
const env = cliEnv(state);

describe.skipIf(!BUILT)('bad inputs: one line, exit 2, no stack trace', () => {
  it('a directory as the capture names the path', () => {
    const dir = join(tmp.path, 'a-folder');
    mkdirSync(dir);
    for (const args of [['read', dir, '--db', tmp.name('dir.db')], ['audit', dir, '--site', SITE], ['read', ESTATE, dir, '--db', tmp.name('dir2.db')]]) {
      const r = cli(args, { env });
      expectCleanOutput(r, args.join(' '));
      expect(r.status, r.stderr).toBe(2);
      expect(lines(r.stderr)).toEqual([`flowaudit: ${dir}: is a directory, not a capture file`]);
    }
  });

  it('a named pipe is read as a stream', () => {
    const fifo = join(tmp.path, 'capture.fifo');
    execFileSync('mkfifo', [fifo]);
    const r = spawnSync('bash', ['-c', `cat "$3" > "$4" & exec "$0" "$1" read "$4" --db "$2"`, process.execPath, BIN, tmp.name('pipe.db'), ESTATE, fifo],
      { env, encoding: 'utf8', timeout: 30_000 });
    expectCleanOutput({ status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr }, 'read FIFO');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain(`${fifo}: pcap, 361 packets, 51 flows, complete`);
  });
});
