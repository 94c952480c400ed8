/**
 * Classic pcap reader: byte orders, µs / ns magics, the modified variant, caplen < len,
 * snaplen bounds, link-type FCS bits, gzip sniffed by magic, streams and chunk boundaries.
 */
import { gzipSync } from 'node:zlib';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { openStream } from '../../src/capture/byte-source.js';
import { pcapFile, tcpFrame, udpFrame } from '../../fixtures/lib/packet-builder.js';
import { TempDir, rawPcap, readAll, readSource, type RawPcapRecord } from '../helpers/capture-files.js';

const tmp = new TempDir();
afterAll(() => tmp.cleanup());

const F1 = tcpFrame('10.0.0.1', 40000, '10.0.0.2', 80, { flags: 'S' });
const F2 = udpFrame('10.0.0.2', 53, '10.0.0.1', 40001, 'x'.repeat(300));
const F3 = Buffer.from(Array.from({ length: 1000 }, (_, i) => i & 0xff));

const RECORDS: RawPcapRecord[] = [
  { sec: 1700000000, frac: 123456, data: F1 },
  { sec: 1700000000, frac: 999999, data: F2 },
  { sec: 1700000001, frac: 0, data: F3 },
];

describe('classic pcap, µs timestamps', () => {
  it.each([false, true])('bigEndian=%s: every record with exact bytes, lengths, link type and µs-exact time', async (bigEndian) => {
    const file = rawPcap(RECORDS, { bigEndian, linkType: 1 });
    const { summary, packets } = await readAll(tmp.file('us.pcap', file));
    expect(summary).toMatchObject({ format: 'pcap', linkTypes: [1], packets: 3, bytes: file.length, error: null, drops: null });
    expect(packets.map((p) => p.data)).toEqual([Buffer.from(F1), Buffer.from(F2), F3]);
    expect(packets.map((p) => [p.caplen, p.wirelen, p.linkType])).toEqual([[F1.length, F1.length, 1], [F2.length, F2.length, 1], [1000, 1000, 1]]);
    expect(packets.map((p) => Math.round(p.ts * 1e6))).toEqual([1700000000123456, 1700000000999999, 1700000001000000]);
    expect(packets.map((p) => p.fileOffset)).toEqual([24, 24 + 16 + F1.length, 24 + 32 + F1.length + F2.length]);
    expect(summary.firstTs).toBe(packets[0]!.ts);
    expect(summary.lastTs).toBe(packets[2]!.ts);
  });

  it('reads the builder-made file the same (pcapFile, both byte orders)', async () => {
    for (const bigEndian of [false, true]) {
      const { summary, packets } = await readAll(tmp.file('b.pcap', pcapFile([{ ts: 1600000000.25, data: F1 }, { ts: 1600000000.5, data: F2 }], { bigEndian })));
      expect(summary.packets).toBe(2);
      expect(packets.map((p) => p.ts)).toEqual([1600000000.25, 1600000000.5]);
    }
  });

  it('reads seconds as unsigned (timestamps after 2038 and up to 2106)', async () => {
    const { packets } = await readAll(tmp.file('2106.pcap', rawPcap([{ sec: 0xfffffffe, frac: 500000, data: F1 }, { sec: 0x80000001, frac: 0, data: F1 }])));
    expect(packets.map((p) => p.ts)).toEqual([4294967294.5, 2147483649]);
  });
});

describe('classic pcap, ns timestamps', () => {
  it.each([false, true])('bigEndian=%s: nanoseconds kept within double precision', async (bigEndian) => {
    const recs: RawPcapRecord[] = [
      { sec: 1700000000, frac: 123456789, data: F1 },
      { sec: 1700000000, frac: 999999999, data: F2 },
      { sec: 1, frac: 1, data: F1 },
    ];
    const { summary, packets } = await readAll(tmp.file('ns.pcap', rawPcap(recs, { bigEndian, magic: 0xa1b23c4d })));
    expect(summary).toMatchObject({ format: 'pcap', packets: 3, error: null });
    // A double near 1.7e9 has a resolution of 2^-22 s (~0.24 µs).
    expect(Math.abs(packets[0]!.ts - 1700000000.123456789)).toBeLessThanOrEqual(2 ** -22);
    expect(Math.abs(packets[1]!.ts - 1700000000.999999999)).toBeLessThanOrEqual(2 ** -22);
    expect(packets[1]!.ts).toBeGreaterThan(packets[0]!.ts);
    expect(Math.abs(packets[2]!.ts - 1.000000001)).toBeLessThan(1e-15);
    // Read as µs the same file would be wrong by orders of magnitude: make sure ns was recognised.
    expect(packets[0]!.ts).toBeLessThan(1700000000.2);
  });
});

describe('record lengths', () => {
  it('caplen < len: the packet holds caplen bytes and remembers the wire length', async () => {
    const { summary, packets } = await readAll(tmp.file('snap.pcap', rawPcap([
      { sec: 1, frac: 0, data: F3.subarray(0, 96), wirelen: 1514 },
      { sec: 2, frac: 0, data: F1 },
    ], { snaplen: 96 })));
    expect(summary).toMatchObject({ packets: 2, error: null });
    expect(packets.map((p) => [p.caplen, p.wirelen])).toEqual([[96, 1514], [F1.length, F1.length]]);
    expect(packets[0]!.data).toEqual(F3.subarray(0, 96));
  });

  it('an original length below caplen is raised to caplen (the frame was at least that long)', async () => {
    const { packets } = await readAll(tmp.file('orig0.pcap', rawPcap([{ sec: 1, frac: 0, data: F1, wirelen: 0 }, { sec: 1, frac: 0, data: F2, wirelen: 10 }])));
    expect(packets.map((p) => p.wirelen)).toEqual([F1.length, F2.length]);
  });

  it('accepts records up to a large snaplen (1 MiB jumbo / offload captures)', async () => {
    const big = Buffer.alloc(600_000, 0x5a);
    const { summary, packets } = await readAll(tmp.file('jumbo.pcap', rawPcap([{ sec: 1, frac: 0, data: big }], { snaplen: 1 << 20 })));
    expect(summary).toMatchObject({ packets: 1, error: null });
    expect(packets[0]!.caplen).toBe(600_000);
  });

  it('zero-length records are delivered as packets with caplen 0', async () => {
    const { summary, packets } = await readAll(tmp.file('zero.pcap', rawPcap([{ sec: 1, frac: 0, data: [] }, { sec: 2, frac: 0, data: F1 }])));
    expect(summary).toMatchObject({ packets: 2, error: null });
    expect(packets.map((p) => p.caplen)).toEqual([0, F1.length]);
  });
});

describe('header variants', () => {
  it('the modified pcap magic (0xa1b2cd34) has 24-byte record headers', async () => {
    const { summary, packets } = await readAll(tmp.file('mod.pcap', rawPcap(RECORDS, { modified: true })));
    expect(summary).toMatchObject({ format: 'pcap', packets: 3, error: null });
    expect(packets.map((p) => p.caplen)).toEqual([F1.length, F2.length, 1000]);
    expect(packets[2]!.data).toEqual(F3);
  });

  it('link type with FCS bits in the upper nibble keeps the low 16 bits', async () => {
    const { summary, packets } = await readAll(tmp.file('fcs.pcap', rawPcap([{ sec: 1, frac: 0, data: F1 }], { linkType: 0x14000001 })));
    expect(summary).toMatchObject({ linkTypes: [1], packets: 1, error: null });
    expect(packets[0]!.linkType).toBe(1);
  });

  it.each([0, 12, 101, 108, 113, 228, 229, 276])('reports link type %i on every packet', async (lt) => {
    const { summary, packets } = await readAll(tmp.file('lt.pcap', rawPcap([{ sec: 1, frac: 0, data: F1 }, { sec: 2, frac: 0, data: F1 }], { linkType: lt })));
    expect(summary.linkTypes).toEqual([lt]);
    expect(packets.map((p) => p.linkType)).toEqual([lt, lt]);
  });

  it('a header with no records is an empty, complete capture', async () => {
    const { summary } = await readAll(tmp.file('hdr.pcap', rawPcap([])));
    expect(summary).toMatchObject({ format: 'pcap', packets: 0, error: null, firstTs: null, lastTs: null, bytes: 24 });
  });
});

describe('gzip, streams and buffering', () => {
  it('a gzip-compressed pcap named .pcap is recognised by its magic', async () => {
    const file = rawPcap(RECORDS);
    const { summary, packets } = await readAll(tmp.file('compressed.pcap', gzipSync(file)));
    expect(summary).toMatchObject({ format: 'pcap+gzip', packets: 3, error: null, bytes: file.length });
    expect(packets[2]!.data).toEqual(F3);
  });

  it('reads from a Readable stream delivered in tiny chunks (records split across chunks)', async () => {
    const file = rawPcap(RECORDS, { bigEndian: true });
    const chunks: Buffer[] = [];
    for (let i = 0; i < file.length; i += 7) chunks.push(file.subarray(i, i + 7));
    const { summary, packets } = await readSource('stream', await openStream(Readable.from(chunks)));
    expect(summary).toMatchObject({ source: 'stream', format: 'pcap', packets: 3, error: null, bytes: file.length });
    expect(packets.map((p) => p.data)).toEqual([Buffer.from(F1), Buffer.from(F2), F3]);
  });

  it('reads a gzip stream', async () => {
    const gz = gzipSync(rawPcap(RECORDS));
    const { summary, packets } = await readSource('-', await openStream(Readable.from([gz.subarray(0, 10), gz.subarray(10)])));
    expect(summary).toMatchObject({ format: 'pcap+gzip', packets: 3, error: null });
    expect(packets.map((p) => p.caplen)).toEqual([F1.length, F2.length, 1000]);
  });

  it('an empty stream is reported as an empty input, not a throw', async () => {
    const { summary } = await readSource('-', await openStream(Readable.from([])));
    expect(summary.packets).toBe(0);
    expect(summary.error).toMatch(/^-: byte 0: not a pcap or pcapng file \(file is empty\)/);
  });

  it('a small read buffer still reads records larger than the buffer', async () => {
    const file = rawPcap(RECORDS);
    const { summary, packets } = await readAll(tmp.file('chunk.pcap', file), { chunkSize: 64 });
    expect(summary).toMatchObject({ packets: 3, error: null, bytes: file.length });
    expect(packets[2]!.data).toEqual(F3);
  });

  it('more packets than one batch holds: all delivered, in order, with their own bytes', async () => {
    const recs: RawPcapRecord[] = [];
    for (let i = 0; i < 10_000; i++) recs.push({ sec: 1000 + i, frac: 0, data: [i & 0xff, (i >> 8) & 0xff, 0xee] });
    const { summary, packets } = await readAll(tmp.file('many.pcap', rawPcap(recs)), { chunkSize: 4096 });
    expect(summary).toMatchObject({ packets: 10_000, error: null, firstTs: 1000, lastTs: 10_999 });
    expect(packets.every((p, i) => p.ts === 1000 + i && p.data[0] === (i & 0xff) && p.data[1] === ((i >> 8) & 0xff))).toBe(true);
  });

  it('progress reports reach the file size', async () => {
    const file = rawPcap(RECORDS);
    const seen: [number, number | null][] = [];
    await readAll(tmp.file('prog.pcap', file), { onProgress: (d, t) => seen.push([d, t]) });
    expect(seen.at(-1)).toEqual([file.length, file.length]);
  });

  it('shouldStop ends the read early without an error', async () => {
    const { summary } = await readAll(tmp.file('stop.pcap', rawPcap(RECORDS)), { shouldStop: () => true });
    expect(summary).toMatchObject({ packets: 0, error: null });
  });
});
