/**
 * Damaged captures never throw out of the reader: the packets before the damage are delivered,
 * and `summary.error` names the file and the byte offset where it broke.
 */
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { tcpFrame } from '../../fixtures/lib/packet-builder.js';
import { NgWriter, TempDir, ngBlock, rawPcap, readAll, type RawPcapRecord } from '../helpers/capture-files.js';

const tmp = new TempDir();
afterAll(() => tmp.cleanup());

const FRAME = Buffer.from(tcpFrame('10.0.0.1', 40000, '10.0.0.2', 80, { flags: 'S' }));
const REC = 16 + FRAME.length;
const five: RawPcapRecord[] = Array.from({ length: 5 }, (_, i) => ({ sec: 100 + i, frac: 0, data: FRAME }));

function esc(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('classic pcap damage', () => {
  it('bad magic: no packets, error at byte 0 with the magic seen', async () => {
    const path = tmp.file('bad-magic.pcap', Buffer.concat([Buffer.from([0xde, 0xad, 0xbe, 0xef]), rawPcap(five).subarray(4)]));
    const { summary, packets } = await readAll(path);
    expect(packets).toHaveLength(0);
    expect(summary.error).toMatch(new RegExp(`^${esc(path)}: byte 0: .*0xdeadbeef`));
  });

  it('an empty file is reported, not thrown', async () => {
    const path = tmp.file('empty.pcap', Buffer.alloc(0));
    const { summary } = await readAll(path);
    expect(summary.packets).toBe(0);
    expect(summary.error).toMatch(new RegExp(`^${esc(path)}: byte 0: .*empty`));
  });

  it('absurd record length: the records before it are delivered, error names its offset', async () => {
    const file = rawPcap(five, { snaplen: 65535 });
    const bad = 24 + 3 * REC;
    file.writeUInt32LE(0x7fffffff, bad + 8);
    const path = tmp.file('absurd.pcap', file);
    const { summary, packets } = await readAll(path);
    expect(packets.map((p) => p.ts)).toEqual([100, 101, 102]);
    expect(summary.packets).toBe(3);
    expect(summary.error).toMatch(new RegExp(`^${esc(path)}: byte ${bad}: .*2147483647`));
  });

  it('a record cut short at the end of the file: the complete records are delivered', async () => {
    const file = rawPcap(five);
    const path = tmp.file('cut.pcap', file.subarray(0, file.length - 10));
    const { summary, packets } = await readAll(path);
    expect(packets).toHaveLength(4);
    expect(summary.error).toContain(path);
    expect(summary.error).toMatch(new RegExp(`cut short.*byte ${24 + 4 * REC}`));
  });

  it('a record header cut short at the end of the file', async () => {
    const file = rawPcap(five);
    const path = tmp.file('cuthdr.pcap', file.subarray(0, 24 + 2 * REC + 9));
    const { summary, packets } = await readAll(path);
    expect(packets).toHaveLength(2);
    expect(summary.error).toMatch(new RegExp(`^${esc(path)}: .*byte ${24 + 2 * REC}`));
  });

  it('a file header cut short', async () => {
    const path = tmp.file('cutfh.pcap', rawPcap(five).subarray(0, 20));
    const { summary, packets } = await readAll(path);
    expect(packets).toHaveLength(0);
    expect(summary.error).toContain(path);
    expect(summary.error).toMatch(/24 bytes/);
  });

  it('reserved bits in the link type field: error at byte 20', async () => {
    const path = tmp.file('lt.pcap', rawPcap(five, { linkType: 0x00300001 }));
    const { summary, packets } = await readAll(path);
    expect(packets).toHaveLength(0);
    expect(summary.error).toMatch(new RegExp(`^${esc(path)}: byte 20: `));
  });

  it('a pcap major version other than 2 is refused with an error at its offset (as libpcap and tshark do)', async () => {
    const path = tmp.file('v1.pcap', rawPcap(five, { versionMajor: 1, versionMinor: 4 }));
    const { summary } = await readAll(path);
    expect(summary.error ?? '(no error: the file was read as if valid)').toMatch(new RegExp(`^${esc(path)}: byte [0-9]+: `));
  });

  it('gzip damage: the offset refers to the uncompressed stream', async () => {
    const file = rawPcap(five);
    file.writeUInt32LE(0x7fffffff, 24 + REC + 8);
    const path = tmp.file('damaged.pcap.gz', gzipSync(file));
    const { summary, packets } = await readAll(path);
    expect(packets).toHaveLength(1);
    expect(summary.error).toMatch(new RegExp(`^${esc(path)}: uncompressed byte ${24 + REC}: `));
  });

  it('a truncated gzip stream still delivers the packets decompressed so far', async () => {
    const big: RawPcapRecord[] = Array.from({ length: 2000 }, (_, i) => ({ sec: i, frac: 0, data: FRAME }));
    const gz = gzipSync(rawPcap(big));
    const path = tmp.file('trunc.pcap.gz', gz.subarray(0, Math.floor(gz.length / 2)));
    let summary;
    let packets;
    try {
      ({ summary, packets } = await readAll(path));
    } catch (e) {
      throw new Error(`reader threw on a truncated gzip file: ${(e as Error).message}`);
    }
    expect(packets.length).toBeGreaterThan(0);
    expect(packets.length).toBeLessThan(2000);
    expect(summary.error).toContain(path);
  });
});

describe('pcapng damage', () => {
  const w = new NgWriter();
  const blocks = () => [w.shb(), w.idb(1), w.epb(0, 1n, FRAME), w.epb(0, 2n, FRAME), w.epb(0, 3n, FRAME)];
  const offsets = () => {
    const b = blocks();
    const out: number[] = [];
    let at = 0;
    for (const x of b) { out.push(at); at += x.length; }
    return out;
  };

  it('a block whose trailing length disagrees: earlier packets kept, error at the trailer offset', async () => {
    const b = blocks();
    const off = offsets();
    const bad = ngBlock(6, b[3]!.subarray(8, b[3]!.length - 4), false, 0x1234);
    const path = tmp.file('trailer.pcapng', Buffer.concat([b[0]!, b[1]!, b[2]!, bad, b[4]!]));
    const { summary, packets } = await readAll(path);
    expect(packets.map((p) => p.ts)).toEqual([1e-6]);
    expect(summary.error).toMatch(new RegExp(`^${esc(path)}: byte ${off[3]! + bad.length - 4}: `));
  });

  it('a block total length that is not a multiple of 4, or absurdly large', async () => {
    for (const len of [30, 0x7ffffff0]) {
      const b = blocks();
      const off = offsets();
      const broken = Buffer.from(b[4]!);
      broken.writeUInt32LE(len, 4);
      const path = tmp.file('len.pcapng', Buffer.concat([...b.slice(0, 4), broken]));
      const { summary, packets } = await readAll(path);
      expect(packets).toHaveLength(2);
      expect(summary.error).toMatch(new RegExp(`^${esc(path)}: byte ${off[4]! + 4}: `));
    }
  });

  it('a block cut short at the end of the file', async () => {
    const b = Buffer.concat(blocks());
    const off = offsets();
    const path = tmp.file('cut.pcapng', b.subarray(0, b.length - 6));
    const { summary, packets } = await readAll(path);
    expect(packets).toHaveLength(2);
    expect(summary.error).toContain(path);
    expect(summary.error).toMatch(new RegExp(`byte ${off[4]}`));
  });

  it('a packet block naming an interface the section does not have', async () => {
    const off = offsets();
    const path = tmp.file('iface.pcapng', Buffer.concat([...blocks().slice(0, 3), w.epb(4, 9n, FRAME)]));
    const { summary, packets } = await readAll(path);
    expect(packets).toHaveLength(1);
    expect(summary.error).toMatch(new RegExp(`^${esc(path)}: byte ${off[3]}: .*interface 4`));
  });

  it('an EPB whose captured length exceeds its block', async () => {
    const epb = Buffer.from(w.epb(0, 5n, FRAME));
    epb.writeUInt32LE(FRAME.length + 100, 8 + 12);
    const off = offsets();
    const path = tmp.file('caplen.pcapng', Buffer.concat([...blocks().slice(0, 3), epb]));
    const { summary, packets } = await readAll(path);
    expect(packets).toHaveLength(1);
    expect(summary.error).toMatch(new RegExp(`^${esc(path)}: byte ${off[3]}: `));
  });

  it('a section header with an invalid byte-order magic', async () => {
    const shb2 = Buffer.from(w.shb());
    shb2.writeUInt32LE(0x11223344, 8);
    const b = Buffer.concat(blocks());
    const path = tmp.file('bom.pcapng', Buffer.concat([b, shb2, w.idb(1), w.epb(0, 1n, FRAME)]));
    const { summary, packets } = await readAll(path);
    expect(packets).toHaveLength(3);
    expect(summary.error).toMatch(new RegExp(`^${esc(path)}: byte ${b.length + 8}: `));
  });

  it('an unsupported section version (major 2, or 1.1) is refused with an error at its offset (as libpcap and tshark do)', async () => {
    for (const [major, minor] of [[2, 0], [1, 1]]) {
      const path = tmp.file('vers.pcapng', Buffer.concat([w.shb(major, minor), w.idb(1), w.epb(0, 1n, FRAME)]));
      const { summary } = await readAll(path);
      expect(summary.error ?? '(no error: the section was read as if valid)', `version ${major}.${minor}`).toMatch(new RegExp(`^${esc(path)}: byte [0-9]+: `));
    }
  });
});
