/**
 * DceRpcInspector on the captures of fixtures/dcom (DCE/RPC and DCOM encoded by impacket, see
 * its README): the announced ports of DCOM activation and OXID resolution replies, endpoint-mapper
 * replies as the reference reader (test/helpers/epm-reference.ts) reads them, in both NDR byte orders, fragmented and cut across TCP
 * segments; tshark's DCOM dissector as an oracle of what the bytes say; and the shared corpus,
 * where it must announce everything that reference announces.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCaptureFile } from '../../src/capture/capture-reader.js';
import { DecodedPacket, KIND_ERROR, KIND_NON_IP } from '../../src/decode/decoded-packet.js';
import { decodeInner, decodePacket } from '../../src/decode/decoder.js';
import type { FlowRecord } from '../../src/flow/flow-record.js';
import { FlowTable } from '../../src/flow/flow-table.js';
import { DceRpcInspector } from '../../src/inspect/dcerpc.js';
import { EpmInspector } from '../helpers/epm-reference.js';
import { canonicalAddress } from '../../src/util/ip.js';
import type { Announcement, Inspector } from '../../src/inspect/inspector.js';
import { CORPUS, HAVE_CORPUS, NO_CORPUS_MESSAGE, PROJECT_ROOT, corpusFile, manifest } from '../helpers/corpus.js';

const DIR = join(PROJECT_ROOT, 'fixtures/dcom');
const file = (name: string) => join(DIR, name);

interface Seen {
  flow: FlowRecord;
  a: Announcement;
}

interface Run {
  flows: FlowRecord[];
  dce: Seen[];
  epm: Seen[];
  /** Payload segments of each port-135 flow, in capture order: [flow id, dir, bytes]. */
  segments: Array<[number, number, Buffer]>;
}

/** Reads a capture through the project's reader, decoder and flow table; both inspectors watch TCP 135. */
async function run(path: string): Promise<Run> {
  const out: Run = { flows: [], dce: [], epm: [], segments: [] };
  interface Watch { flow: FlowRecord; dce: Inspector | null; epm: Inspector | null }
  const table = new FlowTable({
    onStart: (flow) => (flow.proto === 6 && flow.dport === 135 ? { flow, dce: new DceRpcInspector(), epm: new EpmInspector() } : undefined),
    onPayload: (flow, att, dir, buf, off, len) => {
      const w = att as Watch;
      out.segments.push([flow.id, dir, Buffer.from(buf.subarray(off, off + len))]);
      if (w.dce && w.dce.onPayload(flow, dir, buf, off, len, (a) => out.dce.push({ flow, a }))) w.dce = null;
      if (w.epm && w.epm.onPayload(flow, dir, buf, off, len, (a) => out.epm.push({ flow, a }))) w.epm = null;
      return false; // keep recording segments; each inspector's own "done" is honoured above
    },
    onEnd: (f) => out.flows.push(f),
  }, { tcp: 1e12, udp: 1e12, icmp: 1e12, other: 1e12, tcpClosed: 1e12, active: 1e12 });
  const p = new DecodedPacket();
  await readCaptureFile(path, (batch) => {
    for (let i = 0; i < batch.count; i++) {
      decodePacket(p, batch.data, batch.offset[i]!, batch.caplen[i]!, batch.linkType[i]!);
      for (let depth = 0; depth < 5; depth++) {
        if (p.kind === KIND_ERROR || p.kind === KIND_NON_IP) break;
        table.add(p, batch.wirelen[i]!, batch.ts, i, batch.data);
        if (p.innerKind === 0 || !decodeInner(p, batch.data)) break;
      }
    }
  });
  table.flush('eoc');
  return out;
}

const short = (s: Seen) => `${s.a.proto === 6 ? 'tcp' : 'udp'} ${s.a.client} -> ${s.a.server}:${s.a.portLo}`;

/** Feeds recorded segments again to fresh inspectors, re-cut into chunks of `size` bytes. */
function refeed(r: Run, size: number): string[] {
  const byFlow = new Map<number, DceRpcInspector>();
  const done = new Set<number>();
  const got: string[] = [];
  for (const [id, dir, bytes] of r.segments) {
    if (done.has(id)) continue;
    const flow = r.flows.find((f) => f.id === id)!;
    let insp = byFlow.get(id);
    if (!insp) byFlow.set(id, (insp = new DceRpcInspector()));
    for (let o = 0; o < bytes.length && !done.has(id); o += size) {
      if (insp.onPayload(flow, dir, bytes, o, Math.min(size, bytes.length - o), (a) => got.push(`${short({ flow, a })} ${a.evidence}`))) done.add(id);
    }
  }
  return got;
}

const CLIENT = '10.0.0.21';
const SERVER = '10.0.0.5';

/** What each fixture must announce: [server, port, how], proto TCP unless 'udp ' prefixes how. */
const EXPECTED: Record<string, Array<[string, number, string]>> = {
  'rci-le.pcap': [[SERVER, 49703, 'DCOM RemoteCreateInstance reply']],
  'rci-be.pcap': [[SERVER, 49704, 'DCOM RemoteCreateInstance reply']],
  'rci-frag.pcap': [[SERVER, 49705, 'DCOM RemoteCreateInstance reply'], ['10.0.1.5', 49705, 'DCOM RemoteCreateInstance reply']],
  'rgco-le.pcap': [[SERVER, 49706, 'DCOM RemoteGetClassObject reply']],
  'rgco-tsbe.pcap': [[SERVER, 49716, 'DCOM RemoteGetClassObject reply']],
  'remact-le.pcap': [[SERVER, 49707, 'DCOM RemoteActivation reply']],
  'remact-be-frag.pcap': [[SERVER, 49708, 'DCOM RemoteActivation reply']],
  'resolveoxid-le.pcap': [[SERVER, 49709, 'DCOM ResolveOxid reply']],
  // Also IPv6 literals (canonical text; a zone index dropped) and an ncacn_http binding (not announced).
  'resolveoxid2-le.pcap': [[SERVER, 49710, 'DCOM ResolveOxid2 reply'], ['2001:db8::5', 49710, 'DCOM ResolveOxid2 reply'], ['fe80::5', 49710, 'DCOM ResolveOxid2 reply']],
  'resolveoxid2-be.pcap': [[SERVER, 49711, 'DCOM ResolveOxid2 reply']],
  'alter-context.pcap': [['10.0.0.6', 49712, 'DCOM ResolveOxid2 reply']],
  'ept-lookup.pcap': [[SERVER, 49664, 'EPM ept_lookup reply'], [SERVER, 49665, 'EPM ept_lookup reply'], [SERVER, 49666, 'udp EPM ept_lookup reply']],
  'ept-map.pcap': [[SERVER, 49667, 'EPM reply']],
  'negative.pcap': [],
};

/**
 * The product paths (two clients, two servers), held to their expected outcome through the
 * whole pipeline by test/pipeline/fixtures-golden.test.ts and dcom-followons.test.ts.
 */
const PRODUCT_PATHS = ['dcom-paths.pcap'];

function evidence(flow: FlowRecord, server: string, port: number, how: string): string {
  const udp = how.startsWith('udp ');
  return `${udp ? 'UDP' : 'TCP'} port ${port} on ${server} announced by ${udp ? how.slice(4) : how} in flow #${flow.id}`;
}

describe('DceRpcInspector on fixtures/dcom', () => {
  it('the fixture folder holds exactly the captures this test knows', () => {
    expect(readdirSync(DIR).filter((f) => f.endsWith('.pcap')).sort()).toEqual([...Object.keys(EXPECTED), ...PRODUCT_PATHS].sort());
  });

  for (const [name, want] of Object.entries(EXPECTED)) {
    it(`${name}: ${want.length ? want.map(([s, p]) => `${s}:${p}`).join(', ') : 'nothing announced'}`, async () => {
      const r = await run(file(name));
      const got = r.dce.map((s) => ({ ...s.a, flowId: s.flow.id }));
      const epmFlows = r.flows.filter((f) => f.dport === 135);
      expect(epmFlows.length).toBeGreaterThan(0);
      const announcing = epmFlows[0]!;
      expect(got).toEqual(want.map(([server, port, how]) => ({
        kind: 'epm', proto: how.startsWith('udp ') ? 17 : 6, client: CLIENT, clientPort: null, server,
        portLo: port, portHi: port, within: 120, evidence: evidence(announcing, server, port, how), flowId: announcing.id,
      })));
      // The capture's own follow-on connections: the announced TCP ports are reached by the
      // client, 49999 was announced by no one.
      const claimed = (f: FlowRecord) => got.some((a) => a.proto === f.proto && a.client === f.src && a.server === f.dst && a.portLo === f.dport);
      const later = r.flows.filter((f) => f.dport !== 135);
      for (const f of later) expect(claimed(f), `${f.src} -> ${f.dst}:${f.dport}`).toBe(f.dport !== 49999 && want.some(([s, p, how]) => s === f.dst && p === f.dport && !how.startsWith('udp ')));
      // Segment boundaries do not matter: the same announcements byte by byte and in 7-byte chunks.
      const whole = r.dce.map((s) => `${short(s)} ${s.a.evidence}`);
      expect(refeed(r, 1)).toEqual(whole);
      expect(refeed(r, 7)).toEqual(whole);
      // Everything EpmInspector announces, with the same evidence.
      for (const e of r.epm) expect(whole).toContain(`${short(e)} ${e.a.evidence}`);
    });
  }

  it('EpmInspector reads only the ept_map reply among these captures', async () => {
    const all: string[] = [];
    for (const name of Object.keys(EXPECTED)) for (const s of (await run(file(name))).epm) all.push(`${name} ${short(s)}`);
    expect(all).toEqual([`ept-map.pcap tcp ${CLIENT} -> ${SERVER}:49667`]);
  });
});

describe('DceRpcInspector on damaged streams', () => {
  const flow = { id: 3, src: '10.0.0.21', sport: 50100, dst: '10.0.0.5', dport: 135, proto: 6 } as FlowRecord;

  function feedAll(chunks: Array<[number, Buffer]>): { got: Announcement[]; done: boolean } {
    const insp = new DceRpcInspector();
    const got: Announcement[] = [];
    let done = false;
    for (const [dir, b] of chunks) if (!done) done = insp.onPayload(flow, dir, b, 0, b.length, (a) => got.push(a));
    return { got, done };
  }

  it('garbage and non-DCE/RPC streams: nothing announced, the inspector gives up', () => {
    const http = Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(feedAll([[0, http]])).toEqual({ got: [], done: true });
    // A DCE/RPC-looking header with an impossible fragment length.
    expect(feedAll([[0, Buffer.from([5, 0, 0, 3, 0x10, 0, 0, 0, 8, 0, 0, 0, 1, 0, 0, 0])]])).toEqual({ got: [], done: true });
    let seed = 12345;
    const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 16) & 0xff;
    for (let n = 0; n < 200; n++) {
      const b = Buffer.from(Array.from({ length: 1 + (n * 37) % 900 }, rnd));
      expect(() => feedAll([[n & 1, b]])).not.toThrow();
    }
  });

  it('every truncation and every single-byte corruption of the fixtures: no throw, and never an announcement the whole reply does not make', async () => {
    for (const name of ['rci-le.pcap', 'remact-be-frag.pcap', 'resolveoxid2-be.pcap', 'ept-lookup.pcap']) {
      const r = await run(file(name));
      const id = r.flows.find((f) => f.dport === 135)!.id;
      const segs = r.segments.filter(([f]) => f === id).map(([, d, b]) => [d, b] as [number, Buffer]);
      const ports = new Set(r.dce.map((s) => s.a.portLo));
      const reply = segs.map(([d]) => d).lastIndexOf(1);
      const replyBytes = segs[reply]![1];
      for (let cut = 0; cut < replyBytes.length; cut += 3) {
        const t = feedAll([...segs.slice(0, reply), [1, replyBytes.subarray(0, cut)]]);
        for (const a of t.got) expect(ports.has(a.portLo)).toBe(true);
      }
      for (let i = 0; i < replyBytes.length; i += 5) {
        const c = Buffer.from(replyBytes);
        c[i] ^= 0x5a;
        expect(() => feedAll([...segs.slice(0, reply), [1, c]])).not.toThrow();
      }
    }
  });
});

// --- tshark as the oracle ----------------------------------------------------------------------

const HAVE_TSHARK = spawnSync('tshark', ['--version'], { stdio: 'ignore' }).status === 0;
if (!HAVE_TSHARK) console.warn('tshark not on the PATH: the tshark oracle for fixtures/dcom is skipped');

/**
 * tshark 4.0 reads a DUALSTRINGARRAY's text as little-endian UTF-16 whatever the drep; big-endian
 * text it prints as hex bytes (terminating NUL included), read back here as UTF-16BE.
 */
function bindingText(v: string): string {
  if (/^([0-9A-F]{4})+$/.test(v)) return Buffer.from(v, 'hex').swap16().toString('utf16le').replace(/\0+$/, '');
  return v;
}

/** The TCP endpoints tshark reads in the replies of a capture, as "server:port". */
function tsharkEndpoints(path: string): string[] {
  const text = execFileSync('tshark', ['-r', path, '-Y', 'dcerpc.pkt_type == 2', '-T', 'fields', '-E', 'separator=\t',
    '-e', 'ip.src', '-e', 'dcom.dualstringarray.network_addr', '-e', 'epm.proto.tcp_port', '-e', 'epm.proto.udp_port', '-e', 'epm.proto.ip',
    '-e', 'dcom.dualstringarray.tower_id'],
  { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const out: string[] = [];
  for (const line of text.split('\n').filter(Boolean)) {
    const [src, addrs, tcp, udp, ips, towers] = line.split('\t');
    const towerIds = (towers ?? '').split(',').filter(Boolean).map(Number);
    (addrs ?? '').split(',').filter(Boolean).forEach((v, i) => {
      const m = /^(.+)\[(\d+)\]$/.exec(bindingText(v));
      if (!m || towerIds[i] !== 7) return; // ncacn_ip_tcp bindings that name a port
      // A numeric host names itself (IPv6 in canonical text, without a zone index); a name is the server answering on 135.
      out.push(`${canonicalAddress(m[1]!.replace(/%.*$/, '')) ?? src}:${m[2]}`);
    });
    // Towers: tshark lists TCP ports, UDP ports and addresses each in tower order; they pair up
    // because the fixtures put their UDP towers last.
    const ipList = (ips ?? '').split(',').filter(Boolean).map((ip) => (ip === '0.0.0.0' ? src : ip));
    const ports = [...(tcp ?? '').split(',').filter(Boolean).map((p) => `tcp/${p}`), ...(udp ?? '').split(',').filter(Boolean).map((p) => `udp/${p}`)];
    if (ports.length) expect(ipList.length).toBe(ports.length);
    ports.forEach((p, i) => out.push(`${p.startsWith('udp/') ? 'udp ' : ''}${ipList[i]}:${p.slice(4)}`));
  }
  return [...new Set(out)].sort();
}

/** Captures tshark 4.0 cannot read, and why; the generator checks their little-endian bytes with impacket's decoder where it can. */
const TSHARK_BLIND: Record<string, string> = {
  'resolveoxid-le.pcap': 'Wireshark has no dissector for IObjectExporter::ResolveOxid (opnum 0) replies',
  'rci-be.pcap': "Wireshark decodes the OBJREF of a big-endian PDU big-endian, though MS-DCOM 2.2.18 marshals OBJREFs little-endian",
};

describe.skipIf(!HAVE_TSHARK)('tshark reads the same endpoints from fixtures/dcom', () => {
  for (const [name, want] of Object.entries(EXPECTED)) {
    it(name, () => {
      const got = tsharkEndpoints(file(name));
      if (TSHARK_BLIND[name]) {
        expect(got, TSHARK_BLIND[name]).toEqual([]);
        return;
      }
      if (name === 'negative.pcap') {
        // The bytes do name ports (ServerAlive2, IRemUnknown2 opnum 4 and a rejected context):
        // tshark reads them where it knows the call; DceRpcInspector rightly announces none.
        expect(got).toEqual([`${SERVER}:49713`, `${SERVER}:49715`]);
        return;
      }
      expect(got).toEqual(want.map(([s, p, how]) => `${how.startsWith('udp ') ? 'udp ' : ''}${s}:${p}`).sort());
    });
  }
});

// --- Corpus: a superset of EpmInspector --------------------------------------------------------

if (!HAVE_CORPUS) console.warn(NO_CORPUS_MESSAGE);

/**
 * What DceRpcInspector announces in the corpus beyond EpmInspector ("proto client -> server:port
 * evidence", without the flow number). kerberos135_auth is a real Kerberos-authenticated DCOM
 * activation: the RemoteCreateInstance reply names BLACKCLOVER-DC[49718] and 10.10.10.100[49718]
 * (tshark reads the same; the capture ends before the client connects there). mapi.pcap's
 * ept_lookup reply (from port 1069) lists no TCP or UDP tower, so it adds nothing.
 */
const CORPUS_ADDED: Record<string, string[]> = {
  'real/zeek/dce-rpc/kerberos135_auth.pcapng': [
    'tcp 10.10.10.129 -> 10.10.10.100:49718 TCP port 49718 on 10.10.10.100 announced by DCOM RemoteCreateInstance reply',
  ],
};

describe.skipIf(!HAVE_CORPUS)('DceRpcInspector on the corpus captures tagged dcerpc', () => {
  const rows = HAVE_CORPUS ? manifest().filter((r) => r.tags.includes('dcerpc')) : [];
  it('announces everything EpmInspector announces, with the same evidence; lists what it adds', async () => {
    expect(rows.length).toBeGreaterThan(0);
    const added: Record<string, string[]> = {};
    for (const row of rows) {
      const path = corpusFile(row.path);
      expect(existsSync(path), `${path} (listed in ${CORPUS}/MANIFEST.tsv)`).toBe(true);
      const r = await run(path);
      const dce = r.dce.map((s) => `${s.flow.id} ${short(s)} ${s.a.evidence}`);
      const epm = r.epm.map((s) => `${s.flow.id} ${short(s)} ${s.a.evidence}`);
      for (const e of epm) expect(dce, row.path).toContain(e);
      const extra = dce.filter((d) => !epm.includes(d)).map((d) => d.replace(/^\d+ /, '').replace(/ in flow #\d+$/, ''));
      if (extra.length) added[row.path] = extra;
    }
    expect(added).toEqual(CORPUS_ADDED);
  });
});

// --- The generator is reproducible -------------------------------------------------------------

const PY = '/usr/bin/python3';
const HAVE_IMPACKET = existsSync(PY) && spawnSync(PY, ['-c', 'import impacket.dcerpc.v5.dcomrt'], { stdio: 'ignore' }).status === 0;
if (!HAVE_IMPACKET) console.warn(`${PY} cannot import impacket (Debian python3-impacket): the fixtures/dcom regeneration check is skipped`);

describe.skipIf(!HAVE_IMPACKET)('fixtures/dcom/gen-dcom.py', () => {
  it('regenerates byte-identical captures (and the expected outcome of dcom-paths.pcap)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fa-dcom-'));
    try {
      execFileSync(PY, [file('gen-dcom.py'), dir], { stdio: 'ignore' });
      const made = readdirSync(dir).sort();
      expect(made).toEqual(readdirSync(DIR).filter((f) => f.endsWith('.pcap') || f.endsWith('.expected.json')).sort());
      for (const f of made) expect(readFileSync(join(dir, f)).equals(readFileSync(file(f))), f).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
