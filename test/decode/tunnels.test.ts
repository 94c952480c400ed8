/**
 * Encapsulations: the outer packet is decoded as itself (the outer UDP of VXLAN is a flow too)
 * and decodeInner() then yields the carried packet, with its own addresses and ports and the
 * tunnel it was found in. The outer VLAN tags stay on the inner packet.
 */
import { describe, expect, it } from 'vitest';
import {
  ethernet, ipPacket, tcpFrame, tcpSegment, udpDatagram, udpFrame,
} from '../../fixtures/lib/packet-builder.js';
import { decodeAll } from '../helpers/decode-view.js';
import { u16, u32 } from '../helpers/frame-bytes.js';

const O_SRC = '172.16.0.1';
const O_DST = '172.16.0.2';
const I_SRC = '10.9.8.7';
const I_DST = '10.1.1.1';

const innerTcpIp = ipPacket(I_SRC, I_DST, 6, tcpSegment(I_SRC, 51000, I_DST, 1433, { flags: 'S' }));
const innerTcpEth = tcpFrame(I_SRC, 51000, I_DST, 1433, { flags: 'S' });
const INNER = { kind: 'ip', ipVersion: 4, src: I_SRC, dst: I_DST, proto: 6, sport: 51000, dport: 1433 };

function outerUdp(dport: number, payload: number[], sport = 49152, vlans: number[] = []): number[] {
  return udpFrame(O_SRC, sport, O_DST, dport, payload, vlans);
}

function greIp(payload: number[]): number[] {
  return ethernet(ipPacket(O_SRC, O_DST, 47, payload), 0x0800);
}

describe('UDP overlays', () => {
  it('VXLAN (4789): the outer UDP flow and the inner Ethernet frame', () => {
    const vxlan = [0x08, 0, 0, 0, ...u32(0x001234 << 8)];
    const [outer, inner, ...rest] = decodeAll(outerUdp(4789, [...vxlan, ...innerTcpEth], 49152, [300]));
    expect(outer).toMatchObject({ kind: 'ip', src: O_SRC, dst: O_DST, proto: 17, sport: 49152, dport: 4789, hasInner: true, vlans: [300] });
    expect(inner).toMatchObject({ ...INNER, tunnel: 'vxlan', vlans: [300] });
    expect(rest).toEqual([]);
  });

  it('VXLAN without the I flag carries nothing', () => {
    const [outer, ...rest] = decodeAll(outerUdp(4789, [0, 0, 0, 0, 0, 0, 0, 0, ...innerTcpEth]));
    expect(outer).toMatchObject({ kind: 'ip', dport: 4789, hasInner: false });
    expect(rest).toEqual([]);
  });

  it('Geneve (6081) with 8 bytes of options and an Ethernet payload; and with an IPv4 payload', () => {
    const opt = [...u16(0x0105), 0x80, 0x01, 1, 2, 3, 4];
    const gEth = [0x02, 0x00, ...u16(0x6558), 0, 0, 5, 0, ...opt];
    expect(decodeAll(outerUdp(6081, [...gEth, ...innerTcpEth]))[1]).toMatchObject({ ...INNER, tunnel: 'geneve' });
    const gIp = [0x00, 0x00, ...u16(0x0800), 0, 0, 5, 0];
    expect(decodeAll(outerUdp(6081, [...gIp, ...innerTcpIp]))[1]).toMatchObject({ ...INNER, tunnel: 'geneve' });
  });

  it('GTP-U (2152): plain T-PDU and one with a PDU-session extension header', () => {
    const gtp = [0x30, 0xff, ...u16(innerTcpIp.length), ...u32(0xdeadbeef)];
    const [outer, inner] = decodeAll(outerUdp(2152, [...gtp, ...innerTcpIp], 2152));
    expect(outer).toMatchObject({ proto: 17, sport: 2152, dport: 2152 });
    expect(inner).toMatchObject({ ...INNER, tunnel: 'gtp-u' });
    // E flag: seq(2), N-PDU(1), next type 0x85; extension of 1 word: [len=1, 2 bytes content, next=0].
    const gtpE = [0x34, 0xff, ...u16(innerTcpIp.length + 8), ...u32(1), 0, 0, 0, 0x85, 1, 0x10, 0x09, 0];
    expect(decodeAll(outerUdp(2152, [...gtpE, ...innerTcpIp], 2152))[1]).toMatchObject({ ...INNER, tunnel: 'gtp-u' });
  });

  it('GTP-U signalling (not a T-PDU) carries nothing', () => {
    const echo = [0x32, 0x01, ...u16(4), ...u32(0), 0, 1, 0, 0];
    expect(decodeAll(outerUdp(2152, echo, 2152))).toHaveLength(1);
  });

  it('Teredo (3544): IPv6 after an authentication header (client id, auth value, nonce, confirmation)', () => {
    const v6 = ipPacket('2001:0:4136:e378:8000:63bf:3fff:fdd2', '2001:db8::80', 17,
      udpDatagram('2001:0:4136:e378:8000:63bf:3fff:fdd2', 3000, '2001:db8::80', 4000, 'hi'));
    const auth = [0x00, 0x01, 3, 2, 0xa, 0xb, 0xc, 0xd, 0xe, 1, 2, 3, 4, 5, 6, 7, 8, 0];
    expect(decodeAll(outerUdp(3544, [...auth, ...v6], 50001))[1]).toMatchObject({ kind: 'ip', ipVersion: 6, sport: 3000, dport: 4000, tunnel: 'teredo' });
  });

  it('Teredo (3544): bare IPv6 and IPv6 after an origin indication', () => {
    const v6 = ipPacket('2001:0:4136:e378:8000:63bf:3fff:fdd2', '2001:db8::80', 6,
      tcpSegment('2001:0:4136:e378:8000:63bf:3fff:fdd2', 1111, '2001:db8::80', 80, { flags: 'S' }));
    const want = { kind: 'ip', ipVersion: 6, src: '2001:0:4136:e378:8000:63bf:3fff:fdd2', dst: '2001:db8::80', sport: 1111, dport: 80, tunnel: 'teredo' };
    expect(decodeAll(outerUdp(3544, v6, 50000))[1]).toMatchObject(want);
    const origin = [0x00, 0x00, 0x12, 0x34, 1, 2, 3, 4];
    expect(decodeAll(outerUdp(50000, [...origin, ...v6], 3544))[1]).toMatchObject(want);
  });
});

describe('GRE family', () => {
  it('GRE with an IPv4 payload (no options, and with key + sequence)', () => {
    const [outer, inner] = decodeAll(greIp([0, 0, ...u16(0x0800), ...innerTcpIp]));
    expect(outer).toMatchObject({ kind: 'ip', src: O_SRC, dst: O_DST, proto: 47, hasInner: true });
    expect(inner).toMatchObject({ ...INNER, tunnel: 'gre' });
    const keyed = [0x30, 0x00, ...u16(0x0800), ...u32(77), ...u32(1)];
    expect(decodeAll(greIp([...keyed, ...innerTcpIp]))[1]).toMatchObject({ ...INNER, tunnel: 'gre' });
    const cksum = [0x80, 0x00, ...u16(0x0800), 0, 0, 0, 0];
    expect(decodeAll(greIp([...cksum, ...innerTcpIp]))[1]).toMatchObject({ ...INNER, tunnel: 'gre' });
  });

  it('ERSPAN type I (GRE without sequence number): the mirrored frame follows GRE directly', () => {
    expect(decodeAll(greIp([0, 0, ...u16(0x88be), ...innerTcpEth]))[1]).toMatchObject({ ...INNER, tunnel: 'erspan' });
  });

  it('GRE transparent Ethernet bridging (0x6558)', () => {
    expect(decodeAll(greIp([0x20, 0, ...u16(0x6558), ...u32(5), ...innerTcpEth]))[1]).toMatchObject({ ...INNER, tunnel: 'gre' });
  });

  it('ERSPAN type II: GRE with sequence, 8-byte ERSPAN header, then the mirrored frame', () => {
    const erspan2 = [...u16(0x1000 | 10), ...u16(0x0000 | 99), 0, 0, 0, 0]; // ver 1, VLAN 10, session 99
    const gre = [0x10, 0x00, ...u16(0x88be), ...u32(1234)];
    const [outer, inner] = decodeAll(greIp([...gre, ...erspan2, ...ethernet(innerTcpIp, 0x0800, [55])]));
    expect(outer).toMatchObject({ proto: 47, hasInner: true });
    expect(inner).toMatchObject({ ...INNER, tunnel: 'erspan', vlans: [55] });
  });

  it('ERSPAN type III: 12-byte header, and 20 bytes when the platform sub-header (O bit) is present', () => {
    const gre = [0x10, 0x00, ...u16(0x22eb), ...u32(1)];
    const h3 = [...u16(0x2000), ...u16(99), ...u32(0x01020304), 0, 0, 0, 0];
    expect(decodeAll(greIp([...gre, ...h3, ...innerTcpEth]))[1]).toMatchObject({ ...INNER, tunnel: 'erspan' });
    const h3o = [...u16(0x2000), ...u16(99), ...u32(0x01020304), 0, 0, 0, 1, ...Array(8).fill(0x11)];
    expect(decodeAll(greIp([...gre, ...h3o, ...innerTcpEth]))[1]).toMatchObject({ ...INNER, tunnel: 'erspan' });
  });

  it('WCCP redirect over GRE (0x883e): 4-byte WCCP header, then the redirected IPv4 packet', () => {
    expect(decodeAll(greIp([0, 0, ...u16(0x883e), 0, 0, 0, 0, ...innerTcpIp]))[1]).toMatchObject({ ...INNER, tunnel: 'gre' });
    // Some WCCP versions put the IPv4 packet right after GRE.
    expect(decodeAll(greIp([0, 0, ...u16(0x883e), ...innerTcpIp]))[1]).toMatchObject({ ...INNER, tunnel: 'gre' });
  });

  it('PPTP enhanced GRE (version 1) with PPP carrying IPv4', () => {
    const gre1 = [0x30, 0x01, ...u16(0x880b), ...u16(innerTcpIp.length + 4), ...u16(0x4000), ...u32(1)];
    expect(decodeAll(greIp([...gre1, 0xff, 0x03, 0x00, 0x21, ...innerTcpIp]))[1]).toMatchObject({ ...INNER, tunnel: 'gre' });
  });
});

describe('IP in IP', () => {
  it('IPv4 in IPv4 (protocol 4) and IPv6 in IPv4 (protocol 41)', () => {
    const [outer, inner] = decodeAll(ethernet(ipPacket(O_SRC, O_DST, 4, innerTcpIp), 0x0800));
    expect(outer).toMatchObject({ kind: 'ip', proto: 4, src: O_SRC, hasInner: true });
    expect(inner).toMatchObject({ ...INNER, tunnel: 'ip-in-ip' });
    const v6 = ipPacket('2001:db8::1', '2001:db8::2', 17, udpDatagram('2001:db8::1', 546, '2001:db8::2', 547, 'x'));
    expect(decodeAll(ethernet(ipPacket(O_SRC, O_DST, 41, v6), 0x0800))[1]).toMatchObject({
      kind: 'ip', ipVersion: 6, src: '2001:db8::1', dst: '2001:db8::2', sport: 546, dport: 547, tunnel: 'ip-in-ip',
    });
  });

  it('nested tunnels: VXLAN carrying GRE carrying IPv4', () => {
    const gre = ethernet(ipPacket(O_DST, O_SRC, 47, [0, 0, ...u16(0x0800), ...innerTcpIp]), 0x0800);
    const all = decodeAll(outerUdp(4789, [0x08, 0, 0, 0, 0, 0, 1, 0, ...gre]));
    expect(all.map((v) => [v.proto, v.tunnel])).toEqual([[17, ''], [47, 'vxlan'], [6, 'gre']]);
    expect(all[2]).toMatchObject(INNER);
  });

  it('a tunnel whose inner packet is cut short ends as an error, not a throw', () => {
    const vxlan = [0x08, 0, 0, 0, 0, 0, 1, 0];
    const frame = outerUdp(4789, [...vxlan, ...innerTcpEth.slice(0, 20)]);
    const all = decodeAll(frame);
    expect(all[0]).toMatchObject({ kind: 'ip', dport: 4789 });
    expect(all[1]).toMatchObject({ kind: 'error' });
  });
});
