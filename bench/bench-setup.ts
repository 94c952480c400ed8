/**
 * What the benchmarks share: paths, their command-line options, and the capture files —
 * generated deterministically by ../shared/bench/gen-pcap.py into .bench/ (git-ignored; the
 * 10M-packet file is ~5.8 GB) on first use, then reused.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SHARED = process.env.FLOWAUDIT_SHARED ?? resolve(ROOT, '../shared');
const GEN = join(SHARED, 'bench/gen-pcap.py');
export const DATA = process.env.FLOWAUDIT_BENCH_DIR ?? join(ROOT, '.bench');
/** The compiled CLI (`npm run build`). */
export const CLI = join(ROOT, 'dist/src/cli/main.js');
/** The site file the benchmarks classify with: every flow classified, follow-on windows tracked. */
export const SITE = join(ROOT, 'bench/bench-site.yaml');

export const SIZES: Record<string, { packets: number }> = {
  '1m': { packets: 1_000_000 },
  '10m': { packets: 10_000_000 },
};

/** The path of the generated capture of `name` (a key of SIZES), generating it if missing. */
export function ensureCapture(name: string): string {
  const spec = SIZES[name];
  if (!spec) throw new Error(`unknown size ${name} (known: ${Object.keys(SIZES).join(', ')})`);
  mkdirSync(DATA, { recursive: true });
  const file = join(DATA, `gen-${name}.pcap`);
  if (!existsSync(file)) {
    if (!existsSync(GEN)) throw new Error(`${GEN} not found: set FLOWAUDIT_SHARED`);
    console.log(`generating ${file} (${spec.packets} packets) ...`);
    execFileSync('python3', [GEN, '--packets', String(spec.packets), '--seed', '1', '--out', file], { stdio: 'inherit' });
  }
  return file;
}

/** The value of `--name VALUE` on the command line, or `def`. */
export function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : def;
}

/** Whether `cmd` is on the PATH. */
export function have(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

/** GNU time, for the peak RSS of a run (null when absent: RSS is then not reported). */
export const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

export interface Run { wall: number; rssMb: number | null; ok: boolean; out: string }

/** Runs a command to its end: wall seconds, peak RSS (MB), success, and its output. */
export function timed(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Run {
  const t0 = process.hrtime.bigint();
  const r = TIME
    ? spawnSync(TIME, ['-f', '__RSS_KB__ %M', cmd, ...args], { encoding: 'utf8', env, maxBuffer: 1 << 26 })
    : spawnSync(cmd, args, { encoding: 'utf8', env, maxBuffer: 1 << 26 });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const m = /__RSS_KB__ (\d+)/.exec(r.stderr ?? '');
  return { wall, rssMb: m ? Number(m[1]) / 1024 : null, ok: r.status === 0, out: (r.stdout ?? '') + (r.stderr ?? '') };
}

/**
 * Reads the file once, untimed, before each run: this machine's kernel reclaims page cache
 * aggressively (DAMON), so without it the first contender after a pause reads from disk and
 * the comparison measures the disk, not the tools. Before that, `sync`: the database and the
 * report the run before wrote (up to ~250 MB for an audit) are flushed then, not while the next
 * run is timed, which would charge one job's writeback to whichever job follows it.
 */
export function warm(file: string): void {
  spawnSync('sync', [], { stdio: 'ignore' });
  const fd = openSync(file, 'r');
  const buf = Buffer.allocUnsafe(8 << 20);
  let pos = 0;
  let n: number;
  while ((n = readSync(fd, buf, 0, buf.length, pos)) > 0) pos += n;
  closeSync(fd);
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export interface Outcome { walls: number[]; rss: number; failed: string | null }

/** Runs every contender once per round, `rounds` times; a contender that fails is not run again. */
export function roundRobin(list: { name: string; run: () => Run }[], rounds: number): Map<string, Outcome> {
  const out = new Map<string, Outcome>(list.map((c) => [c.name, { walls: [], rss: 0, failed: null }]));
  for (let i = 0; i < rounds; i++) {
    for (const c of list) {
      const o = out.get(c.name)!;
      if (o.failed !== null) continue;
      const r = c.run();
      if (!r.ok) { o.failed = r.out; continue; }
      o.walls.push(r.wall);
      o.rss = Math.max(o.rss, r.rssMb ?? 0);
    }
  }
  return out;
}

/** Median over rounds of b's wall time over a's (they ran back to back in each round). */
export function pairedRatio(a: Outcome | undefined, b: Outcome | undefined): number | null {
  if (!a || !b || a.failed !== null || b.failed !== null || a.walls.length !== b.walls.length || !a.walls.length) return null;
  return median(a.walls.map((w, i) => b.walls[i]! / w));
}

/** Instructions per thread of one run, thread 1 (the reader's, the main thread) first. */
export interface ThreadCounts { reader: number; others: number[] }

/**
 * The node flags the launcher of the tree at `root` runs the compiled CLI with (its `bin/flowaudit`
 * shebang, `#!/usr/bin/env -S node FLAGS`): the heap settings users run with. A job started as
 * `node FLAGS dist/src/cli/main.js` measures what `bin/flowaudit` would.
 */
export function launcherFlags(root: string = ROOT): string[] {
  const first = readFileSync(join(root, 'bin/flowaudit'), 'utf8').split('\n', 1)[0]!;
  const m = /^#!\/usr\/bin\/env -S node(.*)$/.exec(first);
  if (!m) throw new Error(`${join(root, 'bin/flowaudit')}: not a launcher of the form "#!/usr/bin/env -S node FLAGS"`);
  return m[1]!.trim().split(/\s+/).filter((a) => a !== '');
}

/** Runs `flowaudit read` (the compiled CLI at `cli`) under callgrind with one output file per thread, and sums each file. */
export function callgrind(cli: string, capture: string, site: boolean, dir: string): Promise<ThreadCounts> {
  mkdirSync(dir, { recursive: true });
  // The V8 flags of the launcher of the tree the CLI is in (dist/src/cli/main.js), which users run.
  const args = [
    '--tool=callgrind', '--separate-threads=yes', `--callgrind-out-file=${join(dir, 'cg.out')}`,
    process.execPath, ...launcherFlags(resolve(dirname(cli), '../../..')), cli,
    'read', capture, '--db', join(dir, 'bench.db'), '--quiet', '--no-hash', ...(site ? ['--site', SITE] : []),
  ];
  return new Promise((resolve, reject) => {
    const child = spawn('valgrind', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => { err = (err + d.toString()).slice(-4000); });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`valgrind ... flowaudit read ${capture}${site ? ' --site' : ''}: exit ${code}\n${err}`));
      const counts = new Map<number, number>();
      for (const name of readdirSync(dir)) {
        const m = /^cg\.out-(\d+)$/.exec(name);
        if (!m) continue;
        const text = readFileSync(join(dir, name), 'utf8');
        const total = /^(?:summary|totals):\s*(\d+)/m.exec(text);
        counts.set(Number(m[1]), total ? Number(total[1]) : 0);
      }
      const reader = counts.get(1);
      if (reader === undefined) return reject(new Error(`no callgrind output for thread 1 in ${dir}`));
      counts.delete(1);
      resolve({ reader, others: [...counts.values()].sort((a, b) => b - a) });
    });
  });
}
