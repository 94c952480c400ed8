/**
 * IPv4 / IPv6 (options, fragments, extension headers) and TCP / UDP / ICMP on byte-exact
 * packets, including the malformed and truncated cases that must end as a named reason.
 */
import { describe, expect, it } from 'vitest';
import {
  addrBytes, ethernet, icmpEcho, ipPacket, tcpSegment, udpDatagram,
} from '../../fixtures/lib/packet-builder.js';
import { TCP_ACK, TCP_FIN, TCP_PSH, TCP_RST, TCP_SYN, TCP_URG } from '../../src/decode/decoded-packet.js';
import { decode } from '../helpers/decode-view.js';
import { u16, u32 } from '../helpers/frame-bytes.js';

const RAW = 101;
const A = '10.0.0.1';
const B = '10.0.0.2';
const A6 = '2001:db8::a';
const B6 = '2001:db8::b';

function tcp(src: string, dst: string, flags: string, extra: Partial<Parameters<typeof tcpSegment>[4]> = {}) {
  return tcpSegment(src, 40000, dst, 443, { flags, ...extra });
}

describe('IPv4', () => {
  it('decodes a header with options (IHL 6) and finds the ports after them', () => {
    const pkt = ipPacket(A, B, 6, tcp(A, B, 'S'), { options: [0x94, 0x04, 0x00, 0x00] });
    expect(pkt[0]).toBe(0x46);
    expect(decode(pkt, RAW)).toMatchObject({ kind: 'ip', src: A, dst: B, proto: 6, sport: 40000, dport: 443, ipLen: 44 });
  });

  it('gives ports to the first fragment only; later fragments are marked and portless', () => {
    const udp = udpDatagram(A, 5000, B, 514, 'x'.repeat(100));
    const first = ipPacket(A, B, 17, udp.slice(0, 48), { id: 0x4242, moreFragments: true });
    const later = ipPacket(A, B, 17, udp.slice(48), { id: 0x4242, fragOffset: 48 });
    expect(decode(first, RAW)).toMatchObject({
      kind: 'ip', hasPorts: true, sport: 5000, dport: 514, isFragment: true, fragOffset: 0, moreFragments: true, ipLen: 68,
    });
    expect(decode(later, RAW)).toMatchObject({
      kind: 'ip', hasPorts: false, proto: 17, isFragment: true, fragOffset: 48, moreFragments: false, ipLen: 20 + udp.length - 48,
    });
  });

  it('a packet with DF set is not a fragment', () => {
    expect(decode(ipPacket(A, B, 6, tcp(A, B, 'S'), { dontFragment: true }), RAW)).toMatchObject({ isFragment: false, hasPorts: true });
  });

  it('takes total length 0 (TSO on the capturing host) as the captured length', () => {
    const pkt = ipPacket(A, B, 6, tcp(A, B, 'PA', { payload: 'y'.repeat(3000) }));
    pkt[2] = 0;
    pkt[3] = 0;
    expect(decode(pkt, RAW)).toMatchObject({ kind: 'ip', sport: 40000, dport: 443, ipLen: pkt.length, payloadLen: 3000 });
  });

  it('ignores Ethernet padding after a short IPv4 packet (payload length from the IP header)', () => {
    const v = decode(ethernet(ipPacket(A, B, 6, tcp(A, B, 'A')), 0x0800));
    expect(v).toMatchObject({ kind: 'ip', ipLen: 40, payloadLen: 0, payloadCaptured: 0 });
  });

  it('names the reason for malformed IPv4 headers', () => {
    const good = ipPacket(A, B, 6, tcp(A, B, 'S'));
    const ihl4 = [...good];
    ihl4[0] = 0x44;
    expect(decode(ihl4, RAW)).toMatchObject({ kind: 'error', reason: 'bad-ip-header-length' });
    const shortTot = [...good];
    shortTot[2] = 0;
    shortTot[3] = 12;
    expect(decode(shortTot, RAW)).toMatchObject({ kind: 'error', reason: 'bad-ip-total-length' });
    expect(decode(good.slice(0, 19), RAW)).toMatchObject({ kind: 'error', reason: 'truncated-ip' });
    const opts = ipPacket(A, B, 6, tcp(A, B, 'S'), { options: [1, 1, 1, 1, 1, 1, 1, 0] });
    expect(decode(opts, RAW, 24)).toMatchObject({ kind: 'error', reason: 'truncated-ip' });
    // An Ethernet frame saying IPv4 whose packet says version 6 in a 20-byte header.
    const v6nib = [...good];
    v6nib[0] = 0x65;
    expect(decode(ethernet(v6nib, 0x0800))).toMatchObject({ kind: 'error', reason: 'bad-ip-version' });
  });
});

describe('IPv6 extension headers', () => {
  const udpPayload = udpDatagram(A6, 33000, B6, 53, 'hello');

  it('skips hop-by-hop options', () => {
    const hbh = [17, 0, 1, 4, 0, 0, 0, 0];
    const v = decode(ipPacket(A6, B6, 0, [...hbh, ...udpPayload]), RAW);
    expect(v).toMatchObject({ kind: 'ip', ipVersion: 6, src: A6, dst: B6, proto: 17, sport: 33000, dport: 53, ipLen: 40 + 8 + udpPayload.length });
  });

  it('routing header type 0 with segments left: the flow destination is the final address', () => {
    const hop = '2001:db8:ffff::1';
    const final = '2001:db8:eeee::99';
    const rh = [17, 4, 0, 2, 0, 0, 0, 0, ...addrBytes(hop), ...addrBytes(final)];
    expect(decode(ipPacket(A6, B6, 43, [...rh, ...udpPayload]), RAW)).toMatchObject({ kind: 'ip', src: A6, dst: final, proto: 17, dport: 53 });
    // Segments left 0: the destination field already holds the final address.
    const done = [17, 4, 0, 0, 0, 0, 0, 0, ...addrBytes(hop), ...addrBytes(final)];
    expect(decode(ipPacket(A6, B6, 43, [...done, ...udpPayload]), RAW)).toMatchObject({ dst: B6, dport: 53 });
  });

  it('segment routing header (type 4) with segments left: the destination is segment[0], the last one visited', () => {
    const final = '2001:db8:5::1';
    const mid = '2001:db8:6::1';
    // next header, hdr ext len (2 x 16 bytes / 8), type 4, segments left 1, last entry 1, flags, tag, segment list.
    const srh = [17, 4, 4, 1, 1, 0, 0, 0, ...addrBytes(final), ...addrBytes(mid)];
    expect(decode(ipPacket(A6, mid, 43, [...srh, ...udpPayload]), RAW)).toMatchObject({ kind: 'ip', dst: final, dport: 53 });
  });

  it('fragment header: the first fragment has ports, a later one keeps the protocol but no ports', () => {
    const first = [17, 0, ...u16(0x0001), ...u32(0xabcdef01)];
    const later = [17, 0, ...u16((1448 & 0xfff8) | 0), ...u32(0xabcdef01)];
    expect(decode(ipPacket(A6, B6, 44, [...first, ...udpPayload]), RAW)).toMatchObject({
      kind: 'ip', proto: 17, hasPorts: true, sport: 33000, isFragment: true, moreFragments: true, fragOffset: 0,
    });
    expect(decode(ipPacket(A6, B6, 44, [...later, 1, 2, 3, 4, 5, 6, 7, 8]), RAW)).toMatchObject({
      kind: 'ip', proto: 17, hasPorts: false, isFragment: true, moreFragments: false, fragOffset: 1448,
    });
    // An "atomic" fragment (offset 0, M clear) is a whole packet.
    const atomic = [17, 0, 0, 0, ...u32(7)];
    expect(decode(ipPacket(A6, B6, 44, [...atomic, ...udpPayload]), RAW)).toMatchObject({ isFragment: false, hasPorts: true, dport: 53 });
  });

  it('destination options with a Home Address option: the flow source is the home address', () => {
    const home = '2001:db8:aaaa::7';
    const dst = [17, 2, 1, 2, 0, 0, 0xc9, 16, ...addrBytes(home)];
    expect(dst.length).toBe(24);
    expect(decode(ipPacket(A6, B6, 60, [...dst, ...udpPayload]), RAW)).toMatchObject({ kind: 'ip', src: home, dst: B6, sport: 33000 });
  });

  it('skips an authentication header (length in 4-byte words minus 2)', () => {
    const seg = tcpSegment(A6, 40000, B6, 22, { flags: 'S' });
    const ah = [6, 4, 0, 0, ...u32(0x100), ...u32(1), ...Array(12).fill(0xcc)];
    expect(ah.length).toBe(24);
    expect(decode(ipPacket(A6, B6, 51, [...ah, ...seg]), RAW)).toMatchObject({ kind: 'ip', proto: 6, sport: 40000, dport: 22 });
  });

  it('chains hop-by-hop, destination options and fragment headers', () => {
    const hbh = [60, 0, 1, 4, 0, 0, 0, 0];
    const dsto = [44, 0, 1, 4, 0, 0, 0, 0];
    const frag = [17, 0, 0, 1, ...u32(99)];
    expect(decode(ipPacket(A6, B6, 0, [...hbh, ...dsto, ...frag, ...udpPayload]), RAW)).toMatchObject({
      proto: 17, sport: 33000, dport: 53, isFragment: true,
    });
  });

  it('reports an extension header cut short as truncated-ipv6-ext', () => {
    const hbh = [17, 1, 1, 12, 0, 0, 0, 0]; // claims 16 bytes, 8 present
    expect(decode(ipPacket(A6, B6, 0, hbh), RAW)).toMatchObject({ kind: 'error', reason: 'truncated-ipv6-ext' });
    expect(decode(ipPacket(A6, B6, 44, [17, 0, 0]), RAW)).toMatchObject({ kind: 'error', reason: 'truncated-ipv6-ext' });
  });

  it('reports an IPv6 header under 40 bytes as truncated-ip', () => {
    expect(decode(ipPacket(A6, B6, 17, udpPayload).slice(0, 39), RAW)).toMatchObject({ kind: 'error', reason: 'truncated-ip' });
  });
});

describe('TCP', () => {
  it('reads flags, ports, sequence numbers and window', () => {
    const seg = tcpSegment(A, 1234, B, 80, { flags: 'FSRPAU', seq: 0xfffffff0, ack: 0x80000001, window: 0 });
    const v = decode(ipPacket(A, B, 6, seg), RAW);
    expect(v.tcpFlags).toBe(TCP_FIN | TCP_SYN | TCP_RST | TCP_PSH | TCP_ACK | TCP_URG);
    expect(v).toMatchObject({ sport: 1234, dport: 80, hasPorts: true });
  });

  it('lists the option kinds of a SYN in order, including 76 (Riverbed auto-discovery)', () => {
    const options = [
      2, 4, 0x05, 0xb4,          // MSS
      1,                          // NOP
      3, 3, 7,                    // window scale
      4, 2,                       // SACK permitted
      8, 10, 0, 0, 0, 1, 0, 0, 0, 0, // timestamps
      76, 6, 1, 2, 3, 4,          // kind 76
    ];
    const syn = decode(ipPacket(A, B, 6, tcpSegment(A, 50000, B, 445, { flags: 'S', options })), RAW);
    expect(syn.tcpOptKinds.filter((k) => k !== 0)).toEqual([2, 1, 3, 4, 8, 76]);
    const synAck = decode(ipPacket(B, A, 6, tcpSegment(B, 445, A, 50000, { flags: 'SA', options: [2, 4, 5, 0xb4, 1, 1, 4, 2] })), RAW);
    expect(synAck.tcpOptKinds.filter((k) => k !== 0)).toEqual([2, 1, 1, 4]);
  });

  it('does not report option kinds for segments other than SYN / SYN-ACK', () => {
    const v = decode(ipPacket(A, B, 6, tcpSegment(A, 50000, B, 445, { flags: 'A', options: [1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2] })), RAW);
    expect(v.tcpOptKinds).toEqual([]);
  });

  it('stops at a malformed option length instead of looping', () => {
    const v = decode(ipPacket(A, B, 6, tcpSegment(A, 1, B, 2, { flags: 'S', options: [2, 0, 0, 0, 3, 3, 7, 0] })), RAW);
    expect(v.kind).toBe('ip');
    expect(v.tcpOptKinds).toEqual([2]);
  });

  it('payload length comes from the IP length; captured payload from the snaplen', () => {
    const pkt = ipPacket(A, B, 6, tcpSegment(A, 1, B, 2, { flags: 'PA', payload: 'z'.repeat(500) }));
    expect(decode(pkt, RAW)).toMatchObject({ payloadLen: 500, payloadCaptured: 500 });
    expect(decode(pkt, RAW, 20 + 20 + 100)).toMatchObject({ kind: 'ip', payloadLen: 500, payloadCaptured: 100 });
  });

  it('a TCP header cut by the caplen is truncated-tcp (not counted at all)', () => {
    const pkt = ipPacket(A, B, 6, tcpSegment(A, 1, B, 2, { flags: 'S' }));
    expect(decode(pkt, RAW, 20 + 19)).toMatchObject({ kind: 'error', reason: 'truncated-tcp' });
    const withOpts = ipPacket(A, B, 6, tcpSegment(A, 1, B, 2, { flags: 'S', options: [2, 4, 5, 0xb4, 1, 1, 4, 2] }));
    expect(decode(withOpts, RAW, 20 + 24)).toMatchObject({ kind: 'error', reason: 'truncated-tcp' });
  });

  it('a data offset below 5 is bad-tcp-header-length', () => {
    const pkt = ipPacket(A, B, 6, tcpSegment(A, 1, B, 2, { flags: 'S' }));
    pkt[20 + 12] = 0x40;
    expect(decode(pkt, RAW)).toMatchObject({ kind: 'error', reason: 'bad-tcp-header-length' });
  });
});

describe('UDP and ICMP', () => {
  it('reads UDP ports and payload length', () => {
    expect(decode(ipPacket(A, B, 17, udpDatagram(A, 137, B, 137, 'abcdef')), RAW)).toMatchObject({
      kind: 'ip', proto: 17, sport: 137, dport: 137, payloadLen: 6, payloadCaptured: 6,
    });
  });

  it('a UDP header under 8 bytes is truncated-udp', () => {
    expect(decode(ipPacket(A, B, 17, udpDatagram(A, 1, B, 2, 'x')), RAW, 27)).toMatchObject({ kind: 'error', reason: 'truncated-udp' });
  });

  it('ICMP echo: type in sport, code in dport, identifier kept, not an error', () => {
    expect(decode(ipPacket(A, B, 1, icmpEcho(8, 0x1234, 1, [1, 2, 3])), RAW)).toMatchObject({
      kind: 'ip', proto: 1, icmpType: 8, icmpCode: 0, icmpId: 0x1234, sport: 8, dport: 0, hasPorts: true, icmpError: false,
    });
    expect(decode(ipPacket(B, A, 1, icmpEcho(0, 0x1234, 1)), RAW)).toMatchObject({ icmpType: 0, sport: 0, icmpError: false });
  });

  it('ICMP errors (unreachable, time exceeded...) are flagged and their quoted packet is not decoded', () => {
    const quoted = ipPacket(B, A, 17, udpDatagram(B, 5060, A, 5060, 'INVITE')).slice(0, 28);
    for (const [type, code] of [[3, 3], [11, 0], [4, 0], [5, 1], [12, 0]] as const) {
      const icmp = [type, code, 0, 0, 0, 0, 0, 0, ...quoted];
      const v = decode(ipPacket(A, B, 1, icmp), RAW);
      expect(v).toMatchObject({ kind: 'ip', proto: 1, icmpError: true, icmpType: type, icmpCode: code, sport: type, dport: code, hasInner: false });
    }
  });

  it('ICMPv6: echo request is informational, destination unreachable is an error', () => {
    expect(decode(ipPacket(A6, B6, 58, icmpEcho(128, 7, 1)), RAW)).toMatchObject({ proto: 58, icmpType: 128, icmpError: false, sport: 128 });
    expect(decode(ipPacket(A6, B6, 58, [1, 4, 0, 0, 0, 0, 0, 0]), RAW)).toMatchObject({ proto: 58, icmpType: 1, icmpCode: 4, icmpError: true });
  });

  it('an ICMP header under 4 bytes is truncated-icmp', () => {
    expect(decode(ipPacket(A, B, 1, [8, 0, 0]), RAW)).toMatchObject({ kind: 'error', reason: 'truncated-icmp' });
  });

  it('other IP protocols (ESP, OSPF) decode as address-only packets', () => {
    expect(decode(ipPacket(A, B, 50, [0, 0, 1, 0, 0, 0, 0, 1, 9, 9]), RAW)).toMatchObject({ kind: 'ip', proto: 50, hasPorts: false, src: A, dst: B });
    expect(decode(ipPacket(A, '224.0.0.5', 89, Array(24).fill(0)), RAW)).toMatchObject({ kind: 'ip', proto: 89, hasPorts: false });
  });
});
