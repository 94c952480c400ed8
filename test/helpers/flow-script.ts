/**
 * Scripted conversations for flow tests: each call appends one Ethernet frame with a timestamp,
 * and TCP sequence / acknowledgement numbers follow the data sent (unless a test sets them, as a
 * retransmission does). The result is a pcap file built with the byte-exact fixture builder.
 */
import {
  type PcapRecord, ethernet, ethertypeOf, ipPacket, pcapFile, tcpSegment, udpDatagram,
} from '../../fixtures/lib/packet-builder.js';

/** Where the scripted conversations start (capture time, seconds). */
export const T0 = 1_700_000_000;

export interface SegOpts {
  seq?: number;
  ack?: number;
  window?: number;
  options?: number[];
  vlans?: number[];
}

export class Script {
  readonly records: PcapRecord[] = [];
  t = T0;
  step = 0.01;

  at(t: number): this {
    this.t = t;
    return this;
  }

  wait(dt: number): this {
    this.t += dt;
    return this;
  }

  frame(data: number[]): this {
    this.records.push({ ts: this.t, data });
    this.t += this.step;
    return this;
  }

  pcap(): Buffer {
    return pcapFile(this.records);
  }
}

/** A TCP conversation between a client and a server (names are the test's view, not the table's). */
export class TcpScript extends Script {
  private seq = { c: 1000, s: 900000 };
  constructor(
    readonly client: string, readonly cport: number, readonly server: string, readonly sport: number,
    readonly vlans: number[] = [],
  ) {
    super();
  }

  c(flags: string, payload = '', o: SegOpts = {}): this {
    return this.seg('c', flags, payload, o);
  }

  s(flags: string, payload = '', o: SegOpts = {}): this {
    return this.seg('s', flags, payload, o);
  }

  private seg(side: 'c' | 's', flags: string, payload: string, o: SegOpts): this {
    const other = side === 'c' ? 's' : 'c';
    const [src, sp, dst, dp] = side === 'c'
      ? [this.client, this.cport, this.server, this.sport]
      : [this.server, this.sport, this.client, this.cport];
    const seq = o.seq ?? this.seq[side];
    const seg = tcpSegment(src, sp, dst, dp, {
      flags, seq, ack: o.ack ?? (flags.includes('A') ? this.seq[other] : 0), window: o.window, options: o.options, payload,
    });
    if (o.seq === undefined) this.seq[side] = (seq + payload.length + (flags.includes('S') ? 1 : 0) + (flags.includes('F') ? 1 : 0)) >>> 0;
    const ip = ipPacket(src, dst, 6, seg);
    return this.frame(ethernet(ip, ethertypeOf(ip), o.vlans ?? this.vlans));
  }

  /** Three-way handshake. */
  handshake(synOptions?: number[], synAckOptions?: number[]): this {
    return this.c('S', '', { options: synOptions }).s('SA', '', { options: synAckOptions }).c('A');
  }
}

export function udpFrameAt(src: string, sport: number, dst: string, dport: number, payload: string | number[] = 'x', vlans: number[] = []): number[] {
  const ip = ipPacket(src, dst, 17, udpDatagram(src, sport, dst, dport, payload));
  return ethernet(ip, ethertypeOf(ip), vlans);
}
