/**
 * The real corpus (../shared/corpus, read in place): every one of its files goes through reader,
 * decoder and flow table without a throw; packet counts and link types agree with the manifest;
 * damaged files say where they broke; the multi-section / mixed-endian / multi-IDB pcapng files
 * are read whole.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { R_UNSUPPORTED_LINKTYPE } from '../../src/decode/decoded-packet.js';
import { collectFlows } from '../helpers/collect-flows.js';
import { CORPUS, HAVE_CORPUS, NO_CORPUS_MESSAGE, corpusFile, manifest, type ManifestRow } from '../helpers/corpus.js';
import { readAll } from '../helpers/capture-files.js';

if (!HAVE_CORPUS) console.warn(NO_CORPUS_MESSAGE);

interface Extra { sections: number; idbs: number; byteOrder: string; framesRead: number }

function extraManifest(): Map<string, Extra> {
  const lines = readFileSync(join(CORPUS, 'MANIFEST.extra.tsv'), 'utf8').trim().split('\n');
  const head = lines[0]!.split('\t');
  const col = (n: string) => head.indexOf(n);
  const out = new Map<string, Extra>();
  for (const l of lines.slice(1)) {
    const c = l.split('\t');
    out.set(c[col('path')]!, {
      sections: Number(c[col('pcapng_sections')] || 0), idbs: Number(c[col('pcapng_idbs')] || 0),
      byteOrder: c[col('byte_order')]!, framesRead: Number(c[col('frames_read_by_tshark')] || 0),
    });
  }
  return out;
}

function manifestLinkTypes(row: ManifestRow): number[] {
  return [...row.linktypes.matchAll(/(\d+)\(/g)].map((m) => Number(m[1])).sort((a, b) => a - b);
}

function esc(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe.skipIf(!HAVE_CORPUS)('corpus: nothing breaks', () => {
  it('reads every file (collectFlows) without a throw; tshark-readable files give the manifest packet count and link types', async () => {
    const rows = manifest();
    expect(rows.length).toBe(281);
    const wrong: string[] = [];
    let flows = 0;
    for (const row of rows) {
      const path = corpusFile(row.path);
      let r;
      try {
        r = await collectFlows(path);
      } catch (e) {
        wrong.push(`${row.path}: threw ${(e as Error).message}`);
        continue;
      }
      flows += r.flows.length;
      if (!row.tsharkOk) continue;
      const want = Number(row.packets);
      if (r.summary.packets !== want) wrong.push(`${row.path}: ${r.summary.packets} packets, manifest ${want}`);
      if (r.summary.error !== null) wrong.push(`${row.path}: unexpected error ${r.summary.error}`);
      const lts = [...r.summary.linkTypes].sort((a, b) => a - b);
      if (JSON.stringify(lts) !== JSON.stringify(manifestLinkTypes(row))) wrong.push(`${row.path}: link types ${lts}, manifest ${row.linktypes}`);
      if (r.summary.format !== row.format) wrong.push(`${row.path}: format ${r.summary.format}, manifest ${row.format}`);
    }
    expect(wrong).toEqual([]);
    expect(flows).toBeGreaterThan(3000);
  }, 120_000);

  it('files tagged file-corrupt or file-cut-short report an error naming the file and a byte offset', async () => {
    const rows = manifest().filter((r) => r.tags.includes('file-corrupt') || r.tags.includes('file-cut-short'));
    expect(rows.length).toBeGreaterThanOrEqual(9);
    const wrong: string[] = [];
    for (const row of rows) {
      const path = corpusFile(row.path);
      const { summary, packets } = await readAll(path);
      if (summary.error === null) wrong.push(`${row.path}: no error (read ${summary.packets} packets as if the file were valid)`);
      else if (!new RegExp(`^${esc(path)}: .*byte \\d+`).test(summary.error)) wrong.push(`${row.path}: error without file and offset: ${summary.error}`);
      // Never more than tshark managed before it gave up, plus the record tshark half-read.
      const tsharkRead = Number(row.packets.split(' ')[0]);
      if (packets.length > tsharkRead + 1) wrong.push(`${row.path}: ${packets.length} packets, tshark read ${tsharkRead}`);
    }
    expect(wrong).toEqual([]);
  });

  it('files with link types we do not decode count every packet as unsupported-linktype', async () => {
    const rows = manifest().filter((r) => r.tags.includes('unsupported-linktype') || /\b(8|160|182|281)\(/.test(r.linktypes));
    expect(rows.length).toBeGreaterThanOrEqual(3);
    for (const row of rows) {
      const r = await collectFlows(corpusFile(row.path));
      expect(r.summary.packets, row.path).toBeGreaterThan(0);
      expect(r.errors.get(R_UNSUPPORTED_LINKTYPE), row.path).toBe(r.summary.packets);
      expect(r.flows, row.path).toEqual([]);
    }
  });
});

describe.skipIf(!HAVE_CORPUS)('corpus: multi-section, mixed-endian and multi-IDB pcapng', () => {
  const rows = HAVE_CORPUS
    ? manifest().filter((r) => r.tags.some((t) => t === 'pcapng-mixed-endian' || t === 'pcapng-multi-idb' || t === 'pcapng-multi-section'))
    : [];
  const extra = HAVE_CORPUS ? extraManifest() : new Map<string, Extra>();

  it('finds the tagged files, including both mixed-endian ones', () => {
    expect(rows.length).toBeGreaterThanOrEqual(15);
    expect(rows.filter((r) => r.tags.includes('pcapng-mixed-endian'))).toHaveLength(2);
    expect(rows.filter((r) => (extra.get(r.path)?.sections ?? 0) > 1).length).toBeGreaterThanOrEqual(4);
  });

  it.each(rows.map((r) => [r.path, r] as const))('%s: every packet read, link types of all interfaces', async (_p, row) => {
    const { summary, packets } = await readAll(corpusFile(row.path));
    expect(summary.error).toBeNull();
    expect(summary.format).toBe('pcapng');
    expect(packets.length).toBe(Number(row.packets));
    expect([...summary.linkTypes].sort((a, b) => a - b)).toEqual(manifestLinkTypes(row));
    // Every packet carries one of the file's link types and a finite time (test008 says if_tsresol 9
    // over microsecond values, so its times are 1000 times smaller: read as written, like tshark).
    for (const p of packets) {
      expect(summary.linkTypes).toContain(p.linkType);
      expect(p.caplen).toBeLessThanOrEqual(p.wirelen);
      expect(Number.isFinite(p.ts) && p.ts > 1e6).toBe(true);
    }
  });

  it('the generator files with interface statistics report their isb_ifdrop totals', async () => {
    // Each of these files has isb_ifdrop 10 on one interface and 1 on another (the last ISB per interface counts).
    for (const rel of [
      'real/pcapng-test-generator/output_le/advanced/test101.pcapng',
      'real/pcapng-test-generator/output_le/advanced/test102.pcapng',
      'real/pcapng-test-generator/output_be/advanced/test102.pcapng',
      'real/pcapng-test-generator/output_le/difficult/test201.pcapng',
      'real/pcapng-test-generator/output_le/difficult/test202.pcapng',
      'real/pcapng-test-generator/output_be/difficult/test202.pcapng',
    ]) {
      const { summary } = await readAll(corpusFile(rel));
      expect(summary.drops, rel).toBe(11);
    }
  });

  it('the mixed-endian file reads the same from its little- and big-endian-first variants', async () => {
    const le = await readAll(corpusFile('real/pcapng-test-generator/output_le/difficult/test202.pcapng'));
    const be = await readAll(corpusFile('real/pcapng-test-generator/output_be/difficult/test202.pcapng'));
    expect(le.packets.length).toBe(8);
    expect(be.packets.map((p) => [p.linkType, p.caplen, p.wirelen, p.data.toString('hex')]))
      .toEqual(le.packets.map((p) => [p.linkType, p.caplen, p.wirelen, p.data.toString('hex')]));
  });
});
