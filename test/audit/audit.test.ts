import { describe, expect, it } from 'vitest';
import { failOn, runAudit, type AuditInput } from '../../src/audit/audit.js';
import type { StoredFlow } from '../../src/store/types.js';
import {
  CLIENT, RULES, T0, TO_DP, TO_MP, TO_SQL, baselineFlows, capture, catalog, flow, rule, site,
} from '../helpers/audit-fixtures.js';
import { withItems } from '../helpers/audit-items.js';
import { expectValidReport } from '../helpers/report-validate.js';

const NOW = new Date('2024-03-01T10:00:00Z');

function audit(extra: StoredFlow[], over: Partial<AuditInput> = {}) {
  const result = withItems(runAudit({
    flows: [...baselineFlows(), ...extra], captures: [capture()], catalog: catalog(), site: site(), now: NOW, ...over,
  }));
  expectValidReport(result);
  return result;
}

describe('baseline', () => {
  it('is clean when every required flow is present and nothing else happens', () => {
    const r = audit([]);
    expect(r.unexpected).toEqual([]);
    expect(r.missing).toEqual([]);
    expect(r.wanCache).toEqual([]);
    expect(r.summary.clean).toBe(true);
    expect(r.summary.verdict).toBe('clean: no unexpected, missing or WAN-cache findings in 5 flows');
    expect(r.summary.flows).toEqual({ analysed: 5, inScope: 5, expected: 5, unexpected: 0, ignored: 0, outOfScope: 0, unclassified: 0 });
    expect(r.summary.window?.text).toBe('between 2024-03-01 09:00:00 and 09:45:00 UTC');
    expect(r.summary.captures[0]).toMatchObject({ source: 'estate.pcap', packets: 123456, status: 'complete', drops: null });
    expect(r.summary.catalogs).toEqual(['sccm-2007']);
    expect(r.summary.siteHash).toBe('feed'.repeat(16));
    expect(r.rules.find((x) => x.id === 'sccm.client-to-sup.wsus')?.flows).toBe(2);
    // Nobody reached the distribution point, whose rules the site makes optional: informational.
    expect(r.silentHosts.map((h) => [h.host, h.status])).toEqual([['10.20.0.5', 'optional']]);
    expect(r.summary.counts).toMatchObject({ silentHosts: 0, silentHostsOptional: 1 });
    expect(failOn(r, ['unexpected', 'missing', 'wan-cache'])).toBe(false);
  });
});

describe('unexpected traffic', () => {
  it('reports a flow on a port no rule covers, with a reason naming service and both ends', () => {
    const r = audit([flow({ src: '10.1.0.5', sport: 51234, dst: '10.0.0.10', dport: 4444, state: 'S0' }, { ...CLIENT, ...TO_MP })]);
    expect(r.unexpected).toHaveLength(1);
    const u = r.unexpected[0]!;
    expect(u).toMatchObject({ proto: 'tcp', src: '10.1.0.5', sport: 51234, dst: '10.0.0.10', dport: 4444, kind: 'no-rule', nearestRule: null, group: 'U1' });
    expect(u.reason).toBe(
      'no catalog rule, expectation or ignore entry covers tcp/4444 from client 10.1.0.5 to management point 10.0.0.10');
    expect(r.summary.flows.unexpected).toBe(1);
    expect(r.summary.verdict).toBe('findings: 1 unexpected flow in 1 group');
    expect(failOn(r, ['unexpected'])).toBe(true);
    expect(failOn(r, ['missing', 'wan-cache'])).toBe(false);
  });

  it('uses the nearest rule the classifier found on a role mismatch, and its evidence as the reason', () => {
    const evidence = 'port 1433 is allowed from management point, not from client (nearest rule sccm.mp-to-sql)';
    const r = audit([flow({ dst: '10.0.0.20', dport: 1433 }, { ...CLIENT, ...TO_SQL, evidence, nearestRule: 'sccm.mp-to-sql' })]);
    expect(r.unexpected).toHaveLength(1);
    expect(r.unexpected[0]).toMatchObject({ kind: 'role-mismatch', nearestRule: 'sccm.mp-to-sql', reason: evidence });
    expect(r.groups.unexpected[0]).toMatchObject({ kind: 'role-mismatch', rule: 'sccm.mp-to-sql', reason: evidence, count: 1 });
  });

  it('the nearest rule is the classifier\'s, as data: not the audit\'s own guess, and not read out of the evidence', () => {
    // Management point to a distribution point on 445: both 445 rules fit the responder; the
    // classifier's choice stands, though the audit's own scoring would take the first.
    const mpToDp = { srcRoles: ['sccm.management-point'], srcSite: 'hq', ...TO_DP };
    const r = audit([
      flow({ src: '10.0.0.10', dst: '10.20.0.5', dport: 445 }, { ...mpToDp, evidence: 'TCP 445 ...', nearestRule: 'sccm.siteserver-to-dp.smb' }),
      flow({ src: '10.0.0.10', dst: '10.20.0.5', dport: 445, sport: 50001 }, { ...mpToDp, evidence: 'TCP 445 ...', nearestRule: null }),
      // A rule id in the words is only words.
      flow({ dst: '10.0.0.10', dport: 4444 }, { ...CLIENT, ...TO_MP, evidence: 'TCP 4444 (sccm.mp-to-sql)', nearestRule: null }),
    ]);
    expect(r.unexpected.map((u) => [u.kind, u.nearestRule])).toEqual([
      ['role-mismatch', 'sccm.siteserver-to-dp.smb'], ['role-mismatch', 'sccm.client-to-dp.smb'], ['no-rule', null],
    ]);
  });

  it('a nearest rule on any protocol (no port of its own) still makes a role mismatch', () => {
    const anyProto = rule({ id: 'sccm.mp-to-client.any', from: ['sccm.management-point'], to: ['sccm.client'], proto: 'ip' });
    const r = audit([flow({ dst: '10.0.0.10', dport: 4444 }, { ...CLIENT, ...TO_MP, evidence: 'IP ...', nearestRule: anyProto.id })], {
      catalog: catalog([...RULES, anyProto]),
    });
    expect(r.unexpected[0]).toMatchObject({ kind: 'role-mismatch', nearestRule: 'sccm.mp-to-client.any', reason: 'IP ...' });
  });

  it('explains a role mismatch itself when the classifier gave no evidence', () => {
    const r = audit([flow({ dst: '10.0.0.20', dport: 1433 }, { ...CLIENT, ...TO_SQL })]);
    expect(r.unexpected[0]!.kind).toBe('role-mismatch');
    expect(r.unexpected[0]!.reason).toBe(
      'tcp/1433 (mssql) is allowed from management point to site database server (rule sccm.mp-to-sql), ' +
      'not from client 10.1.0.5 to site database server 10.0.0.20');
  });

  it('does not report flows covered by the ignore list, but counts them', () => {
    const r = audit([flow({ dst: '10.0.0.10', dport: 53, proto: 17 }, { ...CLIENT, ...TO_MP, ignored: true })]);
    expect(r.unexpected).toEqual([]);
    expect(r.summary.flows.ignored).toBe(1);
    expect(r.matrix.cells.find((c) => c.from === 'sccm.client' && c.to === 'sccm.management-point')).toMatchObject({ expected: 1, ignored: 1, unexpected: 0 });
  });

  it('does not report flows touching no role and no site address', () => {
    const r = audit([
      flow({ src: '192.168.7.1', dst: '192.168.7.2', dport: 4444 }, {}),
      flow({ src: '192.168.7.1', dst: '192.168.7.3', dport: 22 }, null),
    ]);
    expect(r.unexpected).toEqual([]);
    expect(r.summary.flows.outOfScope).toBe(1);
    expect(r.summary.flows.unclassified).toBe(1);
    expect(r.summary.flows.analysed).toBe(7);
  });

  it('reports a host that is only in a site subnet, and hints at optimizer inner channels', () => {
    const r = audit([flow({ src: '10.0.0.250', dst: '10.20.0.250', dport: 7800 }, { srcSite: 'hq', dstSite: 'branch-leeds' })]);
    expect(r.unexpected[0]!.reason).toContain('from 10.0.0.250 (site hq, no role) to 10.20.0.250 (site branch-leeds, no role)');
    expect(r.unexpected[0]!.reason).toContain('Riverbed optimizer inner channel');
  });

  it('treats a flow claimed by an expectation as expected', () => {
    const r = audit([flow({ dst: '10.0.0.10', dport: 49668, expectation: { kind: 'epm', parentFlowId: 1, rule: null, evidence: 'port 49668 announced by EPM reply in flow #1' } }, { ...CLIENT, ...TO_MP, how: 'expectation' })]);
    expect(r.unexpected).toEqual([]);
    expect(r.summary.flows.expected).toBe(6);
  });
});

describe('missing expected flows', () => {
  const withoutSup = () => baselineFlows().filter((f) => f.classification?.rule !== 'sccm.client-to-sup.wsus');

  it('reports each single-address destination not reached, with the capture window', () => {
    const r = withItems(runAudit({ flows: withoutSup(), captures: [capture()], catalog: catalog(), site: site(), now: NOW }));
    expectValidReport(r);
    expect(r.missing).toHaveLength(2);
    expect(r.missing.map((m) => m.dst)).toEqual(['10.0.0.12', '10.0.0.13']);
    expect(r.missing[0]).toMatchObject({
      rule: 'sccm.client-to-sup.wsus', dst: '10.0.0.12', target: 'host', proto: 'tcp', ports: '8530-8531', attempts: 0, lossMayExplain: false,
      window: { start: T0, end: T0 + 2700 }, group: 'M1',
    });
    expect(r.missing[0]!.reason).toBe(
      'no client reached software update point 10.0.0.12 on TCP 8530-8531 between 2024-03-01 09:00:00 and 09:45:00 UTC');
    expect(r.groups.missing).toHaveLength(1);
    expect(r.groups.missing[0]).toMatchObject({ id: 'M1', count: 2, exampleHosts: ['10.0.0.12', '10.0.0.13'] });
    expect(r.groups.missing[0]!.reason).toBe(
      'no client reached 2 software update point destinations on TCP 8530-8531 between 2024-03-01 09:00:00 and 09:45:00 UTC');
    expect(failOn(r, ['missing'])).toBe(true);
  });

  it('reports only the host nobody reached, and unanswered attempts as not reached', () => {
    const flows = [
      ...withoutSup(),
      flow({ dst: '10.0.0.12', dport: 8530 }, { rule: 'sccm.client-to-sup.wsus', ...CLIENT, dstRoles: ['sccm.sup'], dstSite: 'hq' }),
      flow({ dst: '10.0.0.13', dport: 8530, state: 'S0', respPackets: 0 }, { rule: 'sccm.client-to-sup.wsus', ...CLIENT, dstRoles: ['sccm.sup'], dstSite: 'hq' }),
      flow({ dst: '10.0.0.13', dport: 8531, state: 'REJ', respPackets: 1 }, { rule: 'sccm.client-to-sup.wsus', ...CLIENT, dstRoles: ['sccm.sup'], dstSite: 'hq' }),
    ];
    const r = withItems(runAudit({ flows, captures: [capture()], catalog: catalog(), site: site(), now: NOW }));
    expectValidReport(r);
    expect(r.missing).toHaveLength(1);
    expect(r.missing[0]).toMatchObject({ dst: '10.0.0.13', attempts: 2 });
    expect(r.missing[0]!.reason).toBe(
      'client tried software update point 10.0.0.13 on TCP 8530-8531 2 times between 2024-03-01 09:00:00 and 09:45:00 UTC, ' +
      'but no connection was answered (S0×1, REJ×1)');
  });

  it('reports a CIDR to-role once for the whole role', () => {
    const flows = baselineFlows().filter((f) => f.classification?.rule !== 'sccm.mp-to-client.notify');
    const r = withItems(runAudit({ flows, captures: [capture()], catalog: catalog(), site: site(), now: NOW }));
    expectValidReport(r);
    expect(r.missing).toHaveLength(1);
    expect(r.missing[0]).toMatchObject({ rule: 'sccm.mp-to-client.notify', dst: '10.1.0.0/16', target: 'role', dstRole: 'sccm.client' });
    expect(r.missing[0]!.reason).toBe(
      'no management point reached any client in 10.1.0.0/16 on TCP 10123 between 2024-03-01 09:00:00 and 09:45:00 UTC');
  });

  it('does not report required rules whose from-role has no hosts', () => {
    const r = audit([]);
    expect(r.missing.find((m) => m.rule === 'sccm.siteserver-to-dp.smb')).toBeUndefined();
  });

  it('says packet loss may explain missing flows when a capture dropped packets', () => {
    const r = withItems(runAudit({ flows: withoutSup(), captures: [capture({ source: 'live:eth0', format: 'live', drops: 12, ifDrops: 0 })], catalog: catalog(), site: site(), now: NOW }));
    expectValidReport(r);
    expect(r.summary.lossNote).toBe('12 packets were dropped while capturing (live:eth0), so the loss may explain this');
    expect(r.missing.every((m) => m.lossMayExplain)).toBe(true);
    expect(r.missing[0]!.reason).toMatch(/09:45:00 UTC; 12 packets were dropped while capturing \(live:eth0\), so the loss may explain this$/);
  });

  it('reports unused expectations as informational, not as missing', () => {
    const r = audit([], {
      unusedExpectations: [{ kind: 'epm', client: '10.1.0.5', server: '10.0.0.10', proto: 6, ports: '49668', parentFlowId: 3, captureId: 1, rule: null, evidence: 'port 49668 announced by EPM reply in flow #3', ts: T0 + 100 }],
    });
    expect(r.missing).toEqual([]);
    expect(r.informational).toEqual([{
      kind: 'unused-expectation', via: 'epm', client: '10.1.0.5', server: '10.0.0.10', proto: 'tcp', ports: '49668', rule: null,
      reason: 'port 49668 announced by EPM reply in flow #3; no connection used it (expected from 10.1.0.5)', ts: T0 + 100, captureId: 1, parentFlowId: 3,
    }]);
    expect(r.summary.counts.informational).toBe(1);
    expect(r.summary.clean).toBe(true);
  });
});

describe('WAN cache', () => {
  const smb = (over: Partial<StoredFlow> = {}) =>
    flow({ src: '10.1.0.7', sport: 50123, dst: '10.20.0.5', dport: 445, ...over }, { rule: 'sccm.client-to-dp.smb', how: 'direct', ...CLIENT, ...TO_DP });

  it('lists a never-cache flow crossing sites as must-not-cache with the exclusion to configure', () => {
    const r = audit([smb()]);
    expect(r.wanCache).toHaveLength(1);
    const w = r.wanCache[0]!;
    expect(w).toMatchObject({
      proto: 'tcp', src: '10.1.0.7', sport: 50123, dst: '10.20.0.5', dport: 445, rule: 'sccm.client-to-dp.smb',
      status: 'must-not-cache', cacheable: false, evidence: [], srcSite: 'hq', dstSite: 'branch-leeds', tapSide: 'wan',
    });
    expect(w.exclusion).toEqual({
      server: '10.20.0.5', proto: 'tcp', port: 445,
      text: 'pass-through (do not optimize) TCP to server 10.20.0.5 port 445, on the optimizers at hq and branch-leeds',
    });
    expect(w.reason).toBe('rule sccm.client-to-dp.smb (Client to distribution point, SMB) must not be cached or optimized across the WAN; the flow crosses hq → branch-leeds');
    expect(w.tapNote).toContain('WAN side');
    expect(failOn(r, ['wan-cache'])).toBe(true);
    expect(r.summary.verdict).toBe('findings: 1 WAN crossing that must not be cached');
  });

  it('makes it a violation when the SYN carries Riverbed option 76', () => {
    const r = audit([smb({ synOptions: [2, 4, 8, 76] })]);
    expect(r.wanCache[0]!.status).toBe('violation');
    expect(r.wanCache[0]!.evidence).toEqual(['TCP option 76 (Riverbed auto-discovery probe) on SYN']);
    expect(r.wanCache[0]!.reason).toMatch(/a WAN optimizer touched it \(see evidence\)$/);
    expect(r.summary.counts).toMatchObject({ wanCacheViolations: 1, wanCacheMustNotCache: 0 });
  });

  it('gives each flow evidence of its own, also for flows with the same option lists', () => {
    const r = audit([smb({ synOptions: [2, 4, 8, 76] }), smb({ sport: 50124, synOptions: [2, 4, 8, 76] }), smb({ sport: 50125, synOptions: [2, 4, 8] })]);
    const [a, b, c] = [...r.wanCache];
    expect(a!.evidence).toEqual(b!.evidence);
    expect(a!.evidence).not.toBe(b!.evidence);
    a!.evidence.push('changed');
    expect(b!.evidence).toEqual(['TCP option 76 (Riverbed auto-discovery probe) on SYN']);
    expect(c!.evidence).toEqual([]);
    expect(c!.status).toBe('must-not-cache');
  });

  it('names Riverbed 78 on the SYN-ACK and Cisco WAAS 33', () => {
    const r = audit([smb({ synOptions: [33], synAckOptions: [78] })]);
    expect(r.wanCache[0]!.evidence).toEqual([
      'TCP option 33 (Cisco WAAS auto-discovery) on SYN', 'TCP option 78 (Riverbed transparency) on SYN-ACK',
    ]);
  });

  it('does not call Multipath TCP (option 30) alone a violation, but lists it', () => {
    const r = audit([smb({ synOptions: [2, 30] })]);
    expect(r.wanCache[0]!.status).toBe('must-not-cache');
    expect(r.wanCache[0]!.evidence).toEqual(['TCP option 30 (Citrix range, also IANA Multipath TCP) on SYN']);
  });

  it('uses inner-channel traffic between the same sites as evidence from a LAN-side tap', () => {
    const inner = flow({ src: '10.0.0.250', sport: 40001, dst: '10.20.0.250', dport: 7800, start: T0 + 5, end: T0 + 2000 },
      { srcSite: 'hq', dstSite: 'branch-leeds', ignored: true });
    // The inner channel comes after the flow in the input: evidence is attached at the end.
    const r = audit([smb(), inner], { captures: [capture({ tapSide: 'lan' })] });
    const w = r.wanCache[0]!;
    expect(w.status).toBe('violation');
    expect(w.evidence).toEqual([
      'optimizer inner channel (Riverbed TCP 7800/7810) between hq and branch-leeds: 1 flow, 2024-03-01 09:00:05–09:33:20 UTC, e.g. 10.0.0.250:40001 → 10.20.0.250:7800',
    ]);
    expect(w.tapSide).toBe('lan');
    expect(w.tapNote).toContain('optimizers strip their TCP options before the LAN');
    expect(r.unexpected).toEqual([]); // the inner channel itself was ignored by the site file
  });

  it('groups flows whose status an inner channel settles later as the finished items group: one violation group, examples and evidence in flow order', () => {
    const inner = flow({ src: '10.0.0.250', sport: 40001, dst: '10.20.0.250', dport: 7800, start: T0 + 5, end: T0 + 2000 },
      { srcSite: 'hq', dstSite: 'branch-leeds', ignored: true });
    const flows = [
      smb({ id: 11, sport: 50001, synOptions: [2, 30] }), // ambiguous only
      smb({ id: 12, sport: 50002 }), // no options
      smb({ id: 13, sport: 50003, synOptions: [76] }), // strong
      smb({ id: 14, sport: 50004, synOptions: [29], synAckOptions: [78] }),
      inner,
    ];
    const r = audit(flows, { captures: [capture({ tapSide: 'lan' })] });
    // Without the inner channel these would be two groups (must-not-cache, violation); with it, one.
    expect(r.groups.wanCache.map((g) => [g.kind, g.count])).toEqual([['violation', 4]]);
    const g = r.groups.wanCache[0]!;
    expect(g.examples.map((e) => e.sport)).toEqual([50001, 50002, 50003]);
    const innerText = r.wanCache[0]!.evidence.at(-1)!;
    expect(innerText).toMatch(/^optimizer inner channel/);
    // The first flow's options, then the inner channel, then what later flows add (five at most).
    expect(g.evidence).toEqual([
      'TCP option 30 (Citrix range, also IANA Multipath TCP) on SYN', innerText,
      'TCP option 76 (Riverbed auto-discovery probe) on SYN', 'TCP option 29 (Citrix range, also IANA TCP-AO) on SYN',
      'TCP option 78 (Riverbed transparency) on SYN-ACK',
    ]);
    expect(g.reason).toBe(r.wanCache[0]!.reason);
    expect(r.wanCache.map((w) => [w.status, w.group])).toEqual([['violation', 'W1'], ['violation', 'W1'], ['violation', 'W1'], ['violation', 'W1']]);
    expect(r.summary.counts).toMatchObject({ wanCacheViolations: 4, wanCacheMustNotCache: 0 });
    // Without it: the ambiguous and the plain flow must not be cached, the two with strong options are violations.
    const apart = audit(flows.slice(0, 4), { captures: [capture({ tapSide: 'lan' })] });
    expect(apart.groups.wanCache.map((x) => [x.kind, x.count, x.examples.map((e) => e.sport)])).toEqual([
      ['violation', 2, [50003, 50004]], ['must-not-cache', 2, [50001, 50002]],
    ]);
    expect(apart.groups.wanCache[1]!.reason).toContain('only ambiguous option evidence');
  });

  it('says the tap side is unknown when the capture does not say', () => {
    const r = audit([smb()], { captures: [capture({ tapSide: null })] });
    expect(r.wanCache[0]!.tapNote).toMatch(/^tap side unknown/);
  });

  it('lists an allowed flow crossing sites as cacheable, which does not fail the run', () => {
    const r = audit([flow({ src: '10.1.0.7', dst: '10.20.0.5', dport: 80 }, { rule: 'sccm.client-to-dp.http', ...CLIENT, ...TO_DP })]);
    expect(r.wanCache).toHaveLength(1);
    expect(r.wanCache[0]).toMatchObject({ status: 'cacheable', cacheable: true, evidence: [], exclusion: null, rule: 'sccm.client-to-dp.http' });
    expect(r.wanCache[0]!.reason).toBe('rule sccm.client-to-dp.http allows WAN caching; the flow crosses hq → branch-leeds');
    expect(failOn(r, ['wan-cache'])).toBe(false);
    expect(r.summary.clean).toBe(true);
  });

  it('ignores never-cache flows that stay inside one site', () => {
    const r = audit([flow({ src: '10.20.1.1', dst: '10.20.0.5', dport: 445 }, { rule: 'sccm.client-to-dp.smb', srcRoles: ['sccm.client'], srcSite: 'branch-leeds', ...TO_DP })]);
    expect(r.wanCache).toEqual([]);
  });

  it('groups many clients of one server into one group with one exclusion', () => {
    const flows = Array.from({ length: 50 }, (_, i) => smb({ src: `10.1.3.${i + 1}` }));
    const r = audit(flows);
    expect(r.wanCache).toHaveLength(50);
    expect(r.groups.wanCache).toHaveLength(1);
    expect(r.groups.wanCache[0]).toMatchObject({ id: 'W1', count: 50, srcHosts: 50, dstHosts: 1, kind: 'must-not-cache' });
    expect(r.wanCache.every((w) => w.group === 'W1')).toBe(true);
  });
});

describe('grouping and streaming', () => {
  it('groups a 10,000-port scan into one group while keeping one item per flow', () => {
    function* scan(): Generator<StoredFlow> {
      yield* baselineFlows();
      for (let port = 1; port <= 10000; port++) {
        yield flow({ src: '10.20.9.9', sport: 40000, dst: '10.0.0.10', dport: port, state: 'S0', respPackets: 0, start: T0 + 600 + port / 100, end: T0 + 600 + port / 100 },
          { srcSite: 'branch-leeds', ...TO_MP });
      }
    }
    const r = withItems(runAudit({ flows: scan(), captures: [capture()], catalog: catalog(), site: site(), now: NOW }));
    expectValidReport(r);
    expect(r.unexpected).toHaveLength(10000);
    expect(r.groups.unexpected).toHaveLength(1);
    const g = r.groups.unexpected[0]!;
    expect(g).toMatchObject({ id: 'U1', kind: 'port-scan', count: 10000, portCount: 10000, ports: '1-10000', srcHosts: 1, dstHosts: 1 });
    expect(g.reason).toBe('10,000 TCP flows to 10,000 distinct ports from site:branch-leeds (no role) to management point that no rule covers — looks like a port scan');
    expect(r.unexpected.every((u) => u.group === 'U1')).toBe(true);
  });

  it('keeps a busy unexpected service as its own group next to a scan', () => {
    const flows: StoredFlow[] = [];
    for (let p = 2000; p < 2030; p++) flows.push(flow({ src: '10.20.9.9', dst: '10.0.0.10', dport: p }, { srcSite: 'branch-leeds', ...TO_MP }));
    for (let i = 0; i < 40; i++) flows.push(flow({ src: '10.20.9.9', dst: '10.0.0.10', dport: 3389 }, { srcSite: 'branch-leeds', ...TO_MP }));
    const r = audit(flows);
    expect(r.groups.unexpected.map((g) => [g.kind, g.count, g.ports])).toEqual([['no-rule', 40, '3389'], ['port-scan', 30, '2000-2029']]);
  });

  it('keeps a few unexpected ports as separate groups', () => {
    const r = audit([
      flow({ dst: '10.0.0.10', dport: 4444 }, { ...CLIENT, ...TO_MP }),
      flow({ src: '10.1.0.6', dst: '10.0.0.10', dport: 4444 }, { ...CLIENT, ...TO_MP }),
      flow({ dst: '10.0.0.10', dport: 5555 }, { ...CLIENT, ...TO_MP }),
    ]);
    expect(r.groups.unexpected.map((g) => [g.id, g.ports, g.count, g.srcHosts])).toEqual([['U1', '4444', 2, 2], ['U2', '5555', 1, 1]]);
  });

  it('bounds the timeline to 240 buckets over a long span', () => {
    const flows = Array.from({ length: 5000 }, (_, i) => flow({ start: T0 + i * 60, end: T0 + i * 60 + 1 }, { ...CLIENT, ...TO_MP, rule: 'sccm.client-to-mp.http' }));
    const r = withItems(runAudit({ flows, captures: [], catalog: catalog(), site: site(), now: NOW }));
    expectValidReport(r);
    expect(r.timeline.buckets.length).toBeLessThanOrEqual(240);
    expect(r.timeline.buckets.reduce((n, b) => n + b.expected, 0)).toBe(5000);
    expect(r.summary.window).toMatchObject({ start: T0, end: T0 + 4999 * 60 + 1 });
  });

  it('reads the flow iterable exactly once', () => {
    let reads = 0;
    const iterable = { *[Symbol.iterator]() { reads++; yield* baselineFlows(); } };
    withItems(runAudit({ flows: iterable, captures: [capture()], catalog: catalog(), site: site(), now: NOW }));
    expect(reads).toBe(1);
  });
});
