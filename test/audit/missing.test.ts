import { describe, expect, it } from 'vitest';
import { runAudit } from '../../src/audit/audit.js';
import { capture, catalog, rule, site } from '../helpers/audit-fixtures.js';
import { expectValidReport } from '../helpers/report-validate.js';
import type { Site } from '../../src/catalog/types.js';

describe('missing flows with IPv6 destinations', () => {
  it('names the IPv6 host canonically and counts a flow to it as reaching it', () => {
    const cat = catalog([rule({ id: 'x.client-to-sup', title: 'x', from: ['sccm.client'], to: ['sccm.sup'], ports: [{ lo: 8530, hi: 8530 }], required: true })]);
    const s = site({ roles: { 'sccm.client': ['2001:db8:1::/64'], 'sccm.sup': ['2001:0db8::0012', '2001:db8::13'] }, sites: {} });
    const r = runAudit({
      flows: [{
        ...baseFlow(), src: '2001:db8:1::5', dst: '2001:db8::13', dport: 8530,
        classification: { rule: 'x.client-to-sup', nearestRule: null, how: 'direct', evidence: null, srcRoles: ['sccm.client'], dstRoles: ['sccm.sup'], srcSite: null, dstSite: null, ignored: false },
      }],
      captures: [capture()], catalog: cat, site: s, now: new Date(0),
    });
    expectValidReport(r);
    expect(r.missing.map((m) => m.dst)).toEqual(['2001:db8::12']);
  });
});

function baseFlow() {
  return {
    id: 1, proto: 6, src: '', sport: 50000, dst: '', dport: 0, ipVersion: 6 as const, originatorGuessed: false,
    origPackets: 3, respPackets: 3, origBytes: 1, respBytes: 1, origIpBytes: 1, respIpBytes: 1, origPayloadBytes: 0, respPayloadBytes: 0,
    start: 1, end: 2, state: 'SF', history: 'ShAFf', vlans: [], synOptions: [], synAckOptions: [], communityId: '1:x',
    endReason: 'end' as const, tunnel: null, expectation: null, captureId: 1, capture: 'x.pcap',
  };
}

describe('required as the site file says', () => {
  const cat = () => catalog([
    rule({ id: 'x.client-to-sup', title: 'x', from: ['sccm.client'], to: ['sccm.sup'], ports: [{ lo: 8530, hi: 8530 }], required: true }),
    rule({ id: 'x.mp-to-sql', title: 'y', from: ['sccm.management-point'], to: ['sccm.sql'], ports: [{ lo: 1433, hi: 1433 }] }),
  ]);
  const audit = (over: Pick<Site, 'require' | 'optional'>) => {
    const s: Site = { ...site({ roles: { 'sccm.client': ['10.1.0.0/16'], 'sccm.sup': ['10.0.0.12'], 'sccm.management-point': ['10.0.0.10'], 'sccm.sql': ['10.0.0.20'] } }), ...over };
    const r = runAudit({ flows: [], captures: [capture()], catalog: cat(), site: s, now: new Date(0) });
    expectValidReport(r);
    return r;
  };
  const ref = (id: string) => ({ id, line: 1, field: 'require[0]' });

  it('without require/optional the catalog decides', () => {
    const r = audit({});
    expect(r.missing.map((m) => m.rule)).toEqual(['x.client-to-sup']);
    expect(r.missing[0]!.reason).not.toContain('site file');
    expect(r.rules.map((x) => [x.id, x.required])).toEqual([['x.client-to-sup', true], ['x.mp-to-sql', false]]);
  });

  it('require makes a rule the catalog leaves optional a missing path, and says the site asked for it', () => {
    const r = audit({ require: [ref('x.mp-to-sql')] });
    expect(r.missing.map((m) => `${m.rule} ${m.dst}`)).toEqual(['x.client-to-sup 10.0.0.12', 'x.mp-to-sql 10.0.0.20']);
    const sql = r.missing.find((m) => m.rule === 'x.mp-to-sql')!;
    expect(sql.reason).toMatch(/^no management point reached site database server 10\.0\.0\.20 on TCP 1433 between .*; the site file requires this rule$/);
    expect(r.missing.find((m) => m.rule === 'x.client-to-sup')!.reason).not.toContain('site file');
    expect(r.rules.find((x) => x.id === 'x.mp-to-sql')!.required).toBe(true);
  });

  it('optional takes a catalog-required rule out of the missing check', () => {
    const r = audit({ optional: [ref('x.client-to-sup')] });
    expect(r.missing.filter((m) => m.rule === 'x.client-to-sup')).toEqual([]);
    expect(r.rules.find((x) => x.id === 'x.client-to-sup')!.required).toBe(false);
  });
});
