/**
 * Expectations: "a connection from A (any port) to B:port (or a port range) within T seconds
 * belongs to X". Inspectors register them from what they read (EPM replies, FTP PASV/PORT,
 * SQL Browser replies, TFTP requests); catalog follow-ons register time windows. The flow
 * table's start hook consults them for every new flow — that is how dynamic ports are
 * classified exactly instead of guessed.
 */
import type { ExpectationHit, FlowRecord } from './flow-record.js';

export type ExpectationKind = ExpectationHit['kind'];

export interface Expectation {
  kind: ExpectationKind;
  proto: number;
  /** Address expected to originate the connection (null = any). */
  client: string | null;
  /** Client port when fixed (TFTP: the reply goes to the request's source port), else null. */
  clientPort: number | null;
  server: string;
  portLo: number;
  portHi: number;
  /** Epoch seconds after which the expectation lapses. */
  expires: number;
  created: number;
  parentFlowId: number;
  captureId: number;
  rule: string | null;
  evidence: string;
  uses: number;
}

/** Bounds: expectations per server address, so a flood of announcements cannot grow memory. */
const MAX_PER_SERVER = 256;

/** Key for announcements open to any client. */
const ANY_CLIENT = '*';

/**
 * Expectations are indexed server → protocol → client (or ANY_CLIENT): a new flow looks only at
 * the few that name its own two hosts. Nested maps keyed by the flow's own address strings, not
 * a concatenated key: V8 caches a string's hash, so a lookup for a host with no expectation is
 * one map probe and builds no string (a concatenated key cost ~1.3 µs per lookup).
 */
export class ExpectationTable {
  private index = new Map<string, Map<number, Map<string, Expectation[]>>>();
  private perServer = new Map<string, number>();
  private count = 0;
  /** Expired without ever matching a connection: informational findings. */
  readonly unused: Expectation[] = [];

  get size(): number {
    return this.count;
  }

  private listFor(server: string, proto: number, client: string, create: boolean): Expectation[] | undefined {
    let byProto = this.index.get(server);
    if (!byProto) {
      if (!create) return undefined;
      this.index.set(server, (byProto = new Map()));
    }
    let byClient = byProto.get(proto);
    if (!byClient) {
      if (!create) return undefined;
      byProto.set(proto, (byClient = new Map()));
    }
    let list = byClient.get(client);
    if (!list && create) byClient.set(client, (list = []));
    return list;
  }

  add(e: Expectation): void {
    const list = this.listFor(e.server, e.proto, e.client ?? ANY_CLIENT, true)!;
    // The same announcement repeated (EPM lookups are often repeated) refreshes the existing one
    // and takes over its evidence: a connection is credited to the latest lookup before it.
    for (const x of list) {
      if (x.kind === e.kind && x.portLo === e.portLo && x.portHi === e.portHi && x.clientPort === e.clientPort) {
        x.expires = Math.max(x.expires, e.expires);
        if (e.kind !== 'window') {
          x.parentFlowId = e.parentFlowId;
          x.captureId = e.captureId;
          x.evidence = e.evidence;
          x.rule = e.rule ?? x.rule;
        }
        return;
      }
    }
    const sk = `${e.server}|${e.proto}`;
    const n = this.perServer.get(sk) ?? 0;
    if (n >= MAX_PER_SERVER) {
      // Drop the oldest of this host pair (or refuse when the pair has none to give up).
      if (!list.length) return;
      this.retire(list.shift()!);
      this.count--;
    } else this.perServer.set(sk, n + 1);
    list.push(e);
    this.count++;
  }

  /**
   * Finds the expectation a new flow fulfils. `reversed` is true when the flow's guessed
   * originator is the expectation's server (the answer was seen first, e.g. a TFTP reply from a
   * new port): the caller should flip the flow's originator.
   */
  match(f: FlowRecord, ts: number): { e: Expectation; reversed: boolean } | null {
    const forward = this.find(f.dst, f.dport, f.src, f.sport, f.proto, ts);
    if (forward) return { e: forward, reversed: false };
    // Turning a flow round is for a guessed originator only: a SYN says who connected.
    if (!f.originatorGuessed) return null;
    const back = this.find(f.src, f.sport, f.dst, f.dport, f.proto, ts);
    if (back) return { e: back, reversed: true };
    return null;
  }

  private find(server: string, port: number, client: string, clientPort: number, proto: number, ts: number): Expectation | null {
    const byClient = this.index.get(server)?.get(proto);
    if (!byClient) return null;
    let best = this.best(byClient.get(client), null, port, clientPort, ts);
    best = this.best(byClient.get(ANY_CLIENT), best, port, clientPort, ts);
    if (best) best.uses++;
    return best;
  }

  /** The best live candidate of `list`; exact announcements win over time windows. */
  private best(list: Expectation[] | undefined, best: Expectation | null, port: number, clientPort: number, ts: number): Expectation | null {
    if (!list) return best;
    for (const e of list) {
      if (ts > e.expires || ts < e.created - 1) continue;
      if (port < e.portLo || port > e.portHi) continue;
      if (e.clientPort !== null && e.clientPort !== clientPort) continue;
      if (!best || (best.kind === 'window' && e.kind !== 'window')) best = e;
    }
    return best;
  }

  /** Drops lapsed expectations (remembering the ones never used). */
  expire(ts: number): void {
    for (const [server, byProto] of this.index) {
      for (const [proto, byClient] of byProto) {
        for (const [client, list] of byClient) {
          const keep = list.filter((e) => {
            if (ts <= e.expires) return true;
            this.retire(e);
            this.count--;
            const sk = `${e.server}|${e.proto}`;
            this.perServer.set(sk, (this.perServer.get(sk) ?? 1) - 1);
            return false;
          });
          if (keep.length) byClient.set(client, keep);
          else byClient.delete(client);
        }
        if (!byClient.size) byProto.delete(proto);
      }
      if (!byProto.size) this.index.delete(server);
    }
  }

  /** End of input: every remaining expectation is retired. */
  drain(): void {
    for (const byProto of this.index.values()) {
      for (const byClient of byProto.values()) for (const list of byClient.values()) for (const e of list) this.retire(e);
    }
    this.index.clear();
    this.perServer.clear();
    this.count = 0;
  }

  private retire(e: Expectation): void {
    // Time windows are speculative by nature; only announcements nobody used are worth reporting.
    if (e.uses === 0 && e.kind !== 'window') this.unused.push(e);
  }
}
