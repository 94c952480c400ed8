/**
 * Property tests (seeded, reproducible: FLOWAUDIT_FUZZ_SEED overrides the seed): random bytes
 * and mutated captures — bit flips, truncation, corrupted length fields, spliced ranges, of
 * builder-made files and of real corpus files — go through the reader, the decoder and the
 * flow table. Nothing may throw or hang; the reader never delivers more packets than the bytes
 * could hold; every packet ends as decoded, non-IP or a named reason; and the decoder's result
 * depends only on the packet's own bytes (it never reads past the captured length).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ethernet, ipPacket, pcapFile, pcapngFile, tcpFrame, tcpSegment, udpDatagram, udpFrame, icmpEcho,
} from '../../fixtures/lib/packet-builder.js';
import { readCaptureSource } from '../../src/capture/capture-reader.js';
import type { PacketBatch } from '../../src/capture/packet-batch.js';
import { DecodedPacket, KIND_ERROR, KIND_IP, KIND_NON_IP, REASONS } from '../../src/decode/decoded-packet.js';
import { decodeInner, decodePacket } from '../../src/decode/decoder.js';
import { SUPPORTED_LINKTYPES } from '../../src/decode/link-layer.js';
import { collectFlows } from '../helpers/collect-flows.js';
import { CORPUS, HAVE_CORPUS, NO_CORPUS_MESSAGE } from '../helpers/corpus.js';
import { NgWriter, TempDir, memorySource, rawPcap } from '../helpers/capture-files.js';
import { u16 } from '../helpers/frame-bytes.js';
import { prng, randInt } from '../helpers/rng.js';

const SEED = Number(process.env.FLOWAUDIT_FUZZ_SEED ?? 0x5eed2024);
const MUTATIONS = 2000;
const tmp = new TempDir();
afterAll(() => tmp.cleanup());

// ---- seeds ---------------------------------------------------------------------------------

function sampleFrames(): number[][] {
  const inner = ipPacket('10.9.9.9', '10.1.1.1', 6, tcpSegment('10.9.9.9', 5000, '10.1.1.1', 135, { flags: 'S', options: [2, 4, 5, 0xb4, 1, 3, 3, 8, 4, 2, 76, 4, 1, 2] }));
  const innerEth = ethernet(inner, 0x0800, [12]);
  const v6 = ipPacket('2001:db8::1', '2001:db8::2', 0, [44, 0, 1, 4, 0, 0, 0, 0, 17, 0, 0, 1, 0, 0, 0, 9,
    ...udpDatagram('2001:db8::1', 546, '2001:db8::2', 547, 'dhcpv6')]);
  return [
    tcpFrame('10.0.0.1', 40000, '10.0.0.2', 445, { flags: 'S', options: [2, 4, 5, 0xb4] }),
    tcpFrame('10.0.0.2', 445, '10.0.0.1', 40000, { flags: 'PA', payload: 'SMB'.repeat(40) }, [100, 200]),
    udpFrame('10.0.0.3', 4789, '10.0.0.4', 4789, [0x08, 0, 0, 0, 0, 0, 1, 0, ...innerEth]),
    udpFrame('10.0.0.3', 1, '10.0.0.4', 6081, [0, 0, ...u16(0x6558), 0, 0, 1, 0, ...innerEth]),
    udpFrame('10.0.0.3', 2152, '10.0.0.4', 2152, [0x30, 0xff, ...u16(inner.length), 0, 0, 0, 1, ...inner]),
    ethernet(ipPacket('10.0.0.5', '10.0.0.6', 47, [0x10, 0, ...u16(0x88be), 0, 0, 0, 1, 0x10, 0x0a, 0, 1, 0, 0, 0, 0, ...innerEth]), 0x0800),
    ethernet(ipPacket('10.0.0.5', '10.0.0.6', 47, [0, 0, ...u16(0x0800), ...inner]), 0x0800),
    ethernet(ipPacket('10.0.0.5', '10.0.0.6', 4, inner), 0x0800),
    ethernet(v6, 0x86dd),
    ethernet(ipPacket('10.0.0.1', '10.0.0.2', 17, udpDatagram('10.0.0.1', 9, '10.0.0.2', 9, 'x'.repeat(64)).slice(0, 40), { moreFragments: true, id: 3 }), 0x0800),
    ethernet(ipPacket('10.0.0.2', '10.0.0.1', 1, [3, 3, 0, 0, 0, 0, 0, 0, ...ipPacket('10.0.0.1', '10.0.0.2', 17, udpDatagram('10.0.0.1', 9, '10.0.0.2', 9, 'q')).slice(0, 28)]), 0x0800),
    ethernet(ipPacket('10.0.0.1', '10.0.0.2', 1, icmpEcho(8, 1, 1, [1, 2, 3])), 0x0800),
  ];
}

function builderCaptures(): Buffer[] {
  const frames = sampleFrames();
  const recs = frames.map((data, i) => ({ ts: 1700000000 + i * 0.001, data }));
  const w = new NgWriter();
  const b = new NgWriter(true);
  return [
    pcapFile(recs),
    pcapFile(recs, { bigEndian: true, nanos: true }),
    rawPcap(frames.map((data, i) => ({ sec: i, frac: 0, data, wirelen: data.length + 4 })), { modified: true, snaplen: 128 }),
    pcapngFile([
      { interfaces: [{ linkType: 1 }, { linkType: 1, tsresol: 9 }], packets: recs.map((r, i) => ({ ...r, iface: i % 2, simple: i === 5 })) },
      { bigEndian: true, interfaces: [{ linkType: 1, tsresol: 0x80 | 20 }], packets: recs.slice(0, 4).map((r) => ({ ...r, iface: 0 })) },
    ]),
    Buffer.concat([w.shb(), w.nrb(), w.idb(1, 96), w.epb(0, 1n, frames[1]!), w.spb(frames[2]!), w.isb(0, 3n), w.custom(0x40000bad, [1, 2, 3, 4]),
      b.shb(), b.idb(113), b.opb(0, 9n, [0, 0, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0, 8, 0, ...frames[0]!.slice(14)])]),
  ];
}

function corpusCaptures(): { name: string; bytes: Buffer }[] {
  if (!HAVE_CORPUS) return [];
  const out: { name: string; bytes: Buffer }[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (statSync(p).size <= 48 * 1024) out.push({ name: relative(CORPUS, p), bytes: readFileSync(p) });
    }
  };
  walk(join(CORPUS, 'real'));
  out.sort((a, b) => (a.name < b.name ? -1 : 1));
  // A spread of about 40 files across every source folder.
  const step = Math.max(1, Math.floor(out.length / 40));
  return out.filter((_, i) => i % step === 0);
}

// ---- structure of a capture (to aim mutations at length fields) -----------------------------

interface Field { at: number; size: 4; little: boolean }

function lengthFields(buf: Buffer): Field[] {
  const out: Field[] = [];
  if (buf.length < 24) return out;
  const le = buf.readUInt32LE(0);
  if (le === 0x0a0d0d0a) {
    let pos = 0;
    let little = true;
    while (pos + 12 <= buf.length) {
      if (buf.readUInt32LE(pos) === 0x0a0d0d0a) little = buf.readUInt32LE(pos + 8) === 0x1a2b3c4d;
      const len = little ? buf.readUInt32LE(pos + 4) : buf.readUInt32BE(pos + 4);
      if (len < 12 || pos + len > buf.length) break;
      const type = little ? buf.readUInt32LE(pos) : buf.readUInt32BE(pos);
      out.push({ at: pos + 4, size: 4, little }, { at: pos + len - 4, size: 4, little });
      if ((type === 6 || type === 2) && len >= 32) out.push({ at: pos + 20, size: 4, little }, { at: pos + 24, size: 4, little });
      if (type === 3 && len >= 16) out.push({ at: pos + 8, size: 4, little });
      pos += len;
    }
    return out;
  }
  const little = le === 0xa1b2c3d4 || le === 0xa1b23c4d || le === 0xa1b2cd34;
  const hdr = (little ? le : buf.readUInt32BE(0)) === 0xa1b2cd34 ? 24 : 16;
  out.push({ at: 16, size: 4, little }, { at: 20, size: 4, little });
  let pos = 24;
  while (pos + hdr <= buf.length) {
    const cap = little ? buf.readUInt32LE(pos + 8) : buf.readUInt32BE(pos + 8);
    out.push({ at: pos + 8, size: 4, little }, { at: pos + 12, size: 4, little });
    pos += hdr + cap;
  }
  return out;
}

// ---- mutations -------------------------------------------------------------------------------

type Mutation = (r: () => number, b: Buffer) => Buffer;

const MUTATORS: [string, Mutation][] = [
  ['bit-flips', (r, b) => {
    const m = Buffer.from(b);
    const n = randInt(r, 1, 8);
    for (let i = 0; i < n && m.length; i++) m[randInt(r, 0, m.length - 1)]! ^= 1 << randInt(r, 0, 7);
    return m;
  }],
  ['truncate', (r, b) => b.subarray(0, randInt(r, 0, b.length))],
  ['length-field', (r, b) => {
    const fields = lengthFields(b);
    const m = Buffer.from(b);
    if (!fields.length) return m;
    const f = fields[randInt(r, 0, fields.length - 1)]!;
    const choices = [0, 1, 3, 11, 12, 13, 0xffff, 0x10000, 0x7fffffff, 0xffffffff, randInt(r, 0, 4096), (f.little ? m.readUInt32LE(f.at) : m.readUInt32BE(f.at)) + randInt(r, -8, 8)];
    const v = choices[randInt(r, 0, choices.length - 1)]! >>> 0;
    if (f.little) m.writeUInt32LE(v, f.at);
    else m.writeUInt32BE(v, f.at);
    return m;
  }],
  ['splice', (r, b) => {
    if (b.length < 8) return b;
    const a = randInt(r, 0, b.length - 1);
    const z = randInt(r, a, Math.min(b.length, a + 64));
    return r() < 0.5 ? Buffer.concat([b.subarray(0, a), b.subarray(z)]) : Buffer.concat([b.subarray(0, z), b.subarray(a, z), b.subarray(z)]);
  }],
  ['random-body', (r, b) => {
    const m = Buffer.from(b.subarray(0, Math.min(b.length, 24)));
    const tail = Buffer.alloc(randInt(r, 0, 600));
    for (let i = 0; i < tail.length; i++) tail[i] = randInt(r, 0, 255);
    return Buffer.concat([m, tail]);
  }],
  ['random', (r) => {
    const m = Buffer.alloc(randInt(r, 0, 300));
    for (let i = 0; i < m.length; i++) m[i] = randInt(r, 0, 255);
    return m;
  }],
];

// ---- invariants ------------------------------------------------------------------------------

const p1 = new DecodedPacket();
const p2 = new DecodedPacket();
const LINKTYPES: readonly number[] = SUPPORTED_LINKTYPES;

/** The fields that describe a decode result (stale fields of an error result are not part of it). */
function outcome(p: DecodedPacket, base: number): string {
  if (p.kind === KIND_ERROR) return `E${p.reason}`;
  if (p.kind === KIND_NON_IP) return `N${p.vlanCount}/${p.vlan0}/${p.vlan1}`;
  return [p.kind, p.ipVersion, p.a0, p.a1, p.a2, p.a3, p.b0, p.b1, p.b2, p.b3, p.proto, p.ipLen, p.hasPorts, p.sport, p.dport,
    p.vlanCount, p.vlan0, p.vlan1, p.isFragment, p.tcpFlags, p.tcpOptKinds.subarray(0, p.tcpOptCount).join('.'), p.icmpError,
    p.payloadLen, p.payloadCaptured, p.innerKind, p.innerKind ? p.innerOff - base : 0, p.innerKind ? p.innerEnd - base : 0, p.tunnel].join(',');
}

function checkDecoded(p: DecodedPacket, where: string): void {
  if (p.kind === KIND_ERROR) {
    if (!(p.reason >= 1 && p.reason < REASONS.length)) throw new Error(`${where}: error without a known reason (${p.reason})`);
  } else if (p.kind !== KIND_IP && p.kind !== KIND_NON_IP) throw new Error(`${where}: unknown kind ${p.kind}`);
}

/** Decodes one packet twice, in buffers with different bytes around it; the results must agree. */
function decodeBothWays(data: Buffer, linkType: number, where: string, r: () => number): void {
  const pre = randInt(r, 0, 9);
  const a = Buffer.concat([Buffer.alloc(pre, 0x00), data, Buffer.alloc(64, 0x00)]);
  const b = Buffer.concat([Buffer.alloc(pre + 3, 0xff), data, Buffer.alloc(64, 0xff)]);
  decodePacket(p1, a, pre, data.length, linkType);
  decodePacket(p2, b, pre + 3, data.length, linkType);
  checkDecoded(p1, where);
  const o1 = outcome(p1, pre);
  const o2 = outcome(p2, pre + 3);
  if (o1 !== o2) throw new Error(`${where}: decode of link type ${linkType} depends on bytes outside the packet: ${data.toString('hex')}\n  ${o1}\n  ${o2}`);
  for (let depth = 0; depth < 4 && p1.kind === KIND_IP && p1.innerKind !== 0; depth++) {
    decodeInner(p1, a);
    decodeInner(p2, b);
    checkDecoded(p1, `${where} (inner ${depth})`);
    const i1 = outcome(p1, pre);
    const i2 = outcome(p2, pre + 3);
    if (i1 !== i2) throw new Error(`${where}: inner decode depends on bytes outside the packet: ${data.toString('hex')}\n  ${i1}\n  ${i2}`);
  }
}

async function readMutant(name: string, bytes: Buffer, r: () => number) {
  const packets: { data: Buffer; linkType: number; caplen: number }[] = [];
  let delivered = 0;
  const summary = await readCaptureSource(name, memorySource(bytes, r() < 0.3 ? randInt(r, 1, 64) : Number.MAX_SAFE_INTEGER), (batch: PacketBatch) => {
    for (let i = 0; i < batch.count; i++) {
      delivered++;
      const off = batch.offset[i]!;
      const cap = batch.caplen[i]!;
      if (off + cap > batch.data.length) throw new Error(`${name}: packet ${delivered} lies outside its buffer`);
      packets.push({ data: Buffer.from(batch.data.subarray(off, off + cap)), linkType: batch.linkType[i]!, caplen: cap });
    }
  }, { chunkSize: r() < 0.3 ? randInt(r, 16, 512) : undefined });
  return { summary, packets, delivered };
}

describe('property: damaged and random captures', () => {
  const seeds: { name: string; bytes: Buffer }[] = [
    ...builderCaptures().map((bytes, i) => ({ name: `builder-${i}`, bytes })),
    ...corpusCaptures(),
  ];
  if (!HAVE_CORPUS) console.warn(`${NO_CORPUS_MESSAGE} (the property test uses builder-made captures only)`);

  it(`${MUTATIONS} mutations: no throw, packets bounded by the bytes, every packet decodes to a known outcome`, async () => {
    const r = prng(SEED);
    const counts = new Map<string, number>();
    let flowRuns = 0;
    for (let i = 0; i < MUTATIONS; i++) {
      const seed = seeds[randInt(r, 0, seeds.length - 1)]!;
      const [mname, mutate] = MUTATORS[randInt(r, 0, MUTATORS.length - 1)]!;
      let bytes = mutate(r, seed.bytes);
      if (r() < 0.3) bytes = MUTATORS[randInt(r, 0, 3)]![1](r, bytes); // sometimes two mutations
      const where = `seed ${SEED} #${i} ${mname}(${seed.name}) ${bytes.length} bytes`;
      counts.set(mname, (counts.get(mname) ?? 0) + 1);
      let res;
      try {
        res = await readMutant(where, bytes, r);
      } catch (e) {
        throw new Error(`${where}: reader threw ${(e as Error).stack}`);
      }
      const { summary, packets, delivered } = res;
      // Packets with a time out of range are counted but not handed on.
      expect(summary.packets - summary.timeOutOfRange, where).toBe(delivered);
      // Every record costs at least a 16-byte header (pcap) or a 16-byte block (pcapng SPB).
      expect(delivered, where).toBeLessThanOrEqual(Math.floor(bytes.length / 16));
      expect(packets.reduce((s, p) => s + p.caplen, 0), where).toBeLessThanOrEqual(bytes.length);
      expect(summary.bytes, where).toBeLessThanOrEqual(bytes.length);
      if (summary.error !== null) expect(summary.error.startsWith(`${where}: `), `${where}: ${summary.error}`).toBe(true);
      for (const [k, pk] of packets.entries()) {
        decodeBothWays(pk.data, pk.linkType, `${where} packet ${k}`, r);
        // The same bytes under another link type must not break the decoder either.
        decodeBothWays(pk.data, LINKTYPES[randInt(r, 0, LINKTYPES.length - 1)]!, `${where} packet ${k} (relabelled)`, r);
      }
      if (i % 10 === 0) {
        flowRuns++;
        const path = tmp.file('mutant.pcap', bytes);
        const { flows, summary: s2 } = await collectFlows(path);
        expect(s2.packets, where).toBe(summary.packets);
        for (const f of flows) {
          expect(f.origPackets + f.respPackets, where).toBeGreaterThan(0);
          expect(f.end, where).toBeGreaterThanOrEqual(f.start);
          expect(f.communityId, where).toMatch(/^1:[A-Za-z0-9+/]{27}=$/);
        }
        const flowPackets = flows.reduce((s, f) => s + f.origPackets + f.respPackets, 0);
        expect(flowPackets, where).toBeLessThanOrEqual(delivered * 5);
      }
    }
    expect([...counts.values()].every((n) => n > 100)).toBe(true);
    expect(flowRuns).toBe(MUTATIONS / 10);
  }, 60_000);

  it('random packets under every supported link type decode to a known outcome without reading outside the packet', () => {
    const r = prng(SEED ^ 0xabcdef);
    for (let i = 0; i < 20_000; i++) {
      const lt = LINKTYPES[randInt(r, 0, LINKTYPES.length - 1)]!;
      const data = Buffer.alloc(randInt(r, 0, 120));
      for (let j = 0; j < data.length; j++) data[j] = randInt(r, 0, 255);
      // Bias towards plausible headers so that deep layers are reached.
      const ipAt = lt === 1 ? 14 : lt === 113 ? 16 : lt === 276 ? 20 : lt === 0 || lt === 108 ? 4 : 0;
      if (data.length > ipAt + 10 && r() < 0.8) {
        const v6 = r() < 0.4;
        data[ipAt] = v6 ? 0x60 : 0x45;
        if (lt === 1) { data[12] = v6 ? 0x86 : 0x08; data[13] = v6 ? 0xdd : 0x00; }
        if (lt === 113) { data[14] = v6 ? 0x86 : 0x08; data[15] = v6 ? 0xdd : 0x00; }
        if (lt === 276) { data[0] = v6 ? 0x86 : 0x08; data[1] = v6 ? 0xdd : 0x00; }
        if (lt === 0 || lt === 108) { data.writeUInt32BE(v6 ? 10 : 2, 0); }
        if (v6) data[ipAt + 6] = [6, 17, 58, 0, 43, 44, 60, 51, 47, 4, 41][randInt(r, 0, 10)]!;
        else { data[ipAt + 9] = [6, 17, 1, 47, 4, 41][randInt(r, 0, 5)]!; data[ipAt + 6] &= 0x20; data[ipAt + 7] = 0; }
      }
      decodeBothWays(data, lt, `seed ${SEED} random packet ${i}`, r);
    }
  });

  it('mutated tunnel frames decode without reading outside the packet', () => {
    const r = prng(SEED ^ 0x7777);
    const frames = sampleFrames().map((f) => Buffer.from(f));
    for (let i = 0; i < 20_000; i++) {
      const f = Buffer.from(frames[randInt(r, 0, frames.length - 1)]!);
      const n = randInt(r, 1, 4);
      for (let k = 0; k < n; k++) f[randInt(r, 0, f.length - 1)] = randInt(r, 0, 255);
      const cut = r() < 0.5 ? f.subarray(0, randInt(r, 0, f.length)) : f;
      decodeBothWays(cut, 1, `seed ${SEED} tunnel mutant ${i}`, r);
    }
  });
});

describe('property: truncating a valid capture', () => {
  function boundaries(buf: Buffer): { records: number[]; first: number } {
    // Offsets where a record / block ends, and the offset after the file header.
    const ends: number[] = [];
    if (buf.readUInt32LE(0) === 0x0a0d0d0a) {
      let pos = 0;
      let little = true;
      while (pos < buf.length) {
        if (buf.readUInt32LE(pos) === 0x0a0d0d0a) little = buf.readUInt32LE(pos + 8) === 0x1a2b3c4d;
        pos += little ? buf.readUInt32LE(pos + 4) : buf.readUInt32BE(pos + 4);
        ends.push(pos);
      }
      return { records: ends, first: ends[0]! };
    }
    const little = buf.readUInt32LE(0) === 0xa1b2c3d4 || buf.readUInt32LE(0) === 0xa1b23c4d || buf.readUInt32LE(0) === 0xa1b2cd34;
    const hdr = (little ? buf.readUInt32LE(0) : buf.readUInt32BE(0)) === 0xa1b2cd34 ? 24 : 16;
    let pos = 24;
    while (pos < buf.length) {
      pos += hdr + (little ? buf.readUInt32LE(pos + 8) : buf.readUInt32BE(pos + 8));
      ends.push(pos);
    }
    return { records: ends, first: 24 };
  }

  it('delivers exactly the complete records of the prefix, with an error unless it ends on a boundary', async () => {
    const r = prng(SEED ^ 0x1234);
    const captures = builderCaptures();
    for (let i = 0; i < 300; i++) {
      const cap = captures[randInt(r, 0, captures.length - 1)]!;
      const { records, first } = boundaries(cap);
      const isNg = cap.readUInt32LE(0) === 0x0a0d0d0a;
      // pcapng: packet blocks among the blocks; count packets per complete prefix by reading the whole file once.
      const whole = await readMutant('whole', cap, () => 0.9);
      const k = randInt(r, 0, cap.length);
      const { summary, delivered } = await readMutant(`cut@${k}`, cap.subarray(0, k), r);
      const complete = records.filter((e) => e <= k);
      const onBoundary = k === 0 ? false : k === first || records.includes(k);
      if (!isNg) {
        expect(delivered, `pcap cut at ${k}`).toBe(k < first ? 0 : complete.length);
      } else {
        // Packets of complete blocks only: never more than the whole file has, and all of them at full length.
        expect(delivered).toBeLessThanOrEqual(whole.delivered);
        if (k === cap.length) expect(delivered).toBe(whole.delivered);
      }
      if (onBoundary) expect(summary.error, `cut at ${k} (a boundary)`).toBeNull();
      else expect(summary.error, `cut at ${k}`).not.toBeNull();
    }
  });
});
