/**
 * `npm run bench:estate`: many sensors into one PostgreSQL database. The generated capture is
 * cut by host pair (split-by-host-pair.ts) into 2 and 4 parts, one per sensor; the sensors read
 * at once, each into the database, and the figures are flows/s and packets/s of the whole
 * estate (total flows / wall time from the first start to the last exit), beside one SQLite
 * read of the whole file. Then the estate report is compared with the SQLite one as verdicts
 * (report-equivalence.ts): the acceptance is that they are equal.
 *
 *   npm run bench:estate                         # 10M packets, a PostgreSQL cluster of its own
 *   npm run bench:estate -- --size 1m --pg postgresql://user@host/db   # a server of one's own (its databases are created there)
 *
 * The cluster it starts keeps PostgreSQL's durable defaults (fsync, synchronous commit).
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startCluster, type StartedCluster } from '../test/helpers/postgres-cluster.js';
import { arg, DATA, ensureCapture, ROOT, SITE, SIZES, warm } from './bench-setup.js';
import { firstDifference, verdictOf } from './report-equivalence.js';
import { splitByHostPair } from './split-by-host-pair.js';

const BIN = join(ROOT, 'bin/flowaudit');
const size = arg('size', '10m');
const pgArg = arg('pg', process.env.FLOWAUDIT_BENCH_PG ?? '');

interface Proc { code: number | null; stderr: string }

function run(args: string[]): Promise<Proc> {
  return new Promise((resolve) => {
    const p = spawn(BIN, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    p.stderr.on('data', (d) => { stderr += d; });
    p.on('exit', (code) => resolve({ code, stderr }));
  });
}

/**
 * Runs the commands at once; wall seconds from the first start to the last exit. Their capture
 * files (each command's second argument) are read once first: the whole file and its parts do
 * not all fit the page cache beside the database, and a cold read measures the disk.
 */
async function together(commands: string[][]): Promise<number> {
  for (const c of commands) warm(c[1]!);
  const t0 = process.hrtime.bigint();
  const done = await Promise.all(commands.map(run));
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  for (const d of done) if (d.code !== 0) throw new Error(`failed (${d.code}): ${d.stderr.slice(-800)}`);
  return wall;
}

function report(db: string, out: string): { seconds: number; json: unknown } {
  const t0 = process.hrtime.bigint();
  execFileSync(BIN, ['report', '--db', db, '--site', SITE, '--format', 'json', '-o', out, '-q'], { stdio: 'pipe', maxBuffer: 1 << 26 });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return { seconds, json: JSON.parse(readFileSync(out, 'utf8')) as unknown };
}

async function main(): Promise<void> {
  const whole = ensureCapture(size);
  const packets = SIZES[size]!.packets;
  const parts = new Map([2, 4].map((n) => [n, splitByHostPair(whole, join(DATA, `gen-${size}-pair`), n)]));
  let cluster: StartedCluster | null = null;
  let server = pgArg;
  if (!server) {
    cluster = startCluster({ durable: true });
    server = cluster.url;
  }
  const tmp = join(DATA, 'estate-run');
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  let dbNo = 0;
  const freshDb = (): string => {
    const name = `fa_estate_${process.pid}_${dbNo++}`;
    execFileSync('psql', [server, '-qc', `CREATE DATABASE ${name}`], { stdio: 'pipe' });
    const u = new URL(server);
    u.pathname = `/${name}`;
    return u.toString();
  };
  const lines: string[] = [];
  const say = (line: string) => { console.log(line); lines.push(`${new Date().toISOString().slice(0, 10)}\t${size}\t${line}`); };
  const rate = (label: string, wall: number, flows: number) =>
    say(`${label.padEnd(46)} ${wall.toFixed(2).padStart(7)} s  ${Math.round(flows / wall).toLocaleString('en-US').padStart(9)} flows/s  ${Math.round(packets / wall).toLocaleString('en-US').padStart(10)} packets/s`);

  try {
    console.log(`== ${size}: ${whole}, cut by host pair into 2 and 4 parts; PostgreSQL ${cluster ? 'cluster of its own (durable defaults)' : server.replace(/:[^:@/]*@/, '@')}`);
    const sqlite = join(tmp, 'whole.db');
    const wSqlite = await together([['read', whole, '--db', sqlite, '--site', SITE, '-q']]);
    const base = report(sqlite, join(tmp, 'whole.json'));
    const flows = (base.json as { summary: { flows: { analysed: number } } }).summary.flows.analysed;
    rate('1 sensor → SQLite (read --site)', wSqlite, flows);

    const estates = new Map<number, string>();
    for (const n of [1, 2, 4]) {
      const db = freshDb();
      const inputs = n === 1 ? [whole] : parts.get(n)!;
      const wall = await together(inputs.map((p, k) => ['read', p, '--db', db, '--site', SITE, '--sensor', `sensor-${k + 1}`, '-q']));
      rate(`${n} sensor${n > 1 ? 's at once' : ''} → PostgreSQL (read --site)`, wall, flows);
      estates.set(n, db);
    }
    for (const n of [1, 4]) {
      const db = freshDb();
      const inputs = n === 1 ? [whole] : parts.get(n)!;
      const wall = await together(inputs.map((p, k) => ['read', p, '--db', db, '--site', SITE, '--sensor', `sensor-${k + 1}`, '--spool', join(tmp, `spool-${n}-${k}.db`), '--forward-wait', '0', '-q']));
      rate(`${n} sensor${n > 1 ? 's at once' : ''} → spool → PostgreSQL`, wall, flows);
    }
    for (const n of [2, 4]) {
      const r = report(estates.get(n)!, join(tmp, `estate-${n}.json`));
      const diff = firstDifference(verdictOf(r.json), verdictOf(base.json));
      say(`estate report of ${n} sensors (joint re-classification included): ${r.seconds.toFixed(1)} s; finds what the SQLite read of the whole file finds: ${diff === null ? 'yes' : `NO (${diff})`}`);
    }
    say(`the SQLite report of the whole file: ${base.seconds.toFixed(1)} s`);
  } finally {
    cluster?.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
  writeFileSync(join(DATA, 'estate-results.txt'), lines.join('\n') + '\n');
  console.log(`\nmachine: ${execFileSync('nproc').toString().trim()} cores; results also in ${join(DATA, 'estate-results.txt')}`);
}

await main();
