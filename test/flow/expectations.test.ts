/**
 * The expectation table on its own: which announcement a new flow fulfils, and when not.
 */
import { describe, expect, it } from 'vitest';
import { MAX_PER_SERVER, ExpectationTable, type Expectation } from '../../src/flow/expectations.js';
import type { FlowRecord } from '../../src/flow/flow-record.js';
import { prng, randInt } from '../helpers/rng.js';

function exp(over: Partial<Expectation>): Expectation {
  return {
    kind: 'epm', proto: 6, client: '10.1.0.5', clientPort: null, server: '10.0.0.2', portLo: 49668, portHi: 49668,
    expires: 130, created: 100, parentFlowId: 1, captureId: 1, rule: null, evidence: 'port 49668 announced', uses: 0, ...over,
  };
}

function flow(over: Partial<FlowRecord>): FlowRecord {
  return {
    id: 9, captureId: 1, proto: 6, src: '10.1.0.5', sport: 51000, dst: '10.0.0.2', dport: 49668, ipVersion: 4,
    originatorGuessed: false, origPackets: 0, respPackets: 0, origBytes: 0, respBytes: 0, origIpBytes: 0, respIpBytes: 0,
    origPayloadBytes: 0, respPayloadBytes: 0, start: 110, end: 110, state: '', history: '', vlans: [], synOptions: [],
    synAckOptions: [], communityId: '', endReason: 'eoc', tunnel: null, expectation: null, classification: null, ...over,
  };
}

describe('ExpectationTable.match', () => {
  it('an expiry sweep drops only the lapsed announcement; the others, low or high ports, still match', () => {
    const t = new ExpectationTable();
    t.add(exp({ kind: 'ssrp', portLo: 1450, portHi: 1450, expires: 105, evidence: 'sql 1450' }));
    t.add(exp({ kind: 'window', portLo: 2000, portHi: 2100, expires: 200, evidence: 'window' }));
    t.add(exp({ kind: 'epm', portLo: 49668, portHi: 49668, expires: 200, evidence: 'epm' }));
    expect(t.match(flow({ dport: 1450, start: 101 }), 101)?.e.evidence).toBe('sql 1450');
    expect(t.match(flow({ dport: 445, start: 101 }), 101)).toBeNull();
    t.expire(150); // the 1450 one lapses: the rest must still be found
    expect(t.size).toBe(2);
    expect(t.match(flow({ dport: 1450, start: 151 }), 151)).toBeNull();
    expect(t.match(flow({ dport: 2050, start: 151 }), 151)?.e.evidence).toBe('window');
    expect(t.match(flow({ dport: 49668, start: 151 }), 151)?.e.evidence).toBe('epm');
    // Turned round: the guessed originator's port is the announced one.
    expect(t.match(flow({ src: '10.0.0.2', sport: 2001, dst: '10.1.0.5', dport: 40000, originatorGuessed: true, start: 151 }), 151)?.reversed).toBe(true);
    t.drain();
    t.add(exp({ kind: 'ftp', portLo: 1100, portHi: 1100, expires: 300, evidence: 'ftp 1100' }));
    expect(t.match(flow({ dport: 1100, start: 160 }), 160)?.e.evidence).toBe('ftp 1100');
  });

  it('a connection from the announced client to the announced port fulfils the announcement', () => {
    const t = new ExpectationTable();
    t.add(exp({}));
    const m = t.match(flow({}), 110);
    expect(m?.reversed).toBe(false);
    expect(m?.e.evidence).toBe('port 49668 announced');
    expect(t.match(flow({ src: '10.1.0.6' }), 110)).toBeNull(); // another client
    expect(t.match(flow({}), 131)).toBeNull(); // lapsed
  });

  it('a guessed flow seen answer-first is turned round (TFTP data from a new server port)', () => {
    const t = new ExpectationTable();
    t.add(exp({ kind: 'tftp', proto: 17, client: '10.1.0.5', clientPort: 2070, server: '10.0.0.51', portLo: 1024, portHi: 65535 }));
    // The server's first data packet: guessed originator 10.0.0.51:60123 -> client 2070.
    const m = t.match(flow({ proto: 17, src: '10.0.0.51', sport: 60123, dst: '10.1.0.5', dport: 2070, originatorGuessed: true }), 110);
    expect(m?.reversed).toBe(true);
  });

  it('a TCP flow whose SYN names its originator is never turned round', () => {
    const t = new ExpectationTable();
    t.add(exp({}));
    // The announced server connecting *to* the client's port 49668: the SYN says who connected.
    const reverse = flow({ src: '10.0.0.2', sport: 49668, dst: '10.1.0.5', dport: 51000, originatorGuessed: false });
    expect(t.match(reverse, 110)).toBeNull();
    expect(t.match({ ...reverse, originatorGuessed: true }, 110)?.reversed).toBe(true);
  });

  it('an exact announcement wins over a time window for the same port', () => {
    const t = new ExpectationTable();
    t.add(exp({ kind: 'window', client: null, portLo: 49152, portHi: 65535, evidence: 'window' }));
    t.add(exp({ evidence: 'exact' }));
    expect(t.match(flow({}), 110)?.e.evidence).toBe('exact');
  });

  it('a read reply closes its follow-on\'s windows between the two hosts (either way round), only that rule\'s, from its time on', () => {
    const t = new ExpectationTable();
    const dyn = { kind: 'window' as const, portLo: 49152, portHi: 65535, expires: 160, rule: 'x.rpc-dynamic', evidence: 'fallback' };
    t.add(exp({ ...dyn }));
    t.add(exp({ ...dyn, client: '10.0.0.2', server: '10.1.0.5', evidence: 'fallback, turned' }));
    t.add(exp({ ...dyn, client: '10.1.0.6', evidence: 'another client' }));
    t.add(exp({ ...dyn, rule: 'x.file-transfer', portLo: 50000, portHi: 50010, evidence: 'another follow-on' }));
    t.add(exp({ rule: 'x.rpc-dynamic', portLo: 49700, portHi: 49700, created: 105, evidence: 'announced' }));
    expect(t.match(flow({ dport: 49999, start: 104 }), 104)?.e.evidence).toBe('fallback');
    t.closeWindows('10.1.0.5', '10.0.0.2', 'x.rpc-dynamic', 105);
    expect(t.match(flow({ dport: 49999, start: 106 }), 106)).toBeNull();
    expect(t.match(flow({ src: '10.0.0.2', dst: '10.1.0.5', dport: 49999, start: 106 }), 106)).toBeNull();
    expect(t.match(flow({ dport: 49700, start: 106 }), 106)?.e.evidence).toBe('announced');
    expect(t.match(flow({ src: '10.1.0.6', dport: 49999, start: 106 }), 106)?.e.evidence).toBe('another client');
    expect(t.match(flow({ dport: 50005, start: 106 }), 106)?.e.evidence).toBe('another follow-on');
    // A new parent flow between the two extends the window again.
    expect(t.extendWindow(6, '10.1.0.5', '10.0.0.2', 49152, 65535, 170)).toBe(true);
    expect(t.match(flow({ dport: 49999, start: 110 }), 110)?.e.evidence).toBe('fallback');
  });

  it('announcements nobody used become unused when they lapse; used ones and windows do not', () => {
    const t = new ExpectationTable();
    t.add(exp({ portLo: 49668, portHi: 49668 }));
    t.add(exp({ portLo: 49700, portHi: 49700, evidence: 'never used' }));
    t.add(exp({ kind: 'window', portLo: 50000, portHi: 50000 }));
    t.match(flow({}), 110);
    t.expire(200);
    expect(t.size).toBe(0);
    expect(t.unused.map((e) => e.evidence)).toEqual(['never used']);
  });
});

describe('ExpectationTable bounds', () => {
  it(`a server holds at most ${MAX_PER_SERVER} per protocol: a new client is refused, a known one gives up its oldest; lapsed ones free room`, () => {
    const t = new ExpectationTable();
    const client = (i: number) => `10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`;
    for (let i = 0; i < MAX_PER_SERVER + 44; i++) t.add(exp({ kind: 'window', client: client(i), portLo: 50000, portHi: 50000, expires: 130 }));
    expect(t.size).toBe(MAX_PER_SERVER);
    expect(t.match(flow({ src: client(MAX_PER_SERVER - 1), dport: 50000 }), 110)).not.toBeNull();
    expect(t.match(flow({ src: client(MAX_PER_SERVER), dport: 50000 }), 110)).toBeNull(); // refused
    // Client 0 already has one: its oldest makes room for the new one.
    t.add(exp({ kind: 'window', client: client(0), portLo: 50001, portHi: 50001, expires: 200 }));
    expect(t.size).toBe(MAX_PER_SERVER);
    expect(t.match(flow({ src: client(0), dport: 50000 }), 110)).toBeNull();
    expect(t.match(flow({ src: client(0), dport: 50001 }), 110)).not.toBeNull();
    // Another protocol to the same server has its own allowance.
    t.add(exp({ kind: 'window', proto: 17, client: client(299), portLo: 50000, portHi: 50000, expires: 130 }));
    expect(t.size).toBe(MAX_PER_SERVER + 1);
    // All but client 0's second window lapse: the count follows, and the server takes new ones again.
    t.expire(150);
    expect(t.size).toBe(1);
    for (let i = 1; i < MAX_PER_SERVER; i++) t.add(exp({ kind: 'window', client: client(100_000 + i), portLo: 50002, portHi: 50002, expires: 300 }));
    expect(t.size).toBe(MAX_PER_SERVER);
    t.add(exp({ kind: 'window', client: client(200_000), portLo: 50002, portHi: 50002, expires: 300 }));
    expect(t.size).toBe(MAX_PER_SERVER);
    expect(t.match(flow({ src: client(100_000 + MAX_PER_SERVER - 1), dport: 50002, start: 160 }), 160)).not.toBeNull();
    expect(t.match(flow({ src: client(200_000), dport: 50002, start: 160 }), 160)).toBeNull();
  });
});

/**
 * A plain linear scan with the table's documented rules: the same announcement refreshes the
 * existing one (windows keep their first parent), lapsed ones go at a sweep, a flow fulfils the
 * best live candidate naming its two hosts (exact over window, then the client's own before the
 * ones open to any client, oldest first), and only a guessed originator is turned round.
 */
class ReferenceTable {
  private all: Expectation[] = [];
  add(e: Expectation): void {
    const same = this.all.find((x) => x.server === e.server && x.proto === e.proto && x.client === e.client &&
      x.kind === e.kind && x.portLo === e.portLo && x.portHi === e.portHi && x.clientPort === e.clientPort);
    if (!same) { this.all.push({ ...e }); return; }
    same.expires = Math.max(same.expires, e.expires);
    if (e.kind !== 'window') Object.assign(same, { parentFlowId: e.parentFlowId, evidence: e.evidence, rule: e.rule ?? same.rule });
  }
  expire(ts: number): void {
    this.all = this.all.filter((e) => ts <= e.expires);
  }
  private find(server: string, port: number, client: string, clientPort: number, proto: number, ts: number): Expectation | null {
    const live = (e: Expectation) => e.server === server && e.proto === proto && ts <= e.expires && ts >= e.created - 1 &&
      port >= e.portLo && port <= e.portHi && (e.clientPort === null || e.clientPort === clientPort);
    const order = [...this.all.filter((e) => e.client === client), ...this.all.filter((e) => e.client === null)].filter(live);
    return order.find((e) => e.kind !== 'window') ?? order[0] ?? null;
  }
  match(f: FlowRecord, ts: number): { e: Expectation; reversed: boolean } | null {
    const forward = this.find(f.dst, f.dport, f.src, f.sport, f.proto, ts);
    if (forward) return { e: forward, reversed: false };
    if (!f.originatorGuessed) return null;
    const back = this.find(f.src, f.sport, f.dst, f.dport, f.proto, ts);
    return back ? { e: back, reversed: true } : null;
  }
}

describe('ExpectationTable against a linear scan', () => {
  it('40k random announcements, windows, sweeps and new flows: the same answers', () => {
    const r = prng(12345);
    const rand = (n: number) => randInt(r, 0, n - 1);
    const hosts = ['10.0.0.1', '10.1.0.1', '10.1.0.2', 'fd00::1'];
    const table = new ExpectationTable();
    const reference = new ReferenceTable();
    let ts = 1000;
    let answered = 0;
    let reversed = 0;
    let extensions = 0;
    for (let i = 0; i < 40_000; i++) {
      ts += rand(4);
      const op = rand(10);
      if (op < 3) {
        const window = rand(3) !== 0;
        const lo = window ? [1025, 49152, 1010][rand(3)]! : 1000 + rand(20);
        const e = exp({
          kind: window ? 'window' : (['epm', 'ftp', 'ssrp', 'tftp'] as const)[rand(4)]!, proto: [6, 17][rand(2)]!,
          client: rand(4) === 0 ? null : hosts[rand(hosts.length)]!, server: hosts[rand(hosts.length)]!,
          clientPort: rand(5) === 0 ? 40000 + rand(3) : null,
          portLo: lo, portHi: window ? [65535, lo + 5][rand(2)]! : lo,
          created: ts, expires: ts + [30, 60, 120][rand(3)]!, parentFlowId: i, evidence: `announcement ${i}`,
        });
        // Windows as the ingest registers them: an open one is extended, else added.
        const extended = e.kind === 'window' && e.clientPort === null && e.client !== null &&
          table.extendWindow(e.proto, e.client, e.server, e.portLo, e.portHi, e.expires);
        if (extended) extensions++;
        else table.add({ ...e });
        reference.add(e);
      } else if (op === 3) {
        table.expire(ts);
        reference.expire(ts);
      } else {
        const f = flow({
          proto: [6, 6, 17, 1][rand(4)]!, src: hosts[rand(hosts.length)]!, dst: hosts[rand(hosts.length)]!,
          sport: rand(2) ? 40000 + rand(3) : 1000 + rand(20), dport: rand(2) ? 1000 + rand(20) : [1030, 50000, 5003, 80][rand(4)]!,
          originatorGuessed: rand(2) === 0, start: ts,
        });
        const got = table.match(f, ts);
        const want = reference.match(f, ts);
        const view = (m: { e: Expectation; reversed: boolean } | null) => m && { parent: m.e.parentFlowId, kind: m.e.kind, lo: m.e.portLo, hi: m.e.portHi, reversed: m.reversed };
        expect(view(got), `flow ${i}`).toEqual(view(want));
        if (got) answered++;
        if (got?.reversed) reversed++;
      }
    }
    // The comparison means something only if many flows matched.
    expect(answered).toBeGreaterThan(600);
    expect(reversed).toBeGreaterThan(60);
    expect(extensions).toBeGreaterThan(100);
  });
});
