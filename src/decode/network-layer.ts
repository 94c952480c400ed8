/**
 * IPv4 and IPv6. Only the first fragment of a datagram carries the transport header; later
 * fragments are marked so the flow table can attribute them through its fragment map.
 */
import {
  type DecodedPacket, fail, u32, KIND_IP, R_BAD_IP_HLEN, R_BAD_IP_TOTLEN, R_BAD_IP_VERSION,
  R_TRUNCATED_IP, R_TRUNCATED_IPV6_EXT,
} from './decoded-packet.js';
import { decodeTransport } from './transport-layer.js';

export function decodeIPByVersion(p: DecodedPacket, b: Buffer, off: number, end: number): void {
  if (end - off < 1) return fail(p, R_TRUNCATED_IP);
  const v = b[off]! >> 4;
  if (v === 4) decodeIPv4(p, b, off, end);
  else if (v === 6) decodeIPv6(p, b, off, end);
  else fail(p, R_BAD_IP_VERSION);
}

export function decodeIPv4(p: DecodedPacket, b: Buffer, off: number, end: number): void {
  if (end - off < 20) return fail(p, R_TRUNCATED_IP);
  const vhl = b[off]!;
  if (vhl >> 4 !== 4) return fail(p, R_BAD_IP_VERSION);
  const hl = (vhl & 15) << 2;
  if (hl < 20) return fail(p, R_BAD_IP_HLEN);
  if (end - off < hl) return fail(p, R_TRUNCATED_IP);
  let tot = (b[off + 2]! << 8) | b[off + 3]!;
  // Total length 0 is what TCP segmentation offload leaves in captures taken on the sender.
  if (tot === 0) tot = end - off;
  else if (tot < hl) return fail(p, R_BAD_IP_TOTLEN);
  p.ipVersion = 4;
  p.ipLen = tot;
  p.proto = b[off + 9]!;
  p.a0 = u32(b, off + 12);
  p.b0 = u32(b, off + 16);
  p.kind = KIND_IP;
  const frag = (b[off + 6]! << 8) | b[off + 7]!;
  const fragOff = (frag & 0x1fff) << 3;
  const mf = (frag & 0x2000) !== 0;
  if (fragOff !== 0 || mf) {
    p.isFragment = true;
    p.fragOffset = fragOff;
    p.moreFragments = mf;
    p.fragId = (b[off + 4]! << 8) | b[off + 5]!;
    if (fragOff !== 0) return; // no transport header in this fragment
  }
  const l4 = off + hl;
  const l4end = Math.min(end, off + tot);
  decodeTransport(p, b, l4, l4end, tot - hl);
}

export function decodeIPv6(p: DecodedPacket, b: Buffer, off: number, end: number): void {
  if (end - off < 40) return fail(p, R_TRUNCATED_IP);
  if (b[off]! >> 4 !== 6) return fail(p, R_BAD_IP_VERSION);
  let plen = (b[off + 4]! << 8) | b[off + 5]!;
  if (plen === 0) plen = end - off - 40; // jumbogram or offload: take what was captured
  p.ipVersion = 6;
  p.ipLen = 40 + plen;
  p.a0 = u32(b, off + 8); p.a1 = u32(b, off + 12); p.a2 = u32(b, off + 16); p.a3 = u32(b, off + 20);
  p.b0 = u32(b, off + 24); p.b1 = u32(b, off + 28); p.b2 = u32(b, off + 32); p.b3 = u32(b, off + 36);
  p.kind = KIND_IP;
  const dataEnd = off + 40 + plen;
  const l3end = Math.min(end, dataEnd);
  let nh = b[off + 6]!;
  let pos = off + 40;
  for (;;) {
    switch (nh) {
      case 0: // hop-by-hop options
      case 60: { // destination options (may carry the Mobile IPv6 Home Address: the real source)
        if (l3end - pos < 2) return fail(p, R_TRUNCATED_IPV6_EXT);
        const len = (b[pos + 1]! + 1) << 3;
        if (l3end - pos < len) return fail(p, R_TRUNCATED_IPV6_EXT);
        if (nh === 60) homeAddress(p, b, pos + 2, pos + len);
        nh = b[pos]!;
        pos += len;
        continue;
      }
      case 43: { // routing: with segments left, the flow's destination is the final one
        if (l3end - pos < 8) return fail(p, R_TRUNCATED_IPV6_EXT);
        const len = (b[pos + 1]! + 1) << 3;
        if (l3end - pos < len) return fail(p, R_TRUNCATED_IPV6_EXT);
        const type = b[pos + 2]!;
        const left = b[pos + 3]!;
        if (left > 0) {
          let at = -1;
          if (type === 0 || type === 2) at = pos + len - 16; // last address of the list
          else if (type === 4) at = pos + 8;                 // SRH: segment[0] is the final one
          if (at >= pos + 8 && at + 16 <= pos + len) {
            p.b0 = u32(b, at); p.b1 = u32(b, at + 4); p.b2 = u32(b, at + 8); p.b3 = u32(b, at + 12);
          }
        }
        nh = b[pos]!;
        pos += len;
        continue;
      }
      case 44: { // fragment
        if (l3end - pos < 8) return fail(p, R_TRUNCATED_IPV6_EXT);
        const fo = ((b[pos + 2]! << 8) | b[pos + 3]!) & 0xfff8;
        const m = (b[pos + 3]! & 1) !== 0;
        nh = b[pos]!;
        pos += 8;
        if (fo !== 0 || m) {
          p.isFragment = true;
          p.fragOffset = fo;
          p.moreFragments = m;
          p.fragId = u32(b, pos - 4);
          if (fo !== 0) {
            p.proto = nh;
            return;
          }
        }
        continue;
      }
      case 51: { // authentication header: length in 4-byte units, minus 2
        if (l3end - pos < 2) return fail(p, R_TRUNCATED_IPV6_EXT);
        const len = (b[pos + 1]! + 2) << 2;
        if (l3end - pos < len) return fail(p, R_TRUNCATED_IPV6_EXT);
        nh = b[pos]!;
        pos += len;
        continue;
      }
      default:
        p.proto = nh;
        decodeTransport(p, b, pos, l3end, dataEnd - pos);
        return;
    }
  }
}

/** Home Address destination option (type 0xc9, RFC 6275): the mobile node's real address. */
function homeAddress(p: DecodedPacket, b: Buffer, pos: number, end: number): void {
  while (pos < end) {
    const t = b[pos]!;
    if (t === 0) { pos++; continue; } // Pad1
    if (end - pos < 2) return;
    const l = b[pos + 1]!;
    if (t === 0xc9 && l === 16 && pos + 18 <= end) {
      p.a0 = u32(b, pos + 2); p.a1 = u32(b, pos + 6); p.a2 = u32(b, pos + 10); p.a3 = u32(b, pos + 14);
    }
    pos += 2 + l;
  }
}
