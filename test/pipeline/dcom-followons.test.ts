/**
 * The whole pipeline (ingest into a real SQLite file, classify with fixtures/dcom/site.yaml,
 * audit, JSON report) on the impacket-encoded captures of fixtures/dcom: the console
 * 10.0.0.21 asks the SMS Provider 10.0.0.5 on TCP 135 (sccm.console-to-provider-rpc), the reply
 * names a dynamic port, the console connects there, then to 49999, which nothing announced.
 *
 * The connection to the announced port is classified through the announcement
 * (sccm.console-to-provider-rpc-dynamic, how: expectation) with evidence naming the DCOM or EPM
 * operation and the announcing flow; the one to 49999 is reported unexpected (the follow-on's
 * fallback window closed when the reply was read). Where no reply can be read (negative.pcap)
 * the fallback window is what explains the connections.
 *
 * dcom-paths.pcap, the product paths (console -> SMS Provider, 1E Master Stack -> WMI target),
 * is held to dcom-paths.expected.json by fixtures-golden.test.ts; here its evidence is checked
 * word for word, and tshark confirms what the capture holds: its TCP connections, and the
 * ports the RemoteCreateInstance replies name and do not name.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExpectedFile } from '../../fixtures/generate.js';
import { loadSiteWithCatalogs } from '../../src/catalog/site-file.js';
import { createClassifier } from '../../src/classify/classifier.js';
import { ingest } from '../../src/pipeline/ingest.js';
import { reclassifyStored } from '../../src/pipeline/reclassify.js';
import { openFlowStore } from '../../src/store/open-store.js';
import type { FlowStore, StoredFlow } from '../../src/store/types.js';
import { renderReport } from '../../src/report/index.js';
import { PROJECT_ROOT } from '../helpers/corpus.js';
import { keyOf, loadExpected, runPipeline, type PipelineOutcome } from '../helpers/run-pipeline.js';

const DIR = join(PROJECT_ROOT, 'fixtures/dcom');
const SITE = join(DIR, 'site.yaml');
const CONSOLE = '10.0.0.21';
const PROVIDER = '10.0.0.5';
const PARENT_RULE = 'sccm.console-to-provider-rpc';
const DYNAMIC_RULE = 'sccm.console-to-provider-rpc-dynamic';

interface Case {
  /** The operation the evidence names ("DCOM RemoteCreateInstance reply", "EPM reply"). */
  op: string;
  /** The server the console then connects to, and the announced port. */
  server: string;
  port: number;
  /** Announcements no connection used (informational): "server ports", UDP ones prefixed "udp ". */
  unused?: string[];
}

const CASES: Record<string, Case> = {
  'rci-le.pcap': { op: 'DCOM RemoteCreateInstance reply', server: PROVIDER, port: 49703 },
  'rci-be.pcap': { op: 'DCOM RemoteCreateInstance reply', server: PROVIDER, port: 49704 },
  'rci-frag.pcap': { op: 'DCOM RemoteCreateInstance reply', server: PROVIDER, port: 49705, unused: ['10.0.1.5 49705'] },
  'rgco-le.pcap': { op: 'DCOM RemoteGetClassObject reply', server: PROVIDER, port: 49706 },
  'rgco-tsbe.pcap': { op: 'DCOM RemoteGetClassObject reply', server: PROVIDER, port: 49716 },
  'remact-le.pcap': { op: 'DCOM RemoteActivation reply', server: PROVIDER, port: 49707 },
  'remact-be-frag.pcap': { op: 'DCOM RemoteActivation reply', server: PROVIDER, port: 49708 },
  'resolveoxid-le.pcap': { op: 'DCOM ResolveOxid reply', server: PROVIDER, port: 49709 },
  'resolveoxid2-le.pcap': { op: 'DCOM ResolveOxid2 reply', server: PROVIDER, port: 49710, unused: ['2001:db8::5 49710', 'fe80::5 49710'] },
  'resolveoxid2-be.pcap': { op: 'DCOM ResolveOxid2 reply', server: PROVIDER, port: 49711 },
  // The reply names another server: the console's connection there is still the follow-on.
  'alter-context.pcap': { op: 'DCOM ResolveOxid2 reply', server: '10.0.0.6', port: 49712 },
  'ept-lookup.pcap': { op: 'EPM ept_lookup reply', server: PROVIDER, port: 49664, unused: ['10.0.0.5 49665', 'udp 10.0.0.5 49666'] },
  'ept-map.pcap': { op: 'EPM reply', server: PROVIDER, port: 49667 },
};

const key = (f: { src: string; dst: string; dport: number }) => `${f.src} -> ${f.dst}:${f.dport}`;

for (const [name, c] of Object.entries(CASES)) {
  describe(`fixtures/dcom/${name} through the pipeline`, () => {
    let out: PipelineOutcome;
    let parent: StoredFlow;
    beforeAll(async () => {
      out = await runPipeline(SITE, [join(DIR, name)]);
      parent = out.flows.find((f) => f.dport === 135)!;
    });

    it('the TCP 135 call is the console asking the SMS Provider', () => {
      expect(out.flows.map(key)).toEqual([`${CONSOLE} -> ${PROVIDER}:135`, `${CONSOLE} -> ${c.server}:${c.port}`, `${CONSOLE} -> ${c.server}:49999`]);
      expect(parent.classification).toMatchObject({ rule: PARENT_RULE, how: 'direct' });
    });

    it(`the connection to ${c.server}:${c.port} is the follow-on, through the announcement, naming the ${c.op} and the TCP 135 flow`, () => {
      const f = out.flows.find((x) => x.dport === c.port)!;
      const evidence = `TCP port ${c.port} on ${c.server} announced by ${c.op} in flow #${parent.id}`;
      expect(f.expectation).toEqual({ kind: 'epm', parentFlowId: parent.id, rule: DYNAMIC_RULE, evidence });
      expect(f.classification).toMatchObject({ rule: DYNAMIC_RULE, how: 'expectation', evidence });
    });

    it('the connection to 49999, which nothing announced, is reported unexpected in the JSON report', () => {
      const f = out.flows.find((x) => x.dport === 49999)!;
      expect(f.expectation).toBeNull();
      expect(f.classification).toMatchObject({ rule: null, how: 'none' });
      const report = JSON.parse(renderReport(out.result, 'json')) as { unexpected: Array<{ flowId: number; kind: string; dport: number; reason: string }> };
      expect(report.unexpected.map((u) => ({ flowId: u.flowId, kind: u.kind, dport: u.dport }))).toEqual([{ flowId: f.id, kind: 'no-rule', dport: 49999 }]);
      expect(report.unexpected[0]!.reason).toContain('no catalog rule, expectation or ignore entry covers tcp/49999');
      expect(out.result.summary.clean).toBe(false);
    });

    it('the announcements no connection used are listed as informational, and nothing else', () => {
      const got = out.result.informational.map((i) => `${i.proto === 'udp' ? 'udp ' : ''}${i.server} ${i.ports}`).sort();
      expect(got).toEqual([...(c.unused ?? [])].sort());
      for (const i of out.result.informational) {
        expect(i).toMatchObject({ via: 'epm', parentFlowId: parent.id, rule: DYNAMIC_RULE });
        expect(i.reason).toContain(`announced by ${c.op} in flow #${parent.id}`);
      }
    });
  });
}

describe('fixtures/dcom/negative.pcap through the pipeline: no reply to read', () => {
  it('the follow-on\'s fallback window explains the connections to the ports the bytes name but no reply announced', async () => {
    const out = await runPipeline(SITE, [join(DIR, 'negative.pcap')]);
    const calls = out.flows.filter((f) => f.dport === 135);
    expect(calls).toHaveLength(3);
    for (const f of calls) expect(f.classification).toMatchObject({ rule: PARENT_RULE, how: 'direct' });
    const later = out.flows.filter((f) => f.dport !== 135);
    expect(later.map((f) => f.dport)).toEqual([49713, 49714, 49715]);
    for (const f of later) {
      expect(f.expectation).toMatchObject({ kind: 'window', parentFlowId: calls[0]!.id, rule: DYNAMIC_RULE });
      expect(f.classification).toMatchObject({ rule: DYNAMIC_RULE, how: 'window' });
      expect(f.classification!.evidence).toContain('time window: used when no endpoint-mapper reply names the port');
    }
    expect(out.result.unexpected).toEqual([]);
    expect(out.result.informational).toEqual([]);
  });
});

describe('re-classifying a database read without a site gives what classifying while reading gives', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'fa-dcom-reclassify-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const classified = (store: FlowStore) => [...store.flows({})].map((f) => ({ flow: key(f), classification: f.classification, expectation: f.expectation }));

  // The windows closed by a read reply are closed again from the stored announcements.
  for (const name of readdirSync(DIR).filter((f) => f.endsWith('.pcap')).sort()) {
    it(name, async () => {
      const { site, catalog } = loadSiteWithCatalogs(SITE);
      const during = openFlowStore(join(tmp, `${name}-during.db`));
      await ingest([{ name: join(DIR, name) }], { store: during, classifier: createClassifier(catalog, site), catalog, site });
      const want = classified(during);
      during.close();
      const later = openFlowStore(join(tmp, `${name}-later.db`));
      await ingest([{ name: join(DIR, name) }], { store: later });
      reclassifyStored(later, createClassifier(catalog, site), catalog);
      const got = classified(later);
      later.close();
      expect(got).toEqual(want);
    });
  }
});

describe('fixtures/dcom/dcom-paths.pcap: the console -> SMS Provider and 1E Master Stack -> WMI target paths', () => {
  const expected: ExpectedFile = loadExpected(join(DIR, 'dcom-paths.expected.json'));
  const cap = expected.captures[0]!;
  const followOns = cap.flows.filter((f) => f.expectation);

  it('the expected outcome names both catalogs\' follow-ons, each with a connection to an unannounced port after it', () => {
    expect(followOns.map((f) => f.rule)).toEqual([DYNAMIC_RULE, '1e.master-wmi-rpc-dynamic']);
    expect(cap.unexpected.map((u) => `${u.src} -> ${u.dst}:${u.dport}`)).toEqual([`${CONSOLE} -> ${PROVIDER}:49721`, '10.0.0.40 -> 10.0.0.20:49731']);
  });

  it('each follow-on\'s evidence names the RemoteCreateInstance reply and its TCP 135 flow by number', async () => {
    const out = await runPipeline(SITE, [join(DIR, 'dcom-paths.pcap')]);
    const byKey = new Map(out.flows.map((f) => [keyOf(f), f]));
    for (const x of followOns) {
      const parent = byKey.get(keyOf(x.expectation!.parent))!;
      const f = byKey.get(keyOf(x))!;
      const evidence = `TCP port ${x.dport} on ${x.dst} announced by DCOM RemoteCreateInstance reply in flow #${parent.id}`;
      expect(f.expectation).toEqual({ kind: 'epm', parentFlowId: parent.id, rule: x.rule, evidence });
      expect(f.classification).toMatchObject({ rule: x.rule, how: 'expectation', evidence });
    }
  });
});

const HAVE_TSHARK = spawnSync('tshark', ['--version'], { stdio: 'ignore' }).status === 0;
if (!HAVE_TSHARK) console.warn('tshark not on the PATH: the tshark check of fixtures/dcom/dcom-paths.pcap is skipped');

function tshark(args: string[]): string[][] {
  const text = execFileSync('tshark', ['-r', join(DIR, 'dcom-paths.pcap'), ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return text.split('\n').filter(Boolean).map((l) => l.split('\t'));
}

describe.skipIf(!HAVE_TSHARK)('tshark reads dcom-paths.pcap as its expected outcome describes it', () => {
  const cap = loadExpected(join(DIR, 'dcom-paths.expected.json')).captures[0]!;

  it('the same TCP connections (by their SYNs) and packet count', () => {
    const syns = tshark(['-Y', 'tcp.flags.syn == 1 && tcp.flags.ack == 0', '-T', 'fields', '-E', 'separator=\t',
      '-e', 'ip.src', '-e', 'tcp.srcport', '-e', 'ip.dst', '-e', 'tcp.dstport']);
    expect(syns.map(([src, sport, dst, dport]) => `tcp ${src}:${sport} -> ${dst}:${dport}`).sort()).toEqual(cap.flows.map(keyOf).sort());
    expect(tshark(['-T', 'fields', '-e', 'frame.number'])).toHaveLength(cap.packets);
  });

  it('each RemoteCreateInstance reply names the port of its follow-on (by host name and address), and no reply names the unexpected ports', () => {
    const replies = tshark(['-Y', 'dcerpc.pkt_type == 2', '-T', 'fields', '-E', 'separator=\t',
      '-e', 'ip.src', '-e', 'ip.dst', '-e', 'dcerpc.opnum', '-e', 'dcom.dualstringarray.network_addr', '-e', 'dcom.dualstringarray.tower_id']);
    const named: string[] = [];
    for (const [src, dst, opnum, addrs, towers] of replies) {
      expect(opnum, 'RemoteCreateInstance').toBe('4');
      const towerIds = towers!.split(',');
      const ports = addrs!.split(',').map((a, i) => [/\[(\d+)\]$/.exec(a), towerIds[i]] as const).filter(([m, t]) => m && Number(t) === 7);
      // Every ncacn_ip_tcp binding with a port names one port, by the server's name and its address.
      expect(ports).toHaveLength(2);
      for (const [m] of ports) named.push(`${dst} -> ${src}:${m![1]}`);
    }
    const follow = cap.flows.filter((f) => f.expectation).map((f) => `${f.src} -> ${f.dst}:${f.dport}`);
    expect([...new Set(named)].sort()).toEqual(follow.sort());
    for (const u of cap.unexpected) expect(named).not.toContain(`${u.src} -> ${u.dst}:${u.dport}`);
  });
});
