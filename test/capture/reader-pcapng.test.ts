/**
 * pcapng reader: section byte orders, several sections and interfaces, if_tsresol (powers of
 * 10 and of 2) and if_tsoffset, EPB / SPB / OPB, blocks to skip, ISB drop counters.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { pcapngFile, tcpFrame, udpFrame, ipPacket, udpDatagram } from '../../fixtures/lib/packet-builder.js';
import { NgWriter, TempDir, readAll } from '../helpers/capture-files.js';

const tmp = new TempDir();
afterAll(() => tmp.cleanup());

const ETH = tcpFrame('10.0.0.1', 40000, '10.0.0.2', 445, { flags: 'S' });
const ETH2 = udpFrame('10.0.0.3', 1900, '239.255.255.250', 1900, 'M-SEARCH * HTTP/1.1\r\n');
const RAWIP = ipPacket('10.0.0.9', '10.0.0.8', 17, udpDatagram('10.0.0.9', 123, '10.0.0.8', 123, 'ntp'));

function file(...blocks: Buffer[]): string {
  return tmp.file('t.pcapng', Buffer.concat(blocks));
}

describe('sections and byte order', () => {
  it.each([false, true])('bigEndian=%s: SHB, IDB, EPB with exact data, lengths and µs time', async (be) => {
    const w = new NgWriter(be);
    const { summary, packets } = await readAll(file(w.shb(), w.idb(1), w.epb(0, 1700000000123456n, ETH), w.epb(0, 1700000000123457n, ETH2, 1514)));
    expect(summary).toMatchObject({ format: 'pcapng', linkTypes: [1], packets: 2, error: null });
    expect(packets.map((p) => p.data)).toEqual([Buffer.from(ETH), Buffer.from(ETH2)]);
    expect(packets.map((p) => [p.caplen, p.wirelen, p.linkType])).toEqual([[ETH.length, ETH.length, 1], [ETH2.length, 1514, 1]]);
    expect(packets.map((p) => Math.round(p.ts * 1e6))).toEqual([1700000000123456, 1700000000123457]);
  });

  it('two sections of different byte order, each with its own interfaces', async () => {
    const le = new NgWriter(false);
    const be = new NgWriter(true);
    const { summary, packets } = await readAll(file(
      le.shb(), le.idb(1), le.epb(0, 1000000n, ETH),
      be.shb(), be.idb(101), be.idb(113), be.epb(1, 2000000n, [0, 0, 1, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0, 0, 8, 0, ...RAWIP]), be.epb(0, 3000000n, RAWIP),
    ));
    expect(summary).toMatchObject({ format: 'pcapng', packets: 3, error: null });
    expect([...summary.linkTypes].sort((a, b) => a - b)).toEqual([1, 101, 113]);
    expect(packets.map((p) => [p.linkType, p.ts])).toEqual([[1, 1], [113, 2], [101, 3]]);
    expect(packets[2]!.data).toEqual(Buffer.from(RAWIP));
  });

  it('interfaces do not carry over into the next section', async () => {
    const le = new NgWriter();
    const path = file(le.shb(), le.idb(1), le.idb(1), le.epb(1, 1n, ETH), le.shb(), le.idb(101), le.epb(1, 2n, RAWIP));
    const { summary, packets } = await readAll(path);
    expect(packets).toHaveLength(1);
    expect(summary.error).toMatch(/interface 1/);
  });

  it('the builder-made file with sections in both byte orders reads the same', async () => {
    const buf = pcapngFile([
      { interfaces: [{ linkType: 1 }], packets: [{ iface: 0, ts: 1.5, data: ETH }] },
      { bigEndian: true, interfaces: [{ linkType: 101 }, { linkType: 1, tsresol: 9 }], packets: [{ iface: 1, ts: 2.25, data: ETH2 }, { iface: 0, ts: 3, data: RAWIP }] },
    ]);
    const { summary, packets } = await readAll(tmp.file('b.pcapng', buf));
    expect(summary).toMatchObject({ packets: 3, error: null });
    expect(packets.map((p) => [p.linkType, p.ts, p.caplen])).toEqual([[1, 1.5, ETH.length], [1, 2.25, ETH2.length], [101, 3, RAWIP.length]]);
  });

  it('a section with no interfaces and no packets is complete and empty', async () => {
    const w = new NgWriter();
    const { summary } = await readAll(file(w.shb()));
    expect(summary).toMatchObject({ format: 'pcapng', packets: 0, error: null, linkTypes: [] });
  });
});

describe('timestamps', () => {
  it('if_tsresol 9 (nanoseconds) and 0x80|20 (2^-20 s) on different interfaces of one section', async () => {
    const w = new NgWriter();
    const units2 = (1700000000n << 20n) + (1n << 19n) + 1n; // 1700000000.5 + 2^-20
    const { packets } = await readAll(file(
      w.shb(), w.idb(1, 0, { tsresol: 9 }), w.idb(1, 0, { tsresol: 0x80 | 20 }), w.idb(1, 0, { tsresol: 3 }),
      w.epb(0, 1700000000123456789n, ETH), w.epb(1, units2, ETH), w.epb(2, 1700000000123n, ETH),
    ));
    expect(Math.abs(packets[0]!.ts - 1700000000.123456789)).toBeLessThanOrEqual(2 ** -21);
    expect(packets[1]!.ts).toBe(1700000000.5 + 2 ** -20);
    expect(packets[2]!.ts).toBeCloseTo(1700000000.123, 6);
  });

  it('if_tsoffset is a signed number of seconds (a negative offset moves times back)', async () => {
    const w = new NgWriter(true);
    const { packets } = await readAll(file(w.shb(), w.idb(1, 0, { tsoffset: BigInt.asUintN(64, -1000n) }), w.epb(0, 1700000000_000000n, ETH)));
    expect(packets[0]!.ts).toBe(1700000000 - 1000);
  });

  it('the default resolution is microseconds', async () => {
    const w = new NgWriter(true);
    const { packets } = await readAll(file(w.shb(), w.idb(1), w.epb(0, 5_000_001n, ETH)));
    expect(packets[0]!.ts).toBe(5.000001);
  });

  it('if_tsoffset (seconds) is added to every timestamp of the interface', async () => {
    const w = new NgWriter();
    const { packets } = await readAll(file(w.shb(), w.idb(1, 0, { tsoffset: 1600000000n }), w.idb(1), w.epb(0, 2_500_000n, ETH), w.epb(1, 2_500_000n, ETH)));
    expect(packets.map((p) => p.ts)).toEqual([1600000002.5, 2.5]);
  });
});

describe('packet blocks', () => {
  it('EPB with options after the data: the options are not part of the packet', async () => {
    const w = new NgWriter();
    const flags = w.option(2, w.u32(1));
    const comment = w.option(1, Buffer.from('a comment'));
    const { summary, packets } = await readAll(file(w.shb(), w.idb(1), w.epb(0, 1n, ETH2, undefined, [flags, comment])));
    expect(summary).toMatchObject({ packets: 1, error: null });
    expect(packets[0]!.data).toEqual(Buffer.from(ETH2));
  });

  it('SPB: interface 0, caplen bounded by the snaplen and by the block, wire length from the block', async () => {
    const w = new NgWriter();
    const data = Buffer.from(Array.from({ length: 100 }, (_, i) => i));
    const { summary, packets } = await readAll(file(
      w.shb(), w.idb(1, 64), w.epb(0, 7_000_000n, ETH),
      w.spb(data),                 // 100 bytes stored, snaplen 64
      w.spb(data.subarray(0, 40), 1514),  // snapped by the writer: 40 bytes stored
    ));
    expect(summary).toMatchObject({ packets: 3, error: null });
    expect(packets.slice(1).map((p) => [p.caplen, p.wirelen, p.linkType])).toEqual([[64, 100, 1], [40, 1514, 1]]);
    expect(packets[1]!.data).toEqual(data.subarray(0, 64));
    // An SPB has no timestamp: it takes the previous packet's time.
    expect(packets[1]!.ts).toBe(7);
  });

  it('SPB with snaplen 0 (unlimited) keeps the whole packet but not the block padding', async () => {
    const w = new NgWriter(true);
    const data = Buffer.from([1, 2, 3, 4, 5, 6, 7]);
    const { packets } = await readAll(file(w.shb(), w.idb(101, 0), w.spb(data)));
    expect(packets.map((p) => [p.caplen, p.wirelen])).toEqual([[7, 7]]);
    expect(packets[0]!.data).toEqual(data);
  });

  it('OPB (obsolete packet block, 16-bit interface id) is read like an EPB', async () => {
    for (const be of [false, true]) {
      const w = new NgWriter(be);
      const { summary, packets } = await readAll(file(w.shb(), w.idb(1), w.idb(101), w.opb(1, 4_000_000n, RAWIP, 1400)));
      expect(summary).toMatchObject({ packets: 1, error: null });
      expect(packets.map((p) => [p.linkType, p.ts, p.caplen, p.wirelen])).toEqual([[101, 4, RAWIP.length, 1400]]);
    }
  });

  it('skips NRB, DSB-like, custom (0xBAD, 0x40000BAD) and unknown blocks by their length', async () => {
    const w = new NgWriter(true);
    const { summary, packets } = await readAll(file(
      w.shb(), w.nrb(), w.custom(0x00000bad, [0, 0, 0x7e, 0x77, 1, 2, 3]), w.idb(1),
      w.custom(0x40000bad, [0, 0, 0x7e, 0x77]), w.epb(0, 1n, ETH), w.custom(0x0000000a, Buffer.alloc(40)),
      w.custom(0x12345678, Buffer.alloc(3)), w.epb(0, 2n, ETH2), w.nrb(),
    ));
    expect(summary).toMatchObject({ packets: 2, error: null, linkTypes: [1] });
    expect(packets.map((p) => p.caplen)).toEqual([ETH.length, ETH2.length]);
  });
});

describe('interface statistics', () => {
  it('ISB isb_ifdrop: the last counter per interface, summed over interfaces and sections', async () => {
    const le = new NgWriter();
    const be = new NgWriter(true);
    const { summary } = await readAll(file(
      le.shb(), le.idb(1), le.idb(1), le.epb(0, 1n, ETH),
      le.isb(0, 5n), le.isb(1, 2n), le.isb(0, 7n), le.isb(1),
      be.shb(), be.idb(1), be.isb(0, 100n),
    ));
    expect(summary.drops).toBe(7 + 2 + 100);
    expect(summary.error).toBeNull();
  });

  it('an ISB for an interface that does not exist is ignored', async () => {
    const w = new NgWriter();
    const { summary } = await readAll(file(w.shb(), w.idb(1), w.isb(3, 9n), w.epb(0, 1n, ETH)));
    expect(summary).toMatchObject({ packets: 1, error: null });
    expect(summary.drops ?? 0).toBe(0);
  });

  it('drops are null (unknown) when the file has no ISB drop counter', async () => {
    // ReadSummary.drops: "Interface drops recorded in the file (pcapng ISB), or null."
    const w = new NgWriter();
    const { summary } = await readAll(file(w.shb(), w.idb(1), w.epb(0, 1n, ETH)));
    expect(summary.drops).toBeNull();
  });
});
