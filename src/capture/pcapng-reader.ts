/**
 * pcapng (https://www.ietf.org/archive/id/draft-ietf-opsawg-pcapng-02.html): a sequence of
 * blocks `type, total length, body, total length`. Each Section Header Block starts a section
 * with its own byte order and its own interface list. We use IDB (link type, if_tsresol,
 * if_tsoffset), EPB, SPB and the obsolete OPB; ISB gives interface drop counters; every other
 * block (NRB, DSB, custom, unknown) is skipped by its length.
 */
import { CaptureDamage } from './capture-damage.js';
import type { PacketBatch } from './packet-batch.js';
import { BATCH_CAPACITY } from './packet-batch.js';
import type { RecordParser } from './record-parser.js';

export const PCAPNG_SHB = 0x0a0d0d0a;
const BOM = 0x1a2b3c4d;
const IDB = 1;
const OPB = 2;
const SPB = 3;
const ISB = 5;
const EPB = 6;
const MAX_BLOCK = 64 * 1024 * 1024;
const TWO32 = 4294967296;

interface Iface {
  linkType: number;
  snaplen: number;
  /** Seconds per timestamp unit. */
  unit: number;
  /** if_tsoffset, seconds. */
  offset: number;
  ifDrop: number | null;
}

export class PcapngParser implements RecordParser {
  readonly format = 'pcapng';
  linkTypes: number[] = [];
  pending = '';
  sections = 0;
  private little = true;
  private ifaces: Iface[] = [];
  private lastTs = 0;
  /** Interface drops per section; null until an ISB reports a counter (unknown is not zero). */
  private dropsBySection: (number | null)[] = [];

  drops = (): number | null => {
    let total: number | null = null;
    for (const d of this.dropsBySection) if (d !== null) total = (total ?? 0) + d;
    return total;
  };

  parse(buf: Buffer, start: number, end: number, base: number, batch: PacketBatch, emit: () => void): number {
    let pos = start;
    let n = batch.count;
    batch.data = buf;
    try {
    while (end - pos >= 12) {
      // The SHB's length field can only be read once its byte-order magic is known.
      const typeLE = buf.readUInt32LE(pos);
      if (typeLE === PCAPNG_SHB) {
        const bom = buf.readUInt32LE(pos + 8);
        if (bom === BOM) this.little = true;
        else if (bom === 0x4d3c2b1a) this.little = false;
        else throw new CaptureDamage(base + pos + 8, `pcapng section header has an invalid byte-order magic 0x${bom.toString(16)}`);
      } else if (this.sections === 0) {
        throw new CaptureDamage(base + pos, `not a pcapng file: first block type 0x${typeLE.toString(16)} is not a section header`);
      }
      const little = this.little;
      const type = little ? typeLE : buf.readUInt32BE(pos);
      const len = little ? buf.readUInt32LE(pos + 4) : buf.readUInt32BE(pos + 4);
      if (len < 12 || len % 4 !== 0 || len > MAX_BLOCK) {
        throw new CaptureDamage(base + pos + 4, `pcapng block of type 0x${type.toString(16)} has an invalid total length ${len}`);
      }
      if (end - pos < len) {
        this.pending = `pcapng block at byte ${base + pos} needs ${len} bytes, ${end - pos} present`;
        break;
      }
      const trailer = little ? buf.readUInt32LE(pos + len - 4) : buf.readUInt32BE(pos + len - 4);
      if (trailer !== len) {
        throw new CaptureDamage(base + pos + len - 4, `pcapng block of type 0x${type.toString(16)} ends with length ${trailer}, header said ${len}`);
      }
      const body = pos + 8;
      const bodyEnd = pos + len - 4;
      if (type === EPB || type === SPB || type === OPB) {
        if (n === BATCH_CAPACITY) {
          batch.count = n;
          emit();
          n = 0;
          batch.data = buf;
        }
        if (this.packetBlock(type, buf, body, bodyEnd, base, pos, batch, n)) n++;
      } else if (type === PCAPNG_SHB) {
        // Version 1.0 is the standard; 1.2 was written by some old tools and is read the same way.
        const major = this.u16(buf, body + 4);
        const minor = this.u16(buf, body + 6);
        if (major !== 1 || (minor !== 0 && minor !== 2)) {
          throw new CaptureDamage(base + body + 4, `pcapng section version ${major}.${minor} is not supported (1.0 expected)`);
        }
        this.sections++;
        this.ifaces = [];
        this.dropsBySection.push(null);
      } else if (type === IDB) {
        this.interfaceBlock(buf, body, bodyEnd, base);
      } else if (type === ISB) {
        this.statisticsBlock(buf, body, bodyEnd);
      }
      pos += len;
    }
    } finally {
      batch.count = n; // also when a damaged block throws: the packets before it are kept
    }
    if (end - pos < 12 && end !== pos) this.pending = `pcapng block header at byte ${base + pos} needs 12 bytes, ${end - pos} present`;
    else if (end === pos) this.pending = '';
    return pos;
  }

  private u32(buf: Buffer, off: number): number {
    return this.little ? buf.readUInt32LE(off) : buf.readUInt32BE(off);
  }

  private u16(buf: Buffer, off: number): number {
    return this.little ? buf.readUInt16LE(off) : buf.readUInt16BE(off);
  }

  /** Fills batch slot n; returns false when the block is unusable (and counted nowhere). */
  private packetBlock(type: number, buf: Buffer, body: number, bodyEnd: number, base: number, blockPos: number, batch: PacketBatch, n: number): boolean {
    let ifIdx: number, caplen: number, wirelen: number, data: number, ts: number;
    if (type === EPB || type === OPB) {
      if (bodyEnd - body < 20) throw new CaptureDamage(base + blockPos, 'pcapng packet block too short for its fixed fields');
      ifIdx = type === EPB ? this.u32(buf, body) : this.u16(buf, body);
      const iface = this.ifaces[ifIdx];
      if (iface === undefined) throw new CaptureDamage(base + blockPos, `pcapng packet block refers to interface ${ifIdx}, but the section has ${this.ifaces.length}`);
      const hi = this.u32(buf, body + 4);
      const lo = this.u32(buf, body + 8);
      caplen = this.u32(buf, body + 12);
      wirelen = this.u32(buf, body + 16);
      data = body + 20;
      if (caplen > bodyEnd - data) throw new CaptureDamage(base + blockPos, `pcapng packet block claims ${caplen} captured bytes but holds ${bodyEnd - data}`);
      ts = (hi * TWO32 + lo) * iface.unit + iface.offset;
      this.lastTs = ts;
    } else {
      // Simple Packet Block: interface 0, no timestamp; caplen is what fits (bounded by snaplen).
      const iface = this.ifaces[0];
      if (iface === undefined) throw new CaptureDamage(base + blockPos, 'pcapng simple packet block before any interface description');
      ifIdx = 0;
      wirelen = this.u32(buf, body);
      data = body + 4;
      caplen = Math.min(wirelen, bodyEnd - data, iface.snaplen === 0 ? Infinity : iface.snaplen);
      ts = this.lastTs; // SPB carries no time: keep the stream monotonic for timeouts.
    }
    const iface = this.ifaces[ifIdx]!;
    batch.offset[n] = data;
    batch.caplen[n] = caplen;
    batch.wirelen[n] = wirelen < caplen ? caplen : wirelen;
    batch.ts[n] = ts;
    batch.linkType[n] = iface.linkType;
    batch.fileOffset[n] = base + blockPos;
    return true;
  }

  private interfaceBlock(buf: Buffer, body: number, bodyEnd: number, base: number): void {
    if (bodyEnd - body < 8) throw new CaptureDamage(base + body - 8, 'pcapng interface description block too short');
    const linkType = this.u16(buf, body);
    const snaplen = this.u32(buf, body + 4);
    let unit = 1e-6;
    let offset = 0;
    this.forEachOption(buf, body + 8, bodyEnd, (code, o, l) => {
      if (code === 9 && l >= 1) {
        const r = buf[o]!;
        unit = r & 0x80 ? Math.pow(2, -(r & 0x7f)) : Math.pow(10, -r);
      } else if (code === 14 && l >= 8) {
        offset = (this.u32(buf, o + (this.little ? 4 : 0)) | 0) * TWO32 + this.u32(buf, o + (this.little ? 0 : 4)); // signed (int64)
      }
    });
    this.ifaces.push({ linkType, snaplen, unit, offset, ifDrop: null });
    if (!this.linkTypes.includes(linkType)) this.linkTypes.push(linkType);
  }

  private statisticsBlock(buf: Buffer, body: number, bodyEnd: number): void {
    if (bodyEnd - body < 12) return;
    const ifIdx = this.u32(buf, body);
    const iface = this.ifaces[ifIdx];
    if (!iface) return;
    this.forEachOption(buf, body + 12, bodyEnd, (code, o, l) => {
      // isb_ifdrop (5): counters are cumulative, so the last ISB of an interface wins.
      if (code === 5 && l >= 8) {
        const v = this.u32(buf, o + (this.little ? 4 : 0)) * TWO32 + this.u32(buf, o + (this.little ? 0 : 4));
        iface.ifDrop = v;
        const sec = this.dropsBySection.length - 1;
        this.dropsBySection[sec] = this.ifaces.reduce((s, i) => s + (i.ifDrop ?? 0), 0);
      }
    });
  }

  private forEachOption(buf: Buffer, pos: number, end: number, fn: (code: number, off: number, len: number) => void): void {
    while (end - pos >= 4) {
      const code = this.u16(buf, pos);
      const len = this.u16(buf, pos + 2);
      if (code === 0) return;
      if (pos + 4 + len > end) return; // a damaged option list ends the options, not the file
      fn(code, pos + 4, len);
      pos += 4 + ((len + 3) & ~3);
    }
  }
}
