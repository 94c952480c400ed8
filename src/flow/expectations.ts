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

/** The expectation of `list` that is the same announcement (add() refreshes it instead of adding). */
function sameIn(list: readonly Expectation[], kind: ExpectationKind, portLo: number, portHi: number, clientPort: number | null): Expectation | undefined {
  for (const x of list) if (x.kind === kind && x.portLo === portLo && x.portHi === portHi && x.clientPort === clientPort) return x;
  return undefined;
}

/**
 * Bounds: expectations per server address, so a flood of announcements cannot grow memory
 * without end (65,536 of ~250 bytes: 16 MB for a server). A legitimate server must never reach
 * it: a refused expectation turns a later client's follow-on into a finding. At 256, a domain
 * controller answering a few hundred clients within its windows' lifetime (an hour for some
 * follow-ons) did: on the 1M-packet bench capture, 45 flows were unexpected in one read of the
 * whole file and explained when the traffic was cut between four sensors.
 */
export const MAX_PER_SERVER = 65_536;

/** Key for announcements open to any client. */
const ANY_CLIENT = '*';

/** A server's expectations for one protocol, by client (or ANY_CLIENT), and how many there are. */
interface ServerExpectations {
  count: number;
  byClient: Map<string, Expectation[]>;
}

/**
 * Expectations are indexed server → protocol → client (or ANY_CLIENT): a new flow looks only at
 * the few that name its own two hosts. Nested maps keyed by the flow's own address strings, not
 * a concatenated key: V8 caches a string's hash, so a lookup for a host with no expectation is
 * one map probe and builds no string (a concatenated key cost ~1.3 µs per lookup).
 */
export class ExpectationTable {
  private index = new Map<string, Map<number, ServerExpectations>>();
  private count = 0;
  /**
   * Per protocol, port -> 1 where some live expectation may cover it as the server's port. A
   * superset: marked when an expectation is added, rebuilt from the live ones at each expiry
   * sweep. Most new flows go to service ports no expectation covers (time windows start
   * above 1024) and are answered here, without the per-server lookups: their maps hold an entry
   * per client, and with the packet path running between two new flows every probe missed the
   * CPU cache (~0.5 µs per flow on the 10M bench).
   */
  private covered: (Uint8Array | undefined)[] = [];
  /** The distinct port ranges marked in `covered`, per protocol (lo * 65536 + hi): each is filled once. */
  private coveredRanges: (Set<number> | undefined)[] = [];
  /** Expired without ever matching a connection: informational findings. */
  readonly unused: Expectation[] = [];

  get size(): number {
    return this.count;
  }

  add(e: Expectation): void {
    let byProto = this.index.get(e.server);
    if (!byProto) this.index.set(e.server, (byProto = new Map()));
    let server = byProto.get(e.proto);
    if (!server) byProto.set(e.proto, (server = { count: 0, byClient: new Map() }));
    const client = e.client ?? ANY_CLIENT;
    let list = server.byClient.get(client);
    if (!list) server.byClient.set(client, (list = []));
    // The same announcement repeated (EPM lookups are often repeated) refreshes the existing one
    // and takes over its evidence: a connection is credited to the latest lookup before it.
    const x = sameIn(list, e.kind, e.portLo, e.portHi, e.clientPort);
    if (x) {
      x.expires = Math.max(x.expires, e.expires);
      if (e.kind !== 'window') {
        x.parentFlowId = e.parentFlowId;
        x.captureId = e.captureId;
        x.evidence = e.evidence;
        x.rule = e.rule ?? x.rule;
      }
      return;
    }
    if (server.count >= MAX_PER_SERVER) {
      // Drop the oldest of this host pair (or refuse when the pair has none to give up).
      if (!list.length) {
        server.byClient.delete(client);
        return;
      }
      this.retire(list.shift()!);
      this.count--;
      server.count--;
    }
    list.push(e);
    server.count++;
    this.count++;
    this.cover(e);
  }

  private cover(e: Expectation): void {
    let ranges = this.coveredRanges[e.proto];
    if (!ranges) this.coveredRanges[e.proto] = ranges = new Set();
    const key = e.portLo * 65_536 + e.portHi;
    if (ranges.has(key)) return;
    ranges.add(key);
    const ports = (this.covered[e.proto] ??= new Uint8Array(65_536));
    ports.fill(1, e.portLo, e.portHi + 1);
  }

  /**
   * A time window from `client` to `server` on exactly these ports, if one is open, is kept
   * open until `expires` (as add() does with the same window): true when there was one.
   */
  extendWindow(proto: number, client: string, server: string, portLo: number, portHi: number, expires: number): boolean {
    const list = this.index.get(server)?.get(proto)?.byClient.get(client);
    const x = list === undefined ? undefined : sameIn(list, 'window', portLo, portHi, null);
    if (x === undefined) return false;
    if (expires > x.expires) x.expires = expires;
    return true;
  }

  /**
   * A reply that an inspector read on a flow between hosts `a` and `b` announced the ports of
   * follow-on `rule`: the time windows of that rule between the two hosts (either way round),
   * registered as the fallback for a reply nobody can read, claim no connection after `ts`. The
   * announced ports are expectations of their own; another port is not explained by the
   * follow-on. A later parent flow between the two opens (extends) the window again.
   */
  closeWindows(a: string, b: string, rule: string, ts: number): void {
    this.closeWindowsOf(this.index.get(b), a, rule, ts);
    this.closeWindowsOf(this.index.get(a), b, rule, ts);
  }

  private closeWindowsOf(byProto: Map<number, ServerExpectations> | undefined, client: string, rule: string, ts: number): void {
    if (byProto === undefined) return;
    for (const server of byProto.values()) {
      const list = server.byClient.get(client);
      if (list === undefined) continue;
      for (const e of list) if (e.kind === 'window' && e.rule === rule && e.expires > ts) e.expires = ts;
    }
  }

  /**
   * Finds the expectation a new flow fulfils. `reversed` is true when the flow's guessed
   * originator is the expectation's server (the answer was seen first, e.g. a TFTP reply from a
   * new port): the caller should flip the flow's originator.
   */
  match(f: FlowRecord, ts: number): { e: Expectation; reversed: boolean } | null {
    const covered = this.covered[f.proto];
    if (covered === undefined) return null;
    const forward = covered[f.dport] === 1 ? this.find(f.dst, f.dport, f.src, f.sport, f.proto, ts) : null;
    if (forward) return { e: forward, reversed: false };
    // Turning a flow round is for a guessed originator only: a SYN says who connected.
    if (!f.originatorGuessed || covered[f.sport] !== 1) return null;
    const back = this.find(f.src, f.sport, f.dst, f.dport, f.proto, ts);
    if (back) return { e: back, reversed: true };
    return null;
  }

  private find(server: string, port: number, client: string, clientPort: number, proto: number, ts: number): Expectation | null {
    const byClient = this.index.get(server)?.get(proto)?.byClient;
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

  /**
   * Drops lapsed expectations (remembering the ones never used) and rebuilds the port coverage
   * from the live ones, in one pass. It runs once a minute of capture time over every list
   * (tens of thousands on a busy estate), too rarely for V8 to optimise it: so no closure or
   * iterator per list, and lists are compacted in place.
   */
  expire(ts: number): void {
    this.covered = [];
    this.coveredRanges = [];
    this.index.forEach((byProto, serverAddr) => {
      byProto.forEach((server, proto) => {
        server.byClient.forEach((list, client) => {
          let kept = 0;
          for (let i = 0; i < list.length; i++) {
            const e = list[i]!;
            if (ts > e.expires) {
              this.retire(e);
              continue;
            }
            list[kept++] = e;
            this.cover(e);
          }
          const dropped = list.length - kept;
          if (dropped === 0) return;
          this.count -= dropped;
          server.count -= dropped;
          if (kept === 0) server.byClient.delete(client);
          else list.length = kept;
        });
        if (server.byClient.size === 0) byProto.delete(proto);
      });
      if (byProto.size === 0) this.index.delete(serverAddr);
    });
  }

  /** End of input: every remaining expectation is retired. */
  drain(): void {
    for (const byProto of this.index.values()) {
      for (const server of byProto.values()) for (const list of server.byClient.values()) for (const e of list) this.retire(e);
    }
    this.index.clear();
    this.count = 0;
    this.covered = [];
    this.coveredRanges = [];
  }

  private retire(e: Expectation): void {
    // Time windows are speculative by nature; only announcements nobody used are worth reporting.
    if (e.uses === 0 && e.kind !== 'window') this.unused.push(e);
  }
}
