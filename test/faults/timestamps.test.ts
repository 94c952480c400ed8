/**
 * Packet times a capture cannot hold (a pcapng EPB whose high word is 0xFFFFFFFF, the year 10000
 * or later, an if_tsoffset before 1970) are counted under the decode reason
 * 'timestamp-out-of-range' and not decoded; times that go back are counted under
 * 'timestamp-backwards' and decoded. No report format crashes or prints "NaN" on either, nor on
 * a database that already holds such a time.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fmtRange, fmtTime, fmtWindowProse, isoTime } from '../../src/audit/format.js';
import { TIME_MAX } from '../../src/capture/capture-reader.js';
import { NgWriter, TempDir, rawPcap, readAll } from '../helpers/capture-files.js';
import { T0, udpFrameAt } from '../helpers/flow-script.js';
import { renderReport, REPORT_FORMATS } from '../../src/report/index.js';
import { runPipeline } from '../helpers/run-pipeline.js';
import { BUILT, ESTATE, NOT_BUILT_MESSAGE, SITE, cli, cliEnv, expectCleanOutput, expectNoStackTrace, lines } from './fault-kit.js';

if (!BUILT) console.warn(NOT_BUILT_MESSAGE);

const tmp = new TempDir('flowaudit-times-');
afterAll(() => tmp.cleanup());
const env = cliEnv(join(tmp.path, 'state'));

const frame = (i: number) => Buffer.from(udpFrameAt(`10.1.0.${i}`, 40000 + i, '10.2.0.1', 514, 'x'));
const US = BigInt(T0) * 1_000_000n;

/** Three packets; the second's timestamp is 0xFFFFFFFF in the high word (as the fuzzer found). */
function farFuture(): Buffer {
  const w = new NgWriter();
  return Buffer.concat([w.shb(), w.idb(1), w.epb(0, US, frame(1)), w.epb(0, 0xffffffff00000000n, frame(2)), w.epb(0, US + 1000n, frame(3))]);
}

describe('packet times out of range or out of order (reader)', () => {
  it('an EPB timestamp of 2^64 units is counted and dropped; the others are read', async () => {
    const { summary, packets } = await readAll(tmp.file('future.pcapng', farFuture()));
    expect(summary).toMatchObject({ packets: 3, timeOutOfRange: 1, timeBackwards: 0, error: null, firstTs: T0, lastTs: T0 + 0.001 });
    expect(packets.map((p) => p.ts)).toEqual([T0, T0 + 0.001]);
  });

  it('the year 10000 and later, and only such packets: no first or last time', async () => {
    const w = new NgWriter();
    const atMax = BigInt(TIME_MAX) * 1_000_000n;
    const bytes = Buffer.concat([w.shb(), w.idb(1), w.epb(0, atMax, frame(1)), w.epb(0, atMax + 1n, frame(2)), w.epb(0, 0xffffffffffffffffn, frame(3))]);
    const { summary, packets } = await readAll(tmp.file('year-10000.pcapng', bytes));
    expect(summary).toMatchObject({ packets: 3, timeOutOfRange: 3, firstTs: null, lastTs: null, error: null });
    expect(packets).toEqual([]);
    // Just before: read, and printable.
    const before = await readAll(tmp.file('year-9999.pcapng', Buffer.concat([w.shb(), w.idb(1), w.epb(0, atMax - 1_000_000n, frame(1))])));
    expect(before.summary.timeOutOfRange).toBe(0);
    expect(fmtTime(before.summary.firstTs)).toBe('9999-12-31 23:59:59 UTC');
  });

  it('classic pcap seconds are unsigned and all in range (up to 2106)', async () => {
    const { summary } = await readAll(tmp.file('2106.pcap', rawPcap([{ sec: 0xffffffff, frac: 999999, data: frame(1) }])));
    expect(summary).toMatchObject({ packets: 1, timeOutOfRange: 0, firstTs: 4294967295.999999 });
  });

  it('an if_tsoffset before 1970 puts the interface\'s packets out of range', async () => {
    const w = new NgWriter();
    const bytes = Buffer.concat([w.shb(), w.idb(1, 0, { tsoffset: BigInt.asUintN(64, -(10n ** 10n)) }), w.epb(0, US, frame(1))]);
    const { summary } = await readAll(tmp.file('before-1970.pcapng', bytes));
    expect(summary).toMatchObject({ packets: 1, timeOutOfRange: 1, firstTs: null });
  });

  it('times that go back are counted once per packet earlier than one before it, and kept', async () => {
    const recs = [0, 5, 3, 4, 5, 6, 1].map((s, i) => ({ sec: T0 + s, frac: 0, data: frame(i + 1) }));
    const { summary, packets } = await readAll(tmp.file('back.pcap', rawPcap(recs)));
    expect(summary).toMatchObject({ packets: 7, timeOutOfRange: 0, timeBackwards: 3, firstTs: T0, lastTs: T0 + 6 });
    expect(packets).toHaveLength(7);
  });
});

describe('time formatting never fails', () => {
  it('prints "invalid time" for a number no date can hold, a date for the rest', () => {
    for (const bad of [1.8e13, -1e13, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(fmtTime(bad)).toBe('invalid time');
      expect(isoTime(bad)).toBe('invalid time');
      expect(fmtRange(T0, bad)).toBe('2023-11-14 22:13:20 UTC – invalid time');
      expect(fmtWindowProse(bad, T0)).toBe('between invalid time and 2023-11-14 22:13:20 UTC');
    }
    expect(fmtTime(null)).toBe('-');
    expect(isoTime(undefined)).toBe('');
    expect(fmtTime(T0)).toBe('2023-11-14 22:13:20 UTC');
  });
});

const NAN = /NaN-|NaN:|Invalid (time|Date)/;

describe('reports of such captures', () => {
  it('every format renders, without NaN, from a capture with a time out of range', async () => {
    const { result } = await runPipeline(SITE, [tmp.file('future.pcapng', farFuture())]);
    expect(result.summary.captures[0]).toMatchObject({ firstTs: T0, lastTs: T0 + 0.001 });
    for (const format of REPORT_FORMATS) {
      const text = renderReport(result, format, { color: false });
      expectNoStackTrace(text, format);
      expect(text, format).not.toMatch(NAN);
    }
  });

  it('every format renders findings whose time no date can hold (a database written before the check)', async () => {
    const { result } = await runPipeline(SITE, [ESTATE]);
    const bad = 18446744073709.55;
    const broken = { ...result, summary: { ...result.summary, captures: result.summary.captures.map((c) => ({ ...c, lastTs: bad })) },
      unexpected: result.unexpected.map((u, i) => (i === 0 ? { ...u, start: bad, end: bad } : u)) } as typeof result;
    for (const format of REPORT_FORMATS) {
      const text = renderReport(broken, format, { color: false });
      expectNoStackTrace(text, format);
      expect(text, format).not.toMatch(NAN);
    }
  });
});

describe.skipIf(!BUILT)('reports of such captures (CLI)', () => {
  it('audit --format csv (which crashed): the reason on stderr, a report', () => {
    const capture = tmp.file('future.pcapng', farFuture());
    const r = cli(['audit', capture, '--site', SITE, '--format', 'csv'], { env });
    expectCleanOutput(r, 'audit --format csv');
    expect(r.status, r.stderr).toBe(0);
    expect(lines(r.stderr)).toEqual([`${capture}: pcapng, 3 packets, 2 flows, complete; not decoded: timestamp-out-of-range 1`]);
    expect(r.stdout).not.toMatch(NAN);
  });

  it('read stores both reasons with the capture, and names packets out of time order as decoded', () => {
    const w = new NgWriter();
    const epbs = [0n, 5n, 3n].map((s, i) => w.epb(0, US + s * 1_000_000n, frame(i + 1)));
    const capture = tmp.file('back.pcapng', Buffer.concat([w.shb(), w.idb(1), ...epbs, w.epb(0, 0xffffffff00000000n, frame(9))]));
    const db = tmp.name('back.db');
    const r = cli(['read', capture, '--db', db], { env });
    expect(r.status, r.stderr).toBe(0);
    expect(lines(r.stderr)).toEqual([`${capture}: pcapng, 4 packets, 3 flows, complete; not decoded: timestamp-out-of-range 1; timestamp-backwards 1 (decoded, out of time order)`]);
    const stored = JSON.parse(execFileSync('sqlite3', [db, 'SELECT decode_errors FROM captures'], { encoding: 'utf8' })) as Record<string, number>;
    expect(stored).toEqual({ 'timestamp-out-of-range': 1, 'timestamp-backwards': 1 });
  });

  it('report --format html and flows of a database that already holds a time out of range', () => {
    const db = tmp.name('old.db');
    expect(cli(['read', ESTATE, '--db', db, '--site', SITE, '-q'], { env }).status).toBe(0);
    execFileSync('sqlite3', [db, 'UPDATE flow_data SET start = 18446744073709.55, end = 18446744073709.6 WHERE id <= 3; UPDATE captures SET last_ts = 18446744073709.6;']);
    const r = cli(['report', '--db', db, '--site', SITE, '--format', 'html'], { env });
    expectCleanOutput(r, 'report --format html');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(NAN);
    const f = cli(['flows', '--db', db], { env });
    expect(f.status, f.stderr).toBe(0);
    expect(f.stdout).toContain('invalid time');
  });
});
