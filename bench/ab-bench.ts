/**
 * `npm run bench:ab -- --base REV`: this working tree against an earlier commit, in one
 * interleaved run. A 2-core VM drifts by ±10 % over minutes, so two builds are compared only
 * as paired ratios: in every round each job runs on both builds back to back (the order
 * alternating round by round), and the figure is the median of the per-round ratios.
 *
 *   npm run bench:ab -- --base HEAD~3                       # 1M and 10M, 3 rounds
 *   npm run bench:ab -- --base v1 --sizes 1m --runs 5
 *   npm run bench:ab -- --base v1 --instructions 1m         # also instructions under callgrind
 *
 * The base is checked out into .bench/ab-<commit> (a git worktree sharing node_modules) and
 * built there once. Jobs: `read --no-hash --site`, `read --site` and
 * `audit --site --format json -o FILE`, with bench/bench-site.yaml of this tree for both.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import {
  arg, callgrind, DATA, ensureCapture, have, launcherFlags, median, pairedRatio, ROOT, roundRobin, SITE, SIZES, TIME, timed, warm,
  type Outcome,
} from './bench-setup.js';

interface Build { label: string; root: string }

/** The base commit checked out and built under .bench/ (reused while it exists). */
function buildBase(rev: string): Build {
  const sha = execFileSync('git', ['rev-parse', '--short', rev], { cwd: ROOT, encoding: 'utf8' }).trim();
  const dir = join(DATA, `ab-${sha}`);
  if (!existsSync(join(dir, 'dist/src/cli/main.js'))) {
    mkdirSync(DATA, { recursive: true });
    if (!existsSync(dir)) execFileSync('git', ['worktree', 'add', '--detach', dir, sha], { cwd: ROOT, stdio: 'ignore' });
    if (!existsSync(join(dir, 'node_modules'))) symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
    console.log(`building ${sha} in ${dir} ...`);
    execFileSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: dir, stdio: 'inherit' });
    execFileSync('node', ['dist/src/catalog/compile-shipped-catalogs.js'], { cwd: dir, stdio: 'ignore' });
  }
  return { label: sha, root: dir };
}

interface Job { name: string; args: (file: string, tmp: string) => string[] }

const JOBS: Job[] = [
  { name: 'read --no-hash --site', args: (f, tmp) => ['read', f, '--db', join(tmp, 'nohash.db'), '--quiet', '--no-hash', '--site', SITE] },
  { name: 'read --site', args: (f, tmp) => ['read', f, '--db', join(tmp, 'site.db'), '--quiet', '--site', SITE] },
  { name: 'audit --format json', args: (f, tmp) => ['audit', f, '--db', join(tmp, 'audit.db'), '--quiet', '--site', SITE, '--format', 'json', '-o', join(tmp, 'r.json')] },
];

function main(): void {
  const rev = arg('base', '');
  if (!rev) {
    console.error('usage: npm run bench:ab -- --base REV [--sizes 1m,10m] [--runs N] [--instructions SIZE]');
    process.exit(2);
  }
  const base = buildBase(rev);
  const head: Build = { label: 'this tree', root: ROOT };
  const rounds = Number(arg('runs', '3'));
  const tmp = mkdtempSync(join(DATA, 'ab-run-'));
  try {
    for (const size of arg('sizes', '1m,10m').split(',').filter(Boolean)) {
      const file = ensureCapture(size);
      const bytes = statSync(file).size;
      console.log(`\n== ${size}: ${(bytes / 1e6).toFixed(0)} MB, ${SIZES[size]!.packets} packets; ${rounds} rounds, base ${base.label}`);
      console.log('job'.padEnd(24) + 'base s'.padStart(9) + 'this s'.padStart(9) + 'this/base'.padStart(11) + 'base MB'.padStart(9) + 'this MB'.padStart(9));
      for (const job of JOBS) {
        const run = (b: Build) => () => {
          rmSync(join(tmp, 'w'), { recursive: true, force: true });
          mkdirSync(join(tmp, 'w'));
          warm(file);
          // Each build with its own launcher's V8 flags, as its users run it.
          return timed(process.execPath, [...launcherFlags(b.root), join(b.root, 'dist/src/cli/main.js'), ...job.args(file, join(tmp, 'w'))]);
        };
        // Alternate which build goes first, so a drift within a round falls on both alike.
        const outcomes: Record<string, Outcome> = { base: { walls: [], rss: 0, failed: null }, head: { walls: [], rss: 0, failed: null } };
        for (let i = 0; i < rounds; i++) {
          const order = i % 2 === 0 ? (['base', 'head'] as const) : (['head', 'base'] as const);
          const r = roundRobin(order.map((k) => ({ name: k, run: run(k === 'base' ? base : head) })), 1);
          for (const k of order) {
            const o = r.get(k)!;
            if (o.failed) throw new Error(`${job.name} on ${k}: failed\n${o.failed.slice(-800)}`);
            outcomes[k]!.walls.push(o.walls[0]!);
            outcomes[k]!.rss = Math.max(outcomes[k]!.rss, o.rss);
          }
        }
        const ratio = pairedRatio(outcomes.base, outcomes.head)!;
        const mb = (o: Outcome) => (TIME ? o.rss.toFixed(0) : 'n/a').padStart(9);
        console.log(job.name.padEnd(24) + median(outcomes.base!.walls).toFixed(2).padStart(9) + median(outcomes.head!.walls).toFixed(2).padStart(9) +
          `${ratio.toFixed(3)}x`.padStart(11) + mb(outcomes.base!) + mb(outcomes.head!));
      }
    }
    const isize = arg('instructions', '');
    if (isize) void instructions(base, head, isize, tmp).finally(() => rmSync(tmp, { recursive: true, force: true }));
    else rmSync(tmp, { recursive: true, force: true });
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}

/** Instructions of all threads of `read --no-hash --site`, base and this tree side by side. */
async function instructions(base: Build, head: Build, size: string, tmp: string): Promise<void> {
  if (!have('valgrind')) {
    console.error('valgrind is not installed (apt-get install valgrind): no instruction counts');
    return;
  }
  const file = ensureCapture(size);
  const cli = (b: Build) => join(b.root, 'dist/src/cli/main.js');
  const [b, h] = await Promise.all([
    callgrind(cli(base), file, true, join(tmp, 'cg-base')),
    callgrind(cli(head), file, true, join(tmp, 'cg-head')),
  ]);
  const total = (t: { reader: number; others: number[] }) => t.reader + t.others.reduce((x, y) => x + y, 0);
  console.log(`\ninstructions, read --no-hash --site, ${size}: base ${(total(b) / 1e9).toFixed(3)} G, this tree ${(total(h) / 1e9).toFixed(3)} G ` +
    `(${((total(h) / total(b) - 1) * 100).toFixed(1)} %); reader thread ${(b.reader / 1e9).toFixed(3)} → ${(h.reader / 1e9).toFixed(3)} G`);
}

main();
