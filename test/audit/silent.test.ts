/**
 * Declared but silent: a host the site file declares for a role, which no flow reached on any
 * rule it answers on (src/audit/silent.ts says what counts and why).
 */
import { describe, expect, it } from 'vitest';
import { failOn, runAudit } from '../../src/audit/audit.js';
import { MAX_HOSTS_PER_ROLE } from '../../src/audit/silent.js';
import type { Rule } from '../../src/catalog/types.js';
import type { Classification } from '../../src/flow/flow-record.js';
import type { CaptureInfo, StoredFlow } from '../../src/store/types.js';
import { T0, capture, catalog, flow, rule, site } from '../helpers/audit-fixtures.js';
import { expectValidReport } from '../helpers/report-validate.js';

const NOW = new Date('2024-03-01T10:00:00Z');

/** Client -> SUP (one-way, two ports), MP <-> SUP (both ways), site server -> SUP (no hosts on its from side). */
const RULES: Rule[] = [
  rule({ id: 'x.client-to-sup', title: 'Client to SUP', from: ['sccm.client'], to: ['sccm.sup'], ports: [{ lo: 8530, hi: 8531 }] }),
  rule({ id: 'x.mp-sup', title: 'MP <-> SUP', from: ['sccm.management-point'], to: ['sccm.sup'], ports: [{ lo: 445, hi: 445 }], direction: 'both',
    then: [{ id: 'x.mp-sup-dynamic', proto: 'tcp', ports: [{ lo: 49152, hi: 65535 }], via: 'epm', within: 60, direction: 'same' }] }),
  rule({ id: 'x.ss-to-sup', title: 'Site server to SUP', from: ['sccm.site-server'], to: ['sccm.sup'], ports: [{ lo: 80, hi: 80 }] }),
  rule({ id: 'x.sup-to-sql', title: 'SUP to SQL', from: ['sccm.sup'], to: ['sccm.sql'], ports: [{ lo: 1433, hi: 1433 }] }),
];

/** The two SUPs are the only single-address hosts: the MP and SQL Server are ranges here. */
const ROLES = {
  'sccm.client': ['10.1.0.0/16'],
  'sccm.management-point': ['10.0.0.8/30'],
  'sccm.sup': ['10.0.0.12', '10.0.0.13'],
  'sccm.sql': ['10.0.0.20-10.0.0.21'],
};

const toSup = (over: Partial<StoredFlow>, c: Partial<Classification>) =>
  flow({ src: '10.1.0.5', dst: '10.0.0.12', dport: 8530, ...over }, { how: 'direct', srcRoles: ['sccm.client'], dstRoles: ['sccm.sup'], ...c });

function audit(flows: StoredFlow[], opts: { roles?: Record<string, string[]>; optional?: string[]; rules?: Rule[]; captures?: CaptureInfo[] } = {}) {
  const r = runAudit({
    flows, captures: opts.captures ?? [capture()], catalog: catalog(opts.rules ?? RULES),
    site: site({ roles: opts.roles ?? ROLES, sites: {}, optional: opts.optional ?? [] }), now: NOW,
  });
  expectValidReport(r);
  return r;
}

describe('silent declared hosts', () => {
  it('reports each declared host nobody reached as a missing finding of its own, with its rules and the window', () => {
    const r = audit([toSup({}, { rule: 'x.client-to-sup' })]);
    expect(r.silentHosts).toEqual([{
      status: 'missing',
      host: '10.0.0.13',
      roles: ['sccm.sup'],
      roleTitle: 'software update point',
      rules: ['x.client-to-sup', 'x.mp-sup'],
      otherFlows: 0,
      reason: 'software update point 10.0.0.13: declared in the site file, reached by nobody on any of its 2 rules ' +
        'between 2024-03-01 09:00:00 and 09:45:00 UTC; no analysed flow involves it',
      window: { start: T0, end: T0 + 45 * 60 },
      lossMayExplain: false,
      decodeMayExplain: false,
    }]);
    expect(r.summary.counts).toMatchObject({ silentHosts: 1, silentHostsOptional: 0, missing: 0 });
    expect(r.summary.clean).toBe(false);
    expect(r.summary.verdict).toBe('findings: 1 declared host nobody reached');
    expect(failOn(r, ['missing'])).toBe(true);
    expect(failOn(r, ['unexpected', 'wan-cache'])).toBe(false);
  });

  it('a flow on one of its rules reaches it, answered or not; originating one does not', () => {
    const r = audit([
      toSup({ state: 'S0', respPackets: 0 }, { rule: 'x.client-to-sup' }),
      // 10.0.0.13 opens a connection to the SQL Server: it is on the network, but nobody reached it.
      flow({ src: '10.0.0.13', dst: '10.0.0.20', dport: 1433 }, { rule: 'x.sup-to-sql', how: 'direct', srcRoles: ['sccm.sup'], dstRoles: ['sccm.sql'] }),
      // And a client tries a port of it no rule covers.
      toSup({ dst: '10.0.0.13', dport: 4444 }, { rule: null }),
    ]);
    expect(r.silentHosts.map((h) => [h.host, h.otherFlows])).toEqual([['10.0.0.13', 2]]);
    expect(r.silentHosts[0]!.reason).toContain('; it took part in 2 other flows');
  });

  it('on a <-> rule either end counts, and a follow-on counts for its rule', () => {
    const mpSup = { srcRoles: ['sccm.sup'], dstRoles: ['sccm.management-point'] };
    const r = audit([
      flow({ src: '10.0.0.12', dst: '10.0.0.10', dport: 445 }, { rule: 'x.mp-sup', how: 'direct', ...mpSup }),
      flow({ src: '10.0.0.10', dst: '10.0.0.13', dport: 50123 }, { rule: 'x.mp-sup-dynamic', how: 'expectation', srcRoles: ['sccm.management-point'], dstRoles: ['sccm.sup'] }),
    ]);
    expect(r.silentHosts).toEqual([]);
  });

  it('a one-way rule matched turned round (originator guessed) reaches the host at the source', () => {
    const turned = (guessed: boolean) => audit([
      flow({ proto: 17, src: '10.0.0.12', sport: 8530, dst: '10.1.0.5', dport: 50000, originatorGuessed: guessed },
        { rule: 'x.client-to-sup', how: 'direct', srcRoles: ['sccm.sup'], dstRoles: ['sccm.client'] }),
    ], { roles: { ...ROLES, 'sccm.sup': ['10.0.0.12'] } });
    expect(turned(true).silentHosts).toEqual([]);
    expect(turned(false).silentHosts.map((h) => h.host)).toEqual(['10.0.0.12']);
  });

  it('an ignored flow on one of its rules reaches it: the ignore list accepts flows, it does not unsee them', () => {
    const r = audit([
      toSup({}, { rule: 'x.client-to-sup' }),
      toSup({ dst: '10.0.0.13' }, { rule: 'x.client-to-sup', ignored: true }),
    ]);
    expect(r.silentHosts).toEqual([]);
    expect(r.summary.flows.ignored).toBe(1);
  });

  it('is informational when the site file makes every one of its rules optional, a finding while one is not', () => {
    const all = audit([toSup({}, { rule: 'x.client-to-sup' })], { optional: ['x.client-to-sup', 'x.mp-sup'] });
    expect(all.silentHosts.map((h) => [h.host, h.status])).toEqual([['10.0.0.13', 'optional']]);
    expect(all.silentHosts[0]!.reason).toMatch(/; no analysed flow involves it; the site file makes every one of them optional$/);
    expect(all.summary.counts).toMatchObject({ silentHosts: 0, silentHostsOptional: 1 });
    expect(all.summary.clean).toBe(true);
    expect(failOn(all, ['missing'])).toBe(false);
    const some = audit([toSup({}, { rule: 'x.client-to-sup' })], { optional: ['x.client-to-sup'] });
    expect(some.silentHosts.map((h) => h.status)).toEqual(['missing']);
  });

  it('counts only rules this site can match: the other side has addresses besides the host', () => {
    // x.ss-to-sup: no site server declared. A <-> rule between the host's own role needs a second host.
    const selfRule = rule({ id: 'x.sup-sup', title: 'SUP <-> SUP', from: ['sccm.sup'], to: ['sccm.sup'], direction: 'both' });
    const one = audit([], { rules: [...RULES, selfRule], roles: { ...ROLES, 'sccm.sup': ['10.0.0.12'] } });
    expect(one.silentHosts.find((h) => h.host === '10.0.0.12')!.rules).toEqual(['x.client-to-sup', 'x.mp-sup']);
    const two = audit([], { rules: [...RULES, selfRule] });
    expect(two.silentHosts.find((h) => h.host === '10.0.0.12')!.rules).toEqual(['x.client-to-sup', 'x.mp-sup', 'x.sup-sup']);
  });

  it('a role the site file leaves out reaches the host through its catalog default', () => {
    const cat = catalog([rule({ id: 'x.internet-to-sup', title: 'x', from: ['x.internet'], to: ['sccm.sup'], ports: [{ lo: 443, hi: 443 }] })]);
    cat.roles.set('x.internet', { id: 'x.internet', title: 'the internet', product: 'x', default: ['internet'] });
    const r = runAudit({ flows: [], captures: [capture()], catalog: cat, site: site({ roles: { 'sccm.sup': ['10.0.0.12'] }, sites: {}, optional: [] }), now: NOW });
    expect(r.silentHosts[0]!.reason).toContain('software update point 10.0.0.12: declared in the site file, reached by nobody on its one rule (x.internet-to-sup) between');
    // Without the default nobody could reach it: not silent, nothing to reach it on.
    cat.roles.set('x.internet', { id: 'x.internet', title: 'the internet', product: 'x' });
    expect(runAudit({ flows: [], captures: [capture()], catalog: cat, site: site({ roles: { 'sccm.sup': ['10.0.0.12'] }, sites: {}, optional: [] }), now: NOW }).silentHosts).toEqual([]);
  });

  it('hosts are single addresses of a short list: not CIDRs, ranges or long lists written out', () => {
    const many = Array.from({ length: MAX_HOSTS_PER_ROLE + 1 }, (_, i) => `10.0.5.${i + 1}`);
    const r = audit([], { roles: { ...ROLES, 'sccm.sup': ['10.0.0.12/32', '10.0.4.0/24', '10.0.3.1-10.0.3.2'] } });
    expect(r.silentHosts.map((h) => h.host)).toEqual(['10.0.0.12']);
    expect(audit([], { roles: { ...ROLES, 'sccm.sup': many } }).silentHosts).toEqual([]);
    expect(audit([], { roles: { ...ROLES, 'sccm.sup': many.slice(0, MAX_HOSTS_PER_ROLE) } }).silentHosts).toHaveLength(MAX_HOSTS_PER_ROLE);
  });

  it('one finding per host, whatever the number of its roles, in the site file\'s order', () => {
    const r = audit([], { roles: { ...ROLES, 'sccm.sql': ['10.0.0.13'], 'sccm.sup': ['2001:0db8::0012', '10.0.0.13'] }, rules: [
      ...RULES, rule({ id: 'x.mp-to-sql', title: 'x', from: ['sccm.management-point'], to: ['sccm.sql'], ports: [{ lo: 1433, hi: 1433 }] }),
    ] });
    expect(r.silentHosts.map((h) => [h.host, h.roles, h.roleTitle, h.rules])).toEqual([
      ['2001:db8::12', ['sccm.sup'], 'software update point', ['x.client-to-sup', 'x.mp-sup']],
      // As SQL Server it answers the other SUP too.
      ['10.0.0.13', ['sccm.sup', 'sccm.sql'], 'software update point and site database server', ['x.client-to-sup', 'x.mp-sup', 'x.sup-to-sql', 'x.mp-to-sql']],
    ]);
  });

  it('carries the loss caveat when a capture dropped packets', () => {
    const r = audit([toSup({}, { rule: 'x.client-to-sup' })], { captures: [capture({ source: 'live:eth0', format: 'live', drops: 12, ifDrops: 0 })] });
    expect(r.silentHosts[0]).toMatchObject({ host: '10.0.0.13', lossMayExplain: true });
    expect(r.silentHosts[0]!.reason).toMatch(/no analysed flow involves it; 12 packets were dropped while capturing \(live:eth0\), so the loss may explain this$/);
  });

  it('without flows or captures every declared host is silent "in the analysed traffic"', () => {
    const r = runAudit({ flows: [], captures: [], catalog: catalog(RULES), site: site({ roles: ROLES, sites: {}, optional: [] }), now: NOW });
    expectValidReport(r);
    expect(r.silentHosts.map((h) => h.host)).toEqual(['10.0.0.12', '10.0.0.13']);
    expect(r.silentHosts[0]!.reason).toContain('reached by nobody on any of its 2 rules in the analysed traffic');
    expect(r.silentHosts[0]!.window).toBeNull();
  });
});
