/**
 * Where things are in a pcap or pcapng file, so that mutations hit what a reader trusts: record
 * and block length fields, timestamps, file and interface headers, and packet bytes. Reading
 * stops at the first structure that does not fit (a damaged file has a shorter layout).
 */

export type FieldKind = 'record-length' | 'block-length' | 'timestamp' | 'header';

export interface Field {
  kind: FieldKind;
  at: number;
  size: 1 | 2 | 4;
  little: boolean;
  /** What it is, for the mutation log ("pcap record 3 caplen"). */
  name: string;
}

/** One packet record (pcap) or packet block (pcapng EPB/SPB/OPB). */
export interface PacketRecord {
  /** Whole record / block. */
  start: number;
  end: number;
  /** The packet bytes. */
  dataStart: number;
  dataEnd: number;
  /** Where its captured length is written (null: SPB, whose length follows from the block's). */
  caplenAt: number | null;
  /** Where the block's total length is written, at both ends (pcapng), else null. */
  blockLengthAt: [number, number] | null;
  little: boolean;
}

export interface Layout {
  format: 'pcap' | 'pcapng' | 'other';
  fields: Field[];
  packets: PacketRecord[];
  /** End of the file header (pcap) or of the first block (pcapng). */
  headerEnd: number;
}

const PCAP_MAGICS = new Set([0xa1b2c3d4, 0xa1b23c4d, 0xa1b2cd34]);

export function read(buf: Buffer, at: number, size: 1 | 2 | 4, little: boolean): number {
  if (size === 1) return buf[at]!;
  if (size === 2) return little ? buf.readUInt16LE(at) : buf.readUInt16BE(at);
  return little ? buf.readUInt32LE(at) : buf.readUInt32BE(at);
}

export function write(buf: Buffer, at: number, size: 1 | 2 | 4, little: boolean, value: number): void {
  if (size === 1) buf[at] = value & 0xff;
  else if (size === 2) little ? buf.writeUInt16LE(value & 0xffff, at) : buf.writeUInt16BE(value & 0xffff, at);
  else little ? buf.writeUInt32LE(value >>> 0, at) : buf.writeUInt32BE(value >>> 0, at);
}

export function layoutOf(buf: Buffer): Layout {
  if (buf.length >= 12 && buf.readUInt32LE(0) === 0x0a0d0d0a) return pcapngLayout(buf);
  if (buf.length >= 24 && (PCAP_MAGICS.has(buf.readUInt32LE(0)) || PCAP_MAGICS.has(buf.readUInt32BE(0)))) return pcapLayout(buf);
  return { format: 'other', fields: [], packets: [], headerEnd: 0 };
}

function pcapLayout(buf: Buffer): Layout {
  const little = PCAP_MAGICS.has(buf.readUInt32LE(0));
  const magic = read(buf, 0, 4, little);
  const hdr = magic === 0xa1b2cd34 ? 24 : 16;
  const f = (kind: FieldKind, at: number, size: 2 | 4, name: string): Field => ({ kind, at, size, little, name });
  const fields: Field[] = [
    f('header', 0, 4, 'pcap magic'), f('header', 4, 2, 'pcap version major'), f('header', 6, 2, 'pcap version minor'),
    f('header', 8, 4, 'pcap thiszone'), f('header', 16, 4, 'pcap snaplen'), f('header', 20, 4, 'pcap link type'),
  ];
  const packets: PacketRecord[] = [];
  let pos = 24;
  for (let k = 0; pos + hdr <= buf.length; k++) {
    const cap = read(buf, pos + 8, 4, little);
    fields.push(
      f('timestamp', pos, 4, `pcap record ${k} seconds`), f('timestamp', pos + 4, 4, `pcap record ${k} fraction`),
      f('record-length', pos + 8, 4, `pcap record ${k} caplen`), f('record-length', pos + 12, 4, `pcap record ${k} wire length`),
    );
    const end = pos + hdr + cap;
    if (end > buf.length) break;
    packets.push({ start: pos, end, dataStart: pos + hdr, dataEnd: end, caplenAt: pos + 8, blockLengthAt: null, little });
    pos = end;
  }
  return { format: 'pcap', fields, packets, headerEnd: 24 };
}

function pcapngLayout(buf: Buffer): Layout {
  const fields: Field[] = [];
  const packets: PacketRecord[] = [];
  let little = true;
  let pos = 0;
  let headerEnd = 0;
  for (let k = 0; pos + 12 <= buf.length; k++) {
    if (buf.readUInt32LE(pos) === 0x0a0d0d0a) {
      const bom = buf.readUInt32LE(pos + 8);
      little = bom === 0x1a2b3c4d;
      if (!little && bom !== 0x4d3c2b1a) break;
    }
    const type = read(buf, pos, 4, little);
    const len = read(buf, pos + 4, 4, little);
    const f = (kind: FieldKind, at: number, size: 1 | 2 | 4, name: string) => {
      if (at + size <= buf.length) fields.push({ kind, at, size, little, name });
    };
    f('header', pos, 4, `block ${k} type`);
    f('block-length', pos + 4, 4, `block ${k} length`);
    if (len < 12 || len % 4 !== 0 || pos + len > buf.length) break;
    f('block-length', pos + len - 4, 4, `block ${k} trailing length`);
    if (type === 0x0a0d0d0a) {
      f('header', pos + 8, 4, `block ${k} SHB byte-order magic`);
      f('header', pos + 12, 2, `block ${k} SHB major version`);
      f('header', pos + 16, 4, `block ${k} SHB section length (high)`);
      f('header', pos + 20, 4, `block ${k} SHB section length (low)`);
    } else if (type === 1 && len >= 20) {
      f('header', pos + 8, 2, `block ${k} IDB link type`);
      f('header', pos + 12, 4, `block ${k} IDB snaplen`);
      // Options: code, length, value (if_tsresol is option 9, one byte).
      let o = pos + 16;
      while (o + 4 <= pos + len - 4) {
        const code = read(buf, o, 2, little);
        const olen = read(buf, o + 2, 2, little);
        f('header', o + 2, 2, `block ${k} IDB option ${code} length`);
        if (code === 9 && olen >= 1) f('header', o + 4, 1, `block ${k} IDB if_tsresol`);
        if (code === 0) break;
        o += 4 + olen + ((4 - (olen % 4)) % 4);
      }
    } else if ((type === 6 || type === 2) && len >= 32) {
      f('header', pos + 8, type === 2 ? 2 : 4, `block ${k} ${type === 6 ? 'EPB' : 'OPB'} interface id`);
      f('timestamp', pos + 12, 4, `block ${k} timestamp (high)`);
      f('timestamp', pos + 16, 4, `block ${k} timestamp (low)`);
      f('record-length', pos + 20, 4, `block ${k} caplen`);
      f('record-length', pos + 24, 4, `block ${k} original length`);
      const cap = read(buf, pos + 20, 4, little);
      if (28 + cap <= len - 4) {
        packets.push({ start: pos, end: pos + len, dataStart: pos + 28, dataEnd: pos + 28 + cap, caplenAt: pos + 20, blockLengthAt: [pos + 4, pos + len - 4], little });
      }
    } else if (type === 3 && len >= 16) {
      f('record-length', pos + 8, 4, `block ${k} SPB original length`);
      packets.push({ start: pos, end: pos + len, dataStart: pos + 12, dataEnd: pos + len - 4, caplenAt: null, blockLengthAt: [pos + 4, pos + len - 4], little });
    } else if (type === 5 && len >= 24) {
      f('header', pos + 8, 4, `block ${k} ISB interface id`);
      f('timestamp', pos + 12, 4, `block ${k} ISB timestamp (high)`);
      f('timestamp', pos + 16, 4, `block ${k} ISB timestamp (low)`);
    }
    pos += len;
    if (k === 0) headerEnd = pos;
  }
  return { format: 'pcapng', fields, packets, headerEnd };
}
