/**
 * The parallel ingest (`--threads N`, src/pipeline/ingest-parallel.ts) must store what the
 * single pipeline stores: the same flows with the same counters, states, end reasons and
 * classifications (flow numbers aside: the workers interleave theirs, so references to a
 * parent flow are compared by that flow's identity), the same capture rows and the same unused
 * announcements. Through the compiled CLI (the workers are compiled scripts); skipped with a
 * message when dist/ or ../shared/corpus is missing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { CORPUS, HAVE_CORPUS, manifest, NO_CORPUS_MESSAGE, PROJECT_ROOT } from '../helpers/corpus.js';
import { FIXTURE_CASES } from '../helpers/run-pipeline.js';

const BUILT = existsSync(join(PROJECT_ROOT, 'dist/src/pipeline/ingest-worker.js'));
if (!BUILT) console.warn('dist/ not built: parallel ingest tests skipped (run npm run build)');
if (!HAVE_CORPUS) console.warn(NO_CORPUS_MESSAGE);

const dir = mkdtempSync(join(tmpdir(), 'fa-parallel-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

function read(files: string[], threads: number, extra: string[] = []): { db: string; status: number | null; stderr: string } {
  const db = join(dir, `${n++}.db`);
  const r = spawnSync(process.execPath, [join(PROJECT_ROOT, 'bin/flowaudit'), 'read', ...files, '--db', db, '-q', '--threads', String(threads), ...extra], {
    cwd: PROJECT_ROOT, encoding: 'utf8', timeout: 300_000,
  });
  return { db, status: r.status, stderr: r.stderr };
}

type Row = Record<string, unknown>;

/** Everything stored, with flow numbers replaced by the identity of the flow they name. */
function stored(db: string) {
  const d = new Database(db, { readonly: true });
  try {
    const flows = d.prepare('SELECT * FROM flows').all() as Row[];
    const identity = new Map(flows.map((f) => [f.id as number, `${f.community_id} ${f.start} ${f.src}:${f.sport}`]));
    const named = (text: unknown) => (typeof text === 'string' ? text.replace(/flow #(\d+)/g, (_, id: string) => `flow <${identity.get(Number(id)) ?? `missing ${id}`}>`) : text);
    const normal = flows.map(({ id: _id, exp_parent, evidence, exp_evidence, ...rest }) => JSON.stringify({
      ...rest, exp_parent: exp_parent === null ? null : identity.get(exp_parent as number) ?? `missing ${exp_parent}`,
      evidence: named(evidence), exp_evidence: named(exp_evidence),
    })).sort();
    const captures = (d.prepare('SELECT source, format, link_types, first_ts, last_ts, packets, bytes, drops, if_drops, sha256, fingerprint, size, status, error, decode_errors FROM captures ORDER BY id').all() as Row[]);
    const unused = (d.prepare('SELECT kind, client, server, proto, ports, parent_flow, rule, evidence, ts FROM unused_expectations').all() as Row[])
      .map(({ parent_flow, evidence, ...rest }) => JSON.stringify({ ...rest, parent_flow: identity.get(parent_flow as number) ?? `missing ${parent_flow}`, evidence: named(evidence) }))
      .sort();
    return { flows: normal, captures, unused, ids: [...identity.keys()] };
  } finally {
    d.close();
  }
}

describe.skipIf(!BUILT)('parallel ingest stores what the single pipeline stores', () => {
  for (const [name, site, caps] of FIXTURE_CASES) {
    it(`${name} with its site file: same flows and classifications with 1 and 3 threads`, () => {
      const one = read([...caps], 1, ['--site', site]);
      const three = read([...caps], 3, ['--site', site]);
      expect([one.status, three.status, three.stderr]).toEqual([0, 0, '']);
      const a = stored(one.db);
      const b = stored(three.db);
      expect(a.flows.length).toBeGreaterThan(5);
      expect(b.flows).toEqual(a.flows);
      expect(b.captures).toEqual(a.captures);
      expect(b.unused).toEqual(a.unused);
      // Interleaved numbers: unique, and not one of them reused from another capture's range.
      expect(new Set(b.ids).size).toBe(b.ids.length);
    });
  }

  it.skipIf(!HAVE_CORPUS)('every corpus capture in one run (damaged ones included): same flows, captures and announcements', () => {
    const files = manifest().map((m) => join(CORPUS, m.path));
    expect(files.length).toBeGreaterThan(250);
    const one = read(files, 1);
    const two = read(files, 2);
    // Damaged captures make the run partial (exit 2) either way.
    expect(two.status).toBe(one.status);
    const a = stored(one.db);
    const b = stored(two.db);
    console.log(`parallel ingest: ${a.flows.length} flows from ${a.captures.length} corpus captures compared`);
    expect(a.flows.length).toBeGreaterThan(3000);
    expect(b.captures).toEqual(a.captures);
    expect(b.flows).toEqual(a.flows);
    expect(b.unused).toEqual(a.unused);
  });

  it('re-reading with threads adds nothing; a missing file stops it before anything is written; a stream or an in-memory database reads in one thread', () => {
    const caps = ['fixtures/example/estate.pcap'];
    const first = read(caps, 2);
    const db = first.db;
    const again = spawnSync(process.execPath, [join(PROJECT_ROOT, 'bin/flowaudit'), 'read', ...caps, '--db', db, '--threads', '2'], { cwd: PROJECT_ROOT, encoding: 'utf8' });
    expect(again.status).toBe(0);
    expect(again.stderr).toContain('already stored');
    expect(stored(db).flows.length).toBe(stored(first.db).flows.length);
    const mem = spawnSync(process.execPath, [join(PROJECT_ROOT, 'bin/flowaudit'), 'read', ...caps, '--db', ':memory:', '--threads', '2'], { cwd: PROJECT_ROOT, encoding: 'utf8' });
    expect(mem.status).toBe(0);
    expect(mem.stderr).toContain('--threads needs capture files and a database file; reading in one thread');
    const missing = read([...caps, join(dir, 'no-such.pcap')], 2);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('no-such.pcap: no such file');
    expect(stored(missing.db).captures).toEqual([]); // checked before any capture row is written
    const bad = spawnSync(process.execPath, [join(PROJECT_ROOT, 'bin/flowaudit'), 'read', ...caps, '--db', join(dir, 'x.db'), '--threads', '0'], { cwd: PROJECT_ROOT, encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--threads must be a whole number from 1 to 64');
  });
});
