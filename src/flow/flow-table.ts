/**
 * The bidirectional flow table: the second hot path after the decoder.
 *
 * Flows live in parallel typed arrays indexed by a slot number (struct of arrays), found
 * through a chained hash table keyed on the endpoint-ordered 5-tuple. Lookups hash and compare
 * numbers only — every byte of both addresses — so no string is built per packet. A JS object
 * (the FlowRecord) exists per active flow for identity and classification; counters are copied
 * into it when the flow ends. Memory is bounded by the number of active flows, not by the file.
 */
import {
  type DecodedPacket, KIND_IP, TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN,
  TUNNELS,
} from '../decode/decoded-packet.js';
import { addressToString } from '../util/ip.js';
import { PROTO_ICMP, PROTO_ICMPV6, PROTO_TCP, PROTO_UDP } from '../util/proto.js';
import { communityId } from './community-id.js';
import type { EndReason, FlowRecord } from './flow-record.js';
import {
  HIST_LETTERS, H_ACK, H_DATA, H_FIN, H_FLIP, H_INCONS, H_MULTI, H_RETRANS, H_RST, H_SYN, H_SYNACK, H_ZEROWIN,
  TCP_CLOSED, TCP_ESTABLISHED, TCP_INACTIVE, TCP_PARTIAL, TCP_RESET, TCP_SYN_ACK_SENT, TCP_SYN_SENT,
  tcpConnState, udpConnState,
} from './tcp-state.js';

export interface FlowTimeouts {
  /** Idle timeouts in seconds. */
  tcp: number;
  udp: number;
  icmp: number;
  other: number;
  /** After both FINs or a RST: how long to wait for the last ACKs and retransmissions. */
  tcpClosed: number;
  /** Active timeout: a flow longer than this is exported and continues as a new record. */
  active: number;
}

/** Defaults in the spirit of Zeek (tcp_inactivity 5 min, udp 1 min) and NetFlow (active 30 min). */
export const DEFAULT_TIMEOUTS: FlowTimeouts = { tcp: 300, udp: 60, icmp: 60, other: 60, tcpClosed: 5, active: 1800 };

export interface FlowTableHooks {
  /**
   * A flow starts (its first packet is about to be counted). The record has its key,
   * originator and start time. The hook may call `table.flipOriginator(slot)` (an expectation
   * knows better) and may return an attachment kept for the flow (an inspector).
   */
  onStart?(flow: FlowRecord, slot: number, table: FlowTable): unknown;
  /**
   * A packet with captured payload on a flow that has an attachment. dir 0 = originator.
   * Returning true drops the attachment (the inspector has seen enough).
   */
  onPayload?(flow: FlowRecord, attachment: unknown, dir: number, buf: Buffer, off: number, len: number, ts: number): boolean;
  /** A flow ended (timeout, close, end of capture); the record is complete. */
  onEnd(flow: FlowRecord): void;
}

export interface FlowTableStats {
  packets: number;
  flowPackets: number;
  nonIp: number;
  fragmentsUnattributed: number;
  icmpErrors: number;
  flowsStarted: number;
  flowsEnded: number;
  activePeak: number;
}

const INITIAL_CAPACITY = 1 << 14;
const HIST_MAX = 16;
const NO_VLAN = -1;
/** Ports below this, or in this set, mark a service: the side using one is the responder. */
const WELL_KNOWN_LIMIT = 1024;
const SERVICE_PORTS = new Set([
  1433, 1434, 1723, 2701, 2702, 3268, 3269, 3389, 4000, 4011, 5800, 5900, 6002, 6510, 8080, 8443, 8530, 8531,
  9971, 16992, 16993, 16994, 16995, 5353, 5355, 1900, 3702, 5060, 5061, 4789, 6081, 2152, 3544,
]);

/** Well-known ports that are *client* ports: DHCP/BOOTP and DHCPv6 clients send from them. */
const CLIENT_PORTS = new Set([68, 546]);

function isServicePort(p: number): boolean {
  return (p < WELL_KNOWN_LIMIT || SERVICE_PORTS.has(p)) && !CLIENT_PORTS.has(p);
}

// ICMP messages that are replies (their sender is the responder).
const ICMP4_REPLIES = new Set([0, 14, 16, 18, 9]);
const ICMP6_REPLIES = new Set([129, 131, 134, 136, 140, 145]);
const ICMP4_REQ_OF: Record<number, number> = { 0: 8, 14: 13, 16: 15, 18: 17, 9: 10 };
const ICMP6_REQ_OF: Record<number, number> = { 129: 128, 131: 130, 134: 133, 136: 135, 140: 139, 145: 144 };

function mix(h: number, k: number): number {
  k = Math.imul(k, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}

export class FlowTable {
  readonly stats: FlowTableStats = {
    packets: 0, flowPackets: 0, nonIp: 0, fragmentsUnattributed: 0, icmpErrors: 0,
    flowsStarted: 0, flowsEnded: 0, activePeak: 0,
  };
  private timeouts: FlowTimeouts;
  private cap = 0;
  private mask = 0;
  private buckets = new Int32Array(0);
  private next = new Int32Array(0);
  private hashes = new Int32Array(0);
  private ka = new Int32Array(0);     // endpoint A address words (4 per slot)
  private kb = new Int32Array(0);     // endpoint B
  private kports = new Int32Array(0); // portA << 16 | portB
  private kproto = new Int32Array(0); // proto | version << 8
  private used = new Uint8Array(0);
  private origIsA = new Uint8Array(0);
  private pkts = new Float64Array(0);   // [orig, resp] per slot
  private bytes = new Float64Array(0);
  private ipBytes = new Float64Array(0);
  private payBytes = new Float64Array(0);
  private first = new Float64Array(0);
  private last = new Float64Array(0);
  private tcpState = new Uint8Array(0);  // [orig, resp]
  private histSeen = new Int32Array(0);  // bitmask per direction
  private hist = new Uint8Array(0);      // history characters, HIST_MAX per slot
  private histLen = new Uint8Array(0);
  private seqEnd = new Int32Array(0);    // highest seq+len per direction (int32, wrapping)
  private seqSet = new Uint8Array(0);    // whether seqEnd holds a value
  private vlans = new Int32Array(0);     // [outer, inner] of the first tagged packet
  private optSyn = new Int32Array(0);    // 256-bit set of TCP option kinds, 8 words per slot
  private optSynAck = new Int32Array(0);
  private closing = new Uint8Array(0);
  private records: (FlowRecord | undefined)[] = [];
  private attach: unknown[] = [];
  private free = new Int32Array(0);
  private freeTop = 0;
  private highWater = 0;
  private active = 0;
  private nextId = 1;
  private idStep = 1;
  private now = 0;
  /** Timestamp of the packet being counted. */
  private ts = 0.5;
  private nextSweep = 0;
  private sweepEvery: number;
  /** The shortest idle timeout: a packet within it of its flow's last one cannot have outlived the flow (one compare per packet). */
  private shortestIdle: number;
  /** IPv4/IPv6 fragment id -> slot and flow id, so later fragments count to their flow. */
  private fragments = new Map<string, { slot: number; id: number; ts: number; dir: number }>();

  constructor(
    private hooks: FlowTableHooks,
    timeouts: Partial<FlowTimeouts> = {},
  ) {
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...timeouts };
    this.sweepEvery = Math.max(0.5, Math.min(this.timeouts.tcpClosed, this.timeouts.udp, 10) / 2);
    const t = this.timeouts;
    this.shortestIdle = Math.min(t.tcp, t.tcpClosed, t.udp, t.icmp, t.other);
    this.grow(INITIAL_CAPACITY);
  }

  /** Stamped on flows as they start (the pipeline sets it per capture file). */
  captureId = 0;

  /**
   * Next flow number to hand out (the pipeline sets the start of each id range it reserves in
   * the store, so numbers stay unique), and the step between numbers (n, n + step, ...).
   */
  setNextId(n: number, step = 1): void {
    this.nextId = n;
    this.idStep = step;
  }

  /**
   * Advances the capture clock (and sweeps timeouts when due). add() calls it for every packet
   * it keeps; a parallel ingest's table, which sees every packet but keeps only its share of
   * host pairs, calls it for the others, so flows time out when they would with every packet,
   * not when the share's next packet happens to arrive.
   */
  tick(ts: number): void {
    if (ts > this.now) {
      this.now = ts;
      if (ts >= this.nextSweep) this.sweep(ts);
    }
  }

  get activeFlows(): number {
    return this.active;
  }

  /**
   * Counts one decoded packet. `wirelen` is the frame's original length; the timestamp is read
   * from `tsArr[i]` (the batch's array) because passing a double between functions V8 does not
   * inline boxes it into a new heap number — one allocation per packet.
   */
  add(p: DecodedPacket, wirelen: number, tsArr: Float64Array, i: number, buf: Buffer): void {
    const ts = tsArr[i]!;
    this.ts = ts;
    this.stats.packets++;
    if (p.kind !== KIND_IP) {
      if (p.kind === 2) this.stats.nonIp++;
      return;
    }
    this.tick(ts);
    if (!p.hasPorts && p.isFragment) {
      this.addFragment(p, wirelen);
      return;
    }
    if (p.icmpError) this.stats.icmpErrors++;
    const ver = p.ipVersion;
    const proto = p.proto;
    const isIcmp = proto === PROTO_ICMP || proto === PROTO_ICMPV6;
    // Endpoint order: A is the smaller (address, port). ICMP keys are direction-free already.
    let sport = p.sport, dport = p.dport;
    if (isIcmp) {
      const req = proto === PROTO_ICMP ? ICMP4_REQ_OF[sport] : ICMP6_REQ_OF[sport];
      const t = req ?? sport;
      // Request/reply pairs share a key (type of the request, echo id); others key on type/code.
      if (req !== undefined || t === 8 || t === 13 || t === 15 || t === 17 || t === 10 || t === 128 || t === 130 || t === 133 || t === 135 || t === 139 || t === 144) {
        sport = t;
        dport = p.icmpId;
      }
    }
    let srcIsA: boolean;
    if (ver === 4) {
      const a = p.a0, b = p.b0;
      srcIsA = a < b || (a === b && (isIcmp || sport <= dport));
    } else {
      srcIsA = cmp6(p) < 0 || (cmp6(p) === 0 && (isIcmp || sport <= dport));
    }
    const pa = isIcmp || srcIsA ? sport : dport;
    const pb = isIcmp || srcIsA ? dport : sport;
    const ports = (pa << 16) | pb;
    const pv = proto | (ver << 8);
    let h = mix(pv, ports);
    if (srcIsA) {
      h = mix(h, p.a0); h = mix(h, p.b0);
      if (ver === 6) { h = mix(h, p.a1); h = mix(h, p.a2); h = mix(h, p.a3); h = mix(h, p.b1); h = mix(h, p.b2); h = mix(h, p.b3); }
    } else {
      h = mix(h, p.b0); h = mix(h, p.a0);
      if (ver === 6) { h = mix(h, p.b1); h = mix(h, p.b2); h = mix(h, p.b3); h = mix(h, p.a1); h = mix(h, p.a2); h = mix(h, p.a3); }
    }
    h = fmix(h);
    let slot = this.find(h, pv, ports, p, srcIsA);
    // A packet after its flow's timeout starts a new flow whenever the sweep last ran: flow
    // boundaries are a property of the packets' times, not of how many other packets the
    // capture holds (a sensor seeing part of the traffic sweeps at other moments).
    if (slot >= 0 && (ts - this.last[slot]! > this.shortestIdle || ts - this.first[slot]! > this.timeouts.active)) {
      const why = this.timedOut(slot, ts);
      if (why !== null) {
        this.end(slot, why);
        slot = -1;
      }
    }
    if (slot >= 0 && proto === PROTO_TCP && (p.tcpFlags & (TCP_SYN | TCP_ACK)) === TCP_SYN && this.closing[slot]) {
      // A fresh SYN on a closed connection's 5-tuple is a new connection (port reuse).
      this.end(slot, 'end');
      slot = -1;
    }
    if (slot < 0) slot = this.create(h, pv, ports, p, srcIsA);
    const dir = (srcIsA ? 1 : 0) === this.origIsA[slot] ? 0 : 1;
    this.count(slot, dir, p, wirelen);
    if (p.payloadCaptured > 0 && this.attach[slot] !== undefined && this.hooks.onPayload) {
      if (this.hooks.onPayload(this.records[slot]!, this.attach[slot], dir, buf, p.payloadOff, p.payloadCaptured, ts)) {
        this.attach[slot] = undefined;
      }
    }
    if (p.isFragment && p.moreFragments) {
      this.fragments.set(fragKey(p), { slot, id: this.records[slot]!.id, ts, dir });
    }
  }

  /** Reverses a new flow's originator (called from onStart, before its first packet counts). */
  flipOriginator(slot: number): void {
    this.origIsA[slot] ^= 1;
    const r = this.records[slot]!;
    [r.src, r.dst] = [r.dst, r.src];
    [r.sport, r.dport] = [r.dport, r.sport];
    r.originatorGuessed = false;
  }

  /** Ends every flow idle longer than its timeout as of `ts` (also called by add()). */
  expire(ts: number): void {
    this.sweep(ts);
  }

  /** Ends every active flow (end of capture). */
  flush(reason: EndReason = 'eoc'): void {
    for (let s = 0; s < this.highWater; s++) if (this.used[s]) this.end(s, reason);
    this.fragments.clear();
  }

  /** Why flow `s` has ended by `ts` (idle or active timeout), or null while it lasts. */
  private timedOut(s: number, ts: number): EndReason | null {
    const t = this.timeouts;
    const proto = this.kproto[s]! & 0xff;
    let idle: number;
    if (proto === PROTO_TCP) idle = this.closing[s] ? t.tcpClosed : t.tcp;
    else if (proto === PROTO_UDP) idle = t.udp;
    else if (proto === PROTO_ICMP || proto === PROTO_ICMPV6) idle = t.icmp;
    else idle = t.other;
    if (ts - this.last[s]! > idle) return this.closing[s] ? 'end' : 'idle';
    if (ts - this.first[s]! > t.active) return 'active';
    return null;
  }

  private sweep(ts: number): void {
    this.nextSweep = ts + this.sweepEvery;
    for (let s = 0; s < this.highWater; s++) {
      if (!this.used[s]) continue;
      const why = this.timedOut(s, ts);
      if (why !== null) this.end(s, why);
    }
    if (this.fragments.size > 0) {
      for (const [k, v] of this.fragments) if (ts - v.ts > 60) this.fragments.delete(k);
    }
  }

  private find(h: number, pv: number, ports: number, p: DecodedPacket, srcIsA: boolean): number {
    let s = this.buckets[h & this.mask]!;
    const ka = this.ka, kb = this.kb;
    while (s >= 0) {
      if (this.hashes[s] === h && this.kports[s] === ports && this.kproto[s] === pv) {
        const i = s << 2;
        if (srcIsA) {
          if (ka[i] === p.a0 && kb[i] === p.b0 &&
              (pv >> 8 === 4 || (ka[i + 1] === p.a1 && ka[i + 2] === p.a2 && ka[i + 3] === p.a3 &&
                kb[i + 1] === p.b1 && kb[i + 2] === p.b2 && kb[i + 3] === p.b3))) return s;
        } else if (ka[i] === p.b0 && kb[i] === p.a0 &&
              (pv >> 8 === 4 || (ka[i + 1] === p.b1 && ka[i + 2] === p.b2 && ka[i + 3] === p.b3 &&
                kb[i + 1] === p.a1 && kb[i + 2] === p.a2 && kb[i + 3] === p.a3))) return s;
      }
      s = this.next[s]!;
    }
    return -1;
  }

  private create(h: number, pv: number, ports: number, p: DecodedPacket, srcIsA: boolean): number {
    const ts = this.ts;
    if (this.freeTop === 0) this.grow(this.cap * 2);
    const s = this.free[--this.freeTop]!;
    if (s >= this.highWater) this.highWater = s + 1;
    this.used[s] = 1;
    this.hashes[s] = h;
    this.kports[s] = ports;
    this.kproto[s] = pv;
    const i = s << 2;
    if (srcIsA) {
      this.ka[i] = p.a0; this.ka[i + 1] = p.a1; this.ka[i + 2] = p.a2; this.ka[i + 3] = p.a3;
      this.kb[i] = p.b0; this.kb[i + 1] = p.b1; this.kb[i + 2] = p.b2; this.kb[i + 3] = p.b3;
    } else {
      this.ka[i] = p.b0; this.ka[i + 1] = p.b1; this.ka[i + 2] = p.b2; this.ka[i + 3] = p.b3;
      this.kb[i] = p.a0; this.kb[i + 1] = p.a1; this.kb[i + 2] = p.a2; this.kb[i + 3] = p.a3;
    }
    const b = h & this.mask;
    this.next[s] = this.buckets[b]!;
    this.buckets[b] = s;
    // Originator: the SYN sender; a SYN-ACK's receiver; otherwise the side not on a service port.
    let srcIsOrig = true;
    let guessed = true;
    let flipped = false;
    const proto = p.proto;
    if (proto === PROTO_TCP && (p.tcpFlags & TCP_SYN)) {
      guessed = false;
      if (p.tcpFlags & TCP_ACK) { srcIsOrig = false; flipped = true; }
    } else if (proto === PROTO_ICMP || proto === PROTO_ICMPV6) {
      const replies = proto === PROTO_ICMP ? ICMP4_REPLIES : ICMP6_REPLIES;
      if (replies.has(p.icmpType)) { srcIsOrig = false; flipped = true; }
    } else if (p.hasPorts && isServicePort(p.sport) && !isServicePort(p.dport)) {
      srcIsOrig = false;
      flipped = true;
    } else if (p.hasPorts && isServicePort(p.sport) && isServicePort(p.dport) && p.sport < p.dport) {
      srcIsOrig = false;
      flipped = true;
    }
    this.origIsA[s] = srcIsOrig === srcIsA ? 1 : 0;
    for (let d = s * 2; d < s * 2 + 2; d++) {
      this.pkts[d] = 0; this.bytes[d] = 0; this.ipBytes[d] = 0; this.payBytes[d] = 0;
      this.tcpState[d] = TCP_INACTIVE; this.histSeen[d] = 0; this.seqSet[d] = 0;
    }
    this.histLen[s] = 0;
    this.first[s] = ts;
    this.last[s] = ts;
    this.closing[s] = 0;
    this.vlans[s * 2] = p.vlanCount > 0 ? p.vlan0 : NO_VLAN;
    this.vlans[s * 2 + 1] = p.vlanCount > 1 ? p.vlan1 : NO_VLAN;
    this.optSyn.fill(0, s * 8, s * 8 + 8);
    this.optSynAck.fill(0, s * 8, s * 8 + 8);
    if (flipped) this.histAdd(s, 0, H_FLIP);
    const ver = p.ipVersion;
    const srcText = ver === 4 ? this.ipv4Text(p.a0) : addressToString(ver, p.a0, p.a1, p.a2, p.a3);
    const dstText = ver === 4 ? this.ipv4Text(p.b0) : addressToString(ver, p.b0, p.b1, p.b2, p.b3);
    const isIcmp = proto === PROTO_ICMP || proto === PROTO_ICMPV6;
    const id = this.nextId;
    this.nextId += this.idStep;
    const rec: FlowRecord = {
      id,
      captureId: this.captureId,
      proto,
      src: srcIsOrig ? srcText : dstText,
      sport: isIcmp ? p.icmpType : srcIsOrig ? p.sport : p.dport,
      dst: srcIsOrig ? dstText : srcText,
      dport: isIcmp ? p.icmpCode : srcIsOrig ? p.dport : p.sport,
      ipVersion: ver as 4 | 6,
      originatorGuessed: guessed,
      origPackets: 0, respPackets: 0, origBytes: 0, respBytes: 0, origIpBytes: 0, respIpBytes: 0,
      origPayloadBytes: 0, respPayloadBytes: 0,
      start: ts, end: ts, state: '', history: '', vlans: NO_NUMBERS, synOptions: NO_NUMBERS, synAckOptions: NO_NUMBERS,
      communityId: '', endReason: 'eoc', tunnel: p.tunnel ? TUNNELS[p.tunnel] ?? null : null,
      expectation: null, classification: null,
    };
    if (isIcmp && !srcIsOrig) {
      // The flow's originator sent the request; report the request type as Zeek does.
      const req = proto === PROTO_ICMP ? ICMP4_REQ_OF[p.icmpType] : ICMP6_REQ_OF[p.icmpType];
      if (req !== undefined) rec.sport = req;
    }
    this.records[s] = rec;
    this.attach[s] = undefined;
    this.active++;
    this.stats.flowsStarted++;
    if (this.active > this.stats.activePeak) this.stats.activePeak = this.active;
    if (this.hooks.onStart) this.attach[s] = this.hooks.onStart(rec, s, this);
    return s;
  }

  private count(s: number, dir: number, p: DecodedPacket, wirelen: number): void {
    const ts = this.ts;
    this.stats.flowPackets++;
    const d = s * 2 + dir;
    this.pkts[d]++;
    this.bytes[d] += wirelen;
    this.ipBytes[d] += p.ipLen;
    this.payBytes[d] += p.payloadLen;
    if (ts > this.last[s]!) this.last[s] = ts;
    else if (ts < this.first[s]!) this.first[s] = ts;
    if (p.vlanCount > 0 && this.vlans[s * 2] === NO_VLAN) {
      this.vlans[s * 2] = p.vlan0;
      if (p.vlanCount > 1) this.vlans[s * 2 + 1] = p.vlan1;
    }
    if (p.proto === PROTO_TCP) this.tcp(s, dir, p);
    else if (p.payloadLen > 0) this.histAdd(s, dir, H_DATA);
  }

  private tcp(s: number, dir: number, p: DecodedPacket): void {
    const f = p.tcpFlags;
    const d = s * 2 + dir;
    const peer = s * 2 + (dir ^ 1);
    const syn = (f & TCP_SYN) !== 0, ack = (f & TCP_ACK) !== 0, fin = (f & TCP_FIN) !== 0, rst = (f & TCP_RST) !== 0;
    if (syn && (fin || rst)) this.histAdd(s, dir, H_MULTI);
    if (syn && rst) this.histAdd(s, dir, H_INCONS);
    if (syn) {
      this.histAdd(s, dir, ack ? H_SYNACK : H_SYN);
      const set = ack ? this.optSynAck : this.optSyn;
      for (let i = 0; i < p.tcpOptCount; i++) {
        const k = p.tcpOptKinds[i]!;
        set[s * 8 + (k >> 5)]! |= 1 << (k & 31);
      }
    } else if (ack && !fin && !rst && p.payloadLen === 0) this.histAdd(s, dir, H_ACK);
    if (fin) this.histAdd(s, dir, H_FIN);
    if (rst) this.histAdd(s, dir, H_RST);
    if (p.tcpWindow === 0 && !syn && !rst) this.histAdd(s, dir, H_ZEROWIN);
    if (p.payloadLen > 0) {
      this.histAdd(s, dir, H_DATA);
      const endSeq = (p.tcpSeq + p.payloadLen) | 0;
      // Sequence space wraps: compare by the sign of the 32-bit difference.
      if (this.seqSet[d] && ((this.seqEnd[d]! - endSeq) | 0) >= 0) this.histAdd(s, dir, H_RETRANS);
      else {
        this.seqEnd[d] = endSeq;
        this.seqSet[d] = 1;
      }
    }
    // Endpoint state machine (Zeek's TCP analyzer, simplified to what conn_state needs).
    const st = this.tcpState;
    const cur = st[d]!;
    if (rst) st[d] = TCP_RESET;
    else if (syn) {
      if (cur === TCP_INACTIVE) st[d] = ack ? TCP_SYN_ACK_SENT : TCP_SYN_SENT;
    } else if (fin) {
      if (cur !== TCP_RESET) st[d] = TCP_CLOSED;
    } else if (cur === TCP_INACTIVE) {
      st[d] = TCP_PARTIAL;
    } else if ((cur === TCP_SYN_SENT || cur === TCP_SYN_ACK_SENT) && ack) {
      st[d] = TCP_ESTABLISHED;
      if (st[peer] === TCP_SYN_ACK_SENT || st[peer] === TCP_SYN_SENT) st[peer] = TCP_ESTABLISHED;
    }
    if (rst || (st[d] === TCP_CLOSED && st[peer] === TCP_CLOSED) || st[peer] === TCP_RESET) this.closing[s] = 1;
  }

  private histAdd(s: number, dir: number, bit: number): void {
    const d = s * 2 + dir;
    const m = 1 << bit;
    if (this.histSeen[d]! & m) return;
    this.histSeen[d]! |= m;
    const n = this.histLen[s]!;
    if (n >= HIST_MAX) return;
    let c = HIST_LETTERS.charCodeAt(bit);
    if (dir === 1 && bit !== H_FLIP) c |= 0x20; // lower case for the responder
    this.hist[s * HIST_MAX + n] = c;
    this.histLen[s] = n + 1;
  }

  private addFragment(p: DecodedPacket, wirelen: number): void {
    const ts = this.ts;
    const f = this.fragments.get(fragKey(p));
    if (f === undefined || !this.used[f.slot] || this.records[f.slot]!.id !== f.id) {
      this.stats.fragmentsUnattributed++;
      return;
    }
    const s = f.slot;
    const d = s * 2 + f.dir;
    this.stats.flowPackets++;
    this.pkts[d]++;
    this.bytes[d] += wirelen;
    this.ipBytes[d] += p.ipLen;
    this.payBytes[d] += p.ipLen - (p.ipVersion === 4 ? 20 : 40);
    if (ts > this.last[s]!) this.last[s] = ts;
    if (!p.moreFragments) this.fragments.delete(fragKey(p));
  }

  private end(s: number, reason: EndReason): void {
    const r = this.records[s]!;
    // Counters are indexed by direction (0 = originator), not by endpoint.
    const oi = s * 2, ri = s * 2 + 1;
    r.origPackets = this.pkts[oi]!; r.respPackets = this.pkts[ri]!;
    r.origBytes = this.bytes[oi]!; r.respBytes = this.bytes[ri]!;
    r.origIpBytes = this.ipBytes[oi]!; r.respIpBytes = this.ipBytes[ri]!;
    r.origPayloadBytes = this.payBytes[oi]!; r.respPayloadBytes = this.payBytes[ri]!;
    r.start = this.first[s]!;
    r.end = this.last[s]!;
    const hl = this.histLen[s]!;
    let history = '';
    for (let k = s * HIST_MAX, e = k + hl; k < e; k++) history += HIST_CHARS[this.hist[k]!]!;
    r.history = history;
    if (r.proto === PROTO_TCP) r.state = tcpConnState(this.tcpState[oi]!, this.tcpState[ri]!, r.origPayloadBytes, r.respPayloadBytes, r.history);
    else if (r.proto === PROTO_UDP) r.state = udpConnState(r.origPackets, r.respPackets);
    else r.state = 'OTH';
    const v0 = this.vlans[s * 2]!, v1 = this.vlans[s * 2 + 1]!;
    r.vlans = v0 === NO_VLAN ? NO_NUMBERS : v1 === NO_VLAN ? [v0] : [v0, v1];
    r.synOptions = bitsToList(this.optSyn, s * 8);
    r.synAckOptions = bitsToList(this.optSynAck, s * 8);
    r.endReason = reason;
    r.communityId = this.communityIdOf(s, r);
    // Unlink from the hash chain and free the slot.
    const b = this.hashes[s]! & this.mask;
    let prev = -1;
    let cur = this.buckets[b]!;
    while (cur >= 0 && cur !== s) { prev = cur; cur = this.next[cur]!; }
    if (cur === s) {
      if (prev < 0) this.buckets[b] = this.next[s]!;
      else this.next[prev] = this.next[s]!;
    }
    this.used[s] = 0;
    this.records[s] = undefined;
    this.attach[s] = undefined;
    this.free[this.freeTop++] = s;
    this.active--;
    this.stats.flowsEnded++;
    this.hooks.onEnd(r);
  }

  /**
   * Dotted-quad text of an IPv4 address, one string per address: an estate has far fewer hosts
   * than flows, and handing every later stage the same string object means V8 hashes it once
   * (the classifier's and the expectations' maps are keyed by it) and builds no new text per flow.
   */
  private ipv4Text(word: number): string {
    let t = this.v4Names.get(word);
    if (t === undefined) {
      if (this.v4Names.size >= V4_NAME_CACHE) this.v4Names.clear();
      t = addressToString(4, word, 0, 0, 0);
      this.v4Names.set(word, t);
    }
    return t;
  }
  private v4Names = new Map<number, string>();

  private communityIdOf(s: number, r: FlowRecord): string {
    const ver = this.kproto[s]! >> 8;
    const origA = this.origIsA[s] === 1;
    return communityId(ver, r.proto, origA ? this.ka : this.kb, s << 2, r.sport, origA ? this.kb : this.ka, s << 2, r.dport);
  }

  private grow(newCap: number): void {
    const old = this.cap;
    const g = <T extends Int32Array | Uint8Array | Float64Array>(arr: T, per: number, C: new (n: number) => T): T => {
      const n = new C(newCap * per);
      n.set(arr as never);
      return n;
    };
    this.next = g(this.next, 1, Int32Array);
    this.hashes = g(this.hashes, 1, Int32Array);
    this.ka = g(this.ka, 4, Int32Array);
    this.kb = g(this.kb, 4, Int32Array);
    this.kports = g(this.kports, 1, Int32Array);
    this.kproto = g(this.kproto, 1, Int32Array);
    this.used = g(this.used, 1, Uint8Array);
    this.origIsA = g(this.origIsA, 1, Uint8Array);
    this.pkts = g(this.pkts, 2, Float64Array);
    this.bytes = g(this.bytes, 2, Float64Array);
    this.ipBytes = g(this.ipBytes, 2, Float64Array);
    this.payBytes = g(this.payBytes, 2, Float64Array);
    this.first = g(this.first, 1, Float64Array);
    this.last = g(this.last, 1, Float64Array);
    this.tcpState = g(this.tcpState, 2, Uint8Array);
    this.histSeen = g(this.histSeen, 2, Int32Array);
    this.hist = g(this.hist, HIST_MAX, Uint8Array);
    this.histLen = g(this.histLen, 1, Uint8Array);
    this.seqEnd = g(this.seqEnd, 2, Int32Array);
    this.seqSet = g(this.seqSet, 2, Uint8Array);
    this.vlans = g(this.vlans, 2, Int32Array);
    this.optSyn = g(this.optSyn, 8, Int32Array);
    this.optSynAck = g(this.optSynAck, 8, Int32Array);
    this.closing = g(this.closing, 1, Uint8Array);
    const free = new Int32Array(newCap);
    free.set(this.free.subarray(0, this.freeTop));
    // New slots are handed out lowest first, keeping the sweep range (highWater) tight.
    let top = this.freeTop;
    for (let s = newCap - 1; s >= old; s--) free[top++] = s;
    this.free = free;
    this.freeTop = top;
    this.cap = newCap;
    // Rehash into a table twice the capacity (load factor <= 0.5).
    this.mask = newCap * 2 - 1;
    this.buckets = new Int32Array(newCap * 2).fill(-1);
    for (let s = 0; s < old; s++) {
      if (!this.used[s]) continue;
      const b = this.hashes[s]! & this.mask;
      this.next[s] = this.buckets[b]!;
      this.buckets[b] = s;
    }
  }
}

function cmp6(p: DecodedPacket): number {
  if (p.a0 !== p.b0) return p.a0 < p.b0 ? -1 : 1;
  if (p.a1 !== p.b1) return p.a1 < p.b1 ? -1 : 1;
  if (p.a2 !== p.b2) return p.a2 < p.b2 ? -1 : 1;
  if (p.a3 !== p.b3) return p.a3 < p.b3 ? -1 : 1;
  return 0;
}

function fragKey(p: DecodedPacket): string {
  return p.ipVersion === 4
    ? `${p.a0}-${p.b0}-${p.proto}-${p.fragId}`
    : `${p.a0}.${p.a1}.${p.a2}.${p.a3}-${p.b0}.${p.b1}.${p.b2}.${p.b3}-${p.fragId}`;
}

/** Interned IPv4 address strings kept at most (a scan of a /8 must not grow memory without bound). */
const V4_NAME_CACHE = 1 << 16;

/** Character for each history byte value (avoids String.fromCharCode per letter). */
const HIST_CHARS: string[] = Array.from({ length: 128 }, (_, i) => String.fromCharCode(i));

/**
 * The empty list most flows have (no VLAN, no TCP options): one shared array instead of three
 * new ones per flow. Records are never mutated after they end, so sharing is safe.
 */
const NO_NUMBERS: number[] = [];

function bitsToList(set: Int32Array, at: number): number[] {
  if ((set[at]! | set[at + 1]! | set[at + 2]! | set[at + 3]! | set[at + 4]! | set[at + 5]! | set[at + 6]! | set[at + 7]!) === 0) return NO_NUMBERS;
  const out: number[] = [];
  for (let w = 0; w < 8; w++) {
    let v = set[at + w]!;
    while (v !== 0) {
      const bit = 31 - Math.clz32(v & -v);
      out.push(w * 32 + bit);
      v &= v - 1;
    }
  }
  return out;
}
