/**
 * UDP and ICMP flows, fragments, tunnels, and how flows end (idle and active timeouts, close,
 * end of capture) — all through capture bytes and collectFlows().
 */
import { afterAll, describe, expect, it } from 'vitest';
import { ethernet, icmpEcho, ipPacket, udpDatagram, pcapFile, tcpFrame } from '../../fixtures/lib/packet-builder.js';
import type { FlowRecord } from '../../src/flow/flow-record.js';
import { TempDir, flowsOf } from '../helpers/capture-files.js';
import { Script, T0, TcpScript, udpFrameAt } from '../helpers/flow-script.js';

const tmp = new TempDir();
afterAll(() => tmp.cleanup());

const C = '192.168.1.10';
const S = '10.0.0.53';
const DEFAULTS = {}; // FlowTable defaults: tcp 300 s, udp/icmp 60 s, closed 5 s, active 1800 s

function byStart(flows: FlowRecord[]): FlowRecord[] {
  return [...flows].sort((a, b) => a.start - b.start || a.id - b.id);
}

describe('UDP', () => {
  it('a request and its answer are one flow; the client is the originator', async () => {
    const s = new Script().frame(udpFrameAt(C, 40000, S, 53, 'query')).frame(udpFrameAt(S, 53, C, 40000, 'answer!'));
    const [f, ...rest] = await flowsOf(tmp, s.pcap());
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      proto: 17, src: C, sport: 40000, dst: S, dport: 53, origPackets: 1, respPackets: 1, state: 'SF', originatorGuessed: true,
      origPayloadBytes: 5, respPayloadBytes: 7, origIpBytes: 20 + 8 + 5, respIpBytes: 20 + 8 + 7,
    });
  });

  it('mid-stream: when the answer is seen first, the well-known port is still the responder', async () => {
    const s = new Script().frame(udpFrameAt(S, 53, C, 40000, 'answer')).frame(udpFrameAt(C, 40000, S, 53, 'query'));
    const [f] = await flowsOf(tmp, s.pcap());
    expect(f).toMatchObject({ src: C, sport: 40000, dst: S, dport: 53, originatorGuessed: true, origPackets: 1, respPackets: 1 });
    expect(f!.history.startsWith('^')).toBe(true);
  });

  it('one-way UDP is S0; only answers seen is still S0 after the originator is flipped to the client', async () => {
    const [f] = await flowsOf(tmp, new Script().frame(udpFrameAt(C, 40000, S, 514, 'log')).pcap());
    expect(f).toMatchObject({ state: 'S0', origPackets: 1, respPackets: 0 });
    const [g] = await flowsOf(tmp, new Script().frame(udpFrameAt(S, 123, C, 40123, 'ntp')).pcap());
    expect(g).toMatchObject({ src: C, sport: 40123, dst: S, dport: 123, origPackets: 0, respPackets: 1 });
  });

  it('two service ports (137 <-> 138): the lower one is the responder', async () => {
    const [f] = await flowsOf(tmp, new Script().frame(udpFrameAt(S, 137, C, 138, 'nb')).pcap());
    expect(f).toMatchObject({ src: C, sport: 138, dst: S, dport: 137 });
  });

  it('an idle gap longer than the UDP timeout splits the flow (end reason idle)', async () => {
    const s = new Script().frame(udpFrameAt(C, 40000, S, 53)).wait(1).frame(udpFrameAt(S, 53, C, 40000))
      .wait(200).frame(udpFrameAt(C, 40000, S, 53));
    const flows = byStart(await flowsOf(tmp, s.pcap(), DEFAULTS));
    expect(flows.map((f) => [f.endReason, f.origPackets, f.respPackets])).toEqual([['idle', 1, 1], ['eoc', 1, 0]]);
    expect(flows[1]!.start).toBeCloseTo(T0 + 201.02, 4);
  });

  it('a gap shorter than the timeout keeps one flow', async () => {
    const s = new Script().frame(udpFrameAt(C, 40000, S, 53)).wait(59).frame(udpFrameAt(C, 40000, S, 53));
    const flows = await flowsOf(tmp, s.pcap(), DEFAULTS);
    expect(flows).toHaveLength(1);
    expect(flows[0]).toMatchObject({ origPackets: 2, endReason: 'eoc' });
  });

  it('a configured UDP timeout is honoured', async () => {
    const s = new Script().frame(udpFrameAt(C, 40000, S, 53)).wait(15).frame(udpFrameAt(C, 40000, S, 53));
    expect((await flowsOf(tmp, s.pcap(), { udp: 10 })).map((f) => f.endReason).sort()).toEqual(['eoc', 'idle']);
    expect(await flowsOf(tmp, s.pcap(), { udp: 20 })).toHaveLength(1);
  });

  it('the active timeout exports long flows and continues them as new records', async () => {
    const s = new Script();
    s.step = 0;
    for (let i = 0; i <= 10; i++) s.at(T0 + i * 10).frame(udpFrameAt(C, 40000, S, 161, 'get'));
    const flows = byStart(await flowsOf(tmp, s.pcap(), { active: 30 }));
    expect(flows.map((f) => [f.endReason, f.origPackets])).toEqual([['active', 4], ['active', 4], ['eoc', 3]]);
    expect(flows.map((f) => f.start - T0)).toEqual([0, 40, 80]);
  });

  it('end of capture ends every open flow with reason eoc', async () => {
    const s = new Script().frame(udpFrameAt(C, 1, S, 2)).frame(udpFrameAt(C, 3, S, 4)).frame(tcpFrame(C, 5, S, 6, { flags: 'S' }));
    const flows = await flowsOf(tmp, s.pcap(), DEFAULTS);
    expect(flows.map((f) => f.endReason)).toEqual(['eoc', 'eoc', 'eoc']);
  });
});

describe('TCP timeouts', () => {
  it('a closed connection ends a few seconds after its close (reason end), before end of capture', async () => {
    const s = new TcpScript(C, 50000, S, 80).handshake().c('FA').s('FA').c('A');
    s.wait(30).frame(udpFrameAt(C, 1, S, 2));
    const flows = await flowsOf(tmp, s.pcap(), DEFAULTS);
    const tcp = flows.find((f) => f.proto === 6)!;
    expect(tcp.endReason).toBe('end');
    expect(flows.indexOf(tcp)).toBe(0); // ended before the UDP flow was flushed
  });

  it('an idle open connection ends after the TCP idle timeout (reason idle)', async () => {
    const s = new TcpScript(C, 50000, S, 80).handshake();
    s.wait(400).frame(udpFrameAt(C, 1, S, 2));
    const flows = await flowsOf(tmp, s.pcap(), DEFAULTS);
    expect(flows.find((f) => f.proto === 6)).toMatchObject({ endReason: 'idle', state: 'S1' });
  });
});

describe('ICMP', () => {
  const echo = (src: string, dst: string, type: number, id: number, seq: number) => ethernet(ipPacket(src, dst, 1, icmpEcho(type, id, seq, [1, 2, 3, 4])), 0x0800);

  it('echo request and reply are one flow: sport = 8 (type), dport = 0 (code)', async () => {
    const s = new Script().frame(echo(C, S, 8, 77, 1)).frame(echo(S, C, 0, 77, 1)).frame(echo(C, S, 8, 77, 2)).frame(echo(S, C, 0, 77, 2));
    const flows = await flowsOf(tmp, s.pcap());
    expect(flows).toHaveLength(1);
    expect(flows[0]).toMatchObject({ proto: 1, src: C, dst: S, sport: 8, dport: 0, origPackets: 2, respPackets: 2 });
  });

  it('a reply seen first still makes the requester the originator', async () => {
    const flows = await flowsOf(tmp, new Script().frame(echo(S, C, 0, 9, 1)).frame(echo(C, S, 8, 9, 2)).pcap());
    expect(flows).toHaveLength(1);
    expect(flows[0]).toMatchObject({ src: C, dst: S, sport: 8, dport: 0, origPackets: 1, respPackets: 1 });
  });

  it('different echo identifiers are different flows', async () => {
    const flows = await flowsOf(tmp, new Script().frame(echo(C, S, 8, 1, 1)).frame(echo(C, S, 8, 2, 1)).pcap());
    expect(flows).toHaveLength(2);
  });

  it('ICMPv6 echo request / reply: one flow, sport 128', async () => {
    const e6 = (src: string, dst: string, type: number) => ethernet(ipPacket(src, dst, 58, icmpEcho(type, 5, 1)), 0x86dd);
    const flows = await flowsOf(tmp, new Script().frame(e6('2001:db8::1', '2001:db8::2', 128)).frame(e6('2001:db8::2', '2001:db8::1', 129)).pcap());
    expect(flows).toHaveLength(1);
    expect(flows[0]).toMatchObject({ proto: 58, src: '2001:db8::1', sport: 128, dport: 0, origPackets: 1, respPackets: 1 });
  });

  it('an ICMP error does not create a TCP/UDP flow for the packet it quotes', async () => {
    const udp = udpFrameAt(C, 40000, S, 69, 'rrq');
    const quoted = ipPacket(C, S, 17, udpDatagram(C, 40000, S, 69, 'rrq')).slice(0, 28);
    const unreachable = ethernet(ipPacket(S, C, 1, [3, 3, 0, 0, 0, 0, 0, 0, ...quoted]), 0x0800);
    const flows = await flowsOf(tmp, new Script().frame(udp).frame(unreachable).pcap());
    const udpFlows = flows.filter((f) => f.proto === 17);
    expect(udpFlows).toHaveLength(1);
    expect(udpFlows[0]).toMatchObject({ src: C, sport: 40000, dst: S, dport: 69, origPackets: 1, respPackets: 0 });
    const icmp = flows.filter((f) => f.proto === 1);
    expect(icmp).toHaveLength(1);
    expect(icmp[0]).toMatchObject({ sport: 3, dport: 3 });
  });
});

describe('IP fragments', () => {
  const bigUdp = udpDatagram(C, 5000, S, 514, 'L'.repeat(2000));
  function fragments(order: number[]): Buffer {
    const parts = [bigUdp.slice(0, 1480), bigUdp.slice(1480)];
    const frames = [
      ethernet(ipPacket(C, S, 17, parts[0]!, { id: 0x77, moreFragments: true }), 0x0800),
      ethernet(ipPacket(C, S, 17, parts[1]!, { id: 0x77, fragOffset: 1480 }), 0x0800),
    ];
    return pcapFile(order.map((i, k) => ({ ts: T0 + k * 0.001, data: frames[i]! })));
  }

  it('later IPv4 fragments are counted in the first fragment flow', async () => {
    const flows = await flowsOf(tmp, fragments([0, 1]));
    expect(flows).toHaveLength(1);
    expect(flows[0]).toMatchObject({
      proto: 17, src: C, sport: 5000, dst: S, dport: 514, origPackets: 2,
      origIpBytes: (20 + 1480) + (20 + bigUdp.length - 1480), origBytes: (14 + 20 + 1480) + (14 + 20 + bigUdp.length - 1480),
    });
  });

  it('a later fragment seen before the first cannot be attributed and makes no flow of its own', async () => {
    const flows = await flowsOf(tmp, fragments([1, 0]));
    expect(flows).toHaveLength(1);
    expect(flows[0]).toMatchObject({ sport: 5000, dport: 514, origPackets: 1 });
  });

  it('fragments of two datagrams with different ids go to their own flows', async () => {
    const a = udpDatagram(C, 1111, S, 2222, 'a'.repeat(100));
    const b = udpDatagram(C, 3333, S, 4444, 'b'.repeat(100));
    const frames = [
      ethernet(ipPacket(C, S, 17, a.slice(0, 64), { id: 1, moreFragments: true }), 0x0800),
      ethernet(ipPacket(C, S, 17, b.slice(0, 64), { id: 2, moreFragments: true }), 0x0800),
      ethernet(ipPacket(C, S, 17, b.slice(64), { id: 2, fragOffset: 64 }), 0x0800),
      ethernet(ipPacket(C, S, 17, a.slice(64), { id: 1, fragOffset: 64 }), 0x0800),
    ];
    const flows = await flowsOf(tmp, pcapFile(frames.map((data, i) => ({ ts: T0 + i, data }))));
    expect(flows.map((f) => [f.sport, f.origPackets]).sort((x, y) => x[0]! - y[0]!)).toEqual([[1111, 2], [3333, 2]]);
  });

  it('IPv6 fragment headers: the later fragment joins the flow of the first', async () => {
    const A6 = '2001:db8::1';
    const B6 = '2001:db8::2';
    const udp = udpDatagram(A6, 40000, B6, 514, 'v'.repeat(200));
    const f1 = ethernet(ipPacket(A6, B6, 44, [17, 0, 0, 1, 0, 0, 0, 42, ...udp.slice(0, 104)]), 0x86dd);
    const f2 = ethernet(ipPacket(A6, B6, 44, [17, 0, 0, 104, 0, 0, 0, 42, ...udp.slice(104)]), 0x86dd);
    const flows = await flowsOf(tmp, pcapFile([{ ts: T0, data: f1 }, { ts: T0 + 0.1, data: f2 }]));
    expect(flows).toHaveLength(1);
    expect(flows[0]).toMatchObject({ ipVersion: 6, src: A6, sport: 40000, dst: B6, dport: 514, origPackets: 2, respPackets: 0 });
  });
});

describe('tunnels', () => {
  it('VXLAN: the outer UDP flow and the inner TCP flow are both kept; the inner one names its tunnel', async () => {
    const inner = tcpFrame('10.9.9.9', 50000, '10.1.1.1', 3389, { flags: 'S' });
    const outer = udpFrameAt('172.16.0.1', 51234, '172.16.0.2', 4789, [0x08, 0, 0, 0, 0, 0, 7, 0, ...inner]);
    const flows = await flowsOf(tmp, new Script().frame(outer).pcap());
    expect(flows.map((f) => [f.proto, f.src, f.dport, f.tunnel]).sort()).toEqual([
      [17, '172.16.0.1', 4789, null],
      [6, '10.9.9.9', 3389, 'vxlan'],
    ].sort());
  });
});
