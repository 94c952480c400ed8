/**
 * Capture files for tests: temporary folders and files, a reader that copies every packet out
 * of the (reused) batch, exact pcap / pcapng writers for cases the fixture builder does not
 * cover (raw timestamp fields, OPB, ISB, custom blocks, odd headers), and an in-memory byte
 * source.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCaptureFile, readCaptureSource, type ReadOptions, type ReadSummary } from '../../src/capture/capture-reader.js';
import type { ByteSource } from '../../src/capture/byte-source.js';
import type { PacketBatch } from '../../src/capture/packet-batch.js';
import type { FlowRecord } from '../../src/flow/flow-record.js';
import type { FlowTimeouts } from '../../src/flow/flow-table.js';
import { collectFlows } from './collect-flows.js';
import { T0, udpFrameAt } from './flow-script.js';

export interface ReadPacket {
  ts: number;
  caplen: number;
  wirelen: number;
  linkType: number;
  fileOffset: number;
  data: Buffer;
}

/** A temporary folder, removed by `cleanup()` (call it from afterAll). */
export class TempDir {
  readonly path: string;
  private n = 0;
  constructor(prefix = 'flowaudit-test-') {
    this.path = mkdtempSync(join(tmpdir(), prefix));
  }
  file(name: string, bytes: Buffer | Uint8Array | string): string {
    const p = join(this.path, `${this.n++}-${name}`);
    writeFileSync(p, bytes);
    return p;
  }
  name(name: string): string {
    return join(this.path, `${this.n++}-${name}`);
  }
  cleanup(): void {
    rmSync(this.path, { recursive: true, force: true });
  }
}

function collector(out: ReadPacket[]) {
  return (b: PacketBatch) => {
    for (let i = 0; i < b.count; i++) {
      const off = b.offset[i]!;
      out.push({
        ts: b.ts[i]!, caplen: b.caplen[i]!, wirelen: b.wirelen[i]!, linkType: b.linkType[i]!, fileOffset: b.fileOffset[i]!,
        data: Buffer.from(b.data.subarray(off, off + b.caplen[i]!)),
      });
    }
  };
}

export async function readAll(path: string, opts: ReadOptions = {}): Promise<{ summary: ReadSummary; packets: ReadPacket[] }> {
  const packets: ReadPacket[] = [];
  const summary = await readCaptureFile(path, collector(packets), opts);
  return { summary, packets };
}

export async function readSource(name: string, src: ByteSource, opts: ReadOptions = {}): Promise<{ summary: ReadSummary; packets: ReadPacket[] }> {
  const packets: ReadPacket[] = [];
  const summary = await readCaptureSource(name, src, collector(packets), opts);
  return { summary, packets };
}

/** Writes the capture to a temp file and runs it through decode + flow table (no database). */
export async function flowsOf(tmp: TempDir, capture: Buffer, timeouts?: Partial<FlowTimeouts>): Promise<FlowRecord[]> {
  const r = await collectFlows(tmp.file('flows.pcap', capture), timeouts);
  if (r.summary.error) throw new Error(`fixture capture unreadable: ${r.summary.error}`);
  return r.flows;
}

// ---- exact writers -------------------------------------------------------------------------

export interface RawPcapRecord {
  sec: number;
  frac: number;
  data: number[] | Buffer;
  /** Defaults to data.length. */
  caplen?: number;
  wirelen?: number;
}

export interface RawPcapOptions {
  bigEndian?: boolean;
  magic?: number;
  versionMajor?: number;
  versionMinor?: number;
  snaplen?: number;
  linkType?: number;
  /** 24-byte record headers (the "modified" pcap of Kuznetzov's patches). */
  modified?: boolean;
}

export function rawPcap(records: RawPcapRecord[], o: RawPcapOptions = {}): Buffer {
  const be = !!o.bigEndian;
  const h = Buffer.alloc(24);
  const w32 = (b: Buffer, v: number, at: number) => (be ? b.writeUInt32BE(v >>> 0, at) : b.writeUInt32LE(v >>> 0, at));
  const w16 = (b: Buffer, v: number, at: number) => (be ? b.writeUInt16BE(v, at) : b.writeUInt16LE(v, at));
  w32(h, o.magic ?? (o.modified ? 0xa1b2cd34 : 0xa1b2c3d4), 0);
  w16(h, o.versionMajor ?? 2, 4);
  w16(h, o.versionMinor ?? 4, 6);
  w32(h, o.snaplen ?? 262144, 16);
  w32(h, o.linkType ?? 1, 20);
  const parts = [h];
  for (const r of records) {
    const data = Buffer.from(r.data);
    const rh = Buffer.alloc(o.modified ? 24 : 16);
    w32(rh, r.sec, 0);
    w32(rh, r.frac, 4);
    w32(rh, r.caplen ?? data.length, 8);
    w32(rh, r.wirelen ?? data.length, 12);
    parts.push(rh, data);
  }
  return Buffer.concat(parts);
}

/** pcapng block writer: type, body (padded to 4), both length fields. */
export function ngBlock(type: number, body: Buffer | number[], bigEndian = false, trailerLen?: number): Buffer {
  const b = Buffer.from(body);
  const pad = Buffer.alloc((4 - (b.length % 4)) % 4);
  const len = 12 + b.length + pad.length;
  const head = Buffer.alloc(8);
  const tail = Buffer.alloc(4);
  if (bigEndian) {
    head.writeUInt32BE(type >>> 0, 0); head.writeUInt32BE(len, 4); tail.writeUInt32BE(trailerLen ?? len, 0);
  } else {
    head.writeUInt32LE(type >>> 0, 0); head.writeUInt32LE(len, 4); tail.writeUInt32LE(trailerLen ?? len, 0);
  }
  return Buffer.concat([head, b, pad, tail]);
}

export class NgWriter {
  constructor(readonly bigEndian = false) {}
  u16(v: number): Buffer { const b = Buffer.alloc(2); this.bigEndian ? b.writeUInt16BE(v) : b.writeUInt16LE(v); return b; }
  u32(v: number): Buffer { const b = Buffer.alloc(4); this.bigEndian ? b.writeUInt32BE(v >>> 0) : b.writeUInt32LE(v >>> 0); return b; }
  u64(v: bigint): Buffer { const b = Buffer.alloc(8); this.bigEndian ? b.writeBigUInt64BE(v) : b.writeBigUInt64LE(v); return b; }
  option(code: number, value: Buffer): Buffer {
    const pad = Buffer.alloc((4 - (value.length % 4)) % 4);
    return Buffer.concat([this.u16(code), this.u16(value.length), value, pad]);
  }
  endOfOptions(): Buffer { return Buffer.concat([this.u16(0), this.u16(0)]); }
  shb(major = 1, minor = 0): Buffer {
    return ngBlock(0x0a0d0d0a, Buffer.concat([this.u32(0x1a2b3c4d), this.u16(major), this.u16(minor), Buffer.alloc(8, 0xff)]), this.bigEndian);
  }
  idb(linkType: number, snaplen = 0, opts: { tsresol?: number; tsoffset?: bigint } = {}): Buffer {
    const o: Buffer[] = [];
    if (opts.tsresol !== undefined) o.push(this.option(9, Buffer.from([opts.tsresol])));
    if (opts.tsoffset !== undefined) o.push(this.option(14, this.u64(opts.tsoffset)));
    if (o.length) o.push(this.endOfOptions());
    return ngBlock(1, Buffer.concat([this.u16(linkType), this.u16(0), this.u32(snaplen), ...o]), this.bigEndian);
  }
  /** Enhanced Packet Block; `units` is the raw 64-bit timestamp. */
  epb(iface: number, units: bigint, data: number[] | Buffer, wirelen?: number, options: Buffer[] = []): Buffer {
    const d = Buffer.from(data);
    const pad = Buffer.alloc((4 - (d.length % 4)) % 4);
    const hi = Number(units >> 32n);
    const lo = Number(units & 0xffffffffn);
    return ngBlock(6, Buffer.concat([this.u32(iface), this.u32(hi), this.u32(lo), this.u32(d.length), this.u32(wirelen ?? d.length), d, pad,
      ...(options.length ? [...options, this.endOfOptions()] : [])]), this.bigEndian);
  }
  /** Obsolete Packet Block (type 2): 16-bit interface id and drops count. */
  opb(iface: number, units: bigint, data: number[] | Buffer, wirelen?: number): Buffer {
    const d = Buffer.from(data);
    const hi = Number(units >> 32n);
    const lo = Number(units & 0xffffffffn);
    return ngBlock(2, Buffer.concat([this.u16(iface), this.u16(0), this.u32(hi), this.u32(lo), this.u32(d.length), this.u32(wirelen ?? d.length), d]), this.bigEndian);
  }
  /** Simple Packet Block: original length, then the (possibly snapped) data. */
  spb(data: number[] | Buffer, wirelen?: number): Buffer {
    const d = Buffer.from(data);
    return ngBlock(3, Buffer.concat([this.u32(wirelen ?? d.length), d]), this.bigEndian);
  }
  /** Interface Statistics Block with isb_ifdrop when given. */
  isb(iface: number, ifdrop?: bigint): Buffer {
    const o = ifdrop === undefined ? [] : [this.option(5, this.u64(ifdrop)), this.endOfOptions()];
    return ngBlock(5, Buffer.concat([this.u32(iface), this.u32(0), this.u32(0), ...o]), this.bigEndian);
  }
  /** Name Resolution Block with one IPv4 record. */
  nrb(): Buffer {
    const rec = Buffer.concat([this.u16(1), this.u16(4 + 8), Buffer.from([10, 0, 0, 1]), Buffer.from('host.lan')]);
    return ngBlock(4, Buffer.concat([rec, this.u16(0), this.u16(0)]), this.bigEndian);
  }
  custom(type: number, body: Buffer | number[]): Buffer {
    return ngBlock(type, body, this.bigEndian);
  }
}

/** An in-memory ByteSource; `maxPerRead` makes reads short, as pipes and sockets do (the fuzz harness's). */
export { memorySource } from '../../fuzz/seeds.js';

/**
 * `count` one-packet UDP flows, 1 ms apart, each from its own address (10.1.x.y): with
 * `--udp-timeout 1` they expire as the file is read, so flows are written all along.
 */
export function manyUdpFlows(count: number): Buffer {
  const frame = Buffer.from(udpFrameAt('10.1.0.0', 40000, '10.2.0.1', 514, 'syslog message'));
  const rec = 16 + frame.length;
  const out = Buffer.alloc(24 + count * rec);
  rawPcap([], { snaplen: 65535 }).copy(out, 0);
  for (let i = 0; i < count; i++) {
    const at = 24 + i * rec;
    const us = i * 1000;
    out.writeUInt32LE(T0 + Math.floor(us / 1e6), at);
    out.writeUInt32LE(us % 1e6, at + 4);
    out.writeUInt32LE(frame.length, at + 8);
    out.writeUInt32LE(frame.length, at + 12);
    frame.copy(out, at + 16);
    out[at + 16 + 14 + 13] = (i >> 16) & 0xff;
    out[at + 16 + 14 + 14] = (i >> 8) & 0xff;
    out[at + 16 + 14 + 15] = i & 0xff;
  }
  return out;
}

/** A preload (node --import) that makes every fs.readSync `ms` slower: a read then takes seconds. */
export function slowReadsPreload(dir: string, ms: number): string {
  const path = join(dir, `slow-reads-${ms}.mjs`);
  writeFileSync(path, `
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
const readSync = fs.readSync;
const pause = new Int32Array(new SharedArrayBuffer(4));
fs.readSync = function (...args) { Atomics.wait(pause, 0, 0, ${ms}); return readSync.apply(this, args); };
syncBuiltinESMExports();
`);
  return path;
}
