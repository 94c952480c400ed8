/**
 * Link layers on byte-exact frames: every supported link type and encapsulation must reach the
 * same IP packet (addresses, protocol, ports), and VLAN ids must be recorded outermost first.
 */
import { describe, expect, it } from 'vitest';
import { ethernet, ipPacket, tcpSegment, udpDatagram } from '../../fixtures/lib/packet-builder.js';
import { decode } from '../helpers/decode-view.js';
import { ethHeader, u16, u16le, u32, u32le } from '../helpers/frame-bytes.js';

const V4_SRC = '10.1.2.3';
const V4_DST = '192.168.200.9';
const V6_SRC = '2001:db8::1';
const V6_DST = '2001:db8:0:1::53';

const tcp4 = ipPacket(V4_SRC, V4_DST, 6, tcpSegment(V4_SRC, 40001, V4_DST, 445, { flags: 'S' }));
const udp6 = ipPacket(V6_SRC, V6_DST, 17, udpDatagram(V6_SRC, 5353, V6_DST, 53, 'query'));

const TCP4 = { kind: 'ip', ipVersion: 4, src: V4_SRC, dst: V4_DST, proto: 6, sport: 40001, dport: 445, hasPorts: true };
const UDP6 = { kind: 'ip', ipVersion: 6, src: V6_SRC, dst: V6_DST, proto: 17, sport: 5353, dport: 53, hasPorts: true };

describe('Ethernet and VLAN tags', () => {
  it('decodes Ethernet II with IPv4 and IPv6', () => {
    expect(decode(ethernet(tcp4, 0x0800))).toMatchObject({ ...TCP4, vlanCount: 0, vlans: [] });
    expect(decode(ethernet(udp6, 0x86dd))).toMatchObject({ ...UDP6, vlanCount: 0 });
  });

  it('records an 802.1Q VLAN id without the priority and DEI bits', () => {
    // TCI 0xe064: PCP 7, DEI 0, VID 100; 0x1fff: DEI set, VID 0xfff.
    expect(decode([...ethHeader(0x0800, [[0x8100, 0xe064]]), ...tcp4])).toMatchObject({ ...TCP4, vlanCount: 1, vlans: [100] });
    expect(decode([...ethHeader(0x86dd, [[0x8100, 0x1fff]]), ...udp6])).toMatchObject({ ...UDP6, vlans: [0xfff] });
  });

  it('records QinQ tags outermost first: 0x88a8 + 0x8100, 0x9100 + 0x8100, and the builder default', () => {
    expect(decode([...ethHeader(0x0800, [[0x88a8, 200], [0x8100, 300]]), ...tcp4])).toMatchObject({ ...TCP4, vlanCount: 2, vlans: [200, 300] });
    expect(decode([...ethHeader(0x0800, [[0x9100, 7], [0x8100, 4094]]), ...tcp4])).toMatchObject({ ...TCP4, vlanCount: 2, vlans: [7, 4094] });
    expect(decode(ethernet(tcp4, 0x0800, [11, 22]))).toMatchObject({ ...TCP4, vlans: [11, 22] });
  });

  it('keeps the first two of three stacked tags and counts all three', () => {
    const v = decode([...ethHeader(0x0800, [[0x88a8, 1], [0x8100, 2], [0x8100, 3]]), ...tcp4]);
    expect(v).toMatchObject({ ...TCP4, vlanCount: 3, vlans: [1, 2] });
  });

  it('skips a VN-Tag (0x8926) and follows an 802.1ah I-TAG (0x88e7) into the customer frame', () => {
    const vntag = [...ethHeader(0x8926), 0x80, 0x01, 0x00, 0x02, ...u16(0x8100), ...u16(9), ...u16(0x0800), ...tcp4];
    expect(decode(vntag)).toMatchObject({ ...TCP4, vlans: [9] });
    const pbb = [...ethHeader(0x88e7, [[0x88a8, 100]]), 0, 0, 0, 1, ...ethHeader(0x0800, [[0x8100, 20]]), ...tcp4];
    expect(decode(pbb)).toMatchObject({ ...TCP4, vlans: [100, 20] });
  });

  it('counts ARP and LLDP as non-IP, not as errors', () => {
    const arp = [...ethHeader(0x0806), 0, 1, 8, 0, 6, 4, 0, 1, ...Array(20).fill(0)];
    expect(decode(arp)).toMatchObject({ kind: 'non-ip' });
    expect(decode([...ethHeader(0x88cc), ...Array(40).fill(0)])).toMatchObject({ kind: 'non-ip' });
  });

  it('reports a frame shorter than an Ethernet header as truncated-link, and a cut VLAN tag too', () => {
    expect(decode([0x02, 0, 0, 0, 0, 1, 0x02, 0, 0, 0])).toMatchObject({ kind: 'error', reason: 'truncated-link' });
    expect(decode([...ethHeader(0x8100), 0x00])).toMatchObject({ kind: 'error', reason: 'truncated-link' });
  });

  it('reports an empty packet as empty-packet', () => {
    expect(decode([])).toMatchObject({ kind: 'error', reason: 'empty-packet' });
  });
});

describe('LLC/SNAP, MPLS, PPPoE', () => {
  it('follows an 802.3 frame with LLC/SNAP to the IPv4 packet inside', () => {
    const snap = [0xaa, 0xaa, 0x03, 0x00, 0x00, 0x00, ...u16(0x0800)];
    const len = snap.length + tcp4.length;
    expect(decode([...ethHeader(len), ...snap, ...tcp4])).toMatchObject(TCP4);
  });

  it('treats 802.3 with a non-SNAP LLC (spanning tree) as non-IP', () => {
    const stp = [0x42, 0x42, 0x03, 0, 0, 0, 0, 0, ...Array(30).fill(0)];
    expect(decode([...ethHeader(stp.length), ...stp])).toMatchObject({ kind: 'non-ip' });
  });

  it('pops an MPLS label stack down to IPv4 and IPv6', () => {
    const label = (value: number, bos: boolean, ttl = 64) => u32((value << 12) | (bos ? 0x100 : 0) | ttl);
    expect(decode([...ethHeader(0x8847), ...label(16, false), ...label(17, true), ...tcp4])).toMatchObject(TCP4);
    expect(decode([...ethHeader(0x8847), ...label(3000, true), ...udp6])).toMatchObject(UDP6);
  });

  it('decodes an MPLS pseudowire: control word then a whole Ethernet frame', () => {
    const label = u32((100 << 12) | 0x100 | 255);
    const inner = [...ethHeader(0x0800, [[0x8100, 42]]), ...tcp4];
    expect(decode([...ethHeader(0x8847), ...label, 0, 0, 0, 0, ...inner])).toMatchObject({ ...TCP4, vlans: [42] });
  });

  it('reports an MPLS stack without bottom-of-stack as truncated-link', () => {
    expect(decode([...ethHeader(0x8847), ...u32(16 << 12), ...u32(17 << 12)])).toMatchObject({ kind: 'error', reason: 'truncated-link' });
  });

  it('decodes PPPoE session frames carrying IPv4 and IPv6; LCP is non-IP', () => {
    const pppoe = (proto: number, payload: number[]) => [0x11, 0x00, ...u16(0x1234), ...u16(payload.length + 2), ...u16(proto), ...payload];
    expect(decode([...ethHeader(0x8864), ...pppoe(0x0021, tcp4)])).toMatchObject(TCP4);
    expect(decode([...ethHeader(0x8864), ...pppoe(0x0057, udp6)])).toMatchObject(UDP6);
    expect(decode([...ethHeader(0x8864), ...pppoe(0xc021, [1, 1, 0, 4])])).toMatchObject({ kind: 'non-ip' });
  });
});

describe('raw IP link types', () => {
  it.each([101, 12, 14])('link type %i carries a bare IPv4 or IPv6 packet', (lt) => {
    expect(decode(tcp4, lt)).toMatchObject(TCP4);
    expect(decode(udp6, lt)).toMatchObject(UDP6);
  });

  it('link types 228 (IPv4) and 229 (IPv6) decode, and a mislabelled packet follows its version nibble', () => {
    expect(decode(tcp4, 228)).toMatchObject(TCP4);
    expect(decode(udp6, 229)).toMatchObject(UDP6);
    expect(decode(udp6, 228)).toMatchObject(UDP6);
    expect(decode(tcp4, 229)).toMatchObject(TCP4);
  });

  it('reports a raw packet whose version nibble is neither 4 nor 6 as bad-ip-version', () => {
    const bad = [...tcp4];
    bad[0] = 0x55;
    expect(decode(bad, 101)).toMatchObject({ kind: 'error', reason: 'bad-ip-version' });
    expect(decode(bad, 228)).toMatchObject({ kind: 'error', reason: 'bad-ip-version' });
  });
});

describe('BSD null / loopback', () => {
  it('reads the address family in either byte order (NULL) and network order (LOOP)', () => {
    expect(decode([...u32le(2), ...tcp4], 0)).toMatchObject(TCP4);
    expect(decode([...u32(2), ...tcp4], 0)).toMatchObject(TCP4);
    expect(decode([...u32(2), ...tcp4], 108)).toMatchObject(TCP4);
  });

  it.each([10, 24, 28, 30])('AF_INET6 value %i (Linux, NetBSD/OpenBSD, FreeBSD, Darwin) in both byte orders', (af) => {
    expect(decode([...u32le(af), ...udp6], 0)).toMatchObject(UDP6);
    expect(decode([...u32(af), ...udp6], 0)).toMatchObject(UDP6);
    expect(decode([...u32(af), ...udp6], 108)).toMatchObject(UDP6);
  });

  it('treats other families as non-IP and a short header as truncated-link', () => {
    expect(decode([...u32le(7), ...tcp4], 0)).toMatchObject({ kind: 'non-ip' });
    expect(decode([2, 0, 0], 0)).toMatchObject({ kind: 'error', reason: 'truncated-link' });
  });
});

describe('Linux cooked capture, PPP, NFLOG, PPI', () => {
  it('SLL (113): 16-byte header with the protocol at the end', () => {
    const sll = (proto: number) => [...u16(0), ...u16(1), ...u16(6), 2, 0, 0, 0, 0, 1, 0, 0, ...u16(proto)];
    expect(decode([...sll(0x0800), ...tcp4], 113)).toMatchObject(TCP4);
    expect(decode([...sll(0x86dd), ...udp6], 113)).toMatchObject(UDP6);
    expect(decode([...sll(0x0806), ...Array(28).fill(0)], 113)).toMatchObject({ kind: 'non-ip' });
    expect(decode(sll(0x0800).slice(0, 10), 113)).toMatchObject({ kind: 'error', reason: 'truncated-link' });
  });

  it('SLL (113) with an 802.1Q tag after the cooked header keeps the VLAN id', () => {
    const sll = [...u16(4), ...u16(1), ...u16(6), 2, 0, 0, 0, 0, 1, 0, 0, ...u16(0x8100)];
    expect(decode([...sll, ...u16(77), ...u16(0x0800), ...tcp4], 113)).toMatchObject({ ...TCP4, vlans: [77] });
  });

  it('SLL2 (276): 20-byte header with the protocol first', () => {
    const sll2 = (proto: number) => [...u16(proto), 0, 0, ...u32(3), ...u16(1), 0, 6, 2, 0, 0, 0, 0, 1, 0, 0];
    expect(decode([...sll2(0x0800), ...tcp4], 276)).toMatchObject(TCP4);
    expect(decode([...sll2(0x86dd), ...udp6], 276)).toMatchObject(UDP6);
    expect(decode(sll2(0x0800).slice(0, 16), 276)).toMatchObject({ kind: 'error', reason: 'truncated-link' });
  });

  it('PPP (9): with and without address/control, and with a compressed protocol field', () => {
    expect(decode([0xff, 0x03, 0x00, 0x21, ...tcp4], 9)).toMatchObject(TCP4);
    expect(decode([0x00, 0x57, ...udp6], 9)).toMatchObject(UDP6);
    expect(decode([0xff, 0x03, 0x21, ...tcp4], 9)).toMatchObject(TCP4);
    expect(decode([0xff, 0x03, 0xc0, 0x21, 1, 1, 0, 4], 9)).toMatchObject({ kind: 'non-ip' });
  });

  it('NFLOG (239): skips TLVs up to NFULA_PAYLOAD', () => {
    const tlv = (type: number, value: number[]) => {
      const t = [...u16le(4 + value.length), ...u16le(type), ...value];
      while (t.length % 4) t.push(0);
      return t;
    };
    const nflog = (family: number, ip: number[]) => [family, 0, ...u16(0), ...tlv(1, [0x08, 0x00, 3, 0]), ...tlv(10, [...Buffer.from('prefix\0')]), ...tlv(9, ip)];
    expect(decode(nflog(2, tcp4), 239)).toMatchObject(TCP4);
    expect(decode(nflog(10, udp6), 239)).toMatchObject(UDP6);
    // No payload TLV: nothing to decode.
    expect(decode([2, 0, 0, 0, ...tlv(1, [0x08, 0x00, 3, 0])], 239)).toMatchObject({ kind: 'non-ip' });
  });

  it('PPI (192): skips the PPI header (its own length) and decodes the link type it names', () => {
    const ppi = (dlt: number, fields: number[] = []) => [0, 0, ...u16le(8 + fields.length), ...u32le(dlt), ...fields];
    expect(decode([...ppi(1), ...ethernet(tcp4, 0x0800)], 192)).toMatchObject(TCP4);
    const field = [...u16le(2), ...u16le(4), 1, 2, 3, 4]; // one 8-byte field
    expect(decode([...ppi(1, field), ...ethHeader(0x86dd, [[0x8100, 5]]), ...udp6], 192)).toMatchObject({ ...UDP6, vlans: [5] });
    expect(decode([...ppi(101), ...tcp4], 192)).toMatchObject(TCP4);
    expect(decode([0, 0, 8, 0], 192)).toMatchObject({ kind: 'error', reason: 'truncated-link' });
  });

  it('counts a link type it does not decode as unsupported-linktype', () => {
    expect(decode(ethernet(tcp4, 0x0800), 147)).toMatchObject({ kind: 'error', reason: 'unsupported-linktype' });
    expect(decode(ethernet(tcp4, 0x0800), 105)).toMatchObject({ kind: 'error', reason: 'unsupported-linktype' });
  });
});
