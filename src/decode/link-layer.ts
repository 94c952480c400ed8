/**
 * Link layers: strip the frame header and dispatch on the carried protocol. Dispatch tables
 * are plain switches on link type / ethertype written as number literals (named in comments;
 * the names and numbers are util/proto.ts's), so V8 can turn them into jump tables: a case on
 * an imported binding is a load V8 does not fold into one.
 */
import {
  type DecodedPacket, KIND_NON_IP, fail, R_TRUNCATED_LINK, R_UNSUPPORTED_LINKTYPE,
} from './decoded-packet.js';
import { decodeIPv4, decodeIPv6, decodeIPByVersion } from './network-layer.js';
import {
  DLT_RAW_BSD, DLT_RAW_OPENBSD, LINKTYPE_ETHERNET, LINKTYPE_IPV4, LINKTYPE_IPV6, LINKTYPE_LINUX_SLL, LINKTYPE_LINUX_SLL2,
  LINKTYPE_LOOP, LINKTYPE_NFLOG, LINKTYPE_NULL, LINKTYPE_PPI, LINKTYPE_PPP, LINKTYPE_RAW,
} from '../util/proto.js';

/** Link types we decode; every other one is counted as unsupported-linktype. */
export const SUPPORTED_LINKTYPES = [
  LINKTYPE_NULL, LINKTYPE_ETHERNET, LINKTYPE_PPP, DLT_RAW_BSD, DLT_RAW_OPENBSD, LINKTYPE_RAW, LINKTYPE_LOOP, LINKTYPE_LINUX_SLL,
  LINKTYPE_PPI, LINKTYPE_IPV4, LINKTYPE_IPV6, LINKTYPE_NFLOG, LINKTYPE_LINUX_SLL2,
] as const;

export function decodeLink(p: DecodedPacket, b: Buffer, off: number, end: number, linkType: number): void {
  switch (linkType) {
    case 1: // LINKTYPE_ETHERNET
      decodeEthernet(p, b, off, end);
      return;
    case 101: // LINKTYPE_RAW and the DLT_RAW values some systems write into files
    case 12:
    case 14:
      decodeIPByVersion(p, b, off, end);
      return;
    case 228: // LINKTYPE_IPV4 / LINKTYPE_IPV6: trust the version nibble over the link type, as
    case 229: // tshark does (a mislabelled file still decodes)
      decodeIPByVersion(p, b, off, end);
      return;
    case 192: { // LINKTYPE_PPI: a per-packet header naming the real link type
      if (end - off < 8) return fail(p, R_TRUNCATED_LINK);
      const len = b.readUInt16LE(off + 2);
      const dlt = b.readUInt32LE(off + 4);
      if (len < 8 || end - off < len || dlt === 192) return fail(p, R_TRUNCATED_LINK);
      decodeLink(p, b, off + len, end, dlt);
      return;
    }
    case 0: // LINKTYPE_NULL: 4-byte address family in the writer's byte order
    case 108: // LINKTYPE_LOOP: same, network byte order
      decodeNull(p, b, off, end);
      return;
    case 113: // LINKTYPE_LINUX_SLL: 16-byte header, protocol at 14
      if (end - off < 16) return fail(p, R_TRUNCATED_LINK);
      decodeEthertype(p, b, off + 16, end, (b[off + 14]! << 8) | b[off + 15]!);
      return;
    case 276: // LINKTYPE_LINUX_SLL2: 20-byte header, protocol first
      if (end - off < 20) return fail(p, R_TRUNCATED_LINK);
      decodeEthertype(p, b, off + 20, end, (b[off]! << 8) | b[off + 1]!);
      return;
    case 9: // LINKTYPE_PPP
      decodePpp(p, b, off, end);
      return;
    case 239: // LINKTYPE_NFLOG
      decodeNflog(p, b, off, end);
      return;
    default:
      fail(p, R_UNSUPPORTED_LINKTYPE);
  }
}

export function decodeEthernet(p: DecodedPacket, b: Buffer, off: number, end: number): void {
  if (end - off < 14) return fail(p, R_TRUNCATED_LINK);
  decodeEthertype(p, b, off + 14, end, (b[off + 12]! << 8) | b[off + 13]!);
}

export function decodeEthertype(p: DecodedPacket, b: Buffer, pos: number, end: number, et: number): void {
  for (;;) {
    switch (et) {
      case 0x0800:
        decodeIPv4(p, b, pos, end);
        return;
      case 0x86dd:
        decodeIPv6(p, b, pos, end);
        return;
      case 0x8100: // 802.1Q
      case 0x88a8: // 802.1ad (QinQ outer)
      case 0x9100: // pre-standard QinQ
      case 0x9200: {
        if (end - pos < 4) return fail(p, R_TRUNCATED_LINK);
        const vid = ((b[pos]! << 8) | b[pos + 1]!) & 0x0fff;
        if (p.vlanCount === 0) p.vlan0 = vid;
        else if (p.vlanCount === 1) p.vlan1 = vid;
        p.vlanCount++;
        et = (b[pos + 2]! << 8) | b[pos + 3]!;
        pos += 4;
        continue;
      }
      case 0x8926: // VN-Tag: 4 bytes of tag, then the next ethertype
        if (end - pos < 6) return fail(p, R_TRUNCATED_LINK);
        et = (b[pos + 4]! << 8) | b[pos + 5]!;
        pos += 6;
        continue;
      case 0x88e7: // 802.1ah PBB: 4-byte I-TAG, then a whole customer Ethernet frame
        if (end - pos < 4) return fail(p, R_TRUNCATED_LINK);
        decodeEthernet(p, b, pos + 4, end);
        return;
      case 0x8847: // MPLS unicast / multicast: pop labels until bottom of stack
      case 0x8848: {
        for (;;) {
          if (end - pos < 4) return fail(p, R_TRUNCATED_LINK);
          const bos = b[pos + 2]! & 0x01;
          pos += 4;
          if (bos) break;
        }
        if (end - pos < 1) return fail(p, R_TRUNCATED_LINK);
        const nib = b[pos]! >> 4;
        if (nib === 4 || nib === 6) decodeIPByVersion(p, b, pos, end);
        else if (nib === 0) decodeEthernet(p, b, pos + 4, end); // pseudowire control word, then Ethernet
        else p.kind = KIND_NON_IP;
        return;
      }
      case 0x8864: // PPPoE session: 6-byte header, then a PPP protocol number
        if (end - pos < 8) return fail(p, R_TRUNCATED_LINK);
        decodePppProtocol(p, b, pos + 8, end, (b[pos + 6]! << 8) | b[pos + 7]!);
        return;
      default:
        if (et < 0x0600) {
          // 802.3 length field: only LLC/SNAP can carry an ethertype.
          if (end - pos >= 8 && b[pos] === 0xaa && b[pos + 1] === 0xaa && b[pos + 2] === 0x03) {
            et = (b[pos + 6]! << 8) | b[pos + 7]!;
            pos += 8;
            continue;
          }
        }
        p.kind = KIND_NON_IP;
        return;
    }
  }
}

function decodeNull(p: DecodedPacket, b: Buffer, off: number, end: number): void {
  if (end - off < 4) return fail(p, R_TRUNCATED_LINK);
  // The family is in the writer's host byte order (NULL) or network order (LOOP): accept both.
  let fam = b.readUInt32LE(off);
  if (fam > 0xffff) fam = b.readUInt32BE(off);
  switch (fam) {
    case 2:
      decodeIPv4(p, b, off + 4, end);
      return;
    case 10: case 24: case 28: case 30: // AF_INET6 on Linux, NetBSD/OpenBSD, FreeBSD, Darwin
      decodeIPv6(p, b, off + 4, end);
      return;
    default:
      p.kind = KIND_NON_IP;
  }
}

function decodePpp(p: DecodedPacket, b: Buffer, off: number, end: number): void {
  if (end - off < 2) return fail(p, R_TRUNCATED_LINK);
  // Address/control bytes 0xff 0x03 are optional (RFC 1662).
  if (b[off] === 0xff && b[off + 1] === 0x03) off += 2;
  if (end - off < 1) return fail(p, R_TRUNCATED_LINK);
  // Protocol field compression: an odd first byte is a one-byte protocol.
  if (b[off]! & 1) decodePppProtocol(p, b, off + 1, end, b[off]!);
  else {
    if (end - off < 2) return fail(p, R_TRUNCATED_LINK);
    decodePppProtocol(p, b, off + 2, end, (b[off]! << 8) | b[off + 1]!);
  }
}

export function decodePppProtocol(p: DecodedPacket, b: Buffer, pos: number, end: number, proto: number): void {
  if (proto === 0x0021) decodeIPv4(p, b, pos, end);
  else if (proto === 0x0057) decodeIPv6(p, b, pos, end);
  else p.kind = KIND_NON_IP;
}

function decodeNflog(p: DecodedPacket, b: Buffer, off: number, end: number): void {
  if (end - off < 4) return fail(p, R_TRUNCATED_LINK);
  const family = b[off]!;
  let pos = off + 4;
  // TLVs: 16-bit length (host order, little-endian in practice) including the 4-byte header, 16-bit type.
  while (end - pos >= 4) {
    const len = b.readUInt16LE(pos);
    const type = b.readUInt16LE(pos + 2) & 0x7fff;
    if (len < 4) return fail(p, R_TRUNCATED_LINK);
    if (type === 9) { // NFULA_PAYLOAD
      const dataEnd = Math.min(end, pos + len);
      if (family === 2) decodeIPv4(p, b, pos + 4, dataEnd);
      else if (family === 10) decodeIPv6(p, b, pos + 4, dataEnd);
      else decodeIPByVersion(p, b, pos + 4, dataEnd);
      return;
    }
    pos += (len + 3) & ~3;
  }
  p.kind = KIND_NON_IP;
}
