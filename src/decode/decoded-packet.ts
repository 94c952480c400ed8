/**
 * The decoder's output: one reused object, overwritten for every packet (gopacket's
 * DecodingLayerParser idea — no allocation per packet). Addresses are kept as four 32-bit
 * words (IPv4 uses only a0 / b0), which the flow table hashes and compares directly. All
 * 32-bit fields (addresses, sequence numbers) hold signed int32 values so that V8 keeps them
 * as small integers: an unsigned value above 2^31 would become a heap number on every write.
 */

/** What became of a packet. */
export const KIND_ERROR = 0;   // counted under `reason`
export const KIND_IP = 1;      // an IP packet with a flow key
export const KIND_NON_IP = 2;  // ARP, LLDP, STP ...: counted, no flow

/** Decode failure / skip reasons, by index (kept as numbers on the hot path). */
export const REASONS = [
  'none',
  'unsupported-linktype',
  'truncated-link',
  'truncated-ip',
  'bad-ip-version',
  'bad-ip-header-length',
  'bad-ip-total-length',
  'truncated-ipv6-ext',
  'truncated-tcp',
  'bad-tcp-header-length',
  'truncated-udp',
  'truncated-icmp',
  'truncated-tunnel',
  'non-first-fragment',
  'empty-packet',
] as const;
export type Reason = (typeof REASONS)[number];
/**
 * A capture's decode counts are keyed by reason for its packets, by this prefix + reason for
 * the inner packets of tunnels that failed to decode (their outer packet was decoded), and
 * `non-ip` / `tunnelled-inner` count non-IP frames and inner packets decoded.
 */
export const TUNNELLED_INNER_PREFIX = 'tunnelled-inner:';
export const R_UNSUPPORTED_LINKTYPE = 1;
export const R_TRUNCATED_LINK = 2;
export const R_TRUNCATED_IP = 3;
export const R_BAD_IP_VERSION = 4;
export const R_BAD_IP_HLEN = 5;
export const R_BAD_IP_TOTLEN = 6;
export const R_TRUNCATED_IPV6_EXT = 7;
export const R_TRUNCATED_TCP = 8;
export const R_BAD_TCP_HLEN = 9;
export const R_TRUNCATED_UDP = 10;
export const R_TRUNCATED_ICMP = 11;
export const R_TRUNCATED_TUNNEL = 12;
export const R_NON_FIRST_FRAGMENT = 13;
export const R_EMPTY = 14;

/** Tunnel / encapsulation the packet was found in. */
export const TUNNELS = ['', 'vxlan', 'geneve', 'gre', 'erspan', 'ip-in-ip', 'teredo', 'gtp-u', 'mpls', 'pppoe'] as const;
export const T_NONE = 0;
export const T_VXLAN = 1;
export const T_GENEVE = 2;
export const T_GRE = 3;
export const T_ERSPAN = 4;
export const T_IPIP = 5;
export const T_TEREDO = 6;
export const T_GTPU = 7;

/** What follows a decoded outer packet that carries another one (VXLAN, GRE...). */
export const INNER_NONE = 0;
export const INNER_ETHERNET = 1;
export const INNER_IP = 2;

export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_RST = 0x04;
export const TCP_PSH = 0x08;
export const TCP_ACK = 0x10;
export const TCP_URG = 0x20;

export class DecodedPacket {
  kind = KIND_ERROR;
  reason = 0;
  /** VLAN tags, outermost first (vlanCount may exceed 2; only two ids are kept). */
  vlanCount = 0;
  vlan0 = 0;
  vlan1 = 0;
  ipVersion = 0;
  a0 = 0; a1 = 0; a2 = 0; a3 = 0;   // source address words
  b0 = 0; b1 = 0; b2 = 0; b3 = 0;   // destination address words
  proto = 0;
  /** IP bytes: IPv4 total length, IPv6 40 + payload length. */
  ipLen = 0;
  /** True when sport/dport (or ICMP fields) are valid. */
  hasPorts = false;
  sport = 0;
  dport = 0;
  /** IPv4/IPv6 fragment information. */
  isFragment = false;
  fragOffset = 0;
  moreFragments = false;
  fragId = 0;
  tcpFlags = 0;
  tcpSeq = 0;
  tcpAck = 0;
  tcpWindow = 0;
  /** Option kinds of a SYN / SYN-ACK (only parsed for those). */
  readonly tcpOptKinds = new Uint8Array(40);
  tcpOptCount = 0;
  icmpType = 0;
  icmpCode = 0;
  icmpId = 0;
  /** True for ICMP errors (they quote another packet; the quote is not a new flow). */
  icmpError = false;
  /** Transport payload: offset in the buffer, bytes on the wire, bytes actually captured. */
  payloadOff = 0;
  payloadLen = 0;
  payloadCaptured = 0;
  /** Encapsulation of this packet (T_*), and what follows when it carries another packet. */
  tunnel = T_NONE;
  innerKind = INNER_NONE;
  innerOff = 0;
  innerEnd = 0;
  innerTunnel = T_NONE;

  reset(): void {
    this.kind = KIND_ERROR;
    this.reason = 0;
    this.vlanCount = 0;
    this.vlan0 = 0;
    this.vlan1 = 0;
    this.ipVersion = 0;
    this.a1 = this.a2 = this.a3 = 0;
    this.b1 = this.b2 = this.b3 = 0;
    this.hasPorts = false;
    this.sport = 0;
    this.dport = 0;
    this.isFragment = false;
    this.tcpFlags = 0;
    this.tcpOptCount = 0;
    this.icmpError = false;
    this.payloadLen = 0;
    this.payloadCaptured = 0;
    this.innerKind = INNER_NONE;
  }
}

/** Marks the packet as not decoded, counted under `reason` (one of the R_* constants). */
export function fail(p: DecodedPacket, reason: number): void {
  p.kind = KIND_ERROR;
  p.reason = reason;
}

/** Big-endian 32-bit word as a signed int32: stays a small integer in V8 (no heap number per packet). */
export function u32(b: Buffer, o: number): number {
  return (b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!;
}
