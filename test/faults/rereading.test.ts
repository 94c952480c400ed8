/**
 * Re-reading adds nothing, for standard input too: a stream is hashed as it is read, and one
 * whose sha256 is stored already (read before from stdin, gzipped or not, or as a file) is
 * removed again at its end and reported as already stored. With --no-hash a stream cannot be
 * recognised and is stored each time, as docs/contracts.md says.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { TempDir } from '../helpers/capture-files.js';
import { BUILT, ESTATE, NOT_BUILT_MESSAGE, cli, cliEnv, dbState, expectCleanOutput, lines, startCli } from './fault-kit.js';

if (!BUILT) console.warn(NOT_BUILT_MESSAGE);

describe.skipIf(!BUILT)('re-reading standard input', () => {
  const tmp = new TempDir('flowaudit-reread-');
  const env = cliEnv(join(tmp.path, 'state'));
  afterAll(() => tmp.cleanup());
  const bytes = readFileSync(ESTATE);
  const stored = (capture: number) => `-: already stored (same sha256, capture #${capture}); nothing added`;

  it('the same stream twice, then gzipped, then the file itself: stored once', () => {
    const db = tmp.name('stdin.db');
    const first = cli(['read', '-', '--db', db], { env, input: bytes });
    expect(first.status, first.stderr).toBe(0);
    expect(lines(first.stderr)).toEqual(['-: pcap, 361 packets, 51 flows, complete']);
    for (const input of [bytes, gzipSync(bytes)]) {
      const again = cli(['read', '-', '--db', db], { env, input });
      expectCleanOutput(again, 'read - again');
      expect(again.status, again.stderr).toBe(0);
      expect(lines(again.stderr)).toEqual([stored(1)]);
    }
    const file = cli(['read', ESTATE, '--db', db], { env });
    expect(lines(file.stderr)).toEqual([`${ESTATE}: already stored (same sha256, capture #1); nothing added`]);
    const s = dbState(db)!;
    expect(s.captures).toMatchObject([{ id: 1, source: '-', status: 'complete' }]);
    expect(s.flows).toBe(51);
    expect(s.integrity).toBe('ok');
  });

  it('the file first, then the same bytes on stdin', () => {
    const db = tmp.name('file-first.db');
    expect(cli(['read', ESTATE, '--db', db], { env }).status).toBe(0);
    const r = cli(['read', '-', '--db', db], { env, input: bytes });
    expect(r.status, r.stderr).toBe(0);
    expect(lines(r.stderr)).toEqual([stored(1)]);
    expect(dbState(db)!.flows).toBe(51);
    // And audit: the report covers the stored capture.
    const a = cli(['audit', '-', '--db', db, '--site', join(ESTATE, '..', 'site.yaml'), '--format', 'json', '-q'], { env, input: bytes });
    expect(a.status, a.stderr).toBe(0);
    expect((JSON.parse(a.stdout) as { summary: { captures: { id: number }[] } }).summary.captures.map((c) => c.id)).toEqual([1]);
    expect(dbState(db)!.flows).toBe(51);
  });

  it('two streams of the same bytes at once: one is kept', async () => {
    const db = tmp.name('together.db');
    const runs = [0, 1].map(() => startCli(['read', '-', '--db', db], { env, stdin: bytes }));
    const results = await Promise.all(runs.map((r) => r.ended));
    for (const r of results) expect(r.status, r.stderr).toBe(0);
    const s = dbState(db)!;
    expect(s.captures).toHaveLength(1);
    expect(results.map((r) => lines(r.stderr).join('\n')).sort()).toEqual([stored(s.captures[0]!.id), '-: pcap, 361 packets, 51 flows, complete'].sort());
    expect(s.flows).toBe(51);
  });

  it('--no-hash: a stream is stored each time', () => {
    const db = tmp.name('nohash.db');
    for (let i = 0; i < 2; i++) expect(cli(['read', '-', '--db', db, '--no-hash'], { env, input: bytes }).status).toBe(0);
    expect(dbState(db)!.flows).toBe(102);
  });
});
