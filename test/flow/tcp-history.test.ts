/**
 * TCP flows end to end (capture bytes → reader → decoder → flow table): who the originator is,
 * the Zeek-style history string and conn_state of the classic connection shapes, retransmission
 * and zero-window letters, per-direction counters, VLANs and SYN / SYN-ACK option kinds.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { FlowRecord } from '../../src/flow/flow-record.js';
import { TempDir, flowsOf } from '../helpers/capture-files.js';
import { T0, TcpScript } from '../helpers/flow-script.js';

const tmp = new TempDir();
afterAll(() => tmp.cleanup());

const C = '192.168.1.10';
const S = '10.0.0.80';

async function one(script: TcpScript): Promise<FlowRecord> {
  const flows = await flowsOf(tmp, script.pcap());
  expect(flows).toHaveLength(1);
  return flows[0]!;
}

const conv = (vlans: number[] = []) => new TcpScript(C, 51000, S, 445, vlans);

describe('originator', () => {
  it('is the SYN sender, with the ports the right way round', async () => {
    const f = await one(conv().handshake());
    expect(f).toMatchObject({ proto: 6, ipVersion: 4, src: C, sport: 51000, dst: S, dport: 445, originatorGuessed: false });
  });

  it('is the SYN sender even when the client uses the lower port', async () => {
    const f = await one(new TcpScript(C, 80, S, 50000).handshake());
    expect(f).toMatchObject({ src: C, sport: 80, dst: S, dport: 50000, originatorGuessed: false });
  });

  it('when the first packet is a SYN-ACK: the originator is its receiver and history starts with ^', async () => {
    const f = await one(conv().s('SA').c('A').c('PA', 'x').s('A'));
    expect(f).toMatchObject({ src: C, sport: 51000, dst: S, dport: 445, originatorGuessed: false });
    expect(f.history.startsWith('^')).toBe(true);
    expect(f.history).toBe('^hADa');
    expect(f.origPackets).toBe(2);
    expect(f.respPackets).toBe(2);
  });

  it('mid-stream (no SYN seen): the well-known port is the responder and the originator is guessed', async () => {
    const f = await one(conv().s('PA', 'response').c('A').c('PA', 'more'));
    expect(f).toMatchObject({ src: C, sport: 51000, dst: S, dport: 445, originatorGuessed: true, state: 'OTH' });
    expect(f.history.startsWith('^')).toBe(true);
    expect(f.respPackets).toBe(1);
    expect(f.origPackets).toBe(2);
  });

  it('mid-stream between two ephemeral ports: the first sender is the originator', async () => {
    const f = await one(new TcpScript(C, 60001, S, 50001).c('PA', 'a').s('A'));
    expect(f).toMatchObject({ src: C, sport: 60001, dst: S, dport: 50001, originatorGuessed: true });
    expect(f.history.startsWith('^')).toBe(false);
  });

  it('mid-stream to a listed service port above 1024 (1433): that side is the responder', async () => {
    const f = await one(new TcpScript(C, 49999, S, 1433).s('PA', 'rows').c('A'));
    expect(f).toMatchObject({ src: C, sport: 49999, dst: S, dport: 1433, originatorGuessed: true });
  });
});

describe('history and conn_state', () => {
  it('full handshake, data both ways, FIN both ways: SF and ShADadFf', async () => {
    const f = await one(conv().handshake().c('PA', 'hello').s('A').s('PA', 'world').c('A').c('FA').s('FA').c('A'));
    expect(f.state).toBe('SF');
    expect(f.history).toBe('ShADadFf');
    expect(f.endReason).toBe('eoc');
  });

  it('SYN only (and its retransmissions): S0, history S', async () => {
    const f = await one(conv().c('S').wait(1).c('S', '', { seq: 1000 }).wait(2).c('S', '', { seq: 1000 }));
    expect(f.state).toBe('S0');
    expect(f.history).toBe('S');
    expect(f.origPackets).toBe(3);
    expect(f.respPackets).toBe(0);
  });

  it('SYN answered by RST: REJ', async () => {
    const f = await one(conv().c('S').s('RA'));
    expect(f.state).toBe('REJ');
    expect(f.history).toBe('Sr');
  });

  it('handshake without close: S1; with data: S1 and ShADad', async () => {
    expect((await one(conv().handshake())).state).toBe('S1');
    const f = await one(conv().handshake().c('PA', 'q').s('PA', 'r'));
    expect(f.state).toBe('S1');
    expect(f.history).toBe('ShADd');
  });

  it('originator FIN after the handshake, no FIN back: S2', async () => {
    const f = await one(conv().handshake().c('PA', 'bye').c('FA').s('A'));
    expect(f.state).toBe('S2');
    expect(f.history).toBe('ShADFa');
  });

  it('responder FIN only: S3', async () => {
    const f = await one(conv().handshake().s('FA').c('A'));
    expect(f.state).toBe('S3');
    expect(f.history).toBe('ShAf');
  });

  it('SYN then FIN with no answer: SH', async () => {
    const f = await one(conv().c('S').c('F'));
    expect(f.state).toBe('SH');
    expect(f.history).toBe('SF');
  });

  it('RST from the originator after data: RSTO', async () => {
    const f = await one(conv().handshake().c('PA', 'x').s('PA', 'y').c('RA'));
    expect(f.state).toBe('RSTO');
    expect(f.history).toBe('ShADdR');
  });

  it('RST from the responder after data: RSTR', async () => {
    const f = await one(conv().handshake().c('PA', 'x').s('R'));
    expect(f.state).toBe('RSTR');
    expect(f.history).toBe('ShADr');
  });

  it('SYN then RST from the originator, nothing from the responder: RSTOS0', async () => {
    const f = await one(conv().c('S').c('R'));
    expect(f.state).toBe('RSTOS0');
    expect(f.history).toBe('SR');
  });

  it('mid-stream data with no handshake and no close: OTH', async () => {
    const f = await one(conv().c('PA', 'x').s('PA', 'y'));
    expect(f.state).toBe('OTH');
  });

  it('a retransmitted segment adds T (t for the responder)', async () => {
    const script = conv().handshake();
    script.c('PA', 'abcdef');
    script.c('PA', 'abcdef', { seq: 1001 }); // the same bytes again
    script.s('PA', 'xyz').s('PA', 'xyz', { seq: 900001 });
    const f = await one(script);
    expect(f.history).toBe('ShADTdt');
  });

  it('advertising a zero window adds W (w for the responder)', async () => {
    const f = await one(conv().handshake().c('PA', 'lots').s('A', '', { window: 0 }).s('A'));
    expect(f.history).toContain('w');
    expect(f.history).not.toContain('W');
    expect(f.history.indexOf('w')).toBeGreaterThan(f.history.indexOf('D'));
  });

  it('each letter appears once per direction however often it happens', async () => {
    const s = conv().handshake();
    for (let i = 0; i < 20; i++) s.c('PA', `m${i}`).s('A');
    const f = await one(s);
    expect(f.history).toBe('ShADa');
    expect(f.origPackets).toBe(22);
    expect(f.respPackets).toBe(21);
  });
});

describe('counters and attributes', () => {
  it('packets, frame bytes, IP bytes and payload bytes per direction; first and last time', async () => {
    const f = await one(conv().handshake().c('PA', 'x'.repeat(100)).s('PA', 'y'.repeat(1000)).c('A'));
    // Frames: SYN 54 → padded to 60; ACK 60; data 14+20+20+100 = 154. Responder: SYN-ACK 60; data 1054.
    expect(f.origPackets).toBe(4);
    expect(f.respPackets).toBe(2);
    expect(f.origBytes).toBe(60 + 60 + 154 + 60);
    expect(f.respBytes).toBe(60 + 1054);
    expect(f.origIpBytes).toBe(40 + 40 + 140 + 40);
    expect(f.respIpBytes).toBe(40 + 1040);
    expect(f.origPayloadBytes).toBe(100);
    expect(f.respPayloadBytes).toBe(1000);
    expect(f.start).toBe(T0);
    expect(f.end).toBeCloseTo(T0 + 0.05, 6);
  });

  it('records the VLAN id, and both QinQ ids outermost first', async () => {
    expect((await one(conv([10]).handshake())).vlans).toEqual([10]);
    expect((await one(conv([100, 200]).handshake())).vlans).toEqual([100, 200]);
    expect((await one(conv().handshake())).vlans).toEqual([]);
  });

  it('keeps the option kinds of the SYN and of the SYN-ACK separately (kind 76 included)', async () => {
    const syn = [2, 4, 5, 0xb4, 1, 3, 3, 8, 4, 2, 76, 4, 0x11, 0x22, 1, 1];
    const synAck = [2, 4, 5, 0xb4, 1, 1, 4, 2];
    const f = await one(conv().handshake(syn, synAck).c('PA', 'x', { options: [1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0] }));
    expect([...f.synOptions].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 76]);
    expect([...f.synAckOptions].sort((a, b) => a - b)).toEqual([1, 2, 4]);
  });

  it('IPv6 flows keep canonical addresses', async () => {
    const f = await one(new TcpScript('2001:db8:0:0:0:0:0:10', 50000, '2001:0db8::80', 443).handshake());
    expect(f).toMatchObject({ ipVersion: 6, src: '2001:db8::10', dst: '2001:db8::80', sport: 50000, dport: 443 });
  });
});

describe('port reuse', () => {
  it('a new SYN after FIN / FIN starts a second flow on the same 5-tuple', async () => {
    const s = conv().handshake().c('PA', 'one').s('PA', 'two').c('FA').s('FA').c('A');
    s.wait(0.5).c('S', '', { seq: 777777 }).s('SA').c('A').c('PA', 'again');
    const flows = await flowsOf(tmp, s.pcap());
    expect(flows).toHaveLength(2);
    const [a, b] = flows.sort((x, y) => x.start - y.start);
    expect(a).toMatchObject({ state: 'SF', history: 'ShADdFf', endReason: 'end', origPackets: 5, respPackets: 3 });
    expect(b).toMatchObject({ state: 'S1', history: 'ShAD', src: C, dst: S, origPackets: 3, respPackets: 1 });
  });

  it('a new SYN after a RST starts a second flow', async () => {
    const s = conv().c('S').s('RA').wait(1).c('S', '', { seq: 5 }).s('SA').c('A');
    const flows = (await flowsOf(tmp, s.pcap())).sort((x, y) => x.start - y.start);
    expect(flows.map((f) => f.state)).toEqual(['REJ', 'S1']);
  });
});
