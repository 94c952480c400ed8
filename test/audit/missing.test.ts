import { describe, expect, it } from 'vitest';
import { runAudit } from '../../src/audit/audit.js';
import { capture, catalog, rule, site } from '../helpers/audit-fixtures.js';
import { expectValidReport } from '../helpers/report-validate.js';

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
