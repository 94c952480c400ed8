/**
 * Classic libpcap file format (https://www.ietf.org/archive/id/draft-ietf-opsawg-pcap-03.html):
 * a 24-byte file header, then records of a 16-byte header and caplen bytes. Both byte orders,
 * microsecond and nanosecond magics, and the "modified" (Kuznetzov) variant whose record
 * headers are 24 bytes.
 */
import { CaptureDamage } from './capture-damage.js';
import type { PacketBatch } from './packet-batch.js';
import { BATCH_CAPACITY } from './packet-batch.js';
import type { RecordParser } from './record-parser.js';

export const PCAP_MAGIC_US = 0xa1b2c3d4;
export const PCAP_MAGIC_NS = 0xa1b23c4d;
export const PCAP_MAGIC_MODIFIED = 0xa1b2cd34;

/** Larger than any real snaplen (libpcap caps at 256 KiB; some tools write up to 1 MiB). */
const MAX_RECORD = 16 * 1024 * 1024;

export function isPcapMagic(buf: Buffer, off: number): boolean {
  const le = buf.readUInt32LE(off);
  const be = buf.readUInt32BE(off);
  return [PCAP_MAGIC_US, PCAP_MAGIC_NS, PCAP_MAGIC_MODIFIED].some((m) => m === le || m === be);
}

export class PcapParser implements RecordParser {
  readonly format = 'pcap';
  linkTypes: number[] = [];
  snaplen = 0;
  private headerDone = false;
  private little = true;
  private fracScale = 1e-6;
  private recordHeader = 16;
  private linkType = 0;
  /** Set when the parser stops mid-record, to say what was missing if the file ends here. */
  pending = '';

  parse(buf: Buffer, start: number, end: number, base: number, batch: PacketBatch, emit: () => void): number {
    let pos = start;
    if (!this.headerDone) {
      if (end - pos < 24) {
        this.pending = `pcap file header needs 24 bytes, ${end - pos} present`;
        return pos;
      }
      this.readFileHeader(buf, pos, base);
      pos += 24;
      this.headerDone = true;
    }
    const little = this.little;
    const hdr = this.recordHeader;
    const scale = this.fracScale;
    const lt = this.linkType;
    const maxCap = Math.max(this.snaplen, 262144) > MAX_RECORD ? MAX_RECORD : Math.max(this.snaplen, 262144);
    let n = batch.count;
    batch.data = buf;
    // One DataView per chunk: its reads compile to plain loads (Buffer.readUInt32LE re-checks bounds).
    const dv = new DataView(buf.buffer, buf.byteOffset, buf.length);
    while (end - pos >= hdr) {
      const sec = dv.getUint32(pos, little);
      const frac = dv.getUint32(pos + 4, little);
      const caplen = dv.getUint32(pos + 8, little);
      const wirelen = dv.getUint32(pos + 12, little);
      if (caplen > maxCap) {
        batch.count = n;
        throw new CaptureDamage(base + pos, `pcap record claims ${caplen} captured bytes (more than the ${maxCap}-byte limit; snaplen ${this.snaplen})`);
      }
      if (end - pos - hdr < caplen) {
        this.pending = `pcap record at byte ${base + pos} needs ${caplen} bytes of packet data, ${end - pos - hdr} present`;
        break;
      }
      if (n === BATCH_CAPACITY) {
        batch.count = n;
        emit();
        n = 0;
        batch.data = buf;
      }
      batch.offset[n] = pos + hdr;
      batch.caplen[n] = caplen;
      // Some writers put 0 or a value smaller than caplen in orig_len; the frame was at least caplen.
      batch.wirelen[n] = wirelen < caplen ? caplen : wirelen;
      batch.ts[n] = sec + frac * scale;
      batch.linkType[n] = lt;
      batch.fileOffset[n] = base + pos;
      n++;
      pos += hdr + caplen;
    }
    batch.count = n;
    if (end - pos < hdr) this.pending = end === pos ? '' : `pcap record header at byte ${base + pos} needs ${hdr} bytes, ${end - pos} present`;
    return pos;
  }

  private readFileHeader(buf: Buffer, pos: number, base: number): void {
    const le = buf.readUInt32LE(pos);
    const be = buf.readUInt32BE(pos);
    let magic: number;
    if (le === PCAP_MAGIC_US || le === PCAP_MAGIC_NS || le === PCAP_MAGIC_MODIFIED) {
      this.little = true;
      magic = le;
    } else if (be === PCAP_MAGIC_US || be === PCAP_MAGIC_NS || be === PCAP_MAGIC_MODIFIED) {
      this.little = false;
      magic = be;
    } else {
      throw new CaptureDamage(base + pos, `not a pcap file header (magic 0x${be.toString(16).padStart(8, '0')})`);
    }
    this.fracScale = magic === PCAP_MAGIC_NS ? 1e-9 : 1e-6;
    this.recordHeader = magic === PCAP_MAGIC_MODIFIED ? 24 : 16;
    if ((this.little ? buf.readUInt16LE(pos + 4) : buf.readUInt16BE(pos + 4)) < 2) throw new CaptureDamage(base + pos + 4, 'pcap file format version below 2.0 is not supported');
    const rd = (o: number) => (this.little ? buf.readUInt32LE(pos + o) : buf.readUInt32BE(pos + o));
    this.snaplen = rd(16);
    const rawLink = rd(20);
    // The upper bits carry FCS information (LT_FCS_*); bits 16-25 are reserved and must be zero.
    if ((rawLink & 0x03ff0000) !== 0) {
      throw new CaptureDamage(base + pos + 20, `pcap header link type field 0x${rawLink.toString(16)} has reserved bits set`);
    }
    this.linkType = rawLink & 0xffff;
    this.linkTypes = [this.linkType];
  }
}
