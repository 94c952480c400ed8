/**
 * Mutations of a capture, aimed at what a reader trusts (layout.ts): record and block lengths,
 * timestamps, file and interface headers, packet bytes (headers of the link, IP and transport
 * layers first), packets cut short with consistent lengths, records spliced, and whole files
 * cut or bit-flipped. A case is a seed capture and one to three mutations, all drawn from the
 * case's own seed, so the same (run seed, case number, seed list) always gives the same bytes.
 */
import { layoutOf, read, write, type Field, type FieldKind, type Layout } from './layout.js';
import { caseSeed, pick, prng, randInt } from './rng.js';

export interface SeedCapture {
  /** Where it came from: "fixtures/example/estate.pcap", "corpus:real/zeek/x.pcap" ... */
  name: string;
  bytes: Buffer;
}

export interface FuzzCase {
  /** The run's seed and this case's number in it. */
  seed: number;
  index: number;
  /** The seed this case's randomness was drawn from. */
  caseSeed: number;
  base: string;
  /** What was done, in order ("timestamp: block 3 timestamp (high) = 0xffffffff"). */
  mutations: string[];
  bytes: Buffer;
  /** Largest read the byte source returns (small values cut records across reads). */
  readSize: number;
}

type R = () => number;
type Mutator = (r: R, b: Buffer, l: Layout) => { bytes: Buffer; note: string } | null;

const hex = (v: number) => `0x${(v >>> 0).toString(16)}`;

function interestingFor(r: R, f: Field, current: number): number {
  const max = f.size === 1 ? 0xff : f.size === 2 ? 0xffff : 0xffffffff;
  const common = [0, 1, max, max >>> 1, (max >>> 1) + 1, current + 1, current - 1, current + randInt(r, -16, 16), randInt(r, 0, max)];
  const byKind: Record<FieldKind, number[]> = {
    'record-length': [3, 11, 12, 13, 0xffff, 0x10000, 0x40000, current * 2, current >>> 1],
    'block-length': [8, 12, 13, 16, 28, 32, current + 4, current - 4, current + 2, 0x10000],
    // Far future and far past, a fraction of a second that is not one, and time running backwards.
    timestamp: [0xffffffff, 0x80000000, 0x7fffffff, 1_000_000, 1_000_000_000, 999_999_999, current - randInt(r, 1, 100_000)],
    header: [9999, 105, 127, 147, 0xa1b2c3d4, 0xd4c3b2a1, 0x1a2b3c4d, 2, 4, 6, 9, 0x80 | 30, 0x80 | 64, 0x7f],
  };
  return (pick(r, [...common, ...byKind[f.kind]]) >>> 0) & max;
}

function fieldMutator(kind: FieldKind): Mutator {
  return (r, b, l) => {
    const fields = l.fields.filter((f) => f.kind === kind);
    if (!fields.length) return null;
    const f = pick(r, fields);
    const m = Buffer.from(b);
    const current = read(m, f.at, f.size, f.little);
    const v = interestingFor(r, f, current);
    write(m, f.at, f.size, f.little, v);
    return { bytes: m, note: `${kind}: ${f.name} ${hex(current)} -> ${hex(v)}` };
  };
}

/** Bytes of the link, IP and transport headers are where decoders branch: aim there most often. */
const BYTES = [0x00, 0xff, 0x7f, 0x80, 0x45, 0x46, 0x4f, 0x60, 0x06, 0x11, 0x01, 0x3a, 0x2f, 0x04, 0x29, 0x2c, 0x08, 0x86, 0xdd, 0x81];

const payload: Mutator = (r, b, l) => {
  const pkts = l.packets.filter((p) => p.dataEnd > p.dataStart);
  if (!pkts.length) return null;
  const p = pick(r, pkts);
  const m = Buffer.from(b);
  const n = randInt(r, 1, 6);
  const changed: string[] = [];
  for (let i = 0; i < n; i++) {
    const span = p.dataEnd - p.dataStart;
    const off = r() < 0.75 ? randInt(r, 0, Math.min(span, 80) - 1) : randInt(r, 0, span - 1);
    const v = r() < 0.5 ? pick(r, BYTES) : randInt(r, 0, 255);
    m[p.dataStart + off] = v;
    changed.push(`${off}=${hex(v)}`);
  }
  return { bytes: m, note: `payload: packet at byte ${p.start}: ${changed.join(' ')}` };
};

/** A packet cut short whose container stays consistent: its captured length (and block length) shrink with it. */
const payloadCut: Mutator = (r, b, l) => {
  const pkts = l.packets.filter((p) => p.dataEnd - p.dataStart >= 4);
  if (!pkts.length) return null;
  const p = pick(r, pkts);
  const span = p.dataEnd - p.dataStart;
  // pcapng blocks stay 32-bit aligned: cut a multiple of 4 there.
  let cut = randInt(r, 1, span);
  if (p.blockLengthAt) cut -= cut % 4;
  if (cut <= 0) return null;
  const m = Buffer.concat([b.subarray(0, p.dataEnd - cut), b.subarray(p.dataEnd)]);
  if (p.caplenAt !== null) write(m, p.caplenAt, 4, p.little, read(b, p.caplenAt, 4, p.little) - cut);
  if (p.blockLengthAt) {
    const len = read(b, p.blockLengthAt[0], 4, p.little) - cut;
    write(m, p.blockLengthAt[0], 4, p.little, len);
    write(m, p.blockLengthAt[1] - cut, 4, p.little, len);
  }
  return { bytes: m, note: `payload-cut: packet at byte ${p.start} loses its last ${cut} of ${span} bytes` };
};

/** Whole records moved, repeated or dropped: time runs backwards, flows repeat, blocks reorder. */
const splice: Mutator = (r, b, l) => {
  if (l.packets.length < 2) return null;
  const a = pick(r, l.packets);
  const c = pick(r, l.packets);
  const rec = b.subarray(a.start, a.end);
  const how = randInt(r, 0, 2);
  if (how === 0) return { bytes: Buffer.concat([b.subarray(0, c.start), rec, b.subarray(c.start)]), note: `splice: record at ${a.start} repeated before ${c.start}` };
  if (how === 1) return { bytes: Buffer.concat([b.subarray(0, a.start), b.subarray(a.end)]), note: `splice: record at ${a.start} dropped` };
  const k = randInt(r, 2, 20);
  return { bytes: Buffer.concat([b.subarray(0, a.end), ...Array.from({ length: k }, () => rec), b.subarray(a.end)]), note: `splice: record at ${a.start} ${k} more times` };
};

const truncate: Mutator = (r, b, l) => {
  if (b.length < 2) return null;
  // Near a record boundary most of the time: that is where a cut file usually ends.
  const ends = l.packets.map((p) => p.end);
  const at = ends.length && r() < 0.6 ? Math.max(0, Math.min(b.length - 1, pick(r, ends) + randInt(r, -20, 20))) : randInt(r, 0, b.length - 1);
  return { bytes: b.subarray(0, at), note: `truncate: at byte ${at} of ${b.length}` };
};

const bitFlips: Mutator = (r, b) => {
  if (!b.length) return null;
  const m = Buffer.from(b);
  const n = randInt(r, 1, 8);
  const at: number[] = [];
  for (let i = 0; i < n; i++) {
    const o = randInt(r, 0, m.length - 1);
    m[o]! ^= 1 << randInt(r, 0, 7);
    at.push(o);
  }
  return { bytes: m, note: `bit-flips: at ${at.join(', ')}` };
};

export const MUTATORS: readonly [string, Mutator][] = [
  ['record-length', fieldMutator('record-length')],
  ['block-length', fieldMutator('block-length')],
  ['timestamp', fieldMutator('timestamp')],
  ['header', fieldMutator('header')],
  ['payload', payload],
  ['payload-cut', payloadCut],
  ['splice', splice],
  ['truncate', truncate],
  ['bit-flips', bitFlips],
];

/** Case `index` of a run seeded with `seed`: deterministic for the same seed captures, in the same order. */
export function makeCase(seeds: readonly SeedCapture[], seed: number, index: number): FuzzCase {
  const cs = caseSeed(seed, index);
  const r = prng(cs);
  const base = pick(r, seeds);
  let bytes = base.bytes;
  const mutations: string[] = [];
  const count = r() < 0.6 ? 1 : r() < 0.7 ? 2 : 3;
  for (let tries = 0; mutations.length < count && tries < 12; tries++) {
    const [, mutate] = pick(r, MUTATORS);
    const out = mutate(r, bytes, layoutOf(bytes));
    if (!out) continue;
    bytes = out.bytes;
    mutations.push(out.note);
  }
  const readSize = r() < 0.25 ? randInt(r, 1, 600) : Number.MAX_SAFE_INTEGER;
  return { seed, index, caseSeed: cs, base: base.name, mutations, bytes, readSize };
}
