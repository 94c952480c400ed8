/**
 * Flow classification against the shipped catalogs and a small estate.
 */
import { describe, expect, it } from 'vitest';
import { createClassifier } from '../../src/classify/classifier.js';
import { loadCatalogs } from '../../src/catalog/rules-loader.js';
import { parseSite } from '../../src/catalog/site-file.js';
import type { FlowIdentity } from '../../src/catalog/types.js';
import { renderEvidence, type ExpectationHit } from '../../src/flow/flow-record.js';
import { windowRequests } from '../../src/classify/follow-ons.js';

const TCP = 6;
const UDP = 17;
const ICMP = 1;

const SITE = `catalogs: [sccm-2007, 1e-platform, windows-infra, system-inmation, altiris-ds-5.5]
roles:
  sccm.client: [10.1.0.0/16, "2001:db8:1::/48"]
  sccm.management-point: [10.0.0.10, "2001:db8::10"]
  sccm.sql-server: [10.0.0.20]
  sccm.reporting-point: [10.0.0.21]
  sccm.provider: [10.0.0.22]
  sccm.site-server: [10.0.0.5]
  sccm.domain-controller: [10.0.0.2]
  sccm.distribution-point: [10.20.0.30]
  sccm.client-status-reporting-host: [10.0.0.60]
  1e.client: [10.1.0.0/16]
  1e.switch: [10.0.0.40]
  1e.response-stack: [10.0.0.40]
  1e.master-stack: [10.0.0.41]
  inmation.core: [10.0.0.50]
  inmation.connector: [10.30.0.0/24]
  win.domain-controller: [10.0.0.2]
  altiris.deployment-server: [10.0.0.70]
  altiris.client: [10.1.0.0/16]
sites:
  hq: [10.0.0.0/16]
  clients: [10.1.0.0/16]
  leeds: [10.20.0.0/16]
  leeds-office: [10.20.5.0/24]
params:
  1e.switch_port: 4001
ignore:
  - {from: sccm.client, to: 10.0.0.99, proto: udp, port: 514}
  - {to: 10.0.0.98}
`;

const site = parseSite(SITE, 'site.yaml');
const catalog = loadCatalogs(site.catalogs);
const classifier = createClassifier(catalog, site);

function flow(proto: number, src: string, sport: number, dst: string, dport: number, extra: Partial<FlowIdentity> = {}): FlowIdentity {
  return { proto, src, sport, dst, dport, start: 1_700_000_000, ...extra };
}

describe('classify: direct matches', () => {
  it('client to management point on HTTP is sccm.client-to-mp, with roles and sites', () => {
    const c = classifier.classify(flow(TCP, '10.1.2.3', 50000, '10.0.0.10', 80), null);
    expect(c).toEqual({
      rule: 'sccm.client-to-mp',
      nearestRule: null,
      how: 'direct',
      evidence: 'sccm.client-to-mp: client -> management point, TCP 80',
      srcRoles: ['sccm.client', '1e.client', 'altiris.client'],
      dstRoles: ['sccm.management-point'],
      srcSite: 'clients',
      dstSite: 'hq',
      ignored: false,
    });
  });

  it('works for IPv6 ends', () => {
    const c = classifier.classify(flow(TCP, '2001:db8:1::42', 50000, '2001:db8::10', 443), null);
    expect(c.rule).toBe('sccm.client-to-mp');
    expect(c.srcRoles).toEqual(['sccm.client']);
  });

  it('the most specific WAN site names an address', () => {
    const c = classifier.classify(flow(TCP, '10.1.2.3', 50000, '10.20.5.30', 445), null);
    expect(c.dstSite).toBe('leeds-office');
    expect(classifier.classify(flow(TCP, '10.1.2.3', 50000, '10.20.0.30', 445), null).dstSite).toBe('leeds');
  });

  it('ICMP echo is matched by the originator\'s type', () => {
    expect(classifier.classify(flow(ICMP, '10.0.0.60', 8, '10.1.2.3', 0), null).rule).toBe('sccm.csrh-to-client-ping');
    expect(classifier.classify(flow(ICMP, '10.0.0.60', 13, '10.1.2.3', 0), null).rule).toBeNull();
  });

  it('catalog role defaults: 1E Cloud is any internet address, domain member any internal one', () => {
    const cloud = classifier.classify(flow(TCP, '10.0.0.41', 50000, '52.1.2.3', 443), null);
    expect(cloud.rule).toBe('1e.master-to-cloud');
    expect(cloud.dstRoles).toEqual([]); // defaults are not site-file roles
    expect(classifier.classify(flow(TCP, '10.0.0.41', 50000, '10.9.9.9', 443), null).rule).toBeNull();
    expect(classifier.classify(flow(TCP, '10.5.5.5', 50000, '10.0.0.2', 88), null).rule).toBe('win.kerberos-tcp');
  });

  it('multicast destinations: an Altiris RapiDeploy group by default address range', () => {
    expect(classifier.classify(flow(UDP, '10.0.0.70', 40000, '224.2.0.3', 401), null).rule).toBe('altiris.rapideploy-multicast');
    expect(classifier.classify(flow(UDP, '10.0.0.70', 40000, '224.2.0.9', 401), null).rule).not.toBe('altiris.rapideploy-multicast');
    expect(classifier.classify(flow(UDP, '10.20.0.30', 63001, '239.1.1.1', 63001), null).rule).toBe('sccm.dp-multicast-stream');
  });
});

describe('classify: direction', () => {
  it('a <-> rule matches with either end originating', () => {
    const fwd = classifier.classify(flow(TCP, '10.30.0.7', 6510, '10.0.0.50', 6510), null);
    expect(fwd).toMatchObject({ rule: 'inmation.connector-core', how: 'direct' });
    const rev = classifier.classify(flow(TCP, '10.0.0.50', 6510, '10.30.0.7', 6510), null);
    expect(rev.rule).toBe('inmation.connector-core');
    expect(rev.evidence).toContain('either side may connect');
    const ssToMp = classifier.classify(flow(TCP, '10.0.0.5', 50000, '10.0.0.10', 135), null);
    expect(ssToMp.rule).toBe('sccm.mp-ss-rpc');
  });

  it('a one-way rule does not match reversed when the TCP originator is known', () => {
    // The management point connecting to a client's port 80 is not client -> MP.
    const c = classifier.classify(flow(TCP, '10.0.0.10', 50000, '10.1.2.3', 80, { originatorGuessed: false }), null);
    expect(c.rule).toBeNull();
    expect(c.how).toBe('none');
  });

  it('a guessed originator (mid-stream TCP, UDP) is also tried turned round', () => {
    const c = classifier.classify(flow(TCP, '10.0.0.10', 80, '10.1.2.3', 50000, { originatorGuessed: true }), null);
    expect(c.rule).toBe('sccm.client-to-mp');
    expect(c.evidence).toContain('originator was guessed');
    // UDP defaults to guessed: a DNS reply seen first still lands on DNS.
    expect(classifier.classify(flow(UDP, '10.0.0.2', 53, '10.5.5.5', 53001), null).rule).toBe('win.dns-udp');
  });
});

describe('classify: near misses and unknown ports', () => {
  it('TCP 1433 from a client names the roles that may use it and the nearest rules', () => {
    const c = classifier.classify(flow(TCP, '10.1.2.3', 50000, '10.0.0.20', 1433), null);
    expect(c.rule).toBeNull();
    expect(c.how).toBe('none');
    expect(c.evidence).toMatch(/^TCP 1433 is allowed from PXE service point, distribution point, management point, .*site server.*, not from client, 1E Client, managed computer \(sccm\.[a-z-]+-sql, /);
    expect(c.evidence).toContain('+');
  });

  it('the right originator to the wrong responder says "not to"', () => {
    const c = classifier.classify(flow(TCP, '10.0.0.10', 50000, '10.0.0.21', 1433), null);
    expect(c.evidence).toBe('TCP 1433 from management point is allowed to SQL Server, not to reporting point (sccm.mp-sql)');
  });

  it('neither end fitting names both sides', () => {
    const c = classifier.classify(flow(TCP, '10.0.0.50', 50000, '10.30.0.7', 16992), null);
    expect(c.evidence).toBe(
      'TCP 16992 is allowed from out of band service point to AMT management controller, not from inmation Core to inmation Connector (sccm.oob-to-amt)',
    );
  });

  it('a port no rule uses says what is known about both ends', () => {
    const c = classifier.classify(flow(TCP, '10.1.2.3', 50000, '10.0.0.77', 992), null);
    expect(c).toMatchObject({ rule: null, how: 'none' });
    expect(c.evidence).toBe('no catalog rule for TCP 992; 10.1.2.3 is client and 1E Client and managed computer, 10.0.0.77 is domain member (catalog default for this address)');
    const ext = classifier.classify(flow(TCP, '8.8.8.8', 50000, '9.9.9.9', 992), null);
    expect(ext.evidence).toBe('no catalog rule for TCP 992; 8.8.8.8 is System Center Online and 1E Cloud (catalog default for internet), 9.9.9.9 is System Center Online and 1E Cloud (catalog default for internet)');
    const multicast = classifier.classify(flow(UDP, '10.77.0.1', 5353, '224.0.0.251', 5353, { originatorGuessed: false }), null);
    // mDNS goes to 224.0.0.251, inside the Altiris multicast default 224.0.0.0/7.
    expect(multicast.evidence).toBe('UDP 5353 is allowed from Deployment Server, PXE server, not from 10.77.0.1 (domain member) (altiris.rapidinstall-multicast, altiris.pxe-mtftp-multicast)');
  });

  it('only catch-all ranges on a port: they are named as the nearest rule', () => {
    // Altiris allows the Deployment Server to reach managed computers on any TCP port > 1024.
    const c = classifier.classify(flow(TCP, '10.1.2.3', 50000, '10.0.0.77', 8080), null);
    expect(c.evidence).toBe('TCP 8080 is allowed from Deployment Server to managed computer, not from client, 1E Client, managed computer to 10.0.0.77 (domain member) (altiris.remote-control)');
  });
});

describe('classify: the nearest rule, as data', () => {
  const c = (f: FlowIdentity, hit: ExpectationHit | null = null) => classifier.classify(f, hit);

  it('a near miss carries the rule its evidence names first', () => {
    expect(c(flow(TCP, '10.0.0.10', 50000, '10.0.0.21', 1433))).toMatchObject({
      rule: null, nearestRule: 'sccm.mp-sql', evidence: 'TCP 1433 from management point is allowed to SQL Server, not to reporting point (sccm.mp-sql)',
    });
    expect(c(flow(TCP, '10.0.0.50', 50000, '10.30.0.7', 16992)).nearestRule).toBe('sccm.oob-to-amt');
    // Only catch-all ranges on the port: the catch-all is the nearest rule.
    expect(c(flow(TCP, '10.1.2.3', 50000, '10.0.0.77', 8080)).nearestRule).toBe('altiris.remote-control');
    expect(c(flow(UDP, '10.77.0.1', 5353, '224.0.0.251', 5353, { originatorGuessed: false })).nearestRule).toBe('altiris.rapidinstall-multicast');
    // Several rules named: the first of them.
    const many = c(flow(TCP, '10.1.2.3', 50000, '10.0.0.20', 1433));
    expect(many.nearestRule).toMatch(/^sccm\.[a-z-]+-sql$/);
    expect(many.evidence).toContain(`(${many.nearestRule}, `);
  });

  it('the shared classification of a near miss carries it too, and classify() keeps it', () => {
    const f = flow(TCP, '10.1.7.7', 50001, '10.0.0.78', 9090);
    const shared = classifier.classifyShared(f, null);
    expect(shared.evidenceVars).toBe(true);
    expect(shared.nearestRule).toBe('altiris.remote-control');
    expect(c(f).nearestRule).toBe('altiris.remote-control');
  });

  it('an ignored near miss still names it; the ignore entry is added to the words only', () => {
    expect(c(flow(TCP, '10.0.0.10', 50000, '10.0.0.98', 1433))).toMatchObject({
      rule: null, nearestRule: 'sccm.mp-sql', ignored: true,
      evidence: 'TCP 1433 from management point is allowed to SQL Server, not to 10.0.0.98 (domain member) (sccm.mp-sql); ignored by site file line 30: {to: 10.0.0.98}',
    });
  });

  it('null for a match, a port no rule uses, and every expectation hit', () => {
    expect(c(flow(TCP, '10.1.2.3', 50000, '10.0.0.10', 80)).nearestRule).toBeNull();
    expect(c(flow(TCP, '10.0.0.10', 80, '10.1.2.3', 50000, { originatorGuessed: true })).nearestRule).toBeNull();
    expect(c(flow(TCP, '10.1.2.3', 50000, '10.0.0.77', 992)).nearestRule).toBeNull();
    const epm: ExpectationHit = { kind: 'epm', parentFlowId: 12, rule: null, evidence: 'port 49668 announced by EPM reply in flow #12' };
    expect(c(flow(TCP, '10.0.0.10', 50000, '10.0.0.2', 49668), epm)).toMatchObject({ rule: 'sccm.mp-to-dc-rpc-dynamic', nearestRule: null });
    expect(c(flow(TCP, '10.30.0.7', 50000, '10.0.0.50', 49668), epm)).toMatchObject({ rule: null, how: 'expectation', nearestRule: null });
    const named: ExpectationHit = { kind: 'window', parentFlowId: 4, rule: 'altiris.file-transfer', evidence: 'within 3600 s after altiris.aclient-to-server' };
    expect(c(flow(TCP, '10.1.2.3', 50001, '10.0.0.70', 40000), named).nearestRule).toBeNull();
  });
});

describe('site parameters', () => {
  it('1e.switch_port: 4001 moves the Switch rule', () => {
    expect(classifier.classify(flow(TCP, '10.1.2.3', 50000, '10.0.0.40', 4001), null)).toMatchObject({ rule: '1e.client-to-switch', how: 'direct' });
    const old = classifier.classify(flow(TCP, '10.1.2.3', 50000, '10.0.0.40', 4000), null);
    expect(old.rule).toBeNull();
    // Without the parameter the vendor default applies.
    const plain = createClassifier(catalog, parseSite(SITE.replace('  1e.switch_port: 4001\n', ''), 'plain.yaml'));
    expect(plain.classify(flow(TCP, '10.1.2.3', 50000, '10.0.0.40', 4000), null).rule).toBe('1e.client-to-switch');
    expect(plain.classify(flow(TCP, '10.1.2.3', 50000, '10.0.0.40', 4001), null).rule).toBeNull();
  });
});

describe('ignore entries', () => {
  it('marks covered flows ignored and says which entry', () => {
    const c = classifier.classify(flow(UDP, '10.1.2.3', 514, '10.0.0.99', 514), null);
    expect(c.ignored).toBe(true);
    expect(c.evidence).toContain('ignored by site file line 29: {from: sccm.client, to: 10.0.0.99, proto: udp, port: 514}');
    // Same hosts, other port: not ignored.
    expect(classifier.classify(flow(UDP, '10.1.2.3', 50000, '10.0.0.99', 515), null).ignored).toBe(false);
    // From outside the client range: not ignored.
    expect(classifier.classify(flow(UDP, '10.2.2.3', 50000, '10.0.0.99', 514), null).ignored).toBe(false);
    // An entry with only "to" covers everything to that host, and keeps the rule match.
    const mp = classifier.classify(flow(TCP, '10.1.2.3', 50000, '10.0.0.98', 22), null);
    expect(mp.ignored).toBe(true);
  });
  it('does not change the rule a flow matched', () => {
    const site2 = parseSite(SITE + '  - {to: 10.0.0.10, proto: tcp, port: 80}\n', 's2.yaml');
    const c = createClassifier(catalog, site2).classify(flow(TCP, '10.1.2.3', 50000, '10.0.0.10', 80), null);
    expect(c).toMatchObject({ rule: 'sccm.client-to-mp', how: 'direct', ignored: true });
  });
});

describe('expectation hits', () => {
  const epmHit: ExpectationHit = { kind: 'epm', parentFlowId: 12, rule: null, evidence: 'port 49668 announced by EPM reply in flow #12' };

  it('a hit naming a rule attributes the flow to it with the hit\'s evidence', () => {
    const hit: ExpectationHit = { kind: 'ssrp', parentFlowId: 3, rule: 'sccm.mp-sql-named-instance', evidence: 'tcp;51433 announced by SQL Browser in flow #3' };
    const c = classifier.classify(flow(TCP, '10.0.0.10', 50000, '10.0.0.20', 51433), hit);
    expect(c).toMatchObject({ rule: 'sccm.mp-sql-named-instance', how: 'expectation', evidence: 'tcp;51433 announced by SQL Browser in flow #3' });
  });

  it('a window hit is how: window', () => {
    const hit: ExpectationHit = { kind: 'window', parentFlowId: 4, rule: 'altiris.file-transfer', evidence: 'within 3600 s after altiris.aclient-to-server' };
    expect(classifier.classify(flow(TCP, '10.1.2.3', 50001, '10.0.0.70', 40000), hit)).toMatchObject({ rule: 'altiris.file-transfer', how: 'window' });
  });

  it('a hit without a rule finds the follow-on whose parent fits the roles', () => {
    const c = classifier.classify(flow(TCP, '10.0.0.10', 50000, '10.0.0.2', 49668), epmHit);
    expect(c.rule).toBe('sccm.mp-to-dc-rpc-dynamic');
    expect(c.how).toBe('expectation');
    expect(c.evidence).toContain('port 49668 announced by EPM reply in flow #12');
    // A domain member (by default) to a DC: the windows-infra follow-on.
    expect(classifier.classify(flow(TCP, '10.5.5.5', 50000, '10.0.0.2', 49668), epmHit).rule).toBe('win.rpc-dynamic');
  });

  it('a hit between roles no rule connects keeps rule null and says so', () => {
    const c = classifier.classify(flow(TCP, '10.30.0.7', 50000, '10.0.0.50', 49668), epmHit);
    expect(c.rule).toBeNull();
    expect(c.how).toBe('expectation');
    expect(c.evidence).toContain('no catalog rule covers this channel');
  });
});

describe('followOns', () => {
  it('a window follow-on (Altiris file transfer) yields requests in both directions', () => {
    const f = flow(TCP, '10.1.2.3', 50000, '10.0.0.70', 402);
    const cls = classifier.classify(f, null);
    expect(cls.rule).toBe('altiris.aclient-to-server');
    expect(windowRequests(classifier.followOnPlans(f, cls), f)).toEqual([
      expect.objectContaining({ kind: 'window', client: '10.1.2.3', server: '10.0.0.70', proto: TCP, ports: [{ lo: 1025, hi: 65535 }], rule: 'altiris.file-transfer', within: 3600 }),
      expect.objectContaining({ kind: 'window', client: '10.0.0.70', server: '10.1.2.3', proto: TCP, ports: [{ lo: 1025, hi: 65535 }], rule: 'altiris.file-transfer-from-server', within: 3600 }),
    ]);
  });

  it('RPC 135 registers the dynamic range by window as a fallback for the EPM inspector', () => {
    const f = flow(TCP, '10.0.0.10', 50000, '10.0.0.2', 135);
    const cls = classifier.classify(f, null);
    expect(cls.rule).toBe('sccm.mp-to-dc-rpc');
    const req = windowRequests(classifier.followOnPlans(f, cls), f);
    expect(req).toEqual([
      {
        kind: 'window',
        client: '10.0.0.10',
        server: '10.0.0.2',
        proto: TCP,
        ports: [{ lo: 1025, hi: 5000 }, { lo: 49152, hi: 65535 }],
        rule: 'sccm.mp-to-dc-rpc-dynamic',
        within: 60,
        evidence: expect.stringContaining('endpoint-mapper'),
      },
    ]);
  });

  it('a reversed <-> match keeps the real originator as the follow-on client', () => {
    const f = flow(TCP, '10.0.0.5', 50000, '10.0.0.10', 135); // site server -> MP on a MP <-> SS rule
    const req = windowRequests(classifier.followOnPlans(f, classifier.classify(f, null)), f);
    expect(req.map((r) => [r.client, r.server, r.rule])).toEqual([['10.0.0.5', '10.0.0.10', 'sccm.mp-ss-rpc-dynamic']]);
  });

  it('inspector-only follow-ons (ssrp, tftp, ftp) and unmatched flows request nothing', () => {
    const browser = flow(UDP, '10.0.0.10', 50000, '10.0.0.20', 1434);
    const cls = classifier.classify(browser, null);
    expect(cls.rule).toBe('sccm.mp-sql-browser');
    expect(windowRequests(classifier.followOnPlans(browser, cls), browser)).toEqual([]);
    const none = flow(TCP, '10.1.2.3', 50000, '10.0.0.77', 8080);
    expect(windowRequests(classifier.followOnPlans(none, classifier.classify(none, null)), none)).toEqual([]);
  });
});

describe('many flows', () => {
  // Speed itself is measured by `npm run bench`; here: the shared path really is shared.
  it('200k flows over a few thousand hosts: the right half match, one classification per kind of flow', () => {
    const flows: FlowIdentity[] = [];
    for (let i = 0; i < 5000; i++) {
      flows.push(flow(TCP, `10.1.${(i >> 8) & 255}.${i & 255}`, 40000 + (i % 1000), '10.0.0.10', i % 2 ? 80 : 443));
      flows.push(flow(TCP, `10.1.${(i >> 8) & 255}.${i & 255}`, 40000 + (i % 1000), '10.0.0.20', 1433));
    }
    let matched = 0;
    const shared = new Set<unknown>();
    for (let i = 0; i < 200_000; i++) {
      const f = flows[i % flows.length]!;
      if (classifier.classify(f, null).rule) matched++;
      shared.add(classifier.classifyShared(f, null));
    }
    expect(matched).toBe(100_000);
    // 80 and 443 to the management point match; 1433 to it does not (one shared miss).
    expect(shared.size).toBe(3);
  });
});

describe('classify: the per-role-set cache', () => {
  // Flows between the same role sets on the same port share one Classification; everything
  // that differs per address (site, guessed-originator evidence, ignore entries) must not leak.
  it('same roles, different sites: each flow reports its own ends', () => {
    const dp = flow(TCP, '10.1.2.3', 50000, '10.20.0.30', 80);
    const a = classifier.classify(dp, null);
    const b = classifier.classify(flow(TCP, '10.1.9.9', 50001, '10.20.0.30', 80), null);
    expect(b).toBe(a); // shared: same role set, same site on both ends
    // 10.20.5.7 has no role but another site: a fresh answer, not the cached one.
    const c = classifier.classify(flow(TCP, '10.20.5.7', 50000, '10.20.0.30', 80), null);
    expect(c).not.toBe(a);
    expect(c.srcSite).toBe('leeds-office');
    expect(a.srcSite).toBe('clients');
  });

  it('a cached miss still tries the guessed originator turned round, per flow', () => {
    // UDP from the DC's port 53 to a client's 61000: no rule on the client's port (a cached
    // miss for this role pair), the turned-round flow matches DNS; the evidence names this flow's address.
    const first = classifier.classify(flow(UDP, '10.0.0.2', 53, '10.1.2.3', 61000), null);
    const second = classifier.classify(flow(UDP, '10.0.0.2', 53, '10.1.2.4', 61000), null);
    expect(first.rule).toBe('win.dns-udp');
    expect(second.rule).toBe('win.dns-udp');
    expect(first.evidence).toContain('originator was guessed; matched with 10.1.2.3 as originator');
    expect(second.evidence).toContain('originator was guessed; matched with 10.1.2.4 as originator');
    expect(first.dstRoles).toEqual(second.dstRoles);
  });

  it('flows without a rule share one classification that names their own fields by placeholder', () => {
    // Two clients of the same kind to two dynamic ports inside the same catch-all range (Altiris
    // "> 1024"), neither matching: one shared object for the store, each flow's own words from classify().
    const a = flow(TCP, '10.1.2.3', 50000, '10.0.0.77', 8080);
    const b = flow(TCP, '10.1.7.7', 50001, '10.0.0.78', 9090);
    const sharedA = classifier.classifyShared(a, null);
    expect(classifier.classifyShared(b, null)).toBe(sharedA);
    expect(sharedA.evidenceVars).toBe(true);
    expect(sharedA.evidence).toBe('TCP {{dport}} is allowed from Deployment Server to managed computer, not from client, 1E Client, managed computer to {{dst}} (domain member) (altiris.remote-control)');
    expect(classifier.classify(b, null)).toEqual({ ...sharedA, evidenceVars: undefined, evidence: renderEvidence(sharedA.evidence!, b) });
    expect(classifier.classify(b, null).evidence).toContain('TCP 9090 is allowed');
    expect(classifier.classify(b, null).evidence).toContain('to 10.0.0.78 (domain member)');
    expect('evidenceVars' in classifier.classify(b, null)).toBe(false);
    // A port a rule names itself is not lumped with the catch-all ports (its nearest rules differ).
    expect(classifier.classifyShared(flow(TCP, '10.1.2.3', 50000, '10.0.0.77', 1433), null)).not.toBe(sharedA);
    // Nor are ends of another kind (an address with a role and a site).
    expect(classifier.classifyShared(flow(TCP, '10.1.2.3', 50000, '10.20.0.30', 8080), null)).not.toBe(sharedA);
  });

  it('a match on a port inside a wide range only is shared by every such port; a port a rule names keeps its number', () => {
    // Altiris: the Deployment Server may reach managed computers on any TCP port above 1024.
    const a = flow(TCP, '10.0.0.70', 50000, '10.1.2.3', 8080);
    const b = flow(TCP, '10.0.0.70', 50001, '10.1.2.4', 9090);
    const shared = classifier.classifyShared(a, null);
    expect(shared.rule).toBe('altiris.remote-control');
    expect(classifier.classifyShared(b, null)).toBe(shared);
    expect(shared.evidenceVars).toBe(true);
    expect(shared.evidence).toMatch(/, TCP \{\{dport\}\}$/);
    expect(classifier.classify(b, null).evidence).toMatch(/, TCP 9090$/);
    // Client to Deployment Server on 402: a port the rule names, written as it is, not shared with 403.
    const ds = classifier.classifyShared(flow(TCP, '10.1.2.3', 50000, '10.0.0.70', 402), null);
    expect(ds.evidenceVars).toBeUndefined();
    expect(ds.evidence).toMatch(/, TCP 402$/);
    expect(classifier.classifyShared(flow(TCP, '10.1.2.3', 50000, '10.0.0.70', 403), null)).not.toBe(ds);
  });

  it('a guessed originator matched turned round is shared too, naming the flow\'s responder by placeholder', () => {
    const c1 = flow(UDP, '10.0.0.2', 53, '10.1.2.3', 61000);
    const c2 = flow(UDP, '10.0.0.2', 53, '10.1.2.4', 61001);
    const s1 = classifier.classifyShared(c1, null);
    expect(classifier.classifyShared(c2, null)).toBe(s1);
    expect(s1.rule).toBe('win.dns-udp');
    expect(s1.evidence).toContain('UDP {{sport}} (originator was guessed; matched with {{dst}} as originator)');
    expect(renderEvidence(s1.evidence!, c2)).toContain('UDP 53 (originator was guessed; matched with 10.1.2.4 as originator)');
    // A flow whose two ports are equal is never turned round: not the same classification.
    expect(classifier.classifyShared(flow(UDP, '10.0.0.2', 53, '10.1.2.4', 53), null)).not.toBe(s1);
  });

  it('an ignore entry is applied per flow, never served from the cache', () => {
    const plain = classifier.classify(flow(UDP, '10.1.2.3', 50000, '10.0.0.97', 514), null);
    const ignored = classifier.classify(flow(UDP, '10.1.2.3', 50000, '10.0.0.99', 514), null);
    expect(plain.ignored).toBe(false);
    expect(ignored.ignored).toBe(true);
    expect(ignored.evidence).toContain('ignored by site file line');
  });

  it('an expectation hit wins over a cached direct match for the same key', () => {
    const direct = classifier.classify(flow(TCP, '10.1.2.3', 50000, '10.0.0.10', 80), null);
    const hit: ExpectationHit = { kind: 'window', parentFlowId: 7, rule: 'sccm.client-to-mp', evidence: 'window after flow #7' };
    const viaHit = classifier.classify(flow(TCP, '10.1.2.3', 50000, '10.0.0.10', 80), hit);
    expect(direct.how).toBe('direct');
    expect(viaHit.how).toBe('window');
    expect(viaHit.evidence).toBe('window after flow #7');
  });
});

describe('address classes (one segment index for roles, sites, defaults and pseudo-roles)', () => {
  // Overlapping ranges on purpose: a role listed for two overlapping ranges, roles whose ranges
  // cut each other, nested sites, IPv4 and IPv6.
  const overlapping = parseSite(`catalogs: [sccm-2007, windows-infra]
roles:
  sccm.client: [10.5.0.0/16, 10.5.1.0/24, "2001:db8:5::/48"]
  sccm.management-point: [10.5.1.10-10.5.1.20, "2001:db8:5::10"]
  sccm.distribution-point: [10.5.1.15, 10.5.0.0/20]
sites:
  campus: [10.5.0.0/16, "2001:db8::/32"]
  lab: [10.5.1.0/24]
  desk: [10.5.1.16/28]
`, 'overlap.yaml');
  const c = createClassifier(loadCatalogs(overlapping.catalogs), overlapping);
  const v4 = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
  const inRange = (lo: string, hi: string, a: string) => {
    const num = (s: string) => s.split('.').reduce((x, o) => x * 256 + Number(o), 0);
    return num(a) >= num(lo) && num(a) <= num(hi);
  };

  it('every address gets the roles of the ranges covering it in site-file order, once, and the smallest site', () => {
    for (let n = 0x0a04ff00; n <= 0x0a0602ff; n += 7) {
      const a = v4(n);
      const got = c.classify(flow(TCP, a, 50000, '10.99.0.1', 1), null);
      const roles: string[] = [];
      if (inRange('10.5.0.0', '10.5.255.255', a)) roles.push('sccm.client');
      if (inRange('10.5.1.10', '10.5.1.20', a)) roles.push('sccm.management-point');
      if (a === '10.5.1.15' || inRange('10.5.0.0', '10.5.15.255', a)) roles.push('sccm.distribution-point');
      const siteName = inRange('10.5.1.16', '10.5.1.31', a) ? 'desk' : inRange('10.5.1.0', '10.5.1.255', a) ? 'lab' : inRange('10.5.0.0', '10.5.255.255', a) ? 'campus' : null;
      expect([a, got.srcRoles, got.srcSite]).toEqual([a, roles, siteName]);
    }
  });

  it('IPv6 ends, and the pseudo-roles: broadcast over special-use, multicast, internet, unparseable text', () => {
    expect(c.classify(flow(TCP, '2001:db8:5::10', 1, '2001:db8:5::99', 2), null)).toMatchObject({
      srcRoles: ['sccm.client', 'sccm.management-point'], srcSite: 'campus', dstRoles: ['sccm.client'], dstSite: 'campus',
    });
    const why = (dst: string) => c.classify(flow(UDP, '10.5.1.99', 40000, dst, 9999, { originatorGuessed: false }), null).evidence;
    // 255.255.255.255 is also in the special-use 240.0.0.0/4: broadcast wins; the rest of 240/4 is internal.
    expect(why('255.255.255.255')).toContain('255.255.255.255 has no role (broadcast)');
    expect(why('240.0.0.1')).toContain('240.0.0.1 is domain member (catalog default for this address)');
    expect(why('239.1.2.3')).toContain('239.1.2.3 has no role (multicast)');
    expect(why('ff02::fb')).toContain('ff02::fb has no role (multicast)');
    expect(why('8.8.8.8')).toContain('8.8.8.8 is System Center Online (catalog default for internet)');
    expect(why('fe80::1')).toContain('fe80::1 is domain member (catalog default for this address)');
    // Text that is no address is taken as internal, with no site role.
    expect(why('not-an-address')).toContain('not-an-address is domain member (catalog default for this address)');
    expect(c.classify(flow(TCP, 'not-an-address', 1, '10.5.1.15', 80), null)).toMatchObject({ srcRoles: [], srcSite: null });
  });
});

describe('needsEarly: the flows that may open follow-on windows', () => {
  it('marks service ports of rules with follow-ons; a rule of any protocol marks every protocol', () => {
    expect(classifier.needsEarly(flow(TCP, '10.1.2.3', 50000, '10.0.0.70', 402))).toBe(true);
    expect(classifier.needsEarly(flow(TCP, '10.1.2.3', 50000, '10.0.0.10', 80))).toBe(false);
    expect(classifier.needsEarly(flow(UDP, '10.1.2.3', 50000, '10.0.0.70', 7777))).toBe(false);
    // A guessed originator may be the answer: its own port counts too.
    expect(classifier.needsEarly(flow(UDP, '10.0.0.70', 402, '10.1.2.3', 50000, { originatorGuessed: true }))).toBe(false);
    expect(classifier.needsEarly(flow(TCP, '10.0.0.70', 402, '10.1.2.3', 50000, { originatorGuessed: true }))).toBe(true);

    const parent = catalog.rules.find((r) => r.then.length > 0)!;
    const anyProto = { ...parent, id: 'test.any-proto-parent', proto: 'ip' as const, ports: [{ lo: 7777, hi: 7778 }] };
    const withAny = createClassifier({ ...catalog, rules: [...catalog.rules, anyProto] }, site);
    for (const proto of [TCP, UDP]) {
      expect(withAny.needsEarly(flow(proto, '10.1.2.3', 50000, '10.0.0.70', 7778)), `proto ${proto}`).toBe(true);
      expect(withAny.needsEarly(flow(proto, '10.1.2.3', 50000, '10.0.0.70', 7779)), `proto ${proto}`).toBe(false);
    }
    // Its own rules' ports stay marked beside it.
    expect(withAny.needsEarly(flow(TCP, '10.1.2.3', 50000, '10.0.0.70', 402))).toBe(true);
  });
});
