/**
 * TCP, UDP and ICMP/ICMPv6. The encapsulations carried over IP (GRE, IP-in-IP) and the UDP
 * overlays recognised by their IANA ports (VXLAN, Geneve, GTP-U, Teredo) are read by tunnels.ts.
 */
import {
  type DecodedPacket, fail, u32, R_BAD_TCP_HLEN, R_TRUNCATED_ICMP, R_TRUNCATED_TCP, R_TRUNCATED_UDP, TCP_SYN,
} from './decoded-packet.js';
import { decodeGeneve, decodeGre, decodeGtpu, decodeIpInIp, decodeTeredo, decodeVxlan } from './tunnels.js';

/**
 * @param off   first byte of the transport header
 * @param end   end of the captured bytes of this datagram
 * @param wireLen transport length according to the IP header (payload length counts from it)
 */
export function decodeTransport(p: DecodedPacket, b: Buffer, off: number, end: number, wireLen: number): void {
  switch (p.proto) {
    case 6:
      decodeTcp(p, b, off, end, wireLen);
      return;
    case 17:
      decodeUdp(p, b, off, end, wireLen);
      return;
    case 1:
    case 58:
      decodeIcmp(p, b, off, end, wireLen);
      return;
    case 47:
      decodeGre(p, b, off, end);
      return;
    case 4: // IPv4 in IP
    case 41: // IPv6 in IP
      decodeIpInIp(p, off, end);
      return;
    default:
      // Other protocols (ESP, AH, OSPF, ...) become address-only flows.
      p.payloadOff = off;
      p.payloadLen = wireLen > 0 ? wireLen : 0;
  }
}

function decodeTcp(p: DecodedPacket, b: Buffer, off: number, end: number, wireLen: number): void {
  // A TCP header cut by the snaplen, or with a data offset below 5, is not counted at all
  // (it has no trustworthy ports or flags), as tshark and Zeek do.
  if (end - off < 20) return fail(p, R_TRUNCATED_TCP);
  const doff = (b[off + 12]! >> 4) << 2;
  if (doff < 20) return fail(p, R_BAD_TCP_HLEN);
  if (end - off < doff) return fail(p, R_TRUNCATED_TCP);
  p.sport = (b[off]! << 8) | b[off + 1]!;
  p.dport = (b[off + 2]! << 8) | b[off + 3]!;
  p.tcpSeq = u32(b, off + 4);
  p.tcpAck = u32(b, off + 8);
  const flags = b[off + 13]!;
  p.tcpFlags = flags;
  p.tcpWindow = (b[off + 14]! << 8) | b[off + 15]!;
  p.hasPorts = true;
  if (flags & TCP_SYN && doff > 20) tcpOptionKinds(p, b, off + 20, off + doff);
  const po = off + doff;
  const plen = wireLen - doff;
  p.payloadOff = po;
  p.payloadLen = plen > 0 ? plen : 0;
  const cap = end - po;
  p.payloadCaptured = cap < p.payloadLen ? (cap > 0 ? cap : 0) : p.payloadLen;
}

function tcpOptionKinds(p: DecodedPacket, b: Buffer, pos: number, end: number): void {
  let n = 0;
  while (pos < end && n < 40) {
    const kind = b[pos]!;
    p.tcpOptKinds[n++] = kind;
    if (kind === 0) break;          // end of option list
    if (kind === 1) { pos++; continue; } // NOP
    if (pos + 1 >= end) break;
    const len = b[pos + 1]!;
    if (len < 2) break;             // malformed: stop rather than loop
    pos += len;
  }
  p.tcpOptCount = n;
}

function decodeUdp(p: DecodedPacket, b: Buffer, off: number, end: number, wireLen: number): void {
  if (end - off < 8) return fail(p, R_TRUNCATED_UDP);
  const sport = (b[off]! << 8) | b[off + 1]!;
  const dport = (b[off + 2]! << 8) | b[off + 3]!;
  p.sport = sport;
  p.dport = dport;
  p.hasPorts = true;
  const po = off + 8;
  const plen = wireLen - 8;
  p.payloadOff = po;
  p.payloadLen = plen > 0 ? plen : 0;
  const cap = end - po;
  p.payloadCaptured = cap < p.payloadLen ? (cap > 0 ? cap : 0) : p.payloadLen;
  // Overlays, recognised by their IANA ports as tshark does.
  if (dport === 4789) decodeVxlan(p, b, po, end);
  else if (dport === 6081) decodeGeneve(p, b, po, end);
  else if (dport === 2152 || sport === 2152) decodeGtpu(p, b, po, end);
  else if (dport === 3544 || sport === 3544) decodeTeredo(p, b, po, end);
}

function decodeIcmp(p: DecodedPacket, b: Buffer, off: number, end: number, wireLen: number): void {
  if (end - off < 4) return fail(p, R_TRUNCATED_ICMP);
  const type = b[off]!;
  const code = b[off + 1]!;
  p.icmpType = type;
  p.icmpCode = code;
  p.icmpId = end - off >= 8 ? (b[off + 4]! << 8) | b[off + 5]! : 0;
  if (p.proto === 1) p.icmpError = type === 3 || type === 4 || type === 5 || type === 11 || type === 12;
  else p.icmpError = type < 128;
  // Zeek convention: the "ports" of an ICMP flow are type and code.
  p.sport = type;
  p.dport = code;
  p.hasPorts = true;
  p.payloadOff = off + 8;
  p.payloadLen = wireLen > 8 ? wireLen - 8 : 0;
}
