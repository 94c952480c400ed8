/**
 * The compiled CLI (`node bin/flowaudit`, built by `npm run build` before vitest runs in
 * `npm test`): `read` exit codes and messages for good, damaged and missing inputs, and the
 * `flows` output contract in json, jsonl and csv, with the --host / --port / --proto filters.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ethernet, icmpEcho, ipPacket, pcapFile } from '../../fixtures/lib/packet-builder.js';
import { PROJECT_ROOT } from '../helpers/corpus.js';
import { TempDir } from '../helpers/capture-files.js';
import { Script, T0, TcpScript, udpFrameAt } from '../helpers/flow-script.js';

const BIN = join(PROJECT_ROOT, 'bin/flowaudit');
const BUILT = existsSync(join(PROJECT_ROOT, 'dist/src/cli/main.js'));
if (!BUILT) console.warn('dist/ not built: CLI tests skipped (run `npm run build`, as `npm test` does)');

const tmp = new TempDir();
afterAll(() => tmp.cleanup());

function run(args: string[], input?: Buffer): SpawnSyncReturns<string> & { lines: string[] } {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: PROJECT_ROOT, encoding: 'utf8', timeout: 10_000, input, env: { ...process.env, FORCE_COLOR: '0' },
  });
  if (r.error && (r.error as NodeJS.ErrnoException).code === 'ETIMEDOUT') {
    throw new Error(`flowaudit ${args.join(' ')} did not exit within 10 s (killed); stderr: ${r.stderr}`);
  }
  return Object.assign(r, { lines: r.stderr.split('\n').filter(Boolean) });
}

function sampleCapture(): Buffer {
  const tcp = new TcpScript('192.168.1.10', 51000, '10.0.0.80', 445).handshake().c('PA', 'x'.repeat(100)).s('PA', 'y'.repeat(200)).c('FA').s('FA').c('A');
  const dns = new Script().at(T0 + 1).frame(udpFrameAt('192.168.1.10', 40000, '10.0.0.53', 53, 'query')).frame(udpFrameAt('10.0.0.53', 53, '192.168.1.10', 40000, 'answer'));
  const ping = new Script().at(T0 + 2)
    .frame(ethernet(ipPacket('192.168.1.10', '10.0.0.80', 1, icmpEcho(8, 7, 1)), 0x0800))
    .frame(ethernet(ipPacket('10.0.0.80', '192.168.1.10', 1, icmpEcho(0, 7, 1)), 0x0800));
  const v6 = new TcpScript('2001:db8::10', 50000, '2001:db8::80', 443).at(T0 + 3).handshake();
  return pcapFile([...tcp.records, ...dns.records, ...ping.records, ...v6.records]);
}

const CONTRACT = ['proto', 'src', 'sport', 'dst', 'dport', 'origPackets', 'respPackets', 'origBytes', 'respBytes',
  'origIpBytes', 'respIpBytes', 'start', 'end', 'state', 'history', 'communityId', 'rule', 'capture'];

describe.skipIf(!BUILT)('flowaudit read and flows', () => {
  let capture = '';
  let db = '';
  let readResult: ReturnType<typeof run>;

  beforeAll(() => {
    capture = tmp.file('sample.pcap', sampleCapture());
    db = tmp.name('cli.db');
    readResult = run(['read', capture, '--db', db]);
  });

  it('read: exit 0 and a one-line summary per capture', () => {
    expect(readResult.status, readResult.stderr).toBe(0);
    expect(readResult.lines).toEqual([`${capture}: pcap, ${8 + 2 + 2 + 3} packets, 4 flows, complete`]);
  });

  it('flows --format json: an array of objects with every contract field, originator -> responder', () => {
    const r = run(['flows', '--db', db, '--format', 'json']);
    expect(r.status, r.stderr).toBe(0);
    const flows = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(flows).toHaveLength(4);
    for (const f of flows) for (const k of CONTRACT) expect(f, `field ${k}`).toHaveProperty(k);
    const tcp = flows.find((f) => f.proto === 'tcp' && f.dport === 445)!;
    expect(tcp).toMatchObject({
      src: '192.168.1.10', sport: 51000, dst: '10.0.0.80', dport: 445, origPackets: 5, respPackets: 3,
      origIpBytes: 40 * 4 + 140, respIpBytes: 40 * 2 + 240, state: 'SF', history: 'ShADdFf', rule: null, capture,
    });
    expect(tcp.origBytes).toBe(60 * 4 + 154);
    expect(tcp.respBytes).toBe(60 * 2 + 254);
    expect(tcp.start).toBe(T0);
    expect(typeof tcp.end).toBe('number');
    expect(tcp.communityId).toMatch(/^1:[A-Za-z0-9+/]{27}=$/);
    expect(flows.find((f) => f.proto === 'udp')).toMatchObject({ src: '192.168.1.10', sport: 40000, dst: '10.0.0.53', dport: 53, state: 'SF' });
    expect(flows.find((f) => f.proto === 'icmp')).toMatchObject({ src: '192.168.1.10', sport: 8, dst: '10.0.0.80', dport: 0, origPackets: 1, respPackets: 1 });
    expect(flows.find((f) => f.dport === 443)).toMatchObject({ proto: 'tcp', src: '2001:db8::10', dst: '2001:db8::80', state: 'S1' });
  });

  it('flows --format jsonl: one JSON object per line, the same objects as json', () => {
    const json = JSON.parse(run(['flows', '--db', db, '--format', 'json']).stdout) as unknown[];
    const r = run(['flows', '--db', db, '--format', 'jsonl']);
    expect(r.status).toBe(0);
    const lines = r.stdout.split('\n').filter(Boolean);
    expect(lines).toHaveLength(4);
    expect(lines.map((l) => JSON.parse(l))).toEqual(json);
  });

  it('flows --format csv: a header with the contract columns, one row per flow with the same values', () => {
    const json = JSON.parse(run(['flows', '--db', db, '--format', 'json']).stdout) as Record<string, unknown>[];
    const r = run(['flows', '--db', db, '--format', 'csv']);
    expect(r.status).toBe(0);
    const [head, ...rows] = r.stdout.trim().split('\n');
    const cols = head!.split(',');
    for (const k of CONTRACT) expect(cols).toContain(k);
    expect(rows).toHaveLength(4);
    rows.forEach((row, i) => {
      // No field of this sample needs quoting (paths and histories have no comma or quote).
      const cells = row.split(',');
      expect(cells).toHaveLength(cols.length);
      for (const k of CONTRACT) {
        const v = json[i]![k];
        expect(cells[cols.indexOf(k)], `${k} of row ${i}`).toBe(v === null ? '' : String(v));
      }
    });
  });

  it('filters: --host, --port, --proto, and together', () => {
    const count = (...extra: string[]) => (JSON.parse(run(['flows', '--db', db, '--format', 'json', ...extra]).stdout) as unknown[]).length;
    expect(count('--host', '10.0.0.53')).toBe(1);
    expect(count('--host', '192.168.1.10')).toBe(3);
    expect(count('--port', '445')).toBe(1);
    expect(count('--port', '40000')).toBe(1);
    expect(count('--proto', 'tcp')).toBe(2);
    expect(count('--proto', 'udp')).toBe(1);
    expect(count('--proto', 'icmp')).toBe(1);
    expect(count('--host', '192.168.1.10', '--proto', 'tcp')).toBe(1);
    expect(count('--host', '2001:db8::80')).toBe(1);
    expect(count('--host', '10.9.9.9')).toBe(0);
  });

  it('--where: or, not and a CIDR select flows; --limit caps them', () => {
    const ids = (...extra: string[]) => (JSON.parse(run(['flows', '--db', db, '--format', 'json', ...extra]).stdout) as { dport: number }[]).map((f) => f.dport);
    expect(ids('--where', 'dport=445 or dport=53')).toEqual([445, 53]);
    expect(ids('--where', 'not proto=tcp')).toEqual([53, 0]);
    expect(ids('--where', 'src=192.168.0.0/16 and not (dport=53 or proto=icmp)')).toEqual([445]);
    expect(ids('--where', 'dst=10.0.0.0/24')).toEqual([445, 53, 0]);
    expect(ids('--limit', '2')).toEqual([445, 53]);
  });

  it('a broken --where, or a --port, --capture or --limit that is not a number: exit 2, one message, nothing printed', () => {
    const bad: [string[], RegExp][] = [
      [['--where', 'state=SF and'], /^flowaudit: --where: at column 13: expected a field name after 'and'/],
      [['--where', 'dport=445 and state='], /^flowaudit: --where: at column 21: expected a value after '='$/],
      [['--port', 'abc'], /'abc' is not a port number \(0-65535\)/],
      [['--port', '70000'], /'70000' is not a port number/],
      [['--capture', 'abc'], /'abc' is not a whole number/],
      [['--capture', '99'], /no capture with id 99 \(stored: 1\)/],
      [['--limit', 'abc'], /'abc' is not a whole number/],
      [['--limit', '0'], /'0' is not a whole number of at least 1/],
    ];
    for (const [args, message] of bad) {
      const r = run(['flows', '--db', db, ...args]);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.lines[0], args.join(' ')).toMatch(message);
      expect(r.stdout, args.join(' ')).toBe('');
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('reading the same file again adds nothing and says so', () => {
    const r = run(['read', capture, '--db', db]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('already stored');
    expect((JSON.parse(run(['flows', '--db', db, '--format', 'json']).stdout) as unknown[]).length).toBe(4);
  });

  it('reads a capture from stdin with "-"', () => {
    const db2 = tmp.name('stdin.db');
    const r = run(['read', '-', '--db', db2, '-q'], readFileSync(capture));
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const flows = JSON.parse(run(['flows', '--db', db2, '--format', 'json']).stdout) as Record<string, unknown>[];
    expect(flows).toHaveLength(4);
    expect(flows.every((f) => f.capture === '-')).toBe(true);
  });
});

describe.skipIf(!BUILT)('flowaudit read: bad inputs', () => {
  function damagedCapture(): { bytes: Buffer; offset: number } {
    const good = sampleCapture();
    const rec = Buffer.from(good.subarray(24, 24 + 16 + 60));
    rec.writeUInt32LE(0x7ffffff0, 8);
    return { bytes: Buffer.concat([good, rec]), offset: good.length };
  }

  function expectNoStack(stderr: string): void {
    expect(stderr).not.toMatch(/^\s+at /m);
    expect(stderr).not.toMatch(/internal error/);
  }

  it('a damaged file: exit 2, one stderr line naming the file and the byte offset, no stack trace', () => {
    const { bytes, offset } = damagedCapture();
    const path = tmp.file('damaged.pcap', bytes);
    const db = tmp.name('dmg.db');
    const r = run(['read', path, '--db', db, '-q']);
    expect(r.status).toBe(2);
    expect(r.lines).toHaveLength(1);
    expect(r.lines[0]).toContain(path);
    expect(r.lines[0]).toContain(`byte ${offset}`);
    expectNoStack(r.stderr);
    const raw = new Database(db, { readonly: true });
    expect(raw.prepare('SELECT status, error FROM captures').all()).toEqual([{ status: 'partial', error: expect.stringContaining(`byte ${offset}`) }]);
    expect((raw.prepare('SELECT COUNT(*) AS n FROM flows').get() as { n: number }).n).toBe(4);
    raw.close();
  });

  it('a damaged file without -q: the same error line, plus the summary line', () => {
    const path = tmp.file('damaged2.pcap', damagedCapture().bytes);
    const r = run(['read', path, '--db', tmp.name('dmg2.db')]);
    expect(r.status).toBe(2);
    expect(r.lines.filter((l) => /byte \d+/.test(l))).toHaveLength(1);
    expect(r.lines.filter((l) => l.includes(path)).length).toBeGreaterThanOrEqual(1);
    expectNoStack(r.stderr);
  });

  it('a nonexistent file: exit 2 and a clear message', () => {
    const path = join(tmp.path, 'no-such-file.pcap');
    const r = run(['read', path, '--db', tmp.name('none.db')]);
    expect(r.status).toBe(2);
    expect(r.lines).toEqual([`flowaudit: ${path}: no such file`]);
  });

  it('a file that is not a capture: exit 2, message naming it and byte 0', () => {
    const path = tmp.file('notes.txt', 'these are not packets\n');
    const r = run(['read', path, '--db', tmp.name('txt.db'), '-q']);
    expect(r.status).toBe(2);
    expect(r.lines).toHaveLength(1);
    expect(r.lines[0]).toMatch(new RegExp(`${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: byte 0: not a pcap or pcapng file`));
    expectNoStack(r.stderr);
  });

  it('a gzip file cut short: exit 2 with a message naming the file, no internal error', () => {
    // One capture with many records (so that the cut falls inside the records, not at a damaged header).
    const recs = Array.from({ length: 3000 }, (_, i) => ({ ts: T0 + i, data: udpFrameAt('10.0.0.1', 1000 + (i % 4000), '10.0.0.2', 514, `message ${i * 7919}`) }));
    const whole = gzipSync(pcapFile(recs));
    const path = tmp.file('cut.pcap.gz', whole.subarray(0, Math.floor(whole.length / 2)));
    const r = run(['read', path, '--db', tmp.name('gz.db'), '-q']);
    expectNoStack(r.stderr);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(path);
  });

  it('flows on a database that does not exist: exit 2', () => {
    const r = run(['flows', '--db', join(tmp.path, 'nope.db')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/no such database/);
  });

  it('a bad timeout value is a usage error (exit 2)', () => {
    const r = run(['read', tmp.file('t.pcap', sampleCapture()), '--db', tmp.name('t.db'), '--udp-timeout', '-5']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/udp-timeout/);
  });
});
