/**
 * Access to the shared capture corpus (../shared/corpus), read in place. Tests that need it
 * call `corpusOrSkip()` and say clearly when it is absent.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const PROJECT_ROOT = resolve(here, '../..');
export const SHARED = process.env.FLOWAUDIT_SHARED ?? resolve(PROJECT_ROOT, '../shared');
export const CORPUS = join(SHARED, 'corpus');
export const HAVE_CORPUS = existsSync(join(CORPUS, 'MANIFEST.tsv'));
export const NO_CORPUS_MESSAGE = `../shared/corpus not found at ${CORPUS}: corpus tests skipped (set FLOWAUDIT_SHARED to its parent folder)`;

export interface ManifestRow {
  path: string;
  format: string;
  linktypes: string;
  packets: string;
  tags: string[];
  tsharkOk: boolean;
}

export function manifest(): ManifestRow[] {
  const lines = readFileSync(join(CORPUS, 'MANIFEST.tsv'), 'utf8').trim().split('\n');
  const head = lines[0]!.split('\t');
  const col = (n: string) => head.indexOf(n);
  return lines.slice(1).map((l) => {
    const c = l.split('\t');
    return {
      path: c[col('path')]!, format: c[col('format')]!, linktypes: c[col('linktypes')]!,
      packets: c[col('packets')]!, tags: c[col('tags')]!.split(','), tsharkOk: c[col('tshark_ok')] === 'yes',
    };
  });
}

export function corpusFile(rel: string): string {
  return join(CORPUS, rel);
}

export interface OracleConv {
  proto: 'tcp' | 'udp';
  stream: number;
  addrA: string; portA: number; addrB: string; portB: number;
  framesBA: number; bytesBA: number; framesAB: number; bytesAB: number;
}

/** tshark's conversations for a corpus file (oracle/<path minus real/>.conv.exact.tsv). */
export function oracle(rel: string): OracleConv[] {
  const p = join(CORPUS, 'oracle', rel.replace(/^real\//, '') + '.conv.exact.tsv');
  if (!existsSync(p)) return [];
  const lines = readFileSync(p, 'utf8').split('\n').filter((l) => l && !l.startsWith('proto\t'));
  return lines.map((l) => {
    const c = l.split('\t');
    return {
      proto: c[0] as 'tcp' | 'udp', stream: Number(c[1]), addrA: c[2]!, portA: Number(c[3]), addrB: c[4]!, portB: Number(c[5]),
      framesBA: Number(c[6]), bytesBA: Number(c[7]), framesAB: Number(c[8]), bytesAB: Number(c[9]),
    };
  });
}
