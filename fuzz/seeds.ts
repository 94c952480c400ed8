/**
 * The captures the fuzz harness mutates: every fixture capture of this repository, the same
 * packets rewritten as pcapng (so both formats are covered without the corpus), and the real
 * captures of the shared corpus (../shared/corpus/real) up to a size, when it is there.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pcapngFile, type NgPacket } from '../fixtures/lib/packet-builder.js';
import { readCaptureSource } from '../src/capture/capture-reader.js';
import type { ByteSource } from '../src/capture/byte-source.js';
import type { SeedCapture } from './mutate.js';

/** The project's root: fuzz/ holds the sources, dist/fuzz/ the compiled harness. */
export const PROJECT_ROOT = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
})();

/** Where the shared corpus is looked for (FLOWAUDIT_SHARED overrides its parent folder, as for the tests). */
export function defaultCorpusDir(): string {
  return join(process.env.FLOWAUDIT_SHARED ?? resolve(PROJECT_ROOT, '../shared'), 'corpus');
}

/** Corpus captures larger than this are left out: a case should take milliseconds. */
export const CORPUS_MAX_BYTES = 256 * 1024;

/** A byte source over a buffer, returning at most `maxPerRead` bytes per read. */
export function memorySource(bytes: Buffer, maxPerRead = Number.MAX_SAFE_INTEGER): ByteSource {
  let pos = 0;
  return {
    size: bytes.length,
    gzip: false,
    close() {},
    async read(dst: Buffer, off: number, len: number): Promise<number> {
      const n = Math.min(len, bytes.length - pos, maxPerRead);
      bytes.copy(dst, off, pos, pos + n);
      pos += n;
      return n;
    },
  };
}

function filesUnder(dir: string, keep: (path: string) => boolean): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (keep(p)) out.push(p);
    }
  };
  if (existsSync(dir)) walk(dir);
  return out.sort();
}

/** The same packets as pcapng (nanosecond timestamps), so pcapng blocks get mutated too. */
async function asPcapng(bytes: Buffer): Promise<Buffer | null> {
  const packets: NgPacket[] = [];
  let linkType = 1;
  await readCaptureSource('seed', memorySource(bytes), (b) => {
    for (let i = 0; i < b.count; i++) {
      linkType = b.linkType[i]!;
      packets.push({ iface: 0, ts: b.ts[i]!, data: Buffer.from(b.data.subarray(b.offset[i]!, b.offset[i]! + b.caplen[i]!)), origLen: b.wirelen[i]! });
    }
  });
  return packets.length ? pcapngFile([{ interfaces: [{ linkType, tsresol: 9 }], packets }]) : null;
}

export interface SeedSet {
  seeds: SeedCapture[];
  /** Null when the corpus was found; otherwise what to tell the user. */
  corpusMissing: string | null;
  corpusDir: string;
}

export async function loadSeeds(opts: { corpusDir?: string; corpus?: boolean } = {}): Promise<SeedSet> {
  const seeds: SeedCapture[] = [];
  for (const p of filesUnder(join(PROJECT_ROOT, 'fixtures'), (f) => /\.pcap(ng)?$/.test(f))) {
    const bytes = readFileSync(p);
    const name = relative(PROJECT_ROOT, p);
    seeds.push({ name, bytes });
    const ng = await asPcapng(bytes);
    if (ng) seeds.push({ name: `${name} (as pcapng)`, bytes: ng });
  }
  const corpusDir = opts.corpusDir ?? defaultCorpusDir();
  const real = join(corpusDir, 'real');
  if (opts.corpus === false) return { seeds, corpusMissing: 'the corpus was left out (--no-corpus)', corpusDir };
  if (!existsSync(real)) {
    return { seeds, corpusMissing: `the shared corpus was not found at ${real}: only the repository's fixtures are mutated (set FLOWAUDIT_SHARED to the folder that holds corpus/, or pass --corpus DIR)`, corpusDir };
  }
  for (const p of filesUnder(real, (f) => statSync(f).size <= CORPUS_MAX_BYTES)) {
    const bytes = readFileSync(p);
    if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) continue; // gzip: the reader's gunzip is not fuzzed here
    seeds.push({ name: `corpus:${relative(corpusDir, p)}`, bytes });
  }
  return { seeds, corpusMissing: null, corpusDir };
}
