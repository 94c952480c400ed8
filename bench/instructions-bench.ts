/**
 * `npm run bench:instructions`: what classification (`--site`) adds to `read`, counted in
 * instructions instead of seconds. Wall and CPU times on a small VM move by ±10 % between
 * minutes (and a busy second vCPU slows the first), which hides a few per cent either way;
 * valgrind's callgrind counts every instruction of every thread — the reader, the writer
 * thread, V8's compiler and GC helpers — and gives the same count within ~1-2 % run to run.
 * It runs ~50x slower than the real thing: the 1M file takes about 1.5 min, the 10M file 7 min
 * (plain and classified run side by side, one core each).
 *
 *   npm run bench:instructions                    # start-up (the bundled example) and 1M file
 *   npm run bench:instructions -- --sizes 1m,10m
 *
 * Needs valgrind (`apt-get install valgrind`). Reads with `--no-hash`: the file hash is the
 * same work with or without a site file.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { arg, callgrind, CLI, DATA, ensureCapture, have, ROOT } from './bench-setup.js';

const EXAMPLE = join(ROOT, 'fixtures/example/estate.pcap');

const G = (n: number) => (n / 1e9).toFixed(3).padStart(8);
const pct = (a: number, b: number) => `${b >= a ? '+' : ''}${((b / a - 1) * 100).toFixed(1)} %`.padStart(9);
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

async function main(): Promise<void> {
  if (!existsSync(CLI)) throw new Error('run `npm run build` first');
  if (!have('valgrind')) {
    console.error('valgrind is not installed (apt-get install valgrind)');
    process.exit(2);
  }
  const sizes = arg('sizes', '1m').split(',').filter(Boolean);
  const tmp = mkdtempSync(join(DATA, 'instructions-'));
  console.log('instructions executed (G), `flowaudit read --no-hash` without and with `--site bench/bench-site.yaml`');
  console.log('capture'.padEnd(10) + 'plain'.padStart(8) + '--site'.padStart(8) + 'added'.padStart(9) +
    '  reader thread'.padEnd(20) + '  writer thread'.padEnd(20) + '  other threads (V8 compiler, GC, hash)');
  try {
    for (const size of ['start-up', ...sizes]) {
      const capture = size === 'start-up' ? EXAMPLE : ensureCapture(size);
      const [plain, site] = await Promise.all([
        callgrind(CLI, capture, false, join(tmp, `${size}-plain`)),
        callgrind(CLI, capture, true, join(tmp, `${size}-site`)),
      ]);
      // The busiest thread after the reader's is the SQLite writer thread; the rest are V8's
      // helpers (TurboFan, GC) and the file-fingerprint worker.
      const [pw = 0, ...pRest] = plain.others;
      const [sw = 0, ...sRest] = site.others;
      const pTotal = plain.reader + sum(plain.others);
      const sTotal = site.reader + sum(site.others);
      console.log(
        (size === 'start-up' ? 'example' : size).padEnd(10) + G(pTotal) + G(sTotal) + pct(pTotal, sTotal) +
        `  ${G(plain.reader)} →${G(site.reader)}` + `  ${G(pw)} →${G(sw)}` + `  ${G(sum(pRest))} →${G(sum(sRest))}`,
      );
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  console.log('\n"example" is the bundled 361-packet capture: the fixed start-up cost of a site file.');
}

main().catch((e: Error) => {
  console.error(e.message);
  process.exit(1);
});
