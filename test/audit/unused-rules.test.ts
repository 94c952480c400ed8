/**
 * The "no traffic" rule-health list: rules with hosts on both sides that no flow used, never a
 * rule with traffic or one reported missing. Hand-built audits for each rule of the list, and
 * the real pipeline on the product fixtures for the exact lists a reviewer would read.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runAudit } from '../../src/audit/audit.js';
import type { AuditResult } from '../../src/audit/types.js';
import { PRODUCTS } from '../../fixtures/generate.js';
import { RULES, T0, baselineFlows, capture, catalog, flow, range, rule, site, CLIENT, TO_MP } from '../helpers/audit-fixtures.js';
import { PROJECT_ROOT } from '../helpers/corpus.js';
import { expectValidReport } from '../helpers/report-validate.js';
import { runPipeline } from '../helpers/run-pipeline.js';

const NOW = new Date('2024-03-04T12:00:00Z');
const unused = (r: AuditResult) => (r.unusedRules ?? []).map((u) => u.rule);

describe('unused rules (hand-built audit)', () => {
  it('lists the rules with hosts on both sides and no flow, not those whose roles have no hosts', () => {
    const r = runAudit({ flows: baselineFlows(), captures: [capture()], catalog: catalog(), site: site(), now: NOW });
    // sccm.siteserver-to-dp.smb: no site server in the site.
    expect(unused(r)).toEqual(['sccm.client-to-dp.smb', 'sccm.client-to-dp.http']);
    expect(r.unusedRules![0]).toMatchObject({
      from: ['sccm.client'], to: ['sccm.dp'], proto: 'tcp', ports: '445', direction: 'one-way', required: false,
      reason: 'no flow from client to distribution point on TCP 445 between 2024-03-01 09:00:00 and 09:45:00 UTC',
    });
    expectValidReport(r);
  });

  it('never lists a rule reported missing or one with traffic', () => {
    const flows = baselineFlows().filter((f) => f.classification!.rule !== 'sccm.client-to-sup.wsus');
    flows.push(flow({ dst: '10.20.0.5', dport: 445 }, { rule: 'sccm.client-to-dp.smb', how: 'direct', ...CLIENT, dstRoles: ['sccm.dp'] }));
    const r = runAudit({ flows, captures: [capture()], catalog: catalog(), site: site(), now: NOW });
    expect(r.missing.map((m) => m.rule)).toContain('sccm.client-to-sup.wsus');
    expect(unused(r)).toEqual(['sccm.client-to-dp.http']);
  });

  it('counts a follow-on channel for the rule that opens it, and skips rules no flow could match', () => {
    const rules = [
      ...RULES,
      rule({ id: 'x.mp-rpc', from: ['sccm.client'], to: ['sccm.management-point'], ports: [{ lo: 135, hi: 135 }],
        then: [{ id: 'x.mp-rpc.dynamic', proto: 'tcp', ports: [{ lo: 49152, hi: 65535 }], via: 'epm', within: 60, direction: 'same' }] }),
      // Every port a parameter set to 0: not in use.
      rule({ id: 'x.disabled', from: ['sccm.client'], to: ['sccm.management-point'], ports: [] }),
      // ICMPv6 between IPv4-only roles.
      rule({ id: 'x.ping6', from: ['sccm.management-point'], to: ['sccm.client'], proto: 'icmpv6', ports: [{ lo: 128, hi: 128 }] }),
      // From the one management point to itself.
      rule({ id: 'x.self', from: ['sccm.management-point'], to: ['sccm.management-point'], ports: [{ lo: 1723, hi: 1723 }] }),
      // A role the site does not mention, with a catalog default: it has hosts.
      rule({ id: 'x.to-internet', from: ['sccm.client'], to: ['x.cloud'], ports: [{ lo: 443, hi: 443 }] }),
    ];
    const cat = catalog(rules);
    cat.roles.set('x.cloud', { id: 'x.cloud', title: 'Cloud', product: 'x', default: ['internet'] });
    const flows = [...baselineFlows(),
      flow({ dport: 50123, start: T0 + 70 }, { rule: 'x.mp-rpc.dynamic', how: 'expectation', ...CLIENT, ...TO_MP })];
    const r = runAudit({ flows, captures: [capture()], catalog: cat, site: site(), now: NOW });
    expect(r.rules.find((x) => x.id === 'x.mp-rpc')!.flows).toBe(1);
    expect(unused(r)).toEqual(['sccm.client-to-dp.smb', 'sccm.client-to-dp.http', 'x.to-internet']);
    expectValidReport(r);
  });

  it('is empty when the site gives a rule one side only', () => {
    const s = site({ roles: { 'sccm.client': ['10.1.0.0/16'] } });
    s.roles.set('sccm.sql', [range('10.0.0.20')]);
    const r = runAudit({ flows: [], captures: [capture()], catalog: catalog(), site: s, now: NOW });
    expect(unused(r)).toEqual([]);
  });
});

const FIXTURES = join(PROJECT_ROOT, 'fixtures/products');
/** The lists read against each fixture's capture and site file (see fixtures/generate.ts). */
const EXACT: Record<string, string[]> = {
  // web-service-http (web service <-> GUI, 80/280) is listed: the capture's GUI -> web service HTTP flow is named by
  // gui-to-services-http, the first rule that matches it (a flow counts for one rule).
  'dell-wdm/clean.pcap': ['wdm.web-service-http'],
  // The violations capture holds the findings only: no console or agent traffic at all.
  'dell-wdm/violations.pcap': [
    'wdm.gui-to-services-http', 'wdm.gui-to-repository-ftp', 'wdm.gui-to-database', 'wdm.gui-shadow-vnc', 'wdm.web-service-push',
    'wdm.web-service-http', 'wdm.web-service-https',
  ],
  // The DHCP reply travels in the client's DHCP flow; PXE MTFTP is unicast in the capture.
  'altiris-ds-5.5/clean.pcap': ['altiris.server-port-401-tcp', 'altiris.pxe-dhcp-reply', 'altiris.pxe-mtftp-multicast'],
  '1e-platform/clean.pcap': [],
  'system-inmation/clean.pcap': [],
  'system-inmation/violations.pcap': [],
};

describe('unused rules on the product fixtures', () => {
  const runs = new Map<string, AuditResult>();
  beforeAll(async () => {
    for (const p of PRODUCTS) {
      for (const c of ['clean.pcap', 'violations.pcap']) {
        runs.set(`${p}/${c}`, (await runPipeline(join(FIXTURES, p, 'site.yaml'), [join(FIXTURES, p, c)])).result);
      }
    }
  }, 120_000);

  it('gives exactly the reviewed list for these fixtures', () => {
    for (const [k, list] of Object.entries(EXACT)) expect(unused(runs.get(k)!), k).toEqual(list);
  });

  it('never lists a rule with traffic or one reported missing, and lists every idle rule of sccm-2007 clean but the reported ones', () => {
    for (const [k, r] of runs) {
      const flows = new Map(r.rules.map((x) => [x.id, x.flows]));
      const missing = new Set(r.missing.map((m) => m.rule));
      for (const u of r.unusedRules!) {
        expect(flows.get(u.rule), `${k}: ${u.rule}`).toBe(0);
        expect(missing.has(u.rule), `${k}: ${u.rule} is reported missing`).toBe(false);
      }
    }
    const sccm = runs.get('sccm-2007/violations.pcap')!;
    expect(sccm.missing.map((m) => m.rule)).toContain('sccm.client-to-sup');
    expect(unused(sccm)).not.toContain('sccm.client-to-sup');
    // Used through the endpoint mapper and its follow-on in the clean capture, idle in the violations one.
    expect(unused(runs.get('sccm-2007/clean.pcap')!)).not.toContain('sccm.ss-to-dc-rpc');
    expect(unused(runs.get('sccm-2007/violations.pcap')!)).toContain('sccm.ss-to-dc-rpc');
  });
});
