/**
 * Many sensors, one verdict: a generated enterprise capture cut by host pair into 2 and 4 parts
 * (bench/split-by-host-pair.ts: no conversation is cut), each part read by a sensor of its own,
 * all at once, into one database — the estate report finds what one read of the whole file
 * finds (bench/report-equivalence.ts: the same findings, whichever ids and files they came
 * from). Through SQLite, and through PostgreSQL when the tests have a server.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstDifference, verdictOf } from '../../bench/report-equivalence.js';
import { splitByHostPair } from '../../bench/split-by-host-pair.js';
import { PROJECT_ROOT } from '../helpers/corpus.js';
import { freshPgDatabase, pgSkipReason } from '../helpers/postgres.js';

const run = promisify(execFile);
const BIN = join(PROJECT_ROOT, 'bin/flowaudit');
const SITE = join(PROJECT_ROOT, 'bench/bench-site.yaml');
const GEN = resolve(PROJECT_ROOT, process.env.FLOWAUDIT_SHARED ?? '../shared', 'bench/gen-pcap.py');
const TCPDUMP = ['/usr/bin/tcpdump', '/usr/sbin/tcpdump'].some((p) => existsSync(p));
const SKIP = !existsSync(GEN) ? `${GEN} not found (../shared is absent): the estate split test needs its capture generator`
  : !TCPDUMP ? 'tcpdump is not installed (it cuts the capture)' : '';
const PG_SKIP = pgSkipReason();

interface Report { summary: { counts: Record<string, number>; flows: Record<string, number> } }

describe.skipIf(SKIP !== '')(`an estate of sensors cut by host pair${SKIP ? ` (skipped: ${SKIP})` : ''}`, () => {
  let dir = '';
  let whole = '';
  let wholeReport: Report;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fa-estate-split-'));
    whole = join(dir, 'estate.pcap');
    execFileSync('python3', [GEN, '--packets', '120000', '--seed', '7', '--out', whole], { stdio: 'pipe' });
    const db = join(dir, 'whole.db');
    await run(BIN, ['read', whole, '--db', db, '--site', SITE, '-q']);
    wholeReport = await report(db);
    // The capture exercises what an estate can get wrong: windows, announcements, findings.
    expect(wholeReport.summary.counts.windowOnly).toBeGreaterThan(0);
    expect(wholeReport.summary.counts.unexpected).toBeGreaterThan(100);
  });
  afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

  async function report(db: string): Promise<Report> {
    const out = join(dir, `report-${Math.random().toString(36).slice(2)}.json`);
    await run(BIN, ['report', '--db', db, '--site', SITE, '--format', 'json', '-o', out, '-q']);
    return JSON.parse(readFileSync(out, 'utf8')) as Report;
  }

  /** Every part read at once, each by its own sensor, into `db`. */
  async function readAsSensors(parts: string[], db: string): Promise<void> {
    await Promise.all(parts.map((p, k) => run(BIN, ['read', p, '--db', db, '--site', SITE, '--sensor', `sensor-${k + 1}`, '-q'])));
  }

  it('a control connection one sensor saw opens the window a connection another sensor saw uses: the estate is classified as one', async () => {
    // The Altiris client's control connections (TCP 402) pass one tap, everything else another
    // (asymmetric routing): the file transfers on dynamic ports that follow them are explained
    // only by a window the other sensor saw open.
    const control = join(dir, 'control-402.pcap');
    const rest = join(dir, 'rest.pcap');
    const asRoot = process.getuid?.() === 0 ? ['-Z', 'root'] : [];
    execFileSync('tcpdump', [...asRoot, '-r', whole, '-w', control, 'tcp port 402 or (vlan and tcp port 402)'], { stdio: 'ignore' });
    execFileSync('tcpdump', [...asRoot, '-r', whole, '-w', rest, 'not (tcp port 402 or (vlan and tcp port 402))'], { stdio: 'ignore' });
    const estate = join(dir, 'asymmetric.db');
    await run(BIN, ['read', control, '--db', estate, '--site', SITE, '--sensor', 'hq', '-q']);
    await run(BIN, ['read', rest, '--db', estate, '--site', SITE, '--sensor', 'branch', '-q']);
    const joint = await report(estate);
    expect(joint.summary.counts).toEqual(wholeReport.summary.counts);
    expect(firstDifference(verdictOf(joint), verdictOf(wholeReport))).toBeNull();
    // The same two captures as one sensor's are classified capture by capture: the transfers
    // are unexpected there, which is what the joint pass corrects.
    const apart = join(dir, 'one-sensor.db');
    await run(BIN, ['read', control, '--db', apart, '--site', SITE, '--sensor', 'hq', '-q']);
    await run(BIN, ['read', rest, '--db', apart, '--site', SITE, '--sensor', 'hq', '-q']);
    const split = await report(apart);
    expect(split.summary.counts.unexpected).toBeGreaterThan(wholeReport.summary.counts.unexpected);
    expect(split.summary.counts.windowOnly).toBeLessThan(wholeReport.summary.counts.windowOnly);
  });

  const stores: [string, () => Promise<string>, string][] = [
    ['SQLite', async () => join(dir, `estate-${Math.random().toString(36).slice(2)}.db`), ''],
    ['PostgreSQL', () => freshPgDatabase('estate'), PG_SKIP],
  ];
  for (const [name, newDb, skip] of stores) {
    for (const n of [2, 4]) {
      it.skipIf(skip !== '')(`${n} sensors at once into ${name}: the estate report finds what one read of the whole file finds${skip ? ` (skipped: ${skip})` : ''}`, async () => {
        const parts = splitByHostPair(whole, join(dir, 'part'), n);
        const db = await newDb();
        await readAsSensors(parts, db);
        const estate = await report(db);
        // No conversation was cut, so no two sensors saw the same one.
        expect(estate.summary.flows).toEqual({ ...wholeReport.summary.flows, duplicates: 0 });
        expect(estate.summary.counts).toEqual(wholeReport.summary.counts);
        expect(firstDifference(verdictOf(estate), verdictOf(wholeReport))).toBeNull();
      });
    }
  }
});
