/**
 * The compiled CLI against a PostgreSQL database (`--db postgresql://...`): the same flows
 * (`flows --format json`) as through a SQLite file for every fixture capture and every corpus
 * file, the same `audit --format json` for the example and the product fixtures; one-line
 * messages for a server out of reach, a missing database, a database without flowaudit's
 * tables; two `read` processes writing into one new database at once.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HAVE_CORPUS, NO_CORPUS_MESSAGE, corpusFile, manifest, PROJECT_ROOT } from '../helpers/corpus.js';
import { TempDir } from '../helpers/capture-files.js';
import { freshPgDatabase, pgServerUrl, pgSkipReason } from '../helpers/postgres.js';
import { validateReport } from '../helpers/report-validate.js';

const BIN = join(PROJECT_ROOT, 'bin/flowaudit');
const BUILT = existsSync(join(PROJECT_ROOT, 'dist/src/cli/main.js'));
const skip = !BUILT ? 'dist/ not built (run `npm run build`, as `npm test` does)' : pgSkipReason();

const tmp = new TempDir();
afterAll(() => tmp.cleanup());

interface Run { status: number | null; stdout: string; stderr: string }

/** The CLI, asynchronously: the two stores' runs go side by side. */
function run(args: string[], timeoutMs = 120_000): Promise<Run> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [BIN, ...args], { cwd: PROJECT_ROOT, env: { ...process.env, FORCE_COLOR: '0' } });
    let stdout = '';
    let stderr = '';
    p.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    p.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    const timer = setTimeout(() => { p.kill('SIGKILL'); reject(new Error(`flowaudit ${args.join(' ')}: no exit within ${timeoutMs} ms; ${stderr}`)); }, timeoutMs);
    p.on('error', reject);
    p.on('close', (status) => { clearTimeout(timer); resolve({ status, stdout, stderr }); });
  });
}

const FIXTURES = join(PROJECT_ROOT, 'fixtures');
const PRODUCTS = readdirSync(join(FIXTURES, 'products')).filter((p) => existsSync(join(FIXTURES, 'products', p, 'site.yaml'))).sort();
const fixtureCaptures = (): string[] => [
  join(FIXTURES, 'example/estate.pcap'),
  ...PRODUCTS.flatMap((p) => readdirSync(join(FIXTURES, 'products', p)).filter((f) => f.endsWith('.pcap')).sort().map((f) => join(FIXTURES, 'products', p, f))),
  ...readdirSync(join(FIXTURES, 'dcom')).filter((f) => f.endsWith('.pcap')).sort().map((f) => join(FIXTURES, 'dcom', f)),
];

/** `flows --format json` of a database, by capture (the capture's name says which differs). */
async function flowsByCapture(db: string): Promise<Map<string, unknown[]>> {
  const r = await run(['flows', '--db', db, '--format', 'json']);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  const out = new Map<string, unknown[]>();
  for (const f of JSON.parse(r.stdout) as { capture: string }[]) {
    if (!out.has(f.capture)) out.set(f.capture, []);
    out.get(f.capture)!.push(f);
  }
  return out;
}

/** Reads `files` into a SQLite file and a PostgreSQL database at once; their flows, by capture. */
async function readIntoBoth(files: string[], name: string): Promise<{ sqlite: Map<string, unknown[]>; pg: Map<string, unknown[]> }> {
  const file = tmp.name(`${name}.db`);
  const url = await freshPgDatabase(name);
  const [a, b] = await Promise.all([run(['read', '-q', ...files, '--db', file]), run(['read', '-q', ...files, '--db', url])]);
  // Damaged corpus files exit 2 with their message; both stores must say the same.
  expect(b.status).toBe(a.status);
  expect(b.stderr).toBe(a.stderr);
  const [sqlite, pg] = await Promise.all([flowsByCapture(file), flowsByCapture(url)]);
  return { sqlite, pg };
}

function expectSameFlows(both: { sqlite: Map<string, unknown[]>; pg: Map<string, unknown[]> }, files: string[]): void {
  expect([...both.pg.keys()]).toEqual([...both.sqlite.keys()]);
  for (const f of files) expect(both.pg.get(f) ?? [], f).toEqual(both.sqlite.get(f) ?? []);
}

/** An audit report with what differs by run (times, the database's location) taken out. */
function comparableReport(json: string, db: string): unknown {
  return JSON.parse(json, (k, v: unknown) => (/At$/.test(k) && typeof v === 'string' ? 'T' : v === db ? 'DB' : v));
}

describe.skipIf(skip !== '')(`the CLI with --db postgresql://...${skip ? ` (skipped: ${skip})` : ''}`, () => {
  it('lists the same flows as SQLite for every fixture capture', async () => {
    const files = fixtureCaptures();
    const both = await readIntoBoth(files, 'fixtures');
    expect(both.sqlite.size).toBeGreaterThan(20);
    expectSameFlows(both, files);
  });

  it.skipIf(!HAVE_CORPUS)(`lists the same flows as SQLite for every corpus file${HAVE_CORPUS ? '' : ` (skipped: ${NO_CORPUS_MESSAGE})`}`, async () => {
    const files = manifest().map((r) => corpusFile(r.path));
    const both = await readIntoBoth(files, 'corpus');
    expect(both.pg.size).toBeGreaterThan(200);
    expectSameFlows(both, files);
  }, 180_000);

  it('audits the example and the product fixtures to the same JSON report as SQLite', async () => {
    const jobs: [string[], string][] = [
      [[join(FIXTURES, 'example/estate.pcap')], join(FIXTURES, 'example/site.yaml')],
      ...PRODUCTS.map((p): [string[], string] => [
        readdirSync(join(FIXTURES, 'products', p)).filter((f) => f.endsWith('.pcap')).sort().map((f) => join(FIXTURES, 'products', p, f)),
        join(FIXTURES, 'products', p, 'site.yaml')]),
    ];
    for (const [i, [captures, site]] of jobs.entries()) {
      const file = tmp.name(`audit-${i}.db`);
      const url = await freshPgDatabase(`audit${i}`);
      const args = (db: string) => ['audit', ...captures, '--site', site, '--db', db, '--format', 'json', '-q'];
      const [a, b] = await Promise.all([run(args(file)), run(args(url))]);
      expect(b.status, site).toBe(a.status);
      expect(b.stderr, site).toBe(a.stderr);
      expect(validateReport(JSON.parse(b.stdout)), site).toBe(true);
      expect(comparableReport(b.stdout, url), site).toEqual(comparableReport(a.stdout, file));
      // `audit` counted the flows it wrote from the copy its writer kept; `report` reads them
      // back from PostgreSQL: the same report.
      const again = await run(['report', '--db', url, '--site', site, '--format', 'json', '-q']);
      expect(again.stderr, site).toBe('');
      expect(comparableReport(again.stdout, url), site).toEqual(comparableReport(b.stdout, url));
    }
  }, 120_000);

  it('says in one line, naming the URL without its password, when the server cannot be reached', async () => {
    // A local port nothing listens on: one just closed.
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const r = await run(['flows', '--db', `postgresql://sensor:secret@127.0.0.1:${port}/flows`]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`flowaudit: postgresql://sensor@127.0.0.1:${port}/flows: cannot connect: connection refused\n`);
  });

  it('says so when the database does not exist, or holds no flowaudit tables', async () => {
    const server = new URL(pgServerUrl());
    server.pathname = '/no_such_flowaudit_db';
    const r = await run(['read', join(FIXTURES, 'example/estate.pcap'), '--db', server.toString()]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`flowaudit: ${server.toString()}: cannot connect: database "no_such_flowaudit_db" does not exist\n`);
    const empty = await freshPgDatabase('empty');
    const f = await run(['flows', '--db', empty]);
    expect(f.status).toBe(2);
    expect(f.stderr).toBe(`flowaudit: ${empty}: no flowaudit database here (it has no flowaudit tables; run flowaudit read first)\n`);
  });

  it('--where with a bad address range: the same message as with SQLite', async () => {
    const url = await freshPgDatabase('where');
    await run(['read', '-q', join(FIXTURES, 'example/estate.pcap'), '--db', url]);
    const bad = await run(['flows', '--db', url, '--where', 'src=10.0.0.9-10.0.0.1']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe('flowaudit: --where: at column 5: src needs an address, a CIDR or a range a-b: range "10.0.0.9-10.0.0.1" ends before it starts\n');
  });

  it('two read processes into one new database at once: both migrate and write, no flow id shared', async () => {
    const url = await freshPgDatabase('twice');
    const p = join(FIXTURES, 'products/sccm-2007');
    const [a, b] = await Promise.all([run(['read', '-q', join(p, 'clean.pcap'), '--db', url]), run(['read', '-q', join(p, 'violations.pcap'), '--db', url])]);
    expect([a.status, a.stderr, b.status, b.stderr]).toEqual([0, '', 0, '']);
    const flows = await flowsByCapture(url);
    expect([...flows.keys()].sort()).toEqual([join(p, 'clean.pcap'), join(p, 'violations.pcap')]);
    const ids = [...flows.values()].flat().map((f) => (f as { id: number }).id);
    expect(new Set(ids).size).toBe(ids.length);
    // The same flows as each file read alone.
    const alone = await readIntoBoth([join(p, 'clean.pcap'), join(p, 'violations.pcap')], 'alone');
    type F = { proto: string; src: string; sport: number; dst: string; dport: number; start: number; origBytes: number; state: string };
    const strip = (l: unknown[]) => (l as F[]).map((f) => [f.proto, f.src, f.sport, f.dst, f.dport, f.start, f.origBytes, f.state].join(' ')).sort();
    for (const [capture, list] of alone.sqlite) expect(strip(flows.get(capture)!), capture).toEqual(strip(list));
  });
});
