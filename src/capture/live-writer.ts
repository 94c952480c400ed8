/**
 * `capture --write FILE`: keeps the raw packets the audit saw, exactly those (it is fed the same
 * batches as the decoder), as pcapng (or classic pcap when FILE ends in .pcap), rotating to a
 * new file by size and/or by capture time. With rotation, FILE is a template: audit.pcapng
 * becomes audit-00001.pcapng, audit-00002.pcapng, ...
 *
 * pcapng files carry the interface name and, at the end of each file, an Interface Statistics
 * Block with the drop counters of that file's period (isb_ifdrop = kernel + interface drops,
 * isb_osdrop = kernel drops, as dumpcap writes them), so a file read later still says how much
 * the capture missed.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import type { PacketBatch } from './packet-batch.js';

export interface WriterOptions {
  /** Rotate after this many bytes (0: never). */
  maxBytes?: number;
  /** Rotate after this many seconds of capture time (0: never). */
  maxSeconds?: number;
  ifName?: string;
  /** Filter text, stored in the pcapng IDB (if_filter). */
  filter?: string;
  snaplen?: number;
  /** Counters at the moment a file closes (for its statistics block). */
  counters?: () => { received: number | null; drops: number | null; ifDrops: number | null };
}

const BLOCK_SHB = 0x0a0d0d0a;
const BLOCK_IDB = 1;
const BLOCK_ISB = 5;
const BLOCK_EPB = 6;

function pad4(n: number): number {
  return (n + 3) & ~3;
}

/** One option (code, value bytes), padded. */
function opt(code: number, value: Buffer): Buffer {
  const b = Buffer.alloc(4 + pad4(value.length));
  b.writeUInt16LE(code, 0);
  b.writeUInt16LE(value.length, 2);
  value.copy(b, 4);
  return b;
}

function u64(v: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(Math.max(0, Math.round(v))));
  return b;
}

function block(type: number, body: Buffer): Buffer {
  const len = 12 + body.length;
  const b = Buffer.alloc(len);
  b.writeUInt32LE(type, 0);
  b.writeUInt32LE(len, 4);
  body.copy(b, 8);
  b.writeUInt32LE(len, len - 4);
  return b;
}

const END_OF_OPTS = Buffer.alloc(4);

/** Microseconds since the epoch as (high, low) 32-bit words. */
function tsWords(ts: number): [number, number] {
  const us = Math.round(ts * 1e6);
  return [Math.floor(us / 0x100000000), us % 0x100000000];
}

/** The file name for the n-th file (1-based) of a rotating set. */
export function rotatedName(template: string, n: number): string {
  const ext = extname(template);
  const stem = basename(template, ext);
  return join(dirname(template), `${stem}-${String(n).padStart(5, '0')}${ext}`);
}

export class CaptureWriter {
  readonly pcapng: boolean;
  readonly rotating: boolean;
  /** Files finished or being written, in order. */
  readonly files: string[] = [];
  packets = 0;
  private fd: number | null = null;
  private fileBytes = 0;
  private fileStartTs = 0;
  private fileFirstTs: number | null = null;
  private fileLastTs = 0;
  private filePackets = 0;
  private base = { received: 0, drops: 0, ifDrops: 0 };
  /** pcapng: LINKTYPE → interface id in the current file; pcap: the file's one link type. */
  private ifaces = new Map<number, number>();
  private pcapLinkType: number | null = null;
  private out = Buffer.allocUnsafe(1 << 20);
  private outLen = 0;

  constructor(private template: string, private o: WriterOptions = {}) {
    this.pcapng = extname(template).toLowerCase() !== '.pcap';
    this.rotating = (o.maxBytes ?? 0) > 0 || (o.maxSeconds ?? 0) > 0;
  }

  /** Creates the first file now, so a path that cannot be written fails at the start. */
  open(): void {
    if (this.fd === null) this.newFile();
  }

  private newFile(): void {
    const name = this.rotating ? rotatedName(this.template, this.files.length + 1) : this.template;
    this.fd = openSync(name, 'w', 0o644);
    this.files.push(name);
    this.fileBytes = 0;
    this.filePackets = 0;
    this.fileFirstTs = null;
    this.ifaces.clear();
    this.pcapLinkType = null;
    const c = this.o.counters?.();
    this.base = { received: c?.received ?? 0, drops: c?.drops ?? 0, ifDrops: c?.ifDrops ?? 0 };
    if (this.pcapng) {
      const shbBody = Buffer.concat([
        Buffer.from([0x4d, 0x3c, 0x2b, 0x1a, 1, 0, 0, 0]), // byte-order magic, version 1.0
        Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), // section length unknown
        opt(4, Buffer.from('flowaudit capture')), END_OF_OPTS,
      ]);
      this.emit(block(BLOCK_SHB, shbBody));
    }
  }

  private emit(b: Buffer): void {
    if (this.outLen + b.length > this.out.length) this.drain();
    if (b.length > this.out.length) {
      writeSync(this.fd!, b);
    } else {
      b.copy(this.out, this.outLen);
      this.outLen += b.length;
    }
    this.fileBytes += b.length;
  }

  private drain(): void {
    if (this.outLen > 0 && this.fd !== null) writeSync(this.fd, this.out, 0, this.outLen);
    this.outLen = 0;
  }

  private ifaceFor(linkType: number): number {
    let id = this.ifaces.get(linkType);
    if (id !== undefined) return id;
    id = this.ifaces.size;
    this.ifaces.set(linkType, id);
    const hdr = Buffer.alloc(8);
    hdr.writeUInt16LE(linkType & 0xffff, 0);
    hdr.writeUInt32LE(this.o.snaplen ?? 262144, 4);
    const opts: Buffer[] = [hdr];
    if (this.o.ifName) opts.push(opt(2, Buffer.from(this.o.ifName)));
    if (this.o.filter) opts.push(opt(11, Buffer.concat([Buffer.from([0]), Buffer.from(this.o.filter)])));
    opts.push(opt(9, Buffer.from([6]))); // if_tsresol: microseconds
    opts.push(END_OF_OPTS);
    this.emit(block(BLOCK_IDB, Buffer.concat(opts)));
    return id;
  }

  /** Appends a batch (called for every batch the pipeline decodes). */
  write(batch: PacketBatch): void {
    const n = batch.count;
    for (let i = 0; i < n; i++) {
      const ts = batch.ts[i]!;
      if (this.fd === null) this.newFile();
      else if (this.rotating && this.filePackets > 0 && (
        ((this.o.maxBytes ?? 0) > 0 && this.fileBytes >= this.o.maxBytes!) ||
        ((this.o.maxSeconds ?? 0) > 0 && ts - this.fileStartTs >= this.o.maxSeconds!))) {
        this.closeFile();
        this.newFile();
      }
      if (this.fileFirstTs === null) {
        this.fileFirstTs = ts;
        this.fileStartTs = (this.o.maxSeconds ?? 0) > 0 ? Math.floor(ts / this.o.maxSeconds!) * this.o.maxSeconds! : ts;
      }
      this.fileLastTs = ts;
      const caplen = batch.caplen[i]!;
      const off = batch.offset[i]!;
      const lt = batch.linkType[i]!;
      const [hi, lo] = tsWords(ts);
      if (this.pcapng) {
        const id = this.ifaceFor(lt);
        const len = 32 + pad4(caplen);
        if (this.outLen + len > this.out.length) this.drain();
        if (len > this.out.length) this.out = Buffer.allocUnsafe(len * 2);
        const b = this.out;
        let p = this.outLen;
        b.writeUInt32LE(BLOCK_EPB, p); b.writeUInt32LE(len, p + 4); b.writeUInt32LE(id, p + 8);
        b.writeUInt32LE(hi, p + 12); b.writeUInt32LE(lo, p + 16);
        b.writeUInt32LE(caplen, p + 20); b.writeUInt32LE(batch.wirelen[i]!, p + 24);
        batch.data.copy(b, p + 28, off, off + caplen);
        p += 28 + caplen;
        while ((p - this.outLen) % 4) b[p++] = 0;
        b.writeUInt32LE(len, p);
        this.outLen = p + 4;
        this.fileBytes += len;
      } else {
        if (this.pcapLinkType === null) {
          this.pcapLinkType = lt;
          const h = Buffer.alloc(24);
          h.writeUInt32LE(0xa1b2c3d4, 0); h.writeUInt16LE(2, 4); h.writeUInt16LE(4, 6);
          h.writeUInt32LE(this.o.snaplen ?? 262144, 16); h.writeUInt32LE(lt, 20);
          this.emit(h);
        } else if (lt !== this.pcapLinkType) {
          continue; // classic pcap holds one link type; pcapng keeps mixed ones
        }
        const len = 16 + caplen;
        if (this.outLen + len > this.out.length) this.drain();
        if (len > this.out.length) this.out = Buffer.allocUnsafe(len * 2);
        const b = this.out;
        const p = this.outLen;
        const us = Math.round(ts * 1e6);
        b.writeUInt32LE(Math.floor(us / 1e6), p); b.writeUInt32LE(us % 1e6, p + 4);
        b.writeUInt32LE(caplen, p + 8); b.writeUInt32LE(batch.wirelen[i]!, p + 12);
        batch.data.copy(b, p + 16, off, off + caplen);
        this.outLen = p + len;
        this.fileBytes += len;
      }
      this.filePackets++;
      this.packets++;
    }
    this.drain();
  }

  private closeFile(): void {
    if (this.fd === null) return;
    if (this.pcapng) {
      const c = this.o.counters?.();
      if (c && this.ifaces.size > 0) {
        const [hi, lo] = tsWords(this.fileLastTs);
        const [shi, slo] = tsWords(this.fileFirstTs ?? this.fileLastTs);
        const ts = (h: number, l: number) => { const b = Buffer.alloc(8); b.writeUInt32LE(h, 0); b.writeUInt32LE(l, 4); return b; };
        const kernel = (c.drops ?? 0) - this.base.drops;
        const iface = (c.ifDrops ?? 0) - this.base.ifDrops;
        const opts: Buffer[] = [opt(2, ts(shi, slo)), opt(3, ts(hi, lo))];
        if (c.received !== null) opts.push(opt(4, u64(c.received - this.base.received)));
        if (c.drops !== null || c.ifDrops !== null) opts.push(opt(5, u64(kernel + iface)));
        if (c.drops !== null) opts.push(opt(7, u64(kernel)));
        opts.push(opt(8, u64(this.filePackets)));
        opts.push(END_OF_OPTS);
        for (const id of this.ifaces.values()) {
          const h = Buffer.alloc(12);
          h.writeUInt32LE(id, 0); h.writeUInt32LE(hi, 4); h.writeUInt32LE(lo, 8);
          this.emit(block(BLOCK_ISB, Buffer.concat([h, ...opts])));
        }
      }
    } else if (this.pcapLinkType === null) {
      // An empty classic pcap still gets its header (link type unknown: Ethernet).
      const h = Buffer.alloc(24);
      h.writeUInt32LE(0xa1b2c3d4, 0); h.writeUInt16LE(2, 4); h.writeUInt16LE(4, 6);
      h.writeUInt32LE(this.o.snaplen ?? 262144, 16); h.writeUInt32LE(1, 20);
      this.emit(h);
    }
    this.drain();
    closeSync(this.fd);
    this.fd = null;
  }

  /** Finishes the current file (with its statistics block). */
  close(): void {
    this.closeFile();
  }
}
