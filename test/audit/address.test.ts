import { describe, expect, it } from 'vitest';
import { formatIp, inRanges, parseIp } from '../../src/audit/address.js';
import { runAudit } from '../../src/audit/audit.js';
import { capture, catalog, range, rule, site } from '../helpers/audit-fixtures.js';
import { expectValidReport } from '../helpers/report-validate.js';

describe('address parsing', () => {
  it('parses IPv4 and IPv6 forms to numbers', () => {
    expect(parseIp('10.0.0.12')).toEqual({ family: 4, value: 0x0a00000cn });
    expect(parseIp('::1')).toEqual({ family: 6, value: 1n });
    expect(parseIp('2001:db8::12')!.value).toBe(0x20010db8000000000000000000000012n);
    expect(parseIp('::ffff:10.0.0.1')!.value).toBe(0xffff0a000001n);
    expect(parseIp('fe80::1%eth0')!.value).toBe(0xfe800000000000000000000000000001n);
    for (const bad of ['10.0.0', '10.0.0.256', '1::2::3', 'x', '1:2:3:4:5:6:7:8:9', '']) expect(parseIp(bad)).toBeNull();
  });

  it('formats canonically (RFC 5952 for IPv6)', () => {
    expect(formatIp(4, 0x0a00000cn)).toBe('10.0.0.12');
    expect(formatIp(6, parseIp('2001:0db8:0000:0000:0000:0000:0000:0012')!.value)).toBe('2001:db8::12');
    expect(formatIp(6, parseIp('2001:db8:0:1:0:0:0:1')!.value)).toBe('2001:db8:0:1::1');
    expect(formatIp(6, parseIp('2001:db8:0:1:1:1:1:1')!.value)).toBe('2001:db8:0:1:1:1:1:1');
    expect(formatIp(6, 0n)).toBe('::');
  });

  it('matches ranges of the same family only', () => {
    const ranges = [range('10.1.0.0/16'), range('2001:db8::/64')];
    expect(inRanges(parseIp('10.1.200.3')!, ranges)).toBe(true);
    expect(inRanges(parseIp('10.2.0.1')!, ranges)).toBe(false);
    expect(inRanges(parseIp('2001:db8::99')!, ranges)).toBe(true);
    expect(inRanges(parseIp('2001:db9::1')!, ranges)).toBe(false);
  });
});

describe('missing flows with IPv6 destinations', () => {
  it('names the IPv6 host canonically and counts a flow to it as reaching it', () => {
    const cat = catalog([rule({ id: 'x.client-to-sup', title: 'x', from: ['sccm.client'], to: ['sccm.sup'], ports: [{ lo: 8530, hi: 8530 }], required: true })]);
    const s = site({ roles: { 'sccm.client': ['2001:db8:1::/64'], 'sccm.sup': ['2001:0db8::0012', '2001:db8::13'] }, sites: {} });
    const r = runAudit({
      flows: [{
        ...baseFlow(), src: '2001:db8:1::5', dst: '2001:db8::13', dport: 8530,
        classification: { rule: 'x.client-to-sup', how: 'direct', evidence: null, srcRoles: ['sccm.client'], dstRoles: ['sccm.sup'], srcSite: null, dstSite: null, ignored: false },
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
