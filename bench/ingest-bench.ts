/**
 * `npm run bench`: ingest speed and memory, side by side with the tools a user would otherwise
 * reach for. Generates deterministic captures with ../shared/bench/gen-pcap.py into .bench/
 * (git-ignored; the 10M-packet file is ~5.8 GB), then runs each contender and prints packets/s,
 * MB/s and peak RSS. Wall times are medians of --runs runs (default 3; 1 for the 10M file),
 * made round-robin (run 1 of every contender, then run 2, ...).
 *
 *   npm run bench                     # 1M and 10M packets
 *   npm run bench -- --sizes 1m       # only the 1M file
 *   npm run bench -- --runs 5 --only flowaudit
 *   npm run bench -- --sizes 10m/2    # the 10M file cut in two: one thread against two
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  arg, CLI, DATA, ensureCapture, have, median, pairedRatio, ROOT, roundRobin, SITE, SIZES, TIME, timed, warm,
} from './bench-setup.js';

/** The benchmark site with three server roles unmapped: ~4x the unexpected flows of SITE. */
const SITE_4X = join(ROOT, 'bench/bench-site-4x.yaml');

/** What users run: the launcher (it sets V8's young-generation size; see bin/flowaudit). */
const BIN = join(ROOT, 'bin/flowaudit');

const sizes = arg('sizes', '1m,10m').split(',');
const only = arg('only', '');
const runsArg = Number(arg('runs', '0'));
/**
 * "10m/2": the 10m capture cut in two files by tcpdump -C (flows run across the cut), for the
 * parallel ingest's contenders (`--threads`).
 */
const SPLIT = /^(\w+)\/2$/;

/** The capture of `size` cut into two files of about half its size each (cached beside it). */
function ensureSplit(size: string): string[] {
  const whole = ensureCapture(size);
  const prefix = join(DATA, `gen-${size}-half.pcap`);
  const halves = () => readdirSync(DATA).filter((n) => n.startsWith(`gen-${size}-half.pcap`)).sort().map((n) => join(DATA, n));
  if (halves().length !== 2) {
    for (const h of halves()) rmSync(h);
    const mb = Math.ceil(statSync(whole).size / 2 / 1e6) + 1;
    console.log(`cutting ${whole} into two files of ~${mb} MB ...`);
    // As root, tcpdump would drop to its own user, which may not write here.
    const asRoot = process.getuid?.() === 0 ? ['-Z', 'root'] : [];
    execFileSync('tcpdump', [...asRoot, '-r', whole, '-w', prefix, '-C', String(mb)], { stdio: 'ignore' });
  }
  const h = halves();
  if (h.length !== 2) throw new Error(`expected two files from tcpdump -C, got ${h.length}`);
  return h;
}

interface Contender { name: string; available: boolean; cmd: (file: string, tmp: string) => [string, string[]] }

/** On the two-file captures: one thread against two, with and without the file hash. */
const splitContenders: { name: string; cmd: (files: string[], tmp: string) => [string, string[]] }[] = [
  { name: 'flowaudit read 2 files --no-hash', cmd: (f, tmp) => [BIN, ['read', ...f, '--db', join(tmp, 'split-1.db'), '--quiet', '--no-hash']] },
  { name: 'flowaudit read 2 files --no-hash --threads 2', cmd: (f, tmp) => [BIN, ['read', ...f, '--db', join(tmp, 'split-2.db'), '--quiet', '--no-hash', '--threads', '2']] },
  { name: 'flowaudit read 2 files', cmd: (f, tmp) => [BIN, ['read', ...f, '--db', join(tmp, 'split-h1.db'), '--quiet']] },
  { name: 'flowaudit read 2 files --threads 2', cmd: (f, tmp) => [BIN, ['read', ...f, '--db', join(tmp, 'split-h2.db'), '--quiet', '--threads', '2']] },
];

const contenders: Contender[] = [
  { name: 'flowaudit read → SQLite file', available: true,
    cmd: (f, tmp) => [BIN, ['read', f, '--db', join(tmp, 'bench.db'), '--quiet']] },
  { name: 'flowaudit read → :memory:', available: true,
    cmd: (f) => [BIN, ['read', f, '--db', ':memory:', '--quiet']] },
  { name: 'flowaudit read --no-hash → SQLite file', available: true,
    cmd: (f, tmp) => [BIN, ['read', f, '--db', join(tmp, 'bench-nohash.db'), '--quiet', '--no-hash']] },
  { name: 'flowaudit read --site (classify) → file', available: true,
    cmd: (f, tmp) => [BIN, ['read', f, '--db', join(tmp, 'bench-site.db'), '--quiet', '--site', SITE]] },
  { name: 'flowaudit read --no-hash --site → file', available: true,
    cmd: (f, tmp) => [BIN, ['read', f, '--db', join(tmp, 'bench-site-nohash.db'), '--quiet', '--no-hash', '--site', SITE]] },
  // The main job, one row per report format, and with a site file that makes ~4x as many flows
  // unexpected (bench-site-4x.yaml): the peak must not grow with the findings.
  ...(['json', 'csv', 'html', 'md', 'text'] as const).map((format): Contender => ({
    name: `flowaudit audit --site --format ${format}`, available: true,
    cmd: (f, tmp) => [BIN, ['audit', f, '--db', join(tmp, 'bench-audit.db'), '--quiet', '--site', SITE, '--format', format, '-o', join(tmp, `report.${format}`)]],
  })),
  // What the audit adds after the read, alone: the audit and JSON report of flows already
  // stored and classified: a figure of its own, not the difference of two ~10 s runs.
  { name: 'flowaudit report --format json (stored)', available: true,
    cmd: (f, tmp) => [BIN, ['report', '--db', storedDatabase(f), '--quiet', '--site', SITE, '--format', 'json', '-o', join(tmp, 'report-stored.json')]] },
  { name: 'flowaudit audit --site (4x findings) json', available: true,
    cmd: (f, tmp) => [BIN, ['audit', f, '--db', join(tmp, 'bench-audit.db'), '--quiet', '--site', SITE_4X, '--format', 'json', '-o', join(tmp, 'report.json')]] },
  { name: 'pcap-parser (count only)', available: true,
    cmd: (f) => ['node', [join(ROOT, 'dist/bench/pcap-parser-count.js'), f]] },
  { name: 'tcpdump -r -w /dev/null', available: have('tcpdump'), cmd: (f) => ['tcpdump', ['-r', f, '-w', '/dev/null']] },
  { name: 'softflowd -r', available: have('softflowd'), cmd: (f) => ['softflowd', ['-r', f, '-n', '127.0.0.1:9', '-d']] },
  { name: 'argus -r', available: have('argus'), cmd: (f, tmp) => ['argus', ['-r', f, '-w', join(tmp, 'argus.out')]] },
  { name: 'tshark -z conv,tcp -z conv,udp', available: have('tshark'),
    cmd: (f) => ['tshark', ['-n', '-q', '-r', f, '-z', 'conv,tcp', '-z', 'conv,udp']] },
];

/** Databases of this bench run's captures, read once with --site (untimed) for the report row. */
const stored = new Map<string, string>();

function storedDatabase(capture: string): string {
  let db = stored.get(capture);
  if (db === undefined) {
    db = join(DATA, `stored-${stored.size}.db`);
    removeDatabase(db);
    execFileSync(BIN, ['read', capture, '--db', db, '--quiet', '--site', SITE], { stdio: 'ignore' });
    stored.set(capture, db);
  }
  return db;
}

/** A SQLite file and its WAL and shared-memory files. */
function removeDatabase(db: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(db + suffix, { force: true });
}

const HEADER = 'contender'.padEnd(44) + 'wall s'.padStart(9) + 'M pkt/s'.padStart(10) + 'MB/s'.padStart(9) + 'peak RSS MB'.padStart(13);

/** One row of the table: median wall time, packets/s, MB/s, peak RSS. */
function resultLine(name: string, wall: number, packets: number, bytes: number, rssMb: number): string {
  return name.padEnd(44) + wall.toFixed(2).padStart(9) + (packets / wall / 1e6).toFixed(2).padStart(10) +
    (bytes / wall / 1e6).toFixed(0).padStart(9) + (TIME ? rssMb.toFixed(0) : 'n/a').padStart(13);
}

function runSplit(size: string, tmp: string): string[] {
  const files = ensureSplit(size);
  const bytes = files.reduce((n, f) => n + statSync(f).size, 0);
  const packets = SIZES[size]!.packets;
  const runs = runsArg || 1;
  const lines: string[] = [];
  console.log(`\n== ${size} as two files: ${files.join(' + ')} (${(bytes / 1e6).toFixed(0)} MB), median of ${runs} run(s)`);
  console.log(HEADER);
  const selected = splitContenders.filter((c) => !only || c.name.includes(only));
  const results = roundRobin(selected.map((c) => ({ name: c.name, run: () => {
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    for (const f of files) warm(f);
    const [cmd, args] = c.cmd(files, tmp);
    return timed(cmd, args);
  } })), runs);
  for (const c of selected) {
    const r = results.get(c.name)!;
    if (r.failed) throw new Error(`${c.name}: failed\n${r.failed.slice(-500)}`);
    const line = resultLine(c.name, median(r.walls), packets, bytes, r.rss);
    console.log(line);
    lines.push(`${size}/2\t${line}`);
  }
  for (const [one, two] of [
    ['flowaudit read 2 files --no-hash', 'flowaudit read 2 files --no-hash --threads 2'],
    ['flowaudit read 2 files', 'flowaudit read 2 files --threads 2'],
  ]) {
    const ratio = pairedRatio(results.get(two!), results.get(one!));
    if (ratio !== null) {
      const line = `two threads: ${ratio.toFixed(2)}x the speed of one (${two} vs ${one}; median of ${runs} paired runs)`;
      console.log(line);
      lines.push(`${size}/2\t${line}`);
    }
  }
  return lines;
}

/** Times the HTML report is opened in the browser. */
const BROWSER_RUNS = 3;

/**
 * The HTML report of the audit opened in headless Chromium: the time until its DOM (after its
 * script ran) is dumped, and whether the headline counts are those of the JSON report.
 */
function htmlInBrowser(size: string): string[] {
  const html = join(DATA, `report-${size}.html`);
  const json = join(DATA, `report-${size}.json`);
  const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
  if (!existsSync(html) || !existsSync(json) || !chromium) return [];
  const counts = (JSON.parse(readFileSync(json, 'utf8')) as { summary: { counts: { unexpected: number; unexpectedGroups: number } } }).summary.counts;
  const want = `Unexpected traffic <span class="count">${counts.unexpected.toLocaleString('en-US')} flows in ${counts.unexpectedGroups.toLocaleString('en-US')} groups`;
  // Three opens, each with a fresh profile: the first launch of the browser after a while pays
  // for loading it from disk (once 11.7 s against 2.3-2.7 s for the next), so the median is the figure.
  const times: number[] = [];
  let ok = true;
  for (let i = 0; i < BROWSER_RUNS; i++) {
    const profile = mkdtempSync(join(tmpdir(), 'flowaudit-bench-chromium-'));
    const t0 = process.hrtime.bigint();
    const res = spawnSync(chromium, ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', `--user-data-dir=${profile}`, '--dump-dom', `file://${html}`],
      { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024, timeout: 120_000 });
    times.push(Number(process.hrtime.bigint() - t0) / 1e9);
    rmSync(profile, { recursive: true, force: true });
    ok &&= res.status === 0 && res.stdout.includes('data-ready="1"') && res.stdout.includes(want);
  }
  const median = [...times].sort((a, b) => a - b)[times.length >> 1]!;
  const line = `html report ${(statSync(html).size / 1e6).toFixed(1)} MB: headless chromium dumped its DOM in ${median.toFixed(2)} s ` +
    `(median of ${times.map((t) => t.toFixed(2)).join(', ')} s); script ran and counts match the JSON report: ${ok ? 'yes' : 'NO'}`;
  console.log(line);
  return [`${size}\t${line}`];
}

function main(): void {
  if (!existsSync(CLI)) throw new Error('run `npm run build` first');
  const tmp = join(DATA, 'run');
  const lines: string[] = [];
  for (const size of sizes) {
    const split = SPLIT.exec(size);
    if (split) {
      lines.push(...runSplit(split[1]!, tmp));
      continue;
    }
    const file = ensureCapture(size);
    const bytes = statSync(file).size;
    const packets = SIZES[size]!.packets;
    const runs = runsArg || (size === '10m' ? 1 : 3);
    console.log(`\n== ${size}: ${file} (${(bytes / 1e6).toFixed(0)} MB, ${packets} packets), median of ${runs} run(s)`);
    console.log(HEADER);
    for (const c of contenders) {
      if (only && !c.name.includes(only)) continue;
      if (!c.available) console.log(`${c.name.padEnd(44)}  (not installed)`);
    }
    const selected = contenders.filter((c) => c.available && (!only || c.name.includes(only)));
    // Round-robin (run 1 of every contender, then run 2, ...): a drift of the machine over the
    // minutes a size takes falls on every contender alike, not on whichever ran last.
    const reportSizes = new Map<string, number>();
    const results = roundRobin(selected.map((c) => ({ name: c.name, run: () => {
      rmSync(tmp, { recursive: true, force: true });
      mkdirSync(tmp, { recursive: true });
      const [cmd, args] = c.cmd(file, tmp);
      warm(file);
      const r = timed(cmd, args);
      const out = args.indexOf('-o');
      if (out >= 0 && existsSync(args[out + 1]!)) {
        reportSizes.set(c.name, statSync(args[out + 1]!).size);
        // Kept for the browser check below (the run folder is emptied before each run).
        if (args[out + 1]!.endsWith('.html')) copyFileSync(args[out + 1]!, join(DATA, `report-${size}.html`));
        if (c.name === 'flowaudit audit --site --format json') copyFileSync(args[out + 1]!, join(DATA, `report-${size}.json`));
      }
      return r;
    } })), runs);
    for (const c of selected) {
      const r = results.get(c.name)!;
      if (r.failed) { console.log(`${c.name}: failed\n${r.failed.slice(-500)}`); continue; }
      const report = reportSizes.get(c.name);
      const line = resultLine(c.name, median(r.walls), packets, bytes, r.rss) + (report === undefined ? '' : `  report ${(report / 1e6).toFixed(1)} MB`);
      console.log(line);
      lines.push(`${size}\t${line}`);
    }
    // The main job against a plain classified read, paired per round (the acceptance: <= 1.2x).
    for (const format of ['json', 'csv', 'html']) {
      const ratio = pairedRatio(results.get('flowaudit read --site (classify) → file'), results.get(`flowaudit audit --site --format ${format}`));
      if (ratio !== null) {
        const line = `audit --format ${format} takes ${ratio.toFixed(2)}x the time of read --site (median of ${runs} paired runs)`;
        console.log(line);
        lines.push(`${size}\t${line}`);
      }
    }
    lines.push(...htmlInBrowser(size));
    // What classification adds, like for like: the two ran one
    // after the other in each round, so the median of the per-round ratios is the figure.
    for (const [plain, classified] of [
      ['flowaudit read → SQLite file', 'flowaudit read --site (classify) → file'],
      ['flowaudit read --no-hash → SQLite file', 'flowaudit read --no-hash --site → file'],
    ]) {
      const ratio = pairedRatio(results.get(plain!), results.get(classified!));
      if (ratio !== null) {
        const line = `classification adds ${((ratio - 1) * 100).toFixed(0)} % (${classified} vs ${plain}; median of ${runs} paired runs)`;
        console.log(line);
        lines.push(`${size}\t${line}`);
      }
    }
  }
  rmSync(tmp, { recursive: true, force: true });
  for (const db of stored.values()) removeDatabase(db);
  writeFileSync(join(DATA, 'last-results.txt'), lines.join('\n') + '\n');
  console.log(`\nmachine: ${execFileSync('nproc').toString().trim()} cores; results also in ${join(DATA, 'last-results.txt')}`);
}

main();
