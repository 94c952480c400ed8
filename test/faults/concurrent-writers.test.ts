/**
 * Several `flowaudit read`s into one database at once (two and four processes): each completes,
 * every capture is stored whole, flow ids are unique across them (each run numbers its flows
 * from ranges it reserves), an announced connection's parentFlowId names the same parent flow
 * as in a run alone, and the database passes SQLite's integrity check. Processes reading the
 * same file wait for the one reading it, then find it stored.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSiteWithCatalogs } from '../../src/catalog/site-file.js';
import { createClassifier } from '../../src/classify/classifier.js';
import { ingest } from '../../src/pipeline/ingest.js';
import { openFlowStore } from '../../src/store/open-store.js';
import { PROJECT_ROOT } from '../helpers/corpus.js';
import { TempDir } from '../helpers/capture-files.js';
import {
  BUILT, NOT_BUILT_MESSAGE, cliEnv, dbState, expectCleanOutput, lines, manyUdpFlows, slowReadsPreload, startCli,
} from './fault-kit.js';

if (!BUILT) console.warn(NOT_BUILT_MESSAGE);

const FLOWS = 20_000;

describe.skipIf(!BUILT)('concurrent writers to one database', () => {
  const tmp = new TempDir('flowaudit-concurrent-');
  const env = cliEnv(join(tmp.path, 'state'));
  /** Four captures of different flows (the responder differs: 10.2.0.k). */
  const captures: string[] = [];
  let preload = '';
  afterAll(() => tmp.cleanup());

  beforeAll(() => {
    for (let k = 1; k <= 4; k++) {
      const bytes = manyUdpFlows(FLOWS);
      // Responder address 10.2.0.1 -> 10.2.0.k in every record (last byte of the IPv4 destination).
      const rec = (bytes.length - 24) / FLOWS;
      for (let i = 0; i < FLOWS; i++) bytes[24 + i * rec + 16 + 14 + 19] = k;
      captures.push(tmp.file(`flows-${k}.pcap`, bytes));
    }
    // Slower reads stretch each run over a few hundred milliseconds, so that their batches interleave.
    preload = slowReadsPreload(tmp.path, 30);
  });

  const read = (capture: string, db: string) => startCli(['read', capture, '--db', db, '--udp-timeout', '1'], { env, nodeArgs: ['--import', preload] });

  function expectWhole(db: string, sources: string[]): void {
    const s = dbState(db)!;
    expect(s.captures.map((c) => [c.source, c.status, c.packets]).sort()).toEqual(sources.map((src) => [src, 'complete', FLOWS]).sort());
    expect(s.flows).toBe(FLOWS * sources.length);
    expect(s.duplicateIds).toBe(0);
    expect(s.duplicateFlows).toBe(0);
    expect(s.integrity).toBe('ok');
    const d = new Database(db, { readonly: true });
    const perCapture = d.prepare('SELECT capture_id, COUNT(*) AS n FROM flow_data GROUP BY capture_id').all() as { n: number }[];
    d.close();
    expect(perCapture.map((r) => r.n)).toEqual(sources.map(() => FLOWS));
  }

  it.each([2, 4])('%i processes, each its own capture: all complete, ids unique', async (n) => {
    const db = tmp.name(`shared-${n}.db`);
    const runs = captures.slice(0, n).map((c) => read(c, db));
    const results = await Promise.all(runs.map((r) => r.ended));
    results.forEach((r, k) => {
      expectCleanOutput(r, `writer ${k}`);
      expect(r.status, r.stderr).toBe(0);
      expect(lines(r.stderr)).toEqual([`${captures[k]}: pcap, ${FLOWS} packets, ${FLOWS} flows, complete`]);
    });
    expectWhole(db, captures.slice(0, n));
  });

  it.each([2, 4])('%i processes, the same capture: one reads it, the others wait and find it stored', async (n) => {
    const db = tmp.name(`same-${n}.db`);
    const runs = Array.from({ length: n }, () => read(captures[0]!, db));
    const results = await Promise.all(runs.map((r) => r.ended));
    let readers = 0;
    for (const [k, r] of results.entries()) {
      expectCleanOutput(r, `writer ${k}`);
      expect(r.status, r.stderr).toBe(0);
      const l = lines(r.stderr);
      if (l.at(-1) === `${captures[0]}: pcap, ${FLOWS} packets, ${FLOWS} flows, complete`) {
        readers++;
        expect(l).toHaveLength(1);
      } else {
        expect(l.at(-1)).toMatch(new RegExp(`^${captures[0]}: already stored \\(same sha256, capture #1\\); nothing added$`));
        for (const w of l.slice(0, -1)) expect(w).toMatch(/^flowaudit: .* is being read into .* by another flowaudit \(pid \d+\); waiting for it to finish$/);
      }
    }
    expect(readers).toBe(1);
    expectWhole(db, [captures[0]!]);
  });

  it('four product fixtures read at once with their site files: the same flows and announced parents as each alone', async () => {
    const products = ['sccm-2007', 'altiris-ds-5.5', '1e-platform', 'dell-wdm'];
    const args = (p: string, db: string) => {
      const dir = join(PROJECT_ROOT, 'fixtures/products', p);
      return ['read', join(dir, 'clean.pcap'), join(dir, 'violations.pcap'), '--site', join(dir, 'site.yaml'), '--db', db];
    };
    const shared = tmp.name('products.db');
    const results = await Promise.all(products.map((p) => startCli(args(p, shared), { env, nodeArgs: ['--import', preload] }).ended));
    for (const r of results) {
      expectCleanOutput(r, 'product writer');
      expect(r.status, r.stderr).toBe(0);
    }
    const s = dbState(shared)!;
    expect(s.captures.every((c) => c.status === 'complete')).toBe(true);
    expect(s.duplicateIds).toBe(0);
    expect(s.integrity).toBe('ok');

    // Each flow, and the flow its announcement came from, by what they are (not by id).
    const relations = (db: string, product: string) => {
      const d = new Database(db, { readonly: true });
      try {
        return (d.prepare(`SELECT f.proto, f.src, f.sport, f.dst, f.dport, f.start, f.rule, f.match_how,
            p.src AS psrc, p.sport AS psport, p.dst AS pdst, p.dport AS pdport, p.start AS pstart, p.capture_id = f.capture_id OR pc.source LIKE ? AS same_run
          FROM flows f JOIN captures c ON c.id = f.capture_id LEFT JOIN flow_data p ON p.id = f.exp_parent LEFT JOIN captures pc ON pc.id = p.capture_id
          WHERE c.source LIKE ? ORDER BY f.start, f.src, f.sport, f.dst, f.dport, f.proto`)
          .all(`%/${product}/%`, `%/${product}/%`) as Record<string, unknown>[]);
      } finally {
        d.close();
      }
    };
    for (const p of products) {
      // The same read alone, in this process.
      const alone = tmp.name(`${p}-alone.db`);
      const dir = join(PROJECT_ROOT, 'fixtures/products', p);
      const { site, catalog } = loadSiteWithCatalogs(join(dir, 'site.yaml'));
      const store = openFlowStore(alone);
      try {
        await ingest([join(dir, 'clean.pcap'), join(dir, 'violations.pcap')].map((name) => ({ name })),
          { store, classifier: createClassifier(catalog, site), catalog, site });
      } finally {
        store.close();
      }
      const together = relations(shared, p);
      expect(together.length).toBeGreaterThan(0);
      expect(together, p).toEqual(relations(alone, p));
      for (const r of together) if (r.psrc !== null) expect(r.same_run, `${p}: parent of ${JSON.stringify(r)}`).toBe(1);
    }
  });
});
