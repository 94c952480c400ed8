/**
 * What the benchmarks share: paths, their command-line options, and the capture files —
 * generated deterministically by ../shared/bench/gen-pcap.py into .bench/ (git-ignored; the
 * 10M-packet file is ~5.8 GB) on first use, then reused.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
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
