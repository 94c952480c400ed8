/**
 * The payload inspectors on real captures from the shared corpus (read in place), through the
 * real ingest into a temporary SQLite database: the dynamic-port connections they announce must
 * be claimed by an expectation of the right kind, naming the flow the announcement was read from.
 * No site file: expectations work without a catalog (flows then carry no rule).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingest } from '../../src/pipeline/ingest.js';
import { openFlowStore } from '../../src/store/open-store.js';
import type { StoredFlow, UnusedExpectation } from '../../src/store/types.js';
import { CORPUS, HAVE_CORPUS, NO_CORPUS_MESSAGE, corpusFile, manifest } from '../helpers/corpus.js';

if (!HAVE_CORPUS) console.warn(NO_CORPUS_MESSAGE);

interface Read {
  flows: StoredFlow[];
  unused: UnusedExpectation[];
  byId: Map<number, StoredFlow>;
}

async function read(rel: string): Promise<Read> {
  const path = corpusFile(rel);
  expect(existsSync(path), `${path} (listed in ${CORPUS}/MANIFEST.tsv)`).toBe(true);
  const dir = mkdtempSync(join(tmpdir(), 'fa-inspect-test-'));
  const store = openFlowStore(join(dir, 'flows.db'));
  try {
    const res = await ingest([{ name: path }], { store });
    expect(res.captures[0]!.status).toBe('complete');
    const flows = [...store.flows()];
    return { flows, unused: store.unusedExpectations(), byId: new Map(flows.map((f) => [f.id, f])) };
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The corpus path of the one MANIFEST row matching `re`. */
function find(re: RegExp): string {
  const rows = manifest().filter((r) => re.test(r.path));
  expect(rows.map((r) => r.path), String(re)).toHaveLength(1);
  return rows[0]!.path;
}

const to = (r: Read, dst: string, dport: number) => r.flows.filter((f) => f.proto === 6 && f.dst === dst && f.dport === dport);

describe.skipIf(!HAVE_CORPUS)('DCE/RPC endpoint mapper (ept_map replies)', () => {
  it('zeek mapi.pcap: the connections to 4997 and 1032 follow the ept_map replies that named them', async () => {
    const r = await read('real/zeek/dce-rpc/mapi.pcap');
    const epm = to(r, '192.168.0.2', 135).sort((a, b) => a.start - b.start);
    expect(epm.map((f) => f.sport)).toEqual([1066, 1069, 1072]);
    const [nspi, lookup, mapi] = epm as [StoredFlow, StoredFlow, StoredFlow];

    // Map request for NSPI (flow from port 1066): the reply names TCP 4997; two connections follow.
    const p4997 = to(r, '192.168.0.2', 4997);
    expect(p4997.map((f) => f.sport).sort()).toEqual([1067, 1068]);
    for (const f of p4997) {
      expect(f.expectation).toMatchObject({ kind: 'epm', parentFlowId: nspi.id });
      expect(f.expectation!.evidence).toBe(`TCP port 4997 on 192.168.0.2 announced by EPM reply in flow #${nspi.id}`);
    }
    // Map request for MAPI (port 1072): the reply names TCP 1032; the same client connects.
    const p1032 = to(r, '192.168.0.2', 1032);
    const claimed = p1032.filter((f) => f.expectation);
    expect(claimed.map((f) => `${f.src}:${f.sport}`)).toEqual(['192.168.0.173:1073']);
    expect(claimed[0]!.expectation).toMatchObject({ kind: 'epm', parentFlowId: mapi.id });
    expect(claimed[0]!.expectation!.evidence).toContain(`TCP port 1032 on 192.168.0.2 announced by EPM reply in flow #${mapi.id}`);
    // Other hosts reach 1032 too, but never asked the endpoint mapper in this capture: an
    // announcement is for the client that asked.
    expect(p1032.filter((f) => !f.expectation).map((f) => f.src).sort()).toEqual(['192.168.0.141', '192.168.0.168', '192.168.0.183']);
    // The flow from 1069 is an ept_lookup (opnum 2), not an ept_map: nothing is announced from it.
    expect(r.flows.some((f) => f.expectation?.parentFlowId === lookup.id)).toBe(false);
    expect(r.unused).toEqual([]);
  });

  it(`suricata-verify zerologon: 21 connections to 49668, each after an ept_map reply`, async () => {
    const r = await read(find(/suricata-verify\/dcerpc\/zerologon\/input\.pcap$/));
    const epm = to(r, '172.16.5.58', 135);
    const follow = to(r, '172.16.5.58', 49668);
    expect(epm).toHaveLength(21);
    expect(follow).toHaveLength(21);
    const epmIds = new Set(epm.map((f) => f.id));
    for (const f of follow) {
      expect(f.src).toBe('172.16.0.10');
      expect(f.expectation?.kind).toBe('epm');
      expect(epmIds.has(f.expectation!.parentFlowId)).toBe(true);
      expect(f.expectation!.evidence).toMatch(/^TCP port 49668 on 172\.16\.5\.58 announced by EPM reply in flow #\d+$/);
    }
    expect(r.unused).toEqual([]);
  });

  // A repeated identical announcement refreshes the expectation and takes over its evidence: in
  // zerologon each of the 21 connections to 49668 follows its own endpoint-mapper session.
  it('zerologon: each connection to 49668 names the 135 session whose reply it followed', async () => {
    const r = await read(find(/suricata-verify\/dcerpc\/zerologon\/input\.pcap$/));
    const epm = to(r, '172.16.5.58', 135).sort((a, b) => a.start - b.start);
    for (const f of to(r, '172.16.5.58', 49668)) {
      const latest = epm.filter((e) => e.start <= f.start).pop()!;
      expect(f.expectation!.parentFlowId).toBe(latest.id);
    }
  });

  it('suricata-verify bug-5133: capture starts mid-stream; the follow-on to 49683 is still claimed', async () => {
    const r = await read(find(/suricata-verify\/bug-5133\//));
    const [epm] = to(r, '172.16.66.36', 135);
    expect(epm).toBeDefined();
    expect(epm!.originatorGuessed).toBe(true);
    expect(epm!.history).not.toContain('S');
    const [dyn] = to(r, '172.16.66.36', 49683);
    expect(dyn).toBeDefined();
    expect(dyn!.history).not.toMatch(/[Ss]/); // no handshake: it starts mid-stream too
    expect(dyn!.expectation).toMatchObject({ kind: 'epm', parentFlowId: epm!.id });
    expect(dyn!.expectation!.evidence).toBe(`TCP port 49683 on 172.16.66.36 announced by EPM reply in flow #${epm!.id}`);
  });
});

describe.skipIf(!HAVE_CORPUS)('FTP (227 / 229 / PORT / EPRT)', () => {
  /** Every connection other than the control channel must be a claimed data connection. */
  async function dataClaimed(rel: string, controlPort = 21) {
    const r = await read(rel);
    const control = r.flows.filter((f) => f.dport === controlPort);
    expect(control.length).toBeGreaterThan(0);
    const controlIds = new Set(control.map((f) => f.id));
    const data = r.flows.filter((f) => f.dport !== controlPort);
    for (const f of data) {
      expect(f.expectation?.kind, `${f.src}:${f.sport} -> ${f.dst}:${f.dport}`).toBe('ftp');
      expect(controlIds.has(f.expectation!.parentFlowId)).toBe(true);
    }
    return { r, control, data };
  }

  it('nDPI ftp.pcap: two passive data connections', async () => {
    const { data } = await dataClaimed('real/nDPI/ftp.pcap');
    expect(data.map((f) => f.dport).sort()).toEqual([24523, 25685]);
    for (const f of data) expect(f.expectation!.evidence).toMatch(/announced by FTP 227 \(PASV\) reply in flow #\d+$/);
  });

  it('suricata-verify ftp-download-passive: 227 replies, three data connections (two to the same port)', async () => {
    const { data, r } = await dataClaimed(find(/suricata-verify\/ftp\/ftp-download-passive\//));
    expect(data.map((f) => f.dport).sort()).toEqual([21001, 21008, 21008]);
    expect(r.unused).toEqual([]);
  });

  it('suricata-verify ftp-download-active: PORT commands, the server connects back three times', async () => {
    const { data, control } = await dataClaimed(find(/suricata-verify\/ftp\/ftp-download-active\//));
    expect(data).toHaveLength(3);
    for (const f of data) {
      expect(f.src).toBe(control[0]!.dst); // the server originates the data connection
      expect(f.dst).toBe(control[0]!.src);
      expect(f.expectation!.evidence).toMatch(/announced by FTP PORT command in flow #\d+$/);
    }
  });

  it('zeek ftp/ipv4.pcap: passive and active data connections', async () => {
    const { data } = await dataClaimed('real/zeek/ftp/ipv4.pcap');
    expect(data.map((f) => `${f.dst}:${f.dport}`).sort()).toEqual([
      '141.142.220.235:33582', '141.142.220.235:37835', '199.233.217.249:56666', '199.233.217.249:56667']);
  });

  it('zeek ftp/ipv6.pcap: EPSV (229) and EPRT data connections over IPv6', async () => {
    const { data, r } = await dataClaimed('real/zeek/ftp/ipv6.pcap');
    expect(data).toHaveLength(5);
    expect(data.filter((f) => /229 \(EPSV\)/.test(f.expectation!.evidence))).toHaveLength(3);
    expect(data.filter((f) => /EPRT command/.test(f.expectation!.evidence))).toHaveLength(2);
    expect(r.unused).toEqual([]);
  });

  it('zeek ftp/retr.pcap: one RETR data connection', async () => {
    const { data } = await dataClaimed('real/zeek/ftp/retr.pcap');
    expect(data.map((f) => f.dport)).toEqual([38141]);
  });

  it('control channels that announce nothing: AUTH TLS, an invalid reply code, malformed PORT', async () => {
    for (const rel of ['real/zeek/ftp/ftp-auth-tls.pcap', 'real/zeek/ftp/ftp-invalid-reply-code.pcap', find(/detect-ftp\/ftp-mode-02\//)]) {
      const r = await read(rel);
      expect(r.flows.map((f) => f.dport), rel).toEqual([21]);
      expect(r.unused, rel).toEqual([]);
    }
  });

  it('suricata-verify ftp-bounce: a PORT naming a third host is a suspicious unused expectation', async () => {
    const r = await read(find(/suricata-verify\/ftp\/ftp-bounce\//));
    const control = r.flows.filter((f) => f.dport === 21).sort((a, b) => a.start - b.start);
    expect(control).toHaveLength(2);
    const bounce = r.unused.filter((u) => /FTP bounce/.test(u.evidence));
    expect(bounce).toEqual([expect.objectContaining({
      kind: 'ftp', client: '2.2.2.1', server: '2.2.2.3', ports: '80', parentFlowId: control[1]!.id,
      evidence: `FTP PORT in flow #${control[1]!.id} names 2.2.2.3:80, not the client 1.1.1.2 (FTP bounce)`,
    })]);
    // Both PORTs also stay unused (no data connection in the capture): the ordinary one to the
    // client itself and the bounce.
    expect(r.unused.filter((u) => !/FTP bounce/.test(u.evidence)).map((u) => `${u.server}:${u.ports}`).sort()).toEqual(['1.1.1.2:59549', '2.2.2.3:80']);
  });

  it('suricata-verify ftp-active-dynamic_port: an EPRT naming an IPv6 address on an IPv4 control connection', async () => {
    const r = await read(find(/ftp-active-dynamic_port-02\//));
    expect(r.flows).toHaveLength(1);
    const v6 = '2601:191:8500:2e00:7c0f:78e0:dc5b:f7c1';
    expect(r.unused.map((u) => u.evidence).sort()).toEqual([
      `FTP EPRT in flow #${r.flows[0]!.id} names ${v6}:34325, an IPv6 address on the IPv4 control connection of 1.1.1.1 (cannot be checked against the client: possible FTP bounce)`,
      `data port ${v6}:34325 announced by FTP EPRT command in flow #${r.flows[0]!.id}`,
    ]);
  });
});

describe.skipIf(!HAVE_CORPUS)('TFTP (reply from a new server port)', () => {
  it('tcpdump tftp.pcap: the server answers from 59557; the data flow is claimed and turned round', async () => {
    const r = await read('real/tcpdump/tftp.pcap');
    const req = r.flows.find((f) => f.proto === 17 && f.dport === 69)!;
    const data = r.flows.find((f) => f.proto === 17 && (f.dport === 59557 || f.sport === 59557))!;
    expect(r.flows).toHaveLength(2);
    expect(data).toMatchObject({ src: req.src, sport: req.sport, dst: req.dst, dport: 59557, originatorGuessed: false });
    expect(data.expectation).toMatchObject({ kind: 'tftp', parentFlowId: req.id });
    expect(data.expectation!.evidence).toBe(`TFTP read request to ${req.dst}:69 in flow #${req.id}; the server answers from a new port`);
  });

  it('nDPI tftp.pcap: read and write requests; the answered ones are claimed, the unanswered stay unused', async () => {
    const r = await read('real/nDPI/tftp.pcap');
    const requests = r.flows.filter((f) => f.proto === 17 && f.dport === 69);
    const claimed = r.flows.filter((f) => f.expectation);
    expect(requests).toHaveLength(6);
    expect(claimed.map((f) => `${f.dst}:${f.dport}`).sort()).toEqual(['192.168.0.10:3445', '192.168.2.200:47649', '172.28.5.170:62058'].sort());
    for (const f of claimed) {
      const parent = r.byId.get(f.expectation!.parentFlowId)!;
      expect(f.expectation!.kind).toBe('tftp');
      expect(parent.dport).toBe(69);
      expect([parent.src, parent.sport, parent.dst]).toEqual([f.src, f.sport, f.dst]);
    }
    // 172.28.5.91's request is a write request (WRQ): the server's ACK comes from 62058.
    expect(claimed.find((f) => f.dport === 62058)!.expectation!.evidence).toContain('TFTP write request');
    // Three read requests to 172.16.5.170 get no answer in the capture.
    expect(r.unused.map((u) => `${u.kind} ${u.client} -> ${u.server}:${u.ports}`)).toEqual(new Array(3).fill('tftp 172.28.4.53 -> 172.16.5.170:1-65535'));
  });
});
