/**
 * Inputs a user gets wrong, and a real internal error: each gives one line on stderr naming
 * what is wrong (exit 2), or one line naming the file that holds the trace (exit 70). No
 * output of any of them holds a stack trace.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { flowsTable } from '../../src/cli/flows-format.js';
import type { StoredFlow } from '../../src/store/types.js';
import { TempDir } from '../helpers/capture-files.js';
import {
  BIN, BUILT, ESTATE, NOT_BUILT_MESSAGE, SITE, cli, cliEnv, expectCleanOutput, lines, manyUdpFlows,
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

/** A capture whose packets have link type 9999 (nothing decodes). */
function unknownLinkType(): Buffer {
  const h = Buffer.alloc(24);
  h.writeUInt32LE(0xa1b2c3d4, 0); h.writeUInt16LE(2, 4); h.writeUInt16LE(4, 6); h.writeUInt32LE(65535, 16); h.writeUInt32LE(9999, 20);
  const r = Buffer.alloc(16 + 40);
  r.writeUInt32LE(1_700_000_000, 0); r.writeUInt32LE(40, 8); r.writeUInt32LE(40, 12);
  return Buffer.concat([h, r]);
}

describe.skipIf(!BUILT)('site and catalog files far larger than any real one', () => {
  /** A sparse file of `bytes`: its size is what is refused, so nothing needs to be written. */
  const sparse = (name: string, bytes: number) => {
    const p = tmp.name(name);
    writeFileSync(p, '');
    truncateSync(p, bytes);
    return p;
  };

  it('a 200 MB site file is refused by its size, in one line naming it', () => {
    const site = sparse('huge-site.yaml', 200 * 1024 * 1024);
    const r = cli(['audit', ESTATE, '--site', site], { env, timeoutMs: 20_000 });
    expectCleanOutput(r, 'audit --site huge');
    expect(r.status).toBe(2);
    expect(lines(r.stderr)).toEqual([
      `flowaudit: site file ${site}: 200.0 MiB is more than the 16.0 MiB flowaudit reads for this kind of file (write address lists as CIDRs or ranges: 10.1.0.0/16, 10.2.0.10-10.2.0.99)`,
    ]);
  });

  it('a 50 MB catalog is refused by its size, naming it', () => {
    const catalog = sparse('huge-catalog.yaml', 50 * 1024 * 1024);
    const site = tmp.file('site-huge-catalog.yaml', `catalogs: [${catalog}]\n`);
    const r = cli(['audit', ESTATE, '--site', site], { env, timeoutMs: 20_000 });
    expectCleanOutput(r, 'audit with a huge catalog');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${catalog}:0: (file): the file is too large: 50.0 MiB is more than the 4.0 MiB flowaudit reads for this kind of file`);
    const check = cli(['rules', 'check', catalog], { env, timeoutMs: 20_000 });
    expect(check.status).toBe(2);
    expect(check.stderr).toContain('the file is too large');
  });
});

describe.skipIf(!BUILT)('no stack trace from any command, whatever the input', () => {
  const estate = readFileSync(ESTATE);
  const cases: [string, () => string[], number[]][] = [
    ['a missing capture', () => ['read', join(tmp.path, 'missing.pcap'), '--db', tmp.name('m.db')], [2]],
    ['an empty capture', () => ['read', tmp.file('empty.pcap', ''), '--db', tmp.name('e.db')], [2]],
    ['a text file as the capture', () => ['read', tmp.file('notes.pcap', 'hello, not a capture\n'), '--db', tmp.name('t.db')], [2]],
    ['a capture cut short', () => ['read', tmp.file('cut.pcap', estate.subarray(0, 5000)), '--db', tmp.name('c.db')], [2]],
    ['a broken gzip stream', () => ['read', tmp.file('broken.pcap.gz', Buffer.concat([gzipSync(estate).subarray(0, 3000), Buffer.alloc(100, 7)])), '--db', tmp.name('g.db')], [2]],
    ['an unknown link type', () => ['audit', tmp.file('lt9999.pcap', unknownLinkType()), '--site', SITE], [0]],
    ['a folder as the database', () => ['read', ESTATE, '--db', tmp.path], [2]],
    ['a text file as the database', () => ['read', ESTATE, '--db', tmp.file('not.db', 'plain text, not SQLite '.repeat(200))], [2]],
    ['a database in a missing folder', () => ['read', ESTATE, '--db', join(tmp.path, 'no/such/folder/x.db')], [2]],
    ['a database of a newer flowaudit', () => {
      const db = tmp.name('newer.db');
      cli(['read', ESTATE, '--db', db, '-q'], { env });
      execFileSync('sqlite3', [db, "UPDATE meta SET value = '99' WHERE key = 'schema_version'"]);
      return ['report', '--db', db, '--site', SITE];
    }, [2]],
    ['flows of a missing database', () => ['flows', '--db', join(tmp.path, 'nothing.db')], [2]],
    ['a --where that does not parse', () => ['flows', '--db', storedDb(), '--where', 'dport=='], [2]],
    ['report of a capture id not stored', () => ['report', '--db', storedDb(), '--site', SITE, '--capture', '99'], [2]],
    ['a missing site file', () => ['audit', ESTATE, '--site', join(tmp.path, 'nosite.yaml')], [2]],
    ['a folder as the site file', () => ['audit', ESTATE, '--site', tmp.path], [2]],
    ['a site file that is not YAML', () => ['audit', ESTATE, '--site', tmp.file('site.yaml', 'catalogs: [\n  roles: {{{\n')], [2]],
    ['a report to a folder', () => ['audit', ESTATE, '--site', SITE, '-o', tmp.path, '-q'], [2]],
    ['a report into a missing folder', () => ['audit', ESTATE, '--site', SITE, '-o', join(tmp.path, 'no/such/report.html'), '-q'], [2]],
    ['an unknown rule', () => ['rules', 'show', 'no.such-rule'], [2]],
    ['an unknown command', () => ['frobnicate'], [2]],
    ['an unknown option', () => ['read', ESTATE, '--db', tmp.name('o.db'), '--frob'], [2]],
    ['a capture on stdin that is not one', () => ['read', '-', '--db', tmp.name('s.db')], [2]],
  ];
  let stored = '';
  function storedDb(): string {
    if (!stored) {
      stored = tmp.name('stored.db');
      expect(cli(['read', ESTATE, '--db', stored, '-q'], { env }).status).toBe(0);
    }
    return stored;
  }

  it.each(cases)('%s', (_what, args, statuses) => {
    const a = args();
    const r = cli(a, { env, input: a.includes('-') ? Buffer.from('garbage on stdin') : undefined });
    expectCleanOutput(r, a.join(' '));
    expect(statuses, `exit ${r.status}: ${r.stderr}`).toContain(r.status);
    // Something on stderr says what went wrong (commander's usage errors read "error: ...").
    if (r.status !== 0) expect(lines(r.stderr).some((l) => /^(flowaudit|error): /.test(l)), r.stderr).toBe(true);
  });
});

describe('flows as a text table', () => {
  it('lays out 200,000 flows (a column is not spread into Math.max)', () => {
    const flow = { id: 1, proto: 17, src: '10.0.0.1', sport: 1, dst: '10.0.0.2', dport: 2, state: 'S0', origPackets: 1, respPackets: 0,
      origBytes: 60, respBytes: 0, start: 1_700_000_000, end: 1_700_000_000, classification: null } as unknown as StoredFlow;
    const table = flowsTable(Array.from({ length: 200_000 }, (_, k) => ({ ...flow, id: k + 1 })));
    expect(table.split('\n')).toHaveLength(200_002);
  });
});

describe.skipIf(!BUILT)('output into a pipe its reader closed early', () => {
  it('flows | head: quiet, exit 0, as a table and as JSON lines', () => {
    const db = tmp.name('many.db');
    expect(cli(['read', tmp.file('many.pcap', manyUdpFlows(20_000)), '--db', db, '-q', '--udp-timeout', '1'], { env }).status).toBe(0);
    for (const format of ['text', 'jsonl']) {
      const r = spawnSync('bash', ['-c', 'set -o pipefail; "$0" "$1" flows --db "$2" --format "$3" | head -c 100 > /dev/null', process.execPath, BIN, db, format],
        { env, encoding: 'utf8', timeout: 30_000 });
      expectCleanOutput({ status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr }, `flows --format ${format} | head`);
      expect(r.status, `${format}: ${r.stderr}`).toBe(0);
      expect(r.stderr).toBe('');
    }
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
