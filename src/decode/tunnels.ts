/**
 * The encapsulations a SPAN/ERSPAN/overlay network puts around traffic: GRE (with WCCP, PPTP's
 * PPP and transparent Ethernet bridging), ERSPAN I/II/III, IP-in-IP, and the UDP overlays
 * VXLAN, Geneve, GTP-U and Teredo (the UDP decoder recognises those by their IANA ports). A
 * tunnel is not decoded recursively here: the packet records where its inner packet starts,
 * and the decoder loop decodes that next (so the outer UDP flow of VXLAN is counted too, as
 * tshark does).
 */
import {
  type DecodedPacket, INNER_ETHERNET, INNER_IP, T_VXLAN, T_GENEVE, T_GRE, T_ERSPAN, T_IPIP, T_TEREDO, T_GTPU,
} from './decoded-packet.js';

/** GRE (IP protocol 47), from the GRE header at `off`. */
export function decodeGre(p: DecodedPacket, b: Buffer, off: number, end: number): void {
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

/** IPv4 or IPv6 directly inside IP (protocols 4 and 41): the inner packet starts at `off`. */
export function decodeIpInIp(p: DecodedPacket, off: number, end: number): void {
  if (end > off) setInner(p, INNER_IP, off, end, T_IPIP);
}

/** VXLAN (UDP 4789), from the VXLAN header at `po`: an Ethernet frame when the I flag is set. */
export function decodeVxlan(p: DecodedPacket, b: Buffer, po: number, end: number): void {
  if (end - po >= 8 && (b[po]! & 0x08) !== 0) setInner(p, INNER_ETHERNET, po + 8, end, T_VXLAN);
}

/** Geneve (UDP 6081), from the Geneve header at `po`: options skipped, Ethernet or IP inside. */
export function decodeGeneve(p: DecodedPacket, b: Buffer, po: number, end: number): void {
  const avail = end - po;
  if (avail >= 8 && b[po]! >> 6 === 0) {
    const hl = 8 + ((b[po]! & 0x3f) << 2);
    const pt = (b[po + 2]! << 8) | b[po + 3]!;
    if (avail >= hl) {
      if (pt === 0x6558) setInner(p, INNER_ETHERNET, po + hl, end, T_GENEVE);
      else if (pt === 0x0800 || pt === 0x86dd) setInner(p, INNER_IP, po + hl, end, T_GENEVE);
    }
  }
}

/** GTP-U (UDP 2152), from the GTP header at `po`. */
export function decodeGtpu(p: DecodedPacket, b: Buffer, po: number, end: number): void {
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

/** Teredo (UDP 3544), from the UDP payload at `pos`. */
export function decodeTeredo(p: DecodedPacket, b: Buffer, pos: number, end: number): void {
  // Optional authentication (0x0001) and origin indication (0x0000) headers precede IPv6.
  if (end - pos >= 4 && b[pos] === 0 && b[pos + 1] === 1) {
    const idl = b[pos + 2]!;
    const aul = b[pos + 3]!;
    pos += 4 + idl + aul + 9;
  }
  if (end - pos >= 8 && b[pos] === 0 && b[pos + 1] === 0) pos += 8;
  if (end - pos >= 40 && b[pos]! >> 4 === 6) setInner(p, INNER_IP, pos, end, T_TEREDO);
}

/** Records where the carried packet starts and how it is carried; the decoder loop decodes it next. */
function setInner(p: DecodedPacket, kind: number, off: number, end: number, tunnel: number): void {
  p.innerKind = kind;
  p.innerOff = off;
  p.innerEnd = end;
  p.innerTunnel = tunnel;
}
