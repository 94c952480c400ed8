/**
 * Inputs a user gets wrong, and a real internal error: each gives one line on stderr naming
 * what is wrong (exit 2), or one line naming the file that holds the trace (exit 70). No
 * output of any of them holds a stack trace.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
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

describe.skipIf(!BUILT)('an internal error', () => {
  it('is one line naming the file with the full trace, exit 70', () => {
    // A preload that breaks the program the way a bug would: a TypeError deep inside the audit.
    const preload = tmp.file('bug.mjs', "Date.prototype.toISOString = function () { throw new TypeError('injected bug'); };\n");
    const r = cli(['audit', ESTATE, '--site', SITE, '-q'], { env, nodeArgs: ['--import', preload] });
    expectCleanOutput(r, 'audit with an injected bug');
    expect(r.status, r.stderr).toBe(70);
    const l = lines(r.stderr);
    expect(l).toHaveLength(1);
    const m = /^flowaudit: internal error: TypeError: injected bug \(a bug: the full trace is in (\S+); please report it with that file\)$/.exec(l[0]!);
    expect(m, l[0]).not.toBeNull();
    const log = m![1]!;
    expect(log.startsWith(join(state, 'flowaudit') + '/')).toBe(true);
    const text = readFileSync(log, 'utf8');
    expect(text).toMatch(/TypeError: injected bug\n\s+at /);
    expect(text).toContain(`command: audit ${ESTATE} --site ${SITE} -q`);
  });

  it('says so when the trace cannot be written, still on one line', () => {
    const blocked = join(tmp.path, 'not-a-folder');
    writeFileSync(blocked, 'a file where the log folder would be');
    const preload = tmp.file('bug2.mjs', "Date.prototype.toISOString = function () { throw new TypeError('injected bug'); };\n");
    const r = cli(['audit', ESTATE, '--site', SITE, '-q'], { env: cliEnv(blocked), nodeArgs: ['--import', preload] });
    expectCleanOutput(r, 'audit with an injected bug and no log folder');
    expect(r.status).toBe(70);
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(/^flowaudit: internal error: TypeError: injected bug \(a bug: the trace could not be written \(/);
    expect(existsSync(join(blocked, 'flowaudit'))).toBe(false);
    expect(readdirSync(tmp.path).some((f) => f.startsWith('flowaudit-internal-error'))).toBe(false);
  });
});
