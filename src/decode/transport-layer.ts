/**
 * TCP, UDP, ICMP/ICMPv6, and the encapsulations a SPAN/ERSPAN/overlay network puts around
 * traffic (GRE, ERSPAN I/II/III, VXLAN, Geneve, Teredo, GTP-U, IP-in-IP). A tunnel is not
 * decoded recursively here: the packet records where its inner packet starts, and the decoder
 * loop decodes that next (so the outer UDP flow of VXLAN is counted too, as tshark does).
 */
import {
  type DecodedPacket, fail, u32, R_BAD_TCP_HLEN, R_TRUNCATED_ICMP, R_TRUNCATED_TCP, R_TRUNCATED_UDP,
  TCP_SYN, INNER_ETHERNET, INNER_IP, T_VXLAN, T_GENEVE, T_GRE, T_ERSPAN, T_IPIP, T_TEREDO, T_GTPU,
} from './decoded-packet.js';

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
      if (end > off) setInner(p, INNER_IP, off, end, T_IPIP);
      return;
    default:
      // Other protocols (ESP, AH, OSPF, ...) become address-only flows.
      p.payloadOff = off;
      p.payloadLen = wireLen > 0 ? wireLen : 0;
  }
}

function setInner(p: DecodedPacket, kind: number, off: number, end: number, tunnel: number): void {
  p.innerKind = kind;
  p.innerOff = off;
  p.innerEnd = end;
  p.innerTunnel = tunnel;
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
  const avail = end - po;
  // Overlays, recognised by their IANA ports as tshark does.
  if (dport === 4789) {
    if (avail >= 8 && (b[po]! & 0x08) !== 0) setInner(p, INNER_ETHERNET, po + 8, end, T_VXLAN);
  } else if (dport === 6081) {
    if (avail >= 8 && b[po]! >> 6 === 0) {
      const hl = 8 + ((b[po]! & 0x3f) << 2);
      const pt = (b[po + 2]! << 8) | b[po + 3]!;
      if (avail >= hl) {
        if (pt === 0x6558) setInner(p, INNER_ETHERNET, po + hl, end, T_GENEVE);
        else if (pt === 0x0800 || pt === 0x86dd) setInner(p, INNER_IP, po + hl, end, T_GENEVE);
      }
    }
  } else if (dport === 2152 || sport === 2152) {
    gtpu(p, b, po, end);
  } else if (dport === 3544 || sport === 3544) {
    teredo(p, b, po, end);
  }
}

function gtpu(p: DecodedPacket, b: Buffer, po: number, end: number): void {
  if (end - po < 8) return;
  const f = b[po]!;
  if (f >> 5 !== 1 || (f & 0x10) === 0 || b[po + 1] !== 0xff) return; // GTPv1, T-PDU only
  let pos = po + 8;
  if (f & 0x07) {
    if (end - pos < 4) return;
    let next = b[pos + 3]!;
    pos += 4;
    while (next !== 0 && (f & 0x04)) { // extension header chain
      if (end - pos < 1) return;
      const l = b[pos]! << 2;
      if (l === 0 || end - pos < l) return;
      next = b[pos + l - 1]!;
      pos += l;
    }
  }
  if (end - pos >= 1 && (b[pos]! >> 4 === 4 || b[pos]! >> 4 === 6)) setInner(p, INNER_IP, pos, end, T_GTPU);
}

function teredo(p: DecodedPacket, b: Buffer, pos: number, end: number): void {
  // Optional authentication (0x0001) and origin indication (0x0000) headers precede IPv6.
  if (end - pos >= 4 && b[pos] === 0 && b[pos + 1] === 1) {
    const idl = b[pos + 2]!;
    const aul = b[pos + 3]!;
    pos += 4 + idl + aul + 9;
  }
  if (end - pos >= 8 && b[pos] === 0 && b[pos + 1] === 0) pos += 8;
  if (end - pos >= 40 && b[pos]! >> 4 === 6) setInner(p, INNER_IP, pos, end, T_TEREDO);
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

function decodeGre(p: DecodedPacket, b: Buffer, off: number, end: number): void {
  if (end - off < 4) return;
  const flags = (b[off]! << 8) | b[off + 1]!;
  const proto = (b[off + 2]! << 8) | b[off + 3]!;
  const version = flags & 0x7;
  let hl = 4;
  if (version === 0) {
    if (flags & 0x8000) hl += 4; // checksum + reserved
    if (flags & 0x2000) hl += 4; // key
    if (flags & 0x1000) hl += 4; // sequence
  } else if (version === 1) {
    hl = 8;                      // enhanced GRE (PPTP): key always present
    if (flags & 0x1000) hl += 4;
    if (flags & 0x0080) hl += 4; // acknowledgement
  } else return;
  const pos = off + hl;
  if (end - pos < 1) return;
  switch (proto) {
    case 0x0800:
    case 0x86dd:
      setInner(p, INNER_IP, pos, end, T_GRE);
      return;
    case 0x883e: // WCCP redirect: a 4-byte WCCP header, then the redirected IPv4 packet
      if (end - pos >= 5) setInner(p, INNER_IP, b[pos]! >> 4 === 4 ? pos : pos + 4, end, T_GRE);
      return;
    case 0x6558: // transparent Ethernet bridging
      setInner(p, INNER_ETHERNET, pos, end, T_GRE);
      return;
    case 0x88be: // ERSPAN type II (sequence bit set) has an 8-byte header; type I has none
      if (flags & 0x1000) {
        if (end - pos >= 8) setInner(p, INNER_ETHERNET, pos + 8, end, T_ERSPAN);
      } else setInner(p, INNER_ETHERNET, pos, end, T_ERSPAN);
      return;
    case 0x22eb: { // ERSPAN type III: 12-byte header, plus an 8-byte platform sub-header when O is set
      if (end - pos < 12) return;
      const o = b[pos + 11]! & 0x01;
      const inner = pos + 12 + (o ? 8 : 0);
      if (end >= inner) setInner(p, INNER_ETHERNET, inner, end, T_ERSPAN);
      return;
    }
    case 0x880b: { // PPP inside PPTP's GRE
      let q = pos;
      if (end - q >= 2 && b[q] === 0xff && b[q + 1] === 0x03) q += 2;
      if (end - q < 1) return;
      let pp: number;
      if (b[q]! & 1) { pp = b[q]!; q += 1; } else { if (end - q < 2) return; pp = (b[q]! << 8) | b[q + 1]!; q += 2; }
      if (pp === 0x21 || pp === 0x57) setInner(p, INNER_IP, q, end, T_GRE);
      return;
    }
    default:
  }
}
