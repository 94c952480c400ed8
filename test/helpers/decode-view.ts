/**
 * Small helpers for the decoder tests: run decodePacket over a byte array and read the result
 * back as plain values (addresses as text, reason as its name), so assertions stay readable.
 */
import {
  DecodedPacket, KIND_ERROR, KIND_IP, KIND_NON_IP, REASONS, TUNNELS,
} from '../../src/decode/decoded-packet.js';
import { decodeInner, decodePacket } from '../../src/decode/decoder.js';
import { addressToString } from '../../src/util/ip.js';

export interface View {
  kind: 'error' | 'ip' | 'non-ip';
  reason: string;
  ipVersion: number;
  src: string;
  dst: string;
  proto: number;
  hasPorts: boolean;
  sport: number;
  dport: number;
  vlans: number[];
  vlanCount: number;
  ipLen: number;
  isFragment: boolean;
  fragOffset: number;
  moreFragments: boolean;
  tcpFlags: number;
  tcpOptKinds: number[];
  icmpType: number;
  icmpCode: number;
  icmpId: number;
  icmpError: boolean;
  payloadLen: number;
  payloadCaptured: number;
  tunnel: string;
  hasInner: boolean;
}

export function view(p: DecodedPacket): View {
  const kind = p.kind === KIND_ERROR ? 'error' : p.kind === KIND_IP ? 'ip' : p.kind === KIND_NON_IP ? 'non-ip' : (`?${p.kind}` as never);
  const ip = p.kind === KIND_IP;
  return {
    kind,
    reason: REASONS[p.reason] ?? `?${p.reason}`,
    ipVersion: ip ? p.ipVersion : 0,
    src: ip ? addressToString(p.ipVersion, p.a0, p.a1, p.a2, p.a3) : '',
    dst: ip ? addressToString(p.ipVersion, p.b0, p.b1, p.b2, p.b3) : '',
    proto: ip ? p.proto : -1,
    hasPorts: p.hasPorts,
    sport: p.sport,
    dport: p.dport,
    vlans: [p.vlan0, p.vlan1].slice(0, Math.min(2, p.vlanCount)),
    vlanCount: p.vlanCount,
    ipLen: p.ipLen,
    isFragment: p.isFragment,
    fragOffset: p.isFragment ? p.fragOffset : 0,
    moreFragments: p.isFragment ? p.moreFragments : false,
    tcpFlags: p.tcpFlags,
    tcpOptKinds: [...p.tcpOptKinds.subarray(0, p.tcpOptCount)],
    icmpType: p.icmpType,
    icmpCode: p.icmpCode,
    icmpId: p.icmpId,
    icmpError: p.icmpError,
    payloadLen: p.payloadLen,
    payloadCaptured: p.payloadCaptured,
    tunnel: TUNNELS[p.tunnel] ?? `?${p.tunnel}`,
    hasInner: p.innerKind !== 0,
  };
}

/** Decodes one frame (placed at a non-zero offset in a larger buffer, as the reader does). */
export function decodeBytes(bytes: number[] | Buffer, linkType = 1, caplen?: number): { p: DecodedPacket; buf: Buffer; v: View } {
  const body = Buffer.from(bytes);
  // Surround the frame with junk so that a decoder reading outside [off, off+caplen) is noticed.
  const buf = Buffer.concat([Buffer.alloc(7, 0x45), body, Buffer.alloc(64, 0x45)]);
  const p = new DecodedPacket();
  decodePacket(p, buf, 7, caplen ?? body.length, linkType);
  return { p, buf, v: view(p) };
}

export function decode(bytes: number[] | Buffer, linkType = 1, caplen?: number): View {
  return decodeBytes(bytes, linkType, caplen).v;
}

/** Decodes a frame, then every encapsulated packet inside it; returns the outer view and each inner one. */
export function decodeAll(bytes: number[] | Buffer, linkType = 1): View[] {
  const { p, buf, v } = decodeBytes(bytes, linkType);
  const out = [v];
  for (let i = 0; i < 5 && p.kind === KIND_IP && p.innerKind !== 0; i++) {
    if (!decodeInner(p, buf)) break;
    out.push(view(p));
  }
  return out;
}
