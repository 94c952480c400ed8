/**
 * Time-window follow-ons are weaker evidence than announced ports: which flows a window keeps,
 * through the real pipeline (ingest into SQLite, classify, audit) and again through
 * re-classification of the stored flows, which must agree with ingest.
 *
 * The captures are built here: an aclient session on TCP 402 to the Deployment Server opens
 * the altiris.file-transfer windows (any port above 1024 between the two hosts for an hour),
 * then the flows under test run inside that window.
 */
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { CaptureBuilder, tcpConversation, type TcpConversationOpts } from '../../fixtures/lib/packet-builder.js';
import { runAudit } from '../../src/audit/audit.js';
import type { AuditResult } from '../../src/audit/types.js';
import { createClassifier } from '../../src/classify/classifier.js';
import { loadSiteWithCatalogs } from '../../src/catalog/site-file.js';
import { ingest } from '../../src/pipeline/ingest.js';
import { reclassifyStored } from '../../src/pipeline/reclassify.js';
import { openFlowStore } from '../../src/store/open-store.js';
import { SCHEMA_VERSION, SqliteStore } from '../../src/store/sqlite-store.js';
import type { StoredFlow } from '../../src/store/types.js';
import { renderCsv, renderReport } from '../../src/report/index.js';
import { TempDir } from '../helpers/capture-files.js';
import { withItems, type AuditWithItems } from '../helpers/audit-items.js';
import { expectValidReport } from '../helpers/report-validate.js';
import { REPORT_TIME, keyOf } from '../helpers/run-pipeline.js';

const tmp = new TempDir('fa-window-test-');
afterAll(() => tmp.cleanup());

const T0 = Date.UTC(2024, 2, 4, 9, 0, 0) / 1000;
const DS = '10.0.0.50';
const C1 = '10.0.1.16';

const ALTIRIS_SITE = `catalogs: [altiris-ds-5.5]
roles:
  altiris.deployment-server: [${DS}]
  altiris.client: [10.0.1.0/24]
`;

/** One TCP connection in a capture under construction; `at` is seconds after T0. */
type Conn = Omit<TcpConversationOpts, 'start'> & { at: number };

const data = (n: number, from: 'c' | 's' = 's') => [{ from: 'c' as const, data: 'FTRQ pkg\\a.cab\0' }, { from, data: 'x'.repeat(n) }];

/** The aclient session that opens the windows between `client` and the Deployment Server. */
const session = (client: string, at: number, cport = 49800): Conn =>
  ({ client, cport, server: DS, sport: 402, at, exchanges: [{ from: 'c', data: [2, ...new Array(95).fill(1)] }, { from: 's', data: [2, ...new Array(63).fill(2)] }] });

interface Outcome {
  flows: Map<string, StoredFlow>;
  /** The same flows, stored without a site and re-classified afterwards. */
  reclassified: Map<string, StoredFlow>;
  result: AuditWithItems;
}

async function run(conns: Conn[], siteText = ALTIRIS_SITE, strict?: boolean): Promise<Outcome> {
  const cap = new CaptureBuilder();
  for (const c of conns) cap.add(tcpConversation({ ...c, start: T0 + c.at }));
  const pcap = tmp.file('window.pcap', cap.pcap());
  const sitePath = tmp.file('site.yaml', siteText);
  const { site, catalog } = loadSiteWithCatalogs(sitePath);

  const store = openFlowStore(tmp.name('during.db'));
  const later = openFlowStore(tmp.name('later.db'));
  try {
    const res = await ingest([{ name: pcap }], { store, classifier: createClassifier(catalog, site), catalog, site });
    const ids = res.captures.map((c) => c.captureId!);
    const flows = [...store.flows({ captureIds: ids })];
    const result = withItems(runAudit({ flows, captures: store.captures(), catalog, site, unusedExpectations: store.unusedExpectations(ids), now: REPORT_TIME, strict }));

    await ingest([{ name: pcap }], { store: later });
    reclassifyStored(later, createClassifier(catalog, site), catalog);
    return {
      flows: new Map(flows.map((f) => [keyOf(f), f])),
      reclassified: new Map([...later.flows({})].map((f) => [keyOf(f), f])),
      result,
    };
  } finally {
    store.close();
    later.close();
  }
}

/** A flow's key in the maps of an Outcome. */
const flowKey = (c: Conn) => keyOf({ proto: 'tcp', src: c.client, sport: c.cport, dst: c.server, dport: c.sport });

/** Ingest and re-classification agree on every flow's classification and expectation hit. */
function expectAgreement(o: Outcome): void {
  const view = (f: StoredFlow) => ({ classification: f.classification, expectation: f.expectation && { ...f.expectation, parentFlowId: 0 } });
  for (const [k, f] of o.flows) expect(view(o.reclassified.get(k)!), k).toEqual(view(f));
}

describe('a window match needs an accepted connection', () => {
  const refused: Conn = { client: C1, cport: 49810, server: DS, sport: 50300, at: 5, handshake: 'refused' };
  const unanswered: Conn = { client: C1, cport: 49811, server: DS, sport: 50301, at: 6, handshake: 'unanswered' };
  const halfOpen: Conn = { client: C1, cport: 49812, server: DS, sport: 50302, at: 10, close: 'rst' };
  const resetByServer: Conn = { client: C1, cport: 49813, server: DS, sport: 50303, at: 11, close: 'rst', closer: 's' };
  const transfer: Conn = { client: C1, cport: 49814, server: DS, sport: 50304, at: 12, exchanges: data(3000) };
  const resetAfterData: Conn = { client: C1, cport: 49815, server: DS, sport: 50305, at: 13, exchanges: data(3000), close: 'rst' };
  let o: Outcome;

  it('keeps an answered transfer, and drops refused, unanswered and reset-before-data attempts', async () => {
    o = await run([session(C1, 0), refused, unanswered, halfOpen, resetByServer, transfer, resetAfterData]);
    const how = (c: Conn) => {
      const f = o.flows.get(flowKey(c))!;
      return { state: f.state, rule: f.classification!.rule, how: f.classification!.how, hit: f.expectation?.kind ?? null };
    };
    expect(how(transfer)).toEqual({ state: 'SF', rule: 'altiris.file-transfer', how: 'window', hit: 'window' });
    expect(how(resetAfterData)).toEqual({ state: 'RSTO', rule: 'altiris.file-transfer', how: 'window', hit: 'window' });
    expect(how(refused)).toEqual({ state: 'REJ', rule: null, how: 'none', hit: null });
    expect(how(unanswered)).toEqual({ state: 'S0', rule: null, how: 'none', hit: null });
    expect(how(halfOpen)).toEqual({ state: 'RSTO', rule: null, how: 'none', hit: null });
    expect(how(resetByServer)).toEqual({ state: 'RSTR', rule: null, how: 'none', hit: null });
  });

  it('reports the declined attempts as unexpected, naming the window they did not fit', () => {
    const reasons = new Map(o.result.unexpected.map((u) => [keyOf(u), u.reason]));
    expect([...reasons.keys()].sort()).toEqual([refused, unanswered, halfOpen, resetByServer].map(flowKey).sort());
    expect(reasons.get(flowKey(refused))).toContain('not the follow-on of the time window open then (File transfer on a dynamic port (client to server) within 3600 s after altiris.aclient-to-server');
    expect(reasons.get(flowKey(refused))).toContain(': the connection was refused (REJ)');
    expect(reasons.get(flowKey(unanswered))).toContain(': the connection was never answered (S0)');
    expect(reasons.get(flowKey(halfOpen))).toContain(': the connection was reset by its originator before any data (RSTO)');
    expect(reasons.get(flowKey(resetByServer))).toContain(': the connection was reset by the responder before any data (RSTR)');
  });

  it('re-classification of the stored flows judges them the same', () => {
    expectAgreement(o);
  });
});

describe('the well-known port of another service is not a dynamic port', () => {
  const rdp: Conn = { client: C1, cport: 49820, server: DS, sport: 3389, at: 5, exchanges: data(4000) };
  const probe: Conn = { client: C1, cport: 49821, server: DS, sport: 8080, at: 6, handshake: 'refused' };
  const httpAlt: Conn = { client: C1, cport: 49822, server: DS, sport: 8080, at: 7, exchanges: data(2000) };
  const vnc: Conn = { client: C1, cport: 49823, server: DS, sport: 5900, at: 8, exchanges: data(2000) };
  const sql: Conn = { client: C1, cport: 49824, server: DS, sport: 1433, at: 9, exchanges: data(2000) };
  const dynamic: Conn = { client: C1, cport: 49825, server: DS, sport: 50210, at: 10, exchanges: data(2000) };
  // The Deployment Server connecting back on RDP: the reverse window declines it too, and the
  // catalog's remote-control rule (any client port above 1024) allows it directly.
  const back: Conn = { client: DS, cport: 49826, server: C1, sport: 3389, at: 11, exchanges: data(2000, 'c') };
  let o: Outcome;

  it('declines RDP, http-alt, VNC and SQL Server after TCP 402, and keeps a port no service owns', async () => {
    o = await run([session(C1, 0), rdp, probe, httpAlt, vnc, sql, dynamic, back]);
    const cls = (c: Conn) => {
      const f = o.flows.get(flowKey(c))!;
      return { rule: f.classification!.rule, how: f.classification!.how, hit: f.expectation?.kind ?? null };
    };
    for (const c of [rdp, probe, httpAlt, vnc, sql]) expect(cls(c), flowKey(c)).toEqual({ rule: null, how: 'none', hit: null });
    expect(cls(dynamic)).toEqual({ rule: 'altiris.file-transfer', how: 'window', hit: 'window' });
    expect(cls(back)).toEqual({ rule: 'altiris.remote-control', how: 'direct', hit: null });
  });

  it('reports them unexpected, saying whose port it is', () => {
    const reasons = new Map(o.result.unexpected.map((u) => [keyOf(u), u.reason]));
    expect([...reasons.keys()].sort()).toEqual([rdp, probe, httpAlt, vnc, sql].map(flowKey).sort());
    expect(reasons.get(flowKey(rdp))).toContain(': TCP 3389 is the well-known port of rdp, not a dynamic port');
    expect(reasons.get(flowKey(probe))).toContain(': TCP 8080 is the well-known port of http-alt, not a dynamic port; the connection was refused (REJ)');
    expect(reasons.get(flowKey(vnc))).toContain('TCP 5900 is the well-known port of vnc');
    expect(reasons.get(flowKey(sql))).toContain('TCP 1433 is the well-known port of mssql');
  });

  it('re-classification of the stored flows judges them the same', () => {
    expectAgreement(o);
  });

  it('keeps a service port that the follow-on names itself', async () => {
    const catalogText = `catalog: window-demo
prefix: demo
title: Window demo
roles:
  client: client
  server: server
rules:
  - id: control
    from: client
    to: server
    proto: tcp
    port: 402
    then:
      - {id: data, proto: tcp, port: "8080, 1025-65535", via: window, within: 600}
    source: {doc: demo, ref: demo}
`;
    const catalogPath = tmp.file('demo.yaml', catalogText);
    const site = `catalogs: [${catalogPath}]\nroles:\n  demo.client: [10.0.1.0/24]\n  demo.server: [${DS}]\n`;
    const named = await run([session(C1, 0), httpAlt, rdp], site);
    expect(named.flows.get(flowKey(httpAlt))!.classification).toMatchObject({ rule: 'demo.data', how: 'window' });
    expect(named.flows.get(flowKey(rdp))!.classification).toMatchObject({ rule: null, how: 'none' });
    expectAgreement(named);
  });
});

describe('the dynamic range is a site parameter', () => {
  const high: Conn = { client: C1, cport: 49830, server: DS, sport: 50210, at: 5, exchanges: data(2000) };
  const low: Conn = { client: C1, cport: 49831, server: DS, sport: 40000, at: 6, exchanges: data(2000) };
  const cls = (o: Outcome, c: Conn) => {
    const f = o.flows.get(flowKey(c))!;
    return { rule: f.classification!.rule, how: f.classification!.how };
  };

  it('Altiris: "above 1024" by default; a site narrows it', async () => {
    const wide = await run([session(C1, 0), high, low]);
    expect(cls(wide, high)).toEqual({ rule: 'altiris.file-transfer', how: 'window' });
    expect(cls(wide, low)).toEqual({ rule: 'altiris.file-transfer', how: 'window' });

    const narrow = await run([session(C1, 0), high, low], `${ALTIRIS_SITE}params:\n  altiris.dynamic_first_port: 49152\n`);
    expect(cls(narrow, high)).toEqual({ rule: 'altiris.file-transfer', how: 'window' });
    expect(cls(narrow, low)).toEqual({ rule: null, how: 'none' });
    expect(narrow.result.unexpected.map(keyOf)).toEqual([flowKey(low)]);
    expectAgreement(narrow);
  });

  it('a site that configures a service port for file transfers gets it allowed by its rule, not by the window', async () => {
    const httpAlt: Conn = { client: C1, cport: 49832, server: DS, sport: 8080, at: 7, exchanges: data(2000) };
    const o = await run([session(C1, 0), httpAlt], `${ALTIRIS_SITE}params:\n  altiris.file_transfer_port: 8080\n`);
    expect(cls(o, httpAlt)).toEqual({ rule: 'altiris.file-transfer-static', how: 'direct' });
    expect(o.result.unexpected).toEqual([]);
  });

  it('RPC after the endpoint mapper: 49152-65535 and 1025-5000 by default; a site drops the legacy range', async () => {
    const DC = '10.0.0.10';
    const M = '10.0.2.30';
    const site = `catalogs: [windows-infra]\nroles:\n  win.domain-controller: [${DC}]\n`;
    // No endpoint-mapper reply is decoded (the payload is not DCE/RPC): only the window can
    // attribute the connection that follows.
    const epm: Conn = { client: M, cport: 50001, server: DC, sport: 135, at: 0, exchanges: data(200) };
    const legacy: Conn = { client: M, cport: 50002, server: DC, sport: 3001, at: 1, exchanges: data(2000) };
    const modern: Conn = { client: M, cport: 50003, server: DC, sport: 49670, at: 2, exchanges: data(2000) };
    const both = await run([epm, legacy, modern], site);
    expect(cls(both, legacy)).toEqual({ rule: 'win.rpc-dynamic', how: 'window' });
    expect(cls(both, modern)).toEqual({ rule: 'win.rpc-dynamic', how: 'window' });

    const modernOnly = await run([epm, legacy, modern], `${site}params:\n  win.rpc_legacy_first_port: 0\n`);
    expect(cls(modernOnly, legacy)).toEqual({ rule: null, how: 'none' });
    expect(cls(modernOnly, modern)).toEqual({ rule: 'win.rpc-dynamic', how: 'window' });
    expect(modernOnly.result.unexpected.map(keyOf)).toEqual([flowKey(legacy)]);
  });
});

describe('a port several clients reach through their own windows is doubtful', () => {
  const clients = ['10.0.1.16', '10.0.1.17', '10.0.1.18'];
  const to50210 = (client: string, i: number): Conn => ({ client, cport: 49840 + i, server: DS, sport: 50210, at: 20 + i, exchanges: data(2000) });
  const own = (client: string, i: number): Conn => ({ client, cport: 49850 + i, server: DS, sport: 50400 + i, at: 30 + i, exchanges: data(2000) });

  it('three clients on one server port: each of those matches is flagged, the others are not', async () => {
    const o = await run([...clients.map((c, i) => session(c, i)), ...clients.map(to50210), ...clients.map(own)]);
    const items = new Map(o.result.windowOnly.map((w) => [keyOf(w), w]));
    expect(items.size).toBe(6);
    for (const [i, c] of clients.entries()) {
      expect(items.get(flowKey(to50210(c, i)))).toMatchObject({ match: 'window', rule: 'altiris.file-transfer', doubtful: true });
      expect(items.get(flowKey(own(c, i)))).toMatchObject({ match: 'window', rule: 'altiris.file-transfer', doubtful: false, doubt: null });
    }
    expect(items.get(flowKey(to50210(clients[0]!, 0)))!.doubt).toBe(
      '10.0.0.50 accepted connections on TCP 50210 from 3 clients, each in a window of its own (10.0.1.16, 10.0.1.17 and 10.0.1.18): ' +
      'a port that many clients reach is a listening service, not a per-transfer dynamic port');
    expect(o.result.summary.counts).toMatchObject({ windowOnly: 6, windowOnlyDoubtful: 3, windowOnlyGroups: 2, unexpected: 0 });
    // The doubtful group comes first, one line for the server port.
    expect(o.result.groups.windowOnly.map((g) => [g.kind, g.count, g.ports])).toEqual([['doubtful', 3, '50210'], ['window', 3, '50400-50402']]);
    expect(o.result.summary.verdict).toContain('; 6 flows allowed only by a time window (weaker evidence, 3 doubtful)');
  });

  it('two clients on one server port are not enough', async () => {
    const two = clients.slice(0, 2);
    const o = await run([...two.map((c, i) => session(c, i)), ...two.map(to50210)]);
    expect(o.result.windowOnly.map((w) => w.doubtful)).toEqual([false, false]);
  });
});

describe('window-only flows in the report', () => {
  const transfer: Conn = { client: C1, cport: 49860, server: DS, sport: 50210, at: 5, exchanges: data(2000) };
  const push: Conn = { client: DS, cport: 49861, server: C1, sport: 50300, at: 6, exchanges: data(2000, 'c') };

  it('are listed apart, naming the control flow that announced no port', async () => {
    const o = await run([session(C1, 0), transfer, push]);
    const ctl = o.flows.get(flowKey(session(C1, 0)))!;
    const item = o.result.windowOnly.find((w) => keyOf(w) === flowKey(transfer))!;
    expect(item).toMatchObject({
      match: 'window', rule: 'altiris.file-transfer', parentRule: 'altiris.aclient-to-server', parentFlowId: ctl.id,
      controlFlow: { proto: 'tcp', src: C1, sport: 49800, dst: DS, dport: 402, flowId: ctl.id },
      doubtful: false, srcRoles: ['altiris.client'], dstRoles: ['altiris.deployment-server'], state: 'SF',
    });
    expect(item.reason).toBe('File transfer on a dynamic port (client to server) within 3600 s after altiris.aclient-to-server (TCP 402 10.0.1.16 -> 10.0.0.50)');
    expect(o.result.windowOnly.map((w) => w.rule).sort()).toEqual(['altiris.file-transfer', 'altiris.file-transfer-from-server']);
    const g = o.result.groups.windowOnly.find((x) => x.id === item.group)!;
    expect(g).toMatchObject({ section: 'windowOnly', kind: 'window', rule: 'altiris.file-transfer', count: 1 });
    expect(g.evidence).toEqual([`window opened by altiris.aclient-to-server ${C1}:49800 → ${DS}:402 (flow #${ctl.id}), which announced no port`]);
    expect(o.result.summary).toMatchObject({ clean: true, strict: false, counts: { windowOnly: 2, windowOnlyGroups: 2, unexpected: 0 } });
    expect(o.result.summary.flows).toMatchObject({ expected: 3, unexpected: 0 });
  });

  it('a strict review makes each of them an unexpected finding', async () => {
    const o = await run([session(C1, 0), transfer, push], ALTIRIS_SITE, true);
    expect(o.result.windowOnly).toEqual([]);
    expect(o.result.groups.windowOnly).toEqual([]);
    expect(o.result.unexpected.map((u) => [keyOf(u), u.kind, u.nearestRule]).sort()).toEqual([
      [flowKey(push), 'window-only', 'altiris.file-transfer-from-server'],
      [flowKey(transfer), 'window-only', 'altiris.file-transfer'],
    ]);
    expect(o.result.unexpected[0]!.reason).toMatch(/^only a time window allows this flow, and the review accepts announced ports only: File transfer on a dynamic port/);
    expect(o.result.summary).toMatchObject({ clean: false, strict: true, counts: { windowOnly: 0, unexpected: 2, unexpectedGroups: 2 } });
    expect(o.result.summary.flows).toMatchObject({ expected: 1, unexpected: 2 });
    expect(o.result.groups.unexpected.map((g) => g.kind)).toEqual(['window-only', 'window-only']);
  });
});

describe('the report formats', () => {
  const clients = ['10.0.1.16', '10.0.1.17', '10.0.1.18'];
  let normal: AuditResult;
  let strict: AuditResult;

  it('show the window-only section in every format, with the doubtful group first, and validate as JSON', async () => {
    const conns = [...clients.map((c, i) => session(c, i)),
      ...clients.map((client, i): Conn => ({ client, cport: 49870 + i, server: DS, sport: 50210, at: 20 + i, exchanges: data(2000) })),
      { client: C1, cport: 49880, server: DS, sport: 50500, at: 30, exchanges: data(2000) }];
    normal = (await run(conns)).result;
    strict = (await run(conns, ALTIRIS_SITE, true)).result;
    const json = expectValidReport(normal);
    expect(json.windowOnly).toHaveLength(4);
    expect(json.windowOnly.every((w: { match: string }) => w.match === 'window')).toBe(true);
    expect(json.groups.windowOnly.map((g: { id: string; kind: string }) => [g.id, g.kind])).toEqual([['T1', 'doubtful'], ['T2', 'window']]);
    expect(expectValidReport(strict).unexpected.map((u: { kind: string }) => u.kind)).toEqual(new Array(4).fill('window-only'));

    const title = 'Allowed only by time window — weaker evidence — 4 flows in 2 groups, 3 doubtful';
    const text = renderReport(normal, 'text');
    expect(text).toContain(title);
    expect(text).toMatch(/T1 +DOUBTFUL +3 +altiris\.file-transfer +tcp\/50210/);
    expect(text).toContain('control: window opened by altiris.aclient-to-server 10.0.1.16:49800 → 10.0.0.50:402');
    expect(renderReport(normal, 'md')).toContain(`## ${title}`);
    const html = renderReport(normal, 'html');
    expect(html).toContain('<section id="window-only"><h2>Allowed only by time window');
    expect(html).toContain('<a href="#window-only">');
    const csv = renderCsv(normal).split('\r\n').filter((l) => l.startsWith('windowOnly,'));
    expect(csv).toHaveLength(4);
    expect(csv.filter((l) => l.startsWith('windowOnly,T1,doubtful,tcp,'))).toHaveLength(3);
    expect(renderCsv(normal, { section: 'groups' })).toContain('\r\nT1,windowOnly,doubtful,tcp,');
  });

  it('in a strict review the section says where the flows went', () => {
    const text = renderReport(strict, 'text');
    expect(text).toContain('Allowed only by time window — weaker evidence — 0 flows in 0 groups');
    expect(text).toContain('Strict review: a flow only a time window allows is reported under unexpected traffic');
    expect(text).toMatch(/U1 +window only +4 +tcp, 2 ports/);
  });

  it('leave a report without window-only flows as it was (no section)', async () => {
    const o = await run([{ client: C1, cport: 49890, server: DS, sport: 402, at: 0, exchanges: data(100) }]);
    expect(o.result.windowOnly).toEqual([]);
    for (const f of ['text', 'md', 'html'] as const) expect(renderReport(o.result, f)).not.toContain('time window');
  });
});

describe('a database classified before windows were judged', () => {
  it('is classified again on its next report: opening it drops the classification stamp (schema 5)', () => {
    const path = tmp.name('schema4.db');
    const store = new SqliteStore(path);
    store.setMeta('classification', 'catalog-hash:site-hash');
    store.close();
    const db = new Database(path);
    // Back to what schema 4 had: the captures' reader column and the classifications' approval came later.
    db.exec(`ALTER TABLE captures DROP COLUMN reader; ALTER TABLE captures DROP COLUMN sensor; ALTER TABLE classifications DROP COLUMN approved`);
    db.prepare(`UPDATE meta SET value = '4' WHERE key = 'schema_version'`).run();
    db.close();

    const reopened = new SqliteStore(path);
    expect(reopened.getMeta('schema_version')).toBe(String(SCHEMA_VERSION));
    expect(SCHEMA_VERSION).toBeGreaterThanOrEqual(5);
    expect(reopened.getMeta('classification')).toBeNull();
    reopened.close();
  });
});
